"""Unmatched documents are not a dead end: `docgen attach` and `docgen open`, counted by status and due."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from docx import Document

import docgen.cli  # noqa: F401 - registers every command
from docgen.cli.base import main
from docgen.config import Settings
from docgen.samples.builder import write_submission

T0 = dt.date(2026, 3, 2)


def run(settings: Settings, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "--today", T0.isoformat(), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout) if "--json" in args else result.stdout


def _note(path: Path) -> None:
    """A covering note typed by a school office: no form, no child's name or date of birth on it."""
    document = Document()
    document.add_paragraph("Hello, please find the hospital letter we mentioned on the phone.")
    document.add_paragraph("Thanks, the school office (invented)")
    document.save(str(path))


def _home(settings: Settings) -> str:
    (settings.home / "docgen.toml").write_text('[letters]\npdf = "off"\n[intake]\nfile_stable_seconds = 0\n')
    write_submission(settings.inbox / "incomplete", "incomplete", seed=3, today=T0, fmt="docx")
    report = run(settings, "process", "--json")
    return str(report["processed"][0]["case"])


def test_attach_an_unmatched_document_then_the_case_is_checked_once(settings: Settings) -> None:
    ref = _home(settings)
    _note(settings.inbox / "note.docx")
    report = run(settings, "process", "--json")
    [item] = report["processed"]
    assert item["case"] is None  # unmatched: never guessed
    assert run(settings, "status", "--json")["unmatched"] == 1
    assert "1 document(s) linked to no case" in run(settings, "due")
    assert item["sha256"][:12] in run(settings, "cases")
    letters_before = len(run(settings, "case", ref, "--json")["letters"])

    done = run(settings, "attach", item["sha256"][:12], ref, "--by", "Priya Shah", "--json")
    assert done["case"] == ref and done["by"] == "Priya Shah" and done["action"] == "attach"
    assert [d["sha256"] for d in done["documents"]] == [item["sha256"]]
    case = run(settings, "case", ref, "--json")
    assert item["sha256"] in {d["sha256"] for d in case["documents"]}
    assert case["decisions"][-1]["who"] == "Priya Shah" and case["decisions"][-1]["action"] == "attach"
    assert len(case["judgements"]) == 2  # checked again, once
    assert not (settings.archive / "unmatched" / "note.docx").exists()
    assert any(p.name.endswith("note.docx") for p in (settings.archive / ref).iterdir())
    assert run(settings, "status", "--json")["unmatched"] == 0
    # the same gaps are not asked for twice: no second request for information
    documents = [letter["document"] for letter in case["letters"]]
    assert documents.count("request-for-information") == 1
    assert len(case["letters"]) == letters_before + 1  # a new check report only
    again = CliRunner().invoke(main, ["--home", str(settings.home), "attach", item["sha256"], ref, "--by", "P"])
    assert again.exit_code == 1 and "already in" in str(again.exception)


def test_open_a_case_from_an_unmatched_document_named_by_its_file(settings: Settings, tmp_path: Path) -> None:
    _home(settings)
    copy = tmp_path / "kept-copy-of-note.docx"
    _note(copy)
    (settings.inbox / "note.docx").write_bytes(copy.read_bytes())
    run(settings, "process", "--json")
    done = run(settings, "open", str(copy), "--by", "Priya Shah", "--json")
    assert done["action"] == "open" and done["case"].startswith("MN-2026-")
    cases = {c["case"] for c in run(settings, "cases", "--json")}
    assert done["case"] in cases and len(cases) == 2


def test_attach_refuses_what_is_not_waiting(settings: Settings) -> None:
    ref = _home(settings)
    result = CliRunner().invoke(main, ["--home", str(settings.home), "attach", "0123456789abcdef", ref, "--by", "P"])
    assert result.exit_code == 1
    assert "no document" in str(result.exception) and "docgen cases" in str(result.exception)
