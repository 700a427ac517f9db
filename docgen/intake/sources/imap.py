"""Mailbox intake: the service's IMAP folder as a second intake source beside the inbox folder (SPEC §15).

One pass: UID SEARCH the folder → finish messages already taken (move them) → fetch only the new
UIDs, whole (RFC 822) → each goes through the same pipeline as a saved `.eml`, under the name
`mail-<UIDVALIDITY>-<UID>.eml`, its origin the IMAP URL of the message → once the pipeline has
committed it (archive + outcome), the message is moved to `processed_folder`; a message that cannot
be read goes to `failed_folder` with the reason code in the audit log. Nothing is ever deleted.

Exactly once: the mail journal records UIDVALIDITY, UID, Message-ID and SHA-256 before the pipeline
sees a message; after a kill the same message is finished, not taken again; under a new UIDVALIDITY it
is recognised by its bytes; a message arriving twice (same bytes or same Message-ID) is recorded as a
duplicate of the first and moved. Network problems are retried with back-off (tenacity) and a pass
that is cut short is simply run again: every step before the move is idempotent.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.parser
import email.policy
import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tenacity import Retrying, retry_if_exception_type, wait_exponential

from docgen.cases import store
from docgen.config import MailSettings, Settings
from docgen.db import private_dir
from docgen.errors import CaseError, MailConnectionError, ReasonCode
from docgen.files import write_atomic
from docgen.intake.arrival import Arrival
from docgen.intake.journal import State
from docgen.intake.pipeline import Pipeline, Report
from docgen.intake.quarantine import reason_line
from docgen.intake.sources.mail_journal import MailJournal, MailRow, MailState
from docgen.intake.sources.mail_status import MailStatus
from docgen.intake.sources.mailbox import Mailbox

log = logging.getLogger("docgen.intake")

BATCH = 16
STAGING = "mail"
_TAKEN = {State.INGESTED, State.JUDGED, State.DONE}

Connect = Callable[[MailSettings], Mailbox]


@dataclass
class MailReport:
    """What one pass did, in the `docgen mail fetch --json` shape (SPEC §15)."""

    fetched: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)
    moved: int = 0
    left: int = 0  # messages left in the folder for the next pass (shutting down, transient error)

    def to_json(self) -> dict[str, Any]:
        return {"fetched": [{k: e[k] for k in ("uid", "message_id", "case", "outcome")} for e in self.fetched],
                "failed": [{k: e[k] for k in ("uid", "reason")} for e in self.failed]}


def origin(settings: MailSettings, uidvalidity: int, uid: int) -> str:
    """Where a message came from, as an IMAP URL (RFC 5092): mailbox, UIDVALIDITY and UID."""
    user = quote(settings.username, safe="")
    return (f"imap://{user}@{settings.imap_host}:{settings.imap_port}/{quote(settings.folder)}"
            f";UIDVALIDITY={uidvalidity}/;UID={uid}")


def mailbox_key(settings: MailSettings) -> str:
    """The mailbox a journal row belongs to (server, account, folder)."""
    return f"{settings.username}@{settings.imap_host}:{settings.imap_port}/{settings.folder}"


def message_id(data: bytes) -> str | None:
    """The Message-ID header of raw message bytes (None when absent or unreadable)."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(data[:1_000_000])
        value = headers.get("Message-ID")
    except Exception:  # noqa: BLE001 - a broken header block is the pipeline's to judge
        return None
    text = " ".join(str(value).split()) if value else ""
    return text[:500] or None


@dataclass
class _Staged:
    row: MailRow
    path: Path
    sha256: str


