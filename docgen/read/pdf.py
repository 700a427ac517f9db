"""Read a PDF (already sniffed safe) into `Content`: AcroForm fields, positioned text lines, tables.

AcroForm fields are read by `acroform` (pikepdf where it reads the file as pypdf would, else pypdf). Page text and
ruled tables come from pdfplumber, capped by `Limits.max_pdf_pages` (a plain page's words and rectangles
from PDFium, in pdfplumber's shape: `pdfpage.py`).
"""

from __future__ import annotations

import contextlib
import re
import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

import pdfplumber
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.read import acroform, pdfpage, ruled
from docgen.read.columns import split_at_columns
from docgen.read.sniff import opened_pdf
from docgen.read.text import Content, Line, Seg, Table, join_wrapped, own_line

_MAX_WORDS_PER_PAGE = 20_000


def read_pdf(path: Path, limits: Limits) -> Content:
    """Read a sniffed PDF: its form fields (if any) and its text layer."""
    content = Content(positioned=True)
    widgets: dict[int, list[dict[str, Any]]] = {}
    plain: set[int] = set()
    counted = 0  # pages, as pypdf counts them
    try:
        reader = opened_pdf(path)  # the one this thread's sniff opened, when it is this file as it is now
        if reader is None:
            reader = PdfReader(str(path))
        if reader.is_encrypted:
            reader.decrypt("")
        plain = set() if reader.is_encrypted else pdfpage.plain_pages(reader, limits.max_pdf_pages)
        counted = len(reader.pages) if plain else 0
        read = acroform.pike_form(path, reader, limits)  # None: pypdf reads the form, as before
        if read is not None:
            content.fields, widgets = read
        else:
            content.fields = acroform.pypdf_fields(reader, path)
            if content.fields:
                widgets = acroform.pypdf_widget_words(reader, limits)
    except ExtractionError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        content.warnings.append(f"form fields could not be read ({type(exc).__name__})")
    try:
        _read_text(path, limits, content, widgets, plain, counted)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError) as exc:
        if not content.fields:
            raise ExtractionError(ReasonCode.DAMAGED,
                                  f"{path.name} is a damaged PDF (its text cannot be read: {type(exc).__name__}); "
                                  "ask the sender for a new copy") from exc
        content.warnings.append(f"page text could not be read ({type(exc).__name__})")
    return content


def _read_text(path: Path, limits: Limits, content: Content,
               widgets: dict[int, list[dict[str, Any]]] | None = None, plain: set[int] | None = None,
               counted: int = 0) -> None:
    """The page text and tables; the pages in `plain` (`pdfpage.plain_pages`) read by PDFium where it can.
    When every page is plain (pypdf and PDFium counting the same `counted` pages), pdfplumber is opened
    only for a page PDFium turns down: opening it parses the whole document with pdfminer."""
    document = pdfpage.open_document(str(path)) if plain else None
    try:
        every = (document is not None and 0 < counted == len(document) <= limits.max_pdf_pages
                 and plain == set(range(counted)))
        _read_pages(path, limits, content, widgets or {}, document, plain or set(), counted if every else None)
    finally:
        if document is not None:
            document.close()


