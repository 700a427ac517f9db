"""The tick-box search beside a line's first word stays cheap on a photographed page (issue 19, SPEC §16).

On a colour phone photo of a per-day attendance list (the independent set's T01), Tesseract read a column of
marks in the shade down the page as one "word" 750 pixels tall. A statement's box is looked for left of each
line's first word, in a window sized by the word: beside the photo's dark desk that search tried millions of
"squares" and took 71 s of the document's 48 s OCR budget, so the list's marks were never read."""

from __future__ import annotations

import time

import numpy as np

from docgen.read.tesseract import Word
from docgen.read.ticks import tick_boxes


def test_a_word_many_lines_tall_is_no_statement_to_look_for_a_box_beside() -> None:
    ink = np.zeros((500, 500), dtype=bool)
    ink[:, :280] = np.random.default_rng(1).random((500, 280)) < 0.62  # a dark desk beside the page, grainy
    words = [Word(text, 95, 300, 20 + 25 * n, 420, 38 + 25 * n, (1, 1, n))
             for n, text in enumerate(("Daily", "Attendance", "Listing", "Student", "Period"))]
    words.append(Word("HHHHAHN", 30, 300, 150, 320, 400, (1, 2, 1)))  # a column of marks read down the page
    started = time.process_time()
    boxes, _words = tick_boxes(words, ink)
    assert boxes == []
    assert time.process_time() - started < 5.0  # over 40 s of CPU without the change
