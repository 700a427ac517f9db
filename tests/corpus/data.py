"""What the independent corpus's forms say: questions as schools print them, answers, and the JSON they mean.

Written by hand from SPEC §3 (not from docgen's schema objects or samples), so that the corpus shares none of
docgen's own generators. Every name, date and address is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Every role a school uses for the person making a referral — several are also questions on the form.
REFERRER_ROLES = (
    "SENCO", "Headteacher", "Deputy Head", "Assistant Headteacher", "DSL", "Designated Safeguarding Lead",
    "Head of Year", "Pastoral Lead", "Attendance Officer", "Inclusion Manager", "School Nurse", "Parent",
    "GP", "Class Teacher", "Family Support Worker", "Head of School",
)
# Relationships a parent/carer gives.
RELATIONSHIPS = ("Mother", "Father", "Parent", "Carer", "Foster carer", "Grandmother", "Guardian", "Step-father")

# Every profession the evidence may come from, with the §11.2.2 role it reads as (SPEC §3.3 `role`).
PROFESSIONS: tuple[tuple[str, str], ...] = (
    ("Consultant Paediatrician", "paediatrician"), ("Community Paediatrician", "paediatrician"),
    ("GP", "gp"), ("General Practitioner", "gp"), ("School Nurse", "school_nurse"),
    ("CAMHS Practitioner", "camhs"), ("Mental Health Nurse", "camhs"),
    ("Clinical Child Psychologist", "clinical_child_psychologist"),
    ("Consultant Child Psychiatrist", "consultant_child_psychiatrist"),
    ("Specialist Physiotherapist, ME/CFS service", "me_cfs_service"),
    ("Practice Nurse", "primary_care"), ("Nurse Practitioner", "primary_care"),
    ("Epilepsy Specialist Nurse", "specialist_nhs"), ("Occupational Therapist", "other"),
)


@dataclass(frozen=True)
class Q:
    """One question as printed (label), its answer as written (text; bool for a box), and the JSON it means."""

    key: str
    label: str
    answer: Any  # str as written, or bool for a checkbox/yes-no, or None for left blank
    expected: Any
    kind: str = "text"  # text, bool, date, choice, long


def referral(n: int, role: str, relationship: str, *, year7: bool = True) -> list[Q]:
    """A complete, eligible referral (one variant per n): the trap questions ("SENCO", "DSL") come after the role."""
    forenames = ("Isla", "Reuben", "Maisie", "Kofi", "Esme", "Tadeusz", "Nell", "Arjun")
    surnames = ("Thurlow", "Okafor", "Brundall", "Stanhoe", "Pentney", "Walsoken", "Ormesby", "Heacham")
    fore, sur = forenames[n % len(forenames)], surnames[(n // 2) % len(surnames)]
    dob_day = 1 + n % 27
    dob = f"2013-10-{dob_day:02d}" if year7 else f"2009-05-{dob_day:02d}"
    dob_text = f"{dob_day:02d}/{dob[5:7]}/{dob[:4]}"
    parent = f"{('Laura', 'Marcus', 'Dee', 'Sunita')[n % 4]} {sur}"
    return [
        Q("pupil_forename", "Legal forename(s)", fore, fore),
        Q("pupil_surname", "Legal surname", sur, sur),
        Q("pupil_dob", "Date of birth", dob_text, dob, "date"),
        Q("pupil_gender", "Gender", ("Female", "Male", "Non-binary")[n % 3], ("Female", "Male", "Non-binary")[n % 3]),
        Q("pupil_upn", "Unique Pupil Number (UPN)", "F926 2001 1412 3", "F926200114123"),
        Q("pupil_year_group", "National Curriculum year group", "Year 7" if year7 else "Year 12",
          7 if year7 else 12, "choice"),
        Q("pupil_address", "Home address", f"{3 + n} Saltings Row, Wells-next-the-Sea",
          f"{3 + n} Saltings Row, Wells-next-the-Sea"),
        Q("pupil_postcode", "Postcode", "nr23 1ab", "NR23 1AB"),
        Q("pupil_on_roll", "Is the young person on the roll of a school?", True, True, "bool"),
        Q("pupil_ehe", "Is the young person electively home educated?", False, False, "bool"),
        Q("pupil_looked_after", "Is the young person a looked after child?", False, False, "bool"),
        Q("social_worker", "Social worker name and contact details", "N/A", None),
        Q("pupil_ehcp", "Does the young person have an EHCP?", False, False, "bool"),
        Q("pupil_sen_support", "Is the young person receiving SEN support?", False, False, "bool"),
        Q("parent_name", "Parent/carer name", parent, parent),
        Q("parent_relationship", "Relationship to the young person", relationship, relationship, "choice"),
        Q("parent_phone", "Parent/carer telephone", "07700 900461", "07700900461"),
        Q("parent_email", "Parent/carer email", f"{sur.lower()}.family@example.org", f"{sur.lower()}.family@example.org"),
        Q("school_name", "School name", "Saltmarsh Coast Academy", "Saltmarsh Coast Academy"),
        Q("school_dfe_number", "School DfE number (LAESTAB)", "926/4071", "926/4071"),
        Q("referrer_name", "Name of person making the referral", "Gwen Holkham", "Gwen Holkham"),
        Q("referrer_role", "Role of person making the referral", role, role, "choice"),
        Q("referrer_email", "Referrer email", "g.holkham@saltmarsh.example.sch.uk", "g.holkham@saltmarsh.example.sch.uk"),
        Q("referrer_phone", "Referrer telephone", "01328 710000", "01328710000"),
        Q("dsl_name", "Designated Safeguarding Lead (DSL)", "Rafe Stiffkey", "Rafe Stiffkey"),
        Q("dsl_email", "DSL email", "r.stiffkey@saltmarsh.example.sch.uk", "r.stiffkey@saltmarsh.example.sch.uk"),
        Q("senco_name", "SENCO", "Bryony Cley", "Bryony Cley"),
        Q("health_condition", "Nature of the health need or diagnosis",
          "Juvenile idiopathic arthritis with flares affecting both knees",
          "Juvenile idiopathic arthritis with flares affecting both knees", "long"),
        Q("health_professionals", "Health professionals involved",
          "Dr A Moreton, consultant paediatric rheumatologist; physiotherapy team",
          "Dr A Moreton, consultant paediatric rheumatologist; physiotherapy team", "long"),
        Q("first_absence_date", "First day of absence for health reasons", "12 January 2026", "2026-01-12", "date"),
        Q("days_absent", "School days absent for health reasons this academic year", "24", 24),
        Q("expected_absence_weeks", "Expected length of absence (weeks)", "10", 10),
        Q("hospital_inpatient", "Is the young person currently a hospital in-patient?", False, False, "bool"),
        Q("pregnancy_related", "Is the absence related to pregnancy?", False, False, "bool"),
        Q("awaiting_special_school_place", "Is the young person awaiting a special school place?", False, False,
          "bool"),
        Q("previous_referral", "Has the young person been referred to the Medical Needs Service before?", False,
          False, "bool"),
        Q("chk_policy_followed", "School's own Medical Needs policy checked and all procedures followed", True,
          True, "bool"),
        Q("chk_jon_contacted", "Just One Number contacted for advice", True, True, "bool"),
        Q("jon_contact_date", "Date Just One Number was contacted", "19/01/2026", "2026-01-19", "date"),
        Q("chk_parent_meeting", "Meeting with parent/carer", True, True, "bool"),
        Q("chk_ihcp", "Individual healthcare plan (if appropriate)", True, True, "bool"),
        Q("chk_reduced_timetable", "Temporary reduced timetable", True, True, "bool"),
        Q("consent_jon", "Parent/carer consent obtained before contacting Just One Number", True, True, "bool"),
        Q("consent_health_contact",
          "Parent/carer consents to the Medical Needs Coordinator contacting health professionals", True, True,
          "bool"),
        Q("consent_given_by", "Consent given by", parent, parent),
        Q("consent_date", "Date consent given", "16/01/2026", "2026-01-16", "date"),
        Q("school_support_declaration",
          "The school will continue to set work and carry out welfare checks until provision begins", True, True,
          "bool"),
        Q("referral_date", "Date of referral", "20/02/2026", "2026-02-20", "date"),
    ]


REFERRAL_CHECKLIST_UNASKED = ("chk_health_advice", "chk_senco_assessment", "chk_sen_guidance", "chk_mh_guidance",
                              "chk_sen_budget", "chk_keyworker", "chk_attendance_plan", "chk_safe_space",
                              "chk_timeout_card", "chk_reduced_exams", "chk_outreach", "chk_online_learning")


def health_form(n: int, profession: str, role_key: str, *, fore: str = "Isla", sur: str = "Thurlow",
                dob: tuple[str, str] = ("01/10/2013", "2013-10-01")) -> list[Q]:
    """A Joint Medical Protocol Health Information Form from one profession."""
    seen = n % 3 != 2
    how = ("Face to face in clinic", "Home visit", "Video consultation")[n % 3]
    how_key = ("face_to_face", "face_to_face", "video")[n % 3]
    return [
        Q("pupil_forename", "Forename", fore, fore),
        Q("pupil_surname", "Surname", sur, sur),
        Q("pupil_dob", "Date of birth", dob[0], dob[1], "date"),
        Q("school_name", "School", "Saltmarsh Coast Academy", "Saltmarsh Coast Academy"),
        Q("professional_name", "Name of health professional", "Dr Oona Blakeney" if "GP" in profession or "Paed"
          in profession or "Psychiatr" in profession else "Tamsin Reepham",
          "Dr Oona Blakeney" if "GP" in profession or "Paed" in profession or "Psychiatr" in profession
          else "Tamsin Reepham"),
        Q("professional_role", "Profession or role", profession, role_key, "choice"),
        Q("professional_organisation", "Service or organisation", "North Norfolk Community Health Services",
          "North Norfolk Community Health Services"),
        Q("professional_email", "Email", "t.reepham@nnch.example.nhs.uk", "t.reepham@nnch.example.nhs.uk"),
        Q("professional_phone", "Telephone", "01263 555 210", "01263555210"),
        Q("seen_in_person", "Have you seen the young person in person?", seen, seen, "bool"),
        Q("last_seen_date", "Date the young person was last seen", "3rd February 2026", "2026-02-03", "date"),
        Q("contact_type", "How was the young person seen?", how, how_key, "choice"),
        Q("diagnosis", "Health condition or diagnosis", "Juvenile idiopathic arthritis",
          "Juvenile idiopathic arthritis", "long"),
        Q("treatment", "Current treatment and its effect on school attendance",
          "Weekly methotrexate injections; fatigue and joint pain limit mornings",
          "Weekly methotrexate injections; fatigue and joint pain limit mornings", "long"),
        Q("other_services", "Referrals to or involvement of other services", "Paediatric physiotherapy",
          "Paediatric physiotherapy", "long"),
        Q("reintegration_advice",
          "How the young person may best be supported to reintegrate into full-time education",
          "A phased return starting with two mornings a week, with a lift pass",
          "A phased return starting with two mornings a week, with a lift pass", "long"),
        Q("unfit_for_school", "Is the young person currently unfit to attend school?", "Yes", "yes", "choice"),
        Q("expected_duration_weeks", "Expected duration (weeks)", "8", 8),
        Q("statement_date", "Date of this statement", "05/02/2026", "2026-02-05", "date"),
    ]


def expected_fields(kind: str, questions: list[Q], keys: tuple[str, ...]) -> dict[str, Any]:
    """Golden fields: every key of the form, null where the form does not answer it."""
    given = {q.key: q.expected for q in questions}
    return {key: given.get(key) for key in keys}


REFERRAL_KEYS = (
    "pupil_forename", "pupil_surname", "pupil_preferred_name", "pupil_dob", "pupil_gender", "pupil_upn",
    "pupil_year_group", "pupil_address", "pupil_postcode", "pupil_on_roll", "pupil_ehe", "pupil_looked_after",
    "social_worker", "pupil_ehcp", "ehcp_coordinator", "pupil_sen_support", "repeating_year_11", "parent_name",
    "parent_relationship", "parent_phone", "parent_email", "parent_address", "school_name", "school_dfe_number",
    "referrer_name", "referrer_role", "referrer_email", "referrer_phone", "dsl_name", "dsl_email", "senco_name",
    "health_condition", "health_professionals", "first_absence_date", "days_absent", "expected_absence_weeks",
    "hospital_inpatient", "pregnancy_related", "awaiting_special_school_place", "previous_referral",
    "ehe_exceptional_circumstances", "chk_policy_followed", "chk_jon_contacted", "jon_contact_date",
    "chk_health_advice", "chk_parent_meeting", "chk_ihcp", "chk_senco_assessment", "chk_sen_guidance",
    "chk_mh_guidance", "chk_sen_budget", "chk_keyworker", "chk_attendance_plan", "chk_safe_space",
    "chk_timeout_card", "chk_reduced_timetable", "chk_reduced_exams", "chk_outreach", "chk_online_learning",
    "consent_jon", "consent_health_contact", "consent_given_by", "consent_date", "school_support_declaration",
    "referral_date",
)
HEALTH_KEYS = (
    "pupil_forename", "pupil_surname", "pupil_dob", "school_name", "professional_name", "professional_role",
    "professional_organisation", "professional_registration", "professional_email", "professional_phone",
    "seen_in_person", "last_seen_date", "contact_type", "diagnosis", "treatment", "other_services",
    "reintegration_advice", "unfit_for_school", "expected_duration_weeks", "statement_date",
)
