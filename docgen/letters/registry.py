"""The letters docgen writes (SPEC §8), each declared once: `Letter(name, context builder, template)`.

A letter's context is built from `Inputs`, what the case register stored for it (or, for `docgen
templates check`, invented sample inputs): the case's fields, the timeline, the judgement's findings,
the coordinator's decision and the letter's own data. Adding a letter: a `DocumentName` member and its
context function in `letters/context.py`, one `Letter` entry here, one template
`docgen/data/letters/<name>.docx` (built by `scripts/build_templates.py`); nothing else lists letters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from docgen.config import Signatory
from docgen.letters import context as c
from docgen.letters.context import DocumentName


def _none() -> list[dict[str, Any]]:
    return []


@dataclass(frozen=True)
class Inputs:
    """What one letter is made from, as the register stores it."""

    fields: Mapping[str, Any]
    case_ref: str
    on: dt.date
    signatory: Signatory
    timeline: dict[str, Any] | None = None
    holidays: Callable[[], list[dict[str, Any]]] = _none  # school holidays in the timeline's period
    findings: Sequence[Mapping[str, Any]] = ()
    outcome: str = ""  # the judgement's outcome (check report)
    documents: Callable[[], list[dict[str, Any]]] = _none  # the documents read (only the check report asks)
    decision_action: str | None = None
    decision_reason: str | None = None
    agreed: Mapping[str, Any] = field(default_factory=dict)  # the decision's data: start, meeting
    data: Mapping[str, Any] = field(default_factory=dict)  # the letter's own data: end reason and date
    provisional: bool = False  # the timeline is counted from acceptance, not from an agreed start
    expected_return: Mapping[str, Any] | None = None  # what caps the period (§11.4), periods.ExpectedReturn JSON
    professional: Callable[[], str] = str  # who gave the medical evidence, in words ("" when unknown)
    previous_request: Callable[[], Mapping[str, Any] | None] = lambda: None  # a second request's acknowledgement
    resume: Callable[[], dt.date | None] = lambda: None  # the next school day after an End of Provision
    notes: Callable[[], list[str]] = list  # what the coordinator must act on (check report)

    @property
    def base(self) -> dict[str, Any]:
        return {"case_ref": self.case_ref, "on": self.on, "signatory": self.signatory}

    def agreed_date(self, key: str) -> dt.date | None:
        value = self.agreed.get(key)
        return dt.date.fromisoformat(str(value)) if value else None

    def needs_timeline(self, name: DocumentName) -> dict[str, Any]:
        if self.timeline is None:
            raise ValueError(f"a {name.value} is always planned with its timeline")
        return self.timeline


@dataclass(frozen=True)
class Letter:
    """One document docgen produces: its name, how its context is built, its template file."""

    name: DocumentName
    context: Callable[[Inputs], dict[str, Any]]
    # dates counted from a provisional start (acceptance) are left out: they are agreed at the meeting
    without_provisional_timeline: bool = False

    @property
    def template(self) -> str:
        """The template's file name in the templates folder (`[letters] templates`, else the shipped one)."""
        return f"{self.name.value}.docx"


def _request_for_information(i: Inputs) -> dict[str, Any]:
    missing = [f for f in i.findings if f.get("severity") == "missing"]
    if i.decision_action == "request-info" and i.decision_reason:
        # the coordinator's request cites the sections of what the check sent for review
        sections = [str(f.get("section")) for f in i.findings if f.get("severity") == "review" and f.get("section")]
        missing.append({"rule": "coordinator", "severity": "missing", "section": "11.2", "sections": sections,
                        "message": i.decision_reason})
    return c.request_for_information(i.fields, **i.base, findings=missing, previous=i.previous_request())


LETTERS: dict[DocumentName, Letter] = {letter.name: letter for letter in (
    Letter(DocumentName.ACCEPTANCE_LETTER,
           lambda i: c.acceptance_letter(i.fields, **i.base, timeline=i.timeline, provisional=i.provisional,
                                         expected_return=i.expected_return, professional=i.professional())),
    Letter(DocumentName.TIMELINE,
           lambda i: c.timeline_document(i.fields, **i.base, timeline=i.needs_timeline(DocumentName.TIMELINE),
                                         holidays=i.holidays(), requested_start=i.agreed_date("start"),
                                         provisional=i.provisional, expected_return=i.expected_return)),
    Letter(DocumentName.PLANNING_RECORD,
           lambda i: c.planning_record(i.fields, **i.base, timeline=i.timeline, meeting_date=i.agreed_date("meeting"),
                                       requested_start=i.agreed_date("start"), expected_return=i.expected_return,
                                       professional=i.professional()),
           without_provisional_timeline=True),
    Letter(DocumentName.REQUEST_FOR_INFORMATION, _request_for_information),
    Letter(DocumentName.NOT_ACCEPTED_LETTER,
           lambda i: c.not_accepted_letter(i.fields, **i.base, findings=i.findings, reason=i.decision_reason)),
    Letter(DocumentName.CONTINUATION_AGREED_LETTER,
           lambda i: c.continuation_agreed_letter(
               i.fields, **i.base, timeline=i.needs_timeline(DocumentName.CONTINUATION_AGREED_LETTER))),
    Letter(DocumentName.END_OF_PROVISION_LETTER,
           lambda i: c.end_of_provision_letter(i.fields, **i.base, reason=str(i.data["reason"]),
                                               end_date=dt.date.fromisoformat(str(i.data["end_date"])),
                                               resume=i.resume())),
    Letter(DocumentName.CHECK_REPORT,
           lambda i: c.check_report(i.fields, **i.base, outcome=i.outcome, findings=i.findings,
                                    documents=i.documents(), notes=i.notes())),
)}


def letter(name: str | DocumentName) -> Letter:
    """The letter called `name`; a ValueError naming the known letters otherwise."""
    try:
        return LETTERS[DocumentName(name)]
    except ValueError:
        raise ValueError(f"unknown letter {name!r}; known: {', '.join(d.value for d in DocumentName)}") from None
