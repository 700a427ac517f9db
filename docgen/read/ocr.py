"""OCR as a reading step (SPEC §16): a scanned page gets a text layer, then the usual readers read it.

`ocr_pages(pages, limits)` reads page images with Tesseract and returns, per page, the words (with
confidences) positioned in points, like a PDF's text layer, plus drawn tick boxes decided from the
image. How a page is read, cheapest first:

* the page is looked at (numpy): blank or black → not sent to Tesseract at all; the letter height
  decides the scaling (never the declared dpi); long ruled lines (form boxes) are painted out;
  uneven light → Tesseract's adaptive (Sauvola) threshold;
* one Tesseract call; when that reading is poor, the page's orientation is asked for and the turned
  page read, and the other threshold tried — the reading with the better confidence is kept, never
  blindly the "corrected" one;
* skew is measured from the words' lines and taken out of their positions (no second reading);
* a tick box beside an answer is judged by the ink inside it, not by what Tesseract made of it.

Work stops at `deadline` (monotonic seconds): pages not reached are reported unread, never hang.
"""

from __future__ import annotations

import math
import re
import statistics
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageFilter

from docgen.attendance import titled_record
from docgen.errors import ExtractionError, ReasonCode
from docgen.read import image as img
from docgen.read import missed, reread
from docgen.read.daylist import read_day_list
from docgen.read.daysacross import read_days_across
from docgen.read.herringbone import PIECE_XHEIGHT, Grid, read_grid
from docgen.read.pages import PageImage
from docgen.read.strip import Strip
from docgen.read.tesseract import Word, orientation, read_words
from docgen.read.ticks import OPTION_WORD, tick_boxes

_BOX_NOISE = set("&®©@%#|[](){}<>=+*~`'\"^_-—–.,:;!?$€£¥/\\lIiJ17xXkKoO0QOaAeEBRDS8") | {"☐", "☒", "☑", "□", "■"}
_RULE_DEBRIS = re.compile(r"^(?!\|$)[|\[\]{}_!¦‖]+$")  # a lone "|" may be an "I" (see _pipes_as_i)
GOOD_CONFIDENCE = 80.0  # a first reading this good is kept without trying alternatives
_MIN_WORDS = 8
_PRINTED = 85.0  # a page reading at least this well is print (a clear cursive hand reads ~82)
_DESKEW = math.radians(0.8)  # a page skewed more than this is turned straight and read again
_FAINT = 0.86  # a grey a box's thin sides are drawn in, lighter than the letters' ink (see ticks.tick_boxes)


@dataclass(frozen=True)
class OcrWord:
    """A word on a page in points (x from the left, top from the top), with its confidence 0–100."""

    text: str
    conf: float
    x0: float
    top: float
    x1: float
    bottom: float
    page: int
    mark: bool = False  # a tick box judged from the image, not a word Tesseract read
    height: float = 0.0  # its printed line's own height (the row it shares top and bottom with may be taller)
    again: str = ""  # its second reading, when that did not replace it (`docgen.read.reread`)
    again_conf: float = 0.0


@dataclass
class OcrPage:
    """One page read: its words, size (points), the turn applied to read it, skew and how well it read."""

    number: int
    width: float
    height: float
    words: list[OcrWord] = field(default_factory=list)
    rotation: int = 0
    skew: float = 0.0
    sauvola: bool = False
    confidence: float = 0.0
    readable: bool = True
    note: str = ""  # why a page could not be read ("blank", "dark", "no text", "not reached in time")
    grid: Grid | None = None  # an attendance record's ruled grid read from the image (`docgen.read.herringbone`)


