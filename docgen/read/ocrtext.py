"""OCR's usual slips in answers, undone by the question's type before the answer is converted (SPEC §16).

Tesseract confuses l/1/I/| and O/o/0 (and S/5, B/8 less often). Where a question's type says digits —
a date, a number, a phone number, the eleven digits inside a UPN — a letter that looks like a digit is
that digit; elsewhere nothing is changed. Ticks typed as text ([x], (X), a lone X) and a check mark printed without a box (read as "J", "v")
read as ticked boxes.
"""

from __future__ import annotations

import re
import unicodedata

from docgen.forms.schema import Field, FormSchema, normalise_label
from docgen.read.labels import RawField, matcher_for

_AS_DIGIT = str.maketrans({"l": "1", "I": "1", "|": "1", "!": "1", "O": "0", "o": "0", "Q": "0", "D": "0",
                           "S": "5", "B": "8", "Z": "2"})
_UPN_TAIL = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "o": "0", "S": "5"})
_DIGITISH = re.compile(r"[0-9lI|!OoQDSBZ]+")  # not s/i/z: "1st" stays "1st"
_TICK_TEXT = re.compile(r"(?<!\w)(\[\s*[xX✓✔]\s*\]|\(\s*[xX]\s*\))")
# a check mark printed without a box (a form's borderless "tick if done" field): Tesseract has no glyph for
# ✔ and reads it as one of these, alone in the answer
_TICK_GLYPH = re.compile(r"\s*(?:[✓✔√]|[vVJ¥\\]{1,2}o?|\\/)\s*")  # "v", "Jv", "Jo", "¥", "\\"
_EMPTY_TEXT = re.compile(r"(?<!\w)(\[\s*\]|\(\s*\))")
_NUMERIC = {"date", "int", "phone"}
# a written date whose "/" OCR read as ":" or ";" (a box's edge beside it, a fax's dots): "15:02/2011"; one
# "/" at least must be read as such, so a time ("10:30") is never taken for a date
_DATE_SLIP = re.compile(r"(?<!\d)(\d{1,2})(?:/|[:;,](?=\d{1,2}/))(\d{1,2})(?:/|(?<=/\d)[:;,]|(?<=/\d\d)[:;,])(\d{4})(?!\d)")
_WHOLE_DATE = re.compile(r"(?<!\d)\d{1,2}/\d{1,2}/\d{4}(?!\d)")
_JUNK_AROUND_DATE = re.compile(r"[\s.,:;'`‘’\"|!il_\-\[\](){}]")
_EMAIL = re.compile(r"^[^@\s<>()‘’'`,;:]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$")  # as `Email` reads one, stricter
_POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
_PC_DIGIT = str.maketrans({"I": "1", "L": "1", "|": "1", "!": "1", "T": "1", "O": "0", "Q": "0", "D": "0",
                           "S": "5", "B": "8", "Z": "2", "G": "6"})
_PC_LETTER = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "4": "A"})


def digits_in(text: str) -> str:
    """Digit-looking letters in runs that hold a digit ("2O16", "O77OO"), as digits; words are left alone."""

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        return run.translate(_AS_DIGIT) if any(c.isdigit() for c in run) else run

    return _DIGITISH.sub(fix, text)


def fixed_upn(text: str) -> str:
    """A UPN: a letter, then eleven digits, then a digit or letter; the middle read as digits."""
    squashed = re.sub(r"\s+", "", text)
    if len(squashed) != 13:
        return text
    head, middle, tail = squashed[0], squashed[1:12], squashed[12]
    # a digit, or a currency sign OCR reads for a letter's strokes ("¥926…" for Y926…)
    head = {"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G", "¥": "Y", "€": "E"}.get(head, head)
    tail = tail.translate(_UPN_TAIL)  # a UPN never ends in I, O or S
    return head + middle.translate(_AS_DIGIT) + tail


# the endings an email's domain has: where OCR read its last dot as a mark ("example‘org"), the dot goes back
_DOMAIN_ENDS = ("org", "com", "net", "uk", "gov", "sch", "nhs", "ac", "edu", "info", "co")
_AS_APOSTROPHE = str.maketrans({"‘": "'", "’": "'", "`": "'"})
_MISREAD_DOT = re.compile(rf"(?<=[a-z0-9])[',;:\-](?=(?:{'|'.join(_DOMAIN_ENDS)})$)")


