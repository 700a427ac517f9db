"""The per-case archive (SPEC §9): originals exactly as received, produced documents, and manifest.json.

    archive/<case ref>/manifest.json   {"case", "retain_until", "files": [{"path", "sha256", "kind",
                                         "role": "original"|"produced"|"attachment", "at", "from"?}]}
    archive/<case ref>/<files>         beside it
    archive/<case ref>/<scan>.searchable.pdf   a scan's searchable PDF/A ("role": "produced", "from": the scan)
    archive/unmatched/                 documents not yet linked to a case (review items)

Files are written to a temporary name, flushed, renamed, and their SHA-256 re-verified; the manifest is
rewritten atomically on every addition. Nothing here deletes or modifies an archived file.
Everything is created readable by the owner only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.db import private_dir
from docgen.errors import IntakeError
from docgen.files import fsync_dir, write_atomic, write_atomic_many

MANIFEST = "manifest.json"
UNMATCHED = "unmatched"
SEARCHABLE_SUFFIX = ".searchable.pdf"
_UNSAFE = re.compile(r"[^\w.\- ()+,]+", re.UNICODE)


@dataclass(frozen=True)
class Entry:
    """One file listed in a manifest."""

    path: str
    sha256: str
    kind: str
    role: str  # "original" | "produced" | "attachment"
    at: str
    source: str | None = None  # the email's/zip's sha256 for an attachment

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "sha256": self.sha256, "kind": self.kind,
                                "role": self.role, "at": self.at}
        if self.source:
            data["from"] = self.source
        return data


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder(archive_root: Path, case: str | None) -> Path:
    """The archive folder of a case (`unmatched/` for documents not linked to one), created owner-only."""
    private_dir(archive_root)
    return private_dir(archive_root / (case or UNMATCHED))


def retain_until(dob: dt.date | None, *, ehcp: bool, years: int, years_ehcp: int, received: dt.date) -> str:
    """Date of birth + 25 years (+31 with an EHCP); from the first receipt when the DOB is unknown."""
    base = dob or received
    add = years_ehcp if ehcp else years
    try:
        return base.replace(year=base.year + add).isoformat()
    except ValueError:  # 29 February
        return base.replace(year=base.year + add, day=28).isoformat()


def safe_name(display_name: str) -> str:
    """A file name that stays inside its folder whatever the sender called it."""
    name = Path(display_name.replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(". ") or "document"
    return name[:150]


def searchable_name(original: str) -> str:
    """The archive name of a scan's searchable PDF/A beside its original (SPEC §16): `scan.jpg.searchable.pdf`."""
    return f"{original}{SEARCHABLE_SUFFIX}"


def target_of(dest: Path, display_name: str, sha256: str, pending: Mapping[Path, str] | None = None) -> Path:
    """Where `store` puts (or finds) these bytes in `dest`: the safe name, or it + 8 hex digits when taken.

    `pending`: copies planned but not written yet (path → SHA-256), which take their names as a file would.
    """
    name = safe_name(display_name)
    target = dest / name
    taken = pending.get(target) if pending else None
    if taken is None and target.exists():
        taken = sha256_of(target)
    if taken is not None and taken != sha256:
        stem, suffix = Path(name).stem, Path(name).suffix
        target = dest / f"{stem}-{sha256[:8]}{suffix}"
    return target


def store(dest: Path, source: Path, display_name: str, sha256: str, *, sync_folder: bool = True) -> Path:
    """Copy `source` into the folder `dest` under a safe name, flushed and re-verified; return the copy.

    A file with the same bytes already there is reused; a different file with the same name gets the
    first 8 hex digits of its hash added to its name. Raises IntakeError when the copy does not verify.
    `sync_folder=False` when the folder's manifest is rewritten next (that syncs the folder).
    """
    target = target_of(dest, display_name, sha256)
    if target.exists() and sha256_of(target) == sha256:
        return target
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IntakeError(f"document {sha256[:12]} changed while it was being archived; it will be retried")
    write_atomic(target, data, sync_folder=sync_folder)
    if sha256_of(target) != sha256:
        raise IntakeError(f"the archive copy of document {sha256[:12]} does not verify; check the disk")
    return target


