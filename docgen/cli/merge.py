"""`docgen merge`: one letter template over the rows of a CSV/XLSX file or over cases (SPEC §8, §10)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from docgen.cases.model import State
from docgen.cli.base import command, runtime
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.letters.merge import Row, merge_rows, read_rows
from docgen.letters.words import SERVICE_WEBSITE, field_value, long_date

_TIMELINE_KEYS = ("start", "provision_end", "review_plan_due", "continuation_due")


class RowsSkipped(DocgenError):
    """Some rows were not merged because values were missing (listed on stderr)."""


def letterhead(settings: Settings, today: dt.date) -> dict[str, Any]:
    """The values every letter may use without a column: date, service, signatory, evaluation link."""
    s = settings.signatory
    return {
        "date": long_date(today),
        "service": {"name": s.service, "address": s.address, "email": s.email, "phone": s.phone,
                    "website": SERVICE_WEBSITE},
        "signatory": {"name": s.name, "title": s.title, "email": s.email, "phone": s.phone},
        "evaluation_link": s.evaluation_link,
    }


def register_rows(settings: Settings, today: dt.date, *, state: str | None,
                  due_within: int | None) -> tuple[list[str], list[Row]]:
    """One row per case of the register (in `state`; with something due within `due_within` days).

    Columns: `case_ref`, `state`, every form field key of the case (dates in full), `pupil.name`,
    `school.name`, `timeline.start|provision_end|review_plan_due|continuation_due` and `due.what`/`due.date`.
    """
    from docgen import db
    from docgen.cases import store
    from docgen.cases.due import due, next_due
    from docgen.cases.outputs import case_fields

    if not settings.database.exists():
        return [], []
    conn = db.connect(settings.database, create=False)
    try:
        store.migrate(conn)
        cases = store.list_cases(conn, state)
        if due_within is not None:
            soon = {d.case for d in due(conn, today=today, within=due_within)}
            cases = [c for c in cases if c.ref in soon]
        rows: list[Row] = []
        for number, case in enumerate(cases, start=1):
            values = {key: field_value(key, v) for key, v in case_fields(conn, case.ref).items() if v is not None}
            values.update({"case_ref": case.ref, "state": case.state.value, "pupil.name": case.pupil_name,
                           "school.name": case.school_name or ""})
            timeline = store.latest_timeline(conn, case.ref)
            if timeline is not None:
                data = json.loads(timeline["data_json"])
                values.update({f"timeline.{k}": long_date(data.get(k), missing="") for k in _TIMELINE_KEYS})
            item = next_due(conn, case, today)
            if item is not None:
                values.update({"due.what": item.what, "due.date": long_date(item.date)})
            rows.append(Row(number, values, label=f"case {case.ref}"))
    finally:
        conn.close()
    header = sorted({key for row in rows for key in row.values})
    return header, rows


@command("merge")
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
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
def merge_command(template: Path, data: Path | None, out_dir: Path, combined: Path | None, pdf: bool,
                  name_column: str | None, state: str | None, due_within: int | None) -> None:
    """Fill TEMPLATE once per row of DATA (CSV or XLSX with a header row), or per case chosen.

    Each column fills the template value of the same name (`pupil.name` fills {{ pupil.name }}).
    Rows with a blank value the letter needs are not merged: they are listed by row number
    (the header is row 1) and the command exits 1 after writing the other letters.
    """
    rt = runtime()
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
            click.echo("no cases match; nothing merged")
            return
    with click.progressbar(length=len(rows), label="Merging letters", file=sys.stderr) as bar:
        result = merge_rows(template, header, rows, out_dir, source=source, base=letterhead(rt.settings, rt.today),
                            name_column=name_column, combined=combined, pdf=pdf,
                            pdf_timeout=max(rt.settings.pdf_timeout_seconds, 300.0), progress=bar.update)
    click.echo(f"{len(result.letters)} letter(s) written to {out_dir}")
    if result.combined:
        click.echo(f"combined document: {result.combined}")
    if result.pdf:
        click.echo(f"combined PDF: {result.pdf}")
    for skipped in result.skipped:
        click.echo(f"not merged: {skipped.describe()}", err=True)
    if result.skipped:
        raise RowsSkipped(f"{len(result.skipped)} of {result.rows} row(s) were not merged because values are "
                          "missing (listed above); fill them in and merge those rows again")
