"""The 12-school-week provision period and its milestones (policy §11.4–11.8, SPEC §7).

Week 1 is the school week containing the provision start (moved to the next school day when it is
not one); weeks without a school day are skipped. For a period of W weeks: the review meeting is in
week ⌈W/2⌉ (§11.6 "halfway"); the review plan is due by the last school day of week ⌈W/2⌉ + 1
(§11.6 "end of week 7"); the continuation request is due by the last school day of week W (§11.7);
provision ends on the last school day of week W, or earlier on the statutory school leaving date
(§11.8; the last school day on or before it), or on the last school day before the expected return
date when that is sooner (§11.4). Only a strictly earlier end changes `end_reason`; when the
leaving date and the expected return give the same end, the leaving date is named.

Weeks are listed up to the provision end; a milestone after the end is None (null), and
`continuation_due` is None unless the period ran its full W weeks. A pupil who reaches the school
leaving date, or is back in school, before the provision could start has no period: CalendarError.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from docgen.calendar import ONE_DAY, Holiday, SchoolCalendar, school_leaving_date
from docgen.errors import CalendarError

DEFAULT_WEEKS = 12


class EndReason(StrEnum):
    """Why the provision period ends when it does (SPEC §10 `end_reason`)."""

    WEEKS = "weeks"
    SCHOOL_LEAVING_DATE = "school_leaving_date"
    EXPECTED_RETURN = "expected_return"


@dataclass(frozen=True)
class Week:
    """School week `number` of the period: its first and last school days within the provision."""

    number: int
    start: dt.date
    end: dt.date
    last_school_day: dt.date  # the week's own last school day, even when provision ends earlier in it

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class Timeline:
    """One provision period: its weeks, milestones, end, and the holidays inside it."""

    requested_start: dt.date
    start: dt.date
    planned_weeks: int
    weeks: tuple[Week, ...]
    review_week: int | None
    review_plan_due: dt.date | None
    continuation_due: dt.date | None
    provision_end: dt.date
    end_reason: EndReason
    holidays: tuple[Holiday, ...]
    dob: dt.date | None = None
    expected_return: dt.date | None = None

    @property
    def review_meeting(self) -> Week | None:
        """The week the review meeting should be held in, if it falls within the provision."""
        return self.weeks[self.review_week - 1] if self.review_week else None

    def to_json(self) -> dict[str, Any]:
        """The `docgen timeline --json` shape of SPEC §10, exactly."""
        return {
            "start": self.start.isoformat(),
            "weeks": [w.to_json() for w in self.weeks],
            "review_week": self.review_week,
            "review_plan_due": _iso(self.review_plan_due),
            "continuation_due": _iso(self.continuation_due),
            "provision_end": self.provision_end.isoformat(),
            "end_reason": self.end_reason.value,
        }


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def compute(calendar: SchoolCalendar, start: dt.date, *, weeks: int = DEFAULT_WEEKS, dob: dt.date | None = None,
            expected_return: dt.date | None = None) -> Timeline:
    """Lay out a provision period of `weeks` school weeks from `start`, capped by school leaving and return."""
    if weeks < 1:
        raise ValueError("a provision period has at least one school week")
    used = calendar.next_school_day(start)
    # Caps as "the provision may not go past this day"; each is only used when it ends the period sooner.
    caps: list[tuple[dt.date, EndReason]] = []
    if dob is not None:
        caps.append((school_leaving_date(dob), EndReason.SCHOOL_LEAVING_DATE))
    if expected_return is not None:
        caps.append((expected_return - ONE_DAY, EndReason.EXPECTED_RETURN))
    limit, reason = min(caps, key=lambda c: c[0]) if caps else (dt.date.max, EndReason.WEEKS)
    if limit < used:
        raise CalendarError(_no_period_message(used, reason, limit))

    listed: list[Week] = []
    end_reason = EndReason.WEEKS
    monday = used - dt.timedelta(days=used.weekday())
    while len(listed) < weeks:
        weekdays = [monday + dt.timedelta(days=i) for i in range(5)]
        inside = [d for d in weekdays if used <= d <= limit and calendar.is_school_day(d)]
        if not inside:
            if limit < weekdays[-1]:  # no school day left before the cap
                end_reason = reason
                break
            monday += dt.timedelta(days=7)  # a holiday week: not counted
            continue
        after = [d for d in weekdays if d > limit and calendar.is_school_day(d)]
        listed.append(Week(len(listed) + 1, inside[0], inside[-1], after[-1] if after else inside[-1]))
        if after:
            end_reason = reason
            break
        monday += dt.timedelta(days=7)

    end = listed[-1].end
    if end_reason is EndReason.EXPECTED_RETURN and dob is not None and _leaving_ends_on(calendar, dob, end):
        end_reason = EndReason.SCHOOL_LEAVING_DATE  # both end it on the same day: the statutory reason is named
    review = -(-weeks // 2)
    plan_week = review + 1

    def last_day_of(number: int) -> dt.date | None:
        """The last school day of week `number`, or None when it falls after the provision end."""
        if number > len(listed) or listed[number - 1].last_school_day > end:
            return None
        return listed[number - 1].last_school_day

    return Timeline(
        requested_start=start,
        start=used,
        planned_weeks=weeks,
        weeks=tuple(listed),
        review_week=review if review <= len(listed) else None,
        review_plan_due=last_day_of(plan_week) if plan_week <= weeks else None,
        continuation_due=listed[-1].end if end_reason is EndReason.WEEKS else None,
        provision_end=end,
        end_reason=end_reason,
        holidays=tuple(calendar.holidays_in(used, end)),
        dob=dob,
        expected_return=expected_return,
    )


def _leaving_ends_on(calendar: SchoolCalendar, dob: dt.date, end: dt.date) -> bool:
    """Whether the school leaving date alone would also end provision on `end`."""
    leaving = school_leaving_date(dob)
    return end <= leaving <= end + dt.timedelta(days=7) and not calendar.school_days(end + ONE_DAY, leaving)


def next_period(calendar: SchoolCalendar, previous: Timeline, weeks: int = DEFAULT_WEEKS, *,
                expected_return: dt.date | None = None) -> Timeline:
    """The period an agreed continuation starts: from the first school day after the previous end (§11.7).

    The pupil's date of birth carries over (the leaving date still caps the period); a new expected
    return date may be given. A period that ended on the school leaving date cannot be continued.
    """
    if previous.end_reason is EndReason.SCHOOL_LEAVING_DATE:
        raise CalendarError(f"provision ended on {previous.provision_end:%d %B %Y}, the statutory school leaving "
                            "date; there is no further period to continue (§11.8)")
    start = calendar.next_school_day(previous.provision_end + ONE_DAY)
    return compute(calendar, start, weeks=weeks, dob=previous.dob, expected_return=expected_return)


def _no_period_message(start: dt.date, reason: EndReason, limit: dt.date) -> str:
    if reason is EndReason.SCHOOL_LEAVING_DATE:
        return (f"the pupil's statutory school leaving date ({limit:%d %B %Y}) is before the provision start "
                f"({start:%d %B %Y}); the service cannot provide education past statutory school age (§11.8)")
    return (f"the expected return to school ({limit + ONE_DAY:%d %B %Y}) is on or before the provision start "
            f"({start:%d %B %Y}), so there is no provision period; check the dates")


@dataclass(frozen=True)
class Review:
    """The review meeting week and review plan date of the provision actually given (§11.6)."""

    week: int | None
    start: dt.date | None
    end: dt.date | None
    plan_week: int | None
    plan_due: dt.date | None


def review_of(timeline: dict[str, Any]) -> Review:
    """The review the letters and `docgen due` state, from a timeline's JSON.

    §11.6 puts the review meeting "halfway through the 12-week provision" and the plan "by the end of
    week 7". A period cut short (school leaving date, expected return) keeps them when both fall inside
    it; otherwise the review is halfway through the weeks it has, with the plan due at the end of the
    week after (so the plan is never due after the provision has ended); a one-week period has none.
    """
    weeks = [w for w in timeline.get("weeks") or [] if isinstance(w, dict)]
    count = len(weeks)
    week = timeline.get("review_week")
    plan = timeline.get("review_plan_due")
    if not isinstance(week, int) or (plan is None and timeline.get("end_reason") != EndReason.WEEKS.value):
        if count < 2:
            return Review(None, None, None, None, None)
        week = -(-count // 2)
        plan = weeks[week]["end"] if week < count else None
    chosen = weeks[week - 1]
    plan_date = dt.date.fromisoformat(plan) if isinstance(plan, str) else None
    return Review(week, dt.date.fromisoformat(chosen["start"]), dt.date.fromisoformat(chosen["end"]),
                  week + 1 if plan_date else None, plan_date)