STORE_TOGETHER = 8  # copies written and fsynced together at most (their bytes are held meanwhile)


def store_many(dest: Path, sources: Sequence[tuple[Path, str, str]], *, sync_folder: bool = True,
               private: Collection[Path] = (), read: Mapping[Path, bytes] | None = None) -> list[Path]:
    """`store` for several files (source, display name, SHA-256) into the folder `dest`; returns each copy.

    The same copies, names and checks as calling `store` for each in turn, but the new copies' fsyncs are
    issued together (`files.write_atomic_many`: one journal commit for a group instead of one a file).
    A source in `private` is docgen's own work copy (an unpacked attachment, a searchable PDF it made), which
    nothing writes again and which is removed after filing: its archive copy is a hard link to it, not a
    new file. Never an inbox file or its link (issue 21). Its SHA-256 was taken from that very file by the
    caller, so it is not read and hashed again before: its temp file (the link, or the copy where the file
    system will not link) is hashed once, after the fsync and before any copy is renamed, so bytes that do
    not verify never reach an archive name. A source in `read` was read once by the caller, who took its
    SHA-256 from those very bytes: they are what is copied, not read and hashed again. Any other source is
    hashed before. Every copy is verified after, as it lies in the archive folder.
    """
    copies: list[Path] = []
    pending: dict[Path, str] = {}
    group: list[tuple[Path, bytes]] = []
    links: dict[Path, Path] = {}

    def check_link(temp: Path, target: Path) -> None:
        if target in links and sha256_of(temp) != pending[target]:
            raise IntakeError(f"document {pending[target][:12]} changed while it was being archived; it will be "
                              "retried")

    def write() -> None:
        write_atomic_many(group, sync_folders=False, links=links, before_rename=check_link)
        for target, _data in group:
            if target not in links and sha256_of(target) != pending[target]:
                raise IntakeError(f"the archive copy of document {pending[target][:12]} does not verify; "
                                  "check the disk")
        group.clear()
        links.clear()

    for source, display_name, sha256 in sources:
        target = target_of(dest, display_name, sha256, pending)
        copies.append(target)
        if target in pending or (target.exists() and sha256_of(target) == sha256):
            continue
        if read is not None and source in read:
            data = read[source]  # the bytes the caller hashed: the copy and its digest cannot disagree
        elif source in private:
            data = b""  # the link's, or read from the work copy where it cannot link (write_atomic_many)
            links[target] = source
        else:
            data = source.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise IntakeError(f"document {sha256[:12]} changed while it was being archived; it will be "
                                  "retried")
        pending[target] = sha256
        group.append((target, data))
        if len(group) >= STORE_TOGETHER:
            write()
    if group:
        write()
    if sync_folder and pending:
        fsync_dir(dest)
    return copies


def read_manifest(dest: Path) -> dict[str, Any]:
    """The folder's manifest, or an empty one."""
    path = dest / MANIFEST
    if not path.exists():
        return {"case": dest.name, "retain_until": None, "files": []}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def record(dest: Path, entries: list[Entry], *, case: str, retain: str | None) -> None:
    """Add entries to the folder's manifest (once each by path + sha256) and rewrite it atomically."""
    manifest = read_manifest(dest)
    known = {(f["path"], f["sha256"]) for f in manifest["files"]}
    for entry in entries:
        if (entry.path, entry.sha256) not in known:
            manifest["files"].append(entry.to_json())
            known.add((entry.path, entry.sha256))
    manifest["case"] = case
    if retain is not None:
        manifest["retain_until"] = retain
    body = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomic(dest / MANIFEST, body.encode("utf-8"))


def forget(dest: Path, sha256s: set[str], *, path: str | None = None) -> None:
    """Drop the entries of these files (only the one at `path` when given) from the folder's manifest."""
    manifest = read_manifest(dest)
    kept = [f for f in manifest["files"]
            if f.get("sha256") not in sha256s or (path is not None and f.get("path") != path)]
    if len(kept) == len(manifest["files"]):
        return
    manifest["files"] = kept
    body = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomic(dest / MANIFEST, body.encode("utf-8"))
