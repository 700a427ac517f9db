"""Hostile and faulty inbox files, generated at test time (nothing committed), with the expected code."""

from __future__ import annotations

import io
import os
import zipfile
from email.message import EmailMessage

from pypdf import PdfWriter


def simple_pdf(text: str = "Hello") -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def minimal_docx(document_xml: str, *, content_type: str | None = None, extra: dict[str, bytes] | None = None,
                 ) -> bytes:
    main = content_type or "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    types = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/word/document.xml" ContentType="{main}"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PLAIN_XML = f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>'
XXE_XML = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document {W}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')


def zip_bomb_docx() -> bytes:
    return minimal_docx(PLAIN_XML, extra={"word/media/bomb.bin": b"\0" * (300 * 1024 * 1024)})


def docm() -> bytes:
    return minimal_docx(PLAIN_XML, content_type="application/vnd.ms-word.document.macroEnabled.main+xml",
                        extra={"word/vbaProject.bin": b"\0" * 64})


def ole_doc() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(2000) + b"\xff\xd9"


def traversal_eml() -> bytes:
    msg = EmailMessage()
    msg["From"] = "school@example.org"
    msg["To"] = "medicalneeds@example.org"
    msg["Subject"] = "Invented referral for a made-up child"
    msg.set_content("Please find attached. (All invented.)")
    pdf = simple_pdf()
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename="../../etc/passwd.pdf")
    msg.add_attachment(pdf + b"\n%2", maintype="application", subtype="pdf", filename="..\\..\\x.pdf")
    msg.add_attachment(pdf + b"\n%3", maintype="application", subtype="pdf", filename="/abs/x.pdf")
    msg.add_attachment(pdf + b"\n%4", maintype="application", subtype="pdf", filename="C:\\x.pdf")
    return msg.as_bytes()


# name → (bytes, expected quarantine code); every one of these must be quarantined.
# (A DOCX renamed .pdf is read by content as a DOCX by docgen.read.sniff, so it is not listed here; an OLE
# header with no Word stream inside is reported as damaged or old-format.)
HOSTILE: dict[str, tuple[bytes, str]] = {
    "empty.pdf": (b"", "empty"),
    "truncated.pdf": (simple_pdf()[:300], "damaged"),
    "photo.pdf": (jpeg(), "damaged"),  # a JPEG is read by OCR (SPEC §16); this one's pixels are noise
    "anim.pdf": (b"GIF89a" + bytes(200), "wrong-type"),
    "bomb.docx": (zip_bomb_docx(), "too-large"),
    "xxe.docx": (minimal_docx(XXE_XML), "unsafe-xml"),
    "locked.pdf": (encrypted_pdf(), "password-protected"),
    "macro.docm": (docm(), "macro-enabled"),
}
