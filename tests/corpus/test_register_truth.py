"""A case's register entry tells the truth until its check report exists, and the report notes a renamed file.

Issue 15: the register showed `review` before the check report existed and `status` said only "judge-failed
error"; a DOCX renamed `.pdf` is read by its content and the mismatch noted in the check report (SPEC §2,
RELIABILITY.md #23). The referral is the independent corpus's (LibreOffice-made), renamed `.pdf`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from click.testing import CliRunner, Result
from docx import Document

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen.cli.base import main
from docgen.config import PACKAGE_DATA

TODAY = dt.date(2026, 2, 23)
SIGNATORY = '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n'


def _cli(home: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--today", TODAY.isoformat(), *args])


def _text(path: Path) -> str:
    document = Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_register_says_judging_until_the_check_report_exists(corpus_folder: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(PACKAGE_DATA / "letters", templates)
    good_report = templates / "check-report.docx"
    shutil.move(good_report, tmp_path / "check-report.docx")
    broken = Document()
    broken.add_paragraph("Check report {{ no_such_value }}")  # renders strictly: an undefined name fails
    broken.save(str(good_report))
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    (home / "docgen.toml").write_text(
        f'[letters]\npdf = "off"\ntemplates = "{templates}"\n[intake]\nfile_stable_seconds = 0\n{SIGNATORY}',
        encoding="utf-8")
    shutil.copy(corpus_folder / "referral-00-lo-table-docx.docx", home / "inbox" / "referral.pdf")

    processed = _cli(home, "process")
    assert "could not be checked" in processed.output, processed.output
    listed = json.loads(_cli(home, "cases", "--json").stdout)
    assert len(listed) == 1
    assert listed[0]["state"] == "incomplete" and listed[0]["progress"] == "judging"
    assert "judging (check report not written yet)" in _cli(home, "cases").stdout
    status = _cli(home, "status").stdout
    assert "judge-failed" in status and "could not be made from its template" in status
    assert "docgen templates check" in status

    shutil.move(tmp_path / "check-report.docx", good_report)  # the template mended: the next run writes it
    assert _cli(home, "process").exit_code == 0
    entry = json.loads(_cli(home, "cases", "--json").stdout)[0]
    assert entry["state"] == "incomplete" and entry["progress"] is None
    case = json.loads(_cli(home, "case", entry["case"], "--json").stdout)
    report = [x for x in case["letters"] if x["document"] == "check-report"]
    assert len(report) == 1 and report[0]["status"] != "pending"
    text = _text(home / report[0]["path"])
    assert "File type" in text and "named .pdf but is a Word document (.docx)" in text
    assert "judging" not in _cli(home, "cases").stdout
