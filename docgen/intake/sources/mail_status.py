"""What `docgen status` says about the mailbox: the last pass's result, kept in `state_dir/mailbox.json`.

Written after every pass and every retry by whichever process read the mailbox (`docgen mail fetch`
or `docgen watch`), so that an officer sees "the server refused the login" without reading logs.
Holds no personal data: times, counts and the one-line problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

from docgen.files import write_atomic

STATUS_FILE = "mailbox.json"


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class MailStatus:
    """Read and write the mailbox status file."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / STATUS_FILE

    def read(self) -> dict[str, Any] | None:
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
        return None

    def _write(self, data: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            write_atomic(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def ok(self, *, fetched: int, failed: int) -> None:
        self._write({"ok": True, "checked_at": _now(), "last_success": _now(), "problem": None,
                     "fetched": fetched, "failed": failed})

    def failed(self, problem: str, *, retrying: bool = False) -> None:
        previous = self.read() or {}
        self._write({"ok": False, "checked_at": _now(), "last_success": previous.get("last_success"),
                     "problem": problem, "retrying": retrying,
                     "since": previous.get("since") if previous.get("ok") is False else _now()})

    def summary(self) -> str:
        """One line for `docgen status`."""
        data = self.read()
        if data is None:
            return "not read yet (run `docgen mail fetch` or `docgen watch`)"
        if data.get("ok"):
            return f"ok, last read {data.get('checked_at')}"
        since = data.get("since") or data.get("checked_at")
        return f"PROBLEM since {since}: {data.get('problem')}"
