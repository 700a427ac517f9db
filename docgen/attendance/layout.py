"""How a table's columns are read: from its heading row(s), or guessed from its rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from docgen.attendance.cells import (
    SESSION_HEADS,
    Cell,
    Slot,
    Table,
    cell_date,
    day_and_session,
    holds_marks,
    is_date_head,
    is_mark_head,
    norm,
    session_label,
    session_of,
    yearless_date,
)
from docgen.attendance.codes import split_marks


@dataclass
class Layout:
    """How a table's columns are read, found from its header row(s)."""

    kind: str  # "week" | "list" | "month"
    date_col: int | None
    slots: dict[int, Slot] = field(default_factory=dict)  # week layout
    am_col: int | None = None
    pm_col: int | None = None
    session_col: int | None = None
    mark_col: int | None = None
    day_col: int | None = None  # list layout: one cell holding both marks of the day
    width: int = 0


def find_layout(table: Table) -> tuple[Layout, int] | None:
    """The layout given by the table's header row(s) and the index of the first data row, or None."""
    for index, row in enumerate(table[:40]):
        if _is_data_row(row) and not any(is_date_head(c) for c in row):
            return None  # data before any header
        layout = _layout_from_header(
            row, table[index + 1] if index + 1 < len(table) else [], table[index + 1 : index + 1 + _SAMPLE]
        )
        if layout is not None:
            skip = (
                2
                if layout.kind == "week"
                and _is_session_row(table[index + 1] if index + 1 < len(table) else [])
                else 1
            )
            return layout, index + skip
    return None


def _is_data_row(row: Sequence[Cell]) -> bool:
    """A row with a date followed by at least one mark (not a `DOB, 03/04/2014` header line)."""
    for i, cell in enumerate(row[:4]):
        if cell_date(cell) is not None:
            return any(holds_marks(c) for c in row[i + 1 :])
    return False


_SAMPLE = 8  # data rows under a heading row looked at to find its date column


def _is_session_row(row: Sequence[Cell]) -> bool:
    """AM/PM sub-headings under the day names (`AM | PM | AM …`), maybe with the date column's heading."""
    labels = [session_of(c) for c in row if norm(c) and not is_date_head(c)]
    return len(labels) >= 2 and all(s is not None for s in labels)


def _date_column(row: Sequence[Cell], below: Sequence[Cell], data: Sequence[Sequence[Cell]]) -> int | None:
    """The column of the rows' dates: headed as one (Date, w/c, Week beginning), or, when its heading is a day
    name or another word (`Monday` over each week's Monday, `Wk`), the column whose cells below are dates."""
    found = next((i for i, c in enumerate(row) if is_date_head(c)), None)
    if found is None and _is_session_row(below):
        found = next((i for i, c in enumerate(below) if is_date_head(c)), None)  # `w/c` under a blank
    if found is not None:
        return found
    dated = [r for r in data if any(cell_date(c) is not None for c in r[:_DATE_COLUMNS])]
    for i in range(min(_DATE_COLUMNS, len(row))):
        if session_of(row[i]) is not None or is_mark_head(norm(row[i])):
            continue
        if dated and all(i < len(r) and cell_date(r[i]) is not None for r in dated):
            return i
    return None


_DATE_COLUMNS = 3  # the date is in one of a week row's first columns


def _spread(row: Sequence[Cell], below: Sequence[Cell]) -> Sequence[Cell]:
    """A heading row whose merged day cells came out once each (a Word table's spanned cells), each day put
    over the first of its two session columns in the AM/PM row below, as a PDF's merged heading comes out;
    the row as it is unless its days are exactly half the sessions below."""
    if len(row) >= len(below) or not _is_session_row(below):
        return row
    sessions = [i for i, c in enumerate(below) if session_of(c) is not None]
    lead = sessions[0]  # the columns before the first session (the date's) are the same in both rows
    days = [c for c in row[lead:] if norm(c)]
    if len(sessions) != 2 * len(days) or [session_of(below[i]) for i in sessions] != [0, 1] * len(days):
        return row
    out: list[Cell] = [*row[:lead], *[None] * (len(below) - min(lead, len(row)))]
    for n, day in enumerate(days):
        out[sessions[2 * n]] = day
    return out


def _month_layout(row: Sequence[Cell]) -> Layout | None:
    """A calendar grid: a row per month, columns headed 1 … 31, each cell the day's AM and PM marks."""
    numbers = {i: int(h) for i, h in enumerate(norm(c) for c in row) if h.isdigit() and 1 <= int(h) <= 31}
    columns = sorted(numbers)
    if len(columns) < 28 or [numbers[i] for i in columns] != list(range(1, len(columns) + 1)):
        return None
    label_col = next((i for i in range(columns[0]) if norm(row[i])), 0)
    return Layout("month", label_col, slots={i: (numbers[i], None) for i in columns}, width=len(row))


