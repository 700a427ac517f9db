"""A PDF's AcroForm: each field's labels and value, and each widget's answer as a word placed on its page.

Fields are text, checkbox with any on-value, radio groups and choice lists; the field's name and its tooltip
/TU both serve as labels. pikepdf (qpdf) walks the form where it reads the file as pypdf would, at about
half the CPU of pypdf's pure-Python object parser (issue 21). Every value it finds becomes the object pypdf
would have made (strings through pypdf's own `create_string_object`), and the same `_terminal` and `_answer`
decide, so both walks give the same fields and words. Where the two could read the file apart, `pike_form`
gives up (None) and pypdf reads the form: encryption, object streams, any qpdf warning (a repaired file, a
key given twice), pages that are not the same objects, outside streams a string escape pypdf keeps and qpdf
drops or an octal code past 255, a `null` under a key the walk reads; in a value, a line break, a name with
`#` codes or beyond ASCII, a reference where pypdf would keep the reference itself, a stream where a
dictionary belongs. A file with no AcroForm, or over 4 MiB, is left to pypdf too: its walk costs nothing
there, and a scan's bytes are not read into the worker's memory a second time.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    PdfObject,
    create_string_object,
)

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.read.labels import RawField

_RADIO = 1 << 15
_PUSHBUTTON = 1 << 16
_MAX_FIELDS = 2000
_GENERIC_STATE = re.compile(r"^/?(choice|option|opt|radio|button|group|value|item)?\s*#?\d+$", re.I)

Words = dict[int, list[dict[str, Any]]]  # page number → the widgets' answers as positioned words


def pypdf_fields(reader: PdfReader, path: Path) -> list[RawField]:
    """Every terminal field (at most 2,000), as pypdf reads the form."""
    return list(_pypdf_fields(reader, path))


def pypdf_widget_words(reader: PdfReader, limits: Limits) -> Words:
    """Each form widget's answer as a positioned word, so fields with meaningless names (Text1, Check Box2)
    can be paired with the printed question beside or above them."""
    return _pypdf_widget_words(reader, limits)


def _pypdf_fields(reader: PdfReader, path: Path) -> Iterator[RawField]:
    root: Any = reader.trailer["/Root"].get_object()
    form: Any = root.get("/AcroForm")
    if form is None:
        return
    form = form.get_object()
    top = form.get("/Fields")
    top = top.get_object() if top is not None else ArrayObject()
    found = list(_walk(top, "", {}, 0))
    if "/XFA" in form and not any(f.labels for f in found):
        raise ExtractionError(ReasonCode.UNSUPPORTED,
                              f"{path.name} is an XFA (LiveCycle) form, which docgen cannot read: ask the sender "
                              "to print it to PDF or to send the Word version")
    yield from found[:_MAX_FIELDS]


def _walk(nodes: Any, parent: str, inherited: dict[str, Any], depth: int) -> Iterator[RawField]:
    if depth > 20:
        return
    for ref in list(nodes)[:_MAX_FIELDS]:
        node = ref.get_object()
        if not isinstance(node, DictionaryObject):
            continue
        partial = node.get("/T")
        name = f"{parent}.{partial}" if parent and partial else str(partial or parent)
        inherit = dict(inherited)
        for key in ("/FT", "/Ff", "/V", "/Opt", "/TU"):
            if key in node:
                inherit[key] = node[key]
        kids = node.get("/Kids")
        kids = kids.get_object() if kids is not None else None
        if kids and any("/T" in k.get_object() for k in kids if isinstance(k.get_object(), DictionaryObject)):
            yield from _walk(kids, name, inherit, depth + 1)
            continue
        widgets = [k.get_object() for k in kids] if kids else [node]
        field = _terminal(name, inherit, widgets)
        if field is not None:
            yield field


def _terminal(name: str, attrs: dict[str, Any], widgets: list[Any]) -> RawField | None:
    kind = str(attrs.get("/FT", ""))
    flags = int(attrs.get("/Ff", 0) or 0)
    tooltip = str(attrs.get("/TU") or "")
    labels = tuple(x for x in (name, tooltip) if x)
    value = attrs.get("/V")
    if kind == "/Btn":
        if flags & _PUSHBUTTON:
            return None
        state = str(value) if isinstance(value, NameObject) else None
        if state is None:
            states = [str(w.get("/AS")) for w in widgets if isinstance(w, DictionaryObject) and "/AS" in w]
            on = [s for s in states if s != "/Off"]
            state = on[0] if on else ("/Off" if states or not flags & _RADIO else None)
        if state is not None and flags & _RADIO and state == "/Off":
            return RawField(labels, None)
        text = _option_text(state, attrs.get("/Opt")) if state else None
        if text and flags & _RADIO and _GENERIC_STATE.match(text):
            return RawField(labels, None, structured=False)  # "/Choice2": the printed option beside it says
        return RawField(labels, text)
    if kind == "/Ch":
        if isinstance(value, ArrayObject | list):
            text = ", ".join(_option_text(str(v), attrs.get("/Opt")) for v in value)
        else:
            text = _option_text(str(value), attrs.get("/Opt")) if value is not None else ""
        return RawField(labels, text or None)
    if kind == "/Sig":
        return None
    if value is None:
        return RawField(labels, None)
    if isinstance(value, bytes):
        value = value.decode("latin-1", "replace")
    return RawField(labels, str(value) if str(value).strip() else None)


def _option_text(value: str, options: Any) -> str:
    """Map an export value (or a radio's index name /0, /1…) to its displayed option where the PDF says."""
    if options is None:
        return value
    opts = list(options.get_object())
    bare = value[1:] if value.startswith("/") else value
    for opt in opts:
        opt = opt.get_object()
        if isinstance(opt, ArrayObject | list) and len(opt) == 2 and str(opt[0]) == bare:
            return str(opt[1])
    if bare.isdigit() and int(bare) < len(opts):
        opt = opts[int(bare)].get_object()
        text = str(opt[-1]) if isinstance(opt, ArrayObject | list) else str(opt)
        return ("/" + text) if value.startswith("/") else text
    return value


def _pypdf_widget_words(reader: PdfReader, limits: Limits) -> Words:
    out: dict[int, list[dict[str, Any]]] = {}
    for number, page in enumerate(reader.pages[: limits.max_pdf_pages]):
        annots = page.get("/Annots")
        if not annots:
            continue
        box = page.mediabox
        top_edge = float(box.top)
        words: list[dict[str, Any]] = []
        for ref in list(annots.get_object())[:_MAX_FIELDS]:
            widget = ref.get_object()
            if not isinstance(widget, DictionaryObject) or widget.get("/Subtype") != "/Widget" or "/Rect" not in widget:
                continue
            text = _widget_answer(widget)
            if not text:
                continue
            rect: Any = widget["/Rect"]
            words.append(_placed(text, [float(v) for v in rect.get_object()], float(box.left), top_edge))
        out[number] = words
    return out


def _placed(text: str, rect: list[float], left: float, top_edge: float) -> dict[str, Any]:
    """A widget's answer as a word in pdfplumber's shape, at most 14 pt tall, on the middle of its box."""
    x0, y0, x1, y1 = rect
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    height = min(y1 - y0, 14.0)
    middle = top_edge - (y0 + y1) / 2
    return {"text": text, "x0": x0 - left, "x1": x1 - left,
            "top": middle - height / 2, "bottom": middle + height / 2, "size": None}


def _inherited(widget: DictionaryObject, key: str) -> Any:
    node: Any = widget
    for _ in range(20):
        if node is None:
            return None
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _widget_answer(widget: DictionaryObject) -> str | None:
    kind = str(_inherited(widget, "/FT") or "")
    flags = int(_inherited(widget, "/Ff") or 0)
    return _answer(kind, flags, widget.get("/AS"), lambda: _inherited(widget, "/V"))


def _answer(kind: str, flags: int, state: Any, value_of: Callable[[], Any]) -> str | None:
    """A widget's answer as it shows: ☒/☐ for a checkbox or radio button, else the field's value in one line."""
    if kind == "/Btn":
        if flags & _PUSHBUTTON:
            return None
        if state is None:
            value = value_of()
            state = value if isinstance(value, NameObject) else "/Off"
        return "☐" if str(state) == "/Off" else "☒"
    value = value_of()
    if value is None:
        return None
    if isinstance(value, ArrayObject | list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, bytes):
        text = value.decode("latin-1", "replace")
    else:
        text = str(value)
    text = " ".join(text.split())
    return text or None


# ---------------------------------------------------------------- the same walk through pikepdf (qpdf)


class _Unsure(Exception):
    """qpdf might read this part of the file otherwise than pypdf does: pypdf reads the form."""


# outside streams: an escape pypdf keeps with its backslash (qpdf drops it), an octal code past 255, or a null
# where the walk reads (qpdf takes a key that is null as missing, pypdf as present)
_ODD = re.compile(rb"\\(?:[^nrtbf()\\0-7\r\n]|[4-7][0-7][0-7])"
                  rb"|/(?:AcroForm|Fields|XFA|T|TU|FT|Ff|V|Opt|Kids|AS|Subtype|Rect|Parent|Annots)\s*null\b")
_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.S)
_REFERENCE = re.compile(rb"\d+\s+\d+\s+R\b")
_PLAIN_NAME = re.compile(r"/[!-~]*")
_MAX_BYTES = 4 << 20


