"""The watcher: completed files only (fake clock), event fallbacks, and the live daemon."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from docgen import db
from docgen.config import Settings
from docgen.intake.audit import Audit
from docgen.intake.isolate import WorkerPool
from docgen.intake.pipeline import Pipeline
from docgen.intake.sources.folder import FolderSource, Scanner
from docgen.intake.watch import Daemon

from .conftest import DOCGEN, Run, document_counts, env_for, letters, sha, submission
from .hostile import HOSTILE, simple_pdf
from .test_crash import _audit_events, _wait_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_growing_file_waits_until_stable(tmp_path: Path) -> None:
    clock = FakeClock()
    scanner = Scanner(tmp_path, 2.0, clock=clock)
    target = tmp_path / "scan.pdf"
    with target.open("wb") as fh:
        for n in range(5):  # a scanner writing, closing, reopening and appending
            fh.write(b"x" * 1000)
            fh.flush()
            os.utime(target, ns=(n * 10**9, n * 10**9))
            assert scanner.scan() == []
            clock.now += 1.5
    assert scanner.scan() == []
    clock.now += 2.0
    assert scanner.scan() == [target]


def test_a_file_still_waiting_in_the_inbox_holds_the_cases_until_taken_or_failing(tmp_path: Path) -> None:
    """A busy daemon: the attendance record lies stable in the inbox, not yet taken, long after the settle
    period — its child's case must not be judged without it (the load test's second outcome letter)."""
    clock = FakeClock()
    scanner = Scanner(tmp_path, 0.3, clock=clock)
    (tmp_path / "attendance.csv").write_text("date,am,pm\n", encoding="utf-8")
    assert scanner.scan() == []
    assert scanner.arriving(2.0)
    clock.now += 8.0  # past the settle period, still not taken
    assert scanner.scan() == [tmp_path / "attendance.csv"]
    assert scanner.arriving(2.0)
    scanner.defer(tmp_path / "attendance.csv")  # it failed (locked): backing off holds nothing
    assert not scanner.arriving(2.0)
    other = Scanner(tmp_path, 0.3, clock=clock)
    other.scan()
    clock.now += 200.0  # never taken for minutes: it no longer holds every case back
    assert not other.arriving(2.0)


def test_process_counts_the_window_from_the_last_change_never_from_an_old_mtime(tmp_path: Path) -> None:
    """`docgen process`: a file still since before the run is taken at once; one copied in now with its
    sender's old mtime (cp -p, Explorer) still waits its window, because the change time is the kernel's."""
    clock = FakeClock()
    old = tmp_path / "old.pdf"
    old.write_bytes(b"x" * 1000)
    time.sleep(0.3)
    fresh = tmp_path / "copied.pdf"
    fresh.write_bytes(b"y" * 1000)
    os.utime(fresh, ns=(10**9, 10**9))  # an mtime from 1970: a copy that kept its sender's time
    scanner = Scanner(tmp_path, 0.25, clock=clock, trust_change_time=True)
    assert scanner.scan() == [old]
    assert 0.0 < scanner.due_in() <= 0.25
    clock.now += 0.25
    assert scanner.scan() == [old, fresh]
    plain = Scanner(tmp_path, 0.25, clock=clock)  # the daemon: a full window from the first look
    assert plain.scan() == []


def test_temp_names_are_ignored_and_the_renamed_file_is_taken(tmp_path: Path) -> None:
    clock = FakeClock()
    scanner = Scanner(tmp_path, 1.0, clock=clock)
    for name in ("x.pdf.filepart", "~$x.docx", ".DS_Store", "._x.pdf", "Thumbs.db", ".~lock.x.docx#"):
        (tmp_path / name).write_bytes(b"temp")
    assert scanner.scan() == []
    clock.now += 5
    assert scanner.scan() == []
    (tmp_path / "x.pdf.filepart").rename(tmp_path / "x.pdf")
    assert scanner.scan() == []
    clock.now += 1
    assert scanner.scan() == [tmp_path / "x.pdf"]


def test_a_failing_item_is_retried_later_never_given_up(tmp_path: Path) -> None:
    clock = FakeClock()
    scanner = Scanner(tmp_path, 1.0, clock=clock)
    (tmp_path / "a.pdf").write_bytes(b"x")
    scanner.scan()
    clock.now += 1
    assert scanner.scan() == [tmp_path / "a.pdf"]
    scanner.defer(tmp_path / "a.pdf")
    assert scanner.scan() == []
    clock.now += 10
    assert scanner.scan() == [tmp_path / "a.pdf"]


def test_folder_is_one_bundle_taken_when_everything_inside_is_stable(tmp_path: Path) -> None:
    clock = FakeClock()
    scanner = Scanner(tmp_path, 1.0, clock=clock)
    folder = tmp_path / "letter.docx"
    folder.mkdir()
    scanner.scan()
    clock.now += 1
    (folder / "a.pdf").write_bytes(b"x")
    assert scanner.scan() == []
    clock.now += 1
    assert scanner.scan() == [folder]


def _pipeline(settings: Settings, pool: WorkerPool) -> Pipeline:
    conn = db.connect(settings.database)
    return Pipeline(settings, conn, today=dt.date(2026, 3, 2), pool=pool, audit=Audit(settings.state_dir))


def test_observer_failure_falls_back_to_polling_with_a_warning(isettings: Settings) -> None:
    def no_watches(_inbox: Path, _handler: Any) -> Any:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    with WorkerPool(isettings.limits, 1) as pool:
        pipeline = _pipeline(isettings, pool)
        folder = FolderSource(pipeline, settle_seconds=0, observer_factory=no_watches)
        daemon = Daemon(pipeline, pipeline.audit, [folder], settle_seconds=0)
        files = submission(isettings.inbox)
        runner = threading.Thread(target=daemon.run)
        runner.start()
        try:
            assert _wait_for(lambda: not list(isettings.inbox.iterdir()) and letters(isettings.home))
        finally:
            daemon.stop()
            runner.join(timeout=60)
    assert folder.polling and not runner.is_alive()
    audit = [json.loads(line) for line in (isettings.state_dir / "audit.jsonl").read_text().splitlines()]
    assert any(e["event"] == "observer-failed" and e["code"] == "errno-28" and e["level"] == "warning"
               for e in audit)
    assert {sha(isettings.home / "archive" / "MN-2026-0001" / f.name) for f in files} <= set(
        document_counts(isettings.home))


def test_an_exception_in_one_pass_never_stops_the_loop(isettings: Settings) -> None:
    with WorkerPool(isettings.limits, 1) as pool:
        pipeline = _pipeline(isettings, pool)
        folder = FolderSource(pipeline, settle_seconds=0, polling=True)
        daemon = Daemon(pipeline, pipeline.audit, [folder], settle_seconds=0)
        calls = {"n": 0}
        real_scan = folder.scanner.scan

        def flaky_scan() -> list[Path]:
            calls["n"] += 1
            if calls["n"] == 1:
                raise PermissionError("share went away")
            return real_scan()

        folder.scanner.scan = flaky_scan  # type: ignore[method-assign]
        (isettings.inbox / "note.pdf").write_bytes(simple_pdf())
        runner = threading.Thread(target=daemon.run)
        runner.start()
        try:
            assert _wait_for(lambda: not (isettings.inbox / "note.pdf").exists())
        finally:
            daemon.stop()
            runner.join(timeout=60)
    assert calls["n"] > 1 and "loop-error" in _audit_events(isettings.home)


def test_live_daemon_takes_slow_copies_renames_backlog_and_hostile_files(ihome: Path, run: Run,
                                                                          tmp_path: Path) -> None:
    inbox = ihome / "inbox"
    toml = ihome / "docgen.toml"  # a window longer than the slow writer's pauses
    toml.write_text(toml.read_text().replace("file_stable_seconds = 0.1", "file_stable_seconds = 1.5")
                    .replace("stall_grace_seconds = 1.0", "stall_grace_seconds = 15.0"))
    backlog = submission(inbox, seed=3)  # present before the daemon starts
    hashes = {sha(f) for f in backlog}
    env = env_for(ihome)
    daemon = subprocess.Popen([DOCGEN, "watch"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True)
    try:
        assert _wait_for(lambda: json.loads(run("status", "--json").stdout)["running"])
        status = json.loads(run("status", "--json").stdout)
        assert status["pid"] == daemon.pid and status["mode"] == "watch"
        second = run("process")
        assert second.returncode == 1 and "already processing" in second.stderr
        # a slow copy: appended in chunks by a writer thread; only the final bytes are taken
        payload = simple_pdf("slow " * 1000)
        target = inbox / "slow.pdf"

        def writer() -> None:
            with target.open("wb") as fh:
                for start in range(0, len(payload), 500):
                    fh.write(payload[start:start + 500])
                    fh.flush()
                    time.sleep(0.05)

        thread = threading.Thread(target=writer)
        thread.start()
        # moved in from elsewhere on the same file system, and renamed from a temp name
        outside = tmp_path / "moved.pdf"
        outside.write_bytes(simple_pdf("moved"))
        outside.rename(inbox / "moved.pdf")
        (inbox / "renamed.pdf.part").write_bytes(simple_pdf("renamed"))
        (inbox / "renamed.pdf.part").rename(inbox / "renamed.pdf")
        for name, (data, _code) in HOSTILE.items():
            (inbox / name).write_bytes(data)
        thread.join()
        assert _wait_for(lambda: not list(inbox.iterdir()) and any(
            p.endswith("acceptance-letter.docx") for p in letters(ihome)))
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        assert daemon.returncode == 0
    finally:
        if daemon.poll() is None:
            os.kill(daemon.pid, signal.SIGKILL)
            daemon.wait()
    counts = document_counts(ihome)
    assert hashes | {sha_bytes(payload)} <= set(counts) and set(counts.values()) == {1}
    quarantined = {q["name"]: q["code"] for q in json.loads(run("quarantine", "--json").stdout)}
    assert quarantined == {name: code for name, (_data, code) in HOSTILE.items()}
    assert not json.loads(run("status", "--json").stdout)["running"]


def sha_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_a_dead_observer_is_restarted_and_events_still_wake_the_loop(isettings: Settings) -> None:
    from docgen.intake.sources.folder import default_observer

    started: list[Any] = []

    def factory(inbox: Path, handler: Any) -> Any:
        observer = default_observer(inbox, handler)
        started.append(observer)
        return observer

    with WorkerPool(isettings.limits, 1) as pool:
        pipeline = _pipeline(isettings, pool)
        daemon = Daemon(pipeline, pipeline.audit, [FolderSource(pipeline, settle_seconds=0, observer_factory=factory)],
                        settle_seconds=0)
        runner = threading.Thread(target=daemon.run)
        runner.start()
        try:
            assert _wait_for(lambda: len(started) == 1)
            started[0].stop()  # the observer thread dies (as when a handler raises inside it)
            started[0].join()
            assert _wait_for(lambda: len(started) == 2 and started[1].is_alive())
            (isettings.inbox / "note.pdf").write_bytes(simple_pdf())
            assert _wait_for(lambda: not (isettings.inbox / "note.pdf").exists())
        finally:
            daemon.stop()
            runner.join(timeout=60)
    assert not started[1].is_alive() and "observer-stopped" in _audit_events(isettings.home)
