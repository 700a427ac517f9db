"""Read marks from tables and text: herringbone week rows, session lists (date, AM, PM / date, session, mark)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docgen.attendance.cells import (
    Cell,
    Table,
    cell_date,
    drop_words,
    holds_marks,
    is_date_head,
    monday_of,
    one_mark,
    session_label,
    session_of,
    week_label,
)
from docgen.attendance.codes import is_stat, split_marks
from docgen.attendance.layout import Layout, date_in, find_layout, guess_layout
from docgen.forms.types import clean_text, parse_date


class GridError(ValueError):
    """A record that is an attendance grid but cannot be read reliably; the message says why."""


@dataclass
class Marks:
    """Marks read so far: date → [AM, PM]; warnings about what was passed over."""

    days: dict[dt.date, list[str | None]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    rows: int = 0  # rows (weeks or sessions) that carried a date
    last_day: dt.date | None = None  # a session list's PM row may leave the date blank under the AM row
    headed: bool = False  # a table had an attendance grid / session list heading row
    academic_start: int | None = (
        None  # the year the record's academic year starts, for dates printed without one
    )

    def put(self, day: dt.date, session: int, code: str | None) -> None:
        slot = self.days.setdefault(day, [None, None])
        if code is None:
            return
        old = slot[session]
        if old is not None and old != code:
            self.warnings.append(
                f"two different marks ({old}, {code}) for {day:%d/%m/%Y} {'AM' if session == 0 else 'PM'}; "
                "the later one is used"
            )
        slot[session] = code

    def frozen(self) -> dict[dt.date, tuple[str | None, str | None]]:
        return {day: (am, pm) for day, (am, pm) in self.days.items()}


_WEEK_LABEL = re.compile(
    r"^(?:week|wk|w)\s*\.?\s*\d{1,2}[ab]?$|^\d{1,2}$|^(?:autumn|spring|summer)\s*\d?$", re.I
)


def week_marks(cells: Sequence[Cell], label: str, notes: list[str] | None = None) -> list[str | None]:
    """The ten marks Mon AM … Fri PM of a week row's cells after its date (positional); GridError when not ten."""
    cells = drop_words(
        [None if c is None else str(c) for c in cells], label, notes if notes is not None else []
    )
    while (
        cells
        and cells[0] is not None
        and _WEEK_LABEL.match(cells[0].strip())
        and len([c for c in cells[1:] if holds_marks(c)]) >= 5
    ):
        cells = cells[1:]  # "Week 1" or a week number printed after the date
    last = max((i for i, c in enumerate(cells) if holds_marks(c)), default=-1)
    body = cells[: last + 1]
    splits = [split_marks(c) for c in body]
    if any(s is None for s in splits):
        bad = next(c for c, s in zip(body, splits, strict=True) if s is None)
        raise GridError(
            f"attendance grid has {str(bad)[:20]!r} among the marks in the row for {label}; "
            "expected attendance codes only"
        )
    parts = [s or [] for s in splits]
    if all(len(p) <= 1 for p in parts):  # one mark per cell, blanks keep their place
        count = len(body) if len(cells) < 10 or len(body) > 10 else 10
        if count != 10:
            raise GridError(f"attendance grid has {count} marks in the row for {label}; expected 10")
        padded = cells[:10]
        return [one_mark(c) for c in padded]
    if len(parts) == 1 and len(parts[0]) in (10, 14):  # the week as one string: /\/\IIII/\
        return list(parts[0][:10])
    width = len(body) if len(cells) < 5 or len(body) > 5 else 5
    if width == 5 and all(len(p) in (0, 1, 2) for p in parts):  # one cell per day: "/\"
        marks: list[str | None] = []
        for p in parts + [[]] * (5 - len(parts)):
            marks.extend(p + [None] * (2 - len(p)) if len(p) != 1 or p[0] is None else [p[0], None])
        return marks
    total = sum(len(p) for p in parts)
    raise GridError(f"attendance grid has {total} marks in the row for {label}; expected 10")


def join_split_rows(tables: Sequence[Table]) -> Sequence[Table]:
    """Tables with a row cut by a page break put back together: a printed grid whose last row on one page
    ends `10/ 11/` and whose next page starts with `202 5` and nothing else is one week, `10/ 11/ 202 5`.

    Joined only when the continuation row holds no marks, is as wide as the row above it, and the
    two halves of a cell make a date that neither half is on its own.
    """
    out: list[list[Sequence[Cell]]] = [list(t) for t in tables]
    for before, after in zip(out, out[1:], strict=False):
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        if len(last) != len(first) or any(holds_marks(c) for c in first):
            continue
        joined = [_join_cells(a, b) for a, b in zip(last, first, strict=True)]
        if not any(cell_date(j) is not None and cell_date(a) is None and cell_date(b) is None
                   for a, b, j in zip(last, first, joined, strict=True) if (b or "").strip()):
            continue
        before[-1] = joined
        del after[0]
    return out


