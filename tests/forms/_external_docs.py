"""Documents made the way OTHER tools and people make them (not with docgen.samples.builder), with expected answers.

Families: LibreOffice DOCX (from HTML tables and from flat-ODT paragraphs with tabs), the same printed to
PDF by LibreOffice, reportlab platypus PDFs in other layouts, AcroForm PDFs from another generator (odd
field names, tooltips, on-states /1 /Ja /On, radio groups, combo boxes), those flattened by poppler, and
the other document kinds (letters, fit notes, IHCPs, planning records, attendance exports).

Every label is a SPEC §3 label or alias with the decorations people add (case, `*`, `:`, notes in
brackets, question numbers); every value is written in one of the forms SPEC §3 says must normalise.
All names, dates and addresses are invented.
"""

from __future__ import annotations

import datetime as dt
import html
import random
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.forms import FORMS
from docgen.forms.schema import Field

Entry = tuple[str, Any]  # (key, typed value)


@dataclass
class Doc:
    """One generated document and what `docgen extract` should say about it."""

    name: str
    family: str
    kind: str
    expected: dict[str, Any] | None = None  # every schema key (None = expected null); None: kind only
    path: Path = Path()


@dataclass
class Item:
    """One question as printed: label text, value text, and the JSON value it must read back as."""

    key: str
    label: str
    text: str
    expected: Any
    type_name: str
    typed: Any = None


@dataclass
class Built:
    docs: list[Doc] = field(default_factory=list)
    to_docx: list[Path] = field(default_factory=list)
    to_pdf: list[Path] = field(default_factory=list)


# ---------------------------------------------------------------- data (invented)

REFERRAL: list[Entry] = [
    ("pupil_forename", "Amelia-Rose"), ("pupil_surname", "O'Donnell-Price"), ("pupil_preferred_name", "Millie"),
    ("pupil_dob", dt.date(2012, 4, 3)), ("pupil_gender", "Female"), ("pupil_upn", "H801234567890"),
    ("pupil_year_group", 8), ("pupil_address", "12 Wherry Lane, Thorpe St Andrew, Norwich"),
    ("pupil_postcode", "NR7 0AB"), ("pupil_on_roll", True), ("pupil_ehe", False), ("pupil_looked_after", False),
    ("pupil_ehcp", False), ("pupil_sen_support", True), ("parent_name", "Joanne Price"),
    ("parent_relationship", "Mother"), ("parent_phone", "01603555018"), ("parent_email", "jo.price@example.org"),
    ("school_name", "Wherry Lane Academy"), ("school_dfe_number", "926/4123"),
    ("referrer_name", "Daniel Ashby"), ("referrer_role", "Head of Year 8"),
    ("referrer_email", "d.ashby@wherry.example.sch.uk"), ("referrer_phone", "01603555019"),
    ("dsl_name", "Helen Carr"), ("dsl_email", "hcarr@wherry.example.sch.uk"), ("senco_name", "Priya Lal"),
    ("health_condition", "Chronic fatigue syndrome diagnosed by the paediatric team in March, with severe "
                         "post-exertional malaise after short walks"),
    ("health_professionals", "Dr K Mensah, consultant paediatrician; ME/CFS specialist physiotherapist"),
    ("first_absence_date", dt.date(2025, 11, 3)), ("days_absent", 34), ("expected_absence_weeks", 12),
    ("hospital_inpatient", False), ("awaiting_special_school_place", False), ("previous_referral", False),
    ("chk_policy_followed", True), ("chk_jon_contacted", True), ("jon_contact_date", dt.date(2025, 11, 14)),
    ("chk_parent_meeting", True), ("chk_reduced_timetable", True), ("chk_online_learning", False),
    ("consent_jon", True), ("consent_health_contact", True), ("consent_given_by", "Joanne Price"),
    ("consent_date", dt.date(2025, 12, 1)), ("school_support_declaration", True),
    ("referral_date", dt.date(2025, 12, 2)),
]
CONTINUATION: list[Entry] = [
    ("case_reference", "MN-2025-0147"), ("pupil_forename", "Tomasz"), ("pupil_surname", "Nowak-Ellis"),
    ("pupil_dob", dt.date(2011, 9, 21)), ("pupil_upn", "K302190045127"), ("school_name", "Breckland High School"),
    ("referrer_name", "Sarah Quinlan"), ("referrer_role", "SENCO"), ("referrer_email", "squinlan@breck.example.sch.uk"),
    ("provision_start_date", dt.date(2026, 1, 12)),
    ("current_provision", "Five hours a week of home tuition in English and maths, plus two online lessons"),
    ("progress_summary", "Engaging well; completed the first two units of the maths scheme"),
    ("reintegration_progress", "Two supported visits to the library base; one lesson in school attended"),
    ("continuation_reason", "Fatigue still limits him to short sessions; the consultant advises a further period"),
    ("review_meeting_date", dt.date(2026, 2, 27)), ("request_date", dt.date(2026, 3, 20)),
]
JMP_HEALTH: list[Entry] = [
    ("pupil_forename", "Grace"), ("pupil_surname", "Adeyemi"), ("pupil_dob", dt.date(2013, 12, 1)),
    ("school_name", "Yare Valley Primary"), ("professional_name", "Dr Miriam Holt"),
    ("professional_role", ("Consultant Paediatrician", "paediatrician")),
    ("professional_organisation", "Norfolk and Norwich University Hospitals"),
    ("professional_registration", "7012345"), ("professional_email", "miriam.holt@nnuh.example.nhs.uk"),
    ("professional_phone", "01603555102"), ("seen_in_person", True), ("last_seen_date", dt.date(2026, 1, 20)),
    ("contact_type", ("Face to face in clinic", "face_to_face")),
    ("diagnosis", "Type 1 diabetes with recurrent hypoglycaemia"),
    ("treatment", "Insulin pump started in January; frequent clinic reviews"),
    ("other_services", "Diabetes specialist nurse team; dietitian"),
    ("reintegration_advice", "Phased return starting with mornings, with a trained adult on site"),
    ("unfit_for_school", ("Part-time only", "part_time")), ("expected_duration_weeks", 8),
    ("statement_date", dt.date(2026, 1, 22)),
]
JMP_CONSENT: list[Entry] = [
    ("pupil_forename", "Oliver"), ("pupil_surname", "Fairweather"), ("pupil_dob", dt.date(2010, 6, 30)),
    ("consent_name", "Marcus Fairweather"), ("consent_relationship", "Father"), ("gillick_competent", False),
    ("consent_share_health", True), ("consent_date", dt.date(2026, 2, 9)),
]
DATA: dict[str, list[Entry]] = {"referral": REFERRAL, "continuation": CONTINUATION, "jmp_health": JMP_HEALTH,
                                "jmp_consent": JMP_CONSENT}
