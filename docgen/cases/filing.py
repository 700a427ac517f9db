"""Archive copies made inside a register transaction, undone when the transaction does not commit.

Filing a document writes its archive copy first and commits its row after: a full disk, an error or a
kill between the two would leave a copy no row knows of (in `unmatched/`, or in the folder of a case
reference the next referral then gets). So each new copy is noted in `state_dir/filing.log`
before it is written; after the commit the note is dropped; when the transaction fails the copies are
removed at once, and after a kill `recover` removes every noted copy that no committed row points to.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from docgen.cases import archive, store
from docgen.db import private_dir, transaction
from docgen.errors import IntakeError

LOG = "filing.log"


class Filing:
    """The new archive copies of one transaction."""

    def __init__(self, archive_root: Path, state_dir: Path) -> None:
        self.root = archive_root
        self.log = state_dir / LOG
        self.created: list[tuple[str, Path]] = []
        self._planned: dict[Path, str] = {}  # copies noted but not written yet: path → SHA-256
        self._waiting: list[tuple[Path, Path, str, str, Path]] = []  # (dest, source, name, sha, target)
        self._private: set[Path] = set()  # sources that are docgen's own work copies: linked, not copied

    def store(self, dest: Path, source: Path, display_name: str, sha256: str, *, private: bool = False) -> Path:
        """Plan `archive.store`'s copy (noting a copy that does not exist yet) and return its path; it is
        written by `flush`, which the transaction calls before anything reads the copies (the manifests).

        The copies of one flush are fsynced together (`archive.store_many`). The folder is not synced here:
        the transaction rewrites the manifest of every folder it filed into (`CaseService._write_manifest`),
        which syncs it, before it commits. A `private` source (docgen's own work copy, never an inbox file) is
        hard-linked into the archive rather than copied (`archive.store_many`).
        """
        target = archive.target_of(dest, display_name, sha256, self._planned)
        if target in self._planned or (target.exists() and archive.sha256_of(target) == sha256):
            return target  # the same bytes are (or will be) there already
        self._note(sha256, target)
        self._planned[target] = sha256
        self._waiting.append((dest, source, display_name, sha256, target))
        if private:
            self._private.add(source)
        return target

    def flush(self) -> None:
        """Write every copy planned since the last flush (flushed, re-verified: `archive.store_many`)."""
        folders: dict[Path, list[tuple[Path, str, str, Path]]] = {}
        for dest, source, name, sha256, target in self._waiting:
            folders.setdefault(dest, []).append((source, name, sha256, target))
        try:
            for dest, copies in folders.items():
                made = archive.store_many(dest, [(source, name, sha) for source, name, sha, _t in copies],
                                          sync_folder=False, private=self._private)
                if made != [target for _s, _n, _h, target in copies]:  # never: the folder changed under us
                    raise IntakeError("the archive folder changed while documents were filed into it; retried")
        finally:
            self._waiting.clear()
            self._planned.clear()
            self._private.clear()

    def _note(self, sha256: str, target: Path) -> None:
        private_dir(self.log.parent)
        line = f"{sha256} {target.relative_to(self.root).as_posix()}\n"
        fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8", "surrogateescape"))  # in the page cache: a kill cannot lose it
        finally:
            os.close(fd)
        self.created.append((sha256, target))

    def committed(self) -> None:
        """The rows are committed: the copies are theirs."""
        self.created.clear()
        self.log.unlink(missing_ok=True)

    def rolled_back(self, conn: sqlite3.Connection) -> None:
        """The transaction failed: remove the copies it made (those no committed row points to)."""
        with contextlib.suppress(OSError, sqlite3.Error):
            undo(conn, self.root, self.created)
            self.created.clear()
            self.log.unlink(missing_ok=True)


def undo(conn: sqlite3.Connection, root: Path, created: list[tuple[str, Path]]) -> int:
    """Remove copies no `documents` row points to, and their manifest entries; returns files removed."""
    removed = 0
    for sha256, path in created:
        relative = path.relative_to(root).as_posix()
        if store.filed.is_filed_at(conn, relative):
            continue
        if path.exists():
            path.unlink()
            removed += 1
        if (path.parent / archive.MANIFEST).exists():
            archive.forget(path.parent, {sha256}, path=path.name)
    return removed


def recover(conn: sqlite3.Connection, archive_root: Path, state_dir: Path) -> int:
    """After a kill: remove the noted copies of a transaction that never committed; returns files removed."""
    log = state_dir / LOG
    try:
        text = log.read_bytes().decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        return 0
    created = []
    for line in text.splitlines():
        sha256, _, relative = line.partition(" ")
        target = (archive_root / relative).resolve()
        if relative and target.is_relative_to(archive_root.resolve()):
            created.append((sha256, archive_root / relative))
    removed = undo(conn, archive_root, created)
    log.unlink(missing_ok=True)
    return removed


def finish_moves(conn: sqlite3.Connection, root: Path) -> int:
    """Remove the `unmatched/` copies of documents re-linked to a case, once the case's copy verifies.

    The re-link committed the new place and a row per old copy in one transaction; this step is
    idempotent, so a kill anywhere is finished here on the next start (`resume`). Returns copies removed.
    """
    rows = store.filed.archive_moves(conn)
    if not rows:
        return 0
    gone: set[str] = set()
    done: list[int] = []
    for row in rows:
        old = root / row["old_path"]
        new = root / row["archive_path"] if row["archive_path"] else None
        if new is None or row["archive_path"] == row["old_path"]:
            done.append(row["id"])  # erased, or back where it was: nothing to remove
            continue
        if not new.is_file() and old.is_file():
            archive.store(new.parent, old, new.name, row["sha256"])  # the copy was lost: make it again
        if new.is_file() and archive.sha256_of(new) == row["sha256"]:
            gone.add(row["sha256"])
            done.append(row["id"])
    if gone:
        archive.forget(archive.folder(root, None), gone)
    for row in rows:
        if row["id"] in done and row["sha256"] in gone:
            (root / row["old_path"]).unlink(missing_ok=True)
    with transaction(conn):
        store.filed.moves_done(conn, done)
    return len(gone)
