"""Evidence attributes from a free-text letter by a health professional (SPEC §3.5), and fit notes.

`letter_fields(text)` reports, under the `jmp_health` keys, what the letter says: who wrote it
(name, role mapped to the accepted list, organisation), whether they saw the young person, the
diagnosis, treatment, other services, reintegration advice, whether the child is fit for school,
the letter's date, and the child's name and date of birth. What the letter does not say is None —
never a guess. `is_fit_note(text)` recognises an adult Statement of Fitness for Work.
"""

from __future__ import annotations

import re
from typing import Any

from docgen.forms.types import ROLE, parse_date

KEYS = (
    "professional_name", "professional_role", "professional_organisation", "professional_registration",
    "last_seen_date", "seen_in_person", "contact_type", "diagnosis", "treatment", "other_services",
    "reintegration_advice", "unfit_for_school", "statement_date", "pupil_forename", "pupil_surname",
    "pupil_name", "pupil_dob",
)

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(
    r"\b(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})\b",
    re.I)
DOB_LABEL = re.compile(r"\b(?:d\.?\s?o\.?\s?b\.?|date of birth|born)\s*[:\-]?\s*", re.I)
SIGN_OFF = re.compile(r"^\s*(yours\s+(sincerely|faithfully|truly)|kind(est)? regards|best wishes|with (best|kind) "
                      r"(wishes|regards)|many thanks|regards|signed|signature)\b", re.I)
ORG_WORDS = re.compile(r"\b(nhs|trust|hospital|surgery|practice|clinic|service|services|centre|center|team|"
                       r"camhs|cypmhs|health|foundation|department|unit|partnership)\b", re.I)
POSTNOMINALS = re.compile(r"(?:\s*,?\s*\b(?:[A-Z]{2,}[a-z]?[A-Z]*|MB|BS|ChB|BSc|MSc|PhD|MD|DCH|RGN|RMN|RSCN)"
                          r"(?:\s*\([^)]*\))?)+\s*$")
NOT_NAMES = frozenset({"referral", "letter", "medical", "needs", "school", "support", "request", "patient", "child",
                       "young", "person", "absence", "attendance", "evidence", "education", "health", "information",
                       "service", "the", "and", "for", "your", "our", "daughter", "son"})
GENERIC_CLINICAL = re.compile(r"\b(clinician|practitioner|nurse|therapist|doctor|registrar|clinical|lead|specialist)\b",
                              re.I)
# professions outside the accepted list of §11.2.2 whatever service employs them: an NHS letterhead does not
# make an occupational therapist a "specialist NHS service" clinician, nor an educational psychologist a clinical one
NOT_LISTED = re.compile(r"\b(occupational\s+therap\w*|\bOT\b|speech\s+(and|&)\s+language|\bSALT\b|educational\s+"
                        r"psycholog\w*|counsell?or|social\s+worker|teacher|senco|family\s+support|play\s+therap\w*|"
                        r"art\s+therap\w*|music\s+therap\w*|youth\s+worker|learning\s+mentor)", re.I)
FIT_NOTE = re.compile(r"statement\s+of\s+fitness\s+for\s+work|may\s+be\s+fit\s+for\s+work|not\s+fit\s+for\s+work|"
                      r"\bmed\s?3\b", re.I)
FIT_NOTE_TITLE = re.compile(r"\bfit\s+note\b", re.I)  # only as a title: a letter may mention one in passing

# --- seen or not (policy §11.2.2: evidence from someone who has not seen or spoken to the child) ---
NOT_SEEN = re.compile(
    r"\b(i|we)\s+(have|had)\s*(not|n't|never)\s+(yet\s+|personally\s+|actually\s+)?(seen|met|examined|assessed|"
    r"reviewed)\b(?!.{0,40}\bsince\b)(?!\s+(any|much|an?|significant|great|real|further|enough|improvement|"
    r"progress|change|signs?|evidence|benefit|difference|results?|the\s+(?!young|child|patient|pupil|girl|boy))\b)|"
    r"\bhave(n't| not)\s+(yet\s+)?(had the opportunity|been able)\s+to\s+(see|meet|examine|assess)|"
    r"\b(has|have)\s+not\s+attended\s+(any|her|his|their)\s+(\w+\s+)?(appointments?|clinics?)|"
    r"\bdid\s+not\s+attend\s+(any|her|his|their|the)\s+(\w+\s+)?(appointments?|clinics?)|"
    r"\b(has|have)\s+not\s+(yet\s+)?been\s+(seen|examined|assessed|reviewed)\s+(by\s+(me|us|our)|in\s+(our|this))|"
    r"\b(has|have)\s+not\s+yet\s+been\s+(seen|examined|assessed|reviewed)\b|"
    r"\bwithout\s+(having\s+)?(seen|examining|meeting|assessing)\b|"
    r"\b(based|relies|relying|rely)\s+(solely\s+|entirely\s+|only\s+|largely\s+)?(up)?on\s+(the\s+|his\s+|her\s+"
    r"|their\s+)?(\w+\s+){0,2}(mother|father|mum|dad|parent|carer|family|guardian)('s|s'|s)?\s*"
    r"(account|report|description|information)|"
    r"\b(information|history)\s+(was\s+|has\s+been\s+)?(provided|given|reported)\s+(solely\s+|only\s+)?by\s+"
    r"(his|her|their|the)\s+(mother|father|mum|dad|parent|carer|family)",
    re.I)
