"""Say which required answers of a form could not be read, and why, so a person can key them in (SPEC §10).

`docgen extract --json` lists one warning per required field (of the document's kind, required given the
other answers) that came back blank or unreadable, in plain words:

    not read pupil_surname: 'Surname' — the question was not found in the document; key it in by hand from
    the original

The reasons: the question (its label) was not found; it was found but its answer is blank; the answer is
there but cannot be read (two boxes ticked, a date that is not a date); OCR read it with low confidence.
The `not read ` prefix keeps these apart from `FormSchema.convert`'s `invalid ` warnings, which rules read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from docgen.forms.schema import INVALID_PREFIX, Field, FormSchema
from docgen.read.labels import RawField, matcher_for

UNREAD_PREFIX = "not read "
_KEY_IN = "key it in by hand from the original"
_TICKED = re.compile(r"[☒☑■⊠✓✔✗✘]|\[\s*[xX✓✔]\s*\]")


def unread_warnings(schema: FormSchema, raws: Iterable[RawField], values: Mapping[str, Any],
                    problems: Iterable[str], seen: set[str]) -> list[str]:
    """One plain warning per required field left without a value, naming it and saying why."""
    unreadable = _invalid_reasons(problems)
    matcher = matcher_for(schema)
    answers: dict[str, list[Any]] = {}
    for raw in raws:
        found = matcher.match_any(raw.labels)
        if found is not None:
            answers.setdefault(found.key, []).append(raw.value)
    out: list[str] = []
    for f in schema.missing(dict(values)):
        out.append(unread_warning(f, _why(f, unreadable, answers.get(f.key, []), f.key in seen)))
    return out


def unread_warning(f: Field, why: str) -> str:
    return f"{UNREAD_PREFIX}{f.key}: '{f.label}' — {why}; {_KEY_IN}"


def low_confidence_warnings(schema: FormSchema, values: Mapping[str, Any], confidence: Mapping[str, int],
                            minimum: int) -> list[str]:
    """Required answers that OCR read, but with a confidence under `minimum` (SPEC §16)."""
    return [unread_warning(f, f"OCR read it with only {confidence[f.key]}% confidence; check it against the page")
            for f in schema.fields
            if f.key in confidence and confidence[f.key] < minimum and values.get(f.key) is not None
            and f.is_required(dict(values))]


def _why(f: Field, unreadable: dict[str, str], answers: list[Any], seen: bool) -> str:
    if f.key in unreadable:
        return f"the answer is there but cannot be read ({unreadable[f.key]})"
    if any(isinstance(a, str) and len(_TICKED.findall(a)) >= 2 for a in answers):
        return "more than one option is ticked, so the answer is not clear"
    if not seen:
        return "the question was not found in the document"
    return "the question is there but its answer is blank"


def _invalid_reasons(problems: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for warning in problems:
        if warning.startswith(INVALID_PREFIX):
            parts = warning[len(INVALID_PREFIX):].split(":", 2)
            out[parts[0].strip()] = parts[2].strip() if len(parts) > 2 else "not in the expected form"
    return out
