"""A scanned per-day attendance list's marks read from the page image (issue 19, SPEC §5/§16).

A per-day list prints no ruling round its marks; Tesseract reads its dates and weekdays but loses the lone "/",
"\\" and "I" beside them (or reads a column of them down the page as one word), so the record was "attendance
record could not be read". Here a layout of its own (reportlab, not docgen: "Day | Date | Morning | Afternoon",
Times for the words, the marks in Helvetica-Bold, two blocks side by side) is printed, rendered by poppler and
spoiled by Pillow/numpy as the independent set's were: toner faded with banding, a colour phone photo with
uneven light, a page upside down. Read by real Tesseract, each must give the list's figures, every one with a
confidence."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from docgen.attendance import SUMMARY_KEYS
from docgen.kinds import Extraction, Kind, Method
from docgen.read.extract import extract

from .scans import photographed, render, scanned_pdf
from .test_ocr_day_lists import TRUTH, days


def _printed(path: Path) -> Path:
    """The days in two blocks side by side, each row "Mon  07/09/2026  /  \\"."""
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    c.setFont("Times-Bold", 15)
    c.drawString(20 * mm, height - 22 * mm, "Pupil Attendance Register")
    c.setFont("Times-Roman", 11)
    y = height - 32 * mm
    for line in ("Greyfriars Lane School", "Pupil: Fenwick-Hale, Idris", "Date of Birth: 21/04/2013",
                 "Period: 07/09/2026 to 16/10/2026"):
        c.drawString(20 * mm, y, line)
        y -= 5.5 * mm
    rows = days()
    half = (len(rows) + 1) // 2
    for block, chunk in enumerate((rows[:half], rows[half:])):
        x = 20 * mm + block * 88 * mm
        top = y - 8 * mm
        c.setFont("Times-Bold", 11)
        for dx, head in ((0, "Day"), (12 * mm, "Date"), (40 * mm, "Morning"), (60 * mm, "Afternoon")):
            c.drawString(x + dx, top, head)
        for n, (day, am, pm) in enumerate(chunk):
            line = top - (n + 1) * 6.2 * mm
            c.setFont("Times-Roman", 11)
            c.drawString(x, line, f"{day:%a}")
            c.drawString(x + 12 * mm, line, f"{day:%d/%m/%Y}")
            c.setFont("Helvetica-Bold", 11)
            c.drawCentredString(x + 47 * mm, line, am)
            c.drawCentredString(x + 69 * mm, line, pm)
    c.setFont("Times-Roman", 9)
    c.drawString(20 * mm, 15 * mm, "Codes: / present (AM), \\ present (PM), L late, I illness, M medical, "
                                   "N no reason, # school closed")
    c.save()
    return path


def _faded(page: Image.Image) -> Image.Image:
    """Toner at two fifths of its strength, in bands down the page, a little soft."""
    pixels = np.asarray(page.filter(ImageFilter.GaussianBlur(0.8)), dtype=float)
    rows = np.arange(pixels.shape[0])[:, None]
    strength = 0.40 + 0.05 * np.sin(rows / 37.0)
    paper = 236 + 10 * np.sin(rows / 23.0)
    return Image.fromarray(np.clip(paper - (255 - pixels) * strength, 0, 255).astype("uint8"))


def _colour_photo(page: Image.Image) -> Image.Image:
    """A phone photo in colour: the page in perspective on a desk, warm light falling off across it, a shadow
    over one corner, JPEG'd."""
    grey = np.asarray(photographed(page), dtype=float)
    height, width = grey.shape
    yy, xx = np.mgrid[0:height, 0:width]
    light = 1.0 - 0.3 * (xx / width) * (yy / height)
    colour = np.stack([grey * light * 1.0, grey * light * 0.92, grey * light * 0.74], axis=-1)
    out = io.BytesIO()
    Image.fromarray(np.clip(colour, 0, 255).astype("uint8"), "RGB").save(out, "JPEG", quality=80)
    return Image.open(io.BytesIO(out.getvalue()))


def _read(tmp_path: Path, spoilt: str) -> Extraction:
    page = render(_printed(tmp_path / "days.pdf"), tmp_path, dpi=200)[0]
    if spoilt == "faded":
        path = tmp_path / "faded.png"
        _faded(page).save(path, dpi=(200, 200))
    elif spoilt == "colour photo":
        path = tmp_path / "photo.jpg"
        _colour_photo(page).save(path, quality=85)
    else:
        path = scanned_pdf([page.rotate(180)], tmp_path / "turned.pdf", dpi=200)
    return extract(path)


@pytest.mark.parametrize("spoilt", ["faded", "upside down"])
def test_a_scanned_day_list_is_read_from_its_marks(tmp_path: Path, spoilt: str) -> None:
    read = _read(tmp_path, spoilt)
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, (read.reason, read.fields)
    assert {key: read.fields[key] for key in TRUTH if key in SUMMARY_KEYS} == \
        {key: value for key, value in TRUTH.items() if key in SUMMARY_KEYS}
    assert read.confidence is not None
    assert all(key in read.confidence for key in SUMMARY_KEYS if read.fields.get(key) is not None)


def test_a_photographed_day_list_is_read_and_no_figure_is_trusted_wrong(tmp_path: Path) -> None:
    """In the photo's shade a few marks read two ways ("#" and "Z"): the record is read, every figure with a
    confidence, and a figure off by those marks is never trusted (under 80)."""
    read = _read(tmp_path, "colour photo")
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, (read.reason, read.fields)
    assert read.confidence is not None
    assert read.fields["first_date"] == TRUTH["first_date"] and read.fields["last_date"] == TRUTH["last_date"]
    for key in SUMMARY_KEYS:
        if read.fields.get(key) is not None:
            assert key in read.confidence, key
            assert read.fields[key] == TRUTH[key] or read.confidence[key] < 80, (key, read.fields[key])
