"""Sources of intake items (SPEC §7, §15): where documents come from, before the pipeline.

The inbox folder is the first source, built into the daemon (`intake/watch.py`: events and rescans
→ complete items → `Pipeline.take`). Every further source (the mailbox, `imap.py` + `mail_watch.py`)
implements `Source` and is handed to `Daemon(sources=[...])`; it brings its items to the same
`Pipeline.take`, so the pipeline does not care where a file came from. How to add one:
docs/ARCHITECTURE.md, "Adding a source".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class Source(Protocol):
    """A source the daemon runs beside the inbox folder."""

    def start(self, wake: Callable[[], None]) -> None:
        """Begin watching; call `wake()` (from any thread) when new items may be there."""

    def poll(self) -> object | None:
        """Bring any due items through the pipeline now; return a report, or None when nothing was due."""

    def seconds_until_due(self) -> float:
        """How long the daemon may sleep before this source wants `poll()` again."""

    def stop(self) -> None:
        """Stop watching; return promptly."""