class MailIntake:
    """Passes over the mailbox folder, feeding the pipeline (used by `docgen mail fetch` and `docgen watch`)."""

    def __init__(self, settings: Settings, pipeline: Pipeline, *, connect: Connect = Mailbox.connect,
                 sleep: Callable[[float], None] = time.sleep, attempts: int = 4) -> None:
        assert settings.mail is not None
        self.settings = settings
        self.mail: MailSettings = settings.mail
        self.pipeline = pipeline
        self.audit = pipeline.audit
        self.journal = MailJournal(pipeline.conn)
        self.status = MailStatus(settings.state_dir)
        self.connect = connect
        self.sleep = sleep
        self.attempts = attempts
        self.key = mailbox_key(self.mail)
        self.staging = private_dir(settings.state_dir / STAGING)
        for partial in self.staging.glob(".*.part"):  # half-written by a run that was killed (we hold the lock)
            partial.unlink(missing_ok=True)

    # ---- one pass, retried ------------------------------------------------------------------------

    def run_pass(self, report: MailReport, *, judge: bool) -> None:
        """One pass; connection problems retried with back-off, then raised (MailError, one line)."""
        stopping = self.pipeline.should_stop
        retrying = Retrying(stop=lambda state: state.attempt_number >= self.attempts or stopping(),
                            reraise=True, sleep=self.sleep,
                            wait=wait_exponential(multiplier=1, min=1, max=30),
                            retry=retry_if_exception_type(MailConnectionError),
                            before_sleep=lambda state: self._retrying(state.outcome))
        try:
            for attempt in retrying:
                with attempt, self.connect(self.mail) as mailbox:
                    self._pass(mailbox, report, judge=judge)
        except Exception as exc:
            message = getattr(exc, "message", None) or f"unexpected {type(exc).__name__}"
            self.status.failed(message)
            self.audit.record("mail-failed-pass", code=type(exc).__name__, level=logging.WARNING)
            raise
        self.status.ok(fetched=len(report.fetched), failed=len(report.failed))

    def _retrying(self, outcome: Any) -> None:
        exc = outcome.exception() if outcome is not None else None
        message = getattr(exc, "message", None) or "connection problem"
        self.status.failed(message, retrying=True)
        self.audit.record("mail-retry", code=type(exc).__name__, level=logging.WARNING)

    def _pass(self, mailbox: Mailbox, report: MailReport, *, judge: bool) -> None:
        mail = self.mail
        if judge:  # cases ingested by a run that was killed: judged first, so their outcome is known
            self.pipeline.judge_due(settle_seconds=0)
        mailbox.ensure_folder(mail.processed_folder)
        mailbox.ensure_folder(mail.failed_folder)
        uidvalidity = mailbox.select(mail.folder)
        uids = mailbox.uids()
        known = self.journal.in_folder(self.key, uidvalidity, uids)
        self.journal.settle_gone(self.key, uidvalidity, uids)
        for uid in uids:  # taken before a kill or a dropped connection: only the move is left
            row = known.get(uid)
            if row is not None and row.state is not MailState.FETCHED:
                self._move(mailbox, row, report)
        todo = [u for u in uids if u not in known or known[u].state is MailState.FETCHED]
        sizes = mailbox.sizes(todo) if todo else {}
        for start in range(0, len(todo), BATCH):
            if self.pipeline.should_stop():
                report.left += len(todo) - start
                return
            self._batch(mailbox, uidvalidity, todo[start:start + BATCH], sizes, known, report, judge=judge)

    def _batch(self, mailbox: Mailbox, uidvalidity: int, uids: list[int], sizes: dict[int, int],
               known: dict[int, MailRow], report: MailReport, *, judge: bool) -> None:
        staged: list[_Staged] = []
        settled: list[MailRow] = []  # resolved without the pipeline: move them
        deferred: list[int] = []  # the same message twice in one batch: the second waits for the first
        seen: set[str] = set()
        limit = self.settings.limits.max_file_mb * 1024 * 1024
        for uid in uids:
            size = sizes.get(uid)
            if size is None:
                continue  # gone meanwhile (another client moved it)
            if size > limit and known.get(uid) is None:
                settled.append(self._too_large(mailbox, uidvalidity, uid, size, report))
                continue
            data = mailbox.fetch(uid)
            if data is None:
                continue
            marks = {hashlib.sha256(data).hexdigest(), message_id(data) or ""} - {""}
            if marks & seen:
                deferred.append(uid)
                continue
            seen |= marks
            outcome = self._record(uidvalidity, uid, data, known.get(uid), report)
            if isinstance(outcome, _Staged):
                staged.append(outcome)
            elif outcome is not None:
                settled.append(outcome)
        pipe_report = Report()
        if staged:
            self.pipeline.take([Arrival(s.path, origin(self.mail, s.row.uidvalidity, s.row.uid)) for s in staged],
                               pipe_report)
            self._crash("mail-taken")
            if judge and not self.pipeline.should_stop():
                self.pipeline.judge_due(settle_seconds=0, report=pipe_report)
            settled += self._settle(staged, pipe_report, report)
        self._crash("mail-marked")
        for row in settled:
            fresh = self.journal.by_uid(self.key, row.uidvalidity, row.uid) or row
            self._move(mailbox, fresh, report)
        if deferred and not self.pipeline.should_stop():
            self._batch(mailbox, uidvalidity, deferred, sizes, known, report, judge=judge)

    # ---- one message ------------------------------------------------------------------------------

    def _record(self, uidvalidity: int, uid: int, data: bytes, row: MailRow | None,
                report: MailReport) -> _Staged | MailRow | None:
        """Journal a fetched message; stage it for the pipeline, or resolve it (finished earlier, duplicate)."""
        sha = hashlib.sha256(data).hexdigest()
        mid = message_id(data)
        if row is None:
            prior = self.journal.unfinished_same_bytes(self.key, sha, uidvalidity)
            if prior is not None:  # the folder was renumbered (UIDVALIDITY changed) mid-way
                self.journal.renumber(prior.id, uidvalidity, uid)
                self.audit.record("mail-renumbered", sha256=sha, uid=uid, uidvalidity=uidvalidity)
                row = self.journal.by_uid(self.key, uidvalidity, uid)
                assert row is not None
                if row.state is not MailState.FETCHED:
                    return row
        if row is None:
            row = self.journal.add(self.key, uidvalidity, uid, message_id=mid, sha256=sha, size=len(data),
                                   name=f"mail-{uidvalidity}-{uid}.eml")
            self.audit.record("mail-fetched", sha256=sha, uid=uid, uidvalidity=uidvalidity, folder=self.mail.folder)
            earlier = self.journal.earlier_copy(mid, sha, exclude=row.id)
            if earlier is not None and earlier.sha256 != sha:
                return self._duplicate(row, earlier, report)
        else:  # fetched before a kill: did the pipeline take it already?
            self.audit.record("mail-fetched", sha256=sha, uid=uid, uidvalidity=uidvalidity, folder=self.mail.folder,
                              state="resumed")
            entry = self.pipeline.journal.get(sha)
            if entry is not None and entry.inbox_name in {None, row.name}:
                if entry.state in _TAKEN:
                    self._taken(row, entry.case, self._case_outcome(entry.case), report)
                    return self.journal.by_uid(self.key, uidvalidity, uid)
                if entry.state is State.QUARANTINED:
                    codes = {c.value: c for c in ReasonCode}
                    self._failed(row, reason_line(codes.get(entry.code or "", ReasonCode.DAMAGED)), report, sha=sha)
                    return self.journal.by_uid(self.key, uidvalidity, uid)
        self._crash("mail-fetched")
        path = self.staging / row.name
        write_atomic(path, data)
        # the file is complete: an old mtime stops the watcher's "still being copied" grace period
        old = time.time() - 86_400
        os.utime(path, (old, old))
        return _Staged(row=row, path=path, sha256=sha)

    def _settle(self, staged: list[_Staged], pipe_report: Report, report: MailReport) -> list[MailRow]:
        """After the pipeline: taken, duplicate or failed — each row marked; left ones wait for the next pass."""
        processed = {e["file"]: e for e in pipe_report.processed}
        duplicates = {e["file"]: e for e in pipe_report.duplicates}
        quarantined = {e["file"]: e for e in pipe_report.quarantined if "from" not in e}
        done: list[MailRow] = []
        for item in staged:
            row = item.row
            if row.name in processed:
                entry = processed[row.name]
                outcome = entry["outcome"]
                if outcome == "received" and entry["case"]:  # judged before (a resumed run): its state now
                    outcome = self._case_outcome(entry["case"])
                self._taken(row, entry["case"], outcome, report)
            elif row.name in duplicates:
                self._taken(row, duplicates[row.name]["case"], "duplicate", report)
            elif row.name in quarantined:
                self._failed(row, quarantined[row.name]["reason"], report, sha=item.sha256)
            else:
                report.left += 1
                continue
            fresh = self.journal.by_uid(self.key, row.uidvalidity, row.uid)
            done.append(fresh or row)
        return done

    def _taken(self, row: MailRow, case: str | None, outcome: str, report: MailReport) -> None:
        self.journal.mark(row.id, MailState.TAKEN, case=case, outcome=outcome)
        (self.staging / row.name).unlink(missing_ok=True)  # a copy staged by a run that was killed
        self.audit.record("mail-taken", sha256=row.sha256, case=case, uid=row.uid, uidvalidity=row.uidvalidity,
                          outcome=outcome)
        report.fetched.append({"uid": row.uid, "message_id": row.message_id, "case": case, "outcome": outcome})

    def _failed(self, row: MailRow, reason: str, report: MailReport, *, sha: str | None) -> None:
        code = reason.split(":", 1)[0]
        self.journal.mark(row.id, MailState.FAILED, reason=reason, outcome="failed")
        (self.staging / row.name).unlink(missing_ok=True)
        self.audit.record("mail-unreadable", sha256=sha, code=code, uid=row.uid, uidvalidity=row.uidvalidity,
                          level=logging.WARNING)
        report.failed.append({"uid": row.uid, "reason": reason})

    def _duplicate(self, row: MailRow, earlier: MailRow, report: MailReport) -> MailRow:
        """The same message again (same Message-ID): recorded against the first copy's case, not reprocessed."""
        if earlier.sha256:
            with contextlib.suppress(CaseError):
                self.pipeline.cases.record_duplicate(earlier.sha256, row.name, received_at=dt.datetime.now(dt.UTC))
            self.pipeline.journal.record_duplicate(earlier.sha256, earlier.case)
        self._taken(row, earlier.case, "duplicate", report)
        fresh = self.journal.by_uid(self.key, row.uidvalidity, row.uid)
        assert fresh is not None
        return fresh

    def _too_large(self, mailbox: Mailbox, uidvalidity: int, uid: int, size: int, report: MailReport) -> MailRow:
        mid = mailbox.header(uid, "Message-ID")
        row = self.journal.add(self.key, uidvalidity, uid, message_id=mid, sha256=None, size=size,
                               name=f"mail-{uidvalidity}-{uid}.eml")
        limit = self.settings.limits.max_file_mb
        self._failed(row, reason_line(ReasonCode.TOO_LARGE, f"The message is over {limit} MB, so it was not "
                                      "downloaded"), report, sha=None)
        fresh = self.journal.by_uid(self.key, uidvalidity, uid)
        assert fresh is not None
        return fresh

    def _crash(self, step: str) -> None:
        """DOCGEN_CRASH_AT=<step>: die here, as a kill would (the exactly-once tests)."""
        if self.pipeline.crash_at == step:
            log.warning("DOCGEN_CRASH_AT=%s: exiting here on purpose", step)
            os._exit(137)

    def _case_outcome(self, case: str | None) -> str:
        if case is None:
            return "review"
        with contextlib.suppress(CaseError):
            return store.get_case(self.pipeline.conn, case).state.value
        return "received"

    def _move(self, mailbox: Mailbox, row: MailRow, report: MailReport) -> None:
        """Only now, with the outcome committed, does the message leave the folder."""
        target = self.mail.failed_folder if row.state is MailState.FAILED or (
            row.state is MailState.MOVED and row.outcome == "failed") else self.mail.processed_folder
        mailbox.move(row.uid, target)
        self._crash("mail-moved")
        self.journal.mark(row.id, MailState.MOVED)
        self.audit.record("mail-moved", sha256=row.sha256, uid=row.uid, uidvalidity=row.uidvalidity,
                          folder="failed" if target == self.mail.failed_folder else "processed")
        report.moved += 1
