"""A scanned register with its days across the page: its marks read from the image (issue 19, SPEC §5/§16).

A line of weekdays, a line of dates without their year, then an AM and a PM line of marks, block after block,
in small type with every cell ruled. OCR reads its dates but misreads some lone marks ("f" for "/", "E" for
"I"), so the marks it gave missed the record's printed totals and only those totals were read: no illness or
medical sessions, no longest run, no first and last date. Drawn by reportlab (not docgen), rendered by poppler,
turned and JPEG'd by Pillow, read by real Tesseract."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from docgen.attendance import SUMMARY_KEYS
from docgen.kinds import Kind, Method
from docgen.read.extract import extract
from tests.attendance.days import school_days, session_mark

from .scans import render, scanned_pdf, skewed

START = dt.date(2026, 9, 1)
ILL = {START + dt.timedelta(days=n) for n in range(14, 30)}
MEDICAL = {(dt.date(2026, 9, 3), 0), (dt.date(2026, 10, 6), 1), (dt.date(2026, 10, 8), 0)}


def _days() -> list[dt.date]:
    return school_days(START, 44)


def _mark(day: dt.date, session: int) -> str:
    return session_mark(day, session, ILL, MEDICAL)


def _truth() -> dict[str, object]:
    marks = [_mark(day, s) for day in _days() for s in (0, 1)]
    ill, medical = marks.count("I"), marks.count("M")
    attended = len(marks) - ill - medical
    run = sum(1 for day in _days() if day in ILL)  # one run of whole days ill
    return {"possible_sessions": len(marks), "attended_sessions": attended,
            "authorised_absence_sessions": ill + medical, "unauthorised_absence_sessions": 0,
            "illness_sessions": ill, "medical_sessions": medical,
            "attendance_pct": round(attended * 100 / len(marks), 1), "illness_days": ill / 2,
            "longest_illness_run_days": run, "first_date": _days()[0].isoformat(),
            "last_date": _days()[-1].isoformat()}


def _register(path: Path) -> Path:
    """Two blocks of 22 days, each cell ruled, 7.5 pt type, its totals printed under them."""
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    width, height = landscape(A4)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(12 * mm, height - 14 * mm, "Pupil register - Wymondham Abbey School - Autumn 2026")
    c.setFont("Helvetica", 8)
    c.drawString(12 * mm, height - 20 * mm, "Pupil: Orla Fennimore   Born 04/05/2012   From 01/09/2026 to 30/10/2026")
    days, y, cw = _days(), height - 34 * mm, 11 * mm
    for block in (days[:22], days[22:]):
        x0 = 24 * mm
        c.setFont("Helvetica", 7.5)
        for n, day in enumerate(block):
            c.drawCentredString(x0 + n * cw + cw / 2, y, day.strftime("%a"))
            c.drawCentredString(x0 + n * cw + cw / 2, y - 3.2 * mm, day.strftime("%d/%m"))
            c.setFont("Courier-Bold", 8)
            c.drawCentredString(x0 + n * cw + cw / 2, y - 9 * mm, _mark(day, 0))
            c.drawCentredString(x0 + n * cw + cw / 2, y - 15 * mm, _mark(day, 1))
            c.setFont("Helvetica", 7.5)
        c.drawString(12 * mm, y - 9 * mm, "AM")
        c.drawString(12 * mm, y - 15 * mm, "PM")
        c.setLineWidth(0.4)
        for n in range(len(block) + 1):
            c.line(x0 + n * cw, y + 3 * mm, x0 + n * cw, y - 17.5 * mm)
        for yy in (y + 3 * mm, y - 5 * mm, y - 11.5 * mm, y - 17.5 * mm):
            c.line(12 * mm, yy, x0 + len(block) * cw, yy)
        y -= 32 * mm
    truth = _truth()
    c.setFont("Helvetica", 8)
    c.drawString(12 * mm, y, f"Possible {truth['possible_sessions']}   Present {truth['attended_sessions']}   "
                             f"Attendance {truth['attendance_pct']}%")
    c.drawString(12 * mm, y - 5 * mm, "Key: / \\ present, I illness, M medical appointment")
    c.save()
    return path


def test_a_scanned_register_with_its_days_across_is_counted_from_its_marks(tmp_path: Path) -> None:
    printed = _register(tmp_path / "register.pdf")
    read = extract(scanned_pdf(render(printed, tmp_path, dpi=200), tmp_path / "grey.pdf", dpi=200, quality=70))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, (read.reason, read.fields)
    assert {key: read.fields.get(key) for key in SUMMARY_KEYS if key in _truth()} == _truth()
    assert read.confidence is not None
    assert all(key in read.confidence for key in _truth())


def test_a_register_whose_last_date_ocr_lost_is_not_counted_short(tmp_path: Path) -> None:
    """Turned 3° at 250 dpi, Tesseract drops each block's last column (its weekday and date): its marks are in
    the image past the last date read, so the marks are not counted (possible 84, not 88); the record is read
    by the totals it prints."""
    page = skewed(render(_register(tmp_path / "register.pdf"), tmp_path, dpi=250)[0], -3.0)
    out = io.BytesIO()
    page.save(out, "JPEG", quality=70)
    read = extract(scanned_pdf([Image.open(io.BytesIO(out.getvalue()))], tmp_path / "skewed.pdf", dpi=250))
    assert read.kind is Kind.ATTENDANCE, (read.reason, read.fields)
    truth = _truth()
    for key in SUMMARY_KEYS:
        if read.fields.get(key) is not None:
            assert read.fields[key] == truth[key], key


def test_a_date_scribbled_over_is_the_one_school_day_between_its_neighbours(tmp_path: Path) -> None:
    """A pen stroke across one date (Wed 14/10): OCR reads its weekday but not its date, so the line of dates has
    a gap. The one school day between Tue 13/10 and Thu 15/10 whose weekday is printed above the gap is that
    column's date; without it the marks were doubtful and only the printed totals were read."""
    page = render(_register(tmp_path / "register.pdf"), tmp_path, dpi=200)[0]
    per_mm = 200 / 25.4
    column = _days()[22:].index(dt.date(2026, 10, 14))
    x, y = (24 + column * 11 + 5.5) * per_mm, 69.2 * per_mm  # the date's middle and baseline, from the top
    draw = ImageDraw.Draw(page)
    points = [(x - 4.5 * per_mm + n * 0.9 * per_mm, y - (2.4 if n % 2 else 0.2) * per_mm) for n in range(11)]
    draw.line(points, fill=40, width=3)
    read = extract(scanned_pdf([page], tmp_path / "scribbled.pdf", dpi=200, quality=70))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, (read.reason, read.fields)
    assert {key: read.fields.get(key) for key in SUMMARY_KEYS if key in _truth()} == _truth()
