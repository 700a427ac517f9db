"""A picture of the school weeks of a timeline (PNG, drawn with Pillow) for the timeline document."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from docgen.dates import as_date
from docgen.timeline import review_of

WIDTH, HEIGHT = 1800, 460  # the template's picture has this 3.9:1 shape
_MARGIN = 40
_BAR_TOP, _BAR_BOTTOM = 110, 230
_WEEK = (201, 224, 242)
_REVIEW = (255, 214, 153)
_HOLIDAY = (225, 225, 225)
_INK = (30, 30, 30)
_END = (176, 32, 48)
_FONT_FILES = ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "Arial.ttf")


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in _FONT_FILES:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def timeline_chart(timeline: Mapping[str, Any], holidays: Iterable[Mapping[str, Any]] = ()) -> bytes:
    """Draw the weeks of `timeline` (`docgen timeline --json`) as a row of boxes; return PNG bytes.

    The picture depends only on what `_plan` takes from the timeline (the slots, their numbers and start
    days, the review week, the end). Cases accepted on the same day mostly share it, so the drawing and
    its PNG encoding (the costly part) are remembered for the last few plans: same bytes either way.
    """
    return _drawn(_plan(timeline, list(holidays)))


_Slot = tuple[str, float, str, "dt.date | None", bool, bool]  # kind, width, number, start, review?, ends here?


def _plan(timeline: Mapping[str, Any], holidays: list[Mapping[str, Any]]) -> tuple[_Slot, ...]:
    """Everything the chart shows, as plain values (the key of the remembered pictures)."""
    weeks = [w for w in timeline.get("weeks") or [] if as_date(w.get("start")) and as_date(w.get("end"))]
    if not weeks:
        return ()
    review = review_of(dict(timeline)).week if timeline.get("weeks") else None  # as the letters state it
    end = as_date(timeline.get("provision_end"))
    plan: list[_Slot] = []
    for kind, width, item in _slots(weeks, holidays):
        if kind == "gap":
            plan.append((kind, width, "", None, False, False))
        else:
            plan.append((kind, width, str(item.get("number")), as_date(item.get("start")),
                         item.get("number") == review, bool(end and as_date(item.get("end")) == end)))
    return tuple(plan)


@lru_cache(maxsize=32)
def _drawn(plan: tuple[_Slot, ...]) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    if not plan:
        draw.text((_MARGIN, HEIGHT // 2), "No school weeks in this period", fill=_INK, font=_font(40))
        return _png(image)
    unit = (WIDTH - 2 * _MARGIN) / sum(width for _, width, *_rest in plan)
    x = float(_MARGIN)
    for kind, width, number, start, is_review, ends in plan:
        left, right = x, x + width * unit
        if kind == "gap":
            draw.rectangle((left + 2, _BAR_TOP, right - 2, _BAR_BOTTOM), fill=_HOLIDAY)
            _centred(draw, (left + right) / 2, _BAR_BOTTOM + 28, "holiday", 22)
        else:
            fill = _REVIEW if is_review else _WEEK
            draw.rectangle((left + 2, _BAR_TOP, right - 2, _BAR_BOTTOM), fill=fill, outline=_INK, width=2)
            _centred(draw, (left + right) / 2, _BAR_TOP + 40, number, 40)
            if start:
                _centred(draw, (left + right) / 2, _BAR_BOTTOM + 28, f"{start.day} {start:%b}", 22)
            if ends:
                draw.line((right - 2, _BAR_TOP - 40, right - 2, _BAR_BOTTOM + 60), fill=_END, width=6)
        x = right
    draw.text((_MARGIN, 30), "School weeks of the provision (numbers); review week shaded orange",
              fill=_INK, font=_font(30))
    _legend(draw)
    return _png(image)


def _slots(weeks: list[Mapping[str, Any]], holidays: list[Mapping[str, Any]]) -> list[tuple[str, float, Any]]:
    slots: list[tuple[str, float, Any]] = []
    previous: dt.date | None = None
    for week in weeks:
        start = as_date(week.get("start")) or dt.date.min
        monday = start - dt.timedelta(days=start.weekday())
        skipped = previous is not None and (monday - previous).days > 7
        if previous is not None and (skipped or any(_between(h, previous, monday) for h in holidays)):
            slots.append(("gap", 0.5, None))
        slots.append(("week", 1.0, week))
        previous = monday
    return slots


def _between(holiday: Mapping[str, Any], previous_monday: dt.date, monday: dt.date) -> bool:
    start, end = as_date(holiday.get("start")), as_date(holiday.get("end"))
    return bool(start and end and previous_monday + dt.timedelta(days=4) < start and end < monday)


def _centred(draw: ImageDraw.ImageDraw, x: float, y: float, words: str, size: int) -> None:
    draw.text((x, y), words, fill=_INK, font=_font(size), anchor="mm")


def _legend(draw: ImageDraw.ImageDraw) -> None:
    y = HEIGHT - 70
    items = ((_WEEK, "school week"), (_REVIEW, "review week"), (_HOLIDAY, "holiday"))
    x = _MARGIN
    for colour, words in items:
        draw.rectangle((x, y, x + 40, y + 30), fill=colour, outline=_INK)
        draw.text((x + 55, y + 15), words, fill=_INK, font=_font(26), anchor="lm")
        x += 330
    draw.line((x, y - 5, x, y + 35), fill=_END, width=6)
    draw.text((x + 20, y + 15), "provision ends", fill=_INK, font=_font(26), anchor="lm")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # twice as fast as the default 6; a few KB larger
    return buffer.getvalue()


def placeholder_png() -> bytes:
    """The picture a template holds until rendering swaps in the real chart (same shape)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    ImageDraw.Draw(image).text((_MARGIN, HEIGHT // 2), "Timeline chart (drawn when the letter is produced)",
                               fill=_INK, font=_font(40))
    return _png(image)


__all__ = ["HEIGHT", "WIDTH", "placeholder_png", "timeline_chart"]
