"""A person links what docgen could not: attach an unmatched document to a case, or open a case from it.

SPEC §4.3 sends a document that matches no case (or several) to review as "unmatched", never guessed.
These are the coordinator's way out of that review, used by the CLI (`docgen attach`, `docgen open`)
and the desk: the document (with the rest of its email or folder) moves from `archive/unmatched/` to
the case's folder in one transaction, the move and the person are recorded, and the case is checked
again — its letters follow once, as for any document that arrives.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen import db
from docgen.cases import archive, store
from docgen.cases.linking import case_identity, identity_of
from docgen.cases.model import CLOSED
from docgen.cases.service import CaseService
from docgen.cases.store.filed import extraction_from_json
from docgen.errors import CaseError

ATTACHED = "attached"  # documents.link of a document a person attached
_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True)
class Attached:
    """What attaching (or opening) did."""

    case: str
    action: str  # "attach" | "open"
    documents: list[dict[str, str]]  # {"sha256", "file", "kind"} of each moved document
    outcome: str  # the case's state after the re-check
    letters: list[Path] = field(default_factory=list)

    def to_json(self, home: Path) -> dict[str, Any]:
        return {"case": self.case, "action": self.action, "documents": self.documents, "state": self.outcome,
                "letters": [str(p.relative_to(home)) if p.is_relative_to(home) else str(p) for p in self.letters]}


def unmatched_count(conn: sqlite3.Connection) -> int:
    """How many documents wait in review, linked to no case (for `status` and `due`)."""
    return store.filed.unmatched_count(conn)


def find_unmatched(conn: sqlite3.Connection, key: str) -> sqlite3.Row:
    """The unmatched document named by `key`: its SHA-256 (or the first 8+ characters), a file with
    the same bytes, or the name it arrived with. A CaseError says what to do when none or several match.
    """
    text = key.strip()
    path = Path(text).expanduser()
    if path.is_file():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        rows = store.filed.by_sha256(conn, digest)
    elif len(text) >= 8 and set(text.lower()) <= _HEX:
        rows = store.filed.by_sha256_prefix(conn, text)
    else:
        rows = store.filed.unmatched_named(conn, text)
    if not rows:
        raise CaseError(f"no document {text!r} is waiting unmatched; `docgen cases` lists them at the bottom "
                        "with the start of their SHA-256 (give that, or the file itself)")
    linked = [r for r in rows if r["case_ref"] is not None]
    if len(rows) == 1 and linked:
        raise CaseError(f"that document is already in {linked[0]['case_ref']}; nothing to attach")
    rows = [r for r in rows if r["case_ref"] is None]
    if len(rows) > 1:
        raise CaseError(f"{text!r} names {len(rows)} unmatched documents; give more of the SHA-256")
    found: sqlite3.Row = rows[0]
    return found


def attach(service: CaseService, key: str, case: str, *, actor: str) -> Attached:
    """Attach the unmatched document `key` (and the rest of its submission) to `case`, then re-check the case."""
    conn = service.conn
    at = store.now_text(service.now())
    with db.transaction(conn):
        doc = find_unmatched(conn, key)
        row = store.get_case(conn, case)
        if row.state in CLOSED:
            raise CaseError(f"{case} is {row.state.value}: a closed case takes no documents; open a new case "
                            f"from it with `docgen open {doc['sha256'][:12]}`")
        moved = _move(service, doc, case, at)
        _record(conn, case, "attach", actor, at, service.today.isoformat(), moved)
    return _recheck(service, case, "attach", moved)


def open_case(service: CaseService, key: str, *, actor: str) -> Attached:
    """Open a new case from the unmatched document `key` (the child named on it), then check it."""
    conn = service.conn
    at = store.now_text(service.now())
    with db.transaction(conn):
        doc = find_unmatched(conn, key)
        extraction = extraction_from_json(doc["extraction_json"])
        fields = {k: v for k, v in extraction.fields.items() if v is not None}
        identity = {**fields, **case_identity(identity_of(extraction))}
        case = store.new_case(conn, service.today.year, at, identity)
        moved = _move(service, doc, case, at)
        _record(conn, case, "open", actor, at, service.today.isoformat(), moved)
    return _recheck(service, case, "open", moved)


def _move(service: CaseService, doc: sqlite3.Row, case: str, at: str) -> list[dict[str, str]]:
    """Move the document's whole bundle (still unmatched) into the case folder; record the old copies."""
    conn = service.conn
    row = store.get_case(conn, case)
    dest = archive.folder(service.settings.archive, case)
    siblings = store.filed.unmatched_in_bundle(conn, doc["bundle"])
    moved = []
    for sibling in siblings:
        copy = archive.store(dest, service.settings.archive / sibling["archive_path"], sibling["display_name"],
                             sibling["sha256"])
        store.filed.relink(conn, sibling["sha256"], case=case, archive_path=str(copy.relative_to(service.settings.archive)),
                           period=row.period, link=ATTACHED, old_path=sibling["archive_path"], at=at)
        moved.append({"sha256": sibling["sha256"], "file": sibling["display_name"], "kind": sibling["kind"]})
    service.write_manifest(case)
    service.write_manifest(None)
    return moved


def _record(conn: sqlite3.Connection, case: str, action: str, actor: str, at: str, today: str,
            moved: list[dict[str, str]]) -> None:
    """The person's act on the case's record: a decision row (who, when, which documents)."""
    names = ", ".join(m["sha256"][:12] for m in moved)
    reason = f"{'attached' if action == 'attach' else 'case opened from'} unmatched document(s) {names}"
    store.history.add_decision(conn, case, action=action, reason=reason, who=actor, at=at, on=today,
                               data={"documents": [m["sha256"] for m in moved]})


def _recheck(service: CaseService, case: str, action: str, moved: list[dict[str, str]]) -> Attached:
    service.finish_moves()
    judgement = service.judge(case)
    return Attached(case=case, action=action, documents=moved, outcome=store.get_case(service.conn, case).state.value,
                    letters=judgement.letters)
