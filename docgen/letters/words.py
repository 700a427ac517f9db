"""Plain words for letters: dates, values, policy reasons (what the letters say, in one place)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen import dates
from docgen.dates import as_date
from docgen.forms import FORMS
from docgen.letters.render import clean_value

NOT_GIVEN = "not given"
SERVICE_WEBSITE = "https://www.schools.norfolk.gov.uk/pupil-needs/health-needs/medical-needs-service"
JOINT_PROTOCOL = "one of the Joint Medical Protocol forms of Norfolk Safeguarding Children Partnership procedure 5.27"


def long_date(value: Any, *, missing: str = NOT_GIVEN) -> str:
    """`2026-04-03` or a date → "3 April 2026"; blank → `missing`; unreadable text returned as it is."""
    if value is None or value == "":
        return missing
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        raw: str = value
        try:
            value = dt.date.fromisoformat(raw.strip())
        except ValueError:
            return raw
    if isinstance(value, dt.date):
        return dates.long_date(value)
    return str(value)


def short_date(value: Any) -> str:
    """"Mon 12 Jan" style date for tables."""
    day = as_date(value)
    return f"{day:%a} {day.day} {day:%b}" if day else NOT_GIVEN


def date_range(start: Any, end: Any) -> str:
    """"Mon 12 Jan to Fri 16 Jan 2026" (the year once, at the end, unless the range crosses a year); one day once."""
    first, last = as_date(start), as_date(end)
    if first is None or last is None:
        return NOT_GIVEN
    if first == last:
        return f"{short_date(first)} {first.year}"
    if first.year != last.year:
        return f"{short_date(first)} {first.year} to {short_date(last)} {last.year}"
    return f"{short_date(first)} to {short_date(last)} {last.year}"


def long_range(start: Any, end: Any) -> str:
    """"8 to 12 February 2027", "22 February to 5 March 2027", one day "8 February 2027" (letters' prose)."""
    first, last = as_date(start), as_date(end)
    if first is None or last is None:
        return NOT_GIVEN
    if first == last:
        return long_date(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} to {long_date(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} to {long_date(last)}"
    return f"{long_date(first)} to {long_date(last)}"


def weekday_date(value: Any) -> str:
    """"Monday 19 July 2027"."""
    day = as_date(value)
    return f"{day:%A} {long_date(day)}" if day else NOT_GIVEN



def year_group(value: Any) -> str:
    """0 → "Reception", -1 → "Nursery", 7 → "Year 7"."""
    if value is None or value == "":
        return NOT_GIVEN
    if isinstance(value, int) and not isinstance(value, bool):
        return {0: "Reception", -1: "Nursery"}.get(value, f"Year {value}")
    return str(value)


def text(value: Any, *, missing: str = NOT_GIVEN, multiline: bool = False) -> str:
    """Any form value as words: yes/no, dates in full, blank → `missing`.

    A one-line value (a name, a role, a school) reads as one line: any line break in it
    (`\n`, `\r`, Excel's `\x0b`) or run of spaces becomes one space. A `multiline` value
    (an address, a long answer) keeps its line breaks; the letter shows them as breaks.
    """
    if value is None:
        return missing
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return long_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(text(v, multiline=multiline) for v in value) or missing
    result: str = clean_value(str(value))
    if multiline:
        lines = (" ".join(line.split()) for line in result.splitlines())
        result = "\n".join(line for line in lines if line)
    else:
        result = " ".join(result.split())
    return result or missing


_LABELS: dict[str, str] = {}
for _form in FORMS.values():
    for _field in _form.fields:
        _LABELS.setdefault(_field.key, _field.label)
_DATE_KEYS = {key for form in FORMS.values() for key in form.keys if key.endswith(("_date", "_dob"))}
_EXTRA_LABELS = {
    "possible_sessions": "Possible sessions",
    "attended_sessions": "Sessions attended",
    "authorised_absence_sessions": "Authorised absence (sessions)",
    "unauthorised_absence_sessions": "Unauthorised absence (sessions)",
    "illness_sessions": "Illness sessions (code I)",
    "medical_sessions": "Medical appointment sessions (code M)",
    "attendance_pct": "Attendance %",
    "illness_days": "Days of illness",
    "longest_illness_run_days": "Longest run of illness (school days)",
    "first_date": "First date in the record",
    "last_date": "Last date in the record",
    "pupil_name": "Pupil name",
}


def label(key: str) -> str:
    """The printed label of a form field key (SPEC §3), or the key in words."""
    return _LABELS.get(key) or _EXTRA_LABELS.get(key) or key.replace("_", " ").capitalize()


def field_value(key: str, value: Any) -> str:
    """A form value as it should read in a report: dates in full, year groups named."""
    if key == "pupil_year_group":
        return year_group(value)
    if key in _DATE_KEYS or key in {"first_date", "last_date"}:
        return long_date(value)
    return text(value, multiline=True)


# §11.8 — the six reasons provision ends, as the letter states them.
END_REASONS: dict[str, str] = {
    "no_continuation": "the school did not submit a Continuation request within the 12-week period",
    "returned_to_school": (
        "we have received information that {name} is well enough to return to school, "
        "or has returned to school"
    ),
    "no_health_evidence": "there is no further health evidence to support a continued absence from school",
    "too_unwell_to_engage": "{name} is not currently well enough to engage with the package offered",
    "unwilling_to_engage": (
        "{name} has not engaged with the provision offered, even after attempts to adapt the package"
    ),
    "end_of_statutory_school_age": "{name} {has_reached} the end of statutory school age",
}

# §11.8 — what happens next, after each reason (the End of Provision letter's last word on the case).
END_NEXT_STEPS: dict[str, str] = {
    "no_continuation": (
        "From {resume} {school} {is_} responsible for {name}'s full education again. If {name}'s health still "
        "prevents attendance, the school can make a new referral with up-to-date medical evidence."
    ),
    "returned_to_school": (
        "From {resume} {school} {is_} responsible for {name}'s full education again, and we hope the return to "
        "school goes well. If health needs mean that {name} cannot attend school in the future, the school "
        "can make a new referral to the Medical Needs Service."
    ),
    "no_health_evidence": (
        "From {resume} {school} {is_} responsible for {name}'s full education again. If new medical evidence "
        "shows that {name} cannot attend school because of health needs, the school can make a new referral "
        "with that evidence."
    ),
    "too_unwell_to_engage": (
        "{school} remains responsible for {name}'s education and welfare and will keep in touch with the "
        "family. When {name} is well enough to engage with education, the school can make a new referral to "
        "the Medical Needs Service with up-to-date medical evidence."
    ),
    "unwilling_to_engage": (
        "From {resume} {school} {is_} responsible for {name}'s full education again and will keep in touch "
        "with the family about attendance and support. If circumstances change, please contact the school or "
        "me to discuss them."
    ),
    "end_of_statutory_school_age": (
        "As {name} {is_no_longer} of statutory school age, the Medical Needs Service cannot continue the "
        "provision. For education or training after 16, the college, sixth form or training provider "
        "makes any reasonable adjustments needed while {name} is unwell; a Guidance Adviser can help with "
        "the next steps."
    ),
}

# Why a period has no Continuation request (the timeline's `end_reason` is not "weeks").
NO_CONTINUATION_BECAUSE = {
    "school_leaving_date": "the provision ends when the young person reaches the end of statutory school age "
                           "(section 11.8)",
    "expected_return": "the provision ends when the young person is expected back in school (section 11.4)",
}

TIMELINE_END_REASONS = {
    "weeks": "the end of the {weeks}-school-week period (policy section 11.4)",
    "school_leaving_date": (
        "the end of statutory school age, the last Friday of June in Year 11 (policy section 11.8)"
    ),
    "expected_return": "the expected return to school (policy section 11.4)",
}

# What a `missing` finding asks the school for (request for information, §11.2).
MISSING_GUIDANCE: dict[str, tuple[str, str]] = {
    "R-FORM-REQUIRED": (
        "Incomplete forms cannot be processed: every question marked * must be answered.",
        "Please answer the question on the form and send the completed form again.",
    ),
    "R-FORM-INVALID": (
        "We could not read this answer, so the form counts as incomplete.",
        "Please correct the answer on the form (for dates use day/month/year) and send the form again.",
    ),
    "R-DOCS-EVIDENCE": (
        "Medical evidence from a qualified health professional who has seen the young person is "
        "needed before a referral can be accepted.",
        f"Please send a completed Health Information Form ({JOINT_PROTOCOL}) or a letter from a "
        "health professional who has seen the young person.",
    ),
    "R-DOCS-ATTENDANCE": (
        "The attendance record for the year to date lets us assess the referral correctly.",
        "Please send an electronic copy of the attendance herringbone for this academic year "
        "(early in the year, last year's as well).",
    ),
    "R-CONSENT-HEALTH": (
        "Consent is required so that the Medical Needs Coordinator can contact health professionals "
        "for further guidance.",
        "Please send the parent/carer's consent (the Joint Medical Protocol Consent Form, or the consent "
        "questions on the referral form completed).",
    ),
    "R-EVID-FITNOTE": (
        "Medical evidence cannot be an adult Statement of Fitness for Work ('sick note').",
        f"Please send a Health Information Form ({JOINT_PROTOCOL}) or a letter from a health professional "
        "who has seen the young person.",
    ),
    "R-EVID-SEND-ONLY": (
        "Medical evidence that names a special educational need or disability but no illness or medical "
        "diagnosis cannot be accepted.",
        "Please send evidence from a health professional that states the health condition or diagnosis.",
    ),
    "R-EVID-CONTENT": (
        "Written medical evidence must describe the health condition and treatment, any referrals to other "
        "services, and how the young person may best be supported to return to full-time education.",
        "Please ask the health professional for the missing information in writing.",
    ),
    "R-CONT-DOCS": (
        "A Continuation request must come with updated medical evidence, the attendance herringbone and "
        "the updated Initial Planning and Review Record.",
        "Please send the missing document.",
    ),
}
GENERIC_GUIDANCE = (
    "The policy needs this before the referral can be processed.",
    "Please send the missing information, quoting our reference.",
)


def section_why(sections: list[str]) -> str:
    """The policy's reasons for the given sections, in words ("" when none is known)."""
    seen = []
    for section in sections:
        why = SECTION_WHY.get(section.lstrip("§ "))
        if why and why not in seen:
            seen.append(why)
    return " ".join(seen)


def sections_text(sections: list[str]) -> str:
    """["11.2.2", "11.1"] → "sections 11.2.2 and 11.1"; one → "section 11.2.2"."""
    unique = list(dict.fromkeys(s.lstrip("§ ") for s in sections if s))
    if not unique:
        return "section 11.2"
    if len(unique) == 1:
        return f"section {unique[0]}"
    return "sections " + ", ".join(unique[:-1]) + f" and {unique[-1]}"

# Where to go instead, for each reason a referral is not accepted.
NOT_ACCEPTED_GUIDANCE: dict[str, tuple[str, str]] = {
    "R-ELIG-AGE-UPPER": (
        "The Medical Needs Service normally supports pupils from Reception to Year 11 (ages 5 to 16). "
        "{name} is of post-16 age and is not recorded as repeating Year 11 for medical reasons.",
        "For post-16 students in mainstream provision, the host school, college or training provider makes "
        "any reasonable adjustments needed while the young person is unwell. If the young person has an "
        "Education, Health and Care Plan, please contact their EHCP Coordinator first. If they are at risk "
        "of not being in education, employment or training, please consult a Guidance Adviser. "
        "You are welcome to contact me for advice.",
    ),
    "R-ELIG-AGE-LOWER": (
        "The Medical Needs Service normally supports pupils from Reception to Year 11 (ages 5 to 16). "
        "{name} is below Reception age.",
        "Please contact me to discuss support for early years children.",
    ),
    "R-ELIG-EHE": (
        "{name} is registered as electively home educated. Parents/carers who elect to home educate accept "
        "responsibility for their child's education, so home-learning support is not available, and no "
        "exceptional circumstances were given on the referral.",
        "If the family feels there are exceptional circumstances, the parent/carer may contact me to explain "
        "them; the referral can then be considered again.",
    ),
}
GENERIC_NOT_ACCEPTED = (
    "The referral does not meet the criteria of the Medical Needs Service policy.",
    "The school remains responsible for the young person's education and welfare. I am happy to discuss "
    "other support, and the school can make a new referral if circumstances change.",
)

# What each policy section asks for, as a request for information or a refusal explains it.
SECTION_WHY: dict[str, str] = {
    "11.1": "Before a referral, the school follows its own medical needs policy and the schools' checklist, "
            "including advice from Just One Number.",
    "11.2": "Referrals are accepted when the referral form, appropriate medical evidence and the attendance "
            "herringbone have been received.",
    "11.2.1": "Forms must be completed fully; incomplete forms will not be processed.",
    "11.2.2": "Medical evidence must come from a qualified health professional who has seen the young person, "
              "describe the condition and treatment, referrals to other services and how to support a return "
              "to full-time education; evidence from someone who has not seen the young person is challenged.",
    "11.2.3": "The attendance herringbone for the year to date lets the service assess the referral correctly.",
    "11.7": "A Continuation request comes with updated medical evidence, the attendance herringbone and the "
            "updated Initial Planning and Review Record.",
    "2": "The service supports children who live in Norfolk.",
    "4": "Parent/carer consent is needed before Just One Number is contacted.",
    "5": "Children not on a school roll, or electively home educated, are considered individually.",
    "6": "The service supports pupils from Reception to Year 11.",
    "7": "A hospital in-patient is educated by the hospital school; the service plans for discharge.",
    "9": "Pregnancy is not in itself an illness; absence related to pregnancy is considered individually.",
    "10": "Where a young person has special educational needs, a SENCO assessment is expected.",
}

# §11.2.2's list of professionals, for naming the one who gave the evidence (jmp_health `professional_role`).
ROLE_WORDS = {
    "camhs": "CAMHS professional",
    "me_cfs_service": "Norfolk and Suffolk ME/CFS service",
    "school_nurse": "School nurse",
    "paediatrician": "Paediatrician",
    "clinical_child_psychologist": "Clinical child psychologist",
    "consultant_child_psychiatrist": "Consultant child psychiatrist",
    "specialist_nhs": "Specialist NHS service",
    "primary_care": "Primary care health professional",
    "gp": "General Practitioner",
}


def professional(fields: Any) -> str:
    """"Dr Amira Shah, Paediatrician, Norfolk and Norwich University Hospital" from evidence fields ("" if none)."""
    if not hasattr(fields, "get"):
        return ""
    name = text(fields.get("professional_name"), missing="")
    role_value = fields.get("professional_role")
    role = ROLE_WORDS.get(str(role_value), "") if role_value not in (None, "other") else ""
    organisation = text(fields.get("professional_organisation"), missing="")
    parts = [p for p in (name, role, organisation) if p]
    return ", ".join(parts) if name else ""
