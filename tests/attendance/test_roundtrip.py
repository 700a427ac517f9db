"""Round trips: any marks written by the sample writers read back to the same summary."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.attendance import ALL_CODES, read_attendance, summarise
from docgen.samples.attendance import write_herringbone, write_session_csv

Marks = dict[dt.date, tuple[str | None, str | None]]

_MARK = st.one_of(st.none(), st.sampled_from([*sorted(ALL_CODES), "A", "*", "Y9"]))


@st.composite
def school_marks(draw: st.DrawFn) -> Marks:
    """Marks on weekdays of a few consecutive weeks from a Monday in 2025/26."""
    monday = dt.date(2025, 9, 1) + dt.timedelta(weeks=draw(st.integers(0, 40)))
    weeks = draw(st.integers(1, 4))
    days = [monday + dt.timedelta(weeks=w, days=d) for w in range(weeks) for d in range(5)]
    return {day: (draw(_MARK), draw(_MARK)) for day in days}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks=school_marks(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_herringbone_round_trip(marks: Marks, fmt: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_herringbone(Path(folder) / f"grid.{fmt}", fmt, marks)  # type: ignore[arg-type]
        extraction = read_attendance(path)
    expected, warnings = summarise(marks)
    assert {key: extraction.fields[key] for key in expected} == expected
    if any(am or pm for am, pm in marks.values()):
        assert extraction.warnings == warnings
    else:
        assert extraction.warnings == [
            "the attendance record has no marks in it; ask the school for the completed record"
        ]


@settings(max_examples=25, deadline=None)
@given(marks=school_marks())
def test_session_list_round_trip(marks: Marks) -> None:
    if not any(am or pm for am, pm in marks.values()):
        marks[min(marks)] = ("/", "\\")
    with tempfile.TemporaryDirectory() as folder:
        path = write_session_csv(Path(folder) / "list.csv", marks, header={"Pupil name": "Testy Example"})
        extraction = read_attendance(path)
    expected, _ = summarise(marks)
    assert {key: extraction.fields[key] for key in expected} == expected
    assert extraction.fields["pupil_name"] == "Testy Example"
