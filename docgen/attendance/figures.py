"""Summary-only attendance reports: "Possible sessions: 120 … Attendance: 52.5%" and per-code count tables."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from docgen.attendance.codes import ALL_CODES, ATTENDED, COUNTED, Category, normalise_mark
from docgen.attendance.summary import attendance_pct, half
from docgen.forms.types import clean_text

Table = Sequence[Sequence[str | None]]

# a figure is read whole (its digits possessive: never "9" of "98" when what follows it is refused), and not when
# another figure follows it ("1 36": OCR's digits left apart) — unless that is its share of the possible sessions
# printed in a column beside it ("98   100.0%", "18 18.4%")
_NUMBER = (r"\s*(?:\((?:sessions?|no\.?|number|count|(?:incl|inc|including|excl|exc|excluding)\b[^()\d%]{0,30}|[1l|])\))?\s*(?:sessions?)?\s*[:=\-–]?\s*(\d++(?:\.\d++)?)\s*(%)?"
           r"(?![\d/.\-]\d)(?![ \t]+\d(?!\d{0,2}(?:\.\d+)?\s*%))")
_FIGURES: tuple[tuple[str, str], ...] = (
    (
        "illness_days",
        r"(?:illness\s+days|days\s+(?:of\s+)?illness|days\s+(?:absent|lost|missed)\s+(?:through|due\s+to|to|for|from)\s+"
        r"illness)",
    ),
    (
        "possible_sessions",
        r"(?:total\s+)?(?:number\s+of\s+)?(?:possible(?:\s+(?:sessions?|marks|attendances?))?|sessions?\s+possible)"
        r"|total\s+sessions|sessions\s+in\s+(?:the\s+)?period",
    ),
    (
        "missed_sessions",
        r"(?:sessions?\s+missed|missed\s+sessions?|total\s+absences?|absences?\s+total|sessions?\s+absent)",
    ),
    (
        "attended_sessions",
        r"(?:(?:sessions?\s+)?attended(?:\s+sessions?)?|attendance\s+sessions|sessions\s+present|"
        r"attendances?\s*\(\s*sessions?\s*\)|"
        r"present\s*(?:\+|and|&|incl\.?|including)\s*(?:aea|approved(?:\s+educational)?\s+activit(?:y|ies)))",
    ),
    (
        "approved_sessions",
        r"(?:approved\s+educational\s+activit(?:y|ies)|\baea\b|approved\s+activit(?:y|ies))",
    ),
    ("present_sessions", r"(?:present(?:\s+sessions?)?|presents?)(?!\s*(?:\+|and|&|incl))"),
    ("unauthorised_absence_sessions", r"unauthori[sz]ed(?:\s+absences?)?(?:\s+sessions?)?"),
    ("authorised_absence_sessions", r"(?<!un)authori[sz]ed(?:\s+absences?)?(?:\s+sessions?)?"),
    (
        "illness_sessions",
        r"(?:illness(?:\s*\(\s*i\s*\))?(?:\s+sessions?)?(?:\s*\(\s*i\s*\))?|\bcode\s+i\b|\bi\s*[-–]\s*illness|"
        r"authori[sz]ed\s+absences?\s*\(\s*illness\s*\)|"  # "Authorised absence (illness): 22"
        # code I's own description in a table of codes whose code cell OCR lost (a lone "I" in a box)
        # ("IIness", "IIIness": its "ll", or the lost "I" beside it, read as capital I's)
        r"[il1|]{2,4}ness\s*\(\s*not\s+medical[a-z ]{0,40}(?:\bappointments?\s*\))?)",
    ),
    (
        "medical_sessions",
        r"(?:(?<!not\s)medical(?:\s*/\s*dental|\s+or\s+dental|\s+and\s+dental|\s*&\s*dental)?(?:\s+appointments?)?"
        r"(?:\s*\(\s*m\s*\))?(?:\s+sessions?)?|\bcode\s+m\b|\bm\s*[-–]\s*medical(?:\s*/\s*dental)?(?:\s+appointments?)?"
        r"|authori[sz]ed\s+absences?\s*\(\s*medical(?:\s*/\s*dental)?(?:\s+appointments?)?\s*\))",
    ),
)
_COMPILED = [(key, re.compile(rf"(?<![a-z])(?:{pattern}){_NUMBER}", re.I)) for key, pattern in _FIGURES]
_PCT = re.compile(
    r"(?<![a-z])(?:overall\s+|total\s+|cumulative\s+)?(?:%\s*attendance|percentage\s+(?:of\s+)?attendance|"
    r"percentage(?:\s+present)?(?=\s*[:=])|%\s*present|present\s*%|overall\s*%|attendance\s*(?:\(\s*%\s*\)|%|percentage|rate|perc\.?)?)"
    r"\s*[:=\-–]?\s*(\d{1,3}(?:\.\d+)?)\s*(%)?(?![\d/.\-]\d)",
    re.I,
)
_PCT_LABELLED = re.compile(r"%|percentage|rate|perc", re.I)
_CODE_LINE = re.compile(r"^\s*([A-Z][0-9]?|[#/\\])\s+(?:[-–:]\s*)?[A-Za-z][A-Za-z ,()/'’&-]*?\s+(\d+)\s*$")


_BARE_COUNT = re.compile(r"^\W{0,3}(?:[A-Z][0-9]?\W{0,2}\s+)?(\d+)$")  # ": 82", "I 82": a count on its own line
_WRAPPED = re.compile(r"^[a-z(][^\d%]*\s\d+$")  # "appointments) 82": a label's second line, its count beside it
_ENDS_IN_NUMBER = re.compile(r"\d\s*%?$")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*%?")  # a cell holding a figure alone ("82", "91.5 %")
_DIGIT = re.compile(r"\d")


def _joined_wraps(lines: list[str]) -> list[str]:
    """A table row whose label wrapped onto two lines, as a page's text (or OCR) gives it: its count on the
    label's second line or on a line of its own between them ("Illness (not medical or dental" / ": 82" /
    "appointments)"). The label's first line with that count, as one more line."""
    out: list[str] = []
    for first, second in zip(lines, lines[1:], strict=False):
        if not first or _ENDS_IN_NUMBER.search(first) or not re.search(r"[A-Za-z]{3}", first):
            continue
        if (bare := _BARE_COUNT.match(second)) is not None:
            out.append(f"{first} {bare.group(1)}")
        elif _WRAPPED.match(second):
            out.append(f"{first} {second}")
    return out


