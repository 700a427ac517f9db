"""Decide what a file really is from its content, before any parser sees it (SPEC §2, §9).

`sniff(path, limits)` returns a FileType or raises `ExtractionError` with the SPEC §9 code:
not a regular file (checked with lstat: a FIFO is never opened), empty, too large, damaged,
password-protected, old binary Office format, macro-enabled, unsafe XML (a DTD or entity in
any part of a DOCX/XLSX, found by a bounded streaming scan of the raw bytes), wrong type
(saying what the content really is). Every message names the file, says what is wrong and
what to do.
"""

from __future__ import annotations

import os
import re
import stat
import threading
import zipfile
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

import filetype

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.marker import MAX_CORE_BYTES, CoreXml
from docgen.read.xmlscan import QuickScan, VouchScan, XmlScan

MB = 1024 * 1024
_CHUNK = 64 * 1024
_ASK_AGAIN = "ask the sender for a new copy"


class FileType(StrEnum):
    """What a file's content is."""

    PDF = "pdf"
    DOCX = "docx"
    CSV = "csv"
    XLSX = "xlsx"
    EML = "eml"
    MSG = "msg"
    ZIP = "zip"
    TXT = "txt"
    IMAGE = "image"  # a photo or scan (JPEG, PNG, TIFF, HEIC): read by OCR (SPEC §16)


_IMAGES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")  # JPEG, PNG, TIFF: read by OCR
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"heif"}
_ARCHIVES = {"gz": "a gzip archive", "7z": "a 7-Zip archive", "rar": "a RAR archive", "tar": "a tar archive",
             "bz2": "a bzip2 archive", "xz": "an xz archive", "zst": "a Zstandard archive", "cab": "a cabinet archive",
             "lz": "an lzip archive", "Z": "a compressed archive", "ar": "an ar archive", "deb": "a Debian package",
             "rpm": "an RPM package"}
_NAMED = {"rtf": "an RTF document", "ps": "a PostScript file", "exe": "a Windows program", "elf": "a program",
          "dex": "a program", "wasm": "a program", "swf": "a Flash file", "sqlite": "a database file",
          "epub": "an e-book", "nes": "a game file", "crx": "a browser extension", "eot": "a font file"}


def _what_else(head: bytes) -> str | None:
    """What a file docgen does not read really is, named by `filetype`'s signatures (80-odd types)."""
    kind = filetype.guess(head)
    if kind is None:
        return None
    ext, mime = str(kind.extension), str(kind.mime)
    if ext in _ARCHIVES or ext in _NAMED:
        return _ARCHIVES.get(ext) or _NAMED[ext]
    top = mime.split("/", 1)[0]
    if top == "image":
        return f"a {ext.upper()} image"
    if top == "audio":
        return "an audio file"
    if top == "video":
        return "a video"
    if top == "font" or "font" in mime:
        return "a font file"
    return f"a .{ext} file ({mime})"


def _fail(code: ReasonCode, message: str) -> ExtractionError:
    return ExtractionError(code, message)


_KNOWN: dict[tuple[Any, ...], FileType] = {}  # the last few verdicts, by the file's identity
_KNOWN_SIZE = 16
_KNOWN_LOCK = threading.Lock()
_WELL_FORMED: dict[tuple[Any, ...], frozenset[str]] = {}  # a scanned DOCX/XLSX's XML parts read to their end
_OPENED = threading.local()  # this thread's last PDF checked: (identity, pypdf reader), for read_pdf and the mark;
# its last Word file checked: (identity, CoreXml, its members' bytes or None), for the mark and read_docx
_CORE_XML = "docProps/core.xml"
_OPENED_MAX_BYTES = 4 * MB  # a larger PDF's reader, or Word file's members (their bytes in memory), is not kept


