"""Tick boxes drawn in thin grey lines, scanned at 150 dpi and JPEG'd hard (SPEC §16, issue 19).

The sample referral's boxes are 1-point grey frames. Rendered by poppler at 150 dpi and saved by Pillow at
JPEG quality 60, their sides survive the ink threshold but their tops and bottoms fade: no square is found,
and the text alone ("| | Yes [v| No") was read as Yes, making up an elective-home-education answer that
turned a case down (R-ELIG-EHE). The row is now looked at again with lighter grey taken as ink, and an
answer holding both options and no readable tick is no answer at all.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import img2pdf
import pytest

from docgen.forms.types import parse_bool
from docgen.kinds import Kind, Method
from docgen.read.extract import extract
from docgen.samples.builder import write_submission
from tests.read.scans import jpeg, render

PAGE_ONE = {"pupil_on_roll": True, "pupil_ehe": False, "pupil_looked_after": False, "pupil_ehcp": False,
            "pupil_sen_support": False, "repeating_year_11": False}


def test_faint_boxes_on_a_hard_jpeg_are_read_from_the_page(tmp_path: Path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    files = write_submission(paper, "accepted", seed=3, today=dt.date(2026, 3, 2)).files
    referral = next(f for f in files if f.name.startswith("referral"))
    page = render(referral, tmp_path, dpi=150)[0]
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(img2pdf.convert([jpeg(page, quality=60, dpi=150)]))

    read = extract(scan)

    assert read.kind is Kind.REFERRAL and read.method is Method.OCR, read.warnings
    assert {k: read.fields.get(k) for k in PAGE_ONE} == PAGE_ONE
    assert all(read.confidence[k] >= 80 for k in PAGE_ONE), read.confidence


@pytest.mark.parametrize("text", ["Yes [v| No", "| | Yes [v| No", "v| Yes No", "Yes No"])
def test_both_options_and_no_readable_tick_is_no_answer(text: str) -> None:
    with pytest.raises(ValueError, match="both Yes and No"):
        parse_bool(text)


@pytest.mark.parametrize(("text", "value"), [("Yes", True), ("No, not yet", False), ("☐ Yes ☒ No", False),
                                             ("Yes ☒ No ☐", True), ("Yes - since March", True)])
def test_a_plain_or_ticked_answer_is_still_read(text: str, value: bool) -> None:
    assert parse_bool(text) is value