def pike_form(path: Path, reader: PdfReader, limits: Limits) -> tuple[list[RawField], Words] | None:
    """The fields and widget words `pypdf_fields` and `pypdf_widget_words` would give, read with pikepdf; None
    where the file might read otherwise with qpdf or anything goes wrong (then pypdf reads it). A file with no
    AcroForm in pypdf's catalogue, or over 4 MiB (a scan: its bytes are not read into memory), is left to
    pypdf, whose walk then costs nothing."""
    try:
        root: Any = reader.trailer["/Root"].get_object()
        if "/AcroForm" not in root or path.stat().st_size > _MAX_BYTES:
            return None
        data = path.read_bytes()
        if b"/ObjStm" in data or any(_ODD.search(part) for part in _STREAM.split(data)):
            return None
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted or len(pdf.pages) != len(reader.pages):
                return None
            fields = _pike_fields(pdf)
            words = _pike_widget_words(pdf, reader, limits) if fields else {}
            if pdf.get_warnings():
                return None
            return fields, words
    except (_Unsure, pikepdf.PdfError, PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError, ArithmeticError):
        return None


def _pike_fields(pdf: pikepdf.Pdf) -> list[RawField]:
    form = pdf.Root.get("/AcroForm")
    if form is None:
        return []
    _dictionary(form)
    top = form.get("/Fields")
    if top is not None and not isinstance(top, pikepdf.Array):
        raise _Unsure
    found = list(_pike_walk(top if top is not None else [], "", {}, 0))
    if "/XFA" in form and not any(f.labels for f in found):
        raise _Unsure  # pypdf's walk turns the file down (an XFA form)
    return found[:_MAX_FIELDS]


