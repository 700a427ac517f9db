"""Doubtful words read again on their own (SPEC §16), on the page's one strip of pieces.

Tesseract reads a page in lines; a short answer set beside a two-line label in a table cell ("24" centred
against "School days absent for health / reasons this academic year") is put in the label's line, read
against the wrong baseline and comes out as "A" at 63 %. Each word read under `DOUBT` is cut out of the
page with a margin (never reaching the next word on its line) and put on the page's strip of pieces
(`docgen.read.strip`, read in one call with the ink `docgen.read.missed` asks about). Per word:

* the same text again: two readings agree, the word keeps the better of the two confidences;
* one other word read with a clearly better confidence (at least `_SURE`, and `_MARGIN` above the
  first), holding a digit or three characters at least: the second reading replaces the first;
* anything else (nothing, two words, a reading no surer than the first): the first reading stands.

So a value only ever becomes more certain by being read the same way twice, or by a confident reading of
its own pixels; a word that stays doubtful keeps its low confidence (R-DATA-UNCERTAIN still fires).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image

from docgen.read import image as img
from docgen.read.strip import Strip
from docgen.read.tesseract import Word

DOUBT = 80.0  # the `[ocr] min_confidence` default: words under it are worth a second reading
_MARGIN = 15.0
_SURE = 90.0  # a word read alone has no sentence around it: it replaces the first reading only when this sure
_EDGES = set("[]{}|")  # a box's sides read as brackets ("[]", "CL]"): left to the tick-box reader
_MOST = 60  # words per page (a page of noise is not read word by word)
_LONGEST = 40  # characters: a long run is a line Tesseract failed to split, not a word


def doubtful(words: list[Word], ink: Any = None) -> list[int]:
    """The indexes of the words worth reading again, least confident first (at most `_MOST`); given the page's
    ink (True = ink), not a word whose ink is a tick box on its own (Tesseract's "LJ" or "oO" for a ☐: the
    image judges a box, and a second reading of it tells nothing)."""
    picked = [n for n, w in enumerate(words)
              if w.conf < DOUBT and len(w.text) <= _LONGEST and any(c.isalnum() for c in w.text)
              and not _EDGES.intersection(w.text) and not (ink is not None and _a_box(w, ink))]
    return sorted(picked, key=lambda n: words[n].conf)[:_MOST]


def _a_box(w: Word, ink: Any) -> bool:
    patch = ink[max(0, int(w.top)):int(w.bottom) + 1, max(0, int(w.x0)):int(w.x1) + 1]
    return bool(patch.size) and img.box_alone(patch) is not None


def _piece(n: int, words: list[Word], image: Image.Image) -> tuple[int, int, int, int]:
    """The word's box with room around it, but never into its neighbours on the same line."""
    w = words[n]
    height = w.bottom - w.top
    pad = max(4.0, 0.45 * height)
    left, right = w.x0 - pad, w.x1 + pad
    for other in words:
        if other is w or other.bottom < w.top or other.top > w.bottom:
            continue
        if other.x1 <= w.x0:
            left = max(left, (other.x1 + w.x0) / 2)
        elif other.x0 >= w.x1:
            right = min(right, (other.x0 + w.x1) / 2)
    top, bottom = w.top - 0.35 * height, w.bottom + 0.35 * height
    return (max(0, int(left)), max(0, int(top)), min(image.width, int(right + 1)), min(image.height, int(bottom + 1)))


def _on_white(piece: Image.Image) -> Image.Image:
    """A piece with its paper made white: a photo's grey paper pasted on the white strip would be a grey
    block, which Tesseract's thresholding of the whole strip turns to black (and reads nothing in)."""
    histogram = piece.histogram()
    seen, paper = 0, 255
    for level in range(255, -1, -1):  # the brightest tenth of the piece is its paper
        seen += histogram[level]
        if seen >= 0.1 * piece.width * piece.height:
            paper = level
            break
    if paper >= 250 or paper <= 0:
        return piece
    return piece.point(lambda v: min(255, v * 255 // paper))


def _telling(text: str) -> bool:
    """A reading worth trusting without the words around it: a number, or three characters or more (a lone
    "Or" against "Dr" is a coin toss Tesseract's sentence context decided better)."""
    return any(c.isdigit() for c in text) or len(text) >= 3


def ask(words: list[Word], image: Image.Image, strip: Strip, ink: Any = None) -> list[tuple[int, int, int]]:
    """The doubtful words' pieces put on `strip` (given the page's ink, no box read as letters): (word index,
    slot, piece height) for `answer`."""
    picked = doubtful(words, ink)
    boxes = [_piece(n, words, image) for n in picked]
    if not boxes:
        return []
    room = max(b[3] - b[1] for b in boxes)
    return [(n, strip.add(_on_white(image.crop(box)), room), box[3] - box[1]) for n, box in zip(picked, boxes, strict=True)]


def answer(words: list[Word], asked: list[tuple[int, int, int]], read: list[list[Word]]) -> list[Word]:
    """The words with what the strip read in each asked word's piece applied (see the module's description)."""
    out = list(words)
    for n, slot, height in asked:
        found = [a for a in read[slot] if 0 <= (a.top + a.bottom) / 2 <= height]
        if len(found) != 1:
            continue
        first, second = words[n], found[0]
        if second.text == first.text:
            out[n] = replace(first, conf=max(first.conf, second.conf))
        elif second.conf >= _SURE and second.conf >= first.conf + _MARGIN and _telling(second.text):
            out[n] = replace(first, text=second.text, conf=second.conf)
        else:  # kept beside it: a field's type may make the two readings one value (`docgen.read.confidence`)
            out[n] = replace(first, again=second.text, again_conf=second.conf)
    return out


def reread(words: list[Word], image: Image.Image, file: Path, *, dpi: int, timeout: float) -> list[Word]:
    """The words, with the doubtful ones read again on their own (a strip of their own, written to `file`)."""
    strip = Strip()
    asked = ask(words, image, strip)
    if not asked:
        return words
    return answer(words, asked, strip.read(file, dpi=dpi, timeout=timeout))
