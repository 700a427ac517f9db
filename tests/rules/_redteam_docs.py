"""Independent writers of red-team submission documents (not docgen.samples.builder): DOCX with python-docx,
PDF letters with reportlab, CSV attendance records, and DOCX → PDF through LibreOffice in one batch.

Everything here is invented data. The layouts imitate what schools and clinics really send: a
referral as a label/value table or "Label: value" paragraphs (with aliases), a form printed to
PDF, free-text letters, a fit note, session lists and herringbone grids.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.shared import Cm
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

_CHECK = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(body: str) -> str:
    """A UPN with its DfE check letter (computed here, independently of docgen)."""
    total = sum(w * (int(c) if c.isdigit() else _CHECK.index(c)) for w, c in enumerate(body, start=2))
    return _CHECK[total % 23] + body


# --- referral labels: the printed ones (SPEC §3.1) and a school's own wording (aliases) ---------------

PRINTED = {
    "pupil_forename": "Legal forename(s)", "pupil_surname": "Legal surname", "pupil_dob": "Date of birth",
    "pupil_gender": "Gender", "pupil_upn": "Unique Pupil Number (UPN)",
    "pupil_year_group": "National Curriculum year group", "pupil_address": "Home address",
    "pupil_postcode": "Postcode", "pupil_on_roll": "Is the young person on the roll of a school?",
    "pupil_ehe": "Is the young person electively home educated?",
    "pupil_looked_after": "Is the young person a looked after child?",
    "social_worker": "Social worker name and contact details", "pupil_ehcp": "Does the young person have an EHCP?",
    "ehcp_coordinator": "EHCP coordinator", "pupil_sen_support": "Is the young person receiving SEN support?",
    "repeating_year_11": "Is the young person repeating Year 11 for medical reasons?",
    "parent_name": "Parent/carer name", "parent_relationship": "Relationship to the young person",
    "parent_phone": "Parent/carer telephone", "parent_email": "Parent/carer email", "school_name": "School name",
    "referrer_name": "Name of person making the referral", "referrer_role": "Role of person making the referral",
    "referrer_email": "Referrer email", "referrer_phone": "Referrer telephone",
    "dsl_name": "Designated Safeguarding Lead (DSL)", "dsl_email": "DSL email", "senco_name": "SENCO",
    "health_condition": "Nature of the health need or diagnosis",
    "health_professionals": "Health professionals involved",
    "first_absence_date": "First day of absence for health reasons",
    "days_absent": "School days absent for health reasons this academic year",
    "expected_absence_weeks": "Expected length of absence (weeks)",
    "hospital_inpatient": "Is the young person currently a hospital in-patient?",
    "pregnancy_related": "Is the absence related to pregnancy?",
    "awaiting_special_school_place": "Is the young person awaiting a special school place?",
    "previous_referral": "Has the young person been referred to the Medical Needs Service before?",
    "ehe_exceptional_circumstances": "Exceptional circumstances (electively home educated only)",
    "chk_policy_followed": "School's own Medical Needs policy checked and all procedures followed",
    "chk_jon_contacted": "Just One Number contacted for advice",
    "jon_contact_date": "Date Just One Number was contacted",
    "chk_health_advice": "Health professionals contacted and Health Care Plan set up",
    "chk_parent_meeting": "Meeting with parent/carer", "chk_senco_assessment": "SENCO assessment (if SEND identified)",
    "consent_jon": "Parent/carer consent obtained before contacting Just One Number",
    "consent_health_contact": "Parent/carer consents to the Medical Needs Coordinator contacting health professionals",
    "consent_given_by": "Consent given by", "consent_date": "Date consent given",
    "school_support_declaration": "The school will continue to set work and carry out welfare checks until "
                                  "provision begins",
    "referral_date": "Date of referral",
}

ALIASES = dict(PRINTED, **{
    "pupil_forename": "First name", "pupil_surname": "Surname", "pupil_dob": "DOB", "pupil_upn": "UPN",
    "pupil_year_group": "Year group", "pupil_address": "Address", "pupil_postcode": "Post code",
    "pupil_on_roll": "On roll", "pupil_ehe": "EHE", "pupil_looked_after": "Looked after child",
    "pupil_ehcp": "EHCP", "pupil_sen_support": "SEN support", "repeating_year_11": "Repeating Year 11",
    "parent_name": "Parent name", "parent_relationship": "Relationship", "parent_phone": "Parent phone",
    "school_name": "Name of school", "referrer_name": "Referrer name", "referrer_role": "Referrer role",
    "referrer_phone": "Referrer phone", "dsl_name": "DSL name", "health_condition": "Medical condition",
    "health_professionals": "Professionals involved", "first_absence_date": "Absent since",
    "days_absent": "Days absent", "expected_absence_weeks": "Expected absence (weeks)",
    "hospital_inpatient": "Hospital inpatient", "pregnancy_related": "Pregnancy related",
    "awaiting_special_school_place": "Awaiting special school place", "previous_referral": "Previously referred",
    "chk_jon_contacted": "JON contacted", "jon_contact_date": "JON contact date",
    "chk_policy_followed": "School medical needs policy followed",
})

HEALTH_LABELS = {
    "pupil_forename": "Legal forename(s)", "pupil_surname": "Legal surname", "pupil_dob": "Date of birth",
    "school_name": "School name", "professional_name": "Name of health professional",
    "professional_role": "Profession or role", "professional_organisation": "Service or organisation",
    "professional_registration": "Professional registration number (GMC/NMC/HCPC)",
    "seen_in_person": "Have you seen the young person in person?",
    "last_seen_date": "Date the young person was last seen", "contact_type": "How was the young person seen?",
    "diagnosis": "Health condition or diagnosis", "treatment": "Current treatment and its effect on school attendance",
    "other_services": "Referrals to or involvement of other services",
    "reintegration_advice": "How the young person may best be supported to reintegrate into full-time education",
    "unfit_for_school": "Is the young person currently unfit to attend school?",
    "expected_duration_weeks": "Expected duration (weeks)", "statement_date": "Date of this statement",
}

CONSENT_LABELS = {
    "pupil_forename": "Legal forename(s)", "pupil_surname": "Legal surname", "pupil_dob": "Date of birth",
    "consent_name": "Name of person giving consent", "consent_relationship": "Relationship to the young person",
    "consent_share_health": "I consent to information being shared between health services, the school and the "
                            "Medical Needs Service",
    "consent_date": "Date",
}

CONTINUATION_LABELS = {
    "case_reference": "Medical Needs case reference", "pupil_forename": "Legal forename(s)",
    "pupil_surname": "Legal surname", "pupil_dob": "Date of birth", "pupil_upn": "Unique Pupil Number (UPN)",
    "school_name": "School name", "referrer_name": "Name of person making the referral",
    "referrer_role": "Role of person making the referral", "referrer_email": "Referrer email",
    "provision_start_date": "Date the current provision started",
    "current_provision": "Summary of the current package of provision",
    "progress_summary": "Progress made during the current period",
    "reintegration_progress": "Progress towards reintegration into school",
    "continuation_reason": "Why the young person is not yet able to return to school",
    "review_meeting_date": "Date of the most recent review meeting", "request_date": "Date of request",
}


def _rows(values: dict[str, str], labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(labels[k], v) for k, v in values.items() if k in labels]


def form_docx_table(path: Path, title: str, values: dict[str, str], labels: dict[str, str],
                    intro: str | None = None) -> Path:
    """A form as a school's own Word document: title, then a two-column label | value table."""
    doc = Document()
    doc.add_heading(title, level=1)
    if intro:
        doc.add_paragraph(intro)
    rows = _rows(values, labels)
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).text = label
        table.cell(i, 1).text = value
    doc.save(str(path))
    return path


