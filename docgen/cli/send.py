"""`docgen send REF`: email a produced letter to the school's referrer, when a person asks (SPEC §15)."""

from __future__ import annotations

import click

from docgen import db
from docgen.cases.model import parse_reference
from docgen.cases.service import who
from docgen.cli.actor import by_option, record, resolve
from docgen.cli.base import command, print_json, runtime
from docgen.errors import CaseError


@command("send")
@click.argument("ref")
@click.option("--letter", "letter", metavar="NAME", help="Which letter (e.g. acceptance-letter, or its file name); "
              "default: the latest letter for the school.")
@click.option("--to", "to", metavar="ADDRESS", help="Send to this address instead of the referral's referrer email.")
@click.option("--again", is_flag=True, help="Send it although this letter already went to this address.")
@click.option("--json", "as_json", is_flag=True, help="Print what was sent as JSON.")
@by_option
def send_cmd(ref: str, letter: str | None, to: str | None, again: bool, as_json: bool, by: str | None) -> None:
    """Email a case's letter (its PDF copy, else the Word file) and record it in the case history."""
    from docgen.cases.sending import send_letter

    rt = runtime()
    case = parse_reference(ref)
    if not rt.settings.database.exists():
        raise CaseError(f"{rt.settings.home} has no case register yet; check --home")
    try:
        actor = resolve(by)
    except click.UsageError:  # sending is asked for by a person at the terminal; as root, record that
        actor = who()
    conn = db.connect(rt.settings.database, create=False)
    try:
        sent = send_letter(conn, rt.settings, case, letter=letter, to=to, again=again, who=actor)
    finally:
        conn.close()
    record(rt.settings, "letter-sent", case=case, actor=actor, action="send")
    if as_json:
        print_json(sent.to_json())
    else:
        click.echo(f"sent {sent.file} to {sent.to} ({sent.letter}, {case})")
