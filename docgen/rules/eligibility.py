"""Who the service is for: R-ELIG-* (policy §2, §5, §6, §7, §9, §11.1, §11.2)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from docgen.dates import long_date
from docgen.forms import REFERRAL
from docgen.rules.form import year_name
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.submission import Submission

MIN_DAYS = 15  # §11.1: away from school for 15 days or more, consecutive or cumulative


@rule("R-ELIG-AGE-UPPER", section="6", severity=Severity.INELIGIBLE,
      summary="computed year group ≥ 12 and not repeating Year 11 (post-16: host school/college; EHCP → coordinator)")
def not_post_16(sub: Submission) -> Iterator[Finding]:
    """§6: support is for Reception to Year 11; post-16 the host school or college makes adjustments."""
    year = sub.computed_year_group()
    if year is None or year < 12 or sub.get("repeating_year_11") is True:
        return
    coordinator = sub.get("ehcp_coordinator")
    named = f" ({coordinator})" if isinstance(coordinator, str) and coordinator.strip() else ""
    where = (f"As the young person has an EHCP, the school, college or training provider should contact the "
             f"EHCP Coordinator{named} in the first instance for advice."
             if sub.get("pupil_ehcp") is True else
             "The host school, college or training provider should make any reasonable adjustments for the "
             "young person; they may contact the Medical Needs Coordinator for advice.")
    dob = sub.date("pupil_dob")
    born = f" (born {long_date(dob)}, {sub.where('pupil_dob')})" if dob else ""
    yield not_post_16.finding(
        f"By date of birth{born} the young person is in {year_name(year)} (post-16), and is not repeating Year 11 "
        f"for medical reasons, so the Medical Needs Service does not provide support. {where}")


@rule("R-ELIG-YEAR11-REPEAT", section="6", severity=Severity.REVIEW,
      summary="repeating Year 11 for medical reasons (considered individually)")
def repeating_year_11(sub: Submission) -> Iterator[Finding]:
    """§6: pupils repeating Year 11 for medical reasons are considered on an individual basis."""
    if sub.get("repeating_year_11") is True:
        yield repeating_year_11.finding(
            f"{sub.where('repeating_year_11')} is answered Yes: the young person is repeating Year 11 for "
            f"medical reasons. The coordinator considers such requests individually; nothing to send yet.")


@rule("R-ELIG-AGE-LOWER", section="6", severity=Severity.INELIGIBLE, summary="below Reception")
def not_below_reception(sub: Submission) -> Iterator[Finding]:
    """§6: support is from Reception (age 5) upwards."""
    year = sub.computed_year_group()
    if year is not None and year < 0:
        dob = sub.date("pupil_dob")
        born = f" (born {long_date(dob)}, {sub.where('pupil_dob')})" if dob else ""
        yield not_below_reception.finding(
            f"By date of birth{born} the young person is below Reception ({year_name(year)}); the Medical Needs "
            f"Service supports pupils from Reception to Year 11. Early years settings can contact the Medical "
            f"Needs Coordinator for advice.")


@rule("R-ELIG-EHE", section="5", severity=Severity.INELIGIBLE,
      summary="electively home educated with no exceptional circumstances given (with them: review)")
def not_home_educated(sub: Submission) -> Iterator[Finding]:
    """§5: parents who elect home education accept responsibility for it; rare exceptions are considered."""
    if sub.get("pupil_ehe") is not True:
        return
    if sub.get("ehe_exceptional_circumstances"):
        yield not_home_educated.finding(
            f"{sub.where('pupil_ehe')} is answered Yes: the young person is electively home educated. The "
            f"exceptional circumstances given ({sub.where('ehe_exceptional_circumstances')}) are for the "
            f"coordinator to consider.", Severity.REVIEW)
    else:
        yield not_home_educated.finding(
            f"{sub.where('pupil_ehe')} is answered Yes and no exceptional circumstances are given: parents who "
            f"elect home education accept responsibility for it, so home-learning support is not available. The "
            f"parent/carer may contact the Medical Needs Coordinator if they feel there are exceptional "
            f"circumstances.")


@rule("R-ELIG-NOT-ON-ROLL", section="5", severity=Severity.REVIEW,
      summary="not on a school roll (Children Missing Education: coordinator to discuss)")
def on_school_roll(sub: Submission) -> Iterator[Finding]:
    """§5, §11.2: a child not on a school roll is discussed with the coordinator."""
    if sub.get("pupil_on_roll") is False:
        yield on_school_roll.finding(
            f"{sub.where('pupil_on_roll')} is answered No: the young person is not on the roll of a school "
            f"(Children Missing Education). The coordinator discusses future provision with the family or the "
            f"EHCP Coordinator; no attendance record is needed.")


@rule("R-ELIG-INPATIENT", section="7", severity=Severity.REVIEW,
      summary="hospital in-patient (hospital school educates; plan for discharge)")
def not_inpatient(sub: Submission) -> Iterator[Finding]:
    """§7: in-patients are usually educated by the hospital school; plan ahead of discharge."""
    if sub.get("hospital_inpatient") is True:
        yield not_inpatient.finding(
            f"{sub.where('hospital_inpatient')} is answered Yes: in-patients are usually educated by the "
            f"hospital school. The coordinator plans provision for discharge with the family and school.")


@rule("R-ELIG-PREGNANCY", section="9", severity=Severity.REVIEW,
      summary="pregnancy-related absence (pregnancy is not an illness)")
def not_pregnancy(sub: Submission) -> Iterator[Finding]:
    """§9: pregnancy is not an illness; a referral is made only if the pupil is too unwell to attend."""
    if sub.get("pregnancy_related") is True:
        yield not_pregnancy.finding(
            f"{sub.where('pregnancy_related')} is answered Yes: pregnancy is not an illness. The coordinator checks "
            f"that the medical evidence shows the pupil is too unwell to attend school; ask the school for "
            f"evidence of when the baby is expected if it is not with the referral.")


@rule("R-ELIG-SPECIAL-PLACE", section="11.2", severity=Severity.REVIEW,
      summary="awaiting a special school place (the service is not an interim measure)")
def not_awaiting_special_place(sub: Submission) -> Iterator[Finding]:
    """§11.2: the service is not an interim measure for a pupil awaiting a special school place."""
    if sub.get("awaiting_special_school_place") is True:
        yield not_awaiting_special_place.finding(
            f"{sub.where('awaiting_special_school_place')} is answered Yes: the service is not an interim "
            f"measure for a pupil awaiting a special school place, so the coordinator checks the referral is for "
            f"a health need.")


@rule("R-ELIG-ABSENCE", section="11.1", severity=Severity.REVIEW,
      summary="health-related absence so far (the larger of days_absent and the attendance record's illness_days) "
              "+ expected_absence_weeks × 5 is under 15 school days")
def absence_of_15_days(sub: Submission) -> Iterator[Finding]:
    """§11.1: support is for pupils away from school for 15 days or more, consecutive or cumulative."""
    so_far = sub.absence_days()
    weeks = sub.get("expected_absence_weeks")
    if so_far is None or not isinstance(weeks, int) or isinstance(weeks, bool):
        return
    total = so_far + weeks * 5
    if total < MIN_DAYS:
        yield absence_of_15_days.finding(
            f"Absence for health reasons so far ({so_far:g} school days: {sub.where('days_absent')} and the "
            f"attendance record) plus the expected absence ({weeks} weeks = {weeks * 5} days, "
            f"'{REFERRAL['expected_absence_weeks'].label}') comes to {total:g} school days, under the 15 days "
            f"the service is for. The school supports shorter absences itself; the coordinator decides.")


NORFOLK_AREAS = (
    re.compile(r"^NR\d{1,2}$"),
    re.compile(r"^PE3[0-8]$"),
    re.compile(r"^IP2[0-6]$"),
)
PARTLY_NORFOLK = ("IP27",)  # Brandon area: partly Norfolk, partly Suffolk — a person checks the address


@rule("R-ELIG-RESIDENCE", section="2", severity=Severity.REVIEW,
      summary="home postcode is not a Norfolk postcode (NR; PE30–PE38; IP20–IP26, IP27 partly)")
def lives_in_norfolk(sub: Submission) -> Iterator[Finding]:
    """§2: the duty applies to children who live in Norfolk, wherever their school is."""
    postcode = sub.get("pupil_postcode")
    if not isinstance(postcode, str) or not postcode.strip():
        return
    outward = postcode.split()[0].upper()
    label = REFERRAL["pupil_postcode"].label
    if outward in PARTLY_NORFOLK:
        yield lives_in_norfolk.finding(
            f"'{label}' {postcode} is in the IP27 area, which is partly in Norfolk and partly in Suffolk; check "
            f"from the address that the young person lives in Norfolk.")
    elif not any(p.match(outward) for p in NORFOLK_AREAS):
        yield lives_in_norfolk.finding(
            f"'{label}' {postcode} is not a Norfolk postcode; the service is for children who live in Norfolk. "
            f"Check the address, or refer the family to their home local authority.")
