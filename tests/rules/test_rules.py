"""Every rule of SPEC §6: a table of submissions that fire it and submissions that must not."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen.calendar import SchoolCalendar
from docgen.config import DEFAULT_TERM_DATES
from docgen.forms.upn import check_letter
from docgen.kinds import UNREADABLE_SCAN, Extraction, Kind, Method
from docgen.rules import RULES, Severity
from docgen.rules.check import check_submission

from .rulebuild import (
    TODAY,
    attendance,
    consent,
    continuation,
    continuation_set,
    health,
    letter,
    other,
    referral,
    referral_set,
)

POLICY = Path(__file__).resolve().parents[2] / "docs" / "policy" / "medical-needs-policy.txt"
CALENDAR = SchoolCalendar.load(DEFAULT_TERM_DATES)
TEMP_BODY = "92620011412A"
FIT_NOTE = other(Kind.FIT_NOTE, "fit-note.pdf")
PLANNING = other(Kind.PLANNING_RECORD, "planning.docx")


def scan() -> Extraction:
    doc = other(Kind.UNKNOWN, "scan.pdf")
    doc.reason = "no text layer (scanned?)"
    return doc


def ocr_read(doc: Extraction, **confidence: int) -> Extraction:
    """A document as OCR read it: every answer 97% sure unless given."""
    doc.method = Method.OCR
    doc.confidence = {k: confidence.get(k, 97) for k, v in doc.fields.items() if v is not None}
    doc.ocr = {"pages": [{"page": 1, "readable": True}], "fields": {}}
    return doc


def corrected(doc: Extraction) -> Extraction:
    """A scanned document after a person's correction in the desk: its values kept, its confidences dropped."""
    doc.confidence = {}
    return doc


def hand_read(doc: Extraction) -> Extraction:
    """A scanned letter whose page read like handwriting (mean word confidence 81, as a GP's handwritten note
    photographed reads; printed letters however scanned read 95–96)."""
    doc = ocr_read(doc)
    doc.ocr = {"pages": [{"page": 1, "readable": True, "confidence": 80.6}], "fields": {}}
    return doc


def printed(doc: Extraction) -> Extraction:
    """A scanned document whose page read as print does (mean word confidence 95)."""
    doc.ocr = {"pages": [{"page": 1, "readable": True, "confidence": 95.2}], "fields": {}}
    return doc


def unread_scan() -> Extraction:
    doc = other(Kind.UNKNOWN, "scan.jpg")
    doc.method = Method.OCR
    doc.reason = UNREADABLE_SCAN
    doc.ocr = {"pages": [{"page": 1, "readable": False, "note": "no text"}], "fields": {}}
    return doc


def unreadable_grid() -> Extraction:
    doc = other(Kind.UNKNOWN, "herringbone.pdf")
    doc.reason = "attendance record could not be read: herringbone.pdf: attendance grid has a week date that cannot be read"
    return doc


@dataclass(frozen=True)
class Case:
    rule: str
    fires: bool
    docs: Callable[[], list[Extraction]]
    today: dt.date = TODAY


def fires(rule: str, docs: Callable[[], list[Extraction]], today: dt.date = TODAY) -> Case:
    return Case(rule, True, docs, today)


def quiet(rule: str, docs: Callable[[], list[Extraction]], today: dt.date = TODAY) -> Case:
    return Case(rule, False, docs, today)


def absence(days: str | None, weeks: str | None, illness: float | None = None) -> list[Extraction]:
    return referral_set(main=referral(days_absent=days, expected_absence_weeks=weeks),
                        records=[attendance(illness_days=illness)])


