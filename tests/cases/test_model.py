"""The workflow's states and transitions (SPEC §4.2)."""

from __future__ import annotations

import pytest

from docgen.cases.model import Action, State, allowed, check, parse_reference
from docgen.errors import CaseError, InvalidTransition


@pytest.mark.parametrize(("action", "current", "target"), [
    (Action.JUDGE, State.RECEIVED, State.INCOMPLETE),
    (Action.JUDGE, State.INCOMPLETE, State.ACCEPTED),
    (Action.JUDGE, State.INCOMPLETE, State.REVIEW),
    (Action.REQUEST_INFO, State.REVIEW, State.INCOMPLETE),
    (Action.ACCEPT, State.REVIEW, State.ACCEPTED),
    (Action.SCHEDULE, State.ACCEPTED, State.PLANNING),
    (Action.START, State.PLANNING, State.IN_PROVISION),
    (Action.CONTINUATION, State.IN_PROVISION, State.CONTINUATION_REQUESTED),
    (Action.AGREE, State.CONTINUATION_REQUESTED, State.IN_PROVISION),
    (Action.END, State.IN_PROVISION, State.ENDED),
])
def test_allowed_transitions(action: Action, current: State, target: State) -> None:
    check("MN-2026-0001", action, current, target)
    assert target in allowed(action, current)


def test_an_ended_case_cannot_be_scheduled() -> None:
    with pytest.raises(InvalidTransition) as err:
        check("MN-2026-0003", Action.SCHEDULE, State.ENDED, State.PLANNING)
    assert str(err.value).startswith("MN-2026-0003 is ended; a case that has ended cannot be scheduled")


@pytest.mark.parametrize(("action", "current", "target"), [
    (Action.ACCEPT, State.IN_PROVISION, State.ACCEPTED),
    (Action.AGREE, State.IN_PROVISION, State.IN_PROVISION),
    (Action.JUDGE, State.ACCEPTED, State.INCOMPLETE),
    (Action.END, State.REVIEW, State.ENDED),
    (Action.END, State.NOT_ACCEPTED, State.ENDED),
])
def test_illegal_transitions_say_what_the_case_is(action: Action, current: State, target: State) -> None:
    with pytest.raises(InvalidTransition) as err:
        check("MN-2026-0001", action, current, target)
    assert str(err.value).startswith("MN-2026-0001 ")
    assert "cannot be" in str(err.value)


def test_parse_reference() -> None:
    assert parse_reference(" mn-2026-0007 ") == "MN-2026-0007"
    with pytest.raises(CaseError):
        parse_reference("2026-7")
