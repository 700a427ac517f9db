"""Value types of the data dictionary (SPEC §3): each converts raw text to its JSON value.

Like click's ParamType: `convert(raw)` accepts text (or an already converted value)
and returns the normalised value, `None` for blank, or raises `ValueError` with a
short plain reason (the caller adds the field's label).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from docgen.forms.upn import check_letter

BLANK_MARKERS = {"", "-", "–", "—", "n/a", "na", "n.a.", "none given", "not known", "unknown", "tbc", "?",
                 # Word's placeholder text in a content control nobody filled (kept as text once a copy through
                 # another program has dropped the control's "showing placeholder" flag)
                 "click or tap here to enter text.", "click here to enter text.", "click or tap to enter a date.",
                 "click here to enter a date.", "choose an item."}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_ANY_ANSWER = re.compile(r"\w|[☐☒☑✓✔✗✘]")  # a word character or a tick box: a value that says something
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_TEXT = 10_000


def clean_text(raw: str, *, multiline: bool = True) -> str:
    """Trim, drop control characters, collapse runs of spaces; keep line breaks when multiline."""
    if len(raw) <= _SHORT:  # cells and answers recur (marks, labels, ticks): each short one cleaned once
        return _clean_short(raw, multiline)
    return _clean(raw, multiline)


_SHORT = 80


@functools.lru_cache(maxsize=8192)
def _clean_short(raw: str, multiline: bool) -> str:
    return _clean(raw, multiline)


def _clean(raw: str, multiline: bool) -> str:
    text = _CONTROL.sub(" ", raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if not multiline:
        return " ".join(line for line in lines if line)
    joined = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", joined).strip()[:MAX_TEXT]


def is_blank(raw: Any) -> bool:
    """True when a raw value carries no answer at all."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return clean_text(raw).lower() in BLANK_MARKERS or not _ANY_ANSWER.search(raw)
    return False


class FieldType:
    """Base of all value types."""

    name = "text"

    def convert(self, raw: Any) -> Any:
        if raw is None:
            return None
        if not isinstance(raw, str):
            return self.accept(raw)
        if is_blank(raw) and self.name != "bool":
            return None
        return self.parse(raw)

    def accept(self, value: Any) -> Any:
        """Accept an already converted value (e.g. a bool from a PDF checkbox)."""
        return self.parse(str(value))

    def parse(self, raw: str) -> Any:
        raise NotImplementedError


class Text(FieldType):
    name = "text"

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def parse(self, raw: str) -> str | None:
        return clean_text(raw, multiline=self.multiline) or None


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s*[\s\-/.]\s*([a-z]+)\.?,?\s*[\s\-/.]\s*(\d{2}|\d{4})$")
_US_WORD_DATE = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_WEEKDAY = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+")
_NUMBERS_ONLY = re.compile(r"^[\d\s]+[/.\-][\d\s]+[/.\-][\d\s]+$")
_GAP_IN_NUMBER = re.compile(r"(?<=\d)\s+(?=\d)")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= 69 else 1900
    return year


def parse_date(raw: str) -> dt.date:
    """Read a UK day-first date in its common written forms; ValueError when it is not one."""
    text = clean_text(raw, multiline=False).lower().replace(",", ", ").strip()
    text = _SPACES.sub(" ", text).strip(" ,.")
    text = _WEEKDAY.sub("", text)
    if _NUMBERS_ONLY.match(text) and not _NUMERIC_DATE.match(text):
        text = _GAP_IN_NUMBER.sub("", text)  # "06/1 0/2026": a scan's gap inside a number, not a separator
    for pattern, order in ((_ISO_DATE, "ymd"), (_NUMERIC_DATE, "dmy")):
        m = pattern.match(text)
        if m:
            parts = dict(zip(order, m.groups()[:3], strict=True))
            return _make_date(_year(parts["y"]), int(parts["m"]), int(parts["d"]), raw)
    m = _WORD_DATE.match(text)
    if m and m.group(2) in _MONTHS:
        return _make_date(_year(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)), raw)
    m = _US_WORD_DATE.match(text)
    if m and m.group(1) in _MONTHS:
        return _make_date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)), raw)
    raise ValueError(f"{raw.strip()[:40]!r} is not a date (write it as DD/MM/YYYY)")


