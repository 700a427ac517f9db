"""Faults against a real Dovecot: a wrong password, a server that dies mid-fetch, kills at every step,
a renumbered folder (UIDVALIDITY) — nothing lost, nothing twice."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.mail import messages as m
from tests.mail.conftest import Docgen, audit_lines, fetch_json, write_config
from tests.mail.servers import CuttingProxy, Dovecot, dovecot, self_signed


def conserved(imap: Dovecot, sent: list[bytes], *, processed: int | None = None) -> None:
    """Every message sent is in exactly one folder, whole; none is left in INBOX."""
    folders = imap.folders()
    assert folders.get("INBOX", 0) == 0
    moved = imap.messages("docgen.processed") + imap.messages("docgen.failed")
    assert sorted(hashlib.sha256(x).hexdigest() for x in moved) == sorted(hashlib.sha256(x).hexdigest() for x in sent)
    if processed is not None:
        assert folders["docgen.processed"] == processed


def once(home: Path, files: list[Path]) -> sqlite3.Connection:
    """Each attachment filed once, no duplicate recorded, no letter planned twice."""
    conn = sqlite3.connect(home / ".docgen" / "docgen.sqlite3")
    for f in files:
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        assert conn.execute("SELECT COUNT(*) FROM documents WHERE sha256 = ?", (digest,)).fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM duplicates").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM letters GROUP BY case_ref, document, trigger"
                        " HAVING COUNT(*) > 1)").fetchone()[0] == 0
    copies = [hashlib.sha256(p.read_bytes()).hexdigest() for p in (home / "archive").rglob("*.pdf")]
    assert len(copies) == len(set(copies))
    return conn


def test_wrong_password_one_line_and_status(imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    imap.append(m.no_attachment())
    write_config(mhome, imap, password="not the password")
    result = docgen("mail", "fetch", "--json")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("docgen: ")
    assert "refused the login" in result.stderr and "password_file" in result.stderr
    assert "not the password" not in result.stderr + result.stdout
    assert json.loads(result.stdout) == {"fetched": [], "failed": []}
    status = json.loads(docgen("status", "--json").stdout)
    assert status["mailbox"]["ok"] is False and "refused the login" in status["mailbox"]["problem"]
    text = docgen("status").stdout
    assert "mailbox: PROBLEM" in text and "refused the login" in text
    assert imap.folders()["INBOX"] == 1  # untouched

    write_config(mhome, imap)
    assert len(fetch_json(docgen("mail", "fetch", "--json"))["fetched"]) == 1
    assert json.loads(docgen("status", "--json").stdout)["mailbox"]["ok"] is True
    assert "not the password" not in (mhome / ".docgen" / "audit.jsonl").read_text()


def test_server_killed_mid_fetch_is_reconnected(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    subs = [m.submission(tmp_path / f"s{n}", seed=60 + n) for n in range(3)]
    sent = [m.with_files(files, message_id=f"drop.{n}@riverside.example.org") for n, files in enumerate(subs)]
    for message in sent:
        imap.append(message)

    def kill_then_restart() -> None:  # the server dies mid-FETCH and is back a moment later
        imap.kill()
        threading.Timer(0.5, imap.start).start()

    with CuttingProxy(imap.port, cut_after=sum(map(len, sent)) // 2, on_cut=kill_then_restart) as proxy:
        write_config(mhome, imap)
        toml = (mhome / "docgen.toml").read_text().replace(f"imap_port = {imap.port}", f"imap_port = {proxy.port}")
        (mhome / "docgen.toml").write_text(toml)
        data = fetch_json(docgen("mail", "fetch", "--json"))
        assert proxy.cut
    assert sorted(e["uid"] for e in data["fetched"]) == [1, 2, 3]
    assert all(e["outcome"] == "accepted" for e in data["fetched"])
    assert any(e["event"] == "mail-retry" for e in audit_lines(mhome))
    conserved(imap, sent, processed=3)
    conn = once(mhome, [f for files in subs for f in files])
    assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 3


@pytest.mark.parametrize("step", ["mail-fetched", "ingested", "mail-taken", "mail-moved"])
def test_killed_at_each_step_then_finished_once(step: str, tmp_path: Path, imap: Dovecot, mhome: Path,
                                                docgen: Docgen) -> None:
    files = m.submission(tmp_path / "sub", seed=70)
    sent = [m.with_files(files, message_id="step.70@riverside.example.org"), m.no_attachment()]
    for message in sent:
        imap.append(message)
    crashed = docgen("mail", "fetch", "--json", DOCGEN_CRASH_AT=step)
    assert crashed.returncode == 137, crashed.stderr
    if step == "ingested":  # and the server renumbers the folder before the next run
        before = imap.uidvalidity()
        imap.reset_uidvalidity()
        assert imap.uidvalidity() != before
    data = fetch_json(docgen("mail", "fetch", "--json"))
    assert fetch_json(docgen("mail", "fetch", "--json")) == {"fetched": [], "failed": []}
    assert data["failed"] == [] and len(data["fetched"]) <= 2
    if step in {"ingested", "mail-taken"}:  # finished by the second run: the referral's real outcome
        assert [e["outcome"] for e in data["fetched"] if e["case"]] == ["accepted"]
    conserved(imap, sent, processed=2)
    conn = once(mhome, files)
    assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 1
    assert dict(conn.execute("SELECT state, COUNT(*) FROM mail_messages GROUP BY state").fetchall()) == {"moved": 2}
    assert list((mhome / ".docgen" / "mail").iterdir()) == []  # no message left behind in the staging folder


def test_tls_implicit_and_starttls_with_verification(tmp_path: Path, mhome: Path, docgen: Docgen) -> None:
    cert, key = self_signed(tmp_path)
    with dovecot(tls=(cert, key)) as server:
        server.append(m.no_attachment("tls.1@example.org"))
        server.append(m.no_attachment("tls.2@example.org"))
        toml = (mhome / "docgen.toml").read_text()

        def use(security: str, port: int) -> None:
            text = re.sub(r"imap_port = \d+", f"imap_port = {port}", toml)
            (mhome / "docgen.toml").write_text(text.replace('security = "none"', f'security = "{security}"'))

        use("ssl", server.tls_port)
        untrusted = docgen("mail", "fetch")  # a certificate nobody vouched for: refused, not retried
        assert untrusted.returncode == 1 and untrusted.stderr.count("\n") == 1
        assert "cannot be trusted (self-signed certificate)" in untrusted.stderr
        assert server.folders()["INBOX"] == 2

        server.append(m.no_attachment("tls.3@example.org"))
        assert len(fetch_json(docgen("mail", "fetch", "--json", SSL_CERT_FILE=str(cert)))["fetched"]) == 3
        server.append(m.no_attachment("tls.4@example.org"))
        use("starttls", server.port)
        assert len(fetch_json(docgen("mail", "fetch", "--json", SSL_CERT_FILE=str(cert)))["fetched"]) == 1
        assert server.folders()["docgen.processed"] == 4
