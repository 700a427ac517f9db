"""Read a herringbone printed as plain text lines: a date then ten marks, or a date then AM|PM and five marks."""

from __future__ import annotations

import datetime as dt
import re

from docgen.attendance.cells import monday_of, one_mark, session_label, week_label
from docgen.attendance.codes import is_stat, split_marks
from docgen.attendance.grid import GridError, Marks, week_marks
from docgen.forms.types import parse_date

_LINE_DATE = re.compile(
    r"^\s*(?:(?:w\s*/\s*c|w\s*/\s*b|week\s+(?:commencing|beginning|starting))\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{2,4})"
    r"(?:\s*\((?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\))?(?=\s|$)",
    re.I,
)


_DATE = (r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?\s+\d{2,4})"
         r"(?=\s|$)")
_ANY_DATE = re.compile(rf"(?<!\S)(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?{_DATE}", re.I)  # "Tue 01/09/2026" too
_WEEKDAY = re.compile(r"^\s*\(?(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\)?,?(?=\s|$)", re.I)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day_rows(line: str) -> list[str]:
    """A line of a per-day list printed in blocks side by side ("01/09/2026 Tue / \\    08/10/2026 Thu I I") as
    one line per day; any other line as it is. Each block is a date, its weekday if printed (after it or before
    it), and its one or two marks: a line of dates with anything else between them is no such list."""
    starts = [m.start() for m in _ANY_DATE.finditer(line)]
    if len(starts) < 2 or line[: starts[0]].strip():
        return [line]
    parts = [line[a:b] for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]
    for part in parts:
        m = _ANY_DATE.match(part)
        rest = part[m.end():] if m else part
        rest = _WEEKDAY.sub("", rest, count=1)
        splits = [split_marks(token) for token in rest.split()]
        if not 1 <= len(splits) <= 2 or any(s is None for s in splits) \
                or not 1 <= sum(len(s or []) for s in splits) <= 2:  # "/ \\", or the day's marks as one "/\\"
            return [line]
    return parts


def dated_rows(text: str) -> int:
    """How many of the text's lines (a side-by-side list's blocks apart) start with a date: a list's days."""
    return sum(1 for whole in text.splitlines() for row in _day_rows(whole) if _LINE_DATE.match(row))


def read_text_lines(text: str, marks: Marks) -> None:
    """Add marks from plain-text lines: a date then ten marks (a week), or two marks / AM|PM and a mark.

    A week printed as an AM line and a PM line (`05/01/2026 AM / I I I /`, then `PM \\ I I I \\`) is read too.
    """
    week_of_session: dt.date | None = None
    for line in (row for whole in text.splitlines() for row in _day_rows(whole)):
        m = _LINE_DATE.match(line)
        if not m:
            tokens = line.split()
            if week_of_session is not None and tokens and session_label(tokens[0]) is not None:
                _text_week_session(week_of_session, tokens, marks)
            week_of_session = None
            continue
        try:
            day = parse_date(m.group(1))
        except ValueError:
            continue
        rest = re.sub(r"^\s*(?:week|wk)\.?\s*\d{1,2}[ab]?\b", "", line[m.end() :], flags=re.I)
        if (weekday := _WEEKDAY.match(rest)) is not None:  # "01/09/2026 Tue / \\": a per-day list's weekday column
            if _WEEKDAYS.index(weekday.group(1).lower()) != day.weekday():
                marks.warnings.append(f"{m.group(1)} is printed as a {weekday.group(1)}, which it is not: its marks "
                                      "are not counted; check the date on the record")
                week_of_session = None
                continue
            rest = rest[weekday.end() :]
        tokens = rest.split()
        week_of_session = None
        if not tokens:
            continue
        session = session_label(tokens[0])
        if session is not None and len(tokens) >= 6 and all(split_marks(t) for t in tokens[1:6]):
            week_of_session = monday_of(day)
            _text_week_session(week_of_session, tokens, marks)
            continue
        if session is not None and len(tokens) >= 2 and split_marks(tokens[1]):
            marks.rows += 1
            marks.put(day, session, one_mark(tokens[1]))
            continue
        while tokens and is_stat(tokens[-1]):
            tokens.pop()
        splits = [split_marks(t) for t in tokens]
        if not tokens or any(s is None for s in splits):
            continue
        total = sum(len(s or []) for s in splits)
        if total <= 2 and day.weekday() < 5 and len(tokens) <= 2:
            parts = [p for s in splits for p in (s or [])] + [None]
            marks.rows += 1
            marks.put(day, 0, parts[0])
            marks.put(day, 1, parts[1])
            continue
        monday = monday_of(day)
        week = week_marks(tokens, week_label(monday), marks.warnings)
        marks.rows += 1
        for i, code in enumerate(week):
            marks.put(monday + dt.timedelta(days=i // 2), i % 2, code)


def _text_week_session(monday: dt.date, tokens: list[str], marks: Marks) -> None:
    """`AM / I I I /`: one session of the week, Mon … Fri."""
    session = session_label(tokens[0])
    codes = tokens[1:]
    while len(codes) > 5 and is_stat(codes[-1]):
        codes.pop()
    if session is None or any(not split_marks(c) for c in codes):
        return
    if len(codes) != 5:
        raise GridError(
            f"attendance grid has {len(codes)} marks in the {'AM' if session == 0 else 'PM'} row for "
            f"{week_label(monday)}; expected 5 (Mon … Fri)"
        )
    marks.rows += 1
    for offset, code in enumerate(codes):
        marks.put(monday + dt.timedelta(days=offset), session, one_mark(code))
