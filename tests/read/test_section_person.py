"""A bare question ("Mobile", "Job title", "E-mail") read as a detail of the person its section is about
(read/sections.py, SPEC §3, issue 19).

This file's own wordings and layouts: a Word form whose sections are headings over two-column tables, and a page
drawn with reportlab whose sections are bold headings over "Question: answer" lines. Sections about someone the
referral has no field for (the GP), or about nobody in particular, leave their bare questions unread.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.read.extract import extract
from docgen.read.sections import bare

TITLE = "Medical Needs Service Referral Form"


def _word_form(path: Path, sections: list[tuple[str, list[tuple[str, str]]]]) -> Path:
    doc = Document()
    doc.add_heading(TITLE, level=1)
    for heading, rows in sections:
        doc.add_heading(heading, level=2)
        table = doc.add_table(rows=0, cols=2)
        for question, answer in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = question, answer
    doc.save(str(path))
    return path


def test_bare_questions_under_a_persons_heading_in_a_word_table(tmp_path: Path) -> None:
    form = _word_form(tmp_path / "sections.docx", [
        ("The young person", [("Legal surname", "Pike"), ("Date of birth", "02/03/2012")]),
        ("GP", [("Full name", "Dr Ruth Bale"), ("Mobile", "01632 111222"), ("E-mail", "r.bale@surgery.example.org")]),
        ("Parent or carer", [("Full name", "Joan Pike"), ("Mobile", "07700 900123"),
                             ("E-mail", "joan.pike@example.org")]),
        ("Referrer details", [("Full name", "Mr Amos Reed"), ("Job title", "Head of Year 8"),
                              ("Work phone", "01632 960555")]),
    ])
    fields = extract(form).fields
    assert fields["pupil_surname"] == "Pike"
    assert fields["parent_name"] == "Joan Pike"
    assert fields["parent_phone"] == "07700900123"
    assert fields["parent_email"] == "joan.pike@example.org"
    assert fields["referrer_name"] == "Mr Amos Reed"
    assert fields["referrer_role"] == "Head of Year 8"
    assert fields["referrer_phone"] == "01632960555"


def test_a_section_about_no_known_person_reads_nothing(tmp_path: Path) -> None:
    """The GP's and a section naming two people ask the same bare questions: none of them is anyone's field."""
    form = _word_form(tmp_path / "nobody.docx", [
        ("The young person", [("Legal surname", "Pike"), ("Date of birth", "02/03/2012")]),
        ("GP", [("Full name", "Dr Ruth Bale"), ("Mobile", "01632 111222"), ("E-mail", "r.bale@surgery.example.org")]),
        ("School and parent contacts", [("Job title", "Head of Year 8"), ("E-mail", "office@school.example.org")]),
    ])
    fields = extract(form).fields
    assert fields["pupil_surname"] == "Pike"
    for key in ("parent_name", "parent_phone", "parent_email", "referrer_name", "referrer_role", "referrer_phone",
                "referrer_email", "dsl_email"):
        assert fields[key] is None, key


def _page(path: Path, lines: list[str]) -> Path:
    """Lines of "Question: answer" in 10 pt; a line starting "# " is a bold 13 pt heading."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(50, 800, TITLE)
    y = 770.0
    for line in lines:
        heading = line.startswith("# ")
        c.setFont("Helvetica-Bold" if heading else "Helvetica", 13 if heading else 10)
        c.drawString(50, y, line.removeprefix("# "))
        y -= 20 if heading else 14
    c.save()
    return path


def test_bare_questions_after_a_persons_own_question_on_a_page(tmp_path: Path) -> None:
    """No heading names the person: the question before does ("Name of referrer", "Parent/carer name"); a
    question about someone else in between ("Emergency contact name") ends it."""
    page = _page(tmp_path / "after.pdf", [
        "# 1. Child", "Legal forename(s): Ivo", "Legal surname: Marsh", "Date of birth: 14/01/2011",
        "# 2. Staff", "Name of referrer: Ms Dana Holt", "Post: Inclusion Lead", "Landline: 01632 404040",
        "# 3. Home", "Parent/carer name: Rhys Marsh", "Mobile number: 07700 900456",
        "Emergency contact name: Tess Marsh", "Email address: tess.marsh@example.org",
    ])
    fields = extract(page).fields
    assert fields["referrer_name"] == "Ms Dana Holt"
    assert fields["referrer_role"] == "Inclusion Lead"
    assert fields["referrer_phone"] == "01632404040"
    assert fields["parent_name"] == "Rhys Marsh"
    assert fields["parent_phone"] == "07700900456"
    assert fields["parent_email"] is None  # asked after another person's question: whose is it? nobody's


def test_what_a_bare_question_is() -> None:
    assert bare("Their job title") and bare("Direct line") and bare("E-mail") and bare("Mobile number")
    assert not bare("GP telephone") and not bare("Emergency contact name") and not bare("Date")
    assert not bare("Email address of")  # a question's first line, the rest wrapped below
    assert not bare("telephone")  # a question's last word, wrapped onto a line of its own
