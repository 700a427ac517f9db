"""Questions worded as no label or alias is, known by the concept they name (read/concepts.py, issue 19).

The wordings here are this file's own (no form or test set uses them): other synonyms, other word orders. Pages
are drawn with reportlab (each question over its boxed answer, no colon, as councils' own forms do) and written
with python-docx (read as Word, and printed to PDF by LibreOffice), then read by docgen.extract.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.forms.referral import REFERRAL
from docgen.read.concepts import Concept, asked, concept_words
from docgen.read.extract import extract
from docgen.read.labels import CONCEPT, matcher_for
from tests.corpus.writers import soffice

IDENTITY = [("Legal forename(s)", "Wilfred"), ("Legal surname", "Ashdown"), ("Date of birth", "03/05/2012"),
            ("Postcode", "NR14 7QS"), ("Parent/carer name", "Imogen Ashdown")]
# question in this file's own words, its answer, the key it is, the value it reads as
REWORDED = [("Date the pupil first missed school through illness", "02/10/2026", "first_absence_date", "2026-10-02"),
            ("Sessions lost to illness so far this year", "28", "days_absent", 28),
            ("Anticipated time out of school in weeks", "10", "expected_absence_weeks", 10),
            ("Currently on a hospital ward", "[ ] Yes [X] No", "hospital_inpatient", False),
            ("Special school place being sought for the pupil", "[X] Yes [ ] No", "awaiting_special_school_place",
             True),
            ("Family has agreed we may ring JON", "[X] Yes [ ] No", "consent_jon", True),
            ("Key adult assigned in school", "[X] Yes [ ] No", "chk_keyworker", True),
            ("Part-time timetable agreed", "[ ] Yes [X] No", "chk_reduced_timetable", False),
            ("We will continue sending work home and checking on wellbeing until tuition starts", "[X] Yes [ ] No",
             "school_support_declaration", True)]
# questions that name no field, or name one only in words its concept rules out: nothing is taken from them
UNRELATED = [("Has the pupil ever stayed overnight in hospital", "[X] Yes [ ] No"),
             ("Is the pupil allergic to anything?", "[X] Yes [ ] No")]


def _boxed_form(path: Path, rows: list[tuple[str, str]]) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(56, 790, "Medical Needs Service Referral Form")
    y = 755.0
    for label, value in rows:
        if y < 80:
            c.showPage()
            y = 780.0
        c.setFont("Helvetica", 9)
        c.drawString(56, y, label)
        c.setLineWidth(0.5)
        c.rect(56, y - 22, 480, 17)
        c.setFont("Helvetica", 10)
        c.drawString(62, y - 17, value)
        y -= 38
    c.save()
    return path


def test_reworded_questions_over_their_boxed_answers_are_read(tmp_path: Path) -> None:
    rows = IDENTITY + [(q, a) for q, a, _k, _v in REWORDED]
    fields = extract(_boxed_form(tmp_path / "reworded.pdf", rows)).fields
    assert fields["pupil_surname"] == "Ashdown"
    for question, _answer, key, value in REWORDED:
        assert fields[key] == value, question


def test_unrelated_questions_and_running_text_are_not_taken(tmp_path: Path) -> None:
    """A yes/no question about something else, over a ticked box, answers no field: hospital_inpatient stays
    unread, and no yes/no field takes "Yes". A sentence of running text naming a concept is no question either."""
    rows = [*IDENTITY, *UNRELATED, ("Nature of the health need or diagnosis", "Asthma"),
            ("The pupil is currently on the ward and the family ring the school each week.", "")]
    fields = extract(_boxed_form(tmp_path / "unrelated.pdf", rows)).fields
    assert fields["pupil_forename"] == "Wilfred"
    assert fields["health_condition"] == "Asthma"
    assert [k for k, v in fields.items() if v is True] == []
    assert fields["hospital_inpatient"] is None


def _word_form(path: Path) -> Path:
    doc = Document()
    doc.add_heading("Medical Needs Service Referral Form", level=1)
    for label, value in IDENTITY:
        doc.add_paragraph(f"{label}: {value}")
    doc.add_paragraph("Total days the pupil has been off school so far: 17")  # a question and its answer inline
    doc.add_paragraph("Nature of the health need or diagnosis")
    doc.add_paragraph("Admitted to a hospital ward now, currently an in-patient")  # an answer, no question
    doc.add_paragraph("When did the pupil's absence begin")  # a question on its own line, its answer under it
    doc.add_paragraph("14/09/2026")
    doc.add_paragraph("Probable length of the absence, in weeks")
    doc.add_paragraph("6")
    doc.save(str(path))
    return path


def test_reworded_questions_in_a_word_document_and_its_pdf_are_read(tmp_path: Path) -> None:
    word = _word_form(tmp_path / "reworded.docx")
    soffice([word], "pdf", tmp_path)
    for document in (word, tmp_path / "reworded.pdf"):
        fields = extract(document).fields
        assert fields["days_absent"] == 17, document.name
        assert fields["first_absence_date"] == "2026-09-14", document.name
        assert fields["expected_absence_weeks"] == 6, document.name
        # the answer naming the in-patient concept stays the health need's answer, and no question
        assert fields["health_condition"] == "Admitted to a hospital ward now, currently an in-patient", document.name
        assert fields["hospital_inpatient"] is None, document.name


@pytest.mark.parametrize(("text", "key"), [
    ("Is the learner staying in hospital at present?", "hospital_inpatient"),
    ("How many sessions has the student missed?", "days_absent"),
    ("How long is the pupil likely to be off?", "expected_absence_weeks"),
    ("Has a special school been named?", "awaiting_special_school_place"),
    ("Has JON been called for advice?", "chk_jon_contacted"),
    ("On what date was JON rung?", "jon_contact_date"),
    ("Mother's telephone:", "parent_phone"),
    ("Which year group is the pupil in?", "pupil_year_group"),
    ("Is this absence linked to pregnancy?", "pregnancy_related"),
    ("Quiet room available?", "chk_safe_space"),
    ("Fewer GCSE entries considered?", "chk_reduced_exams"),
    ("Wellbeing and behaviour guidance consulted?", "chk_mh_guidance"),
    ("Remote lessons provided?", "chk_online_learning"),
    ("How is this adult related to the child?", "parent_relationship"),
    ("Who is completing the form?", "referrer_name"),
    ("Post held by the person making the referral:", "referrer_role"),
    ("Direct dial for the referrer:", "referrer_phone"),
    # not taken: another subject, a time gone by, running text, a yes/no question for a written answer, a
    # question naming two fields' concepts
    ("Does the child have any allergies?", None),
    ("Has the child ever been an in-patient?", None),
    ("Date the pupil was discharged from hospital:", None),
    ("The child has been in hospital since March and is now at home.", None),
    ("Was the school informed of the diagnosis?", None),
    ("Is the pupil an in-patient now, or is the absence pregnancy-related?", None),
    ("Who is the referring school's safeguarding lead?", "dsl_name"),  # the referrer's colleague, not the referrer
    ("Post code of the referrer:", None),  # a post code, not the post the referrer holds
])
def test_a_question_is_known_by_the_one_concept_it_names(text: str, key: str | None) -> None:
    found = matcher_for(REFERRAL).match_quality(text)
    assert (found[0].key if found else None) == key
    assert found is None or found[1] == CONCEPT


def test_only_a_text_that_reads_as_a_question_is_looked_at() -> None:
    assert asked("How many sessions has the student missed?")
    assert asked("Sessions missed: *")
    assert not asked("Sessions missed")  # no question mark, no colon: only its place on a page can say
    assert not asked("Sessions missed? 12 [X] Yes")
    assert not asked("The pupil missed sessions.")


def test_no_label_or_alias_names_another_fields_concept() -> None:
    """The concepts are data beside the labels (forms/referral.py): each parses to groups, and none of them
    claims another field's own printed label or alias."""
    concepts = {f.key: Concept.parse(f.concept) for f in REFERRAL.fields if f.concept}
    assert all(c.groups for c in concepts.values())
    for f in REFERRAL.fields:
        for label in f.labels:
            words = concept_words(label)
            assert [k for k, c in concepts.items() if c.named_in(words) and k != f.key] == [], label


