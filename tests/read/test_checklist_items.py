"""A checklist's items in a school's own words, beside their tick boxes (policy §11.1, issue 19).

The box beside the words makes them a yes/no question: the one yes/no field whose concept they name is
theirs. The wordings are this file's own rewordings of the policy's list of school actions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.forms.referral import REFERRAL
from docgen.read.extract import extract
from docgen.read.labels import matcher_for
from docgen.read.text import ticked_item

IDENTITY = [("Legal forename(s)", "Rowan"), ("Legal surname", "Ellery"), ("Date of birth", "11/02/2013"),
            ("Postcode", "IP4 2XY")]
# a checklist item in this file's words, ticked or not, and the field it is
ITEMS = [("Calm area made available", True, "chk_safe_space"),
         ("Mentor assigned in school", False, "chk_keyworker"),
         ("Exit strategy card issued", True, "chk_timeout_card"),
         ("Lessons delivered online", True, "chk_online_learning"),
         ("Family meeting arranged", False, "chk_parent_meeting")]
# beside a box too, but naming no yes/no field (or two): nothing is taken
OTHERS = [("Pupil enjoys art and music", True), ("Staff told of the diagnosis", True)]


def _word_form(path: Path) -> Path:
    doc = Document()
    doc.add_heading("Medical Needs Service Referral Form", level=1)
    table = doc.add_table(rows=0, cols=2)
    for label, value in IDENTITY:
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
    doc.add_paragraph("Actions taken by the school")
    checklist = doc.add_table(rows=0, cols=2)
    for label, ticked in [(q, t) for q, t, _k in ITEMS] + OTHERS:
        row = checklist.add_row().cells
        row[0].text, row[1].text = label, "☒" if ticked else "☐"
    doc.save(str(path))
    return path


def _text_form(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(56, 790, "Medical Needs Service Referral Form")
    c.setFont("Helvetica", 10)
    y = 755.0
    for label, value in IDENTITY:
        c.drawString(56, y, f"{label}: {value}")
        y -= 20
    c.drawString(56, y - 10, "Actions taken by the school")
    y -= 40
    for label, ticked in [(q, t) for q, t, _k in ITEMS] + OTHERS:
        c.drawString(56, y, f"[{'X' if ticked else ' '}] {label}")
        y -= 20
    c.save()
    return path


def _check(fields: dict[str, object], name: str) -> None:
    assert fields["pupil_surname"] == "Ellery", name
    for label, ticked, key in ITEMS:
        assert fields[key] is ticked, f"{name}: {label}"
    assert fields["health_condition"] is None, name
    assert {k for k, v in fields.items() if v is True} == {k for _q, t, k in ITEMS if t}, name


def test_checklist_rows_of_a_word_table_are_read(tmp_path: Path) -> None:
    _check(extract(_word_form(tmp_path / "checklist.docx")).fields, "docx")


def test_checklist_lines_after_their_boxes_are_read(tmp_path: Path) -> None:
    _check(extract(_text_form(tmp_path / "checklist.pdf")).fields, "pdf")


def test_only_a_yes_no_fields_concept_beside_a_box_is_taken() -> None:
    matcher = matcher_for(REFERRAL)
    assert ticked_item("Calm area made available", matcher) == "Calm area made available:"
    assert ticked_item("Pupil enjoys art and music", matcher) is None  # no field's concept
    assert ticked_item("Staff told of the diagnosis", matcher) is None  # a written answer's field, no yes/no
    assert ticked_item("The pupil was given a calm area to use whenever she felt unwell at school.", matcher) is None


@pytest.mark.parametrize(("text", "key"), [
    ("Have staff met the family?", "chk_parent_meeting"),  # the meeting in the past tense
    ("IHP agreed?", "chk_ihcp"),  # the plan's short form spelt out
    ("Health Care Plan drawn up:", "chk_health_advice"),  # the policy's own words for its second action
    ("DfE guidance on behaviour followed?", "chk_mh_guidance"),  # guidance from the DfE is no DfE number
    ("DfE number:", "school_dfe_number"),
    ("Date the family was met:", None),
])
def test_the_policys_actions_are_known_in_other_words(text: str, key: str | None) -> None:
    found = matcher_for(REFERRAL).match(text)
    assert (found.key if found else None) == key
