"""Writing files so that a crash never leaves a half-written one under its final name.

Every file docgen writes for a case (letters, manifests, reason files, exports) goes through here:
a temporary file beside the target, flushed and fsynced, renamed over it, then the folder itself
fsynced so the rename survives a power cut. A file is owner-only (0600), except in a set-gid folder
(outbox/ when `[home] group` is set, docgen.home): there it is 0640, readable by the staff group.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import BinaryIO


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (where the platform allows it; the rename itself is atomic)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _shared(folder: Path) -> bool:
    """True for a folder shared with the staff group (set-gid, group may enter)."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID) and bool(mode & stat.S_IXGRP)


def file_mode(folder: Path) -> int:
    """The mode of a file docgen writes into `folder`: 0640 in a shared folder, else 0600."""
    return 0o640 if _shared(folder) else 0o600


def place(source: Path, target: Path) -> Path:
    """Move a finished file (made in a private work folder) to `target` with the mode and group of its folder."""
    folder = target.parent
    if _shared(folder):
        os.chown(source, -1, folder.stat().st_gid)  # a rename keeps the group; the shared folder's is wanted
    source.chmod(file_mode(folder))
    source.replace(target)
    return target


def make_dir(path: Path) -> Path:
    """Create a folder (and its parents) for docgen's files: 0750 inside a shared folder, else 0700.

    Inside a set-gid folder Linux gives a new folder the set-gid bit and the group itself; the mode
    is only changed when the umask took more than it should (the set-gid bit is then kept).
    """
    if path.is_dir():
        return path
    make_dir(path.parent)
    want = 0o750 if _shared(path.parent) else 0o700
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=want)
    current = path.stat().st_mode
    if stat.S_IMODE(current) & 0o777 != want:
        with contextlib.suppress(OSError):  # RestrictSUIDSGID (systemd) refuses a chmod naming the set-gid bit
            path.chmod(want | (current & stat.S_ISGID))
    return path


PARTIAL = ".part"
_PARTIAL_NAME = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+\.part$")


def sweep_partials(root: Path) -> int:
    """Remove the half-written temp files a killed writer left under `root`; returns files removed.

    `atomic_file` names its temp file after the writing process; a file whose writer is gone was never
    renamed into place, so no record points to it, and it would otherwise sit hidden in the archive or
    the outbox holding a copy of a child's document. Temp files of a living process are left alone.
    """
    removed = 0
    if not root.is_dir():
        return 0
    for path in root.rglob(f".*{PARTIAL}"):
        match = _PARTIAL_NAME.match(path.name)
        if match is None or not path.is_file() or _alive(int(match["pid"])):
            continue
        path.unlink(missing_ok=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's living process
    return True


@contextlib.contextmanager
def atomic_file(path: Path, *, sync_folder: bool = True) -> Iterator[BinaryIO]:
    """Yield a binary file that replaces `path` (0600; 0640 in a shared folder) once written completely.

    `sync_folder=False` leaves the folder's fsync to the caller, who syncs it once after a batch.
    """
    make_dir(path.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=PARTIAL, dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        tmp.chmod(file_mode(path.parent))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if sync_folder:
        fsync_dir(path.parent)


def write_atomic(path: Path, data: bytes, *, sync_folder: bool = True) -> None:
    """Write `data` to `path` (owner-only, or group-readable in a shared folder): temp file, fsync, rename."""
    with atomic_file(path, sync_folder=sync_folder) as fh:
        fh.write(data)


def fsync_together(fds: Sequence[int]) -> None:
    """fsync every file descriptor, all at once: one thread each, so the filesystem's journal commits them
    together (ext4, XFS: one commit for the lot instead of one each, ~2-3x less waiting for 4-5 files on
    the bench's disk). Returns when every one is on disk; raises the first error (a full or failing disk)."""
    if len(fds) <= 1:
        for fd in fds:
            os.fsync(fd)
        return
    errors: list[OSError] = []

    def sync(fd: int) -> None:
        try:
            os.fsync(fd)
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=sync, args=(fd,), name="docgen-fsync") for fd in fds[1:]]
    for thread in threads:
        thread.start()
    sync(fds[0])
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def fsync_dirs(folders: Sequence[Path]) -> None:
    """`fsync_dir` for each folder (once each), issued together like `fsync_together`."""
    fds: list[int] = []
    try:
        for folder in dict.fromkeys(folders):
            with contextlib.suppress(OSError):
                fds.append(os.open(folder, os.O_RDONLY))
        with contextlib.suppress(OSError):
            fsync_together(fds)
    finally:
        for fd in fds:
            os.close(fd)


def write_atomic_many(files: Sequence[tuple[Path, bytes]], *, sync_folders: bool = True,
                      links: Mapping[Path, Path] | None = None,
                      before_rename: Callable[[Path, Path], None] | None = None) -> None:
    """`write_atomic` for several files: each written to its temp file, the temp files fsynced together
    (`fsync_together`), then each renamed into place; each folder fsynced once after (never with
    `sync_folders=False`: the caller syncs them). No file reaches its name before its bytes are on disk;
    on any error every temp file not yet renamed is removed.

    `links` maps a target to a file holding exactly its bytes that nothing will ever write again (docgen's
    own private work copy): the temp name is a hard link to it instead of a new file (no inode made, none
    freed when the work copy goes), fsynced and renamed the same way; where it cannot link, the temp file is
    written with that file's bytes (its entry's own bytes are not used).
    `before_rename(temp, target)` is called for each file after the fsync and before any is renamed: when it
    raises, no file reaches its name.
    """
    temps: list[tuple[Path, Path]] = []
    fds: list[int] = []
    try:
        for path, data in files:
            make_dir(path.parent)
            source = links.get(path) if links else None
            linked = _linked_temp(path, source) if source is not None else None
            if linked is not None:
                fds.append(linked[0])
                temps.append((linked[1], path))
                continue
            if source is not None:
                data = source.read_bytes()
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=PARTIAL, dir=path.parent)
            fds.append(fd)
            temps.append((Path(tmp_name), path))
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        fsync_together(fds)
        for fd in fds:
            os.close(fd)
        fds.clear()
        if before_rename is not None:
            for tmp, path in temps:
                before_rename(tmp, path)
        while temps:
            tmp, path = temps[0]
            tmp.chmod(file_mode(path.parent))
            tmp.replace(path)
            temps.pop(0)
    except BaseException:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        for tmp, _path in temps:
            tmp.unlink(missing_ok=True)
        raise
    if sync_folders:
        fsync_dirs([path.parent for path, _data in files])


def _linked_temp(path: Path, source: Path) -> tuple[int, Path] | None:
    """A temp name beside `path` (named as `atomic_file` names its temp files, so `sweep_partials` knows it)
    hard-linked to `source` and opened for its fsync; None when the file system will not link it."""
    for _ in range(16):
        tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{PARTIAL}"
        try:
            os.link(source, tmp, follow_symlinks=False)
        except FileExistsError:
            continue
        except OSError:  # another file system, no hard links there, the link limit reached
            return None
        try:
            return os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), tmp
        except OSError:
            tmp.unlink(missing_ok=True)
            return None
    return None
