"""Answers read from the shipped blank Word forms filled in by python-docx (not docgen's writers), printed by
LibreOffice, rendered by poppler at 200 dpi, turned 1.3°, speckled and sent as a JPEG PDF (SPEC §16, issue 19).

What an independent scanned set found on such pages: an answer wrapped over lines in its cell kept only its
first line(s), with high confidence; the values are what a letter would say unchecked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import ImageDraw

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from docgen.read.labels import RawField
from tests.corpus.writers import soffice

from .scans import noisy, render, scanned_pdf, skewed
from .test_ocr_fax_forms import _fill

REFERRAL = {"pupil_forename": "Tobias", "pupil_surname": "Woodrow", "pupil_dob": "14/03/2013",
            "pupil_gender": "Male", "pupil_year_group": "Year 8", "pupil_postcode": "NR21 0JH",
            "pupil_on_roll": True, "pupil_ehe": False, "pupil_looked_after": False, "pupil_ehcp": False,
            "pupil_sen_support": True, "repeating_year_11": False, "parent_name": "Ruth Woodrow",
            "parent_relationship": "Grandmother", "parent_phone": "01328 555 071",
            "school_name": "Fakenham Junior School", "referrer_name": "Ivan Doyle", "referrer_role": "Head of Year", "dsl_name": "Ian Larkby",
            # the label "Nature of the health need or diagnosis *" wraps its star onto a line of its own, beside the
            # answer's second line
            "health_condition": "Crohn's disease with repeated flare-ups needing admission and a liquid diet for "
                                "several weeks at a time",
            "health_professionals": "Dr Ingrid Saul (GP); paediatric gastroenterology team at Addenbrooke's "
                                    "Hospital, Cambridge",
            "first_absence_date": "02/10/2026", "days_absent": "31", "expected_absence_weeks": "7",
            "hospital_inpatient": False,
            "pregnancy_related": False, "awaiting_special_school_place": False, "previous_referral": False,
            "consent_given_by": "Ruth Woodrow", "consent_date": "08/10/2026", "referral_date": "16/11/2026"}
HEALTH = {"pupil_forename": "Tobias", "pupil_surname": "Greenacre", "pupil_dob": "05/06/2014",
          "school_name": "Holt Community Primary School", "professional_name": "Dr Wyn Achterberg",
          "professional_organisation": "Holt Medical Practice", "seen_in_person": True,
          "diagnosis": "Migraine with aura, several attacks a week",
          # its last line is the one word "school", which alone reads as a question (the alias of "School name")
          "treatment": "Preventive propranolol since October and a quiet dark room during attacks, which often "
                       "start in the morning before registration and leave him too unwell to stay for lessons in "
                       "school",
          "statement_date": "06/11/2026"}


def _specks(pdf: Path, word: str, dpi: int) -> list[tuple[int, float, float]]:
    """Where to put a speck of dust on the glass: 4 pt left of each printed `word` (page, x, y in pixels), as
    poppler's pdftotext places it."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for n, page in enumerate(boxes.split("<page ")[1:]):
        for m in re.finditer(rf'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{word}<', page):
            out.append((n, (float(m.group(1)) - 4) * dpi / 72, (float(m.group(2)) + 0.7) * dpi / 72))
    return out


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Extraction]:
    """Both forms printed in one LibreOffice call, then scanned and read. On the referral a speck sits just before
    "Nature of the health need…", which OCR reads glued to it ("“Nature"): the label's star, wrapped onto the
    next line, no longer lines up with the label's start."""
    folder = tmp_path_factory.mktemp("forms")
    forms = {"referral": REFERRAL, "jmp_health": HEALTH}
    soffice([_fill(form, values, folder) for form, values in forms.items()], "pdf", folder)
    out: dict[str, Extraction] = {}
    for form in forms:
        pages = render(folder / f"{form}.pdf", folder, dpi=200)
        for n, x, y in _specks(folder / f"{form}.pdf", "Nature", 200) if form == "referral" else []:
            ImageDraw.Draw(pages[n]).rectangle([x, y, x + 1.2 * 200 / 72, y + 3 * 200 / 72], fill=40)
        pages = [noisy(skewed(page, 1.3), seed=n + 3, amount=0.0008) for n, page in enumerate(pages)]
        out[form] = extract(scanned_pdf(pages, folder / f"{form}-scan.pdf", dpi=200, quality=35))
        assert (out[form].kind, out[form].method) == (Kind(form), Method.OCR)
    return out


