"""Isolated parsing: a reusable pool of child processes, each task under wall, CPU and memory limits.

A hostile file can hang, exhaust memory or crash its worker; the pool kills or loses that worker,
reports the task as `timed-out`/`too-large`/`damaged`, starts a fresh worker and carries on.
Results come back as plain data (picklable dataclasses). Workers ignore SIGINT/SIGTERM: the daemon
stops them itself after finishing the current file.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import queue
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from docgen.config import Limits
from docgen.errors import DocgenError, ExtractionError, ReasonCode

log = logging.getLogger("docgen.intake")

STOP_GRACE_SECONDS = 5.0  # on SIGTERM, how long a file being read may take before it is left for later
# the readers, and the judging a worker does (cases, letters): imported once in the parent before the fork,
# not once in each worker (the CLI imports only the command's own module, docgen.cli.base)
_PRELOAD = ["docgen.intake.isolate", "docgen.read.bundle", "docgen.read.sniff", "docgen.read.extract",
            "docgen.cases.service", "docgen.letters.produce"]


@dataclass(frozen=True)
class Task:
    """Call `func` (a module-level function of docgen, passed by reference) with plain data in a worker."""

    func: Callable[..., Any]
    args: tuple[Any, ...] = ()
    timeout: float | None = None  # wall-clock seconds; default Limits.parse_seconds


@dataclass
class Outcome:
    """What a task produced: its value, or the reason code and message of why it failed."""

    value: Any = None
    code: ReasonCode | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.code is None


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    scratch: Path  # the worker's own temp folder (TMPDIR): removed with it, even when it was killed
    task: int | None = None
    deadline: float = 0.0
    tasks_done: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _checked(func: Any) -> Callable[..., Any]:
    """A task runs a function passed by reference; a name (e.g. a dotted string) is refused, never imported."""
    if not callable(func):
        raise TypeError(f"a worker task needs a function, not {type(func).__name__}")
    return func  # type: ignore[no-any-return]


def _set_memory_limit(limits: Limits) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    # on top of what the worker already has mapped: a worker forked from a long-lived process (a daemon whose
    # threads each reserved a malloc arena, a test run) starts with far more address space than it uses, and
    # a cap counted from zero refused every file as "too large" (seen: a whole test suite's process, 1 GB+)
    cap = _mapped_bytes() + limits.parse_memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with contextlib.suppress(ValueError, OSError):
        # the soft limit only: trusted work (judging, LibreOffice) lifts it with `unlimited()`
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))


def _mapped_bytes() -> int:
    """This process's address space now (Linux: /proc/self/statm's first field); 0 where it cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def _set_cpu_limit(seconds: float) -> None:
    try:
        import resource
    except ImportError:  # pragma: no cover
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + 1
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))


@contextlib.contextmanager
def unlimited() -> Iterator[None]:
    """Lift a worker's soft memory and CPU limits for trusted work (our own code, not a parser)."""
    try:
        import resource
    except ImportError:  # pragma: no cover
        yield
        return
    saved = {r: resource.getrlimit(r) for r in (resource.RLIMIT_AS, resource.RLIMIT_CPU)}
    for r, (_soft, hard) in saved.items():
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(r, (hard, hard))
    try:
        yield
    finally:
        for r, limits in saved.items():
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(r, limits)


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


TOO_LARGE_UNPACKED = ("Refused: too large when unpacked — its compressed content expands beyond the memory"
                      " allowed for reading one file (a decompression bomb, or a very large scan)")


def _caused_by(exc: BaseException, kind: type[BaseException], depth: int = 0) -> bool:
    """True when `kind` is behind `exc`: its cause, its context, or an exception among its arguments."""
    if isinstance(exc, kind):
        return True
    if depth > 8:
        return False
    linked = [e for e in (exc.__cause__, exc.__context__, *exc.args) if isinstance(e, BaseException)]
    return any(_caused_by(e, kind, depth + 1) for e in linked)


