"""What an officer checks first when something seems stuck (SPEC §10 `status`, §14 the desk's today page).

Is a daemon running on this home, how many files wait in the inbox, how many cases are settling,
how many files are quarantined, is the database usable, and the last problem the audit log recorded.
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from docgen import db
from docgen.config import Settings
from docgen.errors import IntakeError
from docgen.intake.audit import last_error
from docgen.intake.journal import Journal, State
from docgen.intake.lock import holder
from docgen.intake.problems import explain
from docgen.intake.quarantine import list_quarantine
from docgen.read.names import is_ignored


def inbox_waiting(settings: Settings) -> int:
    """Files in the inbox that intake will take (lock files and the like left out)."""
    if not settings.inbox.is_dir():
        return 0
    return sum(1 for e in os.scandir(settings.inbox) if not is_ignored(e.name))


def status(settings: Settings) -> dict[str, Any]:
    """The home's intake status as `docgen status --json` prints it."""
    who = holder(settings.state_dir) if settings.state_dir.is_dir() else None
    settling: int | None = None
    unmatched: int | None = None
    database = "missing"
    if settings.database.exists():
        try:
            conn = db.connect(settings.database, create=False)
            try:
                journal = Journal(conn)
                settling = len({e.case for e in journal.in_state(State.INGESTED, State.JUDGED) if e.case})
                unmatched = _unmatched(conn)
                database = "ok"
            finally:
                conn.close()
        except IntakeError as exc:
            database = f"unusable: {exc.message}"
    error = last_error(settings.state_dir / "audit.jsonl")
    return {
        "running": who is not None,
        "pid": who.pid if who else None,
        "mode": who.mode if who else None,
        "since": who.since if who else None,
        "inbox_waiting": inbox_waiting(settings),
        "cases_settling": settling,
        "quarantined": len(list_quarantine(settings.quarantine)),
        "unmatched": unmatched,
        "database": database,
        "last_error": error,
        "problem": explain(error.get("event"), error.get("code")) if error else None,  # in words
    }


def _unmatched(conn: sqlite3.Connection) -> int:
    """Documents waiting in review, linked to no case (none before the register's first use)."""
    from docgen.cases.attach import unmatched_count

    try:
        return unmatched_count(conn)
    except sqlite3.OperationalError:  # no documents table yet
        return 0
