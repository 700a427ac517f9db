"""An MIS attendance summary that prints each count beside its share of the possible sessions ("Possible
sessions   136   100.0%"), drawn by reportlab (not by docgen), read from its text layer and from a scan of it
(poppler, Pillow's JPEG, real Tesseract; issue 19, SPEC §5/§16).

The count was read without its last digit (136 as 13): the figure's digits gave way so that it was not
followed by another figure. And a summary's figures must agree with each other (possible = attended +
absences, % = attended / possible): when they do not, a digit was misread or the school slipped, and none of
them is trusted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.attendance.figures import CONFLICT_NOTE
from docgen.kinds import Kind, Method
from docgen.read.extract import extract

from .scans import render, scanned_pdf

OFFICE = shutil.which("soffice") or shutil.which("libreoffice") or "/usr/bin/soffice"

# hand-counted: 47 + 85 + 4 = 136 possible; 47 / 136 = 34.56 % -> 34.6; illness 81 sessions = 40.5 days
TRUTH = {"possible_sessions": 136, "attended_sessions": 47, "authorised_absence_sessions": 85,
         "unauthorised_absence_sessions": 4, "illness_sessions": 81, "medical_sessions": 4,
         "attendance_pct": 34.6, "illness_days": 40.5, "pupil_name": "Tamsin Okoro-Vale", "pupil_dob": "2015-02-14"}


def summary_pdf(path: Path, rows: list[tuple[str, str, str]], notes: list[str]) -> Path:
    """A one-page summary: a title, the pupil's details, a table of label / sessions / % of possible."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(60, 780, "Attendance Summary")
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 762, "Holmbrook Primary School")
    y = 730
    for label, value in (("Pupil", "Tamsin Okoro-Vale"), ("Date of birth:", "14/02/2015"),
                         ("Period:", "02/09/2026 - 18/12/2026")):
        pdf.drawString(60, y, label)
        pdf.drawString(170, y, value)
        y -= 16
    y -= 20
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(60, y, "Category")
    pdf.drawRightString(380, y, "Sessions")
    pdf.drawRightString(480, y, "% of possible")
    pdf.setFont("Helvetica", 10)
    for label, count, share in rows:
        y -= 22
        pdf.drawString(60, y, label)
        pdf.drawRightString(380, y, count)
        pdf.drawRightString(480, y, share)
    y -= 40
    for note in notes:
        pdf.drawString(60, y, note)
        y -= 18
    pdf.save()
    return path


def agreeing(path: Path) -> Path:
    return summary_pdf(path, [("Possible sessions", "136", "100.0%"), ("Sessions attended (incl. late)", "47", "34.6%"),
                              ("Authorised absences", "85", "62.5%"), ("  of which illness (I)", "81", "59.6%"),
                              ("  of which medical/dental (M)", "4", "2.9%"), ("Unauthorised absences", "4", "2.9%")],
                       ["Overall attendance: 34.6%", "Days lost to illness: 40.5"])


def disagreeing(path: Path) -> Path:
    """The same record as the school might print it with a slip (or as OCR might misread it): unauthorised
    absences 40, not 4, so possible is not attended + absences (though the % is attended over possible)."""
    return summary_pdf(path, [("Possible sessions:", "136", ""), ("Attended sessions:", "47", ""),
                              ("Authorised absences:", "85", ""), ("Unauthorised absences:", "40", "")],
                       ["Attendance: 34.6%"])


def test_a_count_beside_its_share_is_read_whole_from_the_text_layer(tmp_path: Path) -> None:
    read = extract(agreeing(tmp_path / "summary.pdf"))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH
    assert not [w for w in read.warnings if w.startswith(CONFLICT_NOTE)], read.warnings


def test_a_count_beside_its_share_is_read_whole_from_a_scan(tmp_path: Path) -> None:
    pages = render(agreeing(tmp_path / "summary.pdf"), tmp_path, dpi=200)
    read = extract(scanned_pdf(pages, tmp_path / "scan.pdf", dpi=200, quality=70))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH
    assert read.confidence is not None and min(read.confidence[key] for key in TRUTH) >= 80, read.confidence


