"""Quarantine files and reasons, the journal's states, and the one-daemon-per-home lock."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from docgen import db
from docgen.errors import IntakeError, ReasonCode
from docgen.intake.journal import Journal, State
from docgen.intake.lock import HomeLock, holder
from docgen.intake.quarantine import list_quarantine, quarantine, reason_line, release


def test_reason_is_one_line_with_code_and_what_to_do() -> None:
    line = reason_line(ReasonCode.PASSWORD_PROTECTED, "The PDF is protected\nwith a password.")
    assert line.startswith("password-protected: The PDF is protected with a password.")
    assert "\n" not in line and "Ask the sender" in line


def test_quarantine_moves_with_unique_names_and_retry_puts_back(tmp_path: Path) -> None:
    inbox, qdir = tmp_path / "inbox", tmp_path / "quarantine"
    inbox.mkdir()
    for n in range(2):
        (inbox / "a.pdf").write_bytes(b"x" * (n + 1))
        name, line = quarantine(inbox / "a.pdf", ReasonCode.DAMAGED, None, quarantine_dir=qdir)
        assert line.startswith("damaged: ")
    assert sorted(p.name for p in qdir.iterdir()) == ["a (2).pdf", "a (2).pdf.reason.txt", "a.pdf",
                                                        "a.pdf.reason.txt"]
    assert oct((qdir / "a.pdf").stat().st_mode & 0o777) == "0o600"
    listed = list_quarantine(qdir)
    assert [(q.name, q.code) for q in listed] == [("a (2).pdf", "damaged"), ("a.pdf", "damaged")] or \
        [(q.name, q.code) for q in listed] == [("a.pdf", "damaged"), ("a (2).pdf", "damaged")]
    back = release("a.pdf", quarantine_dir=qdir, inbox=inbox)
    assert back == inbox / "a.pdf" and back.read_bytes() == b"x"
    assert not (qdir / "a.pdf.reason.txt").exists()
    with pytest.raises(IntakeError):
        release("../inbox/a.pdf", quarantine_dir=qdir, inbox=inbox)
    with pytest.raises(IntakeError):
        release("nothing.pdf", quarantine_dir=qdir, inbox=inbox)


def test_fifo_is_moved_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "a.pdf"
    os.mkfifo(fifo)
    name, _ = quarantine(fifo, ReasonCode.NOT_A_REGULAR_FILE, None, quarantine_dir=tmp_path / "q")
    assert name == "a.pdf" and (tmp_path / "q" / "a.pdf").is_fifo()


def test_journal_states_and_quarantine_mark(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "s.sqlite3")
    journal = Journal(conn)
    journal.mark_many([("a" * 64, "a.pdf"), ("b" * 64, "b.pdf")], State.PARSING)
    journal.mark("a" * 64, State.INGESTED, kind="referral", case="MN-2026-0001")
    journal.mark("b" * 64, State.QUARANTINED, code="damaged", quarantine_name="b.pdf")
    entry = journal.get("a" * 64)
    assert entry is not None and entry.case == "MN-2026-0001" and entry.inbox_name == "a.pdf"
    assert journal.mark_case_judged("MN-2026-0001") == ["a" * 64]
    assert journal.get("a" * 64).state is State.DONE  # type: ignore[union-attr]
    assert journal.clear_quarantine("b.pdf") == 1 and journal.get("b" * 64) is None
    Journal(conn)  # migrating twice is harmless
    assert journal.counts() == {"done": 1}


def test_second_holder_of_the_home_lock_is_refused(tmp_path: Path) -> None:
    with HomeLock(tmp_path, "watch"):
        who = holder(tmp_path)
        assert who is not None and who.pid == os.getpid() and who.mode == "watch"
        with pytest.raises(IntakeError, match="already processing"):
            HomeLock(tmp_path, "process").acquire()
    assert holder(tmp_path) is None


def test_the_same_member_quarantined_again_is_stored_once(tmp_path: Path) -> None:
    import hashlib

    qdir = tmp_path / "q"
    for n in range(2):
        member = tmp_path / f"m{n}"
        member.write_bytes(b"broken")
        name, line = quarantine(member, ReasonCode.DAMAGED, None, quarantine_dir=qdir, display_name="form.pdf",
                                sha256=hashlib.sha256(b"broken").hexdigest())
        assert name == "form.pdf" and line.startswith("damaged: ") and not member.exists()
    assert sorted(p.name for p in qdir.iterdir()) == ["form.pdf", "form.pdf.reason.txt"]


def test_a_writer_waiting_for_the_lock_takes_it_moments_after_it_is_released(tmp_path: Path) -> None:
    """SQLite's own busy handler sleeps 1, 2, 5, 10, 15 … ms between tries: a lock held 20 ms was taken ~33 ms
    after the wait began (13 ms late). `db.transaction` tries again in short steps: soon after the release."""
    import statistics
    import threading
    import time

    path = tmp_path / "state.db"
    db.connect(path).close()
    late: list[float] = []

    def hold(conn: Any, held: threading.Event, released: list[float]) -> None:
        with db.transaction(conn):
            conn.execute("CREATE TABLE IF NOT EXISTS t (x)")
            held.set()
            time.sleep(0.02)
        released.append(time.monotonic())

    for _ in range(7):
        holder, waiter = db.connect(path), db.connect(path)
        held, released = threading.Event(), []
        thread = threading.Thread(target=hold, args=(holder, held, released))
        thread.start()
        held.wait()
        with db.transaction(waiter):
            taken = time.monotonic()
        thread.join()
        late.append(taken - released[0])
        holder.close()
        waiter.close()
    assert statistics.median(late) < 0.006, late


def test_a_lock_held_past_the_timeout_is_still_database_is_locked(tmp_path: Path, monkeypatch: Any) -> None:
    import sqlite3

    path = tmp_path / "state.db"
    db.connect(path).close()
    holder, waiter = db.connect(path), db.connect(path)
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    with db.transaction(holder), pytest.raises(sqlite3.OperationalError, match="database is locked"), \
            db.transaction(waiter):
        pass
    with db.transaction(waiter):  # the lock released: taken, and the usual timeout is back
        pass
    assert waiter.execute("PRAGMA busy_timeout").fetchone()[0] == 50
    holder.close()
    waiter.close()
