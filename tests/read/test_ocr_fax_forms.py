"""The shipped blank Word forms, filled in by python-docx (not docgen's writers), printed by LibreOffice and
sent as a 1-bit G4 fax at 200 dpi (SPEC §16, issue 19).

A fax draws a tick box's sides and a table's rules one pixel wide, and its speckle makes docgen filter the
page (a median) before Tesseract reads it, which breaks those lines into dots: the boxes were then not found
(checklist answers and yes/no questions came out unsure) and the broken rules were read as quotes glued to
the labels and answers beside them ("’ Oliver’", "“Does the young person…"). Poppler renders the pages,
Pillow speckles them and writes the fax.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from PIL import Image

from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract
from tests.corpus.writers import soffice

from .scans import noisy, render

FORMS = Path(__file__).resolve().parents[2] / "docgen" / "data" / "forms"
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"

REFERRAL = {"pupil_forename": "Oliver", "pupil_surname": "O'Brien-Hale", "pupil_dob": "12/03/2013",
            "pupil_postcode": "NR18 9DF", "pupil_on_roll": True, "pupil_ehe": False, "pupil_looked_after": False,
            "pupil_ehcp": False, "pupil_sen_support": True, "repeating_year_11": False,
            "parent_name": "Maria O'Brien-Hale", "parent_phone": "01953 604112",
            "school_name": "St. Mary's Academy", "hospital_inpatient": False, "pregnancy_related": False,
            "awaiting_special_school_place": False, "previous_referral": False,
            "chk_policy_followed": True, "chk_jon_contacted": True, "chk_health_advice": True,
            "chk_parent_meeting": True, "chk_ihcp": False, "chk_senco_assessment": True, "chk_sen_guidance": True,
            "chk_mh_guidance": False, "chk_sen_budget": False, "chk_keyworker": True, "chk_attendance_plan": True,
            "chk_safe_space": False, "chk_timeout_card": False, "chk_reduced_timetable": True,
            "chk_reduced_exams": False, "chk_outreach": False, "chk_online_learning": True, "consent_jon": True,
            "consent_health_contact": True, "consent_given_by": "Maria O'Brien-Hale",
            "school_support_declaration": True}
HEALTH = {"pupil_forename": "Oliver", "pupil_surname": "O'Brien-Hale", "pupil_dob": "12/03/2013",
          "professional_name": "Dr Aisha Khan", "professional_organisation": "Norfolk Community Health",
          "seen_in_person": True, "diagnosis": "Chronic fatigue syndrome", "unfit_for_school": "Part time only",
          "statement_date": "09/10/2026"}


def _fill(form: str, values: dict[str, Any], out: Path) -> Path:
    """The shipped blank Word form with its content controls answered: check boxes ticked with ☒ (the
    Yes/No pair of a question, or the one box of a statement), text typed in."""
    document = Document(str(FORMS / f"{form}.docx"))
    for sdt in document.element.body.iter(qn("w:sdt")):
        tag = sdt.find(qn("w:sdtPr")).find(qn("w:tag"))
        if tag is None or tag.get(qn("w:val")) not in values:
            continue
        value = values[tag.get(qn("w:val"))]
        content = sdt.find(qn("w:sdtContent"))
        boxes = [s for s in content.iter(qn("w:sdt")) if s.find(qn("w:sdtPr")).find(f"{_W14}checkbox") is not None]
        if boxes:
            for box, ticked in zip(boxes, [bool(value), not value], strict=False):
                for t in box.iter(qn("w:t")):
                    t.text = "☒" if ticked else "☐"
            continue
        texts = list(content.iter(qn("w:t")))
        if not texts:
            run, text = OxmlElement("w:r"), OxmlElement("w:t")
            run.append(text)
            content.find(qn("w:p")).append(run)
            texts = [text]
        texts[0].text = str(value)
        for t in texts[1:]:
            t.text = ""
    path = out / f"{form}.docx"
    document.save(str(path))
    return path


def _fax(form: str, values: dict[str, Any], folder: Path) -> Extraction:
    """The filled form printed by LibreOffice, rendered at 300 dpi, reduced to 200, speckled, sent as G4."""
    soffice([_fill(form, values, folder)], "pdf", folder)
    pages = []
    for n, page in enumerate(render(folder / f"{form}.pdf", folder, dpi=300)):
        small = page.resize((page.width * 2 // 3, page.height * 2 // 3), Image.Resampling.LANCZOS)
        pages.append(noisy(small, seed=n + 3, amount=0.003).convert("1"))
    fax = folder / f"{form}-fax.tif"
    pages[0].save(fax, save_all=True, append_images=pages[1:], compression="group4", dpi=(200, 200))
    return extract(fax)


@pytest.fixture(scope="module")
def referral(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    return _fax("referral", REFERRAL, tmp_path_factory.mktemp("fax-referral"))


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> Extraction:
    return _fax("jmp_health", HEALTH, tmp_path_factory.mktemp("fax-health"))


def test_tick_boxes_on_a_fax_are_judged_from_the_page(referral: Extraction) -> None:
    """Every yes/no question and checklist statement of the referral read as ticked, from the image."""
    assert referral.kind is Kind.REFERRAL and referral.method is Method.OCR, referral.warnings
    ticks = {k: v for k, v in REFERRAL.items() if isinstance(v, bool)}
    assert {k: referral.fields.get(k) for k in ticks} == ticks


def test_a_fax_rules_are_not_read_as_quotes_on_the_answers(referral: Extraction) -> None:
    got = {k: referral.fields.get(k) for k in ("pupil_forename", "pupil_surname", "parent_name", "school_name",
                                                 "consent_given_by")}
    assert got == {k: REFERRAL[k] for k in got}


def test_the_health_form_on_a_fax(health: Extraction) -> None:
    """The professional's answers, their yes/no box and the "unfit for school" choice."""
    assert health.kind is Kind.JMP_HEALTH and health.method is Method.OCR, health.warnings
    assert {k: health.fields.get(k) for k in ("pupil_forename", "professional_name", "seen_in_person",
                                                "diagnosis", "unfit_for_school")} == {
        "pupil_forename": "Oliver", "professional_name": "Dr Aisha Khan", "seen_in_person": True,
        "diagnosis": "Chronic fatigue syndrome", "unfit_for_school": "part_time"}


