"""Phone photos of printed tables, read by the real Tesseract: pages laid out by fpdf2 (not by docgen), rendered by
poppler's pdftoppm and photographed with Pillow (turned, lit unevenly, JPEG'd), as schools' forms arrive."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fpdf import FPDF
from PIL import Image

from docgen.read.extract import extract
from docgen.read.reread import reread
from docgen.read.tesseract import Word
from tests.read.scans import jpeg, render, skewed, uneven_light

ROWS = [("Legal forename(s)", "Mira"), ("Legal surname", "Hollesley"), ("Date of birth", "03/05/2014"),
        ("Is the young person on the roll of a school?", "Yes"),
        ("Is the young person currently a hospital in-patient?", "No"),
        ("Is the young person awaiting a special school place?", "No"),
        ("Is the absence related to pregnancy?", "Yes"),
        ("School days absent for health reasons this academic year", "31")]


def _table_form(path: Path) -> Path:
    """A referral printed as a two-column ruled table whose question column is just wide enough for its longest
    line, so a question's last word ends a few points before the answer in the next cell."""
    pdf = FPDF(format="A4", unit="pt")
    pdf.add_page()
    pdf.set_font("Times", "B", 15)
    pdf.cell(0, 24, "Medical Needs Service Referral Form", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Times", "B", 11)
    width = pdf.get_string_width("Is the young person currently a") + 2 * pdf.c_margin + 1
    for label, answer in ROWS:
        pdf.set_font("Times", "B", 11)
        top = pdf.get_y()
        height = 14 * len(pdf.multi_cell(width, 14, label, dry_run=True, output="LINES")) + 4
        pdf.rect(pdf.l_margin, top, width, height)
        pdf.rect(pdf.l_margin + width, top, 200, height)
        pdf.set_xy(pdf.l_margin, top + 2)
        pdf.multi_cell(width, 14, label, align="L")
        pdf.set_xy(pdf.l_margin + width, top + 2)
        pdf.set_font("Times", "", 11)
        pdf.cell(200, 14, answer)
        pdf.set_xy(pdf.l_margin, top + height)
    pdf.output(str(path))
    return path


def test_an_answer_a_question_nearly_touches_is_parted_from_it_at_the_answer_column(tmp_path: Path) -> None:
    """'Is the young person currently a' ends 6 pt before its cell's 'No': one run of words to Tesseract, parted
    again because 'No' starts where the other answers of the page start."""
    page = render(_table_form(tmp_path / "form.pdf"), tmp_path, dpi=300)[0]
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg(uneven_light(skewed(page, -1.0)), quality=75))
    got = extract(photo)
    assert got.kind.value == "referral" and got.method.value == "ocr"
    assert (got.fields["hospital_inpatient"], got.fields["awaiting_special_school_place"]) == (False, False)
    assert (got.fields["pupil_on_roll"], got.fields["pregnancy_related"], got.fields["days_absent"]) == (True, True, 31)


def test_a_doubtful_word_on_grey_paper_is_read_again(tmp_path: Path) -> None:
    """A phone photo's paper is grey: the piece cut out for the second reading is made white first, or the strip
    (white around grey pieces) thresholds to black blocks and nothing is read again."""
    pdf = FPDF(format=(240, 120), unit="pt")
    pdf.add_page()
    pdf.set_font("Times", "", 12)
    pdf.text(40, 60, "Yes")
    pdf.output(str(tmp_path / "yes.pdf"))
    page = render(tmp_path / "yes.pdf", tmp_path, dpi=300)[0].point(lambda v: 60 + v * 110 // 255)  # paper 170
    ink = np.argwhere(np.asarray(page) < 120)
    (top, x0), (bottom, x1) = ink.min(axis=0), ink.max(axis=0)
    words = [Word("Fo", 20, float(x0), float(top), float(x1), float(bottom))]  # Tesseract's first guess
    again = reread(words, Image.fromarray(np.asarray(page)), tmp_path / "strip.tif", dpi=300, timeout=30)
    assert again[0].text == "Yes" and again[0].conf >= 90
