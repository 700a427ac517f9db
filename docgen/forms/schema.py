"""The data dictionary's building blocks: Field and FormSchema (SPEC §3).

Each form kind declares its fields once (forms/referral.py, …); readers, the
blank-form generator, the rules and the letter contexts all read that declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from docgen.forms.types import MAX_TEXT, FieldType

Values = Mapping[str, Any]


_NOTES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_LABEL_CHARS = re.compile(r"[^a-z0-9/ ]+")
_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Reduce a printed label to its comparable core (case, spacing, punctuation, `*`, `:`, notes)."""
    text = text.lower().replace("&", " and ").replace("’", "'")
    text = _NOTES.sub(" ", text)  # parenthesised notes
    text = _NOT_LABEL_CHARS.sub(" ", text)
    text = text.replace("/", " / ")
    return _SPACES.sub(" ", text).strip(" /")


@dataclass(frozen=True)
class Field:
    """One question of a form: key (the contract), printed label, aliases, type, required-ness."""

    key: str
    label: str
    type: FieldType
    required: bool = False
    aliases: tuple[str, ...] = ()
    required_if: Callable[[Values], bool] | None = None
    required_note: str = ""  # e.g. "if on roll": printed beside the label on blank forms
    help: str = ""
    # the ideas its question names, for a question worded as no label or alias is (read/concepts.py): groups of
    # words ("a|b" either), every group named at least once, and a group starting "!" of words never in it
    concept: tuple[str, ...] = ()

    def is_required(self, values: Values) -> bool:
        if self.required:
            return True
        return self.required_if(values) if self.required_if else False

    @property
    def labels(self) -> tuple[str, ...]:
        """The printed label first, then its aliases."""
        return (self.label, *self.aliases)

    @property
    def match_keys(self) -> tuple[str, ...]:
        """Normalised spellings this field answers to, including the label's parenthesised alias."""
        keys = [normalise_label(x) for x in self.labels]
        for note in re.findall(r"\(([^)]*)\)", self.label):
            for part in re.split(r"[;,]", note):
                if part.strip() and not re.search(r"\b(if|only|e ?g|weeks)\b", part.lower()):
                    keys.append(normalise_label(part))
        return tuple(dict.fromkeys(k for k in keys if k))


@dataclass(frozen=True)
class FormSchema:
    """A form kind: its title (and title variants for classification) and its fields in order."""

    kind: str
    title: str
    fields: tuple[Field, ...]
    title_aliases: tuple[str, ...] = ()
    # how classification recognises its printed title: regular expressions over the lower-cased text with
    # spaces collapsed; every title and alias above must match one (tests/forms/test_classify.py)
    title_patterns: tuple[str, ...] = ()
    intro: str = ""
    _by_key: dict[str, Field] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = [f.key for f in self.fields]
        duplicates = {k for k in keys if keys.count(k) > 1}
        if duplicates:
            raise ValueError(f"{self.kind}: duplicate field keys {sorted(duplicates)}")
        self._by_key.update({f.key: f for f in self.fields})

    def __getitem__(self, key: str) -> Field:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.title_aliases)

    def convert(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """Convert raw values by key; return (values for every key, warnings for unreadable ones).

        A value that cannot be read as its type becomes None and a warning naming the label;
        `invalid_keys` below recovers which keys those were.
        """
        values: dict[str, Any] = {}
        warnings: list[str] = []
        for f in self.fields:
            raw_value = raw.get(f.key)
            if isinstance(raw_value, str) and len(raw_value) > MAX_TEXT:  # cut, and said so (never silently)
                warnings.append(f"{LONG_PREFIX}{f.key}: '{f.label}' is {len(raw_value):,} characters long; only the"
                                f" first {MAX_TEXT:,} are kept — read the rest in the original document")
            try:
                values[f.key] = f.type.convert(raw_value)
            except ValueError as exc:
                values[f.key] = None
                warnings.append(f"{INVALID_PREFIX}{f.key}: '{f.label}': {exc}")
        return values, warnings

    def missing(self, values: Values) -> list[Field]:
        """Required fields (incl. conditionally required ones) that have no value."""
        return [f for f in self.fields if f.is_required(values) and values.get(f.key) is None]


INVALID_PREFIX = "invalid "
LONG_PREFIX = "cut short "


def invalid_keys(warnings: Iterable[str]) -> list[str]:
    """The keys named by `FormSchema.convert`'s 'invalid <key>: …' warnings."""
    return [w[len(INVALID_PREFIX):].split(":", 1)[0] for w in warnings if w.startswith(INVALID_PREFIX)]
