"""Red-team submissions: each built from independent documents, with the outcome a careful coordinator
would reach and the rules that must fire. Every rule not listed in `must` or `may` must NOT fire.

Reasoning for each expectation is in the case's `why` (SPEC §6 table; the policy wins).
Run `python -m tests.rules._redteam_cases` for the score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.rules import _redteam_docs as W
from tests.rules import _redteam_letters as L

TODAY = dt.date(2026, 3, 2)  # Monday, spring term 2025-26; Year 7 = born 1 Sep 2013 – 31 Aug 2014
REFERRAL_TITLE = "Medical Needs Service Referral Form"
HEALTH_TITLE = "Joint Medical Protocol — Health Information Form"
CONSENT_TITLE = "Joint Medical Protocol Consent Form"
CONTINUATION_TITLE = "Medical Needs Continuation Request"

Build = Callable[[Path], list[Path]]  # writes the documents; returns DOCX files to print to PDF


@dataclass
class RedCase:
    name: str
    outcome: str
    must: frozenset[str]
    build: Build
    why: str
    may: frozenset[str] = frozenset()
    today: dt.date = TODAY
    kind: str | None = None
    message_has: dict[str, tuple[str, ...]] = field(default_factory=dict)


def uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def pupil(n: int, dob: dt.date, he: str = "she") -> L.Child:
    names = ["Ada Quenby", "Oliver Stannard", "Amira Haddad", "Tom Brightwell", "Grace Okoro", "Leo Marchetti",
             "Ella Fenwick", "Noah Pradhan", "Jack Linford", "Kai Moreton", "Isla Dunmore", "Lily Carver"]
    fore, sur = names[n % len(names)].split()
    return L.Child(fore, sur + ("" if n < len(names) else str(n)), dob, he)


def referral_values(c: L.Child, year: str, **over: Any) -> dict[str, str]:
    values = {
        "pupil_forename": c.forename, "pupil_surname": c.surname, "pupil_dob": uk(c.dob),
        "pupil_gender": "Female" if c.he == "she" else "Male", "pupil_upn": W.upn("926200114123"),
        "pupil_year_group": year, "pupil_address": "14 Orchard Close, Dereham", "pupil_postcode": "NR19 2QT",
        "pupil_on_roll": "Yes", "pupil_ehe": "No", "pupil_looked_after": "No", "social_worker": "",
        "pupil_ehcp": "No", "ehcp_coordinator": "", "pupil_sen_support": "No", "repeating_year_11": "No",
        "parent_name": f"Dana {c.surname}", "parent_relationship": "Mother", "parent_phone": "07700 900456",
        "parent_email": "dana.family@example.com", "school_name": "Fenbrook Academy",
        "referrer_name": "Sam Lee", "referrer_role": "Head of Year", "referrer_email": "s.lee@fenbrook.example.org",
        "referrer_phone": "01362 690000", "dsl_name": "Pat Ray", "dsl_email": "p.ray@fenbrook.example.org",
        "senco_name": "Jo West", "health_condition": "Long-term illness (see medical evidence)",
        "health_professionals": "Consultant paediatrician; GP", "first_absence_date": "05/01/2026",
        "days_absent": "30", "expected_absence_weeks": "8", "hospital_inpatient": "No", "pregnancy_related": "No",
        "awaiting_special_school_place": "No", "previous_referral": "No", "ehe_exceptional_circumstances": "",
        "chk_policy_followed": "Yes", "chk_jon_contacted": "Yes", "jon_contact_date": "12/01/2026",
        "chk_health_advice": "Yes", "chk_parent_meeting": "Yes", "chk_senco_assessment": "Yes",
        "consent_jon": "Yes", "consent_health_contact": "Yes", "consent_given_by": f"Dana {c.surname}",
        "consent_date": "09/01/2026", "school_support_declaration": "Yes", "referral_date": "20/02/2026",
    }
    values.update(over)
    return values


def health_values(c: L.Child, **over: Any) -> dict[str, str]:
    values = {
        "pupil_forename": c.forename, "pupil_surname": c.surname, "pupil_dob": uk(c.dob),
        "school_name": "Fenbrook Academy", "professional_name": "Rachel Dunn",
        "professional_role": "CAMHS Mental Health Practitioner", "professional_organisation": "Norfolk and Waveney CAMHS",
        "professional_registration": "NMC 14B2345E", "seen_in_person": "Yes", "last_seen_date": "09/02/2026",
        "contact_type": "Face to face in clinic", "diagnosis": "Generalised anxiety disorder and low mood",
        "treatment": "Fortnightly CBT; sertraline 50mg. Anxiety prevents attendance at present.",
        "other_services": "Also known to the Early Help team; GP involved.",
        "reintegration_advice": "Part-time timetable with a named key worker, building up over six weeks.",
        "unfit_for_school": "Yes", "expected_duration_weeks": "10", "statement_date": "11/02/2026",
    }
    values.update(over)
    return values


def header(c: L.Child) -> dict[str, str]:
    return {"Pupil name": c.name, "Date of birth": uk(c.dob), "School": "Fenbrook Academy"}


# --- builders ----------------------------------------------------------------------------------------


def referral_doc(folder: Path, values: dict[str, str], layout: str) -> list[Path]:
    """layout: table (printed labels) · alias-table · paragraphs (aliases) · pdf (printed labels, via soffice)."""
    if layout == "table":
        W.form_docx_table(folder / "referral.docx", REFERRAL_TITLE, values, W.PRINTED)
    elif layout == "alias-table":
        W.form_docx_table(folder / "Referral form.docx", "Medical Needs Referral", values, W.ALIASES)
    elif layout == "pdf-paragraphs":
        return [W.form_docx_paragraphs(folder / "referral-typed-print.docx", REFERRAL_TITLE, values, W.PRINTED)]
    elif layout == "paragraphs":
        W.form_docx_paragraphs(folder / "referral-typed.docx", "Referral to the Medical Needs Service", values,
                               W.ALIASES, headings=[("pupil_forename", "About the young person"),
                                                    ("parent_name", "Parent or carer"),
                                                    ("chk_policy_followed", "Checklist")])
    else:
        out = W.form_docx_table(folder / "referral-print.docx", REFERRAL_TITLE, values, W.PRINTED)
        return [out]
    return []


def submission(*, c: L.Child, year: str, layout: str = "table", letter: Callable[..., list[str]] | None = L.paediatrician,
               letter_fmt: str = "docx", health: dict[str, str] | None = None, consent: bool = False,
               attendance: str | None = "sessions", illness_days: int = 30, letter_child: L.Child | None = None,
               attendance_child: L.Child | None = None, extra: Callable[[Path], None] | None = None,
               health_layout: str = "table",
               **over: Any) -> Build:
    def build(folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        convert = referral_doc(folder, referral_values(c, year, **over), layout)
        if letter is not None:
            lines = letter(letter_child or c, dt.date(2026, 2, 20))
            if letter_fmt == "pdf":
                W.letter_pdf(folder / "medical letter.pdf", lines)
            elif letter_fmt == "print":  # a Word letter printed to PDF
                convert.append(W.letter_docx(folder / "clinic-letter.docx", lines))
            else:
                W.letter_docx(folder / "medical-letter.docx", lines)
        if health is not None and health_layout == "print":
            convert.append(W.form_docx_table(folder / "JMP-health-print.docx", HEALTH_TITLE, health, W.HEALTH_LABELS))
        elif health is not None and health_layout == "paragraphs":
            W.form_docx_paragraphs(folder / "JMP health typed.docx", HEALTH_TITLE, health, W.HEALTH_LABELS)
        elif health is not None:
            W.form_docx_table(folder / "JMP health information.docx", HEALTH_TITLE, health, W.HEALTH_LABELS)
        if consent:
            W.form_docx_table(folder / "jmp-consent.docx", CONSENT_TITLE, {
                "pupil_forename": c.forename, "pupil_surname": c.surname, "pupil_dob": uk(c.dob),
                "consent_name": f"Dana {c.surname}", "consent_relationship": "Mother",
                "consent_share_health": "☒", "consent_date": "09/01/2026"}, W.CONSENT_LABELS)
        who = attendance_child or c
        if attendance == "sessions":
            W.attendance_sessions_csv(folder / "attendance.csv", header(who), start=dt.date(2025, 9, 3),
                                      end=dt.date(2026, 2, 27), illness_days=illness_days)
        elif attendance in ("grid-pdf", "grid-pdf-narrow"):
            convert.append(W.attendance_grid_docx(folder / "herringbone report.docx", header(who),
                                                  start=dt.date(2025, 9, 3), end=dt.date(2026, 2, 27),
                                                  illness_days=illness_days,
                                                  date_cm=1.2 if attendance.endswith("narrow") else 3.4))
        elif attendance == "grid":
            W.attendance_grid_csv(folder / "herringbone.csv", header(who), start=dt.date(2025, 9, 3),
                                  end=dt.date(2026, 2, 27), illness_days=illness_days)
        if extra:
            extra(folder)
        return convert
    return build


def continuation(*, c: L.Child, start: dt.date, evidence: str | None = "letter", attendance: bool = True,
                 planning: bool = True, letter_date: dt.date = dt.date(2026, 2, 20)) -> Build:
    def build(folder: Path) -> list[Path]:
        folder.mkdir(parents=True, exist_ok=True)
        W.form_docx_table(folder / "continuation.docx", CONTINUATION_TITLE, {
            "case_reference": "MN-2025-0042", "pupil_forename": c.forename, "pupil_surname": c.surname,
            "pupil_dob": uk(c.dob), "pupil_upn": W.upn("926200114123"), "school_name": "Fenbrook Academy",
            "referrer_name": "Sam Lee", "referrer_role": "Head of Year", "referrer_email": "s.lee@fenbrook.example.org",
            "provision_start_date": uk(start), "current_provision": "HLSA three mornings a week and online lessons",
            "progress_summary": "Engaging well with the HLSA; maths and English work completed.",
            "reintegration_progress": "Has visited school twice after the end of the day.",
            "continuation_reason": "Still too fatigued for a school day, according to the paediatrician.",
            "review_meeting_date": "10/02/2026", "request_date": "20/02/2026"}, CONTINUATION_LABELS)
        if evidence == "letter":
            write = L.old_paediatric_update if letter_date < start else L.paediatrician
            W.letter_docx(folder / "updated-letter.docx", write(c, letter_date))
        elif evidence == "fitnote":
            W.letter_pdf(folder / "fit note.pdf", L.fit_note(c, letter_date))
        if attendance:
            W.attendance_grid_csv(folder / "herringbone.csv", header(c), start=dt.date(2025, 9, 3),
                                  end=dt.date(2026, 2, 27), illness_days=60)
        if planning:
            doc = W.Document()
            doc.add_heading("Initial Planning and Review Record", level=1)
            doc.add_paragraph(f"Pupil name: {c.name}")
            doc.add_paragraph(f"Date of birth: {uk(c.dob)}")
            doc.add_paragraph("Part B – Review: provision amended to four mornings; reintegration step (c) begun.")
            doc.save(str(folder / "planning record.docx"))
        return []
    return build


CONTINUATION_LABELS = W.CONTINUATION_LABELS


def as_email(folder: Path) -> None:
    """Wrap the folder's documents into one .eml (attachments) and remove the loose files."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "s.lee@fenbrook.example.org"
    msg["To"] = "medicalneeds@example.gov.uk"
    msg["Subject"] = "Medical Needs referral"
    msg.set_content("Please find attached our referral, the medical evidence and the attendance record.")
    for file in sorted(folder.iterdir()):
        msg.add_attachment(file.read_bytes(), maintype="application", subtype="octet-stream", filename=file.name)
        file.unlink()
    (folder / "referral email.eml").write_bytes(bytes(msg))


