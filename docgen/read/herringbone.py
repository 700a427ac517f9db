"""A scanned herringbone's marks read from the page image (SPEC §5, §16).

Tesseract drops a lone "/" or "\\" in a table cell, so a scanned or photographed attendance grid gives OCR
its dates and headings but not its marks. On a page whose text is titled as an attendance record, the ruled
grid is found in the image instead, and each cell read on its own:

* the ruling: ink in long horizontal (vertical) runs, followed slice by slice across the page so a line that
  slopes (a skewed scan) or bends (a phone photo's perspective) is still one line; the table is the largest
  set of horizontal lines that start and end together, and the vertical lines inside it;
* each row between two horizontal lines has the cells between the vertical lines that cross it (a day's
  heading over its AM and PM cells is one cell, as a PDF's table gives it);
* a cell holding a word of two or more letters or digits (a date, a heading) is that text, as Tesseract read
  it on the page; any other cell is judged by its ink, ruling taken out: no ink is no mark, one thin slanted
  stroke is "/" or "\\" by the way it leans, anything else is a letter read by Tesseract on its own (all of
  a page's letters on one strip, one call: `docgen.read.strip`).

Each cell carries a confidence; a mark that cannot be told is "?" with confidence 0. A letter whose readings
named different codes is told by the shape of the page's own sure marks when it clearly has one of those codes'
shapes (`docgen.read.glyphs`): a JPEG-blurred serif "I" read once as "F" is an "I". The rows go to the same
attendance reader as a PDF's tables (`docgen.attendance.from_tables`), never a guess past what the ink shows.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from docgen.attendance.codes import ALL_CODES, normalise_mark
from docgen.read import glyphs
from docgen.read.image import Array, grow
from docgen.read.strip import Strip
from docgen.read.tesseract import Word

UNSURE = "?"
_WORD_SURE = 40.0  # a word the page's reading gave under this is Tesseract's guess at marks, not a cell's text
MARK, BAR, DATE = "mark", "bar", "date"
_DATE = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?!\d)")
PIECE_XHEIGHT = 30.0  # pixels: a mark to read on its own is scaled to letters this size
_SLICE = 8  # pixels: the ruling is followed in slices this wide (tall)
_GAP = 4  # slices a line may skip (a break in the print) and still be one line
_BAR = {"I", "|", "l", "1", "]", "[", "!", "i", "j", "J", "}", "{", "/", "\\"}  # Tesseract's readings of a bare "I"


@dataclass
class Line:
    """A ruled line: positions along it (x of a horizontal line) and across it (its y there), in pixels."""

    along: list[float] = field(default_factory=list)
    across: list[float] = field(default_factory=list)

    @property
    def start(self) -> float:
        return self.along[0]

    @property
    def end(self) -> float:
        return self.along[-1]

    def at(self, t: float) -> float:
        """Its position across at `t` along (held level past its ends)."""
        return float(np.interp(t, self.along, self.across))

    def middle(self) -> float:
        return float(np.median(self.across))


@dataclass
class Grid:
    """A ruled table on the page: its rows (top to bottom) and columns (left to right) of cell texts."""

    rows: list[list[str | None]]
    confidence: list[list[float]]  # per cell, 0–100 (100 for a sure empty cell)
    box: tuple[float, float, float, float]  # the table's x0, top, x1, bottom in the page image's pixels
    marks: int = 0  # cells judged as marks (empty ones included)
    unsure: int = 0  # of them, those that could not be told
    outside: int = 0  # week dates beside the grid that are in none of its rows (a rule not found)
    daily: bool = False  # a per-day list's rows (`docgen.read.daylist`), a day a row, not a week


def long_runs(mask: Array, minimum: int, *, axis: int) -> Array:
    """Pixels of `mask` in runs at least `minimum` long along `axis` (1: across a row, 0: down a column)."""
    cells = mask if axis == 1 else mask.T
    rows, width = cells.shape
    padded = np.zeros((rows, width + 2), dtype=np.int8)
    padded[:, 1:-1] = cells
    flat = padded.ravel()
    steps = np.diff(flat)
    starts = np.flatnonzero(steps == 1) + 1
    ends = np.flatnonzero(steps == -1) + 1
    keep = (ends - starts) >= minimum
    marks = np.zeros(flat.size + 1, dtype=np.int32)
    np.add.at(marks, starts[keep], 1)
    np.add.at(marks, ends[keep], -1)
    out = np.cumsum(marks[:-1]).astype(bool).reshape(padded.shape)[:, 1:-1]
    return out if axis == 1 else out.T


def trace(runs: Array, *, axis: int, tolerance: float) -> list[Line]:
    """The lines in a mask of long runs, followed slice by slice along `axis` (1: horizontal lines)."""
    cells = runs if axis == 1 else runs.T
    depth, length = cells.shape
    slices = length // _SLICE
    if slices < 2:
        return []
    hit = cells[:, : slices * _SLICE].reshape(depth, slices, _SLICE).any(axis=2)
    active: list[Line] = []
    last: list[int] = []
    done: list[Line] = []
    for s in range(slices):
        column = hit[:, s]
        edges = np.diff(np.concatenate(([0], column.astype(np.int8), [0])))
        tops, bottoms = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        centres = (tops + bottoms - 1) / 2.0
        taken = np.zeros(len(centres), dtype=bool)
        along = s * _SLICE + _SLICE / 2
        keep: list[int] = []
        for n, line in enumerate(active):
            if s - last[n] > _GAP + 1:
                done.append(line)
                continue
            keep.append(n)
            if not len(centres):
                continue
            guess = line.across[-1]
            k = int(np.argmin(np.abs(centres - guess)))
            if not taken[k] and abs(centres[k] - guess) <= tolerance:
                taken[k] = True
                line.along.append(along)
                line.across.append(float(centres[k]))
                last[n] = s
        active = [active[n] for n in keep]
        last = [last[n] for n in keep]
        for k in np.flatnonzero(~taken).tolist():
            active.append(Line([along], [float(centres[k])]))
            last.append(s)
    done.extend(active)
    return [line for line in done if len(line.along) >= 3]


def _table_lines(lines: list[Line], slack: float) -> list[Line]:
    """The largest set of (at least four) horizontal lines that start and end together: the table's rows."""
    best: list[Line] = []
    for line in lines:
        if line.end - line.start < 6 * slack:
            continue
        near = max(slack, 0.03 * (line.end - line.start))  # a photo's perspective: ends drift a little
        group = [o for o in lines if abs(o.start - line.start) <= near and abs(o.end - line.end) <= near]
        if len(group) > len(best):
            best = group
    if len(best) < 4:
        return []
    best.sort(key=Line.middle)
    out: list[Line] = []
    for line in best:  # a double or thick rule traced twice is one line
        if out and line.middle() - out[-1].middle() < slack:
            continue
        out.append(line)
    return out