@dataclass(frozen=True)
class _Reading:
    words: list[Word]
    rotation: int
    sauvola: bool
    size: tuple[int, int]
    file: Path  # the (cleaned, turned) image the words were read from
    image: Image.Image  # that image (greyscale), kept for the second look rather than read back from `file`

    @cached_property
    def textual(self) -> list[Word]:
        return [w for w in self.words if sum(c.isalnum() for c in w.text) >= 1]

    @cached_property
    def mean(self) -> float:
        words = self.textual
        if not words:
            return 0.0
        weight = sum(len(w.text) for w in words)
        return sum(w.conf * len(w.text) for w in words) / weight

    @cached_property
    def good_words(self) -> int:
        return sum(1 for w in self.textual if w.conf >= 60 and sum(c.isalpha() for c in w.text) >= 2)

    @cached_property
    def sideways(self) -> bool:
        """Whether Tesseract read the lines of a page turned 90° as columns of upright text: most of its
        confident words of three letters or more are taller than wide (a page's words never are). Such a
        reading can be confident and still give every answer to the wrong question."""
        words = [w for w in self.textual if w.conf >= 60 and len(w.text) >= 3]
        return len(words) >= _MIN_WORDS and sum(w.bottom - w.top > w.x1 - w.x0 for w in words) > 0.6 * len(words)

    def level_enough(self, crooked: _Reading) -> bool:
        """Whether this reading of a page turned straight does as well as the reading of it lying crooked: as
        many words, as sure (within 2), read the same way up. Tesseract's layout drops a crooked table's
        right-hand column; straight, the answers are beside their questions."""
        return self.sideways == crooked.sideways and self.good_words >= crooked.good_words \
            and self.mean >= crooked.mean - 2.0

    def better_than(self, other: _Reading) -> bool:
        """More confident, unless it found far fewer words (a turned page that reads three words well); a
        reading of upright lines always beats one of lines read sideways."""
        if self.sideways != other.sideways:
            return other.sideways
        if self.good_words < 0.6 * other.good_words:
            return False
        if other.good_words < 0.6 * self.good_words:
            return True
        return self.mean > other.mean + 1.0


def ocr_pages(pages: Iterable[PageImage], *, deadline: float) -> list[OcrPage]:
    """Read every page image (in order) until `deadline`; unreached pages come back unread."""
    out: list[OcrPage] = []
    with tempfile.TemporaryDirectory(prefix="docgen-ocr-") as tmp:
        for page in pages:
            if time.monotonic() >= deadline:
                out.append(_unread(page, "not reached in time"))
                continue
            try:
                out.append(read_page(page, Path(tmp), deadline=deadline))
            except ExtractionError as exc:  # Tesseract ran past the deadline: the page goes to a person
                if exc.code is not ReasonCode.TIMED_OUT:
                    raise
                out.append(_unread(page, "not reached in time"))
    return out


def _unread(page: PageImage, note: str) -> OcrPage:
    width = page.width_pt or page.image.width * 72 / 300
    height = page.height_pt or page.image.height * 72 / 300
    return OcrPage(page.number, width, height, readable=False, note=note)