SEEN = re.compile(
    r"\b(i|we)\s+(have\s+)?(last\s+|recently\s+|regularly\s+|personally\s+)?(saw|seen|see|examined|reviewed|"
    r"assessed|met(\s+with)?|visited|observed|have\s+been\s+seeing|been\s+seeing|spoke\s+(to|with)|have\s+spoken\s+(to|with))"
    r"\b|"
    r"\b(was|were|has\s+been|have\s+been|is\s+being|is)\s+(last\s+|regularly\s+|recently\s+)?(seen|reviewed|"
    r"examined|assessed)\s+(by\s+(me|us|our|the)|in\s+(the\s+|our\s+|my\s+|a\s+|his\s+|her\s+|their\s+)?"
    r"([\w-]+\s+)?(clinic|outpatients?|home|ward|department|surgery|practice|hospital)|at\s+(home|the\s+|our\s+|this\s+|my\s+))|"
    r"\b(attended|attends)\s+(an?\s+|her\s+|his\s+|their\s+|the\s+|my\s+|our\s+)?(clinic|appointment|outpatient|review)|"
    r"\b(following|after|at|during|from|in)\s+(my|our)\s+(recent\s+|most\s+recent\s+|last\s+|initial\s+)?"
    r"(assessment|review|consultation|appointment|examination)\s+(of|with)\b|"
    r"\bhome\s+visit\b|\bface[\s-]to[\s-]face\b|"
    r"\b(i|we)\s+(have\s+)?(been\s+)?(treating|treated|working\s+with|looking\s+after)\b|"
    r"\b(at|during)\s+(her|his|their|my|our|the)\s+(last\s+|recent\s+|most\s+recent\s+)?(appointment|"
    r"consultation|review|assessment)\b|\bconsultation\s+with\b|"
    r"\b(under|in)\s+(my|our)\s+(\w+\s+)?care\b|"
    r"\b(came|comes|come|brought)\s+(in\s*)?(to|into)\s+(the\s+|my\s+|our\s+|a\s+)?(\w+\s+)?(clinic|surgery|practice|"
    r"appointment|outpatients?|department|hospital)\b|"
    r"\b(was|were|is|has\s+been|have\s+been)\s+(last\s+|most\s+recently\s+|recently\s+)?(seen|reviewed|examined|"
    r"assessed)\s+(on\s+\d|on\s+the\s+\d|by\s+(dr|doctor|nurse|professor|prof|mr|mrs|ms|miss|sister)\b|"
    r"(every|regularly|weekly|fortnightly|monthly))|"
    r"\bsee\s+(him|her|them)\s+(regularly|every|weekly|fortnightly|monthly|in\s+(the\s+|my\s+|our\s+)?clinic)|"
    r"\b(i|we)\s+(have\s+)?(last\s+)?(spoke|spoken|talked|met|had\s+an?\s+appointment)\s+(by|via|over|on)\s+"
    r"(the\s+|a\s+)?(video|tele(phone)?|phone|teams|zoom)\b",
    re.I)
VIDEO = re.compile(r"\b(video|teams|zoom|attend\s?anywhere|virtual|online)\b", re.I)
PHONE = re.compile(r"\b(tele)?phone\b|\bcall\b", re.I)
# contact by telephone or video, which counts as having spoken to the young person (§11.2.2 "seen or spoken to")
REMOTE = re.compile(
    r"\b(spoke|spoken|speak|speaking|talked|talking)\s+(with|to)\b[^.]*\b((tele)?phone|video|teams|zoom|call)\b|"
    r"\b((tele)?phone|video)\s+(call|consultation|appointment|assessment|review|contact|sessions?)\b|"
    r"\b(by|via|over\s+the)\s+(tele)?phone\b|\bvia\s+(video|teams|zoom)\b", re.I)
