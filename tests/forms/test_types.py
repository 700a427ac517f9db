"""Converter tables for every value type of SPEC §3."""

from __future__ import annotations

from typing import Any

import pytest

from docgen.forms.types import (
    CONTACT_TYPE,
    ROLE,
    UNFIT,
    UPN,
    Bool,
    Date,
    Email,
    Int,
    Phone,
    Postcode,
    Text,
    YearGroup,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("03/04/2012", "2012-04-03"), ("3/4/2012", "2012-04-03"), ("3rd April 2012", "2012-04-03"),
    ("3 Apr 12", "2012-04-03"), ("2012-04-03", "2012-04-03"), ("03.04.2012", "2012-04-03"),
    ("03-04-2012", "2012-04-03"), ("Tuesday 3 April 2012", "2012-04-03"), ("April 3, 2012", "2012-04-03"),
    ("31/08/2015", "2015-08-31"), ("1st of September 2025", "2025-09-01"), ("", None), (" ", None),
    ("06/1 0/2026", "2026-10-06"), ("0 9/11/20 26", "2026-11-09"),  # a scan's gap inside a number
])
def test_dates_are_uk_day_first(raw: str, expected: str | None) -> None:
    assert Date().convert(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2012", "13/13/2013", "next week", "2012", "6 10 2026", "1/2 3/4/2026"])
def test_bad_dates_fail(raw: str) -> None:
    with pytest.raises(ValueError):
        Date().convert(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("Yes", True), ("No", False), ("Y", True), ("N", False), ("X", True), ("✓", True), ("☒", True),
    ("☐", False), ("[x]", True), ("[ ]", False), ("On", True), ("Off", False), ("/Yes", True), ("/On", True),
    ("/Off", False), ("/No", False), ("/Choice1", True), ("☐ Yes ☒ No", False), ("☒ Yes ☐ No", True),
    ("Yes ☒ No ☐", True), ("☐ Yes ☐ No", None), ("", None), ("yes - on 3/4/2026", True), (True, True),
    (False, False), ("true", True), ("no.", False),
])
def test_bools_from_every_spelling(raw: Any, expected: bool | None) -> None:
    assert Bool().convert(raw) is expected


def test_both_boxes_ticked_is_an_error() -> None:
    with pytest.raises(ValueError):
        Bool().convert("☒ Yes ☒ No")


@pytest.mark.parametrize(("raw", "expected"), [
    ("[X] Yes [ ] No", True), ("[ ] Yes [X] No", False), ("{X] Yes No", True), ("(X} Yes", True),
    ("]) Yes [X]) No", False),
])
def test_typed_brackets_as_a_scan_reads_them(raw: str, expected: bool) -> None:
    assert Bool().convert(raw) is expected


@pytest.mark.parametrize("raw", ["Yes [X] No", "Yes ☒ No", "Yes ☒ [X] No ☐"])
def test_a_mark_that_could_be_either_options_is_no_answer(raw: str) -> None:
    """One mark between the options (a scan lost the other box: "☐ Yes ☒ No" or "Yes ☒ No ☐"), or more marks
    than options (one box read twice): never read as the option the mark happens to follow."""
    with pytest.raises(ValueError):
        Bool().convert(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("R", 0), ("Reception", 0), ("Year 7", 7), ("Y7", 7), ("7", 7), ("N", -1), ("Nursery", -1), ("Yr 11", 11),
    ("year eleven", 11), (9, 9),
])
def test_year_groups(raw: Any, expected: int) -> None:
    assert YearGroup().convert(raw) == expected


@pytest.mark.parametrize(("kind", "raw", "expected"), [
    (UPN(), "a801 2000 05001", "A801200005001"), (Postcode(), "nr1 2ab", "NR1 2AB"), (Postcode(), "PE302AB", "PE30 2AB"),
    (Email(), " Office@Example.ORG ", "office@example.org"), (Email(), "mailto:a@b.org", "a@b.org"),
    (Phone(), "01603 123 456", "01603123456"), (Phone(), "+44 (0)1603 123456", "+4401603123456"),
    (Int(), "15", 15), (Int(), "15 days", 15), (Int(), "twelve", 12), (Int(), 6.0, 6),
    (Text(), "  Tom   &  Jerry ", "Tom & Jerry"), (Text(multiline=True), "a\n  b  c", "a\nb c"),
])
def test_simple_types_normalise(kind: Any, raw: Any, expected: Any) -> None:
    assert kind.convert(raw) == expected


@pytest.mark.parametrize(("kind", "raw"), [(Postcode(), "NOT A CODE"), (Email(), "no-at-sign"), (Phone(), "call me")])
def test_simple_types_reject(kind: Any, raw: str) -> None:
    with pytest.raises(ValueError):
        kind.convert(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("CAMHS Mental Health Practitioner", "camhs"), ("Specialist Physiotherapist, ME/CFS service", "me_cfs_service"),
    ("School Nurse", "school_nurse"), ("Consultant Paediatrician", "paediatrician"),
    ("Clinical Child Psychologist", "clinical_child_psychologist"),
    ("Consultant Child and Adolescent Psychiatrist", "consultant_child_psychiatrist"),
    ("Consultant Neurologist", "specialist_nhs"), ("Practice Nurse", "primary_care"), ("GP", "gp"),
    ("General Practitioner", "gp"), ("Headteacher", "other"),
])
def test_roles_map_to_the_accepted_list(raw: str, expected: str) -> None:
    assert ROLE.convert(raw) == expected


@pytest.mark.parametrize(("kind", "raw", "expected"), [
    (CONTACT_TYPE, "Face to face", "face_to_face"), (CONTACT_TYPE, "Video call", "video"),
    (CONTACT_TYPE, "Telephone", "telephone"), (UNFIT, "Yes", "yes"), (UNFIT, "No", "no"),
    (UNFIT, "Part time", "part_time"), (UNFIT, "☐ Yes ☒ No", "no"),
])
def test_enums(kind: Any, raw: str, expected: str) -> None:
    assert kind.convert(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("2873300512022", "Z873300512022"),  # Z read as 2: its digits call for Z
    ("£873300512035", "E873300512035"),  # E read as £
    ("8873300512033", "B873300512033"),  # B read as 8
    ("5873300512022", "5873300512022"),  # 5 is read as S, but these digits call for Z: left as read
    ("Z873300512022", "Z873300512022"),
])
def test_upn_check_letter_misread_by_ocr_is_put_right_by_its_digits(raw: str, expected: str) -> None:
    assert UPN().convert(raw) == expected
