"""The person of a section: a bare question ("Tel", "Their job title", "Email") is about whoever its section is about.

A school's own form asks a person's details under that person's heading ("Parent/carer details", "Details of person
making the referral") or right after that person's own question ("Referrer: …", then "Position", "Direct line"):
the question names only the detail, the section names the person. The people are the schema's own: the first word
of every key with a `<person>_name` field (referrer, parent, dsl, senco, school, professional…), so no list of keys
is kept here. A bare question is written out with its person's word ("Parent Tel:") and taken when the matcher reads
that as one of this person's fields; the answer under it is then trusted as little as a question known by its
concept alone (labels.CONCEPT), and only for a field no question of the document names.

What sets the person: a heading naming one person ("<heading> name" or "name of <heading>" is that person's name
question; a table's row of one cell is a heading too), and every question the matcher knows (the person of its
field, or no one: "Date of birth" is the pupil's). What ends it: a heading naming no one person, and a question of
no known wording that names a detail, ends in ":" or "?", has its answer after its colon or stands first in its row
("GP name", "Emergency contact:"): it may be about anyone. No person, or a written-out question that is not that
person's field: nothing is read. A text starting in lower case, or ending on "of", "the"…, is a piece of a
question wrapped over lines, never a bare question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from docgen.forms.schema import FormSchema
from docgen.read.concepts import concept_words
from docgen.read.labels import LabelMatcher
from docgen.read.text import Line, Table

# the words of a question asking for one detail of a person and naming no one; at least one of `_DETAILS` in it
_DETAILS = {"name", "role", "position", "job", "title", "designation", "post", "email", "e", "mail", "telephone",
            "phone", "mobile", "line", "landline", "extension"}
_BARE = _DETAILS | {"full", "address", "number", "direct", "dial", "contact", "work", "their", "your", "his", "her",
                    "the", "of", "and", "or", "details"}
_MAX_BARE_WORDS = 5
_OPEN_ENDS = {"of", "the", "and", "or", "their", "your", "his", "her"}  # a question's first line, wrapped on below
_NUMBERING = re.compile(r"^\s*(?:(?:section|part|step)\s+)?(?:\d{1,2}|[a-h]|[ivx]{1,4})\s*[.):\-–—]\s*", re.I)
_FILLER = re.compile(r"\b(?:contact details|details|information|contacts?)\b", re.I)


@lru_cache(maxsize=16)
def persons(schema: FormSchema) -> frozenset[str]:
    """The people a schema asks about: the first word of each `<person>_name` key."""
    return frozenset(k[: -len("_name")] for k in schema.keys if k.endswith("_name") and k.count("_") == 1)


def _question(text: str) -> tuple[str, str]:
    """A text's question and what follows it on the same line: "Tel: 0770…" → ("Tel", ": 0770…")."""
    head, colon, rest = text.partition(":")
    return (head, colon + rest) if colon else (text, "")


@lru_cache(maxsize=4096)
def bare(text: str) -> bool:
    """Whether a question asks for a person's detail and names no one ("Their job title", "Direct line", "Email")."""
    if len(text) > 60 or text.strip()[:1].islower():
        return False  # a line starting in lower case: the rest of a question wrapped onto it ("Parent/carer" / "email")
    words = concept_words(text.rstrip(" *?"))
    return 0 < len(words) <= _MAX_BARE_WORDS and set(words) <= _BARE and not _DETAILS.isdisjoint(words) \
        and words[-1] not in _OPEN_ENDS


_LOOK_BACK = 120  # texts a bare question looks back over for its section's person, at most


class _People:
    """What each text of a document says of the person of its section (the matcher's answers are cached)."""

    def __init__(self, matcher: LabelMatcher) -> None:
        self.matcher = matcher
        self.people = persons(matcher.schema)
        self.rewritten: set[str] = set()

    def of_heading(self, text: str) -> str | None:
        """The one person a heading names, or None."""
        core = _FILLER.sub(" ", _NUMBERING.sub("", text)).strip(" -–—:")
        found = set()
        if core and len(core) <= 60:
            for probe in (f"{core} name", f"name of {core}"):
                f = self.matcher.match(probe)
                if f is not None:
                    found.add(f.key.split("_", 1)[0])
        return found.pop() if len(found) == 1 and found <= self.people else None

    def of_text(self, text: str, *, asking: bool) -> tuple[bool, str | None]:
        """(whether the text sets the person, the person it sets): a known question sets its field's person (or no
        one); a question of no known wording that names a detail, or stands where a question stands, sets no one;
        an answer, or a bare question, leaves the person as it was. `asking`: the first text of a row."""
        question, rest = _question(text.strip())
        if not question.strip() or len(question) > 200 or (bare(question) and self.matcher.match(question) is None):
            return False, None
        f = self.matcher.match(question)
        if f is None:
            detail = not _DETAILS.isdisjoint(concept_words(question))
            if detail:  # known by its concept as a question ("Email (referrer)"), or a question about anyone
                f = self.matcher.match(f"{question.rstrip(' *:')}:")
            if f is None:
                return detail or asking or bool(rest) or question.rstrip(" *").endswith(("?", ":")), None
        person = f.key.split("_", 1)[0]
        return True, person if person in self.people else None

    def written(self, text: str, person: str) -> str | None:
        """A bare question written out with its person's word, when the matcher reads that as this person's field."""
        question, rest = _question(text.strip())
        written = f"{person.capitalize()} {question.strip().rstrip(' *:')}:"
        f = self.matcher.match(written)
        if f is None or f.key.split("_", 1)[0] != person:
            return None
        self.rewritten.add(written)
        return written + rest[1:] if rest else written


