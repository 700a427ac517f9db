"""Evidence attributes from free-text letters (SPEC §3.5) and fit-note recognition."""

from __future__ import annotations

import pytest

from docgen.forms.letter import KEYS, is_fit_note, letter_fields

CLINIC_LETTER = """Eastwold Community Paediatrics
Westmere NHS Foundation Trust
Riverside Clinic, 4 Quay Road, Norwich NR3 9ZZ

4 February 2026

To: The Medical Needs Coordinator

Re: Ada Quenby, DOB 15/03/2014
NHS number 999 000 0000

Dear Colleague,

I reviewed Ada in clinic on 28 January 2026 with her mother. Ada has a diagnosis of chronic fatigue
syndrome. She is following a pacing programme with our physiotherapist and takes melatonin at night.
I have referred Ada to the Norfolk and Suffolk ME/CFS service.
Ada is currently unable to attend school. I recommend a phased return to school, starting with one
lesson a day and a quiet space to rest.

Yours sincerely,

Dr Morwenna Kestle MBChB MRCPCH
Consultant Paediatrician
Eastwold Community Paediatrics
GMC 7654321
"""

NOT_SEEN_LETTER = """Broadland Children's Clinic

Date: 12/02/2026

RE: QUENBY, Ada   D.O.B. 15.03.2014

To whom it may concern,

I have not seen Ada myself; this letter is based on her mother's account. Her mother reports
low mood and poor sleep.

Kind regards

Jo Penhallow
Youth Support Worker
Broadland Children's Clinic
"""

SILENT_LETTER = """Quayside Medical Practice
Norwich

3rd March 2026

Dear Sir or Madam

Ben Thornbury is registered with this practice. He has been diagnosed with Crohn's disease.

Yours faithfully

Dr Harriet Colville
General Practitioner
"""

PHONE_LETTER = """Riverside Child and Adolescent Mental Health Team

10 January 2026

Re: Ada Quenby (DOB 15 March 2014)

I spoke with Ada by telephone on 8 January 2026. Ada has generalised anxiety disorder and is on the
waiting list for CBT. She is fit to attend school and would benefit from a keyworker.

Best wishes

Sam Treharne
Mental Health Practitioner
"""


def test_clinic_letter_gives_every_attribute() -> None:
    fields = letter_fields(CLINIC_LETTER)
    assert set(fields) == set(KEYS)
    assert fields["professional_name"] == "Dr Morwenna Kestle"
    assert fields["professional_role"] == "paediatrician"
    assert fields["professional_organisation"] == "Eastwold Community Paediatrics"
    assert fields["professional_registration"] == "GMC 7654321"
    assert fields["statement_date"] == "2026-02-04"
    assert fields["seen_in_person"] is True
    assert fields["contact_type"] == "face_to_face"
    assert fields["last_seen_date"] == "2026-01-28"
    assert "chronic fatigue" in fields["diagnosis"]
    assert "pacing" in fields["treatment"]
    assert "ME/CFS service" in fields["other_services"]
    assert "phased return" in fields["reintegration_advice"]
    assert fields["unfit_for_school"] == "yes"
    assert (fields["pupil_forename"], fields["pupil_surname"], fields["pupil_dob"]) == ("Ada", "Quenby", "2014-03-15")


def test_letter_relying_on_the_parent_is_not_seen() -> None:
    fields = letter_fields(NOT_SEEN_LETTER)
    assert fields["seen_in_person"] is False
    assert fields["contact_type"] is None
    assert fields["last_seen_date"] is None
    assert fields["professional_role"] == "other"
    assert fields["statement_date"] == "2026-02-12"
    assert (fields["pupil_forename"], fields["pupil_surname"], fields["pupil_dob"]) == ("Ada", "Quenby", "2014-03-15")


def test_what_a_letter_does_not_say_is_null() -> None:
    fields = letter_fields(SILENT_LETTER)
    assert fields["seen_in_person"] is None
    assert fields["other_services"] is None
    assert fields["reintegration_advice"] is None
    assert fields["unfit_for_school"] is None
    assert fields["pupil_dob"] is None
    assert fields["professional_role"] == "gp"
    assert fields["statement_date"] == "2026-03-03"
    assert "Crohn's disease" in fields["diagnosis"]


def test_telephone_contact_is_spoken_to_not_seen() -> None:
    fields = letter_fields(PHONE_LETTER)
    assert fields["seen_in_person"] is False
    assert fields["contact_type"] == "telephone"
    assert fields["last_seen_date"] == "2026-01-08"
    assert fields["professional_role"] == "camhs"
    assert fields["unfit_for_school"] == "no"
    assert fields["pupil_dob"] == "2014-03-15"
    assert "waiting list" in fields["other_services"]


def test_empty_text_gives_every_key_null() -> None:
    assert letter_fields("") == dict.fromkeys(KEYS)


@pytest.mark.parametrize(("text", "expected"), [
    ("Statement of Fitness for Work\nI advise you that: you are not fit for work", True),
    ("FIT NOTE\nyou may be fit for work taking account of the following advice", True),
    ("Statement of   fitness for\nwork for social security or Statutory Sick Pay", True),
    (CLINIC_LETTER, False),
    ("Quayside Medical Practice\nDear Colleague,\nAda does not need a fit note; she has asthma.", False),
    (PHONE_LETTER, False),
])
def test_fit_note_recognised(text: str, expected: bool) -> None:
    assert is_fit_note(text) is expected


@pytest.mark.parametrize(("sentence", "seen", "unfit"), [
    ("I have been treating Ada for epilepsy since 2024. She is not currently fit to attend school.", True, "yes"),
    ("Ada was seen in the outpatient clinic on 02/02/2026. She will be fit to return to school once stable.",
     True, None),
    ("At her last appointment Ada was much improved and she is now fit to attend school.", True, "no"),
    ("I reviewed Ada by video on 02/02/2026; she could attend school on a part-time basis.", False, "part_time"),
    ("Ada has epilepsy and her mother says she is too tired for school.", None, None),
])
def test_seen_and_fitness_wording(sentence: str, seen: bool | None, unfit: str | None) -> None:
    fields = letter_fields(f"Westmere Children's Health Service\n\nDear Colleague,\n\n{sentence}\n\nYours sincerely\n"
                           "\nDr Imogen Castellan\nConsultant Paediatrician\n")
    assert fields["seen_in_person"] is seen
    assert fields["unfit_for_school"] == unfit
