"""A register's school days and each session's mark, for the tests that draw registers of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Set


def school_days(start: dt.date, count: int) -> list[dt.date]:
    """The first `count` weekdays from `start`."""
    out, day = [], start
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def session_mark(day: dt.date, session: int, ill: Set[dt.date], medical: Set[tuple[dt.date, int]]) -> str:
    """"M" for a medical appointment's session, "I" on a day ill, else present ("/" mornings, "\\" afternoons)."""
    if (day, session) in medical:
        return "M"
    if day in ill:
        return "I"
    return "/" if session == 0 else "\\"
