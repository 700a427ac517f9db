"""A scanned register's doubtful marks told by the shape of its own sure ones (SPEC §5, §16).

A mark read on its own by Tesseract (`docgen.read.herringbone`) is read twice, as its ink and as the page shows
it, and the page's reading joins in; readings that name two different codes leave it "?". On a JPEG-compressed
or speckled scan this happens to a few of a register's many "I"s ("I" and "F", "I" and "X": a serif blurred into
a bar), and one "?" is enough for the marks not to add up to the totals the record prints.

A register prints every mark of one code in one font, so the marks whose readings all agreed are samples of
how its codes look on this page. A doubtful mark is given one of the codes its own readings named when its ink
is as like that code's samples as they are like each other (and as two different codes never are), and clearly
less like every other code's: the register's own print breaks the tie, never a code no reading named, never a
code with too few samples. A mark it cannot tell stays "?", and the record falls back as before.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from docgen.read.image import Array

SIZE = 24  # pixels: a mark's shape is compared at this size
SAMPLES = 4  # sure marks of a code needed before its shape can tell a doubtful one
_LIKE = 0.92  # likeness (0–1) a mark needs to its code's samples at least: two different codes printed in one
# font, blurred and JPEG-compressed, are at most 0.89 alike ("T" and "I" in a serif font; "O" and "D"), and a
# code's own samples 0.91–0.99 (DejaVu Sans Mono, DejaVu Sans and Serif, Nimbus Mono)
_MARGIN = 0.1  # how much less like any other code's samples it must be
TOLD = 90.0  # the confidence of a mark told by shape (an agreed reading is 96 and more)


def shape(ink: Array) -> Array | None:
    """A mark's ink (True = ink) cropped to itself, centred on a square, scaled to SIZE×SIZE and normalised
    (zero mean, unit length); None for a cell without ink."""
    ys, xs = np.nonzero(ink)
    if ys.size < 4:
        return None
    crop = ink[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1]
    side = max(crop.shape)
    square = np.zeros((side, side), dtype=np.float32)
    top, left = (side - crop.shape[0]) // 2, (side - crop.shape[1]) // 2
    square[top: top + crop.shape[0], left: left + crop.shape[1]] = crop
    small = np.asarray(Image.fromarray(square).resize((SIZE, SIZE), Image.Resampling.BILINEAR), dtype=np.float64)
    small = small - small.mean()
    norm = float(np.linalg.norm(small))
    return small / norm if norm > 0 else None


@dataclass
class Samples:
    """The shapes of a register's sure marks, by code."""

    by_code: dict[str, list[Array]]

    def tell(self, mark: Array, named: set[str]) -> str | None:
        """The code among `named` whose samples `mark` is as like as the least like of them is, and clearly
        more like than any other code's; None when no code is."""
        means = {code: _mean(shapes) for code, shapes in self.by_code.items() if len(shapes) >= SAMPLES}
        if not means:
            return None
        likeness = {code: float(np.sum(mark * mean)) for code, mean in means.items()}
        best = max(likeness, key=lambda code: likeness[code])
        if best not in named:
            return None
        if likeness[best] < max(_LIKE, min(float(np.sum(s * means[best])) for s in self.by_code[best])):
            return None  # less like them than they are like each other
        others = [v for code, v in likeness.items() if code != best]
        if others and likeness[best] - max(others) < _MARGIN:
            return None
        return best


def _mean(shapes: list[Array]) -> Array:
    mean = np.mean(np.stack(shapes), axis=0)
    mean = mean - mean.mean()
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean
