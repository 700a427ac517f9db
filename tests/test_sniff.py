"""sniff: real type by content; hostile and broken inputs refused with their SPEC §9 code (generated here)."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from extract_msg.ole_writer import OleWriter
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.read.sniff import FileType, sniff

LIMITS = Limits()


def make_pdf(path: Path, pages: int = 1) -> Path:
    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.drawString(72, 720, f"Page {n + 1} of an invented letter")
        c.showPage()
    c.save()
    return path


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Medical Needs Service Referral Form")
    document.save(str(path))
    return path


def refused(path: Path, limits: Limits = LIMITS) -> ExtractionError:
    with pytest.raises(ExtractionError) as info:
        sniff(path, limits)
    message = str(info.value)
    assert path.name in message and "\n" not in message
    return info.value


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy a zip, replacing (or adding) members."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename not in replace:
                zout.writestr(item, zin.read(item.filename))
        for name, data in replace.items():
            zout.writestr(name, data)
    return target


def test_supported_types_by_content(tmp_path: Path) -> None:
    assert sniff(make_pdf(tmp_path / "a.pdf"), LIMITS) is FileType.PDF
    assert sniff(make_docx(tmp_path / "a.docx"), LIMITS) is FileType.DOCX
    workbook = openpyxl.Workbook()
    workbook.active.append(["date", "am", "pm"])
    workbook.save(str(tmp_path / "a.xlsx"))
    assert sniff(tmp_path / "a.xlsx", LIMITS) is FileType.XLSX
    (tmp_path / "a.csv").write_text("date,am,pm\n05/01/2026,/,\\\n", encoding="utf-8")
    assert sniff(tmp_path / "a.csv", LIMITS) is FileType.CSV
    (tmp_path / "notes.txt").write_text("Dear Colleague,\nInvented text.\n", encoding="utf-8")
    assert sniff(tmp_path / "notes.txt", LIMITS) is FileType.TXT
    (tmp_path / "m.eml").write_bytes(b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Referral\r\n\r\nHi\r\n")
    assert sniff(tmp_path / "m.eml", LIMITS) is FileType.EML
    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as zf:
        zf.writestr("referral.pdf", make_pdf(tmp_path / "x.pdf").read_bytes())
    assert sniff(tmp_path / "bundle.zip", LIMITS) is FileType.ZIP


def test_docx_with_other_extension_is_still_docx(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "a.docx")
    for name in ("form.bin", "form", "form.pdf"):
        target = tmp_path / name
        target.write_bytes(source.read_bytes())
        assert sniff(target, LIMITS) is FileType.DOCX


def test_outlook_msg_by_its_streams(tmp_path: Path) -> None:
    writer = OleWriter()
    writer.addEntry("__substg1.0_0037001F", "Referral".encode("utf-16-le"))
    writer.addEntry("__properties_version1.0", b"\0" * 32)
    writer.write(str(tmp_path / "mail.msg"))
    assert sniff(tmp_path / "mail.msg", LIMITS) is FileType.MSG


@pytest.mark.parametrize("content", [b"", b"   \n\t  \r\n"])
def test_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(content)
    assert refused(path).code is ReasonCode.EMPTY


def test_not_regular_files_never_opened(tmp_path: Path) -> None:
    (tmp_path / "letter.docx").mkdir()
    assert refused(tmp_path / "letter.docx").code is ReasonCode.NOT_A_REGULAR_FILE
    make_pdf(tmp_path / "real.pdf")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "real.pdf")
    assert refused(tmp_path / "link.pdf").code is ReasonCode.NOT_A_REGULAR_FILE
    fifo = tmp_path / "a.pdf"
    os.mkfifo(fifo)
    outcome: list[ReasonCode] = []
    worker = threading.Thread(target=lambda: outcome.append(refused(fifo).code), daemon=True)
    worker.start()
    worker.join(30)
    assert outcome == [ReasonCode.NOT_A_REGULAR_FILE], "a FIFO must be refused without blocking on open"


def test_wrong_type_says_what_the_content_is(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"GIF89a" + b"\x00" * 200)
    error = refused(path)
    assert error.code is ReasonCode.WRONG_TYPE
    assert "not a PDF" in str(error) and "GIF" in str(error)
    binary = tmp_path / "data.docx"
    binary.write_bytes(bytes(range(256)) * 4)
    assert refused(binary).code is ReasonCode.WRONG_TYPE


def test_password_protected_pdf_but_owner_password_only_is_fine(tmp_path: Path) -> None:
    writer = PdfWriter(clone_from=PdfReader(str(make_pdf(tmp_path / "plain.pdf"))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    writer.write(str(tmp_path / "locked.pdf"))
    error = refused(tmp_path / "locked.pdf")
    assert error.code is ReasonCode.PASSWORD_PROTECTED and "unprotected copy" in str(error)
    writer = PdfWriter(clone_from=PdfReader(str(tmp_path / "plain.pdf")))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    writer.write(str(tmp_path / "perms.pdf"))
    assert sniff(tmp_path / "perms.pdf", LIMITS) is FileType.PDF


def test_truncated_pdf_is_damaged(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "full.pdf", pages=3).read_bytes()
    (tmp_path / "half.pdf").write_bytes(data[: len(data) // 2])
    assert refused(tmp_path / "half.pdf").code is ReasonCode.DAMAGED


def test_too_many_pdf_pages(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "long.pdf", pages=4)
    assert refused(path, Limits(max_pdf_pages=3)).code is ReasonCode.TOO_LARGE


def test_encrypted_and_old_office_files(tmp_path: Path) -> None:
    writer = OleWriter()
    writer.addEntry("EncryptionInfo", b"\x04\x00\x04\x00" + b"\0" * 100)
    writer.addEntry("EncryptedPackage", b"\0" * 5000)
    writer.write(str(tmp_path / "locked.docx"))
    assert refused(tmp_path / "locked.docx").code is ReasonCode.PASSWORD_PROTECTED
    writer = OleWriter()
    writer.addEntry("WordDocument", b"\0" * 5000)
    writer.write(str(tmp_path / "old.doc"))
    error = refused(tmp_path / "old.doc")
    assert error.code is ReasonCode.OLD_FORMAT and "docx" in str(error)
    writer = OleWriter()
    writer.addEntry("Workbook", b"\0" * 5000)
    writer.write(str(tmp_path / "old.xls"))
    assert refused(tmp_path / "old.xls").code is ReasonCode.OLD_FORMAT


def test_macro_enabled_and_templates(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(source) as zf:
        types = zf.read("[Content_Types].xml")
    macro_types = types.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    macro = rezip(source, tmp_path / "m.docx", {"[Content_Types].xml": macro_types})
    assert refused(macro).code is ReasonCode.MACRO_ENABLED
    vba = rezip(source, tmp_path / "v.docx", {"word/vbaProject.bin": b"\0" * 64})
    assert refused(vba).code is ReasonCode.MACRO_ENABLED
    template = types.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
    assert refused(rezip(source, tmp_path / "t.docx", {"[Content_Types].xml": template})).code is \
        ReasonCode.MACRO_ENABLED


@pytest.mark.parametrize("dtd", [
    b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>',
])
def test_unsafe_xml_in_any_part(tmp_path: Path, dtd: bytes) -> None:
    source = make_docx(tmp_path / "a.docx")
    with zipfile.ZipFile(source) as zf:
        body = zf.read("word/document.xml")
    head, rest = body.split(b"?>", 1)
    evil = rezip(source, tmp_path / "evil.docx", {"word/document.xml": head + b"?>" + dtd + rest})
    assert refused(evil).code is ReasonCode.UNSAFE_XML
    styles = rezip(source, tmp_path / "styles.docx", {"word/styles.xml": b"<?xml version='1.0'?>" + dtd + b"<x/>"})
    assert refused(styles).code is ReasonCode.UNSAFE_XML


def test_zip_limits(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "a.docx")
    bomb = rezip(source, tmp_path / "bomb.docx", {"word/media/zeros.bin": b"\0" * (6 * 1024 * 1024)})
    assert refused(bomb, Limits(max_unzipped_mb=5)).code is ReasonCode.TOO_LARGE
    assert refused(bomb, Limits(max_zip_ratio=100)).code is ReasonCode.TOO_LARGE
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for n in range(12):
            zf.writestr(f"f{n}.txt", "x")
    assert refused(many, Limits(max_zip_members=10)).code is ReasonCode.TOO_LARGE


def test_zip_lying_about_its_size(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", b"A" * (3 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    real = (3 * 1024 * 1024).to_bytes(4, "little")
    small = (1000).to_bytes(4, "little")
    data = bytearray(bytes(data).replace(real, small))  # local header and central directory both lie
    (tmp_path / "liar.zip").write_bytes(bytes(data))
    assert refused(tmp_path / "liar.zip").code in {ReasonCode.DAMAGED, ReasonCode.TOO_LARGE}


def test_truncated_docx_is_damaged(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "a.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    assert refused(tmp_path / "cut.docx").code is ReasonCode.DAMAGED


def test_file_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as f:
        f.write(b"%PDF-1.7\n")
        f.truncate(2 * 1024 * 1024)
    assert refused(path, Limits(max_file_mb=1)).code is ReasonCode.TOO_LARGE
