"""Scanned submissions reach the outcome their paper originals reach (SPEC §16: at least 4 of 5).

Each sample submission (docgen's own fillable forms and a letter with another layout) is printed and
scanned: every PDF rendered by poppler, speckled, saved as JPEG pages in an image-only PDF; the CSV
herringbone is sent as it is. `docgen check` is then run on the originals and on the scans.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from docgen.rules.check import check_submission, read_submission
from docgen.samples.builder import write_submission

from .scans import CURSIVE, cursive_page, noisy, render, scanned_pdf, scribbles

TODAY = dt.date(2026, 3, 2)
SCENARIOS = [("accepted", 1), ("incomplete", 2), ("review", 3), ("not_accepted", 4), ("accepted", 5)]


def scanned_copy(original: Path, folder: Path, work: Path) -> Path:
    folder.mkdir(parents=True)
    for file in sorted(original.iterdir()):
        if file.suffix == ".pdf":
            (work / file.stem).mkdir(parents=True)
            pages = render(file, work / file.stem, dpi=250)
            scanned_pdf([noisy(p, seed=n) for n, p in enumerate(pages)], folder / file.name)
        else:
            shutil.copy(file, folder / file.name)
    return folder


@pytest.fixture(scope="session")
def submissions(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path, Path]]:
    base = tmp_path_factory.mktemp("ocr-outcomes")
    out: list[tuple[str, Path, Path]] = []
    for scenario, seed in SCENARIOS:
        sub = write_submission(base / f"{scenario}-{seed}" / "paper", scenario, seed=seed, today=TODAY, fmt="pdf")
        scan = scanned_copy(sub.folder, base / f"{scenario}-{seed}" / "scan", base / f"{scenario}-{seed}" / "pages")
        out.append((sub.expected_outcome, sub.folder, scan))
    return out


def test_scanned_submissions_reach_their_outcome(submissions: list[tuple[str, Path, Path]]) -> None:
    right = 0
    report = []
    for expected, paper, scan in submissions:
        assert check_submission(read_submission([paper]), today=TODAY).outcome == expected
        result = check_submission(read_submission([scan]), today=TODAY)
        kinds = sorted(d["kind"] for d in result.to_json()["documents"])
        assert "unknown" not in kinds, kinds
        right += result.outcome == expected
        report.append((expected, result.outcome, [f.rule for f in result.findings]))
    assert right >= 4, report


def test_a_handwritten_page_in_a_submission_sends_it_to_review(submissions: list[tuple[str, Path, Path]],
                                                                tmp_path: Path) -> None:
    _expected, _paper, scan = submissions[0]
    folder = tmp_path / "with-note"
    shutil.copytree(scan, folder)
    scribbles((1700, 2200)).save(folder / "note-from-parent.jpg", quality=80)
    result = check_submission(read_submission([folder]), today=TODAY)
    assert result.outcome == "review"
    uncertain = [f.message for f in result.findings if f.rule == "R-DATA-UNCERTAIN"]
    assert any("note-from-parent.jpg" in m and "key the fields in the desk" in m for m in uncertain), uncertain


def test_a_page_in_a_clear_cursive_hand_is_named_for_a_person_to_read(submissions: list[tuple[str, Path, Path]],
                                                                      tmp_path: Path) -> None:
    """Tesseract reads a clear cursive hand fairly well (its text comes out nearly right), so the page is not
    "unreadable"; but it is no form docgen knows and its words are read with less confidence than print:
    R-DATA-UNCERTAIN names it. A typed page of no known kind, scanned the same way, is not named."""
    _expected, _paper, scan = submissions[0]
    folder = tmp_path / "with-note"
    shutil.copytree(scan, folder)
    cursive_page().save(folder / "note-from-mum.jpg", quality=70, dpi=(72, 72))
    typed = Image.new("L", (2480, 3508), 255)
    font = ImageFont.truetype(str(CURSIVE.with_name("C059-Roman.otf")), 42)  # a book face, also with Ghostscript
    for n, line in enumerate(["Wensum Valley Academy newsletter", "The autumn fair raised enough for new library",
                              "books, and the choir sings at the cathedral on the twelfth of December.",
                              "Please remember that the school closes early on the last day of term."]):
        ImageDraw.Draw(typed).text((250, 400 + 90 * n), line, font=font, fill=20)
    noisy(typed).save(folder / "newsletter.jpg", quality=75, dpi=(300, 300))
    result = check_submission(read_submission([folder]), today=TODAY)
    assert result.outcome == "review"
    uncertain = [f.message for f in result.findings if f.rule == "R-DATA-UNCERTAIN"]
    assert any("note-from-mum.jpg" in m and "handwritten" in m for m in uncertain), uncertain
    assert not any("newsletter.jpg" in m for m in uncertain), uncertain
