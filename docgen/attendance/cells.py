"""Reading single cells of attendance tables: dates, column headings, marks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from docgen.attendance.codes import is_stat, normalise_mark, split_marks
from docgen.forms.types import clean_text, parse_date

Cell = str | None
Table = Sequence[Sequence[Cell]]
Slot = tuple[int, int | None]  # (weekday 0=Mon … 6=Sun, session 0=AM 1=PM or None for a whole-day cell)


_NOT_HEAD_CHARS = re.compile(r"[^a-z0-9/%#\\ ]+")
_RUN_OF_SPACES = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_WEEKDAY_NOTE = re.compile(r"\s*\((?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\)\s*$", re.I)
_TIME_OF_DAY = re.compile(r"[\sT]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?$", re.I)
_AM_FIRST, _AM_LAST = re.compile(r"(?:am|a m|morning)\b"), re.compile(r"\b(?:am|morning)$")
_PM_FIRST, _PM_LAST = re.compile(r"(?:pm|p m|afternoon)\b"), re.compile(r"\b(?:pm|afternoon)$")


def norm(cell: Cell) -> str:
    """A header cell reduced to lower-case words."""
    if cell is None:
        return ""
    text = str(cell).lower().replace("\n", " ").replace("’", "'")
    text = _NOT_HEAD_CHARS.sub(" ", text)
    return _RUN_OF_SPACES.sub(" ", text).strip()


_WEEK_PREFIX = re.compile(
    r"^(?:w\s*/\s*c|w\s*/\s*b|w\.?\s*c\.?|w\.?\s*b\.?|wk\s*comm\w*|week\s+(?:commencing|beginning|starting|start|of)"
    r"|week\s+\d+|wk\s*\d+|week)\s*[:\-–]?\s*",
    re.I,
)


_DATE_RANGE = re.compile(r"^(\S+(?:\s+\S+\s+\S+)?)\s+(?:-|–|—|to)\s+\S+.*$")


def cell_date(cell: Cell) -> dt.date | None:
    """The date a cell holds (`05/01/2026`, `w/c 05/01/2026`, `Mon 5 Jan 2026`, ISO), or None."""
    if cell is None:
        return None
    day = _cell_date(str(cell))
    if day is None and "\n" in str(cell):  # a narrow printed column wraps "13/1|0/20|25"
        day = _cell_date(re.sub(r"\s*\n\s*", "", str(cell)))
    if day is None and re.fullmatch(r"[\d/.\-]+(?:\s+[\d/.\-]+)+", str(cell).strip()):
        day = _cell_date(re.sub(r"\s+", "", str(cell)))  # the same wrap, its lines joined with spaces
    return day


def _cell_date(cell: str) -> dt.date | None:
    text = clean_text(cell, multiline=False)
    if not text or len(text) > 40 or not _DIGIT.search(text):
        return None
    text = _WEEK_PREFIX.sub("", text)
    text = _WEEKDAY_NOTE.sub("", text)
    text = _TIME_OF_DAY.sub("", text)
    try:
        return parse_date(text)
    except ValueError:
        pass
    m = _DATE_RANGE.match(text)  # "05/01/2026 - 09/01/2026": the week's first date
    if m:
        try:
            return parse_date(m.group(1))
        except ValueError:
            return None
    return None


_DAYS = {
    "mon": 0,
    "monday": 0,
    "mo": 0,
    "m": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "tu": 1,
    "wed": 2,
    "weds": 2,
    "wednesday": 2,
    "we": 2,
    "w": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "th": 3,
    "fri": 4,
    "friday": 4,
    "fr": 4,
    "f": 4,
    "sat": 5,
    "saturday": 5,
    "sa": 5,
    "sun": 6,
    "sunday": 6,
    "su": 6,
}


AM_HEADS = {
    "am",
    "a m",
    "a",
    "morning",
    "am session",
    "am mark",
    "am code",
    "morn",
    "am reg",
    "1",
    "session 1",
    "am marks",
    "morning session",
    "morning mark",
    "am attendance",
    "am register",
    "a.m.",
}


PM_HEADS = {
    "pm",
    "p m",
    "p",
    "afternoon",
    "pm session",
    "pm mark",
    "pm code",
    "aft",
    "pm reg",
    "2",
    "session 2",
    "pm marks",
    "afternoon session",
    "afternoon mark",
    "pm attendance",
    "pm register",
    "p.m.",
}


DATE_HEADS = re.compile(
    r"^(?:date|dates|w/c|wc|w/b|wb|w c|w b|week|week commencing|week beginning|week starting|week start|"
    r"week commencing date|week beginning date|week of|wk comm\w*|w/c date|session date|attendance date|"
    r"monday date|day date|date of session|calendar date|weekcommencing|weekbeginning|weekstarting)$"
)


SESSION_HEADS = {
    "session",
    "am/pm",
    "am / pm",
    "am or pm",
    "period",
    "session type",
    "part of day",
    "sess",
    "time",
    "am pm",
    "registration session",
    "session name",
}


MARK_HEADS = {
    "mark",
    "marks",
    "code",
    "codes",
    "attendance mark",
    "attendance code",
    "register mark",
    "reg mark",
    "mark code",
    "attendance",
    "mark entered",
    "code entered",
    "session mark",
    "attendance marks",
    "register code",
    "marks am pm",
    "am pm marks",
    "am/pm",
    "am / pm",
    "mark (am/pm)",
    "am pm mark",
    "am/pm marks",
    "am / pm marks",
    "mark am pm",
    "day marks",
}


SESSION_HEADS = {norm(h) for h in SESSION_HEADS}


def is_date_head(cell: Cell) -> bool:
    """A column heading for the row's date: Date, w/c, Week commencing, Date (dd/mm/yyyy) …"""
    raw = str(cell or "")
    if "\n" in raw and _is_date_head(re.sub(r"\s*\n\s*", "", raw)):  # "Wee|k|com|men|cing" in a narrow column
        return True
    return _is_date_head(raw)


