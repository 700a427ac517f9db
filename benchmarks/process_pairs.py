"""Two checkouts of docgen side by side: `docgen process` over the same backlog, alternating, CPU and wall.

    .venv/bin/python -m benchmarks.process_pairs BASE BRANCH [--n 150] [--rounds 8]

BASE and BRANCH are source trees (worktrees) put first on PYTHONPATH for the `docgen` subprocess. Each round
runs both (the order alternates), each in a fresh home with the bench's backlog (`bench_backlog`'s plan,
cache and docgen.toml), started 2.2 s after the backlog is copied in (past the 2 s stability window, as
`bench_backlog`'s floor reading makes it). No floor is measured: on a shared machine the difference between
two versions shows through the noise in the CPU time of the process tree (RUSAGE_CHILDREN) long before it
does in a ratio to the floor. Prints each run (with the system part of its CPU), then the mean, median and
spread of each side.

Every run's home is kept until all rounds are done. This machine's ext4 has no journal, and without one the
kernel's inode allocator passes over every inode freed in the last 60 s (6 min while its table block is dirty)
before it hands out a new one: deleting a round's home (~3,000 files) just before the next round made each file
that round created cost up to ~1 ms of system CPU, 1-2 s a run, more than the differences being measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import DEFAULT_CACHE, docgen_command, generate, make_home, place, plan_backlog, scratch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", type=Path, help="source tree of the version to compare against")
    parser.add_argument("branch", type=Path, help="source tree of the version measured")
    parser.add_argument("--n", type=int, default=150, help="submissions in the backlog (default 150)")
    parser.add_argument("--rounds", type=int, default=8, help="runs of each version (default 8)")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where generated submissions are kept")
    args = parser.parse_args()

    planned = plan_backlog(args.n)
    folders = generate(planned, args.cache)
    sides = {"base": args.base.resolve(), "branch": args.branch.resolve()}
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    wall: dict[str, list[float]] = {side: [] for side in sides}
    with scratch("docgen-process-pairs-") as tmp:  # every round's home stays until the end (see above)
        for number in range(args.rounds):
            for side in ("base", "branch") if number % 2 == 0 else ("branch", "base"):
                root = tmp / f"round-{number + 1}-{side}"
                root.mkdir()
                home = make_home(root)
                for p, folder in zip(planned, folders, strict=True):
                    place(folder, home / "inbox", p.number, layout="folder")
                time.sleep(2.2)
                env = {**os.environ, "PYTHONPATH": str(sides[side])}
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                done = subprocess.run(docgen_command(home, "process", "--json"), env=env, capture_output=True,
                                      text=True, check=False)
                seconds = time.perf_counter() - started
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode != 0:
                    sys.exit(f"{side}: docgen process failed ({done.returncode}):\n{done.stderr[-2000:]}")
                system = after.ru_stime - before.ru_stime
                used = after.ru_utime - before.ru_utime + system
                cpu[side].append(used)
                wall[side].append(seconds)
                print(f"round {number + 1} {side:6} CPU {used:6.2f} s (system {system:5.2f})  wall {seconds:6.2f} s  "
                      f"load {os.getloadavg()[0]:.2f}", flush=True)
    for side, tree in sides.items():
        spread = statistics.stdev(cpu[side]) if len(cpu[side]) > 1 else 0.0
        print(f"{side} ({tree}): CPU mean {statistics.mean(cpu[side]):.2f} s, median "
              f"{statistics.median(cpu[side]):.2f} s, sd {spread:.2f}; wall median {statistics.median(wall[side]):.2f} s")
    fewer = sum(b < a for a, b in zip(cpu["base"], cpu["branch"], strict=True))
    print(f"branch used less CPU than base in {fewer} of {args.rounds} rounds")


if __name__ == "__main__":
    main()