# one text of a document in reading order: its text, its role ("heading", "row": a table's row of one cell,
# "asking": a row's first text, "text") and where it stands (a line's segment or a table's cell)
_Item = tuple[str, str, tuple[int, int, int]]


def sectioned(lines: Sequence[Line], tables: Sequence[Table], placed: Sequence[int],
              matcher: LabelMatcher) -> tuple[list[Line], list[Table], set[str]]:
    """Lines and tables with every bare question written out with the person of its section, and the questions so
    written. `placed`: per table, how many lines come before it (a Word file's); empty when the lines hold the
    tables' text too (a PDF's): each table then follows on from the line its first cell's text is found on.

    Only the texts before a bare question, back to the one that sets its person, are looked at."""
    if not persons(matcher.schema) or not _any_bare(lines, tables):
        return list(lines), list(tables), set()
    interleaved = len(placed) == len(tables)
    flow: list[_Item] = []  # the lines (and a Word file's tables among them) in reading order
    line_at: list[int] = []  # per line, where its first text is in `flow`
    own: list[list[_Item]] = [[] for _ in tables]  # per table, its texts (a PDF's, whose lines hold them too)
    before: dict[int, list[int]] = {}
    for n, start in enumerate(placed if interleaved else ()):
        before.setdefault(start, []).append(n)
    for i, line in enumerate(lines):
        for n in before.get(i, ()):
            flow.extend(_table_items(n, tables[n]))
        line_at.append(len(flow))
        for j, seg in enumerate(line):
            role = "heading" if seg.heading else "asking" if j == 0 and len(line) > 1 else "text"
            flow.append((seg.text, role, (-1, i, j)))
    for n in range(len(tables)):
        if interleaved and placed[n] >= len(lines):
            flow.extend(_table_items(n, tables[n]))
        elif not interleaved:
            own[n] = _table_items(n, tables[n])
    people = _People(matcher)
    out_lines = [list(line) for line in lines]
    out_tables = [[list(row) for row in table] for table in tables]
    starts = [] if interleaved else _starts(lines, tables)
    sequences = [(flow, None)] + [(own[n], line_at[starts[n]] if 0 <= starts[n] < len(line_at) else None)
                                  for n in range(len(tables)) if own[n]]
    for items, tail in sequences:
        for k, (text, role, (n, r, c)) in enumerate(items):
            question = _question(text.strip())[0]
            if role == "heading" or not bare(question) or matcher.match(question) is not None:
                continue
            person = _person_before(people, items, k, flow if tail is not None else None, tail or 0)
            written = people.written(text, person) if person else None
            if written is None:
                continue
            if n < 0:
                out_lines[r][c] = replace(out_lines[r][c], text=written)
            else:
                cell = out_tables[n][r][c] or ""
                under = cell.partition("\n")[2]
                out_tables[n][r][c] = written + ("\n" + under if under else "")
    return out_lines, out_tables, people.rewritten


def _person_before(people: _People, items: list[_Item], k: int, tail: list[_Item] | None, at: int) -> str | None:
    """The person of the section at items[k]: the nearest text before it that sets one (then, for a PDF's table,
    the page's lines before the table); None when none does within `_LOOK_BACK` texts."""
    chain = [(items, k)] + ([(tail, at)] if tail is not None else [])
    looked = 0
    for seq, end in chain:
        for idx in range(end - 1, -1, -1):
            looked += 1
            if looked > _LOOK_BACK:
                return None
            text, role, _where = seq[idx]
            if role == "heading" or (role == "row" and people.matcher.match(text) is None and not bare(text)):
                return people.of_heading(text)
            sets, person = people.of_text(text, asking=role in ("asking", "row"))
            if sets:
                return person
    return None


def _table_items(n: int, table: Table) -> list[_Item]:
    out: list[_Item] = []
    for r, row in enumerate(table):
        filled = [c for c in row if c and c.strip()]
        first = True
        for c, cell in enumerate(row):
            if cell is None or not cell.strip():
                continue
            role = "row" if len(filled) == 1 and len(row) > 1 else "asking" if first and len(filled) > 1 else "text"
            out.append((cell.partition("\n")[0], role, (n, r, c)))
            first = False
    return out


def _any_bare(lines: Sequence[Line], tables: Sequence[Table]) -> bool:
    return any(bare(_question(s.text)[0]) for line in lines for s in line) or any(
        bare(_question((c or "").partition("\n")[0])[0]) for t in tables for row in t for c in row if c)


def _starts(lines: Sequence[Line], tables: Sequence[Table]) -> list[int]:
    """Per table, the line its first cell's text starts on (searched on from the last table's), or -1."""
    out: list[int] = []
    cursor = 0
    for table in tables:
        first = next((c.partition("\n")[0].strip() for row in table for c in row if c and c.strip()), "")
        found = -1
        if first:
            for i in range(cursor, len(lines)):
                if any(s.text and first.startswith(s.text.strip()) and len(s.text.strip()) >= 2 for s in lines[i]):
                    found = cursor = i
                    break
        out.append(found)
    return out