def unticked_consent(folder: Path) -> None:
    c = pupil(3, Y7, "he")
    W.form_docx_table(folder / "consent.docx", CONSENT_TITLE, {
        "pupil_forename": c.forename, "pupil_surname": c.surname, "pupil_dob": uk(c.dob),
        "consent_name": f"Dana {c.surname}", "consent_relationship": "Mother", "consent_share_health": "☐",
        "consent_date": "09/01/2026"}, W.CONSENT_LABELS)


def other_child_consent(folder: Path) -> None:
    W.form_docx_table(folder / "consent.docx", CONSENT_TITLE, {
        "pupil_forename": "Maisie", "pupil_surname": "Thorne", "pupil_dob": "02/06/2012",
        "consent_name": "Kerry Thorne", "consent_relationship": "Mother", "consent_share_health": "Yes",
        "consent_date": "09/01/2026"}, W.CONSENT_LABELS)


def only_a_letter(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    W.letter_docx(folder / "letter.docx", L.paediatrician(pupil(0, Y7), dt.date(2026, 2, 20)))
    return []

Y7 = dt.date(2013, 11, 14)
ALL_RULES: frozenset[str] = frozenset()  # filled by the test from docgen.rules.RULES


def fs(*rules: str) -> frozenset[str]:
    return frozenset(rules)


def cases() -> list[RedCase]:
    """The red-team corpus."""
    out: list[RedCase] = []

    def add(name: str, outcome: str, must: frozenset[str], build: Build, why: str, **kw: Any) -> None:
        out.append(RedCase(name, outcome, must, build, why, **kw))

    # --- clean referrals, different layouts and professionals --------------------------------------------
    add("clean-table-paediatrician", "accepted", fs(),
        submission(c=pupil(0, Y7), year="Year 7"),
        "Complete referral, paediatrician saw the child in clinic, all three contents, 30 days + 8 weeks.")
    add("clean-alias-table-camhs-jmp-grid", "accepted", fs(),
        submission(c=pupil(2, Y7), year="Y7", layout="alias-table", letter=None, health=health_values(pupil(2, Y7)),
                   attendance="grid", consent=True),
        "Alias labels, JMP form from a CAMHS practitioner seen face to face, herringbone grid, consent form.")
    add("clean-paragraphs-gp-pdf-letter", "accepted", fs(),
        submission(c=pupil(1, Y7, "he"), year="7", layout="paragraphs", letter=L.gp, letter_fmt="pdf",
                   pupil_on_roll="Y", pupil_ehe="N", pupil_looked_after="N", pupil_ehcp="N", pupil_sen_support="N",
                   hospital_inpatient="N", awaiting_special_school_place="N", previous_referral="N",
                   chk_policy_followed="☒", chk_jon_contacted="☒", consent_jon="Y", consent_health_contact="Y",
                   school_support_declaration="Y"),
        "'Label: value' paragraphs with aliases and Y/N/☒; GP letter (first referral, so GP-only is fine).")
    add("clean-pdf-printed-school-nurse", "accepted", fs(),
        submission(c=pupil(2, Y7), year="Year 7", layout="pdf", letter=L.school_nurse),
        "Referral printed to PDF from Word; school nurse met the child at school.")
    add("clean-me-cfs-physio", "accepted", fs(),
        submission(c=pupil(3, Y7, "he"), year="Year 7", letter=L.me_cfs_physio, letter_fmt="pdf"),
        "ME/CFS specialist physiotherapist (accepted list), home visit, pacing, others involved, reintegration.")
    add("clean-clinical-psychologist", "accepted", fs(),
        submission(c=pupil(4, Y7), year="Year 7", letter=L.psychologist),
        "Clinical psychologist treating weekly (seeing the child), OCD, referred to psychiatrist, staged return.")
    add("ot-role-other", "review", fs("R-EVID-ROLE"),
        submission(c=pupil(5, Y7, "he"), year="Year 7", letter=L.occupational_therapist),
        "An independent occupational therapist is not on the §11.2.2 list → the coordinator decides.")
    add("gp-relies-on-parent-account", "review", fs("R-EVID-SEEN"),
        submission(c=pupil(6, Y7), year="Year 7", letter=L.parent_account_gp),
        "§11.2.2: evidence where the professional has not seen the child (parent's account) is challenged.")
    add("camhs-video-call", "accepted", fs(),
        submission(c=pupil(7, Y7, "he"), year="Year 7", letter=L.camhs_video),
        "Seen via video call = spoken to; R-EVID-SEEN fires only when not seen or spoken to.")
    add("letter-silent-on-seeing", "review", fs("R-EVID-SEEN"),
        submission(c=pupil(8, Y7, "he"), year="Year 7", letter=L.paediatrician_silent),
        "SPEC R-EVID-SEEN: '…or the letter does not say'.")
    add("autism-adhd-only", "incomplete", fs("R-EVID-SEND-ONLY"),
        submission(c=pupil(9, Y7, "he"), year="Year 7", letter=L.autism_adhd_only),
        "§11.2.2: evidence naming SEND but no illness or medical diagnosis is not accepted.")
    add("autism-illness-denied", "incomplete", fs("R-EVID-SEND-ONLY"),
        submission(c=pupil(9, Y7, "he"), year="Year 7",
                   letter=lambda c, dt_: L.autism_adhd_only(c, dt_, denied=True)),
        "'No concerns about anxiety or low mood', 'epilepsy ruled out': still SEND only.")
    add("autism-plus-anxiety", "accepted", fs(),
        submission(c=pupil(9, Y7, "he"), year="Year 7",
                   letter=lambda c, dt_: L.autism_adhd_only(c, dt_, anxiety=True)),
        "SEND plus an illness (anxiety) is acceptable evidence.")
    add("no-referrals-under-60-days", "accepted", fs(),
        submission(c=pupil(10, Y7), year="Year 7", letter=L.no_referrals_letter),
        "'No referrals to other services' answers R-EVID-CONTENT; 30 days is not over 12 weeks.")
    add("no-referrals-over-60-days", "review", fs("R-EVID-12WEEKS"),
        submission(c=pupil(10, Y7), year="Year 7", letter=None, days_absent="70", illness_days=70,
                   health=health_values(pupil(10, Y7), other_services="No referrals to other services.")),
        "70 days absent (> 60) and the evidence says no referrals → R-EVID-12WEEKS; CONTENT is answered.")
    add("no-referrals-letter-over-60-days", "review", fs("R-EVID-12WEEKS"),
        submission(c=pupil(10, Y7), year="Year 7", letter=L.no_referrals_letter, days_absent="64", illness_days=64),
        "A GP letter saying there have been no referrals, 64 days absent → R-EVID-12WEEKS only.")
    add("fit-to-attend", "review", fs("R-EVID-UNFIT"),
        submission(c=pupil(11, Y7), year="Year 7", letter=L.fit_to_attend),
        "The professional says the child is fit to attend school.")
    add("fit-note-only", "incomplete", fs("R-EVID-FITNOTE"),
        submission(c=pupil(1, Y7, "he"), year="Year 7", letter=L.fit_note, letter_fmt="pdf"),
        "Only a Statement of Fitness for Work: not acceptable evidence.", may=fs("R-DOCS-EVIDENCE"))
    add("no-evidence", "incomplete", fs("R-DOCS-EVIDENCE"),
        submission(c=pupil(0, Y7), year="Year 7", letter=None), "No medical evidence at all.")
    add("no-attendance", "incomplete", fs("R-DOCS-ATTENDANCE"),
        submission(c=pupil(0, Y7), year="Year 7", attendance=None), "On roll and no herringbone.")

    # --- boundary dates ------------------------------------------------------------------------------
    add("born-31-aug-year-7", "accepted", fs(),
        submission(c=pupil(0, dt.date(2014, 8, 31)), year="Year 7"),
        "Born 31 Aug 2014: 11 on 31 Aug 2025 → Year 7 (youngest in the year).")
    add("born-1-sep-year-7", "accepted", fs(),
        submission(c=pupil(0, dt.date(2013, 9, 1)), year="Year 7"),
        "Born 1 Sep 2013: 11 on 31 Aug 2025 → Year 7 (oldest in the year).")
    add("born-1-sep-stated-year-8", "review", fs("R-DATA-YEAR"),
        submission(c=pupil(0, dt.date(2013, 9, 1)), year="Year 8"),
        "Born 1 Sep 2013 is Year 7, not Year 8.")
    add("reception", "accepted", fs(),
        submission(c=pupil(3, dt.date(2020, 10, 1), "he"), year="Reception"),
        "Born Oct 2020: 4 on 31 Aug 2025 → Reception, within Reception–Year 11.")
    add("nursery", "not_accepted", fs("R-ELIG-AGE-LOWER"),
        submission(c=pupil(3, dt.date(2021, 12, 1), "he"), year="Nursery"),
        "Born Dec 2021: 3 on 31 Aug 2025 → Nursery, below Reception.")
    add("reception-born-31-aug", "accepted", fs(),
        submission(c=pupil(3, dt.date(2021, 8, 31), "he"), year="R"),
        "Born 31 Aug 2021: 4 on 31 Aug 2025 → Reception (the youngest in the year).")
    add("nursery-born-1-sep", "not_accepted", fs("R-ELIG-AGE-LOWER"),
        submission(c=pupil(3, dt.date(2021, 9, 1), "he"), year="Nursery"),
        "Born 1 Sep 2021: 3 on 31 Aug 2025 → Nursery.")
    add("year-11-born-31-aug-2010", "accepted", fs(),
        submission(c=pupil(4, dt.date(2010, 8, 31)), year="Year 11"),
        "Born 31 Aug 2010: 15 on 31 Aug 2025 → Year 11, the last year supported.")
    add("year-11-born-1-sep-2009", "accepted", fs(),
        submission(c=pupil(4, dt.date(2009, 9, 1)), year="Year 11"),
        "Born 1 Sep 2009: 15 on 31 Aug 2025 (16 the next day) → Year 11, the oldest in the year.")
    add("year-12-born-31-aug-2009", "not_accepted", fs("R-ELIG-AGE-UPPER", "R-DATA-YEAR"),
        submission(c=pupil(4, dt.date(2009, 8, 31)), year="Year 11"),
        "Born 31 Aug 2009: 16 on 31 Aug 2025 → Year 12; stated Year 11 but not repeating → post-16 and a mismatch.")
    add("year-11-repeating", "review", fs("R-ELIG-YEAR11-REPEAT"),
        submission(c=pupil(4, dt.date(2009, 5, 1)), year="Year 11", repeating_year_11="Yes"),
        "Computed Year 12, stated Year 11 repeating for medical reasons → considered individually.")
    add("year-12-no-ehcp", "not_accepted", fs("R-ELIG-AGE-UPPER"),
        submission(c=pupil(4, dt.date(2009, 5, 1)), year="Year 12", school_name="Fenbrook Sixth Form"),
        "Post-16: host school/college makes adjustments.",
        message_has={"R-ELIG-AGE-UPPER": ("college",)})
    add("year-12-ehcp", "not_accepted", fs("R-ELIG-AGE-UPPER"),
        submission(c=pupil(4, dt.date(2009, 5, 1)), year="Year 12", pupil_ehcp="Yes",
                   ehcp_coordinator="Chris Vale, Norfolk SEN team"),
        "Post-16 with an EHCP: the provider contacts the EHCP Coordinator first.",
        message_has={"R-ELIG-AGE-UPPER": ("EHCP Coordinator",)})
    add("exactly-15-days", "accepted", fs(),
        submission(c=pupil(5, Y7, "he"), year="Year 7", days_absent="5", expected_absence_weeks="2", illness_days=5),
        "5 days + 2 weeks × 5 = 15: not under 15.")
    add("14-days", "review", fs("R-ELIG-ABSENCE"),
        submission(c=pupil(5, Y7, "he"), year="Year 7", days_absent="4", expected_absence_weeks="2", illness_days=4),
        "4 + 10 = 14 < 15.")

    # --- eligibility ---------------------------------------------------------------------------------
    add("ehe-no-exceptional", "not_accepted", fs("R-ELIG-EHE", "R-ELIG-NOT-ON-ROLL"),
        submission(c=pupil(6, Y7), year="Year 7", pupil_on_roll="No", pupil_ehe="Yes", pupil_upn="", school_name="",
                   attendance=None),
        "EHE, not on roll, no exceptional circumstances; no herringbone needed off roll (§6 note).")
    add("ehe-exceptional", "review", fs("R-ELIG-EHE", "R-ELIG-NOT-ON-ROLL"),
        submission(c=pupil(6, Y7), year="Year 7", pupil_on_roll="No", pupil_ehe="Yes", pupil_upn="", school_name="",
                   attendance=None, ehe_exceptional_circumstances="Parent is in hospital long term; the family "
                   "cannot home educate during her treatment."),
        "EHE with exceptional circumstances → review.")
    add("not-on-roll", "review", fs("R-ELIG-NOT-ON-ROLL"),
        submission(c=pupil(7, Y7, "he"), year="Year 7", pupil_on_roll="No", pupil_upn="", school_name="",
                   attendance=None),
        "Children Missing Education: coordinator discusses.")
    add("looked-after-no-social-worker", "incomplete", fs("R-FORM-REQUIRED"),
        submission(c=pupil(8, Y7, "he"), year="Year 7", pupil_looked_after="Yes", social_worker=""),
        "Social worker required if looked after.")
    add("inpatient", "review", fs("R-ELIG-INPATIENT"),
        submission(c=pupil(11, Y7), year="Year 7", hospital_inpatient="Yes"), "§7 hospital school.")
    add("pregnancy", "review", fs("R-ELIG-PREGNANCY"),
        submission(c=pupil(11, dt.date(2010, 1, 10)), year="Year 11", pregnancy_related="Yes"),
        "§9 pregnancy is not an illness. (Born Jan 2010: 15 on 31 Aug 2025 → Year 11.)")
    add("awaiting-special-place", "review", fs("R-ELIG-SPECIAL-PLACE"),
        submission(c=pupil(9, Y7, "he"), year="Year 7", awaiting_special_school_place="Yes"),
        "§11.2 not an interim measure.")
    for pc, inside in (("IP1 2AB", False), ("PE1 1AA", False), ("CB1 2XY", False), ("NR30 1AA", True),
                       ("PE31 6AB", True), ("IP22 4XX", True)):
        add(f"postcode-{pc.split()[0]}", "accepted" if inside else "review",
            fs() if inside else fs("R-ELIG-RESIDENCE"),
            submission(c=pupil(0, Y7), year="Year 7", pupil_postcode=pc),
            f"{pc}: {'Norfolk' if inside else 'not Norfolk'} (NR; PE30–38; IP20–26).")
    add("invalid-upn", "review", fs("R-DATA-UPN"),
        submission(c=pupil(1, Y7, "he"), year="Year 7", pupil_upn="B926200114123"), "Wrong check letter.")
    temp = W.upn("92620011412A")
    add("temporary-upn", "review", fs("R-DATA-UPN"),
        submission(c=pupil(1, Y7, "he"), year="Year 7", pupil_upn=temp), "Temporary UPN ends in a letter.")
    add("jon-after-referral", "review", fs("R-CHK-JON"),
        submission(c=pupil(2, Y7), year="Year 7", jon_contact_date="24/02/2026"), "JON after 20/02 referral.")
    add("jon-not-ticked", "review", fs("R-CHK-JON"),
        submission(c=pupil(2, Y7), year="Year 7", chk_jon_contacted="☐", jon_contact_date=""),
        "JON not contacted.")
    add("consent-via-jmp-only", "accepted", fs(),
        submission(c=pupil(3, Y7, "he"), year="Year 7", consent=True, consent_health_contact="", consent_given_by="",
                   consent_date=""),
        "Referral consent questions blank but a signed JMP Consent form gives consent ('form or jmp_consent').")
    add("consent-missing", "incomplete", fs("R-CONSENT-HEALTH"),
        submission(c=pupil(3, Y7, "he"), year="Year 7", consent_health_contact="No"),
        "No consent to contact health professionals.")
    add("ehcp-no-senco", "review", fs("R-CHK-SEND"),
        submission(c=pupil(4, Y7), year="Year 7", pupil_ehcp="Yes", ehcp_coordinator="Chris Vale",
                   chk_senco_assessment="No"), "EHCP but no SENCO assessment.")
    add("repeat-gp-only", "review", fs("R-EVID-GP-REPEAT"),
        submission(c=pupil(1, Y7, "he"), year="Year 7", letter=L.gp, previous_referral="Yes"),
        "Repeat referral on GP evidence alone.")
    add("letter-names-other-child", "review", fs("R-DATA-MATCH"),
        submission(c=pupil(0, Y7), year="Year 7", letter_child=L.Child("Maisie", "Thorne", dt.date(2012, 6, 2))),
        "The letter is about a different child.")
    add("attendance-names-other-child", "review", fs("R-DATA-MATCH"),
        submission(c=pupil(0, Y7), year="Year 7", attendance_child=L.Child("Maisie", "Thorne", dt.date(2012, 6, 2))),
        "The herringbone is about a different child.")
    add("jmp-not-seen-telephone", "accepted", fs(),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), seen_in_person="No", contact_type="Telephone")),
        "Not seen in person but spoken to by telephone: not 'has not seen or spoken to'.")
    add("jmp-not-seen-at-all", "review", fs("R-EVID-SEEN"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), seen_in_person="☐ Yes ☒ No", contact_type="")),
        "Not seen, no other contact given.")
    add("jmp-part-time-bad-gmc", "review", fs("R-EVID-REGISTRATION"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), unfit_for_school="Part-time only",
                                        professional_registration="GMC 123456")),
        "GMC numbers are 7 digits; part-time is not 'fit to attend'.")
    add("jmp-fit-no", "review", fs("R-EVID-UNFIT"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), unfit_for_school="No")),
        "JMP says not unfit → fit to attend.")
    add("jmp-no-reintegration", "incomplete", fs("R-FORM-REQUIRED", "R-EVID-CONTENT"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), reintegration_advice="")),
        "Reintegration advice blank: the JMP form's required question (FORM-REQUIRED) and the content (CONTENT).")
    add("jmp-health-visitor", "review", fs("R-EVID-ROLE"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), professional_role="Health Visitor",
                                        professional_organisation="Breckland Family Hub",
                                        professional_registration="")),
        "A health visitor is not on the accepted list.")
    add("jmp-hcpc-ok-gp-first", "accepted", fs(),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), professional_role="Clinical Psychologist",
                                        professional_registration="HCPC PYL012345")),
        "HCPC PYL + 6 digits is a valid shape.")
    add("jmp-bad-nmc", "review", fs("R-EVID-REGISTRATION"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), professional_registration="NMC 1234567")),
        "NMC numbers look like 12A3456B.")
    add("jmp-bad-date", "incomplete", fs("R-FORM-INVALID"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), last_seen_date="31/02/2026")),
        "31 February cannot be read as a date.")
    add("consent-form-unticked", "incomplete", fs("R-CONSENT-HEALTH"),
        submission(c=pupil(3, Y7, "he"), year="Year 7", consent_health_contact="No", extra=unticked_consent),
        "Referral says No and the JMP Consent form's box is unticked: no consent.")
    add("consent-form-other-child", "review", fs("R-DATA-MATCH"),
        submission(c=pupil(3, Y7, "he"), year="Year 7", extra=other_child_consent),
        "The JMP Consent form is for a different child.")
    add("consent-only-from-other-child", "incomplete", fs("R-CONSENT-HEALTH", "R-DATA-MATCH"),
        submission(c=pupil(3, Y7, "he"), year="Year 7", consent_health_contact="No", extra=other_child_consent),
        "The only consent given is on another child's JMP Consent form: no consent for this child.")
    add("only-evidence-no-form", "review", fs(),
        only_a_letter,
        "No referral or continuation form: kind unknown → review.", kind="unknown")

    # --- harder wording ------------------------------------------------------------------------------------
    add("following-my-assessment", "accepted", fs(),
        submission(c=pupil(4, Y7), year="Year 7", letter=L.following_assessment, letter_fmt="pdf"),
        "'Following my assessment of X on …' says the writer saw the child.")
    add("once-fit-to-return", "accepted", fs(),
        submission(c=pupil(5, Y7, "he"), year="Year 7", letter=L.once_fit),
        "'Once he is fit to return to school' is not a statement that he is fit now.")
    add("phone-not-in-person", "accepted", fs(),
        submission(c=pupil(6, Y7), year="Year 7", letter=L.phone_not_in_person),
        "Not seen in person but spoken to by telephone: R-EVID-SEEN is 'not seen or spoken to'.")
    add("psychiatrist-pdf", "accepted", fs(),
        submission(c=pupil(7, Y7, "he"), year="Year 7", letter=L.psychiatrist, letter_fmt="pdf"),
        "Consultant child psychiatrist saw the child in clinic.")
    add("diabetes-nurse", "accepted", fs(),
        submission(c=pupil(10, Y7), year="Year 7", letter=L.diabetes_nurse),
        "Specialist NHS nurse, home visit.")
    add("camhs-not-yet-met", "incomplete", fs("R-EVID-SEEN", "R-EVID-CONTENT"),
        submission(c=pupil(8, Y7, "he"), year="Year 7", letter=L.waiting_list_not_met),
        "CAMHS have not met the child yet (SEEN); not met, so no treatment either → CONTENT (missing).")
    add("over-60-no-services-blank", "incomplete", fs("R-EVID-CONTENT", "R-EVID-12WEEKS"),
        submission(c=pupil(10, Y7), year="Year 7", letter=None, days_absent="70", illness_days=70,
                   health=health_values(pupil(10, Y7), other_services="")),
        "Over 60 days and the evidence names no other service (blank): CONTENT (missing) and 12WEEKS both fire; "
        "the JMP form's own required question is blank too.", may=fs("R-FORM-REQUIRED"))
    add("attendance-illness-over-form", "review", fs("R-EVID-12WEEKS"),
        submission(c=pupil(10, Y7), year="Year 7", letter=None, days_absent="20", illness_days=66,
                   health=health_values(pupil(10, Y7), other_services="None")),
        "The herringbone's 66 illness days outweigh the form's 20: over 60, and 'None' for other services.")
    add("jmp-telephone-by-words", "accepted", fs(),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), seen_in_person="No", contact_type="By telephone")),
        "Spoken to by telephone.")
    add("jon-consent-not-recorded", "review", fs("R-CONSENT-JON"),
        submission(c=pupil(1, Y7, "he"), year="Year 7", consent_jon="No"), "§4 consent before calling JON.")
    add("jon-same-day", "accepted", fs(),
        submission(c=pupil(1, Y7, "he"), year="Year 7", jon_contact_date="20/02/2026"),
        "JON called on the referral date itself is not after it.")

    add("nhs-occupational-therapist", "review", fs("R-EVID-ROLE"),
        submission(c=pupil(5, Y7, "he"), year="Year 7", letter=L.nhs_occupational_therapist),
        "An occupational therapist is not on the §11.2.2 list even when employed by an NHS trust.")
    add("educational-psychologist", "review", fs("R-EVID-ROLE"),
        submission(c=pupil(6, Y7), year="Year 7", letter=L.educational_psychologist),
        "An educational psychologist is not a clinical child psychologist (nor a health professional). The letter "
        "gives no treatment, so CONTENT may fire too.", may=fs("R-EVID-CONTENT"))
    add("pdf-paragraphs-referral", "accepted", fs(),
        submission(c=pupil(0, Y7), year="Year 7", layout="pdf-paragraphs", letter=L.psychiatrist,
                   letter_fmt="pdf"),
        "Referral typed as 'Label: value' paragraphs and printed to PDF; psychiatrist letter as PDF.")
    add("printed-letter-and-herringbone", "accepted", fs(),
        submission(c=pupil(4, Y7), year="Year 7", letter=L.psychologist, letter_fmt="print", attendance="grid-pdf"),
        "Letter and herringbone both printed to PDF from Word.")
    add("printed-letter-silent-over-60", "review", fs("R-EVID-SEEN"),
        submission(c=pupil(8, Y7, "he"), year="Year 7", letter=L.paediatrician_silent, letter_fmt="print",
                   attendance="grid-pdf", illness_days=62, days_absent="62"),
        "Printed letter that does not say the child was seen; 62 days absent but the epilepsy nurses are named.")
    add("herringbone-date-wraps", "accepted", fs(),
        submission(c=pupil(4, Y7), year="Year 7", letter=L.psychologist, attendance="grid-pdf-narrow"),
        "A printed herringbone whose narrow date column wraps each w/c date over lines: still the record.")
    add("gp-terse", "accepted", fs(),
        submission(c=pupil(11, Y7), year="Year 7", letter=L.gp_terse, letter_fmt="pdf"),
        "'Seen at this practice on several occasions', started on medication, referred to gastroenterology.")
    add("camhs-formal", "accepted", fs(),
        submission(c=pupil(1, Y7, "he"), year="Year 7", letter=L.camhs_formal),
        "Care coordinator saw him face to face; supported by Early Help; recommendations for school.")
    add("paediatric-clinic-letter", "accepted", fs(),
        submission(c=pupil(0, Y7), year="Year 7", letter=L.paediatric_clinic_letter, letter_fmt="print"),
        "Hospital clinic letter: 'Patient: SURNAME, Forename', 'Diagnosis:' line, reviewed in clinic.")
    add("gp-mother-says", "incomplete", fs("R-EVID-SEEN", "R-EVID-CONTENT"),
        submission(c=pupil(5, Y7, "he"), year="Year 7", letter=L.mother_says),
        "Not examined, mother's account (SEEN); no treatment given (CONTENT).")
    add("jmp-printed-pdf", "accepted", fs(),
        submission(c=pupil(2, Y7), year="Year 7", letter=None, health=health_values(pupil(2, Y7)),
                   health_layout="print", layout="pdf"),
        "Referral and JMP Health Information Form both printed to PDF from Word tables.")
    add("jmp-typed-paragraphs-fit", "review", fs("R-EVID-UNFIT"),
        submission(c=pupil(2, Y7), year="Year 7", letter=None,
                   health=health_values(pupil(2, Y7), unfit_for_school="No - fit to attend"),
                   health_layout="paragraphs"),
        "JMP form typed as paragraphs answering that the child is fit to attend.")
    yes, no = "☒ Yes ☐ No", "☐ Yes ☒ No"
    add("glyph-answers-printed", "review", fs("R-ELIG-INPATIENT"),
        submission(c=pupil(7, Y7, "he"), year="Year 7", layout="pdf-paragraphs", letter=L.camhs_formal,
                   pupil_on_roll=yes, pupil_ehe=no, pupil_looked_after=no, pupil_ehcp=no, pupil_sen_support=no,
                   repeating_year_11=no, hospital_inpatient=yes, pregnancy_related=no,
                   awaiting_special_school_place=no, previous_referral=no, chk_policy_followed=yes,
                   chk_jon_contacted=yes, consent_jon=yes, consent_health_contact=yes,
                   school_support_declaration=yes),
        "Every yes/no written as '☒ Yes ☐ No' glyph pairs, printed to PDF; only in-patient is Yes.")
    add("email-bundle", "accepted", fs(),
        submission(c=pupil(11, Y7), year="Year 7", layout="alias-table", letter=L.diabetes_nurse,
                   attendance="grid", extra=as_email),
        "The whole submission arrives as one .eml with attachments.")

    # --- continuations -------------------------------------------------------------------------------
    cc = pupil(3, Y7, "he")
    add("continuation-on-time", "accepted", fs(),
        continuation(c=cc, start=dt.date(2026, 1, 5)), "12 weeks from 5 Jan 2026 end 17 Apr 2026.",
        kind="continuation")
    add("continuation-on-time-across-holidays", "accepted", fs(),
        continuation(c=cc, start=dt.date(2025, 11, 3)),
        "From 3 Nov 2025, 12 school weeks (Christmas skipped) end Fri 6 Feb 2026; today 5 Feb is on time "
        "(84 calendar days would wrongly say 26 Jan).", today=dt.date(2026, 2, 5), kind="continuation")
    add("continuation-late", "review", fs("R-CONT-LATE"),
        continuation(c=cc, start=dt.date(2025, 11, 3)), "Period ended 6 Feb 2026; today 9 Feb.",
        today=dt.date(2026, 2, 9), kind="continuation")
    add("continuation-last-day", "accepted", fs(),
        continuation(c=cc, start=dt.date(2025, 11, 3)), "Received on the last day of the period (6 Feb 2026).",
        today=dt.date(2026, 2, 6), kind="continuation")
    add("continuation-fit-note-only", "incomplete", fs("R-EVID-FITNOTE"),
        continuation(c=cc, start=dt.date(2026, 1, 5), evidence="fitnote"),
        "Only a fit note as 'updated evidence': R-EVID-FITNOTE asks for proper evidence.", kind="continuation",
        may=fs("R-CONT-DOCS"))
    add("continuation-autumn-late", "review", fs("R-CONT-LATE"),
        continuation(c=cc, start=dt.date(2025, 9, 15)),
        "From 15 Sep 2025: 12 school weeks (half term 27–31 Oct skipped) end Fri 12 Dec 2025; today 2 Mar 2026.",
        kind="continuation")
    add("continuation-no-evidence", "incomplete", fs("R-CONT-DOCS"),
        continuation(c=cc, start=dt.date(2026, 1, 5), evidence=None), "No updated evidence.", kind="continuation")
    add("continuation-no-attendance", "incomplete", fs("R-CONT-DOCS"),
        continuation(c=cc, start=dt.date(2026, 1, 5), attendance=False), "No herringbone.", kind="continuation")
    add("continuation-no-planning", "incomplete", fs("R-CONT-DOCS"),
        continuation(c=cc, start=dt.date(2026, 1, 5), planning=False), "No planning record.", kind="continuation")
    add("continuation-old-evidence", "review", fs("R-CONT-EVID-OLD"),
        continuation(c=cc, start=dt.date(2026, 1, 5), letter_date=dt.date(2025, 12, 1)),
        "Letter dated 1 Dec 2025, before provision started 5 Jan 2026.", kind="continuation")
    return out


