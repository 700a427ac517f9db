"""The exactly-once journal: one row per inbox item, keyed by its SHA-256, with an explicit state.

    seen → parsing → ingested → judged → done
             ├──→ quarantined   (cannot be read; `docgen retry` clears the mark)
             └──→ vanished      (deleted before it could be read; taken again if it comes back)
    duplicates of a known item are logged in `journal_duplicates`.

`seen`/`parsing`: fingerprinted and handed to the parsers (a batch is written straight as `parsing`, in
one commit); `ingested` means archived and committed by the case service (the inbox copy may still be
there, to be removed next); `judged` is passed through when the case is judged; `done` means judged (or
unmatched) and out of the inbox.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from docgen.db import migrate, transaction

MIGRATIONS = [
    """
    CREATE TABLE journal_items (
        sha256 TEXT PRIMARY KEY,
        state TEXT NOT NULL,
        kind TEXT,
        case_ref TEXT,
        code TEXT,
        quarantine_name TEXT,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX journal_items_state ON journal_items (state);
    CREATE TABLE journal_duplicates (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL,
        case_ref TEXT,
        at TEXT NOT NULL
    )
    """,
    # the inbox name an item was taken under: a restart finishes *that* entry; other names are duplicates
    "ALTER TABLE journal_items ADD COLUMN inbox_name TEXT",
]


class State(StrEnum):
    """Where an inbox item is in the pipeline."""

    SEEN = "seen"
    PARSING = "parsing"
    INGESTED = "ingested"
    JUDGED = "judged"
    DONE = "done"
    QUARANTINED = "quarantined"
    VANISHED = "vanished"


@dataclass(frozen=True)
class Entry:
    """One journal row."""

    sha256: str
    state: State
    kind: str | None
    case: str | None
    code: str | None
    quarantine_name: str | None
    inbox_name: str | None = None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Journal:
    """Read and move journal rows; every change is its own committed transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "journal", MIGRATIONS)

    def get(self, sha256: str) -> Entry | None:
        row = self.conn.execute(
            "SELECT sha256, state, kind, case_ref, code, quarantine_name, inbox_name FROM journal_items"
            " WHERE sha256 = ?", (sha256,),
        ).fetchone()
        if row is None:
            return None
        return Entry(row[0], State(row[1]), row[2], row[3], row[4], row[5], row[6])

    def mark(self, sha256: str, state: State, *, kind: str | None = None, case: str | None = None,
             code: str | None = None, quarantine_name: str | None = None) -> None:
        """Set an item's state (creating its row), keeping earlier kind/case when not given."""
        now = _now()
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO journal_items (sha256, state, kind, case_ref, code, quarantine_name, first_seen,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO UPDATE SET state = excluded.state,"
                " kind = COALESCE(excluded.kind, kind), case_ref = COALESCE(excluded.case_ref, case_ref),"
                " code = excluded.code, quarantine_name = COALESCE(excluded.quarantine_name, quarantine_name),"
                " updated_at = excluded.updated_at",
                (sha256, state.value, kind, case, code, quarantine_name, now, now),
            )

    def mark_many(self, items: Sequence[tuple[str, str]], state: State) -> None:
        """Set several (sha256, inbox name) items' state in one transaction (a batch entering a step)."""
        now = _now()
        with transaction(self.conn):
            self.conn.executemany(
                "INSERT INTO journal_items (sha256, state, inbox_name, first_seen, updated_at)"
                " VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (sha256) DO UPDATE SET state = excluded.state, code = NULL,"
                " inbox_name = excluded.inbox_name, updated_at = excluded.updated_at",
                [(sha, state.value, name, now, now) for sha, name in items],
            )

    def mark_case_judged(self, case: str) -> list[str]:
        """After a case was judged: its ingested items become done; returns their hashes."""
        with transaction(self.conn):
            rows = self.conn.execute(
                "SELECT sha256 FROM journal_items WHERE case_ref = ? AND state IN (?, ?)",
                (case, State.INGESTED.value, State.JUDGED.value),
            ).fetchall()
            self.conn.execute(
                "UPDATE journal_items SET state = ?, updated_at = ? WHERE case_ref = ? AND state IN (?, ?)",
                (State.DONE.value, _now(), case, State.INGESTED.value, State.JUDGED.value),
            )
        return [r[0] for r in rows]

    def in_state(self, *states: State) -> list[Entry]:
        marks = ",".join("?" for _ in states)
        rows = self.conn.execute(
            "SELECT sha256, state, kind, case_ref, code, quarantine_name FROM journal_items"
            f" WHERE state IN ({marks}) ORDER BY first_seen", [s.value for s in states],
        ).fetchall()
        return [Entry(r[0], State(r[1]), r[2], r[3], r[4], r[5]) for r in rows]

    def record_duplicate(self, sha256: str, case: str | None) -> None:
        with transaction(self.conn):
            self.conn.execute("INSERT INTO journal_duplicates (sha256, case_ref, at) VALUES (?, ?, ?)",
                              (sha256, case, _now()))

    def clear_quarantine(self, quarantine_name: str) -> int:
        """Forget the quarantine mark of the item put back by `docgen retry`; returns rows cleared."""
        with transaction(self.conn):
            cur = self.conn.execute("DELETE FROM journal_items WHERE state = ? AND quarantine_name = ?",
                                    (State.QUARANTINED.value, quarantine_name))
        return cur.rowcount

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, COUNT(*) FROM journal_items GROUP BY state").fetchall()
        return {r[0]: int(r[1]) for r in rows}
