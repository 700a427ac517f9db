"""How values read the desk's pages: dates in words, yes/no, blanks said plainly (escaping is Jinja's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.letters.words import long_date

NOT_GIVEN = "Not given"


def value(raw: Any) -> str:
    """A field's value as an officer reads it."""
    if raw is None or raw == "":
        return NOT_GIVEN
    if isinstance(raw, bool):
        return "Yes" if raw else "No"
    if isinstance(raw, str) and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return long_date(dt.date.fromisoformat(raw))
        except ValueError:
            return raw
    return str(raw)


def day(raw: Any) -> str:
    """A date (or an ISO timestamp's date) in words."""
    if not raw:
        return NOT_GIVEN
    return long_date(str(raw)[:10], missing=NOT_GIVEN)


def when(raw: Any) -> str:
    """A stored timestamp as date and time to the minute."""
    if not raw:
        return ""
    text = str(raw)
    return f"{day(text)} {text[11:16]}".strip()


def label(raw: str) -> str:
    """A state or code in words: `in_provision` → "in provision"."""
    return raw.replace("_", " ").replace("-", " ")
