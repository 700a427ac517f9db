"""Corrections: a person keys in or corrects one value a document was read with (SPEC §14).

The original reading is kept beside the correction (table `corrections`, component `corrections`);
the document's reading that the checks and letters use carries the corrected value, and the case is
then judged again, so letters follow as the rules say — once, as letters are unique per trigger.
A value is converted by its field's type (SPEC §3), exactly as a reader's value would be.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from docgen import db
from docgen.cases import store
from docgen.cases.linking import case_identity, identity_of
from docgen.cases.service import CaseService, Judgement
from docgen.cases.store.filed import extraction_from_json, extraction_to_json
from docgen.errors import CaseError
from docgen.forms import FORMS, JMP_HEALTH
from docgen.forms.schema import Field, invalid_keys
from docgen.kinds import MAIN_KINDS, Extraction, Kind

# free-text evidence is read under the Health Information Form's keys (SPEC §3.5)
_SCHEMA_OF = {Kind.MEDICAL_LETTER.value: JMP_HEALTH.kind, Kind.FIT_NOTE.value: JMP_HEALTH.kind}


@dataclass(frozen=True)
class Correction:
    """One value keyed in or corrected by a person, beside what the reader had read."""

    case: str
    sha256: str
    key: str
    original: Any  # what the document was read as, before any correction
    value: Any
    note: str
    who: str
    at: str
    on: str

    def to_json(self) -> dict[str, Any]:
        return {"document": self.sha256, "key": self.key, "original": self.original, "value": self.value,
                "note": self.note, "who": self.who, "at": self.at, "on": self.on}


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the corrections table up to date (after the case tables)."""
    store.corrections.migrate(conn)


def field_of(kind: str, key: str) -> Field | None:
    """The data-dictionary field `key` of a document kind, when the kind has a form schema."""
    schema = FORMS.get(_SCHEMA_OF.get(kind, kind))
    if schema is None or key not in schema:
        return None
    return schema[key]


def correctable(extraction: Extraction) -> list[tuple[str, str]]:
    """(key, label) of every value that can be keyed in or corrected on this document."""
    schema = FORMS.get(_SCHEMA_OF.get(extraction.kind.value, extraction.kind.value))
    if schema is not None and extraction.kind.value in FORMS:
        return [(f.key, f.label) for f in schema.fields]
    keys = list(extraction.fields)
    return [(k, f.label if (f := field_of(extraction.kind.value, k)) else k.replace("_", " ")) for k in keys]


def convert(extraction: Extraction, key: str, raw: str) -> Any:
    """Read a typed value as the field's type; a CaseError says what is wrong with it."""
    keys = dict(correctable(extraction))
    if key not in keys:
        raise CaseError(f"{key!r} is not a field of this {extraction.kind.value.replace('_', ' ')} document; "
                        "choose one of the fields listed on the case page")
    text = raw.strip()
    field = field_of(extraction.kind.value, key)
    try:
        if field is not None:
            return field.type.convert(text)
        return _like(extraction.fields.get(key), text)
    except ValueError as exc:
        label = field.label if field is not None else key
        raise CaseError(f"'{label}' cannot be {text!r}: {exc}; nothing was changed") from None


def _like(current: Any, text: str) -> Any:
    """A value with no schema (attendance figures): the type the reader gave it."""
    if not text:
        return None
    if isinstance(current, bool):
        lowered = text.lower()
        if lowered in {"yes", "y", "true"}:
            return True
        if lowered in {"no", "n", "false"}:
            return False
        raise ValueError("answer yes or no")
    if isinstance(current, int):
        return int(text)
    if isinstance(current, float):
        return float(text)
    return text


def correct_field(service: CaseService, case: str, sha256: str, key: str, raw: str, *, note: str = "",
                  actor: str) -> Judgement:
    """Correct or key in one value of one of the case's documents, then judge the case again.

    Nothing changes when the case, document or key does not exist, the value cannot be read as its
    type, or it equals the value already read.
    """
    conn = service.conn
    migrate(conn)
    at = store.now_text(service.now())
    with db.transaction(conn):
        row = store.get_case(conn, case)
        doc = store.filed.of_case(conn, case, sha256)
        if doc is None:
            raise CaseError(f"{case} has no document {sha256[:12]}…; the case page lists its documents")
        extraction = extraction_from_json(doc["extraction_json"])
        value = convert(extraction, key, raw)
        current = extraction.fields.get(key)
        if value == current and key not in invalid_keys(extraction.warnings):
            raise CaseError(f"'{key}' already reads {_shown(value)}; nothing was changed")
        store.corrections.add(conn, case=case, sha256=sha256, key=key, original=current, value=value,
                              note=note.strip(), who=actor, at=at, on=service.today.isoformat())
        fields = {**extraction.fields, key: value}
        warnings = [w for w in extraction.warnings if key not in invalid_keys([w])]
        corrected = Extraction(file=extraction.file, kind=extraction.kind, method=extraction.method, fields=fields,
                               warnings=warnings, reason=extraction.reason, text=extraction.text)
        store.filed.set_reading(conn, sha256, extraction_to_json(corrected))
        if corrected.kind in MAIN_KINDS and row.period == doc["period"]:
            present = {k: v for k, v in fields.items() if v is not None}
            store.set_identity(conn, case, {**present, **case_identity(identity_of(corrected))})
    return service.judge(case)


def corrections(conn: sqlite3.Connection, case: str) -> list[Correction]:
    """The case's corrections in the order they were made; `original` is the reader's first value."""
    migrate(conn)
    first: dict[tuple[str, str], Any] = {}
    out = []
    for r in store.corrections.of_case(conn, case):
        original = first.setdefault((r["sha256"], r["key"]), json.loads(r["original_json"]))
        out.append(Correction(case=case, sha256=r["sha256"], key=r["key"], original=original,
                              value=json.loads(r["value_json"]), note=r["note"], who=r["who"], at=r["at"],
                              on=r["on_date"]))
    return out


def _shown(value: Any) -> str:
    if value is None:
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return repr(str(value))
