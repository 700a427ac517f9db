"""Judging: check a case's current submission against the policy, move its state, plan its letters once.

Used by the intake pipeline after the settle period (`cases_to_judge`, `judge`) and after a crash
(`resume`). The check's result is recorded in the same transaction as the state change it causes;
letters are planned there (UNIQUE per trigger) and produced after it, so a crash at any instant is
recovered by `judge`/`resume` producing the same file once.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import db, files
from docgen.cases import filing, outputs, planning, store, termdates
from docgen.cases.ingest import finish_moves
from docgen.cases.linking import Link
from docgen.cases.model import Action, State, check
from docgen.cases.register import Register
from docgen.cases.store.filed import extraction_from_json
from docgen.kinds import MAIN_KINDS, Kind

# "(referral-form.pdf)" in a finding: the same gap in a re-sent copy of a form is the same gap
_FILE_NOTE = re.compile(r"\s*\([^()]*\.(?:pdf|docx|csv|xlsx|eml|msg|zip|txt)\)", re.IGNORECASE)
REFERRAL_PHASE = frozenset({State.RECEIVED, State.INCOMPLETE, State.REVIEW})
CONTINUATION_PHASE = frozenset({State.IN_PROVISION, State.CONTINUATION_REQUESTED})


@dataclass(frozen=True)
class Judgement:
    """The outcome of checking a case's documents, and the letters it produced."""

    case: str
    outcome: str
    letters: list[Path]


def cases_to_judge(reg: Register, *, now: dt.datetime, settle_seconds: float) -> list[str]:
    """Cases with unjudged documents whose latest arrival is at least `settle_seconds` ago."""
    due = []
    for ref, received in store.filed.unjudged_arrivals(reg.conn):
        latest = dt.datetime.fromisoformat(received)
        if latest.tzinfo is None and now.tzinfo is not None:
            latest = latest.replace(tzinfo=now.tzinfo)
        elif latest.tzinfo is not None and now.tzinfo is None:
            latest = latest.replace(tzinfo=None)
        if (now - latest).total_seconds() >= settle_seconds:
            due.append(ref)
    if reg.settings.signatory_missing is not None:  # letters wait for a signatory: judging again writes none
        return sorted(set(due))
    return sorted(set(due) | set(store.letters.cases_with_pending(reg.conn)))


def judge(reg: Register, case: str) -> Judgement:
    """Check the case's current submission, move its state, plan and produce its letters once."""
    planning.start_due_provisions(reg)
    at = store.now_text(reg.now())
    with db.transaction(reg.conn):
        row = store.get_case(reg.conn, case)
        docs = [d for d in store.documents(reg.conn, case, period=row.period)
                if d["link"] != Link.OWN_OUTPUT.value]  # docgen's own letters are never judged
        kinds = {d["kind"] for d in docs if not d["container"]}
        checkable = row.state in REFERRAL_PHASE or (
            row.state in CONTINUATION_PHASE and Kind.CONTINUATION.value in kinds)
        pending = [d for d in docs if not d["judged"]]
        if not checkable or not pending:
            store.filed.mark_judged(reg.conn, case)
            outcome = row.state.value
            judgement_id = None
        else:
            outcome, judgement_id = _check(reg, row, docs, at)
    letters = outputs.produce_pending(reg.conn, reg.settings, case, at=at, step=reg.step)
    if judgement_id is None:
        return Judgement(case, outcome, letters)
    return Judgement(case, outcome, outputs.letter_paths(reg.conn, reg.settings, case, f"judgement:{judgement_id}"))


def resume(reg: Register) -> list[Path]:
    """Finish interrupted filing and re-links, produce letters planned but not yet written (after a crash)."""
    filing.recover(reg.conn, reg.settings.archive, reg.settings.state_dir)
    for folder in (reg.settings.archive, reg.settings.outbox, reg.settings.quarantine):
        files.sweep_partials(folder)  # a killed write's temp file: never renamed into place, no row knows it
    finish_moves(reg)
    at = store.now_text(reg.now())
    refs = store.letters.cases_with_pending(reg.conn)
    return [p for ref in refs for p in outputs.produce_pending(reg.conn, reg.settings, ref, at=at)]


def _check(reg: Register, row: store.CaseRow, docs: list[sqlite3.Row], at: str) -> tuple[str, int]:
    """Run the policy check on the submission, record it, move the state and plan the letters."""
    from docgen.rules.check import check_submission

    conn, settings, today = reg.conn, reg.settings, reg.today
    extractions = [extraction_from_json(d["extraction_json"]) for d in _current(docs)]
    result = check_submission(extractions, today=today, calendar=termdates.calendar(settings),
                              min_confidence=settings.ocr.min_confidence)
    outcome = str(result.outcome)
    findings = [_finding_json(f) for f in result.findings]
    judgement = store.history.add_judgement(conn, row.ref, at=at, on=today.isoformat(), outcome=outcome,
                                            kind=str(result.kind), period=row.period, findings=findings,
                                            result=result.to_json())
    store.filed.mark_judged(conn, row.ref)
    trigger = f"judgement:{judgement}"
    data: dict[str, Any] = {"judgement": judgement}
    outputs.plan(conn, settings, row.ref, "check-report", trigger, today, data, at)
    missing = sorted({f"{f['rule']}: {_FILE_NOTE.sub('', str(f['message']))}" for f in findings
                      if f["severity"] == "missing"})
    summary = ", ".join(sorted({f["rule"] for f in findings if f["severity"] != "info"})) or "no findings"
    if row.state in REFERRAL_PHASE:
        target = State(outcome)
        check(row.ref, Action.JUDGE, row.state, target)
        store.move(conn, row.ref, target, action=Action.JUDGE, at=at, cause=f"documents checked: {outcome} ({summary})")
        if target is State.ACCEPTED:
            planning.plan_acceptance(reg, row, trigger, data, at)
        elif target is State.NOT_ACCEPTED:
            outputs.plan(conn, settings, row.ref, "not-accepted-letter", trigger, today, data, at)
    else:
        store.move(conn, row.ref, State.CONTINUATION_REQUESTED, action=Action.CONTINUATION, at=at,
                   cause=f"continuation request checked: {outcome} ({summary})")
    if outcome == "incomplete" and missing != _last_request_gaps(reg, row.ref):
        outputs.plan(conn, settings, row.ref, "request-for-information", trigger, today,
                     {**data, "missing": missing}, at)
    return outcome, judgement


def _last_request_gaps(reg: Register, case: str) -> list[str] | None:
    row = store.letters.last_of(reg.conn, case, "request-for-information")
    if row is None:
        return None
    gaps: list[str] | None = json.loads(row["data_json"]).get("missing")
    return gaps


def _current(docs: list[sqlite3.Row]) -> list[sqlite3.Row]:
    """The documents a check reads: containers left out, and a main form replaced by a later one of its kind.

    A school that corrects a referral sends the whole form again; the latest copy is the referral.
    """
    latest = {kind.value: max((d["received_at"], i) for i, d in enumerate(docs) if d["kind"] == kind.value)
              for kind in MAIN_KINDS if any(d["kind"] == kind.value for d in docs)}
    return [d for i, d in enumerate(docs) if not d["container"]
            and (d["kind"] not in latest or latest[d["kind"]] == (d["received_at"], i))]


def _finding_json(finding: Any) -> dict[str, Any]:
    if hasattr(finding, "to_json"):
        data: dict[str, Any] = finding.to_json()
        return data
    return {"rule": str(finding.rule), "severity": str(finding.severity), "section": str(finding.section),
            "message": str(finding.message)}
