"""School calendar: the shipped Norfolk term dates, school days and weeks, age rules, file errors.

Expected dates are worked out by hand from the term dates of SPEC §7, not by the code under test.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from docgen.calendar import (
    Holiday,
    SchoolCalendar,
    SchoolWeek,
    academic_year_of,
    school_leaving_date,
    year_group_on,
)
from docgen.config import DEFAULT_TERM_DATES
from docgen.errors import CalendarError, ConfigError

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> SchoolCalendar:
    return SchoolCalendar.load(DEFAULT_TERM_DATES)


@pytest.mark.parametrize(("day", "expected"), [
    ("2025-09-02", False),  # Tuesday before the autumn term
    ("2025-09-03", True),   # first day of 2025-26
    ("2025-10-24", True),
    ("2025-10-27", False),  # autumn half term
    ("2025-10-31", False),
    ("2025-11-03", True),
    ("2025-12-19", True),   # last day of autumn term
    ("2025-12-22", False),  # Christmas holiday
    ("2026-01-05", True),
    ("2026-02-16", False),  # spring half term
    ("2026-03-07", False),  # a Saturday in term
    ("2026-03-27", True),
    ("2026-04-06", False),  # Easter Monday, in the holiday
    ("2026-04-13", True),
    ("2026-05-04", False),  # early May bank holiday
    ("2026-05-05", True),
    ("2026-05-25", False),  # spring bank holiday, in half term
    ("2026-06-01", True),
    ("2026-07-17", True),
    ("2026-07-20", False),  # summer holiday
    ("2026-08-31", False),  # summer bank holiday
    ("2026-09-01", True),   # first day of 2026-27
    ("2026-10-30", False),
    ("2026-12-18", True),
    ("2026-12-28", False),
    ("2027-01-04", True),
    ("2027-02-19", False),
    ("2027-03-25", True),   # spring term 2027 ends on a Thursday
    ("2027-03-26", False),  # Good Friday
    ("2027-05-03", False),
    ("2027-06-04", False),
    ("2027-06-07", True),
    ("2027-07-21", True),
    ("2027-07-22", False),
])
def test_school_days_of_the_shipped_years(cal: SchoolCalendar, day: str, expected: bool) -> None:
    assert cal.is_school_day(D(day)) is expected


@pytest.mark.parametrize(("day", "expected"), [
    ("2026-03-27", "2026-03-27"),  # already a school day
    ("2026-02-14", "2026-02-23"),  # Saturday before half term
    ("2026-05-04", "2026-05-05"),  # bank holiday
    ("2025-12-20", "2026-01-05"),  # Christmas
    ("2026-07-18", "2026-09-01"),  # summer, into the next year of the file
    ("2027-03-26", "2027-04-12"),  # Good Friday 2027
])
def test_next_school_day(cal: SchoolCalendar, day: str, expected: str) -> None:
    assert cal.next_school_day(D(day)) == D(expected)


def test_school_days_between_dates(cal: SchoolCalendar) -> None:
    assert cal.school_days(D("2026-05-01"), D("2026-05-08")) == [
        D("2026-05-01"), D("2026-05-05"), D("2026-05-06"), D("2026-05-07"), D("2026-05-08")]


def test_school_weeks_skip_holiday_weeks_and_start_mid_week(cal: SchoolCalendar) -> None:
    weeks = cal.school_weeks(D("2026-02-11"))
    assert [next(weeks) for _ in range(3)] == [
        SchoolWeek(D("2026-02-09"), D("2026-02-11"), D("2026-02-13")),
        SchoolWeek(D("2026-02-23"), D("2026-02-23"), D("2026-02-27")),
        SchoolWeek(D("2026-03-02"), D("2026-03-02"), D("2026-03-06")),
    ]
    easter = cal.school_weeks(D("2027-03-22"))
    assert [next(easter) for _ in range(2)] == [
        SchoolWeek(D("2027-03-22"), D("2027-03-22"), D("2027-03-25")),
        SchoolWeek(D("2027-04-12"), D("2027-04-12"), D("2027-04-16")),
    ]


def test_holidays_in_a_range_are_named_weekday_spans(cal: SchoolCalendar) -> None:
    assert cal.holidays_in(D("2026-01-01"), D("2026-06-30")) == [
        Holiday("Christmas holiday", D("2025-12-22"), D("2026-01-02")),
        Holiday("Spring half term", D("2026-02-16"), D("2026-02-20")),
        Holiday("Easter holiday", D("2026-03-30"), D("2026-04-10")),
        Holiday("Early May bank holiday", D("2026-05-04"), D("2026-05-04")),
        Holiday("Summer half term", D("2026-05-25"), D("2026-05-29")),
    ]


@pytest.mark.parametrize(("dob", "on", "expected"), [
    ("2014-08-31", "2025-09-10", 7),   # the youngest of Year 7 in 2025-26
    ("2014-09-01", "2025-09-10", 6),   # one day younger: a year below
    ("2014-09-01", "2026-08-31", 6),   # 31 August is still the same academic year
    ("2014-09-01", "2026-09-01", 7),   # 1 September starts the next
    ("2020-09-01", "2025-09-03", 0),   # Reception
    ("2020-08-31", "2025-09-03", 1),
    ("2021-09-01", "2025-09-03", -1),  # Nursery age
    ("2009-08-31", "2026-03-02", 12),  # post-16
    ("2009-09-01", "2026-03-02", 11),
    ("2010-08-31", "2026-03-02", 11),
    ("2012-02-29", "2026-03-02", 9),  # leap-day birthday
])
def test_year_group_on(dob: str, on: str, expected: int) -> None:
    assert year_group_on(D(dob), D(on)) == expected


@pytest.mark.parametrize(("dob", "expected"), [
    ("2010-08-31", "2026-06-26"),  # turns 16 on 31 Aug 2026: school year 2025-26
    ("2010-09-01", "2027-06-25"),  # turns 16 on 1 Sep 2026: school year 2026-27
    ("2011-02-28", "2027-06-25"),
    ("2008-02-29", "2024-06-28"),  # 30 June 2024 was a Sunday
    ("2007-01-15", "2023-06-30"),  # 30 June 2023 was itself a Friday
])
def test_school_leaving_date(dob: str, expected: str) -> None:
    assert school_leaving_date(D(dob)) == D(expected)


@pytest.mark.parametrize(("day", "expected"), [
    ("2025-09-01", "2025-26"), ("2026-08-31", "2025-26"), ("2026-09-01", "2026-27"), ("1999-12-01", "1999-00"),
])
def test_academic_year_of(day: str, expected: str) -> None:
    assert academic_year_of(D(day)) == expected


@pytest.mark.parametrize("day", ["2027-09-01", "2025-08-29", "2030-01-07"])
def test_a_date_outside_the_file_names_the_file_and_the_year_to_add(cal: SchoolCalendar, day: str) -> None:
    with pytest.raises(CalendarError) as caught:
        cal.is_school_day(D(day))
    message = str(caught.value)
    assert str(DEFAULT_TERM_DATES) in message
    assert f"add the {academic_year_of(D(day))} term dates" in message


def test_walking_past_the_last_year_is_an_error(cal: SchoolCalendar) -> None:
    with pytest.raises(CalendarError, match="2027-28"):
        cal.next_school_day(D("2027-07-22"))


SMALL_YEAR = """
[[academic_year]]
year = "2030-31"
[[academic_year.term]]
name = "Autumn term"
start = 2030-09-02
end = 2030-12-20
half_term = [2030-10-28, 2030-11-01]
[[academic_year.closure]]
name = "INSET days"
start = 2030-09-02
end = 2030-09-03
"""


def test_an_edited_file_is_read_again_and_multi_day_closures_count(tmp_path: Path) -> None:
    path = tmp_path / "term_dates.toml"
    path.write_text(SMALL_YEAR, encoding="utf-8")
    first = SchoolCalendar.load(path)
    assert SchoolCalendar.load(path) is first  # cached while unchanged
    assert first.next_school_day(D("2030-09-01")) == D("2030-09-04")
    path.write_text(SMALL_YEAR.replace("end = 2030-09-03", "end = 2030-09-02"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert SchoolCalendar.load(path).next_school_day(D("2030-09-01")) == D("2030-09-03")


@pytest.mark.parametrize(("text", "complaint"), [
    ("[[academic_year]\nyear = ", "cannot be read"),
    ("title = 'no years'\n", "no [[academic_year]]"),
    (SMALL_YEAR.replace('"2030-31"', '"2030-32"'), "2025-26"),
    (SMALL_YEAR.replace("start = 2030-09-02\nend = 2030-12-20", 'start = "2030-09-02"\nend = 2030-12-20'),
     "YYYY-MM-DD"),
    (SMALL_YEAR.replace("2030-10-28", "2030-12-28"), "half term must fall inside"),
    (SMALL_YEAR.replace("end = 2030-12-20", "end = 2031-09-20"), "outside the academic year"),
    (SMALL_YEAR + SMALL_YEAR, "twice"),
    (SMALL_YEAR.replace('name = "INSET days"\n', ""), "needs a name"),
])
def test_a_broken_file_is_a_config_error_naming_it(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "broken_term_dates.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        SchoolCalendar.load(path)
    assert str(path) in str(caught.value)
    assert complaint in str(caught.value)


def test_a_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="term_dates"):
        SchoolCalendar.load(tmp_path / "nowhere" / "term_dates.toml")
