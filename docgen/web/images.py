"""Page images for the case page: a document's page rendered, with a box where each value was read.

PDFs are rendered with pypdfium2; Word documents are first printed to PDF by LibreOffice (as the
letters are). Rendered pages are kept in memory only (they show a child's details), a few dozen at a
time, keyed by the document's hash and its current reading, so a correction redraws the boxes.
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pypdfium2
from PIL import Image, ImageDraw, ImageFont

from docgen.cases.corrections import field_of
from docgen.cases.store.filed import extraction_from_json
from docgen.errors import RenderError
from docgen.forms.schema import Field
from docgen.kinds import Method
from docgen.letters.pdf import convert_batch
from docgen.web.framework import Desk, DeskError, not_found, private_path
from docgen.web.locate import Box, acroform_boxes, text_boxes

SCALE = 1.5  # 108 dpi: readable on a laptop screen
OUTLINE = (29, 112, 184)  # GOV.UK blue
_KEEP = 48


class _Cache:
    """A small in-memory LRU (nothing about a child is written to disk for display)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Any, Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key: Any, value: Any) -> Any:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_PDFS = _Cache(16)
_PAGES = _Cache(_KEEP)
_COUNTS = _Cache(4096)


def _original(desk: Desk, row: sqlite3.Row) -> Path:
    return private_path(desk.settings.archive, row["archive_path"])


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF")


def _is_docx(path: Path, head: bytes) -> bool:
    return head.startswith(b"PK") and path.suffix.lower() in {".docx", ".docm", ".dotx"}


def pdf_of(desk: Desk, row: sqlite3.Row) -> bytes | None:
    """The document as PDF bytes (its own bytes, or a Word document printed by LibreOffice); None if neither."""
    cached = _PDFS.get(row["sha256"])
    if cached is not None:
        return bytes(cached)
    path = _original(desk, row)
    data = path.read_bytes()
    if _is_pdf(data[:5]):
        return bytes(_PDFS.put(row["sha256"], data))
    if not _is_docx(path, data[:2]):
        return None
    with tempfile.TemporaryDirectory(prefix="docgen-desk-") as work:
        copy = Path(work) / "document.docx"
        copy.write_bytes(data)
        try:
            result = convert_batch([copy], mode="on", timeout=desk.settings.pdf_timeout_seconds, retries=1)
        except RenderError as exc:
            raise DeskError(f"this Word document cannot be shown as pages ({exc.message}); download the "
                            "original instead", 503) from None
        pdf = result.pdfs[0].read_bytes()
    return bytes(_PDFS.put(row["sha256"], pdf))


def page_count(desk: Desk, row: sqlite3.Row) -> int:
    """How many pages can be shown (0 for files that are not pages: CSV, XLSX, email)."""
    known = _COUNTS.get(row["sha256"])
    if known is not None:
        return int(known)
    path = _original(desk, row)
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
    except OSError:
        return 0
    if _is_docx(path, head[:2]):
        cached = _PDFS.get(row["sha256"])
        if cached is None:
            return 1  # counted once it has been printed for its first page
        return int(_COUNTS.put(row["sha256"], len(pypdfium2.PdfDocument(cached))))
    if not _is_pdf(head):
        return int(_COUNTS.put(row["sha256"], 0))
    try:
        pdf = pypdfium2.PdfDocument(path)
        try:
            count = len(pdf)
        finally:
            pdf.close()
    except pypdfium2.PdfiumError:
        count = 0
    return int(_COUNTS.put(row["sha256"], count))


def boxes(row: sqlite3.Row, pdf: bytes) -> list[Box]:
    """Where each value read from the document sits on its pages."""
    extraction = extraction_from_json(row["extraction_json"])
    fields = {k: v for k, v in extraction.fields.items() if v is not None}
    schema: dict[str, Field] = {k: f for k in fields if (f := field_of(extraction.kind.value, k)) is not None}
    found: list[Box] = []
    if extraction.method is Method.ACROFORM:
        found = acroform_boxes(pdf, fields, schema)
    placed = {b.key for b in found}
    rest = {k: v for k, v in fields.items() if k not in placed}
    return found + text_boxes(pdf, rest, schema)


def render(desk: Desk, row: sqlite3.Row, number: int) -> bytes:
    """Page `number` (1-based) as PNG with the boxes of the values read from it."""
    version = hashlib.sha256(row["extraction_json"].encode("utf-8")).hexdigest()[:16]
    key = (row["sha256"], version, number)
    cached = _PAGES.get(key)
    if cached is not None:
        return bytes(cached)
    pdf = pdf_of(desk, row)
    if pdf is None:
        raise not_found("this document is not made of pages (a spreadsheet, CSV or email); download the original")
    document = pypdfium2.PdfDocument(pdf)
    document.init_forms()  # draw the filled-in values of a fillable form
    try:
        if not 1 <= number <= len(document):
            raise not_found(f"this document has {len(document)} page(s), so there is no page {number}")
        _COUNTS.put(row["sha256"], len(document))
        page = document[number - 1]
        image = page.render(scale=SCALE).to_pil().convert("RGB")
    finally:
        document.close()
    _draw(image, [b for b in boxes(row, pdf) if b.page == number])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return bytes(_PAGES.put(key, out.getvalue()))


def _draw(image: Image.Image, found: list[Box]) -> None:
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    for box in found:
        x0, y0, x1, y1 = (v * SCALE for v in (box.x0, box.top, box.x1, box.bottom))
        draw.rectangle((x0 - 2, y0 - 2, x1 + 2, y1 + 2), outline=OUTLINE, width=3)
        left, top, right, bottom = draw.textbbox((0, 0), box.key, font=font)
        width, height = right - left + 6, bottom - top + 4
        x = x1 + 6 if x1 + 6 + width <= image.width else max(0.0, x0 - width - 6)
        y = max(0.0, (y0 + y1) / 2 - height / 2)
        draw.rectangle((x, y, x + width, y + height), fill=OUTLINE)
        draw.text((x + 3, y + 1), box.key, fill=(255, 255, 255), font=font)