def _is_date_head(raw: str) -> bool:
    text = norm(re.sub(r"\([^)]*\)", " ", raw))
    if DATE_HEADS.match(text):
        return True
    if "birth" in text or len(text) > 30:
        return False
    return text.startswith(
        ("week comm", "week beg", "week start", "w/c", "w/b", "date ", "session date", "wk comm")
    )


MARK_HEADS = {norm(h) for h in MARK_HEADS}


def session_label(cell: Cell) -> int | None:
    """0/1 for a data cell spelling out AM/PM (`AM`, `Morning`, `p.m.`); single letters are marks, not labels."""
    text = norm(cell)
    if len(text.replace(" ", "")) < 2 or text.isdigit():
        return None
    return session_of(cell)


def session_of(cell: Cell) -> int | None:
    """0 for an AM label, 1 for PM, else None."""
    text = norm(cell)
    if text in AM_HEADS:
        return 0
    if text in PM_HEADS:
        return 1
    if _AM_FIRST.match(text) or _AM_LAST.search(text):
        return 0  # "AM registration", "Session AM"
    if _PM_FIRST.match(text) or _PM_LAST.search(text):
        return 1
    return None


def day_and_session(cell: Cell, previous: int | None) -> tuple[int | None, int | None]:
    """Read `Mon AM`, `Monday (pm)`, `MonAM`, `Tue`, `T` into (weekday, session)."""
    text = norm(cell)
    if not text:
        return None, None
    m = re.fullmatch(r"([a-z]+?)\s*(?:\s|-|_)?\s*(am|pm|a m|p m|morning|afternoon|a|p)?", text)
    if not m:  # the session first: "AM Mon", "Morning (Monday)"
        m = re.fullmatch(r"(?P<s>am|pm|a m|p m|morning|afternoon)\s*(?:\s|-|_)?\s*(?P<w>[a-z]+)", text)
        if not m:
            return None, None
        word, sess = m.group("w"), m.group("s")
    else:
        word, sess = m.group(1), m.group(2)
    if sess is None and word.endswith(("am", "pm")) and word[:-2] in _DAYS and len(word) > 3:
        word, sess = word[:-2], word[-2:]
    if word == "t":  # Tue, or Thu after Wed; Thu's second session ("W W T T") after Thu
        day = 3 if previous in (2, 3) else 1
    elif word == "s":
        day = 6 if previous == 5 else 5
    elif word in _DAYS and (len(word) > 1 or word in {"m", "w", "f"}):
        day = _DAYS[word]
    else:
        return None, None
    session = None if sess is None else (0 if sess in ("am", "a m", "a", "morning") else 1)
    return day, session


