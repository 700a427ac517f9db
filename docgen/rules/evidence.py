"""Medical evidence: R-EVID-* (policy §11.2.2).

The evidence is judged as a whole: a rule about a quality the evidence must have fires only when
no evidence document has it (so a good letter is not spoiled by a weaker form sent beside it).
A rule fires on what the evidence says, never on what it leaves unsaid, except where the policy
treats silence as a gap (R-EVID-CONTENT; a letter that does not say the child was seen; and, after 12 weeks'
absence, evidence that names no other health service — R-EVID-12WEEKS, SPEC §6).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from docgen.kinds import Extraction, Kind
from docgen.read.letter import letter_body
from docgen.read.vocabulary import illness_terms, send_terms
from docgen.rules.registry import Finding, Severity, rule
from docgen.rules.scans import hand_read_letter
from docgen.rules.submission import Submission, document_name

OVER_12_WEEKS_DAYS = 60  # 12 school weeks × 5 days
SPOKEN_TO = {"telephone", "video"}

NO_SERVICES = re.compile(
    r"^\s*(none|nil|no|n/?a|not applicable|not known|nothing|not yet|not at (this time|present)|"
    r"no (other )?(referrals?|services?|involvement|agencies))\b", re.I)
NAMED_SERVICE = re.compile(
    r"camhs|cypmhs|paediatric|physio|psycholog|psychiatr|dietit|occupational|speech|\bsalt\b|counsell|"
    r"neurolog|gastro|oncolog|cardio|endocrin|rheumat|hospital|clinic|me\s*/\s*cfs|fatigue service|"
    r"eating disorder|school nurs|point 1|early help|social care|orthop|dermatol|respiratory|pain (team|service)|"
    r"wellbeing|mental health|specialist|consultant|healthy child|just one|\bjon\b|\bgp\b|nurse|therap",
    re.I)


def _docs(docs: list[Extraction]) -> str:
    """The evidence documents named for a message: "medical letter (letter.pdf), Health Information Form (…)"."""
    return ", ".join(document_name(doc) for doc in docs)


def _text(doc: Extraction, key: str) -> str:
    value = doc.fields.get(key)
    return value if isinstance(value, str) else ""


NOT_REFERRED = re.compile(
    r"\b(has|have)\s+not\s+(yet\s+)?(been\s+)?referr\w*|\bno\s+(other\s+)?(services?|professionals?|agencies)\s+"
    r"(are|is)\s+(currently\s+)?involved|\bnot\s+(currently\s+)?(known|open)\s+to\s+(any\s+)?other|"
    r"\bthere\s+(have\s+been|has\s+been|are|were|is)\s+no\s+(other\s+|further\s+|onward\s+)?(referrals?|services?|"
    r"professionals?|agencies)\b|\b(have|has)\s+not\s+(made|yet\s+made)\s+(any\s+)?(onward\s+)?referrals?", re.I)


def names_no_service(other_services: Any) -> bool:
    """True when the evidence's "other services" answer positively says none are involved."""
    if not isinstance(other_services, str) or not other_services.strip():
        return False
    says_none = NO_SERVICES.match(other_services) or NOT_REFERRED.search(other_services)
    rest = NOT_REFERRED.sub(" ", NO_SERVICES.sub(" ", other_services, count=1))
    return bool(says_none) and not NAMED_SERVICE.search(rest)


@rule("R-EVID-FITNOTE", section="11.2.2", severity=Severity.MISSING,
      summary="the only evidence is a Statement of Fitness for Work")
