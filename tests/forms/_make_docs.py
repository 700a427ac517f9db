"""Test helpers: write real DOCX and PDF documents in the layouts other tools and people produce.

All names, dates and addresses are invented.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

Pairs = Sequence[tuple[str, str]]
FONT = "Helvetica"


def _font() -> str:
    """DejaVu Sans when installed (it has ☐/☒), else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not path.is_file():
        return "Helvetica"
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(path)))
    return "DejaVuSans"


def docx_table(path: Path, title: str, pairs: Pairs, *, layout: str = "rows", heading: bool = True) -> Path:
    """A label/value table: `rows` (label | value), `two` (two pairs per row) or `above` (labels over values)."""
    document = docx.Document()
    if heading:
        document.add_heading(title, level=1)
    else:
        document.add_paragraph(title)
    if layout == "rows":
        table = document.add_table(rows=0, cols=2)
        for label, value in pairs:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, value
    elif layout == "two":
        table = document.add_table(rows=0, cols=4)
        for start in range(0, len(pairs), 2):
            cells = table.add_row().cells
            for n, (label, value) in enumerate(pairs[start:start + 2]):
                cells[2 * n].text, cells[2 * n + 1].text = label, value
    else:
        table = document.add_table(rows=0, cols=3)
        for start in range(0, len(pairs), 3):
            chunk = pairs[start:start + 3]
            top, bottom = table.add_row().cells, table.add_row().cells
            for n, (label, value) in enumerate(chunk):
                top[n].text, bottom[n].text = label, value
    table.style = "Table Grid"
    document.save(str(path))
    return path


def docx_paragraphs(path: Path, title: str, pairs: Pairs, *, below: bool = False) -> Path:
    """"Label: value" paragraphs, or each label in bold with its value in the next paragraph."""
    document = docx.Document()
    document.add_heading(title, level=1)
    for label, value in pairs:
        if below:
            document.add_paragraph().add_run(label).bold = True
            document.add_paragraph(value)
        else:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    document.save(str(path))
    return path


def _sdt_text(tag: str, alias: str, value: str | None) -> str:
    placeholder = "<w:showingPlcHdr/>" if value is None else ""
    shown = "Click or tap here to enter text." if value is None else value
    return (f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>{placeholder}'
            f'</w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{shown}</w:t></w:r></w:sdtContent></w:sdt>')


def _sdt_checkbox(tag: str, checked: bool) -> str:
    ns = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    glyph = "☒" if checked else "☐"
    return (f'<w:sdt {nsdecls("w")} {ns}><w:sdtPr><w:tag w:val="{tag}"/><w14:checkbox>'
            f'<w14:checked w14:val="{1 if checked else 0}"/></w14:checkbox></w:sdtPr>'
            f'<w:sdtContent><w:r><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>')


def docx_content_controls(path: Path, title: str, texts: dict[str, str | None], boxes: dict[str, bool]) -> Path:
    """Content controls tagged by key (text, with placeholders for None) and w14 checkboxes."""
    document = docx.Document()
    document.add_heading(title, level=1)
    for tag, value in texts.items():
        paragraph = document.add_paragraph(f"{tag.replace('_', ' ')} ")
        paragraph._p.append(parse_xml(_sdt_text(tag, tag.replace("_", " ").title(), value)))
    for tag, checked in boxes.items():
        paragraph = document.add_paragraph()
        paragraph._p.append(parse_xml(_sdt_checkbox(tag, checked)))
        paragraph.add_run(f" {tag}")
    document.save(str(path))
    return path


def _legacy_run(xml: str) -> Any:
    return parse_xml(f'<w:r {nsdecls("w")}>{xml}</w:r>')


