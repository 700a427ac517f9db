"""The `corrections` rows: a value a person keyed in, beside what was read (component `corrections`)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from docgen import db
from docgen.cases.store import schema

MIGRATIONS = [
    """
CREATE TABLE corrections (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases (ref),
    sha256 TEXT NOT NULL REFERENCES documents (sha256),
    key TEXT NOT NULL,
    original_json TEXT NOT NULL,
    value_json TEXT NOT NULL,
    note TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    on_date TEXT NOT NULL
);
CREATE INDEX corrections_case ON corrections (case_ref, sha256)
""",
]


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the corrections table up to date (after the case tables)."""
    schema.migrate(conn)
    db.migrate(conn, "corrections", MIGRATIONS)


def add(conn: sqlite3.Connection, *, case: str, sha256: str, key: str, original: Any, value: Any, note: str,
        who: str, at: str, on: str) -> None:
    conn.execute(
        "INSERT INTO corrections (case_ref, sha256, key, original_json, value_json, note, who, at, on_date)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (case, sha256, key, json.dumps(original, default=str), json.dumps(value, default=str), note, who, at, on))


def of_case(conn: sqlite3.Connection, case: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM corrections WHERE case_ref = ? ORDER BY id", (case,)).fetchall()
