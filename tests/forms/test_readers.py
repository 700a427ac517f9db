"""Readers over real generated documents: DOCX tables/paragraphs/controls/legacy fields, flat and fillable PDFs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _make_docs import (
    acroform_pdf,
    docx_content_controls,
    docx_legacy_fields,
    docx_paragraphs,
    docx_table,
    docx_wingdings,
    flat_pdf,
    set_tooltip,
    to_pdf,
)

from docgen.read.extract import extract

TITLE = "Medical Needs Service Referral Form"

# (printed label, written answer, key, expected JSON value)
REFERRAL_ROWS: list[tuple[str, str, str, Any]] = [
    ("Legal forename(s) *", "Testy", "pupil_forename", "Testy"),
    ("Surname:", "McTest", "pupil_surname", "McTest"),
    ("Date of birth (dd/mm/yyyy)", "3rd April 2014", "pupil_dob", "2014-04-03"),
    ("Year group", "Y6", "pupil_year_group", 6),
    ("Unique Pupil Number (UPN)", "k926 2111 23436", "pupil_upn", "K926211123436"),
    ("Postcode", "nr1 2ab", "pupil_postcode", "NR1 2AB"),
    ("Is the young person on the roll of a school?", "☐ Yes ☒ No", "pupil_on_roll", False),
    ("Is the young person a looked after child?", "No", "pupil_looked_after", False),
    ("Parent/carer email", "Mum@Example.com", "parent_email", "mum@example.com"),
    ("Parent/carer telephone", "07700 900123", "parent_phone", "07700900123"),
    ("DSL email", "DSL@School.example.org", "dsl_email", "dsl@school.example.org"),
    ("Referrer email", "Office@Example.org", "referrer_email", "office@example.org"),
    ("Parent/carer consents to the Medical Needs Coordinator contacting health professionals", "Yes",
     "consent_health_contact", True),
    ("School days absent for health reasons this academic year", "23", "days_absent", 23),
    ("Date of referral", "02/03/2026", "referral_date", "2026-03-02"),
]
PAIRS = [(label, answer) for label, answer, _key, _value in REFERRAL_ROWS]


def assert_referral(path: Path, rows: list[tuple[str, str, str, Any]] = REFERRAL_ROWS) -> dict[str, Any]:
    result = extract(path)
    assert result.kind.value == "referral", result.reason
    wrong = {key: (result.fields.get(key), value) for _l, _a, key, value in rows if result.fields.get(key) != value}
    assert wrong == {}
    others = {k: v for k, v in result.fields.items() if k not in {key for _l, _a, key, _v in rows} and v is not None}
    assert others == {}, "nothing invented for questions the document does not ask"
    return result.fields


def test_contract_example(tmp_path: Path) -> None:
    rows = [("Legal forename(s)", "Testy"), ("Date of birth", "03/04/2014"),
            ("National Curriculum year group", "Year 6"), ("Postcode", "nr1 2ab"),
            ("Is the young person on the roll of a school?", "Yes"), ("Referrer email", "Office@Example.org")]
    result = extract(docx_table(tmp_path / "r.docx", TITLE, rows))
    assert result.kind.value == "referral"
    assert result.method.value == "docx"
    assert set(result.fields) >= {"pupil_forename", "referral_date", "chk_online_learning"}
    assert {k: result.fields[k] for k in ("pupil_dob", "pupil_on_roll", "pupil_year_group", "pupil_postcode",
                                          "referrer_email")} == {
        "pupil_dob": "2014-04-03", "pupil_on_roll": True, "pupil_year_group": 6, "pupil_postcode": "NR1 2AB",
        "referrer_email": "office@example.org"}
    assert result.fields["pupil_surname"] is None


@pytest.mark.parametrize("layout", ["rows", "two", "above"])
def test_docx_table_layouts(tmp_path: Path, layout: str) -> None:
    assert_referral(docx_table(tmp_path / f"{layout}.docx", TITLE, PAIRS, layout=layout))


@pytest.mark.parametrize("below", [False, True])
def test_docx_paragraphs(tmp_path: Path, below: bool) -> None:
    assert_referral(docx_paragraphs(tmp_path / "p.docx", TITLE, PAIRS, below=below))


@pytest.mark.parametrize("two_per_row", [False, True])
def test_flat_pdf_with_wrapped_labels(tmp_path: Path, two_per_row: bool) -> None:
    path = flat_pdf(tmp_path / "flat.pdf", TITLE, PAIRS, label_width=150, two_per_row=two_per_row)
    assert extract(path).method.value == "text"
    assert_referral(path)


@pytest.mark.parametrize("style", ["above", "right"])
def test_flat_pdf_other_layouts(tmp_path: Path, style: str) -> None:
    from _make_docs import flat_pdf_styled

    assert_referral(flat_pdf_styled(tmp_path / f"{style}.pdf", TITLE, PAIRS, style=style))


def test_docx_printed_to_pdf_by_libreoffice(tmp_path: Path) -> None:
    sources = [docx_table(tmp_path / "rows.docx", TITLE, PAIRS),
               docx_table(tmp_path / "two.docx", TITLE, PAIRS, layout="two"),
               docx_table(tmp_path / "above.docx", TITLE, PAIRS, layout="above"),
               docx_paragraphs(tmp_path / "paras.docx", TITLE, PAIRS),
               docx_paragraphs(tmp_path / "below.docx", TITLE, PAIRS, below=True)]
    address = [("Legal surname", "McTest"), ("Home address", "Flat 2\n14 Invented Street\nNorwich"),
               ("Health professionals involved", "Dr Ima Example, a consultant paediatrician at the invented "
                                                 "children's hospital, who sees Testy every month in clinic")]
    boxes = [("Is the young person on the roll of a school?", True), ("Is the young person a looked after child?",
                                                                       False)]
    sources += [docx_table(tmp_path / "address.docx", TITLE, address),
                docx_paragraphs(tmp_path / "address-paras.docx", TITLE, address),
                docx_wingdings(tmp_path / "wingdings.docx", TITLE, boxes)]
    *forms, table, paragraphs, wingdings = to_pdf(sources, tmp_path / "pdf")
    for source in (sources[-1], wingdings):
        f = extract(source).fields
        assert (f["pupil_on_roll"], f["pupil_looked_after"]) == (True, False), source.name
    for pdf in forms:
        assert_referral(pdf)
    for pdf in (table, paragraphs):
        f = extract(pdf).fields
        assert f["pupil_address"] == "Flat 2\n14 Invented Street\nNorwich", "line breaks kept, wraps joined"
        assert f["health_professionals"] == address[2][1]


def test_content_controls_and_checkboxes(tmp_path: Path) -> None:
    path = docx_content_controls(
        tmp_path / "cc.docx", "Joint Medical Protocol — Consent Form",
        {"pupil_forename": "Testy", "pupil_surname": "McTest", "pupil_dob": "03/04/2014", "consent_name": None},
        {"consent_share_health": True, "gillick_competent": False})
    result = extract(path)
    assert result.kind.value == "jmp_consent"
    assert result.fields["pupil_dob"] == "2014-04-03"
    assert result.fields["consent_name"] is None, "a placeholder is not an answer"
    assert result.fields["consent_share_health"] is True
    assert result.fields["gillick_competent"] is False


def test_legacy_form_fields(tmp_path: Path) -> None:
    path = docx_legacy_fields(
        tmp_path / "legacy.docx", TITLE,
        [("Forename", "Testy"), ("Date of birth", "03/04/2014"), ("Referrer email", "a@b.example.org")],
        [("Keyworker or preferred staff member", True, False), ("Attendance action plan", False, False),
         ("Safe space/break-out room", True, True)],
        [("Gender", ("Female", "Male", "Prefer not to say"), 1), ("National Curriculum year group",
                                                                 ("Reception", "Year 1", "Year 2"), 2)])
    result = extract(path)
    assert result.kind.value == "referral"
    f = result.fields
    assert (f["pupil_forename"], f["pupil_dob"], f["referrer_email"]) == ("Testy", "2014-04-03", "a@b.example.org")
    assert (f["chk_keyworker"], f["chk_attendance_plan"], f["chk_safe_space"]) == (True, False, True)
    assert (f["pupil_gender"], f["pupil_year_group"]) == ("Male", 2)


def test_glyph_checklist_before_labels(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading(TITLE, level=1)
    document.add_paragraph("Legal surname: McTest")
    document.add_paragraph("☒ Keyworker or preferred staff member")
    document.add_paragraph("☐ Attendance action plan")
    document.add_paragraph("[x] Temporary reduced timetable")
    document.add_paragraph("Is the young person electively home educated? ☐ Yes ☒ No")
    path = tmp_path / "glyphs.docx"
    document.save(str(path))
    f = extract(path).fields
    assert (f["chk_keyworker"], f["chk_attendance_plan"], f["chk_reduced_timetable"], f["pupil_ehe"]) == (
        True, False, True, False)
    assert f["chk_safe_space"] is None, "a question with no mark at all stays null"


def test_acroform_named_by_label_text_and_tooltip(tmp_path: Path) -> None:
    path = acroform_pdf(
        tmp_path / "af.pdf", TITLE,
        texts=[("Legal forename(s)", "", "Testy"), ("txtSurname", "", "McTest"), ("Text1", "", "03/04/2014"),
               ("pupil_postcode", "", "nr1 2ab"), ("Text2", "Referrer email", "Office@Example.org"),
               ("fldYearGroup", "", "Reception")],
        boxes=[("chkKeyworker", "Keyworker or preferred staff member", True),
               ("Attendance action plan", "", False)],
        radios=[("pupil_on_roll", "Is the young person on the roll of a school?", "No"),
                ("EHCP", "Does the young person have an EHCP?", "Yes"),
                ("Previous referral", "", None)],
        on_value="Ja")
    set_tooltip(path, "Text1", "Date of birth")
    result = extract(path)
    assert result.method.value == "acroform"
    assert result.kind.value == "referral"
    f = result.fields
    assert (f["pupil_forename"], f["pupil_surname"], f["pupil_dob"], f["pupil_postcode"]) == (
        "Testy", "McTest", "2014-04-03", "NR1 2AB")
    assert (f["referrer_email"], f["pupil_year_group"]) == ("office@example.org", 0)
    assert (f["chk_keyworker"], f["chk_attendance_plan"]) == (True, False)
    assert (f["pupil_on_roll"], f["pupil_ehcp"], f["previous_referral"]) == (False, True, None)


def test_acroform_checkbox_on_value_one(tmp_path: Path) -> None:
    path = acroform_pdf(tmp_path / "one.pdf", "Joint Medical Protocol Consent Form",
                        texts=[("pupil_forename", "", "Testy"), ("pupil_surname", "", "McTest"),
                               ("consent_date", "", "1 Mar 26")],
                        boxes=[("consent_share_health", "", True), ("gillick_competent", "", False)], on_value="1")
    f = extract(path).fields
    assert (f["consent_share_health"], f["gillick_competent"], f["consent_date"]) == (True, False, "2026-03-01")


def test_similar_questions_never_confused(tmp_path: Path) -> None:
    rows = [("Parent/carer email", "p@example.org"), ("DSL email", "d@example.org"),
            ("Referrer email", "r@example.org"), ("Date of birth", "01/02/2015"), ("Date of referral", "02/03/2026")]
    f = extract(docx_table(tmp_path / "sim.docx", TITLE, rows)).fields
    assert (f["parent_email"], f["dsl_email"], f["referrer_email"]) == ("p@example.org", "d@example.org",
                                                                        "r@example.org")
    assert (f["pupil_dob"], f["referral_date"]) == ("2015-02-01", "2026-03-02")


def test_consent_form_date_is_not_date_of_birth(tmp_path: Path) -> None:
    rows = [("First name", "Testy"), ("Last name", "McTest"), ("Date of birth", "03/04/2014"),
            ("Name of person giving consent", "Pat McTest"), ("Relationship to the young person", "Mother"),
            ("I consent to information being shared between health services, the school and the Medical Needs "
             "Service", "Yes"), ("Date", "20/02/2026")]
    result = extract(docx_table(tmp_path / "c.docx", "Joint Medical Protocol — Consent Form", rows))
    assert result.kind.value == "jmp_consent"
    assert (result.fields["pupil_dob"], result.fields["consent_date"]) == ("2014-04-03", "2026-02-20")
    assert result.fields["consent_share_health"] is True


def test_unreadable_value_becomes_a_warning(tmp_path: Path) -> None:
    rows = [("Legal forename(s)", "Testy"), ("Date of birth", "31/02/2014"), ("Referrer email", "not an email")]
    result = extract(docx_table(tmp_path / "bad.docx", TITLE, rows))
    assert result.fields["pupil_dob"] is None and result.fields["referrer_email"] is None
    assert any("pupil_dob" in w for w in result.warnings)
    assert any("referrer_email" in w for w in result.warnings)


def test_yes_no_columns_help_text_leaders_and_ticked_options(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Joint Medical Protocol — Health Information Form", level=1)
    grid = document.add_table(rows=0, cols=3)
    for cells in [("", "Yes", "No"), ("Have you seen the young person in person?", "X", ""),
                  ("Is the young person currently unfit to attend school?", "", "✓")]:
        row = grid.add_row().cells
        for n, text in enumerate(cells):
            row[n].text = text
    table = document.add_table(rows=0, cols=2)
    for label, value in [("Date the young person was last seen\n(dd/mm/yyyy)", "24/02/2026"),
                         ("How was the young person seen?", "☐ Video ☒ Face to face ☐ Telephone"),
                         ("Name of health professional", "Dr Ima Example____"),
                         ("Health professional email", "...........")]:
        row = table.add_row().cells
        row[0].text, row[1].text = label, value
    path = tmp_path / "health.docx"
    document.save(str(path))
    f = extract(path).fields
    assert (f["seen_in_person"], f["unfit_for_school"], f["last_seen_date"]) == (True, "no", "2026-02-24")
    assert (f["contact_type"], f["professional_name"], f["professional_email"]) == (
        "face_to_face", "Dr Ima Example", None)


def test_acroform_with_meaningless_field_names_read_by_position(tmp_path: Path) -> None:
    from _make_docs import anonymous_acroform

    path = anonymous_acroform(tmp_path / "anon.pdf", TITLE, [
        ("Legal forename(s)", "text", "Testy"), ("Legal surname", "text", "McTest"),
        ("Date of birth", "text", "03/04/2014"), ("Postcode", "text", "nr1 2ab"),
        ("Is the young person on the roll of a school?", "radio", "Yes"),
        ("Is the young person a looked after child?", "radio", "No"),
        ("Keyworker or preferred staff member", "check", True), ("Attendance action plan", "check", False),
        ("Referrer email", "text", "Office@Example.org")])
    result = extract(path)
    assert (result.kind.value, result.method.value) == ("referral", "acroform")
    f = result.fields
    assert (f["pupil_forename"], f["pupil_surname"], f["pupil_dob"], f["pupil_postcode"]) == (
        "Testy", "McTest", "2014-04-03", "NR1 2AB")
    assert (f["pupil_on_roll"], f["pupil_looked_after"]) == (True, False)
    assert (f["chk_keyworker"], f["chk_attendance_plan"], f["referrer_email"]) == (True, False, "office@example.org")


def test_printed_label_beats_a_looser_alias(tmp_path: Path) -> None:
    rows = [("Joint Medical Protocol — Consent Form", ""), ("Name", "Testy McTest"), ("Date of birth", "03/04/2014"),
            ("Name of person giving consent", "Pat McTest"), ("Relationship to the young person", "Father"),
            ("Date", "01/03/2026")]
    result = extract(docx_table(tmp_path / "consent.docx", "Joint Medical Protocol — Consent Form", rows[1:]))
    assert result.kind.value == "jmp_consent"
    assert (result.fields["consent_name"], result.fields["consent_date"]) == ("Pat McTest", "2026-03-01")


def test_radio_with_generic_export_values_read_from_the_printed_options(tmp_path: Path) -> None:
    from _make_docs import anonymous_acroform

    path = anonymous_acroform(tmp_path / "radio.pdf", TITLE, [
        ("Legal forename(s)", "text", "Testy"), ("Legal surname", "text", "McTest"),
        ("Date of birth", "text", "03/04/2014"), ("pupil_on_roll", "radio", "No")])
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(str(path)))
    for page in writer.pages:
        for ref in page.get("/Annots", []) or []:
            parent = ref.get_object().get("/Parent")
            if parent is not None:
                parent.get_object()[NameObject("/T")] = TextStringObject("pupil_on_roll")
    writer.write(str(path))
    f = extract(path).fields
    assert (f["pupil_forename"], f["pupil_on_roll"]) == ("Testy", False), "Choice2 is the 'No' beside it"


@pytest.mark.parametrize("kind", ["referral", "continuation", "jmp_health", "jmp_consent"])
def test_every_label_and_alias_matches_its_own_field(kind: str) -> None:
    from docgen.forms import FORMS
    from docgen.read.labels import LabelMatcher

    matcher = LabelMatcher(FORMS[kind])
    wrong = []
    for f in FORMS[kind].fields:
        for label in f.labels:
            for written in (label, f"{label} *", f"{label}:", f"{label.upper()} (please state)", f"3. {label}"):
                found = matcher.match(written)
                if found is None or found.key != f.key:
                    wrong.append((written, found.key if found else None))
    assert wrong == []


@pytest.mark.parametrize(("label", "key"), [
    ("Date of brith", "pupil_dob"), ("Referer email", "referrer_email"), ("Post Code", "pupil_postcode"),
    ("Parent / Carer E-mail", "parent_email"), ("D.O.B.", "pupil_dob"), ("pupilForename", "pupil_forename"),
    ("Date of referral", "referral_date"), ("Date of birth", "pupil_dob"), ("DSL email", "dsl_email"),
])
def test_spelling_slips_forgiven_similar_questions_kept_apart(label: str, key: str) -> None:
    from docgen.forms import REFERRAL
    from docgen.read.labels import LabelMatcher

    found = LabelMatcher(REFERRAL).match(label)
    assert found is not None and found.key == key


@pytest.mark.parametrize("label", ["Date", "Email", "Signature", "Date of review", "Referral reason",
                                   "School email", "Name"])
def test_unrelated_labels_do_not_match_a_referral_field(label: str) -> None:
    from docgen.forms import REFERRAL
    from docgen.read.labels import LabelMatcher

    assert LabelMatcher(REFERRAL).match(label) is None


def test_acroform_flattened_by_poppler(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from _make_docs import anonymous_acroform

    source = anonymous_acroform(tmp_path / "form.pdf", TITLE, [
        ("Legal forename(s)", "text", "Testy"), ("Date of birth", "text", "03/04/2014"),
        ("Is the young person on the roll of a school?", "radio", "No"),
        ("Keyworker or preferred staff member", "check", True), ("Referrer email", "text", "Office@Example.org")])
    cairo = shutil.which("pdftocairo")
    assert cairo, "poppler-utils is needed for this test"
    flat = tmp_path / "flat.pdf"
    subprocess.run([cairo, "-pdf", str(source), str(flat)], check=True, capture_output=True, timeout=60)
    result = extract(flat)
    assert (result.kind.value, result.method.value) == ("referral", "text")
    f = result.fields
    assert (f["pupil_forename"], f["pupil_dob"], f["referrer_email"]) == ("Testy", "2014-04-03", "office@example.org")
    assert (f["pupil_on_roll"], f["chk_keyworker"]) == (False, True)


def test_an_answer_that_is_also_a_label_is_read_as_the_answer(tmp_path: Path) -> None:
    """'Telephone' answers 'How was the young person seen?' though it is also an alias of a phone question."""
    from docx import Document

    from docgen.read.extract import extract

    doc = Document()
    doc.add_heading("Joint Medical Protocol — Health Information Form", 1)
    rows = [("Legal forename(s)", "Ann"), ("Legal surname", "Lee"), ("Date of birth", "03/04/2014"),
            ("How was the young person seen?", "Telephone"), ("Health professional telephone", "01603 111222"),
            ("Have you seen the young person in person?", "No")]
    table = doc.add_table(rows=len(rows), cols=2)
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    doc.save(tmp_path / "jmp.docx")
    fields = extract(tmp_path / "jmp.docx").fields
    assert (fields["contact_type"], fields["professional_phone"], fields["seen_in_person"]) == (
        "telephone", "01603111222", False)


def test_a_label_wrapped_into_a_row_of_its_own_is_joined_back() -> None:
    """A printed table without rules can split one question over two rows; the answer stays with it."""
    from docgen.forms import REFERRAL
    from docgen.read.labels import matcher_for
    from docgen.read.text import pairs_from_table

    rows: list[list[str | None]] = [["Is the young person currently a", "No"], ["hospital in-patient?", ""],
                                    ["Postcode", "NR1 2AB"]]
    found = pairs_from_table(rows, matcher_for(REFERRAL))
    assert [(r.labels[0], r.value) for r in found] == [
        ("Is the young person currently a hospital in-patient?", "No"), ("Postcode", "NR1 2AB")]
