"""Registers whose date column is headed by a weekday name ("Monday" over each week's Monday, "W/B", "Wk beg.")
and whose day names are repeated once per session ("Mon | Mon | Tue | Tue" over "AM PM AM PM", "Monday AM",
"AM Mon", "M M T T W W T T F F"), as independent MIS printouts lay them out (freshscan3 S04, issue 19): printed
by headless Chromium, written by python-docx and openpyxl, or as CSV text, never by docgen's own generators.
Every figure is checked against the register counted by hand below."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from docx import Document

from docgen.errors import ExtractionError
from docgen.kinds import Kind
from docgen.read.extract import extract
from tests.read.herringbones import print_html
from tests.read.scans import noisy, render, scanned_pdf

MONDAY = dt.date(2026, 8, 31)
WEEKS = [  # Mon AM, Mon PM, Tue AM … Fri PM; "-" no session (before the start of term), "#" school closed
    "- - / \\ / \\ / \\ / \\",
    "/ \\ I I I I M \\ / \\",
    "I I I I / \\ U \\ L \\",
    "I I I I I I I I I I",
    "# # # # # # # # # #",
    "I I I I N \\ / \\ / \\",
]
# counted by hand: present 8+5+5+0+0+5 = 23 (L is present); I 4+4+10+4 = 22; M 1; U, N unauthorised; 60 cells
# less 2 "-" and 10 "#" = 48 possible; I I days in a row: w/c 21/09 Mon–Fri, then 05/10 Mon–Tue (the closed week
# neither breaks nor extends a run) = 7
TRUTH = {
    "possible_sessions": 48,
    "attended_sessions": 23,
    "authorised_absence_sessions": 23,
    "unauthorised_absence_sessions": 2,
    "illness_sessions": 22,
    "medical_sessions": 1,
    "attendance_pct": 47.9,
    "illness_days": 11,
    "longest_illness_run_days": 7,
    "first_date": "2026-09-01",
    "last_date": "2026-10-09",
    "pupil_name": "Tamsin Okafor",
    "pupil_upn": "K801200300014",
    "pupil_dob": "2013-03-14",
}
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
FULL = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def _marks(n: int) -> list[str]:
    return WEEKS[n].split()


def _week(n: int, *, ending: bool = False) -> str:
    return f"{MONDAY + dt.timedelta(weeks=n, days=4 if ending else 0):%d/%m/%Y}"


def _assert_truth(path: Path) -> None:
    read = extract(path)
    assert read.kind is Kind.ATTENDANCE, read.reason
    assert {key: read.fields.get(key) for key in TRUTH} == TRUTH
    assert read.warnings == []


# (date column heading, the heading row's session columns, the AM/PM row below or None)
HEADINGS = {
    "monday-over-repeated-days": ("Monday", [d for d in DAYS for _ in (0, 1)], ["AM", "PM"] * 5),
    "wb-full-day-and-session": ("W/B", [f"{d} {s}" for d in FULL for s in ("AM", "PM")], None),
    "week-beginning-letters": ("Week beginning", [c for c in "MTWTF" for _ in (0, 1)], ["AM", "PM"] * 5),
    "mon-session-first": ("Mon", [f"{s} {d}" for d in DAYS for s in ("AM", "PM")], None),
}


def _html(date_head: str, heads: list[str], sub: list[str] | None) -> str:
    top = "".join(f"<th>{h}</th>" for h in heads)
    span = " rowspan=2" if sub else ""
    below = "<tr>" + "".join(f"<th>{s}</th>" for s in sub) + "</tr>" if sub else ""
    rows = "".join(
        f"<tr><td>{_week(n)}</td>" + "".join(f"<td>{m.replace(chr(92), '&#92;')}</td>" for m in _marks(n)) + "</tr>"
        for n in range(len(WEEKS))
    )
    return f"""<html><head><meta charset="utf-8"><style>
