"""A PDF page's words and drawn rectangles read with PDFium (C), in the same shape pdfplumber gives them.

pdfplumber interprets each page in Python (pdfminer): about three quarters of docgen's reading time on a
backlog. PDFium reads the same page some ten times faster. Its characters are turned into pdfplumber's
character dicts (x from the character's loose box, `bottom` at the baseline plus the font's descent,
`top` one font size above, as pdfminer places them) and grouped into words by pdfplumber's own
`WordExtractor`, so the words the readers consume are the same words. Where the two could differ the
page is left to pdfplumber (`None`): a path that is not an axis-aligned rectangle (lines, curves, ticks),
a form XObject, rotated or vertical text, a symbol font (Wingdings checkboxes), a character without a
Unicode value, or a page rotated or offset from the origin.
"""

from __future__ import annotations

import base64
import ctypes
import zlib
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS
from pdfplumber.utils.geometry import rect_to_edges
from pdfplumber.utils.text import WordExtractor
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, StreamObject

from docgen.read import ruled

_MAX_CONTENT = 16 << 20  # a page's content stream, unpacked; larger goes to pdfplumber (and its memory limit)
_PLAIN_RESOURCES = {"/Font", "/ProcSet", "/ExtGState"}
_PLAIN_STATE = {"/Type", "/LW", "/LC", "/LJ", "/ML", "/D", "/RI", "/OP", "/op", "/OPM", "/FL", "/SM", "/SA", "/BM",
                "/CA", "/ca", "/AIS", "/TK"}
_SYMBOL_FONTS = ("wingding", "dingbat", "symbol", "webding")


@dataclass
class PageShapes:
    """One page as the PDF reader needs it: words, rectangles (pdfplumber dicts) and the page's size."""

    words: list[dict[str, Any]]
    rects: list[dict[str, Any]]
    width: float
    height: float


class _NotPlain(ValueError):
    """The page holds something PDFium's reading could place differently from pdfminer's."""


class _Ruled:
    """What pdfplumber's `TableFinder` reads of a page when tables are found from ruling lines: its edges."""

    def __init__(self, rects: list[dict[str, Any]]) -> None:
        self.edges = [edge for rect in rects for edge in rect_to_edges(rect)]


def find_tables(page: PageShapes) -> list[Any]:
    """The page's ruled tables, found by pdfplumber from the rectangles' edges as `Page.find_tables` does."""
    if not page.rects:
        return []
    return ruled.find_tables(_Ruled(page.rects))


def plain_pages(reader: PdfReader, count: int) -> set[int]:
    """The pages (of the first `count`) PDFium may read: only standard fonts, not embedded, no XObjects,
    patterns, shadings or soft masks, and a content stream that unpacks to at most 16 MB. PDFium cannot be
    held to the worker's memory limit as Python is (it aborts where pdfminer raises MemoryError), so it only
    gets pages whose every stream it would unpack has been measured first."""
    plain: set[int] = set()
    for number, page in enumerate(reader.pages[:count]):
        try:
            if _plain(page):
                plain.add(number)
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error):
            continue
    return plain


def _plain(page: Any) -> bool:
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    if set(resources.keys()) - _PLAIN_RESOURCES:
        return False
    states = resources.get("/ExtGState")
    for state in states.get_object().values() if states is not None else []:
        if set(state.get_object().keys()) - _PLAIN_STATE:
            return False
    fonts = resources.get("/Font")
    for font in fonts.get_object().values() if fonts is not None else []:
        font = font.get_object()
        if font.get("/Subtype") != "/Type1" or "/FontDescriptor" in font \
                or str(font.get("/BaseFont", "")).lstrip("/") not in FONT_METRICS:
            return False
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else ArrayObject()
    streams = [c.get_object() for c in contents] if isinstance(contents, ArrayObject) else [contents]
    budget = _MAX_CONTENT
    for stream in streams:
        if not isinstance(stream, StreamObject):
            return False
        budget -= _unpacked_size(stream, budget)
        if budget < 0:
            return False
    return True


def _unpacked_size(stream: StreamObject, budget: int) -> int:
    """How large the stream unpacks to, counting no further than `budget` + 1 (an unknown filter counts as
    too large)."""
    filters: Any = stream.get("/Filter") or []
    filters = [filters] if not isinstance(filters, ArrayObject | list) else list(filters)
    if stream.get("/DecodeParms"):
        return budget + 1
    data = bytes(stream._data)  # noqa: SLF001 - the stream as stored, before pypdf unpacks it whole
    for name in filters:
        if name in ("/ASCII85Decode", "/A85"):
            text = b"".join(data.split()).removeprefix(b"<~")
            data = base64.a85decode(text[: text.index(b"~>")] if b"~>" in text else text)
        elif name in ("/FlateDecode", "/Fl"):
            inflate = zlib.decompressobj()
            data = inflate.decompress(data, budget + 1)
        else:
            return budget + 1
    return len(data)


def open_document(path: str) -> Any:
    """The PDFium document, or None when PDFium cannot open it (pdfplumber then reads every page)."""
    try:
        return pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError, ValueError):
        return None


def read_page(document: Any, number: int, max_words: int) -> PageShapes | None:
    """Page `number`'s words and rectangles, or None when the page must be read by pdfplumber."""
    try:
        page = document[number]
    except (pdfium.PdfiumError, IndexError, ValueError):
        return None
    try:
        return _read(page, max_words)
    except (pdfium.PdfiumError, ValueError, OverflowError):
        return None
    finally:
        page.close()


