"""Doubtful words read again on their own (SPEC §16): one small extra Tesseract call per page.

Tesseract reads a page in lines; a short answer set beside a two-line label in a table cell ("24" centred
against "School days absent for health / reasons this academic year") is put in the label's line, read
against the wrong baseline and comes out as "A" at 63 %. Each word read under `DOUBT` is cut out of the
page with a margin (never reaching the next word on its line), the pieces are stacked one under another on
a white strip, and the strip is read in one call as a block of single-word lines. Per word:

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

from PIL import Image

from docgen.read.tesseract import Word, read_words

DOUBT = 80.0  # the `[ocr] min_confidence` default: words under it are worth a second reading
_MARGIN = 15.0
_SURE = 90.0  # a word read alone has no sentence around it: it replaces the first reading only when this sure
_EDGES = set("[]{}|")  # a box's sides read as brackets ("[]", "CL]"): left to the tick-box reader
_MOST = 60  # words per page (a page of noise is not read word by word)
_LONGEST = 40  # characters: a long run is a line Tesseract failed to split, not a word


def doubtful(words: list[Word]) -> list[int]:
    """The indexes of the words worth reading again, least confident first (at most `_MOST`)."""
    picked = [n for n, w in enumerate(words)
              if w.conf < DOUBT and len(w.text) <= _LONGEST and any(c.isalnum() for c in w.text)
              and not _EDGES.intersection(w.text)]
    return sorted(picked, key=lambda n: words[n].conf)[:_MOST]


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


def _telling(text: str) -> bool:
    """A reading worth trusting without the words around it: a number, or three characters or more (a lone
    "Or" against "Dr" is a coin toss Tesseract's sentence context decided better)."""
    return any(c.isdigit() for c in text) or len(text) >= 3


def reread(words: list[Word], image: Image.Image, file: Path, *, dpi: int, timeout: float) -> list[Word]:
    """The words, with the doubtful ones read again on their own (see the module's description); `file` is
    where the strip of pieces is written for Tesseract."""
    picked = doubtful(words)
    if not picked:
        return words
    boxes = [_piece(n, words, image) for n in picked]
    gap = max(b[3] - b[1] for b in boxes)
    width = max(b[2] - b[0] for b in boxes) + 2 * gap
    height = sum(b[3] - b[1] + gap for b in boxes) + gap
    strip = Image.new("L", (width, height), 255)
    rows: list[tuple[int, int]] = []
    y = gap
    for box in boxes:
        strip.paste(image.crop(box), (gap, y))
        rows.append((y, y + box[3] - box[1]))
        y += box[3] - box[1] + gap
    strip.save(file, format="TIFF", compression="raw", dpi=(dpi, dpi))
    again = read_words(file, dpi=dpi, psm=6, timeout=timeout)
    out = list(words)
    for n, (top, bottom) in zip(picked, rows, strict=True):
        found = [a for a in again if top <= (a.top + a.bottom) / 2 <= bottom]
        if len(found) != 1:
            continue
        first, second = words[n], found[0]
        if second.text == first.text:
            out[n] = replace(first, conf=max(first.conf, second.conf))
        elif second.conf >= _SURE and second.conf >= first.conf + _MARGIN and _telling(second.text):
            out[n] = replace(first, text=second.text, conf=second.conf)
    return out
