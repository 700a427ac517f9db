"""Writers of invented sample documents: filled forms, plain tables, letters, fit notes, attendance.

Each writer produces a real file as a school, a clinic or another tool would send it. Values
are Python values keyed by the data dictionary (see `docgen.samples_data`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from docgen.config import DEFAULT_TERM_DATES, FORM_TEMPLATES
from docgen.forms import FORMS
from docgen.forms.blank import display_value, fill_content_control, write_blank_docx, write_blank_pdf
from docgen.forms.schema import Field
from docgen.forms.types import Bool, Date, YearGroup
from docgen.samples_data import Pupil

# --- the project's own forms, filled ------------------------------------------------------------------


@functools.cache
def blank_form(kind: str, suffix: str) -> Path:
    """The shipped blank form `form_templates/forms/<kind>.<suffix>`, or a freshly generated copy."""
    shipped = FORM_TEMPLATES / "forms" / f"{kind}.{suffix}"
    if shipped.is_file():
        return shipped
    made = Path(tempfile.mkdtemp(prefix="docgen-blank-")) / f"{kind}.{suffix}"
    writer = write_blank_pdf if suffix == "pdf" else write_blank_docx
    return writer(FORMS[kind], made)


def write_form_pdf(path: Path, kind: str, values: dict[str, Any]) -> Path:
    """Fill the project's blank PDF form with pypdf: text and choice fields, Yes/No radio groups."""
    writer = _filled_writer(kind, values)
    with path.open("wb") as out:
        writer.write(out)
    return path


def _filled_writer(kind: str, values: dict[str, Any]) -> PdfWriter:
    schema = FORMS[kind]
    writer = PdfWriter(clone_from=blank_form(kind, "pdf"))
    text: dict[str, str] = {}
    buttons: dict[str, str] = {}
    for key, value in values.items():
        f = schema[key]
        if value is None:
            continue
        if isinstance(f.type, Bool):
            buttons[key] = "/Yes" if value else "/No"
        else:
            text[key] = display_value(f, value)
    writer.update_page_form_field_values(None, text, auto_regenerate=True)
    _set_radio_groups(writer, buttons)
    writer.set_need_appearances_writer(True)
    return writer


GLYPH_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def write_flattened_pdf(path: Path, kind: str, values: dict[str, Any]) -> Path:
    """Fill the project's PDF form, then flatten it: the answers become page content, no fields remain.

    Typed answers keep their appearance; Yes/No boxes are drawn as ☒/☐ text (as many print
    drivers do) when the DejaVu font is installed, so the ticks stay readable as text.
    """
    writer = _filled_writer(kind, values)
    glyphs = GLYPH_FONT.is_file()
    boxes: list[list[tuple[float, float, bool]]] = []
    for page in writer.pages:
        commands: list[str] = []
        page_boxes: list[tuple[float, float, bool]] = []
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        if "/XObject" not in resources:
            resources[NameObject("/XObject")] = DictionaryObject()
        xobjects = cast(DictionaryObject, resources["/XObject"].get_object())
        for i, ref in enumerate(page.get("/Annots", []) or []):
            widget = ref.get_object()
            appearance = widget.get("/AP", {}).get("/N")
            if appearance is None:
                continue
            appearance = appearance.get_object()
            x, y = (float(v) for v in widget["/Rect"][:2])
            if "/Subtype" not in appearance:  # a button: one appearance per state
                if glyphs:
                    page_boxes.append((x, y, widget.get("/AS", "/Off") != "/Off"))
                    continue
                appearance = appearance.get(widget.get("/AS", "/Off"))
                if appearance is None:
                    continue
            name = NameObject(f"/Flat{i}")
            xobjects[name] = appearance.indirect_reference or writer._add_object(appearance)
            commands.append(f"q 1 0 0 1 {x:.2f} {y:.2f} cm {name} Do Q")
        if commands:
            stream = DecodedStreamObject()
            stream.set_data("\n".join(commands).encode())
            contents = page.raw_get("/Contents")
            resolved = contents.get_object()
            existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([*existing, writer._add_object(stream)])
        boxes.append(page_boxes)
    writer.remove_annotations(subtypes="/Widget")
    del writer._root_object[NameObject("/AcroForm")]
    if glyphs:
        overlay = PdfReader(io.BytesIO(_box_glyphs(boxes, writer)))
        for page, drawn in zip(writer.pages, overlay.pages, strict=True):
            page.merge_page(drawn)
    with path.open("wb") as out:
        writer.write(out)
    return path


def _box_glyphs(boxes: list[list[tuple[float, float, bool]]], writer: PdfWriter) -> bytes:
    """Pages of ☒/☐ glyphs at the given box positions, to lay over the flattened form."""
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(GLYPH_FONT)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)
    for page, page_boxes in zip(writer.pages, boxes, strict=True):
        canvas.setPageSize((float(page.mediabox.width), float(page.mediabox.height)))
        canvas.setFont("DejaVuSans", 12)
        for x, y, ticked in page_boxes:
            canvas.drawString(x - 0.5, y + 1, "☒" if ticked else "☐")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _set_radio_groups(writer: PdfWriter, buttons: dict[str, str]) -> None:
    """Select an export value of each named radio group: the group's /V and each widget's /AS."""
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            parent = widget.get("/Parent")
            if parent is None:
                continue
            group = parent.get_object()
            value = buttons.get(str(group.get("/T", "")))
            if value is None:
                continue
            states = widget["/AP"]["/N"]
            assert isinstance(states, DictionaryObject)
            widget[NameObject("/AS")] = NameObject(value if value in states else "/Off")
            group[NameObject("/V")] = NameObject(value)


