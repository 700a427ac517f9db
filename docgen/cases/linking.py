"""Which case a document belongs to (SPEC §4.3): case reference, then UPN, then surname + DOB (+ forename).

Nothing is guessed: no match or more than one match is reported as such, and the service keeps
the document as an "unmatched" review item.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from docgen.cases import store
from docgen.cases.model import CLOSED, State, find_reference
from docgen.kinds import Extraction


class Link(StrEnum):
    """How a document was linked (or why not)."""

    REFERENCE = "reference"
    UPN = "upn"
    NAME_DOB = "name_dob"
    BUNDLE = "bundle"
    NEW_CASE = "new_case"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"
    OWN_OUTPUT = "own_output"  # a letter docgen produced, saved back into the inbox: recorded, never judged


@dataclass(frozen=True)
class Identity:
    """Who a document is about, normalised for matching."""

    reference: str | None = None
    upn: str | None = None
    surname: str | None = None
    forename: str | None = None
    dob: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.reference or self.upn or (self.surname and self.dob))

    def differs_from(self, other: Identity) -> bool:
        """True when both name a child and the names or dates of birth disagree (R-DATA-MATCH's concern)."""
        if self.upn and other.upn and self.upn != other.upn:
            return True
        if self.dob and other.dob and self.dob != other.dob:
            return True
        return bool(self.surname and other.surname and self.surname != other.surname)


def normalise(name: object) -> str | None:
    """Lower case, accents removed, letters only: "O'Brien-Smith " → "obriensmith"."""
    if not isinstance(name, str) or not name.strip():
        return None
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    letters = "".join(ch for ch in text if ch.isalpha())
    return letters or None


def identity_of(extraction: Extraction) -> Identity:
    """The identity a document states: its fields, or a case reference written in it."""
    f = extraction.fields
    surname, forename = f.get("pupil_surname"), f.get("pupil_forename")
    full = f.get("pupil_name")
    if not surname and isinstance(full, str) and full.strip():
        parts = full.replace(",", " ").split()
        if "," in full:  # "Okonkwo, Noah"
            surname, forename = parts[0], " ".join(parts[1:]) or None
        else:
            surname, forename = parts[-1], " ".join(parts[:-1]) or None
    reference = None
    for value in (f.get("case_reference"), extraction.text[:20000] if extraction.text else None):
        if isinstance(value, str):
            reference = find_reference(value)
            if reference:
                break
    first = normalise(forename.split()[0]) if isinstance(forename, str) and forename.split() else None
    upn = f.get("pupil_upn")
    dob = f.get("pupil_dob")
    return Identity(reference=reference, upn=str(upn).upper().replace(" ", "") if upn else None,
                    surname=normalise(surname), forename=first, dob=str(dob) if dob else None)


def case_identity(identity: Identity) -> dict[str, Any]:
    """The matching columns to store on a case (see store.set_identity)."""
    return {"_upn": identity.upn, "_surname": identity.surname, "_forename": identity.forename,
            "_dob": identity.dob}


@dataclass(frozen=True)
class Match:
    """The outcome of linking one document."""

    case: str | None
    how: Link


def _prefer_open(rows: list[sqlite3.Row]) -> list[sqlite3.Row]:
    open_rows = [r for r in rows if State(r["state"]) not in CLOSED]
    if open_rows:
        return open_rows
    latest = max(rows, key=lambda r: (r["year"], r["seq"]), default=None)
    return [latest] if latest is not None else []


def _another_child(identity: Identity, row: sqlite3.Row) -> bool:
    """True when the document and the case name children whose surname and date of birth both differ."""
    return bool(identity.surname and row["surname"] and identity.surname != row["surname"]
                and identity.dob and row["dob"] and identity.dob != row["dob"])


def find(conn: sqlite3.Connection, identity: Identity, *, open_only: bool = False) -> Match:
    """Link by reference, then UPN, then surname + DOB (+ forename when several match).

    An open case is preferred to a closed one; with `open_only` (a new referral) closed cases are
    ignored, so a child referred again gets a new case.
    """
    if identity.reference:
        row = store.cases.row(conn, identity.reference)
        on_case = Identity(upn=row["upn"], surname=row["surname"], dob=row["dob"]) if row is not None else None
        if row is not None and not (open_only and State(row["state"]) in CLOSED) and on_case is not None \
                and not identity.differs_from(on_case):  # a mistyped reference never links another child
            return Match(row["ref"], Link.REFERENCE)
    steps: list[tuple[Link, str, tuple[str, ...]]] = []
    if identity.upn:
        steps.append((Link.UPN, "upn = ?", (identity.upn,)))
    if identity.surname and identity.dob:
        steps.append((Link.NAME_DOB, "surname = ? AND dob = ?", (identity.surname, identity.dob)))
    for how, where, args in steps:
        rows = store.cases.find_by(conn, where, args)
        if open_only:
            rows = [r for r in rows if State(r["state"]) not in CLOSED]
        if how is Link.UPN:  # a mistyped UPN never links another child: surname AND date of birth both differ
            rows = [r for r in rows if not _another_child(identity, r)]
        if not rows:
            continue
        if how is Link.NAME_DOB and identity.forename:  # a twin is a different child
            rows = [r for r in rows if r["forename"] in (None, identity.forename)]
            if not rows:
                continue
        rows = _prefer_open(rows) if not open_only else rows
        if len(rows) > 1 and identity.forename:
            rows = [r for r in rows if r["forename"] == identity.forename] or rows
        if len(rows) == 1:
            return Match(rows[0]["ref"], how)
        return Match(None, Link.AMBIGUOUS)
    return Match(None, Link.UNMATCHED)
