"""Scanned and photographed herringbones read from the page image (`docgen.read.herringbone`): Tesseract drops
the lone "/" and "\\" marks in a grid's cells, so the grid is found by its ruling and each cell judged by its
ink. The registers are laid out by Chromium and LibreOffice (not by docgen), rendered by poppler, then
degraded with Pillow; real Tesseract throughout. A register read must give the figures its marks give; one
whose marks cannot be told is never read as figures that decide a case."""

from __future__ import annotations

import datetime as dt
import io
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from docgen.kinds import Kind, Reading
from docgen.read.extract import extract
from docgen.read.herringbone import _stroke, find_grid
from docgen.rules.check import check_submission, read_submission
from docgen.samples.builder import write_submission

from .herringbones import Register, chromium_pdf, libreoffice_pdf, register
from .scans import photographed

TODAY = dt.date(2026, 3, 2)


def page_image(pdf: Path, dpi: int) -> Image.Image:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", "1", "-l", "1", str(pdf), str(prefix)],
                   check=True, timeout=120)
    return Image.open(next(pdf.parent.glob(f"{prefix.name}-*.png"))).convert("L")


def jpeg_file(image: Image.Image, path: Path, *, quality: int, dpi: int) -> Path:
    image.save(path, "JPEG", quality=quality, dpi=(dpi, dpi))
    return path


def assert_read(path: Path, reg: Register, *, sure: bool = False) -> None:
    """Read as the register's record, never confidently wrong: its figures exactly with a confidence of 80 or
    more, or a confidence under 80 (the figures go to a person, R-DATA-UNCERTAIN); `sure` demands the first.
    (How sure a lone letter reads varies with Tesseract's reading of the page around it.)"""
    read = extract(path)
    assert read.kind is Kind.ATTENDANCE, read.reason
    assert read.method.value == "ocr"
    assert read.confidence is not None
    if not sure and read.confidence["attendance_pct"] < 80:
        return
    fields = read.fields
    assert (fields["possible_sessions"], fields["attended_sessions"], fields["illness_sessions"]) == \
        (reg.possible, reg.attended, reg.illness)
    assert fields["attendance_pct"] == reg.pct
    assert fields["first_date"] == reg.start.isoformat()
    assert fields["pupil_name"] == reg.name
    assert read.confidence["attendance_pct"] >= 80


def test_a_chromium_herringbone_scanned_grey_jpeg_and_skewed_is_read(tmp_path: Path) -> None:
    reg = register(12, seed=10)
    page = page_image(chromium_pdf(reg, tmp_path / "register.pdf"), 200)
    skewed = page.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert_read(jpeg_file(skewed, tmp_path / "register-scan.jpg", quality=35, dpi=200), reg)


def test_a_chromium_herringbone_in_a_monospaced_font_turned_a_quarter_is_read(tmp_path: Path) -> None:
    reg = register(14, seed=12)
    pdf = chromium_pdf(reg, tmp_path / "register.pdf", font="'DejaVu Sans Mono', monospace", cell_mm=(7, 6))
    turned = page_image(pdf, 200).rotate(90, expand=True)
    assert_read(jpeg_file(turned, tmp_path / "register-turned.jpg", quality=75, dpi=200), reg)


def test_a_libreoffice_herringbone_photographed_is_read(tmp_path: Path) -> None:
    reg = register(6, seed=14, start=dt.date(2026, 9, 7))
    page = page_image(libreoffice_pdf(reg, tmp_path / "register.pdf"), 300)
    assert_read(jpeg_file(photographed(page), tmp_path / "register-photo.jpg", quality=70, dpi=72), reg)


def test_a_chromium_herringbone_faxed_as_a_g4_tiff_is_read(tmp_path: Path) -> None:
    reg = register(8, seed=11, start=dt.date(2026, 9, 7))
    page = page_image(chromium_pdf(reg, tmp_path / "register.pdf", font="'DejaVu Serif', serif", cell_mm=(9, 8)), 200)
    fax = tmp_path / "register-fax.tif"
    page.point(lambda v: 255 if v > 140 else 0).convert("1").save(fax, compression="group4", dpi=(200, 200))
    assert_read(fax, reg)


