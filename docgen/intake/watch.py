"""The daemon loop around the pipeline: poll every source, judge settled cases, sleep until one is due.

The sources (`intake/sources/`: the inbox folder first, the mailbox when `[mail]` is set) are run alike:
each is started with the loop's wake-up call, polled every pass (it brings its complete items to
`Pipeline.take`), asked how long the loop may sleep, and stopped on the way out. A fault in one pass
is logged and retried with back-off; the loop keeps going.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence

from docgen.intake.audit import Audit
from docgen.intake.journal import State
from docgen.intake.pipeline import Pipeline
from docgen.intake.problems import Backoff, cause_of
from docgen.intake.sources import Source

log = logging.getLogger("docgen.intake")

MAX_LOOP_BACKOFF = 60.0


class Daemon:
    """Poll each source → judge settled cases → wait for a wake-up or the next source due; until stopped."""

    def __init__(self, pipeline: Pipeline, audit: Audit, sources: Sequence[Source], *,
                 settle_seconds: float | None = None, today: Callable[[], dt.date] | None = None) -> None:
        settings = pipeline.settings
        self.sources = list(sources)  # the inbox folder, the mailbox: polled in this order
        self.pipeline = pipeline
        self.audit = audit
        self.settle_seconds = settings.case_settle_seconds if settle_seconds is None else settle_seconds
        self.rescan_seconds = settings.rescan_seconds
        self.poll_seconds = max(0.05, min(0.5, settings.file_stable_seconds / 2))
        pipeline.grace_seconds = settings.stall_grace_seconds
        self.today = today  # None: the date given with --today stays fixed
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

    def run_once(self) -> None:
        """One loop body: poll each source (each takes what is complete), judge settled cases."""
        if self.today is not None:
            self.pipeline.set_today(self.today())
        for source in self.sources:
            if not self.stopping:
                source.poll()
        # a case is judged once its documents settled AND nothing new is still arriving: after a restart, files
        # already in the inbox (maybe that child's evidence) are taken before its referral is judged alone
        if not self.stopping and not any(source.arriving() for source in self.sources):
            self.pipeline.judge_due(settle_seconds=self.settle_seconds)
        self.passes += 1

    def _wait(self) -> float:
        """How long to sleep: until the soonest source is due; soon while cases wait to be judged."""
        waits = [self.rescan_seconds, *(max(0.05, s.seconds_until_due()) for s in self.sources)]
        if self.pipeline.journal.in_state(State.INGESTED):
            waits.append(self.poll_seconds)
        return min(waits)

    def run(self) -> None:
        """The daemon loop; returns after `stop()` once the current file is finished."""
        for source in self.sources:
            source.start(self._wake.set)
        polling = any(getattr(source, "polling", False) for source in self.sources)
        self.audit.record("watch-started", mode="polling" if polling else "events")
        try:
            while not self.stopping:
                try:
                    self.run_once()
                    wait = self._wait()
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
                self._wake.wait(wait)
                self._wake.clear()
                self._stop.wait(0.05)  # let a burst of events coalesce into one scan
        finally:
            for source in self.sources:
                source.stop()
            self.audit.record("watch-stopped")

