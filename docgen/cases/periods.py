"""When a case's provision period starts and ends before the coordinator has said (policy §11.3, §11.4).

Provisional start (§11.3, §11.4): the acceptance letter carries a timeline, but provision starts only
after the initial planning meeting, which the school arranges with the family and the service. The
school week after the letter is left for that meeting, so the provisional period starts on the first
school day of the school week after it (a full school week, never a day before a holiday).

Expected return (§11.4 "an initial period of 12 school weeks (or for the period that the student is
absent from school, whichever is shorter)"): the referral's "Expected length of absence (weeks)" is
counted in school weeks from the referral date (as R-ELIG-ABSENCE counts it: absence to come, five
school days a week); the pupil is expected back on the next school day after it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from docgen.calendar import ONE_DAY, SchoolCalendar
from docgen.errors import DocgenError
from docgen.forms.types import parse_date


def provisional_start(calendar: SchoolCalendar, letter_date: dt.date) -> dt.date | None:
    """The first school day of the second full school week after `letter_date`; None past the term dates."""
    monday = letter_date + dt.timedelta(days=7 - letter_date.weekday())
    try:
        weeks = calendar.school_weeks(monday)
        next(weeks)  # the planning meeting's week
        return next(weeks).first
    except DocgenError:
        return None


@dataclass(frozen=True)
class ExpectedReturn:
    """The day the pupil is expected back in school, and where that came from."""

    date: dt.date
    source: str  # "coordinator" (schedule --expected-return) | "referral" (the form's expected absence)
    weeks: int | None = None  # the referral's expected length of absence
    counted_from: dt.date | None = None  # the referral date it is counted from

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "source": self.source, "weeks": self.weeks,
                "counted_from": self.counted_from.isoformat() if self.counted_from else None}

    @classmethod
    def from_json(cls, data: Any) -> ExpectedReturn | None:
        if not isinstance(data, dict) or not data.get("date"):
            return None
        counted = data.get("counted_from")
        return cls(dt.date.fromisoformat(data["date"]), str(data.get("source") or "coordinator"),
                   data.get("weeks"), dt.date.fromisoformat(counted) if counted else None)


def from_referral(calendar: SchoolCalendar, fields: dict[str, Any]) -> ExpectedReturn | None:
    """The expected return the referral implies: its expected absence in school weeks from its date."""
    weeks = fields.get("expected_absence_weeks")
    raw_date = fields.get("referral_date")
    if not isinstance(weeks, int) or isinstance(weeks, bool) or weeks <= 0 or not raw_date:
        return None
    try:
        referred = raw_date if isinstance(raw_date, dt.date) else parse_date(str(raw_date))
    except ValueError:
        return None
    try:
        day, counted, last = referred, 0, referred
        while counted < weeks * 5:
            if calendar.is_school_day(day):
                counted += 1
                last = day
            day += ONE_DAY
        back = calendar.next_school_day(last + ONE_DAY)
    except DocgenError:
        return None  # past the term-dates file: the period's own layout says so
    return ExpectedReturn(back, "referral", weeks, referred)
