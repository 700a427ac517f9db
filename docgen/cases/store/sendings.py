"""The `letter_sendings` rows: each letter emailed (or started to be), to whom, when (component `sending`)."""

from __future__ import annotations

import sqlite3

from docgen import db

MIGRATIONS = [
    """
    CREATE TABLE letter_sendings (
        id INTEGER PRIMARY KEY,
        case_ref TEXT NOT NULL REFERENCES cases (ref),
        letter_id INTEGER NOT NULL REFERENCES letters (id),
        document TEXT NOT NULL,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        to_addr TEXT NOT NULL,
        state TEXT NOT NULL,
        message_id TEXT NOT NULL,
        who TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX letter_sendings_case ON letter_sendings (case_ref)
    """,
]


def migrate(conn: sqlite3.Connection) -> None:
    db.migrate(conn, "sending", MIGRATIONS)


def of_case(conn: sqlite3.Connection, ref: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM letter_sendings WHERE case_ref = ? ORDER BY id", (ref,)).fetchall()


def last_to(conn: sqlite3.Connection, letter_id: int, address: str) -> sqlite3.Row | None:
    """The latest sending of this letter to this address (any case of letters), or None."""
    row: sqlite3.Row | None = conn.execute(
        "SELECT at, state FROM letter_sendings WHERE letter_id = ? AND lower(to_addr) = ? ORDER BY id DESC LIMIT 1",
        (letter_id, address.lower())).fetchone()
    return row


def start(conn: sqlite3.Connection, *, case: str, letter_id: int, document: str, file: str, sha256: str,
          to: str, message_id: str, who: str, at: str) -> int:
    """Record a sending as started (state `sending`) before the message goes; its id."""
    cursor = conn.execute(
        "INSERT INTO letter_sendings (case_ref, letter_id, document, file, sha256, to_addr, state, message_id,"
        " who, at) VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?)",
        (case, letter_id, document, file, sha256, to, message_id, who, at))
    return int(cursor.lastrowid or 0)


def forget(conn: sqlite3.Connection, ident: int) -> None:
    """A sending the server refused: nothing went."""
    conn.execute("DELETE FROM letter_sendings WHERE id = ?", (ident,))


def sent(conn: sqlite3.Connection, ident: int) -> None:
    conn.execute("UPDATE letter_sendings SET state = 'sent' WHERE id = ?", (ident,))