def _lines(tables: Sequence[Table], text: str) -> list[str]:
    """Text lines plus table rows rendered as "label: value" (including header-row / value-row pairs), then
    rows whose label wrapped (`_joined_wraps`)."""
    lines = [clean_text(line, multiline=False) for line in text.splitlines()]
    lines += _joined_wraps(lines)
    for table in tables:
        rows = [[clean_text(str(c), multiline=False) if c is not None else "" for c in row] for row in table]
        for i, row in enumerate(rows):
            cells = [c for c in row if c]
            lines.append(": ".join(cells))
            if i + 1 < len(rows):
                below = rows[i + 1]
                numeric = [c for c in below if _FIGURE.fullmatch(c)]
                if len(numeric) >= 2 and sum(1 for c in row if c and not _DIGIT.search(c)) >= 2:
                    lines.extend(
                        f"{head}: {value}" for head, value in zip(row, below, strict=False) if head and value
                    )
    return [line for line in lines if line]


def read_figures(tables: Sequence[Table], text: str) -> dict[str, Any]:
    """The figures a summary report states; keys of the SPEC §5 summary plus present/approved/illness_days."""
    found: dict[str, Any] = {}
    for line in _lines(tables, text):
        for key, pattern in _COMPILED:
            if key in found:
                continue
            for m in pattern.finditer(line):
                value, percent = m.group(1), m.group(2)
                # "Illness: 15 days", "Days lost to illness: 15": a day is two sessions
                in_days = re.match(r"\s*(?:school\s+)?days?\b", line[m.end() :], re.I) is not None or (
                    key != "illness_days" and re.search(r"\bdays?\b", line[: m.start()], re.I) is not None)
                if percent or ("." in value and key != "illness_days" and not in_days):
                    continue
                if key == "illness_days":
                    found[key] = float(value)
                elif in_days:  # "Illness: 15 days" — a day is two sessions
                    found[key] = round(float(value) * 2)
                else:
                    found[key] = int(value)
                break
        if "attendance_pct" not in found:
            for m in _PCT.finditer(line):
                label = m.group(0)[: m.start(1) - m.start(0)]
                labelled = m.group(2) or _PCT_LABELLED.search(label) or "." in m.group(1)
                if labelled and float(m.group(1)) <= 100:
                    found["attendance_pct"] = float(m.group(1))
                    break
        if "possible_sessions" not in found and "attended_sessions" not in found \
                and re.search(r"attend", line, re.I) and "%" in line \
                and (of := _OF_POSSIBLE.search(line)) is not None and int(of.group(1)) <= int(of.group(2)):
            found["attended_sessions"], found["possible_sessions"] = int(of.group(1)), int(of.group(2))
    return found