def read_page(page: PageImage, workdir: Path, *, deadline: float) -> OcrPage:
    """Read one page image (see the module's description)."""
    gray = page.image
    pixels_mean, paper = img.background(gray)
    if pixels_mean < 50:
        return _unread(page, "dark")
    ink = img.ink_mask(gray, paper)
    box_ink = None  # the ink rules and tick boxes are found in, when it is not `ink` (a speckled fax's)
    bilevel = sum(1 for n in gray.histogram() if n) <= 2  # black and white only: a fax, a G4 TIFF
    raw = ink  # before any filtering: thin ruling a median filter would break (for `_with_grid`)
    if img.speckled(ink):  # a noisy scanner: dots on the paper confuse the letter height and Tesseract
        # ... but on a fax the median filter that takes them out also breaks up the one-pixel lines of its
        # rules and boxes (left for Tesseract to read as quotes, boxes no longer found): those are looked
        # for in the ink with only its lone dots gone
        box_ink = img.without_dots(ink) if bilevel else None
        gray = gray.filter(ImageFilter.MedianFilter(3))
        paper = img.background(gray)[1]
        ink = img.ink_mask(gray, paper)
    seen = img.look(ink, paper)
    if seen.ink < 0.0015:
        return _unread(page, "blank")
    # the letters' height in pixels decides scaling, never a declared dpi: first a guess from the page's
    # size (an A4 page's body text), then Tesseract's own measure of the words it read
    guess = (gray.width / page.width_pt * 5.2) if page.width_pt else max(gray.size) / 185
    # on a fax, a guess from the pixels alone runs low (A4 at 185 letter-heights, where its body text is ~160):
    # a vertical rule must then run further, or the stem of a "b" or "l" under a table row's rule is painted
    # out as one (a grey page's letters are not solid enough for that)
    best = _read(gray, ink, guess, seen.uneven, workdir / f"page-{page.number}", deadline, box_ink,
                 tall=2.5 if bilevel and not page.width_pt else None, paper=paper)
    measured = x_height(best.words)
    found = _measured_skew(best.words)
    # too few lines read to measure the skew by (a last page's one crooked table, whose answers Tesseract's
    # layout then drops): the ink's own rows say it
    skew = found if found is not None else img.projection_skew(ink if best.rotation == 0 else
                                                                _turned(ink, best.rotation))
    off_scale = measured is not None and not 12 <= measured <= 48
    if (off_scale or abs(skew) > _DESKEW) and time.monotonic() < deadline:
        # read again, scaled to the letters and turned straight; keep whichever reads better
        scale = min(max(img.TARGET_XHEIGHT / measured, 0.3), 3.0) if measured and off_scale else 1.0
        again = _redrawn(gray, best.rotation, skew, scale)
        again_paper = img.background(again)[1]
        again_ink = img.ink_mask(again, again_paper)
        # a speckled page's lines: the unfiltered page turned and scaled as `again` was
        again_lines = None if box_ink is None else \
            img.without_dots(img.ink_mask(_redrawn(page.image, best.rotation, skew, scale)))
        second = _read(again, again_ink, (measured or guess) * scale, seen.uneven, workdir / f"page-{page.number}-2",
                       deadline, again_lines, paper=again_paper)
        if second.better_than(best) or not best.good_words or (abs(skew) > _DESKEW and second.level_enough(best)):
            turned = (best.rotation + second.rotation) % 360
            second_ink = again_ink if second.rotation == 0 else _turned(again_ink, second.rotation)
            second = _second_look(second, second_ink, (measured or guess) * scale, deadline)
            second_boxes = again_lines
            if second_boxes is not None and second.rotation:
                second_boxes = _turned(second_boxes, second.rotation)
            read = _positioned(page, replace(second, rotation=turned), second_ink, x_height(second.words),
                               second_boxes)
            return _with_grid(read, second, second_ink, (measured or guess) * scale, deadline, ruling=second_boxes,
                              speckled=raw is not ink)
    best_ink = ink if best.rotation == 0 else _turned(ink, best.rotation)
    best = _second_look(best, best_ink, measured or guess, deadline)
    if box_ink is not None and best.rotation:
        box_ink = _turned(box_ink, best.rotation)
    lines_ink = box_ink if box_ink is not None or raw is ink else raw if best.rotation == 0 else \
        _turned(raw, best.rotation)
    return _with_grid(_positioned(page, best, best_ink, measured, box_ink), best, best_ink, measured or guess,
                      deadline, ruling=lines_ink, speckled=raw is not ink)


