"""Yes/no answers on schools' own layouts (read/text.py, read/labels.py, issue 19).

This file's own wordings and layouts: a Word table giving each option its own cell, and a checklist whose
question about guidance names the words of another yes/no question.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from docgen.read.extract import extract

TITLE = "Medical Needs Service Referral Form"


def test_options_in_cells_of_their_own_are_one_answer(tmp_path: Path) -> None:
    """"☐ Yes | ☐ No" in two cells is a question left unanswered (null), never "No" read from its first box."""
    doc = Document()
    doc.add_heading(TITLE, level=1)
    table = doc.add_table(rows=0, cols=3)
    for question, yes, no in [("Legal surname", "Pemberton", ""), ("Date of birth", "11/02/2013", ""),
                              ("Is the absence related to pregnancy?", "☐ Yes", "☐ No"),
                              ("Is the young person awaiting a special school place?", "☐ Yes", "☒ No"),
                              ("Is the young person currently a hospital in-patient?", "☒ Yes", "☐ No"),
                              ("Has the young person been referred to the Medical Needs Service before?",
                               "[ ] Y", "[ ] N")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = question, yes, no
    doc.save(str(tmp_path / "cells.docx"))
    fields = extract(tmp_path / "cells.docx").fields
    assert fields["pupil_surname"] == "Pemberton"
    assert fields["pregnancy_related"] is None
    assert fields["previous_referral"] is None
    assert fields["awaiting_special_school_place"] is False
    assert fields["hospital_inpatient"] is True


def test_a_question_about_guidance_is_not_the_pupils_sen_support(tmp_path: Path) -> None:
    """"Has the SEN support guidance been consulted?" names the words of "SEN support" but asks about guidance the
    school read: it is that checklist item, and the pupil's own SEN support keeps its own answer."""
    doc = Document()
    doc.add_heading(TITLE, level=1)
    for line in ["Legal surname: Pemberton", "Has the SEN support guidance been consulted?: Yes",
                 "Is the pupil on the school's SEN register?: No"]:
        doc.add_paragraph(line)
    doc.save(str(tmp_path / "guidance.docx"))
    fields = extract(tmp_path / "guidance.docx").fields
    assert fields["pupil_sen_support"] is False
    assert fields["chk_sen_guidance"] is True
