"""Decide a document's kind (SPEC §2.1) from its form fields, its title and its wording.

Order of evidence: AcroForm fields that mostly match one form's keys; the title near the
top (the earliest title found wins, so a referral form that mentions the "Health
Information Form" in its notes stays a referral); how many of each form's labels the
document carries; then the shape of a letter. Attendance records are recognised by
`docgen.attendance` (the caller asks it when no form title decided).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from docgen.forms import FORMS
from docgen.kinds import FORM_KINDS, KINDS, Kind

# every kind's title patterns, from the kinds registry (a form's from its schema)
_TITLES: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile("|".join(info.title_patterns))) for kind, info in KINDS.items() if info.title_patterns)

_SENDER = re.compile(r"\bnhs\b|foundation trust|\btrust\b|hospital|\bclinic\b|camhs|cypmhs|surgery|medical practice"
                     r"|health ?centre|paediatric|department of|consultant|\bdr\.? [a-z]|\bgp\b|community health"
                     r"|school nurs|health visitor|child development centre|mental health", re.I)
_LETTER = re.compile(r"^\s*dear\b|yours (?:sincerely|faithfully)|kind regards|best wishes|\bre:\s|to whom it may concern",
                     re.I | re.M)
_CLINICAL = re.compile(r"diagnos|treatment|medication|symptom|clinic|appointment|examin|assessment|prescri|therapy"
                       r"|condition|referr|reviewed|follow[- ]up|consultant|fatigue|anxiety|epilep|diabet|surgery"
                       r"|disorder|panic|low mood|depress|illness|unwell|pain|syndrome|disease|migraine|arthritis"
                       r"|crohn|asthma|infection|injur|mental health|autis|trauma|seizure",
                       re.I)
_SALUTATION = re.compile(r"^\s*(dear\b|to whom it may concern)", re.I | re.M)
_SUBJECT = re.compile(r"^\s*(re|subject|regarding|ref)\b\s*[:\-]?", re.I)


@dataclass(frozen=True)
class Classification:
    """A document's kind, what decided it, and for `unknown` the reason."""

    kind: Kind
    decided_by: str = ""  # "fields", "title", "labels", "letter" or "" (undecided)
    reason: str | None = None


def title_kind(text: str) -> tuple[Kind, int] | None:
    """The kind named by the first title-like (short) line, else by the title found earliest in `text`;
    with its position; None when no title is there."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][:40]
    position = 0
    for n, line in enumerate(lines):
        if len(line) <= 90:
            window = line if n + 1 >= len(lines) or len(lines[n + 1]) > 90 else f"{line} {lines[n + 1]}"
            found = _earliest(window)
            if found is not None and found[1] < len(line) + 1:
                return found[0], position
        position += len(line) + 1
    return _earliest(text)


def _earliest(text: str) -> tuple[Kind, int] | None:
    low = re.sub(r"\s+", " ", text.lower().replace("’", "'").replace("—", " ").replace("–", " "))
    best: tuple[Kind, int] | None = None
    for kind, pattern in _TITLES:
        m = pattern.search(low)
        if m and (best is None or m.start() < best[1]):
            best = (kind, m.start())
    protocol, consent = low.find("joint medical protocol"), low.find("consent form")
    if protocol >= 0 and consent >= 0 and (best is None or min(protocol, consent) < best[1]):
        health = low.find("health information form")
        if health < 0 or health > consent:
            best = (Kind.JMP_CONSENT, min(protocol, consent))
    return best


def _a_question_of(form: str, kind: Kind) -> bool:
    """Whether a kind's title is the wording of one of a form's questions."""
    labels = [re.sub(r"\s+", " ", label.lower()) for f in FORMS[form].fields for label in f.labels]
    return any(pattern.search(label) for k, pattern in _TITLES if k is kind for label in labels)


def letter_about(text: str, kind: Kind) -> bool:
    """Whether a letter only mentions a document kind (advises updating the Individual Healthcare Plan) rather
    than being one: the title is not a heading above its salutation (a "Re:" line is the letter's subject)."""
    if not looks_like_letter(text):
        return False
    salutation = _SALUTATION.search(text[:4000])
    if salutation is None:
        return True
    headings = "\n".join(line for line in text[: salutation.start()].splitlines() if not _SUBJECT.match(line))
    found = _earliest(headings)
    return found is None or found[0] is not kind


def best_form(scores: Mapping[str, int], *, minimum: int) -> str | None:
    """The form kind with the most matched labels (ties: the larger share of its form), at least `minimum`."""
    ranked = sorted(((n, n / len(FORMS[k].fields), k) for k, n in scores.items() if k in FORM_KINDS), reverse=True)
    if not ranked or ranked[0][0] < minimum:
        return None
    if len(ranked) > 1 and ranked[1][:2] == ranked[0][:2]:
        return None
    return ranked[0][2]


def looks_like_letter(text: str) -> bool:
    """A letter from a health-service sender: salutation or sign-off, a health sender, clinical wording."""
    head = text[:1500]
    letter = len(_LETTER.findall(text[:20000]))
    sender = len(_SENDER.findall(head)) + len(_SENDER.findall(text[-1500:]))
    clinical = len({m.group(0).lower()[:6] for m in _CLINICAL.finditer(text[:20000])})
    return letter >= 1 and sender >= 1 and clinical >= 2


def classify(head: str, text: str, *, field_scores: Mapping[str, int], label_scores: Mapping[str, int],
             field_count: int, fit_note: bool = False, label_minimum: int = 6) -> Classification:
    """Decide the kind from form fields, the title near the top, the labels carried, and letter shape."""
    if field_count:
        kind = best_form(field_scores, minimum=3)
        if kind and field_scores[kind] * 2.5 >= min(field_count, 40):
            return Classification(Kind(kind), "fields")
    found = title_kind(head)
    if found is not None and found[0].value not in FORM_KINDS and letter_about(text, found[0]):
        found = None  # a clinician's letter about a plan, not the plan
    if found is not None and found[0].value not in FORM_KINDS \
            and (by_labels := best_form(label_scores, minimum=label_minimum)) is not None \
            and _a_question_of(by_labels, found[0]):
        # a page of a form's questions whose first page came as another file (a photo a page): the "title" is
        # one of them ("Individual healthcare plan (if appropriate)" on a referral's checklist), not a heading
        found = None
    if found is not None:
        kind = found[0]
        if kind.value not in FORM_KINDS or label_scores.get(kind.value, 0) >= 3 or not looks_like_letter(text):
            return Classification(kind, "title")
    if fit_note:
        return Classification(Kind.FIT_NOTE, "title")
    if field_count:
        kind = best_form(field_scores, minimum=3)
        if kind:
            return Classification(Kind(kind), "fields")
    kind_by_labels = best_form(label_scores, minimum=label_minimum)
    anywhere = title_kind(text[:4000])
    if anywhere is not None and anywhere[0].value in FORM_KINDS and label_scores.get(anywhere[0].value, 0) >= 4:
        return Classification(anywhere[0], "title")
    if kind_by_labels and not looks_like_letter(text):
        return Classification(Kind(kind_by_labels), "labels")
    if anywhere is not None and anywhere[0].value not in FORM_KINDS and not letter_about(text, anywhere[0]):
        return Classification(anywhere[0], "title")
    if looks_like_letter(text):
        return Classification(Kind.MEDICAL_LETTER, "letter")
    return Classification(Kind.UNKNOWN, "", "no form title, form labels or letter layout recognised")
