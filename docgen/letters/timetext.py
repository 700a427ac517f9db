"""What the letters say about a provision period: its dates, milestones, end and table of weeks (§11.4–11.8).

Every sentence follows the period actually given (`docgen timeline --json` of the case): a period
cut short by the school leaving date or the expected return has its review where `timeline.review_of`
puts it, and no Continuation request; a provisional period (counted from acceptance) says how it
was counted. Tables keep one date style each: the milestones in full ("8 to 12 February 2027"),
the school weeks short ("Mon 8 Feb to Fri 12 Feb 2027").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from docgen.calendar import school_leaving_date
from docgen.dates import as_date
from docgen.letters import words
from docgen.letters.words import NOT_GIVEN, long_date, long_range, short_date, text
from docgen.timeline import review_of

TimelineJSON = Mapping[str, Any]
Holiday = Mapping[str, Any]

PROVISIONAL_RULE = ("They count the provision from the second school week after this letter, because the school "
                    "week after it is left for the initial planning meeting, which comes before provision begins "
                    "(section 11.4).")


def timeline_summary(timeline: TimelineJSON, *, requested_start: dt.date | None = None, provisional: bool = False,
                     expected_return: Mapping[str, Any] | None = None, dob: Any = None,
                     name: str = "the young person", email: str = "the Medical Needs Service") -> dict[str, Any]:
    """The period's dates, milestones and sentences as letters state them.

    `requested_start` is the start agreed at the planning meeting; when it is not a school day (a half
    term, a bank holiday) the period starts on the next school day and `start_note` says so.
    """
    weeks: Sequence[Mapping[str, Any]] = timeline.get("weeks") or []
    count = len(weeks)
    reason = str(timeline.get("end_reason") or "weeks")
    review = review_of(dict(timeline)) if weeks else None
    review_dates = long_range(review.start, review.end) if review and review.week else "not applicable"
    plan_due = long_date(review.plan_due, missing="not applicable") if review else "not applicable"
    start = long_date(timeline.get("start"))
    milestones = [{"what": "Provision starts", "date": f"{start} (provisional)" if provisional else start}]
    if review is None or review.week is not None:
        milestones.append({"what": f"Review meeting (halfway, week {review.week if review else NOT_GIVEN})",
                           "date": review_dates})
    else:
        milestones.append({"what": "Review meeting", "date": "none: the provision is a single week"})
    milestones += [
        {"what": "Review plan (Part B) due to the service", "date": plan_due},
        {"what": "Continuation request due, if needed",
         "date": long_date(timeline.get("continuation_due"), missing="not applicable")},
        {"what": "Provision ends", "date": long_date(timeline.get("provision_end"))},
    ]
    continues = bool(timeline.get("continuation_due"))
    used = as_date(timeline.get("start"))
    start_note = ""
    if requested_start is not None and used is not None and used != requested_start:
        start_note = (f"The start agreed at the planning meeting, {long_date(requested_start)}, is not a school "
                      f"day, so the provision starts on the next school day, {long_date(used)}.")
    return {
        "start_note": start_note,
        "provisional": provisional,
        "provisional_note": (f"These dates are provisional. {PROVISIONAL_RULE} The start is agreed at the "
                             "meeting, and a new timeline is sent then.") if provisional else "",
        "start": start,
        "end": long_date(timeline.get("provision_end")),
        "review_dates": review_dates,
        "review_text": _review_text(review, review_dates, plan_due, email),
        "continuation_possible": continues,
        "continuation_text": (
            "A Continuation request, if needed, is due before the period ends (section 11.7); without one, "
            "provision may cease (section 11.8)." if continues else
            "No Continuation request is due for this period: " + words.NO_CONTINUATION_BECAUSE.get(
                reason, "the period ends before the 12 school weeks are complete") + "."
        ),
        "weeks": str(count),
        "review_week": str(review.week) if review and review.week else "not applicable",
        "plan_week": str(review.plan_week) if review and review.plan_week else "not applicable",
        "review_plan_due": plan_due,
        "continuation_due": long_date(timeline.get("continuation_due"), missing="not applicable"),
        "end_reason": words.TIMELINE_END_REASONS.get(reason, reason).format(weeks=count or 12),
        "end_sentence": _end_sentence(reason, timeline, expected_return, dob, name),
        "milestones": milestones,
    }


def _review_text(review: Any, dates: str, plan_due: str, email: str) -> str:
    if review is None or review.week is None:
        return ("The provision is too short for a review meeting halfway through it (section 11.6); the plan for "
                "the return to school is agreed at the initial planning meeting.")
    sentence = f"The review meeting takes place halfway through the provision, in week {review.week} ({dates})"
    if review.plan_due is None:
        return sentence + "; the provision ends before a review plan would be due (section 11.6)."
    return (sentence + f", and the review plan (Part B of the Initial Planning and Review Record) is emailed to "
            f"{email} by {plan_due}, the end of week {review.plan_week} (section 11.6).")


def _end_sentence(reason: str, timeline: TimelineJSON, expected_return: Mapping[str, Any] | None, dob: Any,
                  name: str) -> str:
    """Why the period ends when it does, in one sentence."""
    if reason == "school_leaving_date":
        born = as_date(dob)
        leaving = f" on {long_date(school_leaving_date(born))}" if born else ""
        return (f"It ends then because {name} reaches the end of statutory school age{leaving}, the last Friday "
                "of June in Year 11 (section 11.8).")
    if reason == "expected_return":
        back = as_date((expected_return or {}).get("date"))
        when = f" on {long_date(back)}" if back else ""
        sentence = (f"It ends then because {name} is expected back in school{when}: the period is 12 school weeks, "
                    "or the time the young person is absent from school if that is shorter (section 11.4).")
        if expected_return and expected_return.get("source") == "referral" and expected_return.get("weeks"):
            sentence += (f" The referral expected {expected_return['weeks']} school weeks of absence from "
                         f"{long_date(expected_return.get('counted_from'))}.")
        return sentence
    return f"It ends then, at the end of its {len(timeline.get('weeks') or []) or 12} school weeks (section 11.4)."


def timeline_rows(timeline: TimelineJSON, holidays: Iterable[Holiday] = ()) -> list[dict[str, str]]:
    """One row per school week, holidays between weeks as their own rows (in full), milestones noted."""
    weeks = list(timeline.get("weeks") or [])
    spans = [(as_date(h.get("start")), as_date(h.get("end")), text(h.get("name"), missing="Holiday"))
             for h in holidays]
    marks = _milestone_marks(timeline)
    rows: list[dict[str, str]] = []
    previous_friday: dt.date | None = None
    for week in weeks:
        start, end = as_date(week.get("start")), as_date(week.get("end"))
        if start is None or end is None:
            continue
        monday = start - dt.timedelta(days=start.weekday())
        friday = monday + dt.timedelta(days=4)
        notes: list[str] = []
        for h_start, h_end, name in spans:
            if h_start is None or h_end is None:
                continue
            if previous_friday is not None:
                gap_start = max(h_start, previous_friday + dt.timedelta(days=3))
                gap_end = min(h_end, monday - dt.timedelta(days=3))
                if gap_start <= gap_end:  # the holiday's whole weeks between two school weeks
                    whole = "" if (gap_start, gap_end) == (h_start, h_end) else f", {_span(h_start, h_end)}"
                    rows.append({"week": "", "dates": words.date_range(gap_start, gap_end),
                                 "note": f"{name}{whole}: no provision"})
            if h_start <= friday and h_end >= monday:
                notes.append(f"{name} ({_span(max(h_start, monday), min(h_end, friday))}): no provision")
        number = week.get("number")
        notes.extend(marks.get(int(number) if isinstance(number, int) else -1, []))
        note = "; ".join(notes)
        rows.append({"week": str(number), "dates": words.date_range(start, end), "note": note[:1].upper() + note[1:]})
        previous_friday = friday
    return rows


def _span(start: dt.date, end: dt.date) -> str:
    return short_date(start) if start == end else f"{short_date(start)} to {short_date(end)}"


def _milestone_marks(timeline: TimelineJSON) -> dict[int, list[str]]:
    """Notes for the weeks table, in the table's short date style."""
    marks: dict[int, list[str]] = {}
    weeks = list(timeline.get("weeks") or [])

    def week_of(day: Any) -> int | None:
        when = as_date(day)
        for week in weeks:
            start, end = as_date(week.get("start")), as_date(week.get("end"))
            if when and start and end and start - dt.timedelta(days=start.weekday()) <= when <= end:
                return int(week["number"])
        return None

    review = review_of(dict(timeline)) if weeks else None
    if review is not None and review.week is not None:
        marks.setdefault(review.week, []).append("review meeting this week (section 11.6)")
    dates = (
        (review.plan_due if review else None, "review plan due by {date} (section 11.6)"),
        (as_date(timeline.get("continuation_due")), "Continuation request due by {date} (section 11.7)"),
        (as_date(timeline.get("provision_end")), "provision ends {date}"),
    )
    for day, what in dates:
        number = week_of(day)
        if number is not None and day is not None:
            marks.setdefault(number, []).append(what.format(date=short_date(day)))
    return marks
