"""Document kinds (SPEC §2.1) — the one registry — and what reading one document yields.

`KINDS[kind]` says everything the house needs to know about a kind: its name in messages, its form
schema (the data dictionary, `docgen.forms.FORMS`) when it is a form, whether it is a main form (it opens
or continues a case), whether it is medical evidence, whether its pupil name is the child's, who
completes it (whom to ask when it is incomplete), and how its printed title is recognised (a form's
title patterns live in its schema). Adding a form kind: its schema module in `docgen/forms/`, one line in
`forms.FORMS`, one `Kind` member and one `KINDS` entry here; nothing else lists kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from docgen.forms import FORMS
from docgen.forms.schema import FormSchema


class Kind(StrEnum):
    """The document kinds of SPEC §2.1."""

    REFERRAL = "referral"
    CONTINUATION = "continuation"
    JMP_HEALTH = "jmp_health"
    JMP_CONSENT = "jmp_consent"
    ATTENDANCE = "attendance"
    MEDICAL_LETTER = "medical_letter"
    FIT_NOTE = "fit_note"
    IHCP = "ihcp"
    PLANNING_RECORD = "planning_record"
    UNKNOWN = "unknown"


class Method(StrEnum):
    """How the fields were read (SPEC §10 `extract` JSON `method`)."""

    ACROFORM = "acroform"
    TEXT = "text"
    DOCX = "docx"
    CSV = "csv"
    EMAIL = "email"
    OCR = "ocr"


@dataclass(frozen=True)
class KindInfo:
    """What the house knows about one document kind."""

    kind: Kind
    name: str  # in messages: "Referral form", "medical letter"
    main: bool = False  # a main form: it opens or continues a case, and a submission is judged by it
    evidence: bool = False  # acceptable medical evidence (policy §11.2.2)
    names_pupil: bool = False  # its pupil name is the child's (else only DOB and UPN are compared)
    completed_by: str = ""  # whom to ask when it is incomplete
    titles: tuple[str, ...] = ()  # patterns of its printed title (lower case, spaces collapsed), if not a form

    @property
    def form(self) -> FormSchema | None:
        """The kind's schema in the data dictionary, when it is a form."""
        return FORMS.get(self.kind.value)

    @property
    def title_patterns(self) -> tuple[str, ...]:
        """How its printed title is recognised: a form's from its schema, any other kind's from here."""
        form = self.form
        return form.title_patterns if form is not None else self.titles


# In order of precedence: main forms first (referral before continuation), then the other forms,
# then the other documents; classification tries titles in this order when two start together.
KINDS: dict[Kind, KindInfo] = {info.kind: info for info in (
    KindInfo(Kind.REFERRAL, "Referral form", main=True, names_pupil=True, completed_by="the school"),
    KindInfo(Kind.CONTINUATION, "Continuation Request", main=True, names_pupil=True, completed_by="the school"),
    KindInfo(Kind.JMP_CONSENT, "Consent form", names_pupil=True, completed_by="the parent/carer (via the school)"),
    KindInfo(Kind.JMP_HEALTH, "Health Information Form", evidence=True, names_pupil=True,
             completed_by="the health professional"),
    KindInfo(Kind.FIT_NOTE, "fit note", names_pupil=True,
             titles=(r"statement of fitness for work|\bfit note\b",)),
    KindInfo(Kind.IHCP, "Individual Healthcare Plan", titles=(r"individual health ?care plan",)),
    KindInfo(Kind.PLANNING_RECORD, "Initial Planning and Review Record",
             titles=(r"initial planning and review record|planning and review record",)),
    KindInfo(Kind.MEDICAL_LETTER, "medical letter", evidence=True, names_pupil=True),
    KindInfo(Kind.ATTENDANCE, "attendance record", names_pupil=True),
    KindInfo(Kind.UNKNOWN, "document"),
)}

