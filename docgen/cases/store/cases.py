"""The `cases` rows and their state history: open, name, move, read."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from docgen.cases.model import Action, State
from docgen.errors import CaseError


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


def exists(conn: sqlite3.Connection, ref: str) -> bool:
    """Whether the register has this case."""
    return conn.execute("SELECT 1 FROM cases WHERE ref = ?", (ref,)).fetchone() is not None


def set_period(conn: sqlite3.Connection, ref: str, period: int) -> None:
    """The case's current period of provision (0 before the first is scheduled)."""
    conn.execute("UPDATE cases SET period = ? WHERE ref = ?", (period, ref))


def find_by(conn: sqlite3.Connection, where: str, args: tuple[str, ...]) -> list[sqlite3.Row]:
    """The cases matching one of linking's fixed clauses (`upn = ?`, `surname = ? AND dob = ?`)."""
    return list(conn.execute(f"SELECT * FROM cases WHERE {where}", args))  # noqa: S608 - fixed clauses


def row(conn: sqlite3.Connection, ref: str) -> sqlite3.Row | None:
    """The case's raw row, or None."""
    found: sqlite3.Row | None = conn.execute("SELECT * FROM cases WHERE ref = ?", (ref,)).fetchone()
    return found


def history(conn: sqlite3.Connection, ref: str) -> list[sqlite3.Row]:
    """Every state change of the case, in order."""
    return conn.execute("SELECT * FROM state_history WHERE case_ref = ? ORDER BY id", (ref,)).fetchall()


def note(conn: sqlite3.Connection, ref: str, state: State, *, action: str, cause: str, at: str,
         actor: str | None) -> None:
    """A line in the case history that does not change its state (a letter emailed)."""
    conn.execute("INSERT INTO state_history (case_ref, at, from_state, to_state, action, cause, actor)"
                 " VALUES (?, ?, ?, ?, ?, ?, ?)", (ref, at, state.value, state.value, action, cause, actor))


def updated_at(conn: sqlite3.Connection, ref: str) -> str:
    """When the case last changed."""
    return str(conn.execute("SELECT updated_at FROM cases WHERE ref = ?", (ref,)).fetchone()["updated_at"])
