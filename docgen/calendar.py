"""School days and weeks from the term-dates file, and the pure date rules of age and school year.

The term-dates file (`docgen/data/term_dates.toml`, `Settings.term_dates`) has one entry per
academic year (1 September – 31 August). A question about a date in a year the file does not have
is a CalendarError naming the file — never a guess. A file that cannot be read is a ConfigError.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.errors import CalendarError, ConfigError

ONE_DAY = dt.timedelta(days=1)
_YEAR_NAME = re.compile(r"^(\d{4})-(\d{2})$")


# --- pure date rules -------------------------------------------------------------------------------


def academic_year_start(d: dt.date) -> int:
    """The calendar year in which the academic year containing `d` began (September–August)."""
    return d.year if d.month >= 9 else d.year - 1


def academic_year_of(d: dt.date) -> str:
    """The academic year containing `d`, written like "2025-26"."""
    first = academic_year_start(d)
    return f"{first}-{(first + 1) % 100:02d}"


def age_on(dob: dt.date, on: dt.date) -> int:
    """Age in whole years on the date `on`."""
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def year_group_on(dob: dt.date, on: dt.date) -> int:
    """National Curriculum year group on `on`: age on the 31 August that starts its academic year, minus 4.

    Reception is 0, Nursery -1; Year 11 is the last year of statutory school age.
    """
    return age_on(dob, dt.date(academic_year_start(on), 8, 31)) - 4


def school_leaving_date(dob: dt.date) -> dt.date:
    """The statutory school leaving date: last Friday of June of the school year in which the pupil turns 16."""
    sixteenth = _birthday(dob, dob.year + 16)
    june_30 = dt.date(academic_year_start(sixteenth) + 1, 6, 30)
    return june_30 - dt.timedelta(days=(june_30.weekday() - 4) % 7)


def _birthday(dob: dt.date, year: int) -> dt.date:
    try:
        return dob.replace(year=year)
    except ValueError:  # 29 February in a common year: the birthday is taken as 1 March
        return dt.date(year, 3, 1)


# --- the term-dates file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Holiday:
    """A named run of weekdays with no school: a half term, a holiday between terms, a closure day."""

    name: str
    start: dt.date
    end: dt.date

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class SchoolWeek:
    """A Monday–Friday week with at least one school day (on or after the date the weeks were asked from)."""

    monday: dt.date
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Term:
    name: str
    start: dt.date
    end: dt.date
    half_term: tuple[dt.date, dt.date] | None


@dataclass(frozen=True)
class AcademicYear:
    """One academic year of the file: its terms, closures and the set of school days they give."""

    name: str
    terms: tuple[Term, ...]
    closures: tuple[Holiday, ...]
    school_days: frozenset[dt.date]


_CACHE: dict[Path, tuple[tuple[int, int], SchoolCalendar]] = {}  # path -> (mtime, size), calendar


class SchoolCalendar:
    """School days of the academic years in one term-dates file."""

    def __init__(self, path: Path, years: dict[int, AcademicYear]) -> None:
        self.path = path
        self.years = years
        self._holidays = _named_holidays(years)

    @classmethod
    def load(cls, path: Path) -> SchoolCalendar:
        """Read a term-dates file (cached per path while it is unchanged); ConfigError when it is not usable."""
        path = path.expanduser().resolve()
        try:
            stat = path.stat()
        except OSError as exc:
            raise ConfigError(f"the term-dates file {path} cannot be read ({exc.strerror}); "
                              "check [calendar] term_dates in docgen.toml") from exc
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = _CACHE.get(path)
        if cached is None or cached[0] != stamp:
            cached = _CACHE[path] = (stamp, cls(path, _parse_file(path)))
        return cached[1]

    # --- days ---

    def covers(self, d: dt.date) -> bool:
        """Whether the file has the academic year of `d`."""
        return academic_year_start(d) in self.years

    def last_day(self) -> dt.date:
        """The last school day the file knows: the end of its last academic year's last term."""
        return max(self.years.values(), key=lambda y: y.name).terms[-1].end

    def _year(self, d: dt.date) -> AcademicYear:
        year = self.years.get(academic_year_start(d))
        if year is None:
            have = ", ".join(y.name for y in self.years.values()) or "none"
            raise CalendarError(
                f"{d.isoformat()} is in the {academic_year_of(d)} school year, which the term-dates file "
                f"{self.path} does not have (it has {have}); add the {academic_year_of(d)} term dates to that file")
        return year

    def is_school_day(self, d: dt.date) -> bool:
        """Whether pupils attend school on `d` (a weekday in term, not in half term, not a closure)."""
        return d in self._year(d).school_days

    def next_school_day(self, d: dt.date) -> dt.date:
        """The first school day on or after `d`."""
        while not self.is_school_day(d):
            d += ONE_DAY
        return d

    def previous_school_day(self, d: dt.date) -> dt.date:
        """The last school day on or before `d`."""
        while not self.is_school_day(d):
            d -= ONE_DAY
        return d

    def school_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Every school day from `start` to `end`, both included."""
        days: list[dt.date] = []
        d = start
        while d <= end:
            if self.is_school_day(d):
                days.append(d)
            d += ONE_DAY
        return days

    def school_weeks(self, start: dt.date) -> Iterator[SchoolWeek]:
        """Monday–Friday weeks from the one containing `start`, counting only school days on or after it.

        Weeks without a school day (holidays) are skipped. The iterator is endless: it raises
        CalendarError when it walks past the last year of the file.
        """
        monday = start - dt.timedelta(days=start.weekday())
        while True:
            days = [d for d in (monday + dt.timedelta(days=i) for i in range(5))
                    if d >= start and self.is_school_day(d)]
            if days:
                yield SchoolWeek(monday, days[0], days[-1])
            monday += dt.timedelta(days=7)

    # --- holidays, for timeline tables ---

    def holidays_in(self, start: dt.date, end: dt.date) -> list[Holiday]:
        """Half terms, holidays between terms and closure days that overlap `start`–`end`, in date order.

        A closure inside a half term or holiday is not listed again; dates are the weekdays of each break.
        """
        return [h for h in self._holidays if h.start <= end and h.end >= start]


def _named_holidays(years: dict[int, AcademicYear]) -> list[Holiday]:
    """Every break of the file as weekday runs, named; closures inside breaks left out."""
    breaks: list[Holiday] = []
    terms = [t for y in sorted(years) for t in years[y].terms]
    for before, after in zip(terms, terms[1:], strict=False):
        breaks.append(_weekday_span(_break_name(before.end), before.end + ONE_DAY, after.start - ONE_DAY))
    for term in terms:
        if term.half_term:
            breaks.append(_weekday_span(f"{term.name.removesuffix(' term')} half term", *term.half_term))
    breaks = [b for b in breaks if b.start <= b.end]
    in_breaks = [c for y in years.values() for c in y.closures
                 if not any(b.start <= c.start and c.end <= b.end for b in breaks)
                 and any(t.start <= c.start <= t.end for t in terms)]
    return sorted(breaks + in_breaks, key=lambda h: (h.start, h.end))


def _break_name(term_end: dt.date) -> str:
    return {12: "Christmas holiday", 3: "Easter holiday", 4: "Easter holiday",
            7: "Summer holiday", 8: "Summer holiday"}.get(term_end.month, "Holiday")


def _weekday_span(name: str, start: dt.date, end: dt.date) -> Holiday:
    while start.weekday() >= 5 and start <= end:
        start += ONE_DAY
    while end.weekday() >= 5 and end >= start:
        end -= ONE_DAY
    return Holiday(name, start, end)


# --- parsing ---------------------------------------------------------------------------------------


def _parse_file(path: Path) -> dict[int, AcademicYear]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"the term-dates file {path} cannot be read ({exc}); fix it") from exc
    entries = data.get("academic_year")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"the term-dates file {path} has no [[academic_year]] entries; "
                          "see the comment at the top of the shipped file for the layout")
    years: dict[int, AcademicYear] = {}
    for entry in entries:
        year = _parse_year(entry, path)
        first = int(year.name[:4])
        if first in years:
            raise ConfigError(f"the term-dates file {path} has {year.name} twice; keep one entry per year")
        years[first] = year
    return years


def _parse_year(entry: Any, path: Path) -> AcademicYear:
    def bad(what: str) -> ConfigError:
        return ConfigError(f"the term-dates file {path}: {what}")

    if not isinstance(entry, dict):
        raise bad("each [[academic_year]] must be a table")
    name = entry.get("year")
    m = _YEAR_NAME.match(name) if isinstance(name, str) else None
    if m is None or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise bad(f'year = {name!r} must be an academic year written like "2025-26"')
    first = int(m.group(1))
    name = m.group(0)
    year_start, year_end = dt.date(first, 9, 1), dt.date(first + 1, 8, 31)
    unknown = set(entry) - {"year", "term", "closure"}
    if unknown:
        raise bad(f"{name}: unknown key(s) {', '.join(sorted(unknown))}; allowed: year, term, closure")

    def date_of(table: dict[str, Any], key: str, where: str) -> dt.date:
        value = table.get(key)
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise bad(f"{name} {where}: {key} must be a date written YYYY-MM-DD (without quotes)")
        if not year_start <= value <= year_end:
            raise bad(f"{name} {where}: {key} {value.isoformat()} is outside the academic year "
                      f"({year_start.isoformat()} to {year_end.isoformat()})")
        return value

    raw_terms = entry.get("term")
    if not isinstance(raw_terms, list) or not raw_terms:
        raise bad(f"{name}: give its terms as [[academic_year.term]] entries")
    terms: list[Term] = []
    for raw in raw_terms:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise bad(f"{name}: every term needs a name")
        where = f"term {raw['name']!r}"
        start, end = date_of(raw, "start", where), date_of(raw, "end", where)
        if end < start:
            raise bad(f"{name} {where}: ends before it starts")
        if terms and start <= terms[-1].end:
            raise bad(f"{name} {where}: starts before the previous term ends; list terms in order")
        half = raw.get("half_term")
        half_term: tuple[dt.date, dt.date] | None = None
        if half is not None:
            if not isinstance(half, list) or len(half) != 2:
                raise bad(f"{name} {where}: half_term must be [first day, last day]")
            half_term = (date_of({"half_term": half[0]}, "half_term", where),
                         date_of({"half_term": half[1]}, "half_term", where))
            if not start < half_term[0] <= half_term[1] < end:
                raise bad(f"{name} {where}: the half term must fall inside the term")
        terms.append(Term(raw["name"], start, end, half_term))

    closures: list[Holiday] = []
    for raw in entry.get("closure", []):
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise bad(f"{name}: every closure needs a name")
        where = f"closure {raw['name']!r}"
        if "date" in raw:
            c_start = c_end = date_of(raw, "date", where)
        else:
            c_start, c_end = date_of(raw, "start", where), date_of(raw, "end", where)
        if c_end < c_start:
            raise bad(f"{name} {where}: ends before it starts")
        closures.append(Holiday(raw["name"], c_start, c_end))

    days: set[dt.date] = set()
    for term in terms:
        d = term.start
        while d <= term.end:
            in_half = term.half_term is not None and term.half_term[0] <= d <= term.half_term[1]
            if d.weekday() < 5 and not in_half and not any(c.start <= d <= c.end for c in closures):
                days.add(d)
            d += ONE_DAY
    return AcademicYear(name, tuple(terms), tuple(closures), frozenset(days))
