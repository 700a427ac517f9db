"""Exactly-once under load (SPEC §11, issue 15): many children's files renamed into a watched inbox.

    .venv/bin/python -m benchmarks.fault_load [--children 60] [--batches 6] [--kills 0] [--crash-at STEP]
        [--stable 0.3] [--settle 2] [--drain 90] [--keep]

For each child three files made by docgen's sample generators — a referral, a JMP health
information form and an attendance CSV — in a format varied by child (fillable PDF, DOCX form, plain
DOCX table). They are renamed into the inbox of a running `docgen watch --polling` in `--batches`
batches; in every other child the health form is saved a moment BEFORE the referral (the everyday
case the issue names). With `--kills N` the daemon is killed with SIGKILL N times during the drops
and restarted (one restart with `DOCGEN_CRASH_AT=--crash-at` when given, so it also dies at a step).

Reported: archive copies per SHA-256 (originals; must be 1 each), children whose documents are in more
than one case or in `unmatched/`, outcome letters per case (must be 1), and the seconds from the last
drop until the inbox is empty and every case is judged (the drain). Exit 0 when all hold.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 3, 2)
DOCGEN = Path(sys.executable).with_name("docgen")
OUTCOME_LETTERS = ("acceptance-letter", "request-for-information", "not-accepted-letter")


@dataclass
class Child:
    number: int
    files: list[Path] = field(default_factory=list)  # in drop order
    hashes: set[str] = field(default_factory=set)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_children(stage: Path, count: int, *, seed0: int = 500) -> list[Child]:
    """Write each child's three documents into `stage` (invented data only), in the order they will land."""
    from docgen.samples.builder import (
        jmp_health_values,
        make_pupil,
        referral_values,
        write_form_docx,
        write_form_pdf,
        write_table_docx,
    )
    from docgen.samples.evidence import write_attendance_csv

    stage.mkdir(parents=True, exist_ok=True)
    children = []
    for n in range(count):
        pupil = make_pupil(seed0 + n, today=TODAY)
        referral = referral_values(pupil, today=TODAY)
        health = jmp_health_values(pupil, today=TODAY)
        style = n % 3
        writers: list[Any] = [write_form_pdf, write_form_docx, write_table_docx]
        suffix = ".pdf" if style == 0 else ".docx"
        ref_path = stage / f"c{n:03d}-referral{suffix}"
        health_path = stage / f"c{n:03d}-health{'.docx' if style == 0 else '.pdf'}"
        writers[style](ref_path, "referral", referral)
        (write_form_docx if style == 0 else write_form_pdf)(health_path, "jmp_health", health)
        first = referral["first_absence_date"]
        start = first - dt.timedelta(days=28)
        att_path = write_attendance_csv(stage / f"c{n:03d}-attendance.csv", pupil, start=start, sessions=80,
                                        illness_ratio=0.5)
        order = [health_path, ref_path, att_path] if n % 2 == 0 else [ref_path, att_path, health_path]
        child = Child(n, order)
        child.hashes = {_sha(p) for p in order}
        children.append(child)
    return children


def make_home(root: Path, *, stable: float, settle: float, workers: int = 2) -> Path:
    home = root / "home"
    (home / "inbox").mkdir(parents=True)
    (home / "docgen.toml").write_text(
        f"[intake]\nfile_stable_seconds = {stable}\ncase_settle_seconds = {settle}\nrescan_seconds = 1\n"
        f"workers = {workers}\n\n[letters]\npdf = \"off\"\n\n[signatory]\nname = \"Alex Morgan\"\n"
        "email = \"medicalneeds@example.org\"\nphone = \"01603 000000\"\n", encoding="utf-8")
    return home


class Watcher:
    """`docgen watch --polling` on the home; killed and restarted on demand."""

    def __init__(self, home: Path, log: Path) -> None:
        self.home = home
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self, crash_at: str | None = None) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
        if crash_at:
            env["DOCGEN_CRASH_AT"] = crash_at
        with self.log.open("ab") as err:
            self.proc = subprocess.Popen([str(DOCGEN), "--home", str(self.home), "watch", "--polling",
                                          "--today", TODAY.isoformat()], env=env, stdout=subprocess.DEVNULL,
                                         stderr=err)

    def ensure(self) -> None:
        """Restart the daemon when it exited (a DOCGEN_CRASH_AT exit)."""
        if self.proc is not None and self.proc.poll() is not None:
            self.start()

    def kill(self) -> None:
        """SIGKILL the running daemon (restarting it first when a DOCGEN_CRASH_AT exit already ended it)."""
        if self.proc is not None and self.proc.poll() is not None:
            self.start()
            time.sleep(0.5)
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
            self.kills += 1

    def stop(self) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def _db(home: Path) -> sqlite3.Connection | None:
    path = home / ".docgen" / "docgen.sqlite3"
    if not path.exists():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    conn.row_factory = sqlite3.Row
    return conn


