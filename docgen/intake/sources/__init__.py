"""Sources of intake items (SPEC §7, §15): where documents come from, before the pipeline.

Two sources, run alike by the daemon (`intake/watch.py` `Daemon(pipeline, audit, [folder, mail])`):
the inbox folder (`folder.py` `FolderSource`: watchdog events and rescans → complete entries) and,
when `[mail]` is set, the mailbox (`imap.py` + `mail_watch.py` `MailSource`: IMAP passes, IDLE).
Each brings its items to the same `Pipeline.take` as `Arrival`s (`intake/arrival.py`) carrying their
origin — `inbox:<name>` or the message's IMAP URL — which is recorded with every document filed
(`documents.origin`), so the pipeline does not care where a file came from, and a person can still
tell. `docgen process` lists the folder once through `folder.complete_once`. How to add a source:
docs/ARCHITECTURE.md, "Adding to the house".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Source(Protocol):
    """A source of intake items, run by the daemon loop."""

    def start(self, wake: Callable[[], None]) -> None:
        """Begin watching; call `wake()` (from any thread) when new items may be there."""

    def poll(self) -> object | None:
        """Bring any due items through the pipeline now; return a report, or None when nothing was due."""

    def seconds_until_due(self) -> float:
        """How long the daemon may sleep before this source wants `poll()` again."""

    def arriving(self) -> bool:
        """True while an item seen recently is not yet taken: the daemon waits before judging cases."""

    def stop(self) -> None:
        """Stop watching; return promptly."""
