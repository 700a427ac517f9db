"""Problems in words: what a loop error was caused by, how long to wait before trying again, what to do.

An error is named by a fixed cause code (`disk-full`, `read-only`, `database-locked` …), never by its
message (a message can hold a path, and a path can hold a child's name). `docgen status` turns the
latest problem of the audit log into a sentence an officer can act on.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass

CAUSES: dict[str, str] = {
    "disk-full": "the disk is full (the database, archive or work folder cannot grow); free some space"
                 " — docgen carries on by itself once there is room",
    "read-only": "a folder docgen writes to is read-only or not permitted (the database, archive or work"
                 " folder); check its owner and permissions",
    "database-locked": "another program is holding the database; close it (or stop the other docgen)",
    "disk-error": "the disk reported an input/output error (full, failing, or a share that went away)",
    "database-damaged": "the database file is damaged; stop docgen and restore the database from backup",
    "inbox-unavailable": "the inbox cannot be read (a share that went away?); docgen carries on once it is back",
    "letter-failed": "a letter or the check report could not be made from its template (the case is checked,"
                     " its letters wait); run `docgen templates check` to see which template and why",
    "timed-out": "checking the case took longer than allowed and was stopped",
    "error": "an unexpected error; run with DOCGEN_DEBUG=1 to see the details",
}

EVENTS: dict[str, str] = {
    "loop-error": "the daemon's last pass failed and is tried again, waiting longer each time",
    "judge-failed": "a case's documents were received but could not be checked, so its letters are not made"
                    " yet; docgen tries again by itself, waiting longer each time (up to 5 minutes)",
    "ingest-failed": "a file could not be filed in its case; it stays in the inbox and is tried again",
    "read-failed": "a file in the inbox could not be read; it stays there and is tried again",
    "take-failed": "a file in the inbox could not be taken; it stays there and is tried again",
    "observer-failed": "file-system events are unavailable; the inbox is polled instead",
    "observer-stopped": "the file-system event watcher stopped and was restarted",
}


class InboxUnavailable(OSError):
    """Listing the inbox failed (a share that went away, permissions changed)."""


def cause_of(exc: BaseException) -> str:
    """The cause code of an exception (a fixed word, never its message)."""
    if isinstance(exc, InboxUnavailable):
        return "inbox-unavailable"
    text = str(exc).lower() if isinstance(exc, sqlite3.Error) else ""
    if isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}:
        return "disk-full"
    if isinstance(exc, OSError) and exc.errno in {errno.EROFS, errno.EACCES, errno.EPERM}:
        return "read-only"
    if isinstance(exc, sqlite3.Error):
        if "full" in text or "too big" in text:
            return "disk-full"
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            return "read-only"
        if "disk i/o" in text:
            return "disk-error"
        if "locked" in text or "busy" in text:
            return "database-locked"
        if "malformed" in text or "not a database" in text:
            return "database-damaged"
    code = getattr(exc, "code", None)
    if code == "disk-full":
        return "disk-full"
    return "error"


def explain(event: str | None, cause: str | None) -> str:
    """One sentence for `docgen status`: what the event means and what its cause is."""
    what = EVENTS.get(event or "", f"{event or 'a problem'} was recorded")
    why = CAUSES.get(cause or "", "")
    return f"{what}; cause: {why}" if why else what


@dataclass
class Backoff:
    """Exponential back-off, capped: 0 while all is well, then base, 2·base, 4·base … up to `cap`."""

    base: float = 1.0
    cap: float = 60.0
    failures: int = 0

    @property
    def delay(self) -> float:
        if self.failures == 0:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (self.failures - 1)))

    def fail(self) -> float:
        """Count one more failure; return how long to wait now."""
        self.failures += 1
        return self.delay

    def reset(self) -> None:
        self.failures = 0