def form_docx_paragraphs(path: Path, title: str, values: dict[str, str], labels: dict[str, str],
                         headings: Sequence[tuple[str, str]] = ()) -> Path:
    """A form typed as "Label: value" paragraphs, with section headings before given keys."""
    doc = Document()
    doc.add_heading(title, level=1)
    before = dict((k, h) for k, h in headings)
    for label_key, value in values.items():
        if label_key not in labels:
            continue
        if label_key in before:
            doc.add_heading(before[label_key], level=2)
        doc.add_paragraph(f"{labels[label_key]}: {value}")
    doc.save(str(path))
    return path


def letter_docx(path: Path, lines: Sequence[str]) -> Path:
    """A free-text letter as a Word document, one paragraph per line."""
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def letter_pdf(path: Path, lines: Sequence[str]) -> Path:
    """A free-text letter as a PDF with a text layer (reportlab), long lines wrapped at ~95 characters."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    y = 800.0
    pdf.setFont("Helvetica", 10)
    for line in lines:
        chunks = _wrap(line, 95) or [""]
        for chunk in chunks:
            if y < 60:
                pdf.showPage()
                pdf.setFont("Helvetica", 10)
                y = 800.0
            pdf.drawString(50, y, chunk)
            y -= 14
        y -= 6
    pdf.save()
    return path


def _wrap(text: str, width: int) -> list[str]:
    out: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    return out


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Weekdays from start to end, less the 2025-26 Norfolk holidays this corpus crosses."""
    holidays = [(dt.date(2025, 10, 27), dt.date(2025, 10, 31)), (dt.date(2025, 12, 20), dt.date(2026, 1, 4)),
                (dt.date(2026, 2, 16), dt.date(2026, 2, 20)), (dt.date(2026, 3, 28), dt.date(2026, 4, 12))]
    days = []
    d = start
    while d <= end:
        if d.weekday() < 5 and not any(a <= d <= b for a, b in holidays):
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def _marks(start: dt.date, end: dt.date, illness_days: int) -> dict[dt.date, tuple[str, str]]:
    days = school_days(start, end)
    ill = set(days[len(days) - illness_days:]) if illness_days else set()
    return {d: ("I", "I") if d in ill else ("/", "\\") for d in days}


