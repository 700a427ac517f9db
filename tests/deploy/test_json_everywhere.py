"""Every command that changes something prints what it did as JSON on request (--json)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click
from click.testing import CliRunner
from docx import Document

import docgen.cli  # noqa: F401 - registers every command
from docgen.cli.base import main
from docgen.config import Settings
from docgen.samples.builder import write_submission

T0 = dt.date(2026, 3, 2)
STATE_CHANGING = ["init", "decide", "schedule", "continue", "end", "merge", "retry", "archive export", "forms",
                  "attach", "open", "process"]


def _command(path: str) -> click.Command:
    command: click.Command = main
    for name in path.split():
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)  # a lazy group imports it here
        assert found is not None, f"no command {path}"
        command = found
    return command


def test_every_state_changing_command_has_json() -> None:
    missing = [path for path in STATE_CHANGING
               if "--json" not in {opt for p in _command(path).params for opt in getattr(p, "opts", [])}]
    assert not missing


def run(settings: Settings, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "--today", T0.isoformat(), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def test_retry_export_forms_and_merge_print_json(settings: Settings, tmp_path: Path) -> None:
    (settings.home / "docgen.toml").write_text('[letters]\npdf = "off"\n[intake]\nfile_stable_seconds = 0\n')
    (settings.inbox / "blank.pdf").write_bytes(b"")
    write_submission(settings.inbox / "accepted", "accepted", seed=2, today=T0, fmt="docx")
    report = run(settings, "process", "--json")
    [quarantined] = report["quarantined"]
    ref = report["processed"][0]["case"]

    retried = run(settings, "retry", quarantined["file"], "--json")
    assert retried["name"] == quarantined["file"] and (settings.inbox / retried["back_in_inbox_as"]).exists()

    exported = run(settings, "archive", "export", ref, "--to", str(tmp_path / "bundle.zip"), "--json")
    assert exported == {"case": ref, "exported_to": str(tmp_path / "bundle.zip"), "format": "zip"}
    assert (tmp_path / "bundle.zip").is_file()

    forms = run(settings, "forms", "--out", str(tmp_path / "forms"), "--json")
    assert forms["written"] and all(Path(p).is_file() for p in forms["written"])

    template = tmp_path / "reminder.docx"
    document = Document()
    document.add_paragraph("Dear {{ name }}, your meeting is on {{ day }}.")
    document.save(str(template))
    data = tmp_path / "rows.csv"
    data.write_text("name,day\nMs Okafor,Tuesday\nMr Lindqvist,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--home", str(settings.home), "merge", str(template), str(data),
                                       "--out", str(tmp_path / "merged"), "--json"])
    assert result.exit_code == 1  # a row with a blank value is reported, not rendered blank
    merged = json.loads(result.stdout)
    assert len(merged["letters"]) == 1 and merged["rows"] == 2 and len(merged["skipped"]) == 1
