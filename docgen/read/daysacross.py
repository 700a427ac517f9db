"""A scanned register with its days across the page: its marks read from the page image (SPEC §5, §16).

A school MIS's register extract prints, block after block down the page, a line of weekdays, a line of dates
without their year ("01/09"), then an AM line and a PM line of marks under them, in small type. Tesseract reads
the dates but misreads some lone marks ("f" for "/", "E" for "I", "✓" for "\\"), so the marks it gives add up to
other figures than the record prints, and only its printed totals could be read. Here each mark is read from
the image where the dates OCR read say it is:

* a block is a line of five or more yearless dates (each in the academic year of the latest whole date on the
  page: the period "From 01/09/2026 to 13/11/2026"); its columns are the dates' centres;
* its AM and PM lines are the first two lines of marks Tesseract found under it (lines of one- or two-character
  words, as many as the dates about), at their height;
* each date's two cells are judged as a per-day list's (`docgen.read.daylist.Cells`), so the rows go to the
  attendance reader as a day list's do, a day a row, and are checked there against the record's printed totals.

A date whose weekday above it is not its own, or a column whose date OCR lost (a gap in the line of dates), makes
the marks doubtful, as does a mark not told.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
from PIL import Image

from docgen.read.daylist import WEEKDAYS, Cells, middle
from docgen.read.herringbone import Grid
from docgen.read.image import Array
from docgen.read.tesseract import Word

_DAY_MONTH = re.compile(r"^(\d{2})[/.](\d{2})$")
_WHOLE = re.compile(r"(\d{2})[/.](\d{2})[/.](\d{4})")
_MIN_DAYS = 5  # dates on a line before it is a block's line of dates
_SURE = 60.0  # a date read under this is not a column to hang marks on


def read_days_across(ink: Array, image: Image.Image, words: list[Word], xheight: float, file: Path, *,
                     dpi: int, timeout: float, speckled: bool = False) -> Grid | None:
    """The register on a page image as a day list's rows (a heading, then [date, AM, PM] a day), or None when
    the page has no line of yearless dates with two lines of marks under it."""
    start = _academic_start(words)
    blocks = _date_lines(words, xheight)
    if start is None or not blocks:
        return None
    cells = Cells(ink, image, words, xheight, speckled=speckled)
    found: list[tuple[dt.date | None, float, list[tuple[float, float, float, float]]]] = []
    for dates in blocks:
        pitch = float(np.median([middle(b, across=True) - middle(a, across=True)
                                 for a, b in zip(dates, dates[1:], strict=False)]))
        sessions = _mark_lines(dates, words, xheight)
        if sessions is None:
            return None
        columns: list[tuple[float, dt.date | None, float]] = []
        for n, date in enumerate(dates):
            x = middle(date, across=True)
            day = _placed(date.text, start)
            if day is not None and not _weekday_agrees(day, date, words, xheight):
                cells.grid.outside += 1  # a weekday not its date's: a date misread, its marks another day's
            if n:
                lost = round((x - columns[-1][0]) / pitch) - 1  # columns whose date OCR lost
                between = _between(columns[-1], (x, day, date.conf), middle(date), words, pitch, xheight) \
                    if lost == 1 else None
                if between is not None:
                    columns.append(between)
                else:
                    cells.grid.outside += max(0, lost)
            columns.append((x, day, date.conf))
        for x, day, conf in columns:
            boxes = [(x - pitch / 2, y - height / 2, x + pitch / 2, y + height / 2) for y, height in sessions]
            found.append((day, conf, boxes))
        cells.grid.outside += _beyond(dates, words, pitch, xheight) + sum(
            _inked(cells.clear, (x - 0.4 * pitch, y - height / 2, x + 0.4 * pitch, y + height / 2), xheight)
            for x in (middle(dates[-1], across=True) + pitch,)
            for y, height in sessions)  # marks in the cells just past the line's end: its last date lost
    for day, conf, boxes in found:
        row = cells.day(day, conf)
        for column, box in enumerate(boxes, start=1):
            cells.judge(row, column, box)
    cells.settle(file, dpi=dpi, timeout=timeout)
    x0 = min(b[0][0] for _d, _c, b in found)
    x1 = max(b[0][2] for _d, _c, b in found)
    top = min(b[0][1] for _d, _c, b in found)
    bottom = max(b[-1][3] for _d, _c, b in found)
    cells.grid.box = (x0, top, x1, bottom)
    return cells.grid


def _academic_start(words: list[Word]) -> int | None:
    """The year the record's academic year starts: that of the latest whole date on the page (its period's end,
    or the day it was printed), never a date of birth's."""
    latest: dt.date | None = None
    for w in words:
        for found in _WHOLE.finditer(w.text):
            day, month, year = (int(g) for g in found.groups())
            try:
                date = dt.date(year, month, day)
            except ValueError:
                continue
            latest = date if latest is None or date > latest else latest
    if latest is None:
        return None
    return latest.year if latest.month >= 8 else latest.year - 1


def _placed(text: str, start: int) -> dt.date | None:
    """A yearless date in the academic year starting in September of `start`."""
    found = _DAY_MONTH.match(text)
    if not found:
        return None
    day, month = int(found.group(1)), int(found.group(2))
    try:
        return dt.date(start if month >= 8 else start + 1, month, day)
    except ValueError:
        return None


