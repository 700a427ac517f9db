"""Build checked-form Extractions for rule tests straight from the schema (FORMS[kind].convert)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docgen.forms import FORMS
from docgen.forms.upn import check_letter
from docgen.kinds import Extraction, Kind, Method
from docgen.read.letter import KEYS as LETTER_KEYS

TODAY = dt.date(2026, 3, 2)  # a Monday in the spring term 2026; Year 7 = born Sep 2013 – Aug 2014
UPN_BODY = "926200114123"
UPN = check_letter(UPN_BODY) + UPN_BODY


def referral_values(**overrides: Any) -> dict[str, Any]:
    """A complete, eligible referral (every required answer given, the checklist ticked)."""
    values: dict[str, Any] = {
        "pupil_forename": "Ada", "pupil_surname": "Quenby", "pupil_dob": "15/03/2014", "pupil_gender": "Female",
        "pupil_upn": UPN, "pupil_year_group": "Year 7", "pupil_address": "1 Mill Lane, Dereham",
        "pupil_postcode": "NR19 1AB", "pupil_on_roll": "Yes", "pupil_ehe": "No", "pupil_looked_after": "No",
        "pupil_ehcp": "No", "pupil_sen_support": "No", "repeating_year_11": "No",
        "parent_name": "Hannah Quenby", "parent_relationship": "Mother", "parent_phone": "07700 900123",
        "school_name": "Fenbrook Academy", "referrer_name": "Sam Lee", "referrer_role": "SENCO",
        "referrer_email": "s.lee@fenbrook.example.org", "referrer_phone": "01362 000000",
        "dsl_name": "Pat Ray", "dsl_email": "p.ray@fenbrook.example.org",
        "health_condition": "Chronic fatigue syndrome", "health_professionals": "Community paediatrician",
        "first_absence_date": "05/01/2026", "days_absent": "30", "expected_absence_weeks": "8",
        "hospital_inpatient": "No", "pregnancy_related": "No", "awaiting_special_school_place": "No",
        "previous_referral": "No", "chk_policy_followed": "Yes", "chk_jon_contacted": "Yes",
        "jon_contact_date": "12/01/2026", "chk_senco_assessment": "Yes", "consent_jon": "Yes",
        "consent_health_contact": "Yes", "consent_given_by": "Hannah Quenby", "consent_date": "10/01/2026",
        "school_support_declaration": "Yes", "referral_date": "20/02/2026",
    }
    values.update(overrides)
    return values


def health_values(**overrides: Any) -> dict[str, Any]:
    """A complete Health Information Form from a paediatrician who saw the child."""
    values: dict[str, Any] = {
        "pupil_forename": "Ada", "pupil_surname": "Quenby", "pupil_dob": "15/03/2014",
        "professional_name": "Dr Morwenna Kestle", "professional_role": "Consultant Paediatrician",
        "professional_organisation": "Eastwold Community Paediatrics", "seen_in_person": "Yes",
        "last_seen_date": "10/02/2026", "contact_type": "Face to face", "diagnosis": "Chronic fatigue syndrome",
        "treatment": "Activity management and pacing", "other_services": "Referred to the ME/CFS service",
        "reintegration_advice": "Phased return with rest breaks", "unfit_for_school": "Yes",
        "statement_date": "12/02/2026",
    }
    values.update(overrides)
    return values


def continuation_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "pupil_forename": "Ada", "pupil_surname": "Quenby", "pupil_dob": "15/03/2014", "pupil_upn": UPN,
        "school_name": "Fenbrook Academy", "referrer_name": "Sam Lee", "referrer_role": "SENCO",
        "referrer_email": "s.lee@fenbrook.example.org", "provision_start_date": "05/01/2026",
        "current_provision": "HLSA three mornings a week", "progress_summary": "Engaging well",
        "reintegration_progress": "Visits school at lunchtime", "continuation_reason": "Still fatigued",
        "review_meeting_date": "13/02/2026", "request_date": "27/02/2026",
    }
    values.update(overrides)
    return values


def form(kind: str, values: dict[str, Any], name: str | None = None) -> Extraction:
    fields, warnings = FORMS[kind].convert(values)
    return Extraction(Path(name or f"{kind}.pdf"), Kind(kind), Method.ACROFORM, fields, warnings)


def referral(**overrides: Any) -> Extraction:
    return form("referral", referral_values(**overrides))


def health(**overrides: Any) -> Extraction:
    return form("jmp_health", health_values(**overrides), "health-information.pdf")


def consent(**overrides: Any) -> Extraction:
    values = {"pupil_forename": "Ada", "pupil_surname": "Quenby", "pupil_dob": "15/03/2014",
              "consent_name": "Hannah Quenby", "consent_relationship": "Mother", "consent_share_health": "Yes",
              "consent_date": "10/01/2026"}
    values.update(overrides)
    return form("jmp_consent", values, "consent.pdf")


def continuation(**overrides: Any) -> Extraction:
    return form("continuation", continuation_values(**overrides), "continuation.docx")


def letter(**fields: Any) -> Extraction:
    """A medical letter as letter_fields reports it: a good paediatric letter unless overridden."""
    values: dict[str, Any] = dict.fromkeys(LETTER_KEYS)
    values.update(professional_name="Dr Anand Rosewarne", professional_role="paediatrician",
                  professional_organisation="Eastwold Community Paediatrics", seen_in_person=True,
                  contact_type="face_to_face", last_seen_date="2026-02-10", diagnosis="Crohn's disease",
                  treatment="Infusions every eight weeks", other_services="I have referred her to dietetics.",
                  reintegration_advice="A reduced timetable at first.", unfit_for_school="yes",
                  statement_date="2026-02-12", pupil_forename="Ada", pupil_surname="Quenby",
                  pupil_name="Ada Quenby", pupil_dob="2014-03-15")
    values.update(fields)
    text = " ".join(str(v) for v in values.values() if isinstance(v, str))
    return Extraction(Path("letter.docx"), Kind.MEDICAL_LETTER, Method.DOCX, values, [], None, text)


def attendance(illness_days: float | None = 30, **fields: Any) -> Extraction:
    values: dict[str, Any] = {"illness_days": illness_days, "pupil_name": "Ada Quenby", "possible_sessions": 200}
    values.update(fields)
    return Extraction(Path("attendance.csv"), Kind.ATTENDANCE, Method.CSV, values)


def other(kind: Kind, name: str, **fields: Any) -> Extraction:
    return Extraction(Path(name), kind, Method.DOCX, dict(fields), [], None, "")


def referral_set(*, main: Extraction | None = None, evidence: list[Extraction] | None = None,
                 records: list[Extraction] | None = None, extra: list[Extraction] | None = None) -> list[Extraction]:
    """A complete referral submission with parts replaced."""
    return [main or referral(), *(evidence if evidence is not None else [health()]),
            *(records if records is not None else [attendance()]), *(extra or [])]


def continuation_set(*, main: Extraction | None = None, evidence: list[Extraction] | None = None,
                     records: list[Extraction] | None = None, extra: list[Extraction] | None = None
                     ) -> list[Extraction]:
    """A complete continuation submission (updated evidence, attendance, planning record) with parts replaced."""
    return [main or continuation(), *(evidence if evidence is not None else [health(statement_date="20/02/2026")]),
            *(records if records is not None else [attendance(), other(Kind.PLANNING_RECORD, "planning.docx")]),
            *(extra or [])]
