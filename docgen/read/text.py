"""Label → value pairs from a document's layout: table rows and lines of positioned text.

Readers (PDF text layer, DOCX paragraphs and tables) reduce a document to `Content`:
lines of segments (runs of words with their x-positions), tables (rows of cell texts)
and any form fields they could read directly. This module turns tables and lines into
`RawField`s for one schema; it knows layouts, not file formats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from docgen.forms.types import Text, lone_middle_mark, mark_side, typed_marks
from docgen.read.concepts import asked
from docgen.read.labels import CONCEPT, LabelMatcher, RawField

GLYPHS = "☒☐☑■□⊠✓✔✗✘"
_LEAD_MARK = re.compile(r"^\s*([☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])\s*(\S.*)$", re.S)
_TRAIL_MARK = re.compile(r"^(.*?\S)\s*([☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])\s*$", re.S)
_ANSWER_MARKS = re.compile(
    r"\s((?:yes|no|y|n)\s*(?:[☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])|(?:[☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])\s*(?:yes|no|y|n)\b)",
    re.I,
)
_LONE_MARK = re.compile(r"^\s*([☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])\s*$")
_ANSWERISH = re.compile(r"\w|[☒☐☑■□⊠✓✔✗✘]")
_UNTICKED_ONLY = re.compile(r"^([☐□]|\[\s*\]|\(\s*\)|no|n|-|–)$", re.I)
_NOTE_ONLY = re.compile(r"^\([^()]*\)?\s*[*:]*$")
# a label's bracketed note whose "(" a scan read as a letter ("Gif EHCP)"), or only its start ("Gf", the rest
# wrapped to the next line): never an answer
_NOTE_MISREAD = re.compile(r"^[GC]i?f(?:\s[^()]*\))?$")
# what ends on a label's "(if …)" note is the rest of the label, read too poorly to match, never an answer
_ENDS_ON_NOTE = re.compile(r"[({]\s*if\b[^()]*\)?\s*[*:]*$", re.I)
# what a question's label may end with on a line of its own, below its words: the required-star, a bracketed note
# ("* (DD/MM/YYYY)", "(if looked after)"); never a question nor an answer
_LABEL_TAIL = re.compile(r"^(?=.*[*)])\W?\w?[*:\s]*(?:\([^()]*\)?[*:\s]*)*$")  # "o*": a speck before its star
_SPECK_ONLY = re.compile(r"^[^\w☒☐☑■□⊠✓✔✗✘(\[]{1,2}$")  # one or two marks, no letter, digit or box
_ASKED = re.compile(r"^[^\n]{3,}[?:]\s*\n\s*\S")  # a cell's first line ending its question, its answer under it
_QUESTION = re.compile(r"^(?=(?:.*?[A-Za-z]{2,}){2}).*[A-Za-z)][?:]{1,2}\s*$", re.S)  # worded as no form's: no answer
_SECTION = re.compile(r"^\s*(section|part|step|page)\s+(\d+|[a-h]|one|two|three|four|five)\b", re.I)
_OWN_WORDS = re.compile(r"^[a-z][a-z' -]{0,40}$")  # lower-case words alone: a question's last words, no answer
# a line that asks its own question: a capitalised question ending in ":" or "?", alone or with its answer after it
# ("Pref. name:", "M/F: Male", "1st day absent: 01/09/2026"); whether or not its wording is known, never the next
# line of the answer above it
_OWN_QUESTION = re.compile(r"^\W{0,3}(?:\d+(?:st|nd|rd|th)\s+[a-z]|[A-Z])[^:?\n]{0,100}?[A-Za-z).][?:]{1,2}(?:\s|$)")


def own_question(text: str) -> bool:
    """Whether a line asks its own question (answered on it or not): never the next line of an answer above."""
    return _OWN_QUESTION.match(text) is not None


def own_line(text: str) -> bool:
    """Whether a line starts anew (its own question, or a ticked or unticked item): never a paragraph's wrap."""
    return own_question(text) or _LEAD_MARK.match(text) is not None


# the rest of a question after the words a label was known by, up to its colon, then its answer ("no.: Z8732…")
_OWN_TAIL = re.compile(r"^[^\W\d][^:?\d@]{0,20}?[.)\w][?:]{1,2}\s*(\S.*)$")
_ANSWERED_ON_LINE = re.compile(r"^[^:?\n]*[A-Za-z).][?:]{1,2}\s+\S")  # a question, then its answer after its colon
_VALUE_STOP = {"the", "will", "is", "are", "and", "of", "to", "be", "has", "have", "must", "should", "may", "can",
               "in", "on", "for", "a", "an", "as", "with", "that", "which", "was", "were", "this"}


@dataclass(frozen=True)
class Seg:
    """A run of words on one line; x0/x1 in points (0 when the reader has no positions)."""

    text: str
    x0: float = 0.0
    x1: float = 0.0
    heading: bool = False
    top: float = 0.0
    bottom: float = 0.0


Line = list[Seg]
Table = list[list[str | None]]


@dataclass
class Content:
    """What a reader found in a document, before any schema is applied."""

    text: str = ""
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    fields: list[RawField] = field(default_factory=list)
    head: str = ""  # headers and the first lines: where a title is looked for
    warnings: list[str] = field(default_factory=list)
    positioned: bool = False
    continued: list[bool] = field(default_factory=list)  # per table: it may carry on from the one before
    # per table: how many of `lines` come before it, where the lines do not hold the tables' text (a Word file's
    # paragraphs and tables); empty when they do (a PDF's page text)
    placed: list[int] = field(default_factory=list)


def join_continued(tables: list[Table], continued: Sequence[bool], matcher: LabelMatcher) -> list[Table]:
    """Rejoin a table row split over a page break: the next page's first row finishes the last one when
    its label cell is empty or only completes the label ("CURRENT TREATMENT AND ITS" + "EFFECT ON …")."""
    out: list[Table] = []
    for n, table in enumerate(tables):
        if n < len(continued) and continued[n] and out and out[-1] and table and len(out[-1][-1]) == len(table[0]):
            last, first = out[-1][-1], table[0]
            head, tail = (last[0] or "").strip(), (first[0] or "").strip()
            joined = join_wrapped([head, tail])
            answerless = not any((c or "").strip() for c in first[1:])  # the rest of a label, no answer
            if head and (not tail or (matcher.match(joined) is not None and matcher.match(head) is None
                                      and (matcher.match(tail) is None or answerless))):
                merged: list[str | None] = [join_wrapped([a or "", b or ""]) for a, b in zip(last, first, strict=True)]
                out[-1] = [*out[-1][:-1], merged, *table[1:]]
                continue
        out.append(table)
    return out


