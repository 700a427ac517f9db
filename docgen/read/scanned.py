"""Read a scanned document (image-only PDF pages, or a photo/scan image) into `Content` via OCR.

The result is the same `Content` a PDF's text layer gives — lines of positioned segments — so the
printed-form, letter and attendance readers read a scan exactly as they read a PDF: one reading path.
Beside it comes `Scan`: every page's words with their confidences and boxes, from which each field's
confidence and position are worked out after the fields are read (`docgen.read.confidence`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from docgen.config import Limits
from docgen.kinds import UNREADABLE_SCAN
from docgen.read.ocr import OcrPage, OcrWord, ocr_pages
from docgen.read.pages import image_pages, pdf_pages
from docgen.read.pdf import add_pages, page_lines
from docgen.read.text import Content, Line

UNREADABLE_PAGE = UNREADABLE_SCAN


@dataclass
class Scan:
    """The OCR of a document: pages read (words in points, confidences) and pages that could not be."""

    pages: list[OcrPage] = field(default_factory=list)

    @property
    def words(self) -> list[OcrWord]:
        return [w for p in self.pages for w in p.words]

    @property
    def unreadable(self) -> list[OcrPage]:
        return [p for p in self.pages if not p.readable]

    def layout(self) -> list[dict[str, object]]:
        """Each page's size (points), the turn applied to read it and whether it read: for the desk."""
        return [{"page": p.number + 1, "width": round(p.width, 1), "height": round(p.height, 1),
                 "rotation": p.rotation, "skew": round(p.skew, 2), "confidence": p.confidence,
                 "readable": p.readable, **({"note": p.note} if p.note else {})} for p in self.pages]


def ocr_budget(limits: Limits) -> float:
    """Seconds the reading of one document may spend on OCR: inside the worker's own wall-clock limit, so a
    long scan ends with the pages read so far (and a reason), never killed part-way."""
    return max(5.0, limits.parse_seconds * 0.8)


def read_scan(path: Path, limits: Limits, *, pdf_page_numbers: list[int] | None = None) -> tuple[Content, Scan]:
    """OCR an image file, or the given pages of a PDF, into Content and its Scan."""
    deadline = time.monotonic() + ocr_budget(limits)
    images = (pdf_pages(path, limits, pdf_page_numbers, deadline=deadline) if pdf_page_numbers is not None
              else image_pages(path, limits, deadline=deadline))
    scan = Scan(ocr_pages(images, deadline=deadline))
    content = Content(positioned=True)
    add_scan(content, scan)
    return content, scan


def left_edge(lines: list[Line]) -> float | None:
    """Where a page's lines start: the left edge most of its lines share (three lines at least), or None."""
    starts = sorted(line[0].x0 for line in lines if line)
    best: tuple[int, float] | None = None
    for n, x in enumerate(starts):
        near = [y for y in starts[n:] if y - x <= 3.0]
        if len(near) >= 3 and (best is None or len(near) > best[0]):
            best = (len(near), sum(near) / len(near))
    return best[1] if best else None


def aligned(pages: list[list[Line]]) -> list[list[Line]]:
    """The pages moved sideways so their left edges line up with the first page's: each page of a scan or photo
    sits on the glass (or in the frame) a little differently, and a question that runs over the page break is
    only read as one when its two parts start at the same x."""
    edges = [left_edge(lines) for lines in pages]
    first = next((e for e in edges if e is not None), None)
    if first is None:
        return pages
    return [lines if edge is None or abs(edge - first) < 0.5 else
            [[replace(s, x0=s.x0 + first - edge, x1=s.x1 + first - edge) for s in line] for line in lines]
            for lines, edge in zip(pages, edges, strict=True)]


def add_scan(content: Content, scan: Scan) -> None:
    """Append the scan's pages to `content` as lines (after any pages already there) and as text."""
    pages: list[list[Line]] = []
    for page in scan.pages:
        words = [{"text": w.text, "x0": w.x0, "x1": w.x1, "top": w.top, "bottom": w.bottom, "size": None,
                  "height": w.height or None} for w in page.words]
        pages.append(page_lines(words))
    add_pages(content, aligned(pages))
    texts = [" ".join(s.text for s in line) for lines in pages for line in lines]
    content.text = "\n".join(t for t in (content.text, *texts) if t)
    if not content.head:
        content.head = "\n".join(texts[:20])
    unread = [p for p in scan.pages if not p.readable]
    if unread:
        numbers = ", ".join(str(p.number + 1) for p in unread)
        content.warnings.append(f"page {numbers}: {UNREADABLE_PAGE}" if len(unread) == 1
                                else f"pages {numbers}: {UNREADABLE_PAGE}")