TITLES = {
    "referral": ["Medical Needs Service Referral Form", "MEDICAL NEEDS REFERRAL", "Referral to the Medical Needs "
                 "Service"],
    "continuation": ["Medical Needs Continuation Request", "Continuation Request", "Request for Continuation"],
    "jmp_health": ["Joint Medical Protocol - Health Information Form", "Health Information Form",
                   "JMP Health Information Form"],
    "jmp_consent": ["Joint Medical Protocol: Consent Form", "JMP Consent Form", "Consent Form (Joint Medical "
                    "Protocol)"],
}

# ---------------------------------------------------------------- value and label variants


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 11 <= n % 100 <= 13 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def date_text(d: dt.date, rng: random.Random) -> str:
    forms: list[Callable[[dt.date], str]] = [
        lambda x: x.strftime("%d/%m/%Y"), lambda x: f"{_ordinal(x.day)} {x.strftime('%B %Y')}",
        lambda x: f"{x.day} {x.strftime('%b %y')}", lambda x: x.isoformat(), lambda x: x.strftime("%d.%m.%y"),
        lambda x: f"{x.strftime('%A')} {x.day} {x.strftime('%B %Y')}", lambda x: f"{x.day}/{x.month}/{x.year}",
        lambda x: x.strftime("%d-%b-%Y"),
    ]
    return rng.choice(forms)(d)


def bool_text(value: bool, rng: random.Random, *, boxes: bool = True) -> str:
    if value:
        options = ["Yes", "Y", "X", "✓", "yes", "YES"] + (["☒ Yes ☐ No", "Yes ☒ No ☐", "[x]", "☒"] if boxes else [])
    else:
        options = ["No", "N", "no"] + (["☐ Yes ☒ No", "Yes ☐ No ☒", "[ ]", "☐"] if boxes else [])
    return rng.choice(options)


def value_item(f: Field, typed: Any, rng: random.Random, *, boxes: bool = True) -> tuple[str, Any]:
    """(text as written, JSON value expected) for one typed value."""
    t = f.type.name
    if isinstance(typed, tuple):
        return str(typed[0]), typed[1]
    if t == "date":
        return date_text(typed, rng), typed.isoformat()
    if t == "bool":
        return bool_text(typed, rng, boxes=boxes), typed
    if t == "year":
        if typed == 0:
            return rng.choice(["R", "Reception", "Year R", "reception"]), 0
        return rng.choice([f"Year {typed}", f"Y{typed}", str(typed), f"Yr {typed}", f"Year {typed} "]), typed
    if t == "int":
        return rng.choice([str(typed), f"{typed}", f"{typed} " + ("weeks" if "weeks" in f.key else "days")
                           if f.key != "days_absent" else f"{typed} days"]), typed
    if t == "postcode":
        return rng.choice([typed.replace(" ", "").lower(), typed, typed.lower()]), typed
    if t == "email":
        return rng.choice([typed.upper(), typed, typed.title()]), typed
    if t == "phone":
        choice = rng.randrange(4)
        if choice == 0:
            return f"{typed[:5]} {typed[5:]}", typed
        if choice == 1:
            return f"({typed[:5]}) {typed[5:8]} {typed[8:]}", typed
        if choice == 2:
            return f"+44 {typed[1:5]} {typed[5:]}", "+44" + typed[1:]
        return typed, typed
    if t == "upn":
        return rng.choice([f"{typed[:4]} {typed[4:8]} {typed[8:12]} {typed[12:]}", typed.lower(), typed]), typed
    return str(typed), typed


def label_text(f: Field, rng: random.Random, number: int) -> str:
    base = rng.choice(f.labels)
    style = rng.randrange(9)
    if style == 1:
        return base + " *"
    if style == 2:
        return base + ":"
    if style == 3:
        return base.upper()
    if style == 4:
        return f"{number}. {base}"
    if style == 5:
        return f"Q{number}) {base}"
    if style == 6:
        return f"{'abcdefgh'[number % 8]}) {base}"
    if style == 7:
        return base + (" (dd/mm/yyyy)" if f.type.name == "date" else " (please give details)")
    if style == 8:
        return base.lower() + "*:"
    return base


def items_for(kind: str, rng: random.Random, *, boxes: bool = True, blanks: int = 2) -> list[Item]:
    """The form's questions with this document's answers: yes/no answers and the year group vary from
    document to document, and `blanks` questions the data does not answer are printed and left empty."""
    schema = FORMS[kind]
    out = []
    answered = {key for key, _typed in DATA[kind]}
    unanswered = [f for f in schema.fields if f.key not in answered and (boxes or f.type.name != "bool")]
    empty = {f.key for f in rng.sample(unanswered, min(blanks, len(unanswered)))}
    n = 0
    for f in schema.fields:
        n += 1
        if f.key in empty:
            out.append(Item(f.key, label_text(f, rng, n), "", None, f.type.name, None))
            continue
        typed = dict(DATA[kind]).get(f.key)
        if f.key not in answered:
            n -= 1
            continue
        if f.type.name == "bool":
            typed = rng.random() < 0.6
        elif f.type.name == "year":
            typed = rng.choice([0, 7, 8, 11])
        text, expected = value_item(f, typed, rng, boxes=boxes)
        out.append(Item(f.key, label_text(f, rng, n), text, expected, f.type.name, typed))
    return out