def _grid_form(path: Path) -> Path:
    """Two questions a row, each answer under its question, typed in Courier with its words set wide apart (as
    OCR parts them): "Year" | "7" under the year group's question."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(57, 800, "Medical Needs Service Referral Form")
    y = 760.0
    for (left, left_words), (right, right_words) in [
            (("Legal forename(s):", ["Wilfred"]), ("Legal surname:", ["Ashdown"])),
            (("Date of birth:", ["03/05/2012"]), ("Postcode:", ["NR14", "7QS"])),
            (("Pupil's current year:", ["Year", "7"]), ("Home address:", ["47", "Foxhall", "Crescent,", "Ipswich"]))]:
        c.setFont("Times-Roman", 10)
        c.drawString(57, y, left)
        c.drawString(365, y, right)
        c.setFont("Courier", 10)
        for x0, words in ((64, left_words), (372, right_words)):
            x = float(x0)
            for word in words:
                c.drawString(x, y - 14, word)
                x += c.stringWidth(word, "Courier", 10) + 14
        y -= 40
    c.save()
    return path


def test_a_word_under_a_question_naming_its_own_field_is_its_answer(tmp_path: Path) -> None:
    """"Year" reads as the year group's alias, but under the year group's own question it is the first word of
    its answer, and no question beside the address's answer either."""
    fields = extract(_grid_form(tmp_path / "grid.pdf")).fields
    assert fields["pupil_year_group"] == 7
    assert fields["pupil_address"] == "47 Foxhall Crescent, Ipswich"
    assert fields["pupil_postcode"] == "NR14 7QS"