def fixed_email(text: str) -> str:
    """An email address as OCR misreads one: an accent on a letter ("examplé"), spaces beside its "@" or dots,
    or its domain's last dot read as a quote, comma or hyphen ("example‘org", "example-org": no domain ends
    in a hyphenated name). Changed only when the result is an address and the text as read is not."""
    squashed = re.sub(r"\s*([@.])\s*", r"\1", text.strip()).translate(_AS_APOSTROPHE)
    plain = unicodedata.normalize("NFKD", squashed).encode("ascii", "ignore").decode("ascii") \
        if "@" in squashed else squashed
    local, at, domain = plain.lower().partition("@")
    if not at or _EMAIL.match(text.strip().lower()):
        return text
    fixed = f"{local}@{_MISREAD_DOT.sub('.', domain)}"
    return fixed if _EMAIL.match(fixed) else text


def fixed_postcode(text: str) -> str:
    """A UK postcode: letters where it must have letters, digits where it must have digits (the inward
    code is a digit and two letters; the outward one starts with a letter, its district is digits).
    Changed only when the result is a postcode and the text as read is not."""
    squashed = re.sub(r"\s+", "", text).upper()
    if re.fullmatch(r"[A-Z]{1,2}[0-9]O[0-9][A-Z]{2}", squashed):  # no outward code ends in a letter O: a zero
        return f"{squashed[:-4]}0 {squashed[-3:]}"
    if _POSTCODE.fullmatch(squashed) or not 5 <= len(squashed) <= 7:
        return text
    outward, inward = squashed[:-3], squashed[-3:]
    inward = inward[0].translate(_PC_DIGIT) + inward[1:].translate(_PC_LETTER)
    district = 2 if outward[1].translate(_PC_LETTER).isalpha() and len(outward) >= 3 else 1
    outward = (outward[:district].translate(_PC_LETTER) + outward[district].translate(_PC_DIGIT)
               + outward[district + 1:])
    return f"{outward} {inward}" if _POSTCODE.fullmatch(outward + inward) else text


_BOX = "☒☐☑■□⊠"
_LEADING_BOXES = re.compile(rf"^\s*(?:[{_BOX}]\s*)+(?=\S)")
# answers in which a tick box is never part of the answer: a box drawn beside a name or date on a scan (a
# cell's corner, a bracket taken for a box) is not what was written there
_NO_BOXES = {"text", "email", "phone", "date", "int", "postcode", "upn", "year"}


def without_boxes(value: str) -> str:
    """A text answer without the tick-box glyphs in front of it ("☒ Rafe Stiffkey"), unless the answer is a
    list of options (then the ticked one is picked later: "☐ Male ☒ Female")."""
    bare = _LEADING_BOXES.sub("", value)
    return bare if not re.search(f"[{_BOX}]", bare) else value


def without_label_tail(value: str, labels: tuple[str, ...], field: Field) -> str:
    """An answer without the words that end its question: a label wrapped over lines in a narrow cell
    ("First day of absence for / health reasons") is read with its second line in front of the answer
    ("health 12 January 2026"). Only the words that continue the label as printed, in order, go."""
    printed = normalise_label(field.label).split()
    for label in labels:
        said = normalise_label(label).split()
        if not said or len(said) >= len(printed) or printed[: len(said)] != said:
            continue
        rest, words = printed[len(said):], value.split()
        n = 0
        while n < min(len(rest), len(words)) and normalise_label(words[n]) == rest[n]:
            n += 1
        if n:
            return " ".join(words[n:])
    return value


# specks and pieces of a ruled line that Tesseract reads as punctuation at the ends of an answer (": ~” Oliver",
# "‘NR19 1DF", "Academy ”", "paediatrician ©", "Ferrier «", "-nat.brightwell@…"): never how a name, a code or a number starts or ends
_SPECKS = "‘’“”\"'`´~:;,.*_|^•·°©®¬«»—–-"
_QUOTES = {"‘": "’", "“": "”", "\"": "\"", "'": "'"}
_LEAD = re.compile(rf"^[\s{re.escape(_SPECKS)}]+(?=\w)")
_TRAIL = re.compile(rf"(?<=[\w.)'])[\s{re.escape(_SPECKS.replace('.', '').replace(chr(39), ''))}]+$")
_TRAIL_CODE = re.compile(rf"(?<=\w)[\s{re.escape(_SPECKS)}]+$")
_STRAY_WORD = re.compile(r"^(?=(?:\W|_)+$).*[_«»~|^•·°©®¬¦‖]")
# types whose answer is a code, a number or a date: nothing but letters and digits at its ends (a phone may
# start with "+" or "(", which are no specks)
_CODES = {"postcode", "upn", "date", "int", "phone", "year", "email"}