def join_wrapped(parts: Sequence[str]) -> str:
    """Join the lines of wrapped text: a space between them, none after a hyphen that split a word."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        out = f"{out}{part}" if re.search(r"\w-$", out) else f"{out} {part}" if out else part
    return out


_MARKS_ONLY = re.compile(r"^\s*(?:(?:[☒☐☑■□⊠✓✔✗✘]|\[\s*[xX✓✔]?\s*\])\s*(?:yes|no|y|n)?\s*)+$", re.I)


def _option(cell: str) -> bool:
    """Whether a cell is one boxed option of a yes/no answer ("☐ Yes", "[X] No"): its words name the option."""
    return _MARKS_ONLY.match(cell) is not None and re.search(r"\b(?:yes|no|y|n)\b", cell, re.I) is not None


def ticked_item(text: str, matcher: LabelMatcher) -> str | None:
    """A checklist item in words no label uses, beside its tick box ("☒ Exit pass provided", "Quiet room offered |
    ☐"): the box makes the words a yes/no question, so the one yes/no field whose concept they name is theirs. The
    words are returned marked with a colon, as a question, for the matcher downstream; None when they name no
    yes/no field's concept, or two, or read as no question (a sentence, a tick box or answer in them)."""
    words = text.strip().rstrip(" *")
    if "\n" in words or words.endswith(".") or not asked(f"{words}:"):
        return None
    found = matcher.match_quality(f"{words}:")
    return f"{words}:" if found is not None and found[1] == CONCEPT and found[0].type.name == "bool" else None


def split_inline(text: str, matcher: LabelMatcher) -> tuple[str, str] | None:
    """Split one piece of text holding both a label and its answer; None when it does not."""
    text = text.strip()
    if not text:
        return None
    m = _LEAD_MARK.match(text)
    if m and matcher.match(m.group(2)) is not None:
        return m.group(2), m.group(1)
    if m and (ticked := ticked_item(m.group(2), matcher)) is not None:
        return ticked, m.group(1)
    if m and (prefix := split_prefix(m.group(2), matcher)) and _OWN_WORDS.match(prefix[1]):
        return prefix[0], m.group(1)  # "☒ Online learning provided": the box answers, the last words are the item's
    m = _ANSWER_MARKS.search(text)
    if m and matcher.match(text[: m.start()]) is not None:
        return text[: m.start()], text[m.start():].strip()
    m = _TRAIL_MARK.match(text)
    if m and matcher.match(m.group(1)) is not None:
        return m.group(1), m.group(2)
    for sep in (":", "?", "\n", "\t"):
        start = 0
        while (pos := text.find(sep, start)) > 0 and pos < 300:
            left = text[: pos + (1 if sep == "?" else 0)]
            right = text[pos + 1:].strip().lstrip(":").strip()
            if _NOTE_ONLY.match(right):  # "Question? (please give details)": a note, not the answer
                start = pos + 1
                continue
            if sep == ":" and matcher.match(left) is None and matcher.match(f"{left}:") is not None:
                left = f"{left}:"  # a question known by its concept only as a question: its colon kept
            if _ANSWERISH.search(right) and matcher.match(left) is not None and (
                    matcher.match(right) is None or _answer_after_colon(sep, text[pos + 1:], right)):
                return left, right
            start = pos + 1
    return None


def _answer_after_colon(sep: str, after: str, right: str) -> bool:
    """Whether text after a question's colon (or tab) on the same line is its answer although it reads as a
    label too ("Role of person making the referral: SENCO"): the position says answer unless it is itself a
    question (ends in ':' or '?') or starts another line (a cell of stacked questions)."""
    return sep in (":", "\t") and "\n" not in after.strip(" \t:") and not right.rstrip().endswith((":", "?"))


def split_prefix(text: str, matcher: LabelMatcher) -> tuple[str, str] | None:
    """Split "Surname McTest" (a label, then a short answer, no colon); cautious: a last resort."""
    words = text.split()
    if len(text) > 100 or not 2 <= len(words) <= 16:
        return None
    for n in range(min(len(words) - 1, 14), 0, -1):
        left, right = " ".join(words[:n]), " ".join(words[n:])
        if _NOTE_MISREAD.match(right) or _ENDS_ON_NOTE.search(right):
            return None
        if len(right) > 50 or right.split()[0].lower() in _VALUE_STOP:
            continue
        if matcher.match(left) is not None and matcher.match(right) is None:
            if own := _OWN_TAIL.match(right):
                return left, own.group(1)  # "UPN no.: Z8732…": the question goes on to its colon, the answer after
            return left, right
    return None


def _dedup(row: Sequence[str | None]) -> list[str]:
    cells: list[str] = []
    for cell in row:
        if cell is None:
            continue
        cells.append(cell.strip())
    return cells


def _label_head(cell: str, matcher: LabelMatcher) -> str | None:
    """The label at the start of a cell whose later lines are help text ("Home address\nincluding postcode")."""
    lines = [x for x in cell.split("\n") if x.strip()]
    for n in range(len(lines) - 1, 0, -1):
        head = " ".join(lines[:n])
        if matcher.match(head) is not None:
            return head
    return None


def _stacked(cell: str, matcher: LabelMatcher) -> tuple[str, str] | None:
    """A cell holding its question on its first line(s) and the answer on the lines under it ("Child's surname:" /
    "Penhallow"); None for a cell that is not one, or whose lines under the question are its help text
    ("Home address" / "including postcode", "(DD/MM/YYYY)")."""
    lines = [x.strip() for x in cell.split("\n") if x.strip()]
    for n in range(len(lines) - 1, 0, -1):
        head = " ".join(lines[:n])
        if matcher.match(head) is None:
            continue
        rest = "\n".join(lines[n:])
        if _NOTE_ONLY.match(rest) or (rest[:1].islower() and not re.search(r"[@\d]", rest)):
            return None
        return head, rest
    return None


def _stacked_row(cells: list[str], matcher: LabelMatcher) -> list[RawField] | None:
    """A row of questions side by side, each cell holding its question with the answer under it (a question grid:
    "Child's first name(s):" / "Lucian" | "Child's surname:" / "Penhallow"): each cell is read on its own, a
    question alone in its cell left blank. None when the row is not one (a cell of it is no question, or none
    has its answer in it): the next cell is then no other question's, and may be this one's answer."""
    filled = [c for c in cells if c]
    if len(filled) < 2:
        return None
    out: list[RawField] = []
    answered = False
    for cell in filled:
        if matcher.match(cell) is not None:
            out.append(RawField((cell,), None))
            continue
        found = _stacked(cell, matcher)
        if found is None and "\n" not in cell:
            found = split_inline(cell, matcher)
        if found is None and _ASKED.match(cell):
            found = cell.split("\n", 1)[0], cell.split("\n", 1)[1]  # a question worded as no form's: no answer for the next
        if found is None:
            return None
        answered = True
        out.append(RawField((found[0],), found[1]))
    return out if answered else None


def _yes_no_columns(cells: list[str], matcher: LabelMatcher) -> tuple[int, int] | None:
    """The Yes and No columns of a header row like ("", "Yes", "No") (a row holding no question)."""
    words = [c.strip().lower().strip(":") for c in cells]
    if "yes" in words and "no" in words and sum(1 for w in words if w) <= 4 \
            and not any(c and matcher.match(c) is not None for c in cells):
        return words.index("yes"), words.index("no")
    return None


def _marked(cell: str | None) -> bool:
    text = (cell or "").strip()
    return bool(text) and not _UNTICKED_ONLY.match(text)


def _without_spacers(rows: Table) -> Table:
    """Drop spacer columns: an inner column empty in every full-width row (label | gap | value)."""
    width = max((len(r) for r in rows), default=0)
    full = [r for r in rows if len(r) == width]
    if width < 3 or len(full) < 2:
        return rows
    def blank(c: int) -> bool:
        return all(not (r[c] or "").strip() for r in full)

    empty = {c for c in range(1, width - 1) if blank(c) and not all(blank(x) for x in range(c + 1, width))}
    if not empty:
        return rows
    return [[cell for c, cell in enumerate(r) if c not in empty] if len(r) == width else r for r in rows]


def _answer_columns(rows: Table, matcher: LabelMatcher) -> set[int]:
    """Columns of answers: right of a column of questions (most of its cells are labels) and mostly not labels
    themselves. The layout, not the words, says that a cell there is an answer."""
    width = max((len(r) for r in rows), default=0)
    full = [r for r in rows if len(r) == width and all(c is not None for c in r)]
    out: set[int] = set()
    if width < 2 or len(full) < 3:
        return out
    for c in range(1, width):
        questions = [r[c - 1] or "" for r in full if (r[c - 1] or "").strip()]
        answers = [r[c] or "" for r in full if (r[c] or "").strip()]
        if len(questions) < 3 or len(answers) < 2 or c - 1 in out:
            continue
        asked = sum(1 for x in questions if matcher.match(x) is not None)
        labelled = sum(1 for x in answers if matcher.match(x) is not None)
        if asked >= 0.6 * len(questions) and labelled < 0.4 * len(answers):
            out.add(c)
    return out


def pairs_from_table(rows: Table, matcher: LabelMatcher) -> list[RawField]:
    """Label cell → value cell; two pairs per row; a row of labels above a row of values; Yes/No columns."""
    out: list[RawField] = []
    skip = False
    grid: tuple[int, int] | None = None
    rows = _joined_label_wraps(_without_spacers(rows), matcher)
    answer_columns = _answer_columns(rows, matcher)
    # a table whose first column holds the form's questions (two rows or more start with one it knows): a
    # first cell there in other words is looked at for the concept it names (`_concept_cell`)
    question_column = sum(1 for row in rows if (first := next((c for c in row if c), None))
                          and matcher.match(first) is not None) >= 2
    for r, row in enumerate(rows):
        if skip:
            skip = False
            continue
        if grid is None and (found := _yes_no_columns([c or "" for c in row], matcher)):
            grid = found
            continue
        if grid is not None and len(row) > max(grid):
            label = next((c for c in row if c and matcher.match(c) is not None), None)
            if label is not None:
                yes, no = _marked(row[grid[0]]), _marked(row[grid[1]])
                value = None if yes == no else ("☒ Yes ☐ No" if yes else "☐ Yes ☒ No")
                out.append(RawField((label,), value))
                continue
        cells = _dedup(row)
        if (cell_by_cell := _stacked_row(cells, matcher)) is not None:
            out.extend(cell_by_cell)
            continue
        is_label = [bool(c) and matcher.match(c) is not None for c in cells]
        if len(cells) == len(row):  # the table's answer column holds answers, whatever they read like ("SENCO")
            is_label = [x and not (c in answer_columns and is_label[c - 1]) for c, x in enumerate(is_label)]
        below = _dedup(rows[r + 1]) if r + 1 < len(rows) else []
        single = len(cells) == 1 and len(below) == 1 and (
            len(cells[0].split()) >= 2 or cells[0].rstrip().endswith((":", "?")))
        if (sum(is_label) > 1 or single or len(cells) >= 3) and len(below) == len(cells) \
                and all(is_label[i] or (not c and not below[i]) for i, c in enumerate(cells)) and any(is_label) \
                and not any(c and (matcher.match(c) is not None or split_inline(c, matcher)) for c in below):
            out.extend(RawField((c,), v) for c, v in zip(cells, below, strict=True) if c)
            skip = True
            continue
        i = 0
        while i < len(cells):
            cell = cells[i]
            nxt = cells[i + 1] if i + 1 < len(cells) else None
            if is_label[i] and nxt is not None and (not is_label[i + 1] or _answers(cell, nxt, matcher)):
                options = [nxt]
                while _option(options[-1]) and i + 1 + len(options) < len(cells) and _option(cells[i + 1 + len(options)]):
                    options.append(cells[i + 1 + len(options)])  # "☐ Yes | ☐ No": the options, one answer
                out.append(RawField((cell,), " ".join(options)))
                i += 1 + len(options)
                continue
            if _LONE_MARK.match(cell) and nxt is not None and is_label[i + 1]:
                out.append(RawField((nxt,), cell))
                i += 2
                continue
            if question_column and i == 0 and len(cells) == 2 and nxt and not is_label[1] \
                    and (asked_cell := _concept_cell(cell, matcher)) is not None:
                out.append(RawField((asked_cell,), nxt))  # "Given names | Aditi": a question by its place
                i += 2
                continue
            if not is_label[i] and cell:
                head = _label_head(cell, matcher) if nxt is not None and not is_label[i + 1] else None
                split = None if head else split_inline(cell, matcher)
                if head:
                    out.append(RawField((head,), nxt))
                    i += 2
                    continue
                if split:
                    out.append(RawField((split[0],), split[1]))
                elif nxt is not None and _MARKS_ONLY.match(nxt) and (ticked := ticked_item(cell, matcher)):
                    out.append(RawField((ticked,), nxt))  # "Exit pass provided | ☒": a checklist's row
                    i += 2
                    continue
                elif len(cells) == 1 or nxt is None:
                    for line in cell.split("\n"):
                        piece = split_inline(line, matcher)
                        if piece:
                            out.append(RawField((piece[0],), piece[1]))
            i += 1
    return out


def _concept_cell(cell: str, matcher: LabelMatcher) -> str | None:
    """A table's first cell, in the column of its questions, worded as no label but naming one field's concept
    ("Total days of medical absence this academic year"): the question, its colon added so it reads as one
    (read/concepts.asked); None for a cell of several lines, a sentence, or one naming no concept or two."""
    text = cell.strip()
    if not text or "\n" in text or text.endswith(".") or not text[:1].isalpha() or len(text.split()) > 14 \
            or _LONE_MARK.match(text) or matcher.concept(text) is None:
        return None
    return text if text.rstrip(" *").endswith((":", "?")) else f"{text}:"


def _is_label(seg: Seg, matcher: LabelMatcher) -> bool:
    return not seg.heading and matcher.match(seg.text) is not None


def pairs_from_lines(lines: list[Line], matcher: LabelMatcher, *, positioned: bool) -> list[RawField]:
    """Pairs from lines of text: "Label: value", label then value below, label and value side by side."""
    out: list[RawField] = []
    used: set[tuple[int, int]] = set()
    if positioned:
        lines = [_rejoined_labels(line, matcher) for line in lines]
    lines = _column_questions(lines, matcher)
    answers = _answer_xs(lines, matcher)
    edge = max((s.x1 for line in lines for s in line), default=0.0) if positioned else float("inf")
    for i, line in enumerate(lines):
        for j, seg in enumerate(line):
            if (i, j) in used or seg.heading:
                continue
            found = _pair_at(lines, i, j, matcher, used, positioned=positioned, answers=answers, edge=edge)
            if found:
                out.append(RawField((found[0],), found[1], structured=False))
    return _placed_marks(out)


def _placed_marks(found: list[RawField]) -> list[RawField]:
    """Answers read "Yes ☒ No" (a scan lost one of their two boxes) given their lost box back on the side of its
    option the document's other answers print their boxes: "☐ Yes ☒ No" when every answer showing a side has
    its box before its option ("☒ Yes No"), "Yes ☒ No ☐" when after; left as read (no answer: a person reads it)
    when the document shows no side, or both."""
    texts = [typed_marks(r.value) if isinstance(r.value, str) else "" for r in found]
    sides = {side for text in texts if (side := mark_side(text))}
    if len(sides) != 1:
        return found
    side = sides.pop()
    return [replace(r, value=("☐ " + text if side == "before" else text + " ☐")) if lone_middle_mark(text) else r
            for r, text in zip(found, texts, strict=True)]


def _rejoined_labels(line: Line, matcher: LabelMatcher) -> Line:
    """A line with a question OCR parted at a word gap put back together ("Child's" | "surname:", split where
    another line's answer starts; "Referrer's" | "name:"): two pieces a word's gap apart that make a question."""
    out: Line = []
    for seg in line:
        if out:
            before = out[-1]
            joined = f"{before.text} {seg.text}"
            height = max(before.bottom - before.top, 1.0)
            if 0 <= seg.x0 - before.x1 <= 0.6 * height and not before.heading and not seg.heading \
                    and not before.text.rstrip().endswith((":", "?")) and matcher.match(joined) is not None:
                out[-1] = replace(before, text=joined, x1=seg.x1, top=min(before.top, seg.top),
                                  bottom=max(before.bottom, seg.bottom))
                continue
        out.append(seg)
    return out


_NEAR_LINES = 6  # lines above and below a text where the questions that place it in their column are looked for
_COLUMN = 3.0  # points: how far from a question's left edge another question of its column starts


def _column_questions(lines: list[Line], matcher: LabelMatcher) -> list[Line]:
    """Texts the page sets where its questions stand that name one field's concept (read/concepts.py), made
    questions: marked with a colon, as printed forms end theirs, so every later step (and the matcher again,
    downstream) reads them as one ("First day absent due to ill health" in the column of "Date of Birth",
    its answer under it). Such a text starts within a few points of another question's left edge on a line
    nearby (one made so above it counts), reads as a question would (a capital first, a few words, no full
    stop, no answer in it), is no answer of the line above (a question there with its answer still to come),
    no piece of a longer question, and no label already."""
    out = list(lines)
    for i, line in enumerate(lines):
        for j, seg in enumerate(line):
            text = seg.text.strip()
            if seg.heading or re.search(r"[.:?]$|[:?]\s", text) or not re.sub(r"^[\W\d]*", "", text)[:1].isupper() \
                    or not asked(text.rstrip(" *") + ":") or matcher.match(text) is not None \
                    or matcher.concept(text) is None or not _in_question_column(out, i, seg, matcher) \
                    or _awaited(lines, i, seg, matcher) or _wrapped(lines, i, j, matcher):
                continue
            marked = replace(seg, text=text.rstrip(" *") + ":")
            out[i] = [*out[i][:j], marked, *out[i][j + 1:]]
    return out


def _in_question_column(lines: list[Line], i: int, seg: Seg, matcher: LabelMatcher) -> bool:
    for n in range(max(0, i - _NEAR_LINES), min(len(lines), i + _NEAR_LINES + 1)):
        if n != i and any(abs(s.x0 - seg.x0) <= _COLUMN and _is_label(s, matcher) for s in lines[n]):
            return True
    return False


def _wrapped(lines: list[Line], i: int, j: int, matcher: LabelMatcher) -> bool:
    """Whether the text is a piece of a longer question: one cut short at a word gap or wrapped onto several
    lines (the first of a label's lines, or a line set tight under a line of words in its column that is no
    question of its own: "Unique Pupil" over "Number (UPN)")."""
    seg = lines[i][j]
    if seg.text.split()[-1].lower() in _VALUE_STOP or _wrapped_label(lines, i, j, matcher, positioned=True)[0]:
        return True  # words that stop short ("…on the roll of"), or a label's first line
    if j + 1 < len(lines[i]) and matcher.match(f"{seg.text} {lines[i][j + 1].text}") is not None:
        return True  # a question split at a wide gap ("…on the roll of" | "aschool?")
    if i == 0 or seg.bottom <= seg.top:
        return False
    height = seg.bottom - seg.top
    return any(abs(s.x0 - seg.x0) <= _COLUMN and 0 <= seg.top - s.bottom < 0.6 * height
               and not s.text.rstrip(" *").endswith((":", "?")) and not _is_label(s, matcher) for s in lines[i - 1])


def _awaited(lines: list[Line], i: int, seg: Seg, matcher: LabelMatcher) -> bool:
    """Whether the text sits where the answer of the question on the line above goes: under it, that question
    in the text's column with no answer beside it (nothing, or the next question of a row of them)."""
    if i == 0:
        return False
    above = lines[i - 1]
    for k, s in enumerate(above):
        if (abs(s.x0 - seg.x0) <= _COLUMN or s.x0 <= seg.x0 < s.x1) and _is_label(s, matcher):
            beside = above[k + 1] if k + 1 < len(above) else None
            if beside is None or _is_label(beside, matcher) or asked(beside.text):
                return True  # nothing beside it but the next question: its answer is below
    return False


def _x_bucket(x: float) -> int:
    return round(x / 6)


def _answer_xs(lines: list[Line], matcher: LabelMatcher) -> frozenset[int]:
    """Where answers start on the page: the x of text right beside a question, when at least three lines put
    text there and most of it is not a label (an answer column; a second column of questions is not one)."""
    counts: dict[int, list[int]] = {}
    for line in lines:
        for j in range(1, len(line)):
            if _is_label(line[j - 1], matcher):
                tally = counts.setdefault(_x_bucket(line[j].x0), [0, 0])
                tally[0] += 1
                tally[1] += _is_label(line[j], matcher) or bool(_QUESTION.match(line[j].text))
    return frozenset(b for b, (n, labels) in counts.items() if n >= 3 and labels < 0.4 * n)


def _in_answer_column(seg: Seg, answers: frozenset[int]) -> bool:
    bucket = _x_bucket(seg.x0)
    return bool(answers) and (bucket in answers or bucket - 1 in answers or bucket + 1 in answers)


def _pair_at(lines: list[Line], i: int, j: int, matcher: LabelMatcher, used: set[tuple[int, int]], *,
             positioned: bool, answers: frozenset[int] = frozenset(),
             edge: float = float("inf")) -> tuple[str, str | None] | None:
    seg = lines[i][j]
    if _LONE_MARK.match(seg.text) and j + 1 < len(lines[i]) and _is_label(lines[i][j + 1], matcher):
        used.update({(i, j), (i, j + 1)})
        return lines[i][j + 1].text, seg.text
    split = split_inline(seg.text, matcher)
    if split and split[1] not in {"", ":"}:
        used.add((i, j))
        if positioned and len(lines[i]) == 1 and not _LONE_MARK.match(split[1]):  # a box alone: the whole answer
            return split[0], "\n".join([split[1], *_line_breaks(lines, i, used, matcher, listed=own_question(split[1]))])
        return split
    label, k = _wrapped_label(lines, i, j, matcher, positioned=positioned)
    if label is None and positioned and j + 1 < len(lines[i]) and (i, j + 1) not in used \
            and matcher.match(seg.text) is None and not _is_label(lines[i][j + 1], matcher):
        joined = f"{seg.text} {lines[i][j + 1].text}"
        if matcher.match(joined) is not None:  # a question OCR split at a wide gap ("…on the roll of | aschool?")
            used.add((i, j + 1))
            label, k = joined, 0
    colon = False
    own = ""  # a question's own last words taken for its answer, when no answer stands under it
    if label is None and positioned and (wrapped := _wrapped_inline(lines, i, j, matcher, used)):
        return wrapped
    if label is None:
        if seg.text.rstrip().endswith(":") and matcher.match(seg.text) is not None:
            label, k, colon = seg.text, 0, True
        else:
            if j == len(lines[i]) - 1 or not positioned:
                prefix = split_prefix(seg.text, matcher)
                if prefix and not (positioned and _OWN_WORDS.match(prefix[1].rstrip(":?"))):
                    used.add((i, j))
                    return prefix
                if prefix:  # "Parent/carer phone number": the question's own last words, its answer under it
                    label, k, own = prefix[0], 0, prefix[1]
            if label is None:
                return None
    colon = colon or label.rstrip().endswith(":")
    used.add((i, j))
    for d in range(1, k + 1):
        used.update((i + d, jj) for jj in _continuation(lines[i + d], seg))
    # answer to the right, on the label's lines, up to the next label of the row
    boundary = float("inf")
    for jj in range(j + 1, len(lines[i])):
        s = lines[i][jj]
        if jj == j + 1 and _in_answer_column(s, answers) and not split_inline(s.text, matcher):
            continue  # right beside the question, in the answer column: its answer, even if it reads as a label
        if (i, jj) not in used and (_is_label(s, matcher) or split_inline(s.text, matcher) or _QUESTION.match(s.text)
                                    or (jj + 1 < len(lines[i]) and _QUESTION.match(f"{s.text} {lines[i][jj + 1].text}"))
                                    or _wrapped_label(lines, i, jj, matcher, positioned=positioned)[0]):
            boundary = s.x0
            break
    right: list[str] = []
    right_x = 0.0
    tail = False
    for d in range(0, k + 1):
        for jj, s in enumerate(lines[i + d]):
            if (i + d, jj) in used or (d == 0 and jj <= j) or s.x0 <= seg.x0 or s.x0 >= boundary:
                continue
            if (not right or s.x1 < right_x - 2) and _LABEL_TAIL.match(s.text):
                used.add((i + d, jj))  # the label's own star or note set apart from its words: not the answer
                tail = True
                continue
            right.append(s.text)
            right_x = right_x or s.x0
            used.add((i + d, jj))
    if right:
        if positioned and right_x > seg.x0 + 20:
            _continue_value(lines, i + k + 1, right_x, right, used, matcher, band=(seg.x0 if j else float("-inf"), boundary))
            if boundary == float("inf"):
                right.extend(_paragraph_wrap(lines, i + k, seg.x0, edge, used, matcher))
        return label, join_wrapped(right) if positioned else "\n".join(right)
    if tail:
        return label, None  # a question whose answer would have been beside its star: left blank
    # answer below the label
    n = i + k + 1
    if n < len(lines):
        label_bottom = max((s.bottom for s in lines[i + k]), default=0.0)
        height = max(seg.bottom - seg.top, 6.0)
        below = [(jj, s) for jj, s in enumerate(lines[n]) if (n, jj) not in used
                 and (not positioned or (seg.x0 - 20 <= s.x0 <= max(seg.x1, seg.x0 + 120)
                                         and -2 <= s.top - label_bottom <= 2.5 * height))]
        if below and positioned and _own_wrap(below[0][1], seg, label_bottom, answers):
            used.add((n, below[0][0]))
            return label, None  # the question's own last words wrapped under it, its answer column left blank
        if below:
            jj, s = below[0]
            beside = any((n, x) not in used and _starts_label(lines, n, x, matcher, positioned=positioned)
                         for x in range(jj))  # a question beside the answer (never one taken as an answer)
            # a word under a question naming that question's own field, its answer going on beside it, is the
            # answer's first word ("Year" | "7" under "NC Year group:"): a question is never followed by itself
            itself = matcher.match(s.text) is not None and matcher.match(s.text) is matcher.match(label) \
                and _answer_goes_on(lines[n], jj, matcher)
            if not beside and (itself or not _starts_label(lines, n, jj, matcher, positioned=positioned)) \
                    and not s.heading \
                    and not s.text.rstrip().endswith(":") and (colon or len(s.text) <= 200) \
                    and not _SECTION.match(s.text) and not _heading_between(lines, n, jj, matcher, answers):
                used.add((n, jj))
                if positioned and len(lines[n]) == 1:
                    return label, "\n".join([s.text, *_line_breaks(lines, n, used, matcher, listed=own_question(s.text))])
                if positioned:
                    run = _run_under(lines, n, jj, boundary, used, matcher)
                    if len(run) == 1:
                        run.extend(_options_after(lines, n, jj, used, lines[i][j + 1:]))
                    return label, " ".join([*run, *_wrapped_under(lines, n, jj, boundary, used, matcher)])
                return label, " ".join([s.text, *_options_after(lines, n, jj, used, lines[i][j + 1:])])
    return (label, own) if own else (label, None)


def _answer_goes_on(line: Line, jj: int, matcher: LabelMatcher) -> bool:
    """Whether the text at line[jj] has more of an answer beside it, a word's gap away: no question."""
    if jj + 1 >= len(line):
        return False
    s, after = line[jj], line[jj + 1]
    height = max(s.bottom - s.top, 1.0)
    return 0 <= after.x0 - s.x1 <= 3.5 * height and not _is_label(after, matcher) and not asked(after.text)


def _own_wrap(s: Seg, seg: Seg, label_bottom: float, answers: frozenset[int]) -> bool:
    """Whether the text under a question is the question's own words wrapped onto the next line ("child's" under
    "Parent/carer address if different from", "(where different)"), not its answer: on a page whose answers
    stand in a column beside their questions, out of that column, at the question's left edge, set tight under
    it, starting in lower case or with a bracket, with no figure or "@" in it."""
    height = max(seg.bottom - seg.top, 1.0)
    return bool(answers) and not _in_answer_column(s, answers) and abs(s.x0 - seg.x0) < 4 \
        and 0 <= s.top - label_bottom < 0.6 * height and (s.text[:1].islower() or s.text[:1] == "(") \
        and not re.search(r"[\d@]", s.text)  # an email, a figure: an answer, set under its question


def _options_after(lines: list[Line], n: int, jj: int, used: set[tuple[int, int]], beside: Line) -> list[str]:
    """The other boxed options on the line under a question, after its first ("☐ Yes" then "☒ No", set apart):
    the one answer, up to the next question along the question's line."""
    if not _LEAD_MARK.match(lines[n][jj].text):
        return []
    stop = min((s.x0 for s in beside), default=float("inf"))
    found: list[str] = []
    for k in range(jj + 1, len(lines[n])):
        s = lines[n][k]
        if (n, k) in used or s.x0 >= stop - 2 or not _LEAD_MARK.match(s.text):
            break
        used.add((n, k))
        found.append(s.text)
    return found


def _run_under(lines: list[Line], n: int, jj: int, boundary: float, used: set[tuple[int, int]],
               matcher: LabelMatcher) -> list[str]:
    """An answer under its question, from lines[n][jj] on along its line: the pieces OCR parted at its words'
    gaps ("Astrid" | "Lindqvist" typed in Courier, whose spaces are wide; "Yes" | "[X]" | "No"), each starting
    within a few letters' width of the one before, short of the next question of the label's row."""
    run = [lines[n][jj]]
    for k in range(jj + 1, len(lines[n])):
        s, before = lines[n][k], run[-1]
        height = max(before.bottom - before.top, 1.0)
        if (n, k) in used or s.x0 >= boundary - 4 or not 0 <= s.x0 - before.x1 <= 3.5 * height \
                or _QUESTION.match(s.text) or split_inline(s.text, matcher):
            break
        run.append(s)
        used.add((n, k))
    return [s.text for s in run]


def _wrapped_under(lines: list[Line], n: int, jj: int, boundary: float, used: set[tuple[int, int]],
                   matcher: LabelMatcher) -> list[str]:
    """The lines an answer under its question wrapped onto ("Dr Kwabena Asante, Consultant Paediatric" /
    "Nephrologist"): each one piece of text in the question's column, starting where the answer does, tight under
    the line before, and no question of its own."""
    out: list[str] = []
    previous = lines[n][jj]
    listed = own_question(previous.text)  # an answer listing "Heading: text" lines
    for m in range(n + 1, min(n + 8, len(lines))):
        pieces = [(k, s) for k, s in enumerate(lines[m]) if s.x0 < boundary - 4 and s.x1 > previous.x0 - 20]
        if len(pieces) != 1 or (m, pieces[0][0]) in used:
            break
        k, s = pieces[0]
        height = max(s.bottom - s.top, 1.0)
        if abs(s.x0 - previous.x0) > 3 or not 0 <= s.top - previous.bottom < 0.6 * height or s.heading \
                or (own_question(s.text) and not listed) or _is_label(s, matcher) or _QUESTION.match(s.text) \
                or split_inline(s.text, matcher):
            break
        out.append(s.text)
        used.add((m, k))
        previous = s
    return out


def _heading_between(lines: list[Line], n: int, jj: int, matcher: LabelMatcher, answers: frozenset[int]) -> bool:
    """Whether the words under a question left blank are a section's heading, not its answer: on a page whose
    answers stand in a column beside their questions, a short line of words alone (no figure, no "@"), out
    of that column, with a question starting on the line after it ("SENCO:" blank, then "Health needs", then
    "Nature of the health need…"; OCR sees no bold type or shading)."""
    s = lines[n][jj]
    if not answers or len(lines[n]) != 1 or _in_answer_column(s, answers) or n + 1 >= len(lines) or not lines[n + 1]:
        return False
    if len(s.text.split()) > 4 or re.search(r"[\d@]", s.text):
        return False
    return _starts_label(lines, n + 1, 0, matcher, positioned=True)


def _paragraph_wrap(lines: list[Line], i: int, left: float, edge: float, used: set[tuple[int, int]],
                    matcher: LabelMatcher) -> list[str]:
    """Lines an answer typed after its question ("Question:<tab>answer") wrapped onto, back at the paragraph's
    left edge: each follows a line filled to the right edge, tightly, and is no question of its own."""
    out: list[str] = []
    last = lines[i][-1]
    listed = own_question(last.text)  # an answer listing "Heading: text" lines
    for n in range(i + 1, min(i + 8, len(lines))):
        line = lines[n]
        if len(line) != 1 or (n, 0) in used:
            break
        seg = line[0]
        height = max(seg.bottom - seg.top, 1.0)
        word = (seg.x1 - seg.x0) * len(seg.text.split(" ", 1)[0]) / max(len(seg.text), 1)
        if abs(seg.x0 - left) > 2 or edge - last.x1 > word + height or not 0 <= seg.top - last.bottom < 0.6 * height \
                or seg.heading or (own_question(seg.text) and not listed) or _is_label(seg, matcher) \
                or split_inline(seg.text, matcher):
            break
        out.append(seg.text)
        used.add((n, 0))
        last = seg
    return out


def _line_breaks(lines: list[Line], i: int, used: set[tuple[int, int]], matcher: LabelMatcher, *,
                 listed: bool = False) -> list[str]:
    """Lines after a "Label: answer" line that belong to the same paragraph (an address over several lines):
    one segment, same indent, tight spacing, not a question of their own (unless `listed`: an answer whose first
    line is itself "Heading: text", its next lines alike: "Maths: good progress." / "English: reading daily")."""
    out: list[str] = []
    previous = lines[i][0]
    for n in range(i + 1, min(i + 12, len(lines))):
        line = lines[n]
        if len(line) != 1 or (n, 0) in used:
            break
        seg = line[0]
        height = max(seg.bottom - seg.top, 1.0)
        if abs(seg.x0 - previous.x0) > 2 or not 0 <= seg.top - previous.bottom < 0.6 * height or seg.heading \
                or (own_question(seg.text) and not listed) or _starts_label(lines, n, 0, matcher, positioned=True):
            break
        out.append(seg.text)
        used.add((n, 0))
        previous = seg
    return out


def _starts_label(lines: list[Line], n: int, jj: int, matcher: LabelMatcher, *, positioned: bool) -> bool:
    """Whether lines[n][jj] begins a question (a label, "Label: answer", or a label wrapped onto more lines)."""
    s = lines[n][jj]
    if _LONE_MARK.match(s.text) and len(lines[n]) == 1:
        return False  # a box on a line of its own answers the question above ("[ ]" is no label's start)
    if _is_label(s, matcher) or split_inline(s.text, matcher):
        return True
    if positioned and (prefix := split_prefix(s.text, matcher)) and _OWN_WORDS.match(prefix[1]):
        return True  # "Parent/carer phone number": a question and its own last words
    if _wrapped_label(lines, n, jj, matcher, positioned=positioned)[0]:
        return True
    if positioned and n + 1 < len(lines) and lines[n + 1]:
        if _is_label(lines[n + 1][0], matcher) and (re.search(r"\d", s.text) or len(s.text.split()) < 2
                                                    or _LEAD_MARK.match(s.text)):
            return False  # an answer ("23", "☐ Yes") above the next question, not a question wrapped onto two lines
        following = lines[n + 1][0].text
        joined = f"{s.text} {following}"
        split = split_inline(joined, matcher)
        found = matcher.match_quality(joined) or (matcher.match_quality(split[0]) if split else None)
        if found is not None and found[1] == CONCEPT and (matcher.concept(following) is not None
                                                          or split_inline(following, matcher) is not None):
            return False  # the next line is a question (or names the concept) alone: this one is no part of it
        return found is not None
    return False


def _wrapped_inline(lines: list[Line], i: int, j: int, matcher: LabelMatcher,
                    used: set[tuple[int, int]]) -> tuple[str, str] | None:
    """A question wrapped onto the next lines with its answer after it there ("…Medical Needs Service" /
    "before? No"): the lines below in the same column, alone on their line, joined until label and answer
    split apart."""
    seg = lines[i][j]
    text = seg.text
    if _ANSWERED_ON_LINE.match(text):
        return None  # a question ended at its colon and answered there: what follows is another's
    taken: list[tuple[int, int]] = []
    for d in range(1, 4):
        if i + d >= len(lines) or len(lines[i + d]) != 1:
            return None
        cont = lines[i + d][0]
        if not _under(cont, seg) or cont.heading or (i + d, 0) in used or _is_label(cont, matcher):
            return None
        text = f"{text} {cont.text}"
        taken.append((i + d, 0))
        split = split_inline(text, matcher)
        if split and split[1].strip(" :") and len(split[0]) > len(seg.text):
            used.update({(i, j), *taken})
            return split
    return None


def _wrapped_label(lines: list[Line], i: int, j: int, matcher: LabelMatcher, *,
                   positioned: bool) -> tuple[str | None, int]:
    """The longest label starting at lines[i][j], continued on up to six lines below in the same column."""
    seg = lines[i][j]
    text = seg.text
    best: tuple[str | None, int] = (text, 0) if matcher.match(text) is not None else (None, 0)
    if not positioned or not re.search(r"[A-Za-z]{2,}", text) or _ANSWERED_ON_LINE.match(text):
        return best  # "Surname nb.: Hale": a question ended at its colon, answered after it, goes on no further
    skipped = False
    answered = _answered(lines[i], seg, matcher)
    for d in range(1, 7):
        if i + d >= len(lines):
            break
        cont = [lines[i + d][jj] for jj in _continuation(lines[i + d], seg)]
        if not cont and not skipped and _beside(lines[i + d], seg):
            skipped = True  # an answer set midway down a question wrapped in its cell: the question goes on below
            continue
        if not cont or cont[0].heading:
            break
        if answered is not None and cont[0].text[:1].isupper() \
                and abs((_answered(lines[i + d], cont[-1], matcher) or -99.0) - answered) < 4:
            break  # a row of its own: a question starting anew, its own answer beside it where this one's stands
        if _asks_anew(cont[0].text):
            break  # a question of its own, worded as a sentence: never the rest of this one
        alone = matcher.match_quality(cont[0].text) if best[0] is not None else None
        text = " ".join([text, *(c.text for c in cont)])
        joined = matcher.match_quality(text)
        if joined is not None and joined[1] == CONCEPT and (best[0] is not None
                                                            or matcher.concept(text[len(seg.text):]) is not None):
            break  # a concept named by the lines below alone: a question of their own, never this text's words
        if alone is not None and (joined is None or joined[1] < max(alone[1], 2) or joined[0] is alone[0]):
            break  # the next question ("Organisation" under "Profession"), not the rest of this one
        if joined is not None:
            best = (text, d)
    return best


def _asks_anew(text: str) -> bool:
    """Whether a line is a whole question of its own: a sentence of four words or more ("When did the pupil last
    attend school?"), ending in "?" or ":", not the Title Case words a question wrapped onto ("Number (UPN):")."""
    words = text.split()
    return own_question(text) and len(words) >= 4 and words[1][:1].islower()


def _answered(line: Line, seg: Seg, matcher: LabelMatcher) -> float | None:
    """Where the answer beside a question's line starts: the first text right of its words there, no question."""
    return next((s.x0 for s in line if s.x0 > seg.x1 and not _is_label(s, matcher) and not _QUESTION.match(s.text)
                 and not split_inline(s.text, matcher)), None)


_STRAY = "~‘’“”\"'`:;.,|_^•"  # marks OCR reads before a line's first word (a piece of a table's rule, speckle)


def _continuation(line: Line, seg: Seg) -> list[int]:
    """Which of a line's segments carry on a question whose first line is `seg`: the one starting in its column,
    and those after it still inside the question's width, a word's gap apart ("contacting Just One" |
    "Number *": OCR parts a wrapped line at a wider space, the answer column lies further right); never past the
    question's end (":", "?") nor a part that starts with no letter (a box, a date: its answer)."""
    first = next((jj for jj, s in enumerate(line) if _under(s, seg)), None)
    if first is None:
        return []
    out = [first]
    for jj in range(first + 1, len(line)):
        s, last = line[jj], line[out[-1]]
        if s.x1 > seg.x1 + 2 or s.x0 - last.x1 > 1.5 * max(last.bottom - last.top, 6.0) \
                or last.text.rstrip(" *").endswith((":", "?")) or not s.text[:1].isalpha():
            break
        out.append(jj)
    return out


def _under(cont: Seg, seg: Seg) -> bool:
    """Whether a line's segment starts in the column of a question's first line: at its left edge, or where its
    words start past stray marks OCR read in front of them ("~School's own Medical Needs policy" over
    "checked and all procedures followed")."""
    if abs(cont.x0 - seg.x0) < 4:
        return True
    lead = len(seg.text) - len(seg.text.lstrip(_STRAY + " "))
    if lead == 0 or lead >= len(seg.text) or not seg.text[lead].isalnum():
        return False
    return abs(cont.x0 - (seg.x0 + (seg.x1 - seg.x0) * lead / len(seg.text))) < 4


def _beside(line: Line, seg: Seg) -> bool:
    """Whether a line holds only text right of a question's first line and starts within a line's height
    below it (its answer, centred beside the question's two lines in a table cell)."""
    height = max(seg.bottom - seg.top, 1.0)
    return bool(line) and all(s.x0 > seg.x1 for s in line) and min(s.top for s in line) - seg.bottom < height


def _continue_value(lines: list[Line], start: int, value_x: float, parts: list[str],
                    used: set[tuple[int, int]], matcher: LabelMatcher, *,
                    band: tuple[float, float] = (float("-inf"), float("inf"))) -> None:
    """Add lines below that carry text only in the value column (a wrapped or multi-line answer).

    `band` is the question's own columns (its label's left edge up to the next question of its row): text
    outside it belongs to questions printed side by side and neither ends nor extends this answer."""
    skipped = 0
    last = max((s.bottom for s in lines[start - 1] if abs(s.x0 - value_x) <= 10), default=None) if start else None
    right = max((s.x1 for s in lines[start - 1] if s.x0 >= value_x - 10), default=None) if start else None
    for n in range(start, min(start + 20, len(lines))):
        line = [(jj, s) for jj, s in enumerate(lines[n]) if band[0] - 4 <= s.x0 < band[1] - 4]
        # the question's own label ending below its first line ("*", "* (DD/MM/YYYY)") beside the answer's next
        # line, in the questions' column: the answer goes on past it
        line = [(jj, s) for jj, s in line if not (s.x1 < value_x - 2 and (_LABEL_TAIL.match(s.text)
                                                                             or len(s.text.strip()) <= 1))]
        # the star itself read as a letter ("k", "x") is a lone character there too; and a speck right of the
        # answer's words (a lone "." or "'") is no column of its own that would end the answer
        line = line[:1] + [(jj, s) for jj, s in line[1:] if not (s.x0 > value_x and _SPECK_ONLY.match(s.text))]
        # the question's own words wrapped onto this line in its column ("condition" under "Diagnosis / nature
        # of the medical"), starting in lower case, beside the answer's next line: the answer goes on past them
        if len(line) > 1 and line[0][1].x1 < value_x - 2 and line[0][1].text[:1].islower() \
                and not _is_label(line[0][1], matcher):
            line = line[1:]
        if not line:
            if not lines[n] or skipped >= 2:
                return
            skipped += 1  # only the neighbouring column's text on this line (its wrapped label)
            continue
        if abs(line[0][1].x0 - value_x) > 10 or not _one_run(line) \
                or (own_question(line[0][1].text) and not (parts and own_question(parts[0]))):
            return
        if any(_is_label(s, matcher) for _jj, s in line) and not (
                len(line) == 1 and right is not None and _wrapped_onto(lines, line[0][1], right, value_x, band)):
            return
        height = max(max(s.bottom - s.top for _jj, s in line), 1.0)
        if skipped and last is not None and min(s.top for _jj, s in line) - last > 1.5 * height:
            return  # past a gap: not this answer's next line
        skipped = 0
        last = max(s.bottom for _jj, s in line)
        right = max(s.x1 for _jj, s in line)
        parts.extend(s.text for _jj, s in line)
        used.update((n, jj) for jj, _s in line)


def _one_run(line: list[tuple[int, Seg]]) -> bool:
    """Whether a line's pieces right of an answer's first one are the same text parted by a wide word gap
    ("University | Hospital" on a scan), not a column of their own: each starts within a few letters' width of
    the one before it."""
    for (_a, before), (_b, after) in zip(line, line[1:], strict=False):
        if not 0 <= after.x0 - before.x1 <= 2.5 * max(before.bottom - before.top, 1.0):
            return False
    return True


def _wrapped_onto(lines: list[Line], seg: Seg, right: float, value_x: float, band: tuple[float, float]) -> bool:
    """Whether `seg`, on the line under an answer ending at `right`, is the answer's own next words that read as a
    question ("school", "Hospital" match a label alone): its first word would not have fitted on that line, as
    wide as the widest text the answers' column holds on the page."""
    edge = max((s.x1 for line in lines for s in line if abs(s.x0 - value_x) <= 10 and s.x1 < band[1]),
               default=right)
    word = (seg.x1 - seg.x0) * len(seg.text.split(" ", 1)[0]) / max(len(seg.text), 1)
    space = 0.3 * max(seg.bottom - seg.top, 1.0)
    return right + space + word > edge


def _answers(label: str, value: str, matcher: LabelMatcher) -> bool:
    """Whether a cell that also reads as a label ("Telephone") is really the answer to the cell before it.

    Only for questions with a closed set of answers (yes/no, a choice, a date, a number): the cell is
    their answer when it converts as one.
    """
    field = matcher.match(label)
    if field is None or isinstance(field.type, Text):
        return False
    try:
        return field.type.convert(value) is not None
    except ValueError:
        return False


def _joined_label_wraps(rows: Table, matcher: LabelMatcher) -> Table:
    """Join a label that wrapped into a row of its own ("…currently a" | "No", then "hospital in-patient?" | "").

    A printed table without rules between lines can split one question over two rows; the second row
    has only the rest of the label (starting in lower case) and no answer. It is joined back when the
    first part alone is no question and the whole is one.
    """
    out: list[list[str | None]] = []
    for row in rows:
        cells = [c or "" for c in row]
        prev = out[-1] if out else None
        if prev is not None and cells and cells[0][:1].islower() and not any(c.strip() for c in cells[1:]) \
                and len(prev) == len(cells) and prev[0] and matcher.match(prev[0]) is None \
                and matcher.match(f"{prev[0]} {cells[0]}") is not None:
            prev[0] = f"{prev[0]} {cells[0]}"
            continue
        out.append(list(row))
    return out
