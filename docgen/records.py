"""Records management (SPEC §9, RELIABILITY 52–53): export a case, verify the archive, retention and erasure.

    export(conn, settings, REF, dest)   a bundle a records system can ingest: manifest.json, index.csv
                                        (one row per file, no names or health details) and files/…,
                                        as a folder or a zip, written atomically and owner-only
    verify(archive_root, REF | None)    every file's SHA-256 against its manifest; missing and unlisted files
    past_retention(conn, settings, day) cases whose retention date (archive.retain_until) has passed
    quarantine_past_retention(…)        quarantined files linked to no case, on the same clock from arrival
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

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from docgen import archive, db
from docgen.cases import store
from docgen.cases.model import State
from docgen.config import Settings
from docgen.errors import CaseError
from docgen.files import atomic_file, fsync_dir, write_atomic

INDEX = "index.csv"
FILES = "files"
EXPORTS = "exports"
INDEX_COLUMNS = ("case", "path", "sha256", "kind", "role", "at", "from", "retain_until", "case_state",
                 "case_opened", "case_updated", "case_closed", "provision_start", "provision_end")
CLOSED_STATES = frozenset({State.ENDED, State.NOT_ACCEPTED})
# Columns that tie a row of any table to a case, or to one of its documents.
CASE_COLUMNS = ("case_ref", "case", "ref")
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
HASH_COLUMNS = ("sha256",)  # never parent_sha256: an email may name two children


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


# ---- verify ---------------------------------------------------------------------------------------------------


class ProblemCode(StrEnum):
    """What is wrong with an archived file."""

    CHANGED = "changed"  # its bytes no longer match the manifest's SHA-256
    MISSING = "missing"  # listed in the manifest but not in the folder
    UNLISTED = "unlisted"  # in the folder but not in the manifest
    NO_MANIFEST = "no-manifest"  # the folder has no (readable) manifest.json


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the archive."""

    case: str
    path: str
    problem: ProblemCode
    expected: str | None = None
    actual: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case, "path": self.path, "problem": self.problem.value, "expected": self.expected,
                "actual": self.actual}

    def describe(self) -> str:
        where = f"archive/{self.case}/{self.path}" if self.path else f"archive/{self.case}/"
        return {
            ProblemCode.CHANGED: f"{where}: changed since it was archived (SHA-256 {self.actual}, "
                                 f"manifest says {self.expected})",
            ProblemCode.MISSING: f"{where}: listed in the manifest but missing",
            ProblemCode.UNLISTED: f"{where}: not listed in the manifest",
            ProblemCode.NO_MANIFEST: f"{where}: the manifest is missing or unreadable"
                                     + (f" ({self.actual})" if self.actual else ""),
        }[self.problem]


@dataclass
class Verification:
    """The result of checking archive folders against their manifests."""

    cases: list[str] = field(default_factory=list)
    files: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "cases": self.cases, "files": self.files,
                "problems": [p.to_json() for p in self.problems]}


def _is_temporary(name: str) -> bool:
    """A write interrupted by a crash leaves `.<name>.tmp` (archive._write_atomic); not a record."""
    return name.startswith(".") and name.endswith(".tmp")


