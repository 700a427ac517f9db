"""A scanned per-day attendance list's marks read from the page image (SPEC §5, §16).

A school's per-day list prints a line a day: its date, often its weekday, then the day's AM and PM marks
("01/09/2026  Tue  /  \\"), in one or more blocks side by side, with no ruling round the marks. Tesseract reads
the dates and weekdays but loses the lone "/", "\\" and "I" beside them, or reads the column of marks down the
page as one word ("HHHHAH"). So the marks are found in the image instead, where the dates OCR read say they are:

* a block is a column of dates Tesseract read whole (dd/mm/yyyy) at one left edge; a day's row is its date's
  line, its height the block's spacing of lines;
* right of the block's dates and weekday names (up to the next block) the ink of all its rows is laid over
  one another: the mark columns are the narrow runs of ink most rows share, next to one another;
* each row's cell in each mark column is judged as a ruled grid's cell is (`docgen.read.herringbone.cell`): a
  stroke by its lean, a letter by Tesseract reading it on its own, every one with a confidence.

The rows go to the attendance reader as a grid's do (`docgen.read.gridread.from_grids`), which counts a mark
not told, a weekday that is not its date's, or a row whose date was lost (a gap in the block's lines) as
doubtful: a list with more than a few of those is not counted at all.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
from PIL import Image

from docgen.read import glyphs
from docgen.read.herringbone import DATE, PIECE_XHEIGHT, UNSURE, Grid, Pending, cell, long_runs, settle
from docgen.read.image import Array, grow, ink_mask
from docgen.read.strip import Strip
from docgen.read.tesseract import Word

_WHOLE_DATE = re.compile(r"^(\d{2})[/.](\d{2})[/.](\d{4})$")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DATE_SURE = 60.0  # a date Tesseract read under this is not a row's date to hang marks on
_MIN_ROWS = 5  # dates in one column before it is a block of a list
_SHARED = 0.5  # share of a block's rows with ink at an x for it to be in a mark column
_SESSIONS = ("AM", "PM")
_FAINT = 0.86  # a pixel under this share of the paper's brightness is a faded mark's ink, in a cell with no other


def read_day_list(ink: Array, image: Image.Image, words: list[Word], xheight: float, file: Path, *,
                  dpi: int, timeout: float, speckled: bool = False) -> Grid | None:
    """The per-day list on a page image as a grid's rows (a heading, then [date, AM, PM] a day), or None when
    the page has no column of dates with two columns of marks beside it."""
    blocks = _blocks(words, xheight)
    if not blocks:
        return None
    cells = Cells(ink, image, words, xheight, speckled=speckled)
    clear = cells.clear
    grid = cells.grid
    edges = [min(w.x0 for w in block) for block in blocks]
    # the last block is as wide as the one before it (blocks side by side fill the page alike): no further
    edges.append(min(float(clear.shape[1]), edges[-1] + (edges[-1] - edges[-2] if len(edges) > 1 else clear.shape[1])))
    box = [float("inf"), float("inf"), 0.0, 0.0]
    for n, block in enumerate(blocks):
        pitch = float(np.median([middle(b) - middle(a) for a, b in zip(block, block[1:], strict=False)]))
        # each row's shift from the block's usual left edge (a photo's page leans or bends): its marks are as
        # far right of its own date as the other rows' are of theirs
        usual = float(np.median([w.x0 for w in block]))
        shifts = [w.x0 - usual for w in block]
        # a page turned (or photographed) a little leans its rows: a row's marks lie lower (higher) the further
        # right of its date, as the words read on its line do
        lean = _lean(block, words, pitch)
        start = max([w.x1 - dx for w, dx in zip(block, shifts, strict=True)]
                    + [w.x1 - dx for date, dx in zip(block, shifts, strict=True)
                       for w in _weekdays([date], words, xheight)]) + 0.3 * xheight
        end = edges[n + 1] - xheight - max(shifts)
        bands = [(middle(w) - pitch / 2, middle(w) + pitch / 2) for w in block]
        columns = _mark_columns(clear, bands, shifts, lean, usual, start, end, xheight)
        if len(columns) != len(_SESSIONS):
            return None  # not a day's two sessions side by side: nothing here is read as marks
        for date, (top, bottom), dx in zip(block, bands, shifts, strict=True):
            day = _date(date.text)
            row = cells.day(day, date.conf)
            if day is not None and not _weekday_agrees(day, date, words, xheight):
                grid.outside += 1  # a weekday not its date's: the date was misread, its marks are another day's
            for c, (x0, x1) in enumerate(columns, start=1):
                dy = lean * ((x0 + x1) / 2 - usual)
                cells.judge(row, c, (x0 + dx, top + dy, x1 + dx, bottom + dy))
        grid.outside += sum(round((middle(b) - middle(a)) / pitch) - 1
                            for a, b in zip(block, block[1:], strict=False))  # rows whose date was lost
        box = [min(box[0], min(w.x0 for w in block)), min(box[1], bands[0][0]), max(box[2], columns[-1][1]),
               max(box[3], bands[-1][1])]
    cells.settle(file, dpi=dpi, timeout=timeout)
    grid.box = (box[0], box[1], box[2], box[3])
    return grid


class Cells:
    """A list's mark cells judged from the page image one by one, those to read put on one strip; the rows
    start with a heading (Date, AM, PM), each day's row with its date."""

    def __init__(self, ink: Array, image: Image.Image, words: list[Word], xheight: float, *,
                 speckled: bool = False) -> None:
        self.image, self.xheight, self.speckled = image, xheight, speckled
        self.seen = [w for w in words if len(w.text) <= 2]  # the page's own reading joins in only to agree
        # ruling (a rule under the headings, a register's cell borders) is no mark
        self.clear = _unruled(ink, xheight)
        self.faint: Array | None = None
        self.texts: list[list[str | None]] = [["Date", *_SESSIONS]]
        self.confs: list[list[float]] = [[100.0] * (1 + len(_SESSIONS))]
        self.grid = Grid(self.texts, self.confs, (0.0, 0.0, 0.0, 0.0), daily=True)
        self.strip = Strip()
        self.pending: list[Pending] = []

    def day(self, day: dt.date | None, conf: float) -> int:
        """A new row for a day (None: its date unread); its number."""
        self.texts.append([f"{day:%d/%m/%Y}" if day else UNSURE])
        self.confs.append([conf])
        return len(self.texts) - 1

    def judge(self, row: int, column: int, box: tuple[float, float, float, float]) -> None:
        """The mark in one cell (x0, top, x1, bottom on the page image) put at `row`, `column`."""
        self.grid.marks += 1
        if _cut(self.clear, box):
            # ink across the cell's side: a mark wider than its column leaves room for, or words: a part of it
            # read alone is another mark ("N" of an "M"), so it is not told
            self._put(row, column, UNSURE, 0.0)
            return
        text, conf, piece = cell(self.clear, self.image, self.seen, box, self.xheight, speckled=self.speckled)
        if text is None and piece is None:  # no ink: a mark faded lighter than the page's ink, looked for again
            if self.faint is None:          # in lighter grey
                self.faint = _unruled(ink_mask(self.image, darker=_FAINT), self.xheight)
            text, conf, piece = cell(self.faint, self.image, self.seen, box, self.xheight, speckled=self.speckled)
        if piece is not None:
            slots = [self.strip.add(one, round(PIECE_XHEIGHT)) for one in piece[0]]
            self.pending.append(Pending(row, column, slots, piece[1],
                                        None if piece[1] == DATE else glyphs.shape(np.asarray(piece[0][0]) < 128)))
        elif text is None:
            # a school day's session with no mark is no list a school prints: ink too faint to see, or a mark not
            # found where the others are; never read as a day not to count
            text, conf = UNSURE, 0.0
        self._put(row, column, text, conf)

    def _put(self, row: int, column: int, text: str | None, conf: float) -> None:
        while len(self.texts[row]) <= column:
            self.texts[row].append(None)
            self.confs[row].append(0.0)
        self.texts[row][column], self.confs[row][column] = text, conf

    def settle(self, file: Path, *, dpi: int, timeout: float) -> None:
        """The pending cells read on their strip; how many marks are left untold counted."""
        settle(self.pending, self.strip, self.texts, self.confs, file, dpi=dpi, timeout=timeout)
        self.grid.unsure = sum(1 for row in self.texts for t in row if t == UNSURE)


