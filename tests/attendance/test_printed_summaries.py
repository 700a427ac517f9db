"""MIS attendance summaries printed by other tools (Chromium's --print-to-pdf, python-docx through LibreOffice):
stated totals over a table of absence codes, a borderless "Pupil name  value" line, and a table row whose
description wraps (read from the text layer and from a scan of it, real Tesseract)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm

from docgen.kinds import Kind
from docgen.read.extract import extract
from tests.read.scans import noisy, render, scanned_pdf

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
OFFICE = shutil.which("soffice") or shutil.which("libreoffice") or "/usr/bin/soffice"

_CSS = "body{font-family:sans-serif;font-size:11pt} td{border:1px solid #888;padding:2pt 6pt} .bare td{border:none}"


def chromium_pdf(html: str, tmp_path: Path, name: str) -> Path:
    """The HTML printed to PDF by headless Chromium (not by docgen)."""
    source = tmp_path / f"{name}.html"
    source.write_text(f"<html><head><meta charset='utf-8'><style>{_CSS}</style></head><body>{html}</body></html>",
                      encoding="utf-8")
    out = tmp_path / f"{name}.pdf"
    profile = tmp_path / f"{name}-profile"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={profile}", f"--print-to-pdf={out}", "--no-pdf-header-footer", str(source)],
                   check=True, capture_output=True, timeout=120)
    return out


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in pairs)


def _codes(rows: list[tuple[str, str, int]]) -> str:
    return ("<table><tr><td>Code</td><td>Meaning</td><td>Count</td></tr>"
            + "".join(f"<tr><td>{c}</td><td>{d}</td><td>{n}</td></tr>" for c, d, n in rows) + "</table>")


HEADER = ("<p style='font-size:8pt'>Fenmoor Community School - pupil report</p><h2>Student Attendance Report</h2>"
          "<table class='bare'><tr><td>Student name</td><td>Orla Penhallow</td></tr>"
          "<tr><td>UPN</td><td>K801200300014</td></tr></table>")


def test_stated_totals_win_over_a_table_of_absence_codes(tmp_path: Path) -> None:
    """A table listing absences by code is not the whole record: its sum is the absences, never the possible
    sessions (54 here, with attendance 0.0 % — a false fact a letter would then state)."""
    stated = _rows([("Sessions possible", "150"), ("Attendance (sessions)", "96"), ("Authorised absence", "50"),
                    ("Unauthorised absence", "4"), ("Attendance %", "64.0")])
    codes = _codes([("I", "Illness", 44), ("M", "Medical/dental appointment", 6), ("U", "Arrived after registers closed", 4)])
    read = extract(chromium_pdf(f"{HEADER}<table>{stated}</table><h3>Absences by code</h3>{codes}", tmp_path, "s"))
    assert read.kind is Kind.ATTENDANCE, read
    fields = read.fields
    assert (fields["possible_sessions"], fields["attended_sessions"], fields["attendance_pct"]) == (150, 96, 64.0)
    assert (fields["illness_sessions"], fields["medical_sessions"], fields["illness_days"]) == (44, 6, 22)
    assert fields["pupil_name"] == "Orla Penhallow"  # a borderless details table: no colon in its text
    assert read.warnings == []


def test_a_table_of_codes_that_contradicts_the_stated_totals_is_named(tmp_path: Path) -> None:
    """A whole table of codes (present ones too) that adds up to other totals than the report states: the
    stated figures stay, and the warning says which differ, rather than one being picked silently."""
    stated = _rows([("Possible sessions", "120"), ("Sessions attended", "70"), ("Attendance", "58.3%")])
    codes = _codes([("/", "Present AM", 40), ("\\", "Present PM", 38), ("I", "Illness", 30), ("M", "Medical", 2)])
    read = extract(chromium_pdf(f"{HEADER}<table>{stated}</table><h3>Marks by code</h3>{codes}", tmp_path, "c"))
    fields = read.fields
    assert (fields["possible_sessions"], fields["attended_sessions"], fields["attendance_pct"]) == (120, 70, 58.3)
    assert fields["illness_sessions"] == 30
    said = " | ".join(read.warnings)
    assert "possible sessions 120 but its table of codes adds up to 110" in said, said
    assert "attended sessions 70 but its table of codes adds up to 78" in said, said


def _docx_summary(path: Path) -> Path:
    """An MIS summary as a Word export: details and figures in a grid table, absences by code in another
    whose description column is narrow enough for the DfE wording of code I to wrap onto two lines."""
    document = Document()
    document.add_heading("Attendance Summary", level=1)
    details = document.add_table(rows=0, cols=2)
    for label, value in (("Pupil name", "Tobias Wrenfield"), ("Date of birth", "02/02/2013"),
                         ("Possible sessions", "140"), ("Present + AEA", "98"), ("Attendance %", "70.0%")):
        cells = details.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_paragraph("")
    codes = document.add_table(rows=1, cols=3)
    codes.style = "Table Grid"
    codes.rows[0].cells[0].text, codes.rows[0].cells[1].text, codes.rows[0].cells[2].text = "Code", "Description", "Sessions"
    for code, what, n in (("I", "Illness (not medical or dental appointments)", "38"), ("M", "Medical or dental appointments", "4")):
        cells = codes.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = code, what, n
    for row in codes.rows:
        for cell, width in zip(row.cells, (Cm(1.5), Cm(5.0), Cm(2.5)), strict=True):
            cell.width = width
    document.save(str(path))
    return path


def _html_summary(tmp_path: Path) -> Path:
    """The same kind of summary printed by Chromium: its cells middle-aligned, so a count sits between the two
    lines of a wrapped description (OCR gives it a line of its own, its code often lost: ". 67")."""
    html = ("<h2>Pupil Attendance Summary</h2><table class='bare'><tr><td>Pupil name</td><td>Maren Coldwell</td></tr>"
            "<tr><td>Date of birth</td><td>11/11/2012</td></tr></table><table style='width:50%'>"
            "<tr><td>Sessions possible</td><td>132</td></tr><tr><td>Sessions attended</td><td>61</td></tr>"
            "<tr><td>Attendance</td><td>46.2%</td></tr></table>"
            "<h3>Absence by code</h3><table style='width:70%'><tr><th>Code</th><th style='width:50%'>Description</th>"
            "<th>Sessions</th></tr>"
            "<tr><td>I</td><td>Illness (not medical or dental appointments)</td><td style='text-align:right'>67</td></tr>"
            "<tr><td>M</td><td>Medical or dental appointments</td><td style='text-align:right'>4</td></tr></table>")
    return chromium_pdf(html, tmp_path, "summary")


def _office_pdf(tmp_path: Path) -> Path:
    source = _docx_summary(tmp_path / "summary.docx")
    subprocess.run([OFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=150)
    return tmp_path / "summary.pdf"


@pytest.mark.parametrize(("printed", "expected"), [
    ("docx", ("Tobias Wrenfield", 140, 98, 70.0, 38, 4)),
    ("html", ("Maren Coldwell", 132, 61, 46.2, 67, 4)),
])
def test_a_scanned_summary_reads_its_name_and_its_wrapped_illness_row(
        tmp_path: Path, printed: str, expected: tuple[object, ...]) -> None:
    """Printed (LibreOffice, Chromium), scanned at 200 dpi with speckle: OCR gives the code table's wrapped row
    as "Illness (not medical or" / a count, on that line or its own / "dental appointments)", the code cell's
    lone "I" often lost, and the details as "Pupil name Tobias Wrenfield" with no colon."""
    pdf = _office_pdf(tmp_path) if printed == "docx" else _html_summary(tmp_path)
    pages = render(pdf, tmp_path, dpi=200)
    read = extract(scanned_pdf([noisy(p) for p in pages], tmp_path / "summary-scan.pdf", dpi=200))
    assert read.method.value == "ocr" and read.kind is Kind.ATTENDANCE, read
    fields = read.fields
    got = tuple(fields[k] for k in ("pupil_name", "possible_sessions", "attended_sessions", "attendance_pct",
                                    "illness_sessions", "medical_sessions"))
    assert got == expected


def test_an_unread_scanned_summary_is_not_called_a_grid() -> None:
    """A scanned record whose figures OCR did not read is named by what it is: a summary's figures (its labels
    are on the page) or a grid's marks; the request built on it must not call a summary a grid."""
    from docgen.attendance import SCANNED_GRID, scanned_reason

    summary = "Attendance Summary\nPupil name Idris Fenwick\nSessions possible\nPresent\nAuthorised absence\nAttendance %"
    assert "attendance summary could not be read" in scanned_reason(summary)
    assert scanned_reason("Attendance Record (herringbone)\nWeek Mon Tue Wed Thu Fri\nw/c 01/09/2025") == SCANNED_GRID