def attendance_sessions_csv(path: Path, header: dict[str, str], *, start: dt.date, end: dt.date,
                            illness_days: int) -> Path:
    """A session-list export: a `Label,value` header block, a blank line, then `date,am,pm` rows."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        for label, value in header.items():
            out.writerow([label, value])
        out.writerow([])
        out.writerow(["Date", "AM", "PM"])
        for day, (am, pm) in _marks(start, end, illness_days).items():
            out.writerow([day.strftime("%d/%m/%Y"), am, pm])
    return path


def attendance_grid_csv(path: Path, header: dict[str, str], *, start: dt.date, end: dt.date,
                        illness_days: int) -> Path:
    """A herringbone grid: one row per week (w/c Monday) with ten marks Mon AM … Fri PM."""
    marks = _marks(start, end, illness_days)
    monday = start - dt.timedelta(days=start.weekday())
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        for label, value in header.items():
            out.writerow([label, value])
        out.writerow([])
        out.writerow(["Week commencing"] + [f"{d} {s}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri")
                                           for s in ("AM", "PM")])
        while monday <= end:
            row = [f"w/c {monday:%d/%m/%Y}"]
            days = [monday + dt.timedelta(days=i) for i in range(5)]
            if not any(d in marks for d in days):
                monday += dt.timedelta(days=7)
                continue
            for d in days:
                row += list(marks.get(d, ("-", "-")))
            out.writerow(row)
            monday += dt.timedelta(days=7)
    return path


def attendance_grid_docx(path: Path, header: dict[str, str], *, start: dt.date, end: dt.date,
                         illness_days: int, date_cm: float = 3.4) -> Path:
    """A herringbone as a Word table (as an MIS report saved to Word): details, then week rows of ten marks."""
    marks = _marks(start, end, illness_days)
    doc = Document()
    doc.add_heading("Attendance Record (Herringbone)", level=1)
    for label, value in header.items():
        doc.add_paragraph(f"{label}: {value}")
    weeks: list[list[str]] = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        days = [monday + dt.timedelta(days=i) for i in range(5)]
        if any(d in marks for d in days):
            weeks.append([f"{monday:%d/%m/%Y}"] + [m for d in days for m in marks.get(d, ("-", "-"))])
        monday += dt.timedelta(days=7)
    table = doc.add_table(rows=len(weeks) + 1, cols=11)
    table.style = "Table Grid"
    heads = ["w/c"] + [f"{d} {s}" for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for s in ("AM", "PM")]
    for j, text in enumerate(heads):
        table.cell(0, j).text = text
    for i, row in enumerate(weeks, start=1):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    table.autofit = False
    for j, column in enumerate(table.columns):
        column.width = Cm(date_cm) if j == 0 else Cm(1.2)
    for row in table.rows:  # a date column wide enough not to wrap, as MIS reports print it
        for j, cell in enumerate(row.cells):
            cell.width = Cm(date_cm) if j == 0 else Cm(1.2)
    doc.save(str(path))
    return path


def convert_to_pdf(docx_files: Sequence[Path]) -> None:
    """Print DOCX files to PDF beside them with LibreOffice, in one converter call per folder set."""
    if not docx_files:
        return
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to print the red-team forms to PDF")
    with tempfile.TemporaryDirectory(prefix="redteam-lo-") as profile, \
            tempfile.TemporaryDirectory(prefix="redteam-out-") as work:
        staged = []
        for i, docx in enumerate(docx_files):  # unique names: two cases may both have "referral.docx"
            staged.append(Path(work) / f"doc{i}.docx")
            shutil.copy(docx, staged[-1])
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", work, *map(str, staged)], check=True, capture_output=True, timeout=300)
        for docx, copy in zip(docx_files, staged, strict=True):
            shutil.move(str(copy.with_suffix(".pdf")), str(docx.with_suffix(".pdf")))
            docx.unlink()
