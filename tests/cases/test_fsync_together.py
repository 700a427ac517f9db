"""Files written in a group have their fsyncs issued together (one journal commit of the disk, not one a file).

The fsyncs are watched through a wrapper around the real `os.fsync` that holds each call open a moment and
counts how many are in flight at once: one at a time means the files were synced one after another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from docgen import db
from docgen.cases import archive
from docgen.cases.service import CaseService
from docgen.config import Settings
from docgen.errors import IntakeError
from docgen.files import write_atomic_many
from docgen.kinds import Kind

from .helpers import incoming, referral

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Fsyncs:
    """os.fsync, still called, with the most calls seen in flight at once."""

    def __init__(self) -> None:
        self.real = os.fsync
        self.lock = threading.Lock()
        self.now = 0
        self.most = 0
        self.calls = 0

    def __call__(self, fd: int) -> None:
        with self.lock:
            self.now += 1
            self.calls += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(0.05)  # long enough for calls issued together to meet
            self.real(fd)
        finally:
            with self.lock:
                self.now -= 1


@pytest.fixture
def fsyncs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Fsyncs]:
    spy = Fsyncs()
    monkeypatch.setattr(os, "fsync", spy)
    yield spy


def test_many_files_are_written_whole_owner_only_and_synced_together(tmp_path: Path, fsyncs: Fsyncs) -> None:
    files = [(tmp_path / "out" / f"letter-{n}.docx", os.urandom(70_000 + n)) for n in range(4)]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "letter-0.docx").write_bytes(b"an older letter")
    write_atomic_many(files)
    for path, data in files:
        assert path.read_bytes() == data
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"letter-{n}.docx" for n in range(4)]
    assert fsyncs.calls == 5  # four files and their folder
    assert fsyncs.most == 4


def test_a_failed_group_leaves_no_temp_file_and_no_file_under_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    blocked = tmp_path / "blocked"
    blocked.write_bytes(b"a file where a folder is wanted")
    with pytest.raises(OSError):
        write_atomic_many([(folder / "a.docx", b"a"), (blocked / "b.docx", b"b")])
    assert list(folder.iterdir()) == []


def _source(tmp_path: Path, name: str, data: bytes) -> tuple[Path, str, str]:
    path = tmp_path / "sources" / f"{len(list((tmp_path).glob('sources/*')))}-{name}"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path, name, hashlib.sha256(data).hexdigest()


def test_store_many_names_copies_as_store_does_one_after_another(tmp_path: Path, fsyncs: Fsyncs) -> None:
    one = _source(tmp_path, "referral.pdf", b"%PDF-1.7 first")
    other = _source(tmp_path, "referral.pdf", b"%PDF-1.7 corrected")
    again = _source(tmp_path, "referral.pdf", b"%PDF-1.7 first")
    letter = _source(tmp_path, "../letter.docx", b"PK letter")
    dest_many = archive.folder(tmp_path / "many", "MN-2026-0001")
    dest_one = archive.folder(tmp_path / "one", "MN-2026-0001")
    copies = archive.store_many(dest_many, [one, other, again, letter])
    singly = [archive.store(dest_one, *source) for source in (one, other, again, letter)]
    assert [c.name for c in copies] == [c.name for c in singly] == [
        "referral.pdf", f"referral-{other[2][:8]}.pdf", "referral.pdf", "letter.docx"]
    assert all(c.read_bytes() == s.read_bytes() for c, s in zip(copies, singly, strict=True))
    assert sorted(p.name for p in dest_many.iterdir()) == sorted(p.name for p in dest_one.iterdir())


def test_store_many_refuses_bytes_that_do_not_match_their_hash(tmp_path: Path) -> None:
    dest = archive.folder(tmp_path / "archive", None)
    good = _source(tmp_path, "a.pdf", b"good")
    path, name, _sha = _source(tmp_path, "b.pdf", b"changed")
    with pytest.raises(IntakeError):
        archive.store_many(dest, [good, (path, name, "0" * 64)])
    assert not (dest / "b.pdf").exists()


def test_a_bundle_ingested_and_judged_has_its_copies_and_letters_synced_together(
        settings: Settings, today: dt.date, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    service = CaseService(settings, db.connect(settings.database), today=today)
    first = incoming(tmp_path, "referral.pdf", Kind.REFERRAL, referral())
    items = [first,
             incoming(tmp_path, "herringbone.csv", Kind.ATTENDANCE, {}, bundle=first.sha256),
             incoming(tmp_path, "consent.docx", Kind.JMP_CONSENT, {}, bundle=first.sha256),
             incoming(tmp_path, "health.docx", Kind.JMP_HEALTH, {}, bundle=first.sha256)]
    spy = Fsyncs()
    monkeypatch.setattr(os, "fsync", spy)
    [case] = {r.case for r in service.ingest(items, received_at=AT)}
    assert spy.most >= 4  # the four originals' copies
    folder = settings.archive / str(case)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(f["path"] for f in manifest["files"]) == sorted(i.display_name for i in items)
    for item in items:
        assert (folder / item.display_name).read_bytes() == item.source.read_bytes()

    spy = Fsyncs()
    monkeypatch.setattr(os, "fsync", spy)
    judgement = service.judge(str(case))
    assert len(judgement.letters) >= 2
    assert spy.most >= 2  # the letters, then their archive copies
    produced = [f["path"] for f in json.loads((folder / "manifest.json").read_text())["files"]
                if f["role"] == "produced"]
    assert sorted(produced) == sorted(p.name for p in (settings.outbox / str(case)).iterdir())
    service.conn.close()
