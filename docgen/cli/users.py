"""`docgen users add|list|disable`: the desk's accounts (SPEC §14)."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import Iterator

import click

from docgen import accounts, db
from docgen.cli.base import main, print_json, runtime, shared_options
from docgen.config import Settings
from docgen.errors import IntakeError


@contextlib.contextmanager
def open_accounts(settings: Settings) -> Iterator[sqlite3.Connection]:
    """The home's database with the account tables (made if the home is new; never over a lost register)."""
    if not settings.database.exists() and settings.archive.is_dir() and any(settings.archive.iterdir()):
        raise IntakeError(f"the state database {settings.database} is missing but the archive holds cases; "
                          "restore the database from backup first (nothing was done)")
    db.private_dir(settings.state_dir)
    conn = db.connect(settings.database)
    try:
        accounts.migrate(conn)
        yield conn
    finally:
        conn.close()


@main.group("users")
@shared_options
def users_group() -> None:
    """The desk's accounts: officers and the coordinator."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    value: str = click.prompt("Password (at least 12 characters)", hide_input=True, confirmation_prompt=True)
    return value


@users_group.command("add")
@shared_options
@click.argument("name")
@click.option("--role", required=True, type=click.Choice([r.value for r in accounts.Role]),
              help="officer (everything but decisions) or coordinator (also decides, schedules, continues, ends).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def add_command(name: str, role: str, password_stdin: bool) -> None:
    """Add an account that can sign in to the desk (`docgen serve`)."""
    password = _read_password(password_stdin)
    accounts.check_password(password)
    with open_accounts(runtime().settings) as conn:
        user = accounts.add_user(conn, name, role, password)
    click.echo(f"account {user.name} added ({user.role.value}); they can now sign in to the desk")


@users_group.command("list")
@shared_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(as_json: bool) -> None:
    """List the accounts, their role, and whether they are disabled or locked out."""
    settings = runtime().settings
    users: list[accounts.User] = []
    if settings.database.exists():
        with open_accounts(settings) as conn:
            users = accounts.list_users(conn)
    if as_json:
        print_json([u.to_json() for u in users])
        return
    if not users:
        click.echo("No accounts yet. Add one with `docgen users add NAME --role coordinator`.")
    for user in users:
        data = user.to_json()
        notes = [w for w, on in (("disabled", data["disabled"]), ("locked out", data["locked"])) if on]
        click.echo(f"{user.name:<24} {user.role.value:<12} {', '.join(notes)}".rstrip())


@users_group.command("disable")
@shared_options
@click.argument("name")
def disable_command(name: str) -> None:
    """Disable an account: it can no longer sign in, and its open sessions end."""
    with open_accounts(runtime().settings) as conn:
        accounts.disable_user(conn, name)
    click.echo(f"account {name} disabled")
