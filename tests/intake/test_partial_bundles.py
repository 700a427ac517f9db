"""One bad attachment never sinks an email (issue 15): that part is quarantined by the sender's name, the
rest is processed; winmail.dat (TNEF) is unpacked; a PDF named .zip is read by its content."""

from __future__ import annotations

import datetime as dt
import json
import struct
from email.message import EmailMessage
from pathlib import Path

from .conftest import TODAY, Run


def _attr(level: int, ident: int, data: bytes) -> bytes:
    """One TNEF attribute as MS-OXTNEF §2.1.3 lays it out: level, id, length, data, checksum."""
    return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def winmail_dat(files: list[tuple[str, bytes]]) -> bytes:
    """An Outlook winmail.dat (TNEF) carrying these files, written from the format's spec."""
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += _attr(1, 0x00089006, struct.pack("<I", 0x00010000))  # attTnefVersion
    out += _attr(1, 0x00069007, struct.pack("<II", 1252, 0))  # attOemCodepage
    for name, data in files:
        out += _attr(2, 0x00069002, struct.pack("<HIIII", 1, 0xFFFFFFFF, 0, 0, 0)[:14])  # attAttachRendData
        out += _attr(2, 0x00018010, name.encode() + b"\0")  # attAttachTitle
        out += _attr(2, 0x0006800F, data)  # attAttachData
    return out


def _forms(tmp_path: Path, seed: int) -> tuple[Path, Path, Path]:
    from docgen.samples.builder import (
        jmp_health_values,
        make_pupil,
        referral_values,
        write_form_docx,
        write_form_pdf,
    )
    from docgen.samples.evidence import write_attendance_csv

    today = dt.date.fromisoformat(TODAY)
    pupil = make_pupil(seed, today=today)
    referral = write_form_pdf(tmp_path / "referral.pdf", "referral", referral_values(pupil, today=today))
    health = write_form_docx(tmp_path / "health-form.docx", "jmp_health", jmp_health_values(pupil, today=today))
    attendance = write_attendance_csv(tmp_path / "attendance.csv", pupil, start=today - dt.timedelta(days=60),
                                      sessions=60)
    return referral, health, attendance


def _email(attachments: list[tuple[str, bytes, str]]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "office@school.example"
    msg["To"] = "medicalneeds@example.org"
    msg["Subject"] = "Referral (invented)"
    msg.set_content("Forms attached.")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def test_email_with_a_pdf_named_zip_a_broken_zip_and_a_winmail_dat_keeps_every_good_part(
        ihome: Path, run: Run, tmp_path: Path) -> None:
    referral, health, attendance = _forms(tmp_path, 61)
    mail = _email([
        ("referral.pdf", referral.read_bytes(), "application/pdf"),
        ("attendance.zip", attendance.read_bytes(), "application/zip"),  # a CSV named .zip: read by content
        ("scans.zip", b"PK\x03\x04" + b"\x00" * 40, "application/zip"),  # a zip cut short
        ("winmail.dat", winmail_dat([(health.name, health.read_bytes())]), "application/ms-tnef"),
    ])
    (ihome / "inbox" / "mail.eml").write_bytes(mail)
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [q["file"] for q in report["quarantined"]] == ["scans.zip"], report
    reason = (ihome / "quarantine" / "scans.zip.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("damaged: ") and "0" not in reason.split(":")[0]
    assert "-scans.zip" not in reason  # never our work name
    documents = {d["file"]: d["kind"] for d in report["processed"][0]["documents"]}
    assert documents["referral.pdf"] == "referral"
    assert documents["health-form.docx"] == "jmp_health"  # out of winmail.dat
    assert documents["attendance.zip"] == "attendance"
    cases = {d["case"] for d in report["processed"][0]["documents"]}
    assert len(cases) == 1 and None not in cases
    assert list((ihome / "inbox").iterdir()) == []


def test_a_winmail_dat_that_cannot_be_unpacked_is_quarantined_alone_with_what_to_ask_for(
        ihome: Path, run: Run, tmp_path: Path) -> None:
    referral, _health, _attendance = _forms(tmp_path, 62)
    broken = b"\x78\x9f\x3e\x22" + b"\x01\x00" + b"\xff" * 64
    (ihome / "inbox" / "mail.eml").write_bytes(_email([
        ("referral.pdf", referral.read_bytes(), "application/pdf"),
        ("winmail.dat", broken, "application/ms-tnef"),
    ]))
    report = json.loads(run("process", "--json").stdout)
    assert [q["file"] for q in report["quarantined"]] == ["winmail.dat"]
    reason = (ihome / "quarantine" / "winmail.dat.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("unsupported: ") and "resend the documents as ordinary attachments" in reason
    assert report["processed"][0]["case"] is not None
    assert [d["kind"] for d in report["processed"][0]["documents"]] == ["referral"]


def test_a_bad_attachment_inside_a_zip_inside_an_email_is_quarantined_by_its_own_name(
        ihome: Path, run: Run, tmp_path: Path) -> None:
    import io
    import zipfile

    referral, health, _attendance = _forms(tmp_path, 63)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("health-form.docx", health.read_bytes())
        zf.writestr("ihcp (locked).pdf", b"")
    (ihome / "inbox" / "mail.eml").write_bytes(_email([
        ("referral.pdf", referral.read_bytes(), "application/pdf"),
        ("evidence.zip", inner.getvalue(), "application/zip"),
    ]))
    report = json.loads(run("process", "--json").stdout)
    assert [q["file"] for q in report["quarantined"]] == ["ihcp (locked).pdf"]
    assert (ihome / "quarantine" / "ihcp (locked).pdf.reason.txt").read_text().startswith("empty: ")
    kinds = sorted(d["kind"] for d in report["processed"][0]["documents"])
    assert "jmp_health" in kinds and "referral" in kinds