def _read(page: Any, max_words: int) -> PageShapes | None:
    if page.get_rotation():
        return None
    width, height = (float(v) for v in page.get_size())  # the media box, inherited from the page tree
    left, bottom, right, top = (float(v) for v in page.get_bbox())  # the crop box within it
    if (left, bottom, right, top) != (0.0, 0.0, width, height):
        return None
    rects = _rects(page, height)
    if rects is None:
        return None
    chars = _chars(page, height)
    if chars is None:
        return None
    words = WordExtractor(x_tolerance=3, y_tolerance=3, extra_attrs=["size", "fontname"]).extract_words(chars)
    return PageShapes(words[:max_words], rects, width, height)


def _rects(page: Any, height: float) -> list[dict[str, Any]] | None:
    rects: list[dict[str, Any]] = []
    for obj in page.get_objects(max_depth=1):
        kind = obj.type
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        box = _rect_of(obj.raw)
        if box is None:
            return None
        x0, y0, x1, y1 = box
        rects.append({"object_type": "rect", "x0": x0, "x1": x1, "y0": y0, "y1": y1,
                      "top": height - y1, "bottom": height - y0, "doctop": height - y1,
                      "width": x1 - x0, "height": y1 - y0, "pts": [], "page_number": 1})
    return rects


def _rect_of(path: Any) -> tuple[float, float, float, float] | None:
    """An axis-aligned rectangle's corners (PDF space), or None for any other path."""
    count = pdfium_c.FPDFPath_CountSegments(path)
    if count not in (4, 5):
        return None
    matrix = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(path, matrix) or matrix.b or matrix.c:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    for n in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(path, n)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind != (pdfium_c.FPDF_SEGMENT_MOVETO if n == 0 else pdfium_c.FPDF_SEGMENT_LINETO):
            return None
        if not pdfium_c.FPDFPathSegment_GetPoint(segment, x, y):
            return None
        points.append((matrix.a * x.value + matrix.e, matrix.d * y.value + matrix.f))
    if count == 5:
        if points[4] != points[0]:
            return None
        points.pop()
    elif not pdfium_c.FPDFPathSegment_GetClose(pdfium_c.FPDFPath_GetPathSegment(path, 3)):
        return None
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
        if ax != bx and ay != by:
            return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if len(set(xs)) != 2 or len(set(ys)) != 2:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _chars(page: Any, height: float) -> list[dict[str, Any]] | None:
    textpage = page.get_textpage()
    try:
        return _textpage_chars(textpage.raw, height)
    finally:
        textpage.close()


def _textpage_chars(raw: Any, height: float) -> list[dict[str, Any]] | None:
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    box = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    fonts: dict[int | None, tuple[float, str, float]] = {}  # text object -> size, font name, descent
    chars: list[dict[str, Any]] = []
    # the per-character calls, looked up once (this loop runs for every character of every plain page)
    is_generated, unicode_of, object_of = (pdfium_c.FPDFText_IsGenerated, pdfium_c.FPDFText_GetUnicode,
                                           pdfium_c.FPDFText_GetTextObject)
    origin_of, loose_box_of, address = (pdfium_c.FPDFText_GetCharOrigin, pdfium_c.FPDFText_GetLooseCharBox,
                                        ctypes.c_void_p.from_buffer)
    for n in range(pdfium_c.FPDFText_CountChars(raw)):
        code = unicode_of(raw, n)
        # PDFium generates only spaces and line breaks (CPDF_TextPage: a gap's space, "\r\n" at a line's end),
        # so only a space is asked whether it was generated; line breaks are skipped whoever made them
        if code == 0x20 and is_generated(raw, n):
            continue
        if code in (0, 0xFFFD, 0xFFFE) or 0xE000 <= code <= 0xF8FF:
            return None
        text = chr(code)
        if text in "\r\n":
            continue
        obj = object_of(raw, n)
        key = address(obj).value  # the pointer's value, as ctypes.cast(obj, c_void_p).value gives it
        if not key:
            return None
        font = fonts.get(key)
        if font is None:
            if not pdfium_c.FPDFText_GetFontInfo(raw, n, name, 256, flags):
                return None
            fontname = name.value.decode("latin-1")
            if any(s in fontname.lower() for s in _SYMBOL_FONTS):
                return None
            if not pdfium_c.FPDFPageObj_GetMatrix(obj, matrix) or matrix.b or matrix.c \
                    or matrix.a <= 0 or matrix.d <= 0:
                return None  # rotated, mirrored or skewed text
            font = fonts[key] = (float(pdfium_c.FPDFText_GetFontSize(raw, n)), fontname, _descent(obj, fontname))
        size, fontname, descent = font
        if not origin_of(raw, n, ox, oy) or not loose_box_of(raw, n, box):
            return None
        bottom = height - oy.value - descent * size
        chars.append({"text": text, "x0": float(box.left), "x1": float(box.right), "top": bottom - size,
                      "bottom": bottom, "doctop": bottom - size, "upright": True, "size": size, "fontname": fontname})
    return chars


def _descent(obj: Any, fontname: str) -> float:
    """The font's descent per point of size (negative below the baseline), as pdfminer takes it from the Adobe
    metrics it ships. Only a standard font that is not embedded qualifies: an embedded font's descent comes
    from its descriptor, which PDFium does not give back (its own figure differs)."""
    font = pdfium_c.FPDFTextObj_GetFont(obj)
    if not font or pdfium_c.FPDFFont_GetIsEmbedded(font) or fontname not in FONT_METRICS:
        raise _NotPlain
    descent: Any = FONT_METRICS[fontname][0]["Descent"]
    return float(descent) / 1000.0