def test_a_question_asking_when_is_never_a_yes_no_fields() -> None:
    """"When was Just One Number contacted?" holds the yes/no item "Just One Number contacted" whole, and was
    taken for it (a date then read as no yes/no answer, the contact date unread). A question starting with
    when, what, how, who… asks for a date, a number or words, never yes or no."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for

    matcher = matcher_for(FORMS["referral"])
    found = matcher.match("When was Just One Number contacted?")
    assert found is not None and found.key == "jon_contact_date"
    yes_no = matcher.match("Has Just One Number been contacted?")
    assert yes_no is not None and yes_no.key == "chk_jon_contacted"


def test_a_tables_first_cell_in_other_words_is_a_question_by_its_place(tmp_path: Path) -> None:
    """A school's own Word form as a label | answer table whose questions carry no ':' or '?': the cells in other
    words than any label ("Overall days of school lost to ill health this year") were read as nothing, since only
    a text that reads as a question is looked at for its concept. In the table's column of questions (two rows or
    more of it known) a one-line first cell naming one field's concept is that field's question; a sentence, a
    cell of several lines, or one naming no concept stays no question."""
    from tests.forms._make_docs import docx_table

    pairs = [("Legal forename(s)", "Perpetua"), ("Legal surname", "Oakhanger"), ("Date of birth", "04/05/2013"),
             ("Overall days of school lost to ill health this year", "27"),
             ("Weeks the pupil is likely to remain off", "9"),
             ("Earliest day missed through illness", "15/09/2026"),
             ("We enjoyed meeting the family.", "Thank you"),
             ("Notes for the office", "Letter to follow")]
    read = extract(docx_table(tmp_path / "own.docx", "Medical Needs Service referral form", pairs))
    assert read.fields["pupil_forename"] == "Perpetua"
    assert read.fields["days_absent"] == 27 and read.fields["expected_absence_weeks"] == 9
    assert read.fields["first_absence_date"] == "2026-09-15"
    assert "Thank you" not in read.fields.values() and "Letter to follow" not in read.fields.values()