def docx_legacy_fields(path: Path, title: str, texts: Pairs, boxes: Sequence[tuple[str, bool, bool]],
                       dropdowns: Sequence[tuple[str, Sequence[str], int]] = ()) -> Path:
    """A table of labels with legacy FORMTEXT fields, FORMCHECKBOX fields (checked, or only default) and
    FORMDROPDOWN fields (entries, chosen index)."""
    document = docx.Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=0, cols=2)
    for n, (label, value) in enumerate(texts, start=1):
        cells = table.add_row().cells
        cells[0].text = label
        p = cells[1].paragraphs[0]._p
        p.append(_legacy_run(f'<w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text{n}"/><w:enabled/>'
                             '<w:textInput/></w:ffData></w:fldChar>'))
        p.append(_legacy_run('<w:instrText xml:space="preserve"> FORMTEXT </w:instrText>'))
        p.append(_legacy_run('<w:fldChar w:fldCharType="separate"/>'))
        p.append(_legacy_run(f'<w:t xml:space="preserve">{value}</w:t>'))
        p.append(_legacy_run('<w:fldChar w:fldCharType="end"/>'))
    for n, (label, checked, via_default) in enumerate(boxes, start=1):
        cells = table.add_row().cells
        cells[0].text = label
        state = (f'<w:default w:val="{int(checked)}"/>' if via_default
                 else f'<w:default w:val="0"/><w:checked w:val="{int(checked)}"/>')
        p = cells[1].paragraphs[0]._p
        p.append(_legacy_run(f'<w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check{n}"/><w:enabled/>'
                             f'<w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData></w:fldChar>'))
        p.append(_legacy_run('<w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText>'))
        p.append(_legacy_run('<w:fldChar w:fldCharType="end"/>'))
    for n, (label, entries, chosen) in enumerate(dropdowns, start=1):
        cells = table.add_row().cells
        cells[0].text = label
        items = "".join(f'<w:listEntry w:val="{e}"/>' for e in entries)
        p = cells[1].paragraphs[0]._p
        p.append(_legacy_run(f'<w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Dropdown{n}"/>'
                             f'<w:enabled/><w:ddList><w:result w:val="{chosen}"/>{items}</w:ddList></w:ffData>'
                             '</w:fldChar>'))
        p.append(_legacy_run('<w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText>'))
        p.append(_legacy_run('<w:fldChar w:fldCharType="end"/>'))
    document.save(str(path))
    return path


def flat_pdf(path: Path, title: str, pairs: Pairs, *, label_width: float = 190, two_per_row: bool = False,
             font_size: float = 10) -> Path:
    """A printed form drawn with reportlab: labels wrapped in a left column, answers in the right column."""
    font = _font()
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, height - 60, title)
    y = height - 100
    leading = font_size + 3
    columns = [(50, 50 + label_width + 10)] if not two_per_row else [(50, 160), (310, 420)]
    row: list[tuple[str, str]] = []
    items = list(pairs)
    while items:
        row = [items.pop(0) for _ in columns if items]
        used = 1
        for (label_x, value_x), (label, value) in zip(columns, row, strict=False):
            limit = label_width if not two_per_row else 100
            lines = _wrap(label, limit, font_size, font)
            c.setFont(font, font_size)
            for n, line in enumerate(lines):
                c.drawString(label_x, y - n * leading, line)
            c.drawString(value_x, y, value)
            used = max(used, len(lines))
        y -= used * leading + 8
        if y < 80:
            c.showPage()
            y = height - 60
    c.save()
    return path


def _wrap(text: str, width: float, size: float, font: str) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) > width and current:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current else lines


def acroform_pdf(path: Path, title: str, texts: Sequence[tuple[str, str, str]],
                 boxes: Sequence[tuple[str, str, bool]] = (), radios: Sequence[tuple[str, str, str | None]] = (),
                 *, on_value: str = "Yes") -> Path:
    """A fillable PDF from reportlab: text fields (name, tooltip, value), checkboxes (name, tooltip, checked),
    Yes/No radio groups (name, tooltip, selected); checkbox on-values renamed to `on_value` afterwards."""
    raw = path.with_suffix(".raw.pdf")
    c = canvas.Canvas(str(raw), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, height - 60, title)
    c.setFont("Helvetica", 10)
    y = height - 100
    form = c.acroForm
    for name, tooltip, value in texts:
        c.drawString(50, y + 4, tooltip or name)
        form.textfield(name=name, tooltip=tooltip or None, value=value, x=260, y=y, width=280, height=16,
                       borderWidth=0)
        y -= 24
    for name, tooltip, checked in boxes:
        c.drawString(50, y + 4, tooltip or name)
        form.checkbox(name=name, tooltip=tooltip or None, checked=checked, x=260, y=y, size=12)
        y -= 24
    for name, tooltip, selected in radios:
        c.drawString(50, y + 4, tooltip or name)
        for n, option in enumerate(("Yes", "No")):
            form.radio(name=name, tooltip=tooltip or None, value=option, selected=(option == selected),
                       x=260 + n * 60, y=y, size=12)
            c.drawString(276 + n * 60, y + 2, option)
        y -= 24
    c.save()
    if on_value == "Yes":
        shutil.move(str(raw), path)
        return path
    writer = PdfWriter(clone_from=PdfReader(str(raw)))
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            if widget.get("/FT") != "/Btn" or "/Parent" in widget:
                continue
            normal = widget["/AP"]["/N"]
            assert isinstance(normal, DictionaryObject)
            if "/Yes" in normal:
                normal[NameObject(f"/{on_value}")] = normal.pop("/Yes")
            if widget.get("/V") == "/Yes":
                widget[NameObject("/V")] = NameObject(f"/{on_value}")
                widget[NameObject("/AS")] = NameObject(f"/{on_value}")
    with path.open("wb") as out:
        writer.write(out)
    raw.unlink()
    return path


