"""Form completeness and data checks: R-FORM-*, R-DATA-* (policy §11.2.1, §6, §11.2.2)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from docgen.forms import FORMS
from docgen.forms.schema import INVALID_PREFIX, invalid_keys
from docgen.forms.upn import upn_problem
from docgen.kinds import KINDS, NAMED_KINDS, Kind, Reading
from docgen.rules.identity import identity_differences
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission, document_name


@rule("R-FORM-REQUIRED", section="11.2.1", severity=Severity.MISSING,
      summary="a required field of the form is blank (one finding per field, naming its label)")
def required_fields_completed(sub: Submission) -> Iterator[Finding]:
    """§11.2.1: forms must be completed fully; incomplete forms will not be processed. A scanned form's missing
    answer may be one OCR missed: R-DATA-UNCERTAIN puts it in front of a person instead (SPEC §16)."""
    for doc in sub.forms():
        if sub.read_by_ocr(doc):
            continue
        schema = FORMS[doc.kind.value]
        unreadable = set(invalid_keys(doc.warnings))
        answered_elsewhere = consent_given_elsewhere(sub) if doc is sub.main else {}
        for f in schema.missing(doc.fields):
            if f.key in unreadable:
                continue  # written but unreadable: R-FORM-INVALID says so
            if f.key in answered_elsewhere:
                continue  # the signed JMP Consent form gives it (R-CONSENT-HEALTH: "form or jmp_consent")
            note = f" ({f.required_note})" if f.required_note else ""
            yield required_fields_completed.finding(
                f"{document_name(doc)}: '{f.label}'{note} is blank. Ask {KINDS[doc.kind].completed_by} to complete it "
                f"and send the form again.")


# The Referral form's consent questions and the JMP Consent form field that answers each of them.
CONSENT_ANSWERS = {"consent_health_contact": "consent_share_health", "consent_given_by": "consent_name",
                   "consent_date": "consent_date"}


def consent_given_elsewhere(sub: Submission) -> dict[str, Any]:
    """The referral's consent answers that a JMP Consent form giving consent supplies (empty when none does).

    Policy §11.2.2 asks for the parent/carer's consent, not for a particular box: a signed JMP Consent form
    sent with a referral whose consent questions are blank is consent given, not an incomplete form.
    """
    if sub.kind != Kind.REFERRAL.value:
        return {}
    for doc in sub.consents():
        return {key: doc.fields.get(source) for key, source in CONSENT_ANSWERS.items()
                if doc.fields.get(source) is not None}
    return {}


@rule("R-FORM-INVALID", section="11.2.1", severity=Severity.MISSING,
      summary="a field cannot be read as its type (bad date, bad email, …)")
def fields_readable(sub: Submission) -> Iterator[Finding]:
    """§11.2.1: a value that cannot be read is as good as blank; a file that cannot be opened likewise. On a
    scanned form it may be OCR that misread it: R-DATA-UNCERTAIN puts it in front of a person (SPEC §16)."""
    for doc in sub.forms():
        if sub.read_by_ocr(doc):
            continue
        for warning in doc.warnings:
            if not warning.startswith(INVALID_PREFIX):
                continue
            parts = warning[len(INVALID_PREFIX):].split(":", 2)
            label = parts[1].strip().strip("'") if len(parts) > 1 else parts[0]
            reason = parts[2].strip() if len(parts) > 2 else "it cannot be read"
            yield fields_readable.finding(
                f"{document_name(doc)}: '{label}' cannot be read ({reason}). Ask {KINDS[doc.kind].completed_by} "
                f"to correct it and send the form again.")
    for bad in sub.unreadable:
        yield fields_readable.finding(
            f"The file '{bad.file}' could not be opened ({bad.reason}), so it was not checked. Ask the sender "
            f"for a readable copy (an unprotected PDF or Word .docx file).")


@rule("R-DATA-UPN", section="11.2.1", severity=Severity.REVIEW,
      summary="the UPN fails the DfE check letter, or is temporary")
def upn_valid(sub: Submission) -> Iterator[Finding]:
    """A UPN, when given, is always validated (DfE check letter; temporary UPNs end in a letter)."""
    upn = sub.get("pupil_upn")
    if isinstance(upn, str):
        problem = upn_problem(upn)
        if problem:
            label = FORMS[sub.kind]["pupil_upn"].label
            yield upn_valid.finding(f"'{label}' {upn} on the {sub.main_name}: {problem}. Check it with the school.")


@rule("R-DATA-YEAR", section="6", severity=Severity.REVIEW,
      summary="the stated year group differs from the one computed from the date of birth (age on 31 August − 4)")
def year_group_matches_dob(sub: Submission) -> Iterator[Finding]:
    """§6: support is by year group (Reception to Year 11); the stated year must agree with the DOB."""
    stated = sub.get("pupil_year_group")
    computed = sub.computed_year_group()
    if not isinstance(stated, int) or computed is None or stated == computed:
        return
    if stated == 11 and computed == 12 and sub.get("repeating_year_11") is True:
        return
    yield year_group_matches_dob.finding(
        f"The {sub.main_name} gives '{FORMS[sub.kind]['pupil_year_group'].label}' as {year_name(stated)}, but a "
        f"child with that date of birth is in {year_name(computed)}. Check the date of birth and year group "
        f"with the school.")


@rule("R-DATA-MATCH", section="11.2.2", severity=Severity.REVIEW,
      summary="a supporting document names a different child (name/DOB differ)")
def documents_name_same_child(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: evidence must be about this child; a document about another child is never guessed at."""
    if sub.main is None:
        return
    for doc in sub.supporting:
        if doc.kind is Kind.UNKNOWN:
            continue  # an unclassified document's "Name:" may be anyone's
        differences = identity_differences(sub.main.fields, doc.fields, names=doc.kind in NAMED_KINDS)
        if differences:
            yield documents_name_same_child.finding(
                f"{document_name(doc)} names a different child from the {sub.main_name} "
                f"({'; '.join(differences)}). Check with the sender that it is about this young person.")
    for doc in sub.scanned:
        if doc.status is Reading.SCAN_UNREADABLE:
            continue  # R-DATA-UNCERTAIN puts it in front of a person
        yield documents_name_same_child.finding(
            f"{doc.file.name} has no text that can be read ({doc.reason}), so it could not be linked to this "
            f"child or checked; it may be the medical evidence or the attendance record. The coordinator "
            f"should look at it.")




def year_name(year: int) -> str:
    return {-1: "Nursery", 0: "Reception"}.get(year, f"Year {year}")
