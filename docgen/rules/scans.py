"""Values read from scans: R-DATA-UNCERTAIN (policy §11.2; SPEC §16).

OCR gives every field it reads a confidence. A required answer read with less than `[ocr]
min_confidence` is not trusted to decide a case, and a scanned page that yielded almost no text
(handwriting, a blank or black page) was not read at all: either way a person confirms or keys the
values in the desk, where the page is shown with the doubtful values boxed. Never a quarantine.

Handwriting in a clear hand is not "almost no text": Tesseract reads a cursive page with a mean word
confidence in the low 80s, where printed pages, even scanned badly or photographed, read at 88–96. A
scanned page that is no form or letter docgen knows, read under `HANDWRITTEN_BELOW`, is such a page: what it
says is for a person to read, so it is named too.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.forms import FORMS
from docgen.kinds import UNREADABLE_SCAN, Extraction, Kind, Reading
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission, document_name

HANDWRITTEN_BELOW = 88.0  # a page's mean word confidence (0–100): printed pages read above it (see above)


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
        if doc.kind is Kind.UNKNOWN and (faint := handwritten_pages(doc)):
            yield scanned_values_certain.finding(
                f"{doc.file.name} (page {', '.join(map(str, faint))}): a scanned page that is no form or letter "
                f"docgen knows, read with low confidence — it may be handwritten. Look at the page and type in "
                f"what it says.")
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


def handwritten_pages(doc: Extraction) -> list[int]:
    """The 1-based numbers of a scanned document's read pages whose words were read under `HANDWRITTEN_BELOW`."""
    pages = (doc.ocr or {}).get("pages") or []
    return [int(p["page"]) for p in pages if p.get("readable", True) and float(p.get("confidence") or 0)
            < HANDWRITTEN_BELOW]
