"""A crooked last page that holds only a few rows of a table (SPEC §16, issue 19).

The shipped health form, filled by python-docx, printed by LibreOffice and scanned at 300 dpi, each page
turned a little on the glass (3°). Its second page is three rows of the table: too few lines of words to
measure the skew by, so it was read as it lay, and Tesseract's layout dropped the right-hand column: the
answers "unfit for school", "expected duration" and the statement's date went unread. The page's ink now
gives the skew when its words cannot, and a reading as sure with a quarter more words is kept.
"""

from __future__ import annotations

import pytest

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus.writers import soffice

from .scans import render, scanned_pdf, skewed
from .test_ocr_fax_forms import _fill

HEALTH = {"pupil_forename": "Wilhelmina", "pupil_surname": "Catchpole", "pupil_dob": "02/09/2012",
          "professional_name": "Dr Oren Blackwood", "professional_organisation": "Cromer Coast Medical Practice",
          "seen_in_person": True, "diagnosis": "Severe asthma with repeated admissions",
          "unfit_for_school": "Yes", "expected_duration_weeks": "9", "statement_date": "16/11/2026"}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    folder = tmp_path_factory.mktemp("crooked")
    soffice([_fill("jmp_health", HEALTH, folder)], "pdf", folder)
    pages = [skewed(page, 3.0) for page in render(folder / "jmp_health.pdf", folder, dpi=300)]
    assert len(pages) == 2  # the table runs onto a second page: the case this test is about
    return extract(scanned_pdf(pages, folder / "scan.pdf", dpi=300, quality=80))


def test_a_crooked_last_pages_answers_are_read(scanned: Extraction) -> None:
    assert scanned.kind is Kind.JMP_HEALTH and scanned.method is Method.OCR, scanned.warnings
    got = {key: scanned.fields.get(key) for key in ("unfit_for_school", "expected_duration_weeks", "statement_date")}
    assert got == {"unfit_for_school": "yes", "expected_duration_weeks": 9, "statement_date": "2026-11-16"}


def test_the_skew_of_a_page_of_few_words_is_read_from_its_ink() -> None:
    """Two rows of a ruled table and nothing else: the turn that makes the ink's rows sharpest is the page's (as
    `skew_of` gives it: the turn `read_page` puts it straight by)."""
    import math

    from PIL import Image, ImageDraw

    from docgen.read import image as img

    page = Image.new("L", (2400, 3300), 255)
    draw = ImageDraw.Draw(page)
    for y in (300, 400, 500):
        draw.line((200, y, 2200, y), fill=0, width=3)
    for x in (200, 1100, 2200):
        draw.line((x, 300, x, 500), fill=0, width=3)
    for y in (330, 430):
        draw.text((230, y), "Expected duration (weeks)", fill=0)
    for turn in (2.5, -1.5, 0.0):
        ink = img.ink_mask(page.rotate(turn, expand=True, fillcolor=255))
        assert abs(math.degrees(img.projection_skew(ink)) + turn) <= 0.3, turn  # the turn that puts it straight
