"""Page images for OCR: the pages of a scanned PDF without a text layer, or a photo/scan image file.

`scan_pages(path, limits)` yields grey page images at the resolution their pixels carry, capped:
a PDF page is rendered in-process (pdfium) at its embedded image's own resolution; a JPEG is decoded
already reduced when it is larger than the cap (so a 12,000 × 12,000 photo costs little memory);
EXIF rotation is applied; a declared dpi is never trusted (phone photos say 72). `text_pages(path)`
says which pages of a PDF have a text layer, so a mixed PDF is read partly by OCR.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".heic", ".heif")
_MIN_CHARS = 25  # a page with fewer characters in its text layer is treated as a scan
_RENDER_DPI = 300.0
_PAPER_MAX_PT = 1400.0  # A3 is 842 × 1191 pt: a larger "page" is a phone photo's pixels declared at 72 dpi


@dataclass
class PageImage:
    """One page to read: a grey image and, for a PDF, the page's size in points (None for a photo)."""

    number: int
    image: Image.Image
    width_pt: float | None = None
    height_pt: float | None = None


def _too_large(name: str, megapixels: float, cap: int) -> ExtractionError:
    return ExtractionError(ReasonCode.TOO_LARGE,
                           f"{name} is too large an image to read ({megapixels:.0f} megapixels, limit {cap}); ask the "
                           "sender for a smaller photo or a scan at 300 dpi")


def text_pages(path: Path, limits: Limits) -> list[bool]:
    """For each page of a PDF (up to the page cap): whether it has a text layer worth reading."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out: list[bool] = []
        for n in range(min(len(pdf), limits.max_pdf_pages)):
            page = pdf[n]
            try:
                text = page.get_textpage()
                try:
                    chars = text.get_text_range().strip()
                finally:
                    text.close()
                out.append(len("".join(chars.split())) >= _MIN_CHARS)
            finally:
                page.close()
        return out
    finally:
        pdf.close()


def _late(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def pdf_pages(path: Path, limits: Limits, numbers: list[int], *, deadline: float | None = None) -> Iterator[PageImage]:
    """Render the given pages of a PDF, each at its own image's pixel density (at most 400 dpi): never
    upscaled from a declared size (a phone's photo wrapped in a PDF declares 72 dpi and holds far more).

    Past `deadline` a page is not rendered: it comes as a 1×1 image with its size, for OCR to report unread."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    cap = limits.ocr_max_megapixels * 1_000_000
    pdf = pdfium.PdfDocument(str(path))
    try:
        for n in numbers:
            page = pdf[n]
            try:
                width, height = page.get_size()
                if _late(deadline):
                    yield PageImage(n, Image.new("L", (1, 1), 255), float(width), float(height))
                    continue
                scale = _RENDER_DPI / 72.0
                best = 0.0
                grey = True  # every object on the page an 8-bit grey image (a scanner's page)
                for obj in page.get_objects(max_depth=2):
                    if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
                        grey = False
                        continue
                    meta = obj.get_metadata()
                    grey = grey and meta.colorspace == pdfium_c.FPDF_COLORSPACE_DEVICEGRAY and meta.bits_per_pixel == 8
                    px_w, _px_h = obj.get_px_size()
                    left, _bottom, right, _top = obj.get_bounds()
                    if right - left > width * 0.4 and px_w > 0:
                        best = max(best, px_w / (right - left))
                if best:  # the image's own pixels, whatever size it declares (a phone's photo says 72 dpi)
                    scale = min(best, 400 / 72.0)
                if width * height * scale * scale > cap:
                    scale = math.sqrt(cap / (width * height))
                if grey:  # rendered straight into a grey bitmap: the pixels any channel of a colour rendering
                    # holds (R = G = B), a quarter of the memory filled (pdfium's grey conversion of a colour
                    # rendering and PIL's RGB → L each cost more than the rendering itself); copied out of the
                    # bitmap, whose memory goes with it
                    pixels = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_Gray).to_numpy()
                    image = Image.fromarray(pixels.copy())
                else:
                    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
                if max(width, height) > _PAPER_MAX_PT:  # no paper: its size says nothing of the letters' size
                    yield PageImage(n, image)
                else:
                    yield PageImage(n, image, float(width), float(height))
            finally:
                page.close()
    finally:
        pdf.close()


def image_pages(path: Path, limits: Limits, *, deadline: float | None = None) -> Iterator[PageImage]:
    """The frames of an image file (JPEG, PNG, TIFF, HEIC) as grey pages, reduced under the pixel cap
    (past `deadline`, a frame is not decoded: see `pdf_pages`)."""
    register_heif()
    cap = limits.ocr_max_megapixels * 1_000_000
    hard = cap * 16  # beyond this even a reduced decode is refused
    Image.MAX_IMAGE_PIXELS = hard
    try:
        opened = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise _too_large(path.name, hard / 1e6 * 2, limits.ocr_max_megapixels) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise ExtractionError(ReasonCode.DAMAGED, f"{path.name} is a damaged {_format(path)} image "
                                                  f"({type(exc).__name__}); ask the sender for a new copy") from exc
    with opened:
        frames = getattr(opened, "n_frames", 1)
        for n in range(min(frames, limits.max_pdf_pages)):
            if n and _late(deadline):
                yield PageImage(n, Image.new("L", (1, 1), 255))
                continue
            try:
                opened.seek(n)
                pixels = opened.width * opened.height
                if pixels > hard:
                    raise _too_large(path.name, pixels / 1e6, limits.ocr_max_megapixels)
                if pixels > cap and opened.format == "JPEG":
                    opened.draft("L", _draft_size(opened.width, opened.height, cap))
                frame = ImageOps.exif_transpose(opened) if n == 0 else opened.copy()
                image = frame.convert("L")
            except ExtractionError:
                raise
            except (OSError, ValueError, SyntaxError, EOFError) as exc:
                raise ExtractionError(ReasonCode.DAMAGED,
                                      f"{path.name} is a damaged {_format(path)} image ({type(exc).__name__}); ask "
                                      "the sender for a new copy") from exc
            if image.width * image.height > cap:
                ratio = math.sqrt(cap / (image.width * image.height))
                image = image.resize((max(1, int(image.width * ratio)), max(1, int(image.height * ratio))),
                                     Image.Resampling.BILINEAR)
            yield PageImage(n, image)


def _draft_size(width: int, height: int, cap: int) -> tuple[int, int]:
    """The size to ask a JPEG's decoder for (it decodes at 1/2, 1/4 or 1/8 scale, never below what is asked).
    Far more pixels than the cap (over twice): the largest reduction that fits under the cap, so a
    12,000 × 12,000 photo is decoded at 6,000 × 6,000 and never held whole in memory. A little over
    the cap: decoded whole and reduced to the cap (a 1/2 decode would throw away more than needed)."""
    pixels = width * height
    if pixels <= 2 * cap:
        ratio = math.sqrt(cap / pixels)
        return int(width * ratio), int(height * ratio)
    reduce = 2
    while reduce < 8 and pixels / (reduce * reduce) > cap:
        reduce *= 2
    return -(-width // reduce), -(-height // reduce)


def _format(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(16)
    if head.startswith(b"\xff\xd8"):
        return "JPEG"
    if head.startswith(b"\x89PNG"):
        return "PNG"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    return "HEIC"


def register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - declared dependency; without it HEIC is "damaged"
        return
    register_heif_opener()
