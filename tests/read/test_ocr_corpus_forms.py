"""OCR of forms docgen did not lay out (SPEC §16): an AcroForm filled in and printed flat by poppler's
pdftocairo, and a LibreOffice table, scanned the ways schools scan them. Each test pins one reading
slip found by `benchmarks/score_scans.py` on the independent corpus (issue 19).
"""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus import data, writers
from tests.corpus.build import REFERRAL_TITLE, _unticked_boxes
from tests.corpus.score import field_ok

from .scans import render

N = 15  # the corpus's referral 15 (a step-father, a Head of School referring)


@pytest.fixture(scope="module")
def acro_pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Image.Image], dict[str, Any]]:
    """A referral filled in as an AcroForm (reportlab), flattened by pdftocairo, rendered at 300 dpi by poppler."""
    folder = tmp_path_factory.mktemp("acro-cairo")
    questions = data.referral(N, data.REFERRER_ROLES[N], data.RELATIONSHIPS[N % len(data.RELATIONSHIPS)])
    live = folder / "live.pdf"
    writers.acroform_pdf(live, REFERRAL_TITLE, questions, _unticked_boxes())
    flat = folder / "referral.pdf"
    writers.flatten(live, flat, "cairo")
    golden = data.expected_fields("referral", questions, data.REFERRAL_KEYS)
    return render(flat, folder, dpi=300), golden


def misses(result: Extraction, golden: dict[str, Any], keys: list[str]) -> dict[str, tuple[Any, Any]]:
    return {k: (result.fields.get(k), golden[k]) for k in keys if not field_ok(golden[k], result.fields.get(k))}


@pytest.fixture(scope="module")
def turned_first_page(acro_pages: tuple[list[Image.Image], dict[str, Any]],
                      tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    pages, _golden = acro_pages
    path = tmp_path_factory.mktemp("turned") / "referral-page-1.png"
    pages[0].rotate(90, expand=True).save(path, dpi=(300, 300))
    return extract(path)


def test_a_page_read_sideways_has_its_field_borders_painted_out(
        turned_first_page: Extraction, acro_pages: tuple[list[Image.Image], dict[str, Any]]) -> None:
    """The page is turned upright before reading; the boxes' sides must go too, or their left edge reads as a
    stray "I" in front of every answer ("I Year 7" is no year group, "I nr23 1ab" no postcode)."""
    result = turned_first_page
    assert result.kind is Kind.REFERRAL and result.method is Method.OCR
    keys = ["pupil_surname", "pupil_gender", "pupil_upn", "pupil_year_group", "pupil_postcode",
            "parent_relationship", "school_name", "referrer_name", "referrer_role", "referrer_email"]
    assert not misses(result, acro_pages[1], keys)


T = 3  # the corpus's referral 3: a LibreOffice table whose narrow label column wraps most questions


@pytest.fixture(scope="module")
def faxed_table(tmp_path_factory: pytest.TempPathFactory) -> tuple[Extraction, dict[str, Any]]:
    """A referral laid out as a table by LibreOffice (an HTML table printed to PDF), rendered at 300 dpi by
    poppler and sent as a bilevel G4 TIFF, as a copier's "scan to folder" makes it."""
    folder = tmp_path_factory.mktemp("lo-table")
    questions = data.referral(T, data.REFERRER_ROLES[T], data.RELATIONSHIPS[T % len(data.RELATIONSHIPS)])
    source = folder / "referral.html"
    source.write_text(writers.html_table(REFERRAL_TITLE, questions, style=T), encoding="utf-8")
    writers.soffice([source], "pdf", folder)
    pages = [p.point(lambda v: 255 if v > 160 else 0).convert("1") for p in render(folder / "referral.pdf", folder,
                                                                                  dpi=300)]
    tiff = folder / "referral.tif"
    pages[0].save(tiff, save_all=True, append_images=pages[1:], compression="group4", dpi=(300, 300))
    return extract(tiff), data.expected_fields("referral", questions, data.REFERRAL_KEYS)


def test_a_label_wrapped_in_a_narrow_cell_stays_out_of_the_answer(
        faxed_table: tuple[Extraction, dict[str, Any]]) -> None:
    """The label's second line is read in front of the answer ("name and" as the social worker, "health 12
    January 2026" as a date); a label's words read out of order ("Date contacted Just One Number was") still
    name their question; a box glyph seen at a cell's corner is no part of a name ("☒ Rafe Stiffkey")."""
    result, golden = faxed_table
    assert result.kind is Kind.REFERRAL and result.method is Method.OCR
    keys = ["social_worker", "first_absence_date", "jon_contact_date", "dsl_name", "consent_given_by",
            "referrer_name", "parent_relationship", "expected_absence_weeks"]
    assert not misses(result, golden, keys)


def test_a_short_answer_beside_a_two_line_label_is_read_again_on_its_own(
        faxed_table: tuple[Extraction, dict[str, Any]]) -> None:
    """Tesseract puts "24", centred against a two-line label, in the label's line and reads it as "A" (63 %);
    read again alone it is 24, and the confidence that comes with it is the second reading's."""
    result, golden = faxed_table
    assert not misses(result, golden, ["days_absent", "expected_absence_weeks"])
    assert (result.confidence or {}).get("days_absent", 0) >= 80
