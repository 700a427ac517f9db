"""The `documents` rows (by SHA-256), duplicates, archive moves and docgen's own produced files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Literal

from docgen.kinds import Extraction, Kind, Method


def extraction_to_json(extraction: Extraction) -> str:
    """A document's reading as stored (its text too; a scan's confidences and boxes for R-DATA-UNCERTAIN, the desk)."""
    data = extraction.to_json()
    data["text"] = extraction.text
    if extraction.ocr is not None:
        data["ocr"] = extraction.ocr
    return json.dumps(data, ensure_ascii=False, default=str)


def extraction_from_json(text: str) -> Extraction:
    """A stored reading back as an `Extraction`."""
    data = json.loads(text)
    return Extraction(file=Path(data["file"]), kind=Kind(data["kind"]), method=Method(data["method"]),
                      fields=data.get("fields") or {}, warnings=list(data.get("warnings") or []),
                      reason=data.get("reason"), text=data.get("text") or "",
                      confidence=data.get("confidence"), ocr=data.get("ocr"))


def documents(conn: sqlite3.Connection, ref: str | None, *, period: int | None = None) -> list[sqlite3.Row]:
    """The documents of a case (or the unmatched ones for None), in order of arrival."""
    if ref is None:
        return list(conn.execute("SELECT * FROM documents WHERE case_ref IS NULL ORDER BY received_at, rowid"))
    if period is None:
        return list(conn.execute("SELECT * FROM documents WHERE case_ref = ? ORDER BY received_at, rowid", (ref,)))
    return list(conn.execute("SELECT * FROM documents WHERE case_ref = ? AND period = ? ORDER BY received_at, rowid",
                             (ref, period)))


def document_case(conn: sqlite3.Connection, sha256: str) -> str | None | Literal[False]:
    """The case of an ingested document; None when unmatched; False when never ingested."""
    row = conn.execute("SELECT case_ref FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return False
    ref: str | None = row["case_ref"]
    return ref


def bundle_case(conn: sqlite3.Connection, bundle: str) -> str | None:
    """The case an earlier part of the same bundle was linked to, if any."""
    row = conn.execute("SELECT case_ref FROM documents WHERE bundle = ? AND case_ref IS NOT NULL LIMIT 1",
                       (bundle,)).fetchone()
    return str(row["case_ref"]) if row is not None else None


def unmatched_in_bundle(conn: sqlite3.Connection, bundle: str) -> list[sqlite3.Row]:
    """The documents of a bundle still waiting for a case."""
    return conn.execute("SELECT * FROM documents WHERE bundle = ? AND case_ref IS NULL ORDER BY rowid",
                        (bundle,)).fetchall()


def add_document(conn: sqlite3.Connection, *, sha256: str, case: str | None, display_name: str, kind: str,
                 role: str, parent_sha256: str | None, bundle: str, container: bool, extraction_json: str,
                 received_at: str, archive_path: str, period: int, link: str, flag: str | None,
                 judged: bool = False, origin: str | None = None) -> None:
    """Record one filed original against its case (or unmatched), with the origin its source gave it."""
    conn.execute(
        "INSERT INTO documents (sha256, case_ref, display_name, kind, role, parent_sha256, bundle, container,"
        " extraction_json, received_at, archive_path, period, judged, link, flag, origin)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (sha256, case, display_name, kind, role, parent_sha256, bundle, int(container), extraction_json,
         received_at, archive_path, period, int(judged), link, flag, origin))


def relink(conn: sqlite3.Connection, sha256: str, *, case: str, archive_path: str, period: int, link: str,
           old_path: str, at: str) -> None:
    """Give an unmatched document to its case; its `unmatched/` copy is noted for removal (same transaction)."""
    conn.execute("UPDATE documents SET case_ref = ?, archive_path = ?, period = ?, judged = 0, link = ?"
                 " WHERE sha256 = ?", (case, archive_path, period, link, sha256))
    conn.execute("INSERT INTO archive_moves (sha256, old_path, at) VALUES (?, ?, ?)", (sha256, old_path, at))


def mark_judged(conn: sqlite3.Connection, case: str) -> None:
    """Every document of the case has been read by a check (or needs none)."""
    conn.execute("UPDATE documents SET judged = 1 WHERE case_ref = ? AND judged = 0", (case,))


def unjudged_arrivals(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(case, latest received_at) of every case with documents no check has read yet."""
    rows = conn.execute(
        "SELECT case_ref, MAX(received_at) AS latest FROM documents"
        " WHERE case_ref IS NOT NULL AND judged = 0 GROUP BY case_ref ORDER BY case_ref").fetchall()
    return [(r["case_ref"], r["latest"]) for r in rows]


def add_duplicate(conn: sqlite3.Connection, sha256: str, display_name: str, received_at: str) -> str | None | Literal[False]:
    """Record the same bytes arriving again against the earlier copy's case; False when never received."""
    case = document_case(conn, sha256)
    if case is False:
        return False
    conn.execute("INSERT INTO duplicates (sha256, case_ref, display_name, received_at) VALUES (?, ?, ?, ?)",
                 (sha256, case, display_name, received_at))
    return case


