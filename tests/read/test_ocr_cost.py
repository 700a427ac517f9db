"""What OCR's cheaper steps must keep (SPEC §12, §16): each shortcut gives exactly what the plain way gives.

* ruling removal works at full size only on the rows and columns a rule runs along: the same image as
  spreading every block over the whole page (the reference below), on pages other tools drew;
* a field's words are looked up through an index: the same start words as comparing with every word;
* tiny images (smaller than one block) go through ruling removal without error.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from docgen.read import image as img
from docgen.read.confidence import WordIndex, _key, _same
from tests.corpus import data, writers
from tests.corpus.build import REFERRAL_TITLE, _unticked_boxes

from .scans import render

_TABLE_PS = """%!PS
<< /PageSize [595 842] >> setpagedevice
/Helvetica findfont 11 scalefont setfont
0.8 setlinewidth
0 1 11 { /r exch def
  60 760 r 28 mul sub 470 28 rectstroke
  230 760 r 28 mul sub moveto 0 28 rlineto stroke
  66 770 r 28 mul sub moveto (Question number ) show r 4 string cvs show
  236 770 r 28 mul sub moveto (an answer written in the box) show
} for
60 380 moveto 530 380 lineto stroke
60 300 14 14 rectstroke 80 302 moveto (Yes) show
showpage
"""


@pytest.fixture(scope="module")
def ruled_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Image.Image]:
    """Ruled pages drawn by other tools: a reportlab AcroForm flattened by poppler's pdftocairo and rendered by
    pdftoppm, and a table drawn in PostScript rendered by Ghostscript; turned, skewed and halved."""
    folder = tmp_path_factory.mktemp("ruled")
    questions = data.referral(3, data.REFERRER_ROLES[3], data.RELATIONSHIPS[3 % len(data.RELATIONSHIPS)])
    live, flat = folder / "live.pdf", folder / "form.pdf"
    writers.acroform_pdf(live, REFERRAL_TITLE, questions, _unticked_boxes())
    writers.flatten(live, flat, "cairo")
    form = render(flat, folder, dpi=200)[0]
    (folder / "table.ps").write_text(_TABLE_PS)
    subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pnggray", "-r200",
                    f"-sOutputFile={folder / 'table.png'}", str(folder / "table.ps")], check=True, timeout=60)
    table = Image.open(folder / "table.png").convert("L")
    return [form, table, table.rotate(90, expand=True),
            form.rotate(1.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255),
            form.reduce(2)]


def _reference(image: Image.Image, ink: Any, xheight: float) -> Image.Image:
    """Ruling removal as first written: every block spread over the whole page, then the rules painted out."""
    shape = ink.shape
    ink_image = Image.fromarray(np.multiply(ink, 255, dtype=np.uint8))
    hblock = max(12, int(xheight * 2.5))
    hsmall = img._block_runs(ink_image, hblock, vertical=False)
    horizontal = img._spread(hsmall, hblock, shape, vertical=False)
    horizontal |= img._spread(img.grow(hsmall, 1), hblock, shape, vertical=False) & ink
    vblock = max(5, int(xheight * 0.5))
    vsmall = img._block_runs(ink_image, vblock, vertical=True)
    rows = vsmall.shape[0] * vblock
    near = horizontal[:rows].reshape(-1, vblock, shape[1]).any(axis=1)
    near = img.grow(near, 0)
    for _ in range(4):
        near = img.grow(near, 1)
    vertical = img._runs_touching(vsmall, near, minimum=4)
    vertical_full = img._spread(vertical, vblock, shape, vertical=True)
    vertical_full |= img._spread(img.grow(vertical, 0), vblock, shape, vertical=True) & ink
    rules = horizontal | vertical_full
    pixels = np.array(image, dtype=np.uint8)
    np.putmask(pixels, img.grow(img.grow(rules, 0), 1), 255)
    return Image.fromarray(pixels)


@pytest.mark.parametrize("xheight", [9.0, 17.0, 30.0])
def test_ruling_removal_on_the_ruled_rows_and_columns_only_gives_the_whole_page_result(
        ruled_pages: list[Image.Image], xheight: float) -> None:
    for page in ruled_pages:
        ink = img.ink_mask(page)
        expected = np.asarray(_reference(page, ink, xheight))
        assert (expected != np.asarray(page)).sum() > 1000  # rules were there to paint out
        assert np.array_equal(np.asarray(img.without_ruling(page, ink, xheight)), expected)


@pytest.mark.parametrize("size", [(1, 1), (5, 5), (40, 10), (200, 3), (3, 200), (300, 12)])
def test_ruling_removal_takes_images_smaller_than_one_block(size: tuple[int, int]) -> None:
    pixels = np.full((size[1], size[0]), 250, dtype=np.uint8)
    pixels[size[1] // 2, :] = 10
    pixels[:, size[0] // 2] = 10
    page = Image.fromarray(pixels)
    out = img.without_ruling(page, img.ink_mask(page), 4.0)
    assert out.size == page.size
    if size == (300, 12):  # a strip holding one long rule: the rule goes, even though the strip is so short
        assert np.asarray(out)[6, :100].min() == 255


def test_the_word_index_finds_the_words_comparing_with_every_word_would() -> None:
    text = (Path(__file__).parent.parent.parent / "docs" / "ARCHITECTURE.md").read_text()
    keys = [_key(w) for w in text.split()[:3000]] + ["", ".", "a\x00b", "ab", "abc", "abcd", "ab"]
    index = WordIndex(keys)
    tokens = sorted(set(keys[::7])) + ["", "x", "ab", "abc", "bcd", "abcde", "\x00", "the", "docgen,", "a\x00b"]
    for token in tokens:
        assert index.starts(token) == [n for n, key in enumerate(keys) if _same(token, key)], token
