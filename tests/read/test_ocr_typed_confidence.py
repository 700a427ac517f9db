"""How sure OCR is of a typed answer (a postcode) on a page turned 90°: a page laid out by fpdf2 (not by docgen) in
Helvetica, rendered by poppler's pdftoppm, turned with Pillow and read by the real Tesseract (SPEC §16)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from docgen.kinds import Extraction
from docgen.read.extract import extract
from tests.read.scans import render

ROWS = [("Legal forename(s)", "Arjun"), ("Legal surname", "Heacham"), ("Date of birth", "16/10/2013"),
        ("Home address", "18 Saltings Row, Wells-next-the-Sea"), ("Postcode", ""),
        ("Parent/carer name", "Priya Heacham"), ("School name", "Saltmarsh Coast Academy")]


def _turned_page(folder: Path, postcode: str, dpi: int) -> Extraction:
    """A referral whose postcode is typed in lower case in a form field's box, rendered at `dpi`, turned 90°."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.text(40, 60, "Medical Needs Service Referral Form")
    pdf.set_font("Helvetica", "", 10)
    for n, (label, answer) in enumerate(ROWS):
        y = 100 + 28 * n
        pdf.text(40, y, label)
        pdf.rect(300, y - 11, 230, 15)
        pdf.text(303, y, answer or postcode)
    pdf.output(str(folder / "form.pdf"))
    page = render(folder / "form.pdf", folder, dpi=dpi)[0]
    page.rotate(90, expand=True).save(folder / "turned.png", dpi=(300, 300))
    return extract(folder / "turned.png")


def test_two_readings_that_are_one_postcode_make_it_certain(tmp_path: Path) -> None:
    """'nr21 1ll' is read 'ill' (77 %) on the page and '1ll' (68 %) on its own: a postcode's inward code starts
    with a digit, so both are 1LL — the value was read twice."""
    got = _turned_page(tmp_path, "nr21 1ll", 275)
    assert got.fields["pupil_postcode"] == "NR21 1LL"
    assert got.confidence["pupil_postcode"] >= 80


def test_a_postcode_tidied_by_its_type_is_as_sure_as_the_words_it_was_read_from(tmp_path: Path) -> None:
    """'ip14 1lb' read 'ip14 1b' (the '1b' at 24 %) is tidied into 'IP1 4IB': its confidence is the doubtful
    word's, found on the page by the text as read — not that of 'ip14' alone, which the tidied text still
    half matches."""
    got = _turned_page(tmp_path, "ip14 1lb", 225)
    assert got.fields["pupil_postcode"] != "IP14 1LB"  # the misreading this test is about
    assert got.confidence["pupil_postcode"] < 80
