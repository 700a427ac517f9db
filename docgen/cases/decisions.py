"""The coordinator's decisions: on a review case, the planning meeting, a continuation request, the end.

Each decision is recorded (who, when, why) in one transaction with the state change it causes and the
letters it plans; the letters are produced after the commit. `reg.actor` is the person deciding, kept
on the decision and the case history: the desk's signed-in user, or the CLI's `--by` / OS user.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from pathlib import Path
from typing import Any

from docgen import db
from docgen.cases import guards, outputs, planning, store
from docgen.cases.model import CLOSED, Action, State, check
from docgen.cases.register import Register
from docgen.errors import CaseError
from docgen.letters.context import EndReason


def who() -> str:
    """The person running the command, for the decision record."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def decide(reg: Register, case: str, action: str, *, reason: str) -> list[Path]:
    """The coordinator's decision on a review case: accept, not-accept or request-info."""
    verb = Action(action)
    target = {Action.ACCEPT: State.ACCEPTED, Action.NOT_ACCEPT: State.NOT_ACCEPTED,
              Action.REQUEST_INFO: State.INCOMPLETE}.get(verb)
    if target is None:
        raise CaseError(f"{action!r} is not a decision; use accept, not-accept or request-info")
    if not reason.strip():
        raise CaseError("a decision needs a reason (--reason TEXT), which is kept on the case")
    reg.require_signatory()
    conn, settings, today = reg.conn, reg.settings, reg.today
    at = store.now_text(reg.now())
    with db.transaction(conn):
        row = store.get_case(conn, case)
        check(case, verb, row.state, target)
        decision = record(reg, case, verb, reason, at)
        store.move(conn, case, target, actor=reg.actor, action=verb, cause=f"coordinator decision: {reason.strip()}",
                   at=at)
        trigger = f"decision:{decision}"
        data = {"decision": decision, "judgement": _last_judgement_id(reg, case)}
        if target is State.ACCEPTED:
            planning.plan_acceptance(reg, row, trigger, data, at)
        elif target is State.NOT_ACCEPTED:
            outputs.plan(conn, settings, case, "not-accepted-letter", trigger, today, data, at)
        else:
            outputs.plan(conn, settings, case, "request-for-information", trigger, today, data, at)
    outputs.produce_pending(conn, settings, case, at=at)
    return outputs.letter_paths(conn, settings, case, trigger)


def schedule(reg: Register, case: str, *, meeting: dt.date, start: dt.date,
             expected_return: dt.date | None = None) -> list[Path]:
    """Record the planning meeting and provision start: timeline + planning record (§11.4).

    The same meeting and start again changes nothing and is refused (no second timeline). The
    period is 12 school weeks or the time to the expected return, whichever is shorter (§11.4):
    `expected_return` when given, else the referral's expected length of absence.
    """
    reg.require_signatory()
    if start < meeting:
        raise CaseError(f"the provision start ({start}) is before the planning meeting ({meeting}); "
                        "provision starts after the meeting (§11.4)")
    conn, settings, today = reg.conn, reg.settings, reg.today
    at = store.now_text(reg.now())
    target = State.IN_PROVISION if start <= today else State.PLANNING
    with db.transaction(conn):
        row = store.get_case(conn, case)
        last = last_schedule(reg, case)
        if last == {"meeting": meeting.isoformat(), "start": start.isoformat()}:
            raise CaseError(f"{case} is already scheduled with the planning meeting on {meeting} and provision "
                            f"from {start}; nothing changed (give a different --meeting or --start to change it)")
        check(case, Action.SCHEDULE, row.state, target)
        back = planning.expected_return(reg, case, start, expected_return)
        timeline = planning.compute_timeline(reg, row, start, back.date if back else None)
        agreed: dict[str, Any] = {"meeting": meeting.isoformat(), "start": start.isoformat()}
        if back is not None:
            agreed["expected_return"] = back.to_json()
        decision = record(reg, case, Action.SCHEDULE, f"planning meeting {meeting}, provision start {start}", at,
                          agreed)
        period = 1 if row.period == 0 else row.period
        store.cases.set_period(conn, case, period)
        timeline_id = planning.store_timeline(reg, case, period, timeline, start, at, provisional=False)
        cause = (f"planning meeting on {meeting}; provision "
                 + ("started" if target is State.IN_PROVISION else "starts") + f" on {timeline['start']}")
        store.move(conn, case, target, actor=reg.actor, action=Action.SCHEDULE, cause=cause, at=at)
        trigger = f"decision:{decision}"
        data = {"decision": decision, "timeline": timeline_id}
        for document in ("timeline", "planning-record"):
            outputs.plan(conn, settings, case, document, trigger, today, data, at)
    outputs.produce_pending(conn, settings, case, at=at)
    return outputs.letter_paths(conn, settings, case, trigger)