CASES: dict[str, Case] = {
    # R-FORM-REQUIRED: one per blank required field, main form and supporting forms; conditional requirements
    "required: parent phone blank": fires("R-FORM-REQUIRED", lambda: referral_set(main=referral(parent_phone=None))),
    "required: JMP diagnosis blank": fires("R-FORM-REQUIRED", lambda: referral_set(evidence=[health(diagnosis="")])),
    "required: consent form date blank": fires("R-FORM-REQUIRED", lambda: referral_set(extra=[consent(consent_date="")])),
    "required: looked after, no social worker": fires(
        "R-FORM-REQUIRED", lambda: referral_set(main=referral(pupil_looked_after="Yes"))),
    "required: EHCP, no coordinator": fires("R-FORM-REQUIRED", lambda: referral_set(main=referral(pupil_ehcp="Yes"))),
    "required: JON contacted, no date": fires("R-FORM-REQUIRED", lambda: referral_set(main=referral(jon_contact_date=None))),
    "required: continuation start blank": fires(
        "R-FORM-REQUIRED", lambda: continuation_set(main=continuation(provision_start_date=None))),
    "required: complete": quiet("R-FORM-REQUIRED", referral_set),
    "required: not on roll needs no UPN or school": quiet(
        "R-FORM-REQUIRED", lambda: referral_set(main=referral(pupil_on_roll="No", pupil_upn=None, school_name=None))),
    "required: JON not contacted needs no date": quiet(
        "R-FORM-REQUIRED", lambda: referral_set(main=referral(chk_jon_contacted="No", jon_contact_date=None))),
    "required: unreadable value is not blank": quiet(
        "R-FORM-REQUIRED", lambda: referral_set(main=referral(pupil_dob="32/13/2014"))),
    # R-FORM-INVALID
    "invalid: impossible date": fires("R-FORM-INVALID", lambda: referral_set(main=referral(pupil_dob="32/13/2014"))),
    "invalid: bad email": fires("R-FORM-INVALID", lambda: referral_set(main=referral(referrer_email="sam at school"))),
    "invalid: JMP date": fires("R-FORM-INVALID", lambda: referral_set(evidence=[health(statement_date="last week")])),
    "invalid: complete": quiet("R-FORM-INVALID", referral_set),
    # R-DATA-UPN
    "upn: wrong check letter": fires("R-DATA-UPN", lambda: referral_set(main=referral(
        pupil_upn=("A" if check_letter("926200114123") != "A" else "B") + "926200114123"))),
    "upn: temporary": fires("R-DATA-UPN", lambda: referral_set(main=referral(pupil_upn=check_letter(TEMP_BODY) + TEMP_BODY))),
    "upn: continuation too": fires("R-DATA-UPN", lambda: continuation_set(main=continuation(
        pupil_upn=check_letter(TEMP_BODY) + TEMP_BODY))),
    "upn: valid": quiet("R-DATA-UPN", referral_set),
    "upn: none for a pupil off roll": quiet("R-DATA-UPN", lambda: referral_set(main=referral(
        pupil_on_roll="No", pupil_upn=None))),
    # R-DATA-YEAR (age on 31 August − 4)
    "year: Year 8 stated, Year 7 by DOB": fires("R-DATA-YEAR", lambda: referral_set(main=referral(pupil_year_group="Year 8"))),
    "year: 31 Aug 2014 birthday is Year 7, not 6": fires("R-DATA-YEAR", lambda: referral_set(main=referral(
        pupil_dob="31/08/2014", pupil_year_group="6"))),
    "year: 1 Sep 2014 birthday is Year 6, not 7": fires("R-DATA-YEAR", lambda: referral_set(main=referral(
        pupil_dob="01/09/2014", pupil_year_group="7"))),
    "year: 31 Aug 2014 birthday in Year 7": quiet("R-DATA-YEAR", lambda: referral_set(main=referral(
        pupil_dob="31/08/2014", pupil_year_group="Y7"))),
    "year: 1 Sep 2013 birthday in Year 7": quiet("R-DATA-YEAR", lambda: referral_set(main=referral(
        pupil_dob="01/09/2013", pupil_year_group="Year 7"))),
    "year: repeating Year 11, Year 12 by DOB": quiet("R-DATA-YEAR", lambda: referral_set(main=referral(
        pupil_dob="10/01/2009", pupil_year_group="11", repeating_year_11="Yes"))),
    "year: no DOB": quiet("R-DATA-YEAR", lambda: referral_set(main=referral(pupil_dob=None, pupil_year_group="9"))),
    # R-DATA-MATCH
    "uncertain: scanned referral, surname read at 55%": fires("R-DATA-UNCERTAIN", lambda: referral_set(
        main=ocr_read(referral(), pupil_surname=55))),
    "uncertain: scanned health form, diagnosis read at 70%": fires("R-DATA-UNCERTAIN", lambda: referral_set(
        evidence=[ocr_read(health(), diagnosis=70)])),
    "uncertain: a scanned page that could not be read": fires("R-DATA-UNCERTAIN", lambda: referral_set(
        extra=[unread_scan()])),
    "uncertain: scanned referral read confidently": quiet("R-DATA-UNCERTAIN", lambda: referral_set(
        main=ocr_read(referral()))),
    "uncertain: only an optional answer is doubtful": quiet("R-DATA-UNCERTAIN", lambda: referral_set(
        main=ocr_read(referral(pupil_preferred_name="Addie"), pupil_preferred_name=40))),
    "uncertain: typed referral (no OCR)": quiet("R-DATA-UNCERTAIN", lambda: referral_set()),
    "match: letter about another child": fires("R-DATA-MATCH", lambda: referral_set(evidence=[letter(
        pupil_name="Ben Thornbury", pupil_forename="Ben", pupil_surname="Thornbury", pupil_dob=None)])),
    "match: JMP with another DOB": fires("R-DATA-MATCH", lambda: referral_set(evidence=[health(pupil_dob="15/03/2012")])),
    "match: attendance with another UPN": fires("R-DATA-MATCH", lambda: referral_set(records=[attendance(
        pupil_upn="A926200114999")])),
    "match: sibling's forename, no DOB": fires("R-DATA-MATCH", lambda: referral_set(evidence=[letter(
        pupil_name="Tom Quenby", pupil_forename="Tom", pupil_surname="Quenby", pupil_dob=None)])),
    "match: same child": quiet("R-DATA-MATCH", lambda: referral_set(evidence=[letter()])),
    "match: letter names nobody": quiet("R-DATA-MATCH", lambda: referral_set(evidence=[letter(
        pupil_name=None, pupil_forename=None, pupil_surname=None, pupil_dob=None)])),
    "match: capitals and longer forename": quiet("R-DATA-MATCH", lambda: referral_set(evidence=[letter(
        pupil_name="Adaline QUENBY", pupil_forename="Adaline", pupil_surname="QUENBY")])),
    "match: nickname with the same DOB": quiet("R-DATA-MATCH", lambda: referral_set(evidence=[letter(
        pupil_name="Kit Quenby", pupil_forename="Kit", pupil_surname="Quenby")])),
    "match: a scanned document cannot be linked": fires("R-DATA-MATCH", lambda: referral_set(extra=[scan()])),
    "match: an unclassified note names someone": quiet("R-DATA-MATCH", lambda: referral_set(extra=[other(
        Kind.UNKNOWN, "cover.txt", pupil_name="Sam Lee")])),
    "match: planning record's names are not compared": quiet("R-DATA-MATCH", lambda: continuation_set(records=[
        attendance(), other(Kind.PLANNING_RECORD, "planning.docx", pupil_name="Pat Ray")])),
    "match: planning record with another DOB": fires("R-DATA-MATCH", lambda: continuation_set(records=[
        attendance(), other(Kind.PLANNING_RECORD, "planning.docx", pupil_dob="2012-01-01")])),
    # R-DOCS-EVIDENCE
    "evidence: none sent": fires("R-DOCS-EVIDENCE", lambda: referral_set(evidence=[])),
    "evidence: JMP form": quiet("R-DOCS-EVIDENCE", referral_set),
    "evidence: letter": quiet("R-DOCS-EVIDENCE", lambda: referral_set(evidence=[letter()])),
    "evidence: only a fit note (R-EVID-FITNOTE instead)": quiet("R-DOCS-EVIDENCE", lambda: referral_set(
        evidence=[FIT_NOTE])),
    "evidence: a scan may be the evidence": quiet("R-DOCS-EVIDENCE", lambda: referral_set(evidence=[], extra=[scan()])),
    # a consultant's handwritten note photographed, no form or letter docgen knows (an independent set's T06)
    "evidence: a handwriting-like page of no known kind may be the evidence": quiet("R-DOCS-EVIDENCE", lambda:
        referral_set(evidence=[], extra=[hand_read(other(Kind.UNKNOWN, "note.pdf"))])),
    "evidence: a printed scan of no known kind is not": fires("R-DOCS-EVIDENCE", lambda: referral_set(
        evidence=[], extra=[printed(ocr_read(other(Kind.UNKNOWN, "timetable.pdf")))])),
    # R-DOCS-ATTENDANCE
    "attendance: none sent": fires("R-DOCS-ATTENDANCE", lambda: referral_set(records=[])),
    "attendance: roll status blank": fires("R-DOCS-ATTENDANCE", lambda: referral_set(
        main=referral(pupil_on_roll=None), records=[])),
    "attendance: sent": quiet("R-DOCS-ATTENDANCE", referral_set),
    "attendance: not on roll": quiet("R-DOCS-ATTENDANCE", lambda: referral_set(
        main=referral(pupil_on_roll="No", pupil_upn=None), records=[])),
    "attendance: sent but unreadable": fires("R-DOCS-ATTENDANCE", lambda: referral_set(records=[unreadable_grid()])),
    # R-CONSENT-HEALTH
    "consent: No, no JMP consent": fires("R-CONSENT-HEALTH", lambda: referral_set(main=referral(
        consent_health_contact="No"))),
    "consent: blank": fires("R-CONSENT-HEALTH", lambda: referral_set(main=referral(consent_health_contact=None))),
    "consent: JMP consent says No": fires("R-CONSENT-HEALTH", lambda: referral_set(
        main=referral(consent_health_contact="No"), extra=[consent(consent_share_health="No")])),
    "consent: Yes on referral": quiet("R-CONSENT-HEALTH", referral_set),
    "consent: JMP consent form": quiet("R-CONSENT-HEALTH", lambda: referral_set(
        main=referral(consent_health_contact="No"), extra=[consent()])),
    "consent: only another child's JMP consent": fires("R-CONSENT-HEALTH", lambda: referral_set(
        main=referral(consent_health_contact="No"),
        extra=[consent(pupil_forename="Maisie", pupil_surname="Thorne", pupil_dob="02/06/2012")])),
    "required: consent questions blank, JMP consent form given": quiet("R-FORM-REQUIRED", lambda: referral_set(
        main=referral(consent_health_contact=None, consent_given_by=None, consent_date=None), extra=[consent()])),
    "required: consent questions blank, no consent form": fires("R-FORM-REQUIRED", lambda: referral_set(
        main=referral(consent_given_by=None))),
    # R-CONSENT-JON
    "jon consent: contacted without consent": fires("R-CONSENT-JON", lambda: referral_set(main=referral(consent_jon="No"))),
    "jon consent: blank": fires("R-CONSENT-JON", lambda: referral_set(main=referral(consent_jon=None))),
    "jon consent: given": quiet("R-CONSENT-JON", referral_set),
    "jon consent: JON not contacted": quiet("R-CONSENT-JON", lambda: referral_set(main=referral(
        chk_jon_contacted="No", jon_contact_date=None, consent_jon="No"))),
    # R-CHK-JON
    "jon: not contacted": fires("R-CHK-JON", lambda: referral_set(main=referral(chk_jon_contacted="No",
                                                                               jon_contact_date=None))),
    "jon: left blank": fires("R-CHK-JON", lambda: referral_set(main=referral(chk_jon_contacted=None,
                                                                            jon_contact_date=None))),
    "jon: after the referral": fires("R-CHK-JON", lambda: referral_set(main=referral(jon_contact_date="21/02/2026"))),
    "jon: before the referral": quiet("R-CHK-JON", referral_set),
    "jon: box blank but the date given": quiet("R-CHK-JON", lambda: referral_set(main=referral(chk_jon_contacted=None))),
    "jon: same day as the referral": quiet("R-CHK-JON", lambda: referral_set(main=referral(
        jon_contact_date="20/02/2026"))),
    "jon: contacted, date missing": quiet("R-CHK-JON", lambda: referral_set(main=referral(jon_contact_date=None))),
    "jon: referral date missing": quiet("R-CHK-JON", lambda: referral_set(main=referral(referral_date=None))),
    # R-CHK-POLICY
    "policy: not followed": fires("R-CHK-POLICY", lambda: referral_set(main=referral(chk_policy_followed="No"))),
    "policy: not ticked": fires("R-CHK-POLICY", lambda: referral_set(main=referral(chk_policy_followed=None))),
    "policy: followed": quiet("R-CHK-POLICY", referral_set),
    # R-CHK-SEND
    "send: EHCP, no SENCO assessment": fires("R-CHK-SEND", lambda: referral_set(main=referral(
        pupil_ehcp="Yes", ehcp_coordinator="Jo Bell", chk_senco_assessment=None))),
    "send: SEN support, assessment No": fires("R-CHK-SEND", lambda: referral_set(main=referral(
        pupil_sen_support="Yes", chk_senco_assessment="No"))),
    "send: SEN support with assessment": quiet("R-CHK-SEND", lambda: referral_set(main=referral(
        pupil_sen_support="Yes"))),
    "send: no SEND": quiet("R-CHK-SEND", lambda: referral_set(main=referral(chk_senco_assessment=None))),
    # R-ELIG-AGE-UPPER
    "upper: Year 12 by DOB": fires("R-ELIG-AGE-UPPER", lambda: referral_set(main=referral(
        pupil_dob="10/01/2009", pupil_year_group="12"))),
    "upper: 31 Aug 2009 birthday is Year 12": fires("R-ELIG-AGE-UPPER", lambda: referral_set(main=referral(
        pupil_dob="31/08/2009", pupil_year_group="11"))),
    "upper: 1 Sep 2009 birthday is Year 11": quiet("R-ELIG-AGE-UPPER", lambda: referral_set(main=referral(
        pupil_dob="01/09/2009", pupil_year_group="11"))),
    "upper: repeating Year 11": quiet("R-ELIG-AGE-UPPER", lambda: referral_set(main=referral(
        pupil_dob="10/01/2009", pupil_year_group="11", repeating_year_11="Yes"))),
    "upper: DOB missing": quiet("R-ELIG-AGE-UPPER", lambda: referral_set(main=referral(
        pupil_dob=None, pupil_year_group="12"))),
    # R-ELIG-YEAR11-REPEAT
    "repeat: repeating Year 11": fires("R-ELIG-YEAR11-REPEAT", lambda: referral_set(main=referral(
        pupil_dob="10/01/2009", pupil_year_group="11", repeating_year_11="Yes"))),
    "repeat: not repeating": quiet("R-ELIG-YEAR11-REPEAT", referral_set),
    # R-ELIG-AGE-LOWER
    "lower: 1 Sep 2021 birthday is Nursery": fires("R-ELIG-AGE-LOWER", lambda: referral_set(main=referral(
        pupil_dob="01/09/2021", pupil_year_group="Nursery"))),
    "lower: 31 Aug 2021 birthday is Reception": quiet("R-ELIG-AGE-LOWER", lambda: referral_set(main=referral(
        pupil_dob="31/08/2021", pupil_year_group="Reception"))),
    "lower: DOB missing": quiet("R-ELIG-AGE-LOWER", lambda: referral_set(main=referral(pupil_dob=None))),
    # R-ELIG-EHE
    "ehe: no exceptional circumstances": fires("R-ELIG-EHE", lambda: referral_set(main=referral(
        pupil_ehe="Yes", pupil_on_roll="No", pupil_upn=None, school_name=None), records=[])),
    "ehe: with exceptional circumstances": fires("R-ELIG-EHE", lambda: referral_set(main=referral(
        pupil_ehe="Yes", ehe_exceptional_circumstances="Parent seriously ill"))),
    "ehe: not home educated": quiet("R-ELIG-EHE", referral_set),
    # R-ELIG-NOT-ON-ROLL
    "roll: not on roll": fires("R-ELIG-NOT-ON-ROLL", lambda: referral_set(main=referral(pupil_on_roll="No"))),
    "roll: on roll": quiet("R-ELIG-NOT-ON-ROLL", referral_set),
    "roll: blank": quiet("R-ELIG-NOT-ON-ROLL", lambda: referral_set(main=referral(pupil_on_roll=None))),
    # R-ELIG-INPATIENT, PREGNANCY, SPECIAL-PLACE
    "inpatient: yes": fires("R-ELIG-INPATIENT", lambda: referral_set(main=referral(hospital_inpatient="Yes"))),
    "inpatient: no": quiet("R-ELIG-INPATIENT", referral_set),
    "inpatient: blank": quiet("R-ELIG-INPATIENT", lambda: referral_set(main=referral(hospital_inpatient=None))),
    "pregnancy: yes": fires("R-ELIG-PREGNANCY", lambda: referral_set(main=referral(pregnancy_related="Yes"))),
    "pregnancy: no": quiet("R-ELIG-PREGNANCY", referral_set),
    "special place: yes": fires("R-ELIG-SPECIAL-PLACE", lambda: referral_set(main=referral(
        awaiting_special_school_place="Yes"))),
    "special place: no": quiet("R-ELIG-SPECIAL-PLACE", referral_set),
    # R-ELIG-ABSENCE: max(days_absent, illness_days) + weeks × 5 < 15
    "absence: 4 days + 2 weeks = 14": fires("R-ELIG-ABSENCE", lambda: absence("4", "2")),
    "absence: 2 days, record 4.5 + 2 weeks = 14.5": fires("R-ELIG-ABSENCE", lambda: absence("2", "2", 4.5)),
    "absence: 0 days + 2 weeks": fires("R-ELIG-ABSENCE", lambda: absence("0", "2")),
    "absence: exactly 15": quiet("R-ELIG-ABSENCE", lambda: absence("5", "2")),
    "absence: record brings it to 15": quiet("R-ELIG-ABSENCE", lambda: absence("4", "2", 5)),
    "absence: days unknown": quiet("R-ELIG-ABSENCE", lambda: absence(None, "2")),
    "absence: weeks unknown": quiet("R-ELIG-ABSENCE", lambda: absence("4", None)),
    # R-ELIG-RESIDENCE
    "residence: Cambridge": fires("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="CB1 2AB"))),
    "residence: PE29": fires("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="PE29 1AB"))),
    "residence: IP28 (Suffolk)": fires("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="IP28 7AA"))),
    "residence: IP27 partly Norfolk": fires("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(
        pupil_postcode="IP27 0AB"))),
    "residence: NR": quiet("R-ELIG-RESIDENCE", referral_set),
    "residence: PE30": quiet("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="PE30 1AA"))),
    "residence: PE38": quiet("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="pe38 9zz"))),
    "residence: IP20": quiet("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="IP20 9AB"))),
    "residence: IP26": quiet("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode="IP26 4AB"))),
    "residence: blank": quiet("R-ELIG-RESIDENCE", lambda: referral_set(main=referral(pupil_postcode=None))),
    # R-EVID-FITNOTE
    "fit note: the only evidence": fires("R-EVID-FITNOTE", lambda: referral_set(evidence=[FIT_NOTE])),
    "fit note: with a letter": quiet("R-EVID-FITNOTE", lambda: referral_set(evidence=[FIT_NOTE, letter()])),
    "fit note: no evidence at all": quiet("R-EVID-FITNOTE", lambda: referral_set(evidence=[])),
    # R-EVID-SEND-ONLY
    "send only: illness words only denied": fires("R-EVID-SEND-ONLY", lambda: referral_set(evidence=[letter(
        diagnosis="Autism spectrum disorder. There are no concerns about anxiety or low mood.",
        treatment="No treatment; epilepsy has been ruled out.")])),
    "send only: autism on a JMP": fires("R-EVID-SEND-ONLY", lambda: referral_set(evidence=[health(
        diagnosis="Autism spectrum disorder", treatment="Visual timetable and ear defenders")])),
    "send only: dyslexia and ADHD letter": fires("R-EVID-SEND-ONLY", lambda: referral_set(evidence=[letter(
        diagnosis="Dyslexia and ADHD", treatment="Extra time in tests")])),
    "send only: ASD and anxiety": quiet("R-EVID-SEND-ONLY", lambda: referral_set(evidence=[health(
        diagnosis="ASD with severe anxiety")])),
    "send only: illness": quiet("R-EVID-SEND-ONLY", referral_set),
    "send only: other evidence names epilepsy": quiet("R-EVID-SEND-ONLY", lambda: referral_set(evidence=[
        health(diagnosis="Autism", treatment="Visual timetable"), letter(diagnosis="Epilepsy")])),
    # R-EVID-CONTENT
    "content: JMP other services blank": fires("R-EVID-CONTENT", lambda: referral_set(evidence=[health(
        other_services=None)])),
    "content: letter without reintegration advice": fires("R-EVID-CONTENT", lambda: referral_set(evidence=[letter(
        reintegration_advice=None)])),
    "content: letter without treatment": fires("R-EVID-CONTENT", lambda: referral_set(evidence=[letter(treatment=None)])),
    "content: complete": quiet("R-EVID-CONTENT", referral_set),
    "content: 'none' is an answer": quiet("R-EVID-CONTENT", lambda: referral_set(evidence=[health(other_services="None")])),
    "content: two documents together": quiet("R-EVID-CONTENT", lambda: referral_set(evidence=[
        letter(reintegration_advice=None), health(other_services=None)])),
    "content: no evidence (R-DOCS-EVIDENCE instead)": quiet("R-EVID-CONTENT", lambda: referral_set(evidence=[])),
    # SPEC §16: on a scanned Health Information Form no person has corrected, OCR may have missed the answer;
    # R-DATA-UNCERTAIN names it for the desk, so no request says the professional did not give it
    "content: scanned form's answer not found": quiet("R-EVID-CONTENT", lambda: referral_set(evidence=[ocr_read(
        health(treatment=None))])),
    "content: scanned answer not found, named for the desk": fires("R-DATA-UNCERTAIN", lambda: referral_set(
        evidence=[ocr_read(health(treatment=None))])),
    "content: scanned form corrected in the desk, still blank": fires("R-EVID-CONTENT", lambda: referral_set(
        evidence=[corrected(ocr_read(health(treatment=None)))])),
    "content: a scanned letter that does not say it": fires("R-EVID-CONTENT", lambda: referral_set(evidence=[
        ocr_read(letter(treatment=None))])),
    # SPEC §16: a letter that reads like handwriting may say what OCR did not find; a person reads the page
    "content: a handwritten-like scanned letter": quiet("R-EVID-CONTENT", lambda: referral_set(evidence=[
        hand_read(letter(treatment=None))])),
    "content: a handwritten-like scanned letter, named for the desk": fires("R-DATA-UNCERTAIN", lambda: referral_set(
        evidence=[hand_read(letter())])),
    "content: a handwritten-like letter corrected in the desk, still without it": fires("R-EVID-CONTENT", lambda:
        referral_set(evidence=[corrected(hand_read(letter(treatment=None)))])),
    "seen: a handwritten-like scanned letter that does not say": quiet("R-EVID-SEEN", lambda: referral_set(
        evidence=[hand_read(letter(seen_in_person=None))])),
    "content: a well-read scanned letter is not doubted": quiet("R-DATA-UNCERTAIN", lambda: referral_set(
        evidence=[ocr_read(letter())])),
    # R-EVID-ROLE
    "role: youth worker": fires("R-EVID-ROLE", lambda: referral_set(evidence=[health(professional_role="Youth worker")])),
    "role: letter from other": fires("R-EVID-ROLE", lambda: referral_set(evidence=[letter(professional_role="other")])),
    "role: paediatrician": quiet("R-EVID-ROLE", referral_set),
    "role: letter does not say": quiet("R-EVID-ROLE", lambda: referral_set(evidence=[letter(professional_role=None)])),
    "role: other beside a GP": quiet("R-EVID-ROLE", lambda: referral_set(evidence=[
        health(professional_role="Youth worker"), letter(professional_role="gp")])),
    # R-EVID-SEEN
    "seen: JMP says not seen": fires("R-EVID-SEEN", lambda: referral_set(evidence=[health(
        seen_in_person="No", contact_type=None)])),
    "seen: letter does not say": fires("R-EVID-SEEN", lambda: referral_set(evidence=[letter(
        seen_in_person=None, contact_type=None)])),
    "seen: letter relies on parent": fires("R-EVID-SEEN", lambda: referral_set(evidence=[letter(
        seen_in_person=False, contact_type=None)])),
    "seen: JMP seen": quiet("R-EVID-SEEN", referral_set),
    "seen: spoken to by telephone": quiet("R-EVID-SEEN", lambda: referral_set(evidence=[health(
        seen_in_person="No", contact_type="Telephone")])),
    "seen: letter, video consultation": quiet("R-EVID-SEEN", lambda: referral_set(evidence=[letter(
        seen_in_person=False, contact_type="video")])),
    "seen: JMP question blank (R-FORM-REQUIRED instead)": quiet("R-EVID-SEEN", lambda: referral_set(evidence=[health(
        seen_in_person=None)])),
    "seen: silent letter beside a JMP that saw": quiet("R-EVID-SEEN", lambda: referral_set(evidence=[
        letter(seen_in_person=None), health()])),
    "seen: no evidence": quiet("R-EVID-SEEN", lambda: referral_set(evidence=[])),
    # R-EVID-GP-REPEAT
    "gp repeat: GP only": fires("R-EVID-GP-REPEAT", lambda: referral_set(
        main=referral(previous_referral="Yes"), evidence=[health(professional_role="General Practitioner")])),
    "gp repeat: first referral": quiet("R-EVID-GP-REPEAT", lambda: referral_set(
        evidence=[health(professional_role="GP")])),
    "gp repeat: specialist": quiet("R-EVID-GP-REPEAT", lambda: referral_set(main=referral(previous_referral="Yes"))),
    "gp repeat: GP and paediatrician": quiet("R-EVID-GP-REPEAT", lambda: referral_set(
        main=referral(previous_referral="Yes"), evidence=[health(professional_role="GP"), letter()])),
    # R-EVID-12WEEKS (over 60 school days)
    "12 weeks: 61 days, none": fires("R-EVID-12WEEKS", lambda: referral_set(
        main=referral(days_absent="61"), evidence=[health(other_services="None")])),
    "12 weeks: record 70 days, no referrals": fires("R-EVID-12WEEKS", lambda: referral_set(
        evidence=[health(other_services="No referrals have been made")], records=[attendance(illness_days=70)])),
    "12 weeks: exactly 60 days": quiet("R-EVID-12WEEKS", lambda: referral_set(
        main=referral(days_absent="60"), evidence=[health(other_services="None")], records=[attendance(60)])),
    "12 weeks: CAMHS involved": quiet("R-EVID-12WEEKS", lambda: referral_set(
        main=referral(days_absent="61"), evidence=[health(other_services="Referred to CAMHS")])),
    "12 weeks: none yet but awaiting CAMHS": quiet("R-EVID-12WEEKS", lambda: referral_set(
        main=referral(days_absent="61"), evidence=[health(other_services="No referrals yet; awaiting CAMHS")])),
    # SPEC §6: "the evidence names no referral" — a blank answer names none (R-EVID-CONTENT fires as well)
    "12 weeks: blank (with R-EVID-CONTENT)": fires("R-EVID-12WEEKS", lambda: referral_set(
        main=referral(days_absent="61"), evidence=[health(other_services=None)])),
    # R-EVID-UNFIT
    "unfit: fit to attend": fires("R-EVID-UNFIT", lambda: referral_set(evidence=[health(unfit_for_school="No")])),
    "unfit: letter says fit": fires("R-EVID-UNFIT", lambda: referral_set(evidence=[letter(unfit_for_school="no")])),
    "unfit: unfit": quiet("R-EVID-UNFIT", referral_set),
    "unfit: part time": quiet("R-EVID-UNFIT", lambda: referral_set(evidence=[health(unfit_for_school="Part-time")])),
    "unfit: letter silent": quiet("R-EVID-UNFIT", lambda: referral_set(evidence=[letter(unfit_for_school=None)])),
    "unfit: form says fit, later letter unfit": quiet("R-EVID-UNFIT", lambda: referral_set(evidence=[
        health(unfit_for_school="No"), letter()])),
    # R-EVID-REGISTRATION
    "registration: NMC PIN wording": quiet("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="NMC PIN 12A3456B")])),
    "registration: N/A is no number": quiet("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="N/A")])),
    "registration: short GMC": fires("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="GMC 12345")])),
    "registration: NMC all digits": fires("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="NMC 1234567")])),
    "registration: no register's shape": fires("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="ABC")])),
    "registration: GMC": quiet("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="GMC 1234567")])),
    "registration: NMC": quiet("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="12A3456B")])),
    "registration: HCPC": quiet("R-EVID-REGISTRATION", lambda: referral_set(evidence=[health(
        professional_registration="HCPC PYL12345")])),
    "registration: none given": quiet("R-EVID-REGISTRATION", referral_set),
    # R-CONT-LATE: provision from Mon 5 Jan 2026 → week 12 is 13–17 Apr 2026 (half term and Easter skipped)
    "late: the Monday after week 12": fires("R-CONT-LATE", continuation_set, dt.date(2026, 4, 20)),
    "late: on the last day of week 12": quiet("R-CONT-LATE", continuation_set, dt.date(2026, 4, 17)),
    "late: Easter holiday before week 12": quiet("R-CONT-LATE", continuation_set, dt.date(2026, 3, 30)),
    "late: in good time": quiet("R-CONT-LATE", continuation_set),
    "late: start date missing": quiet("R-CONT-LATE", lambda: continuation_set(
        main=continuation(provision_start_date=None)), dt.date(2026, 6, 1)),
    # R-CONT-DOCS
    "cont docs: no evidence": fires("R-CONT-DOCS", lambda: continuation_set(evidence=[])),
    "cont docs: no attendance": fires("R-CONT-DOCS", lambda: continuation_set(records=[PLANNING])),
    "cont docs: no planning record": fires("R-CONT-DOCS", lambda: continuation_set(records=[attendance()])),
    "cont docs: complete": quiet("R-CONT-DOCS", continuation_set),
    "cont docs: fit note (R-EVID-FITNOTE instead)": quiet("R-CONT-DOCS", lambda: continuation_set(evidence=[FIT_NOTE])),
    "cont docs: referral is not a continuation": quiet("R-CONT-DOCS", lambda: referral_set(records=[attendance()])),
    # R-CONT-EVID-OLD
    "old evidence: before the provision": fires("R-CONT-EVID-OLD", lambda: continuation_set(evidence=[health(
        statement_date="02/01/2026")])),
    "old evidence: dated the start day": quiet("R-CONT-EVID-OLD", lambda: continuation_set(evidence=[health(
        statement_date="05/01/2026")])),
    "old evidence: one old, one new": quiet("R-CONT-EVID-OLD", lambda: continuation_set(evidence=[
        health(statement_date="02/01/2026"), letter(statement_date="2026-02-20")])),
    "old evidence: undated letter": quiet("R-CONT-EVID-OLD", lambda: continuation_set(evidence=[letter(
        statement_date=None)])),
}


def run_case(case: Case) -> list[str]:
    result = check_submission(case.docs(), today=case.today, calendar=CALENDAR)
    return [f.rule for f in result.findings]


@pytest.mark.parametrize("name", list(CASES))
def test_rule_table(name: str) -> None:
    case = CASES[name]
    fired = run_case(case)
    assert (case.rule in fired) is case.fires, fired


def test_every_rule_has_cases_that_fire_and_that_do_not() -> None:
    for rule_id in RULES:
        kinds = {c.fires for c in CASES.values() if c.rule == rule_id}
        assert kinds == {True, False}, rule_id
    assert {c.rule for c in CASES.values()} <= set(RULES)


def test_every_rule_section_exists_in_the_policy() -> None:
    policy = POLICY.read_text(encoding="utf-8")
    for r in RULES.values():
        heading = re.compile(rf"^\s*{re.escape(r.section)}\.?\s+\S", re.M)
        assert heading.search(policy), f"{r.id}: §{r.section} is not a heading of the policy"


def test_catalogue_is_the_spec_table() -> None:
    assert len(RULES) == 35
    assert RULES["R-ELIG-AGE-UPPER"].severity is Severity.INELIGIBLE
    assert RULES["R-FORM-REQUIRED"].section == "11.2.1"
    assert list(RULES)[:2] == ["R-FORM-REQUIRED", "R-FORM-INVALID"]


def test_required_findings_name_the_label_and_the_document() -> None:
    result = check_submission(referral_set(main=referral(parent_phone=None, dsl_email=None)), today=TODAY,
                              calendar=CALENDAR)
    messages = [f.message for f in result.findings if f.rule == "R-FORM-REQUIRED"]
    assert len(messages) == 2
    assert any("'Parent/carer telephone'" in m and "Referral form (referral.pdf)" in m for m in messages)


def test_ehe_severity_depends_on_exceptional_circumstances() -> None:
    plain = check_submission(referral_set(main=referral(pupil_ehe="Yes")), today=TODAY, calendar=CALENDAR)
    exceptional = check_submission(referral_set(main=referral(pupil_ehe="Yes", ehe_exceptional_circumstances="x")),
                                   today=TODAY, calendar=CALENDAR)
    assert [f.severity for f in plain.findings if f.rule == "R-ELIG-EHE"] == [Severity.INELIGIBLE]
    assert [f.severity for f in exceptional.findings if f.rule == "R-ELIG-EHE"] == [Severity.REVIEW]


def test_continuation_missing_everything_gets_one_finding_each() -> None:
    result = check_submission([continuation()], today=TODAY, calendar=CALENDAR)
    assert [f.rule for f in result.findings].count("R-CONT-DOCS") == 3
    assert result.outcome == "incomplete"


def test_continuation_is_not_checked_by_referral_rules() -> None:
    docs = continuation_set(records=[PLANNING])  # no attendance: R-CONT-DOCS, never R-DOCS-ATTENDANCE
    fired = {f.rule for f in check_submission(docs, today=TODAY, calendar=CALENDAR).findings}
    assert "R-CONT-DOCS" in fired
    assert not {r for r in fired if r.startswith(("R-DOCS-", "R-CONSENT-", "R-CHK-", "R-ELIG-"))}


def messages(docs: list[Extraction], rule_id: str, today: dt.date = TODAY) -> list[str]:
    return [f.message for f in check_submission(docs, today=today, calendar=CALENDAR).findings if f.rule == rule_id]


def test_post_16_message_says_where_to_go() -> None:
    post16 = {"pupil_dob": "01/05/2009", "pupil_year_group": "Year 12"}
    college = messages(referral_set(main=referral(**post16)), "R-ELIG-AGE-UPPER")
    ehcp = messages(referral_set(main=referral(**post16, pupil_ehcp="Yes", ehcp_coordinator="Chris Vale")),
                    "R-ELIG-AGE-UPPER")
    assert len(college) == 1 and "college" in college[0] and "EHCP" not in college[0]
    assert len(ehcp) == 1 and "EHCP Coordinator (Chris Vale)" in ehcp[0]


def test_eligibility_and_evidence_messages_name_the_question_and_the_document() -> None:
    inpatient = messages(referral_set(main=referral(hospital_inpatient="Yes")), "R-ELIG-INPATIENT")
    assert "'Is the young person currently a hospital in-patient?' on the Referral form (referral.pdf)" in inpatient[0]
    content = messages(referral_set(evidence=[letter(reintegration_advice=None)]), "R-EVID-CONTENT")
    assert "medical letter (letter.docx)" in content[0] and "reintegrate" in content[0]
    late = messages(continuation_set(), "R-CONT-LATE", today=dt.date(2026, 5, 1))
    assert "'Date the current provision started' on the Continuation Request (continuation.docx)" in late[0]


def test_unreadable_scan_goes_to_review_with_the_desk_reason_and_blocks_no_document_request() -> None:
    result = check_submission(referral_set(records=[], evidence=[], extra=[unread_scan()]), today=TODAY,
                              calendar=CALENDAR)
    rules = {f.rule for f in result.findings}
    assert result.outcome == "review" and "R-DATA-UNCERTAIN" in rules
    assert not rules & {"R-DOCS-EVIDENCE", "R-DOCS-ATTENDANCE", "R-DATA-MATCH"}  # the scan may be them
    message = next(f.message for f in result.findings if f.rule == "R-DATA-UNCERTAIN")
    assert UNREADABLE_SCAN in message and "scan.jpg" in message


def test_min_confidence_is_the_setting() -> None:
    docs = referral_set(main=ocr_read(referral(), pupil_surname=85))
    assert "R-DATA-UNCERTAIN" not in {f.rule for f in check_submission(docs, today=TODAY, calendar=CALENDAR).findings}
    strict = check_submission(docs, today=TODAY, calendar=CALENDAR, min_confidence=90)
    assert [f.message for f in strict.findings if f.rule == "R-DATA-UNCERTAIN"] == [
        "Referral form (referral.pdf): 'Legal surname' was read from a scan with only 85% confidence (under 90%). "
        "Confirm it against the page in the desk or key it in."]


def test_unreadable_attendance_record_is_named_not_called_missing() -> None:
    found = messages(referral_set(records=[unreadable_grid()]), "R-DOCS-ATTENDANCE")
    assert len(found) == 1 and "herringbone.pdf was sent but its marks cannot be read" in found[0]


def test_a_checklist_box_ocr_did_not_read_is_not_called_unticked() -> None:
    """A scanned box read as neither ticked nor unticked may be one OCR missed: the finding (still review) says
    so and points at the page, instead of telling the officer the school left it unticked."""
    scanned = messages(referral_set(main=ocr_read(referral(chk_policy_followed=None))), "R-CHK-POLICY")
    assert len(scanned) == 1 and "was not read as ticked on the scanned Referral form" in scanned[0]
    unticked = messages(referral_set(main=ocr_read(referral(chk_policy_followed="No"))), "R-CHK-POLICY")
    typed = messages(referral_set(main=referral(chk_policy_followed=None)), "R-CHK-POLICY")
    assert all("is not ticked on the Referral form" in m for m in unticked + typed) and len(unticked + typed) == 2
