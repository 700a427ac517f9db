"""The watcher: decide "this inbox item is complete", and the daemon loop around the pipeline.

An item is complete when its size and mtime (a folder: every file in it) have not changed for
`file_stable_seconds` and it opens. File-system events are hints only: they wake the loop early;
a full rescan runs every `rescan_seconds` anyway (and every second or so with `--polling`), so a
lost event, a queue overflow or a share that sends none never loses a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import IntakeError
from docgen.intake.audit import Audit
from docgen.intake.journal import State
from docgen.intake.pipeline import Pipeline, Report
from docgen.intake.problems import Backoff, InboxUnavailable, cause_of
from docgen.intake.quarantine import changed_since_quarantined, release
from docgen.intake.sources import Source
from docgen.read.names import is_ignored

log = logging.getLogger("docgen.intake")

MAX_FOLDER_ENTRIES = 5000
MAX_BACKOFF = 300.0
MAX_LOOP_BACKOFF = 60.0

Clock = Callable[[], float]


def signature(path: Path) -> Any:
    """What must stay the same for an entry to count as stable (None when it is gone)."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return (stat.S_IFMT(st.st_mode), st.st_size, st.st_mtime_ns, st.st_ino)
    parts: list[tuple[str, int, int]] = []
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        for name in dirnames + filenames:
            full = Path(dirpath) / name
            with contextlib.suppress(FileNotFoundError):
                sub = full.lstat()
                parts.append((str(full.relative_to(path)), sub.st_size, sub.st_mtime_ns))
            if len(parts) > MAX_FOLDER_ENTRIES:
                return ("too-many", len(parts))
    return ("dir", tuple(sorted(parts)))


def _still_for(path: Path) -> float:
    """Seconds since the entry (any file or folder in it) last changed, by its ctime; 0 when unsure."""
    newest = 0.0
    try:
        newest = path.lstat().st_ctime
        if path.is_dir() and not path.is_symlink():
            for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
                for name in dirnames + filenames:
                    newest = max(newest, (Path(dirpath) / name).lstat().st_ctime)
    except OSError:
        return 0.0
    return max(0.0, time.time() - newest)


def opens(path: Path) -> bool:
    """True when a regular file (every file of a folder) can be opened for reading right now."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(st.st_mode):
        for dirpath, _dirs, filenames in os.walk(path, followlinks=False):
            for name in filenames:
                if not is_ignored(name) and not opens(Path(dirpath) / name):
                    return False
        return True
    if not stat.S_ISREG(st.st_mode):
        return True  # links and special files are never opened; the pipeline rejects them
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False  # locked by the writer (Windows shares) or gone
    os.close(fd)
    return True


@dataclass
class _Watch:
    signature: Any
    since: float
    retry_at: float = 0.0
    failures: int = 0


class Scanner:
    """Track inbox entries between scans and report those that have become complete."""

    def __init__(self, inbox: Path, stable_seconds: float, *, clock: Clock = time.monotonic,
                 folder_stable_seconds: float | None = None, trust_change_time: bool = False) -> None:
        self.inbox = inbox
        # `docgen process`: an entry whose every file last changed (ctime: set by the kernel on each write,
        # never copied from the sender like mtime) a full window ago is complete at the first look
        self.trust_change_time = trust_change_time
        self.stable_seconds = stable_seconds
        # attachments saved one by one into a folder: the folder is complete only when all of it has been
        # still for this long (the daemon: the settle period), so it is never taken between two saves
        self.folder_stable_seconds = max(stable_seconds, folder_stable_seconds or 0.0)
        self.clock = clock
        self._watched: dict[str, _Watch] = {}

    def scan(self) -> list[Path]:
        """List the inbox; return the entries stable for the window that open (oldest first)."""
        now = self.clock()
        names = {e.name for e in os.scandir(self.inbox) if not is_ignored(e.name)}
        for gone in set(self._watched) - names:
            del self._watched[gone]
        ready: list[tuple[float, Path]] = []
        for name in sorted(names):
            path = self.inbox / name
            sig = signature(path)
            if sig is None:
                self._watched.pop(name, None)
                continue
            watch = self._watched.get(name)
            window = self.folder_stable_seconds if isinstance(sig, tuple) and sig and sig[0] in {"dir", "too-many"} \
                else self.stable_seconds
            if watch is None and self.trust_change_time:  # the window began at the last change
                watch = self._watched[name] = _Watch(signature=sig, since=now - min(_still_for(path), window))
            if watch is None or watch.signature != sig:
                self._watched[name] = _Watch(signature=sig, since=now)  # new or still changing: start again
                continue
            if now - watch.since >= window and now >= watch.retry_at and opens(path):
                ready.append((watch.since, path))
        return [p for _, p in sorted(ready, key=lambda t: (t[0], t[1].name))]

    def due_in(self) -> float:
        """Seconds until the next watched entry's window ends (a whole window when none is waiting)."""
        now = self.clock()
        ends = [w.since + self.stable_seconds for w in self._watched.values() if w.since + self.stable_seconds > now]
        return min(ends) - now if ends else self.stable_seconds

    def defer(self, path: Path) -> None:
        """An item that could not be finished: try again later, backing off (never given up)."""
        watch = self._watched.get(path.name)
        if watch is not None:
            watch.failures += 1
            watch.retry_at = self.clock() + min(MAX_BACKOFF, 2.0 ** watch.failures)

    def arriving(self, within: float) -> bool:
        """True while an entry first seen (or last changed) less than `within` seconds ago is not yet taken."""
        now = self.clock()
        return any(now - w.since < within for w in self._watched.values())

    @property
    def pending(self) -> int:
        """Entries seen but not yet taken."""
        return len(self._watched)


