"""The worker pool: hostile work is stopped with the right code and the pool carries on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from docgen.config import Limits
from docgen.errors import ReasonCode
from docgen.intake.isolate import Outcome, Task, WorkerPool

from . import workers

LIMITS = Limits(parse_seconds=2.0, parse_memory_mb=400)


def test_workers_are_reused_across_tasks() -> None:
    with WorkerPool(LIMITS, 1) as pool:
        results = pool.run([Task(workers.pid) for _ in range(5)])
    assert len({r.value for r in results if r is not None}) == 1
    assert pool.started == 1


def test_hung_worker_is_killed_as_timed_out_and_replaced() -> None:
    with WorkerPool(LIMITS, 1) as pool:
        results = pool.run([Task(workers.sleep_forever), Task(workers.echo, ("next",))])
    assert results[0] is not None and results[0].code is ReasonCode.TIMED_OUT
    assert results[1] is not None and results[1].value == "next"
    assert pool.started == 2


def test_memory_hog_is_too_large_and_the_next_file_is_read() -> None:
    with WorkerPool(Limits(parse_seconds=60.0, parse_memory_mb=400), 1) as pool:
        results = pool.run([Task(workers.eat_memory), Task(workers.echo, ("ok",))])
    assert results[0] is not None and results[0].code is ReasonCode.TOO_LARGE
    assert results[1] is not None and results[1].ok and results[1].value == "ok"


def test_crashed_worker_is_damaged_and_exception_messages_are_not_passed_on() -> None:
    with WorkerPool(LIMITS, 2) as pool:
        results = pool.run([Task(workers.die), Task(workers.boom),
                            Task(workers.echo, ("fine",))])
    assert results[0] is not None and results[0].code is ReasonCode.DAMAGED
    assert results[1] is not None and results[1].code is ReasonCode.DAMAGED
    assert "secret" not in (results[1].message or "")
    assert results[2] is not None and results[2].value == "fine"


def test_stop_leaves_unstarted_tasks_unread() -> None:
    with WorkerPool(LIMITS, 1) as pool:
        results = pool.run([Task(workers.echo, ("a",)) for _ in range(3)], should_stop=lambda: True)
    assert results == [None, None, None]


def test_a_task_named_by_a_string_is_refused_never_imported() -> None:
    with WorkerPool(LIMITS, 1) as pool:
        results = pool.run([Task("os:system", ("true",))])  # type: ignore[arg-type]
    assert results[0] is not None and results[0].code is ReasonCode.DAMAGED


def test_stopping_abandons_a_slow_file_unread_within_seconds() -> None:
    import threading

    stop = threading.Event()
    timer = threading.Timer(0.5, stop.set)
    with WorkerPool(Limits(parse_seconds=120.0), 1) as pool:
        timer.start()
        results = pool.run([Task(workers.sleep_forever), Task(workers.echo, ("x",))],
                           should_stop=stop.is_set)
    assert results == [None, None]


def test_the_memory_cap_counts_from_what_a_worker_starts_with() -> None:
    """A worker forked from a process that already maps much address space (a daemon whose threads each
    reserved a malloc arena; a whole test run's process) may still read an honest file: the cap is what a
    file may add. Before, the cap counted from zero, and every file came back "too large"."""
    import mmap

    reserved = mmap.mmap(-1, 1200 * 1024 * 1024)  # mapped, never touched: address space, not memory
    try:
        with WorkerPool(Limits(parse_seconds=60.0, parse_memory_mb=400), 1) as pool:
            results = pool.run([Task(workers.allocate, (100,)), Task(workers.eat_memory)])
    finally:
        reserved.close()
    assert results[0] is not None and results[0].code is None and results[0].value == 100 * 1024 * 1024
    assert results[1] is not None and results[1].code is ReasonCode.TOO_LARGE  # a bomb is still refused


def test_every_preloaded_reader_is_a_module_and_a_stale_name_fails_loudly() -> None:
    import importlib.util

    from docgen.intake.isolate import _PRELOAD, preload

    assert _PRELOAD and all(importlib.util.find_spec(name) is not None for name in _PRELOAD), _PRELOAD
    preload()
    with pytest.raises(ModuleNotFoundError, match="docgen.sniff"):
        preload(["docgen.sniff"])  # the reader's name before the redesign moved it to docgen.read


def test_a_worker_killed_mid_file_leaves_nothing_in_the_temp_folder(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    # A temp folder of this test's own (the forked worker inherits it), so another docgen command
    # running beside the tests cannot put a docgen-* folder where this test looks.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = set(Path(tempfile.gettempdir()).iterdir())
    with WorkerPool(LIMITS, 1) as pool:
        scratch = pool.warm()._workers[0].scratch
        assert scratch.parent == tmp_path
        results = pool.run([Task(workers.scratch_then_hang)])
        assert results[0] is not None and results[0].code is ReasonCode.TIMED_OUT
        assert not scratch.exists(), "the killed worker's temp folder (with its page image) is still there"
    left = {p for p in set(Path(tempfile.gettempdir()).iterdir()) - before if p.name.startswith("docgen-")}
    assert left == set(), left


def test_a_worker_starts_with_the_readers_and_the_judging_imported() -> None:
    """Forked after the parent imported them, whatever command made the pool (`docgen process` imports its
    own command module only): a worker does not import the letters code again at its first case."""
    import subprocess
    import sys
    from pathlib import Path

    script = ("import sys; sys.path.insert(0, 'tests/intake'); import workers\n"
              "from docgen.config import Limits\nfrom docgen.intake.isolate import Task, WorkerPool\n"
              "names = ['docgen.read.extract', 'docgen.cases.service', 'docgen.letters.produce']\n"
              "assert not [n for n in names if n in sys.modules]\n"
              "with WorkerPool(Limits(), 1) as pool:\n"
              "    print(pool.run([Task(workers.loaded, (names,))])[0].value)\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == str(["docgen.read.extract", "docgen.cases.service", "docgen.letters.produce"])


def test_apart_the_workers_go_on_while_a_slow_on_done_runs(tmp_path: Path) -> None:
    """The intake's ingest waits on the disk: with `apart`, the workers are handed their next tasks meanwhile."""
    names = [f"task-{n}" for n in range(8)]
    seen_while_first_ran: list[int] = []
    order: list[int] = []

    def on_done(index: int, outcome: Outcome) -> None:
        order.append(index)
        if len(order) == 1:  # the first callback waits until every task has run (or gives up after 10 s)
            deadline = time.monotonic() + 10
            while len(list(tmp_path.iterdir())) < len(names) and time.monotonic() < deadline:
                time.sleep(0.01)
            seen_while_first_ran.append(len(list(tmp_path.iterdir())))

    with WorkerPool(LIMITS, 2) as pool:
        results = pool.run([Task(workers.touch, (str(tmp_path), name)) for name in names], on_done=on_done,
                           apart=True)
    assert seen_while_first_ran == [len(names)]
    assert sorted(order) == list(range(len(names)))
    assert [r.value for r in results if r is not None] == names


def test_apart_an_on_done_failure_is_raised_after_the_tasks_and_stops_later_calls(tmp_path: Path) -> None:
    calls: list[int] = []

    def on_done(index: int, outcome: Outcome) -> None:
        calls.append(index)
        raise ValueError("ingest failed")

    with WorkerPool(LIMITS, 2) as pool:
        with pytest.raises(ValueError, match="ingest failed"):
            pool.run([Task(workers.echo, (str(n),)) for n in range(6)], on_done=on_done, apart=True)
        assert len(calls) == 1
        assert pool.run([Task(workers.echo, ("after",))])[0] == Outcome(value="after")  # the pool carries on
