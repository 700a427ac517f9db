"""A herringbone printed, scanned and sent as a picture: a grid of "/" and "\\" marks that OCR drops (Tesseract
throws single strokes in cells away), laid out by fpdf2 (not by docgen), rendered by poppler and speckled.
Its marks are read from the grid's image (`docgen.read.herringbone`): the same figures as the PDF it was
printed from, so the case has its attendance record. (One whose marks cannot be told is named as sent but
unreadable: tests/read/test_ocr_herringbone_grid.py.)"""

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


def test_a_scanned_herringbone_is_read_from_its_grid(tmp_path: Path) -> None:
    printed = herringbone_pdf(tmp_path / "herringbone.pdf")
    pages = render(printed, tmp_path, dpi=200)
    scan = scanned_pdf([noisy(p) for p in pages], tmp_path / "attendance-scan.pdf", dpi=200)
    read = extract(scan)
    assert read.method.value == "ocr" and read.kind is Kind.ATTENDANCE and read.status is Reading.READ
    as_printed = extract(printed)  # the PDF's own text layer: what the scan must give
    keys = ("possible_sessions", "attended_sessions", "illness_sessions", "attendance_pct", "first_date", "last_date",
            "pupil_name", "pupil_dob", "school_name")
    assert {k: read.fields[k] for k in keys} == {k: as_printed.fields[k] for k in keys}
    assert read.confidence is not None and min(read.confidence[k] for k in keys) >= 80

    sub = write_submission(tmp_path / "paper", "accepted", seed=1, today=TODAY, fmt="pdf")
    for record in sub.folder.glob("*.csv"):
        record.unlink()  # the school's export is replaced by the scanned print-out
    docs = read_submission([sub.folder, scan])
    findings = check_submission(docs, today=TODAY).findings
    assert not [f for f in findings if f.rule in ("R-DOCS-ATTENDANCE", "R-DATA-UNCERTAIN")], findings