def _pike_walk(nodes: Any, parent: str, inherited: dict[str, Any], depth: int) -> Iterator[RawField]:
    if depth > 20:
        return
    for node in list(nodes)[:_MAX_FIELDS]:
        if not _dictionary(node):
            continue
        partial = _direct(node.get("/T"))
        name = f"{parent}.{partial}" if parent and partial else str(partial or parent)
        inherit = dict(inherited)
        for key in ("/FT", "/Ff", "/V", "/Opt", "/TU"):
            value = node.get(key)  # None only when missing: no null reaches here
            if value is not None:
                inherit[key] = _pypdf_object(value)
        kids = node.get("/Kids")
        if kids is not None and not isinstance(kids, pikepdf.Array):
            raise _Unsure
        if kids and any("/T" in k for k in kids if _dictionary(k)):
            yield from _pike_walk(kids, name, inherit, depth + 1)
            continue
        widgets = [_as_widget(k) for k in kids] if kids else [_as_widget(node)]
        field = _terminal(name, inherit, widgets)
        if field is not None:
            yield field


def _as_widget(node: Any) -> DictionaryObject | None:
    """What `_terminal` reads of a widget (its /AS), as pypdf would hold it."""
    if not _dictionary(node):
        return None
    widget = DictionaryObject()
    if "/AS" in node:
        widget[NameObject("/AS")] = _direct(node["/AS"])
    return widget


