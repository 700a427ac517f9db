"""`docgen mail fetch` against a real Dovecot: each message once, moved only after it is committed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from tests.mail import messages as m
from tests.mail.conftest import Docgen, audit_lines, fetch_json, write_config
from tests.mail.servers import Dovecot


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def case_json(docgen: Docgen, ref: str) -> dict:
    result = docgen("case", ref, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def archived_hashes(home: Path) -> list[str]:
    """SHA-256 of every file in the archive (a copy twice would show twice)."""
    return sorted(sha(p.read_bytes()) for p in (home / "archive").rglob("*")
                  if p.is_file() and not p.name.endswith((".json", ".txt")))


def test_messages_are_processed_once_and_moved(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    files = m.submission(tmp_path / "sub")
    # Outlook sends PDFs inline, some clients without a file name at all
    nameless = m.submission(tmp_path / "sub2", "review", seed=5)
    sent = [m.with_files(files, disposition="inline", message_id="ref.1@riverside.example.org"),
            m.no_attachment(), m.with_files(nameless, disposition="inline", named=False)]
    for message in sent:
        imap.append(message)

    data = fetch_json(docgen("mail", "fetch", "--json"))
    by_uid = {e["uid"]: e for e in data["fetched"]}
    assert sorted(by_uid) == [1, 2, 3] and data["failed"] == []
    assert by_uid[1]["message_id"] == "<ref.1@riverside.example.org>"
    assert by_uid[1]["case"] and by_uid[1]["outcome"] == "accepted"
    assert by_uid[2]["case"] is None and by_uid[2]["outcome"] == "review"  # recorded and moved, never fetched again
    assert by_uid[3]["case"] and by_uid[3]["case"] != by_uid[1]["case"]

    folders = imap.folders()
    assert folders["INBOX"] == 0 and folders["docgen.processed"] == 3 and folders["docgen.failed"] == 0
    # every attachment is in its case's archive, byte for byte
    for ref, attached in ((by_uid[1]["case"], files), (by_uid[3]["case"], nameless)):
        case = case_json(docgen, ref)
        archived = {d["sha256"]: mhome / d["archive"] for d in case["documents"]}
        for f in attached:
            digest = sha(f.read_bytes())
            assert digest in archived, f.name
            assert sha(archived[digest].read_bytes()) == digest
    # the processed copies are the messages as sent
    assert sorted(sha(x) for x in imap.messages("docgen.processed")) == sorted(sha(x) for x in sent)

    again = fetch_json(docgen("mail", "fetch", "--json"))
    assert again == {"fetched": [], "failed": []}
    assert imap.folders()["docgen.processed"] == 3


def test_forwarded_rfc2231_and_non_ascii_names(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    files = m.submission(tmp_path / "sub", seed=7)
    inner = m.with_files(files, message_id="inner.7@riverside.example.org")
    imap.append(m.forwarded(inner))
    other = m.submission(tmp_path / "sub2", seed=8)
    parts = [m.part(other[0].read_bytes(), name_params="; filename*=UTF-8''R%C3%A9f%C3%A9rence%20%E2%80%93%20"
                    "%C3%9Cberweisung.pdf"),
             m.part(other[1].read_bytes(), name_params='; filename="=?UTF-8?B?'
                    + __import__("base64").b64encode("Gutachten Ärztin.pdf".encode()).decode() + '?="')]
    parts += [m.part(f.read_bytes(), name_params=f'; filename="{f.name}"') for f in other[2:]]
    imap.append(m.multipart(parts, message_id="names.8@riverside.example.org"))

    data = fetch_json(docgen("mail", "fetch", "--json"))
    assert len(data["fetched"]) == 2 and data["failed"] == []
    forwarded, named = sorted(data["fetched"], key=lambda e: e["uid"])
    assert forwarded["case"] and forwarded["outcome"] == "accepted"
    case = case_json(docgen, forwarded["case"])
    assert {sha(f.read_bytes()) for f in files} <= {d["sha256"] for d in case["documents"]}
    names = {d["file"] for d in case_json(docgen, named["case"])["documents"]}
    assert "Référence – Überweisung.pdf" in names and "Gutachten Ärztin.pdf" in names


def test_corrupt_encrypted_and_unreadable(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    files = m.submission(tmp_path / "sub", seed=9)
    locked = m.encrypted_pdf(files[1], tmp_path / "locked.pdf")
    corrupt = b"%PDF-1.7\n" + bytes(range(256)) * 40
    imap.append(m.multipart([m.part(files[0].read_bytes(), name_params='; filename="referral.pdf"'),
                             m.part(locked.read_bytes(), name_params='; filename="letter.pdf"'),
                             m.part(corrupt, name_params='; filename="attendance.pdf"')]))
    imap.append(m.too_deep())

    data = fetch_json(docgen("mail", "fetch", "--json"))
    assert [e["uid"] for e in data["fetched"]] == [1]
    assert data["fetched"][0]["case"]  # the readable referral made its case; the bad attachments are quarantined
    assert [e["uid"] for e in data["failed"]] == [2]
    assert data["failed"][0]["reason"].startswith("too-large:")
    folders = imap.folders()
    assert (folders["INBOX"], folders["docgen.processed"], folders["docgen.failed"]) == (0, 1, 1)
    quarantined = json.loads(docgen("quarantine", "--json").stdout)
    assert {q["code"] for q in quarantined} >= {"password-protected", "damaged", "too-large"}
    events = [e for e in audit_lines(mhome) if e["event"] == "mail-unreadable"]
    assert [(e["uid"], e["code"]) for e in events] == [(2, "too-large")]


def test_enormous_message_is_not_downloaded(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    write_config(mhome, imap, extra="[limits]\nmax_file_mb = 1\n")
    big = m.multipart([m.part(bytes(range(256)) * 8000, name_params='; filename="scan.pdf"')],
                      message_id="big.1@riverside.example.org")
    assert len(big) > 2 * 1024 * 1024
    imap.append(big)
    imap.append(m.no_attachment())
    data = fetch_json(docgen("mail", "fetch", "--json"))
    assert [e["uid"] for e in data["fetched"]] == [2]
    assert data["failed"] == [{"uid": 1, "reason": data["failed"][0]["reason"]}]
    assert "over 1 MB" in data["failed"][0]["reason"]
    assert imap.messages("docgen.failed") == [big]  # moved whole, never deleted
    assert not list((mhome / ".docgen" / "mail").iterdir())  # nothing of it was stored


def test_duplicates_by_bytes_and_by_message_id(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    files = m.submission(tmp_path / "sub", seed=11)
    first = m.with_files(files, message_id="dup.11@riverside.example.org")
    imap.append(first)
    imap.append(first)  # the same bytes twice
    # the same message again, through another relay (a header more: other bytes, same Message-ID)
    imap.append(b"Received: from relay2.example.org by mx.example.org; Mon, 2 Mar 2026 09:31:00 +0000\r\n" + first)
    data = fetch_json(docgen("mail", "fetch", "--json"))
    outcomes = sorted((e["uid"], e["outcome"]) for e in data["fetched"])
    assert outcomes == [(1, "accepted"), (2, "duplicate"), (3, "duplicate")]
    refs = {e["case"] for e in data["fetched"]}
    assert len(refs) == 1
    cases = json.loads(docgen("cases", "--json").stdout)
    assert len(cases) == 1
    assert len(case_json(docgen, refs.pop())["duplicates"]) == 2
    assert imap.folders()["docgen.processed"] == 3
    assert len(archived_hashes(mhome)) == len(set(archived_hashes(mhome)))


def test_journal_records_what_was_taken(tmp_path: Path, imap: Dovecot, mhome: Path, docgen: Docgen) -> None:
    message = m.with_files(m.submission(tmp_path / "sub", seed=12), message_id="j.12@riverside.example.org")
    imap.append(message)
    fetch_json(docgen("mail", "fetch", "--json"))
    conn = sqlite3.connect(mhome / ".docgen" / "docgen.sqlite3")
    rows = conn.execute("SELECT uidvalidity, uid, message_id, sha256, state FROM mail_messages").fetchall()
    assert len(rows) == 1
    uidvalidity, uid, message_id, digest, state = rows[0]
    assert uidvalidity > 0 and uid == 1 and message_id == "<j.12@riverside.example.org>"
    assert digest == sha(message) and state == "moved"
