"""How sure the OCR is of each field read from a scan, and where on the page it was (SPEC §16).

A field's confidence is that of the least confident word making its value (a name with one doubtful
word is a doubtful name), 0–100; a ticked/unticked answer's is that of the box judged from the image.
A narrative answer (a free-text account several lines long: the health need, the professionals involved)
is read by a person as prose and decides no rule by its wording: one doubtful word in five leaves it
certain ("…; physiothera" cut off at the edge of a flattened form field's box); more make it doubtful.
Every other answer — names, addresses, dates, numbers, emails — is as sure as its least sure word.

A doubtful word read a second time on its own (`docgen.read.reread`) that came out different but gives the
same value under its question's type ("1ab" and "tab" in a postcode's inward code are both 1AB: its first
character is a digit, its letters are capitals) was read as that value twice: the doubt was about what the
type decides. Its confidence is then that of two readings agreeing, 100 − (100 − a)(100 − b)/100.
Its box is the union of those words' boxes, kept as fractions of the page so the desk can draw it
over the page image at any size.

For the desk: `uncertain_values(extraction, min_confidence)` lists the values to box for a person to
confirm or key in; `field_boxes(extraction)` gives every OCR-read field's page and box.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz.distance import Levenshtein

from docgen.forms.schema import Field, FormSchema
from docgen.forms.types import Text, stroke_for_yes
from docgen.forms.upn import is_temporary, upn_problem
from docgen.kinds import Extraction
from docgen.read.ocr import OcrWord
from docgen.read.ocrtext import as_typed
from docgen.read.scanned import Scan

_WINDOW = 60
CHECKED_CONFIDENCE = 95
_PUNCT = re.compile(r"^\W+$")


@dataclass(frozen=True)
class Evidence:
    """The words a field's value was read from: confidence (0–100), page (1-based) and box (fractions)."""

    confidence: int
    page: int
    box: tuple[float, float, float, float]


