"""`docgen check`: outcome precedence, the JSON contract, and whole submissions from real files."""

from __future__ import annotations

import datetime as dt
import json
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen.cli.base import main
from docgen.config import Settings
from docgen.rules import Finding, Severity
from docgen.rules.check import check_submission, outcome_of, read_submission
from docgen.samples.builder import (
    jmp_consent_values,
    jmp_health_values,
    make_pupil,
    referral_values,
    write_attendance_csv,
    write_fit_note,
    write_form_docx,
    write_form_pdf,
    write_medical_letter,
    write_submission,
)

TODAY = dt.date(2026, 3, 2)


def finding(severity: Severity) -> Finding:
    return Finding("R-X", severity, "1", "m")


@pytest.mark.parametrize(("severities", "expected"), [
    ([], "accepted"),
    ([Severity.INFO], "accepted"),
    ([Severity.REVIEW, Severity.INFO], "review"),
    ([Severity.REVIEW, Severity.MISSING], "incomplete"),
    ([Severity.MISSING, Severity.INELIGIBLE, Severity.REVIEW], "not_accepted"),
])
def test_outcome_precedence(severities: list[Severity], expected: str) -> None:
    assert outcome_of([finding(s) for s in severities], "referral") == expected


def test_without_a_main_form_the_outcome_is_review() -> None:
    assert outcome_of([], "unknown") == "review"
    assert outcome_of([finding(Severity.MISSING)], "unknown") == "review"


def run_check(settings: Settings, *paths: Path, today: dt.date = TODAY) -> dict[str, Any]:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "check", *map(str, paths),
                                       "--today", today.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


@pytest.mark.parametrize("scenario", ["accepted", "incomplete", "review", "not_accepted", "continuation"])
def test_sample_submissions_reach_their_outcome(scenario: str, settings: Settings, tmp_path: Path) -> None:
    sample = write_submission(tmp_path / scenario, scenario, seed=3, today=TODAY)
    data = run_check(settings, sample.folder)
    assert list(data) == ["outcome", "kind", "pupil", "findings", "documents"]
    assert data["outcome"] == sample.expected_outcome
    assert data["kind"] == sample.kind
    fired = {f["rule"] for f in data["findings"]}
    assert set(sample.expected_rules) <= fired
    assert fired == set(sample.expected_rules)  # nothing else fires on these clean samples
    assert data["pupil"]["surname"] == sample.pupil.surname
    assert all(set(f) == {"rule", "severity", "section", "message"} for f in data["findings"])
    assert sample.kind in {d["kind"] for d in data["documents"]}


def write_referral_parts(folder: Path, **referral: Any) -> dict[str, Path]:
    pupil = make_pupil(7, today=TODAY)
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "referral": write_form_pdf(folder / "referral.pdf", "referral",
                                   referral_values(pupil, today=TODAY, **referral)),
        "health": write_form_docx(folder / "health.docx", "jmp_health", jmp_health_values(pupil, today=TODAY)),
        "attendance": write_attendance_csv(folder / "attendance.csv", pupil, start=dt.date(2026, 1, 5),
                                           sessions=80, illness_ratio=0.5),
        "consent": write_form_pdf(folder / "consent.pdf", "jmp_consent", jmp_consent_values(pupil, today=TODAY)),
    }


def test_files_given_one_by_one_are_one_submission(settings: Settings, tmp_path: Path) -> None:
    parts = write_referral_parts(tmp_path / "parts")
    data = run_check(settings, *parts.values())
    assert data["outcome"] == "accepted", data["findings"]
    assert [d["kind"] for d in data["documents"]] == ["referral", "jmp_health", "attendance", "jmp_consent"]


