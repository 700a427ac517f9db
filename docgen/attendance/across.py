"""Read a register printed with its days across the page: a line of dates ("01/09 02/09 …", under a line of
their weekdays or not), then an AM line and a PM line of marks, one under each date; the block repeats down
the page for the next run of days (SPEC §5).

A register extract of a school's MIS prints a term so when it is laid out landscape. The marks of a line are
matched to its dates in order, so a line with more or fewer marks than its block has dates is not read (a
mark lost would shift every later one to the wrong day): such a line is named in a warning and no mark of
the record is counted (a part of it would give figures short of the truth); its printed totals stand instead.
"""

from __future__ import annotations

import datetime as dt
import re

from docgen.attendance.cells import one_mark, session_label
from docgen.attendance.codes import split_marks
from docgen.attendance.grid import Marks

_DAY_MONTH = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def read_across(text: str, marks: Marks) -> None:
    """Add the marks of every block of dates across the page (see the module's description)."""
    days: list[dt.date] | None = None
    weekdays: list[str] | None = None
    found: list[tuple[dt.date, int, str | None]] = []
    whole, lines = True, 0
    for line in text.splitlines():
        tokens = line.split()
        if not tokens:
            continue
        if len(tokens) >= 3 and all(t[:3].lower() in _WEEKDAYS for t in tokens):
            weekdays = [t[:3].lower() for t in tokens]
            continue
        dates = _dates(tokens, marks.academic_start)
        if dates is not None:
            days = dates
            if weekdays is not None and len(weekdays) == len(dates) and any(
                    _WEEKDAYS[d.weekday()] != w for d, w in zip(dates, weekdays, strict=True)):
                marks.warnings.append(f"the dates from {dates[0]:%d/%m/%Y} are printed under other weekdays than "
                                      "theirs: their marks are not counted; check the record")
                days = None
            weekdays = None
            continue
        session = session_label(tokens[0])
        if days is None or session is None:
            continue
        split = [split_marks(t) for t in tokens[1:]]
        codes = [c for f in split if f is not None for c in f]
        if any(f is None for f in split) or len(codes) != len(days):
            marks.warnings.append(f"the {'AM' if session == 0 else 'PM'} line from {days[0]:%d/%m/%Y} has "
                                  f"{len(codes)} marks for {len(days)} days: its marks cannot be matched to their days")
            whole = False
            continue
        found.extend((day, session, one_mark(code)) for day, code in zip(days, codes, strict=True))
        lines += 1
    if not whole:
        return
    for day, session, code in found:
        marks.put(day, session, code)
    marks.rows += lines


def _dates(tokens: list[str], academic_start: int | None) -> list[dt.date] | None:
    """A line of three dates or more and nothing else, each given its year (from the academic year when the
    line prints none: September to December in its first year, January to August in its second)."""
    if len(tokens) < 3:
        return None
    out: list[dt.date] = []
    for token in tokens:
        m = _DAY_MONTH.match(token)
        if m is None:
            return None
        day, month = int(m.group(1)), int(m.group(2))
        if m.group(3):
            year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
        elif academic_start is not None:
            year = academic_start if month >= 8 else academic_start + 1
        else:
            return None
        try:
            out.append(dt.date(year, month, day))
        except ValueError:
            return None
    if any(b <= a for a, b in zip(out, out[1:], strict=False)):
        return None  # not days in order: some other table of dates
    return out
