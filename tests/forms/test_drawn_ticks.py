"""A referral with each question above its boxed answer and yes/no ticks drawn by hand as vector strokes.

The page is drawn here with reportlab's canvas (no docgen generator): every question on a line of its own with
its answer boxed under it, yes/no answers as two small squares set apart on the line under the question, the
tick drawn as lines (a check mark that overshoots its square, an X across it, a small tick inside it), never
as text. An independent set's own layout so read "on roll" as False (a wrong refusal) and "consents to health
contact" as False: the overshooting tick was not seen, and only the first square ("☐ Yes") was taken as the
answer, which reads as a lone box left blank.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.read.extract import extract

TEXT = [("Legal forename(s)", "Ottilie"), ("Legal surname", "Branscombe"), ("Date of birth", "14/02/2013"),
        ("Postcode", "EX4 6PX"), ("Parent/carer name", "Rowan Branscombe"), ("School year group", "Year 8"),
        ("Relationship to the child", ""), ("Referrer phone number", "01392 440761"), ("Name of Safeguarding lead", "Tamsin Ure"),
        ("Health need / diagnosis", "Crohn's disease")]
# question, which box is ticked (0 Yes, 1 No, None neither), how the tick is drawn
TICKS = [("Is the young person on the roll of a school?", 0, "check"),
         ("Is the young person electively home educated?", 1, "cross"),
         ("Is the young person a looked after child?", None, ""),
         ("Does the young person have an EHCP?", 1, "small"),
         ("Parent/carer consents to the Medical Needs Coordinator contacting health professionals", 0, "check"),
         # yes/no questions worded as no form words them
         ("Is the pupil currently on SEN support?", 0, "check"),
         ("Is this absence pregnancy-related?", 1, "cross"),
         ("Has the pupil been previously referred to us?", 0, "small")]


def _tick(c: canvas.Canvas, x: float, y: float, size: float, how: str) -> None:
    c.setLineWidth(1.4)
    path = c.beginPath()
    if how == "check":  # a hand's check mark: its long stroke runs well past the square's top and right side
        path.moveTo(x + 1, y + 0.45 * size)
        path.curveTo(x + 2.5, y + 0.2 * size, x + 3, y + 0.1 * size, x + 0.35 * size, y + 0.05 * size)
        path.curveTo(x + 0.6 * size, y + 0.6 * size, x + 0.9 * size, y + size, x + 1.2 * size, y + 1.3 * size)
    elif how == "cross":  # an X whose strokes cross the square's corners
        path.moveTo(x - 2, y - 2)
        path.lineTo(x + size + 2, y + size + 2)
        path.moveTo(x - 2, y + size + 2)
        path.lineTo(x + size + 2, y - 2)
    else:  # a small tick inside the square
        path.moveTo(x + 2, y + 0.5 * size)
        path.lineTo(x + 0.4 * size, y + 2)
        path.lineTo(x + size - 2, y + size - 2)
    c.drawPath(path, stroke=1, fill=0)


def above_form(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(56, 790, "Medical Needs Service Referral Form")
    y = 755.0
    for label, value in TEXT:
        c.setFont("Helvetica", 8)
        c.drawString(56, y, label)
        c.setLineWidth(0.5)
        c.rect(56, y - 22, 480, 17)
        c.setFont("Helvetica", 10)
        c.drawString(62, y - 17, value)
        y -= 36
    c.showPage()
    y = 780.0
    for label, ticked, how in TICKS:
        c.setFont("Helvetica", 8)
        c.drawString(56, y, label)
        for n, word in enumerate(("Yes", "No")):
            x = 62 + 62 * n
            c.setLineWidth(0.8)
            c.rect(x, y - 18, 9.6, 9.6)
            c.setFont("Helvetica", 9)
            c.drawString(x + 15, y - 16, word)
            if ticked == n:
                _tick(c, x, y - 18, 9.6, how)
        y -= 34
    c.save()
    return path


def test_drawn_ticks_under_their_questions_are_read(tmp_path: Path) -> None:
    fields = extract(above_form(tmp_path / "above.pdf")).fields
    assert fields["pupil_forename"] == "Ottilie"
    assert fields["pupil_dob"] == "2013-02-14"
    assert fields["pupil_on_roll"] is True  # a check mark overshooting its square
    assert fields["pupil_ehe"] is False  # an X across the "No" square
    assert fields["pupil_ehcp"] is False  # a small tick inside the "No" square
    assert fields["consent_health_contact"] is True


def test_a_question_with_neither_square_ticked_is_unanswered_not_no(tmp_path: Path) -> None:
    fields = extract(above_form(tmp_path / "above.pdf")).fields
    assert fields["pupil_looked_after"] is None


def test_a_question_whose_last_words_read_as_an_answer_takes_the_answer_under_it(tmp_path: Path) -> None:
    """"Referrer phone" is a question, "number" its own last word: the answer is the boxed one under it."""
    fields = extract(above_form(tmp_path / "above.pdf")).fields
    assert fields["pupil_year_group"] == 8
    assert fields["referrer_phone"] == "01392440761"
    assert fields["parent_name"] == "Rowan Branscombe"
    assert fields["parent_relationship"] is None  # left blank: never the next question's words


def test_yes_no_questions_in_other_words_are_read(tmp_path: Path) -> None:
    """A question ending in "?" that holds one yes/no field's alias ("SEN support", "previously referred")."""
    fields = extract(above_form(tmp_path / "above.pdf")).fields
    assert fields["pupil_sen_support"] is True
    assert fields["pregnancy_related"] is False
    assert fields["previous_referral"] is True
    assert fields["pupil_ehcp"] is False  # the question before them keeps its own answer


def test_a_label_made_of_a_fields_own_words_is_that_field(tmp_path: Path) -> None:
    """"Name of" a name field's label; two of one field's aliases either side of a slash."""
    fields = extract(above_form(tmp_path / "above.pdf")).fields
    assert fields["dsl_name"] == "Tamsin Ure"
    assert fields["health_condition"] == "Crohn's disease"