REMOTE_FAILED = re.compile(r"\b(unable|unsuccessful|no\s+answer|could\s*not|couldn't|did\s+not\s+answer|not\s+been\s+"
                           r"able\s+to\s+(contact|reach|speak))\b", re.I)
_PARENT = r"(mother|father|mum|dad|parents?|carers?|family|guardian|grand(mother|father|parents?))"
PARENT_ONLY = re.compile(rf"\b(with|to|from)\s+(his|her|their|the)\s+{_PARENT}\b", re.I)  # spoke to the mother
CHILD_TOO = re.compile(rf"\b(with|to)\s+(him|her|them|the\s+young\s+person|the\s+child)\s+(and|&)\s+|"
                       rf"\b{_PARENT}\s+(and|&)\s+(him|her|them)\b", re.I)
CONTRAST = re.compile(r"\b(but|however|although|though|instead|while|whilst)\b", re.I)
IN_PERSON = re.compile(r"\b(clinic|home visit|at home|in person|face[\s-]to[\s-]face|examined|outpatient|ward|met|"
                       r"(at|in)\s+(the\s+|our\s+|his\s+|her\s+|their\s+)?(school|surgery|practice|hospital)|"
                       r"(in|at) (his|her|their) home)\b", re.I)

TREATMENT = re.compile(
    r"\b(treat\w*|medicat\w*|prescri\w*|therapy|therapies|cbt|physiotherap\w*|counsell\w*|sessions?|dose|mg\b|"
    r"insulin|chemotherap\w*|surgery|operation|management plan|care plan|pacing|graded|follow-?up|"
    r"intervention|infusion|tablets?|medicines?|admission|admitted|takes|taking|started\s+on|commenced|"
    r"course\s+of|programme|regime|antidepressant|inhaler|injections?|monitoring|rehabilitation|diet|"
    r"steroids?|antibiotics?|sertraline|fluoxetine|melatonin|methylphenidate|procedure|exercises?|casts?|"
    r"splints?|plaster|crutches|brace|psychotherap\w*|dialysis|transfusions?)\b|"
    r"\bstart(ed|ing)?\s+(him|her|them)\s+on\b|\b(have|has|had)\s+(been\s+)?(started|commenced|begun|increased|"
    r"reduced|stopped|changed)\b|\breceiv(es|ing|ed)\s+(regular\s+|weekly\s+|ongoing\s+|specialist\s+)?"
    r"(support|input|care)\b|\b(appointments?|reviews?)\s+(every|weekly|fortnightly|monthly)\b", re.I)
SERVICES = re.compile(
    r"\b(referr\w*|refer)\b|\bunder the care of\b|\b(also\s+)?(involved|involvement)\b|\bwaiting list\b|"
    r"\bawaiting\s+(an?\s+)?(assessment|appointment|review)\b|\bknown to\b|\bbeing seen by\b|"
    r"\b(input|support)\s+from\s+(the\s+|a\s+|an\s+)?\w+|\b(supported|seen)\s+by\s+(the|a|an)\s+\w+|"
    r"\bwaiting\s+to\s+(see|be\s+seen)\b|"
    r"\b(also\s+)?(sees|seeing|attends|attending)\s+(a|an|the|her|his|their)\s+(\w+\s+)?(counsell?or|physio\w*|dietitian|"
    r"psycholog\w*|psychiatr\w*|therapist|nurse|team|service)\b", re.I)
THANKS_FOR_REFERRAL = re.compile(r"^\s*(thank\s+you|thanks)\s+for\s+(your|the|this)\s+referr|"
                                 r"\b(support|supporting)\s+(of\s+)?(his|her|their|\w+'s)\s+referral\b|"
                                 r"\bmedical\s+needs\b", re.I)
REINTEGRATION = re.compile(
    r"\breintegrat\w*|\breturn(ing)?\s+to\s+(school|education|full[\s-]time|the\s+classroom)|\bphased\b|"
    r"\bgradual\w*|\b(graded|staged)\s+return|\breduced\s+timetable|\bpart[\s-]time\s+timetable|"
    r"\bback\s+(in)?to\s+school|\b(i|we)\s+(would\s+)?(recommend|suggest|advise)|\bwould\s+benefit\b|"
    r"\bshould\s+be\s+supported\b|\bsupport\s+(him|her|them)\s+(to|in|with)\b|\bkey\s?worker\b|\bsafe\s+space\b|"
    r"\bhome\s+(learning|tuition|teaching)\b|\b(reasonable\s+)?adjustments?\b|\bsupport\s+(him|her|them)\s+by\b|"
    r"\b(could|should|would|can|may|will)\s+help\s+(him|her|them)\b|\b(it\s+is|is)\s+(recommended|suggested|advised)\b|"
    r"\b(my|our)\s+(recommendations?|advice)\b|\breturn\s+to\s+(lessons|class(es)?)\b|\btimetable\b", re.I)
