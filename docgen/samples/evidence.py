"""Writers of invented supporting documents: medical letters, fit notes, attendance, planning records.

Each produces a real file, as a clinic, a GP surgery or a school's MIS would send it.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from docgen.config import DEFAULT_TERM_DATES
from docgen.dates import long_date
from docgen.samples.data import Pupil

# --- evidence: letters and fit notes ------------------------------------------------------------------


def _long_date(day: dt.date) -> str:
    return long_date(day)


def write_medical_letter(
    path: Path,
    pupil: Pupil,
    *,
    fmt: str = "docx",
    role: str = "Consultant Paediatrician",
    seen: bool | None = True,
    diagnosis: str | None = None,
    treatment: str | None = "is receiving regular treatment and follow-up in clinic, which at present "
                            "prevents full-time attendance at school",
    other_services: str | None = "the community paediatric team and the school nursing service",
    reintegration: str | None = "a phased return to school, starting with short visits, a named keyworker "
                                "and a safe space to use when symptoms are worse",
    date: dt.date | None = None,
    seen_on: dt.date | None = None,
    name: str | None = None,
    organisation: str | None = None,
) -> Path:
    """A free-text letter from an invented NHS clinic about the pupil (DOCX or PDF).

    `seen` True says the writer reviewed the child in clinic on `seen_on`; False says the writer
    has not seen them; None says neither. `other_services` / `reintegration` None leave them out.
    `date` defaults to the system date (pass one for deterministic files).
    """
    date = date or dt.date.today()
    seen_on = seen_on or date - dt.timedelta(days=7)
    name = name or _doctor(pupil.clinician, role)
    organisation = organisation or _service_for(role, pupil.organisation)
    diagnosis = diagnosis or pupil.diagnosis
    first = pupil.forename
    body: list[str] = ["Dear Colleague,"]
    if seen is True:
        body.append(f"I reviewed {first} in clinic on {_long_date(seen_on)} with {pupil.possessive} "
                    f"{pupil.parent_relationship.lower()}, and I am writing to support {pupil.possessive} "
                    "referral to the Medical Needs Service.")
    elif seen is False:
        body.append(f"I have not seen {first} myself. This letter is based on {pupil.possessive} "
                    f"{pupil.parent_relationship.lower()}'s account and the notes held by our service.")
    else:
        body.append(f"I am writing in support of {first}'s referral to the Medical Needs Service.")
    body.append(f"Diagnosis: {diagnosis}.")
    if treatment:
        body.append(f"{first} {treatment}.")
    if other_services:
        body.append(f"I have referred {first} to {other_services}.")
    if reintegration:
        body.append(f"To support {pupil.possessive} return to full-time education I recommend {reintegration}.")
    body.append("Please do not hesitate to contact me if you need further information.")
    letterhead = [organisation, "Westmere NHS Foundation Trust", "Riverside Clinic, 4 Quay Road, Norwich NR3 9ZZ",
                  "Telephone 01603 000111"]
    heading = [_long_date(date), "", "To: The Medical Needs Coordinator, Norfolk County Council", "",
               f"Re: {pupil.name}, DOB {pupil.dob:%d/%m/%Y}", f"Address: {pupil.address}, {pupil.postcode}"]
    signature = ["Yours sincerely,", "", name, role, organisation]
    return _write_document(path, fmt, letterhead, heading, body, signature)


def _doctor(name: str, role: str) -> str:
    """A doctor's role is signed "Dr …"."""
    medical = any(w in role.lower() for w in ("consultant", "paediatrician", "psychiatrist", "practitioner (gp)",
                                              "general practitioner", "registrar"))
    return f"Dr {name}" if medical and not name.startswith("Dr ") else name


def _service_for(role: str, default: str) -> str:
    """An invented service that fits the writer's role."""
    low = role.lower()
    if "paediatric" in low:
        return "Eastwold Community Paediatrics"
    if "camhs" in low or "mental health" in low or "psychiatr" in low or "psycholog" in low:
        return "Riverside Child and Adolescent Mental Health Team"
    if "general practitioner" in low or low == "gp":
        return "Quayside Medical Practice"
    return default


def write_fit_note(path: Path, pupil: Pupil, *, date: dt.date, condition: str | None = None,
                   weeks: int = 4, doctor: str = "Dr Harriet Colville") -> Path:
    """An adult "Statement of Fitness for Work" (PDF) — not acceptable evidence (policy §11.2.2)."""
    rows = [
        ["Patient's name", pupil.name],
        ["I assessed your case on", date.strftime("%d/%m/%Y")],
        ["and, because of the following condition(s):", condition or pupil.diagnosis],
        ["I advise you that:", "you are not fit for work"],
        ["This will be the case for", f"{weeks} weeks"],
        ["Doctor's name", doctor],
        ["Date of statement", date.strftime("%d/%m/%Y")],
        ["Surgery", "Quayside Medical Practice, Norwich NR3 9ZY"],
    ]
    styles = getSampleStyleSheet()
    story: list[Any] = [Paragraph("Statement of Fitness for Work", styles["Title"]),
                        Paragraph("For social security or Statutory Sick Pay", styles["Normal"]), Spacer(1, 12)]
    table = Table(rows, colWidths=[200, 280])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "#888888"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    SimpleDocTemplate(str(path), pagesize=A4, title="Statement of Fitness for Work").build(story)
    return path


