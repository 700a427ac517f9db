"""Answers boxed in thin lines, on a blurred scan (SPEC §16, issue 19).

The referral drawn by reportlab's canvas in tests/forms/test_drawn_ticks.py (each question above its answer,
the answer in a 0.5 pt frame; yes/no ticks drawn as strokes), rendered by poppler at 200 dpi, blurred by a
Gaussian of 1.4 pixels and saved as JPEG: the frames come out as grey lines lighter than the ink threshold,
so they were not painted out, and Tesseract, seeing a box round each answer, read nothing inside several of
them (the date of birth went unread: an independent set's blurred scan so missed an over-age child). Thin
lines lighter than the letters are now painted out too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import ImageFilter

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus.writers import soffice
from tests.forms.test_drawn_ticks import above_form
from tests.read.scans import render, scanned_pdf
from tests.read.test_ocr_fax_forms import _fill
from tests.read.test_ocr_form_values import HEALTH


@pytest.fixture(scope="module")
def blurred(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    folder = tmp_path_factory.mktemp("blurred-boxes")
    pages = [page.filter(ImageFilter.GaussianBlur(1.4)) for page in render(above_form(folder / "form.pdf"), folder,
                                                                           dpi=200)]
    return extract(scanned_pdf(pages, folder / "scan.pdf", dpi=200, quality=70))


def test_answers_in_faint_frames_on_a_blurred_scan_are_read(blurred: Extraction) -> None:
    assert blurred.kind is Kind.REFERRAL and blurred.method is Method.OCR, blurred.warnings
    assert blurred.fields["pupil_dob"] == "2013-02-14"
    assert blurred.fields["pupil_forename"] == "Ottilie"  # never "I Ottilie": the frame's side is gone
    assert blurred.fields["pupil_surname"] == "Branscombe"
    assert blurred.fields["pupil_postcode"] == "EX4 6PX"


def test_drawn_ticks_on_a_blurred_scan(blurred: Extraction) -> None:
    assert blurred.fields["pupil_on_roll"] is True
    assert blurred.fields["pupil_ehe"] is False
    assert blurred.fields["pupil_looked_after"] is None
    assert blurred.fields["consent_health_contact"] is True


def test_a_blank_answer_never_takes_the_next_question_with_its_own_last_words(blurred: Extraction) -> None:
    """"Relationship to the child" left blank, then "Referrer phone number" ("Referrer phone" and its own last
    word): the relationship stays blank and the phone number is the referrer's."""
    assert blurred.fields["parent_relationship"] is None
    assert blurred.fields["referrer_phone"] == "01392440761"



def _in_font(docx: Path, font: str) -> Path:
    """The Word file with every style and run in `font`: a school whose Word has another default font."""
    document = Document(str(docx))
    for style in document.styles:
        if getattr(style, "font", None) is not None:
            style.font.name = font
    for fonts in document.element.body.iter(qn("w:rFonts")):
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), font)
    document.save(str(docx))
    return docx


def test_letters_standing_on_a_faint_rule_are_not_painted_out_with_it(tmp_path: Path) -> None:
    """The shipped health form in a serif font, printed by LibreOffice and scanned out of focus: thin rules the
    blur leaves grey are painted out where they were found, and no further. Handed on as ink, their blurred
    band joined a letter's stem standing on it into a run long enough to pass for a box's side, painted out
    with it: "Legal forename(s)" read "Lega forename(s)" and the forename went unread, "School" read "Sc hoo"."""
    docx = _in_font(_fill("jmp_health", HEALTH, tmp_path), "DejaVu Serif")
    soffice([docx], "pdf", tmp_path)
    pages = [page.filter(ImageFilter.GaussianBlur(1.6)) for page in render(docx.with_suffix(".pdf"), tmp_path, dpi=200)]
    read = extract(scanned_pdf(pages, tmp_path / "scan.pdf", dpi=200, quality=88))
    assert read.kind is Kind.JMP_HEALTH and read.method is Method.OCR, read.warnings
    for key in ("pupil_forename", "pupil_surname", "school_name", "professional_name", "professional_organisation"):
        assert read.fields[key] == HEALTH[key], key
