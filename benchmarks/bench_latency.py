"""Latency (SPEC §12): from the last file of a submission landing in the inbox to its letters in the outbox.

    .venv/bin/python -m benchmarks.bench_latency [--drops 5] [--settle 1] [--stable 0.5]
        [--layout files|folder] [--polling] [--cache DIR] [--keep]

Starts `docgen watch --settle SETTLE --today 2026-03-02` on a fresh home (`[intake] file_stable_seconds =
STABLE`, `[letters] pdf = "off"`), waits until it is watching, then drops invented "accepted" submissions
one at a time (their files copied in one after another, loose by default as an officer saves attachments,
or into one folder), and after each waits for the case's letters in `outbox/<case>/`. Latency is the newest
letter's mtime minus the moment the last file of the drop was written. Target: <= settle + stability + 2 s.
Prints every drop, min/median/max, and how the daemon stopped on SIGTERM (exit code, seconds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import (
    DEFAULT_CACHE,
    LETTERS,
    AuditTail,
    Planned,
    docgen_command,
    generate,
    load_text,
    make_home,
    place,
    scratch,
    tail,
)

POLL = 0.02


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drops", type=int, default=5, help="submissions dropped one at a time (default 5)")
    parser.add_argument("--settle", type=float, default=1.0, help="docgen watch --settle SECONDS (default 1)")
    parser.add_argument("--stable", type=float, default=0.5, help="[intake] file_stable_seconds (default 0.5)")
    parser.add_argument("--layout", choices=("files", "folder"), default="files")
    parser.add_argument("--polling", action="store_true", help="run the daemon with --polling")
    parser.add_argument("--timeout", type=float, default=120.0, help="give up on a drop after this many seconds")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    planned = [Planned(i, "accepted", seed=5000 + i) for i in range(args.drops)]
    folders = generate(planned, args.cache)
    target = args.settle + args.stable + 2.0
    latencies: list[float] = []
    with scratch("docgen-bench-latency-", keep=args.keep) as tmp:
        home = make_home(tmp, stable_seconds=args.stable)
        extra = ["--polling"] if args.polling else []
        log_path = tmp / "watch.log"
        with log_path.open("wb") as log:
            daemon = subprocess.Popen(docgen_command(home, "watch", "--settle", str(args.settle), *extra),
                                      stdout=log, stderr=log)
        try:
            audit = AuditTail(home)
            _wait_until(lambda: audit.poll().get("watch-started", 0) > 0, daemon, args.timeout, log_path)
            time.sleep(1.0)  # let the observer start and the first (empty) scan pass
            print(f"daemon watching (pid {daemon.pid}); settle {args.settle:g} s, stability {args.stable:g} s, "
                  f"{'polling' if args.polling else 'file-system events'}; {args.layout}; "
                  f"os.cpu_count(): {os.cpu_count()}")
            print(f"before: {load_text()}")
            for p, folder in zip(planned, folders, strict=True):
                seen = audit.poll().get("judged", 0)
                files = place(folder, home / "inbox", p.number, layout=args.layout)
                landed = max(time.time(), *(f.stat().st_mtime for f in files))

                def judged_more(seen: int = seen) -> bool:
                    return audit.poll().get("judged", 0) > seen

                _wait_until(judged_more, daemon, args.timeout, log_path)
                judged = [e for e in audit.events if e.get("event") == "judged"][-1]
                case = str(judged.get("case"))
                letters = sorted((home / "outbox" / case).glob("*.docx"))
                expected = len(LETTERS["accepted"])
                newest = max(f.stat().st_mtime for f in letters) if letters else time.time()
                latency = newest - landed
                latencies.append(latency)
                ingested = _log_times(log_path, "ingested", case)
                oldest = min(f.stat().st_mtime for f in letters) if letters else newest
                split = ""
                if ingested:
                    split = (f" = {max(ingested) - landed:4.2f} to ingest (stability, scan, parse, archive)"
                             f" + {oldest - max(ingested):4.2f} to the first letter (settle, check, render)"
                             f" + {newest - oldest:4.2f} for the other {len(letters) - 1}")
                print(f"  drop {p.number + 1}: {len(files)} files -> {case} {judged.get('outcome')}, "
                      f"{len(letters)}/{expected} letters, {latency:5.2f} s after the last file landed{split}")
            print(f"after:  {load_text()}")
        finally:
            stopped = time.monotonic()
            daemon.send_signal(signal.SIGTERM)
            try:
                code = daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                code = daemon.wait()
            print(f"SIGTERM: daemon exited {code} after {time.monotonic() - stopped:.2f} s")
            if code != 0:
                print(tail(log_path.read_text(encoding="utf-8", errors="replace")), file=sys.stderr)
    if latencies:
        print(f"latency over {len(latencies)} drops: min {min(latencies):.2f} s, median "
              f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s "
              f"(target <= {target:g} s = settle + stability + 2 s) -> "
              f"{'PASS' if max(latencies) <= target else 'FAIL'}")


def _log_times(log_path: Path, event: str, case: str) -> list[float]:
    """When the daemon logged `event` for `case` (its stderr lines carry millisecond timestamps)."""
    found = []
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        stamp, _, rest = line.partition(" INFO ")
        if not rest.startswith("{"):
            continue
        try:
            entry = json.loads(rest)
            when = dt.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S,%f")
        except ValueError:
            continue
        if entry.get("event") == event and entry.get("case") == case:
            found.append(when.timestamp())  # local time, as logging writes it
    return found


def _wait_until(done: Callable[[], bool], daemon: subprocess.Popen[bytes], timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if daemon.poll() is not None:
            sys.exit(f"docgen watch exited ({daemon.returncode}):\n"
                     f"{tail(log_path.read_text(encoding='utf-8', errors='replace'))}")
        if time.monotonic() > deadline:
            sys.exit(f"nothing after {timeout:g} s:\n{tail(log_path.read_text(encoding='utf-8', errors='replace'))}")
        time.sleep(POLL)


if __name__ == "__main__":
    main()
