"""A scanned register's marks counted from its grid, not its printed totals (issue 19, SPEC §5, §16).

A school MIS's register printed by headless Chromium (its marks in a monospaced font, the totals it prints
under the grid), rendered by poppler, turned a degree or two and JPEG-compressed with Pillow, read by real
Tesseract. Before: a few of its many "I"s read as "I" once and "F", "L" or "X" once were left "?" (or a skewed
grid's last row lost its right-hand cells, or a day's heading read "Fri PM AM"), the marks fell short of the
printed totals and the record was read by those totals, so its illness and medical sessions, illness days and
dates were null. Its marks are read, and a mark its shape cannot tell is still never guessed
(`docgen.read.glyphs`)."""

from __future__ import annotations

import datetime as dt
import io
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from docgen.kinds import Kind, Method
from docgen.read.extract import extract
from docgen.read.glyphs import Samples, shape

from .herringbones import print_html
from .scans import jpeg, photographed, render, scanned_pdf, skewed

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri")
START = dt.date(2026, 1, 5)


def marks(weeks: int, seed: int) -> list[list[str]]:
    """Ten marks a week for a pupil off sick much of the term: present, illness, a medical appointment, late."""
    rng = random.Random(seed)
    out: list[list[str]] = []
    for _week in range(weeks):
        row: list[str] = []
        for _day in range(5):
            r = rng.random()
            row += ["/", "\\"] if r < 0.4 else ["I", "I"] if r < 0.85 else ["M", "\\"] if r < 0.93 else ["L", "\\"]
        out.append(row)
    return out


def register_html(grid: list[list[str]], font: str) -> tuple[str, dict[str, object]]:
    """A ruled register (day headings over AM and PM) with its marks in `font`, the totals it prints under it,
    and the figures its marks give."""
    flat = [m for week in grid for m in week]
    attended = sum(m in ("/", "\\", "L") for m in flat)
    want: dict[str, object] = {
        "possible_sessions": len(flat), "attended_sessions": attended, "illness_sessions": flat.count("I"),
        "medical_sessions": flat.count("M"), "attendance_pct": round(100 * attended / len(flat), 1),
        "first_date": START.isoformat(), "last_date": (START + dt.timedelta(weeks=len(grid), days=-3)).isoformat()}
    days = "".join(f"<th colspan=2>{d}</th>" for d in DAYS)
    rows = "".join(f"<tr><td class=w>w/c {START + dt.timedelta(weeks=n):%d/%m/%Y}</td>"
                   + "".join(f"<td>{m.replace(chr(92), '&#92;')}</td>" for m in week) + "</tr>"
                   for n, week in enumerate(grid))
    html = f"""<html><head><style>
body {{ font-family: 'DejaVu Sans', sans-serif; font-size: 11pt; margin: 20mm; }} table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #222; padding: 3px 8px; text-align: center; font-size: 10pt; }}
td {{ font-family: {font}; }} td.w {{ font-family: 'DejaVu Sans', sans-serif; text-align: left; }}
</style></head><body><h2>Pupil Attendance Record</h2>
<p>Pupil name: Imogen Tallis<br>Date of birth: 09/05/2013<br>School: Brancaster Lane School</p>
<table><tr><th rowspan=2>Week commencing</th>{days}</tr><tr>{"<th>AM</th><th>PM</th>" * 5}</tr>{rows}</table>
<p>Possible sessions: {want['possible_sessions']} &nbsp; Attended: {want['attended_sessions']} &nbsp;
Attendance: {want['attendance_pct']}%</p>
<p>Key: / &#92; present; L late; I illness; M medical appointment</p></body></html>"""
    return html, want


@pytest.mark.parametrize(("seed", "font", "degrees", "quality"), [
    # a serif "I" Tesseract reads on its own as "I" and as "F", "L" or "X": told by the register's other "I"s
    (1, "'DejaVu Sans Mono', monospace", -2.0, 60),
    # turned the other way: the grid's last row higher at its right end than its middle says
    (6, "'Liberation Sans', sans-serif", 1.0, 70),
    # turned less than a degree: "PM" a pixel above "AM" under "Fri", never read as "Fri PM AM"
    (13, "'DejaVu Sans Mono', monospace", 0.7, 45),
])
def test_a_scanned_register_is_counted_from_its_marks(tmp_path: Path, seed: int, font: str, degrees: float,
                                                      quality: int) -> None:
    html, want = register_html(marks(12, seed), font)
    printed = print_html(html, tmp_path / "register.pdf")
    page = skewed(render(printed, tmp_path, dpi=200)[0], degrees)
    read = extract(scanned_pdf([page], tmp_path / "register-scan.pdf", dpi=200, quality=quality))
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, read.reason
    assert read.confidence is not None
    assert {key: read.fields[key] for key in want} == want
    assert not any("totals the record prints" in w for w in read.warnings), read.warnings
    assert min(read.confidence[key] for key in want) >= 80