def _make_date(year: int, month: int, day: int, raw: str) -> dt.date:
    """The date, or a ValueError saying which part does not exist (the format was understood)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        shown = f"{raw.strip()[:40]!r} is not a real date"
        if not 1 <= month <= 12:
            raise ValueError(f"{shown}: there is no month {month}") from None
        if day < 1:
            raise ValueError(f"{shown}: there is no day {day}") from None
        month_name = dt.date(2000, month, 1).strftime("%B")
        raise ValueError(f"{shown}: {month_name} {year} has no day {day}") from None


class Date(FieldType):
    name = "date"

    def accept(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        return self.parse(str(value))

    def parse(self, raw: str) -> str:
        return parse_date(raw).isoformat()


TICKED = {"☒", "☑", "✓", "✔", "✗", "✘", "x", "[x]", "(x)", "[✓]", "[✔]", "■", "⊠"}
UNTICKED = {"☐", "[ ]", "[]", "( )", "()", "□", "o"}
_TRUE_WORDS = {"yes", "y", "true", "on", "1", "ticked", "checked", "agreed", "given", "confirmed", "t"}
_FALSE_WORDS = {"no", "n", "false", "off", "0", "unticked", "unchecked", "not given", "f", "none"}
_MARK = r"(☒|☑|✓|✔|✗|✘|■|⊠|\[\s*[x✓✔]\s*\]|\(\s*x\s*\)|☐|□|\[\s*\]|\(\s*\))"
_MARK_WORD = re.compile(_MARK + r"\s*(yes|no|y|n)\b", re.I)
_WORD_MARK = re.compile(r"\b(yes|no|y|n)\s*" + _MARK, re.I)


def _is_ticked(mark: str) -> bool:
    return re.sub(r"\s", "", mark.lower()) in TICKED


def mark_pairs(text: str) -> list[tuple[str, str]]:
    """(word, mark) pairs of a "☐ Yes ☒ No" or "Yes ☒ No ☐" answer, read in the order the text uses."""
    word_first = re.match(r"\s*(yes|no|y|n)\b", text, re.I) is not None
    if word_first:
        return [(m.group(1), m.group(2)) for m in _WORD_MARK.finditer(text)]
    return [(m.group(2), m.group(1)) for m in _MARK_WORD.finditer(text)]


_ANY_MARK = re.compile(_MARK, re.I)
_OPTION_WORDS = re.compile(r"\b(?:yes|no)\b", re.I)
# a typed "[X]" as OCR reads its brackets: "{X]", "(X}", "[X])"
_BRACKETED_X = re.compile(r"(?<!\w)[\[({|]\s*[xX]\s*[\])}|]{1,2}(?!\w)")
_MARK_BEFORE = re.compile(r"^\s*" + _MARK + r"\s*(yes|no)\b", re.I)
_MARK_AFTER = re.compile(r"^\s*(yes|no)\b.*\b(yes|no)\s*" + _MARK + r"\s*$", re.I | re.S)
# "/ ☐ No": a scan that read the Yes box's tick as a stroke and lost the word "Yes" beside it
_STROKE_THEN_NO = re.compile(r"^\s*[/\\✓✔]\s*[☐□]\s*no\s*$", re.I)
_LONE_MIDDLE_MARK = re.compile(r"^\s*(yes|no)\s*" + _MARK + r"\s*(yes|no)\s*$", re.I)


def marked_options(text: str) -> list[str] | None:
    """The options ticked in an answer of two boxes or more, each beside its option's words ("☐ Yes ☐ No
    ☒ Part time" or "Yes ☐ No ☐ Part time ☒"): the ticked options' words; None when the answer has fewer than
    two boxes."""
    marks = list(_ANY_MARK.finditer(text))
    if len(marks) < 2:
        return None
    pieces = [text[a.end():b.start()] for a, b in zip(marks, marks[1:], strict=False)]
    if text[:marks[0].start()].strip():  # the words come first, each box after its option
        owned = [text[:marks[0].start()], *pieces]
    else:
        owned = [*pieces, text[marks[-1].end():]]
    return [words.strip(" ,;/") for words, mark in zip(owned, marks, strict=True)
            if _is_ticked(mark.group(0)) and words.strip(" ,;/")]


def typed_marks(text: str) -> str:
    """The text with a typed "[X]" that OCR read with other brackets ("{X]", "(X}", "[X])") written "[X]"."""
    return _BRACKETED_X.sub("[X]", text)


def lone_middle_mark(text: str) -> bool:
    """Whether an answer is both options with one mark between them and none outside ("Yes ☒ No"): a scan lost
    one box of "☐ Yes ☒ No" or of "Yes ☒ No ☐", and the text alone cannot say which."""
    return _LONE_MIDDLE_MARK.match(text) is not None


def mark_side(text: str) -> str | None:
    """Which side of its option an answer's boxes are printed on, when the text shows it: "before" for "☒ Yes",
    "☒ Yes No" or "☐ Yes ☒ No" (a box before the first option), "after" for "Yes No ☒" or "Yes ☐ No ☒"; None
    otherwise."""
    if _MARK_BEFORE.match(text):
        return "before"
    if _MARK_AFTER.match(text):
        return "after"
    return None


def _both_options(low: str) -> bool:
    """Whether an answer is both printed options and nothing but marks no reader knows ("yes [v| no": a
    scanned "☐ Yes ☑ No" whose boxes were lost): its first word is no answer."""
    words = [w for w in re.split(r"\s+", low) if w]
    options = [w for w in words if re.sub(r"\W", "", w) in {"yes", "no"}]
    rest = [w for w in words if w not in options]
    return {re.sub(r"\W", "", w) for w in options} == {"yes", "no"} and all(
        len(w) <= 3 and sum(c.isalpha() for c in w) <= 1 for w in rest)


def stroke_for_yes(text: str) -> bool:
    """Whether a yes/no answer is only a stroke before an empty "No" box ("/ ☐ No"): read as Yes, the box and its
    word lost; a reading a person confirms (`docgen.read.confidence`)."""
    return _STROKE_THEN_NO.match(clean_text(text, multiline=False)) is not None


def parse_bool(raw: str) -> bool | None:
    """Read a yes/no answer or a checkbox mark; None when no mark at all; ValueError otherwise."""
    text = clean_text(raw, multiline=False)
    low = text.lower().strip(" .:")
    if not low:
        return None
    text = typed_marks(text)
    pairs = mark_pairs(text)
    if lone_middle_mark(text):
        # "Yes ☒ No": a scan that lost one box of "☐ Yes ☒ No" or of "Yes ☒ No ☐"; the mark is either option's
        raise ValueError(f"{text[:40]!r} has one mark between Yes and No that could be either's")
    if pairs and len(_ANY_MARK.findall(text)) > len(_OPTION_WORDS.findall(text)) >= 2:
        # "Yes ☒ [X] No ☐": more marks than options, one box read twice (as a box and as its typed "[X]"): which
        # option each belongs to is no longer known
        raise ValueError(f"{text[:40]!r} has more marks than options: which is ticked cannot be told")
    if pairs:
        ticked = {word.lower()[0] == "y" for word, mark in pairs if _is_ticked(mark)}
        if len(ticked) == 1:
            return ticked.pop()
        if not ticked:
            if stroke_for_yes(text):
                return True  # the other option's box, its tick read as a stroke: Yes, as "☐ Yes ‘Vv No" is No
            return None if len(pairs) > 1 else (False if pairs[0][0].lower()[0] == "y" else None)
        raise ValueError("both Yes and No are ticked")
    if low.startswith("/"):  # a PDF name: /Yes, /On, /Off, /No or any other export value
        return low not in {"/off", "/no", "/n", "/false", "/0"}
    if _both_options(low):
        raise ValueError(f"{text[:40]!r} holds both Yes and No with no tick that can be read")
    squeezed = re.sub(r"\s", "", low)
    if squeezed in TICKED:
        return True
    if squeezed in UNTICKED:
        return False
    if low in _TRUE_WORDS:
        return True
    if low in _FALSE_WORDS:
        return False
    first = re.split(r"[\s,.;:\-–(]+", low, maxsplit=1)[0]
    if first in {"yes", "y", "ticked", "checked"}:
        return True
    if first in {"no", "n", "not"}:
        return False
    if squeezed[:1] in {"☒", "☑", "✓", "✔"}:
        return True
    if squeezed[:1] in {"☐", "□"}:
        return False
    raise ValueError(f"{text[:40]!r} is not a yes/no answer")


class Bool(FieldType):
    name = "bool"

    def accept(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        return parse_bool(str(value))

    def parse(self, raw: str) -> bool | None:
        return parse_bool(raw)


_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
    )
}


class Int(FieldType):
    name = "int"

    def accept(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("is not a number")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return self.parse(str(value))

    def parse(self, raw: str) -> int:
        text = clean_text(raw, multiline=False).lower()
        m = re.search(r"-?\d+(?:\.\d+)?", text.replace(",", ""))
        if m:
            number = float(m.group(0))
            if number.is_integer():
                return int(number)
            return round(number)
        for word in re.findall(r"[a-z]+", text):
            if word in _WORD_NUMBERS:
                return _WORD_NUMBERS[word]
        raise ValueError(f"{text[:40]!r} is not a number")


class YearGroup(FieldType):
    """National Curriculum year: Reception = 0, Nursery = -1."""

    name = "year"

    def accept(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return self.parse(str(value))

    def parse(self, raw: str) -> int:
        text = clean_text(raw, multiline=False).lower().strip(" .")
        if re.fullmatch(r"(r|rec|reception|yr\s*r|year\s*r|fs2|f2|foundation)", text):
            return 0
        if re.fullmatch(r"(n|nur|nursery|fs1|f1|pre-?school)", text):
            return -1
        m = re.fullmatch(r"(?:national curriculum\s+)?(?:year|yr|y|nc\s*year|nc)?\s*(\d{1,2})(?:\s*\(.*\))?", text)
        if m and 0 <= int(m.group(1)) <= 14:
            return int(m.group(1))
        m = re.fullmatch(r"(?:year|yr)\s+([a-z]+)", text)
        if m and m.group(1) in _WORD_NUMBERS:
            return _WORD_NUMBERS[m.group(1)]
        raise ValueError(f"{text[:40]!r} is not a year group (write e.g. Year 7 or Reception)")


# what OCR makes of a UPN's check letter: the letter a glyph may have been, when it reads as no letter
_MISREAD_LETTER = {"2": "Z", "5": "S", "8": "B", "0": "DOQ", "1": "IT", "6": "G", "4": "A", "7": "T", "£": "E",
                   "€": "E", "$": "S", "|": "I"}


def repaired_check_letter(text: str) -> str:
    """A UPN whose first character OCR read as no letter ("2926451215249", "£926215515360") with the check
    letter its twelve digits call for, when that is a letter the glyph is mistaken for (Z read as 2, E as £):
    the check letter is worked out from the rest, so nothing is guessed. Otherwise the text as it is."""
    if len(text) == 13 and not text[0].isalpha() and re.fullmatch(r"\d{11}[0-9A-Z]", text[1:]):
        letter = check_letter(text[1:])
        if letter in _MISREAD_LETTER.get(text[0], ""):
            return letter + text[1:]
    return text


class UPN(FieldType):
    name = "upn"

    def parse(self, raw: str) -> str:
        text = repaired_check_letter(re.sub(r"[\s\-]", "", clean_text(raw, multiline=False)).upper())
        if not re.fullmatch(r"[A-Z0-9]{13}", text):
            raise ValueError(f"{text[:20]!r} is not a 13-character UPN")
        return text


_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


class Postcode(FieldType):
    name = "postcode"

    def parse(self, raw: str) -> str:
        text = re.sub(r"\s", "", clean_text(raw, multiline=False)).upper()
        m = _POSTCODE.match(text)
        if not m:
            raise ValueError(f"{text[:12]!r} is not a UK postcode")
        return f"{m.group(1)} {m.group(2)}"


_EMAIL = re.compile(r"^[^@\s<>()]+@[^@\s<>()]+\.[a-z]{2,}$")


class Email(FieldType):
    name = "email"

    def parse(self, raw: str) -> str:
        text = clean_text(raw, multiline=False).lower()
        text = re.sub(r"^mailto:", "", text).strip("<>() ")
        m = re.search(r"<([^<>]+@[^<>]+)>", text)
        if m:
            text = m.group(1)
        if not _EMAIL.match(text):
            raise ValueError(f"{text[:40]!r} is not an email address")
        return text


class Phone(FieldType):
    name = "phone"

    def accept(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return self.parse("0" + str(value) if len(str(value)) == 10 else str(value))
        return self.parse(str(value))

    def parse(self, raw: str) -> str:
        text = clean_text(raw, multiline=False)
        digits = re.sub(r"\D", "", text)
        if len(digits) < 6:
            raise ValueError(f"{text[:30]!r} is not a telephone number")
        return ("+" if text.lstrip().startswith("+") else "") + digits


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enum and the printed phrases that mean it (lower case regexes)."""

    value: str
    patterns: tuple[str, ...]