UNFIT_YES = re.compile(
    r"\b(not|isn't|is\s+not|un)\s*(currently\s+|yet\s+|presently\s+)?(fit|well\s+enough|able)\s+to\s+"
    r"(attend|return\s+to|go\s+to)\b|\bunable\s+to\s+(attend|return\s+to|go\s+to)\s+(school|lessons|classes)|"
    r"\bunfit\s+(for|to)\b|\bcannot\s+(currently\s+|yet\s+)?(attend|return\s+to)\s+school|"
    r"\bprevents?\s+(\w+\s+){0,3}(attend\w*|full[\s-]time\s+attendance)|\btoo\s+unwell\s+to\s+attend", re.I)
UNFIT_PART = re.compile(
    r"\b(fit|able|well\s+enough)\s+to\s+attend\s+(school\s+)?(on\s+a\s+)?(part[\s-]time|reduced|for\s+(short|"
    r"some|a\s+few))|\battend\w*\s+(school\s+)?(on\s+a\s+)?part[\s-]time\s+basis", re.I)
# "I see no medical reason why she cannot attend school" says fit, although it contains "cannot attend school"
NO_REASON_NOT_TO = re.compile(r"\bno\s+(medical\s+|clinical\s+|health\s+)?(reason|grounds)\s+(why|that|for)\s+"
                              r"(\w+\s+){0,3}(cannot|can't|should\s+not|shouldn't|could\s+not|couldn't|is\s+unable\s+to|"
                              r"not\s+to)\s+(attend|return\s+to|go\s+to)\b", re.I)
UNFIT_NO = re.compile(r"\b(is|are|now|currently|remains?)\s+(now\s+|currently\s+)?(medically\s+)?(fit|well\s+enough|able)\s+"
                      r"to\s+(attend|return\s+to)\s+(school|full[\s-]time)\b(?!.{0,20}\b(when|once|after|until)\b)",
                      re.I)
PARTLY_AFTER = re.compile(r"^[^.;]{0,40}\b(part|parts|reduced|short|shorter|some|few|limited|mornings?|afternoons?|"
                          r"hours?|lessons?|gradual\w*|phased|half|sessions?)\b", re.I)
NEGATION_BEFORE = re.compile(r"\b(not|n't|un|unable|never|no\s+longer)\W*(\w+\W+){0,2}$", re.I)
# "once she is fit to return to school, …" looks ahead; it does not say she is fit now
CONDITION_BEFORE = re.compile(r"\b(when|whenever|once|until|till|before|if|unless|as\s+soon\s+as|by\s+the\s+time)\W+"
                              r"(\w+\W+){0,3}$", re.I)


def is_fit_note(text: str) -> bool:
    """True for an adult Statement of Fitness for Work ("fit note"), never acceptable evidence (§11.2.2)."""
    flat = " ".join(text[:5000].split())
    titles = [line.strip() for line in text[:2000].splitlines() if line.strip()][:6]
    return bool(FIT_NOTE.search(flat) or any(FIT_NOTE_TITLE.search(t) and len(t) <= 40 for t in titles))


# a scan's "I" read as "T", "L", "l", "1" or "|" before the verb of the writer's own sentence ("T reviewed Dominic…")
_I_AS_READ = re.compile(r"(^|[.!?;]\s)[TLl1|](?=\s(?:have|had|saw|see|reviewed|examined|assessed|met|spoke|am|was|"
                        r"would|recommend|understand|last|first|can|cannot|confirm|write|think|feel|believe)\b)")
# a scan's date with a space read into its two-digit month ("05/1 1/2026")
_SPLIT_MONTH = re.compile(r"\b(\d{1,2}/\d) (\d/\d{4})\b")


