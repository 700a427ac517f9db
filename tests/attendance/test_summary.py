"""The SPEC §5 summary: code meanings, attendance %, illness runs, unknown codes."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.attendance import summarise
from docgen.attendance.codes import Category, category, split_marks
from docgen.attendance.summary import attendance_pct, half

MON = dt.date(2026, 1, 5)


def _days(
    *pairs: tuple[str | None, str | None], start: dt.date = MON
) -> dict[dt.date, tuple[str | None, str | None]]:
    """Consecutive weekdays from `start` carrying the given (AM, PM) marks."""
    out: dict[dt.date, tuple[str | None, str | None]] = {}
    day = start
    for pair in pairs:
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        out[day] = pair
        day += dt.timedelta(days=1)
    return out


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("/", Category.PRESENT),
        ("\\", Category.PRESENT),
        ("L", Category.PRESENT),
        ("K", Category.APPROVED),
        ("V", Category.APPROVED),
        ("P", Category.APPROVED),
        ("W", Category.APPROVED),
        ("B", Category.APPROVED),
        ("C", Category.AUTHORISED),
        ("C1", Category.AUTHORISED),
        ("C2", Category.AUTHORISED),
        ("E", Category.AUTHORISED),
        ("I", Category.AUTHORISED),
        ("J1", Category.AUTHORISED),
        ("M", Category.AUTHORISED),
        ("R", Category.AUTHORISED),
        ("S", Category.AUTHORISED),
        ("T", Category.AUTHORISED),
        ("H", Category.AUTHORISED),
        ("J", Category.AUTHORISED),
        ("F", Category.AUTHORISED),
        ("G", Category.UNAUTHORISED),
        ("N", Category.UNAUTHORISED),
        ("O", Category.UNAUTHORISED),
        ("U", Category.UNAUTHORISED),
        ("D", Category.NOT_POSSIBLE),
        ("X", Category.NOT_POSSIBLE),
        ("Q", Category.NOT_POSSIBLE),
        ("Z", Category.NOT_POSSIBLE),
        ("#", Category.NOT_POSSIBLE),
        ("Y", Category.NOT_POSSIBLE),
        *((f"Y{n}", Category.NOT_POSSIBLE) for n in range(1, 8)),
        ("A", None),
        ("Y8", None),
        ("*", None),
    ],
)
def test_code_meanings_follow_spec_section_5(code: str, expected: Category | None) -> None:
    assert category(code) == expected


@pytest.mark.parametrize(
    ("cell", "marks"),
    [
        ("/\\", ["/", "\\"]),
        ("I I", ["I", "I"]),
        ("C1N", ["C1", "N"]),
        ("", []),
        ("-", [None]),
        ("/\\/\\IIII/\\", ["/", "\\", "/", "\\", "I", "I", "I", "I", "/", "\\"]),
        ("Present", None),
    ],
)
def test_split_marks_reads_day_cells(cell: str, marks: list[str | None] | None) -> None:
    assert split_marks(cell) == marks


def test_contract_example_counts() -> None:
    fields, warnings = summarise(_days(("I", "I"), ("/", "\\"), ("I", "I")))
    assert fields["illness_sessions"] == 4
    assert fields["possible_sessions"] == 6
    assert fields["attended_sessions"] == 2
    assert fields["attendance_pct"] == 33.3
    assert fields["illness_days"] == 2
    assert fields["longest_illness_run_days"] == 1
    assert warnings == []


def test_every_category_counted_once() -> None:
    marks = _days(
        ("/", "L"), ("K", "B"), ("C1", "J1"), ("G", "U"), ("D", "#"), ("Y3", "Z"), ("M", "I"), (None, "O")
    )
    fields, warnings = summarise(marks)
    assert fields["attended_sessions"] == 4
    assert fields["authorised_absence_sessions"] == 4
    assert fields["unauthorised_absence_sessions"] == 3
    assert fields["possible_sessions"] == 11
    assert fields["medical_sessions"] == 1
    assert fields["illness_sessions"] == 1
    assert fields["illness_days"] == 0.5
    assert fields["attendance_pct"] == 36.4
    assert fields["first_date"] == "2026-01-05"
    assert fields["last_date"] == "2026-01-14"
    assert warnings == []


def test_old_codes_are_counted_as_policy_says() -> None:
    fields, warnings = summarise(_days(("H", "H"), ("J", "F"), ("Y", "Y"), ("/", "\\")))
    assert fields["authorised_absence_sessions"] == 4
    assert fields["possible_sessions"] == 6
    assert fields["attended_sessions"] == 2
    assert warnings == []


def test_unknown_code_is_a_warning_and_not_counted() -> None:
    fields, warnings = summarise(_days(("A", "/"), ("/", "\\")))
    assert fields["possible_sessions"] == 3
    assert len(warnings) == 1
    assert "'A'" in warnings[0] and "05/01/2026 AM" in warnings[0]


def test_illness_run_skips_weekends_holidays_and_unmarked_days() -> None:
    marks = _days(
        ("I", "I"), ("I", "I"), ("#", "#"), (None, None), ("I", "I"), ("I", "I"), ("X", "Y1"), ("I", "I")
    )
    fields, _ = summarise(marks)
    assert (
        fields["longest_illness_run_days"] == 5
    )  # Mon Tue Fri, Mon Wed: Wed #, Thu unmarked, Tue X/Y1 passed over


@pytest.mark.parametrize(
    ("breaker", "run"),
    [(("I", "M"), 2), (("/", "I"), 2), (("I", None), 2), (("N", "N"), 2), (("I", "I"), 5)],
)
def test_illness_run_broken_by_any_other_possible_day(
    breaker: tuple[str | None, str | None], run: int
) -> None:
    fields, _ = summarise(_days(("I", "I"), ("I", "I"), breaker, ("I", "I"), ("I", "I")))
    assert fields["longest_illness_run_days"] == run


def test_empty_record_has_no_percentage() -> None:
    fields, _ = summarise({})
    assert fields["possible_sessions"] == 0
    assert fields["attendance_pct"] is None
    assert fields["first_date"] is None


@pytest.mark.parametrize(
    ("attended", "possible", "pct"),
    [
        (1, 8, 12.5),
        (1, 16, 6.3),
        (3, 16, 18.8),
        (2, 3, 66.7),
        (1, 40, 2.5),
        (1, 3, 33.3),
        (0, 5, 0.0),
        (5, 5, 100.0),
        (None, 5, None),
        (3, 0, None),
    ],
)
def test_attendance_pct_rounds_half_up(attended: int | None, possible: int, pct: float | None) -> None:
    assert attendance_pct(attended, possible) == pct


def test_half_days_are_int_when_whole() -> None:
    assert half(10) == 5 and isinstance(half(10), int)
    assert half(9) == 4.5
    assert half(None) is None


def test_half_term_and_bank_holiday_record(
    autumn_marks: dict[dt.date, tuple[str | None, str | None]],
) -> None:
    fields, warnings = summarise(autumn_marks)
    assert fields == {
        "possible_sessions": 18,
        "attended_sessions": 7,
        "authorised_absence_sessions": 10,
        "unauthorised_absence_sessions": 1,
        "illness_sessions": 9,
        "medical_sessions": 1,
        "attendance_pct": 38.9,
        "illness_days": 4.5,
        "longest_illness_run_days": 4,
        "first_date": "2025-10-13",
        "last_date": "2025-10-31",
    }
    assert warnings == []


def test_header_reads_the_period_covered() -> None:
    from docgen.attendance.header import read_header

    fields, warnings = read_header([["Date range", "01/09/2025 - 19/12/2025"]], "")
    assert (fields["period_start"], fields["period_end"]) == ("2025-09-01", "2025-12-19")
    fields, _ = read_header([], "Attendance from 01/09/2025 to 19/12/2025")
    assert (fields["period_start"], fields["period_end"]) == ("2025-09-01", "2025-12-19")
    assert warnings == []
