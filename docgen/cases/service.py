"""The case register's operations: ingest documents, judge cases, and the coordinator's decisions.

Used by the intake pipeline (ingest, record_duplicate, cases_to_judge, judge) and by the CLI
(decide, schedule, continue_, end). Every change to the register happens in one transaction with the
state change it causes; letters are planned in that transaction (UNIQUE per trigger) and produced
after it, so a crash at any instant is recovered by `judge`/`resume` producing the same file once.

Timeline at acceptance (policy §11.3, §11.4): the acceptance letter must carry a copy of the timeline,
but provision starts only after the planning meeting. So an accepted case gets a *provisional*
timeline counted from the next school day after the acceptance; `schedule` replaces it with the
timeline from the agreed provision start, sent again with the planning record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import os
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from docgen import db
from docgen.cases import archive, filing, guards, outputs, periods, store, termdates
from docgen.cases.filing import Filing
from docgen.cases.linking import Identity, Link, case_identity, find, identity_of
from docgen.cases.model import CLOSED, Action, State, check
from docgen.config import Settings
from docgen.errors import CaseError, ConfigError, DocgenError
from docgen.kinds import MAIN_KINDS, Extraction, Kind, Method
from docgen.letters.context import EndReason
from docgen.marker import is_docgen_output

# "(referral-form.pdf)" in a finding: the same gap in a re-sent copy of a form is the same gap
_FILE_NOTE = re.compile(r"\s*\([^()]*\.(?:pdf|docx|csv|xlsx|eml|msg|zip|txt)\)", re.IGNORECASE)
REFERRAL_PHASE = frozenset({State.RECEIVED, State.INCOMPLETE, State.REVIEW})
OWN_OUTPUT_FLAG = "docgen's own output (saved back into the inbox); recorded, never judged"
_REFERENCE = re.compile(r"\bMN-\d{4}-\d{4}\b")
CONTINUATION_PHASE = frozenset({State.IN_PROVISION, State.CONTINUATION_REQUESTED})


@dataclass(frozen=True)
class Incoming:
    """One document handed over by the intake pipeline."""

    extraction: Extraction  # the isolated parse's result (extraction.file = display name only)
    source: Path  # the bytes to archive: the inbox file, or an unpacked attachment in a work dir
    sha256: str
    display_name: str  # sanitised original name, for the archive and the coordinator; never logged
    role: str  # "original" | "attachment"
    parent_sha256: str | None  # for attachments: the email's/zip's sha256
    bundle: str  # sha256 of the inbox item it came with: one bundle = one submission


@dataclass(frozen=True)
class Ingested:
    """Where one document went."""

    sha256: str
    case: str | None  # "MN-YYYY-NNNN", or None when unmatched (a review item)
    kind: str
    own: bool = False  # a letter docgen produced, saved back into the inbox: recorded, never judged


@dataclass(frozen=True)
class Judgement:
    """The outcome of checking a case's documents, and the letters it produced."""

    case: str
    outcome: str
    letters: list[Path]


