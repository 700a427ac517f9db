"""Documents that must come with a referral: R-DOCS-* (policy §11.2.2, §11.2.3)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.kinds import Kind
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission


@rule("R-DOCS-EVIDENCE", section="11.2.2", severity=Severity.MISSING,
      summary="no acceptable medical evidence (jmp_health or medical_letter) is in the case")
def medical_evidence_present(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: referrals are accepted with appropriate medical evidence.

    When the only evidence is a fit note, R-EVID-FITNOTE says so instead (one request, not two); when a
    document has no readable text, it may be the evidence, so the coordinator looks first (R-DATA-MATCH).
    """
    if sub.evidence or sub.of_kind(Kind.FIT_NOTE) or sub.scanned:
        return
    yield medical_evidence_present.finding(
        "No medical evidence was sent. Ask the school for a Joint Medical Protocol Health Information Form "
        "completed by a health professional who has seen the young person, or a letter from that professional.")


@rule("R-DOCS-ATTENDANCE", section="11.2.3", severity=Severity.MISSING,
      summary="no attendance record is in the case (not required when the pupil is not on a school roll)")
def attendance_record_present(sub: Submission) -> Iterator[Finding]:
    """§11.2.3: schools attach the pupil's attendance herringbone for the year to date."""
    if sub.of_kind(Kind.ATTENDANCE) or sub.get("pupil_on_roll") is False or sub.scanned:
        return
    for doc in sub.unreadable_attendance:  # sent, but its marks cannot be read: ask for a readable export
        why = (doc.reason or "").split(": ", 2)[-1].split(";")[0]
        yield attendance_record_present.finding(
            f"The attendance record {doc.file.name} was sent but its marks cannot be read ({why}). Ask the school "
            f"to export the herringbone for the year to date again from its MIS (CSV, XLSX or PDF).")
    if sub.unreadable_attendance:
        return
    yield attendance_record_present.finding(
        "No attendance record was sent. Ask the school for the young person's attendance herringbone for the "
        "year to date (the previous year's as well if the referral is early in the academic year).")
