"""Answers kept with their own question on schools' own layouts (read/text.py, issue 19).

Pages drawn with reportlab in this file's own wordings: "Question: answer" lines and two-column tables whose
questions docgen knows mixed with questions it does not. An answer never runs on into the next question, takes
the next row's question for its own, nor a question's own wrapped words for its answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.read.extract import extract

TITLE = "Medical Needs Service Referral Form"


def _page(path: Path, rows: Sequence[Sequence[tuple[float, str]]], *, step: float = 13.0) -> Path:
    """Draw one page: each row a line of texts at their x, rows `step` points apart in 10 pt Helvetica."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, 800, TITLE)
    c.setFont("Helvetica", 10)
    y = 770.0
    for row in rows:
        for x, text in row:
            c.drawString(x, y, text)
        y -= step
    c.save()
    return path


def test_colon_lines_end_at_the_next_question_known_or_not(tmp_path: Path) -> None:
    lines = ["Legal forename(s): Amara", "Legal surname: Okonkwo-Hale", "Lunch arrangements: Packed lunch",
             "Date of birth: 04/05/2014", "Shoe size (UK):", "Home address: 4 Mill Lane, Upper Wick",
             "Bus pass holder?: Yes", "Postcode: UW3 9RT", "Parent/carer name: Grace Hale",
             "Nature of the health need or diagnosis: Crohn's disease", "Preferred sport: Swimming",
             "Health professionals involved: Paediatric gastroenterology, Northcote Royal Infirmary",
             "2nd contact name: Ola Hale", "First day of absence for health reasons: 03/11/2026"]
    fields = extract(_page(tmp_path / "colon.pdf", [[(50, t)] for t in lines])).fields
    assert fields["pupil_surname"] == "Okonkwo-Hale"
    assert fields["pupil_dob"] == "2014-05-04"
    assert fields["pupil_address"] == "4 Mill Lane, Upper Wick"
    assert fields["health_condition"] == "Crohn's disease"
    assert fields["health_professionals"] == "Paediatric gastroenterology, Northcote Royal Infirmary"


def test_table_rows_keep_their_own_answers(tmp_path: Path) -> None:
    rows = [[(60, "Legal forename(s)"), (260, "Amara")],
            [(60, "Legal surname"), (260, "Hale")],
            [(60, "Date of birth"), (260, "04/05/2014")],
            [(60, "Postcode"), (260, "UW3 9RT")],
            [(60, "Parent/carer name"), (260, "Grace Hale")],
            [(60, "Parent/carer address"), ],
            [(60, "(where not the child's)")],
            [(60, "Doctors currently involved"), (260, "Paediatric gastroenterology")],
            [(60, "Last day in school?"), (260, "03/11/2026")],
            [(60, "Nature of the health need"), (260, "Crohn's disease with repeated")],
            [(60, "behind this referral"), (260, "admissions to hospital")],
            [(60, "Legal surname of the SENCO"), (260, "Mr Tariq Bell")]]
    fields = extract(_page(tmp_path / "table.pdf", rows)).fields
    assert fields["pupil_surname"] == "Hale"
    assert fields["parent_address"] is None
    # "Doctors currently involved" names no field alone: its answer is left unread, never run on into the next row
    assert fields["health_professionals"] in (None, "Paediatric gastroenterology")
    assert fields["health_condition"] == "Crohn's disease with repeated admissions to hospital"


def test_ticked_items_and_colons_keep_their_own_words(tmp_path: Path) -> None:
    lines = ["Legal forename(s): Amara", "Surname nb.: Hale", "Date of birth: 04/05/2014", "Postcode: UW3 9RT",
             "Steps the school has already taken (tick all that apply):", "[X] Reduced timetable agreed",
             "[ ] Home visits by the attendance officer", "[X] Safe space set up", "[ ] Online learning arranged",
             "[X] Lunchtime club offered"]
    fields = extract(_page(tmp_path / "ticks.pdf", [[(50, t)] for t in lines])).fields
    assert fields["pupil_surname"] == "Hale"  # the question's own last word before its colon is no answer
    assert fields["chk_reduced_timetable"] is True
    assert fields["chk_safe_space"] is True
    assert fields["chk_online_learning"] is False


def test_a_question_ends_before_its_answer_and_the_next_question(tmp_path: Path) -> None:
    pairs = [("Legal forename(s)", "Amara"), ("Legal surname", "Hale"), ("Date of birth", "04/05/2014"),
             ("Postcode", "UW3 9RT"), ("Full name of parent or carer", "Grace Hale"),
             ("How are they related to the child?", "03/11/2026"), ("Home address", "4 Mill Lane")]
    path = tmp_path / "below.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, 800, TITLE)
    c.setFont("Helvetica", 9)
    for n, (question, answer) in enumerate(pairs):  # each answer tight under its question, a gap after it
        c.drawString(50, 770 - 26 * n, question)
        c.drawString(50, 759 - 26 * n, answer)
    c.save()
    fields = extract(path).fields
    assert fields["parent_name"] == "Grace Hale"
    assert fields["pupil_address"] == "4 Mill Lane"
