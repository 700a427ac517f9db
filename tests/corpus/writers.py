"""Write the corpus's documents with tools other than docgen: HTML/FODT for LibreOffice, raw WordprocessingML
content controls, reportlab AcroForms, and Ghostscript/qpdf/pdftocairo flattening."""

from __future__ import annotations

import html
import shutil
import subprocess
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.corpus.data import Q


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def answer_text(q: Q, style: int) -> str:
    """An answer as a person types it; a yes/no answer in one of the ways schools write it."""
    if q.answer is None:
        return ""
    if isinstance(q.answer, bool):
        if style % 3 == 1:
            return "☒ Yes ☐ No" if q.answer else "☐ Yes ☒ No"
        return ("Yes" if q.answer else "No") if style % 3 == 0 else ("Y" if q.answer else "N")
    return str(q.answer)


# ---------------------------------------------------------------- HTML (LibreOffice → DOCX / PDF)


def html_table(title: str, questions: Sequence[Q], *, style: int, columns: int = 2) -> str:
    """A bordered table: label | answer (or label | answer | label | answer), a heading above."""
    rows = []
    cells = [f"<td><b>{_e(q.label)}</b></td><td>{_e(answer_text(q, style))}</td>" for q in questions]
    for start in range(0, len(cells), columns // 2):
        rows.append("<tr>" + "".join(cells[start:start + columns // 2]) + "</tr>")
    return (f"<html><head><meta charset='utf-8'><title>{_e(title)}</title></head><body>"
            f"<h1>{_e(title)}</h1><p>Norfolk County Council — please complete every section.</p>"
            f"<table border='1' cellpadding='3' style='border-collapse:collapse;width:100%'>{''.join(rows)}</table>"
            "</body></html>")


def html_letter(lines: Sequence[str]) -> str:
    """A letter: one paragraph per line ('' = a gap)."""
    body = "".join(f"<p>{_e(line)}</p>" if line else "<p>&nbsp;</p>" for line in lines)
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"


# ---------------------------------------------------------------- FODT ("Label: value" paragraphs)

_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles>
<style:style style:name="H" style:family="paragraph"><style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="P" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.12cm"/></style:style>
</office:automatic-styles>
<office:body><office:text>
"""


def fodt_paragraphs(title: str, questions: Sequence[Q], *, style: int) -> str:
    """'Label: answer' paragraphs, the label in bold, the answer after a colon (and a tab on odd styles)."""
    out = [_FODT, f'<text:p text:style-name="H">{_e(title)}</text:p>']
    for q in questions:
        label = q.label.rstrip(":?") + ("?" if q.label.endswith("?") else ":")
        gap = "<text:tab/>" if style % 2 else " "
        out.append(f'<text:p text:style-name="P"><text:span text:style-name="B">{_e(label)}</text:span>{gap}'
                   f"{_e(answer_text(q, style))}</text:p>")
    out.append("</office:text></office:body></office:document>\n")
    return "".join(out)


def soffice(sources: Sequence[Path], target: str, out: Path) -> None:
    """One LibreOffice call converts every source to `target` (docx or pdf), with a private profile."""
    if not sources:
        return
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None, "LibreOffice is needed (apt-get install libreoffice-writer-nogui)"
    fmt = "docx:MS Word 2007 XML" if target == "docx" else "pdf:writer_pdf_Export"
    htmls = [s for s in sources if s.suffix == ".html"]
    others = [s for s in sources if s.suffix != ".html"]
    for group, infilter in ((htmls, ["--infilter=HTML (StarWriter)"]), (others, [])):
        if group:
            subprocess.run([office, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless", *infilter,
                            "--convert-to", fmt, "--outdir", str(out), *map(str, group)],
                           check=True, capture_output=True, timeout=170)


# ---------------------------------------------------------------- raw WordprocessingML content controls

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="w14"')
_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/>'
          '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.styles+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'styles" Target="styles.xml"/></Relationships>')
_STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {_NS}>'
           '<w:style w:type="character" w:styleId="PlaceholderText"><w:name w:val="Placeholder Text"/>'
           '<w:rPr><w:color w:val="808080"/></w:rPr></w:style>'
           '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>')
# tags as other councils' form builders leave them: foreign words, Word's numbering, or none at all
_FOREIGN = ("enw", "dyddiad", "cyfeiriad", "ffon", "ebost", "swydd", "ysgol", "rhiant", "nodyn", "blwch")


def _run(text: str, *, placeholder: bool = False, box: bool = False) -> str:
    props = '<w:rPr><w:rStyle w:val="PlaceholderText"/></w:rPr>' if placeholder else (
        '<w:rPr><w:rFonts w:ascii="MS Gothic" w:hAnsi="MS Gothic" w:eastAsia="MS Gothic"/></w:rPr>' if box else "")
    return f'<w:r>{props}<w:t xml:space="preserve">{_e(text)}</w:t></w:r>'


class Sdt:
    """Content-control XML with ids, tags and aliases in one of a few builders' habits."""

    def __init__(self, habit: int) -> None:
        self.habit = habit
        self.n = 0

    def _names(self, label: str) -> str:
        self.n += 1
        habit = (self.habit + self.n) % 4
        if habit == 0:
            return ""  # neither tag nor alias
        if habit == 1:
            return f'<w:tag w:val="{_FOREIGN[self.n % len(_FOREIGN)]}_{self.n}"/>'
        if habit == 2:
            return f'<w:alias w:val="{_e(label[:60])}"/><w:tag w:val="Text{self.n}"/>'
        return f'<w:tag w:val="ctl{self.n:03d}"/>'

    def text(self, label: str, value: str | None, *, block: bool = False, blank_style: int = 0) -> str:
        names = f'{self._names(label)}<w:id w:val="{1000 + self.n}"/>'
        if value:
            pr, content = f"<w:sdtPr>{names}<w:text/></w:sdtPr>", _run(value)
        elif blank_style % 2 == 0:
            pr = (f'<w:sdtPr>{names}<w:placeholder><w:docPart w:val="DefaultPlaceholder_-1854013440"/>'
                  "</w:placeholder><w:showingPlcHdr/><w:text/></w:sdtPr>")
            content = _run("Click or tap here to enter text.", placeholder=True)
        else:  # placeholder text kept in its style but the flag lost (copied from another form)
            pr = f"<w:sdtPr>{names}<w:text/></w:sdtPr>"
            content = _run("Click here to enter text.", placeholder=True)
        if block:
            return f"<w:sdt>{pr}<w:sdtContent><w:p>{content}</w:p></w:sdtContent></w:sdt>"
        return f"<w:sdt>{pr}<w:sdtContent>{content}</w:sdtContent></w:sdt>"

    def date(self, label: str, shown: str, iso: str) -> str:
        names = f'{self._names(label)}<w:id w:val="{1000 + self.n}"/>'
        return (f'<w:sdt><w:sdtPr>{names}<w:date w:fullDate="{iso}T00:00:00Z"><w:dateFormat w:val="dd/MM/yyyy"/>'
                '<w:lid w:val="en-GB"/><w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/>'
                f"</w:date></w:sdtPr><w:sdtContent>{_run(shown)}</w:sdtContent></w:sdt>")

    def dropdown(self, label: str, shown: str, options: Sequence[str]) -> str:
        names = f'{self._names(label)}<w:id w:val="{1000 + self.n}"/>'
        items = "".join(f'<w:listItem w:displayText="{_e(o)}" w:value="{n}"/>' for n, o in enumerate(options))
        return (f"<w:sdt><w:sdtPr>{names}<w:dropDownList>"
                f'<w:listItem w:value=""/>{items}</w:dropDownList></w:sdtPr>'
                f"<w:sdtContent>{_run(shown)}</w:sdtContent></w:sdt>")

    def checkbox(self, label: str, checked: bool) -> str:
        names = f'{self._names(label)}<w:id w:val="{1000 + self.n}"/>'
        return (f'<w:sdt><w:sdtPr>{names}<w14:checkbox><w14:checked w14:val="{int(checked)}"/>'
                '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
                '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
                f"<w:sdtContent>{_run('☒' if checked else '☐', box=True)}</w:sdtContent></w:sdt>")


def _cell(inner: str, width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{inner}</w:tc>'


def sdt_docx(path: Path, title: str, questions: Sequence[Q], *, habit: int,
             options: dict[str, Sequence[str]]) -> None:
    """A council's fillable Word form: a two-column table whose answer cells hold content controls."""
    sdt = Sdt(habit)
    rows = []
    for n, q in enumerate(questions):
        if q.kind == "bool" and q.answer is not None:
            value = (f"<w:p>{_run('Yes ')}{sdt.checkbox(q.label + ' Yes', bool(q.answer))}{_run('   No ')}"
                     f"{sdt.checkbox(q.label + ' No', not q.answer)}</w:p>")
        elif q.kind == "bool":
            value = f"<w:p>{_run('Yes ')}{sdt.checkbox('Yes', False)}{_run('   No ')}{sdt.checkbox('No', False)}</w:p>"
        elif q.kind == "date" and q.answer:
            value = f"<w:p>{sdt.date(q.label, str(q.answer), str(q.expected))}</w:p>"
        elif q.kind == "choice" and q.answer and q.key in options:
            value = f"<w:p>{sdt.dropdown(q.label, str(q.answer), options[q.key])}</w:p>"
        elif (habit + n) % 3 == 0:
            value = sdt.text(q.label, str(q.answer) if q.answer else None, block=True, blank_style=n)
        else:
            value = f"<w:p>{sdt.text(q.label, str(q.answer) if q.answer else None, blank_style=n)}</w:p>"
        rows.append(f"<w:tr>{_cell(f'<w:p>{_run(q.label)}</w:p>', 4200)}{_cell(value, 5200)}</w:tr>")
    body = (f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{_run(title)}</w:p>'
            f"<w:p>{_run('Please complete all fields. Use the boxes to tick.')}</w:p>"
            '<w:tbl><w:tblPr><w:tblW w:w="9400" w:type="dxa"/><w:tblBorders>'
            '<w:top w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/>'
            '<w:insideV w:val="single" w:sz="4"/></w:tblBorders></w:tblPr>'
            f"<w:tblGrid><w:gridCol w:w=\"4200\"/><w:gridCol w:w=\"5200\"/></w:tblGrid>{''.join(rows)}</w:tbl>"
            "<w:sectPr/>")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>{body}'
                "</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/styles.xml", _STYLES)
        z.writestr("word/document.xml", document)


# ---------------------------------------------------------------- AcroForm PDFs and their flattened prints


def acroform_pdf(path: Path, title: str, questions: Sequence[Q], unticked: Sequence[Q]) -> None:
    """Questions printed on the left; text fields, Yes/No box pairs (bordered) and single checklist boxes
    (borderless, "tick if done") on the right, with field names that say nothing (Text7, Check Box3)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Helvetica-Bold", 13)
    c.drawString(36, height - 46, title)
    y = height - 76
    form = c.acroForm
    for n, q in enumerate([*questions, *unticked], start=1):
        if y < 56:
            c.showPage()
            y = height - 56
        c.setFont("Helvetica", 8.5)
        label, rest = q.label, ""
        while c.stringWidth(label, "Helvetica", 8.5) > 270:
            label, word = label.rsplit(" ", 1)
            rest = f"{word} {rest}".strip()
        c.drawString(36, y + 4, label)
        if rest:
            c.drawString(36, y - 6, rest)
        checklist = q.key.startswith("chk_")
        if q.kind == "bool" and checklist:
            form.checkbox(name=f"Check Box{n}", x=330, y=y, size=11, checked=bool(q.answer), buttonStyle="check",
                          borderWidth=0, borderColor=None, fillColor=None)
        elif q.kind == "bool":
            for offset, option in ((0, True), (56, False)):
                form.checkbox(name=f"Check Box{n}{'ab'[offset > 0]}", x=330 + offset, y=y, size=11,
                              checked=q.answer is option, buttonStyle="cross", borderWidth=1)
                c.drawString(344 + offset, y + 2, "Yes" if option else "No")
        else:
            form.textfield(name=f"Text{n}", value=str(q.answer or ""), x=330, y=y - 3, width=230, height=15,
                           fontSize=8, borderWidth=1)
        y -= 26 if rest else 22
    c.save()


def flatten(source: Path, target: Path, tool: str) -> None:
    """Print a filled form to a plain PDF as Ghostscript, qpdf or poppler's pdftocairo would."""
    if tool == "gs":
        command = ["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-dPrinted",
                   "-dShowAnnots=true", f"-sOutputFile={target}", str(source)]
    elif tool == "qpdf":
        command = ["qpdf", "--generate-appearances", "--flatten-annotations=all", str(source), str(target)]
    else:
        command = ["pdftocairo", "-pdf", str(source), str(target)]
    assert shutil.which(command[0]), f"{command[0]} is needed (see .ci/run)"
    done = subprocess.run(command, capture_output=True, timeout=60, check=False)
    assert done.returncode in (0, 3) and target.is_file(), done.stderr[-400:]


def raw_pdf(path: Path, objects: Sequence[bytes], *, version: bytes = b"1.4") -> Path:
    """A PDF written byte by byte: `objects` numbered from 1 (the first the catalogue), a cross-reference table
    and a trailer, nothing a PDF library would tidy (for hostile or unusual files no tool would make)."""
    data = bytearray(b"%PDF-" + version + b"\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(data))
        data += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(data)
    data += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(data))
    return path


def canvas_rows(c: Any, title: str, rows: Sequence[tuple[str, str]], *, top: float, value_x: float,
                size: int = 10, step: float = 24) -> float:
    """A reportlab page's title and its label/answer rows of plain text (the part of a referral page that makes
    it one); the y of the next row."""
    c.setFont("Helvetica-Bold", 16)
    c.drawString(50, 790, title)
    y = top
    for label, value in rows:
        c.setFont("Helvetica", size)
        c.drawString(50, y, label)
        c.drawString(value_x, y, value)
        y -= step
    return y
