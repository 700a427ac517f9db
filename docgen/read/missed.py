"""Answers Tesseract's page layout dropped: a lone "N"/"Y" or "10" in a table cell, a check mark printed
without a box (✓), a row of options beside its question (SPEC §16).

Tesseract's automatic page segmentation throws small, isolated marks away as noise or pictures, and these
are exactly a form's shortest answers. After the page is read, the ink no word covers is gathered into
letter-sized patches; only a patch out on a row of its own to the right of what was read there (where an
answer stands beside its question), apart from every word read, is kept. The patches are stacked into one
small image, one a line, and read in a single cheap Tesseract call; what it reads is put back where the
patch came from.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from docgen.read import image as img
from docgen.read.tesseract import Word, read_words

_MAX_PATCHES = 24
_GUESS = 35  # a word read with less confidence is Tesseract's guess at ink, not a word that stands
# how Tesseract reads a check mark (✓, ✔) printed without a box
_CHECK_READINGS = re.compile(r"[✓✔√]|[vVJj¥\\/]{1,2}[oO]?|[oO]")
_MAX_CELLS = 40_000  # more uncovered ink than this: a picture or a page read badly, not a few dropped marks


def missed_words(ink: Any, words: list[Word], xheight: float, workdir: Path, *, dpi: int,
                 timeout: float) -> list[Word]:
    """The words, with those read from the ink (True = ink, the page as read) no confident word covers, out
    beside them; a guess of Tesseract's at such ink ("ONUS" down a column of ✓) gives way to the new reading."""
    sure = [w for w in words if w.conf >= _GUESS]
    uncovered = ink.copy()
    pad = max(2, int(xheight * 0.35))
    for w in sure:
        uncovered[max(0, int(w.top) - pad):int(w.bottom) + pad + 1, max(0, int(w.x0) - pad):int(w.x1) + pad + 1] = False
    patches = [p for p in _patches(uncovered, xheight)
               if _beside_an_answer(p, sure, xheight) and not _hairline(ink[p[1]:p[3], p[0]:p[2]], xheight)]
    found: list[Word] = []
    for p in list(patches):  # a box on its own: the image says whether it is ticked, no reading needed
        box = img.box_alone(ink[p[1]:p[3], p[0]:p[2]])
        if box is not None:
            patches.remove(p)
            found.append(Word("☒" if box.ticked else "☐", box.conf, p[0] + box.x0, p[1] + box.top, p[0] + box.x1,
                              p[1] + box.bottom, (9_999, len(found), 0)))
    patches = patches[:_MAX_PATCHES]
    if patches:
        found.extend(_read(ink, patches, xheight, workdir, dpi=dpi, timeout=timeout))
    if not found:
        return words
    guesses = [w for w in words if w.conf < _GUESS and any(_overlap(w, f) for f in found)]
    return [w for w in words if w not in guesses] + found


def _overlap(a: Word, b: Word) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _read(ink: Any, patches: list[tuple[int, int, int, int]], xheight: float, workdir: Path, *, dpi: int,
          timeout: float) -> list[Word]:
    """The patches read in one Tesseract call: stacked one a line, each word put back where its patch was."""
    found: list[Word] = []
    margin = max(8, int(xheight))
    width = max(x1 - x0 for x0, _t, x1, _b in patches) + 2 * margin
    slots: list[tuple[int, int, int, int, int]] = []  # (slot top, slot bottom, patch x0, patch top, y in stack)
    height = margin
    for x0, top, _x1, bottom in patches:
        slots.append((height - margin // 2, height + bottom - top + margin // 2, x0, top, height))
        height += bottom - top + margin
    stack = np.zeros((height, width), dtype=bool)
    for (x0, top, x1, bottom), (_s0, _s1, _x, _t, y) in zip(patches, slots, strict=True):
        stack[y:y + bottom - top, margin:margin + x1 - x0] = ink[top:bottom, x0:x1]
    out_file = workdir / "missed.tif"
    Image.fromarray(np.where(stack, 0, 255).astype(np.uint8)).save(out_file, format="TIFF", compression="raw",
                                                                    dpi=(dpi, dpi))
    read: list[tuple[int, Word]] = []
    for w in read_words(out_file, dpi=dpi, psm=6, timeout=timeout):
        middle = (w.top + w.bottom) / 2
        slot = next((n for n, s in enumerate(slots) if s[0] <= middle < s[1]), None)
        if slot is not None and any(c.isalnum() or c in "✓✔√¥\\/" for c in w.text):
            read.append((slot, w))
    for slot, w in read:
        _s0, _s1, x0, top, y = slots[slot]
        dx, dy = x0 - margin, top - y
        # a patch that reads as one mark like these, out beside a question with no box around it, is a check
        # mark (✓) whatever letter it resembles
        alone = sum(1 for other, _w in read if other == slot) == 1
        text = "✓" if alone and _CHECK_READINGS.fullmatch(w.text) else w.text.lstrip("‘’'`\"")  # a rule's stub
        if not text:
            continue
        found.append(Word(text, w.conf, w.x0 + dx, w.top + dy, w.x1 + dx, w.bottom + dy, (10_000 + slot, 0, 0)))
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
    """Letter-sized groups of ink (x0, top, x1, bottom in pixels), top to bottom."""
    cell = max(3, int(xheight / 3))
    rows, cols = ink.shape[0] // cell, ink.shape[1] // cell
    counts = ink[:rows * cell, :cols * cell].reshape(rows, cell, cols, cell).sum(axis=(1, 3))
    on = counts >= max(3, cell * cell // 12)
    cells = set(zip(*(a.tolist() for a in np.nonzero(on)), strict=True))
    if not cells or len(cells) > _MAX_CELLS:
        return []
    out: list[tuple[int, int, int, int]] = []
    while cells:
        start = cells.pop()
        group = [start]
        todo = deque([start])
        while todo:
            r, c = todo.popleft()
            for dr in (-1, 0, 1):
                for dc in (-2, -1, 0, 1, 2):  # letters of a word are a little apart: join across one empty cell
                    n = (r + dr, c + dc)
                    if n in cells:
                        cells.remove(n)
                        group.append(n)
                        todo.append(n)
        r0, r1 = min(r for r, _c in group), max(r for r, _c in group) + 1
        c0, c1 = min(c for _r, c in group), max(c for _r, c in group) + 1
        high, wide = (r1 - r0) * cell, (c1 - c0) * cell
        if 0.8 * xheight <= high <= 3.5 * xheight and 0.3 * xheight <= wide <= 16 * xheight:
            out.append((c0 * cell, r0 * cell, c1 * cell, r1 * cell))
    out.sort(key=lambda b: (b[1], b[0]))
    return out
