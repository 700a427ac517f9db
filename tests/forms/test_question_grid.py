"""A referral laid out as a grid of questions, each cell holding its question with the answer under it.

The page is drawn here with reportlab's canvas (no docgen generator): ruled cells two or three to a row,
questions in Times, answers in Courier, a question left blank beside an answered one, a question worded as
no form words it beside a known one, and "[X] Yes [ ] No" answers.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.read.extract import extract

Cell = tuple[str, str]

ROWS: list[list[Cell]] = [
    [("Forename:", "Imogen Rose"), ("Surname:", "Trevithick-Hale")],
    [("Known as:", ""), ("Date of birth:", "03/04/2013")],
    [("Gender:", "Female"), ("UPN:", "K801200114223")],
    [("Postcode:", "TR1 2AB"), ("Name of school:", "Carrick Vale School")],
    [("DfE number:", "8084011"), ("Name of SENCO:", "Petroc Angove")],
    [("EHCP coordinator:", ""), ("Has the child ever been to a hospital school?:", "[X] Yes [ ] No")],
    [("Is the child electively home educated?:", "[ ] Yes [X] No"),
     ("Is the child looked after?:", "[ ] Yes [X] No")],
    [("Does the child have an EHCP?:", "[ ] Yes [X] No"), ("Is the child on the roll of a school?:", "[X] Yes [ ] No")],
]
THREE: list[list[Cell]] = [
    [("Parent/carer name:", "Morwenna Trevithick"), ("Relationship:", "Mother"), ("Parent phone:", "01872 550123")],
    [("Referrer name:", "Jory Pascoe"), ("Referrer role:", "Head of Year"), ("Social worker:", "")],
]


def _grid(c: canvas.Canvas, rows: list[list[Cell]], top: float) -> float:
    width = 500.0
    for row in rows:
        w = width / len(row)
        for n, (question, answer) in enumerate(row):
            x = 50 + n * w
            c.rect(x, top - 34, w, 34)
            c.setFont("Times-Roman", 9)
            c.drawString(x + 4, top - 11, question)
            c.setFont("Courier", 10)
            c.drawString(x + 8, top - 27, answer)
        top -= 34
    return top


FOUR: list[list[str]] = [["Referrer email:", "j.pascoe@carrick.example.org", "Referrer telephone:", "01872 550999"],
                         ["DSL name:", "Tamsin Rowe", "Relationship:", "Mother"]]


def _four_columns(c: canvas.Canvas, top: float) -> None:
    """Questions and answers in cells of their own, two pairs to a row (label | answer | label | answer)."""
    for row in FOUR:
        for n, text in enumerate(row):
            x = 50 + n * 125
            c.rect(x, top - 20, 125, 20)
            c.setFont("Times-Roman" if n % 2 == 0 else "Courier", 8)
            c.drawString(x + 3, top - 13, text)
        top -= 20


def _page(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 13)
    c.drawString(50, 800, "MEDICAL NEEDS SERVICE - REQUEST FOR EDUCATION PROVISION")
    top = _grid(c, ROWS, 780)
    top = _grid(c, THREE, top - 20)
    c.showPage()
    _four_columns(c, 780)
    c.save()
    return path


def test_each_question_of_a_grid_row_takes_the_answer_in_its_own_cell(tmp_path: Path) -> None:
    fields = extract(_page(tmp_path / "grid.pdf")).fields
    assert fields["pupil_forename"] == "Imogen Rose"
    assert fields["pupil_surname"] == "Trevithick-Hale"
    assert fields["pupil_preferred_name"] is None  # blank: never the next cell's "Date of birth: 03/04/2013"
    assert fields["pupil_dob"] == "2013-04-03"
    assert fields["pupil_gender"] == "Female"
    assert fields["pupil_postcode"] == "TR1 2AB"
    assert fields["school_name"] == "Carrick Vale School"
    assert fields["school_dfe_number"] == "8084011"
    assert fields["senco_name"] == "Petroc Angove"
    assert fields["ehcp_coordinator"] is None  # beside a question no form asks: never its "Yes"
    assert fields["pupil_ehe"] is False
    assert fields["pupil_looked_after"] is False
    assert fields["pupil_ehcp"] is False
    assert fields["pupil_on_roll"] is True


def test_three_questions_to_a_row(tmp_path: Path) -> None:
    fields = extract(_page(tmp_path / "grid.pdf")).fields
    assert fields["parent_name"] == "Morwenna Trevithick"
    assert fields["parent_relationship"] == "Mother"
    assert fields["parent_phone"] == "01872550123"
    assert fields["referrer_name"] == "Jory Pascoe"
    assert fields["referrer_role"] == "Head of Year"
    assert fields["social_worker"] is None


def test_a_four_column_table_of_questions_and_answers_is_read_as_before(tmp_path: Path) -> None:
    fields = extract(_page(tmp_path / "grid.pdf")).fields
    assert fields["referrer_email"] == "j.pascoe@carrick.example.org"
    assert fields["referrer_phone"] == "01872550999"
    assert fields["dsl_name"] == "Tamsin Rowe"
