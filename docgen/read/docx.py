"""Read a DOCX (already sniffed safe) into `Content`: paragraphs, tables, content controls, legacy fields.

The body is walked with lxml in document order, so merged cells appear once, block-level
content controls are looked through, and checkboxes of every kind (legacy FORMCHECKBOX,
`w14:checkbox`, Wingdings symbols, ☒/☐ characters) become ☒/☐ glyphs in the text.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from docgen.errors import ExtractionError, ReasonCode
from docgen.read import docxpackage
from docgen.read.labels import RawField
from docgen.read.sniff import docx_members, well_formed_parts
from docgen.read.text import Content, Line, Seg, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"  # a copy of mc:Choice
# the tags `_walk` tells apart, made once: it looks at every element of every paragraph
_TEXT, _TAB, _SYM, _FIELD_CHAR, _SDT = _w("t"), _w("tab"), _w("sym"), _w("fldChar"), _w("sdt")
_BREAKS = frozenset({_w("br"), _w("cr")})
_NOT_SHOWN = frozenset({_w("instrText"), _w("delText"), _w("rPr"), _w("pPr"), _w("sdtPr"), _w("del"), _w("moveFrom"),
                        _FALLBACK})
TICKED, UNTICKED = "☒", "☐"
# Wingdings / Wingdings 2 code points commonly used for boxes (w:sym w:char)
_SYMBOLS = {
    "F0FE": TICKED, "FE": TICKED, "F078": TICKED, "F0FD": TICKED, "F053": TICKED, "F054": TICKED,
    "F052": "☑", "F0A8": UNTICKED, "A8": UNTICKED, "F06F": UNTICKED, "F0A3": UNTICKED, "F02A": UNTICKED,
    "F0A2": UNTICKED, "F0FC": "✓", "F050": "✓",
}
_MAX_LINES = 20_000


def read_docx(path: Path) -> Content:
    """Read a sniffed DOCX into Content; a package python-docx cannot open is 'damaged'.

    The parts are found and parsed by `docxpackage` (lxml, python-docx's rules) when the file was sniffed
    in this process; anything it is unsure of is opened by python-docx itself, as before.
    """
    try:
        parts = docxpackage.open_parts(path, well_formed_parts(path), docx_members(path))
        body, headers, footers = parts.body, parts.headers, parts.footers
    except docxpackage.Unusual:
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, KeyError, ValueError, TypeError, AttributeError, IndexError,
                etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
            raise ExtractionError(ReasonCode.DAMAGED,
                                  f"{path.name} is a damaged Word file ({type(exc).__name__}); "
                                  "ask the sender to save it again and resend") from exc
        body = document.element.body
        headers, footers = _page_parts(document)
    content = Content()
    top = _BodyReader(content)  # a page header is read like the body: "Surname: …" printed in it is an answer
    for element in headers:
        top.block(element)
    reader = _BodyReader(content)
    reader.block(body)
    bottom = _BodyReader(content)
    for element in footers:
        bottom.block(element)
    head_parts = [*top.text_lines, *bottom.text_lines]
    content.fields.extend(_content_controls(body))
    content.fields.extend(_legacy_fields(body))
    body_text = "\n".join(reader.text_lines)
    content.text = ("\n".join(head_parts) + "\n" + body_text).strip() if head_parts else body_text
    content.head = "\n".join([*head_parts, *reader.text_lines[:25]])
    return content


def _page_parts(document: Any) -> tuple[list[Any], list[Any]]:
    """The XML of each section's own page headers and footers (those not linked to the section before)."""
    headers: list[Any] = []
    footers: list[Any] = []
    for section in document.sections:
        for part, into in ((section.header, headers), (section.first_page_header, headers),
                           (section.even_page_header, headers), (section.footer, footers),
                           (section.first_page_footer, footers), (section.even_page_footer, footers)):
            try:
                if part.is_linked_to_previous:
                    continue
                into.append(part._element)
            except (AttributeError, KeyError, ValueError):
                continue
    return headers, footers


class _BodyReader:
    """Walk block content in order, filling lines (paragraphs), tables and plain text."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.text_lines: list[str] = []

    def block(self, parent: Any) -> None:
        for child in parent:
            tag = child.tag
            if tag == _w("p"):
                self.paragraph(child)
            elif tag == _w("tbl"):
                self.table(child)
            elif tag == _w("sdt"):
                inner = child.find(_w("sdtContent"))
                if inner is not None:
                    self.block(inner)
            elif tag in (_w("customXml"), _w("smartTag")):
                self.block(child)
            if len(self.text_lines) > _MAX_LINES:
                return

    def paragraph(self, p: Any) -> None:
        text = _paragraph_text(p)
        if not text.strip():
            return
        self.text_lines.append(text)
        heading = _is_heading(p)
        segs: Line = []
        for n, part in enumerate(x for x in text.split("\t") if x.strip()):
            segs.append(Seg(part.strip(), x0=n * 100.0, x1=n * 100.0 + 50, heading=heading))
        if segs:
            self.content.lines.append(segs)

    def table(self, tbl: Any) -> None:
        rows: Table = []
        nested: list[Any] = []
        for tr in _children(tbl, "tr"):
            row: list[str | None] = []
            for tc in _children(tr, "tc"):
                if _is_merge_continuation(tc):
                    row.append(None)
                    continue
                parts: list[str] = []
                for p in _cell_paragraphs(tc, nested):
                    parts.append(_paragraph_text(p))
                row.append("\n".join(x for x in parts if x.strip()).strip())
            rows.append(row)
            self.text_lines.append("\t".join(c for c in row if c))
        self.content.placed.append(len(self.content.lines))
        self.content.tables.append(rows)
        for inner in nested:
            self.table(inner)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Direct children with `tag`, looking through row/cell-level content controls and customXml."""
    for child in parent:
        if child.tag == _w(tag):
            yield child
        elif child.tag == _w("sdt"):
            inner = child.find(_w("sdtContent"))
            if inner is not None:
                yield from _children(inner, tag)
        elif child.tag == _w("customXml"):
            yield from _children(child, tag)


def _cell_paragraphs(tc: Any, nested: list[Any]) -> Iterator[Any]:
    for child in tc:
        if child.tag == _w("p"):
            yield child
        elif child.tag == _w("tbl"):
            nested.append(child)
        elif child.tag == _w("sdt"):
            inner = child.find(_w("sdtContent"))
            if inner is not None:
                yield from _cell_paragraphs(inner, nested)


def _is_merge_continuation(tc: Any) -> bool:
    v = tc.find(f"{_w('tcPr')}/{_w('vMerge')}")
    return v is not None and v.get(_w("val"), "continue") == "continue"


def _is_heading(p: Any) -> bool:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    name = (style.get(_w("val"), "") if style is not None else "").lower()
    return name.startswith(("heading", "title", "subtitle"))


def _paragraph_text(p: Any) -> str:
    """A paragraph's text with tabs, breaks, symbol boxes and legacy checkboxes; placeholders skipped."""
    out: list[str] = []
    _walk(p, out)
    return "".join(out)


def _walk(element: Any, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == _TEXT:
            out.append(child.text or "")
        elif tag == _TAB:
            out.append("\t")
        elif tag in _BREAKS:
            out.append("\n")
        elif tag == _SYM:
            char = (child.get(_w("char")) or "").upper()
            out.append(_SYMBOLS.get(char, ""))
        elif tag == _FIELD_CHAR:
            box = child.find(f"{_w('ffData')}/{_w('checkBox')}")
            if box is not None:
                out.append(TICKED if _legacy_checked(box) else UNTICKED)
            choice = child.find(f"{_w('ffData')}/{_w('ddList')}")
            if choice is not None:
                out.append(_dropdown_text(choice))
        elif tag in _NOT_SHOWN:
            continue
        elif tag == _SDT:
            if _showing_placeholder(child):
                continue
            _walk(child, out)
        else:
            _walk(child, out)


def _dropdown_text(choice: Any) -> str:
    """The entry a legacy FORMDROPDOWN shows (w:result, default 0)."""
    entries = [e.get(_w("val"), "") for e in choice.findall(_w("listEntry"))]
    result = choice.find(_w("result"))
    try:
        index = int(result.get(_w("val"), "0")) if result is not None else 0
    except ValueError:
        index = 0
    return entries[index] if 0 <= index < len(entries) else ""


def _legacy_checked(box: Any) -> bool:
    checked = box.find(_w("checked"))
    if checked is not None:
        return checked.get(_w("val"), "1") not in {"0", "false", "off"}
    default = box.find(_w("default"))
    return default is not None and default.get(_w("val"), "0") not in {"0", "false", "off"}


def _showing_placeholder(sdt: Any) -> bool:
    return sdt.find(f"{_w('sdtPr')}/{_w('showingPlcHdr')}") is not None


def _content_controls(body: Any) -> Iterator[RawField]:
    """Each content control's tag/alias and its value (checkbox state, date, text)."""
    for sdt in body.iter(_w("sdt")):
        pr = sdt.find(_w("sdtPr"))
        if pr is None:
            continue
        names = tuple(x.get(_w("val")) or "" for x in (pr.find(_w("tag")), pr.find(_w("alias"))) if x is not None)
        if not any(names):
            continue
        box = pr.find(f"{{{W14}}}checkbox")
        value: Any
        if box is not None:
            checked = box.find(f"{{{W14}}}checked")
            value = checked is not None and checked.get(f"{{{W14}}}val", "0") in {"1", "true"}
        elif _showing_placeholder(sdt):
            value = None
        else:
            date = pr.find(_w("date"))
            full = date.get(_w("fullDate")) if date is not None else None
            inner = sdt.find(_w("sdtContent"))
            parts: list[str] = []
            if inner is not None:
                paragraphs = list(inner.iter(_w("p")))
                parts = [_paragraph_text(p) for p in paragraphs] if paragraphs else [_paragraph_text(inner)]
            text = "\n".join(parts).strip()
            value = text or full or None
        yield RawField(tuple(n for n in names if n), value)


def _legacy_fields(body: Any) -> Iterator[RawField]:
    """Legacy form fields (FORMTEXT, FORMCHECKBOX, FORMDROPDOWN) by their bookmark name and help text."""
    current: dict[str, Any] | None = None
    collecting = False
    for el in body.iter(_w("fldChar"), _w("t")):
        if el.tag == _w("fldChar"):
            kind = el.get(_w("fldCharType"))
            ff = el.find(_w("ffData"))
            if kind == "begin" and ff is not None:
                names = [x.get(_w("val")) or "" for x in (ff.find(_w("name")), ff.find(_w("statusText")),
                                                          ff.find(_w("helpText"))) if x is not None]
                box = ff.find(_w("checkBox"))
                choice = ff.find(_w("ddList"))
                current = {"names": tuple(n for n in names if n), "box": box,
                           "text": [_dropdown_text(choice)] if choice is not None else []}
                collecting = False
            elif kind == "separate" and current is not None:
                collecting = True
            elif kind == "end" and current is not None:
                if current["names"]:
                    if current["box"] is not None:
                        yield RawField(current["names"], _legacy_checked(current["box"]))
                    else:
                        yield RawField(current["names"], "".join(current["text"]).strip() or None)
                current, collecting = None, False
        elif collecting and current is not None:
            current["text"].append(el.text or "")
