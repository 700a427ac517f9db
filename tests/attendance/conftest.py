"""Fixtures for attendance tests: invented marks."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def autumn_marks() -> dict[dt.date, tuple[str | None, str | None]]:
    """Three weeks with a half-term week between, a bank holiday Monday, an illness run over the holiday.

    w/c 2025-10-13: Mon–Wed present, Thu–Fri ill (I I)
    w/c 2025-10-20: half term (#) all week
    w/c 2025-10-27: Mon bank holiday (#), Tue–Wed ill, Thu I + M, Fri / N
    """
    marks: dict[dt.date, tuple[str | None, str | None]] = {}
    week1 = dt.date(2025, 10, 13)
    for offset, pair in enumerate([("/", "\\"), ("/", "\\"), ("L", "\\"), ("I", "I"), ("I", "I")]):
        marks[week1 + dt.timedelta(days=offset)] = pair
    for offset in range(5):
        marks[dt.date(2025, 10, 20) + dt.timedelta(days=offset)] = ("#", "#")
    week3 = dt.date(2025, 10, 27)
    for offset, pair in enumerate([("#", "#"), ("I", "I"), ("I", "I"), ("I", "M"), ("/", "N")]):
        marks[week3 + dt.timedelta(days=offset)] = pair
    return marks
