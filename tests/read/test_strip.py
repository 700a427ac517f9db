"""One Tesseract call serves both second looks at a page (docgen/read/strip.py, SPEC §12, §16): the doubtful
words read again (`reread`) and the ink no word covers (`missed`) go on one strip of pieces.

The pages are drawn in PostScript and rendered by Ghostscript (not by docgen); Tesseract is the real one,
reached through a wrapper on PATH that counts its runs before handing over to it. A line drawn with Pillow
checks how missed's patches map back when a word read again has come to cover one."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from docgen.read import missed
from docgen.read.ocr import read_page
from docgen.read.pages import PageImage
from docgen.read.strip import Strip
from docgen.read.tesseract import Word

# A4 in points; Helvetica labels and answers, three ruled yes/no cells, a check mark printed without a box
# (ZapfDingbats "4" is ✔) and "24" set beside a two-line label (read against the label's baseline: doubtful)
PAGE = """%!PS
/f { findfont exch scalefont setfont } def
/at { moveto show } def
15 /Helvetica-Bold f (Medical Needs Service referral: school checklist) 50 790 at
11 /Helvetica f
(Name of the young person) 50 750 at (Reuben Salthouse) 300 750 at
(School name) 50 724 at (Saltmarsh Coast Academy) 300 724 at
(Name of the person making the referral) 50 698 at (Mrs Grace Holkham) 300 698 at
(Reason for the referral) 50 672 at (a long stay in hospital over the summer) 300 672 at
0.8 setlinewidth
/cell { /a exch def /q exch def /y exch def
  48 y 8 sub 270 24 rectstroke 318 y 8 sub 60 24 rectstroke q 52 y at a 344 y at } def
620 (Does the young person have an EHCP?) (N) cell
596 (Is the young person receiving SEN support?) (Y) cell
572 (Is the absence related to pregnancy?) (N) cell
(Meeting with parent or carer) 50 530 at
16 /ZapfDingbats f (4) 320 528 at
11 /Helvetica f
(School days absent for health) 50 500 at (reasons this academic year) 50 487 at (24) 320 494 at
showpage
"""

PROSE = """%!PS
12 /Times-Roman findfont exch scalefont setfont
/y 760 def
[(The school has followed its own medical needs policy and all of its procedures.)
 (The young person was seen at the hospital on two occasions this term and is now)
 (recovering at home. Her parents have asked the school to arrange some lessons)
 (at home so that she can keep up with her classes while she cannot come in.)] {
  50 y moveto show /y y 22 sub def } forall
showpage
"""


@pytest.fixture
def counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A `tesseract` on PATH that notes each run in a log, then runs the real one; the log's path."""
    real = shutil.which("tesseract")
    assert real is not None, "tesseract-ocr is installed on every machine that runs these tests"
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "runs.log"
    wrapper = folder / "tesseract"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:{os.environ['PATH']}")
    return log


def _rendered(postscript: str, folder: Path) -> Image.Image:
    source, png = folder / "page.ps", folder / "page.png"
    source.write_text(postscript, encoding="ascii")
    subprocess.run(["gs", "-q", "-dSAFER", "-dNOPAUSE", "-dBATCH", "-sDEVICE=pnggray", "-r200",
                    f"-sOutputFile={png}", str(source)], check=True, timeout=60)
    return Image.open(png).convert("L")


def _runs(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_a_doubtful_word_and_a_dropped_check_mark_are_read_again_in_one_call(tmp_path: Path, counted: Path) -> None:
    page = PageImage(1, _rendered(PAGE, tmp_path), 595.0, 842.0)
    read = read_page(page, tmp_path, deadline=time.monotonic() + 120)
    runs = _runs(counted)
    assert len(runs) == 2, runs  # the page, then one strip for both second looks
    assert "--psm 3" in runs[0] and "--psm 6" in runs[1]
    words = {w.text: w for w in read.words}
    assert "24" in words and words["24"].conf >= 90  # doubtful at first, read the same way again on its own
    meeting = words["Meeting"]
    marks = [w for w in read.words if w.text == "✓"]  # read from the ink: the page layout took it for a "V"
    assert len(marks) == 1 and marks[0].x0 > meeting.x1 and abs(marks[0].top - meeting.top) < 12
    assert sorted(w.text for w in read.words if w.text in {"N", "Y"}) == ["N", "N", "Y"]


def test_a_page_with_nothing_doubtful_or_left_over_costs_one_call(tmp_path: Path, counted: Path) -> None:
    page = PageImage(1, _rendered(PROSE, tmp_path), 595.0, 842.0)
    read = read_page(page, tmp_path, deadline=time.monotonic() + 120)
    assert len(_runs(counted)) == 1
    assert read.readable and " ".join(w.text for w in read.words).startswith("The school has followed its own")


def test_ink_a_word_read_again_has_come_to_cover_is_no_missed_answer(tmp_path: Path) -> None:
    """The patches are found from the words as first read; when the second look makes a guess over a patch sure,
    the patch is covered after all and its strip reading is not added (nor the sure word dropped)."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    page = Image.new("L", (1200, 120), 255)
    draw = ImageDraw.Draw(page)
    draw.text((20, 30), "Question", font=font, fill=0)
    draw.text((700, 30), "N", font=font, fill=0)
    ink = np.asarray(page) < 128
    label, guess = Word("Question", 95, *draw.textbbox((20, 30), "Question", font=font)), \
        Word("xx", 20, *draw.textbbox((700, 30), "N", font=font))  # Tesseract's guess at the "N": under 35
    strip = Strip()
    asked = missed.ask(ink, missed.plan(ink, [label, guess], 22.0), 22.0, strip)
    assert len(asked.patches) == 1 and len(strip) == 1
    read = strip.read(tmp_path / "strip.tif", dpi=300, timeout=30)
    as_first = missed.answer(ink, [label, guess], asked, read, 22.0)
    assert [w.text for w in as_first] == ["Question", "N"] and 690 <= as_first[1].x0 <= 710  # the guess gives way
    sure = replace(guess, conf=60.0)  # read again the same way, surer: it covers its ink now
    assert missed.answer(ink, [label, sure], asked, read, 22.0) == [label, sure]
