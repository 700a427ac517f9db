"""Invented pupils and complete form values for tests, `docgen demo` and benchmarks.

Everything here is made up: names, schools, addresses, professionals. The same seed always
gives the same pupil and values. Values are Python values (date, bool, int, str) keyed by
the data dictionary's keys (SPEC §3), consistent with one another and with the policy
checks (SPEC §6), so a referral built from them has nothing for the rules to find.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from docgen.forms.upn import check_letter

FORENAMES = {
    "Female": ("Amelia", "Isla", "Freya", "Maisie", "Poppy", "Esme", "Ivy", "Lottie", "Nell", "Wren", "Priya",
               "Aisha", "Mei", "Zofia", "Elodie"),
    "Male": ("Noah", "Oliver", "Leo", "Arlo", "Rory", "Finley", "Jasper", "Reuben", "Ezra", "Ted", "Tomasz",
             "Kofi", "Idris", "Callum", "Hamza"),
}
SURNAMES = ("Thornbury", "Ashdown", "Pennick", "Wexcombe", "Marlowe", "Quenby", "Harrowden", "Felbrigg",
            "Oakhurst", "Tillery", "Brackwell", "Dunmore", "Ellery", "Fairweather", "Gosling", "Hensby",
            "Kettleborough", "Larchmont", "Mossop", "Nettlefield", "Okonjo", "Prideaux", "Rookwood",
            "Scarrow", "Tamblyn", "Underhay", "Vosper", "Whitlock", "Yardley", "Zennor")
PARENT_FORENAMES = ("Hannah", "Daniel", "Sophie", "Mark", "Rachel", "Sam", "Claire", "Joseph", "Laura",
                    "Imran", "Natalia", "Gareth")
STREETS = ("Mill Lane", "Church Road", "Heron Close", "Orchard Way", "Willow Drive", "Station Road",
           "Barley Rise", "Kestrel Court", "Marsh Lane", "Beech Grove", "Lark Meadow", "Saxon Way")
TOWNS = ("Norwich", "Dereham", "Wymondham", "Aylsham", "Cromer", "North Walsham", "Attleborough", "Great Yarmouth")
PRIMARY_SCHOOLS = ("Larkrise Meadow Primary School", "Wensum Vale Primary School", "Brackenfield Junior School",
                   "Oakhollow CE Primary School")
SECONDARY_SCHOOLS = ("Heronsgate High School", "Fenbrook Academy", "Saltmarsh Community High School",
                     "Kestrel Ridge Academy")
CLINICIANS = ("Dr Morwenna Kestle", "Dr Anand Rosewarne", "Dr Felicity Ambrose-Lake", "Jo Penhallow",
              "Sam Treharne", "Dr Imogen Castellan", "Chris Nanscawen", "Dr Tobias Wrenfield")
ORGANISATIONS = ("Westmere Children's Health Service", "Riverside Child and Adolescent Mental Health Team",
                 "Eastwold Community Paediatrics", "Broadland Children's Clinic")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LA_NUMBER = "926"  # Norfolk's local authority number
DIAGNOSES = (
    "Generalised anxiety disorder with panic attacks",
    "Chronic fatigue syndrome (ME/CFS)",
    "Crohn's disease with a recent severe flare",
    "Post-viral fatigue and postural tachycardia syndrome",
    "Severe depressive episode",
    "Epilepsy with frequent seizures while medication is adjusted",
)


@dataclass
class Pupil:
    """An invented child and the adults around them, consistent with one `today`."""

    seed: int
    forename: str
    surname: str
    dob: dt.date
    upn: str
    year_group: int
    gender: str
    address: str
    postcode: str
    school_name: str
    school_dfe_number: str
    parent_name: str
    parent_relationship: str
    parent_phone: str
    parent_email: str
    referrer_name: str
    referrer_role: str
    referrer_email: str
    referrer_phone: str
    dsl_name: str
    dsl_email: str
    senco_name: str
    diagnosis: str
    clinician: str
    organisation: str

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def pronoun(self) -> str:
        return {"Female": "she", "Male": "he"}.get(self.gender, "they")

    @property
    def possessive(self) -> str:
        return {"Female": "her", "Male": "his"}.get(self.gender, "their")


def academic_year_start(on: dt.date) -> int:
    """The calendar year in which the academic year containing `on` began (1 September)."""
    return on.year if on.month >= 9 else on.year - 1


def dob_for_year_group(year_group: int, today: dt.date, rng: random.Random) -> dt.date:
    """A date of birth giving `year_group` on `today` (age on the 31 August starting the year, minus 4)."""
    start = academic_year_start(today)
    earliest = dt.date(start - year_group - 5, 9, 1)
    latest = dt.date(start - year_group - 4, 8, 31)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def make_upn(rng: random.Random, *, school_number: str, year: int) -> str:
    """A permanent UPN with a valid DfE check letter."""
    body = f"{LA_NUMBER}{school_number}{year % 100:02d}{rng.randrange(1000):03d}"
    return check_letter(body) + body


def make_postcode(rng: random.Random) -> str:
    """A Norwich-area (NR) postcode."""
    letters = "".join(rng.choice(INWARD_LETTERS) for _ in range(2))
    return f"NR{rng.randint(1, 35)} {rng.randint(1, 9)}{letters}"


def _email(name: str, domain: str) -> str:
    local = ".".join(part.lower().strip("-'") for part in name.replace("Dr ", "").split())
    return f"{local}@{domain}"


def make_pupil(seed: int, *, today: dt.date, year_group: int | None = None) -> Pupil:
    """An invented pupil (year group 1–10 unless given) whose age matches the year group on `today`."""
    rng = random.Random(f"pupil-{seed}")
    group = year_group if year_group is not None else rng.randint(1, 10)
    dob = dob_for_year_group(group, today, rng)
    gender = rng.choice(("Female", "Male"))
    surname = rng.choice(SURNAMES)
    schools = PRIMARY_SCHOOLS if group <= 6 else SECONDARY_SCHOOLS
    school_index = rng.randrange(len(schools))
    school = schools[school_index]
    school_number = f"{(2000 if group <= 6 else 4000) + school_index * 37:04d}"
    town = rng.choice(TOWNS)
    parent_forename = rng.choice(PARENT_FORENAMES)
    parent_relationship = "Mother" if parent_forename in {"Hannah", "Sophie", "Rachel", "Claire", "Laura",
                                                          "Natalia"} else "Father"
    domain = school.lower().replace(" ce ", " ").split()[0] + ".norfolk.sch.example"
    referrer = f"{rng.choice(PARENT_FORENAMES)} {rng.choice(SURNAMES)}"
    dsl = f"{rng.choice(PARENT_FORENAMES)} {rng.choice(SURNAMES)}"
    senco = f"{rng.choice(PARENT_FORENAMES)} {rng.choice(SURNAMES)}"
    parent = f"{parent_forename} {surname}"
    return Pupil(
        seed=seed,
        forename=rng.choice(FORENAMES[gender]),
        surname=surname,
        dob=dob,
        upn=make_upn(rng, school_number=school_number, year=dob.year + 5),
        year_group=group,
        gender=gender,
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}, {town}",
        postcode=make_postcode(rng),
        school_name=school,
        school_dfe_number=f"{LA_NUMBER}{school_number}",
        parent_name=parent,
        parent_relationship=parent_relationship,
        parent_phone=f"07700 9{rng.randrange(100000):05d}",
        parent_email=_email(parent, "example.com"),
        referrer_name=referrer,
        referrer_role=rng.choice(("Head of Year", "Assistant Headteacher", "Pastoral Lead", "Attendance Officer")),
        referrer_email=_email(referrer, domain),
        referrer_phone=f"01603 {rng.randrange(100000, 999999)}",
        dsl_name=dsl,
        dsl_email=_email(dsl, domain),
        senco_name=senco,
        diagnosis=rng.choice(DIAGNOSES),
        clinician=rng.choice(CLINICIANS),
        organisation=rng.choice(ORGANISATIONS),
    )


def school_days_before(day: dt.date, count: int) -> dt.date:
    """The weekday `count` weekdays before `day` (weekends skipped)."""
    while count > 0:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def referral_values(pupil: Pupil, *, today: dt.date, **overrides: Any) -> dict[str, Any]:
    """A complete referral by key: every required field filled, nothing for the policy checks to find."""
    rng = random.Random(f"referral-{pupil.seed}")
    referral_date = school_days_before(today, rng.randint(0, 3)) if today.weekday() < 5 else today
    jon_date = referral_date - dt.timedelta(days=rng.randint(7, 14))
    consent_date = jon_date - dt.timedelta(days=rng.randint(1, 5))
    days_absent = rng.randint(20, 30)
    first_absence = school_days_before(referral_date, days_absent + rng.randint(2, 8))
    values: dict[str, Any] = {
        "pupil_forename": pupil.forename,
        "pupil_surname": pupil.surname,
        "pupil_preferred_name": None,
        "pupil_dob": pupil.dob,
        "pupil_gender": pupil.gender,
        "pupil_upn": pupil.upn,
        "pupil_year_group": pupil.year_group,
        "pupil_address": pupil.address,
        "pupil_postcode": pupil.postcode,
        "pupil_on_roll": True,
        "pupil_ehe": False,
        "pupil_looked_after": False,
        "social_worker": None,
        "pupil_ehcp": False,
        "ehcp_coordinator": None,
        "pupil_sen_support": False,
        "repeating_year_11": False,
        "parent_name": pupil.parent_name,
        "parent_relationship": pupil.parent_relationship,
        "parent_phone": pupil.parent_phone,
        "parent_email": pupil.parent_email,
        "parent_address": None,
        "school_name": pupil.school_name,
        "school_dfe_number": pupil.school_dfe_number,
        "referrer_name": pupil.referrer_name,
        "referrer_role": pupil.referrer_role,
        "referrer_email": pupil.referrer_email,
        "referrer_phone": pupil.referrer_phone,
        "dsl_name": pupil.dsl_name,
        "dsl_email": pupil.dsl_email,
        "senco_name": pupil.senco_name,
        "health_condition": pupil.diagnosis,
        "health_professionals": f"{pupil.clinician}, {pupil.organisation}",
        "first_absence_date": first_absence,
        "days_absent": days_absent,
        "expected_absence_weeks": 8,
        "hospital_inpatient": False,
        "pregnancy_related": False,
        "awaiting_special_school_place": False,
        "previous_referral": False,
        "ehe_exceptional_circumstances": None,
        "chk_policy_followed": True,
        "chk_jon_contacted": True,
        "jon_contact_date": jon_date,
        "chk_health_advice": True,
        "chk_parent_meeting": True,
        "chk_ihcp": True,
        "chk_senco_assessment": False,
        "chk_sen_guidance": True,
        "chk_mh_guidance": True,
        "chk_sen_budget": False,
        "chk_keyworker": True,
        "chk_attendance_plan": True,
        "chk_safe_space": True,
        "chk_timeout_card": False,
        "chk_reduced_timetable": True,
        "chk_reduced_exams": False,
        "chk_outreach": False,
        "chk_online_learning": True,
        "consent_jon": True,
        "consent_health_contact": True,
        "consent_given_by": pupil.parent_name,
        "consent_date": consent_date,
        "school_support_declaration": True,
        "referral_date": referral_date,
    }
    return _merge(values, overrides)


def continuation_values(pupil: Pupil, *, provision_start: dt.date, today: dt.date,
                        **overrides: Any) -> dict[str, Any]:
    """A complete continuation request for a provision that started on `provision_start`."""
    values: dict[str, Any] = {
        "case_reference": f"MN-{provision_start.year}-{pupil.seed % 10000:04d}",
        "pupil_forename": pupil.forename,
        "pupil_surname": pupil.surname,
        "pupil_dob": pupil.dob,
        "pupil_upn": pupil.upn,
        "school_name": pupil.school_name,
        "referrer_name": pupil.referrer_name,
        "referrer_role": pupil.referrer_role,
        "referrer_email": pupil.referrer_email,
        "provision_start_date": provision_start,
        "current_provision": "Five hours a week of one-to-one tuition at home in English, maths and science, "
                             "with weekly online lessons.",
        "progress_summary": f"{pupil.forename} has engaged with every session and is keeping up with "
                            "coursework in the core subjects.",
        "reintegration_progress": f"{pupil.forename} has visited school twice for a short meeting with "
                                  f"{pupil.possessive} keyworker.",
        "continuation_reason": f"{pupil.forename}'s treatment is ongoing and {pupil.possessive} consultant "
                               "advises a further period before a phased return.",
        "review_meeting_date": provision_start + dt.timedelta(weeks=6),
        "request_date": today,
    }
    return _merge(values, overrides)


def jmp_health_values(pupil: Pupil, *, today: dt.date, **overrides: Any) -> dict[str, Any]:
    """A complete JMP Health Information Form from a CAMHS practitioner who has seen the child."""
    rng = random.Random(f"jmp-health-{pupil.seed}")
    last_seen = today - dt.timedelta(days=rng.randint(7, 21))
    values: dict[str, Any] = {
        "pupil_forename": pupil.forename,
        "pupil_surname": pupil.surname,
        "pupil_dob": pupil.dob,
        "school_name": pupil.school_name,
        "professional_name": pupil.clinician,
        "professional_role": "CAMHS Mental Health Practitioner",
        "professional_organisation": pupil.organisation,
        "professional_registration": f"{rng.randint(10, 99)}{rng.choice('ABCDEFGH')}{rng.randint(1000, 9999)}"
                                     f"{rng.choice('ABCDEFGHJ')}",
        "professional_email": _email(pupil.clinician, "nhs.example"),
        "professional_phone": f"01603 {rng.randrange(100000, 999999)}",
        "seen_in_person": True,
        "last_seen_date": last_seen,
        "contact_type": "face_to_face",
        "diagnosis": pupil.diagnosis,
        "treatment": "Weekly cognitive behavioural therapy; symptoms currently prevent attendance at school.",
        "other_services": "Referred to the community paediatric team and the school nursing service.",
        "reintegration_advice": "A phased return starting with short visits, a named keyworker and a safe "
                                "space in school.",
        "unfit_for_school": "yes",
        "expected_duration_weeks": 8,
        "statement_date": today - dt.timedelta(days=rng.randint(1, 5)),
    }
    return _merge(values, overrides)


def jmp_consent_values(pupil: Pupil, *, today: dt.date, **overrides: Any) -> dict[str, Any]:
    """A complete JMP Consent Form signed by the parent/carer."""
    values: dict[str, Any] = {
        "pupil_forename": pupil.forename,
        "pupil_surname": pupil.surname,
        "pupil_dob": pupil.dob,
        "consent_name": pupil.parent_name,
        "consent_relationship": pupil.parent_relationship,
        "gillick_competent": False,
        "consent_share_health": True,
        "consent_date": today - dt.timedelta(days=10),
    }
    return _merge(values, overrides)


def _merge(values: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    unknown = set(overrides) - set(values)
    if unknown:
        raise KeyError(f"unknown field keys: {sorted(unknown)}")
    values.update(overrides)
    return values