def _read_pages(path: Path, limits: Limits, content: Content, widgets: dict[int, list[dict[str, Any]]],
                document: Any, plain: set[int], all_plain: int | None) -> None:
    texts: list[str] = []
    pages: list[list[Line]] = []
    last_bottom, last_height = 0.0, 1.0
    with contextlib.ExitStack() as stack:
        pdf: Any = None if all_plain is not None else stack.enter_context(pdfplumber.open(str(path)))
        total = all_plain if all_plain is not None else len(pdf.pages)
        if total > limits.max_pdf_pages:
            content.warnings.append(f"only the first {limits.max_pdf_pages} pages were read")
        for number in range(min(total, limits.max_pdf_pages)):
            # PDFium where it reads the page as pdfminer would (pdfpage.py), else pdfplumber
            fast = pdfpage.read_page(document, number, _MAX_WORDS_PER_PAGE) if number in plain and document is not None else None
            page: Any = None
            if fast is None:
                if pdf is None:
                    pdf = stack.enter_context(pdfplumber.open(str(path)))
                if number >= len(pdf.pages):  # pdfminer counts fewer pages than pypdf and PDFium
                    break
                page = pdf.pages[number]
            if fast is not None:
                words, shapes, strokes, height = fast.words, fast.rects[:5000], [], fast.height
            else:
                words = page.extract_words(extra_attrs=["size", "fontname"])[:_MAX_WORDS_PER_PAGE]
                shapes, strokes = [*page.rects, *page.curves][:5000], [*page.lines][:5000]
                height = float(page.height)
            words = [_symbol_boxes(w) for w in words] + widgets.get(number, [])
            words = _with_box_marks(words, shapes, strokes)
            lines = _lines(words)
            texts.extend(" ".join(s.text for s in line) for line in lines)
            pages.append(_merge_wrapped(lines))
            try:
                found = pdfpage.find_tables(fast) if fast is not None else ruled.find_tables(page)
            except (ValueError, KeyError, TypeError, IndexError):
                found = []
            for n, table in enumerate(found):
                rows = _table_text(table, words)
                if not rows:
                    continue
                top, table_bottom = float(table.bbox[1]), float(table.bbox[3])
                # a table that ran on from the foot of the last page: its first row may finish the last one
                content.continued.append(n == 0 and top < 0.2 * height and last_bottom > 0.75 * last_height
                                         and bool(content.tables) and len(content.tables[-1][-1]) == len(rows[0]))
                content.tables.append(rows)
                last_bottom, last_height = table_bottom, height
            if not found:
                last_bottom = 0.0
            if page is not None:
                page.close()
    add_pages(content, pages)
    content.text = "\n".join(texts)
    content.head = "\n".join(texts[:20])


def page_lines(words: list[dict[str, Any]]) -> list[Line]:
    """One page's positioned words (dicts with text, x0, x1, top, bottom, size) as lines of segments, a
    paragraph's wrapped lines joined: what every positioned reader (PDF text layer, OCR) hands on. A scan's
    lines are parted at the page's answer columns too (`docgen.read.columns`)."""
    return _merge_wrapped(_lines(words, columns=True))


def add_pages(content: Content, pages: list[list[Line]]) -> None:
    """Append pages of lines to `content`, running headers and footers dropped, each page below the last."""
    repeated = _repeated_lines(pages)
    bottom: float | None = max((s.bottom for s in content.lines[-1]), default=None) if content.lines else None
    for number, lines in enumerate(pages):
        keep = len(lines) - 4 if number == 0 else 0  # page 1's own header stays: it may carry the title
        kept = [line for n, line in enumerate(lines) if n < keep or _line_key(line) not in repeated]
        if bottom is not None and kept:  # pages follow on: a question at the foot, its answer over the page
            shift = bottom + 8 - min(s.top for s in kept[0])
            kept = [[replace(s, top=s.top + shift, bottom=s.bottom + shift) for s in line] for line in kept]
        content.lines.extend(kept)
        if kept:
            bottom = max(s.bottom for s in kept[-1])


def _table_text(table: Any, words: list[dict[str, Any]]) -> Table:
    """A ruled table's cells as text: a line that wrapped at the cell's edge joins the next with a space,
    a line that ends short of the edge was a line break and stays one."""
    rows: Table = []
    for row in table.rows:
        cells: list[str | None] = []
        for bbox in row.cells:
            if bbox is None:
                cells.append(None)
                continue
            x0, top, x1, bottom = (float(v) for v in bbox)
            inside = [w for w in words if x0 - 1 <= (float(w["x0"]) + float(w["x1"])) / 2 <= x1 + 1
                      and top - 1 <= (float(w["top"]) + float(w["bottom"])) / 2 <= bottom + 1]
            cells.append(_cell_text(inside, x1))
        rows.append(cells)
    return rows