def test_a_one_read_as_a_bracket_beside_a_digit_still_names_the_question() -> None:
    """A fax's "Year 11" comes out as "Year]1" or "Year 1l": still the question about repeating Year 11."""
    from docgen.forms import REFERRAL as FORM
    from docgen.read.labels import matcher_for

    matcher = matcher_for(FORM)
    for text in ("Is the young person repeating Year]1 for medical reasons?",
                 "Is the young person repeating Year 1l for medical reasons?"):
        found = matcher.match(text)
        assert found is not None and found.key == "repeating_year_11", text


def _jpeg_scan(form: str, values: dict[str, Any], folder: Path) -> Extraction:
    """The filled form printed by LibreOffice, rendered at 300 dpi, turned 1.5°, saved as grey JPEG q35, and
    those pages put in a PDF by Pillow (which compresses them again)."""
    soffice([_fill(form, values, folder)], "pdf", folder)
    pages = []
    for page in render(folder / f"{form}.pdf", folder, dpi=300):
        buffer = io.BytesIO()
        page.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255).save(buffer, "JPEG",
                                                                                             quality=35)
        pages.append(Image.open(buffer))
    scan = folder / f"{form}-scan.pdf"
    pages[0].save(scan, save_all=True, append_images=pages[1:], resolution=300)
    return extract(scan)


def test_unfit_for_school_answered_with_three_boxes(tmp_path: Path) -> None:
    """"☐ Yes ☐ No ☒ Part time" typed in the health form's answer cell (its three options as boxes): the box
    before "Part time" is found and judged from the image, and the question wrapped over two lines of its cell
    is named even with a piece of the table's rule read as a quote before it ('"Ts the young person…')."""
    health = _jpeg_scan("jmp_health", {**HEALTH, "unfit_for_school": "☐ Yes   ☐ No   ☒ Part time"}, tmp_path)
    assert health.kind is Kind.JMP_HEALTH, health.warnings
    assert health.fields.get("unfit_for_school") == "part_time"


def test_boxes_beside_options_that_are_not_yes_and_no() -> None:
    from docgen.forms.types import UNFIT

    assert [UNFIT.parse(t) for t in ("☐ Yes ☐ No ☒ Part time", "☒ Yes ☐ No ☐ Part time", "Yes ☐ No ☐ Part time ☒",
                                     "☐ No ☒ Part time", "Part time only")] == \
        ["part_time", "yes", "part_time", "part_time", "part_time"]
    with pytest.raises(ValueError, match="no option is ticked"):
        UNFIT.parse("☐ Yes ☐ No ☐ Part time")  # not "part time" because the words are there


