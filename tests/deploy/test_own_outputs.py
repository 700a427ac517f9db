"""A letter docgen wrote, saved back into the inbox, is known as docgen's own: recorded, never judged."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from docx import Document

import docgen.cli  # noqa: F401 - registers every command
from docgen.cli.base import main
from docgen.config import Settings
from docgen.marker import is_docgen_output
from docgen.samples.builder import write_submission

SIGNATORY = '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n'

T0 = dt.date(2026, 3, 2)


def run(settings: Settings, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "--today", T0.isoformat(), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return json.loads(result.stdout) if "--json" in args else result.stdout


def test_letters_saved_back_are_recorded_as_docgens_own(settings: Settings, tmp_path: Path) -> None:
    """The review case's check report (the issue's report), its PDF copy and a copy re-saved in Word."""
    (settings.home / "docgen.toml").write_text('[letters]\npdf = "on"\n[intake]\nfile_stable_seconds = 0\n'
                                         + SIGNATORY)
    write_submission(settings.inbox / "review", "review", seed=4, today=T0, fmt="docx")
    ref = run(settings, "process", "--json")["processed"][0]["case"]
    before = run(settings, "case", ref, "--json")
    assert before["state"] == "review"
    report = next(settings.home / x["path"] for x in before["letters"] if x["document"] == "check-report")
    pdf = report.with_suffix(".pdf")
    assert is_docgen_output(report) and is_docgen_output(pdf)
    resaved = tmp_path / "check report (edited).docx"
    document = Document(str(report))  # an officer opens it in Word, adds a note, saves it elsewhere
    document.add_paragraph("Forwarded to the coordinator.")
    document.save(str(resaved))
    shutil.copy(report, settings.inbox / report.name)
    shutil.copy(pdf, settings.inbox / pdf.name)
    shutil.copy(resaved, settings.inbox / resaved.name)

    processed = run(settings, "process", "--json")["processed"]
    assert {p["case"] for p in processed} == {ref} and len(processed) == 3
    assert {p["outcome"] for p in processed} == {"docgen-output"}
    assert run(settings, "status", "--json")["cases_settling"] == 0  # nothing left waiting to be judged
    after = run(settings, "case", ref, "--json")
    assert after["state"] == "review"  # not turned incomplete
    assert len(after["judgements"]) == len(before["judgements"])  # never judged
    assert [x["document"] for x in after["letters"]] == [x["document"] for x in before["letters"]]  # no letter
    own = [d for d in after["documents"] if d["link"] == "own_output"]
    assert len(own) == 3 and all("docgen's own output" in d["flag"] for d in own)
    assert run(settings, "status", "--json")["unmatched"] == 0


def test_a_school_document_quoting_a_reference_is_not_mistaken_for_docgens(settings: Settings, tmp_path: Path) -> None:
    (settings.home / "docgen.toml").write_text('[letters]\npdf = "off"\n[intake]\nfile_stable_seconds = 0\n'
                                         + SIGNATORY)
    write_submission(settings.inbox / "review", "review", seed=4, today=T0, fmt="docx")
    ref = run(settings, "process", "--json")["processed"][0]["case"]
    note = Document()
    note.core_properties.keywords = "medical needs referral"  # keywords, but not docgen's mark
    note.add_paragraph(f"Re: your reference {ref} — the parent asks when the meeting will be.")
    note.save(str(settings.inbox / "reply.docx"))
    run(settings, "process", "--json")
    docs = run(settings, "case", ref, "--json")["documents"]
    assert not any(d["link"] == "own_output" for d in docs)