body {{ font-family: sans-serif; font-size: 10pt; margin: 15mm; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #555; padding: 2pt 5pt; text-align: center; }}
</style></head><body>
<h2>Pupil Attendance Record</h2><p>Wensum Valley School · printed 16/10/2026 from the school information system</p>
<table><tr><td>Pupil name</td><td>Tamsin Okafor</td></tr><tr><td>Date of birth</td><td>14/03/2013</td></tr>
<tr><td>UPN</td><td>K801200300014</td></tr><tr><td>Date range</td><td>01/09/2026 - 09/10/2026</td></tr></table><br>
<table><tr><th{span}>{date_head}</th>{top}</tr>{below}{rows}</table>
<p>Key: / \\ present; L late; I illness; M medical appointment; U late after registers closed; N no reason;
# school closed.</p></body></html>"""


@pytest.mark.parametrize("variant", HEADINGS)
def test_printed_register_with_weekday_headings(tmp_path: Path, variant: str) -> None:
    """Chromium's print of the register, read from its text layer: every figure as counted by hand."""
    _assert_truth(print_html(_html(*HEADINGS[variant]), tmp_path / f"{variant}.pdf"))


def test_scanned_register_headed_monday(tmp_path: Path) -> None:
    """The same print scanned (pdftoppm, speckled, JPEG in a PDF) and read by OCR from its ruled grid."""
    pdf = print_html(_html(*HEADINGS["monday-over-repeated-days"]), tmp_path / "printed.pdf")
    pages = [noisy(page, seed=4, amount=0.0005) for page in render(pdf, tmp_path, dpi=200)]
    read = extract(scanned_pdf(pages, tmp_path / "scanned.pdf", dpi=200))
    assert read.kind is Kind.ATTENDANCE, read.reason
    assert read.method.value == "ocr"
    assert {key: read.fields.get(key) for key in TRUTH} == TRUTH
    assert read.confidence is not None and read.confidence["possible_sessions"] >= 80


def test_docx_register_with_two_heading_rows(tmp_path: Path) -> None:
    """A Word table: "Wk beg." over a blank, each day's name merged over its "a.m." and "p.m." columns."""
    document = Document()
    document.add_heading("Pupil Attendance Record", 1)
    document.add_paragraph("Pupil name: Tamsin Okafor    Date of birth: 14/03/2013    UPN: K801200300014")
    table = document.add_table(rows=2 + len(WEEKS), cols=11)
    table.rows[0].cells[0].text = "Wk beg."
    for n, day in enumerate(FULL):
        table.rows[0].cells[1 + 2 * n].merge(table.rows[0].cells[2 + 2 * n]).text = day
        table.rows[1].cells[1 + 2 * n].text = "a.m."
        table.rows[1].cells[2 + 2 * n].text = "p.m."
    for n in range(len(WEEKS)):
        cells = table.rows[2 + n].cells
        cells[0].text = _week(n)
        for m, mark in enumerate(_marks(n)):
            cells[1 + m].text = mark
    path = tmp_path / "register.docx"
    document.save(str(path))
    _assert_truth(path)


def test_csv_register_week_ending_and_repeated_days(tmp_path: Path) -> None:
    """An MIS CSV: each week's Friday under "W/E", "Mon,Mon,Tue,Tue …" over an AM/PM row."""
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Pupil name", "Tamsin Okafor"])
        out.writerow(["UPN", "K801200300014"])
        out.writerow(["DOB", "14/03/2013"])
        out.writerow(["W/E", *[d for d in DAYS for _ in (0, 1)]])
        out.writerow(["", *["AM", "PM"] * 5])
        for n in range(len(WEEKS)):
            out.writerow([_week(n, ending=True), *_marks(n)])
    _assert_truth(path)


def test_xlsx_register_headed_monday_with_morning_and_afternoon(tmp_path: Path) -> None:
    """A workbook: "Monday" over the weeks' Mondays, "Monday Morning | Monday Afternoon | …"."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Pupil Attendance Record"])
    sheet.append(["Pupil name", "Tamsin Okafor", "UPN", "K801200300014", "Date of birth", "14/03/2013"])
    sheet.append([])
    sheet.append(["Monday", *[f"{d} {s}" for d in FULL for s in ("Morning", "Afternoon")]])
    for n in range(len(WEEKS)):
        sheet.append([MONDAY + dt.timedelta(weeks=n), *[m if m != "-" else None for m in _marks(n)]])
    path = tmp_path / "register.xlsx"
    book.save(path)
    _assert_truth(path)


def test_a_timetable_headed_by_weekdays_is_no_register(tmp_path: Path) -> None:
    """Weekday headings over each week's Monday, but lessons and times in the cells: not attendance marks."""
    path = tmp_path / "timetable.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Home tuition timetable"])
        out.writerow(["Monday", *[d for d in DAYS for _ in (0, 1)]])
        out.writerow(["", *["AM", "PM"] * 5])
        for n in range(4):
            out.writerow([_week(n), *["Maths 10:00", "English 13:30", "", "", "Science 10:00", "", "", "", "Art", ""]])
    with pytest.raises(ExtractionError):
        extract(path)


def test_a_register_cut_at_its_right_edge_is_not_read(tmp_path: Path) -> None:
    """A grid whose last column is Friday AM (its Friday PM column cut off, as a scan whose last ruling was lost
    gives it) is not read as a record with no Friday afternoons: the school is asked for an export."""
    path = tmp_path / "register.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["Monday", *[f"{d} {s}" for d in DAYS for s in ("AM", "PM")][:-1]])
        for n in range(len(WEEKS)):
            out.writerow([_week(n), *_marks(n)[:-1]])
    with pytest.raises(ExtractionError, match="Friday AM column and no Friday PM column"):
        extract(path)
