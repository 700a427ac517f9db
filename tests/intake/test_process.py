"""`docgen process` end to end, as a real subprocess on a real home folder."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

from docgen.intake.lock import HomeLock

from .conftest import Run, archived_hashes, document_counts, letters, sha, submission
from .hostile import HOSTILE, ole_doc, traversal_eml


def test_submission_is_processed_once_and_duplicates_recorded(ihome: Path, run: Run) -> None:
    files = submission(ihome / "inbox")
    originals = {f.name: sha(f) for f in files}
    referral = next(f for f in files if f.name.startswith("referral"))
    spare = ihome / "spare.pdf"
    shutil.copyfile(referral, spare)
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"processed", "quarantined", "duplicates"}
    assert sorted(e["file"] for e in report["processed"]) == sorted(originals)
    for entry in report["processed"]:
        assert set(entry) >= {"file", "sha256", "case", "kind", "outcome"}
        assert entry["sha256"] == originals[entry["file"]]
        assert entry["case"] == "MN-2026-0001" and entry["outcome"] == "accepted"
    assert report["quarantined"] == [] and report["duplicates"] == []
    assert list((ihome / "inbox").iterdir()) == []
    produced = letters(ihome)
    assert "MN-2026-0001/2026-03-02-acceptance-letter.docx" in produced
    assert set(originals.values()) <= set(archived_hashes(ihome))
    # the same bytes again under another name: a duplicate of the case, no second letter
    shutil.move(spare, ihome / "inbox" / "referral again.pdf")
    again = json.loads(run("process", "--json").stdout)
    assert again["processed"] == [] and again["duplicates"] == [
        {"file": "referral again.pdf", "sha256": originals[referral.name], "case": "MN-2026-0001"}]
    assert letters(ihome) == produced
    assert set(document_counts(ihome).values()) == {1}
    assert list((ihome / "inbox").iterdir()) == []


def test_hostile_files_are_quarantined_with_true_reasons(ihome: Path, run: Run, tmp_path: Path) -> None:
    inbox = ihome / "inbox"
    for name, (data, _code) in HOSTILE.items():
        (inbox / name).write_bytes(data)
    (inbox / "legacy.doc").write_bytes(ole_doc())
    os.mkfifo(inbox / "a.pdf")
    (inbox / "passwd.pdf").symlink_to("/etc/passwd")
    (inbox / "letter.docx").mkdir()
    (inbox / "mail.eml").write_bytes(traversal_eml())
    (inbox / "~$lock.docx").write_bytes(b"lock")
    (inbox / "x.pdf.filepart").write_bytes(b"partial")
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    codes = {q["file"]: q["reason"].split(":", 1)[0] for q in report["quarantined"]}
    expected = {name: code for name, (_data, code) in HOSTILE.items()}
    expected |= {"a.pdf": "not-a-regular-file", "passwd.pdf": "not-a-regular-file",
                 "letter.docx": "not-a-regular-file"}
    for name, code in expected.items():
        assert codes.get(name) == code, (name, report["quarantined"])
    assert codes.get("legacy.doc") in {"old-format", "damaged"}
    for q in report["quarantined"]:
        reason = (ihome / "quarantine" / f"{q['file']}.reason.txt").read_text(encoding="utf-8")
        assert reason.strip() == q["reason"] and reason.count("\n") == 1
    # the traversal email is taken; its attachments stay inside the home
    assert any(e["file"] == "mail.eml" for e in report["processed"])
    assert sorted(p.name for p in inbox.iterdir()) == ["x.pdf.filepart", "~$lock.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == outside_before
    assert Path("/etc/passwd").exists() and not Path("/abs/x.pdf").exists()
    listed = json.loads(run("quarantine", "--json").stdout)
    assert {q["name"] for q in listed} >= set(expected)
    # retry puts a file back and it goes through the pipeline again (and is quarantined again)
    back = run("retry", "empty.pdf")
    assert back.returncode == 0 and (inbox / "empty.pdf").exists()
    again = json.loads(run("process", "--json").stdout)
    assert [q["file"] for q in again["quarantined"]] == ["empty.pdf"]


def test_logs_hold_no_personal_data_and_files_are_private(ihome: Path, run: Run) -> None:
    from docgen.samples.builder import make_pupil

    files = submission(ihome / "inbox", seed=5)
    pupil = make_pupil(5, today=__import__("datetime").date(2026, 3, 2))
    result = run("process")
    assert result.returncode == 0, result.stderr
    logs = result.stderr + (ihome / ".docgen" / "audit.jsonl").read_text(encoding="utf-8")
    secrets = [pupil.forename, pupil.surname, pupil.dob.isoformat(), pupil.dob.strftime("%d/%m/%Y"), pupil.upn,
               pupil.diagnosis, pupil.parent_name, *[f.name for f in files]]
    for secret in secrets:
        assert secret not in logs, secret
    for event in (json.loads(line) for line in (ihome / ".docgen" / "audit.jsonl").read_text().splitlines()):
        assert set(event) <= {"event", "time", "sha256", "case", "code", "level", "kind", "outcome", "count",
                              "members", "letters", "mode", "state", "step", "pid"}
    for folder in ("archive", "outbox", "quarantine", ".docgen"):
        for path in [ihome / folder, *(ihome / folder).rglob("*")]:
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))


def test_a_second_instance_is_refused(ihome: Path, run: Run) -> None:
    submission(ihome / "inbox")
    with HomeLock(ihome / ".docgen", "watch"):
        result = run("process", "--json")
    assert result.returncode == 1
    assert "another docgen is already processing this home" in result.stderr
    assert len(list((ihome / "inbox").iterdir())) == 4


def test_missing_or_damaged_database_fails_closed(ihome: Path, run: Run) -> None:
    submission(ihome / "inbox", seed=3)
    assert run("process").returncode == 0
    database = ihome / ".docgen" / "docgen.sqlite3"
    submission(ihome / "inbox", scenario="incomplete", seed=9)
    waiting = sorted(p.name for p in (ihome / "inbox").iterdir())
    database.rename(ihome / "db.bak")
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    result = run("process")
    assert result.returncode == 1 and "missing" in result.stderr
    database.write_bytes(b"this is not a database" * 100)
    result = run("process")
    assert result.returncode == 1 and "restore it from backup" in result.stderr
    assert sorted(p.name for p in (ihome / "inbox").iterdir()) == waiting


def test_folder_and_zip_are_one_submission_each(ihome: Path, run: Run, tmp_path: Path) -> None:
    import zipfile

    folder = ihome / "inbox" / "from school"
    folder.mkdir()
    files = submission(folder, seed=3)
    staging = tmp_path / "staging"
    staging.mkdir()
    zipped = submission(staging, scenario="incomplete", seed=11)
    with zipfile.ZipFile(ihome / "inbox" / "bundle.zip", "w") as zf:
        for f in zipped:
            zf.write(f, f"docs/{f.name}")
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    by_file = {e["file"]: e for e in report["processed"]}
    assert set(by_file) == {"from school", "bundle.zip"}
    assert by_file["from school"]["kind"] == "referral" and by_file["from school"]["outcome"] == "accepted"
    assert sorted(d["file"] for d in by_file["from school"]["documents"]) == sorted(f.name for f in files)
    assert by_file["bundle.zip"]["kind"] == "referral"
    assert {d["case"] for d in by_file["bundle.zip"]["documents"]} == {by_file["bundle.zip"]["case"]}
    assert by_file["bundle.zip"]["case"] != by_file["from school"]["case"]
    assert list((ihome / "inbox").iterdir()) == []


def test_same_bytes_twice_in_one_pass_is_one_document_and_one_duplicate(ihome: Path, run: Run) -> None:
    files = submission(ihome / "inbox")
    referral = next(f for f in files if f.name.startswith("referral"))
    shutil.copyfile(referral, ihome / "inbox" / "copy of referral.pdf")
    report = json.loads(run("process", "--json").stdout)
    names = {e["file"] for e in report["processed"]} | {d["file"] for d in report["duplicates"]}
    assert names == {f.name for f in files} | {"copy of referral.pdf"}
    assert len(report["duplicates"]) == 1 and report["duplicates"][0]["case"] == "MN-2026-0001"
    assert set(document_counts(ihome).values()) == {1}
    assert len([p for p in letters(ihome) if p.endswith("acceptance-letter.docx")]) == 1
