"""`docgen merge`: one letter template over the rows of a CSV/XLSX file or over cases (SPEC §8, §10)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from docgen.cases.merge_rows import register_rows
from docgen.cases.model import State
from docgen.cli.base import command, print_json, runtime
from docgen.config import PACKAGE_DATA
from docgen.errors import DocgenError
from docgen.letters.letterhead import letterhead
from docgen.letters.merge import merge_rows, read_rows

MERGE_TEMPLATES = PACKAGE_DATA / "letters" / "merge"  # shipped: `docgen merge reminder --due-within 14`


def _template(given: Path) -> Path:
    """A template file, or the name of a shipped mail-merge template ("reminder")."""
    if given.is_file():
        return given
    shipped = MERGE_TEMPLATES / f"{given.name.removesuffix('.docx')}.docx"
    if given.parent == Path() and shipped.is_file():
        return shipped
    names = ", ".join(sorted(p.stem for p in MERGE_TEMPLATES.glob("*.docx"))) or "none"
    raise click.BadParameter(f"{given} is not a file, nor a shipped mail-merge template ({names})",
                             param_hint="TEMPLATE")


class RowsSkipped(DocgenError):
    """Some rows were not merged because values were missing (listed on stderr)."""


@command("merge")
@click.argument("template", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("data", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the letters (one .docx per row).")
@click.option("--combined", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write all letters as one .docx, each on a new page.")
@click.option("--pdf", is_flag=True,
              help="Also write one combined PDF for printing (beside --combined, else DIR/merged.pdf).")
@click.option("--name-column", metavar="COLUMN",
              help="Name each letter's file from this column (else the row number; case_ref for cases).")
@click.option("--cases", "state", type=click.Choice([s.value for s in State]), metavar="STATE",
              help="Instead of DATA: one letter per case of the register in this state.")
@click.option("--due-within", type=click.IntRange(min=0), metavar="DAYS",
              help="Instead of DATA: one letter per case with something due within DAYS (or overdue).")
@click.option("--json", "as_json", is_flag=True, help="Print what was written (and what was not) as JSON.")
def merge_command(template: Path, data: Path | None, out_dir: Path, combined: Path | None, pdf: bool,
                  name_column: str | None, state: str | None, due_within: int | None, as_json: bool) -> None:
    """Fill TEMPLATE once per row of DATA (CSV or XLSX with a header row), or per case chosen.

    Each column fills the template value of the same name (`pupil.name` fills {{ pupil.name }}).
    Rows with a blank value the letter needs are not merged: they are listed by row number
    (the header is row 1) and the command exits 1 after writing the other letters.
    """
    rt = runtime()
    template = _template(template)
    from_register = state is not None or due_within is not None
    if (data is None) == (not from_register):
        raise click.UsageError("give either DATA (a CSV or XLSX file) or --cases/--due-within, not both")
    header: Sequence[str]
    if data is not None:
        header, rows = read_rows(data)
        source = data.name
    else:
        header, rows = register_rows(rt.settings, rt.today, state=state, due_within=due_within)
        source = "from the case register"
        name_column = name_column or "case_ref"
        if not rows:
            if as_json:
                print_json({"letters": [], "combined": None, "pdf": None, "rows": 0, "skipped": []})
            else:
                click.echo("no cases match; nothing merged")
            return
    with click.progressbar(length=len(rows), label="Merging letters", file=sys.stderr) as bar:
        result = merge_rows(template, header, rows, out_dir, source=source, base=letterhead(rt.settings, rt.today),
                            name_column=name_column, combined=combined, pdf=pdf,
                            pdf_timeout=max(rt.settings.pdf_timeout_seconds, 300.0), progress=bar.update)
    if as_json:
        print_json({"letters": [str(p) for p in result.letters], "combined": str(result.combined or "") or None,
                    "pdf": str(result.pdf or "") or None, "rows": result.rows,
                    "skipped": [skipped.describe() for skipped in result.skipped]})
    else:
        _summary(result, out_dir)
    if result.skipped:
        raise RowsSkipped(f"{len(result.skipped)} of {result.rows} row(s) were not merged because values are "
                          "missing (listed above); fill them in and merge those rows again")


def _summary(result: Any, out_dir: Path) -> None:
    click.echo(f"{len(result.letters)} letter(s) written to {out_dir}")
    if result.combined:
        click.echo(f"combined document: {result.combined}")
    if result.pdf:
        click.echo(f"combined PDF: {result.pdf}")
    for skipped in result.skipped:
        click.echo(f"not merged: {skipped.describe()}", err=True)
