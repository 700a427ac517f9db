"""Tick boxes drawn in dots, sent as a fax (SPEC §16, issue 19).

A referral whose yes/no boxes are dashed frames (a flattened PDF form's checkbox border, as pdftocairo and
Ghostscript print some) ticked with a "✓", drawn here by reportlab's canvas (not docgen's form builder),
rendered by poppler and sent as a 1-bit G4 fax at 200 dpi. The fax leaves each side a column of dots two or
three pixels apart, wandering a pixel sideways: no square was found, so every yes/no answer was unread and
went to a person (an independent set's fax of the shipped PDF form lost 30 answers so). The dots are now
bridged to find the frame; whether it is ticked is still decided by the ink as scanned.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus.writers import canvas_rows

from .scans import noisy, render

_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TEXT_ROWS = [("Legal forename(s) *", "Marigold"), ("Legal surname *", "Fenwick"), ("Date of birth *", "21/06/2012"),
             ("Postcode *", "PE31 6RT"), ("Parent/carer name *", "Hollis Fenwick"),
             ("School name *", "Docking Meadow School")]
ANSWERS = {"pupil_on_roll": ("Is the young person on the roll of a school? *", True),
           "pupil_ehe": ("Is the young person electively home educated? *", False),
           "pupil_looked_after": ("Is the young person a looked after child? *", False),
           "pupil_ehcp": ("Does the young person have an EHCP? *", False),
           "pupil_sen_support": ("Is the young person receiving SEN support? *", True),
           "hospital_inpatient": ("Is the young person currently a hospital in-patient?", False),
           "pregnancy_related": ("Is the absence related to pregnancy?", True)}


def _form(path: Path) -> None:
    pdfmetrics.registerFont(TTFont("DejaVu", str(_FONT)))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = canvas_rows(c, "Medical Needs Service Referral Form", TEXT_ROWS, top=750.0, value_x=300)
    for label, yes in ANSWERS.values():
        c.setFont("Helvetica", 10)
        c.drawString(50, y, label)
        for x, ticked, word in ((300, yes, "Yes"), (370, not yes, "No")):
            c.setLineWidth(0.6)
            c.setDash(1, 1.6)  # a dotted border
            c.rect(x, y - 3, 11, 11)
            c.setDash()
            if ticked:
                c.setFont("DejaVu", 11)
                c.drawString(x + 1, y - 1, "✓")
            c.setFont("Helvetica", 10)
            c.drawString(x + 16, y, word)
        y -= 26
    c.save()


@pytest.fixture(scope="module")
def faxed(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    folder = tmp_path_factory.mktemp("dotted-boxes")
    _form(folder / "form.pdf")
    page = noisy(render(folder / "form.pdf", folder, dpi=200)[0], seed=7, amount=0.0004).convert("1")
    fax = folder / "fax.tif"
    page.save(fax, compression="group4", dpi=(204, 196))
    return extract(fax)


def test_dotted_boxes_on_a_fax_are_found_and_judged(faxed: Extraction) -> None:
    assert faxed.kind is Kind.REFERRAL and faxed.method is Method.OCR, faxed.warnings
    assert {key: faxed.fields.get(key) for key in ANSWERS} == {key: yes for key, (_label, yes) in ANSWERS.items()}
    assert all(faxed.confidence[key] >= 80 for key in ANSWERS), faxed.confidence