def continue_(reg: Register, case: str, answer: str) -> list[Path]:
    """Decide a continuation request (§11.7): agree → next period, letter and timeline; decline → note."""
    verb = {"agree": Action.AGREE, "decline": Action.DECLINE}.get(answer)
    if verb is None:
        raise CaseError(f"{answer!r} is not an answer to a continuation request; use agree or decline")
    reg.require_signatory()
    conn, settings, today = reg.conn, reg.settings, reg.today
    at = store.now_text(reg.now())
    with db.transaction(conn):
        row = store.get_case(conn, case)
        if row.state is not State.CONTINUATION_REQUESTED and row.state not in CLOSED:
            raise CaseError(
                f"{case} has no continuation request to decide (it is {row.state.value}); a case gets one when "
                "the school's Medical Needs Continuation Request (with updated evidence) arrives in the inbox "
                f"and is checked — `docgen case {case}` shows what has arrived")
        check(case, verb, row.state, State.IN_PROVISION)
        previous = store.latest_timeline(conn, case)
        if verb is Action.DECLINE:
            end = previous["provision_end"] if previous is not None else "the end of the current period"
            record(reg, case, verb, f"continuation declined; provision ends {end}", at)
            store.move(conn, case, State.IN_PROVISION, actor=reg.actor, action=verb, at=at,
                       cause=f"continuation declined; provision runs to {end}")
            return []
        if previous is None:
            raise CaseError(f"{case} has no timeline to continue; schedule it first with `docgen schedule`")
        timeline = planning.next_timeline(reg, row, previous)
        decision = record(reg, case, verb, f"continuation agreed from {timeline['start']}", at)
        period = row.period + 1
        store.cases.set_period(conn, case, period)
        timeline_id = planning.store_timeline(reg, case, period, timeline, dt.date.fromisoformat(timeline["start"]),
                                              at, provisional=False)
        store.move(conn, case, State.IN_PROVISION, actor=reg.actor, action=verb, at=at,
                   cause=f"continuation agreed: new period {timeline['start']} to {timeline['provision_end']}")
        trigger = f"decision:{decision}"
        data = {"decision": decision, "timeline": timeline_id}
        for document in ("continuation-agreed-letter", "timeline"):
            outputs.plan(conn, settings, case, document, trigger, today, data, at)
    outputs.produce_pending(conn, settings, case, at=at)
    return outputs.letter_paths(conn, settings, case, trigger)


def end(reg: Register, case: str, *, reason: str, on: dt.date) -> list[Path]:
    """End of Provision (§11.8) for one of the six reasons; the End of Provision letter."""
    try:
        code = EndReason(reason)
    except ValueError:
        raise CaseError(f"{reason!r} is not an End of Provision reason; use one of: "
                        + ", ".join(r.value for r in EndReason)) from None
    reg.require_signatory()
    conn, settings, today = reg.conn, reg.settings, reg.today
    at = store.now_text(reg.now())
    with db.transaction(conn):
        row = store.get_case(conn, case)
        check(case, Action.END, row.state, State.ENDED)
        guards.check_end(conn, row, code, on, today=today)
        decision = record(reg, case, Action.END, code.value, at, {"end_date": on.isoformat()})
        store.move(conn, case, State.ENDED, actor=reg.actor, action=Action.END, at=at,
                   cause=f"End of Provision on {on}: {code.value}")
        trigger = f"decision:{decision}"
        outputs.plan(conn, settings, case, "end-of-provision-letter", trigger, today,
                     {"decision": decision, "reason": code.value, "end_date": on.isoformat()}, at)
    outputs.produce_pending(conn, settings, case, at=at)
    return outputs.letter_paths(conn, settings, case, trigger)


def last_schedule(reg: Register, case: str) -> dict[str, str] | None:
    """The meeting and start of the case's latest decision when that decision was a schedule, else None."""
    row = store.history.last_decision(reg.conn, case)
    if row is None or row["action"] != Action.SCHEDULE.value:
        return None
    data = json.loads(row["data_json"] or "{}")
    return {"meeting": str(data.get("meeting")), "start": str(data.get("start"))}


def record(reg: Register, case: str, action: Action, reason: str, at: str, data: dict[str, Any] | None = None) -> int:
    """The decision row (who, when, why); its id."""
    return store.history.add_decision(reg.conn, case, action=action.value, reason=reason.strip(),
                                      who=reg.actor or who(), at=at, on=reg.today.isoformat(), data=data)


def _last_judgement_id(reg: Register, case: str) -> int | None:
    row = store.last_judgement(reg.conn, case)
    return int(row["id"]) if row is not None else None