def _layout_from_header(
    row: Sequence[Cell], below: Sequence[Cell], data: Sequence[Sequence[Cell]] = ()
) -> Layout | None:
    month = _month_layout(row)
    if month is not None:
        return month
    row = _spread(row, below)
    heads = [norm(c) for c in row]
    date_col = _date_column(row, below, data)
    # herringbone: day columns, maybe with AM/PM in the cell or in the row below
    sub = (
        list(below) + [None] * max(0, len(row) - len(below)) if _is_session_row(below) else [None] * len(row)
    )
    slots: dict[int, Slot] = {}
    previous: int | None = None
    current: int | None = None
    for i, cell in enumerate(row):
        if i == date_col:
            continue
        day, sess = day_and_session(cell, previous)
        below_sess = session_of(sub[i]) if i < len(sub) else None
        if day is None and not heads[i] and below_sess is not None and current is not None:
            day = current  # merged "Mon" cell over its AM/PM sub-columns
        if (
            day is None
            and not heads[i]
            and below_sess is None
            and current is not None
            and i - 1 in slots
            and slots[i - 1] == (current, None)
        ):
            slots[i - 1] = (current, 0)  # a merged "Mon" heading over two unlabelled AM/PM columns
            slots[i] = (current, 1)
            continue
        if day is None:
            current = None
            continue
        current = previous = day
        slots[i] = (day, sess if sess is not None else below_sess)
    columns = sorted(slots)
    for a, b in zip(columns, columns[1:], strict=False):
        if b == a + 1 and slots[a][1] is None and slots[a] == slots[b]:
            slots[a], slots[b] = (
                (slots[a][0], 0),
                (slots[a][0], 1),
            )  # "Mon | Mon": one merged heading, AM and PM
    if len({d for d, _ in slots.values()}) >= 3:
        session_col = None
        if all(
            sess is None for _, sess in slots.values()
        ):  # AM and PM on rows of their own: a Session column
            session_col = next(
                (i for i, h in enumerate(heads) if h in SESSION_HEADS and i not in slots), None
            )
        return Layout("week", date_col, slots=slots, session_col=session_col, width=len(row))
    # herringbone without day names: AM, PM, AM, PM … after the date column
    sessions = [(i, session_of(c)) for i, c in enumerate(row) if i != date_col and session_of(c) is not None]
    if len(sessions) >= 6 and date_col is not None:
        day = -1
        for i, sess in sessions:
            day += 1 if sess == 0 or day < 0 else 0
            slots[i] = (day, sess)
        return Layout("week", date_col, slots=slots, width=len(row))
    if date_col is None:
        return None
    am = next((i for i, c in enumerate(row) if i != date_col and session_label(c) == 0), None)
    pm = next((i for i, c in enumerate(row) if i != date_col and session_label(c) == 1), None)
    if am is not None and pm is not None:
        return Layout("list", date_col, am_col=am, pm_col=pm, width=len(row))
    session = next((i for i, h in enumerate(heads) if h in SESSION_HEADS and i != date_col), None)
    mark = next((i for i, h in enumerate(heads) if is_mark_head(h) and i not in {date_col, session}), None)
    if session is not None and mark is not None:
        return Layout("list", date_col, session_col=session, mark_col=mark, width=len(row))
    if mark is not None:
        return Layout("list", date_col, day_col=mark, width=len(row))
    return None


def date_in(
    row: Sequence[Cell], layout: Layout, academic_start: int | None = None
) -> tuple[int, dt.date | None]:
    columns = (
        [layout.date_col] if layout.date_col is not None and layout.date_col < len(row) else []
    ) + list(range(min(4, len(row))))
    for i in columns:
        day = cell_date(row[i])
        if day is not None:
            return i, day
    if academic_start is not None:
        for i in columns:
            day = yearless_date(row[i], academic_start)
            if day is not None:
                return i, day
    return -1, None


def guess_layout(table: Table, academic_start: int | None = None) -> Layout | None:
    """A layout for a table without a header: week rows when rows carry many marks, else a session list."""
    widths: list[int] = []
    for row in table:
        col, day = date_in(row, Layout("list", None), academic_start)
        if day is None:
            continue
        rest = list(row[col + 1 :])
        if not any(holds_marks(c) for c in rest):
            continue
        if session_label(rest[0]) is not None:  # date, AM|PM, mark — or date, AM|PM, Mon … Fri
            widths.append(10 if sum(1 for c in rest[1:] if (c or "").strip()) >= 3 else 1)
            continue
        widths.append(
            sum(len(split_marks(c) or [None]) for c in rest if (c or "").strip())
            if len(rest) < 4
            else len(rest)
        )
    if not widths:
        return None
    if max(widths) >= 4:
        return Layout("week", None)
    return Layout("list", None)
