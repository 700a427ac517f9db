"""Names that are not UTF-8, loops that back off, and `status` that says the cause in words (issue 15)."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import time
from pathlib import Path

from docgen.intake.problems import Backoff, explain
from docgen.read.names import readable, safe_name

from .conftest import DOCGEN, Run, archived_hashes, env_for, sha, submission
from .test_crash import _audit_events, _wait_for

BAD = os.fsdecode(b"bad\xff\xfename.pdf")  # what a Samba share or a zip made elsewhere leaves


def test_readable_and_safe_names_of_bytes_that_are_not_utf8() -> None:
    assert readable(BAD) == "bad\ufffd\ufffdname.pdf"
    assert safe_name(BAD) == "bad__name.pdf"
    assert safe_name("\udcff") == "_"  # a name of one bad byte is still a name
    assert readable("Zoë.pdf") == "Zoë.pdf"
    assert readable("lone\ud800.pdf") == "lone?.pdf"  # a surrogate that was never a byte


def test_a_bad_name_is_taken_under_a_safe_display_name_and_never_holds_up_its_batch(ihome: Path, run: Run) -> None:
    inbox = ihome / "inbox"
    files = submission(inbox, seed=5)
    referral = next(f for f in files if "referral" in f.name)
    referral.rename(inbox / BAD)
    hashes = {sha(p) for p in inbox.iterdir()}
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    names = [p["file"] for p in report["processed"]]
    assert "bad\ufffd\ufffdname.pdf" in names and len(names) == len(hashes)
    assert {p["outcome"] for p in report["processed"]} == {"accepted"}
    assert list(inbox.iterdir()) == []
    assert set(archived_hashes(ihome)) >= hashes
    case = report["processed"][0]["case"]
    assert (ihome / "archive" / case / "bad__name.pdf").is_file()
    assert list((ihome / ".docgen" / "work").iterdir()) == []


def test_watch_with_a_bad_name_does_not_spin_and_leaves_no_work_folders_after_sigterm(ihome: Path) -> None:
    inbox = ihome / "inbox"
    (inbox / BAD).write_bytes(b"%PDF-1.4\n% not really a PDF, cut short")
    good = submission(inbox, seed=7)
    daemon = subprocess.Popen([DOCGEN, "watch", "--polling"], env=env_for(ihome), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: not list(inbox.iterdir()), deadline=90)
        time.sleep(1.0)
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    assert daemon.returncode == 0, err
    events = _audit_events(ihome)
    assert "loop-error" not in events
    assert events.count("ingested") == len(good)
    reason = (ihome / "quarantine" / "bad__name.pdf.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith(("damaged: ", "empty: "))
    assert list((ihome / ".docgen" / "work").iterdir()) == []
    assert [line for line in err.splitlines() if "\ufffd" in line or "name.pdf" in line] == []  # no names logged


def test_backoff_is_exponential_and_capped() -> None:
    backoff = Backoff(base=1.0, cap=8.0)
    assert backoff.delay == 0.0
    assert [backoff.fail() for _ in range(6)] == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    backoff.reset()
    assert backoff.delay == 0.0


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))  # a disk that is full for anything bigger


def test_a_full_disk_backs_off_says_why_in_words_and_the_backlog_drains_once_there_is_room(
        ihome: Path, run: Run) -> None:
    assert run("process").returncode == 0  # the database exists before the disk fills
    inbox = ihome / "inbox"
    env = env_for(ihome)
    daemon = subprocess.Popen([DOCGEN, "watch", "--polling"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, preexec_fn=_limit_file_size)
    try:
        files = submission(inbox, seed=9)
        hashes = {sha(f) for f in files}
        time.sleep(9.0)
        status = run("status")
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
    finally:
        if daemon.poll() is None:
            daemon.kill()
            daemon.wait()
    lines = [json.loads(line) for line in (ihome / ".docgen" / "audit.jsonl").read_text().splitlines()]
    errors = [e for e in lines if e["event"] == "loop-error"]
    assert 2 <= len(errors) <= 6, errors  # 1 s, 2 s, 4 s … apart: not 20 a second
    assert [e["count"] for e in errors] == list(range(1, len(errors) + 1))
    assert status.returncode == 0
    assert "cause: the disk" in status.stdout, status.stdout
    assert list((ihome / ".docgen" / "work").iterdir()) == []
    assert {sha(p) for p in inbox.iterdir()} | set(archived_hashes(ihome)) >= hashes  # nothing lost
    # room again: the same files are taken, once each
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    assert list(inbox.iterdir()) == []
    archived = archived_hashes(ihome)
    assert hashes <= set(archived) and len(archived) == len(set(archived))


def test_status_says_what_judge_failed_means_and_what_happens_next(ihome: Path, run: Run) -> None:
    state = ihome / ".docgen"
    state.mkdir(parents=True, exist_ok=True)
    line = {"event": "judge-failed", "time": "2026-03-02T10:00:00+00:00", "case": "MN-2026-0001",
            "code": "disk-full", "level": "error"}
    (state / "audit.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    out = run("status").stdout
    assert "judge-failed (case MN-2026-0001)" in out
    assert "could not be checked" in out and "tries again by itself" in out and "disk is full" in out
    data = json.loads(run("status", "--json").stdout)
    assert data["problem"] == explain("judge-failed", "disk-full")