def _pike_widget_words(pdf: pikepdf.Pdf, reader: PdfReader, limits: Limits) -> Words:
    out: Words = {}
    for number, page in enumerate(pdf.pages[: limits.max_pdf_pages]):
        theirs = reader.pages[number]
        ref = theirs.indirect_reference
        if ref is None or page.obj.objgen != (ref.idnum, ref.generation):
            raise _Unsure
        annots = page.obj.get("/Annots")
        if annots is None or not (annots.is_indirect or len(annots)):
            continue  # pypdf skips a missing or a direct empty /Annots, not an indirect one
        if not isinstance(annots, pikepdf.Array):
            raise _Unsure
        box = theirs.mediabox  # the page's box as pypdf has it (already parsed for `pdfpage.plain_pages`)
        top_edge = float(box.top)
        words: list[dict[str, Any]] = []
        for widget in list(annots)[:_MAX_FIELDS]:
            if not _dictionary(widget) or _direct(widget.get("/Subtype")) != "/Widget" or "/Rect" not in widget:
                continue
            kind = str(_pike_inherited(widget, "/FT") or "")
            flags = int(_pike_inherited(widget, "/Ff") or 0)
            text = _answer(kind, flags, _direct(widget.get("/AS")), functools.partial(_pike_inherited, widget, "/V"))
            if not text:
                continue
            rect = _pypdf_object(widget["/Rect"])
            if not isinstance(rect, ArrayObject):
                raise _Unsure
            words.append(_placed(text, [float(v) for v in rect], float(box.left), top_edge))
        out[number] = words
    return out


def _pike_inherited(widget: pikepdf.Object, key: str) -> Any:
    node: Any = widget
    for _ in range(20):
        if node is None:
            return None
        _dictionary(node, strict=True)
        value = node.get(key)
        if value is not None:
            return _pypdf_object(value)
        node = node.get("/Parent")
    return None


def _dictionary(node: Any, *, strict: bool = False) -> bool:
    """Whether a node is a dictionary; a stream (pypdf takes it for one), or anything else when `strict`,
    leaves the decision to pypdf."""
    if isinstance(node, pikepdf.Dictionary):
        return True
    if isinstance(node, pikepdf.Stream) or strict:
        raise _Unsure
    return False


def _direct(value: Any) -> Any:
    """A name or string pypdf takes as it stands (without resolving a reference)."""
    if value is None:
        return None
    if not isinstance(value, pikepdf.Name | pikepdf.String) or value.is_indirect:
        raise _Unsure
    return _pypdf_object(value)


def _pypdf_object(value: Any) -> PdfObject:
    """A name, string, number or array of them as pypdf's reader would have made it."""
    if isinstance(value, bool) or value is None:
        raise _Unsure
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, Decimal):
        return FloatObject(str(value))
    if isinstance(value, pikepdf.Name):
        text = str(value)
        if not _PLAIN_NAME.fullmatch(text) or "#" in text:
            raise _Unsure
        return NameObject(text)
    if isinstance(value, pikepdf.String):
        raw = bytes(value)
        if b"\r" in raw or b"\n" in raw:  # pypdf keeps a line break in a string as written, qpdf makes it \n
            raise _Unsure
        return create_string_object(raw)
    if isinstance(value, pikepdf.Array):
        if _REFERENCE.search(bytes(value.unparse())):  # pypdf leaves an array's references unresolved
            raise _Unsure
        return ArrayObject(_pypdf_object(item) for item in value)
    raise _Unsure