def test_a_late_mark_read_as_an_illness_is_never_counted_as_one(tmp_path: Path) -> None:
    """Two "L"s Tesseract reads once as "I" and once as "L", on a register with too few sure "L"s to go by and
    nothing like its "I"s: left "?", the record is read by its printed totals (or a person checks it), never
    with a late mark counted as an illness."""
    html, want = register_html(marks(12, 7), "'DejaVu Sans', sans-serif")
    page = skewed(render(print_html(html, tmp_path / "register.pdf"), tmp_path, dpi=200)[0], 1.2)
    read = extract(scanned_pdf([page], tmp_path / "register-scan.pdf", dpi=200, quality=70))
    assert read.kind is Kind.ATTENDANCE and read.confidence is not None, read.reason
    wrong = {key: read.fields[key] for key in want
             if read.fields[key] not in (None, want[key]) and read.confidence.get(key, 0) >= 80}
    assert not wrong, (wrong, want)
    assert read.fields["possible_sessions"] == want["possible_sessions"]


def test_a_photographed_register_whose_heading_lost_a_session_is_counted_from_its_marks(tmp_path: Path) -> None:
    """A phone photo (perspective, shadow, soft; DejaVu Serif): the "PM" under "Wed" is lost, and the heading
    "Wed AM" over two cells, among "Mon AM PM" and the rest, made the reader place the marks otherwise."""
    html, want = register_html(marks(12, 22), "'DejaVu Serif', serif")
    page = render(print_html(html, tmp_path / "register.pdf"), tmp_path, dpi=200)[0]
    photo = tmp_path / "register-photo.jpg"
    photo.write_bytes(jpeg(photographed(page), quality=70))
    read = extract(photo)
    assert read.kind is Kind.ATTENDANCE and read.method is Method.OCR, read.reason
    assert read.confidence is not None
    assert {key: read.fields[key] for key in want} == want
    assert min(read.confidence[key] for key in want) >= 80


def _glyph(font: ImageFont.FreeTypeFont, letter: str, rng: random.Random) -> np.ndarray:
    """A letter as a scan shows it: turned a little, blurred, shrunk and JPEG-compressed, as ink."""
    image = Image.new("L", (90, 90), 255)
    ImageDraw.Draw(image).text((25, 10), letter, font=font, fill=0)
    image = image.rotate(rng.uniform(-2, 2), resample=Image.Resampling.BICUBIC, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5))).resize((45, 45))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rng.randrange(40, 80))
    return np.asarray(Image.open(out).resize((90, 90), Image.Resampling.BICUBIC)) < 140


@pytest.mark.parametrize("font", ["/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                                  "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"])
def test_a_doubtful_mark_is_told_only_as_a_code_it_was_read_as_and_looks_like(font: str) -> None:
    face = ImageFont.truetype(font, 40)
    rng = random.Random(3)
    looks = {code: [shape(_glyph(face, code, rng)) for _n in range(12)] for code in ("I", "M", "#")}
    samples = Samples({code: [s for s in shapes if s is not None] for code, shapes in looks.items()})
    told = [samples.tell(s, {"I", "F"}) for _n in range(6) if (s := shape(_glyph(face, "I", rng))) is not None]
    assert told.count("I") >= 5
    for letter in ("T", "L", "E", "F", "J"):  # codes read as "I" once: never told as one by shape
        for _n in range(6):
            mark = shape(_glyph(face, letter, rng))
            assert mark is not None
            assert samples.tell(mark, {"I", letter}) in (None, letter)
    mark = shape(_glyph(face, "I", rng))
    assert mark is not None
    assert samples.tell(mark, {"X", "Z"}) is None  # a code no reading named is never given
    assert Samples({"I": looks["I"][:3]}).tell(mark, {"I", "L"}) is None  # too few samples to go by