def _identity(path: Path, st: os.stat_result) -> tuple[Any, ...]:
    return (os.fspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def well_formed_parts(path: Path) -> frozenset[str] | None:
    """The XML parts of a DOCX/XLSX this process sniffed that its scan read to the end as well-formed XML
    (expat without namespace processing, which would double its cost); None when this file, as it is now,
    was not scanned here."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    with _KNOWN_LOCK:
        return _WELL_FORMED.get(_identity(path, st))


def opened_pdf(path: Path) -> Any:
    """The pypdf reader this thread's PDF check opened on this file as it is now (not encrypted, at most 4 MiB),
    or None: `read_pdf` and docgen's mark read it instead of parsing the file again (issue 21)."""
    kept = _kept(path, "pdf")
    return None if kept is None else kept[1]


def docx_core(path: Path) -> CoreXml | None:
    """`docProps/core.xml` as this thread's check of this Word file, as it is now, read it, or None: docgen's
    mark is looked up in it instead of opening the zip again (issue 21)."""
    kept = _kept(path, "docx")
    return None if kept is None else kept[1]


def docx_members(path: Path) -> Mapping[str, bytes] | None:
    """Every member of this Word file, as it is now, by name, as this thread's check decompressed them
    (CRC-checked, at most 4 MiB in all), or None: `read_docx` reads its parts from them instead of opening
    the zip again (issue 21)."""
    kept = _kept(path, "docx")
    return None if kept is None else kept[2]


def _kept(path: Path, slot: str) -> tuple[Any, ...] | None:
    """What this thread's check kept in `slot` ("pdf": (identity, reader); "docx": (identity, core, members)),
    when it was kept for this file as it is now; else None."""
    kept: tuple[Any, ...] | None = getattr(_OPENED, slot, None)
    if kept is None:
        return None
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return kept if kept[0] == _identity(path, st) else None


def sniff(path: Path, limits: Limits) -> FileType:
    """The file's real type; ExtractionError (SPEC §9 code) when it cannot be read safely.

    A verdict is remembered for the same file (device, inode, size, change times) and limits, so the
    reading steps that each ask (a bundle check, the extractor, the name check) scan its bytes once.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return _sniff(path, limits)  # says why in words
    key = (*_identity(path, st), limits)
    with _KNOWN_LOCK:
        known = _KNOWN.get(key)
    if known is not None:
        return known
    found = _sniff(path, limits)
    with _KNOWN_LOCK:
        if len(_KNOWN) >= _KNOWN_SIZE:
            _KNOWN.pop(next(iter(_KNOWN)))
        _KNOWN[key] = found
    return found


def _sniff(path: Path, limits: Limits) -> FileType:
    """The file's real type; ExtractionError (SPEC §9 code) when it cannot be read safely."""
    name = path.name
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise _fail(ReasonCode.NOT_A_REGULAR_FILE, f"{name} no longer exists: it was moved or deleted before it "
                                                   "could be read") from None
    except OSError as exc:
        raise _fail(ReasonCode.NOT_A_REGULAR_FILE, f"{name} cannot be opened ({exc.strerror}); check the "
                                                   "file's permissions") from None
    if not stat.S_ISREG(st.st_mode):
        raise _fail(ReasonCode.NOT_A_REGULAR_FILE,
                    f"{name} is not a regular file (it is {_what_node(st.st_mode)}); save the document itself "
                    "into the inbox")
    if st.st_size == 0:
        raise _fail(ReasonCode.EMPTY, f"{name} is empty (0 bytes): ask the sender to send the document again")
    if st.st_size > limits.max_file_mb * MB:
        raise _fail(ReasonCode.TOO_LARGE, f"{name} is too large ({st.st_size // MB} MB, limit "
                                          f"{limits.max_file_mb} MB): ask the sender for a smaller copy")
    head = _read_head(path)
    if not head.strip() and _all_whitespace(path):
        raise _fail(ReasonCode.EMPTY, f"{name} is empty (only blank space): ask the sender to send the document "
                                      "again")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _check_zip(path, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _check_ole(path)
    if b"%PDF-" in head[:1024]:
        _check_pdf(path, st.st_size, limits)
        return FileType.PDF
    if head.startswith(_IMAGES) or (head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS):
        return FileType.IMAGE
    what = _what_else(head)
    if what is not None:
        raise _wrong_type(path, what)
    if head[4:8] == b"ftyp":
        raise _wrong_type(path, "a photo or video (HEIC/MP4)")
    return _check_text(path, head)


def _what_node(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a link to another file"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not an ordinary file"


def _read_head(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _fail(ReasonCode.NOT_A_REGULAR_FILE, f"{path.name} is not a regular file; save the document "
                                                       "itself into the inbox")
        return os.read(fd, 8192)
    finally:
        os.close(fd)


def _all_whitespace(path: Path) -> bool:
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if chunk.strip():
                return False
    return True


def _wrong_type(path: Path, what: str) -> ExtractionError:
    expected = {".pdf": "a PDF", ".docx": "a Word document", ".doc": "a Word document", ".csv": "a CSV file",
                ".xlsx": "an Excel workbook", ".eml": "an email", ".msg": "an Outlook email"}.get(
        path.suffix.lower(), "a document docgen can read")
    return _fail(ReasonCode.WRONG_TYPE,
                 f"{path.name} is not {expected} (content is {what}): ask the sender for the document as PDF or "
                 "Word (.docx)")


# --- PDF -------------------------------------------------------------------------------------------

def _check_pdf(path: Path, size: int, limits: Limits) -> None:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    _OPENED.pdf = None
    identity = _identity(path, os.lstat(path))  # taken before reading: a later change is another file
    with path.open("rb") as f:
        f.seek(max(0, size - 16384))
        tail = f.read()
    if b"%%EOF" not in tail:
        raise _fail(ReasonCode.DAMAGED, f"{path.name} is a damaged PDF (it is cut short: no end-of-file marker); "
                                        f"{_ASK_AGAIN}")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                result = reader.decrypt("")
            except DependencyError as exc:
                raise _fail(ReasonCode.UNSUPPORTED,
                            f"{path.name} is an encrypted PDF and the decryption library is missing "
                            "(install pypdf[crypto]); ask the administrator") from exc
            if result == PasswordType.NOT_DECRYPTED:
                raise _fail(ReasonCode.PASSWORD_PROTECTED,
                            f"{path.name} is a password-protected PDF: ask the sender for an unprotected copy")
        pages = _page_count(reader)
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError,
            OSError) as exc:
        raise _fail(ReasonCode.DAMAGED, f"{path.name} is a damaged PDF ({type(exc).__name__}); "
                                        f"{_ASK_AGAIN}") from exc
    if pages > limits.max_pdf_pages:
        raise _fail(ReasonCode.TOO_LARGE, f"{path.name} has too many pages ({pages}, limit {limits.max_pdf_pages}): "
                                          "ask the sender for the relevant pages only")
    if pages == 0:
        raise _fail(ReasonCode.DAMAGED, f"{path.name} is a damaged PDF (it has no pages); {_ASK_AGAIN}")
    if not reader.is_encrypted and size <= _OPENED_MAX_BYTES:
        _OPENED.pdf = (identity, reader)


def _page_count(reader: object) -> int:
    from pypdf import PdfReader

    assert isinstance(reader, PdfReader)
    root: Any = reader.trailer["/Root"].get_object()
    pages: Any = root["/Pages"].get_object()
    count = pages.get("/Count")
    if isinstance(count, int) and count >= 0:
        return int(count)
    return len(reader.pages)


# --- ZIP / OOXML -----------------------------------------------------------------------------------

_MACRO_TYPES = ("macroenabled", "vnd.ms-office.vbaproject", "vnd.ms-excel.sheet.binary")
_TEMPLATE_TYPES = ("wordprocessingml.template.main", "spreadsheetml.template.main")


def _check_zip(path: Path, limits: Limits) -> FileType:
    name = path.name
    damaged = f"{name} is a damaged {'Word file' if path.suffix.lower() == '.docx' else 'zip file'}"
    _OPENED.docx = None
    try:
        identity = _identity(path, os.lstat(path))  # taken before reading: a later change is another file
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_zip_sizes(path, infos, limits)
            names = {i.filename for i in infos}
            kind = _ooxml_kind(path, zf, names)
            scan_xml = kind in (FileType.DOCX, FileType.XLSX)
            vouch = _vouch_for(zf, names) if kind is FileType.DOCX else None
            core: list[bytes | None] = []
            small = kind is FileType.DOCX and sum(i.file_size for i in infos) <= _OPENED_MAX_BYTES
            members: dict[str, bytes] | None = {} if small else None
            well_formed = _stream_members(path, zf, infos, limits, scan_xml=scan_xml, vouch=vouch,
                                          core=core if kind is FileType.DOCX else None, members=members)
        if kind is FileType.DOCX:
            _OPENED.docx = (identity, CoreXml(core[-1] if core else None), members)  # the last of a name, as
            # ZipFile.getinfo's
        if scan_xml:
            with _KNOWN_LOCK:
                if len(_WELL_FORMED) >= _KNOWN_SIZE:
                    _WELL_FORMED.pop(next(iter(_WELL_FORMED)))
                _WELL_FORMED[identity] = well_formed
        return kind
    except ExtractionError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise _fail(ReasonCode.DAMAGED, f"{damaged} ({type(exc).__name__}): {_ASK_AGAIN}") from exc


def _check_zip_sizes(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.max_zip_members:
        raise _fail(ReasonCode.TOO_LARGE, f"{path.name} holds too many files ({len(infos)}, limit "
                                          f"{limits.max_zip_members}): ask the sender to send fewer at a time")
    declared = sum(i.file_size for i in infos)
    if declared > limits.max_unzipped_mb * MB:
        raise _fail(ReasonCode.TOO_LARGE, f"{path.name} is too large when decompressed ({declared // MB} MB, "
                                          f"limit {limits.max_unzipped_mb} MB): ask the sender for a smaller copy")
    compressed = sum(i.compress_size for i in infos)
    if declared > MB and declared > limits.max_zip_ratio * max(compressed, 1):
        raise _fail(ReasonCode.TOO_LARGE, f"{path.name} is too large when decompressed (compression ratio over "
                                          f"{limits.max_zip_ratio}:1, a zip bomb?); ask the sender for the "
                                          "document again")


def _ooxml_kind(path: Path, zf: zipfile.ZipFile, names: set[str]) -> FileType:
    if "[Content_Types].xml" not in names:
        if "word/document.xml" in names:
            return FileType.DOCX
        return FileType.ZIP
    raw = _read_bounded(zf, "[Content_Types].xml", MB)
    scan = XmlScan()
    scan.feed(raw)
    if scan.unsafe:
        raise _unsafe(path)
    types = raw.decode("utf-8", "replace").lower()
    if any(t in types for t in _MACRO_TYPES) or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _fail(ReasonCode.MACRO_ENABLED, f"{path.name} is a macro-enabled Office file: ask the sender to save "
                                              "it as an ordinary .docx or .xlsx without macros")
    if any(t in types for t in _TEMPLATE_TYPES):
        raise _fail(ReasonCode.MACRO_ENABLED, f"{path.name} is an Office template file, not a document: ask the "
                                              "sender to save it as an ordinary .docx or .xlsx")
    if "wordprocessingml.document.main" in types or "word/document.xml" in names:
        return FileType.DOCX
    if "spreadsheetml.sheet.main" in types or "xl/workbook.xml" in names:
        return FileType.XLSX
    if "presentationml" in types:
        raise _wrong_type(path, "a PowerPoint presentation")
    raise _wrong_type(path, "an Office file of an unsupported kind")


def _read_bounded(zf: zipfile.ZipFile, member: str, cap: int) -> bytes:
    with zf.open(member) as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        raise ValueError(f"{member} is unexpectedly large")
    return data


def _unsafe(path: Path) -> ExtractionError:
    return _fail(ReasonCode.UNSAFE_XML, f"{path.name} contains an XML DTD or entity declarations (unsafe XML, "
                                        "never produced by Word or Excel): ask the sender to save it again from "
                                        "Word or Excel")


def _stream_members(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits, *,
                    scan_xml: bool, vouch: frozenset[str] | None = None,
                    core: list[bytes | None] | None = None,
                    members: dict[str, bytes] | None = None) -> frozenset[str]:
    """Decompress every member in bounded chunks: actual size cap, CRC check, and a DTD scan of XML parts
    (expat for the parts in `vouch`, or every part when it is None; `QuickScan` for the others).
    Returns the XML parts expat read to their end as well-formed XML. `core`, when given, gets the bytes of
    each member named docProps/core.xml (None for one declared over marker.MAX_CORE_BYTES); `members`, when
    given, every member's bytes by name (not the folders')."""
    well_formed: set[str] = set()
    scanned: set[str] = set()
    budget = limits.max_unzipped_mb * MB
    ratio_cap = limits.max_zip_ratio * max(sum(i.compress_size for i in infos), 1)
    total = 0
    for info in infos:
        if info.is_dir():
            continue
        scan: VouchScan | QuickScan | None = None
        if scan_xml and info.filename.lower().endswith((".xml", ".rels", ".vml")):
            scan = VouchScan() if vouch is None or info.filename in vouch else QuickScan()
        kept: list[bytes] | None = None
        if members is not None or (core is not None and info.filename == _CORE_XML
                                   and info.file_size <= MAX_CORE_BYTES):
            kept = []
        with zf.open(info) as f:
            while chunk := f.read(_CHUNK):
                if kept is not None:
                    kept.append(chunk)
                total += len(chunk)
                if total > budget:
                    raise _fail(ReasonCode.TOO_LARGE,
                                f"{path.name} is too large when decompressed (over {limits.max_unzipped_mb} MB): "
                                "ask the sender for a smaller copy")
                if total > MB and total > ratio_cap:
                    raise _fail(ReasonCode.TOO_LARGE,
                                f"{path.name} is too large when decompressed (compression ratio over "
                                f"{limits.max_zip_ratio}:1, a zip bomb?); ask the sender for the document again")
                if scan is not None:
                    scan.feed(chunk)
                    if isinstance(scan, VouchScan) and scan.unsafe:
                        raise _unsafe(path)
        data = b"".join(kept) if kept is not None else b""
        if members is not None:
            members[info.filename] = data  # a name given twice: the last, as ZipFile.read's
        if core is not None and info.filename == _CORE_XML:
            core.append(data if info.file_size <= MAX_CORE_BYTES else None)
        if isinstance(scan, QuickScan):
            if scan.suspect:
                _rescan(path, zf, info)
            well_formed.discard(info.filename)  # not read by expat: not vouched for
            scanned.add(info.filename)
        elif scan is not None:
            if scan.close() and info.filename not in scanned:
                well_formed.add(info.filename)
            else:
                well_formed.discard(info.filename)  # malformed, or a name given twice: not vouched for
            if scan.unsafe:
                raise _unsafe(path)
            scanned.add(info.filename)
    return frozenset(well_formed)


def _rescan(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """A part the quick scan could not clear, scanned by expat (its size was counted on the first pass)."""
    scan = XmlScan()
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            scan.feed(chunk)
            if scan.unsafe:
                raise _unsafe(path)
    scan.close()
    if scan.unsafe:
        raise _unsafe(path)


def _vouch_for(zf: zipfile.ZipFile, names: set[str]) -> frozenset[str] | None:
    """The members of a Word file that python-docx would parse as XML by their content type (styles,
    numbering, settings, comments, headers, footers, core properties, the document): the parts
    `read_docx` needs vouched for as well-formed (`docxpackage`). None when the types cannot be read
    (every part is then scanned by expat)."""
    from docx.opc.packuri import PackURI

    from docgen.read.docxpackage import content_types, parsed_types

    try:
        types = content_types(_read_bounded(zf, "[Content_Types].xml", MB))
    except Exception:  # noqa: BLE001 - any failure to read them: scan everything the slow, exact way
        return None
    parsed = parsed_types()
    vouch: set[str] = set()
    for name in names:
        try:
            if types[PackURI("/" + name)] in parsed:
                vouch.add(name)
        except (KeyError, ValueError):
            continue  # no content type (python-docx refuses such a part when it meets it), or not a part name
    return frozenset(vouch)


# --- OLE2 compound files -----------------------------------------------------------------------------

def _check_ole(path: Path) -> FileType:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = ["/".join(s) for s in ole.listdir(streams=True, storages=True)]
    except (OSError, ValueError, IndexError, KeyError, TypeError) as exc:
        raise _fail(ReasonCode.DAMAGED, f"{path.name} is a damaged Office file ({type(exc).__name__}); "
                                        f"{_ASK_AGAIN}") from exc
    top = {s.split("/")[0] for s in streams}
    if "EncryptedPackage" in top or "EncryptionInfo" in top:
        raise _fail(ReasonCode.PASSWORD_PROTECTED, f"{path.name} is a password-protected Office file: ask the "
                                                   "sender for an unprotected copy")
    if any(s.startswith("__substg1.0_") for s in top):
        return FileType.MSG
    if "WordDocument" in top:
        raise _fail(ReasonCode.OLD_FORMAT, f"{path.name} is in the old Word format (.doc): please ask the sender "
                                           "for a .docx (Word: File → Save As → Word Document)")
    if "Workbook" in top or "Book" in top:
        raise _fail(ReasonCode.OLD_FORMAT, f"{path.name} is in the old Excel format (.xls): please ask the sender "
                                           "for an .xlsx or .csv")
    if "PowerPoint Document" in top:
        raise _wrong_type(path, "an old PowerPoint presentation")
    raise _wrong_type(path, "an unrecognised Office compound file")


# --- text ----------------------------------------------------------------------------------------------

_HEADER = re.compile(rb"^(from|to|subject|date|mime-version|message-id|received|return-path|content-type|cc|"
                     rb"reply-to|x-[a-z0-9-]+|delivered-to|sender):[ \t]", re.I | re.M)
_KEY_HEADERS = {b"from", b"to", b"subject", b"date", b"mime-version", b"message-id", b"received"}


def _check_text(path: Path, head: bytes) -> FileType:
    text = _decode(head)
    if text is None:
        raise _wrong_type(path, "unrecognised binary data")
    first = head.lstrip()[:4096]
    found = {m.group(1).lower() for m in _HEADER.finditer(first)}
    if len(found & _KEY_HEADERS) >= 2 and _HEADER.match(first):
        return FileType.EML
    low = text.lstrip().lower()
    if low.startswith(("<!doctype html", "<html")):
        raise _wrong_type(path, "a web page (HTML)")
    if low.startswith("<?xml"):
        raise _wrong_type(path, "an XML file")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".tsv"}:
        return FileType.CSV
    if suffix in {".txt", ".text", ".md"}:
        return FileType.TXT
    lines = [ln for ln in text.splitlines() if ln.strip()][:10]
    if len(lines) >= 2 and all("," in ln for ln in lines[:5]):
        return FileType.CSV
    return FileType.TXT


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return data[: len(data) // 2 * 2].decode("utf-16", "replace")
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 4:  # a character cut at the end of the sample
            return data[: exc.start].decode("utf-8")
    control = sum(1 for b in data if b < 9 or 13 < b < 32)
    if control > len(data) // 50:
        return None
    return data.decode("cp1252", "replace")
