"""A case's states and the transitions the workflow allows (SPEC §4.2, policy §11.2–11.8).

    action         from                                   to
    judge          received, incomplete, review           incomplete | review | accepted | not_accepted
    accept         review, incomplete (coordinator)       accepted
    not-accept     review, incomplete (coordinator)       not_accepted
    request-info   review, incomplete (coordinator)       incomplete
    schedule       accepted, planning                     planning (start later) | in_provision
    start          planning (start date reached)          in_provision
    continuation   in_provision, continuation_requested   continuation_requested (a continuation request checked)
    agree/decline  continuation_requested                 in_provision (agree: a new 12-week period)
    end            accepted, planning, in_provision,      ended (one of the six reasons of §11.8)
                   continuation_requested

`ended` and `not_accepted` are final: a child referred again gets a new case. Every change is recorded
with its cause (store.state_history); an illegal change raises InvalidTransition with a message
saying what the case is and which cases the action applies to.
"""

from __future__ import annotations

import re
from enum import StrEnum

from docgen.errors import CaseError, InvalidTransition

REFERENCE = re.compile(r"\bMN-(\d{4})-(\d{4})\b")


class State(StrEnum):
    """Where a case is in the workflow."""

    RECEIVED = "received"
    INCOMPLETE = "incomplete"
    REVIEW = "review"
    ACCEPTED = "accepted"
    PLANNING = "planning"
    IN_PROVISION = "in_provision"
    CONTINUATION_REQUESTED = "continuation_requested"
    ENDED = "ended"
    NOT_ACCEPTED = "not_accepted"


class Action(StrEnum):
    """What moves a case: a judgement of its documents, or one of the coordinator's commands."""

    JUDGE = "judge"
    ACCEPT = "accept"
    NOT_ACCEPT = "not-accept"
    REQUEST_INFO = "request-info"
    SCHEDULE = "schedule"
    START = "start"
    CONTINUATION = "continuation"
    AGREE = "agree"
    DECLINE = "decline"
    END = "end"


S = State
_JUDGED = {S.INCOMPLETE, S.REVIEW, S.ACCEPTED, S.NOT_ACCEPTED}

TRANSITIONS: dict[Action, dict[State, frozenset[State]]] = {
    Action.JUDGE: {
        S.RECEIVED: frozenset(_JUDGED),
        S.INCOMPLETE: frozenset(_JUDGED),
        S.REVIEW: frozenset(_JUDGED),
    },
    Action.ACCEPT: {S.REVIEW: frozenset({S.ACCEPTED}), S.INCOMPLETE: frozenset({S.ACCEPTED})},
    Action.NOT_ACCEPT: {S.REVIEW: frozenset({S.NOT_ACCEPTED}), S.INCOMPLETE: frozenset({S.NOT_ACCEPTED})},
    Action.REQUEST_INFO: {S.REVIEW: frozenset({S.INCOMPLETE}), S.INCOMPLETE: frozenset({S.INCOMPLETE})},
    Action.SCHEDULE: {
        S.ACCEPTED: frozenset({S.PLANNING, S.IN_PROVISION}),
        S.PLANNING: frozenset({S.PLANNING, S.IN_PROVISION}),
    },
    Action.START: {S.PLANNING: frozenset({S.IN_PROVISION})},
    Action.CONTINUATION: {
        S.IN_PROVISION: frozenset({S.CONTINUATION_REQUESTED}),
        S.CONTINUATION_REQUESTED: frozenset({S.CONTINUATION_REQUESTED}),
    },
    Action.AGREE: {S.CONTINUATION_REQUESTED: frozenset({S.IN_PROVISION})},
    Action.DECLINE: {S.CONTINUATION_REQUESTED: frozenset({S.IN_PROVISION})},
    Action.END: {
        S.ACCEPTED: frozenset({S.ENDED}),
        S.PLANNING: frozenset({S.ENDED}),
        S.IN_PROVISION: frozenset({S.ENDED}),
        S.CONTINUATION_REQUESTED: frozenset({S.ENDED}),
    },
}

CLOSED = frozenset({S.ENDED, S.NOT_ACCEPTED})

_VERB = {
    Action.JUDGE: "re-checked",
    Action.ACCEPT: "accepted",
    Action.NOT_ACCEPT: "not accepted",
    Action.REQUEST_INFO: "sent a request for information",
    Action.SCHEDULE: "scheduled",
    Action.START: "started",
    Action.CONTINUATION: "given a continuation request",
    Action.AGREE: "given an agreed continuation",
    Action.DECLINE: "given a declined continuation",
    Action.END: "ended",
}

_WHERE = {
    S.RECEIVED: "has just been received and not yet checked",
    S.INCOMPLETE: "is incomplete (waiting for information from the school)",
    S.REVIEW: "is waiting for the coordinator's review",
    S.ACCEPTED: "is accepted and waiting for its planning meeting to be scheduled",
    S.PLANNING: "has its planning meeting scheduled",
    S.IN_PROVISION: "is in provision",
    S.CONTINUATION_REQUESTED: "has a continuation request waiting for a decision",
    S.ENDED: "is ended",
    S.NOT_ACCEPTED: "was not accepted",
}

_CANNOT = {
    S.ENDED: "a case that has ended",
    S.NOT_ACCEPTED: "a case that was not accepted",
}


def allowed(action: Action, current: State) -> frozenset[State]:
    """The states `action` may lead to from `current` (empty when it does not apply)."""
    return TRANSITIONS[action].get(current, frozenset())


def check(case: str, action: Action, current: State, target: State) -> None:
    """Raise InvalidTransition unless `action` may move the case from `current` to `target`."""
    if target in allowed(action, current):
        return
    subject = _CANNOT.get(current, f"a case that {_WHERE[current]}")
    if current in CLOSED:
        hint = "; a child referred again needs a new referral, which opens a new case"
    else:
        starts = sorted(s.value for s in TRANSITIONS[action])
        hint = f"; only a case that is {' or '.join(starts)} can be {_VERB[action]}"
    raise InvalidTransition(f"{case} {_WHERE[current].split(' (')[0]}; {subject} cannot be {_VERB[action]}{hint}")


def parse_reference(text: str) -> str:
    """Normalise a case reference typed by a person ("mn-2026-0003" → "MN-2026-0003")."""
    match = REFERENCE.search(text.strip().upper())
    if not match:
        raise CaseError(f"{text!r} is not a case reference; references look like MN-2026-0001 (see `docgen cases`)")
    return match.group(0)


def find_reference(text: str) -> str | None:
    """The first case reference written in a document's field or text, if any."""
    match = REFERENCE.search(text.upper())
    return match.group(0) if match else None
