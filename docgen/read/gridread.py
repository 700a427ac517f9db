"""A scanned attendance record read from its grid's image (`docgen.read.herringbone`): the summary and how sure
it is (SPEC §5, §16).

The grid's cells go to the same attendance reader as a PDF's tables. How sure the summary is follows from its
marks: a "/" or "\\\\" is told by the lean of one stroke, an empty cell by its lack of ink, a letter by
Tesseract reading it on its own. A mark that could not be told, or a letter read under `_LETTER_SURE`, is
doubtful: with none the summary is as sure as its least sure mark; with a few (up to `_FEW` of the marks) the
record is read but its figures are doubtful (R-DATA-UNCERTAIN: a person checks it against the page); with
more, or a grid the attendance reader cannot read, it is an attendance record that could not be read, and the
school is asked for an export, as before.

A school MIS prints its own totals under the grid ("Possible sessions: 118", "Attended: 87", "Attendance:
73.7%"). Marks that do not add up to them were lost or misread: the marks' figures are doubtful, or, when the
totals agree with their printed percentage, the record is read by its totals (`from_printed`), as it is when
its marks cannot be read at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from docgen.attendance import SUMMARY_KEYS, from_summary, from_tables
from docgen.attendance.codes import COUNTED, category
from docgen.attendance.figures import read_figures
from docgen.attendance.readers import IDENTITY_KEYS
from docgen.attendance.summary import attendance_pct
from docgen.errors import ExtractionError
from docgen.forms.types import parse_date
from docgen.kinds import Extraction, Kind, Method
from docgen.read.confidence import Evidence, attach, evidence
from docgen.read.herringbone import UNSURE
from docgen.read.scanned import Scan

_LETTER_SURE = 60.0  # a mark read under this confidence is doubtful
_FEW = 0.05  # share of the marks that may be doubtful for the record to be read at all
DOUBTFUL = 50  # the summary's confidence when some of its marks are doubtful (under any [ocr] min_confidence)
TOTALS = ("possible_sessions", "attended_sessions")  # printed beside the grid, checked against its marks


def from_grids(path: Path, text: str, scan: Scan) -> Extraction | None:
    """The attendance record a scan's grids hold, with confidences; None when they hold none or too many of
    their marks are doubtful."""
    pages = [p for p in scan.pages if p.grid is not None]
    grids = [p.grid for p in pages if p.grid is not None]
    if not grids:
        return None
    tables = [[list(row) for row in grid.rows] for grid in grids]
    rows = [row for table in tables for row in table]
    _mend_dates(rows)
    _mend_sessions(rows)
    _mend_days(rows)
    marks = doubtful = 0
    least = 100.0
    for table, grid in zip(tables, grids, strict=True):
        for row, confs in zip(table, grid.confidence, strict=True):
            if not row or _date(row[0]) is None:
                continue  # a heading; a week without its date is counted by `_misdated`
            for cell, conf in zip(row[1:], confs[1:], strict=True):
                marks += 1
                if cell is None:
                    continue
                if cell == UNSURE or len(cell) > 2 or conf < _LETTER_SURE:
                    doubtful += 1  # a mark not told, or words among the marks: ink that is no mark
                else:
                    least = min(least, conf)
    doubtful += _misdated(rows, daily=all(grid.daily for grid in grids)) + 10 * sum(grid.outside for grid in grids)
    if not marks or doubtful > _FEW * marks:
        return None
    try:
        result = from_tables(path, tables, text, Method.OCR)
    except ExtractionError:
        return None
    if result is None or result.kind is not Kind.ATTENDANCE or result.fields.get("possible_sessions") is None:
        return None
    if result.fields.get("possible_sessions") != _counted(rows):
        return None  # the reader placed the marks otherwise than the grid holds them (a heading misread): not trusted
    sure = DOUBTFUL if doubtful else round(min(least, 99.0))
    printed = read_figures([], text)
    if any(printed.get(key) not in (None, result.fields.get(key)) for key in TOTALS):
        # the record's own totals say otherwise: a mark lost or misread (the reader warns). Totals that agree with
        # their printed percentage are the school's count, read right: the record is read by them (`from_printed`)
        if _agreeing(printed):
            return None
        sure = DOUBTFUL
    first = pages[0]
    found = evidence({}, {k: result.fields.get(k) for k in IDENTITY_KEYS}, scan)
    for key in SUMMARY_KEYS:
        if result.fields.get(key) is not None:
            found[key] = Evidence(sure, first.number + 1, first.grid.box if first.grid else (0.0, 0.0, 1.0, 1.0))
    if doubtful:
        result.warnings.append(f"{doubtful} of the {marks} marks read from the scanned grid could not be told "
                               "for sure; check them against the page")
    attach(result, found, scan)
    return result


def from_printed(path: Path, text: str, scan: Scan) -> Extraction | None:
    """A scanned attendance record whose marks could not be read, by the totals it prints beside them
    ("Possible sessions: 118", "Attended: 87"); None when it prints none. Attended over possible must be the
    percentage it prints (`_agreeing`): a figure misread breaks that, and its figures are then doubtful."""
    result = from_summary(path, text, Method.OCR)
    if result is None:
        return None
    fields = result.fields
    found = evidence({}, fields, scan)
    if not _agreeing({**fields, "attendance_pct": read_figures([], text).get("attendance_pct")}, percentage=False):
        for key in SUMMARY_KEYS:
            if key in found:
                found[key] = dataclasses.replace(found[key], confidence=min(found[key].confidence, DOUBTFUL))
        result.warnings.append("the printed totals of the scanned attendance record do not agree with each other "
                               "(attended over possible sessions is not the percentage printed); check them against "
                               "the page")
    result.warnings.append("the figures are the totals the record prints, not counted from its marks: the scanned "
                           "grid's marks could not be read, or did not add up to those totals")
    attach(result, found, scan)
    return result


def _agreeing(figures: dict[str, Any], *, percentage: bool = True) -> bool:
    """Whether a record's printed totals hold together: attended at most possible, and attended over possible the
    percentage printed (to its last decimal, however the school rounds); `percentage`: one must be printed."""
    possible, attended, pct = (figures.get(key) for key in (*TOTALS, "attendance_pct"))
    if not isinstance(possible, int) or not isinstance(attended, int) or not 0 <= attended <= possible:
        return False
    if pct is None:
        return not percentage
    computed = attendance_pct(attended, possible)
    return computed is not None and abs(float(pct) - computed) <= 0.1


def _misdated(rows: list[list[str | None]], *, daily: bool = False) -> int:
    """The marks in week rows whose date does not follow on from the row above by whole weeks (in a per-day
    list's rows, `daily`: that is not later than it), or that have no date (the reader would pass them over or
    put them on another week)."""
    out = 0
    previous: dt.date | None = None
    for row in rows:
        day = _date(row[0]) if row else None
        marked = sum(1 for cell in row[1:] if cell is not None and len(cell) <= 2)
        if day is None:
            out += marked if marked >= 2 and any(c in ("/", "\\") for c in row[1:]) else 0
            continue
        if previous is not None and ((day - previous).days <= 0 or (not daily and (day - previous).days % 7)):
            out += marked
        else:
            previous = day
    return out


def _mend_dates(rows: list[list[str | None]]) -> None:
    """A week's date OCR misread or lost, put right from the weeks around it: between two weeks a fortnight
    apart it can only be the week between; the first (last) week's date one character off the week before
    (after) the next two (previous two) weeks is that week."""
    weeks = [row for row in rows if row and (_date(row[0]) is not None or any(c in ("/", "\\") for c in row[1:]))]
    days = [_date(row[0]) for row in weeks]
    for n in range(len(weeks)):
        before = days[n - 1] if n >= 1 else None
        after = days[n + 1] if n + 1 < len(days) else None
        want: dt.date | None = None
        if before and after and (after - before).days == 14:
            want = before + dt.timedelta(days=7)
        elif n == 0 and after and n + 2 < len(days) and (later := days[n + 2]) and (later - after).days == 7:
            want = after - dt.timedelta(days=7)
        elif n == len(days) - 1 and before and n >= 2 and (earlier := days[n - 2]) and (before - earlier).days == 7:
            want = before + dt.timedelta(days=7)
        if want is None or days[n] == want:
            continue
        written = f"{want:%d/%m/%Y}"
        read = weeks[n][0] or ""
        if days[n] is None or (before and after) or _one_off(read, written):
            weeks[n][0] = written
            days[n] = want


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")


def _mend_days(rows: list[list[str | None]]) -> None:
    """The heading row over the weeks with one day's name lost ("?": its word read as a mark) given the day
    between its neighbours: the attendance reader places the marks under the days it finds."""
    first = next((n for n, row in enumerate(rows) if row and _date(row[0]) is not None), 0)
    if first == 0:
        return
    heading = rows[first - 1]
    named = [(n, t) for n, t in enumerate(heading[1:], start=1) if t]
    days = [t for _n, t in named]
    if len(named) != 5 or sum(t in _DAYS for t in days) != 4:
        return
    missing = next(d for d in _DAYS if d not in days)
    at = next(n for n, t in named if t not in _DAYS)
    if [t if t in _DAYS else missing for t in days] == list(_DAYS):
        heading[at] = missing


_SESSION = re.compile(r"^[AP][MN]$", re.IGNORECASE)


def _mend_sessions(rows: list[list[str | None]]) -> None:
    """The heading row's five days over their AM and PM cells (one cell over two: "Mon AM PM") as the days alone,
    when every one of them names its day (or one, lost, lies between its neighbours): a session's name lost or
    read out of order ("Wed AM", "Fri PM AM") made the attendance reader place the weeks' marks otherwise
    (possible 24 of 120). All five or none: days alone beside days with sessions misplace them too."""
    first = next((n for n, row in enumerate(rows) if row and _date(row[0]) is not None), 0)
    if first == 0:
        return
    heading = rows[first - 1]
    spans = [n for n in range(1, len(heading) - 1) if heading[n] and heading[n + 1] is None]
    if len(spans) != len(_DAYS):
        return
    days = [_day_over_sessions(heading[n] or "") for n in spans]
    missing = [d for d in _DAYS if d not in days]
    if days.count(None) == 1 and len(missing) == 1:
        days[days.index(None)] = missing[0]
    if days == list(_DAYS):
        for n, day in zip(spans, _DAYS, strict=True):
            heading[n] = day


def _day_over_sessions(text: str) -> str | None:
    """The day a heading names, followed by nothing but its sessions' names ("Thu AM PM", "| Fri AM | PM")."""
    words = [w for w in (w.strip("|_-.,:;'\"!") for w in text.split()) if w]
    if not words or not all(_SESSION.match(w) for w in words[1:]):
        return None
    return next((d for d in _DAYS if d.lower() == words[0].lower()), None)


def _one_off(read: str, written: str) -> bool:
    return len(read) == len(written) and sum(a != b for a, b in zip(read, written, strict=True)) == 1


def _date(text: str | None) -> dt.date | None:
    try:
        return parse_date(text) if text else None
    except ValueError:
        return None


def _counted(rows: list[list[str | None]]) -> int:
    """The marks in the week rows that count as possible sessions (present or absent), as the grids hold them."""
    return sum(1 for row in rows if row and _date(row[0]) is not None for cell in row[1:]
               if cell is not None and (c := category(cell)) is not None and c in COUNTED)


def week_rows(scan: Scan) -> int:
    """How many rows of the scan's grids are a week's (a date, then five or more cells): a herringbone's grid."""
    return sum(1 for p in scan.pages if p.grid is not None for row in p.grid.rows
               if len(row) >= 6 and _date(row[0]) is not None)
