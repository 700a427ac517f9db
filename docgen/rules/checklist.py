"""The schools' checklist before referring: R-CHK-* (policy §11.1, §10)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.dates import long_date
from docgen.forms import REFERRAL
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission


@rule("R-CHK-JON", section="11.1", severity=Severity.REVIEW,
      summary="JON not recorded as contacted, or contacted after the referral date")
def jon_contacted_first(sub: Submission) -> Iterator[Finding]:
    """§11.1: before referring, schools should seek advice by calling Just One Number."""
    if not sub.jon_contacted():
        yield jon_contacted_first.finding(
            f"'{REFERRAL['chk_jon_contacted'].label}' is not ticked on the Referral form. Ask the school whether "
            f"Just One Number (0300 300 0123) was contacted before the referral.")
        return
    contacted, referred = sub.date("jon_contact_date"), sub.date("referral_date")
    if contacted and referred and contacted > referred:
        yield jon_contacted_first.finding(
            f"{sub.where('jon_contact_date')} is {long_date(contacted)}, after the '{REFERRAL['referral_date'].label}' "
            f"{long_date(referred)}; the policy expects the school to seek advice from Just One Number before "
            f"referring. Ask the school to confirm the date JON was contacted.")


@rule("R-CHK-POLICY", section="11.1", severity=Severity.REVIEW,
      summary="school's own medical needs policy not followed")
def school_policy_followed(sub: Submission) -> Iterator[Finding]:
    """§11.1: the school's own Medical Needs policy checked and all procedures followed."""
    if sub.get("chk_policy_followed") is not True:
        yield school_policy_followed.finding(
            f"'{REFERRAL['chk_policy_followed'].label}' is not ticked on the Referral form. Ask the school to "
            f"confirm its own medical needs procedures have been followed.")


@rule("R-CHK-SEND", section="10", severity=Severity.REVIEW,
      summary="EHCP or SEN support, but no SENCO assessment recorded")
def senco_assessment(sub: Submission) -> Iterator[Finding]:
    """§10, §11.1: a SENCO assessment if SEND is identified."""
    if (sub.get("pupil_ehcp") is True or sub.get("pupil_sen_support") is True) \
            and sub.get("chk_senco_assessment") is not True:
        need = "an EHCP" if sub.get("pupil_ehcp") is True else "SEN support"
        yield senco_assessment.finding(
            f"The young person has {need}, but '{REFERRAL['chk_senco_assessment'].label}' is not ticked on the "
            f"Referral form. Ask the school whether the SENCO has assessed the young person's needs.")
