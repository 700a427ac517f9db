"""Backlog throughput (SPEC §12): `docgen process` over N submissions against the libraries' own work.

    .venv/bin/python -m benchmarks.bench_backlog [--n 100] [--pdf] [--layout folder|files]
        [--other-every 10] [--stable-seconds S] [--cache DIR] [--profile DIR] [--keep]

N invented, complete submissions (`docgen.samples.write_submission`: "accepted" mostly, every
`--other-every`-th one incomplete/review/not accepted; forms as fillable PDF, DOCX form or DOCX table by
seed, a CSV herringbone) are copied into a fresh home's inbox (one folder per submission, or loose files
with `--layout files`) and processed by one `docgen process --json --today 2026-03-02` (a subprocess;
`[letters] pdf = "off"` unless `--pdf`). The floor, measured in the same run in this one process, is what
a plain script would do with the same files: open each input (pypdf `get_fields()` + every page's text,
python-docx `Document`, csv) and render each letter docgen produced once with docxtpl
(`DocxTemplate(t).render(ctx); save`). The floor's reading runs first, while the copied-in backlog sits
(longer than docgen's 2 s stability window, as a backlog has); its rendering runs after docgen.

Prints both times, the ratio (target <= 0.35x), CPU time / wall time of the docgen process tree (from
RUSAGE_CHILDREN: workers included) against os.cpu_count(), and the phases of the run (sampled through
/proc: reading + ingest, judging + letters) with the cores each kept busy.
`--profile DIR` instead profiles with pyinstrument (`.venv/bin/pip install pyinstrument`): `docgen process`
(its main process), and the workers' share in one process each: `docgen.read.extract.extract` over every
input, and `Pipeline.take` then `judge_case` for every case. Text reports go to DIR.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.common import (
    DEFAULT_CACHE,
    TODAY,
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

TARGET = 0.35  # SPEC §12: at most 0.35x the bare libraries' cost
CORES_TARGET = 1.6  # ... with at least 1.6 of 2 cores busy on average


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
        # the floor's reading first (its own copies of the files): meanwhile the inbox sits still for longer
        # than docgen's stability window, as a backlog does; docgen then takes it at once instead of
        # waiting out the window from the moment the files were copied in
        cpu_started = time.process_time()
        read_seconds, counts = read_floor(inputs)
        read_cpu = time.process_time() - cpu_started
        tail_ = AuditTail(home)
        run, samples = run_tree(docgen_command(home, "process", "--json"), sampler_interval=0.25,
                                probe=tail_.poll)
        if run.returncode != 0:
            sys.exit(f"docgen process failed ({run.returncode}):\n{tail(run.stderr)}")
        report = json.loads(run.stdout)
        letters = produced_letters(home / "outbox")
        documents = [document_of(p) for p in letters]
        left = [e.name for e in (home / "inbox").iterdir()]

        cpu_started = time.process_time()
        render_seconds = render_floor(documents, tmp / "floor")
        floor_cpu = read_cpu + time.process_time() - cpu_started  # includes building the sample contexts (small)
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
          f"docxtpl render+save {render_seconds:.2f} s for {len(documents)} letters); CPU {floor_cpu:.2f} s")
    _phases(run, samples, args.n, cores)
    ratio = run.wall / floor if floor else float("inf")
    print(f"ratio: {ratio:.2f}x the floor (target <= {TARGET}x) -> {'PASS' if ratio <= TARGET else 'FAIL'}")
    waiting = samples[-1].waiting - samples[0].waiting if samples else 0.0
    demand = (run.cpu + waiting) / run.wall
    print(f"       {run.cpu / floor_cpu:.2f}x the floor in CPU time (less sensitive to other load: "
          f"{run.cpu:.2f} s against {floor_cpu:.2f} s)")
    wanted = CORES_TARGET * cores / 2
    print(f"cores busy: {run.cpu / run.wall:.2f} of {cores} (target >= {wanted:.2f}) -> "
          f"{'PASS' if run.cpu / run.wall >= wanted else 'FAIL'}")
    print(f"every core used: {'yes' if run.cpu / run.wall >= 0.8 * cores else 'no'} "
          f"({run.cpu / run.wall:.2f} of {cores} busy on average); wanted {demand:.2f} of {cores} "
          f"(busy + runnable waiting for a CPU taken by other load) -> "
          f"{'the pool would use every core on a quiet machine' if demand >= 0.8 * cores else 'docgen leaves cores idle'}")


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
    print("phases (sampled every 0.25 s through /proc: CPU of the tree; 'waiting' = run-queue delay from"
          " /proc/PID/schedstat, i.e. CPU taken by other load; 'idle' = cores docgen left unused):")
    for (label_a, a), (label_b, b) in zip(marks, marks[1:], strict=False):
        span = b.at - a.at
        busy = (b.cpu - a.cpu) / span if span > 0 else 0.0
        main = (b.cpu_main - a.cpu_main) / span if span > 0 else 0.0
        waiting = (b.waiting - a.waiting) / span if span > 0 else 0.0
        print(f"  {label_a:>20} -> {label_b:<20} {span:7.2f} s  {busy:4.2f} of {cores} cores busy "
              f"(main {main:4.2f}, workers {busy - main:4.2f}); {waiting:4.2f} more runnable but waiting "
              f"for a CPU; idle {max(0.0, cores - busy - waiting):4.2f}")
    print(f"  (process wall {run.wall:.2f} s; before the first sample and after the last: "
          f"{run.wall - end.at:.2f} s)")


_JUDGE_SCRIPT = """
import datetime as dt, sys, threading
from pathlib import Path
from pyinstrument import Profiler
from docgen import db
from docgen.config import load_settings
from docgen.intake.audit import Audit
from docgen.intake.isolate import WorkerPool
from docgen.intake.pipeline import Pipeline, Report
from docgen.intake.reading import judge_case

