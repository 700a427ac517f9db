"""Answers Tesseract's page layout dropped: a lone "N"/"Y" or "10" in a table cell, a check mark printed
without a box (✓), a row of options beside its question (SPEC §16).

Tesseract's automatic page segmentation throws small, isolated marks away as noise or pictures, and these
are exactly a form's shortest answers. After the page is read, the ink no word covers is gathered into
letter-sized patches; only a patch out on a row of its own to the right of what was read there (where an
answer stands beside its question), apart from every word read, is kept. The patches go on the page's strip
of pieces (`docgen.read.strip`), one a line, read in one Tesseract call with the doubtful words
`docgen.read.reread` asks about; what it reads is put back where the patch came from. The patches are found
from the words as first read, and found again only if a word read again has come to cover ink.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from docgen.read import image as img
from docgen.read.strip import Strip
from docgen.read.tesseract import Word

_MAX_PATCHES = 24
_GUESS = 35  # a word read with less confidence is Tesseract's guess at ink, not a word that stands
# how Tesseract reads a check mark (✓, ✔) printed without a box
_CHECK_READINGS = re.compile(r"[✓✔√]|[vVJj¥\\/]{1,2}[oO]?|[oO]")
_MAX_CELLS = 40_000  # more uncovered ink than this: a picture or a page read badly, not a few dropped marks


@dataclass(frozen=True)
class Plan:
    """What the ink left over holds: the patches to read (a strip slot each, once asked), and the boxes on their
    own found there (judged from the image: nothing to read)."""

    sure: tuple[tuple[float, float, float, float, str], ...]  # the words that covered ink (box and text)
    patches: list[tuple[int, int, int, int]]
    boxes: list[Word]
    slots: list[int] = field(default_factory=list)


def plan(ink: Any, words: list[Word], xheight: float) -> Plan:
    """The ink (True = ink, the page as read) no confident word covers, out beside the words: patches to read
    and boxes on their own."""
    sure = [w for w in words if w.conf >= _GUESS]
    uncovered = ink.copy()
    pad = max(2, int(xheight * 0.35))
    for w in sure:
        uncovered[max(0, int(w.top) - pad):int(w.bottom) + pad + 1, max(0, int(w.x0) - pad):int(w.x1) + pad + 1] = False
    patches = [p for p in _patches(uncovered, xheight)
               if _beside_an_answer(p, sure, xheight) and not _hairline(ink[p[1]:p[3], p[0]:p[2]], xheight)]
    boxes: list[Word] = []
    for p in list(patches):  # a box on its own: the image says whether it is ticked, no reading needed
        box = img.box_alone(ink[p[1]:p[3], p[0]:p[2]])
        if box is not None:
            patches.remove(p)
            boxes.append(Word("☒" if box.ticked else "☐", box.conf, p[0] + box.x0, p[1] + box.top, p[0] + box.x1,
                              p[1] + box.bottom, (9_999, len(boxes), 0)))
    return Plan(_covering(words), patches[:_MAX_PATCHES], boxes)


def _covering(words: list[Word]) -> tuple[tuple[float, float, float, float, str], ...]:
    return tuple((w.x0, w.top, w.x1, w.bottom, w.text) for w in words if w.conf >= _GUESS)


def ask(ink: Any, found: Plan, xheight: float, strip: Strip) -> Plan:
    """The plan's patches put on `strip` (their ink, black on white), one slot each."""
    room = max(8, int(xheight))
    slots = [strip.add(Image.fromarray(np.where(ink[top:bottom, x0:x1], 0, 255).astype(np.uint8)), room)
             for x0, top, x1, bottom in found.patches]
    return replace(found, slots=slots)


def answer(ink: Any, words: list[Word], asked: Plan, read: list[list[Word]], xheight: float) -> list[Word]:
    """The words (as they stand after the strip was read: a doubtful word read again may have become sure), with
    those read from the patches; a guess of Tesseract's at such ink ("ONUS" down a column of ✓) gives way to
    the new reading. When a word read again now covers ink, the patches are found again from the words as they
    stand, and each keeps the reading it got on the strip (a patch not asked about then is left unread)."""
    readings = {p: read[slot] for p, slot in zip(asked.patches, asked.slots, strict=True)}
    final = asked if _covering(words) == asked.sure else plan(ink, words, xheight)
    found = list(final.boxes)
    for n, patch in enumerate(final.patches):
        if patch in readings:
            found.extend(_placed(patch, n, readings[patch]))
    if not found:
        return words
    guesses = [w for w in words if w.conf < _GUESS and any(_overlap(w, f) for f in found)]
    return [w for w in words if w not in guesses] + found


def missed_words(ink: Any, words: list[Word], xheight: float, workdir: Path, *, dpi: int,
                 timeout: float) -> list[Word]:
    """The words, with those read from the ink no confident word covers, out beside them (a strip of their own,
    read in one call)."""
    strip = Strip()
    asked = ask(ink, plan(ink, words, xheight), xheight, strip)
    read = strip.read(workdir / "missed.tif", dpi=dpi, timeout=timeout) if len(strip) else []
    return answer(ink, words, asked, read, xheight)


