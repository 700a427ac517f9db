"""The unsafe-XML check of Office files (defusedxml's expat, forbid DTD/entities/external) on crafted parts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.read.sniff import FileType, sniff

XXE = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>'
LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
          b"<lolz>&lol2;</lolz>")


def _docx(path: Path, replace: dict[str, bytes]) -> Path:
    plain = path.with_name("plain.docx")
    document = Document()
    document.add_paragraph("Referral attached.")
    document.save(str(plain))
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, replace.get(info.filename, source.read(info)))
        for name, data in replace.items():
            if name not in source.namelist():
                out.writestr(name, data)
    return path


@pytest.mark.parametrize(("member", "data"), [
    ("word/document.xml", XXE),
    ("word/styles.xml", LAUGHS),
    ("[Content_Types].xml", XXE),
    ("word/_rels/document.xml.rels", "\ufeff".encode("utf-16-le") + XXE.decode().encode("utf-16-le")),
    ("customXml/item1.xml", b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE a SYSTEM "http://x/a.dtd"><a/>'),
    ("word/footer9.xml", b"<w:ftr><broken></w:ftr>\n" + XXE),  # malformed first: the rest is still scanned
])
def test_declarations_anywhere_are_unsafe(tmp_path: Path, member: str, data: bytes) -> None:
    path = _docx(tmp_path / "evil.docx", {member: data})
    with pytest.raises(ExtractionError) as caught:
        sniff(path, Limits())
    assert caught.value.code is ReasonCode.UNSAFE_XML


def test_an_ordinary_document_passes_even_mentioning_doctype_in_text(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("The school typed <!DOCTYPE html> into the notes box.")  # escaped text, not a DTD
    document.save(str(tmp_path / "ok.docx"))
    assert sniff(tmp_path / "ok.docx", Limits()) is FileType.DOCX


@pytest.mark.parametrize(("head", "named"), [
    (b"Rar!\x1a\x07\x00", "a RAR archive"),
    (b"\x1f\x8b\x08\x00", "a gzip archive"),
    (b"fLaC\x00\x00\x00\x22", "an audio file"),
    (b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm", "a video"),  # WebM: not in docgen's own list before filetype
    (b"wOFF\x00\x01\x00\x00", "a font file"),
])
def test_a_file_of_another_kind_is_named_by_what_it_is(tmp_path: Path, head: bytes, named: str) -> None:
    path = tmp_path / "referral.pdf"  # the name says PDF; the content does not
    path.write_bytes(head + bytes(range(256)) * 4)
    with pytest.raises(ExtractionError) as caught:
        sniff(path, Limits())
    assert caught.value.code is ReasonCode.WRONG_TYPE
    assert named in caught.value.message


@pytest.mark.parametrize(("member", "data"), [
    ("word/theme/theme1.xml", XXE),  # parts no reader parses get the quick byte scan, then expat on any hit
    ("word/stylesWithEffects.xml", b"<?xml version='1.0' encoding='UTF-8'?>\n<!doctype w [<!ENTITY a 'b'>]><w/>"),
    ("word/webSettings.xml", b'<?xml version="1.0" encoding="US-ASCII"?><!DOCTYPE a SYSTEM "http://x/a.dtd"><a/>'),
    ("word/fontTable.xml", b'<?xml version="1.0" encoding="windows-1252"?><!DOCTYPE a SYSTEM "http://x/a.dtd"><a/>'),
])
def test_quickly_scanned_parts_are_still_caught(tmp_path: Path, member: str, data: bytes) -> None:
    path = _docx(tmp_path / "evil.docx", {member: data})
    with pytest.raises(ExtractionError) as caught:
        sniff(path, Limits())
    assert caught.value.code is ReasonCode.UNSAFE_XML


def test_a_declaration_only_in_a_comment_is_cleared_by_expat_as_before(tmp_path: Path) -> None:
    theme = b'<?xml version="1.0"?><!-- pasted from a web page: <!DOCTYPE html> --><a:theme xmlns:a="urn:a"/>'
    path = _docx(tmp_path / "comment.docx", {"word/theme/theme1.xml": theme})
    assert sniff(path, Limits()) is FileType.DOCX


def test_only_parts_python_docx_parses_are_vouched_for_as_well_formed(tmp_path: Path) -> None:
    from docgen.read.sniff import well_formed_parts

    path = _docx(tmp_path / "ordinary.docx", {})
    assert sniff(path, Limits()) is FileType.DOCX
    vouched = well_formed_parts(path)
    assert vouched is not None
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml", "docProps/core.xml"} <= vouched
    assert not vouched & {"word/stylesWithEffects.xml", "word/theme/theme1.xml", "_rels/.rels"}


def test_a_part_seen_before_is_known_by_its_bytes_and_only_by_them(tmp_path: Path) -> None:
    """expat's well-formedness verdict is remembered by a part's SHA-256 (python-docx files share a 350 KB
    styles part; a school's template shares most parts): the same bytes get the same verdict, other bytes
    are read again, and the DTD search runs on every part whatever is remembered (issue 21)."""
    import hashlib

    from docgen.read import xmlscan
    from docgen.read.sniff import well_formed_parts

    first = _docx(tmp_path / "first.docx", {})
    styles = zipfile.ZipFile(first).read("word/styles.xml")
    assert sniff(first, Limits()) is FileType.DOCX
    assert xmlscan._WELL_FORMED.get(hashlib.sha256(styles).digest()) is True
    again = _docx(tmp_path / "again.docx", {"word/document.xml": zipfile.ZipFile(first).read("word/document.xml")
                                            .replace(b"Referral attached.", b"Another referral.")})
    assert sniff(again, Limits()) is FileType.DOCX
    assert "word/styles.xml" in (well_formed_parts(again) or set())
    cut = _docx(tmp_path / "cut.docx", {"word/styles.xml": styles[:-20]})  # the known part, cut short
    assert sniff(cut, Limits()) is FileType.DOCX
    assert "word/styles.xml" not in (well_formed_parts(cut) or set())
    declared = _docx(tmp_path / "declared.docx", {"word/styles.xml": styles.replace(
        b"?>", b'?><!DOCTYPE w:styles [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1)})
    with pytest.raises(ExtractionError) as caught:
        sniff(declared, Limits())
    assert caught.value.code is ReasonCode.UNSAFE_XML


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><a><b/></a>',
    b'<?xml version="1.0"?><a><b></a>',  # malformed
    b"<a>" + b"<b>x</b>" * 400_000 + b"</a>",  # larger than what is held: expat as it arrives
    b"<a>" + b"<b>x</b>" * 400_000 + b"</b>",
    "\ufeff<a>\u00e9</a>".encode("utf-16-le"),  # another encoding: expat as it arrives
    b'<?xml version="1.0" encoding="UTF-8"?><!-- a pasted <!DOCTYPE html> --><a/>',  # a comment: expat clears it
    XXE,
])
def test_the_remembered_verdict_is_expats_verdict(data: bytes) -> None:
    from docgen.read.xmlscan import VouchScan, XmlScan

    def verdict(scan: VouchScan | XmlScan) -> tuple[bool, bool]:
        for start in range(0, len(data), 64 * 1024):
            scan.feed(data[start:start + 64 * 1024])
        return scan.close(), scan.unsafe

    expected = verdict(XmlScan())
    assert verdict(VouchScan()) == expected
    assert verdict(VouchScan()) == expected  # the second time, remembered when it was held
