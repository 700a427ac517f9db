"""The sample-document generator: consistent invented values, openable files with the stated content."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from email.parser import BytesParser
from email.policy import default
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.calendar import year_group_on
from docgen.cli import group
from docgen.forms import FORMS
from docgen.forms.types import Postcode
from docgen.forms.upn import upn_problem
from docgen.samples.builder import (
    SCENARIOS,
    Pupil,
    continuation_values,
    jmp_consent_values,
    jmp_health_values,
    make_pupil,
    referral_values,
    write_attendance_csv,
    write_fit_note,
    write_flat_pdf,
    write_form_docx,
    write_form_pdf,
    write_medical_letter,
    write_paragraph_docx,
    write_planning_record,
    write_submission,
    write_submission_email,
    write_table_docx,
)

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def pupil() -> Pupil:
    return make_pupil(5, today=TODAY)


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _docx_text(path: Path) -> str:
    """All the text of a DOCX body, content controls and table cells included."""
    body = Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p")))


@pytest.mark.parametrize("seed", range(40))
def test_pupils_are_consistent_and_invented_by_seed(seed: int) -> None:
    pupil = make_pupil(seed, today=TODAY)
    assert pupil == make_pupil(seed, today=TODAY)
    assert year_group_on(pupil.dob, TODAY) == pupil.year_group
    assert 1 <= pupil.year_group <= 10
    assert upn_problem(pupil.upn) is None
    assert pupil.postcode.startswith("NR") and Postcode().convert(pupil.postcode) == pupil.postcode
    assert ("Primary" in pupil.school_name or "Junior" in pupil.school_name) == (pupil.year_group <= 6)


@pytest.mark.parametrize(("today", "year_group"), [(dt.date(2026, 3, 2), 12), (dt.date(2025, 9, 1), 0),
                                                   (dt.date(2026, 8, 31), 11), (dt.date(2027, 1, 4), 7)])
def test_a_chosen_year_group_matches_the_date_of_birth(today: dt.date, year_group: int) -> None:
    pupil = make_pupil(1, today=today, year_group=year_group)
    assert year_group_on(pupil.dob, today) == year_group


def test_different_seeds_give_different_pupils() -> None:
    assert len({make_pupil(s, today=TODAY).upn for s in range(30)}) == 30


def test_referral_values_are_complete_and_consistent(pupil: Pupil) -> None:
    values = referral_values(pupil, today=TODAY)
    converted, warnings = FORMS["referral"].convert(values)
    assert set(values) == set(FORMS["referral"].keys)
    assert warnings == [] and FORMS["referral"].missing(converted) == []
    assert values["consent_date"] < values["jon_contact_date"] < values["referral_date"] <= TODAY
    assert TODAY - values["referral_date"] <= dt.timedelta(days=7)
    assert values["first_absence_date"] < values["referral_date"]
    assert values["days_absent"] >= 20 and values["expected_absence_weeks"] == 8
    assert values["pupil_on_roll"] and values["consent_jon"] and values["consent_health_contact"]
    assert not (values["pupil_ehe"] or values["pupil_ehcp"] or values["pupil_sen_support"]
                or values["hospital_inpatient"] or values["previous_referral"])


def test_overrides_replace_values_and_unknown_keys_are_refused(pupil: Pupil) -> None:
    assert referral_values(pupil, today=TODAY, pupil_ehe=True)["pupil_ehe"] is True
    with pytest.raises(KeyError, match="pupil_shoe_size"):
        referral_values(pupil, today=TODAY, pupil_shoe_size=3)


def test_other_forms_values_are_complete(pupil: Pupil) -> None:
    start = dt.date(2026, 1, 5)
    for kind, values in (("continuation", continuation_values(pupil, provision_start=start, today=TODAY)),
                         ("jmp_health", jmp_health_values(pupil, today=TODAY)),
                         ("jmp_consent", jmp_consent_values(pupil, today=TODAY))):
        converted, warnings = FORMS[kind].convert(values)
        assert set(values) == set(FORMS[kind].keys), kind
        assert warnings == [] and FORMS[kind].missing(converted) == [], kind
    health, _ = FORMS["jmp_health"].convert(jmp_health_values(pupil, today=TODAY))
    assert health["professional_role"] == "camhs" and health["seen_in_person"] is True
    assert health["unfit_for_school"] == "yes" and re.fullmatch(r"\d\d[A-Z]\d{4}[A-Z]",
                                                                 health["professional_registration"])


def test_filled_pdf_form_holds_the_values(tmp_path: Path, pupil: Pupil) -> None:
    values = referral_values(pupil, today=TODAY, pupil_sen_support=None)
    path = write_form_pdf(tmp_path / "referral.pdf", "referral", values)
    reader = PdfReader(path)
    fields = reader.get_fields() or {}
    assert fields["pupil_surname"]["/V"] == pupil.surname
    assert fields["pupil_dob"]["/V"] == pupil.dob.strftime("%d/%m/%Y")
    assert fields["pupil_on_roll"]["/V"] == "/Yes" and fields["pupil_ehe"]["/V"] == "/No"
    assert fields["pupil_sen_support"].get("/V") in (None, "/Off")
    assert reader.trailer["/Root"]["/AcroForm"]["/NeedAppearances"] == True  # noqa: E712 - a PDF boolean
    states = {w.get_object()["/Parent"]["/T"]: w.get_object()["/AS"] for page in reader.pages
              for w in page["/Annots"] if w.get_object().get("/AS") not in (None, "/Off")}
    assert states["pupil_on_roll"] == "/Yes" and states["pupil_ehe"] == "/No"


def test_filled_docx_form_holds_the_values(tmp_path: Path, pupil: Pupil) -> None:
    values = jmp_health_values(pupil, today=TODAY, seen_in_person=False)
    path = write_form_docx(tmp_path / "health.docx", "jmp_health", values)
    text = _docx_text(path)
    assert pupil.clinician in text and "Face to face" in text
    assert "☐ Yes ☒ No" in re.sub(r" +", " ", text)
    assert values["last_seen_date"].strftime("%d/%m/%Y") in text


def test_table_and_paragraph_docx_use_labels_and_aliases(tmp_path: Path, pupil: Pupil) -> None:
    values = jmp_consent_values(pupil, today=TODAY)
    plain = write_table_docx(tmp_path / "t0.docx", "jmp_consent", values)
    alias = write_table_docx(tmp_path / "t1.docx", "jmp_consent", values, label_variant=1, two_per_row=True)
    paragraphs = write_paragraph_docx(tmp_path / "p.docx", "jmp_consent", values, label_variant=1)
    rows = [[c.text for c in r.cells] for r in Document(str(plain)).tables[0].rows]
    assert ["Name of person giving consent", pupil.parent_name] in rows
    assert len(Document(str(alias)).tables[0].columns) == 4
    assert "Consent given by:" in _docx_text(alias) and "☒ Yes ☐ No" in _docx_text(alias)
    assert f"Consent given by: {pupil.parent_name}" in _docx_text(paragraphs)


def test_medical_letters_say_what_they_are_asked_to(tmp_path: Path, pupil: Pupil) -> None:
    seen = write_medical_letter(tmp_path / "seen.pdf", pupil, fmt="pdf", date=TODAY, seen_on=dt.date(2026, 2, 20))
    unseen = write_medical_letter(tmp_path / "unseen.docx", pupil, seen=False, role="General Practitioner",
                                  other_services=None, date=TODAY)
    silent = write_medical_letter(tmp_path / "silent.docx", pupil, seen=None, date=TODAY)
    text = re.sub(r"\s+", " ", _pdf_text(seen))
    assert f"Re: {pupil.name}, DOB {pupil.dob:%d/%m/%Y}" in text
    assert f"I reviewed {pupil.forename} in clinic on 20 February 2026" in text
    assert "Consultant Paediatrician" in text and "2 March 2026" in text and "I have referred" in text
    unseen_text = _docx_text(unseen)
    assert f"I have not seen {pupil.forename}" in unseen_text and "General Practitioner" in unseen_text
    assert "I have referred" not in unseen_text
    assert not re.search(r"reviewed|have not seen|examined", _docx_text(silent))


def test_fit_note_and_planning_record(tmp_path: Path, pupil: Pupil) -> None:
    note = write_fit_note(tmp_path / "fit.pdf", pupil, date=TODAY)
    assert "Statement of Fitness for Work" in _pdf_text(note) and pupil.name in _pdf_text(note)
    record = write_planning_record(tmp_path / "plan.docx", pupil, meeting=TODAY, provision_start=TODAY)
    assert Document(str(record)).paragraphs[0].text == "Initial Planning and Review Record"


def test_attendance_csv_has_header_block_and_sessions(tmp_path: Path, pupil: Pupil) -> None:
    path = write_attendance_csv(tmp_path / "att.csv", pupil, start=dt.date(2026, 1, 5), sessions=40,
                                illness_ratio=0.25)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[:4] == [["Pupil name", pupil.name], ["Date of birth", pupil.dob.strftime("%d/%m/%Y")],
                        ["UPN", pupil.upn], ["School", pupil.school_name]]
    assert rows[4] == [] and rows[5] == ["date", "am", "pm"]
    sessions = rows[6:]
    assert len(sessions) == 20
    assert all(dt.datetime.strptime(d, "%d/%m/%Y").weekday() < 5 for d, _, _ in sessions)
    assert [am for _, am, _ in sessions].count("I") == 5 and sessions[-1][1:] == ["I", "I"]


def test_flat_pdf_has_text_and_no_fields(tmp_path: Path, pupil: Pupil) -> None:
    path = write_flat_pdf(tmp_path / "flat.pdf", "jmp_consent", jmp_consent_values(pupil, today=TODAY))
    assert PdfReader(path).get_fields() is None
    text = _pdf_text(path)
    assert FORMS["jmp_consent"].title in text and pupil.parent_name in text


EXPECTED = {"accepted": "accepted", "incomplete": "incomplete", "review": "review",
            "not_accepted": "not_accepted", "continuation": "accepted"}


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_submissions_write_every_document(tmp_path: Path, scenario: str, seed: int) -> None:
    submission = write_submission(tmp_path / scenario, scenario, seed=seed, today=TODAY)
    assert submission.expected_outcome == EXPECTED[scenario] and submission.scenario == scenario
    assert submission.files and all(p.is_file() and p.stat().st_size > 0 for p in submission.files)
    assert all(p.parent == tmp_path / scenario for p in submission.files)
    names = " ".join(p.name for p in submission.files)
    if scenario == "continuation":
        assert submission.kind == "continuation" and "planning-record" in names and "jmp-health" in names
    else:
        assert submission.kind == "referral" and "referral-form" in names
    if scenario == "incomplete":
        assert "medical-letter" not in names and "jmp-health" not in names
        assert submission.values["parent_phone"] is None
    if scenario == "not_accepted" and seed % 2 == 0:
        assert year_group_on(submission.pupil.dob, TODAY) == 12
    again = write_submission(tmp_path / "again", scenario, seed=seed, today=TODAY)
    assert [p.name for p in again.files] == [p.name for p in submission.files] and again.pupil == submission.pupil


@pytest.mark.parametrize("fmt", ["pdf", "docx", "table"])
def test_submission_formats(tmp_path: Path, fmt: str) -> None:
    submission = write_submission(tmp_path, "accepted", seed=4, today=TODAY, fmt=fmt)
    form = submission.files[0]
    assert form.suffix == (".pdf" if fmt == "pdf" else ".docx")
    if fmt == "pdf":
        assert (PdfReader(form).get_fields() or {})["pupil_surname"]["/V"] == submission.pupil.surname
    else:
        assert submission.pupil.surname in _docx_text(form)


def test_unknown_scenario_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scenario"):
        write_submission(tmp_path, "lost", today=TODAY)


CHECKED = [(scenario, seed, "mixed") for scenario in SCENARIOS for seed in (1, 2, 3)] + [
    ("accepted", 5, "pdf"), ("accepted", 6, "docx"), ("accepted", 7, "table"), ("continuation", 8, "pdf")]


@pytest.mark.parametrize(("scenario", "seed", "fmt"), CHECKED, ids=["-".join(map(str, c)) for c in CHECKED])
def test_docgen_check_reaches_the_expected_outcome(tmp_path: Path, scenario: str, seed: int, fmt: str) -> None:
    submission = write_submission(tmp_path / "bundle", scenario, seed=seed, today=TODAY, fmt=fmt)
    result = CliRunner().invoke(group, ["check", str(submission.folder), "--today", TODAY.isoformat(), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["outcome"], report["kind"]) == (submission.expected_outcome, submission.kind), report["findings"]
    assert sorted({f["rule"] for f in report["findings"]}) == sorted(submission.expected_rules)
    assert len(report["documents"]) == len(submission.files)


def test_submission_email_attaches_every_file(tmp_path: Path) -> None:
    submission = write_submission(tmp_path / "files", "accepted", seed=2, today=TODAY)
    eml = write_submission_email(tmp_path / "referral.eml", submission, today=TODAY)
    message = BytesParser(policy=default).parsebytes(eml.read_bytes())
    assert submission.pupil.name in str(message["Subject"])
    assert str(message["From"]).endswith(f"<{submission.values['referrer_email']}>")
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert sorted(attached) == sorted(p.name for p in submission.files)
    assert all(_as_bytes(attached[p.name]) == p.read_bytes() for p in submission.files)
    result = CliRunner().invoke(group, ["check", str(eml), "--today", TODAY.isoformat(), "--json"])
    assert json.loads(result.output)["outcome"] == "accepted", result.output


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content
