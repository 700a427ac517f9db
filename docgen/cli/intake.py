"""`docgen process`, `watch`, `status`, `quarantine`, `retry`: the inbox and what happened to it."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

import click
from click.core import ParameterSource

from docgen import db, home
from docgen.cases import store
from docgen.cli.base import command, print_json, runtime
from docgen.config import Settings
from docgen.errors import IntakeError
from docgen.intake.audit import Audit, configure_logging
from docgen.intake.isolate import WorkerPool
from docgen.intake.lock import HomeLock
from docgen.intake.notify import notify
from docgen.intake.pipeline import Pipeline, Report
from docgen.intake.quarantine import list_quarantine


def _open_database(settings: Settings) -> Any:
    """Open the state database, refusing (fail closed) when it is gone but the archive is not."""
    archive_has_files = settings.archive.is_dir() and any(settings.archive.iterdir())
    if not settings.database.exists() and archive_has_files:
        raise IntakeError(
            f"the state database {settings.database} is missing but the archive holds cases; "
            "restore the database from backup before processing (nothing was done)")
    return db.connect(settings.database, create=True)


def _prepare(settings: Settings) -> None:
    """The folders with their modes (docgen.home); the umask keeps anything else owner-only."""
    os.umask(0o027 if settings.group else 0o077)  # 027: a folder made in a set-gid folder keeps group r-x
    if not settings.inbox.is_dir():
        raise IntakeError(f"the inbox {settings.inbox} does not exist; run `docgen --home {settings.home} init` "
                          "or check --home")
    for applied in home.prepare(settings):
        if applied.note:
            logging.getLogger("docgen.intake").warning("%s/: %s", applied.folder, applied.note)


@contextlib.contextmanager
def _stop_on_signals(stop: threading.Event, on_stop: Any = None) -> Iterator[None]:
    """SIGTERM/SIGINT set `stop` (the current file is finished, then the command exits 0)."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        stop.set()
        if on_stop is not None:
            on_stop()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _pipeline(settings: Settings, conn: Any, pool: WorkerPool, audit: Audit, stop: threading.Event) -> Pipeline:
    return Pipeline(settings, conn, today=runtime().today, pool=pool, audit=audit,
                    crash_at=os.environ.get("DOCGEN_CRASH_AT") or None, should_stop=stop.is_set)


@command("process")
@click.option("--json", "as_json", is_flag=True, help="Print what happened as JSON.")
def process_cmd(as_json: bool) -> None:
    """Process everything in the inbox once (judging each child's documents together), then exit."""
    from docgen.intake.sources.folder import complete_once

    settings = runtime().settings
    _prepare(settings)
    # one pass: the progress display and the summary speak; stderr logs only what needs attention
    configure_logging(level=logging.DEBUG if os.environ.get("DOCGEN_DEBUG") else logging.WARNING)
    audit = Audit(settings.state_dir)
    stop = threading.Event()
    report = Report()
    with HomeLock(settings.state_dir, "process"), _stop_on_signals(stop):
        with WorkerPool(settings.limits, settings.workers).warm() as pool:  # forked before any connection
            conn = _open_database(settings)
            pipeline = _pipeline(settings, conn, pool, audit, stop)
            pipeline.recover()
            try:
                # `left`: entries still being written; the next run (or the daemon) takes them
                ready, report.left = complete_once(settings.inbox, settings.file_stable_seconds, stop)
                if ready:
                    with _progress(len(ready)) as step:
                        pipeline.take(ready, report, progress=step)
                if not stop.is_set():
                    pipeline.judge_due(settle_seconds=0, report=report)
            finally:
                pipeline.clean_work()
        conn.close()
    audit.record("processed", count=len(report.processed))
    if as_json:
        print_json(report.to_json())
    else:
        _summary(report)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Any]:
    """A progress bar on a terminal, a count line otherwise (stderr, so --json stays clean)."""
    if sys.stderr.isatty() and total > 1:
        with click.progressbar(length=total, label="Processing the inbox", file=sys.stderr) as bar:
            yield bar.update
        return
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if total > 1:
            click.echo(f"processed {done[0]} of {total} inbox items", err=True)

    yield step


def _summary(report: Report) -> None:
    click.echo(f"{len(report.processed)} processed, {len(report.quarantined)} quarantined, "
               f"{len(report.duplicates)} duplicates")
    for item in report.processed:
        click.echo(f"  {item['file']}: {item['kind']} → {item['case'] or 'review (unmatched)'} ({item['outcome']})")
    for item in report.quarantined:
        click.echo(f"  {item['file']}: quarantined — {item['reason']}")
    for item in report.duplicates:
        click.echo(f"  {item['file']}: duplicate of a document already in {item['case'] or 'review'}")
    if report.judge_failed:
        click.echo(f"{report.judge_failed} case(s) could not be checked and will be tried again "
                   "(see `docgen status`)")
        for error in report.judge_errors:
            click.echo(f"error: {error}", err=True)
    if report.left:
        click.echo(f"{report.left} left in the inbox for the next run (see `docgen status`)")


@command("watch")
@click.option("--polling", is_flag=True, help="Poll the inbox (network shares send no file events).")
@click.option("--settle", type=float, metavar="SECONDS", default=None,
              help="Wait this long after a case's latest document before checking it.")
