"""Tolerant matching of printed labels and form-field names to a FormSchema's fields.

Order of trust: the field key itself (`pupil_forename`), an exact normalised label or
alias (`Field.match_keys`), the same after dropping filler ("please give", "if known",
question numbers), then a careful fuzzy match that only forgives spelling slips: every
word of the label must have a close partner in the field's label and vice versa, so
"Date of birth" never becomes "Date of referral" and "DSL email" never "Referrer email".
Last of all, a text that reads as a question and names one field's concept (read/concepts.py) is that
field's question, trusted least: a document's own label for the field always wins over it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from docgen.forms.schema import Field, FormSchema, normalise_label
from docgen.forms.types import Bool, is_blank
from docgen.read.abbreviations import expand
from docgen.read.concepts import ConceptMatcher, asked


@dataclass(frozen=True)
class RawField:
    """One answer as a reader found it: the labels it goes by (name, tooltip, printed label) and its value.

    `value` is text, a bool (a checkbox read as such) or None (no answer). `structured` marks
    answers read from a form structure (AcroForm field, table cell, content control): a key
    settled by one of those is not overridden by a guess from the page text.
    """

    labels: tuple[str, ...]
    value: Any
    structured: bool = True
    # a bare question written out with the person of its section (read/sections.py): trusted as a concept's
    by_section: bool = False


_FIELD_PREFIX = re.compile(r"^(txt|text|tb|fld|field|chk|cb|cbx|check|checkbox|rb|radio|opt|ddl|cmb|combo|lst)"
                           r"(?=[A-Z_\-])")
_LEADING = re.compile(
    r"^(?:(?:q(?:uestion)?\s*)?\d{1,2}(?:\.\d{1,2})*\s*[.):]?\s+|[a-h]\)\s+|[ivx]{1,4}\)\s+)"
)
_FILLER_HEAD = re.compile(r"^(please (give|state|enter|provide|confirm|tick|indicate|specify)( the)?|enter( the)?) ")
_FILLER_TAIL = re.compile(
    r" (please (give|state|specify|tick|provide|confirm)( details)?|if (known|applicable|any|different|appropriate)"
    r"|dd / mm / yyyy|dd mm yyyy|yes / no|y / n|tick( one| as appropriate)?|optional|required|mandatory)$"
)
_RAW_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(?:\d{1,2}(?:\.\d{1,2})*(?:[.):]\s*|\s+)"
                         r"|(?:[a-h]|[ivx]{1,4})\s*[.):]\s*)", re.I)
_MIN_FUZZY = 8
_MIN_SQUASHED = 15
_MIN_GLUED = 10  # letters of a label OCR printed as one word ("Legalsurname")
_MIN_BAG = 3
_MIN_TAIL = 14
_MAX_ASKED = 14  # words: a question, not a sentence of prose that happens to end in "?"
# a field's question in full ("is the young person on the roll of a school") is no alias to look for inside another
# line: found there, it is a question run on after an answer ("nr1 2ab Is the young person …?")
_ASKING = {"is", "are", "was", "were", "does", "do", "did", "has", "have", "had", "will", "can", "could", "should"}
_MAX_ASKED_LEAD = 5  # words a question puts before the words of its field's alias ("is the pupil currently on")
_MIN_SLIPS = 24  # letters: a label this long may carry OCR's slips inside its words ("hos pital in-oatient")
_INDEXES = re.compile(r"\[\d+\]")  # a form-field name's array indexes ("DOB[0]")
_CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_JOINERS = re.compile(r"[_\-]+")
_SQUASH = re.compile(r"[\s/]+")  # what OCR drops or adds between a label's words
_UNMARKED_OPTIONS = re.compile(r"^\s*(yes\s*[/|]?\s*no|no\s*[/|]?\s*yes|y\s*[/|]?\s*n)\s*$", re.I)  # options printed, none marked


# a question starting so asks for a date, a number, a name or words, never yes or no ("When was Just One Number
# contacted?" is the date, not whether it was)
_OPEN_ASKING = {"when", "what", "which", "who", "whom", "whose", "how", "where", "why"}


def field_name_label(name: str) -> str:
    """Turn a form-field name (`pupil_forename`, `txtForename`, `form1[0].Page1[0].DOB[0]`) into label text."""
    text = _INDEXES.sub("", name)
    text = text.rsplit(".", 1)[-1] if "." in text and " " not in text else text
    if " " not in text:
        text = _FIELD_PREFIX.sub("", text)
    text = _CAMEL_CASE.sub(" ", text)
    return _JOINERS.sub(" ", text).strip()


CONCEPT = 0  # the quality of a question known only by its concept: any label or alias of the field wins over it
MATCH_CACHE_MAX = 4096  # label texts a matcher remembers at most (its forms' labels repeat; answers do not)


@lru_cache(maxsize=4096)
def label_variants(raw: str) -> tuple[str, ...]:
    """Normalised spellings worth comparing for one raw label, most literal first."""
    base = normalise_label(raw)
    variants = [base]
    numbered = _RAW_NUMBER.sub("", raw, count=1)
    if numbered != raw and (bare := normalise_label(numbered)) and bare != base:
        variants.append(bare)  # "b) Surname", "Q3) DOB", "2.1 Postcode": the question number is not the label
    stripped = _LEADING.sub("", base)
    stripped = _FILLER_HEAD.sub("", stripped)
    stripped = _FILLER_TAIL.sub("", stripped).strip(" /")
    if stripped and stripped != base:
        variants.append(stripped)
    named = normalise_label(field_name_label(raw))
    if named and named not in variants:
        variants.append(named)
    braced = raw.replace("{", "(").replace("}", ")")
    if braced != raw and (bracketed := normalise_label(braced)) not in variants:
        variants.append(bracketed)  # OCR's "{if on roll)": a note's bracket read as a brace
    if (noted := _MISREAD_NOTE.sub("", raw)) != raw and (bare := normalise_label(noted)) not in variants:
        variants.append(bare)  # OCR's "EHCP coordinator * Gif EHCP)": a note whose "(" read as a letter
    ones = _ONE_AS_MARK.sub("1", raw)
    if ones != raw and (digits := normalise_label(ones)) not in variants:
        variants.append(digits)  # OCR's "Year]1", "Year 1l": a 1 beside a digit read as a bracket or a letter
    for v in list(variants):
        canon = v
        for needles, pattern, replacement in _SPELLINGS:
            if any(n in canon for n in needles):
                canon = pattern.sub(replacement, canon)
        if canon not in variants:
            variants.append(canon)
    for v in list(variants):
        if (spelt := expand(v)) not in variants:
            variants.append(spelt)  # "Yr grp", "Prev. referral?", "Parent mtg": a form's short forms spelt out
    return tuple(variants)


@dataclass(frozen=True)
class _Spellings:
    """What every form's matcher reads of one raw label, made once for all of them: its variants, each
    without spaces and as a sorted bag of words, and whether the label reads as a question."""

    variants: tuple[str, ...]
    squashed: tuple[str, ...]
    bags: tuple[tuple[str, ...], ...]
    asked: bool


@lru_cache(maxsize=1024)  # each form's matcher asks for a text in turn: a short memory serves them all (issue 21)
def _spellings(raw: str) -> _Spellings:
    variants = label_variants(raw)
    return _Spellings(variants, tuple(_SQUASH.sub("", v) for v in variants),
                      tuple(tuple(sorted(v.split())) for v in variants), asked(raw))


# each with the plain text one of which a match must hold: most labels hold none, and are not scanned
_SPELLINGS = ((("e mail",), re.compile(r"\be mail\b"), "email"), (("tel",), re.compile(r"\btel\b"), "telephone"),
              (("d o b",), re.compile(r"\bd o b\b"), "dob"), (("no",), re.compile(r"\bno\b$"), "number"),
              (("co ordinator",), re.compile(r"\bco ordinator\b"), "coordinator"),
              (("in patient",), re.compile(r"\bin patient\b"), "inpatient"),
              # OCR reads a capital I as a lower-case l ("ls the young person…", "lf yes…"): no label has these
              (("ls", "lf", "lt"), re.compile(r"\bl([sft])\b"), r"i\1"))


_MISREAD_NOTE = re.compile(r"\s+[GC]i?f(?:\s+[^()]*\))?\s*$")

_ONE_AS_MARK = re.compile(r"(?<=\d)[\]|lI!](?=\d|\b)|(?<=\b)[\]|lI!](?=\d)")

_STOP = {"the", "a", "an", "of", "to", "is", "for", "and", "or", "in", "on", "by", "s", "/", "this", "any"}


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w not in _STOP]


def _close_words(a: list[str], b: list[str]) -> bool:
    """Every word of one side has a near-identical partner on the other (spelling slips only)."""

    def covered(xs: list[str], ys: list[str]) -> bool:
        for x in xs:
            if x in ys:
                continue
            if len(x) < 5 or not any(len(y) >= 5 and fuzz.ratio(x, y) >= 80 for y in ys):
                return False
        return True

    return bool(a) and bool(b) and covered(a, b) and covered(b, a)


class LabelMatcher:
    """Match raw labels to the fields of one FormSchema (results cached per label).

    A match has a quality: 3 for the field's key or printed label, 2 for an alias, 1 for a
    spelling-slip (fuzzy) match, 0 (`CONCEPT`) for a question known only by its concept; when a document
    has several labels for one field, the best wins.
    """

    def __init__(self, schema: FormSchema) -> None:
        self.schema = schema
        self._exact: dict[str, tuple[Field, int]] = {}
        for f in schema.fields:
            for key in (normalise_label(f.label), f.key.replace("_", " ")):
                self._exact.setdefault(key, (f, 3))
        for f in schema.fields:
            for key in f.match_keys:
                self._exact.setdefault(key, (f, 2))
        self._keys = list(self._exact)
        # the same labels without spaces: a scan's OCR drops or adds them ("Parentcarer telephone")
        self._squashed = {_SQUASH.sub("", k): f for k, (f, _q) in self._exact.items()}
        # the same words in another order: OCR reads a label wrapped in a cell line by line, and a word of
        # the second line can come first ("Date contacted Just One Number was"); a bag shared by two
        # fields' labels matches neither
        self._bags: dict[tuple[str, ...], Field | None] = {}
        for k, (f, _q) in self._exact.items():
            bag = tuple(sorted(k.split()))
            if len(_words(k)) >= _MIN_BAG:
                self._bags[bag] = f if self._bags.get(bag, f) is f else None
        # a label's last words, when they end one field's label alone ("safeguarding lead"): OCR garbles a
        # word of a label now and then ("weber Safeguarding Lead" for "Designated Safeguarding Lead")
        self._vocabulary = {w for k in self._exact for w in k.split()}
        self._tails: dict[str, Field | None] = {}
        for k, (f, _q) in self._exact.items():
            words = k.split()
            for n in range(1, len(words) - 1):
                tail = " ".join(words[n:])
                if len(_words(tail)) >= 2 and len(tail) >= _MIN_TAIL:
                    self._tails[tail] = f if self._tails.get(tail, f) is f else None
        self._concepts = ConceptMatcher(schema)
        self._cache: dict[str, tuple[Field, int] | None] = {}
        # by a text's length, the labels a fuzzy or a slip match could reach at all (a label's length bounds
        # both scores): most texts a backlog reads are answers, compared with few labels or none
        self._fuzzy_keys: dict[int, list[str]] = {}
        self._slip_keys: dict[int, list[str]] = {}

    def match(self, raw: str) -> Field | None:
        """The field this label or field name means, or None."""
        found = self.match_quality(raw)
        return found[0] if found else None

    def match_quality(self, raw: str) -> tuple[Field, int] | None:
        """The field this label means and how well it matched (3 label/key, 2 alias, 1 fuzzy), or None."""
        if raw in self._cache:
            return self._cache[raw]
        found = self._match(raw)
        if len(self._cache) >= MATCH_CACHE_MAX:  # every distinct line a backlog reads passes here: keep memory flat
            self._cache.clear()
        self._cache[raw] = found
        return found

    def match_any(self, labels: Iterable[str]) -> Field | None:
        """The first of several labels (field name, tooltip, printed label) that matches."""
        found = self.match_any_quality(labels)
        return found[0] if found else None

    def match_any_quality(self, labels: Iterable[str]) -> tuple[Field, int] | None:
        for raw in labels:
            if raw and raw.strip():
                found = self.match_quality(raw)
                if found is not None:
                    return found
        return None

    def _match(self, raw: str) -> tuple[Field, int] | None:
        if len(raw) > 200:
            return None
        if raw.strip() in self.schema:
            return self.schema[raw.strip()], 3
        spelt = _spellings(raw)
        variants = spelt.variants
        for v in variants:
            if v in self._exact:
                return self._exact[v]
        fuzzy = (self._fuzzy(variants) or self._squashed_match(spelt) or self._bag_match(spelt)
                 or self._tail_match(variants) or self._slip_match(spelt) or self._asked_match(raw, variants)
                 or self._parts_match(variants))
        if fuzzy:
            return fuzzy, 1
        conceived = self._concepts.match(raw) if spelt.asked else None
        return (conceived, CONCEPT) if conceived else None

    def concept(self, raw: str) -> Field | None:
        """The one field whose concept `raw` names (read/concepts.py), whatever its shape; None if none or two."""
        return self._concepts.match(raw)

    def _slip_match(self, spelt: _Spellings) -> Field | None:
        """A long label with one or two letters misread in it (OCR's "deen" for "been", "in-oatient", a word split
        in two): as long as one field's label once spaces are ignored, and differing from it in those letters
        alone, when every other field's label is much further away. Never longer or shorter: an answer after
        the question ("…before? No") is no slip."""
        for squashed in spelt.squashed:
            if len(squashed) < _MIN_SLIPS:
                continue
            allowed = max(1, len(squashed) // 20)
            keys = self._slip_keys.get(len(squashed))
            if keys is None:  # a distance is at least the difference in length
                keys = self._slip_keys[len(squashed)] = _of_lengths(
                    self._squashed, len(squashed) - allowed - 4, len(squashed) + allowed + 4)
            if not keys:
                continue
            near = process.extract(squashed, keys, scorer=Levenshtein.distance, score_cutoff=allowed + 4, limit=6)
            closest: dict[str, tuple[float, bool]] = {}  # field → (distance, whether its label's length differs)
            for key, distance, _n in near:
                f = self._squashed[key]
                closest[f.key] = min((distance, len(key) != len(squashed)), closest.get(f.key, (distance, True)))
            ranked = sorted(closest.items(), key=lambda kv: kv[1])
            if not ranked:
                continue
            best, (slips, other_length) = ranked[0]
            if slips <= allowed and not other_length and (len(ranked) == 1 or ranked[1][1][0] >= slips + 4):
                return self.schema[best]
        return None

    def _parts_match(self, variants: tuple[str, ...]) -> Field | None:
        """A label made of one field's own words: "Name of <a name field's label>" ("Name of Designated
        Safeguarding Lead"), or two of one field's aliases either side of a slash ("Medical condition /
        diagnosis")."""
        for v in variants:
            named = self._exact.get(v.removeprefix("name of ")) if v.startswith("name of ") else None
            if named is not None and named[0].key.endswith("_name"):
                return named[0]
            if " / " not in v:
                continue
            sides = [self._exact.get(side.strip()) for side in v.split(" / ")]
            if len(sides) == 2 and sides[0] is not None and sides[1] is not None and sides[0][0] is sides[1][0]:
                return sides[0][0]
        return None

    def _asked_match(self, raw: str, variants: tuple[str, ...]) -> Field | None:
        """A yes/no question worded as no form words it ("Is the child on SEN support?", "Previously referred to
        the service?"): a short line ending in "?" that holds, as whole words, a yes/no field's label or alias of
        two words or more; the longest such, and none of another field's as long."""
        words = raw.split()
        if not raw.rstrip(" *").endswith("?") or len(words) > _MAX_ASKED or not words[0][0].isalpha() \
                or words[0].lower() in _OPEN_ASKING:
            return None
        for v in variants:
            padded = f" {v} "
            if " yes " in padded or " no " in padded:  # an answer run on into the next question: no question
                return None
            found: dict[str, int] = {}
            for key, (f, _q) in self._exact.items():
                size = len(_words(key))
                if f.type.name == "bool" and size >= 2 and key.split()[0] not in _ASKING and f" {key} " in padded:
                    before = padded[:padded.index(f" {key} ")].strip()
                    if before in self._exact or len(before.split()) > _MAX_ASKED_LEAD:
                        return None  # a question run on after another ("Postcode Is the …?"), or prose
                    found[f.key] = max(size, found.get(f.key, 0))
            ranked = sorted(found.items(), key=lambda kv: -kv[1])
            if ranked and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
                f = self.schema[ranked[0][0]]
                return None if self._concepts.rules_out(f, raw) else f
        return None

    def _tail_match(self, variants: tuple[str, ...]) -> Field | None:
        """A label whose first word is no word of any label (a garbled one) and whose other words end exactly
        one field's label, two words or more of it ("weber safeguarding lead")."""
        for v in variants:
            first, _, rest = v.partition(" ")
            if rest and first not in self._vocabulary:
                found = self._tails.get(rest)
                if found is not None:
                    return found
        return None

    def _bag_match(self, spelt: _Spellings) -> Field | None:
        """A label of three words or more whose words are exactly those of one field's label, reordered."""
        for bag in spelt.bags:
            found = self._bags.get(bag)
            if found is not None:
                return found
        return None

    def _squashed_match(self, spelt: _Spellings) -> Field | None:
        """A long label that is the same once spaces are ignored (OCR's spacing slips: "Parentcarer"); a shorter
        one only when OCR ran all its words into one ("Legalsurname*": an answer "Parent / carer" is no label)."""
        for v, squashed in zip(spelt.variants, spelt.squashed, strict=True):
            if squashed not in self._squashed:
                continue
            if len(squashed) >= _MIN_SQUASHED or (len(squashed) >= _MIN_GLUED and squashed == v
                                                  and squashed not in self._exact):
                return self._squashed[squashed]
        return None

    def _fuzzy(self, variants: tuple[str, ...]) -> Field | None:
        best: tuple[float, int, Field] | None = None
        for v in variants:
            if len(v) < _MIN_FUZZY:
                continue
            keys = self._fuzzy_keys.get(len(v))
            if keys is None:  # a ratio of 88 needs lengths within 12 % of their sum (13 % kept, to be safe):
                # 100 * |k - n| <= 13 * (k + n), that is 87 * n <= 113 * k and 87 * k <= 113 * n
                keys = self._fuzzy_keys[len(v)] = _of_lengths(self._keys, -(-87 * len(v) // 113), 113 * len(v) // 87)
            for key, score, _n in process.extract(v, keys, scorer=fuzz.ratio, score_cutoff=88, limit=8):
                if len(key) < _MIN_FUZZY or abs(len(key) - len(v)) > max(4, len(key) // 5):
                    continue
                if not _close_words(_words(v), _words(key)):
                    continue
                f = self._exact[key][0]
                if best is None or (score, len(key)) > (best[0], best[1]):
                    best = (score, len(key), f)
        return best[2] if best else None


def _of_lengths(keys: Iterable[str], shortest: int, longest: int) -> list[str]:
    """The keys from `shortest` to `longest` characters long, in their order."""
    return [k for k in keys if shortest <= len(k) <= longest]


@lru_cache(maxsize=16)
def matcher_for(schema: FormSchema) -> LabelMatcher:
    """A shared LabelMatcher for a schema."""
    return LabelMatcher(schema)


def _is_blank_answer(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    if _UNMARKED_OPTIONS.match(value):
        return True
    return is_blank(value) and not re.search(r"[☐□]|\[\s*\]", value)


def assign(raw_fields: Iterable[RawField], schema: FormSchema) -> tuple[dict[str, Any], set[str]]:
    """Raw values by key; return (raw values, keys seen).

    Per field, the answers under its best-matching label count (printed label over alias over a
    spelling slip); among those the first in reading order wins, form structures first. A
    question found in a form structure but left blank stays blank: no guess from the page text.
    """
    matcher = matcher_for(schema)
    candidates: dict[str, list[tuple[int, RawField]]] = {}
    for item in raw_fields:
        found = matcher.match_any_quality(item.labels)
        if found is not None:
            candidates.setdefault(found[0].key, []).append((CONCEPT if item.by_section else found[1], item))
    raw: dict[str, Any] = {}
    for key, items in list(candidates.items()):
        # a bare question read as its section's person's (read/sections.py) only answers a field no question names
        items = candidates[key] = [(q, i) for q, i in items if not i.by_section] or items
        if max(q for q, _i in items) == CONCEPT and len({normalise_label(" ".join(i.labels)) for _q, i in items}) > 1:
            del candidates[key]  # two questions in a document name one field's concept: which is it? neither
            continue
        type_name = schema[key].type.name
        # an unstructured guess that found no answer (a radio whose export name says nothing) does not
        # outrank an answer found under a looser label
        items = [(q, i) for q, i in items if i.structured or not _is_blank_answer(
            _tidy(i.value, type_name) if isinstance(i.value, str) else i.value)] or items
        # an answer read from a form structure (field, table cell) beats a guess from the page text, even
        # one under a closer label (the text layer may show the label wrapped and the answer cut in two)
        items = [(q, i) for q, i in items if i.structured] or items
        best = max(quality for quality, _item in items)
        for quality, item in items:
            if quality != best:
                continue
            value = _tidy(item.value, type_name) if isinstance(item.value, str) else item.value
            if not _is_blank_answer(value):
                if quality == CONCEPT and not _fits(value, schema[key]):
                    break  # a question known by its concept alone, and an answer not of its kind: a wrong pairing
                raw[key] = value
                break
            if item.structured:
                break
    return raw, set(candidates)


_BARE_NUMBER = re.compile(r"^\D{0,12}?\d+(?:\.\d+)?\s*[a-z]*\.?$", re.I)  # "37", "8 weeks", "approx. 6"


def _fits(value: Any, f: Field) -> bool:
    """An answer that is cleanly of its question's kind: read as the field's type without complaint, a number
    that is one number (with a unit), and a written answer that is no yes/no. A question known only by its
    concept takes nothing else: a wrong pairing leaves the field unread, never wrong."""
    try:
        converted = f.type.convert(value)
    except ValueError:
        return False
    if converted is None or not isinstance(value, str):
        return converted is not None
    if f.type.name == "int":
        return bool(_BARE_NUMBER.match(value.strip()))
    if f.type.name == "text":
        try:
            return Bool().convert(value) is None
        except ValueError:
            return True
    return True


# fill-in lines: a run of underscores standing alone (never the `__` inside a word such as `__class__`),
# a long run, dots, an ellipsis
_LEADERS = re.compile(r"_{4,}|(?<!\w)_{2,3}(?!\w)|\.{3,}|…+")
_CHOICE = re.compile(r"([☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])\s*([^☒☐☑■□⊠✓✔✗✘\[]+)")


def _tidy(value: str, type_name: str) -> str:
    """Drop fill-in leaders (____, ....) and, for a list of ticked options, keep the ticked one's words."""
    value = _LEADERS.sub(" ", value).strip()
    if type_name == "bool":
        return value
    options = _CHOICE.findall(value)
    if len(options) >= 2:
        ticked = [str(text).strip(" ,;/") for mark, text in options if not re.fullmatch(r"[☐□]|\[\s*\]", mark)]
        if len(ticked) == 1 and ticked[0]:
            return str(ticked[0])
        if not ticked:
            return ""
    return value


def convert(raw_fields: Iterable[RawField], schema: FormSchema) -> tuple[dict[str, Any], list[str], set[str]]:
    """Match, then convert through the schema: (values for every key, warnings, keys seen)."""
    raw, seen = assign(raw_fields, schema)
    for key, value in list(raw.items()):
        if isinstance(value, str) and value.startswith("/") and schema[key].type.name != "bool":
            raw[key] = value = value[1:]  # a PDF radio/choice export name: the text is the answer
        if isinstance(value, str) and schema[key].type.name == "email" and "@" in value:
            raw[key] = re.sub(r"\s+", "", value)  # an address wrapped in a narrow cell
    values, warnings = schema.convert(raw)
    return values, warnings, seen