def _join_cells(above: Cell, below: Cell) -> Cell:
    if not (below or "").strip():
        return above
    if not (above or "").strip():
        return below
    return f"{above} {below}"


def stacked(table: Table) -> Table:
    """A per-day list printed in blocks side by side to fill the page ("Date | Day | AM | PM | Date | Day | AM |
    PM"): its blocks one under the other, as one list; any other table as it is. The blocks are where its
    heading row names a date column again, each with an AM or session column of its own."""
    for index, row in enumerate(table[:5]):
        starts = [n for n, cell in enumerate(row) if is_date_head(cell)]
        if len(starts) < 2:
            continue
        ends = [*starts[1:], len(row)]
        if not all(any(session_of(c) is not None for c in row[a:b]) for a, b in zip(starts, ends, strict=True)):
            return table
        width = max(b - a for a, b in zip(starts, ends, strict=True))
        out: list[Sequence[Cell]] = [*table[:index], [*row[starts[0] : ends[0]]] + [None] * (width - ends[0] + starts[0])]
        for a, b in zip(starts, ends, strict=True):
            for below in table[index + 1 :]:
                block = list(below[a:b])
                out.append(block + [None] * (width - len(block)))
        return out
    return table


def read_table(table: Table, marks: Marks, carried: Layout | None = None) -> Layout | None:
    """Add the marks of one table to `marks`; returns the layout used (to carry on to a continuation table)."""
    table = stacked(table)
    found = find_layout(table)
    if found is not None:
        layout, start = found
        marks.headed = True
        _whole_last_day(layout)
    elif carried is not None:
        layout, start = carried, 0
    else:
        guessed = guess_layout(table, marks.academic_start)
        if guessed is None:
            return None
        layout, start = guessed, 0
    for row in table[start:]:
        _read_row(list(row), layout, marks)
    return layout


