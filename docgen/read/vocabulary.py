"""Words the evidence rules read: special educational needs (SEND) versus illness or medical diagnosis.

Policy §11.2.2: "Medical evidence which names SEND but no illness or medical diagnosis will not be
accepted." A SEND term with an illness term is fine; a SEND term alone is not. The lists are data:
add a spelling here, not in the rule. Each entry is a lower-case regular expression.
"""

from __future__ import annotations

import re

SEND_TERMS: tuple[str, ...] = (
    r"autis\w*", r"\basd\b", r"\basc\b", r"asperger'?s?( syndrome)?",
    r"autism spectrum (disorder|condition)", r"pathological demand avoidance", r"\bpda\b",
    r"attention deficit( hyperactivity)?( disorder)?", r"\badh?d\b", r"hyperactivity",
    r"dyslexi\w*", r"dyspraxi\w*", r"dyscalculi\w*", r"dysgraphi\w*", r"\bspld\b",
    r"specific learning (difficult(y|ies)|disorder)", r"developmental co-?ordination disorder", r"\bdcd\b",
    r"speech,? (and|&) language (needs|difficult(y|ies)|disorder|delay)", r"\bslcn\b", r"\bdld\b",
    r"developmental language disorder", r"language delay",
    r"learning (difficult(y|ies)|disabilit(y|ies)|needs)", r"global developmental delay", r"\bmld\b",
    r"\bsld\b", r"\bpmld\b",
    r"sensory processing( disorder| difficult(y|ies)| needs)?", r"sensory (needs|difficult(y|ies))",
    r"social,? emotional,? (and|&) mental health( needs| difficult(y|ies))?", r"\bsemh\b",
    r"special educational needs?", r"(?-i:\bSEND\b)", r"(?-i:\bSEN\b)", r"\behcp\b",
    r"cognition (and|&) learning", r"communication (and|&) interaction",
    r"neurodivergen\w*", r"neurodevelopmental (condition|disorder|needs)",
)

ILLNESS_TERMS: tuple[str, ...] = (
    r"anxi\w*", r"depress\w*", r"low mood", r"panic", r"phobi\w*", r"obsessive", r"\bocd\b", r"ptsd",
    r"post-?traumatic", r"trauma", r"psychos\w*", r"psychotic", r"bipolar", r"schizo\w*", r"self-?harm\w*",
    r"suicid\w*", r"eating disorder", r"anorexi\w*", r"bulimi\w*", r"\barfid\b", r"mental (health|illness)",
    r"emotional (distress|dysregulation)", r"tic disorder", r"tourette'?s?",
    r"(?-i:\bME\b)", r"\bcfs\b", r"chronic fatigue", r"myalgic", r"fatigue",
    r"epilep\w*", r"seizure\w*", r"migraine\w*", r"headache\w*", r"concussion", r"brain injury",
    r"cancer", r"leuk(a)?emia", r"lymphoma", r"tumou?r\w*", r"oncolog\w*", r"chemotherapy", r"radiotherapy",
    r"crohn'?s?", r"colitis", r"inflammatory bowel", r"\bibd\b", r"\bibs\b", r"irritable bowel", r"coeliac",
    r"diabet\w*", r"asthma", r"cystic fibrosis", r"sickle cell", r"arthritis", r"\bjia\b", r"lupus",
    r"ehlers-?danlos", r"\beds\b", r"hypermobility", r"\bpots\b", r"postural (orthostatic )?tachycardia",
    r"chronic pain", r"\bpain\b", r"fibromyalgia", r"\bcrps\b", r"complex regional pain",
    r"heart (condition|disease|defect)", r"cardi\w*", r"kidney", r"renal", r"liver", r"transplant",
    r"(?<!\bin )(?<!\bat )(?<!\bthe )(?<!\bto )(?<!\bfrom )(?-i:surgery)", r"operation", r"fracture\w*", r"injur(y|ies)", r"infection", r"glandular fever",
    r"long covid", r"covid", r"pneumonia", r"illness", r"\bill\b", r"unwell", r"disease", r"syndrome",
    r"cerebral palsy", r"muscular dystrophy", r"spina bifida", r"scoliosis", r"immun\w*", r"allerg\w*",
    r"anaphyla\w*", r"dermatitis", r"eczema", r"psoriasis", r"stroke", r"pregnan\w*", r"hospital admission",
    r"admitted", r"medical condition", r"functional neurological", r"\bfnd\b", r"non-epileptic",
    r"insomnia", r"sleep disorder", r"narcolepsy", r"vomiting", r"nausea", r"gastro\w*",
)

# every term starts at a word boundary: "liver" is not in "Oliver", "ill" not in "skill"
_SEND = re.compile("|".join(rf"\b(?:{t})" for t in sorted(SEND_TERMS, key=len, reverse=True)), re.I)
_ILLNESS = re.compile("|".join(rf"\b(?:{t})" for t in ILLNESS_TERMS), re.I)


def send_terms(text: str) -> list[str]:
    """The SEND terms named in `text`."""
    return [m.group(0) for m in _SEND.finditer(text)]


# "no concerns about anxiety", "does not have epilepsy", "ruled out coeliac disease": the term is not named as
# the child's condition. Only tight phrasings directly before the term count, so that "has not attended
# because of anxiety" still names anxiety.
_NEGATED = re.compile(
    r"\b(no|nor|without|denies|denied|(is|are|was|were)\s+not(\s+currently)?|(does|did)\s+not\s+have|"
    r"(has|have)\s+not\s+been\s+diagnosed\s+with|ruled\s+out|rule\s+out|excluded)\s+"
    r"((any|current|significant|other|signs?\s+of|evidence\s+of|history\s+of|symptoms\s+of|concerns?\s+"
    r"(about|regarding|of|around))\s+){0,2}(\w+\s+)?$", re.I)


_NEGATED_AFTER = re.compile(r"^\s*(\w+\s+){0,2}(was|were|has\s+been|have\s+been)\s+(ruled\s+out|excluded)", re.I)
_LIST_JOIN = re.compile(r"^\s*(,|/|or|nor|and|,\s*or|,\s*and)\s*(\w+\s+)?$", re.I)  # "no anxiety or low mood"


def illness_terms(text: str) -> list[str]:
    """The illness or medical-diagnosis terms named in `text`, ignoring words inside SEND terms.

    ("autism spectrum disorder" is not an illness just because it says "disorder"; "SEMH" is a SEND
    category even though it says "mental health"; "no concerns about anxiety" does not name anxiety.)
    """
    plain = _SEND.sub(" ", text)
    named: list[str] = []
    previous_negated_end: int | None = None
    for m in _ILLNESS.finditer(plain):
        listed = previous_negated_end is not None and _LIST_JOIN.match(plain[previous_negated_end: m.start()])
        if listed or _NEGATED.search(plain[max(0, m.start() - 60): m.start()]) \
                or _NEGATED_AFTER.match(plain[m.end(): m.end() + 40]):
            previous_negated_end = m.end()
            continue
        previous_negated_end = None
        named.append(m.group(0))
    return named


def names_send_only(text: str) -> bool:
    """True when `text` names a special educational need or disability but no illness or diagnosis."""
    return bool(send_terms(text)) and not illness_terms(text)
