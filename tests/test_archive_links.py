"""docgen's own work copies are archived by a hard link, never the sender's file (issue 21)."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest

from docgen import files
from docgen.cases import archive
from docgen.cases.filing import Filing


def _work_copy(folder: Path, name: str, data: bytes) -> tuple[Path, str]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_a_private_work_copy_is_linked_and_any_other_source_copied(tmp_path: Path) -> None:
    member, member_sha = _work_copy(tmp_path / "work", "001-referral.pdf", b"%PDF-1.7 referral")
    inbox, inbox_sha = _work_copy(tmp_path / "inbox", "health.pdf", b"%PDF-1.7 health")
    dest = tmp_path / "archive" / "MN-2026-0001"
    made = archive.store_many(dest, [(member, "referral.pdf", member_sha), (inbox, "health.pdf", inbox_sha)],
                              private={member})
    assert [p.name for p in made] == ["referral.pdf", "health.pdf"]
    assert made[0].stat().st_ino == member.stat().st_ino  # linked: no new file
    assert made[1].stat().st_ino != inbox.stat().st_ino  # the sender's file is copied
    assert made[0].read_bytes() == b"%PDF-1.7 referral" and made[1].read_bytes() == b"%PDF-1.7 health"
    member.unlink()  # the work folder goes after filing: the archive keeps the bytes
    assert archive.sha256_of(made[0]) == member_sha and made[0].stat().st_nlink == 1
    assert not list(dest.glob(f".*{files.PARTIAL}"))


def test_a_link_refused_is_a_copy_and_changed_bytes_are_refused(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    member, member_sha = _work_copy(tmp_path / "work", "001-referral.pdf", b"%PDF-1.7 referral")
    dest = tmp_path / "archive" / "unmatched"

    def cross_device(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    with monkeypatch.context() as patched:
        patched.setattr(os, "link", cross_device)
        [copy] = archive.store_many(dest, [(member, "referral.pdf", member_sha)], private={member})
    assert copy.read_bytes() == member.read_bytes() and copy.stat().st_ino != member.stat().st_ino

    changed, _ = _work_copy(tmp_path / "work", "002-health.pdf", b"%PDF-1.7 health")
    with pytest.raises(Exception, match="changed while it was being archived"):
        archive.store_many(dest, [(changed, "health.pdf", member_sha)], private={changed})
    assert not (dest / "health.pdf").exists()


def test_filing_links_only_what_it_is_told_is_private(tmp_path: Path) -> None:
    member, member_sha = _work_copy(tmp_path / "work", "001-referral.pdf", b"%PDF-1.7 referral")
    inbox, inbox_sha = _work_copy(tmp_path / "inbox", "health.pdf", b"%PDF-1.7 health")
    filing = Filing(tmp_path / "archive", tmp_path / "state")
    dest = tmp_path / "archive" / "MN-2026-0001"
    linked = filing.store(dest, member, "referral.pdf", member_sha, private=True)
    copied = filing.store(dest, inbox, "health.pdf", inbox_sha)
    filing.flush()
    assert linked.stat().st_ino == member.stat().st_ino and copied.stat().st_ino != inbox.stat().st_ino


def test_a_private_work_copy_is_hashed_once_before_its_name_is_taken(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller hashed the work copy: it is not read and hashed again before linking; its link is hashed once,
    after the fsync and before the rename, so bytes that do not verify never reach an archive name."""
    member, member_sha = _work_copy(tmp_path / "work", "001-referral.pdf", b"%PDF-1.7 referral")
    dest = tmp_path / "archive" / "MN-2026-0001"
    hashed: list[Path] = []
    read: list[Path] = []
    real_hash, real_read = archive.sha256_of, Path.read_bytes

    def counted_hash(path: Path) -> str:
        hashed.append(path)
        return real_hash(path)

    def counted_read(path: Path) -> bytes:
        read.append(path)
        return real_read(path)

    monkeypatch.setattr(archive, "sha256_of", counted_hash)
    monkeypatch.setattr(Path, "read_bytes", counted_read)
    [copy] = archive.store_many(dest, [(member, "referral.pdf", member_sha)], private={member})
    assert copy.stat().st_ino == member.stat().st_ino
    assert read == [] and len(hashed) == 1 and hashed[0].name.endswith(files.PARTIAL)  # the link, before its rename

    monkeypatch.setattr(os, "link", lambda *_a, **_k: (_ for _ in ()).throw(OSError(errno.EXDEV, "cross-device")))
    changed, _ = _work_copy(tmp_path / "work", "002-health.pdf", b"%PDF-1.7 health")
    with pytest.raises(Exception, match="changed while it was being archived"):
        archive.store_many(dest, [(changed, "health.pdf", member_sha)], private={changed})  # copied, then refused
    assert not (dest / "health.pdf").exists() and not list(dest.glob(f".*{files.PARTIAL}"))
