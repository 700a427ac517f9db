"""Header details of an attendance record (pupil name, UPN, DOB, school, date range) for linking to a case."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from docgen.attendance.cells import (
    MARK_HEADS,
    SESSION_HEADS,
    day_and_session,
    is_date_head,
    norm,
    session_of,
)
from docgen.forms.types import UPN, clean_text, parse_date

Rows = Sequence[Sequence[str | None]]

HEADER_KEYS = ("pupil_name", "pupil_upn", "pupil_dob", "school_name", "period_start", "period_end")

_LABELS: dict[str, tuple[str, ...]] = {
    "name": (
        "pupil name",
        "pupil",
        "name",
        "student",
        "student name",
        "learner",
        "learner name",
        "child",
        "child name",
        "childs name",
        "legal name",
        "full name",
        "pupil full name",
        "name of pupil",
        "name of child",
        "student full name",
        "pupil legal name",
        "name of student",
        "pupil details",
    ),
    "forename": (
        "forename",
        "forenames",
        "first name",
        "first names",
        "legal forename",
        "given name",
        "legal first name",
        "pupil forename",
        "student forename",
    ),
    "surname": ("surname", "last name", "legal surname", "family name", "pupil surname", "student surname"),
    "dob": ("dob", "d o b", "date of birth", "birth date", "birthdate", "pupil dob", "pupil date of birth"),
    "upn": ("upn", "unique pupil number", "pupil upn", "upn number", "student upn"),
    "school": (
        "school",
        "school name",
        "establishment",
        "establishment name",
        "academy",
        "setting",
        "school / academy",
        "base school",
        "registered school",
        "current school",
        "school / setting",
        "name of school",
        "school / establishment",
        "provider",
    ),
    "range": (
        "date range",
        "period",
        "report period",
        "reporting period",
        "dates",
        "date period",
        "attendance period",
        "period covered",
        "report dates",
        "date range of report",
    ),
    "from": ("from", "start date", "from date", "date from", "period start", "report start"),
    "to": ("to", "end date", "to date", "date to", "period end", "report end"),
    "other": (
        "year",
        "year group",
        "yr",
        "nc year",
        "reg group",
        "registration group",
        "form",
        "form group",
        "class",
        "tutor group",
        "gender",
        "sex",
        "age",
        "house",
        "admission number",
        "adno",
        "adm no",
        "preferred name",
        "preferred forename",
        "preferred surname",
        "address",
        "postcode",
        "sen status",
        "fsm",
        "ethnicity",
        "pupil premium",
        "reg",
        "tutor",
    ),
}
_LABEL_OF = {label: key for key, labels in _LABELS.items() for label in labels}
_TEXT_LABELS = sorted(
    (
        label
        for label in _LABEL_OF
        if _LABEL_OF[label] not in {"from", "to"} and len(label) > 3 or label in {"upn", "dob"}
    ),
    key=len,
    reverse=True,
)
_TEXT_LABEL = "|".join(re.escape(label).replace(r"\ ", r"[\s.'’]*") for label in _TEXT_LABELS)
_TEXT_PAIR = re.compile(
    rf"(?i)(?<![\w])({_TEXT_LABEL}|d\.o\.b\.?)\s*[:\-–]\s*(.+?)(?=\s+(?:{_TEXT_LABEL}|d\.o\.b\.?)\s*[:\-–]\s"
    r"|\s+(?:dob|d\.o\.b\.?|upn|date of birth)\s+\d|\t|\s{2,}|$)",
    re.M,
)
_DATE_TOKEN = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4}",
)


def label_key(cell: str | None) -> str | None:
    """The header detail a label cell names (`name`, `dob`, `upn`, …), or None."""
    if not cell:
        return None
    if len(cell) <= _SHORT:  # the same few labels and marks recur in every row: each worked out once
        return _short_label_key(cell)
    return _label_key(cell)


_SHORT = 80


@functools.lru_cache(maxsize=4096)
def _short_label_key(cell: str) -> str | None:
    return _label_key(cell)


def _label_key(cell: str) -> str | None:
    text = cell.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[^a-z0-9/ ]+", " ", text).replace("/", " / ")
    text = re.sub(r"\s+", " ", text).strip(" /")
    return _LABEL_OF.get(text)


def _is_column_heading(cell: str) -> bool:
    """A grid column heading (Date, AM, Session, Mark, Mon …), never a header detail's value."""
    text = norm(cell)
    return (
        is_date_head(cell)
        or text in MARK_HEADS
        or text in SESSION_HEADS
        or session_of(cell) is not None
        or day_and_session(cell, None)[0] is not None
    )


