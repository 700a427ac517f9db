"""What is due or overdue across cases (policy §11.3–11.8): the coordinator's to-do list.

From each open case's current timeline: the review meeting (the review week), the review plan
(§11.6, end of week 7), the continuation request (§11.7, last school day of week 12) and the end of
provision; and, once the continuation deadline has passed with no request, that provision may now be
ended (§11.8 "the school does not submit a Continuation request within the 12-week period").
Without a timeline: a review case waits for the coordinator's decision, an accepted case for its
planning meeting to be scheduled.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from docgen.cases import store
from docgen.cases.model import State
from docgen.timeline import review_of


@dataclass(frozen=True)
class Due:
    """One thing due on a case."""

    case: str
    what: str
    date: dt.date
    state: str
    command: str | None = None  # what the coordinator can run about it
    deadline: bool = True  # False: the policy sets no date (e.g. the planning meeting), so never overdue
    plain: str = ""  # the same in a letter's words (mail-merge `due.what`)

    def overdue(self, today: dt.date) -> bool:
        return self.deadline and self.date < today

    @property
    def when(self) -> str:
        """By when, as a letter says it after `phrase` (mail-merge `due.when`); no date where the policy sets none."""
        if not self.deadline:
            return ": the policy sets no date for it, so please arrange it as soon as you can"
        return f", due by {self.date.day} {self.date:%B %Y}"

    @property
    def phrase(self) -> str:
        """What is due, as a letter to the school says it."""
        return self.plain or self.what

    def to_json(self, today: dt.date) -> dict[str, Any]:
        return {"case": self.case, "state": self.state, "what": self.what, "date": self.date.isoformat(),
                "overdue": self.overdue(today), "command": self.command}


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _range(start: str, end: str) -> str:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if first == last:
        return f"{first.day} {first:%B %Y}"
    head = f"{first.day}" if (first.year, first.month) == (last.year, last.month) else (
        f"{first.day} {first:%B}" if first.year == last.year else f"{first.day} {first:%B %Y}")
    return f"{head} to {last.day} {last:%B %Y}"


def case_items(conn: sqlite3.Connection, row: store.CaseRow, today: dt.date) -> list[Due]:
    """Everything still to happen on one case, in date order (passed milestones left out)."""
    ref, state = row.ref, row.state
    items: list[Due] = []
    if state is State.REVIEW:
        judged = store.last_judgement(conn, ref)
        when = _date(judged["on_date"]) if judged is not None else _date(row.created_at[:10]) or today
        items.append(Due(ref, "coordinator's decision on the review", when or today, state.value,
                         f"docgen decide {ref} accept|not-accept|request-info --reason TEXT",
                         plain="our decision on the referral, which the Medical Needs Coordinator is reviewing"))
    if state is State.ACCEPTED:
        dates = store.history.accepted_on(conn, ref)
        accepted_on = _date(max(dates)) if dates else _date(row.created_at[:10])
        items.append(Due(ref, "planning meeting to arrange (§11.3; the policy sets no deadline)",
                         accepted_on or today, state.value, f"docgen schedule {ref} --meeting DATE --start DATE",
                         deadline=False,
                         plain="the initial planning meeting, which the school arranges with the family and the "
                               "Medical Needs Service before provision begins (section 11.3)"))
    if state not in (State.PLANNING, State.IN_PROVISION, State.CONTINUATION_REQUESTED):
        return items
    timeline_row = store.latest_timeline(conn, ref)
    if timeline_row is None or timeline_row["provisional"]:
        return items
    timeline = json.loads(timeline_row["data_json"])
    weeks = {w["number"]: w for w in timeline.get("weeks", [])}
    halfway = review_of(timeline)
    review = weeks.get(halfway.week)
    continued = state is State.CONTINUATION_REQUESTED or _requested_in_period(conn, ref, row.period)
    end = _date(timeline.get("provision_end"))
    if review is not None and _date(review["end"]) and (_date(review["end"]) or today) >= today:
        items.append(Due(ref, f"review meeting (week {halfway.week}, from {review['start']}, §11.6)",
                         dt.date.fromisoformat(review["end"]), state.value,
                         plain=f"the review meeting, halfway through the provision in week {halfway.week} "
                               f"({_range(review['start'], review['end'])}; section 11.6)"))
    plan_due = halfway.plan_due
    if plan_due and (plan_due >= today or not _plan_returned(conn, ref, row.period, review)):
        items.append(Due(ref, "review plan (Part B) due to the service (§11.6)", plan_due, state.value,
                         plain="the review plan (Part B of the Initial Planning and Review Record), to be emailed "
                               "to the Medical Needs Service (section 11.6)"))
    cont_due = _date(timeline.get("continuation_due"))
    if state is State.CONTINUATION_REQUESTED:
        items.append(Due(ref, "decision on the continuation request (§11.7)", cont_due or end or today, state.value,
                         f"docgen continue {ref} agree|decline",
                         plain="our decision on the Continuation request (section 11.7)"))
    elif cont_due and not continued:
        if cont_due >= today:
            items.append(Due(ref, "continuation request due from the school (§11.7)", cont_due, state.value,
                             plain="a Continuation request, if the young person cannot return to school after "
                                   "this period, with updated medical evidence, the attendance herringbone and "
                                   "the updated Initial Planning and Review Record (section 11.7)"))
        else:
            items.append(Due(ref, "no continuation request by the deadline: provision may end (§11.8)", cont_due,
                             state.value, f"docgen end {ref} --reason no_continuation --date {end}",
                             plain="a Continuation request, which did not arrive by the deadline; provision may "
                                   "cease (section 11.8)"))
    if end:
        items.append(Due(ref, "end of provision", end, state.value,
                         f"docgen end {ref} --reason CODE --date {end}" if end <= today else None,
                         plain="the end of the current provision period"))
    items.sort(key=lambda d: d.date)
    return items


def _plan_returned(conn: sqlite3.Connection, ref: str, period: int, review: dict[str, Any] | None) -> bool:
    since = review["start"] if review else "0000"
    return store.filed.has_kind_since(conn, ref, period, "planning_record", since)


def _requested_in_period(conn: sqlite3.Connection, ref: str, period: int) -> bool:
    return store.filed.has_kind_since(conn, ref, period, "continuation")


# the states `case_items` finds something due in (the register's other cases have nothing due)
WITH_ITEMS = (State.REVIEW, State.ACCEPTED, State.PLANNING, State.IN_PROVISION, State.CONTINUATION_REQUESTED)


def next_due(conn: sqlite3.Connection, row: store.CaseRow, today: dt.date) -> Due | None:
    """The first thing due on a case (overdue first), or None."""
    items = case_items(conn, row, today)
    return items[0] if items else None


def due(conn: sqlite3.Connection, *, today: dt.date, within: int) -> list[Due]:
    """Everything overdue or due within `within` days across open cases, earliest first."""
    horizon = today + dt.timedelta(days=within)
    rows = [row for state in WITH_ITEMS for row in store.list_cases(conn, state.value)]
    found = [d for row in rows for d in case_items(conn, row, today) if d.date <= horizon]
    return sorted(found, key=lambda d: (d.date, d.case))