def who() -> str:
    """The person running the command, for the decision record."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return os.environ.get("USER", "unknown")


def extraction_to_json(extraction: Extraction) -> str:
    data = extraction.to_json()
    data["text"] = extraction.text
    if extraction.ocr is not None:  # confidences and boxes of a scan, for R-DATA-UNCERTAIN and the desk
        data["ocr"] = extraction.ocr
    return json.dumps(data, ensure_ascii=False, default=str)


def extraction_from_json(text: str) -> Extraction:
    data = json.loads(text)
    return Extraction(file=Path(data["file"]), kind=Kind(data["kind"]), method=Method(data["method"]),
                      fields=data.get("fields") or {}, warnings=list(data.get("warnings") or []),
                      reason=data.get("reason"), text=data.get("text") or "",
                      confidence=data.get("confidence"), ocr=data.get("ocr"))


class CaseService:
    """The register of one home folder, as of `today`."""

    def __init__(self, settings: Settings, conn: sqlite3.Connection, *, today: dt.date,
                 step: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.conn = conn
        self.today = today
        self.step = step or (lambda _name: None)  # the intake's DOCGEN_CRASH_AT hook between two steps
        self._actor: str | None = None  # the person behind the decision being recorded
        self._filing = Filing(settings.archive, settings.state_dir)
        # the register's clock runs on `today` (--today): receipts, history and case numbers follow it
        self._offset = today - dt.date.today()
        store.migrate(conn)

    def now(self) -> dt.datetime:
        """The time as the register records it: the wall clock's time of day on the register's `today`."""
        return dt.datetime.now(dt.UTC) + self._offset

    def _require_signatory(self) -> None:
        """The coordinator's commands write letters: refuse them before any change when no one signs."""
        problem = self.settings.signatory_missing
        if problem is not None:
            raise ConfigError(problem)

    # ---- intake ------------------------------------------------------------------------------------

    def document_case(self, sha256: str) -> str | None | Literal[False]:
        """The case of an ingested document; None when unmatched; False when never ingested."""
        return store.filed.document_case(self.conn, sha256)

    def ingest(self, items: Sequence[Incoming], *, received_at: dt.datetime) -> list[Ingested]:
        """Link documents to cases, archive each original, and record them — all in one transaction."""
        at = store.now_text(received_at)
        results: dict[str, Ingested] = {}
        touched: set[str | None] = set()
        done_before: set[str] = set()
        self._filing = Filing(self.settings.archive, self.settings.state_dir)
        try:
            self._ingest(items, results, touched, done_before, at, received_at)
        except BaseException:
            self._filing.rolled_back(self.conn)  # no copy is left that no row knows of
            raise
        self._filing.committed()
        self.step("relinked")
        self.finish_moves()
        return [results[i.sha256] for i in items]

    def _ingest(self, items: Sequence[Incoming], results: dict[str, Ingested], touched: set[str | None],
                done_before: set[str], at: str, received_at: dt.datetime) -> None:
        with db.transaction(self.conn):
            parents = {i.parent_sha256 for i in items if i.parent_sha256}
            bundles: dict[str, list[Incoming]] = {}
            for item in items:
                bundles.setdefault(item.bundle, []).append(item)
            for bundle, members in bundles.items():
                fresh = []
                for item in members:
                    known = self.document_case(item.sha256)
                    if known is not False:
                        done_before.add(item.sha256)
                        results[item.sha256] = Ingested(item.sha256, known, item.extraction.kind.value)
                    elif (own := self._own_output(item)) is not False:  # docgen's letter saved back: never judged
                        self._file(item, own, Link.OWN_OUTPUT, at, container=False)
                        done_before.add(item.sha256)
                        results[item.sha256] = Ingested(item.sha256, own, item.extraction.kind.value, own=True)
                        touched.add(own)
                    else:
                        fresh.append(item)
                if fresh:
                    for item, ref, how in self._link_bundle(bundle, fresh, received_at, at):
                        self._file(item, ref, how, at, container=item.sha256 in parents)
                        results[item.sha256] = Ingested(item.sha256, ref, item.extraction.kind.value)
                        touched.add(ref)
            if any(i.extraction.kind in MAIN_KINDS for i in items if i.sha256 not in done_before):
                touched |= self._relink_unmatched(at)  # only a main form opens, names or links a case
            for ref in touched:
                self._write_manifest(ref)
            self.step("filing")  # copies written, rows not yet committed

    def finish_moves(self) -> int:
        """Remove the `unmatched/` copies of documents re-linked to a case (see `filing.finish_moves`)."""
        return filing.finish_moves(self.conn, self.settings.archive)

    def record_duplicate(self, sha256: str, display_name: str, *, received_at: dt.datetime) -> str | None:
        """Record the same bytes arriving again against the case of the earlier copy; no reprocessing."""
        with db.transaction(self.conn):
            ref = store.filed.add_duplicate(self.conn, sha256, display_name, store.now_text(received_at))
            if ref is False:
                raise CaseError(f"document {sha256[:12]} was never received, so it cannot be a duplicate")
        return ref

    def cases_to_judge(self, *, now: dt.datetime, settle_seconds: float) -> list[str]:
        """Cases with unjudged documents whose latest arrival is at least `settle_seconds` ago."""
        due = []
        for ref, received in store.filed.unjudged_arrivals(self.conn):
            latest = dt.datetime.fromisoformat(received)
            if latest.tzinfo is None and now.tzinfo is not None:
                latest = latest.replace(tzinfo=now.tzinfo)
            elif latest.tzinfo is not None and now.tzinfo is None:
                latest = latest.replace(tzinfo=None)
            if (now - latest).total_seconds() >= settle_seconds:
                due.append(ref)
        if self.settings.signatory_missing is not None:  # letters wait for a signatory: judging again writes none
            return sorted(set(due))
        return sorted(set(due) | set(store.letters.cases_with_pending(self.conn)))

    def judge(self, case: str) -> Judgement:
        """Check the case's current submission, move its state, plan and produce its letters once."""
        self.start_due_provisions()
        at = store.now_text(self.now())
        with db.transaction(self.conn):
            row = store.get_case(self.conn, case)
            docs = [d for d in store.documents(self.conn, case, period=row.period)
                    if d["link"] != Link.OWN_OUTPUT.value]  # docgen's own letters are never judged
            kinds = {d["kind"] for d in docs if not d["container"]}
            checkable = row.state in REFERRAL_PHASE or (
                row.state in CONTINUATION_PHASE and Kind.CONTINUATION.value in kinds)
            pending = [d for d in docs if not d["judged"]]
            if not checkable or not pending:
                store.filed.mark_judged(self.conn, case)
                outcome = row.state.value
                judgement_id = None
            else:
                outcome, judgement_id = self._check(row, docs, at)
        letters = outputs.produce_pending(self.conn, self.settings, case, at=at)
        if judgement_id is None:
            return Judgement(case, outcome, letters)
        return Judgement(case, outcome, outputs.letter_paths(self.conn, self.settings, case, f"judgement:{judgement_id}"))

    def resume(self) -> list[Path]:
        """Finish interrupted filing and re-links, produce letters planned but not yet written (after a crash)."""
        filing.recover(self.conn, self.settings.archive, self.settings.state_dir)
        self.finish_moves()
        at = store.now_text(self.now())
        refs = store.letters.cases_with_pending(self.conn)
        return [p for ref in refs for p in outputs.produce_pending(self.conn, self.settings, ref, at=at)]

    # ---- the coordinator ---------------------------------------------------------------------------

    def decide(self, case: str, action: str, *, reason: str, actor: str | None = None) -> list[Path]:
        """The coordinator's decision on a review case: accept, not-accept or request-info.

        `actor` (here and in schedule, continue_, end) is the person deciding, kept on the decision and
        the case history: the desk's signed-in user, or the CLI's `--by` / OS user. None: the OS user.
        """
        self._actor = actor or who()
        verb = Action(action)
        target = {Action.ACCEPT: State.ACCEPTED, Action.NOT_ACCEPT: State.NOT_ACCEPTED,
                  Action.REQUEST_INFO: State.INCOMPLETE}.get(verb)
        if target is None:
            raise CaseError(f"{action!r} is not a decision; use accept, not-accept or request-info")
        if not reason.strip():
            raise CaseError("a decision needs a reason (--reason TEXT), which is kept on the case")
        self._require_signatory()
        at = store.now_text(self.now())
        with db.transaction(self.conn):
            row = store.get_case(self.conn, case)
            check(case, verb, row.state, target)
            decision = self._decision(case, verb, reason, at)
            store.move(self.conn, case, target, actor=self._actor, action=verb, cause=f"coordinator decision: {reason.strip()}", at=at)
            trigger = f"decision:{decision}"
            data = {"decision": decision, "judgement": self._last_judgement_id(case)}
            if target is State.ACCEPTED:
                self._plan_acceptance(row, trigger, data, at)
            elif target is State.NOT_ACCEPTED:
                outputs.plan(self.conn, self.settings, case, "not-accepted-letter", trigger, self.today, data, at)
            else:
                outputs.plan(self.conn, self.settings, case, "request-for-information", trigger, self.today,
                             data, at)
        outputs.produce_pending(self.conn, self.settings, case, at=at)
        return outputs.letter_paths(self.conn, self.settings, case, trigger)

    def schedule(self, case: str, *, meeting: dt.date, start: dt.date, actor: str | None = None,
                 expected_return: dt.date | None = None) -> list[Path]:
        """Record the planning meeting and provision start: timeline + planning record (§11.4).

        The same meeting and start again changes nothing and is refused (no second timeline). The
        period is 12 school weeks or the time to the expected return, whichever is shorter (§11.4):
        `expected_return` when given, else the referral's expected length of absence.
        """
        self._require_signatory()
        self._actor = actor or who()
        if start < meeting:
            raise CaseError(f"the provision start ({start}) is before the planning meeting ({meeting}); "
                            "provision starts after the meeting (§11.4)")
        at = store.now_text(self.now())
        target = State.IN_PROVISION if start <= self.today else State.PLANNING
        with db.transaction(self.conn):
            row = store.get_case(self.conn, case)
            last = self.last_schedule(case)
            if last == {"meeting": meeting.isoformat(), "start": start.isoformat()}:
                raise CaseError(f"{case} is already scheduled with the planning meeting on {meeting} and provision "
                                f"from {start}; nothing changed (give a different --meeting or --start to change it)")
            check(case, Action.SCHEDULE, row.state, target)
            back = self._expected_return(case, start, expected_return)
            timeline = self._timeline(row, start, back.date if back else None)
            agreed: dict[str, Any] = {"meeting": meeting.isoformat(), "start": start.isoformat()}
            if back is not None:
                agreed["expected_return"] = back.to_json()
            decision = self._decision(case, Action.SCHEDULE, f"planning meeting {meeting}, provision start {start}",
                                      at, agreed)
            period = 1 if row.period == 0 else row.period
            store.cases.set_period(self.conn, case, period)
            timeline_id = self._store_timeline(case, period, timeline, start, at, provisional=False)
            cause = (f"planning meeting on {meeting}; provision "
                     + ("started" if target is State.IN_PROVISION else "starts") + f" on {timeline['start']}")
            store.move(self.conn, case, target, actor=self._actor, action=Action.SCHEDULE, cause=cause, at=at)
            trigger = f"decision:{decision}"
            data = {"decision": decision, "timeline": timeline_id}
            for document in ("timeline", "planning-record"):
                outputs.plan(self.conn, self.settings, case, document, trigger, self.today, data, at)
        outputs.produce_pending(self.conn, self.settings, case, at=at)
        return outputs.letter_paths(self.conn, self.settings, case, trigger)

    def continue_(self, case: str, answer: str, *, actor: str | None = None) -> list[Path]:
        """Decide a continuation request (§11.7): agree → next period, letter and timeline; decline → note."""
        self._actor = actor or who()
        verb = {"agree": Action.AGREE, "decline": Action.DECLINE}.get(answer)
        if verb is None:
            raise CaseError(f"{answer!r} is not an answer to a continuation request; use agree or decline")
        self._require_signatory()
        at = store.now_text(self.now())
        with db.transaction(self.conn):
            row = store.get_case(self.conn, case)
            if row.state is not State.CONTINUATION_REQUESTED and row.state not in CLOSED:
                raise CaseError(
                    f"{case} has no continuation request to decide (it is {row.state.value}); a case gets one when "
                    "the school's Medical Needs Continuation Request (with updated evidence) arrives in the inbox "
                    f"and is checked — `docgen case {case}` shows what has arrived")
            check(case, verb, row.state, State.IN_PROVISION)
            previous = store.latest_timeline(self.conn, case)
            if verb is Action.DECLINE:
                end = previous["provision_end"] if previous is not None else "the end of the current period"
                self._decision(case, verb, f"continuation declined; provision ends {end}", at)
                store.move(self.conn, case, State.IN_PROVISION, actor=self._actor, action=verb, at=at,
                           cause=f"continuation declined; provision runs to {end}")
                return []
            if previous is None:
                raise CaseError(f"{case} has no timeline to continue; schedule it first with `docgen schedule`")
            timeline = self._next_timeline(row, previous)
            decision = self._decision(case, verb, f"continuation agreed from {timeline['start']}", at)
            period = row.period + 1
            store.cases.set_period(self.conn, case, period)
            timeline_id = self._store_timeline(case, period, timeline, dt.date.fromisoformat(timeline["start"]),
                                               at, provisional=False)
            store.move(self.conn, case, State.IN_PROVISION, actor=self._actor, action=verb, at=at,
                       cause=f"continuation agreed: new period {timeline['start']} to {timeline['provision_end']}")
            trigger = f"decision:{decision}"
            data = {"decision": decision, "timeline": timeline_id}
            for document in ("continuation-agreed-letter", "timeline"):
                outputs.plan(self.conn, self.settings, case, document, trigger, self.today, data, at)
        outputs.produce_pending(self.conn, self.settings, case, at=at)
        return outputs.letter_paths(self.conn, self.settings, case, trigger)

    def end(self, case: str, *, reason: str, on: dt.date, actor: str | None = None) -> list[Path]:
        """End of Provision (§11.8) for one of the six reasons; the End of Provision letter."""
        self._actor = actor or who()
        try:
            code = EndReason(reason)
        except ValueError:
            raise CaseError(f"{reason!r} is not an End of Provision reason; use one of: "
                            + ", ".join(r.value for r in EndReason)) from None
        self._require_signatory()
        at = store.now_text(self.now())
        with db.transaction(self.conn):
            row = store.get_case(self.conn, case)
            check(case, Action.END, row.state, State.ENDED)
            guards.check_end(self.conn, row, code, on, today=self.today)
            decision = self._decision(case, Action.END, code.value, at, {"end_date": on.isoformat()})
            store.move(self.conn, case, State.ENDED, actor=self._actor, action=Action.END, at=at,
                       cause=f"End of Provision on {on}: {code.value}")
            trigger = f"decision:{decision}"
            outputs.plan(self.conn, self.settings, case, "end-of-provision-letter", trigger, self.today,
                         {"decision": decision, "reason": code.value, "end_date": on.isoformat()}, at)
        outputs.produce_pending(self.conn, self.settings, case, at=at)
        return outputs.letter_paths(self.conn, self.settings, case, trigger)

    def last_schedule(self, case: str) -> dict[str, str] | None:
        """The meeting and start of the case's latest decision when that decision was a schedule, else None."""
        row = store.history.last_decision(self.conn, case)
        if row is None or row["action"] != Action.SCHEDULE.value:
            return None
        data = json.loads(row["data_json"] or "{}")
        return {"meeting": str(data.get("meeting")), "start": str(data.get("start"))}

    def start_due_provisions(self) -> list[str]:
        """Move `planning` cases whose provision start has come to `in_provision`."""
        at = store.now_text(self.now())
        moved = []
        with db.transaction(self.conn):
            for row in store.list_cases(self.conn, State.PLANNING.value):
                timeline = store.latest_timeline(self.conn, row.ref)
                if timeline is not None and dt.date.fromisoformat(timeline["start"]) <= self.today:
                    store.move(self.conn, row.ref, State.IN_PROVISION, action=Action.START, at=at,
                               cause=f"provision start date {timeline['start']} reached")
                    moved.append(row.ref)
        return moved

    # ---- internals ---------------------------------------------------------------------------------

    def _own_output(self, item: Incoming) -> str | None | Literal[False]:
        """The case of a file docgen itself produced (by its SHA-256, or its mark); False when it is not one.

        A copy whose bytes changed (saved again in Word) is known by its mark; its case is the reference
        printed on it when that case exists, else it is kept as docgen's own with no case.
        """
        made = store.filed.produced_case(self.conn, item.sha256)
        if made is not False:
            return made
        if not is_docgen_output(item.source):
            return False
        for found in _REFERENCE.findall(item.extraction.text or ""):
            if store.cases.exists(self.conn, found):
                return str(found)
        return None

    def _link_bundle(self, bundle: str, items: list[Incoming], received_at: dt.datetime,
                     at: str) -> list[tuple[Incoming, str | None, Link]]:
        """Link a bundle by its main form; a bundle already linked keeps its case (SPEC §4.3)."""
        parents = {i.parent_sha256 for i in items if i.parent_sha256}
        contents = [i for i in items if i.sha256 not in parents]
        main = next((i for kind in MAIN_KINDS for i in contents if i.extraction.kind is kind), None)
        ref = store.filed.bundle_case(self.conn, bundle)
        how = Link.BUNDLE
        if ref is None and main is not None:
            identity = identity_of(main.extraction)
            is_referral = main.extraction.kind is Kind.REFERRAL
            match = find(self.conn, identity, open_only=is_referral)
            ref, how = match.case, match.how
            if ref is None and is_referral and match.how is not Link.AMBIGUOUS:
                ref = store.new_case(self.conn, received_at.year, at, self._identity_columns(main, identity))
                how = Link.NEW_CASE
            elif ref is not None and is_referral:
                store.set_identity(self.conn, ref, self._identity_columns(main, identity))
        if ref is None and main is None:
            tried = [find(self.conn, identity_of(i.extraction)) for i in contents]
            found = [m for m in tried if m.case]
            matches = {m.case for m in found}
            if any(m.how is Link.AMBIGUOUS for m in tried):
                how = Link.AMBIGUOUS
            if len(matches) == 1:
                ref, how = found[0].case, (found[0].how if len(contents) == 1 else Link.BUNDLE)
            elif len(matches) > 1:  # the bundle names several children: link each on its own, never guess
                links = [(i, find(self.conn, identity_of(i.extraction))) for i in items]
                return [(i, m.case, m.how) for i, m in links]
        unmatched = how if how is Link.AMBIGUOUS else Link.UNMATCHED
        return [(i, ref, how if ref else unmatched) for i in items]

    @staticmethod
    def _identity_columns(main: Incoming, identity: Identity) -> dict[str, Any]:
        fields = {k: v for k, v in main.extraction.fields.items() if v is not None}
        return {**fields, **case_identity(identity)}

    def _file(self, item: Incoming, ref: str | None, how: Link, at: str, *, container: bool) -> None:
        """Archive one original and record it against its case (or as unmatched)."""
        dest = archive.folder(self.settings.archive, ref)
        copy = self._filing.store(dest, item.source, item.display_name, item.sha256)
        item = self._file_searchable(item, dest, copy)
        period = 0
        flag = None
        if ref is not None:
            row = store.get_case(self.conn, ref)
            period = row.period
            identity = identity_of(item.extraction)
            case_id = Identity(upn=row.upn, surname=row.surname, dob=row.dob)
            if item.extraction.kind not in MAIN_KINDS and identity.differs_from(case_id):
                flag = "names a different child"
        if how is Link.OWN_OUTPUT:
            flag = OWN_OUTPUT_FLAG
        store.filed.add_document(
            self.conn, sha256=item.sha256, case=ref, display_name=item.display_name,
            kind=item.extraction.kind.value, role=item.role, parent_sha256=item.parent_sha256, bundle=item.bundle,
            container=container, extraction_json=extraction_to_json(item.extraction), received_at=at,
            archive_path=str(copy.relative_to(self.settings.archive)), period=period, link=how.value, flag=flag,
            judged=how is Link.OWN_OUTPUT)  # docgen's own letters are recorded, never judged

    def _file_searchable(self, item: Incoming, dest: Path, copy: Path) -> Incoming:
        """A scan's searchable PDF/A (made by the worker) archived beside its original (SPEC §16); the
        extraction then names it (`ocr.searchable`: archive name and SHA-256) for the manifest."""
        ocr = item.extraction.ocr or {}
        made = ocr.get("searchable")
        if not isinstance(made, str):
            return item
        kept = dict(ocr)
        del kept["searchable"]
        work = Path(made)
        if work.is_file():
            sha = archive.sha256_of(work)
            pdfa = self._filing.store(dest, work, archive.searchable_name(copy.name), sha)
            kept["searchable"] = {"path": pdfa.name, "sha256": sha}
        return dataclasses.replace(item, extraction=dataclasses.replace(item.extraction, ocr=kept))

    def _relink_unmatched(self, at: str) -> set[str | None]:
        """Give earlier unmatched documents to a case they now match (evidence before the referral).

        The whole bundle moves together: its files are copied into the case folder and, in this same
        transaction, their `unmatched/` copies are recorded for removal (`finish_moves`, after the commit):
        every document ends filed once, in its case.
        """
        touched: set[str | None] = set()
        done: set[str] = set()
        for doc in store.documents(self.conn, None):
            if doc["bundle"] in done or doc["link"] == Link.OWN_OUTPUT.value:
                continue
            extraction = extraction_from_json(doc["extraction_json"])
            if extraction.kind is Kind.REFERRAL:
                continue
            match = find(self.conn, identity_of(extraction))
            if match.case is None:
                continue
            row = store.get_case(self.conn, match.case)
            if row.state in CLOSED:
                continue
            done.add(doc["bundle"])
            dest = archive.folder(self.settings.archive, match.case)
            for sibling in store.filed.unmatched_in_bundle(self.conn, doc["bundle"]):
                copy = self._filing.store(dest, self.settings.archive / sibling["archive_path"],
                                     sibling["display_name"], sibling["sha256"])
                store.filed.relink(
                    self.conn, sibling["sha256"], case=match.case, archive_path=str(copy.relative_to(self.settings.archive)),
                    period=row.period, link=match.how.value if sibling["sha256"] == doc["sha256"] else Link.BUNDLE.value,
                    old_path=sibling["archive_path"], at=at)
            touched.add(match.case)
        return touched

    def _write_manifest(self, ref: str | None) -> None:
        dest = archive.folder(self.settings.archive, ref)
        entries = []
        docs = store.documents(self.conn, ref)
        for doc in docs:
            if ref is not None and not doc["archive_path"].startswith(f"{ref}/"):
                continue
            entries.append(archive.Entry(
                path=Path(doc["archive_path"]).name, sha256=doc["sha256"], kind=doc["kind"],
                role="attachment" if doc["parent_sha256"] else "original", at=doc["received_at"],
                source=doc["parent_sha256"]))
            pdfa = (json.loads(doc["extraction_json"]).get("ocr") or {}).get("searchable")
            if isinstance(pdfa, dict) and (dest / str(pdfa.get("path"))).is_file():
                entries.append(archive.Entry(path=str(pdfa["path"]), sha256=str(pdfa["sha256"]), kind=doc["kind"],
                                             role="produced", at=doc["received_at"], source=doc["sha256"]))
        retain = None
        if ref is not None:
            row = store.get_case(self.conn, ref)
            dob = dt.date.fromisoformat(row.dob) if row.dob else None
            retain = archive.retain_until(dob, ehcp=row.ehcp, years=self.settings.retention_years,
                                          years_ehcp=self.settings.retention_years_ehcp,
                                          received=dt.date.fromisoformat(row.created_at[:10]))
        archive.record(dest, entries, case=ref or archive.UNMATCHED, retain=retain)

    def _check(self, row: store.CaseRow, docs: list[sqlite3.Row], at: str) -> tuple[str, int]:
        """Run the policy check on the submission, record it, move the state and plan the letters."""
        from docgen.rules.check import check_submission

        extractions = [extraction_from_json(d["extraction_json"]) for d in _current(docs)]
        result = check_submission(extractions, today=self.today, calendar=termdates.calendar(self.settings),
                                  min_confidence=self.settings.ocr.min_confidence)
        outcome = str(result.outcome)
        findings = [_finding_json(f) for f in result.findings]
        judgement = store.history.add_judgement(self.conn, row.ref, at=at, on=self.today.isoformat(), outcome=outcome,
                                                kind=str(result.kind), period=row.period, findings=findings,
                                                result=result.to_json())
        store.filed.mark_judged(self.conn, row.ref)
        trigger = f"judgement:{judgement}"
        data: dict[str, Any] = {"judgement": judgement}
        outputs.plan(self.conn, self.settings, row.ref, "check-report", trigger, self.today, data, at)
        missing = sorted({f"{f['rule']}: {_FILE_NOTE.sub('', str(f['message']))}" for f in findings
                          if f["severity"] == "missing"})
        summary = ", ".join(sorted({f["rule"] for f in findings if f["severity"] != "info"})) or "no findings"
        if row.state in REFERRAL_PHASE:
            target = State(outcome)
            check(row.ref, Action.JUDGE, row.state, target)
            store.move(self.conn, row.ref, target, action=Action.JUDGE, at=at,
                       cause=f"documents checked: {outcome} ({summary})")
            if target is State.ACCEPTED:
                self._plan_acceptance(row, trigger, data, at)
            elif target is State.NOT_ACCEPTED:
                outputs.plan(self.conn, self.settings, row.ref, "not-accepted-letter", trigger, self.today, data, at)
        else:
            store.move(self.conn, row.ref, State.CONTINUATION_REQUESTED, action=Action.CONTINUATION, at=at,
                       cause=f"continuation request checked: {outcome} ({summary})")
        if outcome == "incomplete" and missing != self._last_request_gaps(row.ref):
            outputs.plan(self.conn, self.settings, row.ref, "request-for-information", trigger, self.today,
                         {**data, "missing": missing}, at)
        return outcome, judgement

    def _last_request_gaps(self, case: str) -> list[str] | None:
        row = store.letters.last_of(self.conn, case, "request-for-information")
        if row is None:
            return None
        gaps: list[str] | None = json.loads(row["data_json"]).get("missing")
        return gaps

    def _plan_acceptance(self, row: store.CaseRow, trigger: str, data: dict[str, Any], at: str) -> None:
        """Acceptance letter + provisional timeline + planning record (§11.3)."""
        data = dict(data)
        provisional = self._provisional_start()
        if provisional is not None:
            back = self._referral_return(row.ref)
            if back is not None and back.date <= provisional:
                back = None  # expected back before any provision could start: the meeting settles the period
            try:
                timeline = self._timeline(store.get_case(self.conn, row.ref), provisional,
                                          back.date if back else None)
            except DocgenError:  # past the term-dates file: no timeline, and the letter does not claim one
                timeline = None
            if timeline is not None:
                data["timeline"] = self._store_timeline(row.ref, 0, timeline, provisional, at, provisional=True)
                if back is not None:
                    data["expected_return"] = back.to_json()
        for document in ("acceptance-letter", "timeline", "planning-record"):
            if document == "timeline" and "timeline" not in data:
                continue
            outputs.plan(self.conn, self.settings, row.ref, document, trigger, self.today, data, at)

    def _provisional_start(self) -> dt.date | None:
        cal = termdates.calendar(self.settings)
        return periods.provisional_start(cal, self.today) if cal is not None else None

    def _referral_return(self, case: str) -> periods.ExpectedReturn | None:
        """The expected return the referral's expected length of absence gives (§11.4), if it says one."""
        cal = termdates.calendar(self.settings)
        return periods.from_referral(cal, outputs.case_fields(self.conn, case)) if cal is not None else None

    def _expected_return(self, case: str, start: dt.date, given: dt.date | None) -> periods.ExpectedReturn | None:
        """The expected return that caps a scheduled period: the coordinator's, else the referral's (§11.4)."""
        if given is not None:
            if given <= start:
                raise CaseError(f"the expected return to school ({given}) is on or before the provision start "
                                f"({start}), so there would be no provision; check the dates")
            return periods.ExpectedReturn(given, "coordinator")
        back = self._referral_return(case)
        if back is not None and back.date <= start:
            raise CaseError(
                f"the referral expected the pupil back in school by {back.date:%d %B %Y} ({back.weeks} week(s) "
                f"of absence from {back.counted_from:%d %B %Y}), which is not after the provision start {start}; "
                "if the pupil is still absent, give the new expected return with --expected-return DATE (§11.4)")
        return back

    def _timeline(self, row: store.CaseRow, start: dt.date, expected_return: dt.date | None = None) -> dict[str, Any]:
        from docgen.timeline import compute

        cal = termdates.require_calendar(self.settings)
        dob = dt.date.fromisoformat(row.dob) if row.dob else None
        data: dict[str, Any] = compute(cal, start, dob=dob, expected_return=expected_return).to_json()
        return data

    def _next_timeline(self, row: store.CaseRow, previous: sqlite3.Row) -> dict[str, Any]:
        from docgen.timeline import compute, next_period

        cal = termdates.require_calendar(self.settings)
        dob = dt.date.fromisoformat(row.dob) if row.dob else None
        before = compute(cal, dt.date.fromisoformat(previous["start"]), dob=dob)
        data: dict[str, Any] = next_period(cal, before).to_json()
        return data

    def _store_timeline(self, case: str, period: int, timeline: dict[str, Any], requested: dt.date, at: str, *,
                        provisional: bool) -> int:
        return store.history.add_timeline(self.conn, case, period, timeline, requested.isoformat(), at,
                                          provisional=provisional)

    def _decision(self, case: str, action: Action, reason: str, at: str, data: dict[str, Any] | None = None) -> int:
        return store.history.add_decision(self.conn, case, action=action.value, reason=reason.strip(),
                                          who=self._actor or who(), at=at, on=self.today.isoformat(), data=data)

    def _last_judgement_id(self, case: str) -> int | None:
        row = store.last_judgement(self.conn, case)
        return int(row["id"]) if row is not None else None


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
