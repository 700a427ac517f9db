"""`docgen archive export|verify` and `docgen retention`: the records side of the archive (SPEC §9)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import click

from docgen import db
from docgen.cases import store
from docgen.cli.base import command, main, print_json, runtime, shared_options
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.records import erase, export, retention, verify


@contextlib.contextmanager
def _register(settings: Settings) -> Iterator[sqlite3.Connection]:
    """The state database (which must exist: records are never made up from an empty register)."""
    conn = db.connect(settings.database, create=False)
    try:
        store.migrate(conn)
        yield conn
    finally:
        conn.close()


@main.group("archive")
@shared_options
def archive_group() -> None:
    """The per-case archive: export a case for the records system, verify every checksum."""


@archive_group.command("export")
@shared_options
@click.argument("ref")
@click.option("--to", "to", metavar="DIR|FILE.zip", type=click.Path(path_type=Path),
              help="A new folder, or a .zip file (default: <home>/exports/REF-<today>.zip).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON.")
def export_command(ref: str, to: Path | None, as_json: bool) -> None:
    """Bundle a case's files, manifest.json and a CSV index (one row per file) for a records system."""
    rt = runtime()
    settings = rt.settings
    dest = to if to is not None else export.default_destination(settings, ref, rt.today)
    with _register(settings) as conn:
        written = export.export(conn, settings, ref, dest.expanduser().absolute())
    if as_json:
        print_json({"case": ref, "exported_to": str(written), "format": "zip" if written.suffix == ".zip" else "folder"})
        return
    click.echo(f"{ref} exported to {written}")


@archive_group.command("verify")
@shared_options
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify_command(ref: str | None, as_json: bool) -> None:
    """Check every archived file against its manifest's SHA-256 (one case, or all); exit 1 when any fails."""
    settings = runtime().settings
    registered: list[str] = []
    if ref is None and settings.database.exists():
        with _register(settings) as conn:
            registered = [row.ref for row in store.list_cases(conn)]
    result = verify.verify(settings.archive, ref, registered=registered)
    if as_json:
        print_json(result.to_json())
    else:
        for problem in result.problems:
            click.echo(problem.describe())
        verdict = "all match their manifests" if result.ok else f"{len(result.problems)} problem(s)"
        click.echo(f"{len(result.cases)} folder(s), {result.files} file(s) checked: {verdict}")
    if not result.ok:  # exit 1 through the error mapping (base.run), with the list already printed
        raise DocgenError(f"the archive does not match its manifests ({len(result.problems)} problem(s) listed); "
                          "restore those files from backup")


@command("retention")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--erase", "erase_ref", metavar="REF", help="Erase this case for good (with --yes).")
@click.option("--yes", is_flag=True, help="Confirm the erasure.")
@click.option("--force", is_flag=True, help="Erase even before the retention date.")
@click.option("--compact", "compact_only", is_flag=True,
              help="Only empty the database's write-ahead log and vacuum it (after an interrupted erasure).")
def retention_command(as_json: bool, erase_ref: str | None, yes: bool, force: bool, compact_only: bool) -> None:
    """List cases past their retention date; `--erase REF --yes` removes one (files and records) for good."""
    rt = runtime()
    settings = rt.settings
    if compact_only:
        with _register(settings) as conn:
            erase.compact(conn)
        click.echo("state database compacted: erased records are gone from its files")
        return
    if erase_ref is None:
        if force or yes:
            raise click.UsageError("--yes and --force go with --erase REF")
        due: list[retention.Due] = []
        if settings.database.exists():
            with _register(settings) as conn:
                due = retention.past_retention(conn, settings, rt.today)
        quarantined = retention.quarantine_past_retention(settings, rt.today)
        if as_json:
            print_json({"today": rt.today.isoformat(), "cases": [d.to_json() for d in due],
                        "quarantine": [q.to_json() for q in quarantined]})
            return
        for item in due:
            click.echo(f"{item.case}  {item.state:<24} kept until {item.retain_until.isoformat()}")
        click.echo(f"{len(due)} case(s) past their retention date on {rt.today.isoformat()}"
                   + ("; erase one with `docgen retention --erase REF --yes`" if due else ""))
        for q in quarantined:
            click.echo(f"quarantine/{q.name}  quarantined {q.quarantined.isoformat()}, "
                       f"kept until {q.retain_until.isoformat()}")
        if quarantined:
            click.echo(f"{len(quarantined)} quarantined file(s) past their retention date (linked to no case); "
                       "delete them with their .reason.txt once a person has looked")
        return
    if not yes:
        raise click.UsageError(f"erasing {erase_ref} removes its files and records for good; add --yes to confirm")
    with _register(settings) as conn:
        erased = erase.erase(conn, settings, erase_ref, today=rt.today, force=force)
    if as_json:
        print_json(erased.to_json())
        return
    click.echo(f"{erased.case} erased: {erased.archive_files} archive file(s), {erased.outbox_files} outbox "
               f"file(s), {erased.quarantine_files} quarantined file(s), {erased.export_files} export(s) in "
               f"{export.EXPORTS}/, {erased.rows} register row(s)")
