"""The register as the desk pages it: counts by state, search by name, UPN or reference, pages of cases.

A search matches a case reference (or part of one), a UPN, or a name: every word typed must be found
in the pupil's forename, surname or preferred name (case-insensitive), so "noah ok" finds Noah Okonkwo.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from docgen.cases.model import State
from docgen.cases.store.cases import CaseRow, get_case

PER_PAGE = 25
_NAME_COLUMNS = ("$.pupil_forename", "$.pupil_surname", "$.pupil_preferred_name")


@dataclass(frozen=True)
class Page:
    """One page of the register."""

    cases: list[CaseRow]
    total: int
    page: int
    pages: int


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """How many cases are in each state (every state listed, zero included), in workflow order."""
    found = {r[0]: int(r[1]) for r in conn.execute("SELECT state, COUNT(*) FROM cases GROUP BY state")}
    return {s.value: found.get(s.value, 0) for s in State}


def _like(text: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def _where(state: str | None, query: str | None) -> tuple[str, list[str]]:
    clauses: list[str] = []
    params: list[str] = []
    if state:
        clauses.append("state = ?")
        params.append(state)
    words = (query or "").split()
    if words:
        compact = "".join(words).upper()
        name_parts = []
        for word in words:
            columns = " OR ".join(f"LOWER(COALESCE(json_extract(pupil_json, '{c}'), '')) LIKE ? ESCAPE '\\'"
                                  for c in _NAME_COLUMNS)
            name_parts.append(f"({columns})")
            params.extend([_like(word.lower())] * len(_NAME_COLUMNS))
        clauses.append(f"(({' AND '.join(name_parts)}) OR ref LIKE ? ESCAPE '\\' OR upn = ?)")
        params.extend([_like(compact), compact])
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search(conn: sqlite3.Connection, *, state: str | None = None, query: str | None = None, page: int = 1,
           per_page: int = PER_PAGE) -> Page:
    """The cases matching a state and a search, oldest reference first, one page of them."""
    where, params = _where(state, query)
    total = int(conn.execute(f"SELECT COUNT(*) FROM cases{where}", params).fetchone()[0])
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = conn.execute(f"SELECT ref FROM cases{where} ORDER BY year, seq LIMIT ? OFFSET ?",
                        [*params, per_page, (page - 1) * per_page]).fetchall()
    return Page(cases=[get_case(conn, r[0]) for r in rows], total=total, page=page, pages=pages)


def listing(conn: sqlite3.Connection, state: str | None = None) -> list[CaseRow]:
    """Every case (optionally in one state) with only what a register line shows: no other pupil details
    are read, so listing 5,000 cases stays quick (SPEC §12)."""
    columns = ("SELECT ref, state, created_at, period, json_extract(pupil_json, '$.pupil_forename') AS forename,"
               " json_extract(pupil_json, '$.pupil_surname') AS surname,"
               " json_extract(pupil_json, '$.school_name') AS school FROM cases")
    rows = (conn.execute(f"{columns} WHERE state = ? ORDER BY year, seq", (state,)) if state
            else conn.execute(f"{columns} ORDER BY year, seq"))
    return [CaseRow(ref=r["ref"], state=State(r["state"]), created_at=r["created_at"],
                          pupil={"pupil_forename": r["forename"], "pupil_surname": r["surname"],
                                 "school_name": r["school"]},
                          upn=None, surname=None, forename=None, dob=None, ehcp=False, period=r["period"])
            for r in rows]
