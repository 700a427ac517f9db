"""The coordinator's commands as an operator meets them: who decides, --json, repeated schedules, plain errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

import docgen.cli  # noqa: F401 - registers every command
from docgen.cli.base import main
from docgen.config import Settings
from docgen.samples.builder import write_submission

SIGNATORY = '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n'

T0 = dt.date(2026, 3, 2)
DOCGEN = str(Path(sys.executable).parent / "docgen")


def cli(settings: Settings, *args: str, by: str | None = "Priya Shah") -> Result:
    extra = ["--by", by] if by else []
    command, rest = args[0], list(args[1:])
    result = CliRunner().invoke(main, ["--home", str(settings.home), "--today", T0.isoformat(), command,
                                       *rest, *(extra if command in {"decide", "schedule", "continue", "end"}
                                                else [])])
    return result


def said(result: Result) -> str:
    """What the officer sees: the output, or the one-line message of the error (base.run prints it)."""
    return result.output + (str(result.exception) if result.exception else "")


def ok_json(settings: Settings, *args: str, by: str | None = "Priya Shah") -> Any:
    result = cli(settings, *args, "--json", by=by)
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout)


def _case(settings: Settings, scenario: str) -> str:
    (settings.home / "docgen.toml").write_text('[letters]\npdf = "off"\n[intake]\nfile_stable_seconds = 0\n'
                                         + SIGNATORY)
    write_submission(settings.inbox / scenario, scenario, seed=4, today=T0, fmt="docx")
    report = ok_json(settings, "process")
    return str(report["processed"][0]["case"])


def test_decide_records_the_person_in_decisions_history_and_audit(settings: Settings) -> None:
    ref = _case(settings, "review")
    done = ok_json(settings, "decide", ref, "accept", "--reason", "Consultant's letter is clear")
    assert (done["case"], done["action"], done["by"], done["state"]) == (ref, "accept", "Priya Shah", "accepted")
    assert any(path.endswith("acceptance-letter.docx") for path in done["letters"])
    assert all((settings.home / path).is_file() for path in done["letters"])
    case = ok_json(settings, "case", ref)
    assert case["decisions"][-1]["who"] == "Priya Shah"
    assert case["history"][-1]["by"] == "Priya Shah" and case["history"][0]["by"] is None  # docgen's own check
    audit = [json.loads(line) for line in (settings.state_dir / "audit.jsonl").read_text().splitlines()]
    assert {"event": "decided", "case": ref, "actor": "Priya Shah", "action": "accept"}.items() <= audit[-1].items()


def test_root_without_sudo_must_say_who_decides(settings: Settings) -> None:
    ref = _case(settings, "review")
    env = {k: v for k, v in os.environ.items() if k not in {"DOCGEN_BY", "SUDO_USER"}}
    args = [DOCGEN, "--home", str(settings.home), "--today", T0.isoformat(), "decide", ref, "accept", "--reason", "ok"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    if os.geteuid() == 0:
        assert done.returncode == 2 and "--by NAME" in done.stderr
        assert ok_json(settings, "case", ref)["state"] == "review"  # nothing was decided
        sudo = subprocess.run(args + ["--json"], env={**env, "SUDO_USER": "jo.bloggs"}, capture_output=True,
                              text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert sudo.returncode == 0, sudo.stderr
        assert json.loads(sudo.stdout)["by"] == "jo.bloggs"
    else:
        assert done.returncode == 0, done.stderr


def test_schedule_twice_changes_nothing_and_a_new_date_says_what_changed(settings: Settings) -> None:
    ref = _case(settings, "accepted")
    first = ok_json(settings, "schedule", ref, "--meeting", "09/03/2026", "--start", "16/03/2026")
    assert first["state"] == "planning" and first["changed"] is None
    before = sorted(p.name for p in (settings.outbox / ref).iterdir())
    again = cli(settings, "schedule", ref, "--meeting", "2026-03-09", "--start", "2026-03-16")
    assert again.exit_code == 1
    assert "already scheduled" in said(again) and "nothing changed" in said(again)
    assert sorted(p.name for p in (settings.outbox / ref).iterdir()) == before  # no timeline-3.docx
    moved = cli(settings, "schedule", ref, "--meeting", "2026-03-09", "--start", "2026-03-23")
    assert moved.exit_code == 0, moved.output
    assert "changed: provision start 2026-03-16 → 2026-03-23" in moved.output


def test_continue_without_a_request_says_how_a_case_gets_one(settings: Settings) -> None:
    ref = _case(settings, "accepted")
    ok_json(settings, "schedule", ref, "--meeting", "2026-03-02", "--start", "2026-03-02")
    result = cli(settings, "continue", ref, "agree")
    assert result.exit_code == 1
    assert "no continuation request" in said(result) and "Continuation Request" in said(result)


def test_end_json(settings: Settings) -> None:
    ref = _case(settings, "accepted")
    ok_json(settings, "schedule", ref, "--meeting", "2026-03-02", "--start", "2026-03-02")
    done = ok_json(settings, "end", ref, "--reason", "returned_to_school", "--date", "2026-03-20")
    assert (done["action"], done["state"], done["end_date"], done["by"]) == ("end", "ended", "2026-03-20",
                                                                            "Priya Shah")


def test_a_date_that_does_not_exist_is_named_as_such(settings: Settings) -> None:
    ref = _case(settings, "accepted")
    result = cli(settings, "schedule", ref, "--meeting", "31/02/2026", "--start", "2026-03-16")
    assert result.exit_code == 2
    assert "February 2026 has no day 31" in result.output
    assert "DD/MM/YYYY" not in result.output  # the format was right: do not suggest it
