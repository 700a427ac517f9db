"""What must hold before the End of Provision letter may be written (policy §11.8).

The letter is a legal record sent to a family: `docgen end` refuses, with one line saying why and
what to do, whenever the letter would state something that is not so. Every check reads the
register only; nothing is written before they all pass.

* The date: on or after the start of the current provision period, and not after its end
  (a provision cannot end before it began, nor after the period the council agreed).
* `no_continuation` (§11.8 "the school does not submit a Continuation request within the 12-week
  period"): a full 12-week period whose continuation deadline has passed, with no Continuation
  request received in it; the provision then ends on the period's last day.
* `end_of_statutory_school_age` (§11.8 "the pupil reaches the end of statutory school age"): the
  end date is on or after the pupil's statutory school leaving date (the last Friday of June in
  Year 11), or is the end of a period the leaving date cut short.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from docgen.calendar import school_leaving_date, year_group_on
from docgen.cases import store
from docgen.cases.model import State
from docgen.errors import CaseError
from docgen.letters.context import EndReason


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _year(group: int) -> str:
    return {0: "Reception", -1: "Nursery"}.get(group, f"Year {group}")


def check_end(conn: sqlite3.Connection, row: store.CaseRow, code: EndReason, on: dt.date, *,
              today: dt.date) -> dict[str, Any]:
    """Raise CaseError unless `code` and `on` are true of the case; return its current timeline."""
    ref = row.ref
    timeline_row = store.latest_timeline(conn, ref)
    if timeline_row is None or timeline_row["provisional"]:
        raise CaseError(f"{ref} has no provision to end: no provision start has been scheduled "
                        f"(`docgen schedule {ref} --meeting DATE --start DATE` records it)")
    timeline: dict[str, Any] = json.loads(timeline_row["data_json"])
    start = dt.date.fromisoformat(timeline["start"])
    end = dt.date.fromisoformat(timeline["provision_end"])
    if on < start:
        raise CaseError(f"{ref}: the provision {'starts' if start > today else 'started'} on {_long(start)}, so it "
                        f"cannot end on {_long(on)}; give an end date from {_long(start)} to {_long(end)}")
    if on > end:
        raise CaseError(f"{ref}: the current provision period ends on {_long(end)}, so it cannot end on "
                        f"{_long(on)}; give an end date from {_long(start)} to {_long(end)}")
    if code is EndReason.NO_CONTINUATION:
        _check_no_continuation(conn, row, timeline, on, today=today)
    elif code is EndReason.END_OF_STATUTORY_SCHOOL_AGE:
        _check_school_age(row, timeline, on)
    return timeline


def _check_no_continuation(conn: sqlite3.Connection, row: store.CaseRow, timeline: dict[str, Any], on: dt.date,
                           *, today: dt.date) -> None:
    ref = row.ref
    if row.state is State.CONTINUATION_REQUESTED:
        raise CaseError(f"{ref} has a Continuation request waiting: decide it first "
                        f"(`docgen continue {ref} agree|decline`); a declined request is not no_continuation")
    received = store.filed.first_of_kind(conn, ref, row.period, "continuation")
    declined = store.history.last_declined(conn, ref)
    if received or (declined and declined >= timeline["start"]):
        when = f" on {_long(dt.date.fromisoformat(str(received)[:10]))}" if received else ""
        raise CaseError(f"{ref}: a Continuation request was received{when}, so no_continuation is not true; "
                        "end with the reason that applies (e.g. no_health_evidence after a declined request)")
    due = dt.date.fromisoformat(timeline["continuation_due"]) if timeline.get("continuation_due") else None
    if due is None:
        ends = {"school_leaving_date": "at the end of statutory school age (use end_of_statutory_school_age)",
                "expected_return": "on the expected return to school (use returned_to_school)"}
        why = ends.get(str(timeline.get("end_reason")), "before the 12 school weeks are complete")
        raise CaseError(f"no Continuation request was due for {ref}: its current period ends {why}")
    if today <= due:
        raise CaseError(f"the school has until {_long(due)} to send a Continuation request for {ref}; "
                        "end with no_continuation only after that date")
    end = dt.date.fromisoformat(timeline["provision_end"])
    if on != end:
        raise CaseError(f"{ref}: with no Continuation request the provision ends at the end of its 12-week "
                        f"period, {_long(end)}; give --date {end.isoformat()}")


def _check_school_age(row: store.CaseRow, timeline: dict[str, Any], on: dt.date) -> None:
    ref = row.ref
    if not row.dob:
        raise CaseError(f"{ref} has no date of birth, so the end of statutory school age cannot be shown; "
                        "end with the reason that applies")
    dob = dt.date.fromisoformat(row.dob)
    leaving = school_leaving_date(dob)
    cut_short = timeline.get("end_reason") == "school_leaving_date" and on.isoformat() == timeline["provision_end"]
    if on < leaving and not cut_short:
        raise CaseError(f"{ref}: the pupil is in {_year(year_group_on(dob, on))} on {_long(on)} and reaches the end "
                        f"of statutory school age on {_long(leaving)} (last Friday of June in Year 11), so "
                        "end_of_statutory_school_age does not apply; end with the reason that does")
