"""The case register in SQLite: schema migrations and the queries the service needs.

Tables: cases, documents (by SHA-256), duplicates, judgements (findings per check), decisions
(who, when, why), letters (UNIQUE per case + document + trigger: a letter is produced once per
trigger), timelines (dates of each period), state_history (every transition with its cause).
Callers hold the transaction (docgen.db.transaction); nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from docgen import db
from docgen.cases.model import Action, State
from docgen.errors import CaseError

MIGRATIONS = [
    """
CREATE TABLE cases (
    ref TEXT PRIMARY KEY,
    year INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    pupil_json TEXT NOT NULL DEFAULT '{}',
    upn TEXT,
    surname TEXT,
    forename TEXT,
    dob TEXT,
    ehcp INTEGER NOT NULL DEFAULT 0,
    period INTEGER NOT NULL DEFAULT 0,
    UNIQUE (year, seq)
);
CREATE INDEX cases_upn ON cases (upn);
CREATE INDEX cases_name ON cases (surname, dob);
CREATE TABLE documents (
    sha256 TEXT PRIMARY KEY,
    case_ref TEXT REFERENCES cases (ref),
    display_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    parent_sha256 TEXT,
    bundle TEXT NOT NULL,
    container INTEGER NOT NULL DEFAULT 0,
    extraction_json TEXT NOT NULL,
    received_at TEXT NOT NULL,
    archive_path TEXT NOT NULL,
    period INTEGER NOT NULL DEFAULT 0,
    judged INTEGER NOT NULL DEFAULT 0,
    link TEXT NOT NULL,
    flag TEXT
);
CREATE INDEX documents_case ON documents (case_ref, judged);
CREATE INDEX documents_bundle ON documents (bundle);
CREATE TABLE duplicates (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL REFERENCES documents (sha256),
    case_ref TEXT,
    display_name TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE judgements (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases (ref),
    at TEXT NOT NULL,
    on_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    kind TEXT NOT NULL,
    period INTEGER NOT NULL,
    findings_json TEXT NOT NULL,
    result_json TEXT NOT NULL
);
CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases (ref),
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    on_date TEXT NOT NULL,
    data_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE timelines (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases (ref),
    period INTEGER NOT NULL,
    provisional INTEGER NOT NULL DEFAULT 0,
    start TEXT NOT NULL,
    provision_end TEXT,
    data_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases (ref),
    document TEXT NOT NULL,
    trigger TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    on_date TEXT NOT NULL,
    data_json TEXT NOT NULL DEFAULT '{}',
    sha256 TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL,
    UNIQUE (case_ref, document, trigger)
);
CREATE TABLE state_history (
    id INTEGER PRIMARY KEY,
    case_ref TEXT NOT NULL REFERENCES cases (ref),
    at TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    action TEXT NOT NULL,
    cause TEXT NOT NULL
)
""",
    # a document linked after it was filed in archive/unmatched/: its copy there, removed once the case's copy
    # is verified (committed with the re-link, so a kill at any point is finished by `finish_moves`)
    """
CREATE TABLE archive_moves (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    old_path TEXT NOT NULL,
    at TEXT NOT NULL
)
""",
    # who moved the case: the person behind a decision (NULL: docgen itself, e.g. a check)
    "ALTER TABLE state_history ADD COLUMN actor TEXT",
    # every file docgen produced (Word letters and their PDF copies), by SHA-256: one saved back is known
    """
CREATE TABLE produced (
    sha256 TEXT PRIMARY KEY,
    case_ref TEXT,
    document TEXT NOT NULL,
    at TEXT NOT NULL
)
""",
]


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the case tables up to date."""
    db.migrate(conn, "cases", MIGRATIONS)


def now_text(at: dt.datetime) -> str:
    """A timestamp as stored: ISO 8601 to the millisecond (the settle period is timed from it), with its offset."""
    return at.isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class CaseRow:
    """One case as stored."""

    ref: str
    state: State
    created_at: str
    pupil: dict[str, Any]
    upn: str | None
    surname: str | None
    forename: str | None
    dob: str | None
    ehcp: bool
    period: int

    @property
    def pupil_name(self) -> str:
        return " ".join(p for p in (self.pupil.get("pupil_forename"), self.pupil.get("pupil_surname")) if p)

    @property
    def school_name(self) -> str | None:
        value = self.pupil.get("school_name")
        return str(value) if value else None


def _case(row: sqlite3.Row) -> CaseRow:
    return CaseRow(ref=row["ref"], state=State(row["state"]), created_at=row["created_at"],
                   pupil=json.loads(row["pupil_json"]), upn=row["upn"], surname=row["surname"],
                   forename=row["forename"], dob=row["dob"], ehcp=bool(row["ehcp"]), period=row["period"])


def get_case(conn: sqlite3.Connection, ref: str) -> CaseRow:
    """The case, or a CaseError naming the reference."""
    row = conn.execute("SELECT * FROM cases WHERE ref = ?", (ref,)).fetchone()
    if row is None:
        raise CaseError(f"there is no case {ref}; `docgen cases` lists the register")
    return _case(row)


def list_cases(conn: sqlite3.Connection, state: str | None = None) -> list[CaseRow]:
    """Every case (optionally in one state), oldest reference first."""
    if state:
        rows = conn.execute("SELECT * FROM cases WHERE state = ? ORDER BY year, seq", (state,))
    else:
        rows = conn.execute("SELECT * FROM cases ORDER BY year, seq")
    return [_case(r) for r in rows]


def new_case(conn: sqlite3.Connection, year: int, at: str, identity: dict[str, Any]) -> str:
    """Open a case with the next reference of `year` (the year of first receipt)."""
    seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM cases WHERE year = ?", (year,)).fetchone()[0]
    ref = f"MN-{year}-{seq:04d}"
    conn.execute("INSERT INTO cases (ref, year, seq, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                 (ref, year, seq, State.RECEIVED.value, at, at))
    conn.execute("INSERT INTO state_history (case_ref, at, from_state, to_state, action, cause)"
                 " VALUES (?, ?, NULL, ?, 'open', ?)", (ref, at, State.RECEIVED.value, "referral received"))
    set_identity(conn, ref, identity)
    return ref


def set_identity(conn: sqlite3.Connection, ref: str, identity: dict[str, Any]) -> None:
    """Record who the case is about, from its main form (values left unchanged when the form has none)."""
    if not identity:
        return
    current = get_case(conn, ref)
    pupil = {**current.pupil, **{k: v for k, v in identity.items() if v not in (None, "") and not k.startswith("_")}}
    conn.execute(
        "UPDATE cases SET pupil_json = ?, upn = COALESCE(?, upn), surname = COALESCE(?, surname),"
        " forename = COALESCE(?, forename), dob = COALESCE(?, dob), ehcp = MAX(ehcp, ?) WHERE ref = ?",
        (json.dumps(pupil, ensure_ascii=False, default=str), identity.get("_upn"), identity.get("_surname"),
         identity.get("_forename"), identity.get("_dob"), int(bool(pupil.get("pupil_ehcp"))), ref),
    )


def move(conn: sqlite3.Connection, ref: str, to: State, *, action: Action, cause: str, at: str,
         actor: str | None = None) -> None:
    """Change the state (already checked against model.TRANSITIONS) and record the cause and who did it.

    `actor` is the person (a coordinator's decision); None when docgen itself moved the case.
    """
    current = get_case(conn, ref)
    conn.execute("UPDATE cases SET state = ?, updated_at = ? WHERE ref = ?", (to.value, at, ref))
    conn.execute("INSERT INTO state_history (case_ref, at, from_state, to_state, action, cause, actor)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", (ref, at, current.state.value, to.value, action.value, cause, actor))


def documents(conn: sqlite3.Connection, ref: str | None, *, period: int | None = None) -> list[sqlite3.Row]:
    """The documents of a case (or the unmatched ones for None), in order of arrival."""
    if ref is None:
        return list(conn.execute("SELECT * FROM documents WHERE case_ref IS NULL ORDER BY received_at, rowid"))
    if period is None:
        return list(conn.execute("SELECT * FROM documents WHERE case_ref = ? ORDER BY received_at, rowid", (ref,)))
    return list(conn.execute("SELECT * FROM documents WHERE case_ref = ? AND period = ? ORDER BY received_at, rowid",
                             (ref, period)))


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
