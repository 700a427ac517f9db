"""The per-case archive: verified copies, manifest, retention date, owner-only files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from docgen.cases import archive
from docgen.errors import IntakeError


def _source(tmp_path: Path, name: str, data: bytes) -> tuple[Path, str]:
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


def test_store_copies_verifies_and_reuses(tmp_path: Path) -> None:
    dest = archive.folder(tmp_path / "archive", "MN-2026-0001")
    src, sha = _source(tmp_path, "referral.pdf", b"%PDF-1.7 first")
    copy = archive.store(dest, src, "referral.pdf", sha)
    assert copy == dest / "referral.pdf" and copy.read_bytes() == src.read_bytes()
    assert copy.stat().st_mode & 0o777 == 0o600 and dest.stat().st_mode & 0o777 == 0o700
    assert archive.store(dest, src, "referral.pdf", sha) == copy  # same bytes: the same file
    other, other_sha = _source(tmp_path, "other.pdf", b"%PDF-1.7 corrected")
    second = archive.store(dest, other, "referral.pdf", other_sha)
    assert second.name == f"referral-{other_sha[:8]}.pdf"
    assert copy.read_bytes() == b"%PDF-1.7 first"  # the original is never overwritten


def test_store_refuses_bytes_that_do_not_match_their_hash(tmp_path: Path) -> None:
    dest = archive.folder(tmp_path / "archive", None)
    src, _ = _source(tmp_path, "a.pdf", b"changed")
    with pytest.raises(IntakeError):
        archive.store(dest, src, "a.pdf", "0" * 64)
    assert dest.name == "unmatched" and not (dest / "a.pdf").exists()


@pytest.mark.parametrize(("name", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("..\\..\\x.pdf", "x.pdf"),
    ("/abs/letter.docx", "letter.docx"),
    ("...", "document"),
])
def test_names_stay_inside_the_folder(name: str, safe: str) -> None:
    assert archive.safe_name(name) == safe


def test_manifest_records_each_file_once_with_attachment_source(tmp_path: Path) -> None:
    dest = archive.folder(tmp_path / "archive", "MN-2026-0002")
    email = archive.Entry("mail.eml", "a" * 64, "unknown", "original", "2026-03-02T09:00:00+00:00")
    attachment = archive.Entry("referral.pdf", "b" * 64, "referral", "attachment", "2026-03-02T09:00:00+00:00",
                               source="a" * 64)
    archive.record(dest, [email, attachment], case="MN-2026-0002", retain="2039-05-12")
    archive.record(dest, [attachment], case="MN-2026-0002", retain="2039-05-12")
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["case"] == "MN-2026-0002" and manifest["retain_until"] == "2039-05-12"
    assert manifest["files"] == [
        {"path": "mail.eml", "sha256": "a" * 64, "kind": "unknown", "role": "original",
         "at": "2026-03-02T09:00:00+00:00"},
        {"path": "referral.pdf", "sha256": "b" * 64, "kind": "referral", "role": "attachment",
         "at": "2026-03-02T09:00:00+00:00", "from": "a" * 64},
    ]
    assert (dest / "manifest.json").stat().st_mode & 0o777 == 0o600
    assert not list(dest.glob(".*.tmp"))


@pytest.mark.parametrize(("dob", "ehcp", "expected"), [
    (dt.date(2014, 5, 12), False, "2039-05-12"),
    (dt.date(2014, 5, 12), True, "2045-05-12"),
    (dt.date(2012, 2, 29), False, "2037-02-28"),
    (None, False, "2051-03-02"),
])
def test_retention_is_dob_plus_25_or_31_with_an_ehcp(dob: dt.date | None, ehcp: bool, expected: str) -> None:
    assert archive.retain_until(dob, ehcp=ehcp, years=25, years_ehcp=31, received=dt.date(2026, 3, 2)) == expected
