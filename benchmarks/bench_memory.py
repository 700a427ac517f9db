"""Memory over a backlog (SPEC §12 "memory stays flat"): peak RSS of `docgen process` at 10/50/100 %.

    .venv/bin/python -m benchmarks.bench_memory [--n 1000] [--interval 0.25] [--layout folder|files]
        [--other-every 10] [--cache DIR] [--keep]

N invented submissions (as in bench_backlog.py; generated once and cached) are processed by one
`docgen process --today 2026-03-02` with `[letters] pdf = "off"`. A thread samples the RSS of the docgen
process tree (the main process and its parse workers, through /proc) every `--interval` seconds, and
the audit log to know how far the run is. Progress is the work done: inbox items ingested (first half)
plus cases judged (second half), so 50 % is roughly "every file read, no case judged yet".

Prints the peak RSS of the tree and of the main process up to 10 %, 50 % and 100 % of the work, and the
main process's RSS growth over each half. Flat memory: the peak at 100 % is no more than 10 % (+16 MiB)
above the peak at 50 % (for the tree and for the main process).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import (
    DEFAULT_CACHE,
    AuditTail,
    Sample,
    docgen_command,
    generate,
    load_text,
    make_home,
    mib,
    place,
    plan_backlog,
    run_docgen,
    scratch,
    tail,
)

MiB = 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="submissions in the backlog (default 1000)")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between samples")
    parser.add_argument("--layout", choices=("folder", "files"), default="folder")
    parser.add_argument("--other-every", type=int, default=10)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    planned = plan_backlog(args.n, other_every=args.other_every)
    folders = generate(planned, args.cache)
    with scratch("docgen-bench-memory-", keep=args.keep) as tmp:
        home = make_home(tmp)
        for p, folder in zip(planned, folders, strict=True):
            place(folder, home / "inbox", p.number, layout=args.layout)
        load_before = load_text()
        audit = AuditTail(home)
        run, samples = run_docgen(docgen_command(home, "process"), sampler_interval=args.interval, probe=audit.poll)
        load_after = load_text()
    if run.returncode != 0:
        sys.exit(f"docgen process failed ({run.returncode}):\n{tail(run.stderr)}")
    if not samples:
        sys.exit("no samples were taken (the run was too short)")

    cases = audit.counts.get("judged", 0)
    n: int = args.n

    def progress(s: Sample) -> float:
        """Half for the inbox items taken, half for the cases judged."""
        taken = float(sum(s.extra.get(k, 0) for k in ("ingested", "quarantined", "duplicate")))
        judged = float(s.extra.get("judged", 0))
        return (min(taken / n, 1.0) + (min(judged / cases, 1.0) if cases else 0.0)) / 2

    print(f"backlog: {args.n} submissions ({args.layout}); {cases} cases judged; {len(samples)} samples every "
          f"{args.interval:g} s over {run.wall:.1f} s; os.cpu_count(): {os.cpu_count()}")
    print(f"audit events: {dict(sorted(audit.counts.items()))}")
    print(f"before: {load_before}")
    print(f"after:  {load_after}")
    print(f"{'work done':>10}  {'at (s)':>8}  {'peak RSS, tree':>16}  {'peak RSS, main':>16}  "
          f"{'largest worker':>16}  processes")
    peaks: dict[int, tuple[int, int]] = {}
    for percent in (10, 25, 50, 75, 100):
        upto = [s for s in samples if progress(s) <= percent / 100 + 1e-9] or samples[:1]
        if percent == 100:
            upto = samples
        tree_peak = max(s.rss_total for s in upto)
        main_peak = max(s.rss_main for s in upto)
        peaks[percent] = (tree_peak, main_peak)
        worker_peak = max((r for s in upto for pid, r in s.rss_by_pid.items() if r != s.rss_main), default=0)
        print(f"{percent:>9} %  {upto[-1].at:8.1f}  {mib(tree_peak):>16}  {mib(main_peak):>16}  "
              f"{mib(worker_peak):>16}  {max(s.processes for s in upto)}")
    _halves(samples, progress)
    flat_tree = peaks[100][0] <= peaks[50][0] * 1.10 + 16 * MiB
    flat_main = peaks[100][1] <= peaks[50][1] * 1.10 + 16 * MiB
    verdict = "PASS" if flat_tree and flat_main else "FAIL"
    print(f"flat (peak at 100 % <= peak at 50 % x 1.1 + 16 MiB): tree {'yes' if flat_tree else 'no'}, "
          f"main {'yes' if flat_main else 'no'} -> {verdict}")


def _halves(samples: list[Sample], progress: Callable[[Sample], float]) -> None:
    """The main process's RSS at the quarter marks of each half: growth per item within a phase."""
    marks = []
    for fraction in (0.05, 0.25, 0.45, 0.55, 0.75, 0.95):
        sample = next((s for s in samples if progress(s) >= fraction), samples[-1])
        marks.append(sample.rss_main)
    print(f"main RSS, reading phase (5/25/45 %): {' -> '.join(mib(m).strip() for m in marks[:3])}")
    print(f"main RSS, judging phase (55/75/95 %): {' -> '.join(mib(m).strip() for m in marks[3:])}")


if __name__ == "__main__":
    main()