def watch_cmd(polling: bool, settle: float | None) -> None:
    """Run the daemon: take each complete file from the inbox, check cases once they settle."""
    from docgen.intake.sources.folder import FolderSource
    from docgen.intake.watch import Daemon

    settings = runtime().settings
    _prepare(settings)
    configure_logging()
    audit = Audit(settings.state_dir)
    stop = threading.Event()
    daemon_ref: list[Daemon] = []

    def stop_daemon() -> None:
        notify("STOPPING=1", "STATUS=finishing the current file")
        for daemon in daemon_ref:
            daemon.stop()

    with HomeLock(settings.state_dir, "watch"), _stop_on_signals(stop, stop_daemon):
        with WorkerPool(settings.limits, settings.workers).warm() as pool:  # forked before any connection
            conn = _open_database(settings)
            pipeline = _pipeline(settings, conn, pool, audit, stop)
            pipeline.recover()
            settle_seconds = settings.case_settle_seconds if settle is None else settle
            folder = FolderSource(pipeline, settle_seconds=settle_seconds, polling=polling)
            daemon = Daemon(pipeline, audit, [folder, *_mail_sources(settings, pipeline, stop)],
                            settle_seconds=settle_seconds, today=None if _today_fixed() else dt.date.today)
            daemon_ref.append(daemon)
            try:
                if not stop.is_set():
                    also = f" and the mailbox {settings.mail.username} {settings.mail.folder}" if settings.mail else ""
                    click.echo(f"docgen is watching {settings.inbox}{also} (Ctrl+C to stop)", err=True)
                    notify("READY=1", "STATUS=watching the inbox")  # systemd Type=notify: start-up is done
                    daemon.run()
            finally:
                pipeline.clean_work()
        conn.close()


def _mail_sources(settings: Settings, pipeline: Pipeline, stop: threading.Event) -> list[Any]:
    """The mailbox as a second intake source when `[mail]` is set (SPEC §15)."""
    if settings.mail is None:
        return []
    from docgen.intake.sources.imap import MailIntake
    from docgen.intake.sources.mail_watch import MailSource

    def pause(seconds: float) -> None:  # a back-off that SIGTERM cuts short
        stop.wait(seconds)

    return [MailSource(MailIntake(settings, pipeline, sleep=pause, attempts=2))]


def _today_fixed() -> bool:
    """True when --today or DOCGEN_TODAY was given (before or after the command name)."""
    ctx = click.get_current_context()
    sources = {c.get_parameter_source("today") for c in (ctx, ctx.find_root())}
    return bool(sources & {ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT})


@command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status_cmd(as_json: bool) -> None:
    """Is a daemon running, what is waiting, what needs a person."""
    from docgen.intake.status import status

    settings = runtime().settings
    data = status(settings)
    waiting, settling, quarantined = data["inbox_waiting"], data["cases_settling"], data["quarantined"]
    unmatched, database, error = data["unmatched"], data["database"], data["last_error"]
    if settings.mail is not None:  # SPEC §15: what is wrong with the mailbox, if anything
        from docgen.intake.sources.mail_status import MailStatus

        data["mailbox"] = MailStatus(settings.state_dir).read() or {"ok": None, "problem": "not read yet"}
    if as_json:
        print_json(data)
        return
    running = f"running, pid {data['pid']} ({data['mode']}) since {data['since']}" if data["running"] else "not running"
    click.echo(f"daemon: {running}")
    click.echo(f"inbox: {waiting} waiting")
    click.echo(f"cases settling: {settling if settling is not None else 'unknown'}")
    click.echo(f"quarantine: {quarantined} file(s){' — see `docgen quarantine`' if quarantined else ''}")
    if unmatched:
        click.echo(f"unmatched: {unmatched} document(s) linked to no case — see `docgen cases`, then "
                   "`docgen attach SHA256 REF` or `docgen open SHA256`")
    click.echo(f"database: {database}")
    if settings.mail is not None:
        from docgen.intake.sources.mail_status import MailStatus

        click.echo(f"mailbox: {MailStatus(settings.state_dir).summary()}")
    if error:
        where = f" (case {error['case']})" if error.get("case") else ""
        click.echo(f"last problem: {error.get('time')} {error.get('event')}{where} — {data['problem']}")
    for note in _letter_notes(settings):
        click.echo(f"needs a person: {note}")


def _letter_notes(settings: Settings) -> list[str]:
    """No signatory (letters wait), letters not yet written, term dates running out."""
    from docgen.cases.termdates import readiness

    conn = None
    pending = 0
    if settings.database.exists():
        with contextlib.suppress(Exception):
            conn = db.connect(settings.database, create=False)
            pending = store.letters.pending_count(conn)
    try:
        notes = readiness(settings, runtime().today, conn)
    except Exception:  # noqa: BLE001 - status answers even when the register cannot be read
        notes = []
    finally:
        if conn is not None:
            conn.close()
    if pending and settings.signatory_missing:
        notes.append(f"{pending} letter(s) are waiting to be written until a signatory is configured")
    return notes


@command("quarantine")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def quarantine_cmd(as_json: bool) -> None:
    """List the quarantined files with their reason code and when they were quarantined."""
    items = list_quarantine(runtime().settings.quarantine)
    if as_json:
        print_json([{"name": q.name, "code": q.code, "at": q.at, "reason": q.reason} for q in items])
        return
    if not items:
        click.echo("quarantine is empty")
    for q in items:
        click.echo(f"{q.at}  {q.code:<20} {q.name}")


@command("retry")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def retry_cmd(name: str, as_json: bool) -> None:
    """Put a quarantined file back into the inbox to go through the pipeline again."""
    from docgen.intake.retry import retry

    target = retry(runtime().settings, name)
    if as_json:
        print_json({"name": name, "back_in_inbox_as": target.name})
        return
    click.echo(f"{name} is back in the inbox as {target.name}")
