"""Submission bundles: an email (.eml/.msg), a zip or a folder unpacked into members.

Members are written inside `workdir` under generated names (`NNN-<ascii slug>.<ext>`); the names
that came with the attachments are only ever display names (`members(workdir)` gives them). The
email body is kept as a `.txt` member. Caps from `Limits` stop bombs: attachment count, nesting
depth, total size, zip members/ratio; a zip member path leaving its folder is `unsafe-name`.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import html
import json
import mimetypes
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from docgen.config import Limits
from docgen.db import private_dir
from docgen.errors import ExtractionError, ReasonCode
from docgen.read.names import is_ignored, safe_name, slug, unique

MANIFEST = "members.json"
BODY_SUFFIX = "-body.txt"
MAX_DEPTH = 3
MAX_MIME_DEPTH = 20
MAX_HEADER_BYTES = 1_000_000
CONTAINER_SUFFIXES = (".eml", ".msg", ".zip")
_KNOWN_EXT = {".pdf", ".docx", ".doc", ".docm", ".dotx", ".dotm", ".xlsx", ".xls", ".xlsm", ".csv", ".txt",
              ".eml", ".msg", ".zip", ".rtf", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".htm", ".html", ".odt"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TAGS = re.compile(r"<[^>]{0,2000}>")
_TNEF = b"\x78\x9f\x3e\x22"
_TNEF_ADVICE = ("unsupported — an Outlook winmail.dat that could not be unpacked; ask the sender to resend"
                " the documents as ordinary attachments")


def _is_container(path: Path, display: str, head: bytes) -> bool:
    """An attachment to unpack: an email, zip or Outlook message by its name AND its content, or winmail.dat."""
    ext = path.suffix.lower()
    if head.startswith(_TNEF):
        return True
    if ext == ".zip":
        return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))
    if ext == ".msg":
        return head.startswith(_OLE)
    if ext == ".eml":
        return not head.startswith((b"%PDF", b"PK\x03\x04", _OLE))
    return False


@dataclass(frozen=True)
class Member:
    """One unpacked member: its generated file, its display name, its container and whether it is a body."""

    path: Path
    display_name: str
    parent: str | None  # the generated name of the member it came out of (a nested email/zip), or None
    body: bool = False
    error: tuple[str, str] | None = None  # (reason code, message): this one part is quarantined, not the rest


class _Unpacker:
    def __init__(self, workdir: Path, limits: Limits) -> None:
        self.workdir = private_dir(workdir)
        self.limits = limits
        self.members: list[Member] = []
        self.display_taken: set[str] = set()
        self.total = 0

    def add(self, data: bytes, display: str, parent: str | None, *, body: bool = False,
            depth: int = 0) -> Member:
        if len(self.members) >= self.limits.max_attachments + MAX_DEPTH + 1:
            raise ExtractionError(ReasonCode.TOO_LARGE,
                                  f"It has more than {self.limits.max_attachments} attachments")
        self.total += len(data)
        if self.total > self.limits.max_unzipped_mb * 1024 * 1024:
            raise ExtractionError(ReasonCode.TOO_LARGE,
                                  f"Its attachments add up to more than {self.limits.max_unzipped_mb} MB")
        display = unique(safe_name(display), self.display_taken)
        ext = PurePosixPath(display).suffix.lower()
        ext = ext if ext in _KNOWN_EXT else (".txt" if body else ".bin")
        stem = "body" if body else slug(PurePosixPath(display).stem)
        name = f"{len(self.members) + 1:03d}-{stem}{ext}"
        target = self.workdir / name
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        member = Member(path=target, display_name=display, parent=parent, body=body)
        self.members.append(member)
        if body or not _is_container(target, display, data[:8]):
            return member  # a PDF named .zip is read by its content, like any other attachment
        index = len(self.members) - 1
        mark, total = len(self.members), self.total
        try:
            if depth >= MAX_DEPTH:
                raise ExtractionError(ReasonCode.TOO_LARGE, f"It nests emails or zips more than {MAX_DEPTH} deep")
            self.unpack_file(target, parent=name, depth=depth + 1)
        except ExtractionError as exc:  # this one attachment cannot be unpacked: quarantine it, keep the rest
            for added in self.members[mark:]:
                added.path.unlink(missing_ok=True)
            del self.members[mark:]
            self.total = total
            member = Member(path=target, display_name=display, parent=parent, error=(exc.code.value, exc.message))
            self.members[index] = member
        return member

    def failed(self, display: str, parent: str | None, code: ReasonCode, message: str, data: bytes) -> None:
        """An attachment that cannot be taken out (a link to a cloud file, a broken part): noted, quarantined."""
        self.add(data, display, parent)
        last = self.members[-1]
        self.members[-1] = Member(path=last.path, display_name=last.display_name, parent=parent,
                                  error=(code.value, message))

    # -- containers -------------------------------------------------------------------------------
    def unpack_file(self, path: Path, *, parent: str | None, depth: int) -> None:
        with path.open("rb") as fh:
            head = fh.read(8)
        if head.startswith(_TNEF):
            self.tnef_file(path, parent, depth)
        elif head.startswith(_OLE):
            self.msg_file(path, parent, depth)
        elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            self.zip_file(path, parent, depth)
        elif path.suffix.lower() in {".zip", ".msg"}:
            raise ExtractionError(ReasonCode.WRONG_TYPE,
                                  f"An attachment named {path.suffix} is not a {path.suffix[1:]} file")
        else:
            self.eml_file(path, parent, depth)

    def folder(self, root: Path) -> None:
        for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
            rel_depth = len(Path(dirpath).relative_to(root).parts)
            if rel_depth >= MAX_DEPTH:
                dirnames.clear()
            dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
            for name in sorted(filenames):
                if is_ignored(name):
                    continue
                path = Path(dirpath) / name
                st = path.lstat()
                if not stat.S_ISREG(st.st_mode):
                    raise ExtractionError(ReasonCode.NOT_A_REGULAR_FILE,
                                          "The folder contains a link or special file, which is not allowed")
                if st.st_size > self.limits.max_file_mb * 1024 * 1024:
                    raise ExtractionError(ReasonCode.TOO_LARGE,
                                          f"A file in the folder is over {self.limits.max_file_mb} MB")
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
                with os.fdopen(fd, "rb") as fh:
                    data = fh.read(self.limits.max_file_mb * 1024 * 1024 + 1)
                self.add(data, name, None, depth=0)

    def zip_file(self, path: Path, parent: str | None, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ExtractionError(ReasonCode.DAMAGED, "The zip file is damaged") from exc
        with archive:
            infos = archive.infolist()
            if len(infos) > self.limits.max_zip_members:
                raise ExtractionError(ReasonCode.TOO_LARGE,
                                      f"The zip has more than {self.limits.max_zip_members} members")
            declared = sum(i.file_size for i in infos)
            if declared > self.limits.max_unzipped_mb * 1024 * 1024:
                raise ExtractionError(ReasonCode.TOO_LARGE,
                                      f"The zip unpacks to more than {self.limits.max_unzipped_mb} MB")
            for info in infos:
                _check_member_path(info.filename)
            for info in infos:
                if info.is_dir():
                    continue
                base = PurePosixPath(info.filename.replace("\\", "/")).name
                if is_ignored(base) or info.filename.startswith("__MACOSX/"):
                    continue
                if info.flag_bits & 0x1:
                    raise ExtractionError(ReasonCode.PASSWORD_PROTECTED, "The zip is password-protected")
                if info.compress_size and info.file_size / info.compress_size > self.limits.max_zip_ratio \
                        and info.file_size > 1024 * 1024:
                    raise ExtractionError(ReasonCode.TOO_LARGE,
                                          "A zip member expands more than the allowed ratio (a zip bomb)")
                self.add(self._read_member(archive, info), base, parent, depth=depth)

    def _read_member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        room = self.limits.max_unzipped_mb * 1024 * 1024 - self.total
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as fh:
                while chunk := fh.read(1024 * 1024):
                    size += len(chunk)
                    if size > room or size > info.file_size + 1024:
                        raise ExtractionError(ReasonCode.TOO_LARGE,
                                              "A zip member unpacks to more than it declares or is allowed")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
            raise ExtractionError(ReasonCode.DAMAGED, "A member of the zip is damaged") from exc
        except RuntimeError as exc:  # encrypted member without a password
            raise ExtractionError(ReasonCode.PASSWORD_PROTECTED, "The zip is password-protected") from exc
        return b"".join(chunks)

    def eml_file(self, path: Path, parent: str | None, depth: int) -> None:
        with path.open("rb") as fh:
            head = fh.read(MAX_HEADER_BYTES + 1)
            header_end = head.find(b"\n\n")
            if header_end < 0 and head.find(b"\r\n\r\n") < 0 and len(head) > MAX_HEADER_BYTES:
                raise ExtractionError(ReasonCode.TOO_LARGE, "The email's headers are too long")
            fh.seek(0)
            try:
                message = email.message_from_binary_file(fh, policy=email.policy.default)
            except Exception as exc:  # noqa: BLE001 - the stdlib parser is lenient; anything else is damage
                raise ExtractionError(ReasonCode.DAMAGED, "The email is damaged") from exc
        if not isinstance(message, EmailMessage) or not message.keys():
            raise ExtractionError(ReasonCode.WRONG_TYPE, "The file is not an email (no email headers)")
        self.email_message(message, parent, depth)

    def email_message(self, message: EmailMessage, parent: str | None, depth: int) -> None:
        _check_mime_depth(message, 0)
        body = _email_body(message)
        self.add(body.encode("utf-8"), "email-body.txt", parent, body=True, depth=depth)
        body_part = None
        try:
            body_part = message.get_body(preferencelist=("plain", "html"))
        except Exception:  # noqa: BLE001
            body_part = None
        count = 0
        for part in message.walk():
            if part is body_part or part.is_multipart():
                continue
            if part.get_content_type() == "message/rfc822" or part.get_content_maintype() == "message":
                continue  # walk() descends into attached messages; their parts are handled there
            filename = part.get_filename()
            if filename is None and part.get_content_disposition() != "attachment" \
                    and part.get_content_maintype() != "application":
                continue  # an alternative body or a logo; a nameless inline PDF (Outlook) is an attachment
            if filename is None:
                filename = "attachment" + (mimetypes.guess_extension(part.get_content_type()) or ".bin")
            count += 1
            if count > self.limits.max_attachments:
                raise ExtractionError(ReasonCode.TOO_LARGE,
                                      f"The email has more than {self.limits.max_attachments} attachments")
            data = part.get_payload(decode=True)
            if not isinstance(data, bytes):
                data = b""
            self.add(data, filename or "attachment.bin", parent, depth=depth)

    def msg_file(self, path: Path, parent: str | None, depth: int) -> None:
        try:
            import extract_msg
        except ImportError as exc:  # pragma: no cover
            raise ExtractionError(ReasonCode.UNSUPPORTED, "Outlook messages cannot be read here") from exc
        try:
            message: Any = extract_msg.openMsg(str(path), delayAttachments=False,
                                               errorBehavior=extract_msg.enums.ErrorBehavior.ATTACH_NOT_IMPLEMENTED)
        except Exception as exc:  # noqa: BLE001 - extract-msg raises many kinds on foreign OLE files
            raise ExtractionError(ReasonCode.DAMAGED,
                                  "The file is not a readable Outlook message (.msg)") from exc
        try:
            self.msg_object(message, parent, depth)
        finally:
            with contextlib.suppress(Exception):
                message.close()

    def msg_object(self, message: Any, parent: str | None, depth: int) -> None:
        body = getattr(message, "body", None) or ""
        if not body and getattr(message, "htmlBody", None):
            body = _html_text(bytes(message.htmlBody).decode("utf-8", "replace"))
        self.add(str(body).encode("utf-8"), "email-body.txt", parent, body=True, depth=depth)
        attachments = list(getattr(message, "attachments", []) or [])
        if len(attachments) > self.limits.max_attachments:
            raise ExtractionError(ReasonCode.TOO_LARGE,
                                  f"The message has more than {self.limits.max_attachments} attachments")
        for att in attachments:
            try:
                name = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or "attachment.bin"
            except Exception:  # noqa: BLE001 - a web attachment has no file name
                name = "attachment"
            try:
                data = getattr(att, "data", None)
            except Exception:  # noqa: BLE001 - extract-msg: NotImplementedError for web/cloud and broken parts
                data = None
            if data is None or not (isinstance(data, bytes) or hasattr(data, "attachments")):
                link = " (a link to a file kept online, not the file itself)" if "web" in type(att).__name__.lower() \
                    else ""
                self.failed(f"{name}.txt" if not str(name).endswith(".txt") else str(name), parent,
                            ReasonCode.UNSUPPORTED,
                            f'The attachment "{safe_name(str(name))}" cannot be taken out of the message{link}.'
                            " Ask the sender to attach the file itself",
                            f"An attachment that could not be taken out of an Outlook message: {name}\n".encode())
                continue
            if isinstance(data, bytes):
                self.add(data, str(name), parent, depth=depth)
            elif data is not None and hasattr(data, "attachments"):  # an embedded Outlook message
                if depth + 1 > MAX_DEPTH:
                    raise ExtractionError(ReasonCode.TOO_LARGE,
                                          f"It nests messages more than {MAX_DEPTH} deep")
                self.msg_object(data, parent, depth + 1)


    def tnef_file(self, path: Path, parent: str | None, depth: int) -> None:
        """winmail.dat (Outlook's TNEF): its attached files, taken out like any email's."""
        from tnefparse import TNEF

        try:
            tnef = TNEF(path.read_bytes())
            attachments = list(tnef.attachments)
        except Exception as exc:  # noqa: BLE001 - tnefparse raises several kinds on damaged data
            raise ExtractionError(ReasonCode.UNSUPPORTED, _TNEF_ADVICE) from exc
        if not attachments:
            raise ExtractionError(ReasonCode.UNSUPPORTED, _TNEF_ADVICE)
        if len(attachments) > self.limits.max_attachments:
            raise ExtractionError(ReasonCode.TOO_LARGE,
                                  f"winmail.dat has more than {self.limits.max_attachments} attachments")
        for att in attachments:
            name = att.long_filename() or (att.name.decode("latin-1") if isinstance(att.name, bytes) else att.name)
            data = att.data if isinstance(att.data, bytes) else b""
            self.add(data, str(name or "attachment.bin"), parent, depth=depth)


def _check_member_path(name: str) -> None:
    posix = PurePosixPath(name.replace("\\", "/"))
    if (name.startswith(("/", "\\")) or ".." in posix.parts or PureWindowsPath(name).drive
            or "\x00" in name):
        raise ExtractionError(ReasonCode.UNSAFE_NAME,
                              "A member of the zip has a path that would leave its folder")


def _check_mime_depth(part: EmailMessage, depth: int) -> None:
    if depth > MAX_MIME_DEPTH:
        raise ExtractionError(ReasonCode.TOO_LARGE, f"The email nests parts more than {MAX_MIME_DEPTH} deep")
    if part.is_multipart():
        for sub in part.iter_parts():
            if isinstance(sub, EmailMessage):
                _check_mime_depth(sub, depth + 1)


def _html_text(text: str) -> str:
    return html.unescape(_TAGS.sub(" ", text))


def _email_body(message: EmailMessage) -> str:
    try:
        part = message.get_body(preferencelist=("plain", "html"))
        if part is None:
            return ""
        content = part.get_content()
    except Exception:  # noqa: BLE001 - an unreadable body is an empty body, the attachments still count
        return ""
    text = content if isinstance(content, str) else ""
    return _html_text(text) if part.get_content_subtype() == "html" else text


def unpack(path: Path, workdir: Path, limits: Limits) -> list[Path]:
    """Unpack an email, Outlook message, zip or folder into `workdir`; return the member files in order.

    Raises ExtractionError (too-large, unsafe-name, damaged, password-protected, …) when the
    container itself cannot be taken. `members(workdir)` gives each member's display name.
    """
    unpacker = _Unpacker(workdir, limits)
    st = path.lstat()
    if stat.S_ISDIR(st.st_mode):
        unpacker.folder(path)
    elif stat.S_ISREG(st.st_mode):
        unpacker.unpack_file(path, parent=None, depth=0)
    else:
        raise ExtractionError(ReasonCode.NOT_A_REGULAR_FILE, "This is not an ordinary file or folder")
    manifest = [{"name": m.path.name, "display": m.display_name, "parent": m.parent, "body": m.body,
                 "error": list(m.error) if m.error else None} for m in unpacker.members]
    fd = os.open(unpacker.workdir / MANIFEST, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh)
    return [m.path for m in unpacker.members]


def members(workdir: Path) -> list[Member]:
    """The members `unpack` wrote into `workdir`, with their display names."""
    data = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    return [Member(path=workdir / d["name"], display_name=d["display"], parent=d["parent"], body=d["body"],
                   error=(d["error"][0], d["error"][1]) if d.get("error") else None) for d in data]