def letter_fields(text: str) -> dict[str, Any]:
    """The evidence attributes a letter states, under the jmp_health keys; None for what it does not say."""
    out: dict[str, Any] = dict.fromkeys(KEYS)
    lines = [_SPLIT_MONTH.sub(r"\1\2", _I_AS_READ.sub(r"\1I", " ".join(line.split()))) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return out
    flat = " ".join(lines)
    sentences = _sentences(_body(lines))
    out.update(_pupil(lines, flat))
    out["statement_date"] = _statement_date(lines)
    out.update(_writer(lines))
    out.update(_seen(sentences))
    out["diagnosis"] = _diagnosis(lines, sentences)
    out["treatment"] = _join(s for s in sentences if TREATMENT.search(s) and not THANKS_FOR_REFERRAL.search(s))
    out["other_services"] = _services([s for s in sentences if SERVICES.search(s) and not THANKS_FOR_REFERRAL.search(s)])
    if out.get("pupil_forename") is None:
        out["pupil_forename"] = _forename_in_body(sentences, out.get("professional_name"), lines)
    out["reintegration_advice"] = _join(s for s in sentences if REINTEGRATION.search(s))
    out["unfit_for_school"] = _unfit(sentences)
    registration = re.search(r"\b(GMC|NMC|HCPC)\s*(?i:no\.?|number|reg(?:istration)?\.?)?\s*[:#]?\s*([A-Z]{0,3}\s?\d"
                             r"[\dA-Z\s]{3,10})", flat)
    if registration:
        out["professional_registration"] = f"{registration.group(1)} {registration.group(2).strip()}"
    return out


# --- pieces ----------------------------------------------------------------------------------------------


def _join(parts: Any, limit: int = 4) -> str | None:
    chosen = list(dict.fromkeys(parts))[:limit]
    return " ".join(chosen) if chosen else None


SALUTATION = re.compile(r"^\s*(dear\b|to whom it may concern)", re.I)


def letter_body(text: str) -> str:
    """What the letter says: after its salutation (when it has one), before its sign-off — not the letterhead,
    the address or the signature block, whose service names ("Mental Health Service", "… Surgery") are no
    diagnosis."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    start = next((i + 1 for i, line in enumerate(lines[:60]) if SALUTATION.match(line)), 0)
    return "\n".join(_body(lines[start:]))


def _body(lines: list[str]) -> list[str]:
    """The letter's lines up to the sign-off (the signature block is the writer, not the content)."""
    for i, line in enumerate(lines):
        if SIGN_OFF.match(line):
            return lines[:i]
    return lines


def _sentences(lines: list[str]) -> list[str]:
    """Sentences of the body; lines that wrap mid-sentence (PDF text) are joined first."""
    kept = [line for line in lines if not re.match(r"^\s*(re|address|tel|telephone|email|to)\s*:", line, re.I)]
    # a short line without a full stop (a date, a heading, "Dear …,") ends where it ends
    text = " ".join(line if len(line) > 60 or line[-1:] in ".!?" else line + " ." for line in kept)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(.])", text)
    return [p.strip(" .") + "." for p in parts if len(p.strip(" .")) > 3]


def _dates(text: str) -> list[tuple[int, str]]:
    found = []
    for m in DATE.finditer(text):
        try:
            found.append((m.start(), parse_date(m.group(0)).isoformat()))
        except ValueError:
            continue
    return found