home, out, today = Path(sys.argv[1]), Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3])
settings = load_settings(home)
for folder in (settings.state_dir, settings.quarantine, settings.archive, settings.outbox):
    db.private_dir(folder)
with WorkerPool(settings.limits, settings.workers).warm() as pool:
    conn = db.connect(settings.database, create=True)
    pipeline = Pipeline(settings, conn, today=today, pool=pool, audit=Audit(settings.state_dir))
    paths = sorted(settings.inbox.iterdir())
    ingest = Profiler()
    ingest.start()
    pipeline.take(paths, Report())
    ingest.stop()
    due = pipeline.cases.cases_to_judge(now=dt.datetime.now(dt.UTC), settle_seconds=0)
    judge = Profiler()
    judge.start()
    for case in due:
        judge_case(settings, today, case)
    judge.stop()
out.joinpath("take-main.txt").write_text(ingest.output_text(show_all=False), encoding="utf-8")
out.joinpath("judge-inprocess.txt").write_text(judge.output_text(show_all=False), encoding="utf-8")
print(f"profiled ingest of {len(paths)} items and judging of {len(due)} cases in one process")
"""


def _profile(home: Path, inputs: list[Path], out: Path) -> None:
    """pyinstrument reports: `docgen process` (main process), parsing and judging (the workers' work) in-process.

    The workers are forked, so pyinstrument in the main process does not see their work: the parse
    (`docgen.read.extract.extract` over every input) and the judging (`docgen.intake.reading.judge_case`
    for every case, after `Pipeline.take`) are profiled again in one process each.
    """
    out.mkdir(parents=True, exist_ok=True)
    spare = home.parent / "home-judge"
    shutil.copytree(home / "inbox", spare / "inbox")
    shutil.copy2(home / "docgen.toml", spare / "docgen.toml")
    main_report = out / "process-main.txt"
    started = time.perf_counter()
    done = subprocess.run(docgen_command(home, "process", "--json", profile=main_report),
                          capture_output=True, text=True, check=False)
    print(f"docgen process under pyinstrument: {time.perf_counter() - started:.2f} s, exit {done.returncode}")
    if done.returncode != 0:
        print(tail(done.stderr), file=sys.stderr)
    parse_report = out / "parse-inprocess.txt"
    script = out / "parse_all.py"
    script.write_text("import sys\nfrom pathlib import Path\nfrom docgen.read.extract import extract\n"
                      "for name in sys.argv[1:]:\n    extract(Path(name))\n", encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pyinstrument", "--renderer", "text", "-o", str(parse_report),
                    str(script), *map(str, inputs)], check=False)
    print(f"extract() over {len(inputs)} inputs under pyinstrument: {time.perf_counter() - started:.2f} s")
    judge_script = out / "judge_all.py"
    judge_script.write_text(_JUDGE_SCRIPT, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, str(judge_script), str(spare), str(out), TODAY.isoformat()], check=False)
    print(f"take + judge in one process under pyinstrument: {time.perf_counter() - started:.2f} s")
    print(f"reports: {main_report}, {parse_report}, {out / 'take-main.txt'}, {out / 'judge-inprocess.txt'}")


if __name__ == "__main__":
    main()
