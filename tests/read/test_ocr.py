"""OCR with real Tesseract on scans the tests make (SPEC §16): kinds, fields, confidences, bad pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFilter

from docgen.kinds import Kind, Method
from docgen.read.confidence import uncertain_values
from docgen.read.extract import extract
from docgen.read.scanned import UNREADABLE_PAGE
from docgen.samples.data import make_pupil, referral_values
from docgen.samples.files import write_flattened_pdf

from .scans import jpeg, noisy, render, scanned_pdf, scribbles, skewed, uneven_light

TODAY = dt.date(2026, 11, 2)


@pytest.fixture(scope="session")
def referral(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], list[Image.Image]]:
    """A referral filled and flattened, its text-layer reading (the reference), and its pages as images."""
    folder = tmp_path_factory.mktemp("ocr-referral")
    values = referral_values(make_pupil(7, today=TODAY), today=TODAY)
    pdf = write_flattened_pdf(folder / "referral.pdf", "referral", values)
    reference = extract(pdf).fields
    return pdf, reference, render(pdf, folder)


def agreement(fields: dict[str, Any], reference: dict[str, Any]) -> float:
    read = {k: v for k, v in reference.items() if v is not None}
    return sum(1 for k, v in read.items() if fields.get(k) == v) / len(read)


def test_a_noisy_jpeg_scan_of_a_referral_reads_like_its_text_layer(
        referral: tuple[Path, dict[str, Any], list[Image.Image]], tmp_path: Path) -> None:
    _pdf, reference, pages = referral
    scan = scanned_pdf([noisy(p, seed=n) for n, p in enumerate(pages)], tmp_path / "scan.pdf")
    result = extract(scan)
    assert result.kind is Kind.REFERRAL and result.method is Method.OCR
    assert agreement(result.fields, reference) >= 0.9, {k: (v, result.fields.get(k)) for k, v in reference.items()
                                                         if v is not None and result.fields.get(k) != v}
    read = {k for k, v in result.fields.items() if v is not None}
    assert result.confidence is not None and read <= set(result.confidence)
    assert all(0 <= n <= 100 for n in result.confidence.values())
    data = json.loads(json.dumps(result.to_json()))  # what `docgen extract --json` prints
    assert list(data)[:5] == ["file", "kind", "method", "fields", "warnings"]
    assert data["method"] == "ocr" and set(data["confidence"]) == set(result.confidence)


def test_a_photo_turned_skewed_and_unevenly_lit_is_read(
        referral: tuple[Path, dict[str, Any], list[Image.Image]], tmp_path: Path) -> None:
    _pdf, reference, pages = referral
    photo = uneven_light(skewed(pages[0], 2.5)).rotate(90, expand=True)
    path = tmp_path / "IMG_0412.JPG"
    path.write_bytes(jpeg(photo, quality=70, dpi=72))
    result = extract(path)
    assert result.kind is Kind.REFERRAL and result.method is Method.OCR
    page_one = ("pupil_forename", "pupil_surname", "pupil_dob", "pupil_upn", "pupil_postcode", "parent_name",
                "pupil_on_roll", "pupil_ehe")
    right = [k for k in page_one if result.fields.get(k) == reference[k]]
    assert len(right) >= 7, {k: (reference[k], result.fields.get(k)) for k in page_one}
    assert result.ocr is not None and result.ocr["pages"][0]["rotation"] in (90, 270)


def test_blank_black_and_scribbled_pages_go_to_a_person_not_quarantine(tmp_path: Path) -> None:
    size = (1700, 2200)
    for name, image in {"blank.png": Image.new("L", size, 250), "black.png": Image.new("L", size, 12),
                        "scribble.png": scribbles(size)}.items():
        path = tmp_path / name
        image.save(path)
        result = extract(path)
        assert result.kind is Kind.UNKNOWN and result.method is Method.OCR, name
        assert result.reason == UNREADABLE_PAGE, (name, result.reason)
        assert result.ocr is not None and not result.ocr["pages"][0]["readable"]


def test_uncertain_values_lists_low_confidence_fields_with_their_boxes(
        referral: tuple[Path, dict[str, Any], list[Image.Image]], tmp_path: Path) -> None:
    _pdf, _reference, pages = referral
    path = tmp_path / "page1.png"
    pages[0].save(path)
    result = extract(path)
    assert result.confidence
    everything = uncertain_values(result, min_confidence=101)
    assert {u.key for u in everything} == set(result.confidence)
    for item in everything:
        x0, top, x1, bottom = item.box
        assert item.page == 1 and 0 <= x0 < x1 <= 1 and 0 <= top < bottom <= 1
    assert uncertain_values(result, min_confidence=0) == []


def test_a_page_upside_down_a_g4_tiff_and_a_heic_photo_are_read(
        referral: tuple[Path, dict[str, Any], list[Image.Image]], tmp_path: Path) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    _pdf, reference, pages = referral
    page_one = ("pupil_forename", "pupil_surname", "pupil_dob", "pupil_upn", "pupil_postcode", "parent_name",
                "pupil_on_roll", "pupil_ehe")
    upside_down = tmp_path / "scan-upside-down.png"
    noisy(pages[0]).rotate(180).save(upside_down, dpi=(300, 300))
    photo = tmp_path / "IMG_2231.HEIC"
    uneven_light(pages[0]).convert("RGB").save(photo, quality=80)
    for path, rotation in ((upside_down, 180), (photo, 0)):
        result = extract(path)
        assert result.kind is Kind.REFERRAL and result.method is Method.OCR, path.name
        right = [k for k in page_one if result.fields.get(k) == reference[k]]
        assert len(right) >= 7, (path.name, {k: (reference[k], result.fields.get(k)) for k in page_one})
        assert result.ocr is not None and result.ocr["pages"][0]["rotation"] == rotation, path.name
    fax = tmp_path / "copier.tif"  # bilevel CCITT G4, every page in one TIFF, as a copier's "scan to folder"
    bilevel = [p.point(lambda v: 255 if v > 160 else 0).convert("1") for p in pages]
    bilevel[0].save(fax, save_all=True, append_images=bilevel[1:], compression="group4", dpi=(300, 300))
    result = extract(fax)
    assert result.kind is Kind.REFERRAL and result.method is Method.OCR
    assert result.ocr is not None and len(result.ocr["pages"]) == len(pages)
    assert agreement(result.fields, reference) >= 0.9, {k: (v, result.fields.get(k)) for k, v in reference.items()
                                                        if v is not None and result.fields.get(k) != v}
    read = {k for k, v in result.fields.items() if v is not None}
    assert result.confidence is not None and read <= set(result.confidence)


def test_a_handwritten_page_sent_alone_goes_to_review_with_r_data_uncertain(tmp_path: Path) -> None:
    from docgen.rules.check import check_submission

    path = tmp_path / "referral-by-hand.jpg"
    path.write_bytes(jpeg(scribbles((1700, 2200), seed=8), quality=70))
    result = check_submission([extract(path)], today=TODAY)  # no printed form at all: no main form
    assert result.outcome == "review" and result.kind == "unknown"
    uncertain = [f.message for f in result.findings if f.rule == "R-DATA-UNCERTAIN"]
    assert len(uncertain) == 1 and "referral-by-hand.jpg" in uncertain[0] and "key the fields" in uncertain[0]


def test_a_phone_scanning_apps_pdf_declaring_72_dpi_is_read_at_its_pixels(
        referral: tuple[Path, dict[str, Any], list[Image.Image]], tmp_path: Path) -> None:
    """A phone app's PDF of photos says 72 dpi: a 2,500-pixel photo becomes a "page" of 2,500 points, far
    larger than any paper. It must read as the same photo sent as a JPEG does, not as unreadable pages."""
    pdf, reference, _pages = referral
    page = render(pdf, tmp_path, dpi=300)[0]  # a 12-megapixel phone photo holds about as much as a 300 dpi scan
    photo = uneven_light(skewed(page, -1.5)).filter(ImageFilter.GaussianBlur(0.8))
    wrapped = scanned_pdf([photo], tmp_path / "Scanned Document.pdf", dpi=72, quality=70)
    alone = tmp_path / "IMG_0413.JPG"
    alone.write_bytes(jpeg(photo, quality=70, dpi=72))
    result, as_jpeg = extract(wrapped), extract(alone)
    assert result.kind is Kind.REFERRAL and result.method is Method.OCR, result.warnings
    assert result.ocr is not None and result.ocr["pages"][0]["readable"]
    assert result.fields == as_jpeg.fields
    page_one = ("pupil_forename", "pupil_surname", "pupil_dob", "pupil_upn", "pupil_postcode", "parent_name",
                "pupil_on_roll", "pupil_ehe")
    right = [k for k in page_one if result.fields.get(k) == reference[k]]
    assert len(right) >= 6, {k: (reference[k], result.fields.get(k)) for k in page_one}


def test_a_cells_side_taller_than_the_answers_letters_is_no_capital_i() -> None:
    """Tesseract read a table cell's side just left of an answer as "|" (seen on independent JPEG scans of the
    referral: 'I Martin Okoye', 'I Deputy Headteacher' trusted at 92-96); a "|" as tall as the word after it is
    still the "I" starting a sentence."""
    from docgen.read.ocr import _pipes_as_i
    from docgen.read.tesseract import Word

    def word(text: str, x0: float, top: float, x1: float, bottom: float) -> Word:
        return Word(text, 92.0, x0, top, x1, bottom, (1, 1, 1))

    box = (0.0, 0.0, 1.0, 1.0)
    side = [(word("|", 875, 872, 877, 909), box), (word("Martin", 885, 880, 950, 900), box)]
    letter = [(word("|", 100, 880, 103, 900), box), (word("have", 110, 880, 150, 900), box)]
    assert [w.text for w, _b in _pipes_as_i(side)] == ["Martin"]
    assert [w.text for w, _b in _pipes_as_i(letter)] == ["I", "have"]
