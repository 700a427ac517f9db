"""A per-day list whose rows lean (a phone held a little turned, the page not straightened) has its marks found
on each row's own slope (issue 19, SPEC §16).

The independent set's colour photo of a day list (freshscan4 T01) came to `read_day_list` with its rows going
down 4.5 % to the right: a row's PM mark, 900 pixels right of its date, lay 40 pixels lower than the date, half
in the next row's band, so the mark columns were not found and the list was unreadable. Here the list is drawn
by reportlab, rendered by poppler, sheared by Pillow so its rows go down 4 % to the right, read by real
Tesseract (its words and their boxes) and handed to the day-list reader as the page reader would."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from docgen.read.daylist import read_day_list
from docgen.read.image import ink_mask
from docgen.read.ocr import x_height
from docgen.read.tesseract import read_words

from .scans import render
from .test_ocr_day_list_marks import _printed
from .test_ocr_day_lists import days


def test_the_marks_of_a_day_list_whose_rows_lean_are_read_on_their_slope(tmp_path: Path) -> None:
    page = render(_printed(tmp_path / "days.pdf"), tmp_path, dpi=200)[0]
    slope = 0.04
    width, height = page.size
    leaning = page.transform((width, height + int(slope * width)), Image.Transform.AFFINE,
                             (1, 0, 0, -slope, 1, 0), resample=Image.Resampling.BICUBIC, fillcolor=255)
    file = tmp_path / "leaning.tif"
    leaning.save(file, dpi=(200, 200))
    words = read_words(file, dpi=200)
    letters = x_height(words) or 200 * 5.2 / 72  # as the page reader guesses it: body text at 200 dpi
    grid = read_day_list(ink_mask(leaning), leaning, words, letters, tmp_path / "strip.tif", dpi=200, timeout=60)
    assert grid is not None
    read = {row[0]: (row[1], row[2]) for row in grid.rows[1:]}
    assert read == {f"{day:%d/%m/%Y}": (am, pm) for day, am, pm in days()}
    assert grid.unsure == 0 and grid.outside == 0
