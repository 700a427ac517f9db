"""The inbox folder as a source (SPEC §7): decide "this inbox item is complete", and hand it to the pipeline.

An item is complete when its size and mtime (a folder: every file in it) have not changed for
`file_stable_seconds` and it opens. File-system events (watchdog) are hints only: they wake the daemon
early; a full rescan runs every `rescan_seconds` anyway (and every second or so with `--polling`), so a
lost event, a queue overflow or a share that sends none never loses a file. `docgen process` lists the
folder once with the same scanner, counting each entry's window from its last change (ctime).
Each complete entry reaches `Pipeline.take` as an `Arrival` whose origin is `inbox:<name>`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import IntakeError
from docgen.intake.arrival import Arrival, inbox_origin
from docgen.intake.pipeline import Pipeline, Report
from docgen.intake.problems import InboxUnavailable
from docgen.intake.quarantine import changed_since_quarantined, release
from docgen.read.names import is_ignored

log = logging.getLogger("docgen.intake")

MAX_FOLDER_ENTRIES = 5000
MAX_BACKOFF = 300.0

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


HOLD_SECONDS = 120.0  # the longest an untaken, unfailed inbox entry holds judging back


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
        """True while an entry not yet taken changed less than `within` seconds ago, or is waiting its turn.

        An entry that has been still for longer (a backlog, a machine too busy to take it yet) still holds
        the cases back for up to HOLD_SECONDS: its child's case is not judged while the file lies unread in
        the inbox. One backing off after a failure (locked, unreadable) holds nothing.
        """
        now = self.clock()
        return any(now - w.since < within or (w.failures == 0 and now - w.since < max(within, HOLD_SECONDS))
                   for w in self._watched.values())

    @property
    def pending(self) -> int:
        """Entries seen but not yet taken."""
        return len(self._watched)


class _Nudge:
    """A watchdog handler that only wakes the loop; it can never raise into the observer thread."""

    def __init__(self, wake: Callable[[], None]) -> None:
        self.wake = wake

    def dispatch(self, event: object) -> None:
        with contextlib.suppress(Exception):
            self.wake()


def default_observer(inbox: Path, handler: Any) -> Any:
    """Start a native (inotify/FSEvents/ReadDirectoryChanges) watchdog observer on the inbox."""
    from watchdog.observers import Observer

    observer = Observer()
    observer.schedule(handler, str(inbox), recursive=True)
    observer.start()
    return observer


ObserverFactory = Callable[[Path, Any], Any]


class FolderSource:
    """The inbox folder, run by the daemon like any other source: `start`, `poll` each pass, `stop`."""

    def __init__(self, pipeline: Pipeline, *, settle_seconds: float, polling: bool = False,
                 clock: Clock = time.monotonic, observer_factory: ObserverFactory | None = default_observer) -> None:
        settings = pipeline.settings
        self.pipeline = pipeline
        self.audit = pipeline.audit
        self.inbox = settings.inbox
        self.polling = polling
        self.rescan_seconds = settings.rescan_seconds
        self.poll_seconds = max(0.05, min(0.5, settings.file_stable_seconds / 2))
        # a folder of attachments saved one by one is complete only once it has been still for the settle period
        self.scanner = Scanner(settings.inbox, settings.file_stable_seconds, clock=clock,
                               folder_stable_seconds=settle_seconds)
        self.settle_seconds = settle_seconds
        self.observer_factory = observer_factory
        self._observer: Any = None
        self._wake: Callable[[], None] = lambda: None

    # ---- Source -----------------------------------------------------------------------------------

    def start(self, wake: Callable[[], None]) -> None:
        """Start the file-system observer (it only calls `wake`); without events the folder is polled."""
        self._wake = wake
        self._start_observer()

    def poll(self) -> Report:
        """Put back quarantined files finished since, list the folder, and take every complete entry."""
        report = Report()
        self._check_observer()
        self._recheck_quarantine()
        try:
            ready = self.scanner.scan()
        except OSError as exc:
            raise InboxUnavailable(exc.errno, "the inbox cannot be listed") from exc
        if ready:
            self.pipeline.take([Arrival(path, inbox_origin(path.name)) for path in ready], report)
            for path in ready:
                if os.path.lexists(path):  # left for later (a transient error, shutting down): back off
                    self.scanner.defer(path)
        return report

    def seconds_until_due(self) -> float:
        """Soon while entries are waiting out their window; else the next rescan (about a second when polling)."""
        if self.scanner.pending:
            return self.poll_seconds
        return min(self.rescan_seconds, 1.0) if self.polling else self.rescan_seconds

    def arriving(self) -> bool:
        """True while an entry seen (or changed) within the settle period is not yet taken: cases wait for it."""
        return self.scanner.arriving(max(self.settle_seconds, self.scanner.stable_seconds))

    def stop(self) -> None:
        self._stop_observer()

    # ---- the observer -----------------------------------------------------------------------------

    def _start_observer(self) -> None:
        if self.polling or self.observer_factory is None:
            return
        try:
            self._observer = self.observer_factory(self.inbox, _Nudge(self._wake))
        except Exception as exc:  # noqa: BLE001 - e.g. ENOSPC: inotify watch limit reached
            self._observer = None
            self.polling = True
            code = f"errno-{exc.errno}" if isinstance(exc, OSError) and exc.errno else type(exc).__name__
            self.audit.record("observer-failed", code=code, level=logging.WARNING, mode="polling")
            log.warning("file-system events are unavailable; polling the inbox every %.1f s instead",
                        self.seconds_until_due())

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


def complete_once(inbox: Path, stable_seconds: float, stop: threading.Event) -> tuple[list[Arrival], int]:
    """`docgen process`: the inbox's complete entries (each window counted from its last change) and how
    many entries are left still changing; items still changing get a few more windows."""
    scanner = Scanner(inbox, stable_seconds, trust_change_time=True)
    ready: list[Path] = scanner.scan()
    give_up = time.monotonic() + 5 * stable_seconds
    while len(ready) < scanner.pending and time.monotonic() < give_up:
        if stop.wait(min(stable_seconds, max(0.05, scanner.due_in()))):
            break
        taken = {p.name for p in ready}
        ready += [p for p in scanner.scan() if p.name not in taken]
    left = max(0, len([e for e in os.scandir(inbox) if not is_ignored(e.name)]) - len(ready))
    return [Arrival(path, inbox_origin(path.name)) for path in ready], left
