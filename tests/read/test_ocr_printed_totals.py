"""A school MIS's attendance record printed from its web page by headless Chromium, then scanned (issue 19): a
grid of weeks by Mon AM … Fri PM with light rules, and the totals the MIS prints under it ("Possible sessions:
120", "Attended: 88", "Authorised absence (illness): 22"). Tesseract drops most of the "/" and "\\" marks and
the light rules give no grid to read the marks from, so the record was `unknown` ("attendance grid has 5 marks
in the row for w/c 05/01/2026") and the case got R-DOCS-ATTENDANCE. It is read by the totals it prints; real
Chromium, poppler and Tesseract, no mocks."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from pathlib import Path

import img2pdf
import numpy as np
from PIL import Image

from docgen.attendance.figures import read_figures
from docgen.kinds import Kind, Method
from docgen.read.extract import extract

from .herringbones import print_html

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
START = dt.date(2026, 1, 5)


def marks(weeks: int, seed: int) -> list[list[str]]:
    """Ten marks a week: mostly present, some illness, a medical appointment, a few unexplained absences."""
    rng = random.Random(seed)
    out = []
    for _week in range(weeks):
        row: list[str] = []
        for _day in range(5):
            r = rng.random()
            row += ["/", "\\"] if r < 0.65 else ["I", "I"] if r < 0.82 else ["M", "/"] if r < 0.88 else ["N", "N"]
        out.append(row)
    return out


def record_html(grid: list[list[str]]) -> tuple[str, dict[str, int | float]]:
    """An Arbor-like record (light grey rules, a heading cell per session) and the totals it prints."""
    flat = [m for week in grid for m in week]
    attended = sum(m in ("/", "\\") for m in flat)
    totals: dict[str, int | float] = {
        "possible_sessions": len(flat), "attended_sessions": attended, "illness_sessions": flat.count("I"),
        "medical_sessions": flat.count("M"), "attendance_pct": round(100 * attended / len(flat), 1)}
    head = "".join(f"<th>{d} AM</th><th>{d} PM</th>" for d in DAYS)
    rows = "".join(f"<tr><td>{START + dt.timedelta(weeks=n):%d/%m/%Y}</td>"
                   + "".join(f"<td>{m.replace(chr(92), '&#92;')}</td>" for m in week) + "</tr>"
                   for n, week in enumerate(grid))
    html = f"""<html><head><style>
body {{ font-family: Arial, sans-serif; font-size: 11pt; margin: 18px; }} table {{ border-collapse: collapse; }}
.g td, .g th {{ border-bottom: 1px solid #999; border-right: 1px solid #ccc; padding: 3px 6px; text-align: center;
  font-size: 10pt; }}