def _redrawn(image: Image.Image, rotation: int, skew: float, scale: float) -> Image.Image:
    """A page image turned, straightened and scaled as `read_page` does before its second reading."""
    again = image.rotate(-rotation, expand=True) if rotation else image
    if abs(skew) > _DESKEW:
        again = again.rotate(math.degrees(skew), resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if scale != 1.0:
        again = again.resize((max(1, round(again.width * scale)), max(1, round(again.height * scale))),
                             Image.Resampling.BICUBIC if scale > 1 else Image.Resampling.BILINEAR)
    return again


_WEEK_START = re.compile(r"^(?:w/?[ce]\.?|wk|week)?\s*\d{1,2}\s*[/.]\s*\d{1,2}\s*[/.]\s*\d{2,4}\b", re.I)
"""A line that starts with a week's date ("w/c 07/09/2026"): three make a page a register, titled or not."""
_DAY_MONTH = re.compile(r"^\d{2}[/.]\d{2}$")
"""A date without its year ("01/09"): five on a line are a register's days across the page."""


def _with_grid(page: OcrPage, reading: _Reading, ink: Any, xheight: float, deadline: float, *,
               ruling: Any = None, speckled: bool = False) -> OcrPage:
    """A page titled as an attendance record, with three lines that start with a week's date, or with a line of
    days across it, has its marks read from the image (Tesseract drops the lone "/" and "\\" marks): its ruled
    grid's, else its per-day list's (`docgen.read.daylist`) or its days across the page
    (`docgen.read.daysacross`); any other page costs nothing more."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    for w in reading.words:
        lines.setdefault(w.line, []).append(w.text)
    weeks = sum(1 for line in lines.values() if _WEEK_START.match(" ".join(line[:2])))
    across = any(sum(1 for t in line if _DAY_MONTH.match(t)) >= 5 for line in lines.values())
    if not (weeks >= 3 or across or titled_record("\n".join(" ".join(t) for t in lines.values()))) \
            or time.monotonic() >= deadline:
        return page
    letters = x_height(reading.words) or xheight
    readers: list[Callable[..., Grid | None]] = [partial(read_grid, ruling=ruling), read_day_list]
    if across:  # its days across the page first: its ruling holds no week in a row, read as a grid it counts none
        readers.insert(0, read_days_across)
    grid = None
    try:
        for reader in readers:
            grid = reader(ink, reading.image, reading.words, letters,
                          reading.file.with_name(f"{reading.file.stem}-grid.tif"), dpi=_dpi(PIECE_XHEIGHT),
                          timeout=max(1.0, deadline - time.monotonic()), speckled=speckled)
            if grid is not None:
                break
    except ExtractionError as exc:  # out of time: the page as read, its grid unread
        if exc.code is not ReasonCode.TIMED_OUT:
            raise
        return page
    if grid is None:
        return page
    width, height = reading.size
    x0, top, x1, bottom = grid.box
    grid.box = (x0 / width, top / height, x1 / width, bottom / height)
    return replace(page, grid=grid)


def _second_look(reading: _Reading, ink: object, xheight: float, deadline: float) -> _Reading:
    """The reading with its doubtful words read again on their own (`docgen.read.reread`) and the answers
    Tesseract's layout dropped (a lone "N", a ✓) read from the ink left over (`docgen.read.missed`): both
    asked on one strip of pieces, read in one Tesseract call (`docgen.read.strip`). A page that reads under
    `_PRINTED` (a hand, a smudged photo) keeps its doubtful words as read: they are doubtful for good; the ink
    left over is looked at only on a page that read well (`_good`), where the words can be trusted to cover it."""
    if time.monotonic() >= deadline:
        return reading
    measured = x_height(reading.words)
    strip = Strip()
    asked_again: list[tuple[int, int, int]] = []
    if reading.mean >= _PRINTED:
        asked_again = reread.ask(reading.words, reading.image, strip, ink)
    left = _unruled(ink, reading.image)
    leftover = missed.ask(left, missed.plan(left, reading.words, measured), measured, strip) \
        if measured is not None and _good(reading) else None
    if not asked_again and (leftover is None or not (leftover.patches or leftover.boxes)):
        return reading
    read: list[list[Word]] = []
    if len(strip):
        try:
            read = strip.read(reading.file.with_name(f"{reading.file.stem}-again.tif"), dpi=_dpi(xheight),
                              timeout=max(1.0, deadline - time.monotonic()))
        except ExtractionError:  # out of time: the page as first read is kept
            return reading
    words = reread.answer(reading.words, asked_again, read) if asked_again else reading.words
    if leftover is not None and measured is not None:
        words = missed.answer(left, words, leftover, read, measured)
    return replace(reading, words=words)


def _unruled(ink: Any, clean: Image.Image) -> Any:
    """The page's ink without the ruled lines painted out of `clean` (the image Tesseract read): a one-digit
    answer a few pixels under a table row's rule ("7" in its cell) is grouped with the rule otherwise, a patch
    far too big to be an answer, and stays unread."""
    painted = np.asarray(clean)
    if painted.shape != ink.shape:
        return ink
    return ink & (painted < 255)


def _dpi(xheight: float) -> int:
    """The resolution Tesseract is told for letters `xheight` pixels high: as if they were 10–11 pt type."""
    return max(70, min(1200, round(xheight * 72 / 5.2)))


def _turned(ink: Any, degrees: int) -> Any:
    return np.asarray(Image.fromarray(ink.astype("uint8") * 255).rotate(-degrees, expand=True)) > 127


def _read(gray: Image.Image, ink: object, xheight: float, uneven: bool, stem: Path, deadline: float,
          lines: object = None, *, tall: float | None = None, paper: Any = None) -> _Reading:
    """One page image read: ruling painted out (found in `lines` when given: a speckled page's ink before its
    median filter, whose thin rules the filter broke into pieces Tesseract reads as quotes), one Tesseract
    call, alternatives only if that reads poorly. `tall`: see `image.without_ruling`; `paper`: the page's
    `image.background`, when already worked out."""
    dpi = _dpi(xheight)
    # a speckled page's rules come in `lines`; on any other, thin rules left lighter than the ink (a blurred
    # scan's box round each answer) are painted out first, where they were found: handed to `without_ruling`
    # as ink, their blurred band made a letter's stem standing on them (a label's "l", an answer's "d") long
    # enough to pass for a box's side, and painted it out with them
    if lines is None:
        gray = img.painted_out(gray, img.grow(img.grow(img.faint_ruling(gray, ink, xheight, paper=paper), 0), 1))
    clean = img.without_ruling(gray, ink if lines is None else lines, xheight, tall=tall)
    file = stem.with_suffix(".tif")
    _save(clean, file, dpi)
    remaining = max(1.0, deadline - time.monotonic())
    best = _Reading(read_words(file, dpi=dpi, sauvola=uneven, timeout=remaining), 0, uneven, clean.size, file,
                    clean)
    if not _good(best):
        best = _alternatives(best, gray, xheight, file, dpi, deadline)
    return best


def _save(image: Image.Image, file: Path, dpi: int) -> None:
    """The page image for Tesseract as an uncompressed TIFF: Leptonica loads it ~0.15 s a page faster than a
    PGM (same words), and nothing is spent compressing it. Never the source's compression (a G4 fax's) nor
    its declared resolution: the dpi Tesseract is told."""
    image.save(file, format="TIFF", compression="raw", dpi=(dpi, dpi))


_X_ONLY = re.compile(r"^[acemnorsuvwxz]{2,}$")


_LOWER = re.compile(r"^[a-z]{3,}$")
_ASCENDING = frozenset("bdfhiklt")
_DESCENDING = frozenset("gjpqy")


def x_height(words: list[Word]) -> float | None:
    """The x-height in pixels as Tesseract saw it: the median height of confident words made only of
    letters without ascenders or descenders ("on", "name", "screen"). A page with too few of those (a short
    summary of labels and figures: "Sessions possible", "Present") has it from its other lower-case words,
    an ascender or descender making a word ~1.4 x-heights tall, both ~1.8."""
    heights = [w.bottom - w.top for w in words if w.conf >= 70 and _X_ONLY.match(w.text)]
    if len(heights) >= 3:
        return statistics.median(heights)
    estimates = []
    for w in words:
        if w.conf < 70 or not _LOWER.match(w.text):
            continue
        up, down = bool(_ASCENDING & set(w.text)), bool(_DESCENDING & set(w.text))
        estimates.append((w.bottom - w.top) / (1.8 if up and down else 1.4 if up or down else 1.0))
    return statistics.median(estimates) if len(estimates) >= 5 else None


def _good(reading: _Reading) -> bool:
    return reading.mean >= GOOD_CONFIDENCE and reading.good_words >= _MIN_WORDS and not reading.sideways


def _alternatives(first: _Reading, gray: Image.Image, xheight: float, file: Path, dpi: int,
                  deadline: float) -> _Reading:
    """A poor first reading: try the page turned as Tesseract's orientation check says, then the other
    threshold; keep whichever reads best (the first reading included)."""
    best = first
    if time.monotonic() < deadline:
        turn, conf = orientation(file, dpi=dpi, timeout=max(1.0, deadline - time.monotonic()))
        if turn and conf >= 0.5:
            # the ruling is painted out again on the turned page: a form box's sides are told apart from
            # letters by their direction (see `image.without_ruling`), so a page read sideways kept them
            upright = gray.rotate(-turn, expand=True)
            turned = img.without_ruling(upright, img.ink_mask(upright), xheight)
            turned_file = file.with_name(f"{file.stem}-r{turn}.tif")
            _save(turned, turned_file, dpi)
            words = read_words(turned_file, dpi=dpi, sauvola=first.sauvola,
                               timeout=max(1.0, deadline - time.monotonic()))
            candidate = _Reading(words, turn, first.sauvola, turned.size, turned_file, turned)
            if candidate.better_than(best):
                best = candidate
    if not _good(best) and time.monotonic() < deadline:
        source = file if best.rotation == 0 else file.with_name(f"{file.stem}-r{best.rotation}.tif")
        words = read_words(source, dpi=dpi, sauvola=not best.sauvola, timeout=max(1.0, deadline - time.monotonic()))
        candidate = _Reading(words, best.rotation, not best.sauvola, best.size, source, best.image)
        if candidate.better_than(best):
            best = candidate
    return best


def skew_of(words: list[Word]) -> float:
    """The page's skew in radians, from the slope of the words' bottoms along each line Tesseract found."""
    measured = _measured_skew(words)
    return 0.0 if measured is None else measured


def _measured_skew(words: list[Word]) -> float | None:
    """`skew_of`, or None when fewer than three long lines were read to measure it by."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        if w.conf >= 50 and len(w.text) >= 2:
            lines.setdefault(w.line, []).append(w)
    slopes: list[float] = []
    for line in lines.values():
        if len(line) < 3:
            continue
        xs = [(w.x0 + w.x1) / 2 for w in line]
        ys = [w.bottom for w in line]
        span = max(xs) - min(xs)
        if span < 200:
            continue
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        den = sum((x - mx) ** 2 for x in xs)
        if den:
            slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den)
    if len(slopes) < 3:
        return None
    return math.atan(statistics.median(slopes))


