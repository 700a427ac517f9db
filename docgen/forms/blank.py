"""Blank fillable forms generated from the data dictionary (SPEC §3.6).

Each `FormSchema` becomes a fillable PDF (AcroForm fields named by key) and a DOCX
(a label/value table whose value cells hold content controls tagged by key), so the
forms the service sends out can never drift from what the extractor reads.

Yes/no questions are a pair of boxes, never one checkbox: a question nobody answered
must read back as blank (null), not as "no". In the PDF the pair is a radio group named
by the key with export values `/Yes` and `/No`; in the DOCX it is a content control
tagged by the key holding two `w14:checkbox` controls, reading "☐ Yes ☐ No".
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from lxml import etree
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from docgen.forms import FORMS
from docgen.forms.schema import Field, FormSchema
from docgen.forms.types import Bool, Date, Enum, Text, YearGroup

DATE_HINT = "DD/MM/YYYY"
YES, NO = "Yes", "No"
TICKED_BOX, EMPTY_BOX = "☒", "☐"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"

# Printed wording of each enum value (a choice field / drop-down offers these).
ENUM_LABELS: dict[str, str] = {
    "face_to_face": "Face to face",
    "video": "Video call",
    "telephone": "Telephone",
    "yes": "Yes",
    "no": "No",
    "part_time": "Part time only",
}


def printed_label(f: Field) -> str:
    """The question as printed on the blank forms: label, `*` when required, the note, a date hint."""
    text = f.label
    if f.required or f.required_note:
        text += " *"
    if f.required_note:
        text += f" ({f.required_note})"
    if isinstance(f.type, Date):
        text += f" ({DATE_HINT})"
    return text


def is_multiline(f: Field) -> bool:
    return isinstance(f.type, Text) and f.type.multiline


def enum_options(f: Field) -> list[str]:
    """The printed choices of a closed enum field (empty for other types, and for an open list such
    as the professional's role, which is written in words and matched from them)."""
    if not isinstance(f.type, Enum) or f.type.fallback is not None:
        return []
    return [ENUM_LABELS.get(v, v.replace("_", " ").capitalize()) for v in f.type.values]


def display_value(f: Field, value: Any) -> str:
    """A Python value as a person would write it on the form (dates day-first, enums in words)."""
    if value is None:
        return ""
    if isinstance(f.type, Bool) or isinstance(value, bool):
        return YES if value else NO
    if isinstance(f.type, Date) and hasattr(value, "strftime"):
        return str(value.strftime("%d/%m/%Y"))
    if enum_options(f):
        return ENUM_LABELS.get(str(value), str(value))
    if isinstance(f.type, YearGroup) and isinstance(value, int):
        return {0: "Reception", -1: "Nursery"}.get(value, f"Year {value}")
    return str(value)


# --- PDF ---------------------------------------------------------------------------------------------

PAGE_W, PAGE_H = A4
MARGIN = 48.0
LABEL_W = 250.0
FIELD_X = MARGIN + LABEL_W + 12
FIELD_W = PAGE_W - MARGIN - FIELD_X
LABEL_FONT, LABEL_SIZE = "Helvetica", 9.0
LINE = 11.0
TEXT_H, MULTI_H, BOX = 18.0, 58.0, 11.0
GAP = 7.0
FIELD_BORDER = Color(0.55, 0.55, 0.6)
FIELD_FILL = Color(0.94, 0.96, 1.0)


def write_blank_pdf(schema: FormSchema, path: Path) -> Path:
    """Write the form's fillable PDF: title, intro, then each question with its field beside it."""
    canvas = Canvas(str(path), pagesize=A4, invariant=True)
    canvas.setTitle(schema.title)
    canvas.setSubject(f"docgen form: {schema.kind}")
    canvas.setAuthor("Medical Needs Service")
    y = _pdf_heading(canvas, schema)
    for f in schema.fields:
        label_lines = simpleSplit(printed_label(f), LABEL_FONT, LABEL_SIZE, LABEL_W)
        height = max(len(label_lines) * LINE, _field_height(f))
        if y - height < MARGIN + 20:
            _pdf_footer(canvas, schema)
            canvas.showPage()
            y = PAGE_H - MARGIN
        canvas.setFont(LABEL_FONT, LABEL_SIZE)
        canvas.setFillColor(black)
        for i, line in enumerate(label_lines):
            canvas.drawString(MARGIN, y - LINE * (i + 1) + 2, line)
        _pdf_field(canvas, f, top=y)
        y -= height + GAP
    _pdf_footer(canvas, schema)
    canvas.save()
    _add_dingbats_resource(path)
    return path


def _add_dingbats_resource(path: Path) -> None:
    """Declare the ZapfDingbats font the Yes/No boxes' /DA names (reportlab leaves it out of /DR)."""
    writer = PdfWriter(clone_from=path)
    acro_form = cast(DictionaryObject, writer._root_object["/AcroForm"])
    resources = cast(DictionaryObject, acro_form["/DR"])
    fonts = cast(DictionaryObject, resources["/Font"])
    fonts[NameObject("/ZaDb")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/ZapfDingbats")}))
    with path.open("wb") as out:
        writer.write(out)


def _field_height(f: Field) -> float:
    if isinstance(f.type, Bool):
        return BOX + 4
    return MULTI_H if is_multiline(f) else TEXT_H


def _pdf_heading(canvas: Canvas, schema: FormSchema) -> float:
    y: float = PAGE_H - MARGIN
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawString(MARGIN, y - 15, schema.title)
    y -= 26
    canvas.setFont("Helvetica", 9.5)
    for line in simpleSplit(schema.intro, "Helvetica", 9.5, PAGE_W - 2 * MARGIN):
        canvas.drawString(MARGIN, y - 10, line)
        y -= 12
    canvas.drawString(MARGIN, y - 10, f"Questions marked * must be answered. Write dates as {DATE_HINT}.")
    return y - 26


def _pdf_footer(canvas: Canvas, schema: FormSchema) -> None:
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(Color(0.4, 0.4, 0.4))
    canvas.drawString(MARGIN, MARGIN - 20, f"{schema.title} — page {canvas.getPageNumber()}")
    canvas.setFillColor(black)


def _pdf_field(canvas: Canvas, f: Field, *, top: float) -> None:
    form = canvas.acroForm
    style: dict[str, Any] = {"borderColor": FIELD_BORDER, "fillColor": FIELD_FILL, "textColor": black,
                             "borderWidth": 0.8, "forceBorder": True}
    if isinstance(f.type, Bool):
        x = FIELD_X
        for word in (YES, NO):
            form.radio(name=f.key, value=word, selected=False, x=x, y=top - BOX - 1, size=BOX,
                       buttonStyle="check", shape="square", fieldFlags="radio", tooltip=f.label, **style)
            canvas.setFont(LABEL_FONT, LABEL_SIZE)
            canvas.drawString(x + BOX + 4, top - BOX + 1, word)
            x += 60
        return
    options = enum_options(f)
    if options:
        # reportlab cannot write a choice with no value: a blank option (" ") stands for "not answered".
        form.choice(name=f.key, value=" ", options=[" ", *options], x=FIELD_X, y=top - TEXT_H, width=FIELD_W / 2,
                    height=TEXT_H, fontName="Helvetica", fontSize=9, tooltip=f.label, fieldFlags="combo", **style)
        return
    height = _field_height(f)
    form.textfield(name=f.key, value="", x=FIELD_X, y=top - height, width=FIELD_W, height=height,
                   fontName="Helvetica", fontSize=9, maxlen=None, tooltip=f.label,
                   fieldFlags="multiline" if is_multiline(f) else "", **style)


# --- DOCX --------------------------------------------------------------------------------------------

LABEL_CM, VALUE_CM = Cm(7.5), Cm(9.5)


def write_blank_docx(schema: FormSchema, path: Path) -> Path:
    """Write the form's DOCX: title heading, intro, and a label/value table of content controls."""
    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    document.core_properties.title = schema.title
    document.core_properties.subject = f"docgen form: {schema.kind}"
    document.core_properties.author = "Medical Needs Service"
    document.add_heading(schema.title, level=1)
    document.add_paragraph(schema.intro)
    document.add_paragraph(f"Questions marked * must be answered. Write dates as {DATE_HINT}.")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    ids = itertools.count(1001)
    for f in schema.fields:
        row = table.add_row()
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        row.height = Cm(2.2) if is_multiline(f) else Cm(0.75)
        label_cell, value_cell = row.cells
        label_cell.width, value_cell.width = LABEL_CM, VALUE_CM
        run = label_cell.paragraphs[0].add_run(printed_label(f))
        run.font.size = Pt(10)
        control = content_control(f, ids)
        if is_multiline(f):
            value_cell._tc.remove(value_cell.paragraphs[0]._p)
            value_cell._tc.append(control)
        else:
            value_cell.paragraphs[0]._p.append(control)
    for column, width in zip(table.columns, (LABEL_CM, VALUE_CM), strict=True):
        column.width = width
    document.save(str(path))
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """Give every member of a DOCX one fixed time, so regenerating a form changes no bytes."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data,
                            compress_type=zipfile.ZIP_DEFLATED)


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def _el(tag: str, parent: etree._Element | None = None, **attrs: str) -> etree._Element:
    element = etree.Element(tag) if parent is None else etree.SubElement(parent, tag)
    for name, value in attrs.items():
        element.set(_w(name) if ":" not in name else name, value)
    return element


def content_control(f: Field, ids: Iterator[int], value: Any = None) -> etree._Element:
    """A `w:sdt` tagged with the field's key, holding `value` as the form would show it.

    Long-text questions get a cell-level control holding one paragraph per line (line breaks
    inside an inline control are lost when LibreOffice prints it); the rest are inline controls.
    """
    sdt = _el(_w("sdt"))
    pr = _el(_w("sdtPr"), sdt)
    _el(_w("alias"), pr, val=f.label[:250])
    _el(_w("tag"), pr, val=f.key)
    _el(_w("id"), pr, val=str(next(ids)))
    content = _el(_w("sdtContent"), sdt)
    if isinstance(f.type, Bool):
        for word in (YES, NO):
            content.append(_checkbox(ids, ticked=False))
            _text_run(content, f" {word}   ")
    else:
        options = enum_options(f)
        if options:
            drop = _el(_w("dropDownList"), pr)
            for option in options:
                _el(_w("listItem"), drop, displayText=option, value=option)
        elif not is_multiline(f):
            _el(_w("text"), pr)
    fill_content_control(sdt, f, value)
    return sdt


def fill_content_control(sdt: etree._Element, f: Field, value: Any) -> None:
    """Put a value into a content control made by `content_control` (ticking Yes or No for a bool)."""
    content = sdt.find(_w("sdtContent"))
    if content is None:
        raise ValueError(f"content control {f.key!r} has no content")
    if isinstance(f.type, Bool):
        boxes = [box for box in content if box.tag == _w("sdt")]
        for box, word in zip(boxes, (YES, NO), strict=True):
            ticked = value is not None and bool(value) == (word == YES)
            for checked in box.iter(f"{{{W14}}}checked"):
                checked.set(f"{{{W14}}}val", "1" if ticked else "0")
            for t in box.iter(_w("t")):
                t.text = TICKED_BOX if ticked else EMPTY_BOX
        return
    block = is_multiline(f)
    for child in list(content):
        content.remove(child)
    if not block:
        _text_run(content, display_value(f, value))
        return
    for line in display_value(f, value).split("\n"):
        paragraph = _el(_w("p"), content)
        if line:
            _text_run(paragraph, line)


def _checkbox(ids: Iterator[int], ticked: bool) -> etree._Element:
    sdt = _el(_w("sdt"))
    pr = _el(_w("sdtPr"), sdt)
    _el(_w("id"), pr, val=str(next(ids)))
    box = etree.SubElement(pr, f"{{{W14}}}checkbox")
    etree.SubElement(box, f"{{{W14}}}checked").set(f"{{{W14}}}val", "1" if ticked else "0")
    etree.SubElement(box, f"{{{W14}}}checkedState").attrib.update(
        {f"{{{W14}}}val": "2612", f"{{{W14}}}font": "MS Gothic"})
    etree.SubElement(box, f"{{{W14}}}uncheckedState").attrib.update(
        {f"{{{W14}}}val": "2610", f"{{{W14}}}font": "MS Gothic"})
    content = _el(_w("sdtContent"), sdt)
    run = _text_run(content, TICKED_BOX if ticked else EMPTY_BOX)
    run_pr = _el(_w("rPr"))
    _el(_w("rFonts"), run_pr, ascii="MS Gothic", hAnsi="MS Gothic", eastAsia="MS Gothic")
    run.insert(0, run_pr)
    return sdt


def _text_run(parent: etree._Element, text: str) -> etree._Element:
    """Append a run holding text, line breaks as `w:br`."""
    run = _el(_w("r"), parent)
    for i, line in enumerate(text.split("\n")):
        if i:
            _el(_w("br"), run)
        t = _el(_w("t"), run)
        t.text = line
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


# --- all forms ---------------------------------------------------------------------------------------


def write_blank_forms(out_dir: Path) -> list[Path]:
    """Write `<kind>.pdf` and `<kind>.docx` for every form kind into out_dir; return the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for kind, schema in FORMS.items():
        written.append(write_blank_pdf(schema, out_dir / f"{kind}.pdf"))
        written.append(write_blank_docx(schema, out_dir / f"{kind}.docx"))
    return written


__all__ = ["DATE_HINT", "ENUM_LABELS", "content_control", "display_value", "enum_options", "fill_content_control",
           "printed_label", "write_blank_docx", "write_blank_forms", "write_blank_pdf"]