def _cell_text(words: list[dict[str, Any]], right: float) -> str:
    lines: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: ((float(w["top"]) + float(w["bottom"])) / 2, float(w["x0"]))):
        middle = (float(w["top"]) + float(w["bottom"])) / 2
        if lines and abs(middle - (float(lines[-1][0]["top"]) + float(lines[-1][0]["bottom"])) / 2) <= 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    out = ""
    for n, line in enumerate(lines):
        line.sort(key=lambda w: float(w["x0"]))
        text = " ".join(str(w["text"]) for w in line)
        if n == 0:
            out = text
            continue
        previous = lines[n - 1]
        first = line[0]
        room = right - float(previous[-1]["x1"])
        size = float(first.get("size") or (float(first["bottom"]) - float(first["top"])))
        wrapped = room < (float(first["x1"]) - float(first["x0"])) + size * 1.5
        out = join_wrapped([out, text]) if wrapped else f"{out}\n{text}"
    return out


def _merge_wrapped(lines: list[Line]) -> list[Line]:
    """Join a paragraph's wrapped lines (one segment each, same indent, full width, tight spacing) into one."""
    singles = [line[0] for line in lines if len(line) == 1]
    if not singles:
        return lines
    left = min(s.x0 for s in singles)
    right = max(s.x1 for s in singles)
    gaps = sorted(b[0].top - a[0].bottom for a, b in zip(lines, lines[1:], strict=False)
                  if len(a) == 1 and len(b) == 1 and b[0].top >= a[0].bottom)
    leading = gaps[len(gaps) // 10] if gaps else 0.0  # the tightest usual spacing: lines of one paragraph
    merged: list[Line] = []
    for line in lines:
        if merged and len(line) == 1 and len(merged[-1]) == 1:
            prev, seg = merged[-1][0], line[0]
            height = max(seg.bottom - seg.top, 1.0)
            same_size = abs((prev.bottom - prev.top) - height) <= 1
            if (same_size and abs(prev.x0 - seg.x0) <= 2 and 0 <= seg.top - prev.bottom < 0.6 * height
                    and prev.x1 - left >= 0.7 * (right - left) and not prev.heading and not seg.heading
                    and right - prev.x1 < _first_word_width(seg) + height
                    and seg.top - prev.bottom <= leading + max(1.5, 0.15 * height) and not own_line(seg.text)):
                # the line broke because its next word did not fit: one paragraph, wrapped
                merged[-1] = [Seg(join_wrapped([prev.text, seg.text]), prev.x0, seg.x1, False, seg.top, seg.bottom)]
                continue
        merged.append(line)
    return merged


def _first_word_width(seg: Seg) -> float:
    """About how wide a segment's first word is (its share of the segment's width)."""
    word = seg.text.split(" ", 1)[0]
    return (seg.x1 - seg.x0) * len(word) / max(len(seg.text), 1)


def _line_key(line: Line) -> tuple[str, int]:
    """A line's text (page numbers aside) and where it sits on the page: a running header or footer
    repeats both, an answer that happens to repeat ("☒ Yes ☐ No") does not sit at the same height."""
    text = re.sub(r"\d+", "#", " ".join(s.text for s in line)).strip().lower()
    return text, round(min((s.top for s in line), default=0.0) / 6)


def _repeated_lines(pages: list[list[Line]]) -> set[tuple[str, int]]:
    """Running headers and footers: the same line (page numbers aside) at the same height on most pages."""
    if len(pages) < 2:
        return set()
    counts: dict[tuple[str, int], int] = {}
    for lines in pages:
        for key in {_line_key(line) for line in lines[:4] + lines[-4:]}:
            counts[key] = counts.get(key, 0) + 1
    return {k for k, n in counts.items() if n >= max(2, len(pages) // 2 + 1) and k[0]}


_PUA_BOXES = {"\uf0fe": "☒", "\uf078": "☒", "\uf0fd": "☒", "\uf053": "☒", "\uf054": "☒", "\uf052": "☑",
               "\uf0a8": "☐", "\uf06f": "☐", "\uf0a3": "☐", "\uf02a": "☐", "\uf0a2": "☐", "\uf0fc": "✓"}
_WINGDINGS = {"þ": "☒", "ý": "☒", "x": "☒", "¨": "☐", "o": "☐", "q": "☐", "ü": "✓"}
_WINGDINGS2 = {"S": "☒", "T": "☒", "R": "☑", "£": "☐", "*": "☐", "¢": "☐", "P": "✓"}
_DINGBATS = {"3": "✓", "4": "✔", "7": "✗", "8": "✘", "n": "■", "l": "■", "u": "■", "o": "☐", "q": "☐"}


def _symbol_boxes(word: dict[str, Any]) -> dict[str, Any]:
    """Checkboxes typed in Wingdings (Word's ☒/☐ symbols) read back as the boxes they show."""
    text = str(word["text"])
    font = str(word.get("fontname", "")).lower()
    squeezed = font.replace(" ", "").replace("-", "")
    table = _WINGDINGS2 if "wingdings2" in squeezed else (
        _WINGDINGS if "wingding" in font else _DINGBATS if "dingbat" in squeezed and len(text) == 1 else {})
    mapped = "".join(_PUA_BOXES.get(ch, table.get(ch, ch)) for ch in text)
    if mapped == text:
        return word
    return {**word, "text": mapped}


def _box(obj: dict[str, Any]) -> tuple[float, float, float, float]:
    return float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"])


def _with_box_marks(words: list[dict[str, Any]], shapes: list[dict[str, Any]],
                    strokes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drawn checkboxes (small squares) become ☒/☐ words: ticked when a smaller mark or a glyph sits inside."""
    boxes: list[tuple[float, float, float, float]] = []
    drawn: list[tuple[float, float, float, float]] = []  # tick or cross paths (a box printed flat shows only these)
    for shape in shapes:
        x0, top, x1, bottom = _box(shape)
        w, h = x1 - x0, bottom - top
        if not _outline(shape):
            if 5 <= max(w, h) <= 16 and min(w, h) >= 3:
                drawn.append((x0, top, x1, bottom))
            continue
        square = 5 <= w <= 16 and 5 <= h <= 16 and abs(w - h) <= 2
        if square and not any(abs(x0 - b[0]) < 3 and abs(top - b[1]) < 3 for b in boxes):
            boxes.append((x0, top, x1, bottom))
    # a tick drawn with no box around it (a borderless checkbox printed flat): the box was ticked
    free = [m for m in drawn if not any(b[0] - 1 <= m[0] and m[2] <= b[2] + 1 and b[1] - 1 <= m[1] and m[3] <= b[3] + 1
                                        for b in boxes)]
    words = words + [{"text": "✓", "x0": m[0], "x1": m[2], "top": m[1], "bottom": m[3], "size": None}
                     for n, m in enumerate(free) if not any(_overlap(m, other) for other in free[:n])]
    if not boxes:
        return words
    marks = [_box(s) for s in [*shapes, *strokes]]
    taken: set[int] = set()
    added: list[dict[str, Any]] = []
    for x0, top, x1, bottom in boxes:
        ticked = False
        for n, word in enumerate(words):
            cx = (float(word["x0"]) + float(word["x1"])) / 2
            cy = (float(word["top"]) + float(word["bottom"])) / 2
            if x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1 and len(str(word["text"])) <= 2:
                taken.add(n)
                ticked = ticked or str(word["text"]).strip() not in {"", "☐", "□"}
        for mark in marks:
            if _marks_box(mark, (x0, top, x1, bottom)):
                ticked = True
                break
        added.append({"text": "☒" if ticked else "☐", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                      "size": None})
    return [w for n, w in enumerate(words) if n not in taken] + added


def _marks_box(mark: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """Whether a drawn path is a tick or a cross in a box: a smaller mark inside it, or a stroke drawn across it
    (a check mark or an X by hand that overshoots its sides, centred in the box, wide and tall, at most twice
    its size); never one of the box's own sides nor a rule passing by."""
    mx0, mtop, mx1, mbottom = mark
    x0, top, x1, bottom = box
    size = x1 - x0
    w, h = mx1 - mx0, mbottom - mtop
    if max(w, h) < 0.2 * size:
        return False
    if mx0 >= x0 - 0.5 and mx1 <= x1 + 0.5 and mtop >= top - 0.5 and mbottom <= bottom + 0.5:
        return max(w, h) <= 0.85 * size
    cx, cy = (mx0 + mx1) / 2, (mtop + mbottom) / 2
    centred = x0 + 0.15 * size <= cx <= x1 - 0.15 * size and top + 0.15 * size <= cy <= bottom - 0.15 * size
    return centred and min(w, h) >= 0.4 * size and max(w, h) <= 2 * size


def _outline(shape: dict[str, Any]) -> bool:
    """Whether a drawn shape is a box's outline (a rectangle, rounded or not, or a circle), not a tick or a cross:
    nearly all its points lie on the edges of its bounding box."""
    points = shape.get("pts") or []
    if shape.get("object_type") == "rect" or len(points) < 5:
        return True
    x0, top, x1, bottom = _box(shape)
    on_edge = sum(1 for x, y in points if min(abs(x - x0), abs(x - x1), abs(y - top), abs(y - bottom)) <= 0.6)
    return on_edge >= 0.75 * len(points)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _lines(words: list[dict[str, Any]], *, columns: bool = False) -> list[Line]:
    """Group words into lines by their vertical middle, and each line into segments split at wide gaps."""
    if not words:
        return []
    sizes = [float(w.get("size") or (w["bottom"] - w["top"])) for w in words]
    body_size = statistics.median(sizes) if sizes else 10.0

    def middle(w: dict[str, Any]) -> float:
        return (float(w["top"]) + float(w["bottom"])) / 2

    ordered = sorted(words, key=lambda w: (middle(w), float(w["x0"])))
    rows: list[list[dict[str, Any]]] = []
    row_middle = row_height = 0.0
    for w in ordered:
        height = float(w["bottom"]) - float(w["top"])
        # an answer typed smaller than its question still shares the question's line
        if rows and abs(middle(w) - row_middle) <= max(2.0, 0.45 * max(height, row_height)):
            rows[-1].append(w)
        else:
            rows.append([w])
            row_middle, row_height = middle(w), height
    runs: list[list[list[dict[str, Any]]]] = []
    for row in rows:
        row.sort(key=lambda w: float(w["x0"]))
        groups: list[list[dict[str, Any]]] = []
        current: list[dict[str, Any]] = []
        for w in row:
            # the gap that parts a question from its answer is measured against the word's own line (an
            # OCR row a taller answer joined shares the row's top and bottom)
            size = float(w.get("size") or w.get("height") or (w["bottom"] - w["top"]))
            if current and (float(w["x0"]) - float(current[-1]["x1"]) > max(6.0, 0.8 * size)
                            or (str(w["text"]) in _BOXES and not _option_word(current[-1]))):
                # a box printed hard against its question ("…school ☐ Yes") still starts the answer
                groups.append(current)
                current = []
            current.append(w)
        if current:
            groups.append(current)
        runs.append(groups)
    if columns:
        runs = split_at_columns(runs)
    return [[_seg(group, body_size) for group in groups] for groups in runs]


_BOXES = {"☐", "☒", "☑", "□", "■", "⊠"}


def _option_word(word: dict[str, Any]) -> bool:
    return str(word["text"]) in _BOXES or str(word["text"]).strip(":,.").lower() in {"yes", "no", "y", "n"}


def _seg(words: list[dict[str, Any]], body_size: float) -> Seg:
    size = max(float(w.get("size") or 0) for w in words)
    bold = all("bold" in str(w.get("fontname", "")).lower() or "black" in str(w.get("fontname", "")).lower()
               for w in words)
    heading = size >= body_size * 1.5 or (bold and size >= body_size * 1.2)
    return Seg(" ".join(str(w["text"]) for w in words), float(words[0]["x0"]), float(words[-1]["x1"]),
               heading=heading, top=min(float(w["top"]) for w in words),
               bottom=max(float(w["bottom"]) for w in words))