def _columns(lines: list[Line], left: float, right: float, top: float, bottom: float, slack: float) -> list[Line]:
    """The vertical lines inside the table, pieces of one line (a break in the print) joined."""
    inside = sorted((v for v in lines if left - slack <= v.middle() <= right + slack
                     and v.end > top + slack and v.start < bottom - slack), key=Line.middle)
    out: list[Line] = []
    for v in inside:
        if out and abs(v.middle() - out[-1].middle()) < slack:
            merged = sorted(zip(out[-1].along + v.along, out[-1].across + v.across, strict=True))
            out[-1] = Line([a for a, _c in merged], [c for _a, c in merged])
            continue
        out.append(v)
    return out


def find_grid(ink: Array, xheight: float) -> tuple[list[Line], list[Line], Array] | None:
    """The table's horizontal and vertical lines (top to bottom, left to right) and the ruling's pixels."""
    minimum = max(20, round(3.2 * xheight))
    across = long_runs(grow(ink, 0), minimum, axis=1) & ink
    down = long_runs(grow(ink, 1), minimum, axis=0) & ink
    slack = max(6.0, 0.7 * xheight)
    rows = _table_lines(trace(across, axis=1, tolerance=max(3.0, 0.25 * xheight)), slack)
    if len(rows) < 4:
        return None
    left = min(r.start for r in rows)
    right = max(r.end for r in rows)
    top, bottom = rows[0].middle(), rows[-1].middle()
    columns = _columns(trace(down, axis=0, tolerance=max(3.0, 0.25 * xheight)), left, right, top, bottom, slack)
    if len(columns) < 3:
        return None
    return rows, columns, across | down


def _corner(row: Line, column: Line) -> tuple[float, float]:
    """Where a horizontal and a vertical line cross."""
    x = column.middle()
    y = row.at(x)
    for _ in range(2):
        x = column.at(y)
        y = row.at(x)
    return x, y


@dataclass
class Pending:
    row: int
    column: int
    slots: list[int]
    what: str  # MARK, BAR (a bare upright stroke) or DATE
    shape: Array | None = None  # a mark's ink as `glyphs.shape` gives it