def is_mark_head(text: str) -> bool:
    """A (normalised) column heading for the marks: Mark, Code, Attendance code, Marks (AM/PM) …"""
    if text in MARK_HEADS:
        return True
    return bool(re.search(r"\b(?:marks?|codes?)\b", text)) and not re.search(
        r"descr|reason|meaning|comment|minutes", text
    )


def week_label(day: dt.date) -> str:
    """How a reason names a week row: `w/c 05/01/2026`."""
    return f"w/c {day:%d/%m/%Y}"


def monday_of(day: dt.date) -> dt.date:
    """The Monday of the week a row's date names (a Sunday or Saturday w/c means the following Monday)."""
    if day.weekday() >= 5:
        return day + dt.timedelta(days=7 - day.weekday())
    return day - dt.timedelta(days=day.weekday())


def holds_marks(cell: Cell) -> bool:
    """True when a cell holds one or more marks (or `-`), not a weekly total or a word."""
    marks = split_marks(cell)
    return bool(marks) and not is_stat(cell)


def one_mark(cell: Cell) -> str | None:
    """One mark from a cell that may add a description (`I - Illness`, `/ (Present)`)."""
    if cell is None:
        return None
    text = clean_text(str(cell), multiline=False)
    code = normalise_mark(text)
    if code is None or len(code) <= 3:
        return code
    m = re.match(r"^([^\s\-–:(]{1,3})\s*[\-–:(]", text)
    if m:
        return normalise_mark(m.group(1))
    return code


def _is_words(cell: Cell) -> bool:
    """A cell of words (`Half term`, `Bank Holiday`), not marks: a merged note across a holiday."""
    text = clean_text(str(cell or ""), multiline=False)
    return split_marks(text) is None and bool(re.search(r"[A-Za-z][a-z]{2}", text))


def drop_words(cells: Sequence[Cell], label: str, notes: list[str]) -> list[Cell]:
    """Cells with word notes read as no mark, noted once per row."""
    words = sorted({clean_text(str(c), multiline=False)[:30] for c in cells if _is_words(c)})
    if not words:
        return list(cells)
    notes.append(f"{', '.join(repr(w) for w in words)} in the row for {label} read as no mark")
    return [None if _is_words(c) else c for c in cells]


_YEARLESS = re.compile(
    r"^(?:(?:w\s*/\s*c|w\s*/\s*b|week\s+(?:commencing|beginning|starting))\s*:?\s*)?"
    r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s*[\s/.\-]\s*(\d{1,2}|[a-z]{3,9})\.?$",
    re.I,
)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def yearless_date(cell: Cell, academic_start: int) -> dt.date | None:
    """A date printed without its year (`05/01`, `Mon 5 Jan`), placed in the academic year starting `academic_start`."""
    m = _YEARLESS.match(clean_text(str(cell or ""), multiline=False))
    if not m:
        return None
    month_text = m.group(2).lower()
    month = (
        int(month_text)
        if month_text.isdigit()
        else (_MONTHS.index(month_text[:3]) + 1 if month_text[:3] in _MONTHS else 0)
    )
    if not 1 <= month <= 12:
        return None
    try:
        return dt.date(academic_start if month >= 8 else academic_start + 1, month, int(m.group(1)))
    except ValueError:
        return None
