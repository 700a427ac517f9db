"""Values read from scans: R-DATA-UNCERTAIN (policy §11.2; SPEC §16).

OCR gives every field it reads a confidence. A required answer read with less than `[ocr]
min_confidence` is not trusted to decide a case, and a scanned page that yielded almost no text
(handwriting, a blank or black page) was not read at all: either way a person confirms or keys the
values in the desk, where the page is shown with the doubtful values boxed. Never a quarantine.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.forms import FORMS
from docgen.kinds import UNREADABLE_SCAN, Extraction, Reading
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission, document_name


@rule("R-DATA-UNCERTAIN", section="11.2", severity=Severity.REVIEW,
      summary="a required field was read by OCR below [ocr] min_confidence, or a scanned page could not be read")
def scanned_values_certain(sub: Submission) -> Iterator[Finding]:
    """§11.2: the referral is checked against what it says; a value OCR is unsure of is checked by a person."""
    documents = [d for d in (sub.main, *sub.supporting) if d is not None]
    for doc in documents:
        pages = unread_pages(doc)
        if pages or doc.status is Reading.SCAN_UNREADABLE:
            where = f" (page {', '.join(map(str, pages))})" if pages else ""
            yield scanned_values_certain.finding(
                f"{doc.file.name}{where}: {UNREADABLE_SCAN}. Look at the page and type in what it says.")
        schema = FORMS.get(doc.kind.value)
        if not doc.confidence or schema is None:
            continue
        doubtful = [(f, doc.confidence[f.key]) for f in schema.fields
                    if f.key in doc.confidence and doc.confidence[f.key] < sub.min_confidence
                    and f.is_required(doc.fields)]
        for f, confidence in doubtful:
            yield scanned_values_certain.finding(
                f"{document_name(doc)}: '{f.label}' was read from a scan with only {confidence}% confidence "
                f"(under {sub.min_confidence}%). Confirm it against the page in the desk or key it in.")


def unread_pages(doc: Extraction) -> list[int]:
    """The 1-based numbers of a scanned document's pages that OCR could not read."""
    pages = (doc.ocr or {}).get("pages") or []
    return [int(p["page"]) for p in pages if not p.get("readable", True)]