def expected_for(kind: str, items: list[Item]) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(FORMS[kind].keys)
    values.update({i.key: i.expected for i in items})
    return values


def _e(text: str) -> str:
    return html.escape(text, quote=False)


# ---------------------------------------------------------------- LibreOffice sources (HTML and flat ODT)

_SECTIONS = {"pupil_forename": "Section A - About the young person", "parent_name": "Section B - Parent or carer",
             "school_name": "Section C - School", "health_condition": "Section D - Health needs",
             "chk_policy_followed": "Section E - What the school has done", "consent_jon": "Section F - Consent",
             "professional_name": "About you", "diagnosis": "Health information",
             "provision_start_date": "The current period", "consent_name": "Person giving consent"}


def html_table(kind: str, items: list[Item], title: str, *, spacer: bool, bold_labels: bool,
               grid: bool = False) -> str:
    """Label | value rows (with a spacer column); `grid` puts the yes/no questions in a Yes | No grid."""
    rows = []
    width = 3 if spacer else 2
    ticks = [it for it in items if grid and isinstance(it.typed, bool)]
    grid_rows = "".join(
        f"<tr><td>{_e(it.label)}</td><td>{'X' if it.typed else ''}</td><td>{'' if it.typed else 'X'}</td></tr>"
        for it in ticks)
    grid_table = (f"<h2>Checklist</h2><table border=\"1\" width=\"100%\"><tr><td></td><td><b>Yes</b></td>"
                  f"<td><b>No</b></td></tr>{grid_rows}</table>") if ticks else ""
    for it in items:
        if it in ticks:
            continue
        if it.key in _SECTIONS:
            rows.append(f'<tr><td colspan="{width}" bgcolor="#dddddd"><b>{_e(_SECTIONS[it.key])}</b></td></tr>')
        label = f"<b>{_e(it.label)}</b>" if bold_labels else _e(it.label)
        value = _e(it.text)
        if it.key == "pupil_address" and it.text:
            parts = [p.strip() for p in it.text.split(",")]
            value = "".join(f"<p>{_e(p)}</p>" for p in parts)
            it.expected = "\n".join(parts)
        middle = "<td width=\"2%\"></td>" if spacer else ""
        rows.append(f"<tr><td width=\"45%\">{label}</td>{middle}<td>{value}</td></tr>")
    return (f"<html><head><meta charset=\"utf-8\"><title>{_e(title)}</title></head><body>"
            f"<p>Norfolk County Council - Children's Services</p><h1>{_e(title)}</h1>"
            "<p>Please complete all questions marked *. Send with the Health Information Form where you have one.</p>"
            f"<table border=\"1\" cellpadding=\"4\" width=\"100%\">{''.join(rows)}</table>{grid_table}"
            "<p>Thank you. Return this form to the Medical Needs Service.</p></body></html>")


def html_paragraphs(items: list[Item], title: str) -> str:
    parts = [f"<h1>{_e(title)}</h1>"]
    for it in items:
        if it.key in _SECTIONS:
            parts.append(f"<h2>{_e(_SECTIONS[it.key])}</h2>")
        label = it.label if it.label.rstrip().endswith((":", "?")) else it.label + ":"
        parts.append(f"<p><b>{_e(label)}</b> {_e(it.text)}</p>")
    return f"<html><head><meta charset=\"utf-8\"></head><body>{''.join(parts)}</body></html>"


_FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
 <style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="P1" style:family="paragraph"><style:paragraph-properties>
  <style:tab-stops><style:tab-stop style:position="7cm"/></style:tab-stops></style:paragraph-properties>
 </style:style>
 <style:style style:name="H" style:family="paragraph"><style:text-properties fo:font-size="16pt"
  fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:text>