def _unruled(ink: Array, xheight: float) -> Array:
    """Ink without its long straight rules, across or down (a mark is a letter's height)."""
    length = round(3 * xheight)
    # a pixel's neighbours across a rule count with it: a rule a scan left a little crooked is still one run
    ruling = (long_runs(grow(ink, 0), length, axis=1) | long_runs(grow(ink, 1), length, axis=0)) & ink
    return ink & ~grow(grow(ruling, 0), 1)


def middle(w: Word, *, across: bool = False) -> float:
    """A word's middle down the page (`across`: along it)."""
    return (w.x0 + w.x1) / 2 if across else (w.top + w.bottom) / 2


def _date(text: str) -> dt.date | None:
    found = _WHOLE_DATE.match(text)
    if not found:
        return None
    day, month, year = (int(g) for g in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _blocks(words: list[Word], xheight: float) -> list[list[Word]]:
    """Columns of whole dates read surely, each top to bottom, left to right: the blocks of a per-day list."""
    dates = sorted((w for w in words if w.conf >= _DATE_SURE and _date(w.text) is not None
                    and not _in_sentence(w, words, xheight)), key=lambda w: w.x0)
    groups: list[list[Word]] = []
    for w in dates:
        if groups and w.x0 - groups[-1][-1].x0 <= 1.5 * xheight:
            groups[-1].append(w)
        else:
            groups.append([w])
    blocks = [sorted(g, key=lambda w: middle(w)) for g in groups if len(g) >= _MIN_ROWS]
    # one date a line: two dates on one line in a column would be a sentence's ("from … to …")
    return [b for b in blocks if all(middle(b2) - middle(b1) > xheight for b1, b2 in zip(b, b[1:], strict=False))]


def _in_sentence(date: Word, words: list[Word], xheight: float) -> bool:
    """Whether a date is a sentence's ("Period: 01/09/2026 to 13/11/2026"), not a day's row: a label ending in
    ":" just before it, or "to" (a dash) just after it."""
    line = [w for w in words if abs(middle(w) - middle(date)) < 0.5 * xheight and w is not date]
    before = [w for w in line if w.x1 <= date.x0 and date.x0 - w.x1 < 2 * xheight]
    after = [w for w in line if w.x0 >= date.x1 and w.x0 - date.x1 < 2 * xheight]
    return any(w.text.endswith(":") for w in before) or \
        any(w.text.lower() in ("to", "until", "till", "-", "–", "—") for w in after)


def _weekdays(block: list[Word], words: list[Word], xheight: float) -> list[Word]:
    """The weekday names printed right after the block's dates, on their lines."""
    out = []
    for date in block:
        after = [w for w in words if w.x0 > date.x1 and w.x0 - date.x1 < 6 * xheight
                 and abs(middle(w) - middle(date)) < xheight]
        out += [w for w in after if w.text.lower()[:3] in WEEKDAYS and len(w.text) <= 9]
    return out


def _weekday_agrees(day: dt.date, date: Word, words: list[Word], xheight: float) -> bool:
    """Whether the weekday printed beside a date, when one was read, is the date's own."""
    named = [w.text.lower()[:3] for w in _weekdays([date], words, xheight)]
    return all(name == WEEKDAYS[day.weekday()] for name in named)


def _mark_columns(clear: Array, bands: list[tuple[float, float]], shifts: list[float], lean: float, origin: float,
                  start: float, end: float, xheight: float) -> list[tuple[float, float]]:
    """The x spans (before each row's shift) of the mark columns right of `start`: runs of x where most rows
    have ink whose ink in a row is no wider than a mark (a column of weekdays OCR did not read is passed
    over), the first within a few letters of `start` and each next one within a few of the last (a page's
    edge or a note far off is no column). Each row's band goes down `lean` pixels a pixel right of `origin`."""
    height, width = clear.shape
    left, right = round(start), round(end)
    if right - left < xheight:
        return []
    rows = np.zeros((len(bands), right - left), dtype=bool)
    step = 8  # pixels along a row with one band height
    for n, ((top, bottom), dx) in enumerate(zip(bands, shifts, strict=True)):
        for x in range(left, right, step):
            drop = round(lean * (x - origin))
            source = x + round(dx)
            lo, hi = max(0, source), min(width, source + min(step, right - x))
            if lo < hi:
                inside = clear[max(0, round(top) + drop):min(height, round(bottom) + drop), lo:hi].any(axis=0)
                at = x - left + lo - source
                rows[n, at:at + inside.size] = inside
    inked = rows.sum(axis=0) >= _SHARED * len(bands)
    runs: list[tuple[int, int]] = []
    for x in np.flatnonzero(inked).tolist():
        if runs and x - runs[-1][1] <= 0.5 * xheight:  # a mark's strokes, or marks a little apart row to row
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    columns: list[tuple[float, float]] = []
    last = 0
    for x0, x1 in runs:
        if x0 - last > 20 * xheight:
            break
        last = x1
        widths = [int(np.ptp(np.flatnonzero(r))) + 1 for r in rows[:, x0:x1 + 1] if r.any()]
        dy = lean * (left + (x0 + x1) / 2 - origin)
        tall = [_height(clear, (band[0] + dy, band[1] + dy), left + x0 + dx, left + x1 + dx)
                for band, dx in zip(bands, shifts, strict=True)]
        if x1 - x0 > 3 * xheight or float(np.median(widths)) > 1.6 * xheight \
                or float(np.median(tall)) > 2.2 * xheight:
            continue  # words (a weekday, a note) or a page's edge, not one mark a row
        columns.append((float(left + x0), float(left + x1)))
    # a column found by its narrow marks ("/", "I") must hold its wide ones ("M", "#") whole: an "M" cut at the
    # cell's side reads "N"
    pad = 1.5 * xheight
    spans: list[tuple[float, float]] = []
    for n, (a, b) in enumerate(columns):
        x_from = max(a - pad, (columns[n - 1][1] + a) / 2 if n else start)
        x_to = min(b + pad, (b + columns[n + 1][0]) / 2) if n + 1 < len(columns) else b + pad
        spans.append((x_from, x_to))
    return spans


def _height(clear: Array, band: tuple[float, float], x0: float, x1: float) -> int:
    """How tall the ink in a row's band is between x0 and x1 (0 without ink)."""
    height, width = clear.shape
    rows = np.flatnonzero(clear[max(0, round(band[0])):min(height, round(band[1])),
                                max(0, round(x0)):min(width, round(x1) + 1)].any(axis=1))
    return int(rows[-1] - rows[0]) + 1 if rows.size else 0


def _cut(clear: Array, box: tuple[float, float, float, float]) -> bool:
    """Whether ink crosses the left or right side of a cell (inside its top and bottom)."""
    height, width = clear.shape
    x0, top, x1, bottom = (round(v) for v in box)
    rows = slice(max(0, top), min(height, bottom))
    return any(0 <= x < width and bool(clear[rows, x].any()) for x in (x0, x1))


def _lean(block: list[Word], words: list[Word], pitch: float) -> float:
    """How far a row goes down a pixel to the right: the median slope from each of the block's dates to the
    words read on its line either side (its weekday, another block's date), first those near it, then all that
    lie on the slope those give; 0 without any."""
    lean = 0.0
    for reach in (6.0, float("inf")):
        slopes = []
        for date in block:
            size = date.x1 - date.x0
            for w in words:
                run = middle(w, across=True) - middle(date, across=True)
                if w is not date and size < abs(run) < reach * size and sum(c.isalnum() for c in w.text) >= 3 \
                        and abs(middle(w) - middle(date) - lean * run) < 0.3 * pitch:
                    slopes.append((middle(w) - middle(date)) / run)
        if slopes:
            lean = float(np.median(slopes))
    return lean
