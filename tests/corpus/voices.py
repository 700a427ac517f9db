"""Letters in the voices of the professionals who write them, each with its own wording (all invented).

`letter(voice, n, child)` returns the lines of a letter and what it says (the golden evidence attributes,
SPEC §3.5). Seen-in-person phrasings, the way the child is named (a "Re:" line, or only in the body) and
the services named vary with `n`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Child:
    forename: str
    surname: str
    dob: str  # ISO
    she: bool = True

    @property
    def dob_uk(self) -> str:
        return f"{self.dob[8:]}/{self.dob[5:7]}/{self.dob[:4]}"

    def p(self, word: str) -> str:
        """Pronouns: p('she') → she/he, p('her') → her/him, p('hers') → her/his."""
        table = {"she": ("she", "he"), "She": ("She", "He"), "her": ("her", "him"), "hers": ("her", "his"),
                 "Hers": ("Her", "His")}
        return table[word][0 if self.she else 1]


# (phrase, seen_in_person, contact_type): how the writer says when they last saw the child
def seen_phrase(n: int, c: Child, day: str) -> tuple[str, bool, str]:
    options = [
        (f"I reviewed {c.p('her')} in clinic on {day}.", True, "face_to_face"),
        (f"I saw {c.p('her')} at home on {day}.", True, "face_to_face"),
        (f"We spoke by video on {day}, as {c.p('she')} was too unwell to travel.", False, "video"),
        (f"{c.forename} was last seen in our outpatient clinic on {day}.", True, "face_to_face"),
        (f"I examined {c.p('her')} on {day} at the surgery.", True, "face_to_face"),
        (f"I met with {c.forename} and {c.p('hers')} mother at school on {day}.", True, "face_to_face"),
        (f"I spoke with {c.p('her')} by telephone on {day}.", False, "telephone"),
        (f"I last saw {c.forename} in person on {day}.", True, "face_to_face"),
    ]
    return options[n % len(options)]


DAYS = (("3 February 2026", "2026-02-03"), ("27th January 2026", "2026-01-27"), ("10/02/2026", "2026-02-10"),
        ("Friday 30 January 2026", "2026-01-30"), ("12 Feb 2026", "2026-02-12"))
LETTER_DATES = (("16 February 2026", "2026-02-16"), ("17/02/2026", "2026-02-17"), ("18th February 2026", "2026-02-18"))


@dataclass(frozen=True)
class Voice:
    name: str
    writer: str
    role_line: str
    role: str
    organisation: str
    letterhead: tuple[str, ...]


VOICES = {
    "gp": Voice("gp", "Dr Hugh Aylsham", "General Practitioner", "gp", "Burnham Market Surgery",
                ("Burnham Market Surgery", "Church Walk, Burnham Market, King's Lynn PE31 8DH", "Tel: 01328 555100")),
    "paediatrician": Voice("paediatrician", "Dr Priya Venkat", "Consultant Paediatrician", "paediatrician",
                           "Department of Paediatrics, Queen Elizabeth Hospital",
                           ("The Queen Elizabeth Hospital King's Lynn NHS Foundation Trust",
                            "Department of Paediatrics", "Gayton Road, King's Lynn PE30 4ET")),
    "camhs": Voice("camhs", "Jess Marham", "Mental Health Practitioner", "camhs",
                   "Norfolk and Suffolk NHS Foundation Trust", ("CAMHS West Norfolk", "Child and Adolescent Mental "
                   "Health Service", "Chapel Street, King's Lynn PE30 1EG")),
    "school_nurse": Voice("school_nurse", "Hannah Sheringham", "School Nurse", "school_nurse",
                          "Just One Norfolk, 0-19 Healthy Child Programme",
                          ("Just One Norfolk", "0-19 Healthy Child Programme", "Cambridgeshire Community Services "
                           "NHS Trust")),
    "psychologist": Voice("psychologist", "Dr Farah Quidenham", "Clinical Child Psychologist",
                          "clinical_child_psychologist", "Paediatric Psychology Service",
                          ("Norfolk Community Health and Care NHS Trust", "Paediatric Psychology Service",
                           "Woodlands House, Norwich NR6 5BE")),
    "specialist": Voice("specialist", "Owen Trimingham", "Specialist Physiotherapist", "me_cfs_service",
                        "Norfolk and Suffolk ME/CFS Service", ("Norfolk and Suffolk ME/CFS Service",
                                                              "Specialist Service for Children and Young People",
                                                              "Norwich Community Hospital, Bowthorpe Road")),
}

# What each voice writes about: condition sentence, diagnosis words to find, the service named, advice.
TOPICS: dict[str, dict[str, str]] = {
    "gp": {"condition": "{She} has been suffering with severe migraines since October, most days of the week, "
                        "and they have not settled with simple analgesia.",
           "diag": "migraine", "services": "I have referred {her} to the paediatric neurology clinic at the "
                                           "Norfolk and Norwich University Hospital and {she} is awaiting an "
                                           "appointment.", "service": "paediatric neurology",
           "advice": "I would recommend a phased return to school, starting with mornings, and a quiet space "
                     "when a headache starts."},
    "paediatrician": {"condition": "{Fore} has Crohn's disease, diagnosed last summer, and has had a flare "
                                   "requiring a course of exclusive enteral nutrition.",
                      "diag": "Crohn", "services": "{She} remains under the paediatric dietitian, and we have "
                      "made a referral to the clinical psychology service to help with coping.",
                      "service": "dietitian",
                      "advice": "School should allow {her} unrestricted toilet access and a reduced timetable "
                                "to begin with; I anticipate a gradual return over the next half term."},
    "camhs": {"condition": "{Fore} is experiencing generalised anxiety disorder with panic attacks and low mood, "
                           "which have stopped {her} getting into school since the start of January.",
              "diag": "anxiety", "services": "{She} is also on the waiting list for the Point 1 service.",
              "service": "Point 1",
              "advice": "We suggest a graded return, beginning with short visits to a safe space with a "
                        "keyworker, building up as {her} anxiety allows."},
    "school_nurse": {"condition": "{Fore} has type 1 diabetes and epilepsy, both long-term conditions, and had "
                                  "two admissions in January for diabetic ketoacidosis.",
                     "diag": "diabetes", "services": "{She} is under the care of the paediatric diabetes team "
                     "at the Queen Elizabeth Hospital.", "service": "paediatric diabetes team",
                     "advice": "I would advise that {hers} Individual Healthcare Plan is updated with the "
                               "diabetes team before {hers} reintegration, and that staff are trained in "
                               "managing hypoglycaemia and seizures."},
    "psychologist": {"condition": "{Fore} has post-traumatic stress disorder following a road traffic collision "
                                  "in the autumn; {she} has nightmares and intrusive memories.",
                     "diag": "post-traumatic stress disorder", "services": "{She} is also known to the "
                     "paediatric physiotherapy team for the injury to {hers} leg.",
                     "service": "paediatric physiotherapy team",
                     "advice": "Reintegration should be gradual, with a trusted adult meeting {her} at the gate "
                               "and a plan for when memories are triggered."},
    "specialist": {"condition": "{Fore} has ME/CFS (chronic fatigue syndrome) of moderate severity, with "
                                "post-exertional malaise after even short activity.",
                   "diag": "ME/CFS", "services": "{She} has also been referred to the paediatric occupational "
                   "therapy service for seating.", "service": "occupational therapy",
                   "advice": "{She} would benefit from a part-time timetable of no more than two hours a day, "
                             "with rest breaks, increased slowly."},
}


def _fill(text: str, c: Child) -> str:
    return (text.replace("{She}", c.p("She")).replace("{she}", c.p("she")).replace("{her}", c.p("her"))
            .replace("{hers}", c.p("hers")).replace("{Fore}", c.forename))


def letter(voice_name: str, n: int, c: Child) -> tuple[list[str], dict[str, Any]]:
    """A letter's lines and its golden evidence attributes."""
    v = VOICES[voice_name]
    topic = TOPICS[voice_name]
    day, day_iso = DAYS[n % len(DAYS)]
    dated, dated_iso = LETTER_DATES[n % len(LETTER_DATES)]
    phrase, in_person, contact = seen_phrase(n + len(voice_name), c, day)
    named_in_re = n % 2 == 0
    lines = [*v.letterhead, "", dated, "", "To the Medical Needs Coordinator", "Saltmarsh Coast Academy", ""]
    if named_in_re:
        lines.append(f"Re: {c.forename} {c.surname}, DOB {c.dob_uk}")
    else:
        lines.append(f"Re: date of birth {c.dob_uk} — school absence")
    lines += ["", "Dear Colleague," if n % 3 else "To whom it may concern,", ""]
    opener = {
        "gp": f"I am writing about {c.forename}, who is registered with this practice.",
        "paediatrician": f"Thank you for asking about {c.forename}, whom I have looked after for some time.",
        "camhs": f"I am {c.forename}'s allocated practitioner in our team and write at the family's request.",
        "school_nurse": f"I am writing as {c.forename}'s school nurse, from the Healthy Child Programme, to "
                        f"support {c.p('hers')} return to school.",
        "psychologist": f"{c.forename} was referred to me by the family doctor in November.",
        "specialist": f"{c.forename} was referred to our service by {c.p('hers')} GP in the autumn.",
    }[voice_name]
    lines += [opener, phrase, _fill(topic["condition"], c), _fill(topic["services"], c), _fill(topic["advice"], c),
              f"In my opinion {c.p('she')} is not currently fit to attend school full time.",
              "", "Please contact me if you need anything further.", "",
              "Yours sincerely" if n % 2 == 0 else "Kind regards,", "", v.writer, v.role_line, v.organisation]
    golden: dict[str, Any] = {
        "professional_name": v.writer, "professional_role": v.role, "professional_organisation": v.organisation,
        "seen_in_person": in_person, "last_seen_date": day_iso, "contact_type": contact,
        "statement_date": dated_iso, "pupil_forename": c.forename,
        "pupil_surname": c.surname if named_in_re else None, "pupil_dob": c.dob,
        "diagnosis": {"contains": topic["diag"]}, "other_services": {"contains": topic["service"], "max": 120},
        "reintegration_advice": {"present": True}, "unfit_for_school": "yes",
    }
    return lines, golden