def _scribbled(image: Image.Image, cells: int, *, seed: int) -> Image.Image:
    """Pen scribbles over `cells` marks of the grid (a child's doodle, a crossing-out): ink that is no mark."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    draw = ImageDraw.Draw(out)
    width, height = out.size
    # the grid's mark cells lie between 32 % and 80 % across, 22 % and 55 % down an A4 page at this layout
    for _ in range(cells):
        x, y = rng.uniform(0.33, 0.78) * width, rng.uniform(0.25, 0.52) * height
        points = [(x + 14 * math.cos(t) * rng.uniform(0.5, 1.2), y + 12 * math.sin(2 * t)) for t in np.linspace(0, 6, 14)]
        draw.line(points, fill=0, width=4)
    return out


def test_a_herringbone_with_most_marks_scribbled_over_is_an_unreadable_record_never_figures(tmp_path: Path) -> None:
    reg = register(12, seed=10)
    page = page_image(chromium_pdf(reg, tmp_path / "register.pdf"), 200)
    scan = jpeg_file(_scribbled(page, 40, seed=3), tmp_path / "attendance-scan.jpg", quality=60, dpi=200)
    read = extract(scan)
    assert read.kind is Kind.UNKNOWN and read.status is Reading.ATTENDANCE_UNREADABLE

    sub = write_submission(tmp_path / "paper", "accepted", seed=1, today=TODAY, fmt="pdf")
    for record in sub.folder.glob("*.csv"):
        record.unlink()
    docs = read_submission([sub.folder, scan])
    found = [f.message for f in check_submission(docs, today=TODAY).findings if f.rule == "R-DOCS-ATTENDANCE"]
    assert len(found) == 1 and "attendance-scan.jpg was sent but its marks cannot be read" in found[0], found


def test_a_herringbone_with_a_few_marks_not_told_goes_to_a_person(tmp_path: Path) -> None:
    """Two marks of 120 scribbled over: the record is read, but its figures are doubtful (R-DATA-UNCERTAIN)."""
    reg = register(12, seed=10)
    page = page_image(chromium_pdf(reg, tmp_path / "register.pdf"), 200)
    scan = jpeg_file(_scribbled(page, 2, seed=5), tmp_path / "attendance-scan.jpg", quality=60, dpi=200)
    read = extract(scan)
    assert read.kind is Kind.ATTENDANCE and read.confidence is not None
    assert read.confidence["attendance_pct"] < 80
    assert any("could not be told for sure" in w for w in read.warnings)
    sub = write_submission(tmp_path / "paper", "accepted", seed=1, today=TODAY, fmt="pdf")
    for record in sub.folder.glob("*.csv"):
        record.unlink()
    result = check_submission(read_submission([sub.folder, scan]), today=TODAY)
    assert result.outcome == "review"
    assert any(f.rule == "R-DATA-UNCERTAIN" and "attendance-scan.jpg: the attendance figures" in f.message
               for f in result.findings), [f.message for f in result.findings]
    assert not any(f.rule == "R-DOCS-ATTENDANCE" for f in result.findings)


@pytest.mark.parametrize(("lean", "want"), [(20.0, "/"), (-20.0, "\\"), (35.0, "/"), (0.0, "bar")])
def test_a_lone_stroke_is_told_by_its_lean(lean: float, want: str) -> None:
    image = Image.new("L", (60, 60), 255)
    dx = 22 * math.tan(math.radians(lean))
    ImageDraw.Draw(image).line([(30 - dx, 52), (30 + dx, 8)], fill=0, width=3)
    ys, xs = np.nonzero(np.asarray(image) < 128)
    assert _stroke(xs.astype(float), ys.astype(float)) == want


def test_letters_are_not_strokes() -> None:
    from PIL import ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    for letter in "MUNCX#":
        image = Image.new("L", (60, 60), 255)
        ImageDraw.Draw(image).text((8, 4), letter, font=font, fill=0)
        ys, xs = np.nonzero(np.asarray(image) < 128)
        assert _stroke(xs.astype(float), ys.astype(float)) == "", letter


def test_a_skewed_ruled_grid_is_found_row_by_row() -> None:
    image = Image.new("L", (1200, 900), 255)
    draw = ImageDraw.Draw(image)
    for row in range(9):
        draw.line([(100, 100 + 60 * row), (1100, 100 + 60 * row)], fill=0, width=2)
    for column in range(11):
        draw.line([(100 + 100 * column, 100), (100 + 100 * column, 580)], fill=0, width=2)
    skewed = image.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)
    found = find_grid(np.asarray(skewed) < 128, 14.0)
    assert found is not None
    rows, columns, _ruling = found
    assert (len(rows), len(columns)) == (9, 11)
    assert all(abs((r.end - r.start) - 1000) < 60 for r in rows)


def test_jpeg_helper_is_real() -> None:  # the degraded pages are real JPEG files, not PNGs named .jpg
    out = io.BytesIO()
    Image.new("L", (8, 8), 255).save(out, "JPEG", quality=35)
    assert out.getvalue()[:2] == b"\xff\xd8"


def test_a_herringbone_whose_text_ocr_invents_marks_takes_its_figures_from_the_grid(tmp_path: Path) -> None:
    """A LibreOffice register turned a quarter: Tesseract's text of it holds a few letters among dropped marks
    ("Km", "J"), which the attendance reader took for a record of 16.7 % (69.1 % on paper). Its grid is read
    instead; whatever the confidence, figures read are the paper's, within the few marks not told."""
    base = register(12, seed=41, start=dt.date(2026, 9, 7))
    reg = Register(base.marks, base.start, name="Rafferty Quill", dob="02/11/2015", school="Bure Meadows Primary School")
    turned = page_image(libreoffice_pdf(reg, tmp_path / "register.pdf"), 200).rotate(90, expand=True)
    read = extract(jpeg_file(turned, tmp_path / "attendance.jpg", quality=75, dpi=200))
    if read.kind is Kind.ATTENDANCE:
        assert abs(read.fields["attendance_pct"] - reg.pct) <= 3.0, (read.fields["attendance_pct"], reg.pct)
        assert abs(read.fields["illness_sessions"] - reg.illness) <= 4
    else:
        assert read.status is Reading.ATTENDANCE_UNREADABLE