def set_tooltip(path: Path, name: str, tooltip: str) -> None:
    """Give one field a /TU tooltip (for fields named Text1 and the like)."""
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            widget = ref.get_object()
            if widget.get("/T") == name:
                widget[NameObject("/TU")] = TextStringObject(tooltip)
    with path.open("wb") as out:
        writer.write(out)


def to_pdf(paths: Sequence[Path], out_dir: Path) -> list[Path]:
    """Print DOCX files to PDF with one LibreOffice process and a private profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed for these tests"
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, paths)],
                       check=True, capture_output=True, timeout=300)
    return [out_dir / f"{p.stem}.pdf" for p in paths]


def anonymous_acroform(path: Path, title: str, items: Sequence[tuple[str, str, Any]]) -> Path:
    """A fillable PDF whose fields have meaningless names (Text1, Check Box2, Group3) and no tooltips;
    the question is printed beside each field. Items: (printed label, "text"|"check"|"radio", value)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, height - 60, title)
    c.setFont("Helvetica", 10)
    form = c.acroForm
    y = height - 100
    for n, (label, kind, value) in enumerate(items, start=1):
        c.drawString(50, y + 4, label)
        if kind == "text":
            form.textfield(name=f"Text{n}", value=value, x=300, y=y, width=240, height=16, borderWidth=0)
        elif kind == "check":
            form.checkbox(name=f"Check Box{n}", checked=bool(value), x=300, y=y, size=12)
        else:
            for k, option in enumerate(("Yes", "No")):
                form.radio(name=f"Group{n}", value=f"Choice{k + 1}", selected=(option == value),
                           x=300 + k * 60, y=y, size=12)
                c.drawString(316 + k * 60, y + 2, option)
        y -= 26
    c.save()
    return path


def flat_pdf_styled(path: Path, title: str, pairs: Pairs, *, style: str) -> Path:
    """Other printed layouts: `above` (small label, larger answer under it), `right` (labels right-aligned
    against the answers, colon-terminated)."""
    font = _font()
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, height - 42, title)
    y = height - 72
    for label, value in pairs:
        if style == "above":
            c.setFont(font, 8)
            c.drawString(50, y, label)
            c.setFont(font, 11)
            c.drawString(50, y - 13, value)
            y -= 36
        else:
            c.setFont(font, 9)
            c.drawRightString(280, y, f"{label}:")
            c.drawString(292, y, value)
            y -= 18
        if y < 60:
            c.showPage()
            y = height - 60
    c.save()
    return path


def docx_wingdings(path: Path, title: str, questions: Sequence[tuple[str, bool]]) -> Path:
    """Yes/No answers typed as Wingdings box symbols (w:sym F0FE ticked, F0A8 empty), as Word's Insert Symbol does."""
    document = docx.Document()
    document.add_heading(title, level=1)
    for label, yes in questions:
        paragraph = document.add_paragraph(f"{label} ")
        for word, ticked in (("Yes", yes), ("No", not yes)):
            char = "F0FE" if ticked else "F0A8"
            paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="{char}"/></w:r>'))
            paragraph.add_run(f" {word} ")
    document.save(str(path))
    return path