def produced_case(conn: sqlite3.Connection, sha256: str) -> str | None | Literal[False]:
    """The case of a file docgen produced (by its SHA-256); None for no case; False when docgen did not make it."""
    row = conn.execute("SELECT case_ref FROM produced WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        return False
    ref: str | None = row["case_ref"]
    return ref


def add_produced(conn: sqlite3.Connection, sha256: str, case: str, document: str, at: str) -> None:
    """Remember a file docgen produced, so a copy saved back into the inbox is known."""
    conn.execute("INSERT OR IGNORE INTO produced (sha256, case_ref, document, at) VALUES (?, ?, ?, ?)",
                 (sha256, case, document, at))


def extractions_by_kind(conn: sqlite3.Connection, case: str) -> list[sqlite3.Row]:
    """(kind, extraction_json) of the case's documents, in order of arrival."""
    return conn.execute("SELECT kind, extraction_json FROM documents WHERE case_ref = ?"
                        " ORDER BY received_at, rowid", (case,)).fetchall()


def evidence_extractions(conn: sqlite3.Connection, case: str) -> list[str]:
    """The extraction JSON of the case's medical evidence (JMP health forms, clinicians' letters), latest first."""
    rows = conn.execute("SELECT extraction_json FROM documents WHERE case_ref = ? AND kind IN ('jmp_health',"
                        " 'medical_letter') ORDER BY received_at DESC, rowid DESC", (case,)).fetchall()
    return [r["extraction_json"] for r in rows]


def arrived_between(conn: sqlite3.Connection, case: str, after: str, until: str) -> list[sqlite3.Row]:
    """(display_name, kind) of the case's documents received in (after, until]."""
    return conn.execute("SELECT display_name, kind FROM documents WHERE case_ref = ? AND container = 0"
                        " AND received_at > ? AND received_at <= ? ORDER BY received_at, rowid",
                        (case, after, until)).fetchall()


def unmatched_count(conn: sqlite3.Connection) -> int:
    """How many documents wait in review, linked to no case (containers and docgen's own output left out)."""
    row = conn.execute("SELECT COUNT(*) FROM documents WHERE case_ref IS NULL AND container = 0"
                       " AND link != 'own_output'").fetchone()
    return int(row[0])


def by_sha256(conn: sqlite3.Connection, sha256: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM documents WHERE sha256 = ?", (sha256,)).fetchall()


def by_sha256_prefix(conn: sqlite3.Connection, prefix: str, case: str | None = None) -> list[sqlite3.Row]:
    """The documents whose SHA-256 starts with `prefix` (of one case, when given)."""
    like = prefix.lower() + "%"
    if case is None:
        return conn.execute("SELECT * FROM documents WHERE sha256 LIKE ?", (like,)).fetchall()
    return conn.execute("SELECT * FROM documents WHERE case_ref = ? AND sha256 LIKE ?", (case, like)).fetchall()


def unmatched_named(conn: sqlite3.Connection, display_name: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM documents WHERE display_name = ? AND case_ref IS NULL",
                        (display_name,)).fetchall()


def of_case(conn: sqlite3.Connection, case: str, sha256: str) -> sqlite3.Row | None:
    """One document of the case, by its SHA-256."""
    row: sqlite3.Row | None = conn.execute("SELECT * FROM documents WHERE sha256 = ? AND case_ref = ?",
                                           (sha256, case)).fetchone()
    return row


def set_reading(conn: sqlite3.Connection, sha256: str, extraction_json: str) -> None:
    """Replace a document's reading (a person's correction); it is judged again."""
    conn.execute("UPDATE documents SET extraction_json = ?, judged = 0 WHERE sha256 = ?", (extraction_json, sha256))


def has_kind_since(conn: sqlite3.Connection, case: str, period: int, kind: str, since: str = "") -> bool:
    """Whether a document of `kind` arrived in the case's period (at or after `since`)."""
    row = conn.execute("SELECT 1 FROM documents WHERE case_ref = ? AND period = ? AND kind = ? AND received_at >= ?",
                       (case, period, kind, since)).fetchone()
    return row is not None


def first_of_kind(conn: sqlite3.Connection, case: str, period: int, kind: str) -> str | None:
    """When the first document of `kind` arrived in the case's period."""
    found: str | None = conn.execute("SELECT MIN(received_at) FROM documents WHERE case_ref = ? AND period = ?"
                                     " AND kind = ?", (case, period, kind)).fetchone()[0]
    return found


def is_filed_at(conn: sqlite3.Connection, archive_path: str) -> bool:
    """Whether a document row owns this archive copy."""
    return conn.execute("SELECT 1 FROM documents WHERE archive_path = ?", (archive_path,)).fetchone() is not None


def archive_moves(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """(id, sha256, old_path, archive_path) of every re-link whose old copy may still be in `unmatched/`."""
    return conn.execute("SELECT m.id, m.sha256, m.old_path, d.archive_path FROM archive_moves m"
                        " LEFT JOIN documents d ON d.sha256 = m.sha256 ORDER BY m.id").fetchall()


def moves_done(conn: sqlite3.Connection, ids: list[int]) -> None:
    conn.executemany("DELETE FROM archive_moves WHERE id = ?", [(i,) for i in ids])


def duplicates(conn: sqlite3.Connection, case: str) -> list[sqlite3.Row]:
    return conn.execute("SELECT * FROM duplicates WHERE case_ref = ? ORDER BY id", (case,)).fetchall()


def unreadable(conn: sqlite3.Connection) -> list[sqlite3.Row]:
    """Documents linked to a case that no reader could read (kind unknown), for a person to sort."""
    return conn.execute("SELECT * FROM documents WHERE case_ref IS NOT NULL AND kind = 'unknown' AND container = 0"
                        " ORDER BY received_at").fetchall()
