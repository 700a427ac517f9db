"""`docgen forms --out DIR`: regenerate the blank fillable forms from the data dictionary (SPEC §3.6)."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.base import command, print_json, runtime
from docgen.forms.blank import write_blank_forms


@command("forms")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the forms to (default: the shipped blank forms, docgen/data/forms).")
@click.option("--json", "as_json", is_flag=True, help="Print the files written as JSON.")
def forms_command(out_dir: Path | None, as_json: bool) -> None:
    """Write the blank Referral, Continuation and JMP forms (fillable PDF and DOCX) into DIR."""
    target = out_dir if out_dir is not None else runtime().settings.forms_dir
    written = write_blank_forms(target)
    if as_json:
        print_json({"out": str(target), "written": [str(path) for path in written]})
        return
    for path in written:
        click.echo(str(path))
