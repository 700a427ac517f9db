"""Whether the term-dates file reaches far enough for the timelines the service must send (SPEC §7).

A provision period is laid out in school weeks from the term-dates file; a period running past its
last year cannot be laid out, so its timeline cannot be sent. `docgen status`, `docgen due` and
the check report say so — months before it happens (from WARN_DAYS before the file's last school
day), and plainly once a referral accepted today, or an open case, needs dates the file lacks.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from docgen.calendar import SchoolCalendar, academic_year_of
from docgen.cases import periods, store
from docgen.config import Settings
from docgen.errors import DocgenError

WARN_DAYS = 122  # about four months: time to get next year's dates from the council and add them
OPEN = ("accepted", "planning", "in_provision", "continuation_requested")


def calendar(settings: Settings) -> SchoolCalendar | None:
    """The school calendar, or None when the term-dates file cannot be used (rules then skip it)."""
    try:
        return require_calendar(settings)
    except Exception:  # noqa: BLE001 - the check runs without a calendar rather than not at all
        return None


def require_calendar(settings: Settings) -> SchoolCalendar:
    """The school calendar; a ConfigError naming the file when it cannot be read."""
    return SchoolCalendar.load(settings.term_dates)


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def period_fits(calendar: SchoolCalendar, start: dt.date | None, weeks: int = 12) -> bool:
    """Whether `weeks` school weeks from `start` lie inside the term-dates file."""
    if start is None:
        return False
    try:
        school_weeks = calendar.school_weeks(start)
        for _ in range(weeks):
            next(school_weeks)
    except DocgenError:
        return False
    return True


def notices(calendar: SchoolCalendar, today: dt.date, conn: sqlite3.Connection | None = None) -> list[str]:
    """What the coordinator must know about the term-dates file today (empty when nothing)."""
    last = calendar.last_day()
    following = academic_year_of(dt.date(last.year, 9, 1))
    where = f"the term-dates file {calendar.path}"
    found: list[str] = []
    stuck = []
    if conn is not None:
        for state in OPEN:
            for row in store.list_cases(conn, state):
                timeline = store.latest_timeline(conn, row.ref)
                if timeline is None:
                    stuck.append(row.ref)
    if stuck:
        found.append(f"term dates must be extended: {', '.join(stuck)} cannot have a timeline because its period "
                     f"runs past {_long(last)}, the last school day in {where}; add the {following} term dates")
    elif not period_fits(calendar, periods.provisional_start(calendar, today)):
        found.append(f"term dates must be extended: a referral accepted today would run past {_long(last)}, the "
                     f"last school day in {where}, so it would get no timeline; add the {following} term dates")
    elif today >= last - dt.timedelta(days=WARN_DAYS):
        found.append(f"term dates run out on {_long(last)} ({where}); add the {following} term dates before "
                     "referrals need them")
    return found


def readiness(settings: Settings, today: dt.date, conn: sqlite3.Connection | None) -> list[str]:
    """What stops or will stop letters going out: no signatory, term dates running out (status, due)."""
    found = [settings.signatory_missing] if settings.signatory_missing else []
    cal = calendar(settings)
    if cal is not None:
        found += notices(cal, today, conn)
    return found
