"""Attendance codes (SPEC §5, DfE codes from August 2024 plus the older ones) and their statistical meaning."""

from __future__ import annotations

import re
from enum import StrEnum


class Category(StrEnum):
    """What a session's mark counts as in the attendance statistics."""

    PRESENT = "present"
    APPROVED = "approved"  # approved educational activity: counts as attendance
    AUTHORISED = "authorised"
    UNAUTHORISED = "unauthorised"
    NOT_POSSIBLE = "not_possible"


CODES: dict[str, Category] = {
    "/": Category.PRESENT,
    "\\": Category.PRESENT,
    "L": Category.PRESENT,
    **{code: Category.APPROVED for code in ("K", "V", "P", "W", "B")},
    **{code: Category.AUTHORISED for code in ("C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T")},
    **{code: Category.UNAUTHORISED for code in ("G", "N", "O", "U")},
    **{code: Category.NOT_POSSIBLE for code in ("D", "X", "Q", "Z", "#", *(f"Y{n}" for n in range(1, 8)))},
}
"""The codes in use from August 2024."""

OLD_CODES: dict[str, Category] = {
    "H": Category.AUTHORISED,  # agreed family holiday
    "J": Category.AUTHORISED,  # interview
    "F": Category.AUTHORISED,  # agreed extended family holiday
    "Y": Category.NOT_POSSIBLE,  # enforced closure
}
"""Codes withdrawn in 2024 that older records still show."""

ALL_CODES: dict[str, Category] = {**CODES, **OLD_CODES}
COUNTED = frozenset({Category.PRESENT, Category.APPROVED, Category.AUTHORISED, Category.UNAUTHORISED})
ATTENDED = frozenset({Category.PRESENT, Category.APPROVED})

NO_MARK = frozenset({"", "-", "–", "—", "_", "."})
"""What a cell without a mark looks like."""

_MULTI = sorted((c for c in ALL_CODES if len(c) > 1), key=len, reverse=True)
_TOKEN = re.compile("|".join(re.escape(c) for c in _MULTI) + r"|[A-Z][0-9]?|[^\sA-Za-z0-9]")
_SPACES = re.compile(r"\s+")
_STAT = re.compile(r"^[\d.,]+\s*%?$|^\d+\s*/\s*\d+$")


def normalise_mark(raw: str | None) -> str | None:
    """The code a cell holds, upper-cased and trimmed; None for a cell without a mark."""
    if raw is None:
        return None
    text = _SPACES.sub("", str(raw)).upper()
    text = text.replace("∖", "\\").replace("＼", "\\").replace("⧵", "\\").replace("／", "/")
    if text in NO_MARK:
        return None
    return text


def category(code: str) -> Category | None:
    """The statistical meaning of a code; None when the code is not known."""
    return ALL_CODES.get(code)


def is_stat(raw: str | None) -> bool:
    """True when a cell is a number or percentage (a weekly total printed after the marks)."""
    return raw is not None and bool(_STAT.match(str(raw).strip()))


def split_marks(raw: str | None) -> list[str | None] | None:
    """The marks of a cell holding one or more marks (`/\\`, `I I`, `C1N`); None when it is not marks."""
    if raw is None:
        return []
    text = str(raw).strip()
    if len(text) > 1 and re.search(r"[a-z]{3}", text):
        return None  # a word, not marks (exports print codes in capitals)
    text = text.upper().replace("∖", "\\").replace("＼", "\\")
    if not text:
        return []
    parts = text.split()
    if len(parts) > 1:
        out: list[str | None] = []
        for part in parts:
            sub = split_marks(part)
            if sub is None:
                return None
            out.extend(sub)
        return out
    tokens = _TOKEN.findall(text)
    if "".join(tokens) != text:
        return None
    return [normalise_mark(t) for t in tokens]