def _pupil(lines: list[str], flat: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    dob = DOB_LABEL.search(flat)
    if dob:
        dates = _dates(flat[dob.end(): dob.end() + 40])
        if dates and dates[0][0] < 5:
            out["pupil_dob"] = dates[0][1]
    for line in _body(lines)[:40]:
        m = re.match(r"^\s*(?:re|regarding|(?:(?:patient|child|young person|pupil)(?:'s)?\s*)?(?:full\s+)?"
                     r"(?:name)?)\s*[:\-]\s*(.+)$", line, re.I)
        if m and re.match(r"^\s*[:\-]", line):
            continue
        if not m:
            continue
        name = re.split(r"\(|\bDOB\b|\bD\.O\.B|\bdate of birth\b|\bborn\b|\bNHS\b|\bhospital\s+(?:no|number)\b|\d",
                        m.group(1), maxsplit=1, flags=re.I)[0].strip(" -:;,")
        before, _, after = name.partition(",")
        surname_first = len(before.split()) == 1 and re.fullmatch(r"\s*[A-Z][A-Za-z'\-]*(\s+[A-Z][A-Za-z'\-]*)?\s*",
                                                                  after) is not None
        words = (before.split() + after.split()) if surname_first else before.split()
        if not 2 <= len(words) <= 5 or not all(re.fullmatch(r"[A-Z][A-Za-z'\-]*|de|da|van|von|le|la|del", w)
                                               for w in words):
            continue
        if any(w.lower() in NOT_NAMES for w in words):
            continue  # "Re: Medical Needs Referral", "Re: School Attendance"
        if re.fullmatch(r"(dr|mr|mrs|ms|miss|mx|prof|professor|sister|nurse)\.?", words[0], re.I):
            continue  # a professional's name, not the child's
        if surname_first or (re.match(r"^[A-Z'\-]{2,}$", words[0]) and not words[1].isupper()):
            surname, forename = words[0].title(), " ".join(words[1:])  # "DOE Jane"
        else:
            forename, surname = " ".join(words[:-1]), words[-1]
            if surname.isupper():
                surname = surname.title()
        out.update(pupil_name=f"{forename} {surname}", pupil_forename=forename, pupil_surname=surname)
        break
    return out


# the services a letter names: "referred her to the paediatric neurology clinic at …", "known to the physiotherapy
# team", "on the waiting list for the Point 1 service", "remains under the paediatric dietitian"
SERVICE_NAMED = re.compile(
    r"\b(?:referr\w*\s+(?:[A-Za-z]+\s+)?(?:on\s+)?to|referral\s+to|under\s+(?:the\s+care\s+of\s+)?|known\s+to|"
    r"waiting\s+list\s+(?:for|of)|(?:input|support)\s+from|(?:seen|supported)\s+by|awaiting\s+an?\s+(?:appointment|"
    r"assessment)\s+(?:with|from)|(?:also\s+)?(?:sees|seeing|attends|attending)\s+)\s*(?P<name>[^.,;:()]+)", re.I)
SERVICE_END = re.compile(r"\s+(?:at|in|for|because|as|who|which|since|on|with|to\s+help|but|so|until|after|where|"
                         r"and\s+(?:she|he|they|is|was|we|has|have|i|will|would|should))\b.*$", re.I)
NOT_A_SERVICE = re.compile(r"^(?:our|this|my|me|us|you|your|him|her|them|school|the\s+school)\b", re.I)
NEGATED = re.compile(r"\b(no|not|never|nor)\b|n't\b", re.I)


def _services(sentences: list[str]) -> str | None:
    """The other services a letter names (the names, not the sentences); the sentences themselves when they
    name none this way (or say there are none, which the evidence rules read)."""
    names: list[str] = []
    for sentence in sentences:
        if NEGATED.search(sentence):
            continue
        for m in SERVICE_NAMED.finditer(sentence):
            name = SERVICE_END.sub("", m.group("name")).strip()
            bare = re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.I)
            if bare and not NOT_A_SERVICE.match(bare) and len(bare.split()) <= 8 and re.search(r"[A-Za-z]{2}", bare):
                how = sentence[m.start(): m.start("name")].strip()  # "referred her to", "waiting list for"
                how = re.sub(r"^(referr\w*)\s+(?!to\b|on\b)[A-Za-z]+\s+", r"\1 ", how, flags=re.I)
                names.append(f"{how} {name}")
    if names:
        return "; ".join(dict.fromkeys(names))
    return _join(sentences)


_NAME_CONTEXT = re.compile(
    r"\b(?P<a>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:'s)?\s+(?:has|is|was|had|attends|remains|finds|will|would|can|"
    r"continues|presents|reports|experiences|lives|struggles|needs|became|started|missed)\b|"
    r"\b(?:about|regarding|with|for|see|saw|seen|seeing|reviewed|examined|assessed|met\s+with|met|supporting|support)"
    r"\s+(?P<b>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b(?!\s+[A-Z])|\b(?P<c>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)'s\b(?!\s+[A-Z])")
_NOT_FORENAMES = frozenset({
    "she", "he", "they", "it", "this", "that", "the", "we", "i", "his", "her", "their", "school", "dear", "doctor",
    "nurse", "mum", "dad", "mother", "father", "parent", "parents", "please", "there", "here", "thank", "thanks",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "norfolk", "suffolk",
    "camhs", "nhs", "service", "team", "clinic", "hospital", "surgery", "practice", "trust", "medical", "health",
    "if", "in", "on", "at", "as", "our", "my", "your", "a", "an", "yours", "kind", "best", "regards", "sincerely",
    "colleague", "coordinator", "him", "them", "also", "since", "following", "after", "today", "yesterday",
})


def _forename_in_body(sentences: list[str], writer: Any, lines: list[str]) -> str | None:
    """The child's forename when the letter names the child only in its body ("Thank you for asking about Isla",
    "Isla has …"): the name most often in a child's place, twice at least, that is not the writer's or an
    organisation's word."""
    excluded = {w.lower() for w in str(writer or "").split()}
    for line in lines[:6] + lines[-6:]:  # letterhead and signature block
        excluded.update(re.sub(r"'s$", "", w.lower().strip(",.")) for w in line.split())
    counts: dict[str, int] = {}
    for sentence in sentences:
        for m in _NAME_CONTEXT.finditer(sentence):
            word = m.group("a") or m.group("b") or m.group("c")
            if word and word.lower() not in _NOT_FORENAMES and word.lower() not in excluded:
                counts[word] = counts.get(word, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda w: counts[w])
    return best if counts[best] >= 2 else None