def _write_document(path: Path, fmt: str, letterhead: list[str], heading: list[str], body: list[str],
                    signature: list[str]) -> Path:
    if fmt == "pdf":
        styles = getSampleStyleSheet()
        story: list[Any] = [Paragraph(f"<b>{_xml(letterhead[0])}</b>", styles["Heading2"])]
        story += [Paragraph(_xml(line), styles["Normal"]) for line in letterhead[1:]]
        story.append(Spacer(1, 16))
        story += [Paragraph(_xml(line), styles["Normal"]) if line else Spacer(1, 8) for line in heading]
        story.append(Spacer(1, 12))
        for paragraph in body:
            story += [Paragraph(_xml(paragraph), styles["Normal"]), Spacer(1, 8)]
        story += [Paragraph(_xml(line), styles["Normal"]) if line else Spacer(1, 16) for line in signature]
        SimpleDocTemplate(str(path), pagesize=A4, title=f"Letter from {letterhead[0]}").build(story)
        return path
    if fmt != "docx":
        raise ValueError(f"unknown letter format {fmt!r} (docx or pdf)")
    document = Document()
    top = document.add_paragraph()
    top.add_run(letterhead[0]).bold = True
    for line in letterhead[1:]:
        document.add_paragraph(line).runs[0].font.size = Pt(9)
    for block in (heading, body, signature):
        for line in block:
            document.add_paragraph(line)
    document.save(str(path))
    return path


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- attendance and the planning record ---------------------------------------------------------------


def _school_day_test() -> Callable[[dt.date], bool]:
    """Whether a day is a school day, by the shipped term dates (any weekday outside them)."""
    try:
        from docgen.calendar import SchoolCalendar

        calendar = SchoolCalendar.load(DEFAULT_TERM_DATES)
    except Exception:  # noqa: BLE001 - no usable term dates: every weekday counts
        return lambda day: day.weekday() < 5
    return lambda day: bool(calendar.is_school_day(day)) if calendar.covers(day) else day.weekday() < 5


def write_attendance_csv(path: Path, pupil: Pupil, *, start: dt.date, sessions: int,
                         illness_ratio: float = 0.5) -> Path:
    """A session list (`date,am,pm`) after a `Label,value` header block (SPEC §5).

    `sessions` possible sessions from `start` on school days; the last `illness_ratio` of the days
    are illness (`I`) in both sessions, the rest present (`/`).
    """
    is_school_day = _school_day_test()
    days: list[dt.date] = []
    day = start
    while len(days) * 2 < sessions:
        if is_school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    ill_from = len(days) - round(len(days) * illness_ratio)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Pupil name", pupil.name])
        writer.writerow(["Date of birth", pupil.dob.strftime("%d/%m/%Y")])
        writer.writerow(["UPN", pupil.upn])
        writer.writerow(["School", pupil.school_name])
        writer.writerow([])
        writer.writerow(["date", "am", "pm"])
        for i, school_day in enumerate(days):
            mark = "I" if i >= ill_from else "/"
            writer.writerow([school_day.strftime("%d/%m/%Y"), mark, mark])
    return path


def write_planning_record(path: Path, pupil: Pupil, *, meeting: dt.date, provision_start: dt.date,
                          review: dt.date | None = None) -> Path:
    """An Initial Planning and Review Record as a school returns it (DOCX)."""
    document = Document()
    document.add_heading("Initial Planning and Review Record", level=1)
    document.add_paragraph("Part A — Initial planning meeting")
    rows = [
        ("Pupil name", pupil.name), ("Date of birth", pupil.dob.strftime("%d/%m/%Y")),
        ("School", pupil.school_name), ("Date of planning meeting", meeting.strftime("%d/%m/%Y")),
        ("Provision start date", provision_start.strftime("%d/%m/%Y")),
        ("Attendees", f"{pupil.parent_name} (parent/carer), {pupil.referrer_name} (school), "
                      "Medical Needs Service tutor"),
        ("Package of provision", "Five hours a week of one-to-one tuition at home"),
    ]
    if review is not None:
        rows.append(("Part B — Date of review meeting", review.strftime("%d/%m/%Y")))
        rows.append(("Reintegration steps agreed", "Short visits to school with the keyworker each week"))
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.save(str(path))
    return path
