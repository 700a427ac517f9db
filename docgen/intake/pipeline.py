"""The intake pipeline: one ordered set of steps shared by `docgen process` and `docgen watch`.

    fingerprint (SHA-256 of a private hard link/copy) → duplicate check (journal + case register)
    → isolated parse (worker pool; bundles unpacked, then their members) → ingest (archive + case)
    → remove from the inbox → judge (now for `process`, after the settle period for `watch`)

A step that cannot go on is a typed early exit: vanished, quarantined (with its reason code),
duplicate, or left in the inbox for the next pass (transient error, shutting down). The journal
records each item's state by SHA-256 so a kill at any instant is finished, never redone.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import datetime as dt
import hashlib
import logging
import os
import shutil
import sqlite3
import stat
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.config import Settings
from docgen.db import private_dir
from docgen.errors import ReasonCode
from docgen.intake import reading
from docgen.intake.arrival import Arrival, arrival_of
from docgen.intake.audit import Audit
from docgen.intake.isolate import Outcome, Task, WorkerPool
from docgen.intake.journal import Journal, State
from docgen.intake.problems import CAUSES, cause_of
from docgen.intake.quarantine import quarantine
from docgen.intake.reading import JUDGE_FAILED
from docgen.kinds import MAIN_KINDS, Extraction, Kind, Method
from docgen.read import bundle
from docgen.read.names import is_ignored, readable, safe_name

if TYPE_CHECKING:
    from docgen.cases.service import CaseService, Incoming

log = logging.getLogger("docgen.intake")

CRASH_EXIT = 137
DOCUMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".docm", ".xlsx", ".xls", ".csv", ".eml", ".msg", ".zip", ".txt")
_GRACE_CODES = frozenset({ReasonCode.EMPTY, ReasonCode.DAMAGED})

Progress = Callable[[int], None]
# items read and ingested together: each batch ends with the pool draining (its last reads, then the
# ingest of the items that are no main form), so a batch is long enough for that tail to be small
# (8 items a batch left the 2 workers idle ~10 % of the reading; 32: ~4 %), short enough to hold little
BATCH_PER_WORKER = 16


@dataclass
class Report:
    """What one pass did, in the `docgen process --json` shape (SPEC §10)."""

    processed: list[dict[str, Any]] = field(default_factory=list)
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    vanished: int = 0
    left: int = 0  # items left in the inbox for the next pass (transient error or shutdown)
    judge_failed: int = 0  # cases that could not be checked this pass (tried again later)
    judge_errors: list[str] = field(default_factory=list)  # "<case>: <why>" (for the screen, not the log)

    def to_json(self) -> dict[str, Any]:
        return {"processed": self.processed, "quarantined": self.quarantined, "duplicates": self.duplicates}


@dataclass
class _Item:
    """One inbox entry on its way through the pipeline."""

    path: Path
    name: str
    is_dir: bool
    identity: Any
    workdir: Path
    source: Path  # a private hard link/copy of the file (or the folder itself)
    sha256: str
    origin: str  # where the source found it (`inbox:<name>`, an IMAP URL): kept with each document filed
    files: list[tuple[Path, Any]] = field(default_factory=list)  # folder: (file, identity) taken


def _reason(code: str) -> ReasonCode:
    return next((c for c in ReasonCode if c.value == code), ReasonCode.DAMAGED)


def _identity(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise OSError("not a regular file")
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _folder_files(root: Path) -> list[tuple[Path, Any]]:
    found: list[tuple[Path, Any]] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
        for name in sorted(filenames):
            if not is_ignored(name):
                path = Path(dirpath) / name
                found.append((path, _identity(path.lstat())))
    return found


OWN_OUTPUT = "docgen-output"  # a processed item's outcome when it is docgen's own letter, saved back


class Pipeline:
    """Run inbox items through the steps; `take` for arrivals, `judge_due` for settled cases."""

    def __init__(self, settings: Settings, conn: sqlite3.Connection, *, today: dt.date, pool: WorkerPool,
                 audit: Audit, crash_at: str | None = None,
                 should_stop: Callable[[], bool] | None = None) -> None:
        from docgen.cases.service import CaseService

        self.settings = settings
        self.conn = conn
        self.pool = pool
        self.audit = audit
        self.crash_at = crash_at
        self.should_stop = should_stop or (lambda: False)
        self._judge_retry: dict[str, tuple[int, float]] = {}  # case → (failures, monotonic time to retry)
        self.grace_seconds = 0.0  # the daemon waits this long before quarantining an empty/cut-short file
        self.journal = Journal(conn)
        self.today = today
        self.cases: CaseService = CaseService(settings, conn, today=today, step=self._crash)
        self.work_root = private_dir(settings.state_dir / "work")
        private_dir(settings.quarantine)

    def set_today(self, today: dt.date) -> None:
        """A long-running daemon moves to the new date at midnight (unless --today fixed it)."""
        if today != self.today:
            from docgen.cases.service import CaseService

            self.today = today
            self.cases = CaseService(self.settings, self.conn, today=today, step=self._crash)

    # ---- start-up ---------------------------------------------------------------------------------

    def recover(self) -> None:
        """Clear work folders of an interrupted run and write letters planned but never written."""
        from docgen.letters.pdf import clean_scratch

        self.clean_work()
        clean_scratch(self.settings.state_dir / "lo", older_than=max(600.0, 4 * self.settings.pdf_timeout_seconds))
        letters = self.cases.resume()
        if letters:
            self.audit.record("letters-resumed", count=len(letters))

    def clean_work(self) -> None:
        """Remove every work folder (at start, and on the way out however the run ends)."""
        with contextlib.suppress(OSError):
            for stale in self.work_root.iterdir():
                if stale.is_dir() and not stale.is_symlink():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink(missing_ok=True)

    def _crash(self, step: str) -> None:
        if self.crash_at == step:
            log.warning("DOCGEN_CRASH_AT=%s: exiting here on purpose", step)
            os._exit(CRASH_EXIT)

    # ---- arrivals ---------------------------------------------------------------------------------

    def take(self, items: Sequence[Arrival | Path], report: Report, *, progress: Progress | None = None) -> None:
        """Fingerprint, check, parse, ingest and remove each complete item (a bare path: an inbox entry)."""
        paths = [arrival_of(item) for item in items]
        size = BATCH_PER_WORKER * self.pool.size
        for start in range(0, len(paths), size):
            if self.should_stop():
                report.left += len(paths) - start
                return
            self._take_batch(paths[start:start + size], report)
            if progress is not None:
                progress(min(size, len(paths) - start))

    def _take_batch(self, paths: Sequence[Arrival], report: Report) -> None:
        items: list[_Item] = []
        made: list[_Item] = []  # every work folder this batch made: removed on every way out
        seen: dict[str, _Item] = {}
        later: list[_Item] = []  # same bytes twice in one batch: the second waits for the first
        try:
            for path in paths:
                item = self._fingerprint(path, report)
                if item is None:
                    continue
                made.append(item)
                if item.sha256 in seen:
                    later.append(item)
                    continue
                if self._known(item, report):
                    continue
                seen[item.sha256] = item
                items.append(item)
            if items:
                self.journal.mark_many([(i.sha256, i.name) for i in items], State.PARSING)
                self._crash("parsing")
                self._parse_and_ingest(items, report)
            for item in later:
                if not self._known(item, report):  # the first copy failed: take this one next pass
                    report.left += 1
        finally:
            for item in made:
                self._discard(item)

    def _fingerprint(self, arrival: Arrival, report: Report) -> _Item | None:
        """Link or copy the entry privately and hash it; non-regular entries are quarantined here."""
        path = arrival.path
        name = readable(path.name)  # bytes that are not UTF-8 in a name never reach the journal or a report
        try:
            st = path.lstat()
        except FileNotFoundError:
            report.vanished += 1
            self.audit.record("vanished")
            return None
        if stat.S_ISDIR(st.st_mode):
            return self._fingerprint_folder(arrival, report)
        if not stat.S_ISREG(st.st_mode):
            self._quarantine_path(path, name, None, ReasonCode.NOT_A_REGULAR_FILE,
                                  "This is a link or special file, not an ordinary file", report)
            return None
        workdir = Path(tempfile.mkdtemp(prefix="item-", dir=self.work_root))
        source = workdir / safe_name(name, default="document")  # parsers may name it in their messages
        try:
            try:
                os.link(path, source, follow_symlinks=False)
            except OSError:
                shutil.copyfile(path, source, follow_symlinks=False)
            sha = _hash_file(source)
        except FileNotFoundError:
            shutil.rmtree(workdir, ignore_errors=True)
            report.vanished += 1
            self.audit.record("vanished")
            return None
        except OSError as exc:
            shutil.rmtree(workdir, ignore_errors=True)
            report.left += 1
            self.audit.record("read-failed", code=cause_of(exc), level=logging.WARNING)
            return None
        return _Item(path=path, name=name, is_dir=False, identity=_identity(st), workdir=workdir,
                     source=source, sha256=sha, origin=arrival.origin)

    def _fingerprint_folder(self, arrival: Arrival, report: Report) -> _Item | None:
        path = arrival.path
        try:
            files = _folder_files(path)
            digest = hashlib.sha256(b"folder\0")
            for file, _ident in files:
                relative = file.relative_to(path).as_posix()
                content = _hash_file(file) if stat.S_ISREG(file.lstat().st_mode) else "special"
                digest.update(f"{relative}\0{content}\0".encode())
        except FileNotFoundError:
            report.vanished += 1
            self.audit.record("vanished")
            return None
        except OSError as exc:
            report.left += 1
            self.audit.record("read-failed", code=cause_of(exc), level=logging.WARNING)
            return None
        if not files:
            if path.suffix.lower() in DOCUMENT_SUFFIXES:
                self._quarantine_path(path, readable(path.name), None, ReasonCode.NOT_A_REGULAR_FILE,
                                      "This is an empty folder named like a document", report)
            return None  # an empty folder: wait for its files
        workdir = Path(tempfile.mkdtemp(prefix="item-", dir=self.work_root))
        return _Item(path=path, name=readable(path.name), is_dir=True, identity=None, workdir=workdir, source=path,
                     sha256=digest.hexdigest(), files=files, origin=arrival.origin)

    def _known(self, item: _Item, report: Report) -> bool:
        """Early exits for bytes seen before: finish an interrupted item, a duplicate, a re-quarantine."""
        entry = self.journal.get(item.sha256)
        known = self.cases.document_case(item.sha256)
        if entry is not None and entry.state is State.QUARANTINED:
            codes = {c.value: c for c in ReasonCode}
            self._quarantine_item(item, codes.get(entry.code or "", ReasonCode.DAMAGED), None, report)
            return True
        interrupted = entry is not None and entry.inbox_name in {None, item.name} and (
            entry.state in {State.INGESTED, State.JUDGED}
            or (entry.state in {State.SEEN, State.PARSING} and known is not False))
        if interrupted:  # ingested before a crash: finish it (the case service already archived it)
            assert entry is not None
            case = entry.case if known is False else known
            self._finish(item, case, entry.kind or Kind.UNKNOWN.value, report)
            self.audit.record("resumed", sha256=item.sha256, case=case)
            return True
        if known is not False or (entry is not None and entry.state is State.DONE):
            case = (entry.case if entry is not None else None) if known is False else known
            with contextlib.suppress(Exception):  # a folder bundle is known to the journal only
                case = self.cases.record_duplicate(item.sha256, safe_name(item.name),
                                                   received_at=self.cases.now())
            self.journal.record_duplicate(item.sha256, case)
            self._remove_from_inbox(item)
            self._discard(item)
            report.duplicates.append({"file": item.name, "sha256": item.sha256, "case": case})
            self.audit.record("duplicate", sha256=item.sha256, case=case)
            return True
        return False

    def _parse_and_ingest(self, items: list[_Item], report: Report) -> None:
        """Read every item in the workers (bundles unpacked, then their members) and ingest each in order.

        Items are ingested main forms first (each group in inbox order), so evidence links to its referral.
        The leading items that hold a main form are ingested as soon as they, and every item before them,
        are read, while the workers go on reading the rest; the others follow once everything is read.
        """
        limits = self.settings.limits
        searchable = self.settings.ocr.searchable_pdf != "off"
        first: list[Outcome | None] = [None] * len(items)
        read_first = [False] * len(items)
        unpacked: dict[int, list[bundle.Member]] = {}
        results: dict[int, dict[str, Outcome | None]] = {}
        member_tasks: list[Task] = []
        member_index: list[tuple[int, bundle.Member]] = []
        unread: collections.Counter[int] = collections.Counter()
        handled: set[int] = set()
        streamed = [0, 0]  # items looked at in order; 1 once the crash step "parsed" has been passed
        failed: list[BaseException] = []

        def is_bundle(n: int) -> bool:
            outcome = first[n]
            return outcome is not None and outcome.ok and outcome.value[0] == "bundle"

        def main_first(n: int) -> int:  # referrals/continuations first, so their evidence links to them
            outcome = first[n]
            if outcome is None or not outcome.ok:
                return 1
            if n in unpacked:
                values = [o.value for o in results.get(n, {}).values() if o is not None and o.ok]
            else:
                values = [outcome.value[1]]
            return 0 if any(isinstance(v, Extraction) and v.kind in MAIN_KINDS for v in values) else 1

        def handle(n: int) -> None:
            if not streamed[1]:
                self._crash("parsed")
                streamed[1] = 1
            handled.add(n)
            self._handle_read(items[n], first[n], unpacked.get(n), results.get(n, {}), report)

        def stream() -> None:
            while not failed and streamed[0] < len(items):
                n = streamed[0]
                if not read_first[n] or (is_bundle(n) and (n not in unpacked or unread[n] > 0)):
                    return
                streamed[0] += 1
                if main_first(n) == 0:
                    try:
                        handle(n)
                    except BaseException as exc:  # noqa: BLE001 - raised once the workers are idle again
                        failed.append(exc)

        def item_read(index: int, outcome: Outcome) -> None:
            first[index], read_first[index] = outcome, True
            stream()

        def member_read(index: int, outcome: Outcome) -> None:
            n, member = member_index[index]
            results.setdefault(n, {})[member.path.name] = outcome
            unread[n] -= 1
            stream()

        first = self.pool.run([Task(reading.read_item, (str(i.source), str(i.workdir), limits, searchable))
                              for i in items],
                              on_done=item_read, should_stop=self.should_stop, apart=True)
        read_first[:] = [True] * len(items)  # None: not started before a stop (left for the next pass)
        if failed:
            raise failed[0]
        # second wave: every member of every bundle, in one go so that all workers are busy
        for n, item in enumerate(items):
            if is_bundle(n):
                members = bundle.members(item.workdir)
                parents = {m.parent for m in members}
                for member in members:
                    if member.error is not None:
                        code = _reason(member.error[0])
                        results.setdefault(n, {})[member.path.name] = Outcome(code=code, message=member.error[1])
                    elif member.path.name not in parents:
                        member_tasks.append(Task(reading.read_member, (str(member.path), limits, searchable)))
                        member_index.append((n, member))
                        unread[n] += 1
                unpacked[n] = members
        stream()
        second = (self.pool.run(member_tasks, on_done=member_read, should_stop=self.should_stop, apart=True)
                  if member_tasks else [])
        if failed:
            raise failed[0]
        for (n, member), outcome in zip(member_index, second, strict=True):
            results.setdefault(n, {})[member.path.name] = outcome
        for n in sorted(range(len(items)), key=main_first):
            if n not in handled:
                handle(n)

    def _handle_read(self, item: _Item, outcome: Outcome | None, members: list[bundle.Member] | None,
                     results: dict[str, Outcome | None], report: Report) -> None:
        """One item after reading: left for the next pass, quarantined, or ingested."""
        if outcome is None or (members is not None and any(o is None for o in results.values())):
            report.left += 1  # shutting down before it was read: the next run takes it
            self._discard(item)
            return
        if not outcome.ok:
            assert outcome.code is not None
            if self._still_arriving(item, outcome):
                report.left += 1  # maybe a copy that paused: look again after the grace period
                self._discard(item)
                return
            message = outcome.message
            if self.grace_seconds > 0 and outcome.code in _GRACE_CODES and not item.is_dir:
                message = (f"{(message or '').rstrip('. ') or 'The file is empty or cut short'} — it did not"
                           f" change for {self.grace_seconds:g} seconds (the grace period, [intake]"
                           " stall_grace_seconds). If it is still being written, it is checked again once it"
                           " changes; otherwise ask the sender to send it again")
            self._quarantine_item(item, outcome.code, message, report)
            return
        try:
            if members is not None:
                self._ingest_bundle(item, members, results, report)
            else:
                self._ingest_document(item, outcome.value[1], report)
        except Exception as exc:  # noqa: BLE001 - one item's failure never stops the others
            report.left += 1
            self.audit.record("ingest-failed", sha256=item.sha256, code=cause_of(exc), level=logging.ERROR)
            log.debug("ingest failed", exc_info=True)
        finally:
            self._discard(item)

    # ---- ingest -----------------------------------------------------------------------------------

    def _ingest_document(self, item: _Item, extraction: Extraction, report: Report) -> None:
        from docgen.cases.service import Incoming

        display = safe_name(item.name)
        incoming = Incoming(extraction=dataclasses.replace(extraction, file=Path(display)), source=item.source,
                            sha256=item.sha256, display_name=display, role="original", parent_sha256=None,
                            bundle=item.sha256)
        self._ingest(item, [incoming], incoming, [], report)

    def _ingest_bundle(self, item: _Item, members: list[bundle.Member], outcomes: dict[str, Outcome | None],
                       report: Report) -> None:
        from docgen.cases.service import Incoming

        shas = {m.path.name: _hash_file(m.path) for m in members}
        parents = {m.parent for m in members if m.parent}
        bodies = {m.parent: m for m in members if m.body}
        container_sha: dict[str | None, str | None] = {None: None if item.is_dir else item.sha256}
        container_sha.update({name: shas[name] for name in parents})
        incomings: list[Incoming] = []
        docs: list[dict[str, Any]] = []
        taken: set[str] = set()

        def extraction_of(key: str | None, display: str) -> Extraction:
            body = bodies.get(key)
            result = outcomes.get(body.path.name) if body is not None else None
            if result is not None and result.ok and isinstance(result.value, Extraction):
                # the body's reading stands for its email or zip, but the mark is the container's own
                return dataclasses.replace(result.value, file=Path(display), marked=None)
            return Extraction(file=Path(display), kind=Kind.UNKNOWN, method=Method.EMAIL,
                              reason="a bundle (email or zip) with no readable body")

        if not item.is_dir:
            display = safe_name(item.name)
            main = Incoming(extraction=extraction_of(None, display), source=item.source, sha256=item.sha256,
                            display_name=display, role="original", parent_sha256=None, bundle=item.sha256)
            incomings.append(main)
            taken.add(item.sha256)
        for member in members:
            sha = shas[member.path.name]
            if member.body or sha in taken:
                continue
            parent_sha = container_sha.get(member.parent)
            if member.path.name in parents:
                extraction = extraction_of(member.path.name, member.display_name)
            else:
                outcome = outcomes.get(member.path.name)
                assert outcome is not None
                if not outcome.ok:
                    assert outcome.code is not None
                    # the sender's name for it, never our work name (`006-ihcp-locked.pdf`)
                    message = (outcome.message or "").replace(member.path.name, member.display_name) or None
                    _name, line = quarantine(member.path, outcome.code, message,
                                             quarantine_dir=self.settings.quarantine,
                                             display_name=member.display_name, sha256=sha)
                    report.quarantined.append({"file": member.display_name, "sha256": sha, "reason": line,
                                               "from": item.name})
                    self.audit.record("quarantined", sha256=sha, code=outcome.code.value)
                    continue
                extraction = dataclasses.replace(outcome.value, file=Path(member.display_name))
            taken.add(sha)
            incomings.append(Incoming(extraction=extraction, source=member.path, sha256=sha,
                                      display_name=member.display_name,
                                      role="attachment" if parent_sha else "original",
                                      parent_sha256=parent_sha, bundle=item.sha256,
                                      private=True))  # the unpacker's own copy in the item's work folder
            docs.append({"file": member.display_name, "sha256": sha, "kind": extraction.kind.value})
        if not incomings:  # a folder whose every file was quarantined
            self._remove_from_inbox(item)
            self.journal.mark(item.sha256, State.DONE)
            return
        main = next((i for k in MAIN_KINDS for i in incomings if i.extraction.kind is k),
                    next((i for i in incomings if i.extraction.kind is not Kind.UNKNOWN), incomings[0]))
        self._ingest(item, incomings, main, docs, report)

    def _ingest(self, item: _Item, incomings: list[Incoming], main: Incoming, docs: list[dict[str, Any]],
                report: Report) -> None:
        incomings = [dataclasses.replace(i, origin=item.origin) for i in incomings]  # attachments: their bundle's
        results = self.cases.ingest(incomings, received_at=self.cases.now())
        self._crash("ingested")
        by_sha = {r.sha256: r for r in results}
        case = by_sha[main.sha256].case
        kind = main.extraction.kind.value
        for doc in docs:
            doc["case"] = by_sha[doc["sha256"]].case if doc["sha256"] in by_sha else None
        self.audit.record("ingested", sha256=item.sha256, case=case, kind=kind, members=len(incomings))
        own = all(by_sha[i.sha256].own for i in incomings)  # docgen's letters saved back: recorded, not judged
        entry: dict[str, Any] = {"file": item.name, "sha256": item.sha256, "case": case, "kind": kind,
                                 "outcome": OWN_OUTPUT if own else "review" if case is None else "received"}
        if docs:
            entry["documents"] = docs
        report.processed.append(entry)
        self._finish(item, None if own else case, kind, None)

    def _finish(self, item: _Item, case: str | None, kind: str, report: Report | None) -> None:
        """After ingest: journal it, then take it out of the inbox (unmatched items are done now)."""
        self.journal.mark(item.sha256, State.INGESTED if case else State.DONE, kind=kind, case=case)
        self._crash("marked")
        self._remove_from_inbox(item)
        self._crash("removed")
        if report is not None:
            report.processed.append({"file": item.name, "sha256": item.sha256, "case": case, "kind": kind,
                                     "outcome": "review" if case is None else "received"})
        self._discard(item)

    # ---- judging ----------------------------------------------------------------------------------

    def judge_due(self, *, settle_seconds: float, report: Report | None = None) -> dict[str, str]:
        """Judge every case whose documents have settled; returns case → outcome."""
        outcomes: dict[str, str] = {}
        now = time.monotonic()
        due = [case for case in self.cases.cases_to_judge(now=self.cases.now(), settle_seconds=settle_seconds)
               if self._judge_retry.get(case, (0, 0.0))[1] <= now]
        if not due:
            return outcomes
        # cases are judged in the workers, so that letters render on every core; each case is its own
        # transaction in the case service, and letters are planned there once (safe across processes)
        timeout = max(600.0, 4 * self.settings.pdf_timeout_seconds)
        tasks = [Task(reading.judge_case, (self.settings, self.today, case, self.crash_at), timeout=timeout)
                 for case in due]

        def judged(index: int, outcome: Outcome) -> None:
            case = due[index]
            failed = not outcome.ok or outcome.value[0] == JUDGE_FAILED
            if failed:  # tried again later, backing off; `docgen status` says why in words
                failures = self._judge_retry.get(case, (0, 0.0))[0] + 1
                self._judge_retry[case] = (failures, time.monotonic() + min(300.0, 5.0 * 2 ** failures))
                if report is not None:
                    report.judge_failed += 1
                message = outcome.message
                if outcome.ok:
                    code = str(outcome.value[1])
                    message = str(outcome.value[2]) if len(outcome.value) > 2 else None
                else:
                    code = "timed-out" if outcome.code is ReasonCode.TIMED_OUT else "error"
                if report is not None:
                    report.judge_errors.append(f"{case}: {message or CAUSES.get(code, 'could not be checked')}")
                self.audit.record("judge-failed", case=case, code=code, level=logging.ERROR, count=failures)
                return
            self._judge_retry.pop(case, None)
            self._crash("judged")
            self.journal.mark_case_judged(case)
            outcomes[case] = outcome.value[0]
            self.audit.record("judged", case=case, outcome=outcome.value[0], letters=outcome.value[1])

        self.pool.run(tasks, on_done=judged, should_stop=self.should_stop)
        if report is not None:
            self._refresh(report, outcomes)
        return outcomes

    def _refresh(self, report: Report, outcomes: dict[str, str]) -> None:
        """Fill in each processed item's case (evidence may have been linked after it arrived) and outcome."""
        for entry in report.processed:
            for doc in entry.get("documents", []):
                known = self.cases.document_case(doc["sha256"])
                doc["case"] = doc["case"] if known is False else known
            known = self.cases.document_case(entry["sha256"])
            if known is False and entry.get("documents"):
                cases = [d["case"] for d in entry["documents"] if d["case"]]
                known = cases[0] if cases else None
            entry["case"] = entry["case"] if known is False else known
            if entry["outcome"] == OWN_OUTPUT:
                continue  # docgen's own letter: never judged, so no case outcome is its outcome
            if entry["case"] is None:
                entry["outcome"] = "review"
            elif entry["case"] in outcomes:
                entry["outcome"] = outcomes[entry["case"]]

    # ---- exits ------------------------------------------------------------------------------------

    def _still_arriving(self, item: _Item, outcome: Outcome) -> bool:
        """A cut-short or empty file written moments ago may still be arriving (the watcher waits)."""
        if self.grace_seconds <= 0 or item.is_dir or outcome.code not in _GRACE_CODES:
            return False
        try:
            age = time.time() - item.path.lstat().st_mtime
        except FileNotFoundError:
            return False
        return age < self.grace_seconds

    def _quarantine_item(self, item: _Item, code: ReasonCode, message: str | None, report: Report) -> None:
        # move the inbox entry itself: one atomic rename takes it out of the inbox and into quarantine
        source = item.path
        if not item.is_dir and not self._unchanged(item):
            source = item.source  # replaced or deleted meanwhile: quarantine the bytes that were read
        name, line = quarantine(source, code, message, quarantine_dir=self.settings.quarantine,
                                display_name=item.name)
        self._crash("quarantined")
        self.journal.mark(item.sha256, State.QUARANTINED, code=code.value, quarantine_name=name)
        self._discard(item)
        report.quarantined.append({"file": item.name, "sha256": item.sha256, "reason": line})
        self.audit.record("quarantined", sha256=item.sha256, code=code.value)

    def _quarantine_path(self, path: Path, name: str, sha: str | None, code: ReasonCode, message: str,
                         report: Report) -> None:
        try:
            _, line = quarantine(path, code, message, quarantine_dir=self.settings.quarantine, display_name=name)
        except FileNotFoundError:
            report.vanished += 1
            self.audit.record("vanished")
            return
        report.quarantined.append({"file": name, "sha256": sha, "reason": line})
        self.audit.record("quarantined", sha256=sha, code=code.value)

    def _remove_from_inbox(self, item: _Item) -> None:
        """Delete the inbox entry only if it is still the bytes that were taken (a new version stays)."""
        if item.is_dir:
            for file, ident in item.files:
                with contextlib.suppress(OSError):
                    if _identity(file.lstat()) == ident:
                        file.unlink()
            for dirpath, _dirs, _files in sorted(os.walk(item.path), key=lambda t: -len(t[0])):
                with contextlib.suppress(OSError):
                    Path(dirpath).rmdir()
            return
        if self._unchanged(item):
            with contextlib.suppress(FileNotFoundError):
                item.path.unlink()

    @staticmethod
    def _unchanged(item: _Item) -> bool:
        try:
            return bool(_identity(item.path.lstat()) == item.identity)
        except FileNotFoundError:
            return False

    def _discard(self, item: _Item) -> None:
        shutil.rmtree(item.workdir, ignore_errors=True)