def _overlap(a: Word, b: Word) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _placed(patch: tuple[int, int, int, int], slot: int, read: list[Word]) -> list[Word]:
    """What the strip read in one patch, put back on the page where the patch was."""
    x0, top = patch[0], patch[1]
    kept = [w for w in read if any(c.isalnum() or c in "✓✔√¥\\/" for c in w.text)]
    found: list[Word] = []
    for w in kept:
        # a patch that reads as one mark like these, out beside a question with no box around it, is a check
        # mark (✓) whatever letter it resembles
        text = "✓" if len(kept) == 1 and _CHECK_READINGS.fullmatch(w.text) else w.text.lstrip("‘’'`\"")  # a rule's stub
        if text:
            found.append(Word(text, w.conf, w.x0 + x0, w.top + top, w.x1 + x0, w.bottom + top, (10_000 + slot, 0, 0)))
    return found


def _beside_an_answer(patch: tuple[int, int, int, int], words: list[Word], xheight: float) -> bool:
    """Whether a patch stands right of words read on its row, clear of every word (an answer Tesseract
    dropped), not against a word (a letter it merely missed) nor alone in a margin."""
    x0, top, x1, bottom = patch
    row = [w for w in words if min(bottom, w.bottom) - max(top, w.top) > 0.3 * min(bottom - top, w.bottom - w.top)]
    if not any(w.x1 < x0 and sum(c.isalpha() for c in w.text) >= 2 for w in row):
        return False
    return all(w.x1 < x0 - 1.5 * xheight or w.x0 > x1 + 1.5 * xheight for w in row)


def _hairline(patch: Any, xheight: float) -> bool:
    """Whether a patch's ink is drawn with a hairline (what is left of a table's rule on a skewed page, one or
    two pixels wide), not with a letter's stroke: its runs of ink across or down are that thin on average."""
    ink = int(patch.sum())
    if not ink:
        return True
    across = int((np.diff(patch.astype(np.int8), axis=1, prepend=0) == 1).sum())  # runs along the rows
    down = int((np.diff(patch.astype(np.int8), axis=0, prepend=0) == 1).sum())  # runs down the columns
    return min(ink / max(1, across), ink / max(1, down)) < max(1.8, 0.08 * xheight)


def _patches(ink: Any, xheight: float) -> list[tuple[int, int, int, int]]:
    """Letter-sized groups of ink (x0, top, x1, bottom in pixels), top to bottom: the page cut in cells a third
    of the x-height, a cell with a little ink is on, and on cells a cell apart or less (up, down, across; the
    letters of a word are a little apart) are one group."""
    cell = max(3, int(xheight / 3))
    rows, cols = ink.shape[0] // cell, ink.shape[1] // cell
    # the ink in each cell: the rows of each band of cells summed, then each band's columns (no int64 copy)
    bands = ink[:rows * cell, :cols * cell].view(np.uint8).reshape(rows, cell, cols * cell).sum(axis=1,
                                                                                            dtype=np.uint32)
    counts = bands.reshape(rows, cols, cell).sum(axis=2, dtype=np.uint32)
    r, c = np.nonzero(counts >= max(3, cell * cell // 12))
    if not len(r) or len(r) > _MAX_CELLS:
        return []
    # runs: a row's on cells at most two apart; a run touches one on the next row that comes within two cells
    start = np.ones(len(r), dtype=bool)
    start[1:] = (r[1:] != r[:-1]) | (c[1:] - c[:-1] > 2)
    first = np.flatnonzero(start)
    row, x0, x1 = r[first].tolist(), c[first].tolist(), c[np.append(first[1:], len(r)) - 1].tolist()
    group = list(range(len(row)))

    def root(n: int) -> int:
        while group[n] != n:
            group[n] = group[group[n]]
            n = group[n]
        return n

    row_start: dict[int, int] = {}
    for n, y in enumerate(row):
        row_start.setdefault(y, n)
    for n, y in enumerate(row):
        m = row_start.get(y + 1, len(row))
        while m < len(row) and row[m] == y + 1 and x0[m] <= x1[n] + 2:
            if x1[m] + 2 >= x0[n]:
                group[root(n)] = root(m)
            m += 1
    spans: dict[int, list[int]] = {}
    for n, y in enumerate(row):
        box = spans.setdefault(root(n), [x0[n], y, x1[n], y])
        box[0], box[1], box[2], box[3] = min(box[0], x0[n]), min(box[1], y), max(box[2], x1[n]), max(box[3], y)
    out: list[tuple[int, int, int, int]] = []
    for c0, r0, c1, r1 in spans.values():
        high, wide = (r1 + 1 - r0) * cell, (c1 + 1 - c0) * cell
        if 0.8 * xheight <= high <= 3.5 * xheight and 0.3 * xheight <= wide <= 16 * xheight:
            out.append((c0 * cell, r0 * cell, (c1 + 1) * cell, (r1 + 1) * cell))
    out.sort(key=lambda b: (b[1], b[0]))
    return _joined(out, xheight)


def _joined(patches: list[tuple[int, int, int, int]], xheight: float) -> list[tuple[int, int, int, int]]:
    """Patches side by side on one row, less than an x-height apart, as one: the digits of a number ("1" and
    "36" of 136: a narrow "1" stands as far from the next digit as a word space at 110 dpi) are read together,
    and Tesseract, seeing them together, decides whether a space is there."""
    out: list[tuple[int, int, int, int]] = []
    for patch in sorted(patches, key=lambda b: (b[0], b[1])):
        for n, (x0, top, x1, bottom) in enumerate(out):
            overlap = min(bottom, patch[3]) - max(top, patch[1])
            if overlap >= 0.5 * min(bottom - top, patch[3] - patch[1]) and 0 <= patch[0] - x1 <= xheight:
                out[n] = (x0, min(top, patch[1]), max(x1, patch[2]), max(bottom, patch[3]))
                break
        else:
            out.append(patch)
    out.sort(key=lambda b: (b[1], b[0]))
    return out
