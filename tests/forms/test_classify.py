"""Classification of real generated documents (SPEC §2.1), and the pure helpers behind it."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from _make_docs import acroform_pdf, docx_paragraphs, docx_table
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.errors import ExtractionError, ReasonCode
from docgen.forms import FORMS
from docgen.kinds import FORM_KINDS, KINDS, MAIN_KINDS, UNREADABLE_SCAN, Kind
from docgen.read.classify import best_form, looks_like_letter, title_kind
from docgen.read.extract import extract

PUPIL = [("First name", "Testy"), ("Surname", "McTest"), ("Date of birth", "03/04/2014")]


def letter_docx(path: Path, lines: list[str]) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


NHS_LETTER = [
    "Riverside Children's Clinic", "Invented NHS Foundation Trust", "Department of Paediatrics", "",
    "2 March 2026", "Re: Testy McTest, DOB 03/04/2014", "Dear Colleague,",
    "I reviewed Testy in clinic on 23 February 2026. The diagnosis is chronic fatigue syndrome.",
    "Treatment with graded activity continues and a follow-up appointment is booked.",
    "Yours sincerely,", "Dr Ima Example", "Consultant Paediatrician",
]


@pytest.mark.parametrize(("title", "kind"), [
    ("Medical Needs Service Referral Form", Kind.REFERRAL),
    ("Medical Needs Referral", Kind.REFERRAL),
    ("Medical Needs Continuation Request", Kind.CONTINUATION),
    ("Joint Medical Protocol — Health Information Form", Kind.JMP_HEALTH),
    ("JOINT MEDICAL PROTOCOL: CONSENT FORM", Kind.JMP_CONSENT),
])
def test_form_titles(tmp_path: Path, title: str, kind: Kind) -> None:
    rows = [*PUPIL, ("School name", "Invented Primary School")]
    assert extract(docx_table(tmp_path / "f.docx", title, rows)).kind is kind


def test_referral_mentioning_other_forms_stays_a_referral(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Medical Needs Service Referral Form", level=1)
    document.add_paragraph("Please attach the Joint Medical Protocol Health Information Form and the JMP Consent "
                           "Form. A Statement of Fitness for Work is not acceptable evidence. Attach the "
                           "Individual Healthcare Plan if there is one.")
    table = document.add_table(rows=0, cols=2)
    for label, value in [*PUPIL, ("Postcode", "NR1 2AB"), ("Referrer email", "a@example.org")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    path = tmp_path / "r.docx"
    document.save(str(path))
    result = extract(path)
    assert result.kind is Kind.REFERRAL
    assert result.fields["pupil_postcode"] == "NR1 2AB"


def test_form_without_title_decided_by_its_labels(tmp_path: Path) -> None:
    rows = [*PUPIL, ("Name of health professional", "Dr Ima Example"), ("Profession or role", "GP"),
            ("Service or organisation", "Invented Surgery"), ("Health condition or diagnosis", "Asthma"),
            ("Date of this statement", "01/03/2026")]
    result = extract(docx_table(tmp_path / "h.docx", "Please return to the school office", rows, heading=False))
    assert result.kind is Kind.JMP_HEALTH
    assert result.fields["professional_role"] == "gp"


def test_acroform_fields_decide(tmp_path: Path) -> None:
    path = acroform_pdf(tmp_path / "c.pdf", "Please complete",
                        texts=[("case_reference", "", "MN-2026-0001"), ("pupil_forename", "", "Testy"),
                               ("provision_start_date", "", "12/01/2026"), ("request_date", "", "02/03/2026"),
                               ("progress_summary", "", "Good progress")])
    result = extract(path)
    assert (result.kind, result.method.value) == (Kind.CONTINUATION, "acroform")
    assert result.fields["provision_start_date"] == "2026-01-12"


def test_medical_letter_and_fit_note(tmp_path: Path) -> None:
    assert extract(letter_docx(tmp_path / "l.docx", NHS_LETTER)).kind is Kind.MEDICAL_LETTER
    fit = ["Statement of Fitness for Work", "Patient's name: Testy McTest",
           "I assessed your case on: 01/03/2026", "and, because of the following condition(s): viral illness",
           "I advise you that: you are not fit for work."]
    assert extract(letter_docx(tmp_path / "fit.docx", fit)).kind is Kind.FIT_NOTE


def test_letter_about_a_referral_is_still_a_letter(tmp_path: Path) -> None:
    lines = [*NHS_LETTER[:5], "Re: Medical Needs Referral for Testy McTest", *NHS_LETTER[6:]]
    assert extract(letter_docx(tmp_path / "l.docx", lines)).kind is Kind.MEDICAL_LETTER


def test_ihcp_and_planning_record_carry_identity(tmp_path: Path) -> None:
    ihcp = extract(docx_table(tmp_path / "i.docx", "Individual Healthcare Plan",
                              [("Name", "Testy McTest"), ("Date of birth", "03/04/2014"),
                               ("Name of school", "Invented Primary"), ("Medical diagnosis or condition", "Asthma")]))
    assert ihcp.kind is Kind.IHCP
    assert (ihcp.fields["pupil_name"], ihcp.fields["pupil_dob"], ihcp.fields["school_name"]) == (
        "Testy McTest", "2014-04-03", "Invented Primary")
    plan = extract(docx_paragraphs(tmp_path / "p.docx", "Initial Planning and Review Record",
                                   [("Pupil forename", "Testy"), ("Pupil surname", "McTest"),
                                    ("Case reference", "MN-2026-0007")]))
    assert plan.kind is Kind.PLANNING_RECORD
    assert (plan.fields["pupil_forename"], plan.fields["case_reference"]) == ("Testy", "MN-2026-0007")


def test_unknown_has_a_reason(tmp_path: Path) -> None:
    result = extract(letter_docx(tmp_path / "menu.docx", ["School lunch menu", "Monday: pasta", "Tuesday: soup"]))
    assert result.kind is Kind.UNKNOWN
    assert result.reason


def test_pdf_without_text_layer_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)
    c.save()
    result = extract(path)  # no text layer: OCR reads the page (SPEC §16), and finds no text on it
    assert result.kind is Kind.UNKNOWN
    assert result.reason == UNREADABLE_SCAN


def test_form_with_only_empty_fields_warns(tmp_path: Path) -> None:
    path = acroform_pdf(tmp_path / "blank.pdf", "",
                        texts=[("pupil_forename", "", ""), ("pupil_surname", "", ""), ("pupil_dob", "", ""),
                               ("consent_name", "", ""), ("consent_date", "", "")])
    result = extract(path)
    assert result.kind is Kind.JMP_CONSENT
    assert all(v is None for v in result.fields.values())
    assert any("empty" in w or "no answers" in w for w in result.warnings)


def test_xfa_only_form_is_unsupported(tmp_path: Path) -> None:
    source = tmp_path / "plain.pdf"
    c = canvas.Canvas(str(source))
    c.drawString(72, 720, "Please wait... this document needs a newer viewer.")
    c.save()
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    form = writer._root_object
    acro = writer._add_object(
        __import__("pypdf.generic", fromlist=["DictionaryObject"]).DictionaryObject({
            NameObject("/Fields"): ArrayObject(),
            NameObject("/XFA"): TextStringObject("<xdp:xdp/>"),
        }))
    form[NameObject("/AcroForm")] = acro
    writer.write(str(tmp_path / "xfa.pdf"))
    with pytest.raises(ExtractionError) as info:
        extract(tmp_path / "xfa.pdf")
    assert info.value.code is ReasonCode.UNSUPPORTED and "XFA" in str(info.value)


def test_title_kind_prefers_the_earliest_title() -> None:
    text = "Medical Needs Service Referral Form\nAttach the Health Information Form and Consent Form."
    found = title_kind(text)
    assert found is not None and found[0] is Kind.REFERRAL
    assert title_kind("Weekly newsletter") is None


def test_best_form_needs_a_clear_winner() -> None:
    assert best_form({"referral": 9, "continuation": 4}, minimum=3) == "referral"
    assert best_form({"referral": 4, "continuation": 4}, minimum=3) == "continuation", "the larger share wins"
    assert best_form({"referral": 2}, minimum=3) is None


def test_looks_like_letter() -> None:
    assert looks_like_letter("\n".join(NHS_LETTER))
    assert not looks_like_letter("Dear parents,\nThe school trip is on Friday.\nYours sincerely,\nThe Head")


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_every_printed_title_and_alias_of_a_form_is_recognised_as_that_form(kind: str) -> None:
    """The schema's titles and its title patterns are one declaration: neither may drift from the other."""
    for title in FORMS[kind].titles:
        found = title_kind(f"{title}\nPlease complete every section.")
        assert found is not None and found[0].value == kind, title


def test_the_kinds_registry_covers_every_kind_and_every_form() -> None:
    assert set(KINDS) == set(Kind)
    assert {k.value for k in FORM_KINDS} == set(FORMS)
    assert MAIN_KINDS == (Kind.REFERRAL, Kind.CONTINUATION)
    assert all(KINDS[k].completed_by for k in FORM_KINDS)  # whom to ask when a form is incomplete