# a letterhead's contact details printed on the same line as its name ("… Hospital Trust   Switchboard 01603 …")
_CONTACT_TAIL = re.compile(r"\s+(?:switchboard|tel(?:ephone)?|phone|fax|e-?mail|www\.|web(?:site)?)\b.*$", re.I)
# the date a hospital letter was typed: its own date, beside the clinic's ("Clinic date: 02/11/2026  Typed: 9 Nov…")
_TYPED = re.compile(r"\b(?:date\s+typed|typed(?:\s+on)?|date\s+of\s+letter|letter\s+date)\s*[:\-]?\s*(.+)$", re.I)


def _statement_date(lines: list[str]) -> str | None:
    """The letter's own date: a "Date:" line, else a "Typed:" one, else the first line near the top that is
    just a date."""
    for line in lines[:60]:
        m = re.match(r"^\s*(?:date|dated|date of letter|letter date)\s*[:\-]?\s*(.+)$", line, re.I)
        if m and not DOB_LABEL.search(line):
            dates = _dates(m.group(1))
            if dates:
                return dates[0][1]
    for line in lines[:60]:
        typed = _TYPED.search(line)
        if typed and (dates := _dates(typed.group(1))):
            return dates[0][1]
    for line in lines[:25]:
        if DOB_LABEL.search(line) or re.search(r"\b(seen|clinic|appointment|born)\b", line, re.I):
            continue
        dates = _dates(line)
        if dates and len(DATE.sub("", line).strip(" ,.")) <= 12:
            return dates[0][1]
    return None


def _name_part(line: str) -> str:
    """A signature line's name: before "(role)" or ", role" (postnominals stay with the name)."""
    core = re.sub(r"\s*\([^)]*\)\s*$", "", line)
    head, _, tail = core.partition(",")
    return head if tail and ROLE.parse(tail) != "other" or tail and ORG_WORDS.search(tail) else core


def _is_name(line: str) -> bool:
    core = POSTNOMINALS.sub("", line).strip(" ,")
    words = core.split()
    if not 1 <= len(words) <= 6 or re.search(r"\d|@", core) or ORG_WORDS.search(core):
        return False
    return all(re.fullmatch(r"(Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Professor|Sister|Nurse)\.?|[A-Z][A-Za-z'\-]*\.?", w)
               for w in words) and len(words) >= 2


def _same_name(signature: str, printed: str) -> bool:
    """True when a signature-block line repeats the name above it, as printed under a signature."""
    first, second = _name_part(signature), _name_part(printed)
    if not (_is_name(first) and _is_name(second)):
        return False
    surname = POSTNOMINALS.sub("", first).split()[-1].lower()
    return POSTNOMINALS.sub("", second).split()[-1].lower() == surname


def _writer(lines: list[str]) -> dict[str, Any]:
    """Name, role and organisation from the signature block (and the letterhead for the organisation)."""
    out: dict[str, Any] = {}
    start = next((i for i, line in enumerate(lines) if SIGN_OFF.match(line)), None)
    block = lines[start + 1: start + 8] if start is not None else []
    block = [re.sub(r"^\s*(signed|signature|name)\s*[:\-]\s*", "", line, flags=re.I) for line in block]
    name_at = next((i for i, line in enumerate(block) if _is_name(_name_part(line))), None)
    if name_at is not None and name_at + 1 < len(block) and _same_name(block[name_at], block[name_at + 1]):
        name_at += 1  # a typed or drawn signature, then the printed name ("Helena Marsh" / "Dr Helena Marsh")
    role_line: str | None = None
    org_line: str | None = None
    if name_at is not None:
        name_line = block[name_at]
        out["professional_name"] = POSTNOMINALS.sub("", _name_part(name_line)).strip(" ,")
        inline = name_line[len(_name_part(name_line)):].strip(" ,()")
        rest = [line for line in block[name_at + 1:] if not re.search(r"@|\d{5,}|^(tel|email|phone)", line, re.I)]
        if inline and ROLE.parse(inline) != "other":
            role_line = inline
        elif rest and not (ORG_WORDS.search(rest[0]) and ROLE.parse(rest[0]) == "other"):
            role_line = rest[0]
            rest = rest[1:]
        org_line = next((line for line in rest if not re.search(r"@|\d{4,}|\b(GMC|NMC|HCPC)\b|^\s*(tel|phone|fax|"
                                                                r"email|mobile)\b", line, re.I)), None)
    if org_line is None:
        header = []
        for line in lines[:8]:
            if DATE.search(line) or re.match(r"^\s*(re|to|dear|date|patient|name)\b", line, re.I):
                break
            part = _CONTACT_TAIL.split(line)[0].split(",")[0].strip()
            if part and not re.search(r"\d|@", part):
                header.append(part)
        org_line = next((line for line in header if ORG_WORDS.search(line)), header[0] if header else None)
    out["professional_organisation"] = org_line
    role = ROLE.parse(role_line) if role_line else None
    if role_line and NOT_LISTED.search(role_line):
        out["professional_role"] = "other"
        return out
    if role in (None, "other") and org_line:
        from_org = ROLE.parse(org_line)  # "Child and Adolescent Mental Health Team" says CAMHS
        generic = role_line is not None and GENERIC_CLINICAL.search(role_line) is not None
        if from_org != "other" and (generic or (role is None and from_org != "specialist_nhs")):
            role = from_org  # a "Clinician" of a CAMHS team is CAMHS; an NHS letterhead alone says nothing
    out["professional_role"] = role
    return out


