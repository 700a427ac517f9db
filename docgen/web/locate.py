"""Where on a page each value was read from: boxes in PDF points, measured from the page's top left.

Fillable PDFs: the widget's /Rect of the field the value came from. PDFs with text (and Word
documents, printed to PDF by LibreOffice for display): the value's words, found with pdfplumber
near the field's printed label — at display time, so nothing extra is stored at intake.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from docgen.forms.schema import Field, normalise_label

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]


@dataclass(frozen=True)
class Box:
    """One value's place on one page (points from the page's top-left corner)."""

    key: str
    page: int  # 1-based
    x0: float
    top: float
    x1: float
    bottom: float


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def spellings(value: Any) -> list[str]:
    """The ways a value may be printed, squashed to lower-case letters and digits."""
    if value is None or isinstance(value, bool):
        return []
    text = str(value).strip()
    out = [text]
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is not None:
        month = _MONTHS[day.month - 1]
        suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        out += [f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", f"{day.day} {month} {day.year}",
                f"{day.day}{suffix} {month} {day.year}", f"{day.day} {month[:3]} {day.year}",
                f"{day:%d/%m/%y}", f"{day.day} {month[:3]} {day:%y}"]
    else:
        out.append(text.splitlines()[0] if text else text)
    squashed = [_squash(s) for s in out]
    return [s for s in dict.fromkeys(squashed) if s]


def acroform_boxes(data: bytes, fields: Mapping[str, Any], schema: Mapping[str, Field]) -> list[Box]:
    """The widget rectangles of the fields whose values were read (fillable PDFs)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return []
        pages = list(reader.pages)
    except Exception:  # noqa: BLE001 - a document the readers accepted but pypdf cannot walk: no boxes
        return []
    wanted = {k for k, v in fields.items() if v is not None}
    by_label = {m: f.key for f in schema.values() for m in f.match_keys}
    boxes: list[tuple[bool, Box]] = []
    for number, page in enumerate(pages, start=1):
        box = page.mediabox
        for widget in _widgets(page):
            key = _key_of(_full_name(widget), wanted, by_label)
            rect = widget.get("/Rect")
            if key is None or not isinstance(rect, ArrayObject) or len(rect) != 4:
                continue
            x0, y0, x1, y1 = (float(v) for v in rect)
            ticked = str(widget.get("/AS", "/On")) != "/Off"
            boxes.append((ticked, Box(key, number, min(x0, x1) - float(box.left), float(box.top) - max(y0, y1),
                                      max(x0, x1) - float(box.left), float(box.top) - min(y0, y1))))
    # of a Yes/No pair of boxes, the one that is ticked is where the answer is
    answered = {b.key for ticked, b in boxes if ticked}
    return [b for ticked, b in boxes if ticked or b.key not in answered]


def _widgets(page: Any) -> Iterator[DictionaryObject]:
    annots = page.get("/Annots")
    try:
        items = annots.get_object() if annots is not None else []
    except Exception:  # noqa: BLE001
        return
    for ref in items or []:
        try:
            annot = ref.get_object()
        except Exception:  # noqa: BLE001
            continue
        if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == "/Widget":
            yield annot


def _full_name(widget: DictionaryObject) -> str:
    parts: list[str] = []
    node: Any = widget
    for _ in range(16):
        title = node.get("/T")
        if title is not None:
            parts.append(str(title))
        parent = node.get("/Parent")
        if parent is None:
            break
        node = parent.get_object()
    return ".".join(reversed(parts))


def _key_of(name: str, wanted: set[str], by_label: Mapping[str, str]) -> str | None:
    for candidate in (name, name.rsplit(".", 1)[-1]):
        if candidate in wanted:
            return candidate
        key = by_label.get(normalise_label(candidate))
        if key in wanted:
            return key
    return None


def text_boxes(data: bytes, fields: Mapping[str, Any], schema: Mapping[str, Field]) -> list[Box]:
    """The words of each value on the page, nearest after its printed label (PDFs with a text layer)."""
    boxes: list[Box] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
                if not words:
                    continue
                left, top = float(page.bbox[0]), float(page.bbox[1])
                for key, value in fields.items():
                    found = _find(words, spellings(value), _label_words(schema.get(key)))
                    if found is not None:
                        x0, t, x1, b = found
                        boxes.append(Box(key, number, x0 - left, t - top, x1 - left, b - top))
    except Exception:  # noqa: BLE001 - no boxes rather than no page
        return boxes
    return boxes


def _label_words(field: Field | None) -> list[str]:
    if field is None:
        return []
    return [_squash(label) for label in field.labels if _squash(label)]


def _runs(words: list[dict[str, Any]], target: str) -> Iterator[tuple[int, int]]:
    """(first, last) indexes of consecutive words whose squashed text is exactly `target`."""
    for i in range(len(words)):
        if not _squash(str(words[i]["text"])):
            continue  # a run starts on a word, never on a lone '*' or ':'
        joined = ""
        for j in range(i, min(i + 30, len(words))):
            joined += _squash(str(words[j]["text"]))
            if joined == target:
                yield i, j
                break
            if not target.startswith(joined):
                break


def _bbox(words: list[dict[str, Any]], i: int, j: int) -> tuple[float, float, float, float]:
    part = words[i:j + 1]
    return (min(float(w["x0"]) for w in part), min(float(w["top"]) for w in part),
            max(float(w["x1"]) for w in part), max(float(w["bottom"]) for w in part))


def _find(words: list[dict[str, Any]], targets: list[str],
          labels: list[str]) -> tuple[float, float, float, float] | None:
    anchors = [_bbox(words, i, j) for label in labels for i, j in _runs(words, label)]
    candidates = [_bbox(words, i, j) for target in targets for i, j in _runs(words, target)]
    if not candidates:
        return None
    if not anchors:
        shortest = min(len(t) for t in targets)
        return candidates[0] if shortest >= 3 else None
    def distance(box: tuple[float, float, float, float]) -> float:
        best = float("inf")
        for anchor in anchors:
            if box[1] < anchor[1] - 3:  # above its label: not its answer
                continue
            best = min(best, max(0.0, box[1] - anchor[1]) * 2 + abs(box[0] - anchor[2]) * 0.5)
        return best
    nearest = min(candidates, key=distance)
    return nearest if distance(nearest) < float("inf") else None