def _date_lines(words: list[Word], xheight: float) -> list[list[Word]]:
    """Lines of five or more yearless dates read surely, each left to right, top to bottom."""
    dates = sorted((w for w in words if w.conf >= _SURE and _DAY_MONTH.match(w.text)), key=lambda w: middle(w))
    lines: list[list[Word]] = []
    for w in dates:  # each next to the last one's height: a line a scan left crooked drifts along the page
        if lines and middle(w) - middle(lines[-1][-1]) <= 0.5 * xheight:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [sorted(line, key=lambda w: w.x0) for line in lines if len(line) >= _MIN_DAYS]


def _mark_lines(dates: list[Word], words: list[Word], xheight: float) -> list[tuple[float, float]] | None:
    """The middle and height of the block's AM and PM lines: the first two lines under its dates whose words,
    within the dates' span, are one or two characters each and about as many as the dates (Tesseract's
    reading of the marks, right or wrong)."""
    left, right = dates[0].x0 - xheight, dates[-1].x1 + xheight
    below = sorted((w for w in words if left <= w.x0 and w.x1 <= right and middle(w) > middle(dates[0]) + xheight),
                   key=lambda w: middle(w))
    lines: list[list[Word]] = []
    for w in below:
        if lines and middle(w) - middle(lines[-1][0]) <= xheight:
            lines[-1].append(w)
        else:
            lines.append([w])
    found: list[tuple[float, float]] = []
    for line in lines:
        if len(found) == 2:
            break
        short = [w for w in line if len(w.text) <= 2]
        if len(short) < 0.6 * len(dates) or len(short) < 0.8 * len(line):
            if found:
                return None  # words between the AM and the PM line: not a register's two lines of marks
            continue
        height = float(np.median([w.bottom - w.top for w in short]))
        found.append((float(np.median([middle(w) for w in short])), max(2.5 * xheight, 1.8 * height)))
    if len(found) != 2:
        return None
    (am, am_height), (pm, pm_height) = found
    gap = pm - am
    # each line's cell reaches halfway to the other, no further
    return [(am, min(am_height, gap)), (pm, min(pm_height, gap))]


def _weekday_agrees(day: dt.date, date: Word, words: list[Word], xheight: float) -> bool:
    """Whether the weekday printed just above a date, when one was read, is the date's own."""
    x = middle(date, across=True)
    above = [w for w in words if w.x0 <= x <= w.x1 and 0 < middle(date) - middle(w) < 3 * xheight
             and w.text.lower()[:3] in WEEKDAYS and len(w.text) <= 9]
    return all(w.text.lower()[:3] == WEEKDAYS[day.weekday()] for w in above)


def _beyond(dates: list[Word], words: list[Word], pitch: float, xheight: float) -> int:
    """Weekdays printed above the block's line of dates past its first or last date: columns whose date OCR
    lost at an end of the line (their marks would go uncounted)."""
    first, last = middle(dates[0], across=True), middle(dates[-1], across=True)
    above = [w for w in words if w.text.lower()[:3] in WEEKDAYS and len(w.text) <= 9
             and 0 < middle(dates[0]) - middle(w) < 3 * xheight]
    return sum(1 for w in above if middle(w, across=True) < first - 0.6 * pitch
               or middle(w, across=True) > last + 0.6 * pitch)


def _inked(clear: Array, box: tuple[float, float, float, float], xheight: float) -> bool:
    """Whether a cell holds a mark's ink: as tall as half a letter, no wider than a mark."""
    height, width = clear.shape
    x0, top, x1, bottom = (round(v) for v in box)
    patch = clear[max(0, top):min(height, bottom), max(0, x0):min(width, x1)]
    ys, xs = np.flatnonzero(patch.any(axis=1)), np.flatnonzero(patch.any(axis=0))
    return ys.size > 0 and int(ys[-1] - ys[0]) >= 0.5 * xheight and int(xs[-1] - xs[0]) <= 1.6 * xheight


def _between(before: tuple[float, dt.date | None, float], after: tuple[float, dt.date | None, float], line: float,
             words: list[Word], pitch: float, xheight: float) -> tuple[float, dt.date | None, float] | None:
    """The one column between two whose date OCR lost ("O4/11", "11/12)"): the one school day between theirs,
    when its weekday printed above the column is read and is that day's; None otherwise (its marks doubtful)."""
    (x0, day0, conf0), (x1, day1, conf1) = before, after
    if day0 is None or day1 is None:
        return None
    days = [day0 + dt.timedelta(days=n) for n in range(1, (day1 - day0).days)]
    school = [d for d in days if d.weekday() < 5]
    if len(school) != 1:
        return None
    x = (x0 + x1) / 2
    named = [w for w in words if abs(middle(w, across=True) - x) < 0.4 * pitch and w.text.lower()[:3] in WEEKDAYS
             and len(w.text) <= 9 and 0 < line - middle(w) < 3 * xheight]
    if len(named) != 1 or named[0].text.lower()[:3] != WEEKDAYS[school[0].weekday()]:
        return None
    return x, school[0], min(conf0, conf1, named[0].conf)