def special_letter(which: str, c: Child) -> tuple[list[str], dict[str, Any]]:
    """Letters for the evidence rules: SEND only; SEND with an illness; not seen; fit for school."""
    head = ["Burnham Market Surgery", "Church Walk, Burnham Market", "", "19 February 2026", "",
            f"Re: {c.forename} {c.surname} (DOB {c.dob_uk})", "", "Dear Sir or Madam,", ""]
    sign = ["", "Yours faithfully", "", "Dr Hugh Aylsham", "General Practitioner", "Burnham Market Surgery"]
    base = {"professional_name": "Dr Hugh Aylsham", "professional_role": "gp",
            "professional_organisation": "Burnham Market Surgery", "statement_date": "2026-02-19",
            "pupil_forename": c.forename, "pupil_surname": c.surname, "pupil_dob": c.dob}
    if which == "send_only":
        body = [f"I saw {c.forename} in surgery on 9 February 2026.",
                f"{c.forename} has a diagnosis of autism spectrum disorder and dyslexia, and {c.p('she')} finds "
                f"the busy school environment very hard.",
                f"{c.p('She')} is known to the local autism support team.",
                f"I would suggest a reduced timetable and a quiet space to help {c.p('her')} return to class."]
        golden = {**base, "seen_in_person": True, "last_seen_date": "2026-02-09", "contact_type": "face_to_face",
                  "diagnosis": {"contains": "autism"}}
    elif which == "send_and_illness":
        body = [f"I reviewed {c.forename} in surgery on 9 February 2026.",
                f"{c.forename} is autistic and has developed severe anxiety with panic attacks since December; "
                f"I have started {c.p('her')} on sertraline.",
                f"I have referred {c.p('her')} to CAMHS.",
                "I would recommend a gradual return with a keyworker and a safe space."]
        golden = {**base, "seen_in_person": True, "last_seen_date": "2026-02-09", "contact_type": "face_to_face",
                  "diagnosis": {"contains": "anxiety"}, "other_services": {"contains": "CAMHS", "max": 120}}
    elif which == "not_seen":
        body = [f"I have not seen {c.forename} myself; this letter is based on {c.p('hers')} mother's account.",
                f"{c.p('She')} is said to have recurrent abdominal pain and nausea most mornings.",
                f"I have referred {c.p('her')} to the paediatric gastroenterology clinic.",
                "A phased return to school would seem sensible."]
        golden = {**base, "seen_in_person": False, "last_seen_date": None, "contact_type": None,
                  "other_services": {"contains": "gastroenterology", "max": 120}}
    else:  # fit
        body = [f"I saw {c.forename} in surgery on 9 February 2026 after a chest infection.",
                f"{c.p('She')} has recovered well and is now fit to attend school full time.",
                "No referral to other services has been needed.",
                f"I would suggest {c.p('she')} catches up on missed work gradually."]
        golden = {**base, "seen_in_person": True, "last_seen_date": "2026-02-09", "contact_type": "face_to_face",
                  "unfit_for_school": "no"}
    return head + body + sign, golden
