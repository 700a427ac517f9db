"""Tesseract, called directly: one process per page image, words with boxes and confidences (SPEC §16).

The reading path calls the `tesseract` program itself (TSV out), not OCRmyPDF: a stock OCRmyPDF run
costs several bare Tesseract calls, and the reading needs only the words. Each call runs single-threaded
(`OMP_THREAD_LIMIT=1`): the intake's workers already keep every core busy with a page each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import ExtractionError, ReasonCode

LANGUAGE = "eng"


@dataclass(frozen=True)
class Word:
    """One word Tesseract read: its text, confidence (0–100) and box in the image's pixels."""

    text: str
    conf: float
    x0: float
    top: float
    x1: float
    bottom: float
    line: tuple[int, int, int] = (0, 0, 0)  # Tesseract's block, paragraph and line numbers
    again: str = ""  # a second reading of a doubtful word that did not replace it (`docgen.read.reread`)
    again_conf: float = 0.0


class OcrUnavailable(ExtractionError):
    """Tesseract is not installed (or cannot run): the scan is kept for a person, never lost."""


def tesseract_path() -> str:
    """The tesseract program, or OcrUnavailable with what to install."""
    found = shutil.which("tesseract")
    if found is None:
        raise OcrUnavailable(ReasonCode.UNSUPPORTED, "Tesseract is not installed, so scans cannot be read: install "
                                                     "the Debian packages tesseract-ocr and tesseract-ocr-eng")
    return found


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def read_words(image: Path, *, dpi: int, sauvola: bool = False, timeout: float = 60.0, psm: int = 3) -> list[Word]:
    """Every word Tesseract finds on one page image (automatic page segmentation unless `psm` says, English)."""
    args = [tesseract_path(), str(image), "-", "-l", LANGUAGE, "--psm", str(psm), "--dpi", str(dpi),
            "-c", "tessedit_do_invert=0"]
    if sauvola:
        args += ["-c", "thresholding_method=2"]
    args.append("tsv")
    out = _run(args, timeout)
    return parse_tsv(out)


def parse_tsv(out: str) -> list[Word]:
    """Tesseract's TSV: the level-5 rows are words (left, top, width, height, conf, text)."""
    words: list[Word] = []
    for row in out.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        if not text:
            continue
        try:
            left, top, width, height = (float(c) for c in cells[6:10])
            conf = max(0.0, min(100.0, float(cells[10])))
            line = (int(cells[2]), int(cells[3]), int(cells[4]))
        except ValueError:
            continue
        words.append(Word(text, conf, left, top, left + width, top + height, line))
    return words


def orientation(image: Path, *, dpi: int, timeout: float = 30.0) -> tuple[int, float]:
    """Tesseract's orientation detection: (degrees the page must turn clockwise to be upright, confidence)."""
    try:
        out = _run([tesseract_path(), str(image), "-", "--psm", "0", "--dpi", str(dpi)], timeout)
    except ExtractionError:
        return 0, 0.0
    rotate, conf = 0, 0.0
    for line in out.splitlines():
        key, _, value = line.partition(":")
        try:
            if key.strip() == "Rotate":
                rotate = int(value.strip())
            elif key.strip() == "Orientation confidence":
                conf = float(value.strip())
        except ValueError:
            continue
    return rotate % 360, conf


def _run(args: list[str], timeout: float) -> str:
    try:
        done = subprocess.run(args, capture_output=True, timeout=max(1.0, timeout), env=_env(), check=False,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise ExtractionError(ReasonCode.TIMED_OUT, "reading a scanned page took too long") from exc
    except OSError as exc:
        raise OcrUnavailable(ReasonCode.UNSUPPORTED, f"Tesseract could not be started ({exc.strerror}); ask the "
                                                     "administrator to check the tesseract-ocr installation") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise ExtractionError(ReasonCode.DAMAGED, f"Tesseract could not read a page ({message[0][:120]})")
    return done.stdout.decode("utf-8", "replace")