def _whole_last_day(layout: Layout) -> None:
    """GridError for a week grid whose last column is a day's AM with no PM column while its other days have
    both: the grid is cut at its right edge (a scan whose last ruling was lost), and that day's afternoons would
    go uncounted unnoticed."""
    if layout.kind != "week" or not layout.slots:
        return
    day, session = layout.slots[max(layout.slots)]
    sessions: dict[int, set[int | None]] = {}
    for d, s in layout.slots.values():
        sessions.setdefault(d, set()).add(s)
    if session == 0 and sessions[day] == {0} and any(s == {0, 1} for d, s in sessions.items() if d != day):
        name = _DAY_NAMES[day]
        raise GridError(
            f"attendance grid ends with a {name} AM column and no {name} PM column; its right edge may be cut off"
        )


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _read_row(row: list[Cell], layout: Layout, marks: Marks) -> None:
    if layout.kind == "month":
        _read_month_row(row, layout, marks)
        return
    col, day = date_in(row, layout, marks.academic_start)
    rest = row[col + 1 :] if col >= 0 else row
    date_cell = (
        row[layout.date_col]
        if layout.date_col is not None and layout.date_col < len(row)
        else (row[0] if row else None)
    )
    if (
        day is None
        and not (date_cell or "").strip()
        and marks.last_day is not None
        and _session_row(row[1:] if layout.date_col is None else row[layout.date_col + 1 :], layout)
    ):
        day = marks.last_day  # the PM row under its AM row, the date not repeated
        col = layout.date_col if layout.date_col is not None else 0
        rest = row[col + 1 :]
    marks.last_day = day
    if day is None:
        if layout.kind == "week" and col < 0 and layout.date_col is not None and layout.date_col < len(row):
            label = clean_text(str(row[layout.date_col] or ""), multiline=False)
            if (
                label
                and any(holds_marks(row[i]) for i in layout.slots if i < len(row) and not is_stat(row[i]))
                and re.search(r"\d", label)
            ):
                raise GridError(
                    f"attendance grid has a week date that cannot be read: {label[:30]!r}; "
                    "write it as DD/MM/YYYY"
                )
        return
    if not any(holds_marks(c) for c in rest) and not (layout.kind == "week" and layout.slots):
        return
    if layout.kind == "week" and _session_row(rest, layout):
        _read_week_session_row(row, rest, layout, day, marks)
        return
    if layout.kind == "week":
        monday = monday_of(day)
        if layout.slots:
            values = _slot_marks(row, layout, monday, marks.warnings)
        else:
            values = [
                ((d, s), m)
                for (d, s), m in zip(
                    ((i // 2, i % 2) for i in range(10)),
                    week_marks(rest, week_label(monday), marks.warnings),
                    strict=True,
                )
            ]
        if not any(m is not None for _, m in values) and not any(holds_marks(c) for c in rest):
            return
        marks.rows += 1
        for (d, s), m in values:
            marks.put(monday + dt.timedelta(days=d), s, m)
        return
    _read_list_row(row, rest, layout, day, marks)


def _month_of(cell: Cell) -> dt.date | None:
    """The first of the month a calendar row names: `Sep 2025`, `September 2025`, `09/2025`, `Sep-25`."""
    text = clean_text(str(cell or ""), multiline=False)
    if not re.search(r"\d", text):
        return None
    for candidate in (f"1 {text}", f"01/{text}"):
        try:
            return parse_date(candidate).replace(day=1)
        except ValueError:
            continue
    return None


def _read_month_row(row: Sequence[Cell], layout: Layout, marks: Marks) -> None:
    """One month of a calendar grid; the cell under day N holds that day's AM and PM marks."""
    label_cell = row[layout.date_col] if layout.date_col is not None and layout.date_col < len(row) else None
    first = _month_of(label_cell)
    cells = {number: row[i] if i < len(row) else None for i, (number, _) in layout.slots.items()}
    if first is None:
        if any(holds_marks(c) for c in cells.values()) and re.search(r"\d", str(label_cell or "")):
            raise GridError(
                f"attendance calendar has a month that cannot be read: "
                f"{clean_text(str(label_cell), multiline=False)[:30]!r}; write it as e.g. Sep 2025"
            )
        return
    month_label = f"{first:%B %Y}"
    cells = dict(zip(cells, drop_words(list(cells.values()), month_label, marks.warnings), strict=True))
    marks.rows += 1
    for number, cell in cells.items():
        parts = split_marks(cell)
        if parts is None or len(parts) > 2:
            raise GridError(
                f"attendance calendar has {str(cell)[:20]!r} for day {number} of {month_label}; "
                "expected an AM and a PM mark"
            )
        if not any(p is not None for p in parts):
            continue
        try:
            day = first.replace(day=number)
        except ValueError:
            raise GridError(
                f"attendance calendar has marks for day {number} of {month_label}, which has no such day"
            ) from None
        am, pm = (parts + [None, None])[:2]
        marks.put(day, 0, am)
        marks.put(day, 1, pm)


def _session_row(rest: Sequence[Cell], layout: Layout) -> bool:
    """True when a row (its cells after the date) carries one session: a session list row or half a two-row week."""
    if layout.kind == "list":
        return layout.session_col is not None
    if layout.session_col is not None:
        return True
    if layout.slots:
        return False
    first = next((c for c in rest[:2] if (c or "").strip()), None)
    return session_label(first) is not None


def _read_week_session_row(
    row: Sequence[Cell], rest: Sequence[Cell], layout: Layout, day: dt.date, marks: Marks
) -> None:
    """One session of a week (`w/c | AM | Mon … Fri`), the PM row following its AM row."""
    monday = monday_of(day)
    label = week_label(monday)
    if layout.session_col is not None:
        session = session_of(row[layout.session_col]) if layout.session_col < len(row) else None
        cells = [(d, row[i] if i < len(row) else None) for i, (d, _) in sorted(layout.slots.items())]
    else:
        at = next((i for i, c in enumerate(rest) if session_label(c) is not None), None)
        if at is None:
            return
        session = session_label(rest[at])
        marks_cells = drop_words(list(rest[at + 1 :]), label, marks.warnings)
        while len(marks_cells) > 5 and not holds_marks(marks_cells[-1]):
            marks_cells.pop()
        if len(marks_cells) != 5:
            raise GridError(
                f"attendance grid has {len(marks_cells)} marks in the "
                f"{'AM' if session == 0 else 'PM'} row for {label}; expected 5 (Mon … Fri)"
            )
        cells = list(enumerate(marks_cells))
    if session is None:
        return
    marks.rows += 1
    for offset, cell in cells:
        parts = split_marks(cell)
        if parts is not None and len(parts) > 1:
            raise GridError(
                f"attendance grid has {len(parts)} marks in one session of the row for {label}; "
                "expected one mark per session"
            )
        marks.put(monday + dt.timedelta(days=offset), session, one_mark(cell))


def _slot_marks(
    row: Sequence[Cell], layout: Layout, monday: dt.date, notes: list[str]
) -> list[tuple[tuple[int, int], str | None]]:
    label = week_label(monday)
    row = [row[0], *drop_words(row[1:], label, notes)] if row else []
    needed = max(layout.slots) + 1
    if len(row) < needed and any(holds_marks(c) for c in row[1:]):
        present = sum(1 for i in layout.slots if i < len(row))
        expected = sum(1 if s is not None else 2 for _, s in layout.slots.values())
        raise GridError(f"attendance grid has {present} marks in the row for {label}; expected {expected}")
    out: list[tuple[tuple[int, int], str | None]] = []
    for i, (day, sess) in layout.slots.items():
        cell = row[i] if i < len(row) else None
        if sess is not None:
            parts = split_marks(cell)
            if parts is not None and len(parts) > 1:
                raise GridError(
                    f"attendance grid has {len(parts)} marks in one session of the row for {label}; "
                    "expected one mark per session"
                )
            out.append(((day, sess), one_mark(cell)))
            continue
        parts = split_marks(cell)
        if parts is None or len(parts) > 2:
            raise GridError(
                f"attendance grid has {str(cell)[:20]!r} for one day in the row for {label}; "
                "expected an AM and a PM mark"
            )
        if len(parts) == 1 and parts[0] is not None:
            marks_day = [parts[0], None]
        else:
            marks_day = parts + [None] * (2 - len(parts))
        out.extend((((day, 0), marks_day[0]), ((day, 1), marks_day[1])))
    return out


def _read_list_row(
    row: Sequence[Cell], rest: Sequence[Cell], layout: Layout, day: dt.date, marks: Marks
) -> None:
    label = f"{day:%d/%m/%Y}"
    if layout.am_col is not None and layout.pm_col is not None:
        am = one_mark(row[layout.am_col]) if layout.am_col < len(row) else None
        pm = one_mark(row[layout.pm_col]) if layout.pm_col < len(row) else None
        marks.rows += 1
        marks.put(day, 0, am)
        marks.put(day, 1, pm)
        return
    if layout.session_col is not None and layout.mark_col is not None:
        sess_cell = row[layout.session_col] if layout.session_col < len(row) else None
        date_cell = (
            row[layout.date_col] if layout.date_col is not None and layout.date_col < len(row) else None
        )
        session = session_of(sess_cell)
        if session is None:
            session = _session_suffix(date_cell)
        mark = one_mark(row[layout.mark_col]) if layout.mark_col < len(row) else None
        if session is None:
            if mark is None:
                return
            raise GridError(
                f"attendance session list has a session {clean_text(str(sess_cell or ''))[:12]!r} on "
                f"{label}; expected AM or PM"
            )
        marks.rows += 1
        marks.put(day, session, mark)
        return
    if layout.day_col is not None:
        cell = row[layout.day_col] if layout.day_col < len(row) else None
        parts = split_marks(cell)
        if parts is None or len(parts) > 2:
            raise GridError(
                f"attendance session list has {str(cell)[:20]!r} for {label}; expected an AM and a PM mark"
            )
        parts = parts + [None] * (2 - len(parts))
        marks.rows += 1
        marks.put(day, 0, parts[0])
        marks.put(day, 1, parts[1])
        return
    _read_loose_list_row(rest, day, marks)


def _session_suffix(cell: Cell) -> int | None:
    m = re.search(r"\b(am|pm)\s*$", str(cell or ""), re.I)
    return None if m is None else (0 if m.group(1).lower() == "am" else 1)


def _read_loose_list_row(rest: Sequence[Cell], day: dt.date, marks: Marks) -> None:
    cells = list(rest)
    while cells and not (cells[-1] or "").strip():
        cells.pop()
    if not cells:
        return
    session = session_label(cells[0])
    if session is not None and len(cells) >= 2:
        marks.rows += 1
        marks.put(day, session, one_mark(cells[1]))
        return
    if len(cells) == 1:
        parts = split_marks(cells[0]) or []
        if len(parts) > 2:
            raise GridError(f"attendance session list has {len(parts)} marks for {day:%d/%m/%Y}; expected 2")
        cells = [*parts, None]
    marks.rows += 1
    marks.put(day, 0, one_mark(cells[0]))
    marks.put(day, 1, one_mark(cells[1]) if len(cells) > 1 else None)
