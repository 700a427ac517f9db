"""One daemon per home: an exclusive lock on `state_dir/docgen.lock`, holding the pid and start time.

The lock is `filelock`'s (flock on Linux, msvcrt on Windows): the kernel drops it with the process,
so a killed daemon never leaves a lock that blocks the next start — its leftover pid and time in
the file are ignored because nobody holds the lock. The file's content is ours: who holds it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from filelock import BaseFileLock, FileLock, Timeout

from docgen.db import private_dir
from docgen.errors import IntakeError

LOCK_FILE = "docgen.lock"

@dataclass(frozen=True)
class Holder:
    """Who holds the lock: the process id, since when, and in which mode (process/watch)."""

    pid: int
    since: str
    mode: str


class HomeLock:
    """Hold the home's intake lock for the life of a `process` or `watch` run."""

    def __init__(self, state_dir: Path, mode: str) -> None:
        self.path = private_dir(state_dir) / LOCK_FILE
        self.mode = mode
        self._lock: BaseFileLock | None = None

    def acquire(self) -> HomeLock:
        lock = FileLock(self.path, timeout=0, mode=0o600, thread_local=False, fallback_to_soft=False)
        try:
            lock.acquire()
        except Timeout:
            holder = read_holder(self.path)
            who = f" (pid {holder.pid}, {holder.mode} since {holder.since})" if holder else ""
            raise IntakeError(
                f"another docgen is already processing this home{who}; stop it first "
                "(`docgen status` shows it) — only one may run at a time"
            ) from None
        info = {"pid": os.getpid(), "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "mode": self.mode}
        _write(self.path, json.dumps(info).encode())
        self._lock = lock
        return self

    def release(self) -> None:
        if self._lock is not None:
            _write(self.path, b"")
            self._lock.release()
            self._lock = None

    def __enter__(self) -> HomeLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _write(path: Path, data: bytes) -> None:
    """Replace the lock file's content in place (the lock is on the file, so it is never renamed)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)
        os.fsync(fd)
    finally:
        os.close(fd)


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in a lock file, or None when the lock is free."""
    if not path.exists():
        return None
    probe = FileLock(path, timeout=0, thread_local=False, fallback_to_soft=False)
    try:
        probe.acquire()
    except Timeout:
        pass  # held: read who holds it
    else:
        probe.release()  # nobody holds it: any content is a leftover of a killed run
        return None
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    return Holder(pid=int(data.get("pid", 0)), since=str(data.get("since", "")), mode=str(data.get("mode", "")))


def holder(state_dir: Path) -> Holder | None:
    """Who is processing this home right now, if anyone."""
    return read_holder(state_dir / LOCK_FILE)
