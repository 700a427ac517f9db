"""OCR cost (SPEC §12, §16): scanned referrals read by docgen against bare `tesseract` on the same page images.

    .venv/bin/python -m benchmarks.bench_ocr [--n 8] [--dpi 300] [--workers 2] [--rounds 1]

N invented referrals (3 pages each) are filled, flattened, rendered by poppler's `pdftoppm` at --dpi to grey
page images, saved as JPEG (quality 85, as a scanner's "scan to PDF" stores them) and wrapped losslessly
into image-only PDFs with img2pdf — so both sides see exactly the same page images.

* docgen: every scanned PDF through `docgen.read.extract.extract` in docgen's own isolated worker pool
  (`docgen.intake.isolate.WorkerPool`, --workers processes, as the intake reads a backlog): rasterising,
  looking at the page, Tesseract, tick boxes, layout, fields and confidences.
  Each worker first reads one scanned page before the timed span (a daemon's workers have read earlier
  files): the imports and set-up done once in a worker's life are printed apart, not counted per page. The
  span's CPU is the workers' and their Tesseract runs' (/proc/<pid>/stat, utime + stime + cutime + cstime).
* bare: `tesseract page.jpg out` (plain text, English) for every page image, --workers at a time; its CPU
  is that of the `tesseract` processes (RUSAGE_CHILDREN).

Both sides run Tesseract single-threaded (OMP_THREAD_LIMIT=1), one process per core. Prints pages per
minute for each, the ratio docgen / bare in wall time and in CPU time (target <= 1.3), the cores each kept busy
(CPU time of the process tree / wall time), and how many referrals docgen read as referrals with method "ocr".
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import img2pdf
from PIL import Image

from docgen.config import Limits
from docgen.intake.isolate import Task, WorkerPool
from docgen.kinds import Extraction
from docgen.read.extract import extract
from docgen.samples.data import make_pupil, referral_values
from docgen.samples.files import write_flattened_pdf

TODAY = dt.date(2026, 3, 2)


def make_backlog(n: int, dpi: int, folder: Path) -> tuple[list[Path], list[Path]]:
    """N scanned referral PDFs and their page images (JPEG files holding the very bytes the PDFs embed)."""
    pdfs: list[Path] = []
    images: list[Path] = []
    for seed in range(1, n + 1):
        source = write_flattened_pdf(folder / f"form-{seed}.pdf", "referral",
                                     referral_values(make_pupil(seed, today=TODAY), today=TODAY))
        prefix = folder / f"page-{seed}"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source), str(prefix)], check=True)
        pages: list[bytes] = []
        for png in sorted(folder.glob(f"page-{seed}-*.png")):
            out = io.BytesIO()
            Image.open(png).convert("L").save(out, "JPEG", quality=85, dpi=(dpi, dpi))
            jpeg = png.with_suffix(".jpg")
            jpeg.write_bytes(out.getvalue())
            png.unlink()
            pages.append(out.getvalue())
            images.append(jpeg)
        scan = folder / f"scan-{seed}.pdf"
        scan.write_bytes(img2pdf.convert(pages))
        pdfs.append(scan)
        source.unlink()
    return pdfs, images


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_bare(images: list[Path], workers: int, out: Path) -> tuple[float, float]:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}

    def one(n_image: tuple[int, Path]) -> None:
        n, image = n_image
        subprocess.run(["tesseract", str(image), str(out / f"bare-{n}"), "-l", "eng"], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    cpu, start = children_cpu(), time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, enumerate(images)))
    return time.perf_counter() - start, children_cpu() - cpu


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds of these processes and of their children they have reaped (Tesseract), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / tick


def run_docgen(pdfs: list[Path], warm: Path, workers: int) -> tuple[float, float, float, list[Extraction | None]]:
    """(wall, CPU of the timed span, CPU of the warm-up, values). Each worker first reads one scanned page
    outside the timed span, as a daemon's workers have read earlier files: the one-off imports and set-up
    of a worker's life (reported apart) are not a cost per page. The span's CPU is the workers' own and
    their Tesseract runs', read from /proc before and after (the workers stay alive)."""
    limits = Limits(parse_seconds=600.0)
    with WorkerPool(limits, size=workers) as pool:
        pool.warm()
        pids = pool.pids
        born = tree_cpu(pids)
        pool.run([Task(extract, (warm, limits)) for _ in range(workers)])
        if sorted(pool.pids) != sorted(pids):
            raise SystemExit("a worker died during the warm-up")
        cpu, start = tree_cpu(pids), time.perf_counter()
        outcomes = pool.run([Task(extract, (p, limits)) for p in pdfs])
        wall = time.perf_counter() - start
        if sorted(pool.pids) != sorted(pids):
            raise SystemExit("a worker died during the run: its CPU time cannot be read")
        spent = tree_cpu(pids) - cpu
    values = [o.value if o is not None and o.ok else None for o in outcomes]
    return wall, spent, cpu - born, values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=8, help="scanned referrals (3 pages each)")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=3, help="alternate bare and docgen runs this many times")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="docgen-bench-ocr-") as tmp:
        folder = Path(tmp)
        pdfs, images = make_backlog(args.n, args.dpi, folder)
        warm = folder / "warm-up.pdf"
        warm.write_bytes(img2pdf.convert([images[-1].read_bytes()]))  # a page of the backlog, for the warm-up
        print(f"backlog: {len(pdfs)} scanned referrals, {len(images)} pages at {args.dpi} dpi, "
              f"{args.workers} workers, tesseract single-threaded")
        ratios: list[float] = []
        cpu_ratios: list[float] = []
        for round_number in range(1, args.rounds + 1):
            bare_wall, bare_cpu = run_bare(images, args.workers, folder)
            ours_wall, ours_cpu, warm_cpu, values = run_docgen(pdfs, warm, args.workers)
            pages = len(images)
            read = sum(1 for v in values if v is not None and v.kind.value == "referral" and v.method.value == "ocr")
            ratio = ours_wall / bare_wall
            ratios.append(ratio)
            cpu_ratios.append(ours_cpu / bare_cpu)
            print(f"round {round_number}:")
            print(f"  bare tesseract: {bare_wall:7.2f} s  {pages / bare_wall * 60:6.1f} pages/min  "
                  f"cores busy {bare_cpu / bare_wall:.2f}  CPU {bare_cpu:6.2f} s")
            print(f"  docgen (OCR):   {ours_wall:7.2f} s  {pages / ours_wall * 60:6.1f} pages/min  "
                  f"cores busy {ours_cpu / ours_wall:.2f}  CPU {ours_cpu:6.2f} s  ({read}/{len(pdfs)} read as referrals by OCR)")
            print(f"  (before the span, each worker's warm-up page: {warm_cpu / args.workers:.2f} CPU-s a worker, once "
                  "in its life)")
            print(f"  ratio docgen / bare: {ratio:.2f}x wall, {ours_cpu / bare_cpu:.2f}x CPU (target <= 1.3x)")
        ratios.sort()
        print(f"ratio docgen / bare over {len(ratios)} rounds: median {ratios[len(ratios) // 2]:.2f}x, best "
              f"{ratios[0]:.2f}x, worst {ratios[-1]:.2f}x (the machine's other load moves single rounds a lot)")
        cpu_ratios.sort()
        print(f"CPU-time ratio docgen / bare: median {cpu_ratios[len(cpu_ratios) // 2]:.2f}x, best {cpu_ratios[0]:.2f}x, "
              f"worst {cpu_ratios[-1]:.2f}x (the steadier figure: the CPU each side spent, whatever the load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