def build_all(root: Path, chosen: list[RedCase] | None = None) -> dict[str, Path]:
    """Write every case's documents under root/<name>/ (PDF prints in one LibreOffice batch)."""
    folders: dict[str, Path] = {}
    convert: list[Path] = []
    for case in chosen or cases():
        folders[case.name] = root / case.name
        convert += case.build(root / case.name)
    W.convert_to_pdf(convert)
    return folders


def judge(case: RedCase, result: dict[str, Any], all_rules: frozenset[str]) -> dict[str, Any]:
    """Compare one check result with the case's expectation."""
    fired = {f["rule"] for f in result["findings"]}
    must_not = all_rules - case.must - case.may
    bad_messages = [
        (rule, text) for rule, texts in case.message_has.items() for text in texts
        if not any(f["rule"] == rule and text.lower() in f["message"].lower() for f in result["findings"])]
    return {"outcome_ok": result["outcome"] == case.outcome and (case.kind is None or result["kind"] == case.kind),
            "missed": sorted(case.must - fired), "wrongly_fired": sorted(fired & must_not),
            "bad_messages": bad_messages}


def main() -> None:  # pragma: no cover - a developer's score report
    import json
    import sys
    import tempfile

    from docgen.calendar import SchoolCalendar
    from docgen.config import DEFAULT_TERM_DATES
    from docgen.rules import RULES
    from docgen.rules.check import check_submission, read_submission

    all_rules = frozenset(RULES)
    calendar = SchoolCalendar.load(DEFAULT_TERM_DATES)
    chosen = [c for c in cases() if len(sys.argv) < 2 or any(a in c.name for a in sys.argv[1:])]
    ok = must_total = must_found = wrong = 0
    with tempfile.TemporaryDirectory() as tmp:
        folders = build_all(Path(tmp), chosen)
        for case in chosen:
            result = check_submission(read_submission([folders[case.name]]), today=case.today,
                                      calendar=calendar).to_json()
            verdict = judge(case, result, all_rules)
            ok += verdict["outcome_ok"]
            must_total += len(case.must)
            must_found += len(case.must) - len(verdict["missed"])
            wrong += len(verdict["wrongly_fired"])
            if not verdict["outcome_ok"] or verdict["missed"] or verdict["wrongly_fired"] or verdict["bad_messages"]:
                print(f"--- {case.name}: expected {case.outcome}/{case.kind}, got {result['outcome']}/{result['kind']}"
                      f" missed={verdict['missed']} wrongly={verdict['wrongly_fired']} msgs={verdict['bad_messages']}")
                print("    docs:", [(Path(d["file"]).name, d["kind"]) for d in result["documents"]])
                for f in result["findings"]:
                    print(f"    {f['rule']} {f['severity']}: {f['message'][:260]}")
        print(json.dumps({"cases": len(chosen), "outcomes_right": ok, "must_fire": must_total,
                          "must_found": must_found, "must_not_fired": wrong}))


if __name__ == "__main__":
    main()
