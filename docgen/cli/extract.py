"""`docgen extract FILE [--json]`: classify and read one document (SPEC §10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from docgen.cli.base import command, print_json, runtime
from docgen.errors import DocgenError
from docgen.forms import FORMS
from docgen.read.extract import extract


@command("extract")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def extract_command(file: Path, as_json: bool) -> None:
    """Classify one document and show the fields read from it."""
    settings = runtime().settings
    if not file.exists():  # a mistyped path: not the intake's "moved before it could be read"
        raise DocgenError(f"{file}: no such file; check the path (a name with spaces needs quotes) and try again")
    result = extract(file, settings.limits, min_confidence=settings.ocr.min_confidence)
    if as_json:
        print_json(result.to_json())
        return
    click.echo(f"{file}: {result.kind.value} (read as {result.method.value})")
    if result.reason:
        click.echo(f"  reason: {result.reason}")
    schema = FORMS.get(result.kind.value)
    for key, value in result.fields.items():
        label = schema[key].label if schema is not None and key in schema else key
        click.echo(f"  {label}: {_show(value)}")
    for warning in result.warnings:
        click.echo(f"  warning: {warning}")


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value).replace("\n", " / ")
