"""Continuation requests: R-CONT-* (policy §11.7)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.dates import as_date, long_date
from docgen.errors import DocgenError
from docgen.kinds import Kind
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission, document_name
from docgen.timeline import compute


@rule("R-CONT-LATE", section="11.7", severity=Severity.REVIEW,
      summary="continuation request received after the last school day of the 12-week period that began on "
              "provision_start_date")
def continuation_in_time(sub: Submission) -> Iterator[Finding]:
    """§11.7, §11.8: provision may cease if the school does not ask for continuation within the 12 weeks."""
    start = sub.date("provision_start_date")
    if start is None or sub.calendar is None:
        return
    try:
        due = compute(sub.calendar, start).continuation_due
    except DocgenError:
        return  # a start outside the term-dates file: nothing can be said for sure
    if due is not None and sub.today > due:
        yield continuation_in_time.finding(
            f"The Continuation Request was received on {long_date(sub.today)}, after the 12-week period that began "
            f"on {long_date(start)} ({sub.where('provision_start_date')}) ended on {long_date(due)}, when it was due. "
            f"Provision may cease when a request is late; the coordinator decides whether it continues.")


CONTINUATION_DOCUMENTS = (
    ("updated medical evidence (a Health Information Form or a letter from a health professional)",
     (Kind.JMP_HEALTH, Kind.MEDICAL_LETTER)),
    ("the attendance record (herringbone) for the year to date", (Kind.ATTENDANCE,)),
    ("the updated Initial Planning and Review Record", (Kind.PLANNING_RECORD,)),
)


@rule("R-CONT-DOCS", section="11.7", severity=Severity.MISSING,
      summary="a continuation lacks updated evidence, attendance record, or updated planning record (one each)")
def continuation_documents(sub: Submission) -> Iterator[Finding]:
    """§11.7: the request comes with updated evidence, the herringbone and the updated planning record.

    When the only evidence is a fit note, R-EVID-FITNOTE asks for proper evidence instead.
    """
    for what, kinds in CONTINUATION_DOCUMENTS:
        if sub.of_kind(*kinds) or sub.scanned:  # a scan may be it: the coordinator looks first
            continue
        if Kind.JMP_HEALTH in kinds and sub.of_kind(Kind.FIT_NOTE):
            continue
        if Kind.ATTENDANCE in kinds and sub.unreadable_attendance:
            names = ", ".join(d.file.name for d in sub.unreadable_attendance)
            yield continuation_documents.finding(
                f"The attendance record ({names}) came with the Continuation Request but its marks cannot be read. "
                f"Ask the school to export the herringbone for the year to date again (CSV, XLSX or PDF).")
            continue
        yield continuation_documents.finding(
            f"The Continuation Request came without {what}. Ask the school to send it.")


@rule("R-CONT-EVID-OLD", section="11.7", severity=Severity.REVIEW,
      summary="the \"updated\" evidence is dated before the current provision started")
def evidence_is_updated(sub: Submission) -> Iterator[Finding]:
    """§11.7: further updated medical advice is required for the provision to continue."""
    start = sub.date("provision_start_date")
    dated = [d for d in (as_date(doc.fields.get("statement_date")) for doc in sub.evidence) if d]
    if start is None or not dated:
        return
    latest = max(dated)
    if latest < start:
        yield evidence_is_updated.finding(
            f"The latest medical evidence ({', '.join(document_name(d) for d in sub.evidence)}) is dated "
            f"{long_date(latest)}, before the current provision started ({long_date(start)}, "
            f"{sub.where('provision_start_date')}); it is not updated evidence. Ask the school for current advice "
            f"from the health professional (a new Health Information Form or letter).")