class Enum(FieldType):
    """A closed list of values matched from printed wording; first matching choice wins."""

    name = "enum"

    def __init__(self, choices: tuple[Choice, ...], *, fallback: str | None = None) -> None:
        self.choices = choices
        self.fallback = fallback

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices) + ((self.fallback,) if self.fallback else ())

    def parse(self, raw: str) -> str:
        text = clean_text(raw, multiline=False).lower()
        if text in self.values:
            return text
        ticked = [word for word, mark in mark_pairs(text) if _is_ticked(mark)]
        if len(ticked) == 1:
            text = ticked[0]
        elif not ticked and (options := marked_options(text)) is not None:
            # boxes beside options that are not all yes/no ("☐ Yes ☐ No ☒ Part time"): the ticked one's words;
            # with no box ticked (or two), no option was chosen
            if len(options) != 1:
                raise ValueError(f"{text[:40]!r}: {'no' if not options else 'more than one'} option is ticked")
            text = options[0]
        for choice in self.choices:
            if any(re.search(p, text) for p in choice.patterns):
                return choice.value
        if self.fallback:
            return self.fallback
        raise ValueError(f"{text[:40]!r} is not one of: {', '.join(self.values)}")


ROLE = Enum(
    (
        Choice("consultant_child_psychiatrist", (r"psychiatr",)),
        Choice("clinical_child_psychologist", (r"psycholog",)),
        Choice("me_cfs_service", (r"\bme\s*/\s*cfs\b", r"\bcfs\s*/\s*me\b", r"chronic fatigue", r"physiotherap")),
        Choice("school_nurse", (r"school nurs",)),
        Choice("paediatrician", (r"paediatric", r"pediatric")),
        Choice("camhs", (r"camhs", r"mental health", r"cypmhs", r"\bpoint 1\b", r"psychological wellbeing")),
        Choice("gp", (r"\bgp\b", r"general pract", r"family doctor", r"\bgeneral practice\b")),
        Choice("primary_care", (r"practice nurse", r"nurse practitioner", r"primary care", r"\bsurgery\b")),
        Choice("specialist_nhs", (r"consultant", r"specialist", r"\bnhs\b", r"registrar", r"hospital",
                                  r"oncolog", r"neurolog", r"gastro", r"cardio", r"endocrin", r"rheumat",
                                  r"dietitian", r"clinical nurse", r"diabetes", r"epilepsy")),
    ),
    fallback="other",
)
ROLE.name = "role"

CONTACT_TYPE = Enum(
    (
        Choice("video", (r"video", r"teams", r"zoom", r"virtual", r"online")),
        Choice("telephone", (r"tele", r"phone", r"call")),
        Choice("face_to_face", (r"face", r"in person", r"clinic", r"home visit", r"person", r"f2f")),
    )
)
CONTACT_TYPE.name = "contact_type"

UNFIT = Enum(
    (
        Choice("part_time", (r"part", r"reduced", r"some")),
        Choice("yes", (r"^yes\b", r"^y$", r"unfit", r"^true$", r"not fit", r"unable")),
        Choice("no", (r"^no\b", r"^n$", r"\bfit\b", r"^false$", r"able to attend")),
    )
)
UNFIT.name = "unfit_for_school"
