"""Export a case as a bundle a records system can ingest (SPEC §9, RELIABILITY 52–53).

    export(conn, settings, REF, dest)   manifest.json, index.csv (one row per file, no names or health
                                        details) and files/…, as a folder or a zip, written atomically
                                        and owner-only
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen import db
from docgen.cases import archive, store
from docgen.config import Settings
from docgen.errors import CaseError
from docgen.files import atomic_file, fsync_dir
from docgen.records.retention import CLOSED_STATES, retention_date
from docgen.records.verify import load_manifest

INDEX = "index.csv"
FILES = "files"
EXPORTS = "exports"
INDEX_COLUMNS = ("case", "path", "sha256", "kind", "role", "at", "from", "retain_until", "case_state",
                 "case_opened", "case_updated", "case_closed", "provision_start", "provision_end")


# ---- export ---------------------------------------------------------------------------------------------------


def default_destination(settings: Settings, case: str, today: dt.date) -> Path:
    """`<home>/exports/<REF>-<yyyy-mm-dd>.zip`."""
    return settings.home / EXPORTS / f"{case}-{today.isoformat()}.zip"


def _case_dates(conn: sqlite3.Connection, row: store.CaseRow) -> dict[str, str]:
    timeline = store.latest_timeline(conn, row.ref)
    updated = store.cases.updated_at(conn, row.ref)
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
        manifest = load_manifest(folder)
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
