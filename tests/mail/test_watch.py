"""`docgen watch` with `[mail]`: IDLE wake-ups, polling without IDLE/MOVE, exactly once across SIGKILLs."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from docgen.samples.builder import write_submission
from tests.mail import messages as m
from tests.mail.conftest import DOCGEN, audit_lines, env_for, write_config
from tests.mail.servers import CuttingProxy, Dovecot, dovecot


def start_watch(home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([DOCGEN, "watch", "--polling", "--settle", "0.2"], env=env_for(home),
                            stdout=subprocess.DEVNULL, stderr=(home.parent / "watch.err").open("a"),  # noqa: SIM115
                            text=True, start_new_session=True)


def wait_for(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def events(home: Path, name: str) -> int:
    return sum(1 for e in audit_lines(home) if e["event"] == name)


def stop(proc: subprocess.Popen[str]) -> float:
    """SIGTERM; returns the seconds it took to exit."""
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=20)
    return time.monotonic() - started


def test_idle_wakes_the_daemon_and_sigterm_exits_within_seconds(imap: Dovecot, mhome: Path, tmp_path: Path) -> None:
    write_config(mhome, imap, poll_seconds=600)  # only IDLE can bring the message in time
    proc = start_watch(mhome)
    try:
        assert wait_for(lambda: events(mhome, "watch-started") == 1, 20)
        time.sleep(1.5)  # the first pass (empty) is done and the IDLE connection is waiting
        imap.append(m.no_attachment("idle.31@example.org"))
        assert wait_for(lambda: events(mhome, "mail-moved") == 1, 20), (mhome.parent / "watch.err").read_text()
        assert imap.folders()["docgen.processed"] == 1
    finally:
        took = stop(proc)
    assert proc.returncode == 0 and took < 10


def test_polling_without_idle_or_move(tmp_path: Path) -> None:
    with dovecot(capabilities="IMAP4rev1 UIDPLUS") as server:
        home = tmp_path / "home"
        (home / "inbox").mkdir(parents=True)
        write_config(home, server)
        for n in (32, 33):
            server.append(m.no_attachment(f"poll.{n}@example.org"))
        proc = start_watch(home)
        try:
            assert wait_for(lambda: events(home, "mail-moved") == 2, 40), (home.parent / "watch.err").read_text()
        finally:
            stop(proc)
        folders = server.folders()
        # COPY + \Deleted + UID EXPUNGE of those UIDs: moved, not lost, not doubled
        assert (folders["INBOX"], folders["docgen.processed"]) == (0, 2)


def test_exactly_once_across_three_sigkills(tmp_path: Path, imap: Dovecot, mhome: Path) -> None:
    submissions = [write_submission(tmp_path / f"s{n}", "accepted", seed=40 + n, today=m.TODAY, fmt="pdf")
                   for n in range(4)]
    sent = []
    for n, sub in enumerate(submissions):
        message = m.with_files(list(sub.files), message_id=f"kill.{n}@riverside.example.org")
        sent.append(message)
        imap.append(message)
    imap.append(sent[0])  # and one arrives twice
    # a slow link, so that each fetch pass takes seconds: every SIGKILL lands in the middle of one
    slow = CuttingProxy(imap.port, cut_after=None, bytes_per_second=sum(map(len, sent)) / 3)
    with slow:
        toml = (mhome / "docgen.toml").read_text()
        (mhome / "docgen.toml").write_text(toml.replace(f"imap_port = {imap.port}", f"imap_port = {slow.port}"))
        for _kill in range(3):
            before = events(mhome, "mail-fetched")
            proc = start_watch(mhome)
            assert wait_for(lambda b=before: events(mhome, "mail-fetched") > b, 20)  # noqa: B023
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        assert imap.folders().get("docgen.processed", 0) < 5  # the kills left the work half done
        proc = start_watch(mhome)
        try:
            done = wait_for(lambda: imap.folders().get("docgen.processed") == 5, 60)
            assert done, (mhome.parent / "watch.err").read_text()[-3000:]
            wait_for(lambda: events(mhome, "judged") >= 4, 30)
        finally:
            assert stop(proc) < 10
    folders = imap.folders()
    assert (folders["INBOX"], folders["docgen.processed"], folders["docgen.failed"]) == (0, 5, 0)
    assert sorted(hashlib.sha256(x).hexdigest() for x in imap.messages("docgen.processed")) == sorted(
        hashlib.sha256(x).hexdigest() for x in [*sent, sent[0]])
    conn = sqlite3.connect(mhome / ".docgen" / "docgen.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 4
    # each attachment once: one document row, one archive copy
    for sub in submissions:
        for f in sub.files:
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            assert conn.execute("SELECT COUNT(*) FROM documents WHERE sha256 = ?", (digest,)).fetchone()[0] == 1
    copies = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (mhome / "archive").rglob("*.pdf")]
    assert len(copies) == len(set(copies))
    letters = conn.execute("SELECT case_ref, document, COUNT(*) FROM letters GROUP BY case_ref, document"
                           " HAVING COUNT(*) > 1").fetchall()
    assert letters == []
    assert conn.execute("SELECT COUNT(*) FROM duplicates").fetchone()[0] == 1  # the copy that arrived twice
    states = dict(conn.execute("SELECT state, COUNT(*) FROM mail_messages GROUP BY state").fetchall())
    assert states == {"moved": 5}
    assert list((mhome / ".docgen" / "mail").iterdir()) == []
    # no child's data in any log
    logs = (mhome / ".docgen" / "audit.jsonl").read_text() + (mhome.parent / "watch.err").read_text()
    for sub in submissions:
        pupil = sub.pupil
        for secret in (pupil.forename, pupil.surname, pupil.upn, pupil.dob.isoformat(), pupil.postcode,
                       pupil.dob.strftime("%d/%m/%Y")):
            assert secret not in logs


def test_wrong_password_while_watching(imap: Dovecot, mhome: Path) -> None:
    write_config(mhome, imap, password="stale password", poll_seconds=60)
    imap.append(m.no_attachment())
    proc = start_watch(mhome)
    try:
        status_file = mhome / ".docgen" / "mailbox.json"
        assert wait_for(lambda: status_file.exists() and '"ok": false' in status_file.read_text(), 20)
        time.sleep(2)  # the IDLE thread adds no logins of its own (the pass retries after poll_seconds)
        status = subprocess.run([DOCGEN, "status"], env=env_for(mhome), capture_output=True, text=True,
                                timeout=30).stdout
        assert "daemon: running" in status and "mailbox: PROBLEM" in status and "refused the login" in status
    finally:
        assert stop(proc) < 10
    failures = (imap.root / "dovecot.log").read_text().count("auth failed")
    assert failures == 1
    errors = [line for line in (mhome.parent / "watch.err").read_text().splitlines() if "refused the login" in line]
    assert errors and "stale password" not in (mhome.parent / "watch.err").read_text()
    assert imap.folders()["INBOX"] == 1