class _Nudge:
    """A watchdog handler that only wakes the loop; it can never raise into the observer thread."""

    def __init__(self, wake: threading.Event) -> None:
        self.wake = wake

    def dispatch(self, event: object) -> None:
        with contextlib.suppress(Exception):
            self.wake.set()


def default_observer(inbox: Path, handler: Any) -> Any:
    """Start a native (inotify/FSEvents/ReadDirectoryChanges) watchdog observer on the inbox."""
    from watchdog.observers import Observer

    observer = Observer()
    observer.schedule(handler, str(inbox), recursive=True)
    observer.start()
    return observer


class Daemon:
    """Scan → take → judge settled cases → wait for an event or the next rescan; until stopped."""

    def __init__(self, pipeline: Pipeline, audit: Audit, *, polling: bool = False,
                 settle_seconds: float | None = None, clock: Clock = time.monotonic,
                 observer_factory: Callable[[Path, Any], Any] | None = default_observer,
                 today: Callable[[], dt.date] | None = None, sources: Sequence[Source] = ()) -> None:
        settings = pipeline.settings
        self.sources = list(sources)  # further intake sources beside the inbox folder (the mailbox)
        self.pipeline = pipeline
        self.audit = audit
        self.polling = polling
        self.settle_seconds = settings.case_settle_seconds if settle_seconds is None else settle_seconds
        self.rescan_seconds = settings.rescan_seconds
        self.poll_seconds = max(0.05, min(0.5, settings.file_stable_seconds / 2))
        self.scanner = Scanner(settings.inbox, settings.file_stable_seconds, clock=clock,
                               folder_stable_seconds=self.settle_seconds)
        pipeline.grace_seconds = settings.stall_grace_seconds
        self.observer_factory = observer_factory
        self.today = today  # None: the date given with --today stays fixed
        self._observer: Any = None
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.passes = 0
        self.backoff = Backoff(base=1.0, cap=MAX_LOOP_BACKOFF)

    def stop(self) -> None:
        """Ask the loop to finish the current file and return."""
        self._stop.set()
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _start_observer(self) -> None:
        if self.polling or self.observer_factory is None:
            return
        try:
            self._observer = self.observer_factory(self.pipeline.settings.inbox, _Nudge(self._wake))
        except Exception as exc:  # noqa: BLE001 - e.g. ENOSPC: inotify watch limit reached
            self._observer = None
            self.polling = True
            code = f"errno-{exc.errno}" if isinstance(exc, OSError) and exc.errno else type(exc).__name__
            self.audit.record("observer-failed", code=code, level=logging.WARNING, mode="polling")
            log.warning("file-system events are unavailable; polling the inbox every %.1f s instead",
                        self._idle_wait())

    def _check_observer(self) -> None:
        if self._observer is not None and not self._observer.is_alive():
            self.audit.record("observer-stopped", level=logging.WARNING, mode="restart")
            self._stop_observer()
            self._start_observer()

    def _stop_observer(self) -> None:
        if self._observer is not None:
            with contextlib.suppress(Exception):
                self._observer.stop()
                self._observer.join(timeout=2)
            self._observer = None

    def _idle_wait(self) -> float:
        return min(self.rescan_seconds, 1.0) if self.polling else self.rescan_seconds

    def run_once(self) -> Report:
        """One loop body: scan, take what is complete, judge settled cases."""
        report = Report()
        if self.today is not None:
            self.pipeline.set_today(self.today())
        self._recheck_quarantine()
        try:
            ready = self.scanner.scan()
        except OSError as exc:
            raise InboxUnavailable(exc.errno, "the inbox cannot be listed") from exc
        if ready:
            self.pipeline.take(ready, report)
            for path in ready:
                if os.path.lexists(path):
                    self.scanner.defer(path)
        for source in self.sources:
            if not self.stopping:
                source.poll()
        # a case is judged once its documents settled AND nothing new is still arriving: after a restart, files
        # already in the inbox (maybe that child's evidence) are taken before its referral is judged alone
        if not self.stopping and not self.scanner.arriving(max(self.settle_seconds, self.scanner.stable_seconds)):
            self.pipeline.judge_due(settle_seconds=self.settle_seconds)
        self.passes += 1
        return report

    def _recheck_quarantine(self) -> None:
        """A file quarantined as empty or cut short that its writer finished afterwards goes back to the inbox."""
        settings = self.pipeline.settings
        for name in changed_since_quarantined(settings.quarantine, settled=settings.file_stable_seconds):
            try:
                release(name, quarantine_dir=settings.quarantine, inbox=settings.inbox)
            except (OSError, IntakeError):
                continue
            self.pipeline.journal.clear_quarantine(name)
            self.audit.record("rechecked")

    def run(self) -> None:
        """The daemon loop; returns after `stop()` once the current file is finished."""
        self._start_observer()
        for source in self.sources:
            source.start(self._wake.set)
        self.audit.record("watch-started", mode="polling" if self.polling else "events")
        try:
            while not self.stopping:
                try:
                    self._check_observer()
                    self.run_once()
                    busy = bool(self.scanner.pending or self.pipeline.journal.in_state(State.INGESTED))
                    if self.backoff.failures:
                        self.audit.record("loop-recovered", count=self.backoff.failures)
                    self.backoff.reset()
                except Exception as exc:  # noqa: BLE001 - the daemon keeps going through any single fault
                    delay = self.backoff.fail()
                    self.audit.record("loop-error", code=cause_of(exc), level=logging.WARNING, count=self.backoff.failures)
                    log.debug("loop error (%s)", type(exc).__name__, exc_info=True)
                    # wait on stop only: the loop's own work (a hard link in the inbox) wakes the event
                    self._stop.wait(delay)
                    self._wake.clear()
                    continue
                if self.stopping:
                    break
                wait = self.poll_seconds if busy else self._idle_wait()
                wait = min([wait, *(max(0.05, s.seconds_until_due()) for s in self.sources)])
                self._wake.wait(wait)
                self._wake.clear()
                self._stop.wait(0.05)  # let a burst of events coalesce into one scan
        finally:
            for source in self.sources:
                source.stop()
            self._stop_observer()
            self.audit.record("watch-stopped")
