"""`extract()` end to end and the `docgen extract` command (SPEC §10 JSON shape, exit codes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from docgen.errors import ExtractionError, ReasonCode
from docgen.forms import FORMS
from docgen.kinds import Kind
from docgen.read.extract import extract

DOCGEN = Path(sys.executable).with_name("docgen")


def contract_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Medical Needs Service Referral Form", level=1)
    table = document.add_table(rows=0, cols=2)
    for label, value in [("Legal forename(s)", "Testy"), ("Date of birth", "03/04/2014"),
                         ("National Curriculum year group", "Year 6"), ("Postcode", "nr1 2ab"),
                         ("Is the young person on the roll of a school?", "Yes"),
                         ("Referrer email", "Office@Example.org")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.save(str(path))
    return path


def run_docgen(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(DOCGEN), "--home", str(home), *args], capture_output=True, text=True, timeout=120,
                          check=False)


def test_extract_returns_every_key_and_the_text(tmp_path: Path) -> None:
    result = extract(contract_docx(tmp_path / "r.docx"))
    assert list(result.fields) == list(FORMS["referral"].keys)
    assert "Medical Needs Service Referral Form" in result.text
    # the only warnings name each required answer the form leaves out, so that a person can key it in
    missing = [f.key for f in FORMS["referral"].missing(result.fields)]
    assert "pupil_surname" in missing and "pupil_forename" not in missing
    assert [w.split(":", 1)[0] for w in result.warnings] == [f"not read {key}" for key in missing]


def test_cli_json_shape(tmp_path: Path, home: Path) -> None:
    path = contract_docx(tmp_path / "referral.docx")
    done = run_docgen("extract", str(path), "--json", home=home)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"file", "kind", "method", "fields", "warnings"}
    assert (data["kind"], data["method"], data["file"]) == ("referral", "docx", str(path))
    assert data["fields"]["pupil_dob"] == "2014-04-03"
    assert data["fields"]["pupil_on_roll"] is True
    assert data["fields"]["pupil_year_group"] == 6
    assert data["fields"]["pupil_postcode"] == "NR1 2AB"
    assert data["fields"]["referrer_email"] == "office@example.org"


def test_cli_listing_without_json(tmp_path: Path, home: Path) -> None:
    done = run_docgen("extract", str(contract_docx(tmp_path / "r.docx")), home=home)
    assert done.returncode == 0
    assert "referral" in done.stdout and "Date of birth: 2014-04-03" in done.stdout
    assert "Legal surname: —" in done.stdout


@pytest.mark.parametrize(("content", "code"), [(b"", "empty"), (b"\xff\xd8\xff\xe0JFIF" + b"\0" * 64, "JPEG")])
def test_cli_bad_input_is_one_line_exit_1(tmp_path: Path, home: Path, content: bytes, code: str) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    done = run_docgen("extract", str(path), "--json", home=home)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "form.pdf" in lines[0] and code in lines[0]
    assert "Traceback" not in done.stderr


def test_cli_missing_file_exit_1(tmp_path: Path, home: Path) -> None:
    done = run_docgen("extract", str(tmp_path / "nope.pdf"), home=home)
    assert done.returncode == 1 and "nope.pdf" in done.stderr
    assert "no such file; check the path" in done.stderr and "moved or deleted" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_attendance_csv_goes_to_the_attendance_reader(tmp_path: Path) -> None:
    path = tmp_path / "attendance.csv"
    rows = ["Pupil name,Testy McTest", "", "date,am,pm", "05/01/2026,/,/", "06/01/2026,I,I", "07/01/2026,/,\\"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = extract(path)
    assert result.kind is Kind.ATTENDANCE
    assert result.fields["illness_sessions"] == 2


def test_bundles_are_not_single_documents(tmp_path: Path) -> None:
    path = tmp_path / "mail.eml"
    path.write_bytes(b"From: a@example.org\r\nTo: b@example.org\r\nSubject: Referral\r\n\r\nSee attached.\r\n")
    with pytest.raises(ExtractionError) as info:
        extract(path)
    assert info.value.code is ReasonCode.UNSUPPORTED


def test_plain_text_form(tmp_path: Path) -> None:
    path = tmp_path / "consent.txt"
    path.write_text("Joint Medical Protocol - Consent Form\n\nFirst name: Testy\nSurname: McTest\n"
                    "Date of birth: 3 Apr 2014\nName of person giving consent: Pat McTest\nDate: 01/03/2026\n",
                    encoding="utf-8")
    result = extract(path)
    assert (result.kind, result.method.value) == (Kind.JMP_CONSENT, "text")
    assert (result.fields["pupil_dob"], result.fields["consent_date"]) == ("2014-04-03", "2026-03-01")


def test_online_form_export_csv_is_read_as_a_form(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Timestamp,Legal forename(s),Legal surname,Date of birth,Postcode,Referrer email\n"
                    "2026-03-01 10:00,Testy,McTest,03/04/2014,nr1 2ab,Office@Example.org\n", encoding="utf-8")
    result = extract(path)
    assert (result.kind, result.method.value) == (Kind.REFERRAL, "csv")
    assert (result.fields["pupil_surname"], result.fields["pupil_dob"], result.fields["pupil_postcode"]) == (
        "McTest", "2014-04-03", "NR1 2AB")


def test_csv_that_is_neither_attendance_nor_form_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "menu.csv"
    path.write_text("day,meal\nMonday,pasta\nTuesday,soup\n", encoding="utf-8")
    with pytest.raises(ExtractionError):
        extract(path)
