"""`docgen demo`: a newcomer's first run on a fresh home folder.

Writes four invented submissions (accepted, incomplete, review, not accepted) into `inbox/`, one
folder each (a folder dropped in the inbox is one submission), processes them with the intake
pipeline, and shows what came out and what to try next.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from docgen import db
from docgen.cases import store
from docgen.cases.service import CaseService, Incoming
from docgen.config import SETTINGS_FILE, Settings
from docgen.errors import CaseError, RenderError
from docgen.intake.audit import Audit
from docgen.intake.isolate import WorkerPool
from docgen.intake.lock import HomeLock
from docgen.intake.pipeline import Pipeline, Report

MARKER = ".docgen-demo"
SCENARIOS = (("accepted", 2), ("incomplete", 3), ("review", 4), ("not_accepted", 6))
DEMO_SETTINGS = """\
# Settings of the docgen demo home. PDF copies of letters are off so the demo runs fast;
# set pdf = "auto" to have LibreOffice write a PDF beside each Word letter.
[letters]
pdf = "off"

[intake]
case_settle_seconds = 0

# Who signs the letters. docgen writes no letter until this is set; these are invented demo values.
[signatory]
name = "Dana Whitlock (demo)"
title = "Medical Needs Coordinator"
email = "medicalneeds.demo@example.org"
phone = "01603 555 0100"
address = "Demo Office, County Hall, Norwich NR1 2DH"
"""

Echo = Callable[[str], None]


def _existing_cases(settings: Settings) -> int:
    if not settings.database.exists():
        return 0
    conn = db.connect(settings.database)
    try:
        store.migrate(conn)
        return len(store.list_cases(conn))
    finally:
        conn.close()


def _clear(settings: Settings) -> None:
    """Empty a home that an earlier demo made (and only such a home)."""
    if not (settings.home / MARKER).exists():
        raise CaseError(f"{settings.home} was not made by `docgen demo`, so --fresh will not empty it; "
                        "run the demo in a new folder, e.g. `docgen --home demo-home demo`")
    for name in ("inbox", "outbox", "archive", "quarantine", ".docgen"):
        shutil.rmtree(settings.home / name, ignore_errors=True)


def run_demo(settings: Settings, *, today: dt.date, fresh: bool, echo: Echo) -> None:
    """Fill a fresh inbox with sample submissions, process them, and give a short tour."""
    from docgen.samples.builder import write_submission

    count = _existing_cases(settings)
    if count and not fresh:
        raise CaseError(f"{settings.home} already holds {count} case(s); the demo needs a fresh home. "
                        "Use another folder (`docgen --home demo-home2 demo`) or start again with `demo --fresh`")
    if fresh:
        _clear(settings)
    home = db.private_dir(settings.home)
    (home / MARKER).write_text("made by docgen demo\n", encoding="utf-8")
    if not (home / SETTINGS_FILE).exists():
        (home / SETTINGS_FILE).write_text(DEMO_SETTINGS, encoding="utf-8")
        from docgen.config import load_settings

        settings = load_settings(home)
    if settings.signatory_missing:
        echo(f"Note: {settings.signatory_missing}.\n")
    inbox = db.private_dir(settings.inbox)
    echo(f"docgen demo in {home}\n")
    echo("1. Writing four invented submissions into inbox/ (one folder each):")
    for scenario, seed in SCENARIOS:
        sub = write_submission(inbox / f"{scenario.replace('_', '-')}-submission", scenario, seed=seed, today=today)
        echo(f"   {sub.folder.name}/: {', '.join(f.name for f in sub.files)}  — {sub.note}")
    echo("\n2. Processing the inbox (read, check against the policy, link to cases, write letters)…")
    _process(settings, today=today)
    _tour(settings, today=today, echo=echo)


def _process(settings: Settings, *, today: dt.date) -> dict[str, int]:
    """One pass of the real intake pipeline over the inbox (as `docgen process`); counts by outcome."""
    for folder in (settings.state_dir, settings.quarantine, settings.archive, settings.outbox):
        db.private_dir(folder)
    report = Report()
    with HomeLock(settings.state_dir, "demo"):
        conn = db.connect(settings.database)
        try:
            with WorkerPool(settings.limits, settings.workers).warm() as pool:
                pipeline = Pipeline(settings, conn, today=today, pool=pool, audit=Audit(settings.state_dir))
                pipeline.recover()
                pipeline.take(sorted(settings.inbox.iterdir()), report)
                pipeline.judge_due(settle_seconds=0, report=report)
        finally:
            conn.close()
    if report.judge_failed:  # e.g. a letter template missing or broken: loud, never an exit 0 without letters
        raise RenderError(f"the demo could not check {report.judge_failed} case(s), so no letters were written "
                          f"for them: {'; '.join(report.judge_errors)}")
    return {"processed": len(report.processed), "quarantined": len(report.quarantined)}


def process_folders(settings: Settings, *, today: dt.date) -> None:
    """Each inbox folder as one bundle, read in this process: for tests that need cases without the
    pipeline's worker processes."""
    from docgen.read.extract import extract

    conn = db.connect(settings.database)
    try:
        service = CaseService(settings, conn, today=today)
        now = service.now()
        for folder in sorted(p for p in settings.inbox.iterdir() if p.is_dir()):
            files = sorted(p for p in folder.iterdir() if p.is_file())
            bundle = hashlib.sha256("\n".join(hashlib.sha256(f.read_bytes()).hexdigest()
                                              for f in files).encode()).hexdigest()
            items = []
            for file in files:
                extraction = extract(file, settings.limits)
                extraction.file = Path(file.name)
                items.append(Incoming(extraction=extraction, source=file,
                                      sha256=hashlib.sha256(file.read_bytes()).hexdigest(),
                                      display_name=file.name, role="original", parent_sha256=None,
                                      bundle=bundle))
            service.ingest(items, received_at=now)
            shutil.rmtree(folder)
        for ref in service.cases_to_judge(now=now, settle_seconds=0):
            service.judge(ref)
    finally:
        conn.close()


