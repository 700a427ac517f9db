"""Dates as docgen reads and writes them: one `as_date`, one "3 April 2026"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def as_date(value: Any) -> dt.date | None:
    """A date, datetime or ISO date string (as extraction gives, time part ignored) as a date; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def long_date(day: dt.date) -> str:
    """A date as letters and messages print it: 3 April 2026."""
    return f"{day.day} {day:%B %Y}"


Clock = Callable[[], dt.datetime]  # the time as a part of docgen records it (injected, so tests can fix it)


def wall_clock() -> dt.datetime:
    """The real time, in UTC."""
    return dt.datetime.now(dt.UTC)


def clock_on(today: dt.date, wall: Clock = wall_clock) -> Clock:
    """A clock on the register's `today` (--today): the wall clock's time of day, moved by whole days."""
    offset = today - dt.date.today()
    return lambda: wall() + offset
