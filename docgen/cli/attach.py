"""`docgen attach FILE-OR-SHA REF` and `docgen open FILE-OR-SHA`: a person links an unmatched document."""

from __future__ import annotations

import click

from docgen.cases.attach import Attached, attach, open_case
from docgen.cases.model import parse_reference
from docgen.cli import actor as actor_mod
from docgen.cli.base import command, print_json, runtime
from docgen.cli.cases import _service


def _report(result: Attached, actor: str, as_json: bool) -> None:
    settings = runtime().settings
    actor_mod.record(settings, "attached" if result.action == "attach" else "opened", case=result.case, actor=actor,
                     action=result.action)
    if as_json:
        print_json({**result.to_json(settings.home), "by": actor})
        return
    verb = "attached to" if result.action == "attach" else "opened"
    click.echo(f"{len(result.documents)} document(s) {verb} {result.case} by {actor}; checked again: "
               f"{result.case} is {result.outcome}.")
    for doc in result.documents:
        click.echo(f"  {doc['file']}  [{doc['kind']}]  sha256 {doc['sha256'][:16]}…")
    for path in result.letters:
        click.echo(f"  wrote {path.relative_to(settings.home) if path.is_relative_to(settings.home) else path}")


@command("attach")
@click.argument("document", metavar="FILE-OR-SHA256")
@click.argument("ref")
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def attach_command(document: str, ref: str, by: str | None, as_json: bool) -> None:
    """Attach an unmatched document (its SHA-256, or the file) to a case; the case is checked again."""
    ref = parse_reference(ref)
    actor = actor_mod.resolve(by)
    with _service() as service:
        result = attach(service, document, ref, actor=actor)
    _report(result, actor, as_json)


@command("open")
@click.argument("document", metavar="FILE-OR-SHA256")
@actor_mod.by_option
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON.")
def open_command(document: str, by: str | None, as_json: bool) -> None:
    """Open a new case from an unmatched document (the child it names); the case is then checked."""
    actor = actor_mod.resolve(by)
    with _service() as service:
        result = open_case(service, document, actor=actor)
    _report(result, actor, as_json)
