"""Values read from scans: R-DATA-UNCERTAIN (policy §11.2; SPEC §16).

OCR gives every field it reads a confidence. A required answer read with less than `[ocr]
min_confidence` is not trusted to decide a case, and a scanned page that yielded almost no text
(handwriting, a blank or black page) was not read at all: either way a person confirms or keys the
values in the desk, where the page is shown with the doubtful values boxed. Never a quarantine.

A required answer OCR did not find on a scanned form, or read as no value of its type ("Fo" for a yes/no),
may be blank on the paper or may be one OCR missed: a request for information saying it was left blank
could be false, so it too goes to a person (the letters docgen writes are always true).

Handwriting in a clear hand is not "almost no text": Tesseract reads a cursive page with a mean word
confidence in the low 80s, where printed pages, even scanned badly or photographed, read at 88–96. A
scanned page that is no form or letter docgen knows, read under `HANDWRITTEN_BELOW`, is such a page: what it
says is for a person to read, so it is named too.

An attendance summary whose own table of codes adds up to other figures than it states (scanned or not) is
read with the stated figures, and named here: which of the two is right is for a person to confirm, never a
figure docgen picks silently for a letter to state.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.attendance import SUMMARY_KEYS
from docgen.attendance.figures import CONFLICT_NOTE
from docgen.forms import FORMS
from docgen.forms.schema import invalid_keys
from docgen.kinds import KINDS, UNREADABLE_SCAN, Extraction, Kind, Method, Reading
from docgen.rules.form import consent_given_elsewhere
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import HANDWRITTEN_BELOW, Submission, document_name, handwritten_pages


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
        if faint := hand_read_letter(doc):
            yield scanned_values_certain.finding(
                f"{document_name(doc)} (page {', '.join(map(str, faint))}): a scanned letter read with low "
                f"confidence — it may be handwritten, so what docgen read from it is not trusted and what it seems "
                f"to leave out may be on the page. Look at the page and confirm or type in what it says.")
        if doc.kind is Kind.ATTENDANCE:
            for note in (w for w in doc.warnings if w.startswith(CONFLICT_NOTE)):
                # the record contradicts itself: its stated figure is kept, a person confirms it
                yield scanned_values_certain.finding(
                    f"{document_name(doc)}: {note[0].upper()}{note[1:]}.")
        if doc.kind is Kind.ATTENDANCE and doc.confidence:
            yield from _attendance_doubtful(sub, doc)
        schema = FORMS.get(doc.kind.value)
        if not doc.confidence or schema is None:
            continue
        yield from _not_found(sub, doc)
        doubtful = [(f, doc.confidence[f.key]) for f in schema.fields
                    if f.key in doc.confidence and doc.confidence[f.key] < sub.min_confidence
                    and f.is_required(doc.fields)]
        for f, confidence in doubtful:
            yield scanned_values_certain.finding(
                f"{document_name(doc)}: '{f.label}' was read from a scan with only {confidence}% confidence "
                f"(under {sub.min_confidence}%). Confirm it against the page in the desk or key it in.")


def _attendance_doubtful(sub: Submission, doc: Extraction) -> Iterator[Finding]:
    """An attendance record read from a scanned grid (`docgen.read.gridread`) whose figures rest on marks OCR
    could not tell for sure: its percentage and illness days decide nothing until a person has looked."""
    doubtful = sorted((conf, key) for key, conf in (doc.confidence or {}).items()
                      if key in SUMMARY_KEYS and conf < sub.min_confidence)
    if doubtful:
        yield scanned_values_certain.finding(
            f"{doc.file.name}: the attendance figures were read from a scanned grid with only {doubtful[0][0]}% "
            f"confidence (under {sub.min_confidence}%): some marks could not be told for sure. Check the marks "
            f"against the page in the desk, or ask the school for an export from its MIS.")


def _not_found(sub: Submission, doc: Extraction) -> Iterator[Finding]:
    """A scanned form's required answers OCR did not find, and answers it read as no value of their type: blank
    or wrong on the paper, or missed or misread by OCR — only a person looking at the page can tell, so they
    go to the desk rather than into a request that says they were left blank (R-FORM-REQUIRED, R-FORM-INVALID
    on a form no scan came into)."""
    if not sub.read_by_ocr(doc) or not any(d is doc for d in sub.forms()):
        return
    schema = FORMS[doc.kind.value]
    misread = {key: w.split(":", 2)[-1].strip() for w in doc.warnings for key in invalid_keys([w])}
    elsewhere = consent_given_elsewhere(sub) if doc is sub.main else {}
    missing = {f.key for f in schema.missing(doc.fields)}
    for f in schema.fields:
        if f.key in elsewhere or (f.key not in missing and f.key not in misread):
            continue
        if f.key in misread:
            what = f" was read from the scan as no answer to it ({misread[f.key]})"
        else:
            note = f" ({f.required_note})" if f.required_note else ""
            what = f"{note} was not found on the scanned page (OCR may have missed it)"
        yield scanned_values_certain.finding(
            f"{document_name(doc)}: '{f.label}'{what}. Confirm it against the page in the desk or key it in; "
            f"if it is blank or wrong on the paper, ask {KINDS[doc.kind].completed_by} to complete it.")


def unread_pages(doc: Extraction) -> list[int]:
    """The 1-based numbers of a scanned document's pages that OCR could not read."""
    pages = (doc.ocr or {}).get("pages") or []
    return [int(p["page"]) for p in pages if not p.get("readable", True)]


def hand_read_letter(doc: Extraction) -> list[int]:
    """The pages of a scanned letter no person has corrected yet whose words were read under `HANDWRITTEN_BELOW`
    (a handwritten note from a GP reads ~81, printed letters however scanned 95–96): the evidence rules do not
    ask the school for what such a letter seems not to say, since it may be on the paper."""
    if doc.kind is not Kind.MEDICAL_LETTER or doc.method is not Method.OCR or not doc.confidence:
        return []
    pages = (doc.ocr or {}).get("pages") or []
    return [int(p["page"]) for p in pages if p.get("readable", True) and p.get("confidence") is not None
            and float(p["confidence"]) < HANDWRITTEN_BELOW]
