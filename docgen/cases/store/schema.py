"""The case register's tables: their schema migrations, and how a timestamp is stored.

Tables: cases, documents (by SHA-256), duplicates, judgements (findings per check), decisions
(who, when, why), letters (UNIQUE per case + document + trigger: a letter is produced once per
trigger), timelines (dates of each period), state_history (every transition with its cause),
archive_moves, produced.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from docgen import db

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
    # where each document's item came from (SPEC §15): `inbox:<name>` or the message's IMAP URL (NULL: before this)
    "ALTER TABLE documents ADD COLUMN origin TEXT",
]


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the case tables up to date."""
    db.migrate(conn, "cases", MIGRATIONS)


def now_text(at: dt.datetime) -> str:
    """A timestamp as stored: ISO 8601 to the millisecond (the settle period is timed from it), with its offset."""
    return at.isoformat(timespec="milliseconds")
