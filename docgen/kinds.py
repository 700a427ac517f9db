"""What reading one document yields: its kind, how it was read, its fields and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any


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


EVIDENCE_KINDS = frozenset({Kind.JMP_HEALTH, Kind.MEDICAL_LETTER})
FORM_KINDS = frozenset({Kind.REFERRAL, Kind.CONTINUATION, Kind.JMP_HEALTH, Kind.JMP_CONSENT})


UNREADABLE_SCAN = "scanned page could not be read — key the fields in the desk"  # SPEC §16's reason


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
