"""Consent: R-CONSENT-* (policy §11.2.2, §4)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.forms import REFERRAL
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission


@rule("R-CONSENT-HEALTH", section="11.2.2", severity=Severity.MISSING,
      summary="consent for the coordinator to contact health professionals is not given (form or jmp_consent)")
def health_contact_consent(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: consent is required for the coordinator to contact health professionals."""
    if sub.get("consent_health_contact") is True:
        return
    if sub.consents():  # a signed JMP Consent form about this child
        return
    if sub.get("consent_health_contact") is None and sub.main is not None and sub.read_by_ocr(sub.main):
        return  # not found on a scan: R-DATA-UNCERTAIN asks a person to look (SPEC §16)
    state = "is answered No" if sub.get("consent_health_contact") is False else "is not answered"
    yield health_contact_consent.finding(
        f"'{REFERRAL['consent_health_contact'].label}' {state} on the Referral form and no Joint Medical "
        f"Protocol Consent form gives that consent. Ask the school for the parent/carer's consent (the Referral "
        f"form question, or a signed JMP Consent form).")


@rule("R-CONSENT-JON", section="4", severity=Severity.REVIEW,
      summary="JON contacted but parent consent for it not recorded")
def jon_consent(sub: Submission) -> Iterator[Finding]:
    """§4: schools must obtain consent from the parent/carer prior to calling Just One Number."""
    if sub.jon_contacted() and sub.get("consent_jon") is not True:
        yield jon_consent.finding(
            f"The Referral form says Just One Number was contacted, but '{REFERRAL['consent_jon'].label}' is "
            f"not answered Yes. Check with the school that the parent/carer agreed before JON was called.")
