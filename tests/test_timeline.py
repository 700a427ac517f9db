"""The 12-school-week timeline (SPEC §7): weeks, milestones and the end, checked date by date.

Every expected table below was worked out by hand from the Norfolk term dates of SPEC §7.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.calendar import Holiday, SchoolCalendar
from docgen.cli import group
from docgen.config import DEFAULT_TERM_DATES
from docgen.errors import CalendarError
from docgen.timeline import EndReason, Timeline, compute, next_period

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal() -> SchoolCalendar:
    return SchoolCalendar.load(DEFAULT_TERM_DATES)


def weeks_of(timeline: Timeline) -> list[tuple[str, str]]:
    return [(w.start.isoformat(), w.end.isoformat()) for w in timeline.weeks]


def expect(timeline: Timeline, *, start: str, weeks: list[tuple[str, str]], review_week: int | None,
           plan_due: str | None, continuation_due: str | None, end: str, reason: str) -> None:
    assert timeline.to_json() == {
        "start": start,
        "weeks": [{"number": n, "start": s, "end": e} for n, (s, e) in enumerate(weeks, start=1)],
        "review_week": review_week,
        "review_plan_due": plan_due,
        "continuation_due": continuation_due,
        "provision_end": end,
        "end_reason": reason,
    }


SPRING_2026 = [  # from Mon 12 Jan 2026: spring half term 16-20 Feb and Easter 30 Mar-10 Apr skipped
    ("2026-01-12", "2026-01-16"), ("2026-01-19", "2026-01-23"), ("2026-01-26", "2026-01-30"),
    ("2026-02-02", "2026-02-06"), ("2026-02-09", "2026-02-13"), ("2026-02-23", "2026-02-27"),
    ("2026-03-02", "2026-03-06"), ("2026-03-09", "2026-03-13"), ("2026-03-16", "2026-03-20"),
    ("2026-03-23", "2026-03-27"), ("2026-04-13", "2026-04-17"), ("2026-04-20", "2026-04-24"),
]


def test_the_spec_example(cal: SchoolCalendar) -> None:
    timeline = compute(cal, D("2026-01-12"))
    expect(timeline, start="2026-01-12", weeks=SPRING_2026, review_week=6, plan_due="2026-03-06",
           continuation_due="2026-04-24", end="2026-04-24", reason="weeks")
    assert timeline.holidays == (Holiday("Spring half term", D("2026-02-16"), D("2026-02-20")),
                                 Holiday("Easter holiday", D("2026-03-30"), D("2026-04-10")))
    assert timeline.review_meeting is not None
    assert (timeline.review_meeting.start, timeline.review_meeting.end) == (D("2026-02-23"), D("2026-02-27"))


# (requested start, start used, weeks, review plan due, end)
FULL_PERIODS = [
    pytest.param("2025-10-15", "2025-10-15", [  # mid-week start, autumn half term and Christmas
        ("2025-10-15", "2025-10-17"), ("2025-10-20", "2025-10-24"), ("2025-11-03", "2025-11-07"),
        ("2025-11-10", "2025-11-14"), ("2025-11-17", "2025-11-21"), ("2025-11-24", "2025-11-28"),
        ("2025-12-01", "2025-12-05"), ("2025-12-08", "2025-12-12"), ("2025-12-15", "2025-12-19"),
        ("2026-01-05", "2026-01-09"), ("2026-01-12", "2026-01-16"), ("2026-01-19", "2026-01-23"),
    ], "2025-12-05", "2026-01-23", id="autumn-half-term-and-christmas"),
    pytest.param("2025-10-29", "2025-11-03", [  # asked for in half term
        ("2025-11-03", "2025-11-07"), ("2025-11-10", "2025-11-14"), ("2025-11-17", "2025-11-21"),
        ("2025-11-24", "2025-11-28"), ("2025-12-01", "2025-12-05"), ("2025-12-08", "2025-12-12"),
        ("2025-12-15", "2025-12-19"), ("2026-01-05", "2026-01-09"), ("2026-01-12", "2026-01-16"),
        ("2026-01-19", "2026-01-23"), ("2026-01-26", "2026-01-30"), ("2026-02-02", "2026-02-06"),
    ], "2025-12-19", "2026-02-06", id="start-in-half-term"),
    pytest.param("2026-02-14", "2026-02-23", [  # a Saturday before half term; Easter, bank holiday, half term
        ("2026-02-23", "2026-02-27"), ("2026-03-02", "2026-03-06"), ("2026-03-09", "2026-03-13"),
        ("2026-03-16", "2026-03-20"), ("2026-03-23", "2026-03-27"), ("2026-04-13", "2026-04-17"),
        ("2026-04-20", "2026-04-24"), ("2026-04-27", "2026-05-01"), ("2026-05-05", "2026-05-08"),
        ("2026-05-11", "2026-05-15"), ("2026-05-18", "2026-05-22"), ("2026-06-01", "2026-06-05"),
    ], "2026-04-24", "2026-06-05", id="start-on-a-weekend"),
    pytest.param("2026-05-04", "2026-05-05", [  # a bank holiday; across the summer into 2026-27
        ("2026-05-05", "2026-05-08"), ("2026-05-11", "2026-05-15"), ("2026-05-18", "2026-05-22"),
        ("2026-06-01", "2026-06-05"), ("2026-06-08", "2026-06-12"), ("2026-06-15", "2026-06-19"),
        ("2026-06-22", "2026-06-26"), ("2026-06-29", "2026-07-03"), ("2026-07-06", "2026-07-10"),
        ("2026-07-13", "2026-07-17"), ("2026-09-01", "2026-09-04"), ("2026-09-07", "2026-09-11"),
    ], "2026-06-26", "2026-09-11", id="start-on-a-bank-holiday-over-the-summer"),
    pytest.param("2027-03-04", "2027-03-04", [  # Thursday start; spring term ends on a Thursday; Easter 2027
        ("2027-03-04", "2027-03-05"), ("2027-03-08", "2027-03-12"), ("2027-03-15", "2027-03-19"),
        ("2027-03-22", "2027-03-25"), ("2027-04-12", "2027-04-16"), ("2027-04-19", "2027-04-23"),
        ("2027-04-26", "2027-04-30"), ("2027-05-04", "2027-05-07"), ("2027-05-10", "2027-05-14"),
        ("2027-05-17", "2027-05-21"), ("2027-05-24", "2027-05-28"), ("2027-06-07", "2027-06-11"),
    ], "2027-04-30", "2027-06-11", id="easter-2027"),
    pytest.param("2026-12-19", "2027-01-04", [  # a Saturday at the start of the Christmas holiday
        ("2027-01-04", "2027-01-08"), ("2027-01-11", "2027-01-15"), ("2027-01-18", "2027-01-22"),
        ("2027-01-25", "2027-01-29"), ("2027-02-01", "2027-02-05"), ("2027-02-08", "2027-02-12"),
        ("2027-02-22", "2027-02-26"), ("2027-03-01", "2027-03-05"), ("2027-03-08", "2027-03-12"),
        ("2027-03-15", "2027-03-19"), ("2027-03-22", "2027-03-25"), ("2027-04-12", "2027-04-16"),
    ], "2027-02-26", "2027-04-16", id="start-in-christmas-holiday"),
]


@pytest.mark.parametrize(("asked", "used", "weeks", "plan_due", "end"), FULL_PERIODS)
def test_full_twelve_week_periods(cal: SchoolCalendar, asked: str, used: str, weeks: list[tuple[str, str]],
                                  plan_due: str, end: str) -> None:
    expect(compute(cal, D(asked)), start=used, weeks=weeks, review_week=6, plan_due=plan_due,
           continuation_due=end, end=end, reason="weeks")


SUMMER_2026 = [
    ("2026-04-13", "2026-04-17"), ("2026-04-20", "2026-04-24"), ("2026-04-27", "2026-05-01"),
    ("2026-05-05", "2026-05-08"), ("2026-05-11", "2026-05-15"), ("2026-05-18", "2026-05-22"),
    ("2026-06-01", "2026-06-05"), ("2026-06-08", "2026-06-12"), ("2026-06-15", "2026-06-19"),
    ("2026-06-22", "2026-06-26"), ("2026-06-29", "2026-07-03"), ("2026-07-06", "2026-07-10"),
]


def test_year_11_pupil_is_capped_at_the_school_leaving_date(cal: SchoolCalendar) -> None:
    # Turns 16 on 1 July 2026: leaves on the last Friday of June 2026, 26 June (end of week 10).
    expect(compute(cal, D("2026-04-13"), dob=D("2010-07-01")), start="2026-04-13", weeks=SUMMER_2026[:10],
           review_week=6, plan_due="2026-06-05", continuation_due=None, end="2026-06-26",
           reason="school_leaving_date")


@pytest.mark.parametrize(("dob", "weeks", "end", "reason"), [
    ("2010-08-31", 10, "2026-06-26", "school_leaving_date"),  # 16 on 31 Aug 2026: leaves June 2026
    ("2010-09-01", 12, "2026-07-10", "weeks"),                # 16 on 1 Sep 2026: leaves June 2027
])
def test_31_august_and_1_september_birthdays(cal: SchoolCalendar, dob: str, weeks: int, end: str,
                                            reason: str) -> None:
    timeline = compute(cal, D("2026-04-13"), dob=D(dob))
    assert weeks_of(timeline) == SUMMER_2026[:weeks]
    assert (timeline.provision_end, timeline.end_reason) == (D(end), EndReason(reason))


def test_leaving_date_before_the_review_nulls_the_milestones(cal: SchoolCalendar) -> None:
    expect(compute(cal, D("2026-05-18"), dob=D("2010-07-01")), start="2026-05-18", weeks=SUMMER_2026[5:10],
           review_week=None, plan_due=None, continuation_due=None, end="2026-06-26",
           reason="school_leaving_date")


def test_leaving_date_on_a_closure_day_ends_on_the_school_day_before(tmp_path: Path) -> None:
    path = tmp_path / "term_dates.toml"
    path.write_text(DEFAULT_TERM_DATES.read_text(encoding="utf-8") + (
        '\n[[academic_year.closure]]\nname = "INSET day"\ndate = 2027-06-25\n'), encoding="utf-8")
    timeline = compute(SchoolCalendar.load(path), D("2027-06-07"), dob=D("2010-09-01"))
    assert weeks_of(timeline) == [("2027-06-07", "2027-06-11"), ("2027-06-14", "2027-06-18"),
                                  ("2027-06-21", "2027-06-24")]
    assert (timeline.provision_end, timeline.end_reason) == (D("2027-06-24"), EndReason.SCHOOL_LEAVING_DATE)
    # back on the closure day: both caps end provision on Thu 24 June, and the statutory reason is named
    same = compute(SchoolCalendar.load(path), D("2027-06-07"), dob=D("2010-09-01"), expected_return=D("2027-06-25"))
    assert (same.provision_end, same.end_reason) == (D("2027-06-24"), EndReason.SCHOOL_LEAVING_DATE)
    sooner = compute(SchoolCalendar.load(path), D("2027-06-07"), dob=D("2010-09-01"),
                     expected_return=D("2027-06-24"))
    assert (sooner.provision_end, sooner.end_reason) == (D("2027-06-23"), EndReason.EXPECTED_RETURN)


def test_a_pupil_past_school_leaving_age_cannot_start(cal: SchoolCalendar) -> None:
    with pytest.raises(CalendarError, match="school leaving date"):
        compute(cal, D("2026-01-12"), dob=D("2009-05-01"))


@pytest.mark.parametrize(("back", "weeks", "end", "plan_due"), [
    ("2026-03-04", SPRING_2026[:6] + [("2026-03-02", "2026-03-03")], "2026-03-03", None),  # back on a Wednesday
    ("2026-03-02", SPRING_2026[:6], "2026-02-27", None),                    # back on a Monday
    ("2026-03-09", SPRING_2026[:7], "2026-03-06", "2026-03-06"),            # plan due on the last day
    ("2026-04-13", SPRING_2026[:10], "2026-03-27", "2026-03-06"),           # back after Easter
    ("2026-04-24", SPRING_2026[:11] + [("2026-04-20", "2026-04-23")], "2026-04-23", "2026-03-06"),
])
def test_expected_return_sooner_than_twelve_weeks(cal: SchoolCalendar, back: str, weeks: list[tuple[str, str]],
                                                  end: str, plan_due: str | None) -> None:
    expect(compute(cal, D("2026-01-12"), expected_return=D(back)), start="2026-01-12", weeks=weeks,
           review_week=6, plan_due=plan_due, continuation_due=None, end=end, reason="expected_return")


def test_expected_return_just_after_the_period_changes_nothing(cal: SchoolCalendar) -> None:
    timeline = compute(cal, D("2026-01-12"), expected_return=D("2026-04-27"))
    assert (timeline.provision_end, timeline.end_reason) == (D("2026-04-24"), EndReason.WEEKS)


def test_expected_return_far_ahead_needs_no_term_dates_beyond_the_period(cal: SchoolCalendar) -> None:
    timeline = compute(cal, D("2026-01-12"), expected_return=D("2031-01-06"), dob=D("2015-01-01"))
    assert timeline.provision_end == D("2026-04-24")


def test_returning_before_the_start_is_an_error(cal: SchoolCalendar) -> None:
    with pytest.raises(CalendarError, match="no provision period"):
        compute(cal, D("2026-01-12"), expected_return=D("2026-01-12"))


@pytest.mark.parametrize(("weeks", "review_week", "plan_due", "end"), [
    (6, 3, "2026-02-06", "2026-02-27"),
    (5, 3, "2026-02-06", "2026-02-13"),
    (2, 1, "2026-01-23", "2026-01-23"),
    (1, 1, None, "2026-01-16"),
])
def test_other_period_lengths(cal: SchoolCalendar, weeks: int, review_week: int, plan_due: str | None,
                              end: str) -> None:
    expect(compute(cal, D("2026-01-12"), weeks=weeks), start="2026-01-12", weeks=SPRING_2026[:weeks],
           review_week=review_week, plan_due=plan_due, continuation_due=end, end=end, reason="weeks")


def test_an_agreed_continuation_starts_the_next_school_day(cal: SchoolCalendar) -> None:
    first = compute(cal, D("2026-01-12"), dob=D("2014-03-03"))
    expect(next_period(cal, first), start="2026-04-27", weeks=[
        ("2026-04-27", "2026-05-01"), ("2026-05-05", "2026-05-08"), ("2026-05-11", "2026-05-15"),
        ("2026-05-18", "2026-05-22"), ("2026-06-01", "2026-06-05"), ("2026-06-08", "2026-06-12"),
        ("2026-06-15", "2026-06-19"), ("2026-06-22", "2026-06-26"), ("2026-06-29", "2026-07-03"),
        ("2026-07-06", "2026-07-10"), ("2026-07-13", "2026-07-17"), ("2026-09-01", "2026-09-04"),
    ], review_week=6, plan_due="2026-06-19", continuation_due="2026-09-04", end="2026-09-04", reason="weeks")


def test_a_continuation_is_still_capped_and_cannot_follow_the_leaving_date(cal: SchoolCalendar) -> None:
    first = compute(cal, D("2026-01-12"), dob=D("2010-07-01"))
    second = next_period(cal, first)
    assert (second.start, second.provision_end, second.end_reason) == (
        D("2026-04-27"), D("2026-06-26"), EndReason.SCHOOL_LEAVING_DATE)
    with pytest.raises(CalendarError, match="school leaving date"):
        next_period(cal, second)


def test_a_period_running_past_the_file_is_an_error_naming_it(cal: SchoolCalendar) -> None:
    with pytest.raises(CalendarError) as caught:
        compute(cal, D("2027-07-01"))
    assert str(DEFAULT_TERM_DATES) in str(caught.value)
    assert "2027-28" in str(caught.value)


def test_timeline_command_json(home: Path) -> None:
    result = CliRunner().invoke(group, ["--home", str(home), "timeline", "--start", "12/01/2026", "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    assert data["weeks"][5] == {"number": 6, "start": "2026-02-23", "end": "2026-02-27"}
    assert (data["review_week"], data["review_plan_due"], data["provision_end"], data["end_reason"]) == (
        6, "2026-03-06", "2026-04-24", "weeks")


def test_timeline_command_table_shows_holidays_and_milestones(home: Path) -> None:
    result = CliRunner().invoke(group, ["timeline", "--home", str(home), "--start", "2026-04-04",
                                        "--dob", "2010-07-01"])
    assert result.exit_code == 0, result.output
    assert "Sat 4 Apr 2026 is not a school day" in result.output
    assert "Early May bank holiday: Mon 4 May 2026" in result.output
    assert "Summer half term: Mon 25 May 2026 – Fri 29 May 2026" in result.output
    assert "   7  Mon 1 Jun 2026   Fri 5 Jun 2026   review plan due" in result.output
    assert "Provision ends:          Fri 26 Jun 2026 (statutory school leaving date)" in result.output


def test_timeline_command_outside_the_file_exits_1_naming_it(home: Path) -> None:
    docgen = Path(sys.executable).with_name("docgen")
    done = subprocess.run([str(docgen), "--home", str(home), "timeline", "--start", "2027-09-06", "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "term_dates.toml" in done.stderr
    assert "2027-28" in done.stderr
    assert done.stdout == ""


@settings(max_examples=150, deadline=None)
@given(start=st.dates(dt.date(2025, 9, 1), dt.date(2027, 3, 31)),
       back_after=st.one_of(st.none(), st.integers(1, 120)),
       dob=st.one_of(st.none(), st.dates(dt.date(2009, 6, 1), dt.date(2012, 8, 31))))
def test_any_period_covers_exactly_the_school_days_to_its_end(start: dt.date, back_after: int | None,
                                                              dob: dt.date | None) -> None:
    cal = SchoolCalendar.load(DEFAULT_TERM_DATES)
    back = None if back_after is None else start + dt.timedelta(days=back_after)
    try:
        timeline = compute(cal, start, dob=dob, expected_return=back)
    except CalendarError:  # leaving date or return before the start: nothing to lay out
        assert (back is not None and back <= cal.next_school_day(start)) or dob is not None
        return
    covered = [d for w in timeline.weeks for d in cal.school_days(w.start, w.end)]
    assert covered == cal.school_days(timeline.start, timeline.provision_end)
    mondays = [w.start - dt.timedelta(days=w.start.weekday()) for w in timeline.weeks]
    assert all(w.end - m <= dt.timedelta(days=4) for w, m in zip(timeline.weeks, mondays, strict=True))
    assert len(set(mondays)) == len(mondays) <= 12
    if back is not None:
        assert timeline.provision_end < back
    last = timeline.weeks[-1]
    ran_full_period = len(timeline.weeks) == 12 and last.end == last.last_school_day
    assert ran_full_period == (timeline.end_reason is EndReason.WEEKS)
    assert (timeline.continuation_due is not None) == (timeline.end_reason is EndReason.WEEKS)
