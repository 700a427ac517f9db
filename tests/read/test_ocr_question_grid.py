"""A referral laid out as a grid of questions (each cell: the question in Times, the answer in Courier under it,
"[ ] Yes [X] No" typed), drawn with reportlab's canvas, rendered by poppler at 200 dpi, turned 0.6°, speckled
and sent as a JPEG PDF, read by Tesseract (SPEC §16, issue 19).

What an independent scanned set found on such pages: OCR parts Courier's wide word spaces, so a name under
its question was cut to its first word, and "Yes" of "Yes [X] No" (the empty "[ ]" lost) read a No as Yes,
trusted: a child turned down as home educated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract

from .scans import noisy, render, scanned_pdf, skewed

ROWS = [
    [("Child's first name:", "Bartholomew James"), ("Child's surname:", "Ashcombe")],
    [("Known as:", ""), ("Date of birth:", "17/02/2012")],
    [("Name of school:", "Saint Aldhelm Church Academy"), ("DfE number:", "8654012")],
    [("Parent/carer name:", "Philippa Ashcombe"), ("Relationship to child:", "Aunt")],
    [("EHCP coordinator:", ""), ("Has the child a bus pass?:", "[X] Yes   [ ] No")],
    [("Is the child electively home educated?:", "[ ] Yes   [X] No"),
     ("Is the child looked after?:", "[ ] Yes   [X] No")],
    [("Does the child have an EHCP?:", "[ ] Yes   [X] No"),
     ("Is the child on the roll of a school?:", "[X] Yes   [ ] No")],
    [("Repeating Year 11 for medical reasons?:", "[ ] Yes   [X] No"), ("Name of SENCO:", "Morwenna Clare Tregear")],
]
BOOLS = {"pupil_ehe": False, "pupil_looked_after": False, "pupil_ehcp": False, "pupil_on_roll": True,
         "repeating_year_11": False}


def _page(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 13)
    c.drawString(50, 800, "MEDICAL NEEDS SERVICE - REQUEST FOR EDUCATION PROVISION")
    c.setFont("Helvetica-Bold", 11)
    c.drawString(50, 775, "About the child")
    top = 765.0
    for row in ROWS:
        for n, (question, answer) in enumerate(row):
            x = 50 + n * 250
            c.setLineWidth(0.4)
            c.rect(x, top - 38, 250, 38)
            c.setFont("Times-Roman", 10)
            c.drawString(x + 5, top - 13, question)
            c.setFont("Courier", 10)
            c.drawString(x + 9, top - 29, answer)
        top -= 38
    c.save()
    return path


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    folder = tmp_path_factory.mktemp("grid")
    pages = render(_page(folder / "grid.pdf"), folder, dpi=200)
    pages = [noisy(skewed(page, 0.6), seed=5, amount=0.0005) for page in pages]
    found = extract(scanned_pdf(pages, folder / "grid-scan.pdf", dpi=200, quality=50))
    assert (found.kind, found.method) == (Kind.REFERRAL, Method.OCR)
    return found


def test_an_answer_typed_with_wide_spaces_is_read_whole(scanned: Extraction) -> None:
    fields = scanned.fields
    assert fields["pupil_forename"] == "Bartholomew James"
    assert fields["pupil_surname"] == "Ashcombe"
    assert fields["school_name"] == "Saint Aldhelm Church Academy"
    assert fields["parent_name"] == "Philippa Ashcombe"
    assert fields["senco_name"] == "Morwenna Clare Tregear"
    assert fields["pupil_preferred_name"] is None
    assert fields["ehcp_coordinator"] is None  # never the next question, worded as no form's


def test_a_typed_yes_no_is_never_a_wrong_answer_trusted(scanned: Extraction) -> None:
    """Each yes/no is read right, or left for a person to confirm (no value, or one under 80): never the other
    answer, trusted."""
    confidence = scanned.confidence or {}
    wrong = {key: (scanned.fields[key], confidence.get(key)) for key, want in BOOLS.items()
             if scanned.fields[key] is not None and scanned.fields[key] != want and confidence.get(key, 100) >= 80}
    assert not wrong
    assert scanned.fields["pupil_ehe"] is not True


THREE = [
    [("Forename:", "Anwen Mair"), ("Surname:", "Llewellyn"), ("Known as:", "")],
    [("Parent/carer name:", "Rhiannon Price"), ("Relationship:", "Mother"), ("Parent phone:", "01792 555012")],
    [("Is the child electively home educated?:", "[ ] Yes [X] No"), ("Is the child looked after?:", "[ ] Yes [X] No"),
     ("Does the child have an EHCP?:", "[X] Yes [ ] No")],
    [("Name of school:", "Ysgol Glan Tawe"), ("Name of SENCO:", "Iestyn Bowen Rees"), ("Social worker:", "")],
]


def test_three_questions_to_a_row(tmp_path: Path) -> None:
    """Three cells to a row, single spaces in "[ ] Yes [X] No", the page turned the other way."""
    c = canvas.Canvas(str(tmp_path / "three.pdf"), pagesize=A4)
    c.setFont("Helvetica-Bold", 13)
    c.drawString(40, 800, "MEDICAL NEEDS SERVICE - REQUEST FOR EDUCATION PROVISION")
    top = 770.0
    for row in THREE:
        for n, (question, answer) in enumerate(row):
            c.rect(40 + n * 175, top - 38, 175, 38)
            c.setFont("Times-Roman", 8.5)
            c.drawString(44 + n * 175, top - 13, question)
            c.setFont("Courier", 10)
            c.drawString(48 + n * 175, top - 29, answer)
        top -= 38
    c.save()
    pages = [noisy(skewed(page, -0.5), seed=7, amount=0.0005) for page in render(tmp_path / "three.pdf", tmp_path, dpi=200)]
    found = extract(scanned_pdf(pages, tmp_path / "three-scan.pdf", dpi=200, quality=50))
    fields, confidence = found.fields, found.confidence or {}
    assert fields["pupil_forename"] == "Anwen Mair"
    assert fields["parent_name"] == "Rhiannon Price"
    assert fields["school_name"] == "Ysgol Glan Tawe"
    assert fields["senco_name"] == "Iestyn Bowen Rees"
    assert fields["pupil_preferred_name"] is None and fields["social_worker"] is None
    for key, want in {"pupil_ehe": False, "pupil_looked_after": False, "pupil_ehcp": True}.items():
        assert fields[key] in (want, None) or confidence.get(key, 100) < 80, key
