"""A two-page referral laid out by fpdf2 (not by docgen), rendered by poppler's pdftoppm and scanned with Pillow
(speckled, JPEG pages in a PDF, the second page a little further right on the glass), read by the real Tesseract:
a question that runs over the page break, and a narrative answer cut off at the edge of a flattened field's box."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from docgen.forms import FORMS
from docgen.kinds import Extraction
from docgen.read.extract import extract
from docgen.read.labels import LabelMatcher
from docgen.rules.check import check_submission
from tests.read.scans import noisy, render, scanned_pdf

FIRST = [("Legal forename(s)", "Mira"), ("Legal surname", "Hollesley"), ("Date of birth", "03/05/2014"),
         ("Parent/carer name", "Lena Hollesley"),
         ("Health professionals involved", "Dr K Ashby, consultant paediatric neurologist; speech therapy team"),
         ("Nature of the health need or diagnosis", "Epilepsy with frequent seizures")]
SECOND = [("Is the absence related to pregnancy?", "Yes"), ("Date of referral", "20/02/2026")]


def _form(path: Path) -> Path:
    pdf = FPDF(format="A4", unit="pt")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 24, "Medical Needs Service Referral Form", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    y = 90
    for label, answer in FIRST:
        pdf.text(40, y, label)
        width = 200.0
        if answer.startswith("Dr"):  # a flattened form field whose box ends half-way through a letter
            width = 3 + pdf.get_string_width("Dr K Ashby, consultant paediatric neurolo") + 0.45 * pdf.get_string_width("g")
        pdf.rect(230, y - 12, width, 17)
        with pdf.rect_clip(230, y - 12, width, 17):
            pdf.text(233, y, answer)
        y += 30
    pdf.text(40, 790, "Is the young person currently a")  # the question's first line at the foot of page 1 …
    pdf.text(233, 790, "No")
    pdf.add_page()
    pdf.text(40, 50, "hospital in-patient?")  # … and its last line at the head of page 2
    for n, (label, answer) in enumerate(SECOND):
        pdf.text(40, 80 + 30 * n, label)
        pdf.text(233, 80 + 30 * n, answer)
    pdf.output(str(path))
    return path


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    folder = tmp_path_factory.mktemp("pages")
    first, second = render(_form(folder / "form.pdf"), folder, dpi=200)
    moved = Image.new("L", second.size, 255)
    moved.paste(second, (25, 0))  # 9 pt further right than page 1
    return extract(scanned_pdf([noisy(first), noisy(moved, seed=2)], folder / "scan.pdf", dpi=200))


def test_a_question_over_the_page_break_is_read_with_its_answer(scanned: Extraction) -> None:
    """The pages are lined up by their left edges before the readers see them: 'hospital in-patient?' then
    starts where 'Is the young person currently a' does, and the question is read whole, answered No."""
    assert scanned.kind.value == "referral" and scanned.method.value == "ocr"
    assert scanned.fields["hospital_inpatient"] is False
    assert (scanned.fields["pregnancy_related"], scanned.fields["referral_date"]) == (True, "2026-02-20")


def test_a_narrative_answer_with_one_doubtful_word_is_certain(scanned: Extraction) -> None:
    """'…paediatric neurolo|' cut mid-letter reads as a doubtful last word (Tesseract: under 30 %); the account
    is still certain: a person reads it as prose, and no rule turns on its wording."""
    assert str(scanned.fields["health_professionals"]).startswith("Dr K Ashby, consultant paediatric neuro")
    assert scanned.confidence["health_professionals"] >= 80


def test_long_questions_with_ocr_slips_inside_their_words_are_matched() -> None:
    """Misreadings Tesseract made of printed questions on scanned forms: a letter swapped, a word split."""
    matcher = LabelMatcher(FORMS["referral"])
    said = {"Is the young person currently a hos pital in-oatient?": "hospital_inpatient",
            "Has the young person deen referred to the Medical Needs Service before?": "previous_referral",
            "Parent/carer consent obtainec before contacting Just One Number": "consent_jon"}
    assert {text: getattr(matcher.match(text), "key", None) for text in said} == said
    for partial in ("Is the young person currently a", "Is the young person awaiting a", "Date Just One Number was",
                    "Parent/carer consents to the Medical Needs"):
        assert matcher.match(partial) is None  # a question's first line alone is no question


def test_a_required_answer_not_found_on_a_scan_goes_to_a_person_not_into_a_request(scanned: Extraction) -> None:
    """The page has no 'Parent/carer telephone' at all: OCR cannot tell a blank answer from one it missed, so no
    request says it was left blank (R-FORM-REQUIRED); R-DATA-UNCERTAIN names it for the desk. Once a person has
    corrected the reading (the confidences go), a blank is a blank again."""
    result = check_submission([scanned], today=dt.date(2026, 3, 2))
    fired = {f.rule for f in result.findings}
    assert "R-FORM-REQUIRED" not in fired and "R-FORM-INVALID" not in fired
    named = [f.message for f in result.findings if f.rule == "R-DATA-UNCERTAIN" and "'Parent/carer telephone'" in f.message]
    assert named and "not found on the scanned page" in named[0]
    assert result.outcome == "incomplete"  # no medical evidence and no attendance record: that much is certain
    keyed = dataclasses.replace(scanned, confidence={}, ocr=None)
    again = check_submission([keyed], today=dt.date(2026, 3, 2))
    assert any(f.rule == "R-FORM-REQUIRED" and "'Parent/carer telephone'" in f.message for f in again.findings)
