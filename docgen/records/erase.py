"""Erasure (SPEC §9, RELIABILITY 52–53).

    erase(conn, settings, REF, today)   the case's archive (and its copies in archive/unmatched/), outbox,
                                        exports/REF-*, quarantine copies and register rows, for good: rows
                                        deleted with secure_delete, then compact(): the WAL truncated and the
                                        database vacuumed, so no byte of the case is left in its files

Erasure holds the home's intake lock (no daemon may run meanwhile), refuses (rolls back) when any table
still mentions the case after the deletes, and deletes the files inside the register's write
transaction: a crash before COMMIT leaves the case in the register, and the same erasure run again
finishes it. Only the event and the case reference go to the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen import db
from docgen.cases import archive, store
from docgen.config import Settings
from docgen.errors import CaseError
from docgen.files import write_atomic
from docgen.records.export import EXPORTS
from docgen.records.retention import retention_date
from docgen.records.verify import load_manifest

# Columns that tie a row of any table to a case, or to one of its documents.
CASE_COLUMNS = ("case_ref", "case", "ref")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
HASH_COLUMNS = ("sha256",)  # never parent_sha256: an email may name two children


# ---- erasure --------------------------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What erasing one case removed."""

    case: str
    retain_until: dt.date
    archive_files: int = 0
    outbox_files: int = 0
    quarantine_files: int = 0
    export_files: int = 0
    rows: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"erased": self.case, "retain_until": self.retain_until.isoformat(),
                "archive_files": self.archive_files, "outbox_files": self.outbox_files,
                "quarantine_files": self.quarantine_files, "export_files": self.export_files, "rows": self.rows}


def _document_hashes(conn: sqlite3.Connection, case: str) -> set[str]:
    """Every SHA-256 the case owns: its documents, their containers, its letters."""
    hashes = {r[0] for r in conn.execute("SELECT sha256 FROM documents WHERE case_ref = ?", (case,))}
    hashes |= {r[0] for r in conn.execute("SELECT parent_sha256 FROM documents WHERE case_ref = ?"
                                          " AND parent_sha256 IS NOT NULL", (case,))}
    hashes |= {r[0] for r in conn.execute("SELECT sha256 FROM letters WHERE case_ref = ? AND sha256 IS NOT NULL",
                                          (case,))}
    return hashes


def _shared_hashes(conn: sqlite3.Connection, case: str) -> set[str]:
    """Hashes other cases still refer to (one email naming two children): left for those cases."""
    rows = conn.execute("SELECT sha256, parent_sha256, bundle FROM documents"
                        " WHERE case_ref IS NOT ? AND case_ref IS NOT NULL", (case,))
    return {value for row in rows for value in row if value}


def _members(settings: Settings, containers: list[Path]) -> dict[str, set[str]]:
    """SHA-256 → display names of every member of the case's archived emails/zips, unpacked in isolation.

    A member that could not be read was quarantined at intake under its display name; its hash (and,
    for an empty file, whose hash every empty file shares, its name) is how it is known to be this case's.
    """
    if not containers:
        return {}
    from docgen.intake import reading
    from docgen.intake.isolate import Task, WorkerPool
    from docgen.read.bundle import members
    from docgen.read.names import safe_name

    found: dict[str, set[str]] = {}
    work = db.private_dir(settings.state_dir / "work")
    with tempfile.TemporaryDirectory(prefix="erase-", dir=work) as tmp, \
            WorkerPool(settings.limits, size=1) as pool:
        dirs = [Path(tmp) / f"c{n}" for n in range(len(containers))]
        tasks = [Task(reading.read_item, (str(path), str(wd), settings.limits))
                 for path, wd in zip(containers, dirs, strict=True)]
        for wd, outcome in zip(dirs, pool.run(tasks), strict=True):
            if outcome is not None and outcome.ok and outcome.value[0] == "bundle":
                for member in members(wd):
                    if member.path.is_file():
                        names = found.setdefault(archive.sha256_of(member.path), set())
                        names.add(safe_name(member.display_name, default="file"))
    return found


