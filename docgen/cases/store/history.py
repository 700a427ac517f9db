"""What was decided about a case: judgements (checks), decisions (the coordinator's), timelines."""

from __future__ import annotations

import json
import sqlite3
from typing import Any


def latest_timeline(conn: sqlite3.Connection, ref: str) -> sqlite3.Row | None:
    """The case's most recent timeline (the current period's, or the provisional one)."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM timelines WHERE case_ref = ? ORDER BY id DESC LIMIT 1", (ref,)).fetchone()
    return row


def last_judgement(conn: sqlite3.Connection, ref: str) -> sqlite3.Row | None:
    """The case's most recent check."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM judgements WHERE case_ref = ? ORDER BY id DESC LIMIT 1", (ref,)).fetchone()
    return row


def add_judgement(conn: sqlite3.Connection, ref: str, *, at: str, on: str, outcome: str, kind: str, period: int,
                  findings: list[dict[str, Any]], result: dict[str, Any]) -> int:
    """Record one check of the case; its id."""
    cursor = conn.execute(
        "INSERT INTO judgements (case_ref, at, on_date, outcome, kind, period, findings_json, result_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (ref, at, on, outcome, kind, period, json.dumps(findings, ensure_ascii=False),
         json.dumps(result, ensure_ascii=False, default=str)))
    return int(cursor.lastrowid or 0)


def judgement(conn: sqlite3.Connection, ident: Any) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM judgements WHERE id = ?", (ident,)).fetchone()
    return row


def add_decision(conn: sqlite3.Connection, ref: str, *, action: str, reason: str, who: str, at: str, on: str,
                 data: dict[str, Any] | None = None) -> int:
    """Record one decision of the coordinator (who, when, why); its id."""
    cursor = conn.execute(
        "INSERT INTO decisions (case_ref, action, reason, who, at, on_date, data_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ref, action, reason, who, at, on, json.dumps(data or {})))
    return int(cursor.lastrowid or 0)


def decision(conn: sqlite3.Connection, ident: Any) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM decisions WHERE id = ?", (ident,)).fetchone()
    return row


def last_decision(conn: sqlite3.Connection, ref: str) -> sqlite3.Row | None:
    """The case's most recent decision."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM decisions WHERE case_ref = ? ORDER BY id DESC LIMIT 1", (ref,)).fetchone()
    return row


def add_timeline(conn: sqlite3.Connection, ref: str, period: int, timeline: dict[str, Any], start: str, at: str, *,
                 provisional: bool) -> int:
    """Record the dates of one period (or the provisional one); its id."""
    cursor = conn.execute(
        "INSERT INTO timelines (case_ref, period, provisional, start, provision_end, data_json, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (ref, period, int(provisional), start, timeline["provision_end"], json.dumps(timeline), at))
    return int(cursor.lastrowid or 0)


def timeline(conn: sqlite3.Connection, ident: Any) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute("SELECT * FROM timelines WHERE id = ?", (ident,)).fetchone()
    return row


def judgements(conn: sqlite3.Connection, ref: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM judgements WHERE case_ref = ? ORDER BY id", (ref,)).fetchall()


def decisions(conn: sqlite3.Connection, ref: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM decisions WHERE case_ref = ? ORDER BY id", (ref,)).fetchall()


def accepted_on(conn: sqlite3.Connection, ref: str) -> list[str]:
    """The dates the case was accepted: by a check or by the coordinator."""
    return [r[0] for r in conn.execute(
        "SELECT on_date FROM judgements WHERE case_ref = ? AND outcome = 'accepted'"
        " UNION SELECT on_date FROM decisions WHERE case_ref = ? AND action = 'accept'", (ref, ref))]


def last_declined(conn: sqlite3.Connection, ref: str) -> str | None:
    """The date of the case's latest declined continuation request."""
    found: str | None = conn.execute("SELECT MAX(on_date) FROM decisions WHERE case_ref = ? AND action = 'decline'",
                                     (ref,)).fetchone()[0]
    return found