def drained(home: Path, expected: int) -> bool:
    """Inbox empty, every input recorded, no case waiting to be judged and no letter waiting to be written."""
    if any(not e.name.startswith(".") for e in os.scandir(home / "inbox")):
        return False
    conn = _db(home)
    if conn is None:
        return False
    try:
        docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        unjudged = conn.execute("SELECT COUNT(*) FROM documents WHERE case_ref IS NOT NULL AND judged = 0"
                                ).fetchone()[0]
        pending = conn.execute("SELECT COUNT(*) FROM letters WHERE status = 'pending'").fetchone()[0]
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return bool(docs >= expected and unjudged == 0 and pending == 0)


def measure(home: Path, children: list[Child]) -> dict[str, Any]:
    """The figures: archive copies per SHA, split children, outcome letters per case."""
    expected = {h for c in children for h in c.hashes}
    copies: collections.Counter[str] = collections.Counter()
    unmatched_copies = 0
    for path in (home / "archive").rglob("*"):
        if path.is_file() and path.name != "manifest.json":
            digest = _sha(path)
            if digest in expected:
                copies[digest] += 1
                unmatched_copies += path.parent.name == "unmatched"
    conn = _db(home)
    case_of: dict[str, str | None] = {}
    if conn is not None:
        case_of = {r["sha256"]: r["case_ref"] for r in conn.execute("SELECT sha256, case_ref FROM documents")}
        conn.close()
    split = []
    for child in children:
        cases = {case_of.get(h, "missing") for h in child.hashes}
        if len(cases) != 1 or None in cases or "missing" in cases:
            split.append(child.number)
    letters: collections.Counter[str] = collections.Counter()
    outbox = home / "outbox"
    if outbox.is_dir():
        for letter in outbox.glob("*/*.docx"):
            if any(d in letter.name for d in OUTCOME_LETTERS):
                letters[letter.parent.name] += 1
    cases = {c for c in case_of.values() if c}
    return {
        "inputs": len(expected),
        "archived": len(copies),
        "archived_twice": sum(1 for n in copies.values() if n > 1),
        "not_archived": len(expected - set(copies)),
        "copies_in_unmatched": unmatched_copies,
        "split_children": len(split),
        "cases": len(cases),
        "cases_with_no_outcome_letter": len(cases - set(letters)),
        "cases_with_several_outcome_letters": sum(1 for n in letters.values() if n > 1),
        "outcome_letters": sum(letters.values()),
    }


def run(root: Path, *, children_count: int = 60, batches: int = 6, kills: int = 0, crash_at: str | None = None,
        stable: float = 0.3, settle: float = 2.0, drain_limit: float = 90.0, gap: float = 1.5,
        seed: int = 1) -> dict[str, Any]:
    """Generate, drop, (kill), wait for the drain; return the figures."""
    rng = random.Random(seed)
    children = make_children(root / "stage", children_count)
    home = make_home(root, stable=stable, settle=settle)
    inbox = home / "inbox"
    watcher = Watcher(home, root / "watch.log")
    watcher.start()
    time.sleep(1.0)
    per_batch = max(1, -(-children_count // batches))
    kill_after = set(rng.sample(range(batches), min(kills, batches))) if kills else set()
    restarts = 0
    try:
        for b in range(batches):
            group = children[b * per_batch:(b + 1) * per_batch]
            # the first file of every child first (a health form for even children), then the rest
            for position in range(3):
                for child in group:
                    src = child.files[position]
                    src.rename(inbox / src.name)
                time.sleep(0.15)
            watcher.ensure()
            if b in kill_after:
                time.sleep(rng.uniform(0.2, 1.2))
                watcher.kill()
                restarts += 1
                watcher.start(crash_at if crash_at and restarts == 1 else None)
            time.sleep(gap)
        last_drop = time.monotonic()
        expected = 3 * children_count
        drain: float | None = None
        while time.monotonic() - last_drop < drain_limit:
            watcher.ensure()
            if drained(home, expected):
                drain = time.monotonic() - last_drop
                break
            time.sleep(0.25)
        exit_code = watcher.stop()
    finally:
        if watcher.proc is not None and watcher.proc.poll() is None:
            watcher.proc.kill()
            watcher.proc.wait()
    figures = measure(home, children)
    figures.update(drain_seconds=None if drain is None else round(drain, 1), kills=watcher.kills,
                   watch_exit=exit_code, left_in_inbox=len(list(inbox.iterdir())))
    return figures


def ok(figures: dict[str, Any]) -> bool:
    return bool(figures["archived_twice"] == 0 and figures["not_archived"] == 0 and figures["split_children"] == 0
                and figures["cases_with_several_outcome_letters"] == 0
                and figures["cases_with_no_outcome_letter"] == 0 and figures["drain_seconds"] is not None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--children", type=int, default=60)
    parser.add_argument("--batches", type=int, default=6)
    parser.add_argument("--kills", type=int, default=0)
    parser.add_argument("--crash-at", default=None)
    parser.add_argument("--stable", type=float, default=0.3)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--drain", type=float, default=90.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="docgen-fault-load-"))
    try:
        figures = run(root, children_count=args.children, batches=args.batches, kills=args.kills,
                      crash_at=args.crash_at, stable=args.stable, settle=args.settle, drain_limit=args.drain,
                      seed=args.seed)
        print(json.dumps(figures, indent=2))
        return 0 if ok(figures) else 1
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
