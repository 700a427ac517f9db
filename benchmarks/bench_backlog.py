"""Backlog throughput (SPEC §12): `docgen process` over N submissions against the libraries' own work.

    .venv/bin/python benchmarks/bench_backlog.py [--n 100] [--pdf] [--layout folder|files]
        [--other-every 10] [--stable-seconds S] [--cache DIR] [--profile DIR] [--keep]

N invented, complete submissions (`docgen.samples.write_submission`: "accepted" mostly, every
`--other-every`-th one incomplete/review/not accepted; forms as fillable PDF, DOCX form or DOCX table by
seed, a CSV herringbone) are copied into a fresh home's inbox (one folder per submission, or loose files
with `--layout files`) and processed by one `docgen process --json --today 2026-03-02` (a subprocess;
`[letters] pdf = "off"` unless `--pdf`). The floor, measured in the same run in this one process, is what
a plain script would do with the same files: open each input (pypdf `get_fields()` + every page's text,
python-docx `Document`, csv) and render each letter docgen produced once with docxtpl
(`DocxTemplate(t).render(ctx); save`).

Prints both times, the ratio (target <= 1.5x), CPU time / wall time of the docgen process tree (from
RUSAGE_CHILDREN: workers included) against os.cpu_count(), and the phases of the run (sampled through
/proc: reading + ingest, judging + letters) with the cores each kept busy.
`--profile DIR` instead runs `docgen process` under pyinstrument (main process) and profiles the
worker side (`docgen.extract.extract` over every input, in-process), writing text reports to DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import (
    DEFAULT_CACHE,
    AuditTail,
    Run,
    Sample,
    docgen_command,
    document_of,
    generate,
    load_text,
    make_home,
    place,
    plan_backlog,
    produced_letters,
    read_floor,
    render_floor,
    scratch,
    submission_files,
    tail,
)
from benchmarks.common import (
    run_docgen as run_tree,
)

TARGET = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100, help="submissions in the backlog (default 100)")
    parser.add_argument("--pdf", action="store_true", help='let docgen make PDF copies ([letters] pdf = "on")')
    parser.add_argument("--layout", choices=("folder", "files"), default="folder",
                        help="one inbox folder per submission (default) or loose files")
    parser.add_argument("--other-every", type=int, default=10,
                        help="every Nth submission is incomplete/review/not accepted (0: all accepted)")
    parser.add_argument("--stable-seconds", type=float, default=None,
                        help="[intake] file_stable_seconds for the run (default: docgen's own, 2 s)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated submissions are kept")
    parser.add_argument("--profile", type=Path, default=None, help="write pyinstrument reports to this folder")
    parser.add_argument("--keep", action="store_true", help="keep the home folder for inspection")
    args = parser.parse_args()

    planned = plan_backlog(args.n, other_every=args.other_every)
    folders = generate(planned, args.cache)
    inputs = [f for folder in folders for f in submission_files(folder)]

    with scratch("docgen-bench-backlog-", keep=args.keep) as tmp:
        home = make_home(tmp, pdf=args.pdf, stable_seconds=args.stable_seconds)
        for p, folder in zip(planned, folders, strict=True):
            place(folder, home / "inbox", p.number, layout=args.layout)
        load_before = load_text()
        if args.profile is not None:
            _profile(home, inputs, args.profile)
            return
        tail_ = AuditTail(home)
        run, samples = run_tree(docgen_command(home, "process", "--json"), sampler_interval=0.25,
                                probe=tail_.poll)
        if run.returncode != 0:
            sys.exit(f"docgen process failed ({run.returncode}):\n{tail(run.stderr)}")
        report = json.loads(run.stdout)
        letters = produced_letters(home / "outbox")
        documents = [document_of(p) for p in letters]
        left = [e.name for e in (home / "inbox").iterdir()]

        read_seconds, counts = read_floor(inputs)
        render_seconds = render_floor(documents, tmp / "floor")
        load_after = load_text()

    floor = read_seconds + render_seconds
    outcomes = Counter(e["outcome"] for e in report["processed"])
    cores = os.cpu_count() or 1
    print(f"backlog: {args.n} submissions ({args.layout}), {len(inputs)} input files "
          f"({', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}); "
          f"pdf {'on' if args.pdf else 'off'}; os.cpu_count(): {os.cpu_count()}")
    print(f"outcomes: {dict(sorted(outcomes.items()))}; quarantined {len(report['quarantined'])}, "
          f"duplicates {len(report['duplicates'])}, left in inbox {len(left)}")
    print(f"letters produced: {len(letters)} ({', '.join(f'{v} {k}' for k, v in sorted(Counter(documents).items()))})")
    print(f"before: {load_before}")
    print(f"after:  {load_after}")
    print(f"docgen process:     {run.wall:8.2f} s wall  ({run.wall / args.n * 1000:6.1f} ms/submission); "
          f"CPU {run.cpu:.2f} s -> {run.cpu / run.wall:.2f} of {cores} cores busy on average")
    print(f"floor (1 process):  {floor:8.2f} s  (reading inputs {read_seconds:.2f} s + "
          f"docxtpl render+save {render_seconds:.2f} s for {len(documents)} letters)")
    _phases(run, samples, args.n, cores)
    ratio = run.wall / floor if floor else float("inf")
    print(f"ratio: {ratio:.2f}x the floor (target <= {TARGET}x) -> {'PASS' if ratio <= TARGET else 'FAIL'}")
    print(f"       {run.cpu / floor:.2f}x the floor in CPU time; "
          f"every core used: {'yes' if run.cpu / run.wall >= 0.8 * cores else 'no'} "
          f"({run.cpu / run.wall:.2f} of {cores})")


def _phases(run: Run, samples: list[Sample], n: int, cores: int) -> None:
    """Split the run at the moments the audit log shows all items ingested and all cases judged."""
    if not samples:
        return

    def first(pred: Any) -> Sample | None:
        return next((s for s in samples if pred(s.extra)), None)

    taken = first(lambda e: e.get("ingested", 0) + e.get("quarantined", 0) >= 1)
    intake_done = first(lambda e: e.get("ingested", 0) + e.get("quarantined", 0) + e.get("duplicate", 0) >= n)
    judged_any = first(lambda e: e.get("judged", 0) >= 1)
    end = samples[-1]
    marks: list[tuple[str, Sample]] = [("start", samples[0])]
    if taken is not None:
        marks.append(("first item ingested", taken))
    if intake_done is not None:
        marks.append(("all items ingested", intake_done))
    if judged_any is not None and (intake_done is None or judged_any.at > intake_done.at):
        marks.append(("first case judged", judged_any))
    marks.append(("last sample", end))
    print("phases (sampled every 0.25 s through /proc; CPU of the live tree):")
    for (label_a, a), (label_b, b) in zip(marks, marks[1:], strict=False):
        span = b.at - a.at
        busy = (b.cpu - a.cpu) / span if span > 0 else 0.0
        print(f"  {label_a:>20} -> {label_b:<20} {span:7.2f} s  {busy:4.2f} of {cores} cores busy")
    print(f"  (process wall {run.wall:.2f} s; before the first sample and after the last: "
          f"{run.wall - end.at:.2f} s)")


def _profile(home: Path, inputs: list[Path], out: Path) -> None:
    """pyinstrument reports: the docgen process main process, and the parse work the workers do."""
    out.mkdir(parents=True, exist_ok=True)
    main_report = out / "process-main.txt"
    started = time.perf_counter()
    done = subprocess.run(docgen_command(home, "process", "--json", profile=main_report),
                          capture_output=True, text=True, check=False)
    print(f"docgen process under pyinstrument: {time.perf_counter() - started:.2f} s, exit {done.returncode}")
    if done.returncode != 0:
        print(tail(done.stderr), file=sys.stderr)
    parse_report = out / "parse-inprocess.txt"
    code = ("import sys\nfrom pathlib import Path\nfrom docgen.extract import extract\n"
            "for name in sys.argv[1:]:\n    extract(Path(name))\n")
    listing = out / "inputs.txt"
    listing.write_text("\n".join(str(p) for p in inputs) + "\n", encoding="utf-8")
    script = out / "parse_all.py"
    script.write_text(code, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pyinstrument", "--renderer", "text", "--show-all", "-o",
                    str(parse_report), str(script), *map(str, inputs)], check=False)
    print(f"extract() over {len(inputs)} inputs under pyinstrument: {time.perf_counter() - started:.2f} s")
    print(f"reports: {main_report}, {parse_report}")


if __name__ == "__main__":
    main()