FORM_KINDS = frozenset(k for k, info in KINDS.items() if info.form is not None)
MAIN_KINDS = tuple(k for k, info in KINDS.items() if info.main)  # referral first: it wins over a continuation
EVIDENCE_KINDS = frozenset(k for k, info in KINDS.items() if info.evidence)
NAMED_KINDS = frozenset(k for k, info in KINDS.items() if info.names_pupil)
# kinds that reading settles by their own title, fields or wording (attendance is recognised by its tables)
SETTLED_KINDS = frozenset(KINDS) - {Kind.ATTENDANCE, Kind.UNKNOWN}


def document_name(kind: Kind) -> str:
    """How a message names a kind of document: "Referral form", "medical letter", "document"."""
    return KINDS[kind].name


# The reasons a document was not read, as `Extraction.reason` words them (SPEC §10 `reason`); code asks
# `Extraction.status` (a `Reading`) instead of matching these words.
UNREADABLE_SCAN = "scanned page could not be read — key the fields in the desk"  # SPEC §16's reason
NO_TEXT_LAYER = "no text layer (scanned?)"
NO_TEXT = "no text in the document (only pictures?)"
UNREADABLE_ATTENDANCE = "attendance record could not be read"  # followed by ": <why>"
UNOPENED = "unreadable"  # the file could not be opened at all (`docgen check`)


class Reading(StrEnum):
    """How far reading a document got."""

    READ = "read"  # read (its kind may still be unknown: see `reason`)
    NO_TEXT_LAYER = "no-text-layer"  # a PDF without a text layer: a scan, a person looks at it
    SCAN_UNREADABLE = "scan-unreadable"  # OCR could not read the scan: a person keys it in
    NO_TEXT = "no-text"  # only pictures, no words
    ATTENDANCE_UNREADABLE = "attendance-unreadable"  # an attendance record whose marks cannot be read
    UNOPENED = "unopened"  # the file could not be opened at all


def reading_of(reason: str | None) -> Reading:
    """The status a reason stands for; the one place where reason words are read back."""
    if not reason:
        return Reading.READ
    low = reason.lower()
    if reason == UNOPENED:
        return Reading.UNOPENED
    if reason == UNREADABLE_SCAN:
        return Reading.SCAN_UNREADABLE
    if "text layer" in low:  # also reasons stored by earlier versions
        return Reading.NO_TEXT_LAYER
    if low.startswith(UNREADABLE_ATTENDANCE):
        return Reading.ATTENDANCE_UNREADABLE
    if reason == NO_TEXT:
        return Reading.NO_TEXT
    return Reading.READ


@dataclass
class Extraction:
    """One document read: kind, method, normalised fields (JSON values), warnings, and a reason for `unknown`."""

    file: Path
    kind: Kind
    method: Method
    fields: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    reason: str | None = None
    text: str = field(default="", repr=False)  # the document's plain text, for rules that read letters
    confidence: dict[str, int] | None = None  # OCR only: each field read → 0–100 (SPEC §16)
    ocr: dict[str, Any] | None = field(default=None, repr=False)  # OCR only: pages and field boxes (read.confidence)
    # docgen's mark on the file read (`marker.is_docgen_output`), looked at in the worker that read it
    # (so the main process need not open the file again); None: not looked at
    marked: bool | None = field(default=None, repr=False)

    @property
    def status(self) -> Reading:
        """How far reading got (from `reason`, which is what SPEC §10 and the register store)."""
        return reading_of(self.reason)

    def to_json(self) -> dict[str, Any]:
        """The `docgen extract --json` shape of SPEC §10."""
        data: dict[str, Any] = {
            "file": str(self.file),
            "kind": self.kind.value,
            "method": self.method.value,
            "fields": self.fields,
            "warnings": self.warnings,
        }
        if self.method is Method.OCR:
            data["confidence"] = dict(self.confidence or {})
        if self.reason:
            data["reason"] = self.reason
        return data
