"""Invented sample data for every document: used by `docgen templates check`, the tests and demos."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Signatory
from docgen.letters.context import DocumentName
from docgen.letters.registry import Inputs, letter

SAMPLE_FIELDS: dict[str, Any] = {
    "pupil_forename": "Maya",
    "pupil_surname": "Fenwick",
    "pupil_preferred_name": "Maya",
    "pupil_dob": "2013-05-14",
    "pupil_upn": "A123456789012",
    "pupil_year_group": 7,
    "pupil_address": "12 Willow Lane\nWymondham",
    "pupil_postcode": "NR18 0AB",
    "parent_name": "Claire Fenwick",
    "parent_relationship": "Mother",
    "parent_phone": "07700900123",
    "parent_email": "claire.fenwick@example.com",
    "school_name": "Riverside Academy",
    "school_dfe_number": "9264000",
    "referrer_name": "Sam Patel",
    "referrer_role": "Head of Year 7",
    "referrer_email": "s.patel@riverside.example.org",
    "referrer_phone": "01603000111",
    "dsl_name": "Jo Richards",
    "dsl_email": "dsl@riverside.example.org",
    "senco_name": "Priya Shah",
    "health_professionals": "Dr L. Osei, paediatrician, Norfolk and Norwich University Hospital",
    "ehcp_coordinator": None,
    "social_worker": None,
}


def _weeks() -> list[dict[str, Any]]:
    mondays = [dt.date(2026, 1, 12) + dt.timedelta(weeks=n) for n in (0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 13, 14)]
    return [{"number": i, "start": m.isoformat(), "end": (m + dt.timedelta(days=4)).isoformat()}
            for i, m in enumerate(mondays, start=1)]


SAMPLE_TIMELINE: dict[str, Any] = {
    "start": "2026-01-12",
    "weeks": _weeks(),
    "review_week": 6,
    "review_plan_due": "2026-03-06",
    "continuation_due": "2026-04-24",
    "provision_end": "2026-04-24",
    "end_reason": "weeks",
}
SAMPLE_HOLIDAYS: list[dict[str, Any]] = [
    {"name": "February half term", "start": "2026-02-16", "end": "2026-02-20"},
    {"name": "Easter holiday", "start": "2026-03-30", "end": "2026-04-10"},
]
SAMPLE_FINDINGS: list[dict[str, Any]] = [
    {"rule": "R-DOCS-ATTENDANCE", "severity": "missing", "section": "11.2.3",
     "message": "No attendance record (herringbone) was received with the referral."},
    {"rule": "R-FORM-REQUIRED", "severity": "missing", "section": "11.2.1",
     "message": "The referral form does not answer 'Designated Safeguarding Lead (DSL)'."},
    {"rule": "R-CHK-JON", "severity": "review", "section": "11.1",
     "message": "The referral does not record that Just One Number was contacted."},
    {"rule": "R-ELIG-AGE-UPPER", "severity": "ineligible", "section": "6",
     "message": "The young person is of Year 12 age and is not repeating Year 11."},
]
SAMPLE_DOCUMENTS: list[dict[str, Any]] = [
    {"file": "referral.pdf", "kind": "referral",
     "fields": {"pupil_forename": "Maya", "pupil_dob": "2013-05-14", "pupil_year_group": 7,
                "pupil_on_roll": True}},
    {"file": "health-information.pdf", "kind": "jmp_health",
     "fields": {"professional_name": "Dr L. Osei", "professional_role": "paediatrician", "seen_in_person": True}},
]


SAMPLE_PROFESSIONAL = "Dr L. Osei, Paediatrician, Norfolk and Norwich University Hospital"


def sample_inputs(*, signatory: Signatory | None = None, fields: dict[str, Any] | None = None,
                  on: dt.date = dt.date(2026, 1, 5)) -> Inputs:
    """Invented inputs for every letter: a case with a timeline, findings, a decision and an end."""
    return Inputs(fields=fields if fields is not None else SAMPLE_FIELDS, case_ref="MN-2026-0001", on=on,
                  signatory=signatory or Signatory(), timeline=SAMPLE_TIMELINE, holidays=lambda: SAMPLE_HOLIDAYS,
                  findings=SAMPLE_FINDINGS, outcome="incomplete", documents=lambda: SAMPLE_DOCUMENTS,
                  agreed={"meeting": "2026-01-08"},
                  data={"reason": "returned_to_school", "end_date": "2026-04-24"},
                  professional=lambda: SAMPLE_PROFESSIONAL,
                  notes=lambda: ["term dates run out on 21 July 2027; add the 2027-28 term dates"])


def sample_context(document: DocumentName, *, signatory: Signatory | None = None,
                   fields: dict[str, Any] | None = None, on: dt.date = dt.date(2026, 1, 5)) -> dict[str, Any]:
    """A full context for `document` built by its registered builder from invented inputs."""
    return letter(document).context(sample_inputs(signatory=signatory, fields=fields, on=on))