def _load_manifest(folder: Path) -> dict[str, Any]:
    data: Any = json.loads((folder / archive.MANIFEST).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        raise ValueError("it has no list of files")
    return data


def verify_folder(folder: Path) -> tuple[int, list[Problem]]:
    """Check one archive folder: (files checked, problems)."""
    case = folder.name
    try:
        manifest = _load_manifest(folder)
    except FileNotFoundError:
        return 0, [Problem(case, archive.MANIFEST, ProblemCode.NO_MANIFEST)]
    except (OSError, ValueError) as exc:
        return 0, [Problem(case, archive.MANIFEST, ProblemCode.NO_MANIFEST, actual=type(exc).__name__)]
    problems: list[Problem] = []
    listed: set[str] = set()
    checked = 0
    for entry in manifest["files"]:
        path = str(entry.get("path", ""))
        expected = str(entry.get("sha256", ""))
        listed.add(path)
        target = folder / path
        if Path(path).name != path or not path or not target.is_file() or target.is_symlink():
            problems.append(Problem(case, path, ProblemCode.MISSING, expected=expected))
            continue
        checked += 1
        actual = archive.sha256_of(target)
        if actual != expected:
            problems.append(Problem(case, path, ProblemCode.CHANGED, expected=expected, actual=actual))
    for child in sorted(folder.iterdir()):
        if child.name == archive.MANIFEST or child.name in listed or _is_temporary(child.name):
            continue
        problems.append(Problem(case, child.name, ProblemCode.UNLISTED))
    return checked, problems


def verify(archive_root: Path, case: str | None = None, *, registered: Iterable[str] = ()) -> Verification:
    """Check one case's archive folder, or every folder (and that each registered case has one)."""
    result = Verification()
    if case is not None:
        folders = [archive_root / case]
        if not folders[0].is_dir():
            raise CaseError(f"there is no archive folder for {case}; `docgen cases` lists the register")
    else:
        folders = sorted(p for p in archive_root.iterdir() if p.is_dir()) if archive_root.is_dir() else []
        present = {p.name for p in folders}
        for ref in registered:
            if ref not in present:
                result.cases.append(ref)
                result.problems.append(Problem(ref, "", ProblemCode.NO_MANIFEST, actual="no archive folder"))
    for folder in folders:
        checked, problems = verify_folder(folder)
        result.cases.append(folder.name)
        result.files += checked
        result.problems.extend(problems)
    return result


# ---- export ---------------------------------------------------------------------------------------------------


def default_destination(settings: Settings, case: str, today: dt.date) -> Path:
    """`<home>/exports/<REF>-<yyyy-mm-dd>.zip`."""
    return settings.home / EXPORTS / f"{case}-{today.isoformat()}.zip"


def _case_dates(conn: sqlite3.Connection, row: store.CaseRow) -> dict[str, str]:
    timeline = store.latest_timeline(conn, row.ref)
    updated = conn.execute("SELECT updated_at FROM cases WHERE ref = ?", (row.ref,)).fetchone()["updated_at"]
    return {
        "case_state": row.state.value,
        "case_opened": row.created_at[:10],
        "case_updated": str(updated)[:10],
        "case_closed": str(updated)[:10] if row.state in CLOSED_STATES else "",
        "provision_start": str(timeline["start"]) if timeline is not None else "",
        "provision_end": str(timeline["provision_end"] or "") if timeline is not None else "",
    }


def index_rows(conn: sqlite3.Connection, settings: Settings, case: str,
               manifest: dict[str, Any]) -> list[dict[str, str]]:
    """One CSV row per archived file: where it is in the bundle, its hash and role, and the case's dates."""
    row = store.get_case(conn, case)
    common = {"case": case, "retain_until": retention_date(row, settings).isoformat(), **_case_dates(conn, row)}
    return [{**common, "path": f"{FILES}/{entry['path']}", "sha256": str(entry["sha256"]),
             "kind": str(entry.get("kind", "")), "role": str(entry.get("role", "")), "at": str(entry.get("at", "")),
             "from": str(entry.get("from") or "")} for entry in manifest["files"]]


def _index_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=INDEX_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _bundle_parts(conn: sqlite3.Connection, settings: Settings, case: str) -> Iterator[tuple[str, bytes]]:
    """(name in the bundle, bytes) of everything exported; each file re-verified against the manifest."""
    store.get_case(conn, case)  # an unknown reference is a CaseError before anything is written
    folder = settings.archive / case
    try:
        manifest = _load_manifest(folder)
    except (OSError, ValueError) as exc:
        raise CaseError(f"the archive of {case} has no readable manifest.json ({type(exc).__name__}); "
                        f"run `docgen archive verify {case}`") from exc
    rows = index_rows(conn, settings, case, manifest)
    yield archive.MANIFEST, (folder / archive.MANIFEST).read_bytes()
    yield INDEX, _index_csv(rows)
    for entry in manifest["files"]:
        name = str(entry["path"])
        path = folder / name
        if Path(name).name != name or not path.is_file():
            raise CaseError(f"archive/{case}/{name} is listed in the manifest but missing; nothing was exported; "
                            f"run `docgen archive verify {case}`")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise CaseError(f"archive/{case}/{name} does not match its manifest; nothing was exported; "
                            f"run `docgen archive verify {case}`")
        yield f"{FILES}/{name}", data


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _export_zip(parts: Iterator[tuple[str, bytes]], dest: Path) -> None:
    db.private_dir(dest.parent)
    with atomic_file(dest) as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            bundle.writestr(info, data)


def _export_folder(parts: Iterator[tuple[str, bytes]], dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CaseError(f"{dest} already exists and is not an empty folder; choose a new folder or a .zip file")
    db.private_dir(dest.parent)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        tmp.chmod(0o700)
        db.private_dir(tmp / FILES)
        for name, data in parts:
            _write_private(tmp / name, data)
        fsync_dir(tmp / FILES)
        fsync_dir(tmp)
        if dest.exists():
            dest.rmdir()
        tmp.rename(dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(dest.parent)


def export(conn: sqlite3.Connection, settings: Settings, case: str, dest: Path) -> Path:
    """Write the case's bundle to `dest`: a zip when it ends in .zip, else a new (or empty) folder."""
    from docgen.intake.audit import Audit

    parts = _bundle_parts(conn, settings, case)
    if dest.suffix.lower() == ".zip":
        _export_zip(parts, dest)
    else:
        _export_folder(parts, dest)
    Audit(settings.state_dir).record("exported", case=case)
    return dest


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
    from docgen.intake.bundle import members
    from docgen.intake.isolate import Task, WorkerPool
    from docgen.intake.names import safe_name

    found: dict[str, set[str]] = {}
    work = db.private_dir(settings.state_dir / "work")
    with tempfile.TemporaryDirectory(prefix="erase-", dir=work) as tmp, \
            WorkerPool(settings.limits, size=1) as pool:
        dirs = [Path(tmp) / f"c{n}" for n in range(len(containers))]
        tasks = [Task("docgen.intake.reading:read_item", (str(path), str(wd), settings.limits))
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
        manifest = _load_manifest(folder)
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
