"""Score docgen's OCR on scans and photos of documents docgen did not make (issue 19, SPEC §16). Not a test.

The independent corpus of tests/corpus (forms laid out by LibreOffice, flattened by Ghostscript, qpdf and
pdftocairo; letters in other voices; built by `tests.corpus.build`) is printed to PDF (DOCX through one
LibreOffice call), rendered by poppler's `pdftoppm` and degraded with Pillow, each document one way in turn:

  scan       speckled, JPEG q60 pages in an image-only PDF at 200 dpi (a tired office scanner)
  skewed     turned 2.5°, more speckle, JPEG q45 in a PDF
  photo      uneven light (a desk lamp), turned 1.5°, blurred, JPEG q70 declaring 72 dpi (a phone; several
             pages: a PDF of such photos, as a phone's scanning app sends)
  turned-90  the pages turned 90° (a PNG, or a multi-page TIFF)
  turned-180 the pages upside down, JPEG pages in a PDF
  tiff-g4    bilevel CCITT G4 TIFF at 300 dpi (a fax / a copier's "scan to folder")
  heic       a HEIC photo (pillow-heif), 72 dpi declared, uneven light

Every document is then read by `docgen.read.extract.extract` (default limits, so the per-file OCR deadline
applies) in a pool of 2 processes and scored against the corpus golden with `tests.corpus.score.field_ok`.
Submissions of the corpus are scanned the same way (attendance CSVs sent as they are) and judged by
`check_submission`. Two handwriting-like pages (strokes that are no letters; a cursive-font page with a
wobbling baseline) are sent as the form of a submission each: they must go to review with R-DATA-UNCERTAIN.

    .venv/bin/python -m benchmarks.score_scans [--corpus DIR] [--docs 28] [--submissions 10] [--keep]

Prints: method `ocr` share, kinds, fields, fields read without a confidence, the outcomes, and the misses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import img2pdf
from PIL import Image, ImageFilter

from tests.corpus.build import build
from tests.corpus.score import field_ok
from tests.corpus.writers import soffice
from tests.read.scans import cursive_page, noisy, scribbles, skewed, uneven_light

TODAY = dt.date(2026, 3, 2)


def jpeg(image: Image.Image, *, quality: int, dpi: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return out.getvalue()


def pdf_of(images: list[bytes], path: Path) -> Path:
    path.write_bytes(img2pdf.convert(images))
    return path


def _scan(pages: list[Image.Image], stem: Path) -> Path:
    small = [p.resize((p.width * 200 // 300, p.height * 200 // 300), Image.Resampling.LANCZOS) for p in pages]
    return pdf_of([jpeg(noisy(p, seed=n), quality=60, dpi=200) for n, p in enumerate(small)], stem.with_suffix(".pdf"))


def _skewed(pages: list[Image.Image], stem: Path) -> Path:
    return pdf_of([jpeg(noisy(skewed(p, 2.5), seed=n, amount=0.002), quality=45, dpi=300) for n, p in enumerate(pages)],
                  stem.with_suffix(".pdf"))


def _photo_look(page: Image.Image) -> Image.Image:
    return uneven_light(skewed(page, -1.5)).filter(ImageFilter.GaussianBlur(0.8))


def _photo(pages: list[Image.Image], stem: Path) -> Path:
    shots = [jpeg(_photo_look(p), quality=70, dpi=72) for p in pages]
    if len(shots) == 1:
        path = stem.with_suffix(".jpg")
        path.write_bytes(shots[0])
        return path
    return pdf_of(shots, stem.with_suffix(".pdf"))


def _turned_90(pages: list[Image.Image], stem: Path) -> Path:
    turned = [p.rotate(90, expand=True) for p in pages]
    if len(turned) == 1:
        path = stem.with_suffix(".png")
        turned[0].save(path, dpi=(300, 300))
        return path
    path = stem.with_suffix(".tif")
    turned[0].save(path, save_all=True, append_images=turned[1:], compression="tiff_lzw", dpi=(300, 300))
    return path


def _turned_180(pages: list[Image.Image], stem: Path) -> Path:
    return pdf_of([jpeg(noisy(p.rotate(180), seed=n), quality=65, dpi=300) for n, p in enumerate(pages)],
                  stem.with_suffix(".pdf"))


def _tiff_g4(pages: list[Image.Image], stem: Path) -> Path:
    bilevel = [p.point(lambda v: 255 if v > 160 else 0).convert("1") for p in pages]
    path = stem.with_suffix(".tif")
    bilevel[0].save(path, save_all=True, append_images=bilevel[1:], compression="group4", dpi=(300, 300))
    return path


def _heic(pages: list[Image.Image], stem: Path) -> Path:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    shots = [uneven_light(p).convert("RGB") for p in pages]
    path = stem.with_suffix(".heic")
    shots[0].save(path, save_all=True, append_images=shots[1:], quality=80)
    return path


DEGRADE: dict[str, Callable[[list[Image.Image], Path], Path]] = {
    "scan": _scan, "skewed": _skewed, "photo": _photo, "turned-90": _turned_90, "turned-180": _turned_180,
    "tiff-g4": _tiff_g4, "heic": _heic}


def as_pdfs(corpus: Path, names: list[str], work: Path) -> dict[str, Path]:
    """Each document as a PDF: PDFs as they are, DOCX printed by one LibreOffice call."""
    out = work / "printed"
    out.mkdir(parents=True, exist_ok=True)
    docx = [corpus / n for n in names if n.endswith(".docx")]
    soffice(docx, "pdf", out)
    return {n: (corpus / n if n.endswith(".pdf") else out / (Path(n).stem + ".pdf")) for n in names}


def render(pdf: Path, work: Path) -> list[Image.Image]:
    """The PDF's pages as grey 300 dpi images, by poppler's pdftoppm."""
    folder = work / "pages" / pdf.stem
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(folder / "p")], check=True, timeout=120)
    return [Image.open(p).convert("L") for p in sorted(folder.glob("p-*.png"))]


def read_one(path: str) -> Any:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from docgen.errors import ExtractionError
    from docgen.read.extract import extract

    try:
        return extract(Path(path))
    except ExtractionError as exc:
        return f"{type(exc).__name__}: {exc}"


def pick_documents(corpus: Path, count: int) -> list[str]:
    """`count` documents spread over the corpus's families (every layout and letter voice gets its turn)."""
    by_family: dict[str, list[str]] = {}
    for golden in sorted(corpus.glob("*.golden.json")):
        name = golden.name[: -len(".golden.json")]
        if name.endswith(".csv"):
            continue
        family = json.loads(golden.read_text(encoding="utf-8"))["family"]
        by_family.setdefault(family, []).append(name)
    picked: list[str] = []
    round_ = 0
    while len(picked) < count and any(round_ < len(v) for v in by_family.values()):
        for names in by_family.values():
            if round_ < len(names) and len(picked) < count:
                picked.append(names[round_])
        round_ += 1
    return picked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="a corpus built by `python -m tests.corpus.build DIR`")
    parser.add_argument("--docs", type=int, default=28)
    parser.add_argument("--submissions", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    work = Path(tempfile.mkdtemp(prefix="score-scans-"))
    try:
        corpus = args.corpus or build(work / "corpus")
        return _score(corpus, work, args)
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def _score(corpus: Path, work: Path, args: argparse.Namespace) -> int:
    from docgen.calendar import SchoolCalendar
    from docgen.config import DEFAULT_TERM_DATES
    from docgen.kinds import Extraction
    from docgen.rules.check import check_submission

    subs = json.loads((corpus / "submissions.json").read_text(encoding="utf-8"))
    step = max(1, len(subs) // max(args.submissions, 1))
    subs = subs[::step][: args.submissions]
    docs = pick_documents(corpus, args.docs)
    in_subs = sorted({d for s in subs for d in s["documents"] if not d.endswith(".csv")} - set(docs))
    pdfs = as_pdfs(corpus, docs + in_subs, work)
    scans = work / "scans"
    scans.mkdir()
    ways = list(DEGRADE)
    made: dict[str, tuple[str, Path]] = {}
    for n, name in enumerate(docs + in_subs):
        way = ways[n % len(ways)]
        made[name] = (way, DEGRADE[way](render(pdfs[name], work), scans / f"{Path(name).stem}-{way}"))
    hand = {"scribbles": scans / "handwriting-scribbles.jpg", "cursive": scans / "handwriting-cursive.jpg"}
    hand["scribbles"].write_bytes(jpeg(scribbles((2480, 3508)), quality=70, dpi=72))
    hand["cursive"].write_bytes(jpeg(cursive_page(), quality=70, dpi=72))
    paths = [str(p) for _w, p in made.values()] + [str(p) for p in hand.values()]
    started = time.monotonic()
    with ProcessPoolExecutor(args.workers) as pool:
        results = dict(zip(paths, pool.map(read_one, paths), strict=True))
    seconds = time.monotonic() - started

    misses: list[str] = []
    per_way: dict[str, list[int]] = {w: [0, 0, 0, 0] for w in ways}  # documents, kinds right, fields, right
    n_docs = kinds = n_ocr = fields = right = read = unconfident = 0
    for name in docs:
        way, path = made[name]
        golden = json.loads((corpus / f"{name}.golden.json").read_text(encoding="utf-8"))
        got = results[str(path)]
        n_docs += 1
        per_way[way][0] += 1
        if not isinstance(got, Extraction):
            misses.append(f"{path.name}: not read: {got}")
            fields += len(golden["fields"])
            per_way[way][2] += len(golden["fields"])
            continue
        n_ocr += got.method.value == "ocr"
        if got.kind.value == golden["kind"]:
            kinds += 1
            per_way[way][1] += 1
        else:
            misses.append(f"{path.name}: kind {got.kind.value}, expected {golden['kind']} ({got.reason})")
        for key, expected in golden["fields"].items():
            fields += 1
            per_way[way][2] += 1
            if field_ok(expected, got.fields.get(key)):
                right += 1
                per_way[way][3] += 1
            else:
                misses.append(f"{path.name}: {key} = {got.fields.get(key)!r}, expected {expected!r}")
        for key, value in got.fields.items():
            if value is not None:
                read += 1
                if key not in (got.confidence or {}):
                    unconfident += 1
                    misses.append(f"{path.name}: {key} read without a confidence")

    calendar = SchoolCalendar.load(DEFAULT_TERM_DATES)

    def extraction(name: str) -> Extraction:
        out = read_one(str(corpus / name)) if name.endswith(".csv") else results[str(made[name][1])]
        assert isinstance(out, Extraction), f"{name}: {out}"
        return out

    outcomes = 0
    for sub in subs:
        checked = check_submission([extraction(d) for d in sub["documents"]], today=TODAY, calendar=calendar)
        if checked.outcome == sub["outcome"]:
            outcomes += 1
        else:
            misses.append(f"submission {sub['name']} ({', '.join(made[d][0] for d in sub['documents'] if d in made)}): "
                          f"{checked.outcome}, expected {sub['outcome']} "
                          f"({'; '.join(f'{f.rule}: {f.message[:80]}' for f in checked.findings)})")
    hand_lines = []
    first = subs[0]
    for label, path in hand.items():
        got = results[str(path)]
        if not isinstance(got, Extraction):
            hand_lines.append(f"  {label}: not read ({got}) — FAIL")
            continue
        others = [extraction(d) for d in first["documents"][1:]]
        checked = check_submission([got, *others], today=TODAY, calendar=calendar)
        fired = sorted({f.rule for f in checked.findings})
        ok = checked.outcome == "review" and "R-DATA-UNCERTAIN" in fired
        hand_lines.append(f"  {label}: kind {got.kind.value}, method {got.method.value}, outcome {checked.outcome}, "
                          f"R-DATA-UNCERTAIN {'fired' if 'R-DATA-UNCERTAIN' in fired else 'NOT fired'} — "
                          f"{'pass' if ok else 'FAIL'}")

    for line in misses:
        print(line)
    print(f"\nread {len(paths)} scans in {seconds:.1f} s with {args.workers} workers "
          f"(load {os.getloadavg()[0]:.2f})")
    for way, (d, k, f, r) in per_way.items():
        print(f"  {way:<10} documents {d:>2}: kinds {k}/{d}, fields {r}/{f} ({r / max(f, 1):.1%})")
    print(f"method ocr {n_ocr}/{n_docs} ({n_ocr / max(n_docs, 1):.1%}) | kinds {kinds}/{n_docs} "
          f"({kinds / max(n_docs, 1):.1%}, target ≥ 90 %) | fields {right}/{fields} ({right / max(fields, 1):.1%}, "
          f"target ≥ 90 %) | fields read without a confidence {unconfident}/{read}")
    print(f"scanned submissions: right outcome {outcomes}/{len(subs)} (target ≥ 4 of 5 = 80 %)")
    print("handwriting-like pages (with the letter and attendance record of submission "
          f"{first['name']}; target: review with R-DATA-UNCERTAIN):")
    print("\n".join(hand_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
