"""A per-day attendance list, as MIS print it: one row per date ("Date | Day | AM | PM"), the rows laid out in
two or three blocks side by side to fill the page. Printed by headless Chromium (not by docgen), read from its
text layer and from a scan (poppler, Pillow's JPEG, real Tesseract); issue 19, SPEC §5/§16.

It was `unknown` (no form, no grid of weeks), so the case was told no attendance record had been sent: a line
held two dates, each followed by its weekday and two marks, and only "a date then its marks" was a day's row."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook
from PIL import Image, ImageFilter

from docgen.attendance import SUMMARY_KEYS
from docgen.kinds import UNREADABLE_ATTENDANCE, Kind, Method
from docgen.read.extract import extract

from .herringbones import print_html
from .scans import render, scanned_pdf

START = dt.date(2026, 9, 7)
WEEKS = [  # Mon … Fri, (AM, PM): six weeks from Monday 07/09/2026
    ["/\\", "/\\", "/\\", "/\\", "/\\"],
    ["/\\", "II", "II", "II", "II"],
    ["II", "II", "M\\", "/\\", "/N"],
    ["##", "/\\", "/\\", "/\\", "/\\"],
    ["II", "II", "L\\", "/\\", "/\\"],
    ["/\\", "/\\", "II", "II", "II"],
]
# counted by hand from WEEKS: present 10 + 2 + 4 + 8 + 6 + 4 = 34; I 8 + 4 + 4 + 6 = 22; M 1; N 1; # 2 (not
# possible): possible 60 - 2 = 58; 34 / 58 = 58.62 %; the longest run of whole days ill is Tue 15/09 … Tue 22/09
TRUTH = {"possible_sessions": 58, "attended_sessions": 34, "authorised_absence_sessions": 23,
         "unauthorised_absence_sessions": 1, "illness_sessions": 22, "medical_sessions": 1, "attendance_pct": 58.6,
         "illness_days": 11, "longest_illness_run_days": 6, "first_date": "2026-09-07", "last_date": "2026-10-16",
         "pupil_name": "Idris Fenwick-Hale", "pupil_dob": "2013-04-21"}


def days() -> list[tuple[dt.date, str, str]]:
    return [(START + dt.timedelta(weeks=w, days=d), marks[0], marks[1])
            for w, week in enumerate(WEEKS) for d, marks in enumerate(week)]


def block_rows(blocks: int, weekday: bool) -> list[list[str]]:
    """The heading row, then the days in `blocks` blocks side by side: Date (Day) AM PM, a blank column between."""
    rows = days()
    per = -(-len(rows) // blocks)
    out = [[head for _ in range(blocks) for head in ("Date", *(("Day",) if weekday else ()), "AM", "PM", "")]]
    for n in range(per):
        line: list[str] = []
        for b in range(blocks):
            if b * per + n < len(rows):
                day, am, pm = rows[b * per + n]
                line += [f"{day:%d/%m/%Y}", *((f"{day:%a}",) if weekday else ()), am, pm, ""]
        out.append(line)
    return out


def day_list(path: Path, *, blocks: int, weekday: bool, title: str, ruled: bool = False,
             day_first: bool = False, joined: bool = False) -> Path:
    """The days in `blocks` blocks of rows side by side, each row Date (Day) AM PM, Arbor-like; borderless, or
    `ruled` (each cell boxed, so the PDF's text layer gives a table); `day_first`: Day Date AM PM."""
    rows = days()
    per = -(-len(rows) // blocks)
    head = "".join(("<th>Day</th><th>Date</th>" if day_first else f"<th>Date</th>{'<th>Day</th>' if weekday else ''}")
                   + ("<th>Marks</th>" if joined else "<th>AM</th><th>PM</th>") + "<th class=gap></th>"
                   for _ in range(blocks))
    lines = []
    for n in range(per):
        cells = ""
        for b in range(blocks):
            if b * per + n < len(rows):
                day, am, pm = rows[b * per + n]
                dated = (f"<td>{day:%a}</td><td>{day:%d/%m/%Y}</td>" if day_first
                         else f"<td>{day:%d/%m/%Y}</td>{f'<td>{day:%a}</td>' if weekday else ''}")
                marked = f"<td>{am}{pm}</td>" if joined else f"<td>{am}</td><td>{pm}</td>"
                cells += f"{dated}{marked}<td class=gap></td>"
        lines.append(f"<tr>{cells}</tr>")
    html = ("<html><head><meta charset='utf-8'><style>body{font-family:'DejaVu Sans',sans-serif;font-size:11pt}"
            "th{text-align:left;padding:1pt 8pt}td{padding:1pt 8pt}.gap{width:30pt}"
            f"{'table{border-collapse:collapse}td,th{border:1px solid #444}' if ruled else ''}</style></head><body>"
            f"<h2>{title}</h2><p>Greyfriars Lane School</p>"
            "<p>Student: Fenwick-Hale, Idris<br>Date of Birth: 21/04/2013<br>Period: 07/09/2026 to 16/10/2026</p>"
            f"<table>{head}{''.join(lines)}</table>"
            "<p>Codes: / present (AM) \\ present (PM) L late I illness M medical appointment N no reason given "
            "# school closed</p></body></html>")
    return print_html(html, path)


def test_a_day_list_in_two_blocks_is_a_register(tmp_path: Path) -> None:
    read = extract(day_list(tmp_path / "daylist.pdf", blocks=2, weekday=True, title="Daily Attendance Listing"))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH
    assert read.warnings == []
    # a clinic's list of appointments (a date, its weekday, then words, twice on a line) is no list of marks
    html = ("<html><body><h3>Outpatient appointments</h3><p>Dear Dr Oyelaran,</p>"
            "<pre>12/10/2026 Mon  Seen in clinic      19/10/2026 Mon  Seen in clinic\n"
            "26/10/2026 Mon  Phone review        02/11/2026 Mon  Did not attend</pre>"
            "<p>Yours sincerely,</p><p>Dr K. Amadi, Consultant Paediatrician</p></body></html>")
    assert extract(print_html(html, tmp_path / "letter.pdf")).kind is not Kind.ATTENDANCE


def test_a_day_list_in_three_blocks_without_weekdays_is_a_register(tmp_path: Path) -> None:
    read = extract(day_list(tmp_path / "daylist3.pdf", blocks=3, weekday=False, title="Session Marks by Date"))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH


def test_a_day_list_with_the_weekday_before_the_date_is_a_register(tmp_path: Path) -> None:
    """SIMS-like rows "Tue 08/09/2026 / \\", two blocks side by side."""
    read = extract(day_list(tmp_path / "dayfirst.pdf", blocks=2, weekday=True, title="Attendance Register",
                            day_first=True))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH


def test_a_day_list_with_a_days_marks_in_one_column_is_a_register(tmp_path: Path) -> None:
    """Bromcom-like "Date | Day | Marks" ("/\\", "II", "M\\"), three blocks side by side."""
    html = day_list(tmp_path / "joined.pdf", blocks=3, weekday=True, title="Attendance Marks by Date",
                    joined=True)
    read = extract(html)
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH


@pytest.mark.parametrize(("blocks", "weekday"), [(2, True), (3, False)])
def test_a_ruled_day_list_in_blocks_is_one_list(tmp_path: Path, blocks: int, weekday: bool) -> None:
    """Ruled, the text layer gives a table whose heading row names Date … AM PM once per block: every block is
    read (only the first was, and three blocks were read as one day each: figures 12 and 30, not 58)."""
    read = extract(day_list(tmp_path / "ruled.pdf", blocks=blocks, weekday=weekday, title="Attendance by Day",
                            ruled=True))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.TEXT, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH
    assert read.warnings == []


def test_a_spreadsheet_day_list_in_blocks_is_one_list(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (["Student", "Fenwick-Hale, Idris"], ["Date of Birth", "21/04/2013"], [], *block_rows(2, True)):
        sheet.append(line)
    book.save(path)
    read = extract(path)
    assert read.kind is Kind.ATTENDANCE, read
    assert {key: read.fields[key] for key in TRUTH} == TRUTH


def test_a_scanned_day_list_is_a_record_sent_and_its_figures_are_checked(tmp_path: Path) -> None:
    """Scanned, its marks are OCR's reading of "/" "\\" "I" "L" as text: sent (never "no attendance record
    was sent"), but no figure counted from them is trusted to decide the case."""
    printed = day_list(tmp_path / "daylist.pdf", blocks=2, weekday=True, title="Daily Attendance Listing")
    pages = []
    for page in render(printed, tmp_path, dpi=200):
        out = io.BytesIO()
        page.save(out, "JPEG", quality=55)
        pages.append(Image.open(io.BytesIO(out.getvalue())).convert("L"))
    read = extract(scanned_pdf(pages, tmp_path / "scan.pdf", dpi=200))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, read
    # Tesseract reads most rows, but drops a lone "I" here and there: the figures fall short of TRUTH's
    assert read.fields["first_date"] == TRUTH["first_date"] and read.fields["last_date"] == TRUTH["last_date"]
    assert read.confidence is not None
    assert max(conf for key, conf in read.confidence.items() if key in SUMMARY_KEYS) < 80, read.confidence
    assert read.fields["pupil_name"] == TRUTH["pupil_name"]


def test_a_faded_scanned_day_list_whose_marks_are_mostly_lost_is_unreadable(tmp_path: Path) -> None:
    """Faded toner, soft and speckled (150 dpi, JPEG 40): Tesseract reads every date but few marks, and some of
    those as "1" or "'": a record with possible sessions 23 (not 58) is no reading of it. It is named as sent
    but unreadable (ask the school for an export), never counted from what OCR kept."""
    printed = day_list(tmp_path / "daylist.pdf", blocks=2, weekday=True, title="Daily Attendance Listing")
    rng = np.random.default_rng(4)
    pages = []
    for page in render(printed, tmp_path, dpi=150):
        ink = 255 - (255 - np.asarray(page.filter(ImageFilter.GaussianBlur(1.2)), dtype=float)) * 0.45
        faded = np.clip(ink + rng.normal(0, 14, ink.shape), 0, 255).astype("uint8")
        out = io.BytesIO()
        Image.fromarray(faded).save(out, "JPEG", quality=40)
        pages.append(Image.open(io.BytesIO(out.getvalue())).convert("L"))
    read = extract(scanned_pdf(pages, tmp_path / "faded.pdf", dpi=150))
    assert read.method is Method.OCR and read.kind is Kind.UNKNOWN, read.fields
    assert (read.reason or "").startswith(UNREADABLE_ATTENDANCE), read.reason

