"""`docgen due`: milestones from the school-week timeline, across holidays, and missed continuations."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen import db
from docgen.cases import store
from docgen.cases.model import Action, State
from docgen.cases.service import CaseService
from docgen.cli.base import main
from docgen.config import Settings
from docgen.kinds import Kind

from .helpers import incoming, referral

T0 = dt.date(2026, 3, 2)


def accepted_case(settings: Settings, tmp_path: Path) -> str:
    """A case the checks accepted (the state set directly: the checks are tested elsewhere)."""
    service = CaseService(settings, db.connect(settings.database), today=T0)
    [item] = service.ingest([incoming(tmp_path, "r.pdf", Kind.REFERRAL, referral())],
                            received_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
    assert item.case is not None
    with db.transaction(service.conn):
        store.move(service.conn, item.case, State.ACCEPTED, action=Action.JUDGE, cause="test", at="2026-03-02")
        service.conn.execute("UPDATE documents SET judged = 1")
    service.conn.close()
    return item.case


def due_json(settings: Settings, today: str, within: int) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "due", "--today", today,
                                       "--within", str(within), "--json"])
    assert result.exit_code == 0, result.output
    data: list[dict[str, Any]] = json.loads(result.output)
    return data


def test_due_follows_school_weeks_across_easter_and_flags_a_missed_continuation(
        settings: Settings, tmp_path: Path) -> None:
    ref = accepted_case(settings, tmp_path)
    assert [d["what"] for d in due_json(settings, "2026-03-02", 0)] == ["planning meeting to arrange (§11.3; the policy sets no deadline)"]
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(settings.home), "--today", "2026-03-02", "schedule", ref,
                                  "--meeting", "2026-03-09", "--start", "2026-03-16"])
    assert result.exit_code == 0, result.output

    # Easter (30 March – 10 April) is not a school week: week 6 is 5–8 May (4 May is a bank holiday)
    items = due_json(settings, "2026-03-02", 90)
    assert [(d["what"].split(" (")[0], d["date"]) for d in items] == [
        ("review meeting", "2026-05-08"), ("review plan", "2026-05-15")]
    assert "from 2026-05-05" in items[0]["what"]
    assert due_json(settings, "2026-03-02", 30) == []

    items = due_json(settings, "2026-06-01", 30)
    assert [(d["what"].split(" (")[0], d["date"], d["overdue"]) for d in items] == [
        ("review plan", "2026-05-15", True),
        ("continuation request due from the school", "2026-06-26", False),
        ("end of provision", "2026-06-26", False),
    ]

    missed = {d["what"]: d for d in due_json(settings, "2026-06-29", 7)}
    gone = missed["no continuation request by the deadline: provision may end (§11.8)"]
    assert gone["overdue"] is True and gone["date"] == "2026-06-26"
    assert gone["command"] == f"docgen end {ref} --reason no_continuation --date 2026-06-26"
    assert "continuation request due from the school (§11.7)" not in missed

    listing = runner.invoke(main, ["--home", str(settings.home), "--today", "2026-06-29", "cases", "--json"])
    [case] = json.loads(listing.output)
    assert case["state"] == "in_provision"
    assert case["next_due"]["date"] == "2026-05-15"