def test_a_wrapped_question_with_a_stray_mark_before_it_is_one_question() -> None:
    """A checklist statement wrapped over two lines of its cell, with a piece of the table's rule read as "~"
    in front of its first line (a 200 dpi JPEG scan): its second line still continues it, so its answer is
    its own (chk_policy_followed was missed)."""
    from docgen.forms import REFERRAL as FORM
    from docgen.read.labels import matcher_for
    from docgen.read.text import Seg, pairs_from_lines

    lines = [[Seg("~School's own Medical Needs policy", 63.0, 236.0, top=100, bottom=110),
              Seg("☒ Yes ☐ No", 277.0, 340.0, top=100, bottom=110)],
             [Seg("checked and all procedures followed", 69.5, 245.0, top=112, bottom=122)],
             [Seg("Just One Number contacted for advice", 69.6, 250.0, top=126, bottom=136),
              Seg("☒ Yes ☐ No", 277.0, 340.0, top=126, bottom=136)]]
    pairs = {raw.labels[0]: raw.value for raw in pairs_from_lines(lines, matcher_for(FORM), positioned=True)}
    assert pairs.get("~School's own Medical Needs policy checked and all procedures followed") == "☒ Yes ☐ No", pairs


def test_a_form_sent_as_one_photo_a_page_is_judged_as_one_form(tmp_path: Path) -> None:
    """A parent's submission: the referral photographed a page at a time (uneven light, turned 1°, JPEG), one
    file each. The third page has no title and is all checklist questions, one of them "Individual healthcare
    plan (if appropriate)": it is a page of the referral, not an Individual Healthcare Plan; and the three
    pages are judged as one referral, so the answers on pages 2 and 3 are not reported as not found."""
    import datetime as dt

    from docgen.rules.check import check_submission, read_submission

    from .scans import jpeg, uneven_light

    soffice([_fill("referral", {**REFERRAL, "consent_date": "05/10/2026", "referral_date": "19/10/2026"},
                   tmp_path)], "pdf", tmp_path)
    photos = []
    for n, page in enumerate(render(tmp_path / "referral.pdf", tmp_path, dpi=250), 1):
        photo = tmp_path / f"IMG_40{n}.jpg"
        photo.write_bytes(jpeg(uneven_light(page.rotate(1.0, resample=Image.Resampling.BICUBIC, expand=True,
                                                        fillcolor=255)), quality=70))
        photos.append(photo)
    read = read_submission(photos)
    assert [e.kind for e in read] == [Kind.REFERRAL] * 3, [(e.file.name, e.kind, e.reason) for e in read]
    result = check_submission(read, today=dt.date(2026, 10, 20))
    assert result.kind == "referral" and result.pupil["forename"] == "Oliver"
    not_found = [f.message for f in result.findings if "not found on the scanned page" in f.message]
    for label in ("School's own Medical Needs policy", "Consent given by", "Date of referral", "Legal surname"):
        assert not any(f"'{label}" in m for m in not_found), not_found


def test_a_page_of_checklist_questions_is_no_healthcare_plan() -> None:
    """The third page of a referral photographed on its own, as OCR read it: no title, the referral's checklist
    questions (25 of its labels), one of them "Individual healthcare plan (if appropriate)"."""
    from docgen.read.classify import classify

    text = "\n".join(["Just One Number contacted for advice ☒ Yes ☐ No",
                      "Date Just One Number was contacted * 12/10/2026", "(if JON contacted) (DD/MM/YYYY)",
                      "Health professionals contacted and ☒ Yes ☐ No", "Health Care Plan set up",
                      "Meeting with parent/carer ☒ Yes ☐ No", "Individual healthcare plan (if ☐ Yes ☒ No",
                      "appropriate)", "SENCO assessment (if SEND ☒ Yes ☐ No", "identified)"])
    found = classify(text, text, field_scores={}, label_scores={"referral": 25, "jmp_health": 0}, field_count=0)
    assert found.kind is Kind.REFERRAL and found.decided_by == "labels"
    plan = "Individual Healthcare Plan\nName: Ada Lovelace\nDate of birth: 01/02/2013\nMedical condition: asthma"
    assert classify(plan, plan, field_scores={}, label_scores={"referral": 2}, field_count=0).kind is Kind.IHCP