def test_a_summary_that_contradicts_itself_goes_to_a_person(tmp_path: Path) -> None:
    """`docgen check`: the contradiction is an R-DATA-UNCERTAIN finding naming the record (review), not only a
    warning in the extraction that no report shows."""
    import datetime as dt

    from docgen.rules.check import check_submission, read_submission
    from docgen.samples.builder import write_submission

    today = dt.date(2026, 3, 2)
    stated = _rows([("Possible sessions", "120"), ("Sessions attended", "70"), ("Attendance", "58.3%")])
    codes = _codes([("/", "Present AM", 40), ("\\", "Present PM", 38), ("I", "Illness", 30), ("M", "Medical", 2)])
    summary = chromium_pdf(f"<h2>Attendance Summary</h2><table>{stated}</table><h3>Marks by code</h3>{codes}",
                           tmp_path, "attendance-summary")
    sub = write_submission(tmp_path / "sent", "accepted", seed=1, today=today, fmt="pdf")
    for record in sub.folder.glob("*.csv"):
        record.unlink()  # the school's export is replaced by the printed summary
    findings = check_submission(read_submission([sub.folder, summary]), today=today).findings
    named = [f.message for f in findings if f.rule == "R-DATA-UNCERTAIN" and "attendance-summary.pdf" in f.message]
    assert len(named) == 3, [f.message for f in findings]  # possible, attended, %
    assert "possible sessions 120 but its table of codes adds up to 110" in named[0]
    assert "attendance 58.3% but its table of codes adds up to 70.9%" in named[2]


def test_a_summary_upn_whose_check_letter_ocr_misread(tmp_path: Path) -> None:
    """OCR text of a summary's details: "UPN 2873300512022" (Z read as 2) is the UPN its digits call for; one
    its digits cannot put right is not read (a warning), never given as a UPN without its letter."""
    from docgen.attendance import from_tables
    from docgen.kinds import Method

    figures = "Possible sessions 120\nSessions attended 80\nAttendance 66.7%\n"
    read = from_tables(tmp_path / "a.pdf", [], f"Attendance Summary\nUPN 2873300512022\n{figures}", Method.OCR)
    assert read is not None and read.fields["pupil_upn"] == "Z873300512022"
    read = from_tables(tmp_path / "a.pdf", [], f"Attendance Summary\nUPN 5873300512022\n{figures}", Method.OCR)
    assert read is not None and read.fields["pupil_upn"] is None and any("UPN not read" in w for w in read.warnings)
