"""`docgen check PATH... --json`: one submission checked against the policy; nothing is written."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.calendar import SchoolCalendar
from docgen.cli.base import command, print_json, runtime
from docgen.rules.check import check_submission, read_submission


@command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (SPEC §10).")
def check_command(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check files, folders and emails as one submission against the policy (no state written)."""
    rt = runtime()
    settings = rt.settings
    calendar = SchoolCalendar.load(settings.term_dates)
    result = check_submission(read_submission(paths, limits=settings.limits), today=rt.today, calendar=calendar,
                              min_confidence=settings.ocr.min_confidence)
    if as_json:
        print_json(result.to_json())
        return
    pupil = " ".join(str(result.pupil.get(k) or "") for k in ("forename", "surname")).strip() or "(no pupil named)"
    click.echo(f"{result.kind}: {pupil} — {result.outcome}")
    for doc in result.documents:
        click.echo(f"  document  {doc['kind']:<16} {doc['file']}")
    for f in result.findings:
        click.echo(f"  {f.severity.value:<10} {f.rule} (§{f.section}): {f.message}")
    if not result.findings:
        click.echo("  no findings")
