"""The `letters` rows: planned once per trigger, pending until written, then done."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def add_letter(conn: sqlite3.Connection, ref: str, document: str, trigger: str, path: str, on: str,
               data: dict[str, Any], at: str) -> bool:
    """Plan a letter (status pending); False when this trigger already has its letter."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO letters (case_ref, document, trigger, path, on_date, data_json, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ref, document, trigger, path, on, json.dumps(data, ensure_ascii=False, default=str), at))
    return cursor.rowcount == 1


def path_taken(conn: sqlite3.Connection, path: str) -> bool:
    """Whether a letter row already owns this output path."""
    return conn.execute("SELECT 1 FROM letters WHERE path = ?", (path,)).fetchone() is not None


def planned(conn: sqlite3.Connection, ref: str, document: str, trigger: str) -> bool:
    """Whether this trigger already has its letter of this document."""
    return conn.execute("SELECT 1 FROM letters WHERE case_ref = ? AND document = ? AND trigger = ?",
                        (ref, document, trigger)).fetchone() is not None


def paths(conn: sqlite3.Connection, ref: str, trigger: str) -> list[str]:
    """The stored paths of the letters one trigger planned, in order."""
    return [r["path"] for r in conn.execute("SELECT path FROM letters WHERE case_ref = ? AND trigger = ? ORDER BY id",
                                            (ref, trigger))]


def pending(conn: sqlite3.Connection, ref: str) -> list[sqlite3.Row]:
    """The case's letters planned but not yet written, in order."""
    return list(conn.execute("SELECT * FROM letters WHERE case_ref = ? AND status = 'pending' ORDER BY id", (ref,)))


def cases_with_pending(conn: sqlite3.Connection) -> list[str]:
    """Every case with a letter planned but not yet written."""
    return [r[0] for r in conn.execute("SELECT DISTINCT case_ref FROM letters WHERE status = 'pending'")]


def still_pending(conn: sqlite3.Connection, ident: int) -> bool:
    """Whether the letter is still to be written (another process may have written it meanwhile)."""
    row = conn.execute("SELECT status FROM letters WHERE id = ?", (ident,)).fetchone()
    return row is not None and row["status"] == "pending"


def mark_done(conn: sqlite3.Connection, ident: int, sha256: str | None) -> None:
    conn.execute("UPDATE letters SET status = 'done', sha256 = ? WHERE id = ?", (sha256, ident))


def last_of(conn: sqlite3.Connection, ref: str, document: str, *, before: int | None = None) -> sqlite3.Row | None:
    """The case's latest letter of this document (planned before letter id `before`, when given)."""
    if before is None:
        row: sqlite3.Row | None = conn.execute(
            "SELECT * FROM letters WHERE case_ref = ? AND document = ? ORDER BY id DESC LIMIT 1",
            (ref, document)).fetchone()
    else:
        row = conn.execute("SELECT * FROM letters WHERE case_ref = ? AND document = ? AND id < ?"
                           " ORDER BY id DESC LIMIT 1", (ref, document, before)).fetchone()
    return row


def of_case(conn: sqlite3.Connection, ref: str, *, done_only: bool = False) -> list[sqlite3.Row]:
    """The case's letters in order (only those written, when `done_only`)."""
    if done_only:
        return list(conn.execute("SELECT * FROM letters WHERE case_ref = ? AND status = 'done' ORDER BY id", (ref,)))
    return list(conn.execute("SELECT * FROM letters WHERE case_ref = ? ORDER BY id", (ref,)))


def pending_count(conn: sqlite3.Connection) -> int:
    """How many letters of the whole register are planned but not yet written."""
    return int(conn.execute("SELECT COUNT(*) FROM letters WHERE status = 'pending'").fetchone()[0])