def read_grid(ink: Array, image: Image.Image, words: list[Word], xheight: float, file: Path, *,
              dpi: int, timeout: float, ruling: Array | None = None, speckled: bool = False) -> Grid | None:
    """The ruled table on a page image as rows of cell texts (see the module's description); None without one."""
    found = find_grid(ink if ruling is None else ruling, xheight)
    if found is None:
        return None
    rows, columns, ruling = found
    clear = ink & ~grow(grow(ruling, 0), 1)
    texts: list[list[str | None]] = []
    confs: list[list[float]] = []
    strip = Strip()
    pending: list[Pending] = []
    grid = Grid(texts, confs, (0.0, 0.0, 0.0, 0.0))
    spans = [(max(c.start, 0.0), c.end) for c in columns]
    for r, (upper, lower) in enumerate(zip(rows, rows[1:], strict=False)):
        height = lower.middle() - upper.middle()
        # the row's middle where each vertical line is: on a skewed scan the row is higher at one end than its
        # middle says, by more than the vertical lines (traced slice by slice) overshoot it
        mids = [(upper.at(c.middle()) + lower.at(c.middle())) / 2 for c in columns]
        crossing = [n for n, (start, end) in enumerate(spans)
                    if start <= mids[n] - 0.3 * height and end >= mids[n] + 0.3 * height]
        row_text: list[str | None] = [None] * (len(columns) - 1)
        row_conf = [100.0] * (len(columns) - 1)
        for a, b in zip(crossing, crossing[1:], strict=False):
            x0, top = _corner(upper, columns[a])
            x1, _t = _corner(upper, columns[b])
            _x, bottom = _corner(lower, columns[a])
            bottom = max(bottom, _corner(lower, columns[b])[1])
            top = min(top, _corner(upper, columns[b])[1])
            week = a > 0 and row_text[0] is not None and _DATE.search(row_text[0]) is not None
            # in a week's row, after its date, a cell holds a mark: Tesseract's words there ("SNe" for a "/"
            # with a "\\" beside it) are no text of its own
            text, conf, piece = cell(clear, image, [w for w in words if len(w.text) <= 2] if week else words,
                                     (x0, top, x1, bottom), xheight, speckled=speckled)
            if piece is not None:
                slots = [strip.add(one, round(PIECE_XHEIGHT)) for one in piece[0]]
                pending.append(Pending(r, a, slots, piece[1],
                                       None if piece[1] == DATE else glyphs.shape(np.asarray(piece[0][0]) < 128)))
            if (text is not None and len(text) <= 2) or (piece is not None and piece[1] != DATE):
                grid.marks += 1
            row_text[a], row_conf[a] = text, conf
        texts.append(row_text)
        confs.append(row_conf)
    settle(pending, strip, texts, confs, file, dpi=dpi, timeout=timeout)
    grid.unsure = sum(1 for row in texts for t in row if t == UNSURE)
    x0 = min(c.middle() for c in columns)
    x1 = max(c.middle() for c in columns)
    grid.box = (x0, rows[0].middle(), x1, rows[-1].middle())
    grid.outside = _outside(words, rows, columns, xheight)
    return grid


def settle(pending: list[Pending], strip: Strip, texts: list[list[str | None]], confs: list[list[float]],
           file: Path, *, dpi: int, timeout: float) -> None:
    """The cells `cell` left pending read on their strip (one Tesseract call), each put in `texts` and `confs`:
    a date read again, a mark read twice and agreed (`_agreed`), or told by the page's sure marks' shape."""
    if not pending:
        return
    read = strip.read(file, dpi=dpi, timeout=timeout)
    shapes: list[tuple[Pending, set[str], int, Array]] = []
    for p in pending:
        if p.what == DATE:
            again = " ".join(w.text for w in read[p.slots[0]])
            date = _DATE.search(again)
            if date:
                texts[p.row][p.column] = "/".join(date.groups())
                confs[p.row][p.column] = min(w.conf for w in read[p.slots[0]] if any(c.isdigit() for c in w.text))
            elif texts[p.row][p.column] is None and again.strip():
                texts[p.row][p.column] = again
                confs[p.row][p.column] = min(w.conf for w in read[p.slots[0]])
            continue
        readings = [_letter(read[slot], bar=p.what == BAR) for slot in p.slots]
        page_text, page_conf = texts[p.row][p.column], confs[p.row][p.column]
        named = [text for text, _conf in readings if text != UNSURE]
        if page_text is not None:  # the page's reading joins in only to agree: never a mark on its own
            mark = normalise_mark(page_text)
            readings = [(text, 100 - (100 - conf) * (100 - page_conf) / 100 if text == mark else conf)
                        for text, conf in readings]
            named += [mark] if mark in ALL_CODES else []
        texts[p.row][p.column], confs[p.row][p.column] = _agreed(readings)
        if p.shape is not None:
            shapes.append((p, set(named), len(named), p.shape))
    _told(texts, confs, shapes)