def _worker_main(conn: Connection, limits: Limits, scratch: str) -> None:
    """A worker's loop: receive a Task, run it under the CPU limit, send back an Outcome.

    Every temp file the worker and the programs it runs (Tesseract, Ghostscript) make goes under
    `scratch`, which the pool removes when it retires the worker — a worker killed mid-file leaves no
    page image of a child's document in the system's temp folder.
    """
    os.environ["TMPDIR"] = scratch
    tempfile.tempdir = scratch
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent()
    _set_memory_limit(limits)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        _set_cpu_limit(limits.parse_seconds)
        recycle = False
        try:
            func = _checked(task.func)
            outcome = Outcome(value=func(*task.args))
        except ExtractionError as exc:
            outcome = Outcome(code=exc.code, message=exc.message)
        except DocgenError as exc:  # our own one-line message, e.g. a letter template that will not render
            outcome = Outcome(code=ReasonCode.DAMAGED, message=str(exc))
        except MemoryError:
            outcome = Outcome(code=ReasonCode.TOO_LARGE, message=TOO_LARGE_UNPACKED)
            recycle = True
        except RecursionError:
            outcome = Outcome(code=ReasonCode.DAMAGED, message="The file's structure is damaged (it loops)")
            recycle = True
        except Exception as exc:  # noqa: BLE001 - any parser failure is a damaged file, never a crash
            if _caused_by(exc, MemoryError):  # a parser that wraps it (pdfplumber's PdfminerException)
                outcome = Outcome(code=ReasonCode.TOO_LARGE, message=TOO_LARGE_UNPACKED)
                recycle = True
            else:
                outcome = Outcome(code=ReasonCode.DAMAGED,
                                  message=f"The file is damaged and could not be read ({type(exc).__name__})")
        try:
            conn.send(outcome)
        except Exception:  # noqa: BLE001 - e.g. an unpicklable value
            conn.send(Outcome(code=ReasonCode.DAMAGED, message="The file could not be read"))
        if recycle:
            return


def preload(names: Sequence[str] = _PRELOAD) -> None:
    """Import the readers and the judging in the parent before forking. A name that is no module (left behind by a move)
    is an error here, never a silent no-op: `tests/intake/test_isolate.py` imports every name."""
    for module in names:
        importlib.import_module(module)


def _context() -> Any:
    """Fork on Linux (the parent has the parsers imported already: a worker starts in milliseconds)."""
    if sys.platform.startswith("linux"):
        preload()
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover


def _death_outcome(exitcode: int | None) -> Outcome:
    if exitcode is not None and exitcode == -getattr(signal, "SIGXCPU", 24):
        return Outcome(code=ReasonCode.TIMED_OUT, message="Reading the file used too much processor time")
    if exitcode == -signal.SIGKILL:
        return Outcome(code=ReasonCode.TOO_LARGE, message=TOO_LARGE_UNPACKED)
    return Outcome(code=ReasonCode.DAMAGED, message="The file made the reader fail")


SCRATCH_PREFIX = "docgen-worker-"


def sweep_scratch() -> int:
    """Remove the worker temp folders of docgen processes that are gone (a killed daemon); returns how many."""
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        owner = folder.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or not folder.is_dir():
            continue
        try:
            os.kill(int(owner), 0)
            continue  # its daemon is alive
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