"""


def fodt_tabs(items: list[Item], title: str) -> str:
    """'Label:<tab>value' paragraphs, label in a bold span (the value in a plain one)."""
    out = [_FODT_HEAD, f'<text:p text:style-name="H">{_e(title)}</text:p>']
    for it in items:
        if it.key in _SECTIONS:
            out.append(f'<text:p text:style-name="H">{_e(_SECTIONS[it.key])}</text:p>')
        label = it.label if it.label.rstrip().endswith((":", "?")) else it.label + ":"
        out.append(f'<text:p text:style-name="P1"><text:span text:style-name="B">{_e(label)}</text:span>'
                   f"<text:tab/>{_e(it.text)}</text:p>")
    out.append("</office:text></office:body></office:document>\n")
    return "".join(out)


# ---------------------------------------------------------------- reportlab platypus layouts


def _font() -> tuple[str, str]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    bold = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
    if not regular.is_file() or not bold.is_file():
        return "Helvetica", "Helvetica-Bold"
    for name, font in (("DejaVuSans", regular), ("DejaVuSans-Bold", bold)):  # each: others register the regular
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(font)))
    return "DejaVuSans", "DejaVuSans-Bold"


def platypus_pdf(path: Path, title: str, items: list[Item], *, layout: str) -> None:
    """`grey` (label in a grey column, value in a ruled box, on two pages with a repeated header), `two`
    (two questions per row), `above` (small grey label above its value box)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _font()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12)
    grey = ParagraphStyle("grey", parent=body, textColor=colors.HexColor("#555555"))
    small = ParagraphStyle("small", parent=grey, fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName=bold, fontSize=12, leading=15, spaceBefore=6, spaceAfter=4)

    def header(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, f"{title} - OFFICIAL-SENSITIVE")
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [Paragraph(_e(title), ParagraphStyle("t", fontName=bold, fontSize=16, leading=20)),
                        Spacer(1, 4 * mm)]
    style = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    if layout == "grey":
        half = len(items) // 2
        for part, chunk in enumerate((items[:half], items[half:])):
            rows = []
            for it in chunk:
                rows.append([Paragraph(_e(it.label), grey), Paragraph(_e(it.text), body)])
            table = Table(rows, colWidths=[70 * mm, 100 * mm])
            table.setStyle(TableStyle([("BOX", (1, 0), (1, -1), 0.5, colors.black),
                                       ("INNERGRID", (1, 0), (1, -1), 0.5, colors.black),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story.append(Paragraph("Details" if part == 0 else "Details (continued)", head))
            story.append(table)
            if part == 0:
                story.append(PageBreak())
    elif layout == "two":
        rows = []
        for n in range(0, len(items), 2):
            row = []
            for it in items[n:n + 2]:
                row += [Paragraph(f"<b>{_e(it.label)}</b>", body), Paragraph(_e(it.text), body)]
            rows.append(row + [""] * (4 - len(row)))
        table = Table(rows, colWidths=[40 * mm, 45 * mm, 40 * mm, 45 * mm])
        table.setStyle(style)
        story.append(table)
    else:
        for it in items:
            if it.key in _SECTIONS:
                story.append(Paragraph(_e(_SECTIONS[it.key]), head))
            box = Table([[Paragraph(_e(it.text), body)]], colWidths=[170 * mm])
            box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
            story += [Paragraph(_e(it.label), small), box, Spacer(1, 2 * mm)]
    doc = SimpleDocTemplate(str(path), pagesize=A4, topMargin=20 * mm, bottomMargin=18 * mm)
    doc.build(story, onFirstPage=header, onLaterPages=header)


# ---------------------------------------------------------------- AcroForm from another generator

_NAME_STYLES = ("camel", "snake", "prefix", "label", "generic")


def _field_name(it: Item, f: Field, style: str, n: int) -> tuple[str, str | None]:
    """(field name, tooltip) in the style of another generator."""
    words = [w for w in "".join(c if c.isalnum() or c == " " else " " for c in f.labels[-1]).split()]
    if style == "camel":
        return "".join(w.capitalize() for w in words[:5]), None
    if style == "snake":
        return "_".join(w.capitalize() if i == 0 else w.lower() for i, w in enumerate(words[:5])), None
    if style == "prefix":
        prefix = "chk" if it.type_name == "bool" else "txt"
        return prefix + "".join(w.capitalize() for w in words[:4]), None
    if style == "label":
        return f.label.replace(".", ""), None
    generic = "Check Box" if it.type_name == "bool" else "Text"
    return f"{generic} {n}", f.label


def acroform_pdf(path: Path, kind: str, items: list[Item], rng: random.Random, *, on_state: str) -> None:
    """Labels drawn on the page, answers in fields named by another generator's habits."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    schema = FORMS[kind]
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 14)
    c.drawString(40, height - 50, TITLES[kind][0])
    y = height - 80
    form = c.acroForm
    for n, it in enumerate(items, start=1):
        f = schema[it.key]
        if y < 60:
            c.showPage()
            c.setFont("Helvetica-Bold", 10)
            c.drawString(40, height - 40, TITLES[kind][0] + " (continued)")
            y = height - 70
        c.setFont("Helvetica", 9)
        first, rest = it.label, ""
        while c.stringWidth(first, "Helvetica", 9) > 280:  # a long question wraps onto a second line
            first, word = first.rsplit(" ", 1)
            rest = f"{word} {rest}".strip()
        c.drawString(40, y + 4, first)
        if rest:
            c.drawString(40, y - 6, rest)
        name, tooltip = _field_name(it, f, rng.choice(_NAME_STYLES), n)
        tip = tooltip or ""
        if it.type_name == "bool":
            if rng.random() < 0.5:
                form.checkbox(name=name, tooltip=tip, x=330, y=y, size=12, checked=bool(it.typed),
                              buttonStyle=rng.choice(["check", "cross"]), borderWidth=1)
                it.text = "/Yes" if it.typed else "/Off"
            else:
                for offset, option in ((0, "Yes"), (60, "No")):
                    form.radio(name=name, tooltip=tip, value=option, selected=(option == "Yes") == bool(it.typed),
                               x=330 + offset, y=y, size=12, buttonStyle="circle", borderWidth=1)
                    c.drawString(346 + offset, y + 3, option)
                it.text = "radio"
        elif it.key in ("pupil_year_group", "professional_role", "contact_type", "unfit_for_school"):
            value = it.text
            form.choice(name=name, tooltip=tip, value=value, options=sorted({value, "Other", "-"}), x=330, y=y - 2,
                        width=200, height=16, fontSize=9, fieldFlags="combo")
        else:
            if len(it.text) > 40:  # a long answer: a full-width box under its question
                y -= 22 if rest else 12
                form.textfield(name=name, tooltip=tip, value=it.text, x=40, y=y - 4, width=520, height=14,
                               fontSize=7, borderWidth=1)
            else:
                form.textfield(name=name, tooltip=tip, value=it.text, x=330, y=y - 2, width=230, height=16,
                               fontSize=9, borderWidth=1)
        y -= 24
    c.save()
    if on_state != "Yes":
        _rename_on_state(path, on_state)


def _rename_on_state(path: Path, on_state: str) -> None:
    """Checkboxes whose on-state is /1, /Ja or /On (as other generators write them); radios /0 and /1."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject

    writer = PdfWriter(clone_from=PdfReader(str(path)))
    radio_names = {"Yes": "/0", "No": "/1"} if on_state == "1" else {}

    def rename(obj: Any, mapping: dict[str, str]) -> None:
        for key in ("/V", "/AS"):
            if key in obj and str(obj[key]) in mapping:
                obj[NameObject(key)] = NameObject(mapping[str(obj[key])])
        ap = obj.get("/AP")
        if ap is not None:
            for state in ("/N", "/D"):
                table = ap.get_object().get(state)
                if isinstance(table, DictionaryObject):
                    table = table.get_object()
                    for old, new in mapping.items():
                        if old in table:
                            table[NameObject(new)] = table.raw_get(old)
                            del table[old]

    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            parent = annot.get("/Parent")
            node = parent.get_object() if parent is not None else annot
            if str(node.get("/FT")) != "/Btn":
                continue
            radio = int(node.get("/Ff", 0)) & (1 << 15)
            if radio and radio_names:
                mapping = {"/" + k: v for k, v in radio_names.items()}
                rename(annot, mapping)
                rename(node, mapping)
            elif not radio:
                rename(annot, {"/Yes": "/" + on_state})
    with path.open("wb") as handle:
        writer.write(handle)


# ---------------------------------------------------------------- other kinds

LETTERS = [
    ("medical_letter", """Paediatric Department
Norfolk and Norwich University Hospitals NHS Foundation Trust
Colney Lane, Norwich NR4 7UY

12 January 2026

To whom it may concern

Re: Grace Adeyemi, DOB 01/12/2013

I saw Grace in the diabetes clinic on 9 January 2026 with her mother. She has type 1 diabetes with
recurrent hypoglycaemia and her treatment was changed to an insulin pump this month. I understand the
school has made a referral to the Medical Needs Service and I support it. She has been referred to the
dietitian and the diabetes specialist nurses. A phased return, starting with mornings, is advised.

Yours sincerely

Dr Miriam Holt
Consultant Paediatrician"""),
    ("medical_letter", """Child and Adolescent Mental Health Service (CAMHS)
Norfolk and Suffolk NHS Foundation Trust

Date: 3rd February 2026

Dear Mr Ashby,

Amelia-Rose O'Donnell-Price (date of birth 3 April 2012)

Thank you for your referral. Amelia-Rose was reviewed at home on 28 January 2026. She has severe
anxiety with panic attacks and is currently unable to attend school. Treatment is weekly CBT. She is
also known to the school nurse. We recommend a gradual reintegration plan with a key adult.

Kind regards

Ms Laura Finch
CAMHS Mental Health Practitioner"""),
    ("medical_letter", """Thorpe Health Centre
Surgery Lane, Norwich

Dear Sir or Madam

Oliver Fairweather, d.o.b. 30.06.2010

Oliver has been under my care for migraine. I last examined him on 2 February 2026. His medication has
been adjusted and he has been referred to the paediatric neurology clinic. I would support a reduced
timetable for the next few weeks. The Health Information Form will follow from the specialist.

Best wishes

Dr Ahmed Shah
General Practitioner"""),
    ("fit_note", """Statement of Fitness for Work
For social security or statutory sick pay

Patient's name: Joanne Price
I assessed your case on: 14/01/2026
and, because of the following condition(s): back pain
I advise you that: you are not fit for work.
This will be the case for 4 weeks.
Doctor's signature                Date of statement: 14/01/2026"""),
    ("fit_note", """MED3 - fit note
Statement of Fitness for Work
Patient: Marcus Fairweather
Condition: post-operative recovery following knee surgery
You may be fit for work taking into account the following advice: amended duties
Date: 03/02/2026"""),
    ("ihcp", """Individual healthcare plan
Name of school/setting: Yare Valley Primary
Child's name: Grace Adeyemi
Group/class/form: Class 6B
Date of birth: 01/12/2013
Child's address: 4 Ferry Road, Brundall
Medical diagnosis or condition: Type 1 diabetes
Date: 15/01/2026
Review date: 15/07/2026
Family Contact Information
Name: Ruth Adeyemi
Relationship to child: Mother
Clinic/Hospital Contact
Name: Dr Miriam Holt
Describe medical needs and give details of child's symptoms, triggers, signs, treatments, facilities,
equipment or devices, environmental issues etc: Hypoglycaemia; carries glucose tablets.
Daily care requirements: blood glucose checks before lunch
Who is responsible for providing support in school: Mrs Gale, teaching assistant"""),
    ("planning_record", """Initial Planning and Review Record
Part A - Initial planning meeting
Pupil name: Amelia-Rose O'Donnell-Price      Date of birth: 03/04/2012
School: Wherry Lane Academy
Date of meeting: 20/01/2026
Attendees: Joanne Price (parent), Daniel Ashby (school), Medical Needs Service tutor
Package of provision: five hours of tuition a week at home
Actions
Who / What / When
School - send work weekly - every Monday
Part B - Review (week 6)
Review date: 27/02/2026
Amendments to the plan: none"""),
]

LETTERS += [
    ("medical_letter", """School Nursing Service
Norfolk Community Health and Care NHS Trust

Dear Mrs Price

Amelia-Rose O'Donnell-Price, date of birth 03/04/2012

I reviewed Amelia-Rose in school on 12 January 2026. I understand the school has sent a Medical Needs
Service referral, and the consultant will complete the Health Information Form. Her fatigue has worsened
and she is now under the paediatric team. I would advise short, supported days when she returns.

Yours sincerely

Kerry Bale
School Nurse"""),
    ("medical_letter", """Norfolk and Suffolk NHS Foundation Trust - Children's Mental Health Team
Re: Continuation Request - Tomasz Nowak-Ellis (21/09/2011)

Dear colleagues,

I am writing in support of the school's continuation request for Tomasz. I last saw him face to face
on 10 March 2026. His anxiety disorder is improving with treatment but he is not yet able to manage a full
day. He has been referred to the eating disorders service. A further period of home tuition is advised.

With best wishes

Dr Sofia Lindqvist
Consultant Child and Adolescent Psychiatrist"""),
]

TABLE_DOCS = [
    ("ihcp", "Individual Healthcare Plan", [
        ("Name of school/setting", "Yare Valley Primary"), ("Child's name", "Grace Adeyemi"),
        ("Group/class/form", "6B"), ("Date of birth", "01/12/2013"), ("Child's address", "4 Ferry Road, Brundall"),
        ("Medical diagnosis or condition", "Type 1 diabetes"), ("Date", "15/01/2026"),
        ("Review date", "15/07/2026"), ("Family contact information - Name", "Ruth Adeyemi"),
        ("Phone no. (work)", "01603 555 201"), ("Describe medical needs", "Hypoglycaemia; carries glucose tablets"),
        ("Arrangements for school visits/trips etc", "Trained adult to attend"),
    ]),
    ("planning_record", "Initial Planning and Review Record", [
        ("Pupil name", "Tomasz Nowak-Ellis"), ("Date of birth", "21/09/2011"), ("UPN", "K302190045127"),
        ("School", "Breckland High School"), ("Date of meeting", "19/01/2026"),
        ("Attendees", "Parent, SENCO, Medical Needs tutor"), ("Package of provision", "Five hours home tuition"),
        ("Review date (week 6)", "27/02/2026"),
    ]),
    ("fit_note", "Statement of Fitness for Work", [
        ("Patient's name", "Ruth Adeyemi"), ("I assessed your case on", "14/01/2026"),
        ("Because of the following condition(s)", "Lower back pain"), ("I advise you that", "You are not fit for work"),
        ("This will be the case for", "2 weeks"), ("Doctor's signature", "Dr A Shah"),
    ]),
    ("attendance", "Attendance summary report", [
        ("Pupil", "Oliver Fairweather"), ("UPN", "L410062210098"), ("Date range", "05/01/2026 - 13/03/2026"),
        ("Possible sessions", "100"), ("Attended", "52"), ("Authorised absence", "44"),
        ("Unauthorised absence", "4"), ("Attendance", "52.0%"),
    ]),
]

ATTENDANCE_CSV = """Pupil name,Tomasz Nowak-Ellis
UPN,K302190045127
Date of birth,21/09/2011
School,Breckland High School

date,am,pm
05/01/2026,/,\\
06/01/2026,I,I
07/01/2026,I,I
08/01/2026,/,\\
09/01/2026,M,M
12/01/2026,I,I
13/01/2026,I,I
14/01/2026,/,\\
15/01/2026,N,N
16/01/2026,I,I
"""


def herringbone_html() -> str:
    rows = "".join(
        f"<tr><td>w/c {d}</td>" + "".join(f"<td>{m}</td>" for m in marks) + "</tr>"
        for d, marks in (("05/01/2026", "/\\II/\\II/\\"), ("12/01/2026", "IIIIII/\\M\\"),
                         ("19/01/2026", "/\\/\\II/\\/\\"), ("26/01/2026", "IIIIIIIIII")))
    head = "".join(f"<th>{d} {s}</th>" for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for s in ("AM", "PM"))
    return ("<html><body><h2>Attendance record</h2><p>Pupil: Oliver Fairweather  UPN: L410062210098</p>"
            f"<table border=\"1\"><tr><th>Week</th>{head}</tr>{rows}</table></body></html>")


# ---------------------------------------------------------------- building everything


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def build(out: Path, seed: int = 20260301) -> Built:
    """Write every source document; LibreOffice conversions are queued in `to_docx` / `to_pdf`."""
    rng = random.Random(seed)
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    built = Built()

    def form_doc(name: str, family: str, kind: str, items: list[Item], path: Path) -> None:
        built.docs.append(Doc(name, family, kind, expected_for(kind, items), path))

    for kind in DATA:
        for variant in range(2):
            title = TITLES[kind][variant % len(TITLES[kind])]
            # LibreOffice DOCX from an HTML table (label | value, or label | spacer | value)
            items = items_for(kind, rng)
            source = _write(src / f"{kind}-table{variant}.html",
                            html_table(kind, items, title, spacer=variant == 1, bold_labels=variant == 0,
                                       grid=variant == 1))
            built.to_docx.append(source)
            form_doc(f"{kind}-table{variant}.docx", "lo-docx-table", kind, items, out / f"{source.stem}.docx")
            items = items_for(kind, rng)
            source = _write(src / f"{kind}-ptable{variant}.html",
                            html_table(kind, items, title, spacer=variant == 1, bold_labels=variant == 1,
                                       grid=variant == 0))
            built.to_pdf.append(source)
            form_doc(f"{kind}-ptable{variant}.pdf", "lo-pdf-table", kind, items, out / f"{source.stem}.pdf")
            # paragraphs: bold "Label:" then the value; tab-separated in flat ODT
            items = items_for(kind, rng)
            source = _write(src / f"{kind}-tabs{variant}.fodt", fodt_tabs(items, title))
            built.to_docx.append(source)
            form_doc(f"{kind}-tabs{variant}.docx", "lo-docx-paragraphs", kind, items, out / f"{source.stem}.docx")
            items = items_for(kind, rng)
            source = _write(src / f"{kind}-paras{variant}.html", html_paragraphs(items, title))
            (built.to_docx if variant == 0 else built.to_pdf).append(source)
            ext = "docx" if variant == 0 else "pdf"
            form_doc(f"{kind}-paras{variant}.{ext}", f"lo-{ext}-paragraphs", kind, items, out / f"{source.stem}.{ext}")
        for layout in ("grey", "two", "above"):
            items = items_for(kind, rng)
            path = out / f"{kind}-rl-{layout}.pdf"
            platypus_pdf(path, TITLES[kind][rng.randrange(3)], items, layout=layout)
            form_doc(path.name, "reportlab-pdf", kind, items, path)
        for on_state in ("Yes", "1", "Ja", "On"):
            items = items_for(kind, rng, boxes=False)
            path = out / f"{kind}-acro-{on_state}.pdf"
            acroform_pdf(path, kind, items, rng, on_state=on_state)
            form_doc(path.name, "acroform", kind, items, path)
            if on_state in ("1", "On"):
                flat = out / f"{kind}-qpdf-{on_state}.pdf"
                if qpdf_flattened(path, flat):
                    form_doc(flat.name, "flattened", kind, items, flat)
            if on_state in ("Yes", "Ja"):
                flat = out / f"{kind}-flat-{on_state}.pdf"
                subprocess.run(["pdftocairo", "-pdf", str(path), str(flat)], check=True, capture_output=True,
                               timeout=60)
                form_doc(flat.name, "flattened", kind, items, flat)
        for variant in range(2):
            items = items_for(kind, rng)
            blanks = items[-1:] if variant else []  # a question left showing Word's placeholder: null
            shown = items[:-1] if variant else items
            path = out / f"{kind}-word{variant}.docx"
            word_docx(path, TITLES[kind][variant], shown, rng, blanks)
            form_doc(path.name, "word-docx", kind, shown, path)
            items = items_for(kind, rng)
            path = out / f"{kind}-drawn{variant}.pdf"
            drawn_pdf(path, TITLES[kind][variant + 1], items, rng, columns=variant + 1)
            form_doc(path.name, "drawn-pdf", kind, items, path)
    for n, (kind, text) in enumerate(LETTERS):
        first, *rest = text.splitlines()
        body = f"<h3>{_e(first)}</h3>" + "".join(f"<p>{_e(line) or '&nbsp;'}</p>" for line in rest)
        source = _write(src / f"other-{kind}-{n}.html", f"<html><body>{body}</body></html>")
        built.to_docx.append(source)
        built.docs.append(Doc(f"other-{kind}-{n}.docx", "other-docx", kind, None, out / f"{source.stem}.docx"))
        source2 = _write(src / f"other-{kind}-{n}p.html", f"<html><body>{body}</body></html>")
        built.to_pdf.append(source2)
        built.docs.append(Doc(f"other-{kind}-{n}p.pdf", "other-pdf", kind, None, out / f"{source2.stem}.pdf"))
    for n, (kind, title, rows) in enumerate(TABLE_DOCS):
        cells = "".join(f"<tr><td><b>{_e(a)}</b></td><td>{_e(b)}</td></tr>" for a, b in rows)
        page = f"<html><body><h2>{_e(title)}</h2><table border=\"1\">{cells}</table></body></html>"
        for suffix, queue in (("docx", built.to_docx), ("pdf", built.to_pdf)):
            source = _write(src / f"table-{kind}-{n}-{suffix}.html", page)
            queue.append(source)
            built.docs.append(Doc(f"{source.stem}.{suffix}", f"other-{suffix}", kind, None,
                                  out / f"{source.stem}.{suffix}"))
    csv_path = _write(out / "attendance-export.csv", ATTENDANCE_CSV)
    built.docs.append(Doc(csv_path.name, "other-attendance", "attendance", None, csv_path))
    grid = _write(src / "herringbone.html", herringbone_html())
    built.to_docx.append(grid)
    built.docs.append(Doc("herringbone.docx", "other-attendance", "attendance", None, out / "herringbone.docx"))
    return built


def convert(sources: list[Path], target: str, out: Path) -> None:
    """One LibreOffice call converts every queued source (private profile, timeout)."""
    if not sources:
        return
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    profile = out / "lo-profile"
    fmt = "docx:MS Word 2007 XML" if target == "docx" else "pdf:writer_pdf_Export"
    # HTML opened as a Writer document (Writer/Web drops the first paragraph from its PDF)
    infilter = [] if target == "docx" else ["--infilter=HTML (StarWriter)"]
    subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", *infilter, "--convert-to", fmt,
                    "--outdir", str(out), *map(str, sources)], check=True, capture_output=True, timeout=240)


def build_all(out: Path, seed: int = 20260301) -> list[Doc]:
    """Write every document (LibreOffice called once per output format); return them with their answers."""
    built = build(out, seed)
    convert(built.to_docx, "docx", out)
    convert(built.to_pdf, "pdf", out)
    return built.docs


# ---------------------------------------------------------------- Word-like DOCX XML (runs, bookmarks, sdt, …)

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
        'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def _runs(text: str, rng: random.Random, *, bold: bool = False) -> str:
    """Text split into several runs, the way Word's editing history splits it (mid-word too)."""
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    pieces: list[str] = []
    rest = text
    while rest:
        cut = rng.randint(2, 12)
        pieces.append(rest[:cut])
        rest = rest[cut:]
    out = []
    for n, piece in enumerate(pieces):
        if n and rng.random() < 0.3:
            out.append('<w:proofErr w:type="spellStart"/>')
        out.append(f'<w:r>{props}<w:t xml:space="preserve">{_e(piece)}</w:t></w:r>')
    return "".join(out)


def _box(checked: bool, n: int) -> str:
    glyph = "☒" if checked else "☐"
    return (f'<w:sdt><w:sdtPr><w:id w:val="{9000 + n}"/><w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/><w14:uncheckedState w14:val="2610" '
            'w14:font="MS Gothic"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" '
            f'w:hAnsi="MS Gothic"/></w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')


def _word_value(it: Item, rng: random.Random, n: int) -> str:
    """The answer as Word users leave it: boxes, a plain content control, a smart tag, a tracked change."""
    if it.type_name == "bool" and isinstance(it.typed, bool):
        return (_box(it.typed, 2 * n) + '<w:r><w:t xml:space="preserve"> Yes  </w:t></w:r>'
                + _box(not it.typed, 2 * n + 1) + '<w:r><w:t xml:space="preserve"> No</w:t></w:r>')
    style = rng.randrange(5)
    if style == 0:
        return (f'<w:sdt><w:sdtPr><w:id w:val="{n}"/></w:sdtPr><w:sdtContent>{_runs(it.text, rng)}'
                "</w:sdtContent></w:sdt>")
    if style == 1:
        return (f'<w:bookmarkStart w:id="{n}" w:name="Text{n}"/>{_runs(it.text, rng)}'
                f'<w:bookmarkEnd w:id="{n}"/>')
    if style == 2:
        return ('<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="stockticker">'
                f"{_runs(it.text, rng)}</w:smartTag>")
    if style == 3:
        return ('<w:del w:id="1" w:author="A" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>old answer'
                '</w:delText></w:r></w:del><w:ins w:id="2" w:author="A" w:date="2026-01-01T00:00:00Z">'
                f"{_runs(it.text, rng)}</w:ins>")
    return _runs(it.text, rng)


def word_docx(path: Path, title: str, items: list[Item], rng: random.Random, blanks: list[Item]) -> None:
    """Half the questions as 'Label:<tab>answer' paragraphs, half in a table whose label cells carry help text;
    some questions left as Word's placeholder ("Click or tap here to enter text.")."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    body = document.element.body
    sect = body[-1]
    xml: list[str] = [f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{_runs(title, rng)}</w:p>']
    half = len(items) // 2
    for n, it in enumerate(items[:half]):
        label = it.label if it.label.rstrip().endswith((":", "?")) else it.label + ":"
        xml.append(f"<w:p>{_runs(label, rng, bold=True)}<w:r><w:tab/></w:r>{_word_value(it, rng, n)}</w:p>")
    for it in blanks:
        xml.append(f"<w:p>{_runs(it.label + ':', rng, bold=True)}<w:r><w:tab/></w:r>"
                   '<w:sdt><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>Click or tap here to '
                   "enter text.</w:t></w:r></w:sdtContent></w:sdt></w:p>")
    rows = []
    for n, it in enumerate(items[half:], start=half):
        help_text = ('<w:p><w:r><w:rPr><w:i/><w:sz w:val="16"/></w:rPr><w:t>Please complete in full.</w:t></w:r></w:p>'
                     if rng.random() < 0.3 else "")
        if it.key in ("pupil_address", "parent_address", "current_provision") and it.text:
            value = "".join(f"<w:p>{_runs(part.strip(), rng)}</w:p>" for part in it.text.split(","))
            it.expected = "\n".join(part.strip() for part in it.text.split(","))
        else:
            value = f"<w:p>{_word_value(it, rng, n)}</w:p>"
        rows.append(f"<w:tr><w:tc><w:p>{_runs(it.label, rng, bold=True)}</w:p>{help_text}</w:tc>"
                    f"<w:tc>{value}</w:tc></w:tr>")
    xml.append('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
               f'<w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid>{"".join(rows)}</w:tbl>')
    for fragment in xml:
        sect.addprevious(parse_xml(fragment.replace("<w:p>", f"<w:p {_W_NS}>", 1)
                                   if fragment.startswith("<w:p>") else
                                   fragment.replace("<w:p>", f"<w:p {_W_NS}>", 1).replace(
                                       "<w:tbl>", f"<w:tbl {_W_NS}>", 1)))
    document.save(str(path))


# ---------------------------------------------------------------- canvas-drawn forms (boxes, crosses, two columns)


def drawn_pdf(path: Path, title: str, items: list[Item], rng: random.Random, *, columns: int) -> None:
    """Grey labels, ruled value boxes, yes/no as drawn squares ticked by a vector cross or a ZapfDingbats
    mark; `columns` 2 puts the questions side by side."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(40, height - 50, title)
    col_width = (width - 80) / columns
    y = height - 85
    for start in range(0, len(items), columns):
        if y < 90:
            c.showPage()
            c.setFont("Helvetica-Bold", 9)
            c.drawString(40, height - 30, title)
            y = height - 60
        extra = 0
        for k, it in enumerate(items[start:start + columns]):
            x = 40 + k * col_width
            c.setFillGray(0.4)
            c.setFont("Helvetica", 8)
            label_width = col_width * (0.45 if columns == 2 else 0.4)
            words, lines, line = it.label.split(), [], ""
            for word in words:
                if c.stringWidth(f"{line} {word}".strip(), "Helvetica", 8) > label_width - 6:
                    lines.append(line)
                    line = word
                else:
                    line = f"{line} {word}".strip()
            lines.append(line)
            for n, text in enumerate(lines):
                c.drawString(x, y + 6 - 9 * n, text)
            extra = max(extra, 9 * (len(lines) - 3))
            c.setFillGray(0)
            vx = x + label_width
            if it.type_name == "bool" and isinstance(it.typed, bool):
                for offset, option in ((0, True), (45, False)):
                    c.rect(vx + offset, y + 2, 9, 9)
                    c.setFont("Helvetica", 8)
                    c.drawString(vx + offset + 13, y + 3, "Yes" if option else "No")
                    if option == it.typed:
                        if rng.random() < 0.5:
                            c.line(vx + offset + 1.5, y + 3.5, vx + offset + 7.5, y + 9.5)
                            c.line(vx + offset + 1.5, y + 9.5, vx + offset + 7.5, y + 3.5)
                        else:
                            c.setFont("ZapfDingbats", 8)
                            c.drawString(vx + offset + 1.5, y + 4, rng.choice("48"))
            else:
                box_width = col_width - label_width - 10
                parts, line = [], ""
                for word in it.text.split():  # a long answer wraps inside a taller box
                    if line and c.stringWidth(f"{line} {word}", "Helvetica", 8) > box_width - 6:
                        parts.append(line)
                        line = word
                    else:
                        line = f"{line} {word}".strip()
                parts.append(line)
                c.rect(vx, y - 10 * (len(parts) - 1), box_width, 14 + 10 * (len(parts) - 1))
                size = 8.0
                while max(c.stringWidth(p, "Helvetica", size) for p in parts) > box_width - 6 and size > 4:
                    size -= 0.5  # one long word (an email address): smaller type, as a filler would
                c.setFont("Helvetica", size)
                for n, text in enumerate(parts):
                    c.drawString(vx + 3, y + 4 - 10 * n, text)
                extra = max(extra, 10 * (len(parts) - 1))
        y -= 34 + extra
    c.save()


def qpdf_flattened(source: Path, path: Path) -> bool:
    """An AcroForm flattened by qpdf (appearances merged into the page); .ci/run installs qpdf."""
    qpdf = shutil.which("qpdf")
    assert qpdf is not None, "qpdf is needed to flatten forms as another tool would (apt-get install qpdf)"
    done = subprocess.run([qpdf, "--flatten-annotations=all", str(source), str(path)],
                          capture_output=True, timeout=60, check=False)
    return done.returncode in (0, 3) and path.is_file()
