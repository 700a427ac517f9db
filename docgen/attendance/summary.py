"""The SPEC §5 summary of an attendance record: session counts, attendance %, illness runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from docgen.attendance.codes import ATTENDED, COUNTED, Category, category

Marks = Mapping[dt.date, tuple[str | None, str | None]]
"""One pupil's marks: date → (AM code, PM code); None = no mark."""

SUMMARY_KEYS = (
    "possible_sessions",
    "attended_sessions",
    "authorised_absence_sessions",
    "unauthorised_absence_sessions",
    "illness_sessions",
    "medical_sessions",
    "attendance_pct",
    "illness_days",
    "longest_illness_run_days",
    "first_date",
    "last_date",
)


def attendance_pct(attended: int | None, possible: int | None) -> float | None:
    """Attended / possible as a percentage, rounded half-up to one decimal; None when not computable."""
    if attended is None or not possible:
        return None
    pct = (Decimal(attended) * 100 / Decimal(possible)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(pct)


def half(sessions: int | None) -> int | float | None:
    """Sessions as days: an int when whole, else x.5."""
    if sessions is None:
        return None
    return sessions // 2 if sessions % 2 == 0 else sessions / 2


def _day_label(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def summarise(marks: Marks) -> tuple[dict[str, Any], list[str]]:
    """Count a record's marks into the SPEC §5 summary keys; warnings name unknown codes, never counted."""
    counts = dict.fromkeys(Category, 0)
    illness = medical = 0
    warnings: list[str] = []
    run = longest = 0
    marked: list[dt.date] = []
    for day in sorted(marks):
        am, pm = marks[day]
        if am is not None or pm is not None:
            marked.append(day)
        possible_today = 0
        for session, code in (("AM", am), ("PM", pm)):
            if code is None:
                continue
            kind = category(code)
            if kind is None:
                warnings.append(
                    f"unknown attendance code {code!r} on {_day_label(day)} {session}: not counted; "
                    "check the mark with the school"
                )
                continue
            counts[kind] += 1
            if kind in COUNTED:
                possible_today += 1
            illness += code == "I"
            medical += code == "M"
        if possible_today == 0:
            continue  # weekends, holidays, closures and unmarked days neither extend nor break a run
        run = run + 1 if (am, pm) == ("I", "I") else 0
        longest = max(longest, run)
    attended = sum(counts[c] for c in ATTENDED)
    possible = sum(counts[c] for c in COUNTED)
    fields: dict[str, Any] = {
        "possible_sessions": possible,
        "attended_sessions": attended,
        "authorised_absence_sessions": counts[Category.AUTHORISED],
        "unauthorised_absence_sessions": counts[Category.UNAUTHORISED],
        "illness_sessions": illness,
        "medical_sessions": medical,
        "attendance_pct": attendance_pct(attended, possible),
        "illness_days": half(illness),
        "longest_illness_run_days": longest,
        "first_date": marked[0].isoformat() if marked else None,
        "last_date": marked[-1].isoformat() if marked else None,
    }
    return fields, warnings


def summary_from_figures(figures: Mapping[str, int | float | None]) -> dict[str, Any]:
    """The summary keys of a summary-only report: the figures given, exact derivations, null otherwise."""
    possible = _int(figures.get("possible_sessions"))
    attended = _int(figures.get("attended_sessions"))
    if attended is None and figures.get("present_sessions") is not None:
        attended = (_int(figures.get("present_sessions")) or 0) + (
            _int(figures.get("approved_sessions")) or 0
        )
    authorised = _int(figures.get("authorised_absence_sessions"))
    unauthorised = _int(figures.get("unauthorised_absence_sessions"))
    missed = _int(figures.get("missed_sessions"))
    if attended is None and possible is not None and missed is not None:
        attended = possible - missed
    if possible is None and attended is not None and missed is not None:
        possible = attended + missed
    if possible is None and None not in (attended, authorised, unauthorised):
        possible = (attended or 0) + (authorised or 0) + (unauthorised or 0)
    if attended is None and possible is not None and authorised is not None and unauthorised is not None:
        attended = possible - authorised - unauthorised
    if authorised is None and possible is not None and attended is not None and unauthorised is not None:
        authorised = possible - attended - unauthorised
    if unauthorised is None and possible is not None and attended is not None and authorised is not None:
        unauthorised = possible - attended - authorised
    pct = figures.get("attendance_pct")
    illness = _int(figures.get("illness_sessions"))
    if illness is None and figures.get("illness_days") is not None:
        illness = round(float(figures["illness_days"] or 0) * 2)
    return {
        "possible_sessions": possible,
        "attended_sessions": attended,
        "authorised_absence_sessions": authorised,
        "unauthorised_absence_sessions": unauthorised,
        "illness_sessions": illness,
        "medical_sessions": _int(figures.get("medical_sessions")),
        "attendance_pct": _one_decimal(pct) if pct is not None else attendance_pct(attended, possible),
        "illness_days": half(illness),
        "longest_illness_run_days": None,
        "first_date": None,
        "last_date": None,
    }


def _one_decimal(value: int | float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _int(value: int | float | None) -> int | None:
    if value is None:
        return None
    return int(value)
