"""`docgen correct`: key in or correct one value a document was read with (the desk's correction, SPEC §14)."""

from __future__ import annotations

import click

from docgen import db
from docgen.cases import store
from docgen.cases.corrections import correct_field
from docgen.cases.model import parse_reference
from docgen.cases.service import CaseService
from docgen.cli import actor as actor_mod
from docgen.cli.base import command, print_json, runtime
from docgen.errors import CaseError


@command("correct")
@click.argument("ref")
@click.argument("document", metavar="SHA256")
@click.argument("key")
@click.argument("value")
@click.option("--note", default="", help="Why, or where the value came from (kept beside it).")
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print the case's state and letters as JSON.")
def correct_command(ref: str, document: str, key: str, value: str, note: str, by: str | None,
                    as_json: bool) -> None:
    """Correct KEY of one of REF's documents (SHA256 or its first 12+ characters) to VALUE ('' = blank).

    The original reading is kept beside the correction; the case is checked again and its letters
    follow as the rules say, once. `docgen case REF --json` lists the documents and their hashes.
    """
    settings = runtime().settings
    ref = parse_reference(ref)
    person = actor_mod.resolve(by)
    if not settings.database.exists():
        raise CaseError(f"{settings.home} has no case register yet; check --home")
    conn = db.connect(settings.database, create=False)
    try:
        service = CaseService(settings, conn, today=runtime().today)
        prefix = document.strip().lower()
        rows = [r["sha256"] for r in store.filed.by_sha256_prefix(conn, prefix, ref)] if len(prefix) >= 12 else []
        if len(rows) != 1:
            raise CaseError(f"{ref} has no document whose SHA-256 starts {prefix[:16]!r}; "
                            f"`docgen case {ref}` lists them (give 12 or more characters)")
        judgement = correct_field(service, ref, rows[0], key, value, note=note, actor=person)
        state = store.get_case(conn, ref).state.value
    finally:
        conn.close()
    actor_mod.record(settings, "corrected", case=ref, actor=person, action="correct")
    home = settings.home
    letters = [str(p.relative_to(home)) if p.is_relative_to(home) else str(p) for p in judgement.letters]
    if as_json:
        print_json({"case": ref, "key": key, "state": state, "letters": letters})
        return
    click.echo(f"{ref}: {key} corrected; the case is now {state}.")
    for letter in letters:
        click.echo(f"  wrote {letter}")
