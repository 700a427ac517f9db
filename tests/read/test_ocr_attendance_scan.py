"""A herringbone printed, scanned and sent as a picture: a grid of "/" and "\\" marks that OCR drops (Tesseract
throws single strokes in cells away), laid out by fpdf2 (not by docgen), rendered by poppler and speckled.
Its marks are not read, but it was sent: the request names it and asks for an export, never "No attendance
record was sent" (a letter that would be false)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdf import FPDF

from docgen.kinds import Kind, Reading
from docgen.read.extract import extract
from docgen.rules.check import check_submission, read_submission
from docgen.samples.builder import write_submission

from .scans import noisy, render, scanned_pdf

TODAY = dt.date(2026, 3, 2)


def herringbone_pdf(path: Path) -> Path:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Attendance Record", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in ("Pupil: Ellis Marram    Date of birth: 14/03/2014", "School: Harrowby Fen Academy",
                 "Date range: 01/09/2025 to 27/02/2026"):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
    pdf.cell(30, 7, "Week", border=1)
    for day in days:
        pdf.cell(16, 7, day, border=1, align="C")
    pdf.ln()
    start = dt.date(2025, 9, 1)
    for week in range(12):
        pdf.cell(30, 7, f"w/c {start + dt.timedelta(weeks=week):%d/%m/%Y}", border=1)
        for day in range(5):
            am, pm = ("I", "I") if (week * 5 + day) % 3 == 0 else ("/", "\\")
            pdf.cell(8, 7, am, border=1, align="C")
            pdf.cell(8, 7, pm, border=1, align="C")
        pdf.ln()
    pdf.output(str(path))
    return path


def test_a_scanned_herringbone_is_named_as_sent_not_called_missing(tmp_path: Path) -> None:
    pages = render(herringbone_pdf(tmp_path / "herringbone.pdf"), tmp_path, dpi=200)
    scan = scanned_pdf([noisy(p) for p in pages], tmp_path / "attendance-scan.pdf", dpi=200)
    read = extract(scan)
    assert read.method.value == "ocr" and read.kind is Kind.UNKNOWN and read.status is Reading.ATTENDANCE_UNREADABLE

    sub = write_submission(tmp_path / "paper", "accepted", seed=1, today=TODAY, fmt="pdf")
    for record in sub.folder.glob("*.csv"):
        record.unlink()  # the school's export is replaced by the scanned print-out
    docs = read_submission([sub.folder, scan])
    found = [f.message for f in check_submission(docs, today=TODAY).findings if f.rule == "R-DOCS-ATTENDANCE"]
    assert len(found) == 1, found
    assert "attendance-scan.pdf was sent but its marks cannot be read" in found[0]
    assert "export" in found[0] and "No attendance record was sent" not in found[0]