def test_a_word_processor_summary_with_present_and_approved_activity(tmp_path: Path) -> None:
    """SIMS-like: "Pupil<tab>name" with no colon, present and approved educational activity apart (attended is
    their sum), authorised absences with their share in brackets; python-docx, printed by LibreOffice."""
    document = Document()
    document.add_heading("Student Attendance Summary", 1)
    for label, value in (("Pupil", "Noor Haddad-Lyle"), ("Date of birth", "03/03/2012"), ("UPN", "A801200300019")):
        document.add_paragraph(f"{label}\t\t{value}")
    table = document.add_table(rows=0, cols=2)
    for label, value in (("Sessions possible", "136"), ("Present", "40"), ("Approved educational activity", "7"),
                         ("Authorised absences", "85 (62.5%)"), ("Unauthorised absences", "4 (2.9%)"),
                         ("Attendance %", "34.6")):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    source = tmp_path / "sims.docx"
    document.save(str(source))
    subprocess.run([OFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    read = extract(tmp_path / "sims.pdf")
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    # 40 present + 7 approved activity = 47 attended; 47 + 85 + 4 = 136; 47 / 136 = 34.6 %
    assert {key: read.fields[key] for key in ("possible_sessions", "attended_sessions", "authorised_absence_sessions",
                                              "unauthorised_absence_sessions", "attendance_pct", "pupil_name",
                                              "pupil_dob")} == {
        "possible_sessions": 136, "attended_sessions": 47, "authorised_absence_sessions": 85,
        "unauthorised_absence_sessions": 4, "attendance_pct": 34.6, "pupil_name": "Noor Haddad-Lyle",
        "pupil_dob": "2012-03-03"}
    assert not [w for w in read.warnings if w.startswith(CONFLICT_NOTE)], read.warnings


def test_figures_that_disagree_are_named_from_the_text_layer(tmp_path: Path) -> None:
    read = extract(disagreeing(tmp_path / "slip.pdf"))
    assert read.kind is Kind.ATTENDANCE, read
    assert read.fields["possible_sessions"] == 136 and read.fields["unauthorised_absence_sessions"] == 40
    notes = [w for w in read.warnings if w.startswith(CONFLICT_NOTE)]
    assert len(notes) == 1 and "make 172" in notes[0], read.warnings


def test_figures_that_disagree_are_never_trusted_from_a_scan(tmp_path: Path) -> None:
    pages = render(disagreeing(tmp_path / "slip.pdf"), tmp_path, dpi=200)
    read = extract(scanned_pdf(pages, tmp_path / "scan.pdf", dpi=200, quality=70))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, read
    assert read.fields["possible_sessions"] == 136 and read.fields["unauthorised_absence_sessions"] == 40
    assert read.confidence is not None
    assert max(read.confidence[key] for key in ("possible_sessions", "attended_sessions", "unauthorised_absence_sessions",
                                                "attendance_pct")) < 80


def test_attended_of_possible_on_the_percentage_line_is_read(tmp_path: Path) -> None:
    """Arbor-like: "Attendance: 34.6% (47 of 136 sessions)", no line of its own for either count."""
    read = extract(summary_pdf(tmp_path / "arbor.pdf", [("Authorised absences", "85", ""),
                                                        ("Unauthorised absences", "4", "")],
                               ["Attendance: 34.6% (47 of 136 sessions)"]))
    assert read.kind is Kind.ATTENDANCE, read
    assert {key: read.fields[key] for key in ("possible_sessions", "attended_sessions", "authorised_absence_sessions",
                                              "unauthorised_absence_sessions", "attendance_pct")} == {
        "possible_sessions": 136, "attended_sessions": 47, "authorised_absence_sessions": 85,
        "unauthorised_absence_sessions": 4, "attendance_pct": 34.6}
    assert not [w for w in read.warnings if w.startswith(CONFLICT_NOTE)], read.warnings


def test_a_percentage_the_counts_do_not_give_is_named(tmp_path: Path) -> None:
    """No attended line: attended is possible less the absences (136 - 85 - 4 = 47), 34.6 %, not the 40.0 %
    printed — one of them misread or mistyped, so the figures go to a person."""
    read = extract(summary_pdf(tmp_path / "pct.pdf", [("Possible sessions:", "136", ""),
                                                      ("Authorised absences:", "85", ""),
                                                      ("Unauthorised absences:", "4", "")],
                               ["Attendance: 40.0%"]))
    assert read.kind is Kind.ATTENDANCE and read.fields["attendance_pct"] == 40.0, read
    notes = [w for w in read.warnings if w.startswith(CONFLICT_NOTE)]
    assert len(notes) == 1 and "47 of 136" in notes[0] and "34.6%" in notes[0], read.warnings
