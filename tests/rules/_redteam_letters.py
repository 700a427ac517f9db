"""Red-team medical letters: varied natural wording by different professionals (invented people and services)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Child:
    forename: str
    surname: str
    dob: dt.date
    he: str = "she"

    @property
    def his(self) -> str:
        return {"she": "her", "he": "his", "they": "their"}[self.he]

    @property
    def him(self) -> str:
        return {"she": "her", "he": "him", "they": "them"}[self.he]

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"


def d(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def paediatrician(c: Child, dated: dt.date) -> list[str]:
    return [
        "Eastwold Community Paediatrics", "Eastwold General Hospital NHS Foundation Trust",
        "Colney Way, Norwich NR4 7ZZ", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"I saw {c.forename} in my outpatient clinic on 12 February 2026 with {c.his} mother. {c.forename} has "
        f"Crohn's disease, diagnosed in October 2025, and is currently having infliximab infusions every eight "
        f"weeks together with a liquid diet. Fatigue and abdominal pain mean {c.he} cannot currently attend school.",
        f"{c.forename} is also under the care of the paediatric dietitian, and I have referred {c.him} to the "
        f"hospital psychology team for support with coping.",
        "I would recommend a phased return to school once the symptoms settle, beginning with two mornings a "
        "week, with a toilet pass and a quiet space to rest.",
        "Yours sincerely,", "Dr Priya Raman", "Consultant Paediatrician", "Eastwold Community Paediatrics",
    ]


def gp(c: Child, dated: dt.date) -> list[str]:
    return [
        "Riverside Surgery", "12 High Street, Dereham NR19 1DT", f"Date: {dated:%d/%m/%Y}",
        "To whom it may concern",
        f"Patient: {c.name}    Date of birth: {c.dob:%d/%m/%Y}",
        f"{c.forename} came to the surgery for a consultation with me on 16 February 2026. {c.he.capitalize()} "
        f"has had glandular fever since early January and still has marked post-viral fatigue and headaches. "
        f"{c.he.capitalize()} is taking regular paracetamol and following a graded activity plan.",
        f"I have referred {c.him} to the community paediatric team for further assessment.",
        f"I advise a gradual return to school on a reduced timetable, starting with mornings only, as "
        f"{c.his} energy allows.",
        "Kind regards", "Dr Helen Marsh", "General Practitioner", "Riverside Surgery",
    ]


def school_nurse(c: Child, dated: dt.date) -> list[str]:
    return [
        "Norfolk 5-19 Healthy Child Programme", "Just One Norfolk", d(dated),
        f"Regarding: {c.name} (date of birth {c.dob:%d/%m/%Y})",
        "Dear colleague,",
        f"I met {c.forename} at school on 10 February 2026 following a request from the pastoral team. "
        f"{c.forename} experiences severe anxiety with frequent panic attacks, which have stopped {c.him} "
        f"attending since January. We have started a course of guided self-help sessions.",
        f"With consent, I have made a referral to CAMHS and {c.he} is on the waiting list for an assessment.",
        "I would suggest a key worker, a safe space and a very gradual return to school, perhaps starting "
        "with visits after the other pupils have left.",
        "Best wishes,", "Jo Pike", "School Nurse", "Norfolk 5-19 Healthy Child Programme",
    ]


def me_cfs_physio(c: Child, dated: dt.date) -> list[str]:
    return [
        "Norfolk and Suffolk ME/CFS Service", "Paediatric Team", d(dated),
        f"Re: {c.name}   D.O.B. {c.dob:%d/%m/%Y}",
        "To the Medical Needs Service,",
        f"I visited {c.forename} at home on 3 February 2026 for an assessment. {c.forename} has a diagnosis of "
        f"ME/CFS (myalgic encephalomyelitis) made by {c.his} paediatrician last autumn. We are working on an "
        f"activity management and pacing programme, and {c.he} is currently able to manage about two hours of "
        f"light activity a day.",
        f"{c.his.capitalize()} GP and the community paediatrician are also involved.",
        "We suggest a very gradual reintegration, starting with one hour in school twice a week, with rest "
        "breaks and a lift pass.",
        "Yours sincerely", "Sam Okafor", "Specialist Physiotherapist", "Norfolk and Suffolk ME/CFS Service",
    ]


def psychologist(c: Child, dated: dt.date) -> list[str]:
    return [
        "Child and Family Psychology Service", "Norfolk Community Health and Care NHS Trust", d(dated),
        f"Name: {c.name}", f"Date of birth: {c.dob:%d/%m/%Y}",
        "Dear Sir or Madam,",
        f"I have been seeing {c.forename} weekly since November for cognitive behavioural therapy for "
        f"obsessive compulsive disorder. The compulsions are currently severe and {c.he} is unable to attend "
        f"school at present.",
        f"{c.forename} has also been referred to the consultant psychiatrist for a medication review.",
        f"When {c.he} is ready, I would advise a staged return with a trusted adult in school and a reduced "
        f"timetable agreed with the family.",
        "Yours faithfully,", "Dr Aoife Brennan", "Clinical Psychologist", "Child and Family Psychology Service",
    ]


def occupational_therapist(c: Child, dated: dt.date) -> list[str]:
    return [
        "Bright Steps Occupational Therapy Ltd", "Unit 4, Mill Yard, Swaffham PE37 7AA", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"I assessed {c.forename} at home on 4 February 2026. {c.forename} has hypermobility syndrome with "
        f"chronic pain in both knees and is using crutches, which makes the school day very difficult. "
        f"{c.he.capitalize()} is following a home exercise programme.",
        f"The GP has referred {c.him} to paediatric rheumatology.",
        "I recommend a reduced timetable, a lift pass and extra time between lessons.",
        "Kind regards,", "Megan Hollis", "Occupational Therapist", "Bright Steps Occupational Therapy Ltd",
    ]


def parent_account_gp(c: Child, dated: dt.date) -> list[str]:
    return [
        "Meadow Lane Medical Practice", "Meadow Lane, Wymondham NR18 0AA", d(dated),
        f"RE: {c.name}   DOB: {c.dob:%d/%m/%Y}",
        "Dear Sir/Madam,",
        f"I have been asked by {c.forename}'s mother to provide a letter about {c.his} absence. I have not "
        f"seen {c.forename} since last year, and this letter is based on {c.his} mother's account of "
        f"{c.his} symptoms.",
        f"She reports that {c.forename} has daily migraines and is taking pizotifen.",
        f"{c.he.capitalize()} has been referred to the paediatric neurology clinic.",
        "A gradual return to school with rest breaks would be sensible.",
        "Yours sincerely", "Dr Colin Ashby", "GP", "Meadow Lane Medical Practice",
    ]


def camhs_video(c: Child, dated: dt.date) -> list[str]:
    return [
        "Norfolk and Waveney CAMHS", "Child and Adolescent Mental Health Service", d(dated),
        f"Re: {c.name} (DOB {c.dob:%d/%m/%Y})",
        "Dear Medical Needs Coordinator,",
        f"I saw {c.forename} via video call on 9 February 2026, as {c.he} could not manage a clinic visit. "
        f"{c.forename} has a diagnosis of generalised anxiety disorder with low mood, and is receiving "
        f"fortnightly CBT with our team and sertraline prescribed by the psychiatrist.",
        f"{c.he.capitalize()} is also known to the Early Help team.",
        f"We would recommend a part-time timetable to begin with, building up as {c.his} anxiety allows, "
        f"with a named key worker in school.",
        "Yours sincerely,", "Rachel Dunn", "CAMHS Mental Health Nurse", "Norfolk and Waveney CAMHS",
    ]


def paediatrician_silent(c: Child, dated: dt.date) -> list[str]:
    return [
        "Paediatric Neurology Department", "Eastwold General Hospital NHS Foundation Trust", d(dated),
        f"Re: {c.name}, born {c.dob:%d/%m/%Y}",
        "To whom it may concern,",
        f"{c.forename} has epilepsy which has become poorly controlled this term, with several seizures each "
        f"week. {c.his.capitalize()} anti-epileptic medication is being adjusted.",
        f"{c.he.capitalize()} has been referred to the epilepsy specialist nurse team.",
        "I would advise a phased return to school with an updated seizure care plan once the seizures settle.",
        "Yours sincerely,", "Dr Tomasz Wilk", "Consultant Paediatrician", "Eastwold General Hospital",
    ]


def autism_adhd_only(c: Child, dated: dt.date, *, anxiety: bool = False, denied: bool = False) -> list[str]:
    extra = (f" {c.forename} also has severe anxiety, with panic attacks most mornings, which is the main "
             f"reason {c.he} cannot attend.") if anxiety else ""
    if denied:
        extra = " There are no concerns about anxiety or low mood, and epilepsy has been ruled out."
    return [
        "Community Paediatrics, Neurodevelopmental Team", "Eastwold General Hospital NHS Foundation Trust", d(dated),
        f"Re: {c.name}  DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"I reviewed {c.forename} in clinic on 2 February 2026. {c.forename} has a diagnosis of autism spectrum "
        f"disorder and ADHD, and takes methylphenidate each morning.{extra}",
        f"{c.he.capitalize()} is on the waiting list for speech and language therapy.",
        f"I would recommend a reduced timetable with a keyworker to support {c.him} back into school.",
        "Yours sincerely,", "Dr Nadia Rahman", "Consultant Community Paediatrician",
        "Community Paediatrics, Neurodevelopmental Team",
    ]


def no_referrals_letter(c: Child, dated: dt.date) -> list[str]:
    return [
        "Oakfield Surgery", "3 Church Road, Aylsham NR11 6AA", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"I examined {c.forename} at the surgery on 13 February 2026. {c.he.capitalize()} broke {c.his} "
        f"femur in a cycling accident in January and had surgery to fix it; {c.he} is on crutches and "
        f"cannot manage the stairs or the school bus yet.",
        "There have been no referrals to other services.",
        f"I would advise a return to school once {c.he} can bear weight, with a lift pass and a reduced "
        f"timetable at first.",
        "Yours sincerely,", "Dr Alan Brooks", "General Practitioner", "Oakfield Surgery",
    ]


def fit_to_attend(c: Child, dated: dt.date) -> list[str]:
    return [
        "Eastwold General Hospital NHS Foundation Trust", "Department of Paediatrics", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Sir or Madam,",
        f"I reviewed {c.forename} in the asthma clinic on 17 February 2026. {c.his.capitalize()} asthma is now "
        f"well controlled on a preventer inhaler.",
        f"{c.he.capitalize()} is also known to the respiratory nurse specialist.",
        f"In my opinion {c.forename} is now fit to attend school full time, and I would recommend that "
        f"school supports {c.him} with an asthma care plan.",
        "Yours sincerely,", "Dr Fiona Hale", "Consultant Paediatrician", "Department of Paediatrics",
    ]


def fit_note(c: Child, dated: dt.date) -> list[str]:
    return [
        "Statement of Fitness for Work", "For social security or statutory sick pay",
        f"Patient's name: {c.name}",
        f"I assessed your case on: {dated:%d/%m/%Y}",
        "and, because of the following condition(s): tonsillitis",
        "I advise you that: you are not fit for work.",
        f"This will be the case for 2 weeks from {dated:%d/%m/%Y}",
        "Doctor's signature: Dr Helen Marsh", "Riverside Surgery",
    ]


def old_paediatric_update(c: Child, dated: dt.date) -> list[str]:
    lines = paediatrician(c, dated)
    lines[5] = lines[5].replace("12 February 2026", "25 November 2025")
    return lines


def following_assessment(c: Child, dated: dt.date) -> list[str]:
    return [
        "Paediatric Rheumatology", "Eastwold General Hospital NHS Foundation Trust", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"Following my assessment of {c.forename} on 3 February 2026, I can confirm {c.he} has juvenile "
        f"idiopathic arthritis affecting both knees and wrists. {c.he.capitalize()} has started methotrexate "
        f"injections and has a physiotherapy programme.",
        f"{c.he.capitalize()} is also under the care of the paediatric physiotherapy team.",
        f"A phased return to school with a lift pass and rest breaks would help {c.him}.",
        "Yours sincerely,", "Dr Imogen Clarke", "Consultant Paediatric Rheumatologist", "Paediatric Rheumatology",
    ]


def once_fit(c: Child, dated: dt.date) -> list[str]:
    return [
        "Children's Oncology Outreach Team", "Eastwold General Hospital NHS Foundation Trust", d(dated),
        f"Re: {c.name} (DOB {c.dob:%d/%m/%Y})",
        "To whom it may concern,",
        f"I reviewed {c.forename} on the ward on 11 February 2026. {c.forename} is having chemotherapy for acute "
        f"lymphoblastic leukaemia and is at high risk of infection, so {c.he} cannot attend school for now.",
        f"{c.he.capitalize()} is known to the hospital school and the clinical psychology team.",
        f"Once {c.he} is fit to return to school, a phased return with careful infection control would be best.",
        "Yours sincerely,", "Dr Ruth Ngata", "Paediatric Oncology Consultant", "Children's Oncology Outreach Team",
    ]


def phone_not_in_person(c: Child, dated: dt.date) -> list[str]:
    return [
        "Point 1 Norfolk", "Children and Young People's Mental Health Service", d(dated),
        f"Re: {c.name}, date of birth {c.dob:%d/%m/%Y}",
        "Dear Sir or Madam,",
        f"I have not been able to see {c.forename} in person, but I spoke with {c.him} and {c.his} mother by "
        f"telephone on 6 February 2026 for an assessment. {c.forename} is experiencing low mood and anxiety "
        f"which are keeping {c.him} at home, and we have begun weekly telephone sessions of guided self-help.",
        f"{c.he.capitalize()} has also been referred to the GP for a physical health check.",
        "I would recommend a gradual return to school with a key worker and a quiet place to go.",
        "Kind regards,", "Ben Howard", "Mental Health Practitioner", "Point 1 Norfolk",
    ]


def psychiatrist(c: Child, dated: dt.date) -> list[str]:
    return [
        "Norfolk and Suffolk NHS Foundation Trust", "Child and Adolescent Psychiatry", d(dated),
        f"Patient name: {c.name}", f"D.O.B: {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Service,",
        f"{c.forename} was seen by me in the outpatient clinic on 29 January 2026. {c.he.capitalize()} has a "
        f"moderate depressive episode and has been started on fluoxetine 10mg, alongside psychotherapy.",
        f"{c.he.capitalize()} remains under the care of the community CAMHS team.",
        f"{c.forename} is not currently well enough to attend school. I would suggest home tuition initially, "
        f"followed by a reduced timetable.",
        "Yours sincerely,", "Dr Hamid Qureshi", "Consultant Child and Adolescent Psychiatrist",
        "Child and Adolescent Psychiatry",
    ]


def diabetes_nurse(c: Child, dated: dt.date) -> list[str]:
    return [
        "Paediatric Diabetes Team", "Eastwold General Hospital NHS Foundation Trust", d(dated),
        f"Re: {c.name}   DOB: {c.dob:%d/%m/%Y}",
        "Dear colleague,",
        f"I have been working with {c.forename} and {c.his} family since {c.his} diagnosis of type 1 diabetes "
        f"in December, and saw {c.him} at home on 5 February 2026. {c.his.capitalize()} blood glucose is still "
        f"unstable and {c.he} is learning to manage insulin injections.",
        f"{c.he.capitalize()} has been referred to the diabetes psychologist.",
        "We would advise a gradual return to school once a care plan is in place and staff are trained.",
        "Best wishes,", "Nina Patel", "Paediatric Diabetes Specialist Nurse", "Paediatric Diabetes Team",
    ]


def waiting_list_not_met(c: Child, dated: dt.date) -> list[str]:
    return [
        "Norfolk and Waveney CAMHS", "Central Norfolk Team", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"We received a referral for {c.forename} in January because of severe anxiety. We have not yet met "
        f"{c.forename}; {c.he} is on our waiting list for an initial assessment, expected in April.",
        f"{c.he.capitalize()} is known to the school nursing service.",
        "In the meantime we would suggest a reduced timetable and a safe space in school.",
        "Yours sincerely,", "Lucy Crane", "CAMHS Team Leader", "Norfolk and Waveney CAMHS",
    ]


def nhs_occupational_therapist(c: Child, dated: dt.date) -> list[str]:
    lines = occupational_therapist(c, dated)
    lines[0:2] = ["Children's Therapy Services", "Norfolk Community Health and Care NHS Trust"]
    lines[-2:] = ["Children's Occupational Therapist", "Norfolk Community Health and Care NHS Trust"]
    return lines


def educational_psychologist(c: Child, dated: dt.date) -> list[str]:
    return [
        "Norfolk County Council Educational Psychology and Specialist Support", d(dated),
        f"Re: {c.name}, DOB {c.dob:%d/%m/%Y}",
        "Dear Medical Needs Coordinator,",
        f"I observed {c.forename} at home on 2 February 2026. {c.he.capitalize()} presents with high anxiety "
        f"around school and has not attended since November.",
        f"{c.he.capitalize()} has been referred to CAMHS by the GP.",
        "I recommend a graded return with a key adult and a reduced timetable.",
        "Yours sincerely,", "Dr Karen Liddell", "Educational Psychologist",
        "Educational Psychology and Specialist Support",
    ]


def gp_terse(c: Child, dated: dt.date) -> list[str]:
    return [
        "The Old Forge Surgery", "Holt Road, Fakenham NR21 8AA", "Tel 01328 000000", f"{dated.day}rd {dated:%B %Y}"
        if dated.day in (3, 23) else d(dated), "To whom it may concern", f"Re: {c.name}  DOB {c.dob:%d.%m.%Y}",
        f"{c.forename} has been seen at this practice on several occasions this term with recurrent abdominal pain "
        f"and nausea. Blood tests were normal and {c.he} has been started on mebeverine. {c.he.capitalize()} has been "
        f"referred to paediatric gastroenterology.",
        f"In my view {c.he} is not currently fit to attend school full time. A reduced timetable would be "
        f"appropriate while {c.he} awaits the specialist appointment.",
        "Yours faithfully", "Dr S. Kaur MBChB MRCGP", "GP Partner",
    ]


def camhs_formal(c: Child, dated: dt.date) -> list[str]:
    return [
        "Child and Adolescent Mental Health Services (CAMHS)", "Norfolk and Suffolk NHS Foundation Trust",
        "Our ref: CAMHS/2211", f"Date: {dated:%d/%m/%Y}", "Dear Ms Duckworth,",
        f"RE: {c.forename} {c.surname.upper()} (D.O.B. {c.dob:%d/%m/%Y}), Year 7, Fenbrook Academy",
        f"{c.forename} is currently open to our service and I am {c.his} care coordinator. I last saw {c.forename} "
        f"for a face-to-face appointment on 5th February 2026. {c.he.capitalize()} has a diagnosis of social anxiety "
        f"disorder and depression and is receiving weekly CBT and medication (sertraline).",
        f"{c.forename} is also supported by the Early Help Hub.",
        "Recommendations for school: a gradual reintegration plan, starting with one lesson per day in a small "
        "group, a named trusted adult, and an exit card.",
        "Please do not hesitate to contact me.", "Yours sincerely,", "Chloe Madden",
        "Senior Mental Health Practitioner", "Norfolk and Suffolk NHS Foundation Trust",
    ]


def paediatric_clinic_letter(c: Child, dated: dt.date) -> list[str]:
    return [
        "Department of Child Health", "Eastwold General Hospital", "Clinic date: 28/01/2026",
        f"Typed: {dated:%d/%m/%Y}", f"Patient: {c.surname.upper()}, {c.forename}   DOB: {c.dob:%d/%m/%Y}   "
        f"NHS No: 999 999 9999", "Diagnosis: Postural tachycardia syndrome (PoTS)", "Dear Colleague,",
        f"I reviewed {c.forename} in the general paediatric clinic today with {c.his} father. The PoTS symptoms "
        f"are significant, with dizziness on standing and fatigue. We have started fludrocortisone and increased "
        f"fluid and salt intake.",
        f"{c.he.capitalize()} is under the care of the cardiology team as well.",
        f"School should allow {c.him} to sit when needed and carry a water bottle, and we would support a "
        f"part-time timetable initially.",
        "Yours sincerely", "Dr J. Oduya", "Consultant Paediatrician",
    ]


def mother_says(c: Child, dated: dt.date) -> list[str]:
    return [
        "Brookside Medical Centre", d(dated), "Dear Sir/Madam", f"Re: {c.name} (DOB {c.dob:%d/%m/%Y})",
        f"I write at the request of {c.forename}'s mother. According to {c.his} mother, {c.forename} has been "
        f"suffering from severe headaches and has missed a great deal of school. I have not examined "
        f"{c.forename} in relation to these symptoms. {c.his.capitalize()} mother tells me {c.he} is waiting to "
        f"see a neurologist.",
        f"I would suggest school allows {c.him} rest breaks.",
        "Yours sincerely", "Dr P. Goddard", "General Practitioner",
    ]
