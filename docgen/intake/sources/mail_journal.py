"""What was taken from the mailbox: one row per message, keyed by mailbox + UIDVALIDITY + UID (SPEC §15).

    fetched → taken → moved        (archived and committed by the pipeline, then moved to processed_folder)
       └────→ failed → moved       (unreadable: moved to failed_folder, the reason in the audit log)

Each row also holds the message's Message-ID and the SHA-256 of its bytes, so that a message seen
again — after a kill, under a new UIDVALIDITY, or sent twice — is finished or recorded as a
duplicate, never taken a second time. Every change is its own committed transaction.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from enum import StrEnum

from docgen.db import migrate, transaction

MIGRATIONS = [
    """
    CREATE TABLE mail_messages (
        id INTEGER PRIMARY KEY,
        mailbox TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_id TEXT,
        sha256 TEXT,
        size INTEGER,
        name TEXT NOT NULL,
        state TEXT NOT NULL,
        case_ref TEXT,
        outcome TEXT,
        reason TEXT,
        first_seen TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (mailbox, uidvalidity, uid)
    );
    CREATE INDEX mail_messages_sha ON mail_messages (sha256);
    CREATE INDEX mail_messages_message_id ON mail_messages (message_id)
    """,
]


class MailState(StrEnum):
    """Where a mailbox message is on its way from the folder to processed_folder (or failed_folder)."""

    FETCHED = "fetched"
    TAKEN = "taken"
    FAILED = "failed"
    MOVED = "moved"


@dataclass(frozen=True)
class MailRow:
    """One message taken from the mailbox."""

    id: int
    mailbox: str
    uidvalidity: int
    uid: int
    message_id: str | None
    sha256: str | None
    name: str
    state: MailState
    case: str | None
    outcome: str | None
    reason: str | None


_COLUMNS = "id, mailbox, uidvalidity, uid, message_id, sha256, name, state, case_ref, outcome, reason"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _row(r: sqlite3.Row) -> MailRow:
    return MailRow(int(r[0]), str(r[1]), int(r[2]), int(r[3]), _text(r[4]), _text(r[5]), str(r[6]),
                   MailState(str(r[7])), _text(r[8]), _text(r[9]), _text(r[10]))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class MailJournal:
    """Read and move mailbox rows."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        migrate(conn, "mail", MIGRATIONS)

    def by_uid(self, mailbox: str, uidvalidity: int, uid: int) -> MailRow | None:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM mail_messages WHERE mailbox = ? AND uidvalidity = ?"
                                " AND uid = ?", (mailbox, uidvalidity, uid)).fetchone()
        return _row(row) if row is not None else None

    def in_folder(self, mailbox: str, uidvalidity: int, uids: list[int]) -> dict[int, MailRow]:
        """The rows of these UIDs (the folder's current ones) under this UIDVALIDITY."""
        known: dict[int, MailRow] = {}
        for start in range(0, len(uids), 500):
            chunk = uids[start:start + 500]
            marks = ",".join("?" for _ in chunk)
            rows = self.conn.execute(f"SELECT {_COLUMNS} FROM mail_messages WHERE mailbox = ? AND uidvalidity = ?"
                                     f" AND uid IN ({marks})", (mailbox, uidvalidity, *chunk)).fetchall()
            known.update({int(r[3]): _row(r) for r in rows})
        return known

    def unfinished_same_bytes(self, mailbox: str, sha256: str, uidvalidity: int) -> MailRow | None:
        """A row of these bytes left half-way under an older UIDVALIDITY (the server renumbered the folder)."""
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM mail_messages WHERE mailbox = ? AND sha256 = ?"
                                " AND uidvalidity != ? AND state IN (?, ?, ?) ORDER BY id LIMIT 1",
                                (mailbox, sha256, uidvalidity, MailState.FETCHED.value, MailState.TAKEN.value,
                                 MailState.FAILED.value)).fetchone()
        return _row(row) if row is not None else None

    def earlier_copy(self, message_id: str | None, sha256: str, exclude: int) -> MailRow | None:
        """A message already taken with the same Message-ID or the same bytes (any mailbox)."""
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM mail_messages WHERE id != ? AND state IN (?, ?)"
            " AND COALESCE(outcome, '') NOT IN ('duplicate', 'failed')"
            " AND (sha256 = ? OR (message_id IS NOT NULL AND message_id = ?)) ORDER BY id LIMIT 1",
            (exclude, MailState.TAKEN.value, MailState.MOVED.value, sha256, message_id)).fetchone()
        return _row(row) if row is not None else None

    def add(self, mailbox: str, uidvalidity: int, uid: int, *, message_id: str | None, sha256: str | None,
            size: int | None, name: str) -> MailRow:
        now = _now()
        with transaction(self.conn):
            self.conn.execute(
                "INSERT INTO mail_messages (mailbox, uidvalidity, uid, message_id, sha256, size, name, state,"
                " first_seen, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (mailbox, uidvalidity, uid, message_id, sha256, size, name, MailState.FETCHED.value, now, now))
        row = self.by_uid(mailbox, uidvalidity, uid)
        assert row is not None
        return row

    def renumber(self, row_id: int, uidvalidity: int, uid: int) -> None:
        """The same message under the folder's new UIDVALIDITY: keep its row (and its pipeline name)."""
        with transaction(self.conn):
            self.conn.execute("UPDATE mail_messages SET uidvalidity = ?, uid = ?, updated_at = ? WHERE id = ?",
                              (uidvalidity, uid, _now(), row_id))

    def mark(self, row_id: int, state: MailState, *, case: str | None = None, outcome: str | None = None,
             reason: str | None = None) -> None:
        with transaction(self.conn):
            self.conn.execute(
                "UPDATE mail_messages SET state = ?, case_ref = COALESCE(?, case_ref),"
                " outcome = COALESCE(?, outcome), reason = COALESCE(?, reason), updated_at = ? WHERE id = ?",
                (state.value, case, outcome, reason, _now(), row_id))

    def settle_gone(self, mailbox: str, uidvalidity: int, uids: list[int]) -> int:
        """Rows waiting for their move whose UID has left the folder: the move was done (a kill came
        before it was marked) or a person moved it; either way it is out of the folder. Returns how many."""
        present = set(uids)
        rows = self.conn.execute("SELECT id, uid FROM mail_messages WHERE mailbox = ? AND uidvalidity = ?"
                                 " AND state IN (?, ?)", (mailbox, uidvalidity, MailState.TAKEN.value,
                                                          MailState.FAILED.value)).fetchall()
        gone = [int(r[0]) for r in rows if int(r[1]) not in present]
        for row_id in gone:
            self.mark(row_id, MailState.MOVED)
        return len(gone)

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT state, COUNT(*) FROM mail_messages GROUP BY state").fetchall()
        return {str(r[0]): int(r[1]) for r in rows}
