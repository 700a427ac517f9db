"""An attendance summary sent as a screenshot of a PDF viewer: the page at ~110 dpi inside the viewer's grey
frame and dark toolbar. Printed by Chromium (--print-to-pdf, not docgen), rendered by poppler, framed with
Pillow, read by real Tesseract. Tesseract's page layout drops the figures standing out in their column
(possible sessions, present, …); the ink left over is read again only when the letters' height is known, and a
summary of short labels ("Sessions possible", "Present") has too few x-height-only words for it; once read,
a figure's digits left apart ("1" "36" of 136) must be read as one number. The figures a summary states must be
read whenever they are on the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from docgen.kinds import Kind
from docgen.read.extract import extract
from tests.attendance.test_printed_summaries import chromium_pdf
from tests.read.scans import render

_SUMMARY = (
    "<p style='font-size:8pt'>Breckland Vale School &mdash; attendance export</p><h2>Attendance Summary</h2>"
    "<table class='bare'><tr><td><b>Pupil name</b></td><td>Idris Fenwick</td></tr>"
    "<tr><td><b>Date of birth</b></td><td>05/06/2014</td></tr></table><h3>Summary</h3><table style='width:55%'>"
    "<tr><td>Sessions possible</td><td style='text-align:right'>136</td></tr>"
    "<tr><td>Present</td><td style='text-align:right'>71</td></tr>"
    "<tr><td>Approved educational activity</td><td style='text-align:right'>3</td></tr>"
    "<tr><td>Authorised absence</td><td style='text-align:right'>58</td></tr>"
    "<tr><td>Unauthorised absence</td><td style='text-align:right'>4</td></tr>"
    "<tr><td>Attendance %</td><td style='text-align:right'>54.4%</td></tr></table>"
    "<h3>Absence by code</h3><table style='width:70%'><tr><th>Code</th><th>Description</th><th>Sessions</th></tr>"
    "<tr><td>I</td><td>Illness</td><td style='text-align:right'>52</td></tr>"
    "<tr><td>M</td><td>Medical appointment</td><td style='text-align:right'>6</td></tr>"
    "<tr><td>O</td><td>Unauthorised absence</td><td style='text-align:right'>4</td></tr></table>"
)


def screenshot(page: Image.Image, path: Path) -> Path:
    """The page as a PDF viewer shows it: a grey frame around it, a dark toolbar with its own words on top."""
    frame = Image.new("L", (page.width + 240, page.height + 150), 88)
    draw = ImageDraw.Draw(frame)
    draw.rectangle((0, 0, frame.width, 40), fill=52)
    draw.text((12, 14), "summary.pdf   1 / 1   100%", fill=230)
    frame.paste(page, (120, 80))
    frame.convert("RGB").save(path)
    return path


@pytest.mark.parametrize("dpi", [110, 120])
def test_a_screenshot_of_a_summary_in_a_viewer_frame_reads_its_figures(tmp_path: Path, dpi: int) -> None:
    page = render(chromium_pdf(_SUMMARY, tmp_path, "summary"), tmp_path, dpi=dpi)[0]
    read = extract(screenshot(page, tmp_path / "screenshot.png"))
    assert read.method.value == "ocr" and read.kind is Kind.ATTENDANCE, read
    fields = read.fields
    got = {key: fields[key] for key in ("possible_sessions", "attended_sessions", "unauthorised_absence_sessions",
                                        "illness_sessions", "attendance_pct")}
    assert got == {"possible_sessions": 136, "attended_sessions": 74, "unauthorised_absence_sessions": 4,
                   "illness_sessions": 52, "attendance_pct": 54.4}
    assert fields["pupil_name"] == "Idris Fenwick"