def test_folder_skips_lock_and_hidden_files_and_reports_unreadable_ones(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    write_referral_parts(folder)
    (folder / "~$referral.docx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "scan.pdf").write_bytes(b"")  # empty: cannot be read at all
    data = run_check(settings, folder)
    names = [Path(d["file"]).name for d in data["documents"]]
    assert "~$referral.docx" not in names and ".DS_Store" not in names
    assert {"file": str(folder / "scan.pdf"), "kind": "unknown"} in data["documents"]
    unreadable = [f for f in data["findings"] if "scan.pdf" in f["message"]]
    assert [f["rule"] for f in unreadable] == ["R-FORM-INVALID"]
    assert data["outcome"] == "incomplete"


def test_only_a_fit_note_asks_for_proper_evidence(settings: Settings, tmp_path: Path) -> None:
    parts = write_referral_parts(tmp_path / "fit")
    parts["health"].unlink()
    note = write_fit_note(tmp_path / "fit" / "fit-note.pdf", make_pupil(7, today=TODAY), date=TODAY)
    data = run_check(settings, tmp_path / "fit")
    assert "fit_note" in {d["kind"] for d in data["documents"]}, note
    rules = {f["rule"] for f in data["findings"]}
    assert "R-EVID-FITNOTE" in rules and "R-DOCS-EVIDENCE" not in rules
    assert data["outcome"] == "incomplete"


def test_letter_about_another_child_goes_to_review(settings: Settings, tmp_path: Path) -> None:
    parts = write_referral_parts(tmp_path / "other")
    parts["health"].unlink()
    write_medical_letter(tmp_path / "other" / "letter.docx", make_pupil(8, today=TODAY), date=dt.date(2026, 2, 20))
    data = run_check(settings, tmp_path / "other")
    assert [f["rule"] for f in data["findings"]] == ["R-DATA-MATCH"]
    assert data["outcome"] == "review"


def test_post_16_is_not_accepted(settings: Settings, tmp_path: Path) -> None:
    pupil = make_pupil(9, today=TODAY, year_group=12)
    folder = tmp_path / "post16"
    folder.mkdir()
    write_form_pdf(folder / "referral.pdf", "referral", referral_values(pupil, today=TODAY))
    write_medical_letter(folder / "letter.pdf", pupil, fmt="pdf", date=dt.date(2026, 2, 20))
    data = run_check(settings, folder)
    rules = {f["rule"] for f in data["findings"]}
    assert "R-ELIG-AGE-UPPER" in rules and "R-DATA-YEAR" not in rules
    assert data["outcome"] == "not_accepted"


def test_an_email_is_unpacked_into_its_documents(settings: Settings, tmp_path: Path) -> None:
    parts = write_referral_parts(tmp_path / "attachments")
    message = EmailMessage()
    message["From"] = "school@example.org"
    message["To"] = "medicalneeds@example.org"
    message["Subject"] = "Medical Needs referral"
    message.set_content("Please find attached our referral.")
    for path in parts.values():
        message.add_attachment(path.read_bytes(), maintype="application", subtype="octet-stream",
                               filename=path.name)
    eml = tmp_path / "referral.eml"
    eml.write_bytes(bytes(message))
    data = run_check(settings, eml)
    kinds = [d["kind"] for d in data["documents"]]
    assert {"referral", "jmp_health", "attendance", "jmp_consent"} <= set(kinds)
    assert all(d["file"].startswith(str(eml)) for d in data["documents"])
    assert data["outcome"] == "accepted", data["findings"]


def test_check_writes_nothing(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "quiet"
    write_referral_parts(folder)
    before = sorted(p.name for p in settings.home.rglob("*"))
    run_check(settings, folder)
    assert sorted(p.name for p in settings.home.rglob("*")) == before


def test_read_submission_and_check_submission_compose(tmp_path: Path) -> None:
    write_referral_parts(tmp_path / "lib", pupil_on_roll=False, pupil_upn=None, school_name=None)
    result = check_submission(read_submission([tmp_path / "lib"]), today=TODAY)
    assert result.kind == "referral"
    assert [f.rule for f in result.findings] == ["R-ELIG-NOT-ON-ROLL"]
    assert result.to_json()["outcome"] == "review"


def test_rules_command_lists_the_catalogue(settings: Settings) -> None:
    result = CliRunner().invoke(main, ["--home", str(settings.home), "rules", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert {"rule": "R-EVID-SEEN", "section": "11.2.2", "severity": "review",
            "summary": "the professional has not seen or spoken to the young person, or the letter does not say"} \
        in rows
    text = CliRunner().invoke(main, ["--home", str(settings.home), "rules"]).output
    assert "R-CONT-EVID-OLD" in text


@pytest.mark.parametrize(("letter", "referral", "outcome", "rules"), [
    ({"role": "School Nurse"}, {}, "accepted", set()),
    ({"role": "Youth Worker"}, {}, "review", {"R-EVID-ROLE"}),
    ({"seen": None}, {}, "review", {"R-EVID-SEEN"}),
    ({"reintegration": None}, {}, "incomplete", {"R-EVID-CONTENT"}),
    ({"diagnosis": "Autism spectrum disorder and sensory processing difficulties"}, {}, "incomplete",
     {"R-EVID-SEND-ONLY"}),
    ({"role": "GP"}, {"previous_referral": True}, "review", {"R-EVID-GP-REPEAT"}),
    ({}, {"pupil_postcode": "CB1 2AB"}, "review", {"R-ELIG-RESIDENCE"}),
])
def test_letters_as_evidence(letter: dict[str, Any], referral: dict[str, Any], outcome: str, rules: set[str],
                             settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "letter"
    parts = write_referral_parts(folder, **referral)
    parts["health"].unlink()
    write_medical_letter(folder / "a-letter.docx", make_pupil(7, today=TODAY), date=dt.date(2026, 2, 20), **letter)
    data = run_check(settings, folder)
    assert "medical_letter" in {d["kind"] for d in data["documents"]}
    assert {f["rule"] for f in data["findings"]} == rules
    assert data["outcome"] == outcome


def test_a_letter_quoting_the_referral_title_is_read_as_a_letter() -> None:
    from docgen.forms import REFERRAL
    from docgen.kinds import Extraction, Kind, Method
    from docgen.rules.check import settle_main_forms

    full, _ = REFERRAL.convert({"pupil_forename": "Ada", "pupil_surname": "Quenby", "pupil_dob": "15/03/2014",
                                "referral_date": "20/02/2026", "parent_name": "Hannah Quenby"})
    letter_text = ("Eastwold Community Paediatrics\nDear Colleague,\nI reviewed Ada in clinic on 02/02/2026 "
                   "to support her Medical Needs referral. Ada has a diagnosis of epilepsy.\nYours sincerely\n"
                   "Dr Imogen Castellan\nConsultant Paediatrician\n")
    email_text = "Dear team,\nPlease find attached our Medical Needs referral for Ada.\nKind regards\nSam Lee\nSENCO\n"
    empty = dict.fromkeys(REFERRAL.keys)
    docs = [Extraction(Path("referral.pdf"), Kind.REFERRAL, Method.ACROFORM, full),
            Extraction(Path("letter.docx"), Kind.REFERRAL, Method.DOCX, dict(empty), text=letter_text),
            Extraction(Path("body.txt"), Kind.REFERRAL, Method.TEXT, dict(empty), text=email_text)]
    settled = settle_main_forms(docs)
    assert [d.kind for d in settled] == [Kind.REFERRAL, Kind.MEDICAL_LETTER, Kind.REFERRAL]
    assert settled[1].fields["professional_role"] == "paediatrician"
    result = check_submission(docs, today=TODAY)
    assert result.documents[1] == {"file": "letter.docx", "kind": "medical_letter"}


def test_a_reading_status_is_typed_from_the_one_set_of_reason_words() -> None:
    """Rules ask `Extraction.status`, never match the prose of a reason themselves (issue 16)."""
    from pathlib import Path

    from docgen.kinds import (
        NO_TEXT,
        NO_TEXT_LAYER,
        UNOPENED,
        UNREADABLE_ATTENDANCE,
        UNREADABLE_SCAN,
        Extraction,
        Kind,
        Method,
        Reading,
    )

    def status(reason: str | None) -> Reading:
        return Extraction(Path("x.pdf"), Kind.UNKNOWN, Method.TEXT, reason=reason).status

    assert status(None) is Reading.READ
    assert status("no form title, form labels or letter layout recognised") is Reading.READ
    assert status(NO_TEXT_LAYER) is Reading.NO_TEXT_LAYER
    assert status(NO_TEXT) is Reading.NO_TEXT
    assert status(UNREADABLE_SCAN) is Reading.SCAN_UNREADABLE
    assert status(f"{UNREADABLE_ATTENDANCE}: no week rows") is Reading.ATTENDANCE_UNREADABLE
    assert status(UNOPENED) is Reading.UNOPENED
