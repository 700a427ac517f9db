"""What the rules look at: one submission's main form, its supporting documents, and "today".

The main form is the referral (or, failing that, the continuation request); every other
document is supporting. Helpers here are pure and shared by the rule modules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docgen.calendar import SchoolCalendar, year_group_on
from docgen.dates import as_date
from docgen.forms import FORMS
from docgen.kinds import EVIDENCE_KINDS, MAIN_KINDS, Extraction, Kind, Method, Reading
from docgen.kinds import document_name as kind_name
from docgen.rules.identity import identity_differences

HANDWRITTEN_BELOW = 88.0  # a page's mean word confidence (0–100): printed pages read above it (`docgen.rules.scans`)


def handwritten_pages(doc: Extraction) -> list[int]:
    """The 1-based numbers of a scanned document's read pages whose words were read under `HANDWRITTEN_BELOW`."""
    pages = (doc.ocr or {}).get("pages") or []
    return [int(p["page"]) for p in pages if p.get("readable", True) and float(p.get("confidence") or 0)
            < HANDWRITTEN_BELOW]


@dataclass(frozen=True)
class Unreadable:
    """A file of the submission that could not be read at all, and why."""

    file: str
    reason: str


@dataclass
class Submission:
    """One submission as the rules see it."""

    main: Extraction | None
    supporting: list[Extraction]
    today: dt.date
    calendar: SchoolCalendar | None = None
    unreadable: list[Unreadable] = field(default_factory=list)
    min_confidence: int = 80  # `[ocr] min_confidence`: a required field read by OCR under this is not trusted

    @property
    def kind(self) -> str:
        return self.main.kind.value if self.main else "unknown"

    @property
    def main_name(self) -> str:
        """The main form in words, for messages ("Referral form")."""
        return kind_name(self.main.kind) if self.main else "submission"

    def where(self, key: str) -> str:
        """How a message points at a question of the main form: 'Label' on the Referral form (file.docx)."""
        schema = FORMS.get(self.kind)
        label = schema[key].label if schema is not None and key in schema else key
        place = f"{self.main_name} ({self.main.file.name})" if self.main else self.main_name
        return f"'{label}' on the {place}"

    def get(self, key: str) -> Any:
        """A field of the main form (None when absent or blank)."""
        return self.main.fields.get(key) if self.main else None

    def date(self, key: str) -> dt.date | None:
        return as_date(self.get(key))

    def of_kind(self, *kinds: Kind) -> list[Extraction]:
        return [d for d in self.supporting if d.kind in kinds]

    @property
    def scanned(self) -> list[Extraction]:
        """Documents that could be opened but not read as text (no text layer, a scan OCR could not read, or a
        scanned page of no kind docgen knows read as handwriting is): a person must look at them, and they may
        be the evidence or the attendance record a rule would otherwise say was not sent."""
        return [d for d in self.supporting if d.kind is Kind.UNKNOWN
                and (d.status in (Reading.NO_TEXT_LAYER, Reading.SCAN_UNREADABLE)
                     or (d.method is Method.OCR and d.status is Reading.READ and handwritten_pages(d)))]

    @property
    def unreadable_attendance(self) -> list[Extraction]:
        """Documents recognised as an attendance record whose marks could not be read (kind unknown, reason kept)."""
        return [d for d in self.supporting if d.kind is Kind.UNKNOWN and d.status is Reading.ATTENDANCE_UNREADABLE]

    @property
    def evidence(self) -> list[Extraction]:
        """Acceptable medical evidence: Health Information Forms and letters from health professionals."""
        return [d for d in self.supporting if d.kind in EVIDENCE_KINDS]

    def forms(self) -> Iterator[Extraction]:
        """The main form, then each supporting document that is itself a form of the data dictionary."""
        if self.main:
            yield self.main
        yield from (d for d in self.supporting if d.kind.value in FORMS and d.kind not in MAIN_KINDS)

    @staticmethod
    def read_by_ocr(doc: Extraction) -> bool:
        """Whether a document's values are OCR's reading of a scan that no person has corrected yet (a correction
        in the desk keeps the values and drops the confidences): an answer missing from it may be one OCR missed."""
        return doc.method is Method.OCR and bool(doc.confidence)

    def consents(self) -> list[Extraction]:
        """JMP Consent forms giving consent to share health information, about this child (R-DATA-MATCH otherwise)."""
        main = self.main.fields if self.main else {}
        return [d for d in self.of_kind(Kind.JMP_CONSENT) if d.fields.get("consent_share_health") is True
                and not identity_differences(main, d.fields)]

    def jon_contacted(self) -> bool:
        """Just One Number recorded as contacted: ticked, or left unticked but with the date it was called."""
        ticked = self.get("chk_jon_contacted")
        return ticked is True or (ticked is None and self.get("jon_contact_date") is not None)

    def computed_year_group(self) -> int | None:
        """The National Curriculum year from the date of birth (age on 31 August − 4), None without a DOB."""
        dob = self.date("pupil_dob")
        return year_group_on(dob, self.today) if dob else None

    def absence_days(self) -> float | None:
        """Health-related absence so far: the larger of the form's days and the attendance record's illness days."""
        figures: list[float] = []
        days = self.get("days_absent")
        if isinstance(days, int | float) and not isinstance(days, bool):
            figures.append(float(days))
        for record in self.of_kind(Kind.ATTENDANCE):
            illness = record.fields.get("illness_days")
            if isinstance(illness, int | float) and not isinstance(illness, bool):
                figures.append(float(illness))
        return max(figures) if figures else None



def document_name(doc: Extraction) -> str:
    """How a message names a document: its kind in words and its file name."""
    return f"{kind_name(doc.kind)} ({doc.file.name})"

