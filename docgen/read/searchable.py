"""The searchable PDF/A of a scan, archived beside the original (SPEC §16).

Made from the OCR already done, never a second OCR: the original pages (a scanned PDF as it is, an image
wrapped losslessly by img2pdf) get an invisible text layer of the words Tesseract read, placed where
they sit on the page, then Ghostscript (through OCRmyPDF's PDF/A step, `--skip-text`: no page is OCRed
again) turns the result into PDF/A-2b. A stock OCRmyPDF run would read every page's pixels a second time
(about 6× a bare Tesseract call here); this costs one Ghostscript pass.

`write_searchable(source, scan, target, timeout=…)` returns the PDF/A's path, or None with the reason
logged when it could not be made: the original is archived whatever happens, and reading never fails
because its searchable copy could not be made.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pikepdf

from docgen.read.ocr import OcrPage

log = logging.getLogger(__name__)

_FONT = pikepdf.Name("/DocgenOcr")
_EM = 0.5  # Helvetica's mean glyph width in em: the text is stretched to the word's box anyway


def write_searchable(source: Path, pages: list[OcrPage], target: Path, *, is_pdf: bool, timeout: float) -> Path | None:
    """The original's pages with the OCR text laid invisibly over them, as PDF/A-2b at `target`."""
    try:
        with tempfile.TemporaryDirectory(prefix="docgen-pdfa-") as tmp:
            layered = Path(tmp) / "layered.pdf"
            with _base(source, is_pdf) as pdf:
                for page in pages:
                    if page.words and page.number < len(pdf.pages):
                        _lay_text(pdf, pdf.pages[page.number], page)
                pdf.save(layered)
            _pdfa(layered, target, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 - the original is archived whatever happens
        log.warning("searchable PDF/A not made (%s: %s)", type(exc).__name__, str(exc)[:160])
        target.unlink(missing_ok=True)
        return None
    return target


def _base(source: Path, is_pdf: bool) -> pikepdf.Pdf:
    if is_pdf:
        return pikepdf.open(source)
    import img2pdf

    try:
        data = img2pdf.convert(str(source))
    except Exception:  # noqa: BLE001 - HEIC, alpha channels …: each frame re-encoded as JPEG
        data = img2pdf.convert(_as_jpegs(source))
    return pikepdf.open(io.BytesIO(data))


def _as_jpegs(source: Path) -> list[bytes]:
    from PIL import Image, ImageOps

    from docgen.read.pages import register_heif

    register_heif()
    out: list[bytes] = []
    with Image.open(source) as opened:
        for n in range(getattr(opened, "n_frames", 1)):
            opened.seek(n)
            frame = ImageOps.exif_transpose(opened) if n == 0 else opened.copy()
            buf = io.BytesIO()
            frame.convert("RGB").save(buf, "JPEG", quality=90)
            out.append(buf.getvalue())
    return out


def _lay_text(pdf: pikepdf.Pdf, page: pikepdf.Page, read: OcrPage) -> None:
    """Each word as invisible text (render mode 3) in its box, on the page as it shows upright."""
    box = [float(v) for v in page.mediabox]
    x0, y0, width, height = box[0], box[1], box[2] - box[0], box[3] - box[1]
    turn = (int(page.obj.get("/Rotate", 0)) + read.rotation) % 360
    shown_w, shown_h = (width, height) if turn in (0, 180) else (height, width)
    sx, sy = shown_w / read.width, shown_h / read.height
    # upright point (u from the left, v from the top) → the page's own space; the text's run and up directions
    place: Callable[[float, float], tuple[float, float]] = {0: lambda u, v: (u, height - v), 90: lambda u, v: (v, u),
             180: lambda u, v: (width - u, v), 270: lambda u, v: (width - v, height - u)}[turn]
    run = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[turn]
    up = {0: (0, 1), 90: (-1, 0), 180: (0, -1), 270: (1, 0)}[turn]
    ops = [b"Q q BT 3 Tr"]
    for w in read.words:
        if w.mark:
            continue
        text = w.text.encode("cp1252", "replace")
        size = max(1.0, (w.bottom - w.top) * sy)
        stretch = max(1.0, (w.x1 - w.x0) * sx) / (size * _EM * len(text))
        x, y = place(w.x0 * sx, w.bottom * sy)
        a, b = run[0] * stretch, run[1] * stretch
        ops.append(b"/DocgenOcr %.2f Tf %.4f %.4f %.4f %.4f %.2f %.2f Tm %s Tj"
                   % (size, a, b, up[0], up[1], x + x0, y + y0, bytes(pikepdf.String(text).unparse())))
    ops.append(b"ET Q")
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica,
                                                Encoding=pikepdf.Name.WinAnsiEncoding))
    page.add_resource(font, pikepdf.Name.Font, _FONT)
    page.contents_add(pikepdf.Stream(pdf, b"q"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\n".join(ops)))


def _pdfa(layered: Path, target: Path, *, timeout: float) -> None:
    """Ghostscript's PDF/A-2b conversion, with OCRmyPDF's PDF/A definition (sRGB output intent)."""
    from ocrmypdf.pdfa import generate_pdfa_ps

    program = shutil.which("gs")
    if program is None:
        raise RuntimeError("Ghostscript is not installed (Debian package ghostscript)")
    definition = layered.with_name("pdfa.ps")
    generate_pdfa_ps(definition)
    args = [program, "-q", "-dBATCH", "-dNOPAUSE", "-dSAFER", "-dPDFA=2", "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB", "-dPassThroughJPEGImages=true", "-sDEVICE=pdfwrite",
            f"--permit-file-read={layered.parent}/", "-o", str(target), str(definition), str(layered)]
    done = subprocess.run(args, capture_output=True, timeout=max(5.0, timeout), check=False,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0 or not target.is_file():
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise RuntimeError(f"Ghostscript: {lines[0][:160]}")