def _seen(sentences: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"seen_in_person": None, "contact_type": None, "last_seen_date": None}
    negative = [s for s in sentences if NOT_SEEN.search(s)]
    positive = [s for s in sentences if SEEN.search(s) and not NOT_SEEN.search(s)]
    if negative:
        out["seen_in_person"] = False
        remote = [tail for tail in (_after_not_seen(s) for s in sentences) if tail and REMOTE.search(tail)
                  and not REMOTE_FAILED.search(tail) and (CHILD_TOO.search(tail) or not PARENT_ONLY.search(tail))]
        if remote:  # "I have not been able to see her in person, but I spoke with her by telephone on …"
            out["contact_type"] = "video" if any(VIDEO.search(t) for t in remote) else "telephone"
            dates = [d for t in remote for _, d in _dates(t)]
            out["last_seen_date"] = max(dates) if dates else None
        return out
    if not positive:
        return out
    remote = [s for s in positive if (VIDEO.search(s) or PHONE.search(s)) and not IN_PERSON.search(s)]
    in_person = [s for s in positive if s not in remote]
    if in_person:
        out["seen_in_person"] = True
        out["contact_type"] = "face_to_face" if any(IN_PERSON.search(s) for s in in_person) else None
    else:
        out["seen_in_person"] = False
        out["contact_type"] = "video" if any(VIDEO.search(s) for s in remote) else "telephone"
    dates = [d for s in positive for _, d in _dates(s)]
    out["last_seen_date"] = max(dates) if dates else None
    return out


def _after_not_seen(sentence: str) -> str:
    """The part of a sentence that may report other contact: all of it, or what follows "not seen …, but"."""
    m = NOT_SEEN.search(sentence)
    if not m:
        return sentence
    tail = sentence[m.end():]
    contrast = CONTRAST.search(tail)
    return tail[contrast.end():] if contrast else ""


def _diagnosis(lines: list[str], sentences: list[str]) -> str | None:
    for line in lines:
        m = re.match(r"^\s*(?:diagnos[ie]s|condition|medical condition|presenting (?:problem|condition))\s*[:\-]\s*(.+)$",
                     line, re.I)
        if m:  # its sentence only: a wrapped line may run on into the next ("… disease. He is currently …")
            return re.split(r"(?<=[a-z)'])\.\s+(?=[A-Z])", m.group(1).strip())[0].rstrip(".") or None
    found = [s for s in sentences if re.search(r"\bdiagnos", s, re.I) and not re.search(r"\bno\s+(formal\s+)?diagnos",
                                                                                        s, re.I)]
    if found:
        return _join(found, 2)
    from docgen.read.vocabulary import illness_terms, send_terms

    named = [s for s in sentences if (illness_terms(s) or send_terms(s)) and re.search(
        r"\b(has|have|suffers?|suffering|living with|presents?|presenting|experienc\w+|condition|"
        r"treated for|treatment for|under\s+\w+\s+care)\b", s, re.I)]
    if not named:  # a condition named in passing ("about her ME/CFS") is still named
        named = [s for s in sentences if illness_terms(s) or send_terms(s)]
    return _join(named, 2)


def _unfit(sentences: list[str]) -> str | None:
    text = " ".join(sentences)
    if UNFIT_PART.search(text):
        return "part_time"
    if NO_REASON_NOT_TO.search(text):
        return "no"
    if UNFIT_YES.search(text):
        return "yes"
    for m in UNFIT_NO.finditer(text):
        before = text[max(0, m.start() - 30): m.start()]
        if NEGATION_BEFORE.search(before) or CONDITION_BEFORE.search(before):
            continue
        if PARTLY_AFTER.match(text[m.end(): m.end() + 50]):
            return "part_time"  # "well enough to attend school for part of the day", "… for two hours a day"
        return "no"
    return None