.g th {{ background: #e8f0f8; color: #234; }} h2 {{ color: #1a4d80; margin: 0; }}
.card {{ border: 1px solid #bbb; padding: 6px; margin: 8px 0; width: 60%; }} .sum td {{ padding: 2px 14px 2px 0; }}
</style></head><body>
<div style="font-size:9pt;color:#666">St Barnabas CE High School &middot; Arbor</div>
<h2>Student Attendance Record</h2>
<div class=card>Student: Jacob Ashdown<br>Date of Birth: 03/11/2012<br>UPN: H330210045561<br>Year group: Year 8</div>
<table class=g><tr><th>Week commencing</th>{head}</tr>{rows}</table>
<table class=sum style="margin-top:10px">
<tr><td>Possible sessions:</td><td>{totals['possible_sessions']}</td></tr>
<tr><td>Attended:</td><td>{totals['attended_sessions']}</td></tr>
<tr><td>Authorised absence (illness):</td><td>{totals['illness_sessions']}</td></tr>
<tr><td>Authorised absence (medical):</td><td>{totals['medical_sessions']}</td></tr>
<tr><td>Attendance %:</td><td>{totals['attendance_pct']}</td></tr></table>
</body></html>"""
    return html, totals


def ruled_html(grid: list[list[str]], faint: set[tuple[int, int]]) -> tuple[str, dict[str, int | float]]:
    """A SIMS-like "Attendance Record (Herringbone)" in a fully ruled grid with its totals under it; the marks at
    `faint` (week, session) printed so pale (an edited mark, a tired printer) that a scan loses them."""
    flat = [m for week in grid for m in week]
    attended = sum(m in ("/", "\\") for m in flat)
    totals: dict[str, int | float] = {
        "possible_sessions": len(flat), "attended_sessions": attended, "illness_sessions": flat.count("I"),
        "attendance_pct": round(100 * attended / len(flat), 1)}
    days = "".join(f"<th colspan=2>{d}</th>" for d in DAYS)
    sessions = "<th>AM</th><th>PM</th>" * 5
    rows = "".join(f"<tr><td>w/c {START + dt.timedelta(weeks=n):%d/%m/%Y}</td>"
                   + "".join(f"<td{' style=color:#f4f4f4' if (n, k) in faint else ''}>{m.replace(chr(92), '&#92;')}</td>"
                             for k, m in enumerate(week)) + "</tr>"
                   for n, week in enumerate(grid))
    html = f"""<html><head><style>
body {{ font-family: Arial, sans-serif; font-size: 11pt; margin: 18px; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #000; padding: 2px 5px; text-align: center; font-size: 10pt; }}
</style></head><body>
<h1 style="font-size:17pt">Attendance Record (Herringbone)</h1>
<p>Pupil: Tamsin Orrell &nbsp; Date of birth: 22/07/2013 &nbsp; UPN: K821400117023<br>School: Fenwick Road Academy</p>
<table><tr><th rowspan=2>Week</th>{days}</tr><tr>{sessions}</tr>{rows}</table>
<p>Possible sessions: {totals['possible_sessions']}<br>Attended: {totals['attended_sessions']}<br>
Authorised absence (illness): {totals['illness_sessions']}<br>Attendance: {totals['attendance_pct']}%</p>
</body></html>"""
    return html, totals




def scanned(pdf: Path, out: Path, *, dpi: int, quality: int = 40) -> Path:
    """Rendered by poppler, turned 2°, grey noise, JPEG, wrapped in a PDF by img2pdf."""
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)],
                   check=True, timeout=120)
    page = Image.open(next(pdf.parent.glob(f"{prefix.name}-*.png"))).convert("L")
    page = page.rotate(2.0, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    pixels = np.asarray(page, dtype=np.float32) + np.random.default_rng(5).normal(0, 12, (page.height, page.width))
    jpeg = out.with_suffix(".jpg")
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(jpeg, quality=quality, dpi=(dpi, dpi))
    out.write_bytes(img2pdf.convert(str(jpeg), layout_fun=img2pdf.get_fixed_dpi_layout_fun((dpi, dpi))))
    return out


def test_a_scanned_mis_record_whose_marks_ocr_drops_is_read_by_its_printed_totals(tmp_path: Path) -> None:
    html, totals = record_html(marks(12, seed=8))
    printed = print_html(html, tmp_path / "attendance.pdf")
    as_printed = extract(printed)  # its own text layer: the marks are read
    assert as_printed.kind is Kind.ATTENDANCE and as_printed.method is Method.TEXT
    assert {k: as_printed.fields[k] for k in totals} == totals

    read = extract(scanned(printed, tmp_path / "attendance-scan.pdf", dpi=150))
    assert read.kind is Kind.ATTENDANCE, read.reason
    assert read.method is Method.OCR and read.reason is None and read.confidence is not None
    keys = ("possible_sessions", "attended_sessions", "illness_sessions", "medical_sessions")
    assert {k: read.fields[k] for k in keys} == {k: totals[k] for k in keys}
    assert read.fields["pupil_name"] == "Jacob Ashdown" and read.fields["pupil_dob"] == "2012-11-03"
    # its percentage is the one printed, or (a digit misread: not attended over possible) a person checks it
    assert read.fields["attendance_pct"] == totals["attendance_pct"] or read.confidence["attendance_pct"] < 80
    assert any("totals the record prints" in w for w in read.warnings)


def test_a_scanned_grid_that_lost_marks_its_totals_count_is_read_by_the_totals(tmp_path: Path) -> None:
    """Four pale marks the scan loses: the grid's cells read empty, its figures four sessions short of the totals
    printed under it (attendance over possible agreeing with the percentage printed) — never trusted."""
    html, totals = ruled_html(marks(12, seed=8), faint={(11, 6), (11, 7), (11, 8), (11, 9)})
    printed = print_html(html, tmp_path / "herringbone.pdf")
    as_printed = extract(printed)
    assert {k: as_printed.fields[k] for k in totals} == totals

    read = extract(scanned(printed, tmp_path / "herringbone-scan.pdf", dpi=200, quality=60))
    assert read.kind is Kind.ATTENDANCE and read.confidence is not None, read.reason
    wrong = {k: read.fields[k] for k in totals if read.fields[k] != totals[k] and read.confidence[k] >= 80}
    assert not wrong, (wrong, totals)
    assert read.fields["possible_sessions"] == totals["possible_sessions"]


def test_an_mis_record_names_its_authorised_absences_by_reason() -> None:
    text = ("Possible sessions: 118\nAttended: 87\nAuthorised absence (illness): 22\n"
            "Authorised absence (medical): 3\nUnauthorised absence: 6\nAttendance %: 73.7")
    assert read_figures([], text) == {"possible_sessions": 118, "attended_sessions": 87, "illness_sessions": 22,
                                      "medical_sessions": 3, "unauthorised_absence_sessions": 6,
                                      "attendance_pct": 73.7}