# "Attendance: 34.6% (47 of 136 sessions)", "Attended 47 out of 136 possible sessions (34.6%)": on a line of
# attendance with its % only, never a letter's "seen at 3 of 4 sessions"
_OF_POSSIBLE = re.compile(r"(?<![\d/.])(\d++)\s+(?:out\s+)?of\s+(\d++)\s+(?:possible\s+)?sessions\b", re.I)


def code_counts(tables: Sequence[Table], text: str) -> dict[str, int]:
    """Per-code session counts from a code table (`I | Illness | 30`) or text lines (`I Illness 30`)."""
    counts: dict[str, int] = {}
    for table in tables:
        for row in table:
            cells = [clean_text(str(c), multiline=False) for c in row if c is not None and str(c).strip()]
            if len(cells) < 2:
                continue
            code = normalise_mark(cells[0])
            if (
                code in ALL_CODES
                and re.fullmatch(r"\d+", cells[-1])
                and not any(re.search(r"\d{1,2}/\d", c) for c in cells)
            ):
                counts[code] = counts.get(code, 0) + int(cells[-1])
    if len(counts) < 2:
        counts = {}
        for line in text.splitlines():
            m = _CODE_LINE.match(line)
            if m and normalise_mark(m.group(1)) in ALL_CODES:
                code = normalise_mark(m.group(1)) or ""
                counts[code] = counts.get(code, 0) + int(m.group(2))
        if len(counts) < 3:
            return {}
    return counts


def summary_from_counts(counts: dict[str, int]) -> dict[str, Any]:
    """The SPEC §5 summary keys that per-code counts establish (no dates, so no run or first/last date).

    Only a table that counts attendance too (a present or approved-activity code: `/`, `L`, `K`, …) is the
    whole of the record, from which possible and attended sessions and the % follow. An "absence by code"
    table lists absences only: it gives the illness (I) and medical (M) sessions, never a possible total
    (its sum is the absences, not the sessions) nor an attendance of 0."""
    by_category = dict.fromkeys(Category, 0)
    for code, n in counts.items():
        by_category[ALL_CODES[code]] += n
    whole = any(ALL_CODES[code] in ATTENDED for code in counts)
    possible = sum(by_category[c] for c in COUNTED) if whole else None
    attended = sum(by_category[c] for c in ATTENDED) if whole else None
    illness = counts.get("I", 0)
    return {
        "possible_sessions": possible,
        "attended_sessions": attended,
        "authorised_absence_sessions": by_category[Category.AUTHORISED] if whole else None,
        "unauthorised_absence_sessions": by_category[Category.UNAUTHORISED] if whole else None,
        "illness_sessions": illness,
        "medical_sessions": counts.get("M", 0),
        "attendance_pct": attendance_pct(attended, possible),
        "illness_days": half(illness),
        "longest_illness_run_days": None,
        "first_date": None,
        "last_date": None,
    }


DOUBTFUL = 50
"""The confidence of a scanned summary's figures when they contradict each other (under any [ocr] min_confidence)."""
CONFLICT_NOTE = "the report states "
"""How a warning of `stated_over_counts` starts: R-DATA-UNCERTAIN names the record for a person to check."""

_COMPARED = ("possible_sessions", "attended_sessions", "authorised_absence_sessions",
             "unauthorised_absence_sessions", "illness_sessions", "medical_sessions", "attendance_pct")