def _named_as(name: str, display_names: set[str]) -> bool:
    """Whether a quarantine name is one of the display names, or its `name (2).ext` variant."""
    for display in display_names:
        stem, dot, ext = display.rpartition(".")
        if not dot:
            stem, ext = display, ""
        pattern = re.escape(stem) + r"( \(\d+\))?" + (re.escape("." + ext) if ext else "")
        if re.fullmatch(pattern, name, flags=re.IGNORECASE):
            return True
    return False


def _quarantine_copies(settings: Settings, hashes: set[str], names: dict[str, set[str]]) -> list[tuple[Path, Path]]:
    """Quarantined files whose bytes belong to the case, each with its reason file."""
    from docgen.intake.quarantine import REASON_SUFFIX

    folder = settings.quarantine
    if not folder.is_dir() or not hashes:
        return []
    found: list[tuple[Path, Path]] = []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(REASON_SUFFIX) or path.is_symlink() or not path.is_file():
            continue
        digest = archive.sha256_of(path)
        if digest not in hashes:
            continue
        if digest == EMPTY_SHA256 and not _named_as(path.name, names.get(digest, set())):
            continue  # every empty file has this hash: only the one named as the case's attachment
        found.append((path, folder / f"{path.name}{REASON_SUFFIX}"))
    return found


def _unmatched_copies(settings: Settings, hashes: set[str]) -> tuple[list[Path], dict[str, Any] | None]:
    """Copies left in archive/unmatched/ by documents later linked to the case, and that manifest without them."""
    folder = settings.archive / archive.UNMATCHED
    if not folder.is_dir():
        return [], None
    try:
        manifest = load_manifest(folder)
    except (OSError, ValueError):
        return [], None
    keep = [f for f in manifest["files"] if f.get("sha256") not in hashes]
    gone = [folder / str(f["path"]) for f in manifest["files"]
            if f.get("sha256") in hashes and Path(str(f["path"])).name == str(f["path"])]
    if not gone:
        return [], None
    return gone, {**manifest, "files": keep}


def _exports(settings: Settings, case: str) -> list[Path]:
    """Bundles of the case made by `docgen archive export` into the home's exports/ folder."""
    folder = settings.home / EXPORTS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.name.startswith(f"{case}-") or p.name.startswith(f".{case}-"))


def _tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: [c[1] for c in conn.execute(f'PRAGMA table_info("{name}")')] for name in names}


