"""`docgen demo` on a fresh home: four sample submissions processed by the real pipeline, and a tour."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen.cli.base import main
from docgen.errors import CaseError, RenderError


def test_demo_on_a_fresh_home_then_refuses_to_run_over_it(tmp_path: Path) -> None:
    home = tmp_path / "demo-home"
    runner = CliRunner()
    result = runner.invoke(main, ["--home", str(home), "--today", "2026-03-02", "demo"])
    assert result.exit_code == 0, (result.output, result.exception)
    assert "Try next:" in result.output and f"docgen --home {home} case MN-2026-0001" in result.output
    listing = runner.invoke(main, ["--home", str(home), "--today", "2026-03-02", "cases", "--json"])
    states = sorted(c["state"] for c in json.loads(listing.output))
    assert states == ["accepted", "incomplete", "not_accepted", "review"]
    assert sorted(p.name for p in (home / "outbox" / "MN-2026-0001").glob("*.docx")) == [
        "2026-03-02-acceptance-letter.docx", "2026-03-02-check-report.docx", "2026-03-02-planning-record.docx",
        "2026-03-02-timeline.docx"]
    assert not any((home / "inbox").iterdir())

    again = runner.invoke(main, ["--home", str(home), "demo"])
    assert isinstance(again.exception, CaseError)
    assert "already holds 4 case(s)" in str(again.exception)


def test_fresh_will_not_empty_a_home_the_demo_did_not_make(tmp_path: Path, settings: object) -> None:
    home = tmp_path / "home"
    (home / ".docgen").mkdir()
    (home / "archive" / "MN-2026-0001").mkdir(parents=True)
    result = CliRunner().invoke(main, ["--home", str(home), "demo", "--fresh"])
    assert isinstance(result.exception, CaseError)
    assert "was not made by `docgen demo`" in str(result.exception)
    assert (home / "archive" / "MN-2026-0001").is_dir()


def test_a_letter_template_that_cannot_render_is_a_loud_error_naming_it(tmp_path: Path) -> None:
    """Not an exit 0 with no letters (issue 16): the failed render says which template and where."""
    home = tmp_path / "demo-home"
    home.mkdir()
    (home / "docgen.toml").write_text('[letters]\npdf = "off"\ntemplates = "edited-templates"\n'
                                      "[intake]\ncase_settle_seconds = 0\n"
                                      '[signatory]\nname = "A Coordinator"\nemail = "mn@example.org"\nphone = "01603 0"\n',
                                      encoding="utf-8")
    (home / "edited-templates").mkdir()
    result = CliRunner().invoke(main, ["--home", str(home), "--today", "2026-03-02", "demo"])
    assert isinstance(result.exception, RenderError), result.output
    message = str(result.exception)
    assert "no letters were written" in message
    assert ".docx is missing from" in message and "edited-templates" in message
    assert not list((home / "outbox").rglob("*.docx"))
