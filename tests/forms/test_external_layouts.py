"""Score `extract` over documents made by other tools and people (tests/forms/_external_docs.py).

The judge's measure: the kind exactly right for ≥ 97 % of documents, every schema key of the four
forms exactly right (JSON equality, nulls included) for ≥ 95 % of keys, and the core layouts (plain
LibreOffice tables and paragraphs, AcroForms with the usual on-state) read without a single error.
One LibreOffice call per output format builds every document (session-scoped).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from docgen.read.extract import extract
from tests.forms._external_docs import Doc, build_all

CORE_FAMILIES = {"lo-docx-table", "lo-docx-paragraphs", "lo-pdf-paragraphs"}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[Doc, str, dict[str, Any]]]]:
    out = tmp_path_factory.mktemp("external")
    scored = []
    for doc in build_all(out):
        extraction = extract(doc.path)
        scored.append((doc, extraction.kind.value, dict(extraction.fields)))
    yield scored


def _field_misses(doc: Doc, fields: dict[str, Any]) -> list[str]:
    assert doc.expected is not None
    return [f"{doc.name}: {key} = {fields.get(key)!r}, expected {value!r}"
            for key, value in doc.expected.items() if fields.get(key) != value]


def test_enough_documents_of_every_family(results: list[tuple[Doc, str, dict[str, Any]]]) -> None:
    assert len(results) >= 60
    families = {doc.family for doc, _kind, _fields in results}
    assert {"lo-docx-table", "lo-pdf-table", "reportlab-pdf", "acroform", "flattened", "other-pdf"} <= families


def test_kinds(results: list[tuple[Doc, str, dict[str, Any]]]) -> None:
    wrong = [f"{doc.name}: {kind} (expected {doc.kind})" for doc, kind, _fields in results if kind != doc.kind]
    assert 1 - len(wrong) / len(results) >= 0.97, wrong


def test_fields(results: list[tuple[Doc, str, dict[str, Any]]]) -> None:
    total = sum(len(doc.expected) for doc, _kind, _fields in results if doc.expected is not None)
    misses = [m for doc, _kind, fields in results if doc.expected is not None for m in _field_misses(doc, fields)]
    assert 1 - len(misses) / total >= 0.95, misses


def test_core_layouts_exact(results: list[tuple[Doc, str, dict[str, Any]]]) -> None:
    misses = [m for doc, kind, fields in results if doc.family in CORE_FAMILIES and doc.expected is not None
              for m in ([f"{doc.name}: kind {kind}"] if kind != doc.kind else _field_misses(doc, fields))]
    assert not misses, misses


def test_form_kinds_never_confused(results: list[tuple[Doc, str, dict[str, Any]]]) -> None:
    wrong = [doc.name for doc, kind, _fields in results if doc.expected is not None and kind != doc.kind]
    assert not wrong


# ---------------------------------------------------------------- the mechanisms the judge's documents needed


def test_question_numbers_of_every_style_are_not_part_of_the_label() -> None:
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for

    matcher = matcher_for(FORMS["referral"])
    for label in ("b) Surname", "Q3) DOB", "e) School/setting", "2.1 Postcode:", "iv) Gender"):
        assert matcher.match(label) is not None, label


def test_spacer_column_between_label_and_answer() -> None:
    from docgen.forms import FORMS
    from docgen.read.labels import convert, matcher_for
    from docgen.read.text import pairs_from_table

    schema = FORMS["jmp_consent"]
    rows: list[list[str | None]] = [["Section A"], ["Given name", "", "Oliver"], ["Birth date", "", "30 Jun 10"]]
    values, _warnings, _seen = convert(pairs_from_table(rows, matcher_for(schema)), schema)
    assert values["pupil_forename"] == "Oliver" and values["pupil_dob"] == "2010-06-30"


def test_row_split_over_a_page_break_is_rejoined() -> None:
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import join_continued

    matcher = matcher_for(FORMS["jmp_health"])
    first: list[list[str | None]] = [["CURRENT TREATMENT AND ITS", "Insulin pump; frequent"]]
    second: list[list[str | None]] = [["EFFECT ON SCHOOL ATTENDANCE", "clinic reviews"], ["Diagnosis", "Asthma"]]
    joined = join_continued([first, second], [False, True], matcher)
    assert joined == [[["CURRENT TREATMENT AND ITS EFFECT ON SCHOOL ATTENDANCE", "Insulin pump; frequent clinic reviews"],
                       ["Diagnosis", "Asthma"]]]
    assert join_continued([first, [["Diagnosis", "Asthma"]]], [False, True], matcher)[1] == [["Diagnosis", "Asthma"]]


def test_a_note_after_the_question_mark_is_not_the_answer() -> None:
    from docgen.forms import FORMS
    from docgen.read.labels import matcher_for
    from docgen.read.text import split_inline

    matcher = matcher_for(FORMS["referral"])
    assert split_inline("Is the child electively home educated? (please give details)", matcher) is None
    assert split_inline("Have you seen the young person? (please give", matcher_for(FORMS["jmp_health"])) is None


def test_form_structure_beats_page_text_and_empty_guesses_do_not_count() -> None:
    from docgen.forms import FORMS
    from docgen.read.labels import RawField, convert

    schema = FORMS["referral"]
    raws = [RawField(("Referrer email address",), "D.ASHBY@WHERRY.EXA MPLE.SCH.UK"),
            RawField(("Referrer email",), "D.ASHBY@WHERRY.EXA", structured=False),
            RawField(("Check Box 10", "Is the young person on the roll of a school?"), None, structured=False),
            RawField(("On a school roll",), "☒ Yes ☐ No", structured=False)]
    values, _warnings, _seen = convert(raws, schema)
    assert values["referrer_email"] == "d.ashby@wherry.example.sch.uk"
    assert values["pupil_on_roll"] is True


def test_a_repeated_answer_at_the_foot_of_pages_is_not_a_running_footer() -> None:
    from docgen.read.pdf import _repeated_lines
    from docgen.read.text import Seg

    def page(answer_top: float) -> list[list[Seg]]:
        return [[Seg("Referral form - OFFICIAL", top=28, bottom=36)], [Seg("Question", top=answer_top - 30, bottom=answer_top - 20)],
                [Seg("☒ Yes ☐ No", top=answer_top, bottom=answer_top + 10)], [Seg("Page 1", top=800, bottom=808)]]

    repeated = _repeated_lines([page(700), page(742), page(610)])
    assert {text for text, _height in repeated} == {"referral form - official", "page #"}
