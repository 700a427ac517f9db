"""Scans the tests make: pages rendered from real PDFs, then turned, skewed, noised, unevenly lit, JPEG'd."""

from __future__ import annotations

import io
import random
import subprocess
from pathlib import Path

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

CURSIVE = Path("/usr/share/fonts/opentype/urw-base35/Z003-MediumItalic.otf")  # fonts-urw-base35, with Ghostscript


def render(pdf: Path, out_dir: Path, *, dpi: int = 250) -> list[Image.Image]:
    """The PDF's pages as grey images, rendered by poppler's pdftoppm (not by docgen's own renderer)."""
    prefix = out_dir / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True, timeout=120)
    return [Image.open(p).convert("L") for p in sorted(out_dir.glob(f"{pdf.stem}-*.png"))]


def noisy(image: Image.Image, *, seed: int = 1, amount: float = 0.001) -> Image.Image:
    """Speckle noise: dark dots on the paper and white dots in the ink, as a tired scanner adds."""
    rng = random.Random(seed)
    out = image.copy()
    pixels = out.load()
    assert pixels is not None
    width, height = out.size
    for _ in range(int(width * height * amount)):
        x, y = rng.randrange(width), rng.randrange(height)
        pixels[x, y] = 0 if rng.random() < 0.5 else 255
    return out


def skewed(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def uneven_light(image: Image.Image) -> Image.Image:
    """A shadow across the page, darkest at the left: a phone photo taken under a desk lamp."""
    width, height = image.size
    ramp = Image.linear_gradient("L").rotate(90).resize((width, height))  # dark on the left
    shade = ramp.point(lambda v: 90 + v * 165 // 255)
    return Image.composite(image, Image.new("L", image.size, 0), shade).filter(ImageFilter.GaussianBlur(0.6))


def scribbles(size: tuple[int, int], *, seed: int = 3) -> Image.Image:
    """A handwriting-like page: lines of loops and strokes that are no letters Tesseract knows."""
    rng = random.Random(seed)
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    width, height = size
    for row in range(12):
        y = int(height * 0.1 + row * height * 0.065)
        x = int(width * 0.1)
        while x < width * 0.85:
            points = [(x + i * 6, y + int(18 * rng.uniform(-1, 1))) for i in range(rng.randint(5, 14))]
            draw.line(points, fill=20, width=4)
            x = points[-1][0] + rng.randint(20, 50)
    return image


def cursive_page(*, seed: int = 5) -> Image.Image:
    """A handwriting-like page: answers in a cursive font, each word on its own wobbling baseline, in pencil."""
    rng = random.Random(seed)
    page = Image.new("L", (2480, 3508), 250)
    font = ImageFont.truetype(str(CURSIVE), 70)
    lines = ["Referral - pupil name Tamsin Okafor-Reeve", "born 14 march 2013, year 7 at Wensum Valley",
             "she has been off since january with fatigue", "mum says the GP referred her to paediatrics",
             "please could someone ring us back", "consent given - yes we agree", "signed  J. Okafor  2/3/26"]
    y = 300
    for line in lines:
        x = 220
        for word in line.split():
            tile = Image.new("L", (int(font.getlength(word)) + 40, 140), 0)
            ImageDraw.Draw(tile).text((20, 20), word, font=font, fill=255)
            tile = tile.rotate(rng.uniform(-7, 7), resample=Image.Resampling.BICUBIC, expand=True)
            page.paste(Image.new("L", tile.size, rng.randint(70, 120)), (x, y + rng.randint(-18, 18)), tile)
            x += tile.width + rng.randint(5, 40)
        y += rng.randint(150, 200)
    return page.filter(ImageFilter.GaussianBlur(1.2))


def jpeg(image: Image.Image, *, quality: int = 60, dpi: int = 72) -> bytes:
    """The image as a JPEG that declares `dpi` (a phone says 72 whatever its pixels hold)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def scanned_pdf(images: list[Image.Image], path: Path, *, dpi: int = 250, quality: int = 75) -> Path:
    """An image-only PDF, one JPEG page per image, as a scanner's "scan to PDF" makes."""
    pages = [jpeg(im, quality=quality, dpi=dpi) for im in images]
    path.write_bytes(img2pdf.convert(pages))
    return path


def photographed(image: Image.Image) -> Image.Image:
    """A phone photo of the page: laid on a grey desk, its top edge further from the lens (perspective), a
    shadow falling across one corner, slightly soft."""
    import numpy as np

    width, height = image.size
    frame = (int(width * 1.1), int(height * 1.1))
    dx = width * 0.04
    corners = [(width * 0.05 + dx, height * 0.05), (width * 0.05, height * 1.05), (width * 1.05, height * 1.05),
               (width * 1.05 - dx * 0.5, height * 0.06)]
    rows = []
    for (x, y), (u, v) in zip(corners, [(0, 0), (0, height), (width, height), (width, 0)], strict=True):
        rows += [[x, y, 1, 0, 0, 0, -u * x, -u * y], [0, 0, 0, x, y, 1, -v * x, -v * y]]
    targets = np.array([c for pair in [(0, 0), (0, height), (width, height), (width, 0)] for c in pair], float)
    coeffs = np.linalg.solve(np.array(rows, float), targets).tolist()
    page = image.transform(frame, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC, fillcolor=110)
    yy, xx = np.mgrid[0:frame[1], 0:frame[0]]
    shade = 1 - 0.35 * np.exp(-((xx - frame[0] * 0.8) ** 2 + (yy - frame[1] * 0.3) ** 2) / (2 * (frame[0] * 0.25) ** 2))
    lit = (np.asarray(page).astype(float) * shade * 0.92).clip(0, 255).astype("uint8")
    return Image.fromarray(lit).filter(ImageFilter.GaussianBlur(0.8))
