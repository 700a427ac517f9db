"""Box glyphs before the options of a Word form, scanned as a JPEG (SPEC §16, issue 19).

The shipped referral filled by python-docx with "☒ Yes ☐ No", printed by LibreOffice, rasterised at 200 dpi,
turned under a degree and JPEG'd at quality 65 (an independent scan set's S10) lost seven answers of its
checklist and consent: "not found on the scanned page", so the referral went to a person. Two causes, each
pinned here on the page's ink as Tesseract and the JPEG left it:
- JPEG thickens one side of a box for part of its height. The square search tried the thick column first,
  found it short of a side, and then skipped the true side beside it as "already tried".
- Tesseract reads "☒ Yes" as "Xl Yes" and gives "Yes" the glued box's height (40 px against 25), so the box
  was looked for at that size and a 24 px box was too small to be it.
"""

from __future__ import annotations

import numpy as np

from docgen.read import image as img
from docgen.read.tesseract import Word
from docgen.read.ticks import tick_boxes


def _frame(ink: np.ndarray, x0: int, top: int, side: int, *, ticked: bool, thick_top_right: bool = False) -> None:
    """A box's frame two pixels wide, crossed when ticked; JPEG's thicker right side on its top half."""
    x1, bottom = x0 + side, top + side
    ink[top:top + 2, x0:x1 + 1] = ink[bottom - 1:bottom + 1, x0:x1 + 1] = True
    ink[top:bottom + 1, x0:x0 + 2] = ink[top:bottom + 1, x1 - 1:x1 + 1] = True
    if thick_top_right:
        ink[top:top + side * 3 // 5, x1 + 1] = True
    if ticked:
        for d in range(side):
            ink[top + d, x0 + d] = ink[top + d, x1 - d] = True


def _letters(ink: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> None:
    """Strokes standing for a word's letters: short columns, no square among them."""
    for x in range(x0, x1, 7):
        ink[top + 6:bottom, x:x + 2] = True


def test_a_box_whose_right_side_jpeg_thickened_is_still_found() -> None:
    ink = np.zeros((80, 140), dtype=bool)
    _frame(ink, 50, 20, 23, ticked=False, thick_top_right=True)
    _letters(ink, 90, 20, 120, 45)  # "No"

    box = img.box_near(ink, 90, 20, 120, 45, left=True)

    assert box is not None and (box.x0, box.top, box.x1, box.bottom) == (50, 20, 73, 43) and not box.ticked


def test_an_option_word_read_as_tall_as_its_glued_box_still_finds_its_box() -> None:
    ink = np.zeros((200, 400), dtype=bool)
    rows = []
    for n, (ticked_yes, tall) in enumerate(((True, False), (True, True), (False, False))):
        top = 20 + 60 * n
        _frame(ink, 40, top, 23, ticked=ticked_yes)
        _letters(ink, 76, top, 126, top + 25)
        _frame(ink, 168, top, 23, ticked=not ticked_yes)
        _letters(ink, 205, top, 245, top + 25)
        line = (1, n, 1)
        yes = Word("Yes", 88, 76, top - 6 if tall else top, 126, top + 34 if tall else top + 25, line)
        rows.append([Word("Xl" if tall else "O", 44, 38, top - 6, 66, top + 34, line), yes,
                     Word("O1No" if tall else "No", 0 if tall else 96, 166 if tall else 205, top, 245, top + 25, line)])
    words = [w for row in rows for w in row]

    boxes, _read = tick_boxes(words, ink)

    found = sorted((b.top, "yes" if b.x1 < 76 else "no", b.ticked) for b in boxes)
    assert found == [(20, "no", False), (20, "yes", True), (80, "no", False), (80, "yes", True),
                     (140, "no", True), (140, "yes", False)]


def test_the_box_of_an_option_tesseract_lost_is_not_given_to_the_option_before_it() -> None:
    """On a speckled page "☐ Yes ☒ No" read as "Yes ☒" (the first box and the word "No" lost): the ☒ beside
    "Yes" is on the wrong side for this page, whose other rows all print the box before its option, so it is
    No's box. Given to "Yes" it made "Yes ☒", a Yes trusted at 96; now the row is no answer (a person looks)."""
    ink = np.zeros((320, 400), dtype=bool)
    words = []
    for n in range(4):
        top = 20 + 60 * n
        line = (1, n, 1)
        if n < 3:
            _frame(ink, 40, top, 23, ticked=n == 1)
            words.append(Word("Yes", 95, 76, top, 126, top + 25, line))
        else:  # the row whose first box and "No" were lost to the speckle
            words.append(Word("Yes", 38, 76, top, 126, top + 25, line))
        _letters(ink, 76, top, 126, top + 25)
        _frame(ink, 168, top, 23, ticked=n != 1)
        _letters(ink, 205, top, 245, top + 25)
        if n < 3:
            words.append(Word("No", 96, 205, top, 245, top + 25, line))

    boxes, read = tick_boxes(words, ink)

    assert sorted((b.top, b.x0 < 100, b.ticked) for b in boxes) == [
        (20, False, True), (20, True, False), (80, False, False), (80, True, True), (140, False, True),
        (140, True, False)]
    assert [w.top for w in read if w.text == "Yes"] == [20, 80, 140]


def test_a_page_printing_boxes_both_ways_keeps_each_box_with_its_nearest_option() -> None:
    """"Yes ☒ No ☐" rows beside "☐ Yes ☒ No" rows (a form's glyphs and a flattened AcroForm's squares): no
    side is the page's, so a lone "Yes ☒" keeps its box."""
    ink = np.zeros((320, 400), dtype=bool)
    words = []
    for n in range(4):
        top = 20 + 60 * n
        line = (1, n, 1)
        words.append(Word("Yes", 95, 76, top, 126, top + 25, line))
        _letters(ink, 76, top, 126, top + 25)
        if n % 2:  # boxes after the options
            _frame(ink, 134, top, 23, ticked=True)
            _frame(ink, 300, top, 23, ticked=False)
        else:
            _frame(ink, 40, top, 23, ticked=True)
            _frame(ink, 230, top, 23, ticked=False)
        words.append(Word("No", 96, 262, top, 292, top + 25, line))
    boxes, _read = tick_boxes(words, ink)
    assert len(boxes) == 8 and sum(b.ticked for b in boxes) == 4
