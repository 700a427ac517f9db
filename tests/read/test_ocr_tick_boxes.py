"""Yes/no answers and tick boxes on scanned forms docgen did not lay out (SPEC §16, issue 19).

One referral page drawn with reportlab's canvas (not docgen's form builder), the way other schools' forms
print their answers: box glyphs after the options ("Yes ☒ No ☐", a Word form's content controls), squares
drawn just before the options and ticked with an X (a flattened AcroForm), a ruled table whose narrow
label column wraps the question over two lines beside a plain "No", and a paragraph whose question wraps
with the answer after it on the second line ("…Service" / "before? No"). The page is rendered by poppler,
speckled and sent as a JPEG scan; Tesseract reads the boxes as "&", "0", "O)" or glues them to the word
("Oves", "NoO"), so whether each box is ticked must come from the image.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from docgen.forms import REFERRAL
from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from docgen.read.labels import matcher_for
from tests.corpus.writers import canvas_rows

from .scans import noisy, render, scanned_pdf

GLYPHS = "DejaVuSans"
_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# (label, value) rows of plain text answers: enough of the referral for the page to be one
TEXT_ROWS = [("Legal forename(s)", "Ottilie"), ("Legal surname", "Brancaster"), ("Date of birth", "14/02/2014"),
             ("Postcode", "NR25 7QX"), ("Parent/carer name", "Idris Brancaster"),
             ("School name", "Holt Marshes Primary")]


def _glyph_row(c: canvas.Canvas, y: float, label: str, yes: bool) -> None:
    """A question with box glyphs printed after each option (a Word form's check-box content controls)."""
    c.setFont("Helvetica", 11)
    c.drawString(50, y, label)
    c.setFont(GLYPHS, 11)
    c.drawString(330, y, f"Yes {'☒' if yes else '☐'}    No {'☐' if yes else '☒'}")


def _drawn_row(c: canvas.Canvas, y: float, label: str, yes: bool) -> None:
    """A question with squares drawn just before each option, the ticked one crossed (a flattened AcroForm)."""
    c.setFont("Helvetica", 11)
    c.drawString(50, y, label)
    for x, ticked, word in ((330, yes, "Yes"), (400, not yes, "No")):
        c.setLineWidth(1.2)
        c.setFillGray(0.85)  # a field's shading, as a flattened AcroForm keeps it
        c.rect(x, y - 3, 13, 13, fill=1)
        c.setFillGray(0)
        if ticked:
            c.line(x + 2, y - 1, x + 11, y + 8)
            c.line(x + 2, y + 8, x + 11, y - 1)
        c.drawString(x + 16, y, word)


def _form(path: Path) -> None:
    pdfmetrics.registerFont(TTFont(GLYPHS, str(_FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = canvas_rows(c, "Referral to the Medical Needs Service", TEXT_ROWS, top=755.0, value_x=330, size=11)
    _glyph_row(c, y, "Is the young person on the roll of a school?", True)
    _glyph_row(c, y - 26, "Is the young person electively home educated?", False)
    _drawn_row(c, y - 52, "Does the young person have an EHCP?", False)
    _drawn_row(c, y - 78, "Is the young person receiving SEN support?", True)
    # a ruled table: a narrow label column wraps the question; the answer sits in the cell beside it
    top = y - 100
    c.setLineWidth(0.8)
    for n, (first, second, answer) in enumerate((("Is the young person currently a", "hospital in-patient?", "No"),
                                                 ("Is the absence related to", "pregnancy?", "No"))):
        row_top = top - n * 40
        c.rect(48, row_top - 40, 200, 40)
        c.rect(248, row_top - 40, 200, 40)
        c.setFont("Helvetica-Bold", 11)
        c.drawString(52, row_top - 15, first)
        c.drawString(52, row_top - 30, second)
        c.setFont("Helvetica", 11)
        c.drawString(252, row_top - 23, answer)
    # a paragraph: the question wraps, its answer follows on the second line
    c.setFont("Helvetica-Bold", 11)
    c.drawString(50, top - 110, "Has the young person been referred to the Medical Needs Service")
    c.drawString(50, top - 124, "before?")
    c.setFont("Helvetica", 11)
    c.drawString(50 + c.stringWidth("before? ", "Helvetica-Bold", 11), top - 124, "No")
    c.save()


def _scan(draw: Callable[[Path], None], folder: Path, *, seed: int, dpi: int, quality: int) -> Extraction:
    """The page `draw` makes, printed by reportlab, rasterised by poppler, speckled and sent as a JPEG PDF."""
    pdf = folder / "form.pdf"
    draw(pdf)
    pages = [noisy(p, seed=seed) for p in render(pdf, folder, dpi=dpi)]
    return extract(scanned_pdf(pages, folder / "scan.pdf", dpi=dpi, quality=quality))


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    return _scan(_form, tmp_path_factory.mktemp("tick-boxes"), seed=5, dpi=300, quality=70)


def _fields(result: Extraction, keys: list[str]) -> dict[str, Any]:
    return {k: result.fields.get(k) for k in keys}


def test_box_glyphs_after_the_options_are_judged_from_the_image(scanned: Extraction) -> None:
    """"Yes ☒ No ☐": the box after each option is its own (Tesseract read them as "0", "&l" or nothing)."""
    assert scanned.kind is Kind.REFERRAL and scanned.method is Method.OCR, scanned.warnings
    assert _fields(scanned, ["pupil_on_roll", "pupil_ehe"]) == {"pupil_on_roll": True, "pupil_ehe": False}


def test_squares_drawn_before_the_options_are_judged_from_the_image(scanned: Extraction) -> None:
    """"☐ Yes ☒ No" drawn as squares hard against the words (read as "Oves", "[No" or nothing)."""
    assert _fields(scanned, ["pupil_ehcp", "pupil_sen_support"]) == {"pupil_ehcp": False, "pupil_sen_support": True}


def test_a_plain_answer_beside_a_wrapped_question_in_a_table(scanned: Extraction) -> None:
    """A "No" centred beside a question wrapped over two lines of its cell: its own answer, not the next line."""
    assert _fields(scanned, ["hospital_inpatient", "pregnancy_related"]) == {"hospital_inpatient": False,
                                                                           "pregnancy_related": False}


def test_an_answer_after_a_question_wrapped_in_a_paragraph(scanned: Extraction) -> None:
    assert scanned.fields.get("previous_referral") is False


def test_a_capital_i_read_as_a_lower_case_l_still_names_the_question() -> None:
    """Tesseract reads "Is" as "ls" and "If" as "lf"; the question is still the same question."""
    matcher = matcher_for(REFERRAL)
    on_roll = matcher.match("ls the young person on the roll of a school?")
    pregnancy = matcher.match("ls the absence related to pregnancy?")
    assert on_roll is not None and on_roll.key == "pupil_on_roll"
    assert pregnancy is not None and pregnancy.key == "pregnancy_related"


def test_the_ways_tesseract_reads_a_check_mark_printed_without_a_box_are_ticks() -> None:
    """A borderless ✓ in a "tick if done" field comes out as "Jv", "¥" or "\\" as well as "v" or "J"."""
    from docgen.read.labels import RawField, convert
    from docgen.read.ocrtext import untangled

    marks = {"chk_policy_followed": "Jv", "chk_jon_contacted": "¥", "chk_parent_meeting": "\\",
             "chk_ihcp": "J", "chk_reduced_timetable": "v"}
    raws = [RawField((REFERRAL[key].label,), mark, structured=False) for key, mark in marks.items()]
    values, warnings, _seen = convert(untangled(raws, REFERRAL), REFERRAL)
    assert warnings == [] and all(values[key] is True for key in marks), values


CHECKS = {"chk_policy_followed": "School's own Medical Needs policy checked and all procedures followed",
          "chk_jon_contacted": "Just One Number contacted for advice",
          "chk_parent_meeting": "Meeting with parent/carer", "chk_ihcp": "Individual healthcare plan (if appropriate)",
          "chk_reduced_timetable": "Temporary reduced timetable"}


def _checklist(path: Path) -> None:
    """A referral's checklist: a ✓ printed without a box beside each step done (one left blank), then
    yes/no questions answered with a lone "Y" or "N" in a ruled table's cell."""
    pdfmetrics.registerFont(TTFont(GLYPHS, str(_FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, 790, "Medical Needs Service referral: school checklist")
    y = 750.0
    for label, value in TEXT_ROWS[:4]:
        c.setFont("Helvetica", 11)
        c.drawString(50, y, label)
        c.drawString(330, y, value)
        y -= 26
    for key, label in CHECKS.items():
        c.setFont("Helvetica", 11)
        c.drawString(50, y, label)
        if key != "chk_reduced_timetable":
            c.setFont(GLYPHS, 18)
            c.drawString(440, y - 2, "✔")
        y -= 30
    c.setLineWidth(0.8)
    for label, answer in (("Does the young person have an EHCP?", "N"),
                          ("Is the young person receiving SEN support?", "Y"),
                          ("Is the absence related to pregnancy?", "N")):
        c.rect(48, y - 8, 270, 24)
        c.rect(318, y - 8, 60, 24)
        c.setFont("Helvetica", 11)
        c.drawString(52, y, label)
        c.drawString(344, y, answer)
        y -= 24
    c.save()


@pytest.fixture(scope="module")
def checklist(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    return _scan(_checklist, tmp_path_factory.mktemp("checklist"), seed=7, dpi=200, quality=60)


def test_check_marks_and_lone_answers_tesseract_drops_are_read_from_the_ink(checklist: Extraction) -> None:
    """Tesseract's page layout throws a lone ✓ or a one-letter answer away as noise: the ink no word covers,
    out beside a question, is read again on its own."""
    assert checklist.kind is Kind.REFERRAL and checklist.method is Method.OCR, checklist.warnings
    expected = {key: key != "chk_reduced_timetable" or None for key in CHECKS}
    expected |= {"pupil_ehcp": False, "pupil_sen_support": True, "pregnancy_related": False}
    assert _fields(checklist, list(expected)) == expected