def without_specks(value: str, field: Field) -> str:
    """An answer read by OCR without the stray punctuation at its ends (see `_SPECKS`). A name keeps its own
    punctuation inside ("O'Brien", "St. Mary's", "Smith-Jones") and a full stop or apostrophe at its end
    ("Jr.", "Ross'"); a quoted answer keeps its quotes; a box glyph (☒) is no speck."""
    kind = field.type.name
    stripped = value.strip()
    if stripped[:1] in _QUOTES and re.match(rf"{re.escape(stripped[0])}\S.*\S{re.escape(_QUOTES[stripped[0]])}", stripped):
        return value  # an answer in quotes ("'Long COVID' since March"): both ends are the writer's
    bare = _LEAD.sub("", value)
    bare = (_TRAIL_CODE if kind in _CODES else _TRAIL).sub("", bare)
    if kind == "text":  # a word of stray marks inside ("ME/CFS _— service"): a ruled line's or a speck's reading
        bare = " ".join(w for w in bare.split(" ") if not _STRAY_WORD.match(w))
    return bare if bare.strip() else value


# a bracketed note any question may carry after its label: a condition, a date's format
_ANY_NOTE = re.compile(r"^(?:if|only|e\s?g)\b|^dd\W*mm\W*(?:yy)?yy$")
_LEADING_NOTE = re.compile(r"^\s*(?:[^\w\s(]?\*|\(([^()]*)\)?)")  # "~*": a speck on the star


def _note_key(text: str) -> str:
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def without_label_note(value: str, field: Field) -> str:
    """An answer without its question's own printed tail read in front of it (SPEC §3: a trailing `*` and a
    bracketed note after a label are part of the label): "* (DD/MM/YYYY) 02/11/2015", "(if on roll) Waveney
    Fields Primary School", "(weeks) 8". A note goes only when it is this question's (its condition, its own
    bracket, a date's format) or says "if …"; an answer that starts with brackets of its own ("(01953)
    604112") keeps them."""
    notes = {_note_key(field.required_note)} | {_note_key(n) for n in re.findall(r"\(([^)]*)\)", field.label)}
    notes.discard("")
    bare = value
    while (m := _LEADING_NOTE.match(bare)) and m.end() < len(bare.rstrip()):
        note = m.group(1)
        if note is not None and not (_note_key(note) in notes or _ANY_NOTE.search(note.strip().lower())):
            break
        bare = bare[m.end():]
    return bare.strip() if bare is not value else value


def as_typed(value: str, field: Field) -> str:
    """An answer's characters as its question's type reads them (digits in a date, a postcode's letters…)."""
    kind = field.type.name
    if kind == "date":
        value = _DATE_SLIP.sub(r"\1/\2/\3", digits_in(value))
        whole = _WHOLE_DATE.search(value)
        if whole is None:
            return value
        rest = _JUNK_AROUND_DATE.sub(" ", value[:whole.start()] + " " + value[whole.end():]).split()
        if not rest or (len(rest) == 1 and len(rest[0]) <= 2 and not value[whole.end():].strip(" .,;:|")):
            # a box's edge or a speck read beside it ("13/11/2026 i"), or two letters of the question's own note
            # read in front of it ("Gf 13/10/2026" for "(if" of "(if JON contacted)")
            return whole.group(0)
        return value
    if kind in _NUMERIC:
        return digits_in(value)
    if kind == "upn":
        return fixed_upn(value)
    if kind == "postcode":
        return fixed_postcode(value)
    if kind == "email":
        return fixed_email(value)
    if kind == "text" and field.key.endswith("address"):
        return _address_postcode(value)
    if kind == "bool":
        value = _EMPTY_TEXT.sub("☐", _TICK_TEXT.sub("☒", value))
        if re.fullmatch(r"\s*[xX]\s*", value) or _TICK_GLYPH.fullmatch(value):
            return "☒"
    return value


def _address_postcode(value: str) -> str:
    """An address whose last two words are a postcode read with a letter for a digit or a digit for a letter
    ("Norwich NR1O 3DP"): the postcode put right as the postcode question's own answer is."""
    words = value.split(" ")
    if len(words) < 3:
        return value
    code = " ".join(words[-2:])
    fixed = fixed_postcode(code.rstrip(".,"))
    return value if fixed == code.rstrip(".,") else " ".join([*words[:-2], fixed])


def untangled(raws: list[RawField], schema: FormSchema) -> list[RawField]:
    """The answers with OCR's slips undone according to each question's type."""
    matcher = matcher_for(schema)
    out: list[RawField] = []
    for raw in raws:
        field = matcher.match_any(raw.labels)
        value = raw.value
        if field is not None and isinstance(value, str):
            value = without_specks(value, field)
            if field.type.name != "bool":
                value = without_label_note(value, field)
            if field.type.name in _NO_BOXES:
                value = without_label_tail(without_boxes(value), raw.labels, field)
            value = as_typed(value, field)
        out.append(RawField(raw.labels, value, raw.structured) if value != raw.value else raw)
    return out
