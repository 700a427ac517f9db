"""Looking at a page image before and beside OCR: ink, text height, uneven light, ruling, tick boxes.

All on a grey page (numpy arrays, 0 = black). Ink is found against a local background estimate, so a
phone photo darker at one edge is still judged fairly. Nothing here reads text; it decides how to
present the page to Tesseract and answers what Tesseract cannot: whether a box is ticked.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

Array = Any  # numpy arrays (numpy's own stubs are too loose to help here)

TARGET_XHEIGHT = 24.0  # Tesseract reads best with lower-case letters about this many pixels tall
_BLOCK = 16
_TICKED = 0.08  # share of ink in a box's centre from which it counts as ticked
_CANDIDATES = 6  # square frames tried beside a word before none is taken for its box


@dataclass(frozen=True)
class Look:
    """What a page image shows at a glance."""

    ink: float  # share of the page that is ink
    uneven: bool  # the background brightness varies a lot (a phone photo's shadow)


def background(image: Image.Image) -> tuple[float, Array]:
    """The page's mean brightness and the paper's brightness in 16-pixel blocks (the brightest around each
    block), computed once for `ink_mask` and `look`."""
    small = image.reduce(_BLOCK) if min(image.size) >= _BLOCK * 4 else image
    return float(np.asarray(small).mean()), np.asarray(small.filter(ImageFilter.MaxFilter(5)))


def ink_mask(image: Image.Image, paper: Array | None = None, *, darker: float = 0.72) -> Array:
    """Pixels clearly darker than the paper around them (True = ink): under `darker` times the paper's
    brightness, estimated in 16-pixel blocks (`background`), so a shadow across a photo does not turn into ink."""
    if paper is None:
        paper = background(image)[1]
    full = Image.fromarray(_threshold(paper, darker)).resize(image.size, Image.Resampling.BILINEAR)
    return np.asarray(image) < np.asarray(full)


def _threshold(paper: Array, darker: float) -> Array:
    """`ink_mask`'s threshold in 16-pixel blocks, capped where the paper is white: at the usual 0.72, no pixel
    lighter than 200 is ink."""
    return np.minimum(paper.astype(np.float32) * darker, 278 * darker).astype(np.uint8)


_PRECISION = 22  # PIL's fixed point for 8-bit resampling (Resample.c: PRECISION_BITS)


def _ink_rows(pixels: Array, paper: Array, darker: float, rows: Array) -> Array:
    """Rows `rows` of `ink_mask` of the page `pixels`, at the cost of those rows only: the threshold's
    bilinear resize worked out for them as PIL works it out for the whole page (its horizontal pass by PIL,
    its vertical pass in PIL's own fixed-point sums, so every value is the one PIL gives)."""
    small = _threshold(paper, darker)
    height, width = pixels.shape
    across = np.asarray(Image.fromarray(small).resize((width, small.shape[0]), Image.Resampling.BILINEAR))
    # PIL's coefficients for each row: the bilinear filter at the source rows within one row of its centre,
    # normalised to sum to 1, then in fixed point
    scale = float(np.float32(small.shape[0])) / height
    centre = (rows + 0.5) * scale
    first = np.maximum((centre - 0.5).astype(np.int64), 0)
    count = np.minimum((centre + 1.5).astype(np.int64), small.shape[0]) - first
    taps = np.arange(3)
    weights = 1.0 - np.abs((first[:, None] + taps) - centre[:, None] + 0.5)
    weights = np.where((taps < count[:, None]) & (weights > 0.0), weights, 0.0)
    total = (weights[:, 0] + weights[:, 1]) + weights[:, 2]
    weights = np.where(total[:, None] != 0.0, weights / np.where(total == 0.0, 1.0, total)[:, None], weights)
    fixed = (0.5 + weights * (1 << _PRECISION)).astype(np.int32)
    sums = np.full((rows.size, width), 1 << (_PRECISION - 1), dtype=np.int32)
    last = small.shape[0] - 1
    for tap in range(3):
        sums += across[np.minimum(first + tap, last)].astype(np.int32) * fixed[:, tap:tap + 1]
    return pixels[rows] < np.minimum(sums >> _PRECISION, 255)


def speckled(ink: Array) -> bool:
    """Whether the page is sprinkled with lone ink dots (scanner noise) worth a median filter."""
    core = ink[1:-1, 1:-1]
    lonely = core & ~(ink[:-2, 1:-1] | ink[2:, 1:-1] | ink[1:-1, :-2] | ink[1:-1, 2:])
    return bool(np.count_nonzero(lonely) > 0.0002 * lonely.size)


def without_dots(ink: Array) -> Array:
    """The ink without its lone dots (no ink among a pixel's eight neighbours): a scanner's speckle goes, a
    one-pixel line (a tick box's side on a 200 dpi fax) stays, which a median filter would break up."""
    padded = np.pad(ink, 1)
    around = np.zeros(ink.shape, dtype=bool)
    height, width = ink.shape
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy != 1 or dx != 1:
                around |= padded[dy:dy + height, dx:dx + width]
    return ink & around


def bridged(ink: Array) -> Array:
    """The ink with its dotted lines made whole: a box's sides a fax or a flattened form's dashed border print
    as dots two or three pixels apart, wandering a pixel sideways, which no side of a square is found in.
    Gaps under five pixels are closed and every stroke thickened by one; holes as big as a box's inside stay."""
    mask = Image.fromarray(ink.astype(np.uint8) * 255)
    closed = mask.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(5)).filter(ImageFilter.MaxFilter(3))
    return np.asarray(closed) > 127


