"""Check one submission against the policy (SPEC §6) and report it as `docgen check --json` prints it.

`check_submission` judges documents already read; `read_submission` reads the paths an officer
gives (files, folders, emails, zips) into those documents. Nothing is written anywhere but a
private temporary folder for unpacked attachments, removed afterwards.

Decisions where the spec leaves room (each is conservative: a rule fires on what a document says):
* a file that cannot be opened at all → R-FORM-INVALID (missing): the officer asks for a readable copy;
* a document with no text layer (scanned) → R-DATA-MATCH (review): it cannot be linked or read, and
  it may be the missing evidence or attendance record, so R-DOCS-*/R-CONT-DOCS wait for the coordinator;
* only a fit note → R-EVID-FITNOTE alone (not also R-DOCS-EVIDENCE / R-CONT-DOCS);
* no referral or continuation form → kind "unknown", outcome review, no rule run.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen.calendar import SchoolCalendar
from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.forms import FORMS
from docgen.kinds import MAIN_KINDS, UNOPENED, Extraction, Kind, Method, Reading
from docgen.read.letter import is_fit_note, letter_fields
from docgen.rules import Finding, Severity, Submission, Unreadable, run
from docgen.rules.identity import identity_differences
from docgen.rules.scans import unread_pages

OUTCOMES = ("accepted", "incomplete", "review", "not_accepted")
PUPIL_KEYS = {
    "forename": "pupil_forename",
    "surname": "pupil_surname",
    "dob": "pupil_dob",
    "upn": "pupil_upn",
    "year_group": "pupil_year_group",
    "school_name": "school_name",
}
BUNDLE_SUFFIXES = {".eml", ".msg", ".zip"}
LETTER_LIKE = 0.3  # a "form" answering fewer of its required questions than this may be a letter quoting its title


@dataclass
class CheckResult:
    """The outcome of checking one submission."""

    outcome: str
    kind: str
    pupil: dict[str, Any]
    findings: list[Finding]
    documents: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `docgen check --json` shape of SPEC §10, exactly."""
        return {
            "outcome": self.outcome,
            "kind": self.kind,
            "pupil": self.pupil,
            "findings": [f.to_json() for f in self.findings],
            "documents": self.documents,
        }


def outcome_of(findings: Sequence[Finding], kind: str, *, pages_unread: bool = False) -> str:
    """SPEC §6: ineligible → not_accepted; else missing → incomplete; else review → review; else accepted.

    Without a referral or continuation form there is nothing to accept or refuse: review (SPEC §6).
    When pages of the main form's scan were not read, an answer that looks missing may be on them:
    the case goes to a person to key them in (SPEC §16), never to a request saying they were blank.
    """
    severities = {f.severity for f in findings}
    if kind == "unknown":
        return "review"
    if Severity.INELIGIBLE in severities:
        return "not_accepted"
    if pages_unread:
        return "review"
    if Severity.MISSING in severities:
        return "incomplete"
    if Severity.REVIEW in severities:
        return "review"
    return "accepted"


def unreadable_extraction(path: Path, error: ExtractionError) -> Extraction:
    """Stand-in for a file that could not be read: kind unknown, the reason kept for the report."""
    return Extraction(path, Kind.UNKNOWN, Method.TEXT, {}, [f"{error.code.value}: {error.message}"],
                      UNOPENED)


def check_submission(extractions: Sequence[Extraction], *, today: dt.date,
                     calendar: SchoolCalendar | None = None, min_confidence: int = 80) -> CheckResult:
    """Judge a submission's documents together: every finding of every rule that applies.

    The main form is the referral (else the continuation request) with the most answers. A document that
    could not be read at all (see `unreadable_extraction`) is reported under R-FORM-INVALID so that
    the officer asks for a readable copy; it never passes silently.
    """
    extractions = settle_main_forms(extractions)
    judged = joined_pages(extractions)
    main = next((found for kind in MAIN_KINDS if (found := _fullest(judged, kind)) is not None), None)
    readable = [e for e in judged if e.status is not Reading.UNOPENED]
    unreadable = [Unreadable(e.file.name, _plain_reason(e)) for e in extractions if e.status is Reading.UNOPENED]
    sub = Submission(main=main, supporting=[e for e in readable if e is not main], today=today,
                     calendar=calendar, unreadable=unreadable, min_confidence=min_confidence)
    findings = run(sub)
    if main is None:  # no form to check fields on: still report the unreadable files and unread scans (§16)
        findings += list(_unreadable_findings(sub))
        findings += list(_unread_scan_findings(sub))
    pupil = {name: (main.fields.get(key) if main else None) for name, key in PUPIL_KEYS.items()}
    documents = [{"file": str(e.file), "kind": e.kind.value} for e in extractions]
    pages_unread = main is not None and (bool(unread_pages(main)) or main.status is Reading.SCAN_UNREADABLE)
    return CheckResult(outcome_of(findings, sub.kind, pages_unread=pages_unread), sub.kind, pupil, findings,
                       documents)


def _answered(e: Extraction) -> float:
    """The share of its form's required questions that a form-kind document answers."""
    schema = FORMS.get(e.kind.value)
    if schema is None:
        return 0.0
    required = [f for f in schema.fields if f.required]
    return sum(e.fields.get(f.key) is not None for f in required) / max(len(required), 1)


def _fullest(extractions: Sequence[Extraction], kind: Kind) -> Extraction | None:
    candidates = [e for e in extractions if e.kind is kind]
    return max(candidates, key=_answered) if candidates else None


def settle_main_forms(extractions: Sequence[Extraction]) -> list[Extraction]:
    """Read again as a letter any second "referral"/"continuation" that answers almost none of its questions.

    A health professional's letter "supporting the referral to the Medical Needs Service" can carry
    the form's title in its text; beside the real form it is the medical evidence, not a second form.
    """
    out = list(extractions)
    for kind in MAIN_KINDS:
        main = _fullest(out, kind)
        for i, e in enumerate(out):
            if e.kind is not kind or e is main or _answered(e) >= LETTER_LIKE or not e.text.strip():
                continue
            if is_fit_note(e.text):
                out[i] = replace(e, kind=Kind.FIT_NOTE, fields=letter_fields(e.text))
                continue
            fields = letter_fields(e.text)
            if fields["diagnosis"] and fields["professional_role"] not in (None, "other"):  # a clinician's letter
                out[i] = replace(e, kind=Kind.MEDICAL_LETTER, fields=fields)
    return out


def joined_pages(extractions: Sequence[Extraction]) -> list[Extraction]:
    """A form that came as several scanned files (a parent's phone photo of each page) judged as one form: the
    scanned documents of one form kind whose answers go together — the same child, and every question both
    answer answered alike (two forms filled in separately differ somewhere) — are one reading, the fullest
    with the answers only the others carry (and their confidences). Each file is still listed and kept as
    read; only the judging sees them joined. A file with a page OCR could not read is never joined in (its
    unread page must still be named)."""
    out = list(extractions)
    for kind in dict.fromkeys(e.kind for e in out if e.kind.value in FORMS):
        pages = [e for e in out if e.kind is kind and e.method is Method.OCR and e.confidence and not unread_pages(e)]
        if len(pages) < 2:
            continue
        main = max(pages, key=_answered)
        joined = main
        for e in pages:
            if e is main or not _continues(joined, e):
                continue
            fields, confidence = dict(joined.fields), dict(joined.confidence or {})
            for key, value in e.fields.items():
                if value is not None and fields.get(key) is None:
                    fields[key] = value
                    if key in (e.confidence or {}):
                        confidence[key] = (e.confidence or {})[key]
            joined = replace(joined, fields=fields, confidence=confidence, text=f"{joined.text}\n{e.text}")
            out = [d for d in out if d is not e]
        out = [joined if d is main else d for d in out]
    return out


def _continues(form: Extraction, page: Extraction) -> bool:
    """Whether a scanned document can be more pages of a form: it answers something the form does not, names
    no other child, and answers every question both answer the same way."""
    adds = any(v is not None and form.fields.get(k) is None for k, v in page.fields.items())
    both = [k for k, v in page.fields.items() if v is not None and form.fields.get(k) is not None]
    return adds and not identity_differences(form.fields, page.fields) \
        and all(str(form.fields[k]).casefold() == str(page.fields[k]).casefold() for k in both)


def _plain_reason(e: Extraction) -> str:
    return e.warnings[0].split(": ", 1)[-1] if e.warnings else "it cannot be opened"


def _unreadable_findings(sub: Submission) -> Iterator[Finding]:
    from docgen.rules import RULES

    invalid = RULES["R-FORM-INVALID"]
    for bad in sub.unreadable:
        yield invalid.finding(
            f"The file '{bad.file}' could not be opened ({bad.reason}), so it was not checked. Ask the sender "
            f"for a readable copy (an unprotected PDF or Word .docx file).", Severity.REVIEW)


def _unread_scan_findings(sub: Submission) -> Iterator[Finding]:
    """R-DATA-UNCERTAIN for the scans of a submission without a main form (a handwritten referral is one)."""
    from docgen.rules import RULES

    uncertain = RULES["R-DATA-UNCERTAIN"]
    if not uncertain.applies_to(sub.kind):
        yield from uncertain.check(sub)


# --- reading the paths of a submission -----------------------------------------------------------------


def read_submission(paths: Sequence[Path], *, limits: Limits | None = None) -> list[Extraction]:
    """Read every document of the given files, folders, emails and zips (one submission)."""
    limits = limits or Limits()
    extractions: list[Extraction] = []
    with tempfile.TemporaryDirectory(prefix="docgen-check-") as tmp:
        for n, path in enumerate(paths):
            for file in _files(path):
                if file.suffix.lower() in BUNDLE_SUFFIXES:
                    extractions += _read_bundle(file, Path(tmp) / f"bundle-{n}-{len(extractions)}", limits)
                else:
                    extractions.append(_read_one(file, file, limits))
    return extractions


def _files(path: Path) -> Iterator[Path]:
    """A file itself; a folder's files recursively, in name order, passing over lock, temp and hidden files."""
    from docgen.read.names import is_ignored

    if not path.is_dir():
        yield path
        return
    for child in sorted(path.iterdir()):
        if is_ignored(child.name):
            continue
        if child.is_dir() and not child.is_symlink():
            yield from _files(child)
        elif child.is_file() and not child.is_symlink():
            yield child


def _read_one(file: Path, shown: Path, limits: Limits) -> Extraction:
    from docgen.read.extract import extract

    try:
        extraction = extract(file, limits)
    except ExtractionError as exc:
        extraction = unreadable_extraction(file, exc)
    except OSError as exc:
        extraction = unreadable_extraction(file, ExtractionError(ReasonCode.DAMAGED, f"it cannot be read ({exc})"))
    extraction.file = shown
    return extraction


def _read_bundle(file: Path, workdir: Path, limits: Limits) -> list[Extraction]:
    from docgen.read.bundle import members, unpack

    try:
        unpack(file, workdir, limits)
    except ExtractionError as exc:
        return [unreadable_extraction(file, exc)]
    out: list[Extraction] = []
    for member in members(workdir):
        if member.path.suffix.lower() in BUNDLE_SUFFIXES:
            continue  # its attachments are members too
        shown = file / ("(email text)" if member.body else member.display_name)
        out.append(_read_one(member.path, shown, limits))
    return out
