"""`docgen forms --out DIR`: regenerate the blank fillable forms from the data dictionary (SPEC §3.6)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.base import command, runtime
from docgen.forms.blank import write_blank_forms


@command("forms")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the forms to (default: the shipped blank forms, docgen/data/forms).")
def forms_command(out_dir: Path | None) -> None:
    """Write the blank Referral, Continuation and JMP forms (fillable PDF and DOCX) into DIR."""
    target = out_dir if out_dir is not None else runtime().settings.forms_dir
    for path in write_blank_forms(target):
        click.echo(str(path))
