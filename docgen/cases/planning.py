"""Periods of provision: timelines (provisional at acceptance, then agreed), and provision starting.

Timeline at acceptance (policy §11.3, §11.4): the acceptance letter must carry a copy of the timeline,
but provision starts only after the planning meeting. So an accepted case gets a *provisional*
timeline counted from the next school day after the acceptance; `decisions.schedule` replaces it with
the timeline from the agreed provision start, sent again with the planning record.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import Any

from docgen import db
from docgen.cases import outputs, periods, store, termdates
from docgen.cases.model import Action, State
from docgen.cases.register import Register
from docgen.errors import CaseError, DocgenError


def plan_acceptance(reg: Register, row: store.CaseRow, trigger: str, data: dict[str, Any], at: str) -> None:
    """Acceptance letter + provisional timeline + planning record (§11.3)."""
    data = dict(data)
    provisional = provisional_start(reg)
    if provisional is not None:
        back = referral_return(reg, row.ref)
        if back is not None and back.date <= provisional:
            back = None  # expected back before any provision could start: the meeting settles the period
        try:
            timeline = compute_timeline(reg, store.get_case(reg.conn, row.ref), provisional,
                                        back.date if back else None)
        except DocgenError:  # past the term-dates file: no timeline, and the letter does not claim one
            timeline = None
        if timeline is not None:
            data["timeline"] = store_timeline(reg, row.ref, 0, timeline, provisional, at, provisional=True)
            if back is not None:
                data["expected_return"] = back.to_json()
    for document in ("acceptance-letter", "timeline", "planning-record"):
        if document == "timeline" and "timeline" not in data:
            continue
        outputs.plan(reg.conn, reg.settings, row.ref, document, trigger, reg.today, data, at)


def provisional_start(reg: Register) -> dt.date | None:
    cal = termdates.calendar(reg.settings)
    return periods.provisional_start(cal, reg.today) if cal is not None else None


def referral_return(reg: Register, case: str) -> periods.ExpectedReturn | None:
    """The expected return the referral's expected length of absence gives (§11.4), if it says one."""
    cal = termdates.calendar(reg.settings)
    return periods.from_referral(cal, outputs.case_fields(reg.conn, case)) if cal is not None else None


def expected_return(reg: Register, case: str, start: dt.date, given: dt.date | None) -> periods.ExpectedReturn | None:
    """The expected return that caps a scheduled period: the coordinator's, else the referral's (§11.4)."""
    if given is not None:
        if given <= start:
            raise CaseError(f"the expected return to school ({given}) is on or before the provision start "
                            f"({start}), so there would be no provision; check the dates")
        return periods.ExpectedReturn(given, "coordinator")
    back = referral_return(reg, case)
    if back is not None and back.date <= start:
        raise CaseError(
            f"the referral expected the pupil back in school by {back.date:%d %B %Y} ({back.weeks} week(s) "
            f"of absence from {back.counted_from:%d %B %Y}), which is not after the provision start {start}; "
            "if the pupil is still absent, give the new expected return with --expected-return DATE (§11.4)")
    return back


def compute_timeline(reg: Register, row: store.CaseRow, start: dt.date,
                     expected_return: dt.date | None = None) -> dict[str, Any]:
    from docgen.timeline import compute

    cal = termdates.require_calendar(reg.settings)
    dob = dt.date.fromisoformat(row.dob) if row.dob else None
    data: dict[str, Any] = compute(cal, start, dob=dob, expected_return=expected_return).to_json()
    return data


def next_timeline(reg: Register, row: store.CaseRow, previous: sqlite3.Row) -> dict[str, Any]:
    from docgen.timeline import compute, next_period

    cal = termdates.require_calendar(reg.settings)
    dob = dt.date.fromisoformat(row.dob) if row.dob else None
    before = compute(cal, dt.date.fromisoformat(previous["start"]), dob=dob)
    data: dict[str, Any] = next_period(cal, before).to_json()
    return data


def store_timeline(reg: Register, case: str, period: int, timeline: dict[str, Any], requested: dt.date, at: str, *,
                   provisional: bool) -> int:
    return store.history.add_timeline(reg.conn, case, period, timeline, requested.isoformat(), at,
                                      provisional=provisional)


def start_due_provisions(reg: Register) -> list[str]:
    """Move `planning` cases whose provision start has come to `in_provision`."""
    at = store.now_text(reg.now())
    moved = []
    with db.transaction(reg.conn):
        for row in store.list_cases(reg.conn, State.PLANNING.value):
            timeline = store.latest_timeline(reg.conn, row.ref)
            if timeline is not None and dt.date.fromisoformat(timeline["start"]) <= reg.today:
                store.move(reg.conn, row.ref, State.IN_PROVISION, action=Action.START, at=at,
                           cause=f"provision start date {timeline['start']} reached")
                moved.append(row.ref)
    return moved
