"""The audit log: append-only JSON lines in `state_dir/audit.jsonl`, one per intake event.

Events name files by SHA-256 and cases by reference only — never a file name, pupil name, date of
birth, diagnosis or email subject. The same line goes to the `docgen.intake` logger (stderr/journald).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path
from typing import Any

from docgen.db import private_dir

log = logging.getLogger("docgen.intake")

AUDIT_FILE = "audit.jsonl"
# "user": a member of staff's sign-in name on the desk (staff names are not the children's data);
# "action": what they did; "key": a form field's key (never its value)
_SAFE_EXTRA = frozenset({"kind", "outcome", "count", "state", "members", "pid", "letters", "mode", "step",
                         "uid", "uidvalidity", "folder",
                         "actor", "action", "key", "role"})  # actor: a staff member's name (SPEC §14), never a child's


class Audit:
    """Append intake events to the audit log and to the logger."""

    def __init__(self, state_dir: Path) -> None:
        self.path = private_dir(state_dir) / AUDIT_FILE

    def record(self, event: str, *, sha256: str | None = None, case: str | None = None,
               code: str | None = None, level: int = logging.INFO, **extra: Any) -> None:
        """Write one event; `extra` keys must be in the safe list (counts, kinds, states)."""
        entry: dict[str, Any] = {"event": event, "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        if sha256:
            entry["sha256"] = sha256
        if case:
            entry["case"] = case
        if code:
            entry["code"] = code
        for key, value in extra.items():
            if key not in _SAFE_EXTRA:
                raise ValueError(f"audit field {key!r} is not in the safe list")
            entry[key] = value
        if level >= logging.WARNING:
            entry["level"] = logging.getLevelName(level).lower()
        line = json.dumps(entry, ensure_ascii=False, default=str)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
            finally:
                os.close(fd)
        except OSError as exc:  # the audit log must never stop intake; say so on stderr
            log.error("audit log cannot be written (%s)", exc.strerror)
        log.log(level, "%s", line)

    def last_error(self) -> dict[str, Any] | None:
        """The most recent warning/error event, for `docgen status`."""
        return last_error(self.path)


def last_error(path: Path, *, tail_bytes: int = 256_000) -> dict[str, Any] | None:
    """Scan the end of an audit log for the latest event with a warning or error level."""
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - tail_bytes))
            lines = fh.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("level") in {"warning", "error", "critical"}:
            return entry
    return None


def configure_logging(*, level: int = logging.INFO) -> None:
    """Send `docgen.*` log lines to stderr once, plainly.

    Under systemd (stderr is the journal's stream, SPEC §13) each line starts with its syslog
    priority (`<4>`) and carries no timestamp of its own — the journal adds one and files the level;
    on a terminal or in a file the line reads `2026-03-02 09:00:01 WARNING message`.
    """
    root = logging.getLogger("docgen")
    root.setLevel(level)
    if any(getattr(h, "_docgen", False) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JournalFormatter() if under_journal() else
                         logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S"))
    handler._docgen = True  # type: ignore[attr-defined]
    root.addHandler(handler)


def under_journal() -> bool:
    """True when stderr is connected to systemd's journal (JOURNAL_STREAM names its device:inode)."""
    stream = os.environ.get("JOURNAL_STREAM", "")
    device, _, inode = stream.partition(":")
    if not (device.isdigit() and inode.isdigit()):
        return False
    try:
        st = os.fstat(2)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) == (int(device), int(inode))


_PRIORITY = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6, logging.DEBUG: 7}


class JournalFormatter(logging.Formatter):
    """`<N>message`: the syslog priority as a prefix the journal understands, no own timestamp."""

    def format(self, record: logging.LogRecord) -> str:
        priority = next((p for lvl, p in _PRIORITY.items() if record.levelno >= lvl), 7)
        lines = super().format(record).splitlines() or [""]
        return "\n".join(f"<{priority}>{line}" for line in lines)
