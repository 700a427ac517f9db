"""A letter is produced once per trigger: after a failure mid-way, and when the same gaps are found again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen import db
from docgen.cases.service import CaseService
from docgen.cli.base import main
from docgen.config import Settings
from docgen.errors import RenderError
from docgen.samples.builder import jmp_consent_values, write_form_docx, write_submission
from docgen.samples.demo import process_folders

T0 = dt.date(2026, 3, 2)


def test_letters_planned_before_a_failure_are_written_once_afterwards(settings: Settings, tmp_path: Path) -> None:
    write_submission(settings.inbox / "accepted", "accepted", seed=2, today=T0, fmt="pdf")
    broken = dataclasses.replace(settings, templates_dir=tmp_path / "no-templates")
    with pytest.raises(RenderError):
        process_folders(broken, today=T0)
    service = CaseService(settings, db.connect(settings.database), today=T0)
    state, pending = service.conn.execute(
        "SELECT state, (SELECT COUNT(*) FROM letters WHERE status = 'pending') FROM cases").fetchone()
    assert (state, pending) == ("accepted", 4)
    assert service.cases_to_judge(now=dt.datetime.now(dt.UTC), settle_seconds=60) == ["MN-2026-0001"]

    service.judge("MN-2026-0001")
    assert service.resume() == []
    written = sorted(p.name for p in (settings.outbox / "MN-2026-0001").iterdir())
    assert written == ["2026-03-02-acceptance-letter.docx", "2026-03-02-check-report.docx",
                       "2026-03-02-planning-record.docx", "2026-03-02-timeline.docx"]
    manifest = json.loads((settings.archive / "MN-2026-0001" / "manifest.json").read_text())
    assert sorted(f["path"] for f in manifest["files"] if f["role"] == "produced") == written
    assert not (settings.state_dir / "letters-work").exists() or not any(
        (settings.state_dir / "letters-work").iterdir())
    service.conn.close()


def test_the_same_gaps_are_not_asked_for_twice(settings: Settings) -> None:
    sub = write_submission(settings.inbox / "first", "incomplete", seed=5, today=T0, fmt="pdf")
    process_folders(settings, today=T0)
    more = settings.inbox / "consent"
    more.mkdir()
    write_form_docx(more / "jmp-consent.docx", "jmp_consent", jmp_consent_values(sub.pupil, today=T0))
    process_folders(settings, today=T0)
    result = CliRunner().invoke(main, ["--home", str(settings.home), "--today", T0.isoformat(), "case",
                                       "MN-2026-0001", "--json"])
    data = json.loads(result.stdout)
    assert data["state"] == "incomplete"
    assert [j["outcome"] for j in data["judgements"]] == ["incomplete", "incomplete"]
    documents = [x["document"] for x in data["letters"]]
    assert documents.count("check-report") == 2
    assert documents.count("request-for-information") == 1
    assert [x["path"] for x in data["letters"] if x["document"] == "check-report"] == [
        "outbox/MN-2026-0001/2026-03-02-check-report.docx", "outbox/MN-2026-0001/2026-03-02-check-report-2.docx"]


def test_two_letters_of_one_document_and_day_made_in_one_batch_are_each_written_and_archived(
        settings: Settings) -> None:
    """Letters share a work folder unless their files would have the same name (same document, same day)."""
    from docgen.cases import outputs
    from docgen.cases.store.schema import now_text

    write_submission(settings.inbox / "accepted", "accepted", seed=2, today=T0, fmt="docx")
    process_folders(settings, today=T0)
    service = CaseService(settings, db.connect(settings.database), today=T0)
    conn = service.conn
    data = {row["document"]: json.loads(row["data_json"]) for row in conn.execute("SELECT * FROM letters")}
    at = now_text(dt.datetime.now(dt.UTC))
    with db.transaction(conn):
        for trigger in ("again-1", "again-2"):
            outputs.plan(conn, settings, "MN-2026-0001", "check-report", trigger, T0, data["check-report"], at)
        outputs.plan(conn, settings, "MN-2026-0001", "timeline", "again-3", T0, data["timeline"], at)
    written = outputs.produce_pending(conn, settings, "MN-2026-0001", at=at)
    assert sorted(p.name for p in written) == ["2026-03-02-check-report-2.docx", "2026-03-02-check-report-3.docx",
                                               "2026-03-02-timeline-2.docx"]
    folder = settings.archive / "MN-2026-0001"
    manifest = {f["path"]: f["sha256"] for f in json.loads((folder / "manifest.json").read_text())["files"]}
    for path in written:
        assert path.is_file() and (folder / path.name).read_bytes() == path.read_bytes()
        assert manifest[path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert not any((settings.state_dir / "letters-work").iterdir())
    service.conn.close()