def stated_over_counts(stated: dict[str, Any], counted: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A summary report's stated figures, completed from its per-code table where they say nothing; a
    stated figure the table contradicts (beyond the rounding of a %) stays the stated one and is named in a
    warning, so a person checks it with the school rather than docgen picking one silently."""
    summary = dict(stated)
    warnings: list[str] = []
    for key, value in counted.items():
        if summary.get(key) is None:
            summary[key] = value
    for key in _COMPARED:
        said, table = stated.get(key), counted.get(key)
        if said is None or table is None:
            continue
        if abs(float(said) - float(table)) > (0.1 + 1e-9 if key == "attendance_pct" else 0):
            unit = "%" if key == "attendance_pct" else ""
            warnings.append(
                f"{CONFLICT_NOTE}{key.replace('_pct', '').replace('_', ' ')} {said:g}{unit} but its table of codes adds up to "
                f"{table:g}{unit}; the stated figure is used: check the record with the school"
            )
    return summary, warnings


_NAMES = {"possible_sessions": "possible sessions", "attended_sessions": "sessions attended",
          "authorised_absence_sessions": "authorised absences", "unauthorised_absence_sessions": "unauthorised absences",
          "missed_sessions": "sessions missed", "illness_sessions": "illness sessions",
          "medical_sessions": "medical sessions", "illness_days": "days of illness"}


def disagreements(figures: dict[str, Any]) -> list[str]:
    """Warnings (starting `CONFLICT_NOTE`) where a summary's stated figures do not hold together: possible
    sessions are attended plus absences, the % is attended over possible (to its last printed decimal),
    illness and medical sessions are among the authorised absences and none exceeds the possible. A figure
    misread (a digit lost or misrecognised) breaks one of these, so no figure of such a summary is trusted."""
    stated = {key: float(value) for key, value in figures.items() if value is not None}
    if "attended_sessions" not in stated and "present_sessions" in stated:  # present + approved activity
        stated["attended_sessions"] = stated["present_sessions"] + stated.get("approved_sessions", 0.0)
    if "attended_sessions" not in stated and "possible_sessions" in stated and "attendance_pct" in stated:
        # attended as the summary's reader works it out, from possible less absences: its % must agree too
        for keys in (("missed_sessions",), ("authorised_absence_sessions", "unauthorised_absence_sessions")):
            if all(k in stated for k in keys):
                stated["attended_sessions"] = stated["possible_sessions"] - sum(stated[k] for k in keys)
                break
    out: list[str] = []

    def named(*keys: str) -> str:
        return " + ".join(f"{_NAMES[k]} {stated[k]:g}" for k in keys)

    def adds_up(total: str, parts: tuple[str, ...]) -> None:
        if total in stated and all(k in stated for k in parts) and stated[total] != sum(stated[k] for k in parts):
            out.append(f"{named(total)}, but {named(*parts)} make {sum(stated[k] for k in parts):g}")

    adds_up("possible_sessions", ("attended_sessions", "authorised_absence_sessions", "unauthorised_absence_sessions"))
    adds_up("possible_sessions", ("attended_sessions", "missed_sessions"))
    possible, attended, pct = (stated.get(k) for k in ("possible_sessions", "attended_sessions", "attendance_pct"))
    if possible and attended is not None and pct is not None:
        exact = attended * 100 / possible
        if abs(pct - exact) >= (1.0 if pct.is_integer() else 0.1) - 1e-9:
            out.append(f"attendance {pct:g}%, but {attended:g} of {possible:g} possible sessions is {exact:.1f}%")
    absent = tuple(k for k in ("illness_sessions", "medical_sessions") if k in stated)
    if absent and "authorised_absence_sessions" in stated \
            and sum(stated[k] for k in absent) > stated["authorised_absence_sessions"]:
        out.append(f"{named(*absent)}, more than {named('authorised_absence_sessions')}")
    over = tuple(k for k in _NAMES if k not in ("possible_sessions", "illness_days") and k in stated
                 and possible is not None and stated[k] > possible)
    if over:
        out.append(f"{named(*over)}, more than {named('possible_sessions')}")
    if "illness_days" in stated and "illness_sessions" in stated \
            and stated["illness_days"] * 2 != stated["illness_sessions"]:
        out.append(f"{named('illness_days')}, but {named('illness_sessions')} (two sessions a day)")
    return [f"{CONFLICT_NOTE}{what}: its figures do not agree with each other, so one may be misread; check them "
            "against the page or with the school" for what in out]
