"""`docgen mail fetch`: one pass over the service's mailbox (SPEC §15)."""

from __future__ import annotations

import logging
import os
import threading

import click

from docgen import db
from docgen.cli.base import main, print_json, runtime, shared_options
from docgen.cli.intake import _open_database, _pipeline, _stop_on_signals
from docgen.errors import ConfigError, MailError
from docgen.intake.audit import Audit, configure_logging
from docgen.intake.isolate import WorkerPool
from docgen.intake.lock import HomeLock


@main.group("mail")
def mail_group() -> None:
    """The service's mailbox: referrals read straight from it (set up `[mail]` in docgen.toml)."""


@mail_group.command("fetch")
@click.option("--json", "as_json", is_flag=True, help="Print what happened as JSON.")
@shared_options
def fetch_cmd(as_json: bool) -> None:
    """Read the new messages in the mailbox once, process them like saved emails, then exit."""
    from docgen.intake.sources.imap import MailIntake, MailReport

    settings = runtime().settings
    if settings.mail is None:
        raise ConfigError(f"no [mail] section in {settings.home / 'docgen.toml'}; add imap_host, username and "
                          "a password_file (see the README, 'Reading the mailbox')")
    os.umask(0o077)
    for folder in (settings.state_dir, settings.quarantine, settings.archive, settings.outbox):
        db.private_dir(folder)
    configure_logging(level=logging.DEBUG if os.environ.get("DOCGEN_DEBUG") else logging.ERROR)
    audit = Audit(settings.state_dir)
    stop = threading.Event()
    report = MailReport()
    error: MailError | None = None
    # the worker pool is forked before any connection is opened
    with HomeLock(settings.state_dir, "mail fetch"), _stop_on_signals(stop), \
            WorkerPool(settings.limits, settings.workers).warm() as pool:
        conn = _open_database(settings)
        try:
            pipeline = _pipeline(settings, conn, pool, audit, stop)
            pipeline.recover()

            def pause(seconds: float) -> None:  # a back-off that SIGTERM cuts short
                stop.wait(seconds)

            intake = MailIntake(settings, pipeline, sleep=pause)
            try:
                intake.run_pass(report, judge=True)
            except MailError as exc:
                error = exc
        finally:
            conn.close()
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(f"{len(report.fetched)} message(s) fetched, {len(report.failed)} failed")
        for entry in report.fetched:
            click.echo(f"  UID {entry['uid']}: {entry['case'] or 'review (unmatched)'} ({entry['outcome']})")
        for entry in report.failed:
            click.echo(f"  UID {entry['uid']}: moved to the failed folder — {entry['reason']}")
        if report.left:
            click.echo(f"{report.left} message(s) left in the mailbox for the next run")
    if error is not None:
        raise error
