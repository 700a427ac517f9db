"""Status, vanished files, corrected forms, and the shipped deployment files."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from docgen import db
from docgen.config import Settings, load_settings
from docgen.intake.audit import Audit
from docgen.intake.isolate import WorkerPool
from docgen.intake.journal import Journal
from docgen.intake.pipeline import Pipeline, Report

from .conftest import Run, document_counts, sha, submission
from .hostile import simple_pdf

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_status_reports_what_an_officer_checks_first(ihome: Path, run: Run) -> None:
    (ihome / "inbox" / "empty.pdf").write_bytes(b"")
    idle = json.loads(run("status", "--json").stdout)
    assert idle["running"] is False and idle["inbox_waiting"] == 1 and idle["database"] == "missing"
    assert run("process").returncode == 0
    (ihome / "inbox" / "waiting.pdf").write_bytes(simple_pdf())
    (ihome / "inbox" / "~$lock.docx").write_bytes(b"x")
    status = json.loads(run("status", "--json").stdout)
    assert status == {"running": False, "pid": None, "mode": None, "since": None, "inbox_waiting": 1,
                      "cases_settling": 0, "quarantined": 1, "unmatched": 0, "database": "ok", "last_error": None,
                      "problem": None}
    text = run("status").stdout
    assert "not running" in text and "quarantine: 1 file(s)" in text


def test_a_file_deleted_before_it_is_read_is_recorded_as_vanished(isettings: Settings) -> None:
    with WorkerPool(isettings.limits, 1) as pool:
        conn = db.connect(isettings.database)
        pipeline = Pipeline(isettings, conn, today=dt.date(2026, 3, 2), pool=pool, audit=Audit(isettings.state_dir))
        report = Report()
        pipeline.take([isettings.inbox / "gone.pdf"], report)
        counts = Journal(conn).counts()
    assert report.vanished == 1 and report.processed == [] and report.quarantined == []
    assert counts == {}
    assert '"event": "vanished"' in (isettings.state_dir / "audit.jsonl").read_text()


def test_same_name_new_bytes_is_a_new_version_not_a_duplicate(ihome: Path, run: Run, tmp_path: Path) -> None:
    files = submission(ihome / "inbox")
    referral = next(f for f in files if f.name.startswith("referral"))
    keep = tmp_path / "first.pdf"
    shutil.copyfile(referral, keep)
    assert run("process").returncode == 0
    corrected = ihome / "inbox" / referral.name
    corrected.write_bytes(keep.read_bytes() + b"\n% corrected\n")
    report = json.loads(run("process", "--json").stdout)
    assert report["duplicates"] == []
    assert [e["file"] for e in report["processed"]] == [referral.name]
    assert report["processed"][0]["case"] == "MN-2026-0001"
    assert {sha(keep), sha(ihome / "archive" / "MN-2026-0001" / referral.name)} <= set(document_counts(ihome))


def test_shipped_settings_and_unit_file_are_usable(tmp_path: Path) -> None:
    shutil.copyfile(DEPLOY / "docgen.toml", tmp_path / "docgen.toml")
    settings = load_settings(tmp_path)
    assert settings.file_stable_seconds == 2.0 and settings.limits.parse_memory_mb == 1024
    unit = (DEPLOY / "docgen.service").read_text(encoding="utf-8")
    assert "docgen watch" in unit and "UMask=0077" in unit and "KillMode=mixed" in unit
