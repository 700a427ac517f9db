"""A register printed with its days across the page (SPEC §5): a line of weekdays, a line of dates without
their year, then an AM and a PM line of marks, block after block down a landscape page, as a school MIS's
"register extract" prints a term. It was read by its printed totals alone, so illness and medical sessions,
the longest run of illness and the first and last dates were missing. Drawn here by reportlab's canvas."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from docgen.kinds import Kind, Reading
from docgen.read.extract import extract
from tests.attendance.days import school_days, session_mark

START = dt.date(2025, 9, 2)  # a Tuesday
ILL = {dt.date(2025, 9, 15) + dt.timedelta(days=n) for n in range(12)}  # two school weeks and more ill
MEDICAL = {(dt.date(2025, 9, 3), 0), (dt.date(2025, 10, 7), 1)}


def _days() -> list[dt.date]:
    return school_days(START, 40)


def _mark(day: dt.date, session: int) -> str:
    return session_mark(day, session, ILL, MEDICAL)


def _register(path: Path, *, mismatched_block: bool = False) -> None:
    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    c.setFont("Helvetica-Bold", 12)
    c.drawString(30, 560, "Register extract - Saxlingham Heath Primary - Autumn term 2025")
    c.setFont("Helvetica", 9)
    c.drawString(30, 540, "Name: Barnaby Whitlingham   DOB: 11/03/2016   From 02/09/2025 to 27/10/2025")
    days, y = _days(), 500.0
    for block in (days[:20], days[20:]):
        for n, day in enumerate(block):
            x = 70 + n * 36
            c.drawString(x, y, day.strftime("%a"))
            c.drawString(x, y - 12, day.strftime("%d/%m"))
            c.drawString(x + 6, y - 34, _mark(day, 0))
            if not (mismatched_block and n == 5):
                c.drawString(x + 6, y - 50, _mark(day, 1))
        c.drawString(30, y - 34, "AM")
        c.drawString(30, y - 50, "PM")
        y -= 110
    c.drawString(30, y, "Key: / \\ present, I illness, M medical appointment")
    c.save()


def test_a_register_with_its_days_across_the_page_is_counted(tmp_path: Path) -> None:
    _register(tmp_path / "register.pdf")
    read = extract(tmp_path / "register.pdf")
    assert read.kind is Kind.ATTENDANCE, read.reason
    ill = sum(2 for day in _days() if day in ILL)
    assert {k: read.fields[k] for k in ("possible_sessions", "attended_sessions", "illness_sessions",
                                        "medical_sessions", "first_date", "last_date")} == {
        "possible_sessions": 80, "attended_sessions": 80 - ill - 2, "illness_sessions": ill, "medical_sessions": 2,
        "first_date": "2025-09-02", "last_date": _days()[-1].isoformat()}


def test_a_line_with_a_mark_missing_is_not_counted_against_the_wrong_days(tmp_path: Path) -> None:
    """One PM line short of a mark: matched in order, every later mark would fall on the wrong day, and the
    rest counted without it would be figures short of the truth, trusted from a text layer. The record cannot
    be read (R-DOCS-ATTENDANCE asks the school for an export again), and the reason names the line."""
    _register(tmp_path / "register.pdf", mismatched_block=True)
    read = extract(tmp_path / "register.pdf")
    assert read.status is Reading.ATTENDANCE_UNREADABLE and "19 marks for 20 days" in (read.reason or ""), read.reason
    assert not read.fields.get("possible_sessions") and not read.fields.get("illness_sessions")
