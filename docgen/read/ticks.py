"""Tick boxes on a scanned page, judged from the image beside the words Tesseract read (SPEC §16).

Tesseract reads a drawn or printed box ("☐", "☒", a form field's square) as "&", "®", "0", "O)", as a
letter glued to the option ("Oves", "Yes)", "[No") or as nothing. So the boxes are found in the page's ink
next to the words that need one — the options "Yes"/"No", and the first word of a line (a box before a
statement) — and whether each is ticked is decided by the ink inside it. Each box goes to the option it
is nearest ("☐ Yes ☒ No" and "Yes ☒ No ☐" both occur); an option on a row whose other options have their
boxes, but whose own box was not seen, is dropped rather than left to pair with its neighbour's box.
A square whose sides run on past its corners is a table's cell, not a box; nor is a square on the
strokes of a word Tesseract read.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import replace

from docgen.read import image as img
from docgen.read.tesseract import Word

# what a box reads as when Tesseract glues it to an option word: punctuation, O/0/D/Q, l/I/1/|
_GLUE = r"(?:[^\w\s]|[ODQ0oIl1_])"
_OPTION = re.compile(rf"^(?P<pre>{_GLUE}{{0,3}}y?)(?P<word>yes|ves|no|part)(?P<post>{_GLUE}{{0,3}})$", re.I)


OPTION_WORD = re.compile(r"yes|no", re.I)  # an option beside a box: never taken for Tesseract's reading of a box


def _option(w: Word) -> re.Match[str] | None:
    return _OPTION.match(w.text)  # any confidence: a box glued on is what makes Tesseract unsure of it


def _options(words: list[Word]) -> list[int]:
    """The option words beside which boxes are looked for: "Yes", "No", and "Part" of a third option "Part time"
    (the health form's "unfit to attend school?": Yes / No / Part time), when "time" follows it on its line."""
    out = []
    for n, w in enumerate(words):
        m = _option(w)
        if m is None:
            continue
        if m.group("word").lower() == "part":
            after = words[n + 1] if n + 1 < len(words) else None
            if after is None or after.line != w.line or not after.text.lower().startswith("time"):
                continue
        out.append(n)
    return out


def tick_boxes(words: list[Word], ink: object, faint: Callable[[], object] | None = None
               ) -> tuple[list[img.Box], list[Word]]:
    """The tick boxes found beside the words, and the words with any box glued to an option cut off. A row
    of options with no box found in `ink` is looked at again in `faint()` (lighter grey taken as ink): a
    box drawn in thin grey lines, JPEG'd at 150 dpi, keeps its sides but loses its top and bottom in `ink`."""
    found: list[img.Box] = []
    lighter: list[object] = []

    def faint_ink() -> object | None:
        if faint is None:
            return None
        if not lighter:
            lighter.append(faint())
        return lighter[0]

    options = _options(words)
    wordy = [w for n, w in enumerate(words) if sum(c.isalnum() for c in w.text) >= 4 and n not in options]

    def add(box: img.Box | None) -> img.Box | None:
        if box is None:
            return None
        for b in found:
            if abs(box.x0 - b.x0) < 4 and abs(box.top - b.top) < 4:
                return b
        if any(min(box.x1, w.x1) - max(box.x0, w.x0) > 0.3 * (box.x1 - box.x0)
               and min(box.bottom, w.bottom) - max(box.top, w.top) > 0.3 * (box.bottom - box.top) for w in wordy):
            return None  # strokes of a word Tesseract read ("receiving"), not a box beside it
        found.append(box)
        return box

    out = list(words)
    unseen: set[int] = set()
    usual = statistics.median([words[n].bottom - words[n].top for n in options]) if options else 0.0
    whole: list[object] = []

    def bridged_ink() -> object:
        if not whole:
            whole.append(img.bridged(ink))
        return whole[0]

    rows = []
    for row in _option_rows(options, words):
        if _typed_boxes(row, words):
            continue  # "[ ] Yes [X] No" typed: Tesseract reads its brackets; a wide font's "N" or "s" is no box
        near = _nearest_boxes(row, words, ink, usual)
        if not near and (again := faint_ink()) is not None:
            near = _nearest_boxes(row, words, again, usual)
        if not near:  # a box drawn in dots (a fax's, a flattened form's dashed border): ticked or not by the ink
            near = _nearest_boxes(row, words, bridged_ink(), usual, judge=ink)
        rows.append((row, near))
    side = _page_side(rows, words)
    for row, near in rows:
        against = [n for n, box in near.items() if side is not None and _side(box, words[n]) != side]
        for n in against:  # the box of an option Tesseract lost ("Yes ☒" for "☐ Yes ☒ No"): not this one's
            del near[n]
            unseen.add(n)
        boxed = {n for n, box in near.items() if add(box) is box}
        for n in boxed:
            out[n] = _cut(words[n], near[n])
        # an option beside boxed ones whose own box was not seen is only a label: left in, "Yes ☒ No" would
        # read both ways
        unseen.update(n for n in set(row) - boxed if any(
            abs(_gap(near[m], words[n])) <= 6 * (words[n].bottom - words[n].top) for m in boxed))
    firsts: dict[tuple[int, int, int], Word] = {}
    for w in words:
        if w.line not in firsts or w.x0 < firsts[w.line].x0:
            firsts[w.line] = w
    lettered = [w.bottom - w.top for w in words if sum(c.isalpha() for c in w.text) >= 2]
    tall = 3 * statistics.median(lettered) if lettered else 0.0
    for w in firsts.values():
        # a "word" many lines tall is a column of marks Tesseract read down the page ("HHHAHN"), no statement:
        # a box its height is no tick box, and the search for one would take minutes
        if sum(c.isalpha() for c in w.text) >= 2 and not _option(w) and w.bottom - w.top <= tall:
            add(_standalone(ink, w, left=True))
    return found, [w for n, w in enumerate(out) if n not in unseen]


_TYPED_BOX = re.compile(r"^[\[({|]\s*[xX]?\s*[\])}|]{1,2}$")  # "[X]", "[ ]", as OCR reads them: "{X]", "(X}"


def _typed_boxes(row: list[int], words: list[Word]) -> bool:
    """Whether a row's options have their boxes typed as brackets ("[X] Yes [ ] No" in Courier) that Tesseract
    read as words on the row: no square drawn there to look for, and the letters of a wide typewriter font
    ("N" between its serifs, "s") pass for a ticked box beside an option."""
    first, last = words[row[0]], words[row[-1]]
    middle, height = (first.top + first.bottom) / 2, first.bottom - first.top
    return any(_TYPED_BOX.match(w.text) and "x" in w.text.lower() and abs((w.top + w.bottom) / 2 - middle) <= height
               and first.x0 - 4 * height <= w.x0 <= last.x1 + 4 * height for w in words)


def _side(box: img.Box, w: Word) -> str:
    return "before" if box.x0 + box.x1 < w.x0 + w.x1 else "after"


def _page_side(rows: list[tuple[list[int], dict[int, img.Box]]], words: list[Word]) -> str | None:
    """Which side of its option a box is printed on throughout the page ("☐ Yes ☒ No": before), from the rows
    whose every option has its box (three rows at least, all one way); None when the page holds both ways."""
    sides = [_side(near[n], words[n]) for row, near in rows if len(row) >= 2 and set(near) == set(row)
             for n in row]
    if len(sides) < 6 or len(set(sides)) != 1:
        return None
    return sides[0]


def _nearest_boxes(row: list[int], words: list[Word], ink: object, usual: float, *,
                   judge: object = None) -> dict[int, img.Box]:
    """The boxes beside a row's options, each given to the option word it is nearest (or glued to)."""
    near: dict[int, img.Box] = {}
    for n in row:
        for box in _boxes_beside(_letters_high(words[n], usual), ink, judge):
            if box is None or any(abs(box.x0 - b.x0) < 4 and abs(box.top - b.top) < 4 for b in near.values()):
                continue
            owner = min(row, key=lambda m: _gap(box, words[m]))
            if owner not in near or _gap(box, words[owner]) < _gap(near[owner], words[owner]):
                near[owner] = box
    return near


def _option_rows(indices: list[int], words: list[Word]) -> list[list[int]]:
    """Option words on one printed row (their middles within half a word's height), left to right."""
    rows: list[list[int]] = []
    for n in sorted(indices, key=lambda n: (words[n].top + words[n].bottom) / 2):
        w = words[n]
        middle, height = (w.top + w.bottom) / 2, w.bottom - w.top
        if rows:
            last = words[rows[-1][-1]]
            if abs((last.top + last.bottom) / 2 - middle) <= 0.5 * max(height, last.bottom - last.top):
                rows[-1].append(n)
                continue
        rows.append([n])
    return [sorted(row, key=lambda n: words[n].x0) for row in rows]


def _gap(box: img.Box, w: Word) -> float:
    """How far a box is from a word (negative when they overlap: a box read as part of the word)."""
    return max(box.x0 - w.x1, w.x0 - box.x1)


def _letters_high(w: Word, usual: float) -> Word:
    """An option word as tall as the page's option words usually are, about its own middle: Tesseract may give
    "Yes" the height of the ticked box glued before it ("☒ Yes" read "Xl" and a "Yes" 1.6 times as tall), and
    the box beside a word is looked for at the word's own height."""
    if not usual or w.bottom - w.top <= 1.3 * usual:
        return w
    middle = (w.top + w.bottom) / 2
    return replace(w, top=middle - usual / 2, bottom=middle + usual / 2)


def _boxes_beside(w: Word, ink: object, judge: object = None) -> tuple[img.Box | None, img.Box | None]:
    """The box just before and just after an option word. A box Tesseract read as part of the word is looked
    for inside the word's span too: as far as its glued-on characters ("O)" in "YesO)") reach, or as its
    span is wider than its letters need ("No" read 3 letters wide)."""
    m = _OPTION.match(w.text)
    assert m is not None
    height = w.bottom - w.top
    excess = (w.x1 - w.x0) - 0.75 * height * len(m.group("word"))
    excess = excess + 0.5 * height if excess > 0 else 0.0  # the height may be the box's, not the letters'

    per_char = (w.x1 - w.x0) / max(1, len(w.text))
    into_left = max(excess, per_char * (len(m.group("pre")) + 1) if m.group("pre") else 0.0)
    into_right = max(excess, per_char * (len(m.group("post")) + 1) if m.group("post") else 0.0)
    if m.group("word").lower() == "part":  # "time" follows it: its box is the one before it
        return _standalone(ink, w, left=True, into=into_left, judge=judge), None
    return (_standalone(ink, w, left=True, into=into_left, judge=judge),
            _standalone(ink, w, left=False, into=into_right, judge=judge))


def _standalone(ink: object, w: Word, *, left: bool, into: float = 0.0, judge: object = None) -> img.Box | None:
    box = img.box_near(ink, w.x0, w.top, w.x1, w.bottom, left=left, into=into, judge=judge)
    if box is None or img.ruled(ink, box.x0, box.top, box.x1, box.bottom):
        return None  # a corner of a table's cells, or letters' strokes: not a box printed to be ticked
    return box


def _cut(w: Word, box: img.Box) -> Word:
    """The option word without what Tesseract glued to it ("Oves" → "Yes", "Yes)" → "Yes"), and without
    the box's own columns when the box is inside the word's span."""
    m = _OPTION.match(w.text)
    if m is None:
        return w
    word = m.group("word")
    word = ("Y" if word[0].isupper() else "y") + word[1:] if word[0] in "vV" else word
    x0, x1, middle = w.x0, w.x1, (w.x0 + w.x1) / 2
    if box.x0 < middle < box.x1:
        return w  # a box across the middle of the word: the reading is not to be trusted piecemeal
    if box.x1 > w.x0 and box.x1 <= middle:
        x0 = box.x1 + 1
    if box.x0 < w.x1 and box.x0 >= middle:
        x1 = box.x0 - 1
    return replace(w, text=word, x0=x0, x1=x1)