def _tour(settings: Settings, *, today: dt.date, echo: Echo) -> None:
    conn = db.connect(settings.database)
    try:
        store.migrate(conn)
        cases = store.list_cases(conn)
        echo("\n3. The case register (`docgen cases`):")
        for row in cases:
            judged = store.last_judgement(conn, row.ref)
            rules = sorted({f["rule"] for f in json.loads(judged["findings_json"]) if f["severity"] != "info"}) \
                if judged is not None else []
            why = f"  ({', '.join(rules)})" if rules else ""
            echo(f"   {row.ref}  {row.state.value:<13} {row.pupil_name}{why}")
        echo("\n4. Letters written to outbox/ (each also archived with its checksum in archive/<case>/):")
        for row in cases:
            for letter in store.letters.of_case(conn, row.ref, done_only=True):
                echo(f"   {letter['path']}")
        review = next((r.ref for r in cases if r.state.value == "review"), None)
        accepted = next((r.ref for r in cases if r.state.value == "accepted"), None)
    finally:
        conn.close()
    home = settings.home
    docgen = _program()
    echo("\nTry next:")
    if cases:
        echo(f"   {docgen} --home {home} case {cases[0].ref}          everything about one case")
    if review:
        echo(f"   {docgen} --home {home} decide {review} accept --reason \"GP evidence confirmed by phone\"")
    if accepted:
        meeting, start = _suggested_dates(settings, today)
        echo(f"   {docgen} --home {home} schedule {accepted} --meeting {meeting} --start {start}")
    echo(f"   {docgen} --home {home} due --within 90          what is coming up")
    echo("   Open the letters in outbox/ with Word or LibreOffice; drop your own files into inbox/ and run "
         f"`{docgen} --home {home} process`.")


def _suggested_dates(settings: Settings, today: dt.date) -> tuple[dt.date, dt.date]:
    """A planning meeting about a week away and a provision start a week after it, on school days."""
    meeting, start = today + dt.timedelta(days=7), today + dt.timedelta(days=14)
    try:
        from docgen.calendar import SchoolCalendar

        calendar = SchoolCalendar.load(settings.term_dates)
        meeting = calendar.next_school_day(meeting)
        start = calendar.next_school_day(meeting + dt.timedelta(days=7))
    except Exception:  # noqa: BLE001 - outside the term-dates file: plain weekdays will do for a hint
        while meeting.weekday() > 4:
            meeting += dt.timedelta(days=1)
        while start.weekday() > 4:
            start += dt.timedelta(days=1)
    return meeting, start


def _program() -> str:
    """How to call docgen again: `docgen` when it is on PATH, else the path it was started from."""
    started = Path(sys.argv[0])
    if shutil.which("docgen") or started.name != "docgen":
        return "docgen"
    return str(started)
