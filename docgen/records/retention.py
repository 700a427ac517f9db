"""Retention (SPEC §9, RELIABILITY 52–53).

    past_retention(conn, settings, day) cases whose retention date (archive.retain_until) has passed
    quarantine_past_retention(…)        quarantined files linked to no case, on the same clock from arrival

The retention date is the one a case's manifest carries (cases.archive.retain_until).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from typing import Any

from docgen.cases import archive, store
from docgen.cases.model import State
from docgen.config import Settings

CLOSED_STATES = frozenset({State.ENDED, State.NOT_ACCEPTED})


# ---- retention ------------------------------------------------------------------------------------------------


def retention_date(row: store.CaseRow, settings: Settings) -> dt.date:
    """The case's retention date, exactly as its manifest gets it (archive.retain_until)."""
    dob = dt.date.fromisoformat(row.dob) if row.dob else None
    text = archive.retain_until(dob, ehcp=row.ehcp, years=settings.retention_years,
                                years_ehcp=settings.retention_years_ehcp,
                                received=dt.date.fromisoformat(row.created_at[:10]))
    return dt.date.fromisoformat(text)


@dataclass(frozen=True)
class Due:
    """A case whose retention date has passed."""

    case: str
    state: str
    retain_until: dt.date

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case, "state": self.state, "retain_until": self.retain_until.isoformat()}


def past_retention(conn: sqlite3.Connection, settings: Settings, today: dt.date) -> list[Due]:
    """Cases kept beyond their retention date (the date itself is the last day they are kept)."""
    store.migrate(conn)
    due = []
    for row in store.list_cases(conn):
        until = retention_date(row, settings)
        if until < today:
            due.append(Due(row.ref, row.state.value, until))
    return due


@dataclass(frozen=True)
class QuarantineDue:
    """A quarantined file (linked to no case) kept beyond its retention date, counted from its arrival."""

    name: str
    quarantined: dt.date
    retain_until: dt.date

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "quarantined": self.quarantined.isoformat(),
                "retain_until": self.retain_until.isoformat()}


def quarantine_past_retention(settings: Settings, today: dt.date) -> list[QuarantineDue]:
    """Quarantined files past the same clock as a case whose date of birth is unknown (RELIABILITY 53)."""
    from docgen.intake.quarantine import list_quarantine

    due = []
    for item in list_quarantine(settings.quarantine):
        arrived = dt.date.fromisoformat(item.at[:10])
        until = dt.date.fromisoformat(archive.retain_until(None, ehcp=False, years=settings.retention_years,
                                                           years_ehcp=settings.retention_years_ehcp,
                                                           received=arrived))
        if until < today:
            due.append(QuarantineDue(item.name, arrived, until))
    return due
