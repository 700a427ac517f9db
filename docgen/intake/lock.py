"""One daemon per home: an exclusive lock on `state_dir/docgen.lock`, holding the pid and start time."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from docgen.db import private_dir
from docgen.errors import IntakeError

LOCK_FILE = "docgen.lock"

if sys.platform == "win32":  # pragma: no cover - a portable fallback
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


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
        self._fd: int | None = None

    def acquire(self) -> HomeLock:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            holder = read_holder(self.path)
            who = f" (pid {holder.pid}, {holder.mode} since {holder.since})" if holder else ""
            raise IntakeError(
                f"another docgen is already processing this home{who}; stop it first "
                "(`docgen status` shows it) — only one may run at a time"
            )
        info = {"pid": os.getpid(), "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                "mode": self.mode}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        os.fsync(fd)
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing releases the flock
            self._fd = None

    def __enter__(self) -> HomeLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def read_holder(path: Path) -> Holder | None:
    """The holder recorded in a lock file, or None when the lock is free."""
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDWR)
    try:
        if _try_lock(fd):  # nobody holds it: any content is a leftover of a killed run
            return None
        data: Any = json.loads(os.read(fd, 4096).decode() or "null")
    except ValueError:
        return None
    finally:
        os.close(fd)  # also releases our probe lock
    if not isinstance(data, dict):
        return None
    return Holder(pid=int(data.get("pid", 0)), since=str(data.get("since", "")), mode=str(data.get("mode", "")))


def holder(state_dir: Path) -> Holder | None:
    """Who is processing this home right now, if anyone."""
    return read_holder(state_dir / LOCK_FILE)