def projection_skew(ink: Array, *, most: float = 4.0, step: float = 0.25) -> float:
    """The page's skew in radians from its ink alone: the turn (within `most` degrees either way) under which
    the ink's rows are sharpest (lines of text and ruled lines run level). For a page whose words are too few
    to measure it by (a form's last page: one crooked table), read at an eighth of its size."""
    height, width = ink.shape
    small = ink[: height - height % 8, : width - width % 8].reshape(height // 8, 8, width // 8, 8).any(axis=(1, 3))
    if small.size == 0 or not small.any():
        return 0.0
    picture = Image.fromarray(small.astype(np.uint8) * 255)
    best, sharpest = 0.0, -1.0
    for n in sorted(range(-round(most / step), round(most / step) + 1), key=abs):  # level first: it wins a tie
        rows = np.asarray(picture.rotate(n * step, resample=Image.Resampling.BILINEAR), dtype=np.float32).sum(axis=1)
        sharpness = float(np.square(np.diff(rows)).sum())
        if sharpness > sharpest * 1.0001:  # a turn that sharpens nothing does not replace a smaller one
            best, sharpest = n * step, sharpness
    return math.radians(best)


def look(ink: Array, paper: Array) -> Look:
    """Ink share and evenness of the light (`paper` from `background`)."""
    paper = paper.astype(np.int16)
    inner = paper[1:-1, 1:-1] if paper.shape[0] > 4 and paper.shape[1] > 4 else paper
    spread = float(np.percentile(inner, 95) - np.percentile(inner, 5)) if inner.size else 0.0
    return Look(ink=np.count_nonzero(ink) / max(1, ink.size), uneven=spread > 45)


def _block_runs(ink_image: Image.Image, block: int, *, vertical: bool) -> Array:
    """Blocks of `block` pixels along each row (or column) that are all ink: (rows, blocks) or (blocks, cols)."""
    width, height = ink_image.size
    size = (width, max(1, height // block)) if vertical else (max(1, width // block), height)
    # whole blocks only: resizing the full width would stretch each block a little, and `_spread` (which puts
    # them back `block` pixels apart) would place the rules on the right of a page up to a block off
    whole = (0, 0, width, size[1] * block) if vertical else (0, 0, size[0] * block, height)
    return np.asarray(ink_image.crop(whole).resize(size, Image.Resampling.BOX)) >= 250


def _spread(small: Array, block: int, shape: tuple[int, int], *, vertical: bool) -> Array:
    """Each block's value over its `block` pixels, in an array of `shape` (a remainder past the last block
    False; an image shorter than one block takes the first block's value). Written in place: one pass."""
    out = np.zeros(shape, dtype=bool)
    axis = 0 if vertical else 1
    whole = min(small.shape[axis], shape[axis] // block)
    if vertical:
        out[: whole * block].reshape(whole, block, shape[1])[...] = small[:whole, None, :]
        if whole < small.shape[0]:
            out[whole * block:] = small[whole]
    else:
        out[:, : whole * block].reshape(shape[0], whole, block)[...] = small[:, :whole, None]
        if whole < small.shape[1]:
            out[:, whole * block:] = small[:, whole:whole + 1]
    return out


def grow(mask: Array, axis: int) -> Array:
    """The mask grown one pixel each way along `axis` (0: up and down, 1: left and right): a line that
    slopes one pixel every few dozen, or is broken by a pixel, stays one run across the other axis."""
    out = mask.copy()
    if axis == 0:
        out[1:] |= mask[:-1]
        out[:-1] |= mask[1:]
    else:
        out[:, 1:] |= mask[:, :-1]
        out[:, :-1] |= mask[:, 1:]
    return out


def _runs_touching(cells: Array, near: Array, *, minimum: int) -> Array:
    """Vertical runs of True in `cells` at least `minimum` long that touch `near` somewhere; only the columns
    with `minimum` cells in a row somewhere (a rule's: few) are worked on."""
    height = cells.shape[0]
    out = np.zeros(cells.shape, dtype=bool)
    if height < minimum:
        return out
    long = cells[:height - minimum + 1].copy()
    for n in range(1, minimum):
        long &= cells[n:n + long.shape[0]]
    some = np.flatnonzero(long.any(axis=0))
    if some.size:
        out[:, some] = _column_runs_touching(cells[:, some], near[:, some], minimum=minimum)
    return out


def _column_runs_touching(cells: Array, near: Array, *, minimum: int) -> Array:
    """`_runs_touching` over every column."""
    cols = np.ascontiguousarray(cells.T)
    hits = np.ascontiguousarray(near.T)
    height = cols.shape[1]
    padded = np.zeros((cols.shape[0], height + 2), dtype=np.int8)
    padded[:, 1:-1] = cols
    flat = padded.ravel()
    touch = np.zeros_like(padded, dtype=np.int32)
    touch[:, 1:-1] = hits
    counted = np.concatenate(([0], np.cumsum(touch.ravel())))
    steps = np.diff(flat)
    starts = np.flatnonzero(steps == 1) + 1
    ends = np.flatnonzero(steps == -1) + 1
    keep = ((ends - starts) >= minimum) & ((counted[ends] - counted[starts]) > 0)
    marks = np.zeros(flat.size + 1, dtype=np.int32)
    marks[starts[keep]] += 1
    marks[ends[keep]] -= 1
    out = np.cumsum(marks[:-1]).astype(bool).reshape(padded.shape)[:, 1:-1]
    return np.ascontiguousarray(out.T)


def without_ruling(image: Image.Image, ink: Array, xheight: float, *, tall: float | None = None) -> Image.Image:
    """The page with ruled lines (form boxes, table rules) painted out: Tesseract reads the text inside a
    box far better without the box's border touching it. A horizontal rule runs at least five
    letter-heights; a vertical one at least three and meets a horizontal rule (a box's side), so the
    stems of large heading letters are never taken for rules. `tall`: how many letter-heights a vertical rule
    must run when that should be more than the usual four blocks of half a letter-height (`xheight` guessed
    low: the stem of a "b" or "l" just under a table row's rule must not pass for one)."""
    shape = ink.shape
    ink_image = Image.fromarray(np.multiply(ink, 255, dtype=np.uint8))
    hblock = max(12, int(xheight * 2.5))
    hsmall = _block_runs(ink_image, hblock, vertical=False)
    hreach = grow(hsmall, 1)
    horizontal = np.zeros(shape, dtype=bool)
    lined = np.flatnonzero(hreach.any(axis=1))  # only the rows a rule runs along are worked on at full size
    if lined.size:
        part = (lined.size, shape[1])
        # a rule's ends (the part of a block only partly on the line) go too: ink touching the line along it
        horizontal[lined] = _spread(hsmall[lined], hblock, part, vertical=False) \
            | (_spread(hreach[lined], hblock, part, vertical=False) & ink[lined])
    vblock = max(5, int(xheight * 0.5))
    vsmall = _block_runs(ink_image, vblock, vertical=True)
    whole = min(vsmall.shape[0], shape[0] // vblock)  # 0 on a page shorter than one block: one partial block
    near = horizontal[:whole * vblock].reshape(whole, vblock, shape[1]).any(axis=1)  # a horizontal rule in the block
    if whole < vsmall.shape[0]:
        near = np.concatenate([near, horizontal[whole * vblock:].any(axis=0, keepdims=True)])
    near = grow(near, 0)
    for _ in range(4):
        near = grow(near, 1)
    vertical = _runs_touching(vsmall, near, minimum=4 if tall is None else max(4, math.ceil(tall * xheight / vblock)))
    vreach = grow(vertical, 0)
    rules = horizontal
    ruled = np.flatnonzero(vreach.any(axis=0))  # likewise the columns a rule runs down
    if ruled.size:
        part = (shape[0], ruled.size)
        rules[:, ruled] |= _spread(vertical[:, ruled], vblock, part, vertical=True) \
            | (_spread(vreach[:, ruled], vblock, part, vertical=True) & ink[:, ruled])
    if not rules.any():
        return image
    return _whitened(image, grow(grow(rules, 0), 1))


def faint_ruling(image: Image.Image, ink: Array, xheight: float, *, darker: float = 0.86,
                 paper: Array | None = None) -> Array:
    """Ruled lines printed in a grey lighter than the letters' ink (`darker`), as thin lines come out of a
    blurred or soft scan: horizontal runs of three blocks of 2.5 letter-heights or more with paper just above
    and below them along their length (a line of letters has its other parts there; a shaded band, more
    grey), and vertical runs of two letter-heights or more meeting one; as ink for `without_ruling` to find
    them in, which Tesseract otherwise sees as a box round each answer and reads nothing inside. A rule the
    `ink` already holds (any crisp scan's) is left to `without_ruling` as it finds it: none is added. `paper`:
    the page's `background`, when already worked out."""
    pixels = np.asarray(image)
    shape = pixels.shape
    if paper is None:
        paper = background(image)[1]
    hblock = max(12, int(xheight * 2.5))
    width = max(1, shape[1] // hblock)
    reach = max(4, round(xheight * 0.4))

    def shares(mask: Array) -> Array:  # each row's share of grey in its blocks of `hblock` pixels (255: all)
        picture = Image.fromarray(np.multiply(mask, 255, dtype=np.uint8))
        return np.asarray(picture.crop((0, 0, width * hblock, mask.shape[0])).resize((width, mask.shape[0]),
                                                                                       Image.Resampling.BOX))

    def run(blocks: Array) -> Array:  # the blocks that start a run of three, away from the top and bottom
        blocks[:reach] = False
        blocks[-reach:] = False
        return blocks[:, :-2] & blocks[:, 1:-1] & blocks[:, 2:]

    # no pixel is grey that is not darker than the highest threshold: the rows where even those make no run
    # (most of a page) hold no rule, and the grey is worked out pixel by pixel only on and around the others
    near = run(shares(pixels < _threshold(paper, darker).max()) >= 250).any(axis=1)
    for _ in range(reach):  # and the rows above and below them that say whether they have paper there
        near = near | np.concatenate([[False], near[:-1]]) | np.concatenate([near[1:], [False]])
    near_rows = np.flatnonzero(near)
    light: Array | None = None
    if near_rows.size > shape[0] // 4:  # grey all over (a shaded photo): the whole page at once is cheaper
        light = ink_mask(image, paper, darker=darker)
        share = shares(light)
    else:
        share = np.zeros((shape[0], width), dtype=np.uint8)  # none grey: no run, and paper above and below
        if near_rows.size:
            near_light = _ink_rows(pixels, paper, darker, near_rows)
            share[near_rows] = shares(near_light)
    blocks = share >= 250
    clear = share < 64  # under a quarter of a block grey
    blocks[reach:-reach] &= clear[:-2 * reach] & clear[2 * reach:]
    starts = run(blocks)
    long = np.zeros(blocks.shape, dtype=bool)
    for n in range(3):
        long[:, n:n + starts.shape[1]] |= starts
    lined = np.flatnonzero(long.any(axis=1))
    if not lined.size:
        return np.zeros(shape, dtype=bool)
    lit = light[lined] if light is not None else near_light[np.searchsorted(near_rows, lined)]
    found = _spread(long[lined], hblock, (lined.size, shape[1]), vertical=False) & lit
    counted = found.sum(axis=1)
    inked = np.zeros(shape[0], dtype=bool)
    inked[lined] = (found & ink[lined]).sum(axis=1) >= 0.5 * np.maximum(counted, 1)
    for _ in range(reach):  # a rule with a row in the ink is in the ink
        inked = inked | np.concatenate([[False], inked[:-1]]) | np.concatenate([inked[1:], [False]])
    found[inked[lined]] = False
    if not found.any():
        return np.zeros(shape, dtype=bool)
    if light is None:
        light = ink_mask(image, paper, darker=darker)
    horizontal = np.zeros(shape, dtype=bool)
    horizontal[lined] = found
    ends = horizontal  # the rule's ends, where its last block was not all grey: on to its corners
    for _ in range(hblock):
        ends = grow(ends, 1) & light
    horizontal = ends
    vblock = max(5, int(xheight * 0.5))
    # the sides are measured apart from the rules they meet: a letter's stem standing on a rule (the "l" of a
    # label just under its row's top rule) is one run with the rule's blurred band, and would pass for a side
    sides = Image.fromarray(np.multiply(light & ~horizontal, 255, dtype=np.uint8))
    cells = _block_runs(sides, vblock, vertical=True)
    whole = min(cells.shape[0], shape[0] // vblock)
    near = horizontal[:whole * vblock].reshape(whole, vblock, shape[1]).any(axis=1)
    if whole < cells.shape[0]:
        near = np.concatenate([near, horizontal[whole * vblock:].any(axis=0, keepdims=True)])
    near = grow(grow(near, 0), 1)
    vertical = _spread(_runs_touching(cells, near, minimum=4), vblock, shape, vertical=True) & light
    for _ in range(3):  # and the blur's lighter fringe either side, which Tesseract still sees as a frame
        horizontal, vertical = grow(horizontal, 0), grow(vertical, 1)
    return horizontal | vertical


def painted_out(image: Image.Image, mask: Array) -> Image.Image:
    """The image with the pixels under `mask` made paper (white); the image itself when the mask is empty."""
    if not mask.any():
        return image
    return _whitened(image, mask)


def _whitened(image: Image.Image, mask: Array) -> Image.Image:
    """The grey image with 255 under the mask: each pixel OR'd with 255 there, 0 elsewhere (one pass, where a
    copy written through the mask takes three)."""
    return Image.fromarray(np.bitwise_or(np.asarray(image), np.multiply(mask, 255, dtype=np.uint8)))


def on_rule(ink: Array, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether a "word" is really what is left of a ruled line: a column of ink inside its box runs on far
    above and below it (no letter is twice its own height)."""
    height = max(bottom - top, 4.0)
    y0, y1 = int(max(0, top - height / 2)), int(min(ink.shape[0], bottom + height / 2))
    region = ink[y0:y1, int(max(0, x0)):int(min(ink.shape[1], x1 + 1))]
    if region.size == 0:
        return False
    return bool((region.sum(axis=0) >= 0.9 * (y1 - y0)).any())


def rule_through(ink: Array, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether a vertical rule runs through columns x0..x1 of a line of text: ink down the whole height of the
    line and on past it, above or below, by half that height (where a table starts or ends the rule stops on
    one side), a pixel of slant allowed. No letter does both."""
    height = max(bottom - top, 4.0)
    y0, y1 = int(max(0, top - height / 2)), int(min(ink.shape[0], bottom + height / 2))
    region = ink[y0:y1, int(max(0, x0 - 1)):int(min(ink.shape[1], x1 + 2))]
    if region.shape[0] < 3 or region.shape[1] < 3:
        return False
    band = region[:, 1:-1] | region[:, :-2] | region[:, 2:]  # a column with its neighbours: a slanted rule
    t, b = int(top) - y0, int(bottom) - y0 + 1
    own = band[t:b].mean(axis=0) if b > t else np.zeros(band.shape[1])
    above = band[:t].mean(axis=0) if t > 0 else np.zeros(band.shape[1])
    below = band[b:].mean(axis=0) if b < band.shape[0] else np.zeros(band.shape[1])
    return bool(((own >= 0.9) & (np.maximum(above, below) >= 0.8)).any())


@dataclass(frozen=True)
class Box:
    """A drawn tick box found on the page: its frame in pixels, whether it is ticked, and how sure (0–100)."""

    x0: int
    top: int
    x1: int
    bottom: int
    ticked: bool
    conf: float


def box_near(ink: Array, x0: float, top: float, x1: float, bottom: float, *, left: bool,
             into: float = 0.0, judge: Array | None = None) -> Box | None:
    """A square tick box printed just left (or right) of a word (an option "Yes"/"No", or a statement);
    `into`: how far into the word's own span to look too (a box Tesseract read as part of the word);
    `judge`: the ink whether it is ticked is decided by, when not the `ink` it was found in (`bridged`)."""
    size = max(bottom - top, 8.0)
    height, width = ink.shape
    y0, y1 = int(max(0, top - size * 0.9)), int(min(height, bottom + size * 0.9))
    if left:
        wx0, wx1 = int(max(0, x0 - size * 3.5)), int(max(0, x0 - size * 0.1 + into))
    else:
        wx0, wx1 = int(min(width, x1 + size * 0.1 - into)), int(min(width, x1 + size * 3.5))
    if wx1 - wx0 < size * 0.6 or y1 - y0 < size:
        return None
    window = ink[y0:y1, wx0:wx1]
    for n, found in enumerate(_squares(window, size, nearest_right=left)):
        if n == _CANDIDATES:
            break
        if not ruled(ink, wx0 + found[0], y0 + found[1], wx0 + found[2], y0 + found[3]):
            return _judged(window if judge is None else judge[y0:y1, wx0:wx1], found, wx0, y0)
        # a "square" whose top is the table's rule just above the box (its sides reach up to it through the
        # row's padding): the box's own top may be the next candidate
    return None


def box_alone(patch: Array) -> Box | None:
    """A tick box that is all of a patch of ink (a box whose option word Tesseract read elsewhere), judged;
    None when the patch is no square frame."""
    height, width = patch.shape
    found = _square(patch, float(height))
    if found is None or found[2] - found[0] < 0.8 * max(height, width) - 4:
        return None
    return _judged(patch, found, 0, 0)


def _judged(window: Array, found: tuple[int, int, int, int], x0: int, y0: int) -> Box | None:
    """The square frame found in a window (at x0, y0 on the page), ticked or not by the ink at its centre."""
    bx0, by0, bx1, by1 = found
    side = bx1 - bx0
    inset = max(2, int(side * 0.3))  # the centre only: some boxes have a second (shadow) frame inside
    inner = window[by0 + inset:by1 - inset + 1, bx0 + inset:bx1 - inset + 1]
    if inner.size == 0:
        return None
    ratio = float(inner.mean())
    ticked = ratio >= _TICKED
    conf = min(99.0, 60 + (ratio - _TICKED) * 600) if ticked else min(99.0, 60 + (_TICKED - ratio) * 600)
    return Box(x0 + bx0, y0 + by0, x0 + bx1, y0 + by1, ticked, round(conf, 1))


def ruled(ink: Array, x0: int, top: int, x1: int, bottom: int) -> bool:
    """Whether a square's sides run on past its corners (ruling that crosses there, as a table's does) or
    ink crowds it on both sides (a "square" made of letters' strokes): a box printed to be ticked stands
    alone."""
    height, width = ink.shape
    reach = max(3, (x1 - x0) // 2)
    gap = max(2, (x1 - x0) // 8)
    runs = []
    for x in (x0, x1):
        runs.append(ink[max(0, top - gap - reach):max(0, top - gap), max(0, x - 1):x + 2].any(axis=1))
        runs.append(ink[min(height, bottom + gap):min(height, bottom + gap + reach), max(0, x - 1):x + 2].any(axis=1))
    for y in (top, bottom):
        runs.append(ink[max(0, y - 1):y + 2, max(0, x0 - gap - reach):max(0, x0 - gap)].any(axis=0))
        runs.append(ink[max(0, y - 1):y + 2, min(width, x1 + gap):min(width, x1 + gap + reach)].any(axis=0))
    if any(run.size >= reach and run.mean() >= 0.9 for run in runs):
        return True
    # ink in the strips just left and just right of it, both: strokes of letters either side (a shadow
    # frame darkens two neighbouring sides, an option word beside it one)
    strips = (ink[top:bottom + 1, max(0, x0 - gap - 2):max(0, x0 - gap)],
              ink[top:bottom + 1, min(width, x1 + gap + 1):min(width, x1 + gap + 3)])
    return all(strip.size and strip.mean() > 0.15 for strip in strips)


def _square(window: Array, size: float, *, nearest_right: bool = True) -> tuple[int, int, int, int] | None:
    """The nearest-to-the-word square frame in a window (the word on its right, or on its left):
    two long columns and two long rows of ink."""
    return next(_squares(window, size, nearest_right=nearest_right), None)


def _squares(window: Array, size: float, *, nearest_right: bool = True) -> Iterator[tuple[int, int, int, int]]:
    """The square frames in a window, nearest to the word first (see `_square`)."""
    rows = window.sum(axis=1)
    cols = window.sum(axis=0)
    low, high = size * 0.65, size * 2.2
    col_idx = [int(i) for i in np.flatnonzero(cols >= low * 0.8)]
    row_idx = [int(i) for i in np.flatnonzero(rows >= low * 0.8)]
    if len(col_idx) < 2 or len(row_idx) < 2:
        return
    # ink counted along each row and down each column once: a side's share of ink is then two look-ups
    # (the same value as the slice's mean; this search tries hundreds of sides a word)
    across = np.zeros((window.shape[0], window.shape[1] + 1), dtype=np.int32)
    np.cumsum(window, axis=1, out=across[:, 1:])
    down = np.zeros((window.shape[0] + 1, window.shape[1]), dtype=np.int32)
    np.cumsum(window, axis=0, out=down[1:])
    rows_at = np.asarray(row_idx)
    row_ink = across[rows_at]

    def col_share(x: int, y0: int, y1: int) -> float:
        return float(down[y1 + 1, x] - down[y0, x]) / (y1 - y0 + 1)

    for right in (reversed(col_idx) if nearest_right else col_idx):
        lefts = [x for x in (col_idx if nearest_right else reversed(col_idx)) if low <= right - x <= high]
        if not lefts:
            continue
        # each long row's share of ink between the two sides, for every left side at once: a square's top and
        # bottom are two of the rows at least 0.7 inked, so a pair of sides with fewer costs nothing more
        spans = np.asarray(lefts)
        shares = (row_ink[:, right + 1:right + 2] - row_ink[:, spans]) / (right - spans + 1)
        full = shares >= 0.7
        for n in np.flatnonzero(np.count_nonzero(full, axis=0) >= 2):
            left_edge = lefts[n]
            side = right - left_edge
            slack = max(2, int(side * 0.15))
            share = shares[:, n].tolist()
            for i in np.flatnonzero(full[:, n]).tolist():
                top = row_idx[i]
                # the bottom edge: the fullest row near where a square's would be (not an X's crossing strokes)
                near = range(bisect_left(row_idx, top + side - slack), bisect_right(row_idx, top + side + slack))
                if not near:
                    continue
                last = max(reversed(near), key=share.__getitem__)  # the lowest of equally full rows
                bottom = row_idx[last]
                if share[last] >= 0.7 and col_share(left_edge, top, bottom) >= 0.7 \
                        and col_share(right, top, bottom) >= 0.7:  # each side drawn (not a rule above an X)
                    yield left_edge, top, right, bottom