def _pairs_from_column_rows(rows: Rows) -> list[tuple[str, str]]:
    """Details given as columns: a heading row (`Name | UPN | DOB | Date | AM | PM`) and the first row below."""
    pairs: list[tuple[str, str]] = []
    for index, row in enumerate(rows[:-1]):
        keys = [(i, label_key(c)) for i, c in enumerate(row)]
        keys = [(i, k) for i, k in keys if k in {"name", "forename", "surname", "dob", "upn", "school"}]
        if not keys or any(label_key(c) is not None for c in rows[index + 1] if c):
            continue
        below = rows[index + 1]
        for i, key in keys:
            cell = below[i] if i < len(below) else None
            value = clean_text(cell, multiline=False) if cell else ""
            if value and label_key(value) is None and key is not None:
                pairs.append((key, value))
    return pairs


def _pairs_from_rows(rows: Rows) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for row in rows:
        cells = [clean_text(c, multiline=False) if c else "" for c in row]
        labels = sum(1 for c in cells if c and label_key(c) is not None)
        if labels >= 2 and sum(1 for c in cells if c) - labels < labels:
            continue  # a heading row (Name | UPN | DOB | Year): its values are in the row below
        i = 0
        while i < len(cells):
            cell = cells[i]
            key = label_key(cell)
            if key is not None:
                j = i + 1
                while j < len(cells) and not cells[j]:
                    j += 1
                if j < len(cells) and label_key(cells[j]) is None and not _is_column_heading(cells[j]):
                    pairs.append((key, cells[j]))
                    i = j + 1
                    continue
            elif ":" in cell:
                label, _, value = cell.partition(":")
                key = label_key(label)
                if key is not None and value.strip():
                    pairs.append((key, value.strip()))
            i += 1
    return pairs


_BARE_DOB = re.compile(
    r"(?i)\b(?:dob|d\.o\.b\.?|date\s+of\s+birth|birth\s+date)\s*[:\-–]?\s*("
    # a year OCR split at a gap in the print ("03/11/20 12") is the whole year, not "20" and a stray 12
    r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*(?:(?:19|20) \d{2}(?!\d)|\d{2,4})"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{2,4})"
)
_SPLIT_YEAR = re.compile(r"[/.\-]\s*(?:19|20) \d{2}$")
# (its check letter may have been read as no letter: `UPN` puts it right when its digits say which)
_BARE_UPN = re.compile(r"(?i)\bupn\s*[:\-–]?\s*((?:[A-Z]|[0-9£€$|](?=\d{11}[0-9A-Z]\b))[0-9A-Z]{12})\b")
_NAME_WORD = r"[A-Z][A-Za-z'’\-]+"
# "Pupil name   Amelia Thorncroft" on a line of its own: an MIS report's details printed as a borderless
# label/value table, whose text comes out with no colon between them (a name, so capitalised words only)
_BARE_NAME = re.compile(
    rf"^[ \t]*(?i:(?:pupil|student|learner)(?:[ \t]*(?:full[ \t]+|legal[ \t]+)?name)?|"
    rf"child(?:['’]?s)?[ \t]*(?:full[ \t]+|legal[ \t]+)?name|"
    rf"name[ \t]+of[ \t]+(?:pupil|student|child))[ \t]*[:\-–—=|]*[ \t]+"
    rf"({_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{1,3}}|{_NAME_WORD},[ \t]*{_NAME_WORD}(?:[ \t]+{_NAME_WORD})?)[ \t]*$",
    re.M,
)


def _pairs_from_text(text: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for pattern, bare_key in ((_BARE_DOB, "dob"), (_BARE_UPN, "upn")):
        bare = pattern.search(text)
        if bare:
            pairs.append((bare_key, bare.group(1)))
    for m in _TEXT_PAIR.finditer(text):
        label = m.group(1)
        key = "dob" if label.lower().startswith("d.o.b") else label_key(re.sub(r"[\s.'’]+", " ", label))
        value = m.group(2).strip(" ,;|")
        if key == "school" and value[:1].islower():
            continue  # the end of a school's own name ("Riverside School · printed 16/11/2026 from …"), no label
        if key is not None and value:
            pairs.append((key, value))
    return pairs


# a record's title after "Pupil" or "Student" ("Student Attendance Report"), never a name
_TITLE_WORDS = frozenset(["attendance", "report", "record", "records", "summary", "register", "listing", "list",
                          "details", "profile", "history", "information", "statistics", "overview", "absence",
                          "absences", "sessions", "marks", "data", "reference"])


def _bare_name(text: str) -> list[tuple[str, str]]:
    """The name on a "Pupil name  Amelia Thorncroft" line (`_BARE_NAME`), unless its words are labels or
    column headings ("Student Name  UPN  Date  AM  PM": a heading row, not a name)."""
    for m in _BARE_NAME.finditer(text):
        words = re.split(r"[\s,]+", m.group(1))
        if not any(label_key(w) is not None or _is_column_heading(w) or w.lower() in _TITLE_WORDS
                   for w in words if w):
            return [("name", m.group(1))]
    return []


def _swap_comma_name(name: str) -> str:
    """`Okonkwo, Noah` (surname first, as MIS exports print it) → `Noah Okonkwo`."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 2 and all(parts) and not re.search(r"\d", name):
        return f"{parts[1]} {parts[0]}"
    return name


def read_header(rows: Rows, text: str = "") -> tuple[dict[str, Any], list[str]]:
    """Header details from label/value cells and "Label: value" text; null for those not given."""
    found: dict[str, str] = {}
    for key, value in _pairs_from_rows(rows) + _pairs_from_text(text) + _pairs_from_column_rows(rows) + _bare_name(text):
        found.setdefault(key, value)
    warnings: list[str] = []
    fields: dict[str, Any] = dict.fromkeys(HEADER_KEYS)
    name = found.get("name")
    if not name and (found.get("forename") or found.get("surname")):
        name = " ".join(p for p in (found.get("forename"), found.get("surname")) if p)
    if name:
        fields["pupil_name"] = _swap_comma_name(clean_text(name, multiline=False)) or None
    if found.get("upn"):
        try:
            upn = UPN().convert(found["upn"])
            if upn and not upn[0].isalpha():  # a check letter read as no letter, that its digits cannot put right
                raise ValueError(f"{upn!r} does not start with its check letter")
            fields["pupil_upn"] = upn
        except ValueError as exc:
            warnings.append(f"UPN not read: {exc}")
    if found.get("dob"):
        try:
            dob = found["dob"]
            fields["pupil_dob"] = parse_date(re.sub(r"(?<=\d)\s+(?=\d)", "", dob) if _SPLIT_YEAR.search(dob)
                                             else dob).isoformat()
        except ValueError:
            warnings.append("date of birth not read: write it as DD/MM/YYYY")
    if found.get("school"):
        fields["school_name"] = clean_text(found["school"], multiline=False) or None
    dates = _dates(found.get("range", ""))
    start = _dates(found.get("from", ""))[:1] or dates[:1]
    end = _dates(found.get("to", ""))[:1] or dates[1:2]
    if not found.get("range") and not start:
        start, end = _range_in_text(text)
    fields["period_start"] = start[0] if start else None
    fields["period_end"] = end[0] if end else None
    return fields, warnings


def _dates(value: str) -> list[str]:
    out: list[str] = []
    for token in _DATE_TOKEN.findall(value):
        try:
            out.append(parse_date(token).isoformat())
        except ValueError:
            continue
    return out


_RANGE_TEXT = re.compile(
    rf"(?i)\b(?:from|between|period|dates?)\s*:?\s*({_DATE_TOKEN.pattern})\s*(?:to|until|and|-|–|—)\s*({_DATE_TOKEN.pattern})"
)


def _range_in_text(text: str) -> tuple[list[str], list[str]]:
    m = _RANGE_TEXT.search(text)
    if not m:
        return [], []
    return _dates(m.group(1)), _dates(m.group(2))
