"""The one table reader (docgen/tables.py): delimiters guessed on files other tools write, cells as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from docgen import tables


@pytest.mark.parametrize(("text", "expected"), [
    # Excel in a comma-decimal locale: semicolons, with commas inside the numbers
    ("Week beginning;Present %;Sessions\n01/09/2025;92,5;10\n08/09/2025;87,5;10\n", ";"),
    # commas inside quoted addresses, semicolon-separated (LibreOffice "Text CSV" with ; chosen)
    ('name;address\nNoah;"1, High Street, Town"\nAmira;"2, Low Road, Village"\n', ";"),
    # a title line above the table (a school's MIS export), tab-separated
    ("Attendance report for autumn term\nDate\tAM\tPM\n01/09/2025\t/\t\\\n02/09/2025\tI\tI\n", "\t"),
    ("name|school_name\nSam|St Mary's, Upper\n", "|"),
    ("just one column\nand another line\n", ","),
    ("a,b;c\n", ","),  # a tie: comma
])
def test_the_delimiter_is_the_one_that_splits_rows_evenly(text: str, expected: str) -> None:
    assert tables.guess_delimiter(text) == expected


def test_csv_rows_keep_quoted_delimiters_in_their_cell() -> None:
    rows = tables.csv_rows('name;address\nNoah;"1, High Street; Flat 2"\n')
    assert rows == [["name", "address"], ["Noah", "1, High Street; Flat 2"]]


def test_cells_as_text_for_reading_and_for_letters() -> None:
    day, moment = dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 9, 5)
    assert [tables.cell_text(v) for v in (None, 3.0, 2.5, day, moment, True, "x")] == [
        None, "3", "2.5", "2026-03-02", "2026-03-02 09:05:00", "True", "x"]
    assert [tables.cell_text(v, "letter") for v in (day, dt.datetime(2026, 3, 2), moment, False)] == [
        "02/03/2026", "02/03/2026", "02/03/2026 09:05", "No"]


def test_a_workbook_with_typed_cells_and_a_damaged_one(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Date", "Sessions", "Note"])
    sheet.append([dt.datetime(2025, 9, 1), 10.0, None])
    book.create_sheet("Second").append(["only"])
    book.save(tmp_path / "a.xlsx")
    assert tables.xlsx_tables(tmp_path / "a.xlsx") == [
        [["Date", "Sessions", "Note"], ["2025-09-01", "10", None]], [["only"]]]
    assert tables.xlsx_tables(tmp_path / "a.xlsx", style="letter", first_only=True)[0][1][0] == "01/09/2025"
    damaged = tmp_path / "b.xlsx"
    damaged.write_bytes((tmp_path / "a.xlsx").read_bytes()[:300])
    with pytest.raises(tables.TableError, match="cannot be opened"):
        tables.xlsx_tables(damaged)