def _told(texts: list[list[str | None]], confs: list[list[float]],
          shapes: list[tuple[Pending, set[str], int, Array]]) -> None:
    """The marks whose readings named different codes (or one, doubtfully) told by the shape of the page's sure
    marks (`docgen.read.glyphs`): those two or more readings named alike, and no reading otherwise."""
    samples = glyphs.Samples({})
    for p, named, count, shape in shapes:
        text = texts[p.row][p.column]
        if text is not None and text != UNSURE and named == {text} and count >= 2:
            samples.by_code.setdefault(text, []).append(shape)
    for p, named, _count, shape in shapes:
        if named and (texts[p.row][p.column] == UNSURE or confs[p.row][p.column] < glyphs.TOLD):
            code = samples.tell(shape, named)
            if code is not None:
                texts[p.row][p.column], confs[p.row][p.column] = code, glyphs.TOLD


def _outside(words: list[Word], rows: list[Line], columns: list[Line], xheight: float) -> int:
    """Week dates Tesseract read in the grid's first column that no row of the grid has to itself: up to three
    rows above or below its rules, or two in one row (a rule not found: those weeks' marks would be lost)."""
    step = float(np.median([b.middle() - a.middle() for a, b in zip(rows, rows[1:], strict=False)]))
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out = 0
    per_row: dict[int, int] = {}
    for w in words:
        if _DATE.search(w.text) is None or not columns[0].middle() - xheight <= w.x0 <= columns[1].middle():
            continue
        if any(sum(c.isalpha() for c in o.text) >= 4 for o in lines[w.line]):
            continue  # a date in a sentence ("Period: 01/09/2025 to …"), not a week's
        middle = (w.top + w.bottom) / 2
        top, bottom = rows[0].at(w.x0), rows[-1].at(w.x0)
        if top - 3 * step <= middle < top or bottom < middle <= bottom + 3 * step:
            out += 1
        elif top <= middle <= bottom:
            row = next(n for n, (a, b) in enumerate(zip(rows, rows[1:], strict=False)) if middle <= b.at(w.x0))
            per_row[row] = per_row.get(row, 0) + 1
    return out + sum(n - 1 for n in per_row.values() if n > 1)


