"""The mailbox inside `docgen watch`: a pass every `poll_seconds`, sooner when IMAP IDLE says mail arrived.

The passes run on the daemon's own thread (they use its pipeline and database connection). A small
thread holds a second connection in IDLE, where the server offers it, and only wakes the daemon:
it never touches the database. IDLE waits one second at a time so that SIGTERM is honoured within
seconds; it is re-issued before the 29 minutes RFC 2177 allows. A pass that fails (server down,
login refused) is retried with growing back-off, and `docgen status` shows the problem meanwhile; the
IDLE thread connects only after a pass has succeeded, so a refused login is never hammered.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

from docgen.errors import MailError
from docgen.intake.sources.imap import MailIntake, MailReport
from docgen.intake.sources.mailbox import Mailbox

log = logging.getLogger("docgen.intake")

IDLE_STEP = 1.0  # seconds per IDLE poll: the longest a stop request waits
IDLE_RENEW = 25 * 60.0
MAX_BACKOFF = 300.0

Clock = Callable[[], float]


class MailSource:
    """Polls the mailbox from the daemon loop: `start`, then `poll` each pass, `stop` at the end."""

    def __init__(self, intake: MailIntake, *, clock: Clock = time.monotonic) -> None:
        self.intake = intake
        self.mail = intake.mail
        self.clock = clock
        self.next_at = 0.0  # the first pass runs at once
        self.failures = 0
        self.idle = False  # True while the IDLE thread holds a connection that offers IDLE
        self._stop = threading.Event()
        self._healthy = threading.Event()  # set after a pass succeeded: IDLE never repeats a refused login
        self._thread: threading.Thread | None = None

    def start(self, wake: Callable[[], None]) -> None:
        """Start the IDLE thread (it calls `wake` when new mail arrives)."""
        self._thread = threading.Thread(target=self._idle_loop, args=(wake,), name="docgen-mail-idle",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * IDLE_STEP + 1)

    def seconds_until_due(self) -> float:
        return max(0.0, self.next_at - self.clock())

    def arriving(self) -> bool:
        """Never: a pass takes every message it fetched before it returns."""
        return False

    def poll(self) -> MailReport | None:
        """Run a pass when one is due; a failure is logged in one line and retried later, backing off."""
        if self.clock() < self.next_at or self._stop.is_set():
            return None
        report = MailReport()
        try:
            self.intake.run_pass(report, judge=False)
        except MailError as exc:
            self._healthy.clear()
            self.failures += 1
            wait = min(MAX_BACKOFF, self.mail.poll_seconds * 2 ** min(self.failures - 1, 8))
            self.next_at = self.clock() + wait
            log.error("docgen: mailbox: %s (trying again in %.0f s)", exc.message, wait)
            return report
        self.failures = 0
        self._healthy.set()
        self.next_at = self.clock() + self.mail.poll_seconds
        return report

    def arrived(self) -> None:
        """New mail announced: the next loop runs a pass at once."""
        self.next_at = 0.0

    # ---- the IDLE thread --------------------------------------------------------------------------

    def _idle_loop(self, wake: Callable[[], None]) -> None:
        backoff = 1.0
        while not self._stop.is_set():
            if not self._healthy.is_set():  # the passes report the problem and back off; wait for them
                self._stop.wait(IDLE_STEP)
                continue
            try:
                with Mailbox.connect(self.mail) as mailbox:
                    if not mailbox.idle_supported:
                        return  # the server has no IDLE: the poll every poll_seconds is all there is
                    mailbox.select(self.mail.folder, readonly=True)
                    backoff = 1.0
                    self.idle = True
                    while not self._stop.is_set():
                        if self._idle_once(mailbox):
                            self.arrived()
                            wake()
            except Exception:  # noqa: BLE001 - the daemon's passes report mailbox problems; here we only wait
                log.debug("mailbox IDLE connection failed", exc_info=True)
            self.idle = False
            self._stop.wait(backoff)
            backoff = min(MAX_BACKOFF, backoff * 2)

    def _idle_once(self, mailbox: Mailbox) -> bool:
        """One IDLE command: True when the server announced new messages (EXISTS)."""
        idle = mailbox.box.idle
        idle.start()
        arrived = False
        try:
            started = self.clock()
            while not self._stop.is_set() and self.clock() - started < IDLE_RENEW:
                responses = idle.poll(timeout=IDLE_STEP)
                if any(r.rstrip().upper().endswith(b"EXISTS") for r in responses):
                    arrived = True
                    break
        finally:
            with contextlib.suppress(Exception):
                idle.stop()
        return arrived