def _delete_rows(conn: sqlite3.Connection, case: str, hashes: set[str]) -> int:
    """Delete every row of any table tied to the case by reference or by document hash."""
    conn.execute("PRAGMA defer_foreign_keys = ON")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS erase_hashes (sha256 TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM erase_hashes")
    conn.executemany("INSERT OR IGNORE INTO erase_hashes VALUES (?)", [(h,) for h in hashes])
    deleted = 0
    for table, columns in _tables(conn).items():
        if table == "schema_migrations":
            continue
        tests = [f'"{c}" = :case' for c in columns if c in CASE_COLUMNS]
        tests += [f'"{c}" IN (SELECT sha256 FROM erase_hashes)' for c in columns if c in HASH_COLUMNS]
        if tests:
            cursor = conn.execute(f'DELETE FROM "{table}" WHERE ' + " OR ".join(tests), {"case": case})
            deleted += max(cursor.rowcount, 0)
    conn.execute("DELETE FROM erase_hashes")
    return deleted


def remnants(conn: sqlite3.Connection, needles: Iterable[str]) -> list[str]:
    """Tables still holding any of the strings (in any text column), for the fail-closed check."""
    wanted = sorted(set(needles))
    if not wanted:
        return []
    found = []
    for table, columns in _tables(conn).items():
        for column in columns:
            test = " OR ".join(f'instr(CAST("{column}" AS TEXT), ?) > 0' for _ in wanted)
            if conn.execute(f'SELECT 1 FROM "{table}" WHERE {test} LIMIT 1', wanted).fetchone() is not None:
                found.append(f"{table}.{column}")
    return found


def _remove(path: Path) -> int:
    """Delete a file or a folder tree; how many files went."""
    if path.is_symlink() or path.is_file():
        path.unlink()
        return 1
    if path.is_dir():
        count = sum(1 for p in path.rglob("*") if p.is_file() or p.is_symlink())
        shutil.rmtree(path)
        return count
    return 0


def compact(conn: sqlite3.Connection) -> None:
    """Fold the WAL into the database, vacuum it, and truncate the WAL, so deleted bytes are gone.

    Raises CaseError when another connection keeps the WAL from being emptied.
    """
    try:
        for statement in ("PRAGMA wal_checkpoint(TRUNCATE)", "VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)"):
            row = conn.execute(statement).fetchone()
            if statement.startswith("PRAGMA") and row is not None and row[0]:
                raise sqlite3.OperationalError("checkpoint blocked by a reader")
    except sqlite3.OperationalError as exc:
        raise CaseError("another docgen command has the state database open, so erased data may still be in its "
                        "write-ahead log; close it and run `docgen retention --compact`") from exc


def erase(conn: sqlite3.Connection, settings: Settings, case: str, *, today: dt.date, force: bool = False) -> Erasure:
    """Remove the case for good: archive, outbox, quarantine copies, register rows; then compact the database.

    Refused (CaseError) before the retention date unless `force`; refused (IntakeError) while a daemon
    or `docgen process` holds the home.
    """
    from docgen.intake.audit import Audit
    from docgen.intake.lock import HomeLock

    store.migrate(conn)
    with HomeLock(settings.state_dir, "erase"):
        row = store.get_case(conn, case)
        until = retention_date(row, settings)
        if until >= today and not force:
            raise CaseError(f"{case} is kept until {until.isoformat()} (its retention date); it can be erased "
                            "after that date, or now with --force when the law requires it")
        result = Erasure(case, until)
        conn.execute("PRAGMA secure_delete = ON")
        hashes = _document_hashes(conn, case)
        shared = _shared_hashes(conn, case)
        containers = [settings.archive / r["archive_path"] for r in conn.execute(
            "SELECT archive_path FROM documents WHERE case_ref = ? AND container = 1", (case,))]
        members = _members(settings, [p for p in containers if p.is_file()])
        hashes = (hashes | set(members)) - shared
        quarantined = _quarantine_copies(settings, hashes, members)
        unmatched, unmatched_manifest = _unmatched_copies(settings, hashes)
        row_hashes = hashes - {EMPTY_SHA256}  # no data in it, and other files' rows share it
        with db.transaction(conn):
            result.rows = _delete_rows(conn, case, row_hashes)
            left = remnants(conn, [case, *row_hashes])
            left += sorted({f"{r[0]} (refers to {r[2]})" for r in conn.execute("PRAGMA foreign_key_check")})
            if left:
                raise CaseError(f"the register still mentions {case} or its documents in {', '.join(left)} (another "
                                "case's notes, or a table erasure does not know), so nothing was erased")
            # the archive folder last: its emails are how a re-run finds the quarantine copies again
            for path, reason in quarantined:
                result.quarantine_files += _remove(path)
                _remove(reason)
            for bundle in _exports(settings, case):
                result.export_files += _remove(bundle)
            result.outbox_files = _remove(settings.outbox / case)
            if unmatched_manifest is not None:
                body = json.dumps(unmatched_manifest, indent=2, ensure_ascii=False) + "\n"
                write_atomic(settings.archive / archive.UNMATCHED / archive.MANIFEST, body.encode("utf-8"))
            for path in unmatched:
                result.archive_files += _remove(path)
            result.archive_files += _remove(settings.archive / case)
        audit = Audit(settings.state_dir)
        audit.record("erased", case=case, count=result.rows)
        compact(conn)
    return result
