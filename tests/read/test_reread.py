"""Doubtful words read again on their own (docgen/read/reread.py), by the real Tesseract, on a page drawn with
a real font: what the second reading may change, and what it must leave alone."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from docgen.read.reread import reread
from docgen.read.tesseract import Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def _page(texts: list[tuple[str, int, int]]) -> tuple[Image.Image, list[tuple[float, float, float, float]]]:
    """A white 300 dpi strip of page with each text drawn at (x, y) in 11 pt type; the texts' ink boxes."""
    image = Image.new("L", (1400, 500), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 46)
    boxes = []
    for text, x, y in texts:
        draw.text((x, y), text, fill=0, font=font)
        boxes.append(tuple(float(v) for v in draw.textbbox((x, y), text, font=font)))
    return image, boxes  # type: ignore[return-value]


def test_a_misread_number_is_read_again_and_a_doubtful_word_confirmed(tmp_path: Path) -> None:
    image, boxes = _page([("School days absent", 60, 60), ("24", 700, 60), ("Dr", 60, 250), ("Moreton", 160, 250),
                          ("Mother", 700, 250)])
    words = [Word("School", 96, *boxes[0]), Word("A", 63, *boxes[1]),   # "24" read against the wrong baseline
             Word("Dr", 0, *boxes[2]), Word("Moreton", 96, *boxes[3]),  # Tesseract's 0 for a clear word
             Word("Mother", 97, *boxes[4])]
    again = reread(words, image, tmp_path / "strip.tif", dpi=300, timeout=30)
    assert (again[1].text, again[1].conf >= 90) == ("24", True)
    assert again[2].text == "Dr" and again[2].conf >= 80  # read the same again: the surer confidence stands
    assert again[0] == words[0] and again[3] == words[3] and again[4] == words[4]  # sure words: not read again
    assert (again[1].x0, again[1].top) == (words[1].x0, words[1].top)  # the word keeps its place on the page


def test_a_word_that_stays_doubtful_keeps_its_low_confidence(tmp_path: Path) -> None:
    """A smudge read as a word is no surer for being read twice: nothing makes it look confident."""
    image = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(image)
    for n in range(0, 60, 6):  # a scribble: crossing strokes, no letters
        draw.line((100 + n, 60, 160 - n, 130), fill=0, width=4)
    words = [Word("xX", 20, 95, 55, 170, 135)]
    again = reread(words, image, tmp_path / "strip.tif", dpi=300, timeout=30)
    assert again[0].conf < 80
