"""Evidence attributes from free-text letters (SPEC §3.5) and fit-note recognition."""

from __future__ import annotations

import pytest

from docgen.read.letter import KEYS, is_fit_note, letter_fields

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


def _letter(body: str, role: str = "Consultant Paediatrician") -> str:
    return ("Eastwold Hospital NHS Trust\n1 March 2026\nRe: Ada Quenby\nDear Sir,\n"
            f"{body} She has Crohn's disease.\nYours sincerely,\nDr Ann Bee\n{role}\nEastwold Hospital")


@pytest.mark.parametrize(("body", "seen", "contact"), [
    ("Following my assessment of Ada on 3 February 2026, I can confirm the diagnosis.", True, None),
    ("Ada has been seen at this practice on several occasions this term.", True, None),
    ("Ada has been under my care since 2024.", True, None),
    ("Ada came to clinic on 3 February 2026 with her mother.", True, "face_to_face"),
    ("Ada was reviewed by Dr Price on 3 February 2026.", True, None),
    ("I observed Ada at home on 2 February 2026.", True, "face_to_face"),
    ("I have not been able to see Ada in person, but I spoke with her and her mother by telephone on 6 February "
     "2026.", False, "telephone"),
    ("I have not seen Ada. I spoke to her mother by telephone on 3 February 2026.", False, None),
    ("I have not seen Ada; this letter is based on a telephone consultation with her mother.", False, None),
    ("I saw Ada in clinic. I have not seen any improvement yet.", True, "face_to_face"),
    ("She is awaiting an appointment and has not yet been seen.", False, None),
])
def test_seen_wording(body: str, seen: bool, contact: str | None) -> None:
    fields = letter_fields(_letter(body))
    assert (fields["seen_in_person"], fields["contact_type"]) == (seen, contact)


@pytest.mark.parametrize(("body", "unfit"), [
    ("Once she is fit to return to school, a phased return would be best.", None),
    ("I see no medical reason why she cannot attend school.", "no"),
    ("She is well enough to attend school for part of the day.", "part_time"),
    ("In my opinion she is medically fit to return to school.", "no"),
    ("She remains unable to attend school.", "yes"),
])
def test_fitness_wording(body: str, unfit: str | None) -> None:
    assert letter_fields(_letter("I saw Ada in clinic. " + body))["unfit_for_school"] == unfit


@pytest.mark.parametrize(("role", "expected"), [
    ("Occupational Therapist", "other"),
    ("Children's Occupational Therapist", "other"),
    ("Educational Psychologist", "other"),
    ("Clinical Psychologist", "clinical_child_psychologist"),
    ("Specialist Nurse", "specialist_nhs"),
])
def test_professions_off_the_list_stay_other_under_an_nhs_letterhead(role: str, expected: str) -> None:
    text = _letter("I saw Ada in clinic.", role).replace("Eastwold Hospital\n", "Norfolk Community Health NHS Trust\n")
    assert letter_fields(text)["professional_role"] == expected


def test_treatment_and_services_in_other_words() -> None:
    fields = letter_fields(_letter("I reviewed Ada in clinic. We have started fludrocortisone. She is also supported "
                                   "by the Early Help Hub. School should make reasonable adjustments."))
    assert fields["treatment"] and "fludrocortisone" in fields["treatment"]
    assert fields["other_services"] and "Early Help" in fields["other_services"]
    assert fields["reintegration_advice"] and "adjustments" in fields["reintegration_advice"]


@pytest.mark.parametrize("signature", ["Helena Marsh", "H. Marsh", "Helena  Marsh"])
def test_a_signature_above_the_printed_name_is_not_taken_for_the_role(signature: str) -> None:
    """A GP letter whose signer's name is typed in a script font above the printed name and role (seen in a
    Chromium-printed letter): the role is the line under the printed name, the organisation the letterhead."""
    text = ("Aylsham Medical Practice\nCawston Road, Aylsham, Norwich NR11 6NT\n23/11/2026\nTo whom it may concern\n"
            "Re: Rafferty Quill DOB: 02/11/2015\nI examined him at the surgery on 20/11/2026.\n"
            "Diagnosis: an active flare of Crohn's disease. He is currently receiving oral prednisolone and a liquid\n"
            "diet, and the symptoms prevent him from attending school.\nYours sincerely,\n"
            f"{signature}\nDr Helena Marsh\nGeneral Practitioner\nGMC No. 7140362\n")
    fields = letter_fields(text)
    assert fields["professional_name"] == "Dr Helena Marsh"
    assert fields["professional_role"] == "gp"
    assert fields["professional_organisation"] == "Aylsham Medical Practice"
    assert fields["professional_registration"] == "GMC 7140362"  # "No." as well as "no."
    assert fields["diagnosis"] == "an active flare of Crohn's disease"  # its sentence, not the wrapped line's rest


HOSPITAL_LETTER = """Fenmarsh Children's Hospital NHS Trust                    Switchboard 01945 220 400
Paediatric Outpatient Department                            Clinic letters: secretaries team C

Clinic date: 03/11/2026                                     Typed: 10 November 2026

Patient: Tobias Wrenfield DOB: 14/08/2013

Dear Colleague,

Diagnosis: Crohn's disease.

I reviewed Tobias in my clinic on 03/11/2026 with his father. He is on an elemental diet and azathioprine.
I would recommend a phased return, starting with mornings.

Yours sincerely,

Dr Petra Lindqvist
Consultant Paediatrician
"""


def test_a_hospital_letters_typed_date_and_its_letterhead_beside_the_switchboard() -> None:
    """A consultant's letter laid out as hospital letters are (an independent set's): the trust's name with
    the switchboard's number on the same line, the department under it, and the letter's own date printed
    as "Typed:" beside the clinic's. The organisation was the department line with the secretaries' note
    (the trust's line holds digits), and the letter had no date."""
    fields = letter_fields(HOSPITAL_LETTER)
    assert fields["professional_organisation"] == "Fenmarsh Children's Hospital NHS Trust"
    assert fields["statement_date"] == "2026-11-10" and fields["last_seen_date"] == "2026-11-03"
    assert fields["seen_in_person"] is True


def test_a_scanned_letters_i_read_as_t_still_says_the_writer_saw_the_child() -> None:
    """OCR of a faded scan read "I reviewed Tobias…" as "T reviewed Tobias…" (confidence 58): the writer's own
    sentence, so the letter says the child was seen; a "T" that is an initial stays one."""
    scanned = HOSPITAL_LETTER.replace("I reviewed Tobias", "T reviewed Tobias")
    fields = letter_fields(scanned)
    assert fields["seen_in_person"] is True and fields["last_seen_date"] == "2026-11-03"
    initial = HOSPITAL_LETTER.replace("I reviewed Tobias in my clinic on 03/11/2026 with his father.",
                                      "Tobias was referred by Dr T Marsh in 2025.")
    assert letter_fields(initial)["seen_in_person"] is not True


def test_a_skewed_scans_l_for_i_and_a_space_inside_its_month() -> None:
    """OCR of a crooked scan (an independent set's T08) read "I reviewed Percival in my clinic on 05/11/2026" as
    "L reviewed …" (confidence 14) and the clinic date as "05/1 1/2026": the child went unseen and undated."""
    scanned = HOSPITAL_LETTER.replace("I reviewed Tobias in my clinic on 03/11/2026",
                                      "L reviewed Tobias in my clinic on 03/1 1/2026")
    fields = letter_fields(scanned)
    assert fields["seen_in_person"] is True and fields["last_seen_date"] == "2026-11-03"
