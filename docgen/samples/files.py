"""Writers of invented form documents: the project's forms filled or flattened, plain tables, printed PDFs.

Each writer produces a real file as a school, a clinic or another tool would send it. Values
are Python values keyed by the data dictionary (see `docgen.samples.data`).
"""

from __future__ import annotations

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
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from docgen.config import PACKAGE_DATA
from docgen.dates import long_date
from docgen.forms import FORMS
from docgen.forms.blank import display_value, fill_content_control, write_blank_docx, write_blank_pdf
from docgen.forms.schema import Field
from docgen.forms.types import Bool, Date, YearGroup

# --- the project's own forms, filled ------------------------------------------------------------------


@functools.cache
def blank_form(kind: str, suffix: str) -> Path:
    """The shipped blank form `docgen/data/forms/<kind>.<suffix>`, or a freshly generated copy."""
    shipped = PACKAGE_DATA / "forms" / f"{kind}.{suffix}"
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
            return long_date(value)
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