def not_only_fit_note(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: medical evidence should not be an adult Statement of Fitness for Work ("sick note")."""
    notes = sub.of_kind(Kind.FIT_NOTE)
    if notes and not sub.evidence:
        yield not_only_fit_note.finding(
            f"The only medical evidence is a Statement of Fitness for Work ({notes[0].file.name}), which is not "
            f"accepted. Ask the school for a Health Information Form or a letter from a health professional who "
            f"has seen the young person.")


@rule("R-EVID-SEND-ONLY", section="11.2.2", severity=Severity.MISSING,
      summary="the evidence names a special educational need or disability but no illness or medical diagnosis")
def names_illness(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: evidence which names SEND but no illness or medical diagnosis will not be accepted."""
    if not sub.evidence:
        return
    send: list[str] = []
    illness: list[str] = []
    for doc in sub.evidence:
        # a letter's body, not its letterhead or signature ("Mental Health Service", "Market Surgery")
        body = letter_body(doc.text) if doc.kind is Kind.MEDICAL_LETTER else ""
        named = _text(doc, "diagnosis") or body
        send += send_terms(named)
        illness += illness_terms(" ".join([named, _text(doc, "treatment"), body]))
    if send and not illness:
        yield names_illness.finding(
            f"The medical evidence ({_docs(sub.evidence)}) names a special educational need or disability "
            f"({', '.join(dict.fromkeys(send))}) but no illness or medical diagnosis, so it cannot be accepted. "
            f"Ask the school for evidence from a health professional stating the illness or medical condition "
            f"that prevents the young person attending school.")


CONTENT = (
    ("details of the health condition and its treatment", ("diagnosis", "treatment")),
    ("information about referrals to other services", ("other_services",)),
    ("advice on how the young person may best be supported to reintegrate into full-time education",
     ("reintegration_advice",)),
)


@rule("R-EVID-CONTENT", section="11.2.2", severity=Severity.MISSING,
      summary="the evidence lacks one of: condition and treatment; referrals to other services; reintegration advice")
def evidence_content(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: written evidence gives condition and treatment, referrals to other services, reintegration advice."""
    if not sub.evidence:
        return
    for what, keys in CONTENT:
        lacking = [key for key in keys if not any(_text(doc, key).strip() for doc in sub.evidence)]
        if lacking and not _maybe_missed_by_ocr(sub, lacking):
            yield evidence_content.finding(
                f"The medical evidence ({_docs(sub.evidence)}) does not give {what}. Ask the school to obtain "
                f"it in writing from the health professional (the Health Information Form has a question for it).")


def _maybe_missed_by_ocr(sub: Submission, keys: list[str]) -> bool:
    """True when a scanned evidence form (or a letter that reads like handwriting, `hand_read_letter`) no person
    has corrected yet lacks one of these answers: OCR may have missed it, and R-DATA-UNCERTAIN puts it in front of a person (SPEC §16) instead of a request saying the
    health professional did not give it (as R-FORM-REQUIRED does for a scanned form's blanks)."""
    forms = sub.forms()
    return any(sub.read_by_ocr(doc) and (any(d is doc for d in forms) or hand_read_letter(doc))
               and not _text(doc, key).strip() for doc in sub.evidence for key in keys)


@rule("R-EVID-ROLE", section="11.2.2", severity=Severity.REVIEW,
      summary="the professional's role is not on the accepted list")
def accepted_role(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: evidence from CAMHS, ME/CFS service, school nurse, paediatrician, psychologist, … or GP."""
    roles = [doc.fields.get("professional_role") for doc in sub.evidence]
    if roles and all(r == "other" for r in roles):
        who = ", ".join(f"{_text(d, 'professional_name') or 'the writer'} of {document_name(d)}" for d in sub.evidence)
        yield accepted_role.finding(
            f"The professional role of {who} is not one the policy lists (CAMHS, ME/CFS service, school nurse, "
            f"paediatrician, clinical child psychologist, consultant child psychiatrist, specialist NHS service, "
            f"primary care or GP). The coordinator decides whether to accept it.")


def _seen_state(doc: Extraction) -> bool | None:
    """True: seen or spoken to; False: says not (or a letter that does not say); None: form left blank."""
    seen = doc.fields.get("seen_in_person")
    if seen is True:
        return True
    if seen is False:
        return doc.fields.get("contact_type") in SPOKEN_TO
    return False if doc.kind is Kind.MEDICAL_LETTER else None


@rule("R-EVID-SEEN", section="11.2.2", severity=Severity.REVIEW,
      summary="the professional has not seen or spoken to the young person, or the letter does not say")
def professional_has_seen_child(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: evidence from someone who has not seen or spoken to the young person is challenged."""
    states = [(doc, _seen_state(doc)) for doc in sub.evidence]
    if any(state is True for _, state in states):
        return
    for doc, state in states:
        if state is not False:
            continue  # a Health Information Form left blank: R-FORM-REQUIRED asks for the answer
        if hand_read_letter(doc):
            continue  # a letter that may be handwritten: R-DATA-UNCERTAIN puts it before a person to read
        if doc.kind is Kind.MEDICAL_LETTER and doc.fields.get("seen_in_person") is None:
            what = "does not say whether the writer has seen the young person"
        else:
            what = "says the health professional has not seen or spoken to the young person"
        yield professional_has_seen_child.finding(
            f"{document_name(doc)} {what}. Evidence should come from a health professional who has seen the "
            f"young person; the coordinator checks with the professional or asks for such evidence.")


@rule("R-EVID-GP-REPEAT", section="11.2.2", severity=Severity.REVIEW,
      summary="a repeat referral whose only evidence is from a GP")
def repeat_not_gp_only(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: repeat referrals based on a GP's evidence alone may not be accepted."""
    if sub.get("previous_referral") is not True or not sub.evidence:
        return
    if all(doc.fields.get("professional_role") == "gp" for doc in sub.evidence):
        yield repeat_not_gp_only.finding(
            f"{sub.where('previous_referral')} is answered Yes and the only medical evidence "
            f"({_docs(sub.evidence)}) is from a GP; repeat referrals on a GP's evidence alone may not be "
            f"accepted. The coordinator decides, or asks for evidence from another health service.")


@rule("R-EVID-12WEEKS", section="11.2.2", severity=Severity.REVIEW,
      summary="absence so far is over 60 school days and the evidence names no referral to another health service")
def other_services_after_12_weeks(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: a young person unwell for more than 12 weeks is expected to have seen other health services."""
    days = sub.absence_days()
    if days is None or days <= OVER_12_WEEKS_DAYS or not sub.evidence:
        return
    answers = [doc.fields.get("other_services") for doc in sub.evidence]
    if any(isinstance(a, str) and a.strip() and not names_no_service(a) for a in answers):
        return
    said = ("says there are no referrals to other health services" if any(names_no_service(a) for a in answers)
            else "names no referral to, or contact with, another health service")
    yield other_services_after_12_weeks.finding(
        f"The young person has been absent for health reasons for {days:g} school days (over 12 weeks) and "
        f"the medical evidence ({_docs(sub.evidence)}) {said}; a young person unwell for that long is expected to have been referred "
        f"to other health services. The coordinator checks with the health professional.")


@rule("R-EVID-UNFIT", section="11.2.2", severity=Severity.REVIEW,
      summary="the professional says the young person is fit to attend school")
def unfit_for_school(sub: Submission) -> Iterator[Finding]:
    """§2, §11.2.2: the service is for children who, because of illness, cannot attend school."""
    answers = [doc.fields.get("unfit_for_school") for doc in sub.evidence]
    if "no" in answers and not ({"yes", "part_time"} & set(answers)):
        fit = [doc for doc in sub.evidence if doc.fields.get("unfit_for_school") == "no"]
        yield unfit_for_school.finding(
            f"The medical evidence ({_docs(fit)}) says the young person is fit to attend school. The coordinator "
            f"checks with the school and the health professional before any provision.")


REGISTERS = {
    "GMC": (re.compile(r"^\d{7}$"), "7 digits"),
    "NMC": (re.compile(r"^\d{2}[A-Z]\d{4}[A-Z]$"), "2 digits, a letter, 4 digits and a letter, e.g. 12A3456B"),
    "HCPC": (re.compile(r"^(?:AS|BS|CH|CS|DT|HAD|OR|OT|PA|PH|PYL|PO|RA|SL|ODP|AT|ST)\d{1,6}$"),
             "a profession prefix and up to 6 digits, e.g. PYL12345"),
}


NOT_GIVEN = re.compile(r"^\s*(N\s*/?\s*A|NONE|NIL|NOT\s+APPLICABLE|NOT\s+KNOWN|UNKNOWN|TBC|-+|\.+)\s*\.?\s*$")


def registration_problem(number: str) -> str | None:
    """Why a registration number does not have its register's shape; None when it does (or cannot be told)."""
    text = number.upper()
    if NOT_GIVEN.match(text):
        return None  # "N/A", "none", "-": no number given, nothing to check
    named = [reg for reg in REGISTERS if re.search(rf"\b{reg}\b", text)]
    core = re.sub(r"\b(GMC|NMC|HCPC|NO|NUMBER|REG|REGISTRATION|PIN|REF)\b[.:#]?", " ", text)
    core = re.sub(r"[\s.:#\-/]", "", core)
    if named:
        pattern, shape = REGISTERS[named[0]]
        return None if pattern.match(core) else f"a {named[0]} number is {shape}"
    if any(pattern.match(core) for pattern, _ in REGISTERS.values()):
        return None
    return "it is not a GMC (7 digits), NMC (e.g. 12A3456B) or HCPC (e.g. PYL12345) number"


@rule("R-EVID-REGISTRATION", section="11.2.2", severity=Severity.REVIEW,
      summary="a registration number is given that does not have the shape of that profession's register")
def registration_number_shape(sub: Submission) -> Iterator[Finding]:
    """§11.2.2: evidence comes from a qualified health professional; a malformed number is checked."""
    for doc in sub.evidence:
        number = doc.fields.get("professional_registration")
        if not isinstance(number, str) or not number.strip():
            continue
        problem = registration_problem(number)
        if problem:
            yield registration_number_shape.finding(
                f"{document_name(doc)}: the professional registration number '{number}' does not look right "
                f"({problem}). The coordinator checks it on the professional register.")