def reading_order(words: list[OcrWord]) -> list[OcrWord]:
    """Words page by page, in rows (by their vertical middle), left to right: the order values are read in."""
    out: list[OcrWord] = []
    for page in sorted({w.page for w in words}):
        rows: list[list[OcrWord]] = []
        row_mid = row_h = 0.0
        for w in sorted((w for w in words if w.page == page), key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
            mid, height = (w.top + w.bottom) / 2, w.bottom - w.top
            if rows and abs(mid - row_mid) <= max(2.0, 0.45 * max(height, row_h)):
                rows[-1].append(w)
            else:
                rows.append([w])
                row_mid, row_h = mid, height
        for row in rows:
            out.extend(sorted(row, key=lambda w: w.x0))
    return out


def _key(text: str) -> str:
    return text.casefold().strip(".,;:()")


def _same(a: str, b: str) -> bool:
    """Whether a value's token and a word (both `_key`ed) are the same word, or one holds the other."""
    return bool(a) and bool(b) and (a == b or (len(b) >= 3 and b in a) or (len(a) >= 3 and a in b))


class WordIndex:
    """The `_key`s of words in reading order, indexed so the words a token can start a run at are found
    without comparing the token with every word: the same words `_same` accepts, in order."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.exact: dict[str, list[int]] = {}
        for n, key in enumerate(keys):
            if key:
                self.exact.setdefault(key, []).append(n)
        self.joined = "\x00".join(keys)
        self.offsets = list(itertools.accumulate((len(k) + 1 for k in keys), initial=0))

    def starts(self, token: str) -> list[int]:
        """The words `w` with `_same(token, w)`, in order."""
        if not token:
            return []
        if "\x00" in token:
            return [n for n, key in enumerate(self.keys) if _same(token, key)]
        found = set(self.exact.get(token, ()))
        for size in range(3, len(token)):  # a word of three or more letters inside the token
            for at in range(len(token) - size + 1):
                found.update(self.exact.get(token[at:at + size], ()))
        if len(token) >= 3:  # the token inside a word
            at = self.joined.find(token)
            while at >= 0:
                found.add(bisect.bisect_right(self.offsets, at) - 1)
                at = self.joined.find(token, at + 1)
        return sorted(found)


def locate(text: str, ordered: list[OcrWord], keys: list[str] | WordIndex | None = None) -> list[OcrWord]:
    """The run of words (in reading order) that best spells `text`; empty when it cannot be found.
    `keys` are the words' `_key`s (or their `WordIndex`) when the caller has them (`evidence` locates every
    field in one list)."""
    tokens = [_key(t) for t in text.split() if t]
    if not tokens or not ordered:
        return []
    index = keys if isinstance(keys, WordIndex) else WordIndex(keys if keys is not None
                                                                 else [_key(w.text) for w in ordered])
    keys = index.keys
    best: list[OcrWord] = []
    best_rank = (0.0, -math.inf, 0.0)
    for start in index.starts(tokens[0]):
        found = [ordered[start]]
        at = start
        for token in tokens[1:]:
            for n in range(at + 1, min(at + 1 + _WINDOW, len(ordered))):
                if _same(token, keys[n]):
                    found.append(ordered[n])
                    at = n
                    break
        # the most tokens found; then the first word nearest the first token's length (the word "exam" is
        # inside an email read as one word, but the email's own word is the one that spells it); then the surest
        rank = (len(found) / len(tokens), -abs(len(keys[start]) - len(tokens[0])), _min_conf(found))
        if rank > best_rank:
            best, best_rank = found, rank
    return best if best_rank[0] >= 0.5 else []


def _min_conf(words: list[OcrWord]) -> float:
    confs = [w.conf for w in words if not _PUNCT.match(w.text) or w.mark]
    return min(confs) if confs else 0.0


def evidence(raw: dict[str, Any], values: dict[str, Any], scan: Scan,
             schema: FormSchema | None = None) -> dict[str, Evidence]:
    """Each field read (a non-null value) → its confidence and box; `raw` holds the texts the values came from,
    `schema` (when the document is a form) says which answers are narrative (see the module's description)."""
    ordered = reading_order(scan.words)
    keys = WordIndex([_key(w.text) for w in ordered])
    sizes = {p.number: (p.width or 1.0, p.height or 1.0) for p in scan.pages}
    readable = [p for p in scan.pages if p.readable]
    fallback = min((p.confidence for p in readable), default=0.0)
    out: dict[str, Evidence] = {}
    for key, value in values.items():
        if value is None:
            continue
        source = raw.get(key)
        text = source if isinstance(source, str) and source.strip() else _as_text(value)
        words = locate(text, ordered, keys) if text else []
        if not words:
            out[key] = Evidence(round(fallback), (readable[0].number + 1) if readable else 1, (0.0, 0.0, 1.0, 1.0))
            continue
        page = words[0].page
        width, height = sizes.get(page, (1.0, 1.0))
        on_page = [w for w in words if w.page == page]
        box = (min(w.x0 for w in on_page) / width, min(w.top for w in on_page) / height,
               max(w.x1 for w in on_page) / width, max(w.bottom for w in on_page) / height)
        x0, top, x1, bottom = (round(min(max(v, 0.0), 1.0), 4) for v in box)
        if schema is not None and key in schema and not isinstance(schema[key].type, Text) and isinstance(text, str):
            words = _agreeing(words, text, schema[key], value)
        sure = _narrative_conf(words) if schema is not None and _narrative(schema, key) else _min_conf(words)
        if schema is not None and key in schema and (implausible(schema[key], value) or marred(schema[key], value)):
            sure = min(sure, IMPLAUSIBLE_CONFIDENCE)
        if schema is not None and key in schema and isinstance(text, str) and stroke_for_yes(text):
            sure = min(sure, IMPLAUSIBLE_CONFIDENCE)  # "/ ☐ No" read as Yes: the Yes box and its word were lost
        if schema is not None and misnamed(key, value, values):
            sure = min(sure, IMPLAUSIBLE_CONFIDENCE)
        out[key] = Evidence(_checked(key, value, round(sure)), page + 1, (x0, top, x1, bottom))
    return out


IMPLAUSIBLE_CONFIDENCE = 50  # a value its question's kind says is unlikely: a person confirms it

# who a parent or carer is to the young person, in the words forms use
_RELATIONSHIPS = frozenset(["mother", "father", "mum", "mummy", "mom", "dad", "daddy", "parent", "parents", "carer", "carers", "guardian", "guardians", "legal", "special", "kinship", "foster", "adoptive", "step", "stepmother", "stepfather", "stepmum", "stepdad", "grandmother", "grandfather", "grandma", "grandad", "grandpa", "granny", "nan", "nana", "grandparent", "grandparents", "aunt", "auntie", "aunty", "uncle", "sister", "brother", "sibling", "cousin", "great", "family", "friend", "relative", "corporate", "social", "worker", "key", "residential", "home", "manager", "other", "birth", "biological", "and", "of", "the", "in", "law", "partner"])
# first names starting with a capital I that OCR reads with a T or an l ("Tan Pettit", "lan Moss" for Ian): a name
# token that is one of these with its I so read is no sure reading
_I_NAMES = frozenset(["ian", "ivan", "isla", "iris", "isaac", "ivy", "imogen", "isabel", "isabella", "isabelle", "isobel", "ibrahim", "idris", "ilyas", "ines", "ina", "ida", "irene", "ismail", "ivo", "ira", "isaiah", "iman", "inaya", "isha", "ishaan", "ilana", "imran", "ilse", "ingrid", "ike"])
_I_READ_AS = ("T", "l", "1", "|")  # a capital I as OCR misreads it: "Tan", "lan", "1an"
_FIRST_NAMES = ("forename", "preferred_name")


def implausible(field: Field, value: Any) -> bool:
    """Whether a value read by OCR is unlikely for its question, so its reading is doubtful whatever Tesseract's
    confidence (a wrong value trusted goes into a letter unchecked): a UK telephone number is 0 and 10 digits
    (9 for a few old numbers) and never starts 00, 04 or 06 ('04553555044' for 01553 555 044); a relationship
    written in words one letter away from a known one is a misreading ('Mothef'); a person's name whose word
    is a first name beginning with I read with a T, an l or a 1 ('Tan', 'lan' for Ian)."""
    if not isinstance(value, str):
        return False
    kind = field.type.name
    if kind == "phone":
        digits = value.lstrip("+")
        if value.startswith("+"):
            return digits.startswith("44") and not 11 <= len(digits) <= 12
        return not (digits.startswith("0") and len(digits) in (10, 11) and digits[1:2] not in ("0", "4", "6"))
    if field.key.endswith("relationship"):
        words = re.findall(r"[a-z]+", value.lower())
        return any(w not in _RELATIONSHIPS and _near(w, _RELATIONSHIPS) for w in words)
    if field.key.endswith(_FIRST_NAMES):
        words = value.split()
    elif (field.key.endswith("_name") and not field.key.startswith("school")) or field.key == "consent_given_by":
        words = value.split()[:-1]  # a full name: its last word is a surname ("Tom Tan")
    else:
        return False
    return any(w[:1] in _I_READ_AS and "i" + w[1:].lower() in _I_NAMES for w in words)


# words a written answer does not end on: an answer that does was cut short (its next line in the cell not read)
_UNFINISHED = frozenset(["to", "and", "the", "of", "a", "an", "for", "with", "at", "in", "on", "or", "by", "from",
                         "into", "as", "but", "than", "their", "his", "her", "its", "our", "very"])
# marks no answer holds as a word of its own: a ruled line's or a speck's reading ("ME/CFS _— service", "Ferrier «")
_STRAY_TOKEN = re.compile(r"^(?=(?:\W|_)+$)(?:.*[_«»~|^•·°©®¬¦‖\\]|.*[—–][—–_-]|.*-[—–_])")
_NAMES = ("_name", "forename", "surname", "consent_given_by", "_coordinator", "social_worker", "_role")


def marred(field: Field, value: Any) -> bool:
    """Whether a text answer read by OCR shows the marks of a wrong reading, so a person confirms it whatever
    Tesseract's confidence: it ends on a word no answer ends on ("…short journeys to": the rest of the cell not
    read); it holds a word of stray marks ("_—", "«"); an email that does not start and end with a letter or digit
    ("-nat.brightwell@…"); a name, role or address with a lone "I", "l" or "|" as a word ("I Callum": a cell's
    side), or a name starting with a single letter before two more words."""
    if not isinstance(value, str) or not value.strip():
        return False
    kind = field.type.name
    words = value.split()
    if kind == "email":
        return not (value[:1].isalnum() and value[-1:].isalnum())
    if kind != "text":
        return False
    if words[-1].lower() in _UNFINISHED or any(_STRAY_TOKEN.match(w) for w in words):
        return True
    if field.key.endswith(_NAMES) or field.key.endswith("address"):
        if any(w in ("I", "l", "|") for w in words):
            return True
        return len(words) >= 3 and len(words[0]) == 1 and words[0].isalpha() and field.key.endswith(_NAMES)
    return False


def misnamed(key: str, value: Any, values: dict[str, Any]) -> bool:
    """Whether an email made of its person's initial and surname ("lpennington@…" for Lucy Pennington) was read
    with an initial that is not theirs and that OCR confuses with it ("ipennington@…": l, i, I and 1 look alike
    on a scan, and Tesseract reads either at 96): the person's name on the same form says the reading is
    doubtful."""
    name = values.get(key.removesuffix("_email") + "_name") if key.endswith("_email") else None
    if not isinstance(value, str) or not isinstance(name, str) or "@" not in value:
        return False
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    local = value.split("@", 1)[0].lower()
    if len(words) < 2 or len(local) < 4 or local[0] not in "il1|" or words[0][0] == local[0]:
        return False
    return words[0][0] in "il" and local[1:].lstrip(".").startswith(words[-1])


def _near(word: str, known: frozenset[str]) -> bool:
    """Whether `word` (4 letters or more) is one letter away from a known word (one changed, added or dropped)."""
    if len(word) < 4:
        return False
    return any(abs(len(k) - len(word)) <= 1 and Levenshtein.distance(word, k, score_cutoff=1) <= 1 for k in known
               if len(k) >= 4)


def _agreeing(words: list[OcrWord], text: str, field: Field, value: Any) -> list[OcrWord]:
    """The words, each whose second reading gives the same value under the field's type counted as read twice."""
    out = []
    for w in words:
        if w.again and w.again != w.text and w.text in text:
            try:
                same = field.type.convert(as_typed(text.replace(w.text, w.again, 1), field)) == value
            except ValueError:
                same = False
            if same:
                w = replace(w, conf=100 - (100 - w.conf) * (100 - w.again_conf) / 100)
        out.append(w)
    return out


_NARRATIVE_WORDS = 5  # one doubtful word allowed in this many


def _narrative(schema: FormSchema, key: str) -> bool:
    """A free-text account over several lines, not an address (where letters go: every word counts)."""
    if key not in schema:
        return False
    kind = schema[key].type
    return isinstance(kind, Text) and kind.multiline and not key.endswith("address")


def _narrative_conf(words: list[OcrWord]) -> float:
    """A narrative answer's confidence: its least sure word's once one in `_NARRATIVE_WORDS` is set aside."""
    confs = sorted(w.conf for w in words if not _PUNCT.match(w.text) or w.mark)
    if not confs:
        return 0.0
    return confs[min(len(confs) - 1, len(confs) // _NARRATIVE_WORDS)]


def _checked(key: str, value: Any, confidence: int) -> int:
    """A value that carries its own check (a UPN's DfE check letter) and passes it was read right, whatever
    Tesseract's doubt about its spacing: a misread character would break the check (1 in 23 slips by)."""
    if key.endswith("_upn") and isinstance(value, str) and len(value) == 13 and not is_temporary(value) \
            and upn_problem(value) is None:
        return max(confidence, CHECKED_CONFIDENCE)
    return confidence


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return ""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return str(value)


def attach(extraction: Extraction, found: dict[str, Evidence], scan: Scan) -> None:
    """Store confidences and boxes with the extraction (kept in the case store with it)."""
    extraction.confidence = {key: e.confidence for key, e in found.items()}
    extraction.ocr = {"pages": scan.layout(),
                      "fields": {key: {"page": e.page, "box": list(e.box)} for key, e in found.items()}}


@dataclass(frozen=True)
class UncertainValue:
    """A value the desk should box on the page for a person to confirm or key in."""

    key: str
    value: Any
    confidence: int
    page: int  # 1-based
    box: tuple[float, float, float, float]  # x0, top, x1, bottom as fractions of the upright page


def field_boxes(extraction: Extraction) -> dict[str, tuple[int, tuple[float, float, float, float]]]:
    """Every OCR-read field's (page, box) — empty for a document not read by OCR."""
    fields = (extraction.ocr or {}).get("fields") or {}
    return {key: (int(v["page"]), (float(v["box"][0]), float(v["box"][1]), float(v["box"][2]), float(v["box"][3])))
            for key, v in fields.items()}


def uncertain_values(extraction: Extraction, min_confidence: int = 80) -> list[UncertainValue]:
    """The OCR-read values under `min_confidence` (the `[ocr] min_confidence` setting), least sure first.

    The desk draws each `box` over page `page` (turned by that page's `rotation` in `extraction.ocr["pages"]`)
    for a person to confirm or correct; values read from a text layer or form fields are never listed.
    """
    boxes = field_boxes(extraction)
    out = [UncertainValue(key, extraction.fields.get(key), conf, *boxes.get(key, (1, (0.0, 0.0, 1.0, 1.0))))
           for key, conf in (extraction.confidence or {}).items() if conf < min_confidence]
    return sorted(out, key=lambda u: (u.confidence, u.key))
