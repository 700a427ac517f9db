"""The schools' checklist before referring: R-CHK-* (policy §11.1, §10)."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.dates import long_date
from docgen.forms import REFERRAL
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission


def _not_ticked(sub: Submission, key: str) -> str:
    """How an unticked checklist box is put: on a scan OCR has not settled, a box read as neither ticked nor
    unticked may be one it missed, so the finding does not say the school left it unticked (SPEC §16)."""
    label = REFERRAL[key].label
    if sub.get(key) is None and sub.main is not None and sub.read_by_ocr(sub.main):
        return f"'{label}' was not read as ticked on the scanned Referral form (OCR may have missed it: check the page in the desk)"
    return f"'{label}' is not ticked on the Referral form"


@rule("R-CHK-JON", section="11.1", severity=Severity.REVIEW,
      summary="JON not recorded as contacted, or contacted after the referral date")
def jon_contacted_first(sub: Submission) -> Iterator[Finding]:
    """§11.1: before referring, schools should seek advice by calling Just One Number."""
    if not sub.jon_contacted():
        yield jon_contacted_first.finding(
            f"{_not_ticked(sub, 'chk_jon_contacted')}. Ask the school whether "
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
            f"{_not_ticked(sub, 'chk_policy_followed')}. Ask the school to "
            f"confirm its own medical needs procedures have been followed.")


@rule("R-CHK-SEND", section="10", severity=Severity.REVIEW,
      summary="EHCP or SEN support, but no SENCO assessment recorded")
def senco_assessment(sub: Submission) -> Iterator[Finding]:
    """§10, §11.1: a SENCO assessment if SEND is identified."""
    if (sub.get("pupil_ehcp") is True or sub.get("pupil_sen_support") is True) \
            and sub.get("chk_senco_assessment") is not True:
        need = "an EHCP" if sub.get("pupil_ehcp") is True else "SEN support"
        yield senco_assessment.finding(
            f"The young person has {need}, but {_not_ticked(sub, 'chk_senco_assessment')}. Ask the school whether "
            f"the SENCO has assessed the young person's needs.")
