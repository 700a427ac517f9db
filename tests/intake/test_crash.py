"""Killed at any step, restarted: every file processed once, every letter produced once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import (
    DOCGEN,
    Run,
    archived_hashes,
    document_counts,
    env_for,
    letters,
    sha,
    submission,
)
from .hostile import HOSTILE, traversal_eml

STEPS = ["parsing", "parsed", "filing", "ingested", "marked", "removed", "judged"]


@pytest.mark.parametrize("step", STEPS)
def test_killed_at_a_step_then_restarted_finishes_exactly_once(ihome: Path, run: Run, step: str) -> None:
    files = submission(ihome / "inbox")
    hashes = {sha(f) for f in files}
    crashed = run("process", "--json", env=env_for(ihome, DOCGEN_CRASH_AT=step))
    assert crashed.returncode == 137, crashed.stderr
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    assert list((ihome / "inbox").iterdir()) == []
    produced = letters(ihome)
    assert len([p for p in produced if p.endswith("acceptance-letter.docx")]) == 1, produced
    assert len(produced) == len(set(produced))
    counts = document_counts(ihome)
    assert hashes <= set(counts) and set(counts.values()) == {1}
    archived = archived_hashes(ihome)
    assert hashes <= set(archived) and len(archived) == len(set(archived))  # each original filed once
    assert not list((ihome / ".docgen" / "work").iterdir())
    # a third run has nothing left to do
    assert json.loads(run("process", "--json").stdout) == {"processed": [], "quarantined": [], "duplicates": []}
    assert letters(ihome) == produced


def _wait_for(predicate: object, deadline: float = 120.0) -> bool:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def _audit_events(home: Path) -> list[str]:
    path = home / ".docgen" / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["event"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_watch_killed_mid_run_and_restarted_delivers_once(ihome: Path) -> None:
    inbox = ihome / "inbox"
    env = env_for(ihome)
    daemon = subprocess.Popen([DOCGEN, "watch", "--polling"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        files = submission(inbox, seed=3)
        hashes = {sha(f) for f in files}
        for name, (data, _code) in HOSTILE.items():
            (inbox / name).write_bytes(data)
        (inbox / "mail.eml").write_bytes(traversal_eml())
        assert _wait_for(lambda: "ingested" in _audit_events(ihome))
        daemon.send_signal(signal.SIGKILL)
        daemon.wait(timeout=30)
        assert daemon.returncode == -signal.SIGKILL
        daemon = subprocess.Popen([DOCGEN, "watch", "--polling"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
        assert _wait_for(lambda: not list(inbox.iterdir()) and any(
            p.endswith("acceptance-letter.docx") for p in letters(ihome)))
        assert _wait_for(lambda: "judged" in _audit_events(ihome))
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
        assert daemon.returncode == 0, daemon.stderr.read() if daemon.stderr else ""
    finally:
        if daemon.poll() is None:
            os.kill(daemon.pid, signal.SIGKILL)
            daemon.wait()
    produced = letters(ihome)
    assert len([p for p in produced if p.endswith("acceptance-letter.docx")]) == 1, produced
    counts = document_counts(ihome)
    assert hashes <= set(counts) and set(counts.values()) == {1}
    quarantined = {p.name for p in (ihome / "quarantine").iterdir() if not p.name.endswith(".reason.txt")}
    assert quarantined == set(HOSTILE)  # each once, none lost, none twice
    for name, (_data, code) in HOSTILE.items():
        assert (ihome / "quarantine" / f"{name}.reason.txt").read_text().startswith(f"{code}: ")


def test_killed_while_quarantining_leaves_one_quarantined_copy(ihome: Path, run: Run) -> None:
    (ihome / "inbox" / "empty.pdf").write_bytes(b"")
    (ihome / "inbox" / "locked.pdf").write_bytes(HOSTILE["locked.pdf"][0])
    crashed = run("process", env=env_for(ihome, DOCGEN_CRASH_AT="quarantined"))
    assert crashed.returncode == 137
    assert run("process").returncode == 0
    names = sorted(p.name for p in (ihome / "quarantine").iterdir())
    assert names == ["empty.pdf", "empty.pdf.reason.txt", "locked.pdf", "locked.pdf.reason.txt"]
    assert list((ihome / "inbox").iterdir()) == []


def test_sigterm_during_a_backlog_exits_0_and_the_rest_is_taken_next_run(ihome: Path, run: Run) -> None:
    hashes: set[str] = set()
    for n in range(4):
        folder = ihome / "inbox" / f"submission {n}"
        folder.mkdir()
        hashes |= {sha(f) for f in submission(folder, seed=30 + n)}
    proc = subprocess.Popen([DOCGEN, "process", "--json"], env=env_for(ihome), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: "ingested" in _audit_events(ihome) or proc.poll() is not None)
        proc.send_signal(signal.SIGTERM)
        out, _err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    first = json.loads(out)
    assert set(first) == {"processed", "quarantined", "duplicates"}
    assert run("process").returncode == 0
    assert list((ihome / "inbox").iterdir()) == []
    counts = document_counts(ihome)
    assert hashes <= set(counts) and set(counts.values()) == {1}
    produced = letters(ihome)
    assert len([p for p in produced if p.endswith("acceptance-letter.docx")]) == 4, produced


def test_email_with_a_bad_attachment_killed_and_restarted_quarantines_it_once(ihome: Path, run: Run) -> None:
    from email.message import EmailMessage

    from .hostile import simple_pdf

    msg = EmailMessage()
    msg["From"] = "school@example.org"
    msg["Subject"] = "invented"
    msg.set_content("Forms attached (all invented).")
    msg.add_attachment(simple_pdf(), maintype="application", subtype="pdf", filename="note.pdf")
    msg.add_attachment(b"", maintype="application", subtype="pdf", filename="blank.pdf")
    (ihome / "inbox" / "mail.eml").write_bytes(msg.as_bytes())
    for step in ("ingested", "marked"):
        crashed = run("process", env=env_for(ihome, DOCGEN_CRASH_AT=step))
        assert crashed.returncode in {0, 137}
    result = run("process", "--json")
    assert result.returncode == 0
    assert list((ihome / "inbox").iterdir()) == []
    assert sorted(p.name for p in (ihome / "quarantine").iterdir()) == ["blank.pdf", "blank.pdf.reason.txt"]
    assert (ihome / "quarantine" / "blank.pdf.reason.txt").read_text().startswith("empty: ")
    assert set(document_counts(ihome).values()) == {1}


def test_a_worker_killed_between_archiving_and_recording_letters_finishes_them_once(ihome: Path, run: Run) -> None:
    """The letters' archive copies are made before the register's write lock is taken (issue 21): a worker
    that dies after copying, before recording, leaves copies the next pass finds again, never a second set."""
    submission(ihome / "inbox")
    crashed = run("process", "--json", env=env_for(ihome, DOCGEN_CRASH_AT="letters-copied"))
    assert crashed.returncode == 0, crashed.stderr  # the pool survives its worker; the case is tried again
    [case] = [p.name for p in (ihome / "archive").iterdir() if p.name != "unmatched"]
    folder = ihome / "archive" / case
    copied = sorted(p.name for p in folder.iterdir() if p.name.startswith("20"))
    assert copied, "the letters were copied before the worker died"
    listed = [f["path"] for f in json.loads((folder / "manifest.json").read_text())["files"]]
    assert not set(copied) & set(listed), "and not recorded"
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    produced = letters(ihome)
    assert len([p for p in produced if p.endswith("acceptance-letter.docx")]) == 1, produced
    archived = sorted(p.name for p in folder.iterdir() if p.name.startswith("20"))
    assert archived == copied == sorted(Path(p).name for p in produced)  # the same copies, no second name
    listed = [f["path"] for f in json.loads((folder / "manifest.json").read_text())["files"]]
    assert sorted(p for p in listed if p.startswith("20")) == archived  # each listed once
    assert {f.name for f in folder.iterdir()} - {"manifest.json"} == set(listed)
