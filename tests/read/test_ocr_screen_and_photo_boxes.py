"""Tick boxes on a screenshot and on a phone photo of the shipped blank referral, filled in by python-docx (not
docgen's writers) and printed by LibreOffice (SPEC §16, issue 19).

A screenshot at ~110 dpi (the page as a PDF viewer shows it, saved as PNG) puts each answer's box a few pixels
under its table row's rule, and the letters are about 7 pixels high, so the page is read scaled up three times.
The yes/no answers must be read from the boxes with the confidence of a sure reading. Poppler renders the page
at screen resolution; Pillow saves it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus.writers import soffice

from .test_ocr_fax_forms import REFERRAL, _fill

PAGE_ONE = ("pupil_on_roll", "pupil_ehe", "pupil_looked_after", "pupil_ehcp", "pupil_sen_support",
            "repeating_year_11")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The filled referral printed to PDF by LibreOffice."""
    folder = tmp_path_factory.mktemp("screen-photo")
    soffice([_fill("referral", REFERRAL, folder)], "pdf", folder)
    return folder / "referral.pdf"


def _page(pdf: Path, number: int, dpi: int) -> Image.Image:
    """One page rendered by poppler's pdftoppm in colour at `dpi`."""
    prefix = pdf.with_name(f"{pdf.stem}-{dpi}-{number}")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(number), "-l", str(number), "-singlefile", "-png",
                    str(pdf), str(prefix)], check=True, timeout=120)
    return Image.open(prefix.with_suffix(".png")).convert("RGB")


@pytest.fixture(scope="module")
def screenshot(printed: Path) -> Extraction:
    shot = printed.with_name("Screenshot 2026-10-19 at 09.14.png")
    _page(printed, 1, 110).save(shot)
    return extract(shot)


def test_boxes_just_under_a_rows_rule_on_a_screenshot(screenshot: Extraction) -> None:
    """"☒ Yes ☐ No" a few pixels under the row's rule: the box is found below the rule, not a "square" made of
    the rule and the box's sides (which is refused as a table's cell, so the answer was lost)."""
    assert screenshot.kind is Kind.REFERRAL and screenshot.method is Method.OCR, screenshot.warnings
    assert {k: screenshot.fields.get(k) for k in PAGE_ONE} == {k: REFERRAL[k] for k in PAGE_ONE}