class WorkerPool:
    """A fixed number of reusable workers; `run` spreads tasks over them and returns outcomes in order."""

    def __init__(self, limits: Limits, size: int = 0) -> None:
        self.limits = limits
        self.size = max(1, size or (os.cpu_count() or 1))
        self._ctx = _context()
        sweep_scratch()
        self._workers: list[_Worker] = []
        self.started = 0  # workers started so far (replacements included)
        # held while an `on_done` runs on the callbacks' own thread (`run(..., apart=True)`): a worker is
        # never forked while that thread may hold a lock (SQLite's, the audit file's) the child would inherit
        self._quiet = threading.Lock()

    def warm(self) -> WorkerPool:
        """Start every worker now (before any watcher thread exists), so the first files do not wait."""
        while len(self._workers) < self.size:
            self._start()
        return self

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers (for a benchmark reading their CPU time in /proc)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        process = self._ctx.Process(target=_worker_main, args=(child, self.limits, str(scratch)), daemon=True,
                                    name="docgen-parse")
        with self._quiet:
            process.start()
        child.close()
        self.started += 1
        worker = _Worker(process=process, conn=parent, scratch=scratch)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, *, kill: bool) -> None:
        if kill and worker.process.is_alive():
            with contextlib.suppress(Exception):
                worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        shutil.rmtree(worker.scratch, ignore_errors=True)
        self._workers.remove(worker)

    def run(self, tasks: Sequence[Task], *, on_done: Callable[[int, Outcome], None] | None = None,
            should_stop: Callable[[], bool] | None = None, apart: bool = False) -> list[Outcome | None]:
        """Run every task; a task not started because `should_stop()` turned true gets None.

        `on_done(index, outcome)` is called as each task finishes, in the order they finish. With `apart`
        it runs on a thread of its own, one call at a time, while this thread goes on handing the workers
        their next tasks: a slow `on_done` (the intake's ingest, waiting on the disk) never keeps a worker
        waiting for work. An exception from it stops later calls and is raised once every task is done.
        """
        if on_done is None or not apart:
            return self._run(tasks, on_done=on_done, should_stop=should_stop)
        done: queue.SimpleQueue[tuple[int, Outcome] | None] = queue.SimpleQueue()
        failed: list[BaseException] = []

        def callbacks() -> None:
            while (finished := done.get()) is not None:
                if failed:
                    continue
                with self._quiet:
                    try:
                        on_done(*finished)
                    except BaseException as exc:  # noqa: BLE001 - raised in the caller's thread below
                        failed.append(exc)

        thread = threading.Thread(target=callbacks, name="docgen-on-done", daemon=True)
        thread.start()
        try:
            results = self._run(tasks, on_done=lambda index, outcome: done.put((index, outcome)),
                                should_stop=should_stop)
        except BaseException as exc:
            failed.append(exc)  # no further calls: the callbacks' thread stops after the one under way
            raise
        finally:
            done.put(None)
            thread.join()
        if failed:
            raise failed[0]
        return results

    def _run(self, tasks: Sequence[Task], *, on_done: Callable[[int, Outcome], None] | None,
             should_stop: Callable[[], bool] | None) -> list[Outcome | None]:
        results: list[Outcome | None] = [None] * len(tasks)
        queue = list(range(len(tasks)))
        queue.reverse()
        stop_by: float | None = None
        while queue or any(w.task is not None for w in self._workers):
            if should_stop is not None and should_stop():
                queue.clear()
                if stop_by is None:
                    stop_by = time.monotonic() + STOP_GRACE_SECONDS
                elif time.monotonic() >= stop_by:  # a slow file: abandon it unread, the next run takes it
                    for worker in [w for w in self._workers if w.task is not None]:
                        self._retire(worker, kill=True)
                    break
            self._dispatch(tasks, queue)
            busy = [w for w in self._workers if w.task is not None]
            if not busy:
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            if stop_by is not None:
                timeout = min(timeout, max(0.0, stop_by - time.monotonic()))
            ready = multiprocessing.connection.wait([w.conn for w in busy], timeout=min(timeout, 0.5))
            now = time.monotonic()
            finished: list[tuple[int, Outcome]] = []
            for worker in busy:
                if worker.task is None:
                    continue
                index = worker.task
                outcome: Outcome | None = None
                if worker.conn in ready:
                    try:
                        outcome = worker.conn.recv()
                        worker.task = None
                        worker.tasks_done += 1
                        if outcome is not None and outcome.code in {ReasonCode.TOO_LARGE, ReasonCode.DAMAGED}:
                            worker.process.join(timeout=0.05)  # a worker recycles itself after MemoryError
                            if not worker.process.is_alive():
                                self._retire(worker, kill=False)
                    except (EOFError, OSError):
                        worker.process.join(timeout=5)
                        outcome = _death_outcome(worker.process.exitcode)
                        self._retire(worker, kill=True)
                elif now >= worker.deadline:
                    seconds = tasks[index].timeout or self.limits.parse_seconds
                    outcome = Outcome(code=ReasonCode.TIMED_OUT,
                                      message=f"Reading the file took longer than {seconds:g} seconds and was stopped")
                    self._retire(worker, kill=True)
                if outcome is not None:
                    results[index] = outcome
                    finished.append((index, outcome))
            if on_done is not None and finished:
                self._dispatch(tasks, queue)  # the workers go on while the caller handles what finished
                for index, outcome in finished:
                    on_done(index, outcome)
        return results

    def _dispatch(self, tasks: Sequence[Task], queue: list[int]) -> None:
        """Give each idle worker (starting workers up to the pool's size) the next queued task."""
        while queue:
            idle = next((w for w in self._workers if w.task is None), None)
            if idle is None and len(self._workers) < self.size:
                idle = self._start()
            if idle is None:
                break
            next_index = queue.pop()
            try:
                idle.conn.send(tasks[next_index])
            except (BrokenPipeError, OSError):
                self._retire(idle, kill=True)
                queue.append(next_index)
                continue
            idle.task = next_index
            idle.deadline = time.monotonic() + (tasks[next_index].timeout or self.limits.parse_seconds)

    def close(self) -> None:
        """Stop every worker (politely, then by force)."""
        for worker in list(self._workers):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in list(self._workers):
            worker.process.join(timeout=2)
            self._retire(worker, kill=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