@pytest.fixture(scope="module")
def referral(scans: dict[str, Extraction]) -> Extraction:
    return scans["referral"]


@pytest.fixture(scope="module")
def health(scans: dict[str, Extraction]) -> Extraction:
    return scans["jmp_health"]


def _same_text(read: object, written: str) -> bool:
    """The answer read has the words written, all of them to the last (OCR may slip a space or a comma)."""
    got, want = re.findall(r"[a-z0-9']+", str(read).lower()), re.findall(r"[a-z0-9']+", written.lower())
    return got[-3:] == want[-3:] and abs(len(got) - len(want)) <= 1


def test_an_answer_wrapped_beside_its_labels_own_star_keeps_its_later_lines(referral: Extraction) -> None:
    assert _same_text(referral.fields["health_condition"], REFERRAL["health_condition"])
    assert _same_text(referral.fields["health_professionals"], REFERRAL["health_professionals"])


def test_an_answers_last_line_that_reads_as_a_question_is_still_its_answer(health: Extraction) -> None:
    assert _same_text(health.fields["treatment"], HEALTH["treatment"])
    assert _same_text(health.fields["diagnosis"], HEALTH["diagnosis"])


def test_an_answers_next_line_parted_at_a_wide_word_gap_is_still_its_answer() -> None:
    """A scan's line of an answer can come in two pieces where Tesseract saw a wide gap between two words
    ("University | Hospital"): both are the answer's, not a column of their own."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 10)

    lines = [[seg("Health professionals involved *", 71, 229, 100), seg("Dr Omar Quayle (GP); paediatric", 284, 450, 100)],
             [seg("gastroenterology at the Norfolk and Norwich", 284, 500, 113)],
             [seg("University", 284, 330, 126), seg("Hospital", 335, 375, 126)],
             [seg("First day of absence for health reasons", 71, 269, 150), seg("19/10/2026", 285, 346, 150)]]
    pairs = pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)
    assert pairs[0].value == ("Dr Omar Quayle (GP); paediatric gastroenterology at the Norfolk and Norwich "
                              "University Hospital")



def test_a_one_digit_answer_just_under_its_rows_rule_is_read(referral: Extraction) -> None:
    """"7" alone in its cell, a few pixels under the row's rule: Tesseract's layout drops it, and the ink no
    word covers was grouped with the rule into one patch far too big to be an answer, so it stayed unread."""
    assert referral.fields["expected_absence_weeks"] == 7


def test_a_misread_name_is_not_trusted(referral: Extraction) -> None:
    """"Ian" in the form's serif type reads as "Tan" at 92 %: a first name beginning with I read with a T is no
    sure reading (the value would go into a letter unchecked)."""
    value, confidence = referral.fields["dsl_name"], (referral.confidence or {}).get("dsl_name", 0)
    assert value == "Ian Larkby" or confidence < 80, (value, confidence)


def test_values_their_kind_makes_unlikely_are_doubtful() -> None:
    from docgen.forms import FORMS
    from docgen.read.confidence import implausible

    referral = FORMS["referral"]
    doubtful = {("referrer_phone", "04553555044"), ("parent_phone", "1553555044"), ("parent_relationship", "Mothef"),
                ("parent_relationship", "Grandmofher"), ("dsl_name", "Tan Pettit"), ("pupil_forename", "Tsla"),
                ("senco_name", "lan Moss"), ("pupil_forename", "lsla"), ("parent_name", "1mran Hussain")}
    sound = {("referrer_phone", "01553555044"), ("parent_phone", "07700900418"), ("parent_phone", "+441953604112"),
             ("parent_relationship", "Mother"), ("parent_relationship", "Step-father"),
             ("parent_relationship", "Family friend"), ("parent_relationship", "Foster carer"),
             ("dsl_name", "Ian Pettit"), ("pupil_surname", "Tan"), ("parent_name", "Tom Tan"),
             ("school_name", "Tan Academy"), ("senco_name", "Lan Moss"), ("parent_name", "Ross lan")}
    assert {case for case in doubtful | sound if implausible(referral[case[0]], case[1])} == doubtful



def test_a_upn_whose_first_letter_reads_as_a_currency_sign_is_read() -> None:
    """A UPN beginning with Y read by OCR as "¥" (seen on an independent phone photo): the UPN's first
    character is a letter, and its check letter still decides whether the whole was read right."""
    from docgen.forms import FORMS
    from docgen.read.labels import convert
    from docgen.read.ocrtext import untangled

    referral = FORMS["referral"]
    raws = [RawField(("Unique Pupil Number (UPN) * (if on roll)",), "¥926881224100", structured=False)]
    values, warnings, _seen = convert(untangled(raws, referral), referral)
    assert (values["pupil_upn"], warnings) == ("Y926881224100", [])


_OWN_LAYOUT = """<!doctype html><html><head><meta charset="utf-8"><style>
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; margin: 18mm }} h1 {{ font-size: 16pt }}
.row {{ display: flex; border-bottom: 1px solid #888; padding: 5px 0 }} .q {{ width: 62mm; font-weight: bold }}
.q small {{ font-weight: normal; font-size: 8.5pt; color: #333; margin-left: 5mm }} .a {{ flex: 1 }}
</style></head><body><h1>Medical Needs Service Referral Form</h1><p>Section A: the young person</p>{rows}</body></html>"""
OWN = [("Legal forename(s)", "*", "Tobias"), ("Date of birth", "* (DD/MM/YYYY)", "21/09/2014"),
       ("National Curriculum year group", "*", "Year 7"), ("Home address", "*", "4 Quay Street<br>Orford"),
       ("Postcode", "*", "IP12 2NU"), ("Parent/carer name", "*", "Dana Ashcombe"),
       ("Relationship to the young person", "*", "Mother"), ("Parent/carer telephone", "*", "01394 555 218"),
       ("School name", "* (if on roll)", "Orford Primary School"),
       ("Nature of the health need or diagnosis", "*", "Severe asthma with two admissions this term"),
       ("Expected length of absence", "(weeks) *", "6"), ("Date of referral", "* (DD/MM/YYYY)", "20/11/2026")]


def test_a_labels_star_and_note_set_apart_from_it_are_not_read_into_the_answer(tmp_path: Path) -> None:
    """An own-layout referral (HTML printed by headless Chromium, scanned) whose questions carry their star and
    note in small type set apart ("School name   * (if on roll)   Orford…"): OCR reads the note as a piece of
    its own between question and answer, which went into the answer ('* (if on roll) Orford…', '* Dana
    Ashcombe'); an address whose first line came after the star lost its second line."""
    rows = "".join(f'<div class="row"><div class="q">{q} <small>{note}</small></div><div class="a">{a}</div></div>'
                   for q, note, a in OWN)
    html = tmp_path / "referral.html"
    html.write_text(_OWN_LAYOUT.format(rows=rows), encoding="utf-8")
    pdf = tmp_path / "referral.pdf"
    subprocess.run([shutil.which("chromium") or "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-pdf-header-footer", f"--user-data-dir={tmp_path / 'profile'}",
                    f"--print-to-pdf={pdf}", html.as_uri()], check=True, capture_output=True, timeout=120)
    pages = [noisy(skewed(page, 1.4), seed=5, amount=0.0008) for page in render(pdf, tmp_path, dpi=200)]
    result = extract(scanned_pdf(pages, tmp_path / "scan.pdf", dpi=200, quality=35))
    assert (result.kind, result.method) == (Kind.REFERRAL, Method.OCR)
    got = {key: result.fields[key] for key in ("school_name", "pupil_address", "parent_name", "pupil_year_group",
                                               "pupil_dob")}
    assert got == {"school_name": "Orford Primary School", "pupil_address": "4 Quay Street Orford",
                   "parent_name": "Dana Ashcombe", "pupil_year_group": 7,
                   "pupil_dob": "2014-09-21"}


def test_an_answers_next_lines_go_on_past_a_star_read_as_a_letter_and_a_speck_beside_them() -> None:
    """Lines as OCR read them from independent scans (python-docx referral, LibreOffice, fax and JPEG at 200 dpi):
    the label's star wrapped onto its own line was read as "k" or "x" beside the answer's second line, and a speck
    far right of the answer's last line as "."; either ended the answer after its first line ('Post-viral fatigue
    since a long infection in the', trusted at 95)."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 11)

    lines = [[seg("Nature of the health need or diagnosis", 79, 267, 978),
              seg("Post-viral fatigue since a long infection in the", 284, 526, 978)],
             [seg("x", 79, 96, 989), seg("summer; he tires quickly and cannot manage the", 284, 525, 990)],
             [seg("journeys to school.", 282, 383, 1002)],
             [seg("Health professionals involved *", 80, 231, 1037), seg("Dr Amir Saleh (GP), the community", 284, 477, 1037)],
             [seg("paediatrician and the ME/CFS service at", 284, 501, 1050)],
             [seg("James Paget Hospital", 282, 397, 1062), seg(".", 511, 512, 1062)],
             [seg("First day of absence for health reasons", 80, 269, 1097), seg("07/09/2026", 284, 344, 1097)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)}
    assert pairs["Nature of the health need or diagnosis"] == ("Post-viral fatigue since a long infection in the "
                                                               "summer; he tires quickly and cannot manage the "
                                                               "journeys to school.")
    assert pairs["Health professionals involved *"] == ("Dr Amir Saleh (GP), the community paediatrician and the "
                                                        "ME/CFS service at James Paget Hospital")


def test_answers_with_the_marks_of_a_wrong_reading_are_doubtful() -> None:
    """Wrong values an independent scanned set trusted at 80+: cut short ('…short journeys to'), a stray mark in
    or after them ('ME/CFS _— service', 'Ferrier «'), an email starting with a speck, a cell's side read as 'I'
    in front of a name. A person confirms them (R-DATA-UNCERTAIN); sound answers stay trusted."""
    from docgen.forms import FORMS
    from docgen.read.confidence import marred

    referral = FORMS["referral"]
    doubtful = {("health_condition", "ME/CFS with severe fatigue after short journeys to"),
                ("health_professionals", "Dr Voss and the paediatric ME/CFS _— service"),
                ("pupil_surname", "Ferrier «"), ("parent_email", "-nat.brightwell@example.org"),
                ("pupil_forename", "I Callum"), ("dsl_name", "I Martin Okoye"),
                ("pupil_address", "Orchard Cottage, Horsford, I Norwich")}
    sound = {("health_condition", "Asthma - mild — worse at night"), ("dsl_name", "J Smith"),
             ("parent_name", "Maria O'Brien-Hale"), ("parent_email", "nat.brightwell@example.org"),
             ("health_professionals", "Dr Ingrid Saul (GP); team at Addenbrooke's Hospital, Cambridge"),
             ("pupil_address", "4 Quay Street Orford"), ("referrer_role", "Head of Year 9"),
             ("school_name", "St. Mary's Academy")}
    assert {case for case in doubtful | sound if marred(referral[case[0]], case[1])} == doubtful


def test_an_email_read_with_an_initial_its_person_does_not_have_is_doubtful() -> None:
    """'ipennington@wha.org.uk' for Lucy Pennington (G4 fax and screenshot of a python-docx/LibreOffice referral,
    trusted at 96-97): l and i look alike; the name on the form says the reading is doubtful."""
    from docgen.read.confidence import misnamed

    values = {"referrer_name": "Lucy Pennington", "dsl_name": "Ivan Doyle", "parent_name": "Ruth Woodrow"}
    assert misnamed("referrer_email", "ipennington@wha.org.uk", values)
    assert not misnamed("referrer_email", "lpennington@wha.org.uk", values)
    assert not misnamed("dsl_email", "idoyle@school.org.uk", values)
    assert not misnamed("parent_email", "ruth.woodrow@example.com", values)


def test_a_short_label_ocr_ran_into_one_word_still_names_its_question() -> None:
    """A speckled scan's "Legal surname *" read as one word "Legalsurname*": not known as a label, so its answer
    "Brennan" went to the next question ("Preferred name", blank on the page), trusted at 97, and the surname
    was not read. A label of any length OCR printed as one word is its question's; an answer whose words only
    squash to a label ("Parent / carer") stays an answer."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 10)

    lines = [[seg("Legal forename(s) *", 71, 160, 100), seg("Isla", 284, 305, 100)],
             [seg("Legalsurname*", 71, 150, 120), seg("Brennan", 284, 330, 120)],
             [seg("Preferred name", 71, 150, 140)],
             [seg("Date of birth * (DD/MM/YYYY)", 71, 220, 160), seg("09/07/2015", 284, 340, 160)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)}
    assert pairs.get("Legalsurname*") == "Brennan" and not pairs.get("Preferred name")
    matcher = matcher_for(FORMS["referral"])
    assert matcher.match("Dateofbirth") is FORMS["referral"]["pupil_dob"]
    assert matcher.match("Relationship to child Parent / carer") is None


def test_a_section_heading_under_a_blank_question_is_not_its_answer() -> None:
    """A phone photo of a referral printed from HTML (an independent set's S09): "SENCO:" left blank, then the
    shaded heading "Health needs" and the next question. OCR sees no bold or shading, so the heading was read
    as the SENCO's name, trusted at 96. On a page whose answers stand beside their questions, a short line under
    a blank question with a question right after it is a heading; where answers stand under their questions,
    or the line under is a sentence, it is still the answer."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 8)

    matcher = matcher_for(FORMS["referral"])
    beside = [[seg("Designated Safeguarding Lead", 67, 190, 99), seg("Olivia Stone", 224, 280, 99)],
              [seg("(DSL):", 67, 95, 109)],
              [seg("DSL email:", 67, 110, 124), seg("o.stone@attleprimary.example.org", 224, 380, 124)],
              [seg("SENCO:", 66, 100, 139)],
              [seg("Health needs", 65, 130, 160)],
              [seg("Nature of the health need or", 66, 190, 177), seg("Congenital heart condition", 222, 360, 177)],
              [seg("diagnosis:", 65, 110, 187)],
              [seg("Health professionals involved:", 65, 200, 202), seg("Dr Nkechi Obi", 222, 300, 202)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(beside, matcher, positioned=True)}
    assert not pairs.get("SENCO:") and pairs["DSL email:"] == "o.stone@attleprimary.example.org"
    assert pairs["Nature of the health need or diagnosis:"] == "Congenital heart condition"

    under = [[seg("SENCO:", 66, 100, 100)], [seg("Mia Lowe", 66, 110, 112)],
             [seg("Nature of the health need or diagnosis:", 66, 250, 130)], [seg("Asthma", 66, 100, 142)],
             [seg("Health professionals involved:", 66, 200, 160)], [seg("Dr Nkechi Obi", 66, 140, 172)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(under, matcher, positioned=True)}
    assert pairs["SENCO:"] == "Mia Lowe" and pairs["Nature of the health need or diagnosis:"] == "Asthma"


def test_a_question_ocr_split_at_a_wide_gap_still_finds_its_answer() -> None:
    """An upside-down page turned and read (an independent set's T10): "…on the roll of" and "aschool?" came as
    two pieces of the line (Tesseract placed the last word apart), neither a question alone, so the answer
    beside them was lost. The two pieces together are the question; a question whole on its own is not joined
    to its answer."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 10)

    lines = [[seg("Postcode *", 71, 120, 379), seg("NR14 6DR", 283, 330, 379)],
             [seg("Is the young person on the roll of", 71, 220, 400), seg("aschool?", 234, 270, 400),
              seg("☐ Yes", 284, 315, 401), seg("☒ No", 325, 350, 400)],
             [seg("Is the young person a looked after child? *", 71, 260, 449), seg("☐ Yes", 284, 315, 449),
              seg("☒ No", 325, 350, 449)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)}
    assert pairs["Is the young person on the roll of aschool?"] == "☐ Yes ☒ No"
    assert pairs["Postcode *"] == "NR14 6DR" and pairs["Is the young person a looked after child? *"] == "☐ Yes ☒ No"


def test_a_labels_note_whose_bracket_reads_as_a_letter_is_not_its_answer() -> None:
    """A fax of a flattened PDF form (an independent set's T05): "(if EHCP)" read "Gif EHCP)", and "(if
    contacted)" read "Gf" with the rest wrapped below. Each was taken as the answer: "Gif EHCP)" as the EHCP
    coordinator (a value on a blank question), "Gf" as the date Just One Number was contacted (so the date
    beside it went unread). A bracket read as "G" or "C" before "if" is the label's note."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 10)

    lines = [[seg("Does the young person have an EHCP? *", 78, 282, 559), seg("☐ Yes", 310, 343, 559),
              seg("☒ No", 355, 383, 559)],
             [seg("EHCP coordinator * Gif EHCP)", 78, 231, 581)],
             [seg("Is the young person receiving SEN", 78, 252, 603), seg("☐ Yes", 310, 343, 603),
              seg("☒ No", 355, 383, 603)],
             [seg("support? *", 78, 130, 616)],
             [seg("Just One Number contacted for advice", 76, 262, 1431), seg("☒ Yes", 301, 332, 1431),
              seg("☐ No", 344, 371, 1431)],
             [seg("Date Just One Number was contacted * Gf", 77, 283, 1452), seg("13/10/2026", 301, 358, 1452)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)}
    assert pairs["Does the young person have an EHCP? *"] == "☐ Yes ☒ No"
    assert not pairs.get("EHCP coordinator * Gif EHCP)")
    assert "Gif EHCP)" not in pairs.values() and "Gf" not in pairs.values()
    assert pairs["Date Just One Number was contacted * Gf"] == "13/10/2026"


def test_a_questions_next_line_parted_at_a_wider_space_is_still_the_question() -> None:
    """A grey 150 dpi scan of the shipped form (an independent set's T01): the question's second line came as
    "contacting Just One" | "Number *", parted at a wider space. Only the first part was taken as the
    question's; "Number *" went into its answer, and the parent's consent went unread. The parts after it
    inside the question's width, a word's gap apart, are the question's; the answer column is further right."""
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 10)

    lines = [[seg("Parent/carer consent obtained before", 74, 239, 455), seg("☒ Yes", 287, 316, 455),
              seg("☐ No", 326, 352, 455)],
             [seg("contacting Just One", 74, 160, 467), seg("Number *", 171, 206, 467)],
             [seg("Parent/carer consents to the Medical Needs", 75, 268, 479), seg("☒ Yes", 288, 316, 479),
              seg("☐ No", 326, 352, 479)],
             [seg("Coordinator contacting health professionals *", 74, 274, 491)],
             [seg("Is the young person currently a hospital in-", 71, 262, 523), seg("☐ Yes", 285, 313, 523),
              seg("☒ No", 323, 349, 523)],
             [seg("patient? *", 71, 113, 536), seg("see notes", 285, 330, 536)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)}
    assert pairs["Parent/carer consent obtained before contacting Just One Number *"] == "☒ Yes ☐ No"
    assert pairs["Parent/carer consents to the Medical Needs Coordinator contacting health professionals *"] \
        == "☒ Yes ☐ No"
    assert pairs["Is the young person currently a hospital in- patient? *"] == "☐ Yes ☒ No see notes"


def test_a_fax_that_read_the_yes_boxs_tick_as_a_stroke_answers_yes_for_a_person_to_confirm() -> None:
    """A fax of the flattened PDF form (an independent set's T07): "☒ Yes ☐ No" for the pregnancy question read
    "/ ☐ No", the box and the word "Yes" lost, and the answer went unread, so a pregnant pupil's referral missed
    R-ELIG-PREGNANCY. A stroke before an empty "No" box is Yes (as "☐ Yes" before a lost "No" box is No), and
    Yes so read is doubtful. A label's "(if looked after)" note ending a garbled question is never its answer."""
    from docgen.forms import FORMS
    from docgen.forms.types import parse_bool
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    assert parse_bool("/ ☐ No") is True and parse_bool("\\ ☐ No") is True
    assert parse_bool("☐ No") is None and parse_bool("☐ Yes ☒ No") is False

    def seg(text: str, x0: float, x1: float, top: float) -> Seg:
        return Seg(text, x0, x1, top=top, bottom=top + 10)

    lines = [[seg("Is the young person a looked after child? *", 51, 226, 426), seg("☐ Yes", 326, 357, 426),
              seg("‘Vv No", 389, 416, 426)],
             [seg("Social worker name ana contact aelaiis ~ (if looked alter)", 51, 286, 450)],
             [seg("Does the young person have an EHCP? *", 51, 224, 515), seg("☐ Yes", 326, 357, 515),
              seg("☒ No", 391, 416, 515)]]
    pairs = {p.labels[0]: p.value for p in pairs_from_lines(lines, matcher_for(FORMS["referral"]), positioned=True)}
    assert not any("aelaiis" in (value or "") for value in pairs.values()), pairs
    assert pairs["Does the young person have an EHCP? *"] == "☐ Yes ☒ No"


def test_yes_read_from_a_stroke_is_doubtful_however_sure_its_words() -> None:
    from docgen.forms import FORMS
    from docgen.read.confidence import evidence
    from docgen.read.ocr import OcrPage, OcrWord
    from docgen.read.scanned import Scan

    words = [OcrWord("/", 96, 328, 1182, 335, 1192, 0), OcrWord("☐", 99, 389, 1182, 398, 1192, 0, mark=True),
             OcrWord("No", 97, 400, 1182, 416, 1192, 0), OcrWord("☐", 99, 326, 1205, 335, 1215, 0, mark=True),
             OcrWord("Yes", 97, 337, 1205, 357, 1215, 0), OcrWord("☒", 99, 389, 1205, 398, 1215, 0, mark=True),
             OcrWord("No", 97, 400, 1205, 416, 1215, 0)]
    scan = Scan([OcrPage(0, 595, 1400, words, confidence=95)])
    found = evidence({"pregnancy_related": "/ ☐ No", "awaiting_special_school_place": "☐ Yes ☒ No"},
                     {"pregnancy_related": True, "awaiting_special_school_place": False}, scan, FORMS["referral"])
    assert found["pregnancy_related"].confidence < 80
    assert found["awaiting_special_school_place"].confidence >= 80
