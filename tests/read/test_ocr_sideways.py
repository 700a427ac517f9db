"""A page turned 90° that Tesseract reads confidently as columns of upright text (SPEC §16, issue 19).

Page one of the shipped blank referral, filled in by python-docx (not docgen's writers), printed by LibreOffice,
rendered by poppler at 200 dpi and turned a quarter by Pillow (as a sheet fed sideways into a scanner). Tesseract
reads that page at confidence ~93 without turning it: each printed line comes out as a column of words taller
than wide. Taken as good, it gave the questions' words as answers ("details Council return Needs" for the
pupil's name) and the form was not recognised. A reading whose words stand taller than wide is not good: the
page is turned as Tesseract's orientation check says and read again.
"""

from __future__ import annotations

import img2pdf
import pytest

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus.writers import soffice
from tests.read.scans import jpeg, render

from .test_ocr_fax_forms import REFERRAL, _fill

PAGE_ONE = ("pupil_forename", "pupil_surname", "pupil_dob", "pupil_postcode", "pupil_on_roll", "pupil_ehe",
            "pupil_ehcp", "parent_name")


@pytest.fixture(scope="module")
def sideways(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    folder = tmp_path_factory.mktemp("sideways")
    soffice([_fill("referral", REFERRAL, folder)], "pdf", folder)
    page = render(folder / "referral.pdf", folder, dpi=200)[0].rotate(270, expand=True)
    scan = folder / "sideways.pdf"
    scan.write_bytes(img2pdf.convert([jpeg(page, quality=65, dpi=200)]))
    return extract(scan)


def test_a_page_fed_sideways_is_turned_and_read(sideways: Extraction) -> None:
    assert sideways.kind is Kind.REFERRAL and sideways.method is Method.OCR, sideways.warnings
    assert sideways.ocr is not None and sideways.ocr["pages"][0]["rotation"] in (90, 270), sideways.ocr["pages"][0]
    assert {k: sideways.fields.get(k) for k in PAGE_ONE} == {
        "pupil_forename": "Oliver", "pupil_surname": "O'Brien-Hale", "pupil_dob": "2013-03-12",
        "pupil_postcode": "NR18 9DF", "pupil_on_roll": True, "pupil_ehe": False, "pupil_ehcp": False,
        "parent_name": "Maria O'Brien-Hale"}
