"""Questions printed in a form's short forms ("Yr grp", "Parent tel.", "1st"), spelt out before matching (issue 19).

The wordings are this file's own; the short forms are the general table's (read/abbreviations.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from docgen.forms.referral import REFERRAL
from docgen.read.abbreviations import expand
from docgen.read.extract import extract
from docgen.read.labels import matcher_for

TERSE = [("Legal forename(s)", "Hester", "pupil_forename", "Hester"),
         ("Legal surname", "Pendry", "pupil_surname", "Pendry"),
         ("NC yr grp", "Year 8", "pupil_year_group", 8),
         ("Home PC", "NR3 1AB", "pupil_postcode", "NR3 1AB"),
         ("Gender M/F", "F", "pupil_gender", "F"),
         ("Parent tel.", "07700 900123", "parent_phone", "07700900123"),
         ("Health profs", "GP and CAMHS", "health_professionals", "GP and CAMHS"),
         ("Date of 1st absence", "05/10/2026", "first_absence_date", "2026-10-05")]


@pytest.mark.parametrize(("text", "key"), [
    ("NC yr grp", "pupil_year_group"),
    ("Home PC", "pupil_postcode"),
    ("Gender M/F", "pupil_gender"),
    ("UPN nbr", "pupil_upn"),
    ("Parent tel.", "parent_phone"),
    ("Parent/carer addr.", "parent_address"),
    ("Health profs", "health_professionals"),
    ("EHCP co-ord.", "ehcp_coordinator"),
    ("Date of 1st absence", "first_absence_date"),
    ("Special Educational Needs and Disabilities Co-ordinator", "senco_name"),
    ("Awaiting spec. school place?", "awaiting_special_school_place"),
    # not taken: an answer, a short form that names no one field, words that only look like one
    ("Yes / No", None),
    ("Tel", None),
    ("Yr 11", None),
    ("PC World", None),
])
def test_a_short_form_is_read_as_its_words(text: str, key: str | None) -> None:
    found = matcher_for(REFERRAL).match(text)
    assert (found.key if found else None) == key


def test_only_whole_words_are_spelt_out() -> None:
    assert expand("yr grp") == "year group"
    assert expand("upn no") == "unique pupil number"  # the number once, not "number number"
    assert expand("yes / no") == "yes / no"  # an answer's "no" is no number
    assert expand("typical spectrum") == "typical spectrum"
    assert expand("mhz") == "mhz"


def _boxed_form(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(56, 790, "Medical Needs Service Referral Form")
    y = 755.0
    for label, value, _key, _value in TERSE:
        c.setFont("Helvetica", 9)
        c.drawString(56, y, f"{label}:")
        c.rect(56, y - 22, 480, 17)
        c.setFont("Helvetica", 10)
        c.drawString(62, y - 17, value)
        y -= 38
    c.save()
    return path


def test_a_form_in_short_forms_is_read(tmp_path: Path) -> None:
    fields = extract(_boxed_form(tmp_path / "terse.pdf")).fields
    for label, _answer, key, value in TERSE:
        assert fields[key] == value, label