def _positioned(page: PageImage, reading: _Reading, ink: object, xheight: float | None,
                box_ink: object = None) -> OcrPage:
    """The reading's words (and the tick boxes beside answers) in points on the upright, unskewed page; the
    boxes are looked for in `box_ink` when given (a speckled page's ink before its median filter)."""
    width_px, height_px = reading.size
    if page.width_pt and page.height_pt:
        upright = (page.width_pt, page.height_pt) if reading.rotation in (0, 180) else (page.height_pt,
                                                                                          page.width_pt)
        factor = upright[0] / width_px
    else:  # a photo: its points follow from the letters (x-height of 10–11 pt type ≈ 5.2 pt)
        factor = 5.2 / xheight if xheight else 72.0 / 300
        upright = (width_px * factor, height_px * factor)
    angle = skew_of(reading.words)
    cx, cy = width_px / 2, height_px / 2
    cos, sin = math.cos(-angle), math.sin(-angle)

    def place(x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        mx, my = (x0 + x1) / 2 - cx, (top + bottom) / 2 - cy
        rx, ry = mx * cos - my * sin + cx, mx * sin + my * cos + cy
        half_w, half_h = (x1 - x0) / 2, (bottom - top) / 2
        return ((rx - half_w) * factor, (ry - half_h) * factor, (rx + half_w) * factor, (ry + half_h) * factor)

    lines = ink if box_ink is None else box_ink
    # a box drawn in light grey may have lost its top and bottom to the ink threshold (not on a fax: bilevel)
    faint = None if box_ink is not None else partial(img.ink_mask, reading.image, darker=_FAINT)
    boxes, read = tick_boxes(reading.words, lines, faint)
    kept: list[tuple[Word, tuple[float, float, float, float]]] = []
    tall = 2.0 * statistics.median([w.bottom - w.top for w in read] or [1.0])
    for w in read:
        if w.bottom - w.top > tall and len(w.text) <= 4:
            continue  # a "word" several lines tall: a ruled line or a box's edge read as letters
        cxw, cyw = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        if any(b.x0 - 3 <= cxw <= b.x1 + 3 and b.top - 3 <= cyw <= b.bottom + 3 for b in boxes) \
                and not OPTION_WORD.fullmatch(w.text) and (len(w.text) <= 3 or set(w.text) <= _BOX_NOISE):
            continue  # Tesseract's reading of the box itself ("&", "®", "[]|"): the image decides instead
        if _RULE_DEBRIS.match(w.text) or (w.conf < 60 and w.text in {"—", "–", "-", "_"}) or (w.conf < 60 and len(w.text) <= 4 and img.on_rule(lines, w.x0, w.top, w.x1,
                                                                                               w.bottom)):
            continue  # what is left of a ruled line ("|", "[", "es" for a box's shaded edge), not a word
        if w.text == "|" and img.rule_through(lines, w.x0, w.top, w.x1, w.bottom):
            continue  # a cell's side, however close the answer's first word (see _pipes_as_i)
        w = _without_rule_stub(w, lines)
        kept.append((w, place(w.x0, w.top, w.x1, w.bottom)))
    # the words of one line share its top and bottom (a "*" or an x-height word would otherwise start a
    # line of its own in the layout reader, which groups words by their vertical middle)
    kept = _pipes_as_i(kept)
    keys = _printed_lines(kept)
    spans: dict[tuple[int, ...], list[tuple[float, float]]] = {}
    across: dict[tuple[int, ...], list[tuple[float, float]]] = {}
    for (_w, (x0, top, x1, bottom)), key in zip(kept, keys, strict=True):
        spans.setdefault(key, []).append((top, bottom))
        across.setdefault(key, []).append((x0, x1))
    own = {key: (min(t for t, _b in v), max(b for _t, b in v)) for key, v in spans.items()}
    line_box = _rows(own, {key: (min(a for a, _b in v), max(b for _a, b in v)) for key, v in across.items()})
    words: list[OcrWord] = []
    for (w, (x0, _top, x1, _bottom)), key in zip(kept, keys, strict=True):
        top, bottom = line_box[key]
        words.append(OcrWord(w.text, w.conf, x0, top, x1, bottom, page=page.number,
                             height=own[key][1] - own[key][0], again=w.again, again_conf=w.again_conf))
    for b in boxes:
        words.append(OcrWord("☒" if b.ticked else "☐", b.conf, *place(b.x0, b.top, b.x1, b.bottom),
                             page=page.number, mark=True))
    textual = [w for w in reading.textual]
    good = reading.good_words
    readable = good >= 5 and reading.mean >= 45
    note = "" if readable else "no text"
    return OcrPage(page.number, upright[0], upright[1], words, reading.rotation, math.degrees(angle),
                   reading.sauvola, round(reading.mean, 1) if textual else 0.0, readable, note)


_RULE_STUB = "’‘“”\"'`:;.,|"  # a piece of a ruled line read as a mark glued to the word beside it


def _without_rule_stub(w: Word, ink: Any) -> Word:
    """A word without the "_" a cell's corner left glued to its front ("_advice"), nor a quote or colon that is
    a piece of the rule it starts on ("“Does", "\"12/03/2013" on a fax whose rules the speckle filter broke):
    either would move the word's left edge off its column and stay glued to the label or answer."""
    bare = w.text.lstrip("_")
    if bare != w.text and sum(c.isalpha() for c in bare) < 2:
        return w
    if bare == w.text:
        stub = len(w.text) - len(w.text.lstrip(_RULE_STUB))
        if stub == 0 or stub > 2 or not w.text[stub:stub + 1].isalnum():
            return w
        wide = (w.x1 - w.x0) * (stub + 0.5) / len(w.text)
        if not img.rule_through(ink, w.x0 - 2, w.top, w.x0 + wide, w.bottom):
            return w
        bare = w.text[stub:]
        if sum(c.isalnum() for c in bare) < 2:
            return w
    cut = (w.x1 - w.x0) * (len(w.text) - len(bare)) / len(w.text)
    return replace(w, text=bare, x0=w.x0 + cut)


def _pipes_as_i(kept: list[tuple[Word, tuple[float, float, float, float]]]
                ) -> list[tuple[Word, tuple[float, float, float, float]]]:
    """Tesseract reads a capital I at the start of a sentence as "|": a "|" just before a word on its line, no
    taller than that word's letters, is "I". A taller one is a cell's side beside the answer's first word, which
    made "I Martin Okoye" of a scanned form's answer."""
    out: list[tuple[Word, tuple[float, float, float, float]]] = []
    for n, (w, box) in enumerate(kept):
        if w.text == "|":
            after = [x for x, _b in kept[n + 1:n + 2] if x.line == w.line]
            height = w.bottom - w.top
            if not after or after[0].x0 - w.x1 > 1.2 * height or not after[0].text[:1].isalpha() \
                    or height > 1.4 * (after[0].bottom - after[0].top):
                continue  # what is left of a ruled line: apart from the word, or taller than its letters
            w = replace(w, text="I")
        out.append((w, box))
    return out


def _printed_lines(kept: list[tuple[Word, tuple[float, float, float, float]]]) -> list[tuple[int, ...]]:
    """A key per word for the printed line it is on: Tesseract's line, split where its words sit at clearly
    different heights (Tesseract sometimes makes one "line" of a column of table labels)."""
    by_line: dict[tuple[int, int, int], list[int]] = {}
    for n, (w, _box) in enumerate(kept):
        by_line.setdefault(w.line, []).append(n)
    keys: list[tuple[int, ...]] = [()] * len(kept)
    for line, members in by_line.items():
        heights = sorted(kept[n][1][3] - kept[n][1][1] for n in members)
        tolerance = 0.6 * heights[len(heights) // 2]
        part, anchor = 0, None
        for n in sorted(members, key=lambda n: (kept[n][1][1] + kept[n][1][3]) / 2):
            middle = (kept[n][1][1] + kept[n][1][3]) / 2
            if anchor is not None and middle - anchor > tolerance:
                part += 1
                anchor = middle
            anchor = middle if anchor is None else anchor
            keys[n] = (*line, part)
    return keys


def _rows(lines: dict[tuple[int, ...], tuple[float, float]],
          across: dict[tuple[int, ...], tuple[float, float]]) -> dict[tuple[int, ...], tuple[float, float]]:
    """Tesseract lines that overlap by a third of their height are one printed row (a question and the answer
    beside it, read as separate blocks): they share the row's top and bottom. Lines that overlap across the
    page are never one row (a label's second line under its first, an answer's second line beside a
    one-line question: the next printed line)."""
    out: dict[tuple[int, ...], tuple[float, float]] = {}
    row: list[tuple[int, ...]] = []
    top = bottom = 0.0
    usual = statistics.median([b - t for t, b in lines.values()] or [1.0])
    for key, (t, b) in sorted(lines.items(), key=lambda kv: (kv[1][0] + kv[1][1]) / 2):
        if b - t > 2.2 * usual:  # a line as tall as several: never the row others join
            out[key] = (t, b)
            continue
        overlap = min(b, bottom) - max(t, top)
        x0, x1 = across[key]
        beside = all(min(x1, across[k][1]) - max(x0, across[k][0]) <= 0 for k in row)
        if row and beside and overlap >= 0.35 * min(b - t, bottom - top):
            row.append(key)
            top, bottom = min(top, t), max(bottom, b)
            continue
        out.update(dict.fromkeys(row, (top, bottom)))
        row, top, bottom = [key], t, b
    out.update(dict.fromkeys(row, (top, bottom)))
    return out