def cell(clear: Array, image: Image.Image, words: list[Word], box: tuple[float, float, float, float],
          xheight: float, *, speckled: bool = False) -> tuple[str | None, float, tuple[list[Image.Image], str] | None]:
    """One cell: (text, confidence, None) when it is decided here, else (the page's reading of it or None, its
    confidence, (its pieces, MARK / BAR / DATE)) for Tesseract to read on the strip. On a speckled page the
    cell's specks and dots of dirt are taken out first."""
    x0, top, x1, bottom = box
    slack = 0.4 * xheight  # a word in the cell, not one Tesseract ran over several cells' marks ("ECT" for "I I")
    inside = [w for w in words if w.x0 >= x0 - slack and w.x1 <= x1 + slack
              and top <= (w.top + w.bottom) / 2 <= bottom]
    inside = _in_lines(inside, xheight)
    text = " ".join(w.text for w in inside).strip()
    if sum(c.isalnum() for c in text) >= 3 and min(w.conf for w in inside) >= _WORD_SURE:
        # a date, a heading: never a mark ("II" over two cells is judged; "o~~n~ntn" read doubtfully too)
        date = _DATE.search(text)
        if date:  # the week's date alone: "w/e", "wc" or "W/C" misread before it say nothing more
            digits = [w for w in inside if any(c.isdigit() for c in w.text)]
            return "/".join(date.groups()), min(w.conf for w in digits or inside), None
        if sum(c.isdigit() for c in text) >= 3:  # a date misread on the page ("o1sogv2o25"): read on its own
            return text, 0.0, ([_piece(clear, box, slack, xheight)], DATE)
        return _heading(text), min(w.conf for w in inside), None
    inset = max(2, round(0.08 * min(x1 - x0, bottom - top)))
    left, right = int(math.ceil(x0)) + inset, int(x1) - inset
    upper, lower = int(math.ceil(top)) + inset, int(bottom) - inset
    if right - left < 4 or lower - upper < 4:
        return None, 100.0, None
    raw = clear[upper:lower, left:right]
    cell, dotted = _without_specks(raw, xheight) if speckled else (raw, False)
    ys, xs = np.nonzero(cell)
    if ys.size < max(6, 0.25 * xheight) or int(ys.max() - ys.min()) < 0.6 * xheight:  # specks, or nothing
        return None, 100.0, None
    if int(xs.max() - xs.min()) > 3 * xheight:  # too wide for a mark: words the page's reading missed
        return None, 0.0, ([_piece(clear, box, 0.4 * xheight, xheight)], DATE)
    stroke = _stroke(xs.astype(np.float64), ys.astype(np.float64))
    if stroke in ("/", "\\"):
        return stroke, 96.0, None
    if dotted:  # one piece with dots of dirt beside it: the piece alone is the mark
        ys, xs = _pieces_of(cell)[0]
        if int(ys.max() - ys.min()) < 0.6 * xheight:
            return UNSURE, 0.0, None
        stroke = _stroke(xs.astype(np.float64), ys.astype(np.float64))
        if stroke in ("/", "\\"):
            return stroke, 90.0, None
        cell = np.zeros_like(cell)
        cell[ys, xs] = True
    pad = max(4, round(0.4 * xheight))
    x_lo, x_hi = max(0, xs.min() - pad), min(cell.shape[1], xs.max() + pad + 1)
    y_lo, y_hi = max(0, ys.min() - pad), min(cell.shape[0], ys.max() + pad + 1)
    # read twice, as its ink (even light) and as the page shows it (the letter's own edges)
    grey = np.array(image.crop((left + int(x_lo), upper + int(y_lo), left + int(x_hi), upper + int(y_hi))))
    dirt = raw[y_lo:y_hi, x_lo:x_hi] & ~cell[y_lo:y_hi, x_lo:x_hi]  # specks and dots taken out of the pixels too
    grey[grow(grow(dirt, 0), 1)] = 255
    pieces = [Image.fromarray(np.where(cell[y_lo:y_hi, x_lo:x_hi], 0, 255).astype(np.uint8)), Image.fromarray(grey)]
    scale = PIECE_XHEIGHT / xheight  # Tesseract reads a lone letter best larger than body text
    if scale > 1.1:
        pieces = [p.resize((round(p.width * scale), round(p.height * scale)), Image.Resampling.BICUBIC)
                  for p in pieces]
    seen = [w for w in inside if 1 <= len(w.text) <= 2]  # the page's own reading of the mark, when it made one
    return (seen[0].text if len(seen) == 1 else None), (seen[0].conf if len(seen) == 1 else 0.0), \
        (pieces, BAR if stroke == "bar" else MARK)


def _in_lines(words: list[Word], xheight: float) -> list[Word]:
    """A cell's words in reading order: top to bottom by line (a word is on a line when its middle is within an
    x-height of the line's first word's: "AM" and "PM" under "Fri" a pixel apart on a skewed scan are one line,
    never "PM AM"), each line left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        if lines and (w.top + w.bottom) / 2 - (lines[-1][0].top + lines[-1][0].bottom) / 2 <= xheight:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [w for line in lines for w in sorted(line, key=lambda w: w.x0)]


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _heading(text: str) -> str:
    """A day's heading with one letter misread ("Pri", "Tne") as the day: the attendance reader places the
    marks under the days it finds."""
    if len(text) != 3 or text in _DAYS:
        return text
    near = [d for d in _DAYS if sum(a != b for a, b in zip(d.lower(), text.lower(), strict=True)) == 1]
    return near[0] if len(near) == 1 else text


def _pieces_of(cell: Array) -> list[tuple[Array, Array]]:
    """The pieces of ink (8-connected) in a cell, largest first, each as its rows and columns."""
    ys, xs = np.nonzero(cell)
    todo = set(zip(ys.tolist(), xs.tolist(), strict=True))
    pieces: list[list[tuple[int, int]]] = []
    while todo:
        seed = todo.pop()
        piece, stack = [seed], [seed]
        while stack:
            y, x = stack.pop()
            for near in ((y - 1, x - 1), (y - 1, x), (y - 1, x + 1), (y, x - 1), (y, x + 1), (y + 1, x - 1),
                         (y + 1, x), (y + 1, x + 1)):
                if near in todo:
                    todo.remove(near)
                    piece.append(near)
                    stack.append(near)
        pieces.append(piece)
    pieces.sort(key=len, reverse=True)
    return [(np.array([y for y, _x in piece]), np.array([x for _y, x in piece])) for piece in pieces]


def _dot(ys: Array, xs: Array, xheight: float) -> bool:
    """A round blot of dirt, not a piece of a letter broken off (a thin arc): small, about as tall as wide, and
    mostly filled."""
    height, width = int(ys.max() - ys.min()) + 1, int(xs.max() - xs.min()) + 1
    return max(height, width) <= 0.7 * xheight and max(height, width) <= 2 * min(height, width) \
        and ys.size >= 0.5 * height * width


def _without_specks(cell: Array, xheight: float) -> tuple[Array, bool]:
    """A cell's ink without the scanner's specks and dots, and whether what is left is one piece with only dots
    beside it (pieces under a few pixels or a tenth of the largest go; a dot is a small round piece)."""
    count = int(np.count_nonzero(cell))
    if count == 0 or count > 4000:
        return cell, False
    pieces = _pieces_of(cell)
    largest = pieces[0][0].size
    kept = [(ys, xs) for ys, xs in pieces if ys.size >= max(4.0, 0.15 * xheight, 0.1 * largest)]
    dots = all(_dot(ys, xs, xheight) and ys.size <= 0.6 * largest for ys, xs in kept[1:])
    out = np.zeros_like(cell)
    for ys, xs in kept:
        out[ys, xs] = True
    return out, dots and len(kept) > 1


def _piece(clear: Array, box: tuple[float, float, float, float], inset: float, xheight: float) -> Image.Image:
    """A cell's ink (ruling taken out) black on white, scaled for Tesseract to read on its own."""
    x0, top, x1, bottom = box
    height, width = clear.shape
    left, right = max(0, round(x0 + inset / 2)), min(width, round(x1 - inset / 2))
    upper, lower = max(0, round(top + inset / 2)), min(height, round(bottom - inset / 2))
    crop = Image.fromarray(np.where(clear[upper:lower, left:right], 0, 255).astype(np.uint8))
    scale = PIECE_XHEIGHT / xheight
    if scale > 1.1:
        crop = crop.resize((round(crop.width * scale), round(crop.height * scale)), Image.Resampling.BICUBIC)
    return crop


def _stroke(xs: Array, ys: Array) -> str:
    """The ink of a cell as one thin straight stroke: "/" or "\\" by its lean, "bar" when upright; else ""."""
    if xs.size < 6:
        return ""
    cov = np.cov(np.vstack([xs, ys]))
    values, vectors = np.linalg.eigh(cov)
    small, large = max(values[0], 1e-6), values[1]
    if large / small < 14:  # not thin: its length under about four times its width
        return ""
    vx, vy = vectors[0, 1], vectors[1, 1]
    lean = math.degrees(math.atan2(vx * (1 if vy >= 0 else -1), abs(vy)))  # + leans like "\\" (y grows down)
    if abs(lean) < 7:
        return "bar"
    if 11 <= abs(lean) <= 60:
        return "\\" if lean > 0 else "/"
    return ""


def _agreed(readings: list[tuple[str, float]]) -> tuple[str, float]:
    """A mark read twice: the same code both times is as sure as two readings agreeing; two different codes
    are UNSURE; one code and nothing is that reading alone."""
    codes = [(text, conf) for text, conf in readings if text != UNSURE]
    if not codes:
        return UNSURE, 0.0
    if len({text for text, _c in codes}) > 1:
        return UNSURE, 0.0
    if len(codes) == 1:
        return codes[0]
    (text, a), (_t, b) = codes[0], codes[1]
    return text, 100 - (100 - a) * (100 - b) / 100


def _letter(words: list[Word], *, bar: bool) -> tuple[str, float]:
    """A mark Tesseract read on its own: a known code with its confidence, else UNSURE."""
    text = "".join(w.text for w in words).strip()
    conf = min((w.conf for w in words), default=0.0)
    if bar and (not text or text in _BAR):
        return "I", 90.0 if text else 80.0
    mark = normalise_mark(text)
    if mark is not None and mark in ALL_CODES:
        return mark, conf
    if text.isdigit():  # a week's number
        return text, conf
    return UNSURE, 0.0
