"""`docgen rules`: the policy-check catalogue (SPEC §6)."""

from __future__ import annotations

import click

from docgen.cli.base import command, print_json
from docgen.rules import catalogue


@command("rules")
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def rules_command(as_json: bool) -> None:
    """List every policy rule: id, policy section, severity and what makes it fire."""
    rows = catalogue()
    if as_json:
        print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['rule']:<22} §{row['section']:<7} {row['severity']:<10} {row['summary']}")
