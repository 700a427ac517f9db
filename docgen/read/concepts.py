"""A question in words no form uses, known by the ideas it names (the matcher's last resort, issue 19).

Each field may declare a concept (`Field.concept`, forms/): groups of words, every group named at least once
("hospital | ward | admitted" and "in-patient | now | currently" for `hospital_inpatient`), and a group of
words none of which may appear ("ever | past | discharged"). A text is a field's question when it names that
field's concept and no other field's: two fields named, none taken. Only a text that reads as a question is
looked at (`asked`: short, ending in "?" or ":", holding no answer), or one the page sets where its questions
stand (text.py), never running text.

Terms are lower-case words; a word ending in "*" is a stem ("absen*": absent, absence), a word without one
also stands for its plural ("day": days); words separated by spaces are a phrase ("just one number").
"""

from __future__ import annotations

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass

from docgen.forms.schema import Field, FormSchema
from docgen.read.abbreviations import expand

CACHE_MAX = 4096  # texts a matcher remembers at most
MAX_ASKED_WORDS = 20  # a question, however long, is never a paragraph
_GLYPHS = re.compile(r"[☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\]")
_LEAD_NUMBER = re.compile(r"^\s*(?:q(?:uestion)?\s*)?(?:\d{1,2}(?:\.\d{1,2})*|[a-h]|[ivx]{1,4})\s*[.):]\s*", re.I)
_POSSESSIVE = re.compile(r"'s\b")
_NOT_WORD_CHARS = re.compile(r"[^a-z0-9/]+")
_ANSWER_WORDS = {"yes", "no", "y", "n"}
# a question starting so is answered yes or no: never the question of a field whose answer is a name, a date, a number
_YES_NO_ASKING = {"is", "are", "was", "were", "does", "do", "did", "has", "have", "had", "will", "can", "could",
                  "should", "would"}


def concept_words(text: str) -> tuple[str, ...]:
    """The words a concept is looked for in: lower case, hyphens and other marks as spaces ("in-patient")."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = _POSSESSIVE.sub("", text)
    return tuple(expand(_NOT_WORD_CHARS.sub(" ", text).replace("/", " / ")).replace(" / ", " ").split())


def asked(text: str) -> bool:
    """A text that reads as a question or a label: a few words starting with a letter and ending in "?" or
    ":" (a required-star after it allowed), no tick box, no yes/no and no "@" in it (no answer run on after it)."""
    core = _LEAD_NUMBER.sub("", text.strip().rstrip("* ").strip())
    if not core.endswith(("?", ":")) or not core[:1].isalpha() or _GLYPHS.search(core) or "@" in core:
        return False
    words = concept_words(core)
    return 2 <= len(words) <= MAX_ASKED_WORDS and not _ANSWER_WORDS & set(words)


@dataclass(frozen=True)
class Concept:
    """One field's concept compiled: groups of phrases (each group named at least once) and excluded phrases."""

    groups: tuple[tuple[tuple[str, ...], ...], ...]
    excluded: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, groups: Sequence[str]) -> Concept:
        needed: list[tuple[tuple[str, ...], ...]] = []
        excluded: tuple[tuple[str, ...], ...] = ()
        for group in groups:
            terms = tuple(tuple(t.split()) for t in group.lstrip("!").split("|") if t.strip())
            if group.startswith("!"):
                excluded += terms
            else:
                needed.append(terms)
        return cls(tuple(needed), excluded)

    def rules_out(self, words: Sequence[str]) -> bool:
        """Whether `words` name a phrase the concept excludes ("guidance" for SEN support itself)."""
        seen = frozenset(words)
        return any(_has(words, seen, t) for t in self.excluded)

    def named_in(self, words: Sequence[str], present: Set[str] | None = None) -> bool:
        """Every group named in `words`, and no excluded phrase (`present`: the set of `words`, when known)."""
        seen = frozenset(words) if present is None else present
        return bool(self.groups) and all(any(_has(words, seen, t) for t in g) for g in self.groups) \
            and not any(_has(words, seen, t) for t in self.excluded)


def _word_is(word: str, term: str) -> bool:
    if term.endswith("*"):
        return word.startswith(term[:-1])
    return word == term or word == term + "s"


def _has(words: Sequence[str], seen: Set[str], phrase: tuple[str, ...]) -> bool:
    """`phrase` in `words`; `seen` (the set of `words`) rules out at once a phrase with a word not there."""
    for term in phrase:
        if not term.endswith("*") and term not in seen and term + "s" not in seen:
            return False
    n = len(phrase)
    if n == 1 and not phrase[0].endswith("*"):
        return True
    return any(all(_word_is(words[i + k], phrase[k]) for k in range(n)) for i in range(len(words) - n + 1))


class ConceptMatcher:
    """The fields of one schema that declare a concept, and the one a text names."""

    def __init__(self, schema: FormSchema) -> None:
        self._concepts: list[tuple[Field, Concept]] = [(f, Concept.parse(f.concept)) for f in schema.fields
                                                       if f.concept]
        self._cache: dict[str, Field | None] = {}  # texts already looked at: a form's questions repeat
        self._by_key = {f.key: c for f, c in self._concepts}

    def rules_out(self, f: Field, text: str) -> bool:
        """Whether `text` names a word `f`'s concept excludes: whatever else it holds, no question of `f`'s
        ("Have you looked at the SEN Support Guidance?" is not whether the pupil has SEN support)."""
        concept = self._by_key.get(f.key)
        return concept is not None and concept.rules_out(concept_words(text))

    def __bool__(self) -> bool:
        return bool(self._concepts)

    def match(self, text: str) -> Field | None:
        """The one field whose concept `text` names; None when none does, or more than one."""
        if text in self._cache:
            return self._cache[text]
        if len(self._cache) >= CACHE_MAX:  # every distinct line a backlog reads may pass here: keep memory flat
            self._cache.clear()
        found = self._cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> Field | None:
        words = concept_words(text)
        seen = frozenset(words)
        yes_no = bool(words) and words[0] in _YES_NO_ASKING
        found = [f for f, c in self._concepts if c.named_in(words, seen) and (not yes_no or f.type.name == "bool")]
        return found[0] if len(found) == 1 else None
