"""`docgen templates check` through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from docx import Document

from docgen.config import PACKAGE_DATA


def run_check(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from docgen.cli import main; main()", "--home", str(home),
                           "templates", "check", *args], capture_output=True, text=True, timeout=120)


def home_with_templates(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(PACKAGE_DATA / "letters", home / "letters")
    (home / "docgen.toml").write_text('[letters]\ntemplates = "letters"\npdf = "off"\n', encoding="utf-8")
    return home


def test_shipped_templates_pass(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    result = run_check(home)
    assert result.returncode == 0, result.stderr
    assert "acceptance-letter.docx: ok" in result.stdout
    assert "variables: " in result.stdout
    assert "FAILED" not in result.stdout


def test_unknown_variable_fails_and_is_named(tmp_path: Path) -> None:
    home = home_with_templates(tmp_path)
    path = home / "letters" / "timeline.docx"
    doc = Document(str(path))
    doc.add_paragraph("Shoe size: {{ pupil.shoe_size }}")
    doc.save(str(path))
    result = run_check(home, "--json")
    assert result.returncode == 1
    reports = {r["document"]: r for r in json.loads(result.stdout)}
    assert reports["timeline"]["unsupplied"] == ["pupil.shoe_size"]
    assert reports["acceptance-letter"]["ok"] is True
    assert "timeline" in result.stderr


def test_invalid_jinja_fails_with_a_clear_message(tmp_path: Path) -> None:
    home = home_with_templates(tmp_path)
    path = home / "letters" / "end-of-provision-letter.docx"
    doc = Document(str(path))
    doc.add_paragraph("{% if reason %}unclosed")
    doc.save(str(path))
    result = run_check(home)
    assert result.returncode == 1
    assert "end-of-provision-letter.docx: FAILED" in result.stdout
    assert "invalid template code at line" in result.stdout
    assert "docgen templates check" in result.stdout


def test_missing_template_fails(tmp_path: Path) -> None:
    home = home_with_templates(tmp_path)
    (home / "letters" / "check-report.docx").unlink()
    result = run_check(home)
    assert result.returncode == 1
    assert "check-report.docx: FAILED" in result.stdout
    assert "template missing" in result.stdout


def test_mail_merge_templates_are_compiled_and_listed(tmp_path: Path) -> None:
    home = home_with_templates(tmp_path)
    doc = Document()
    doc.add_paragraph("Dear {{ parent_name }}, about {{ pupil_forename }}")
    doc.save(str(home / "letters" / "term-letter.docx"))
    broken = Document()
    broken.add_paragraph("{% for x in rows %}")
    broken.save(str(home / "letters" / "broken-merge.docx"))
    result = run_check(home, "--json")
    reports = {r["document"]: r for r in json.loads(result.stdout)}
    assert reports["term-letter"]["variables"] == ["parent_name", "pupil_forename"]
    assert reports["term-letter"]["ok"] is True
    assert reports["broken-merge"]["ok"] is False
    assert result.returncode == 1
