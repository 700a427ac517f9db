"""The one table reader: CSV and XLSX as rows of text, for attendance, extraction and mail-merge.

One delimiter guesser (`guess_delimiter`: the candidate that splits the rows into the most rows of one
width, quotes respected; comma on a tie), one cell-to-text (`cell_text`: whole numbers without ".0",
dates ISO 8601 for reading, or day-first as a letter prints them), one workbook reader (`xlsx_tables`).
Each caller turns a `TableError` into its own error (quarantine reason, merge message).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from pathlib import Path
from typing import Any, Literal

from docgen.errors import DocgenError

DELIMITERS = (",", ";", "\t", "|")
Style = Literal["data", "letter"]  # how a date cell is written: ISO 8601 (read by the forms' types), or 02/03/2026


class TableError(DocgenError):
    """A CSV or workbook that cannot be read as a table (the message says why)."""


def guess_delimiter(text: str, *, sample: int = 200) -> str:
    """The delimiter of a CSV: the candidate under which most of the first rows have one width > 1.

    Quoted cells are respected ("Sam, Jr" in a semicolon file stays one cell); ties go to the wider
    split, then to the comma; text with no candidate at all is read with commas.
    """
    lines = [line for line in text.splitlines() if line.strip()][:sample]
    best, best_score = ",", (0, 0, True)
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in lines):
            continue
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        common = Counter(w for w in widths if w > 1).most_common(1)
        if not common:
            continue
        width, rows = common[0]
        score = (rows, width, delimiter == ",")
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_rows(text: str, *, delimiter: str | None = None, max_rows: int | None = None,
             max_columns: int | None = None) -> list[list[str]]:
    """The rows of CSV text (cells as written, not stripped), with the guessed delimiter unless given."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or guess_delimiter(text))
    rows: list[list[str]] = []
    try:
        for index, row in enumerate(reader):
            if max_rows is not None and index >= max_rows:
                break
            rows.append(list(row[:max_columns] if max_columns is not None else row))
    except csv.Error as exc:
        raise TableError(f"the CSV cannot be read ({exc})") from None
    return rows


def cell_text(value: Any, style: Style = "data") -> str | None:
    """A spreadsheet cell as text: None for an empty cell, whole numbers without ".0", dates by `style`."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("Yes" if value else "No") if style == "letter" else str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return _day(value.date(), style)
        return value.isoformat(sep=" ") if style == "data" else value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return _day(value, style)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _day(day: dt.date, style: Style) -> str:
    return day.isoformat() if style == "data" else day.strftime("%d/%m/%Y")


def xlsx_tables(path: Path, *, style: Style = "data", first_only: bool = False, max_rows: int | None = None,
                max_columns: int | None = None) -> list[list[list[str | None]]]:
    """Each worksheet (or the first) as rows of `cell_text`; a TableError when the workbook will not open."""
    import openpyxl  # only needed for workbooks

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign zip
        raise TableError(f"the spreadsheet cannot be opened ({type(exc).__name__})") from None
    tables: list[list[list[str | None]]] = []
    try:
        for sheet in book.worksheets[:1] if first_only else book.worksheets:
            rows: list[list[str | None]] = []
            for index, values in enumerate(sheet.iter_rows(max_row=max_rows, max_col=max_columns, values_only=True)):
                if max_rows is not None and index >= max_rows:
                    break
                cells = values[:max_columns] if max_columns is not None else values
                rows.append([cell_text(v, style) for v in cells])
            tables.append(rows)
    finally:
        book.close()
    return tables