def write_form_docx(path: Path, kind: str, values: dict[str, Any]) -> Path:
    """Fill the project's blank DOCX form: each content control tagged by a key gets its value."""
    schema = FORMS[kind]
    document = Document(str(blank_form(kind, "docx")))
    for sdt in list(document.element.body.iter(qn("w:sdt"))):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        key = tag.get(qn("w:val")) if tag is not None else None
        if key in values and key in schema:
            fill_content_control(sdt, schema[key], values[key])
    document.save(str(path))
    return path


# --- other tools' renderings: plain tables, paragraphs, printed PDFs ----------------------------------


def written_value(f: Field, value: Any, variant: int) -> str:
    """A value as people write it, in one of three styles (dates, yes/no, year groups vary)."""
    if value is None:
        return ""
    style = variant % 3
    if isinstance(f.type, Bool):
        if style == 1:
            return "☒ Yes ☐ No" if value else "☐ Yes ☒ No"
        return ("Y" if value else "N") if style == 2 else ("Yes" if value else "No")
    if isinstance(f.type, Date) and isinstance(value, dt.date):
        if style == 1:
            return f"{value.day} {value:%B %Y}"
        return value.isoformat() if style == 2 else value.strftime("%d/%m/%Y")
    if isinstance(f.type, YearGroup) and isinstance(value, int):
        if value <= 0:
            return "Reception" if value == 0 else "Nursery"
        return (f"Y{value}", str(value), f"Year {value}")[style - 1] if style else f"Year {value}"
    return display_value(f, value)


def written_label(f: Field, variant: int) -> str:
    """The label or one of its aliases, with the punctuation forms are printed with."""
    label = f.labels[variant % len(f.labels)]
    return (label, f"{label}:", f"{label} *")[variant % 3]


def _form_title(kind: str, variant: int) -> str:
    titles = FORMS[kind].titles
    return titles[variant % len(titles)]


def write_table_docx(path: Path, kind: str, values: dict[str, Any], *, label_variant: int = 0,
                     two_per_row: bool = False) -> Path:
    """A plain label/value table DOCX (label or alias), as a school's own word-processed form would be."""
    schema = FORMS[kind]
    document = Document()
    document.add_heading(_form_title(kind, label_variant), level=1)
    items = [(written_label(schema[k], label_variant), written_value(schema[k], v, label_variant))
             for k, v in values.items()]
    per_row = 2 if two_per_row else 1
    table = document.add_table(rows=0, cols=2 * per_row)
    table.style = "Table Grid"
    for start in range(0, len(items), per_row):
        cells = table.add_row().cells
        for i, (label, value) in enumerate(items[start:start + per_row]):
            cells[2 * i].text = label
            cells[2 * i + 1].text = value
    document.save(str(path))
    return path


def write_paragraph_docx(path: Path, kind: str, values: dict[str, Any], *, label_variant: int = 0) -> Path:
    """A DOCX of "Label: value" paragraphs under the form's title."""
    schema = FORMS[kind]
    document = Document()
    document.add_heading(_form_title(kind, label_variant), level=1)
    for key, value in values.items():
        f = schema[key]
        label = f.labels[label_variant % len(f.labels)]
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(written_value(f, value, label_variant))
    document.save(str(path))
    return path


def convert_to_pdf(paths: Sequence[Path], out_dir: Path, *, timeout: float = 300.0) -> list[Path]:
    """Print documents to PDF with one LibreOffice process (a private profile); return the PDFs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="docgen-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, paths)],
            check=False, capture_output=True, timeout=timeout,
        )
    made = [out_dir / f"{p.stem}.pdf" for p in paths]
    failed = [p.name for p in made if not p.is_file() or p.stat().st_size == 0]
    if failed:
        raise RuntimeError(f"LibreOffice did not convert: {', '.join(failed)}")
    return made


def write_flat_pdf(path: Path, kind: str, values: dict[str, Any], *, label_variant: int = 0) -> Path:
    """A label/value table printed to PDF by LibreOffice: text only, no form fields."""
    with tempfile.TemporaryDirectory(prefix="docgen-flat-") as tmp:
        source = write_table_docx(Path(tmp) / f"{path.stem}.docx", kind, values, label_variant=label_variant)
        (pdf,) = convert_to_pdf([source], Path(tmp) / "out")
        shutil.move(str(pdf), path)
    return path


# --- evidence: letters and fit notes ------------------------------------------------------------------


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


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
    name = name or pupil.clinician
    organisation = organisation or pupil.organisation
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


def _school_day_test() -> Any:
    try:
        from docgen.calendar import SchoolCalendar

        calendar = SchoolCalendar.load(DEFAULT_TERM_DATES)
    except Exception:  # noqa: BLE001 - no usable term dates: every weekday counts
        return lambda day: day.weekday() < 5
    return lambda day: calendar.is_school_day(day) if calendar.covers(day) else day.weekday() < 5


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
