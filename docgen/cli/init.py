"""`docgen init`: set up a home folder — folders, a sample docgen.toml, permissions, the signatory."""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import click

from docgen import home as homefolder
from docgen.cli.base import command, print_json, runtime
from docgen.config import SETTINGS_FILE, Signatory, load_settings
from docgen.errors import ConfigError
from docgen.settings_sample import sample_toml


def _signatory(name: str | None, title: str | None, email: str | None, phone: str | None,
               interactive: bool) -> Signatory | None:
    """The signatory from the flags, or asked for on a terminal; None when neither (scripts)."""
    defaults = Signatory()
    if name is None and interactive:
        click.echo("Who signs the letters? (the Medical Needs Coordinator; Enter on an empty name skips this)")
        name = click.prompt("  name", default="", show_default=False).strip() or None
        if name is not None:
            title = title or click.prompt("  title", default=defaults.title)
            email = email or click.prompt("  email", default="").strip() or None
            phone = phone or click.prompt("  telephone", default="").strip() or None
    if name is None:
        if any((title, email, phone)):
            raise click.UsageError("--signatory-title/-email/-phone go with --signatory-name")
        return None
    return Signatory(name=name.strip(), title=(title or defaults.title).strip(), service=defaults.service,
                     email=(email or "").strip(), phone=(phone or "").strip(), address=defaults.address,
                     evaluation_link=defaults.evaluation_link)


def _settings_text(path: Path, group: str, signatory: Signatory | None) -> tuple[str, bool]:
    """The docgen.toml to write and whether it changes: a new sample, or the old file plus missing tables."""
    if not path.exists():
        return sample_toml(group=group, signatory=signatory), True
    text = path.read_text(encoding="utf-8")
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} cannot be read ({exc}); fix or remove it, then run init again") from exc
    changed = False
    current = str(data.get("home", {}).get("group", ""))
    if group and current != group:
        if "home" in data:
            raise ConfigError(f"{path} already sets [home] group = {current!r}; change it there, then run init again")
        text = text.rstrip("\n") + f'\n\n[home]\ngroup = "{group}"\n'
        changed = True
    if signatory is not None and "signatory" in data:
        raise ConfigError(f"{path} already has a [signatory]; change it there (init does not overwrite settings)")
    if signatory is not None:
        block = sample_toml(signatory=signatory).split("[signatory]\n", 1)[1]
        text = text.rstrip("\n") + "\n\n[signatory]\n" + block
        changed = True
    return text, changed


@command("init")
@click.option("--group", metavar="GROUP", default="",
              help="Staff group that may save into inbox/ and read outbox/ (sets [home] group).")
@click.option("--signatory-name", metavar="NAME", help="Who signs the letters (asked for on a terminal).")
@click.option("--signatory-title", metavar="TITLE", help="Their title (default: Medical Needs Coordinator).")
@click.option("--signatory-email", metavar="EMAIL", help="Their email address, printed on letters.")
@click.option("--signatory-phone", metavar="PHONE", help="Their telephone number, printed on letters.")
@click.option("--json", "as_json", is_flag=True, help="Print what was set up as JSON.")
def init_command(group: str, signatory_name: str | None, signatory_title: str | None, signatory_email: str | None,
                 signatory_phone: str | None, as_json: bool) -> None:
    """Set up a home folder (or repair one): folders, docgen.toml, permissions, the signatory."""
    home = runtime().home.expanduser().absolute()
    if home.exists() and not home.is_dir():
        raise ConfigError(f"{home} is a file, not a folder; choose another --home")
    if group:
        homefolder.staff_gid(group)  # refuse a group that does not exist before anything is written
    interactive = sys.stdin.isatty() and not as_json
    signatory = _signatory(signatory_name, signatory_title, signatory_email, signatory_phone, interactive)
    existed = homefolder.is_home(home)
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = home / SETTINGS_FILE
    text, changed = _settings_text(path, group, signatory)
    if changed:
        path.write_text(text, encoding="utf-8")
    settings = load_settings(home)  # the file just written must load: a typo would show here
    path.chmod(homefolder.settings_file_mode(settings))
    os.umask(0o027 if settings.group else 0o077)
    applied = homefolder.prepare(settings, setting_up=True)
    shared_letters = homefolder.share_existing_letters(settings)
    marker = homefolder.mark(home, by=f"docgen init ({_user()})")
    if settings.group:  # staff may read the settings and see that this is a home (no secrets in either)
        gid = homefolder.staff_gid(settings.group)
        for shared in (path, marker):
            with contextlib.suppress(OSError):
                os.chown(shared, -1, gid)
    configured = _has_signatory(path)
    result = {"home": str(home), "already_a_home": existed, "settings": str(path), "settings_written": changed,
              "group": settings.group or None, "folders": [a.to_json() for a in applied],
              "letters_shared": shared_letters, "signatory": settings.signatory.name if configured else None}
    if as_json:
        print_json(result)
        return
    click.echo(f"{'Checked' if existed else 'Set up'} the docgen home {home}")
    for a in applied:
        who = f", group {a.group}" if a.group else ", owner only"
        click.echo(f"  {a.folder + '/':<13} {a.mode:04o}{who}{'  — ' + a.note if a.note else ''}")
    click.echo(f"  {SETTINGS_FILE}   {'written' if changed else 'kept as it was'}")
    if shared_letters:
        click.echo(f"  {shared_letters} earlier letter file(s)/folder(s) in outbox/ made readable by {settings.group}")
    if not configured:
        click.echo("No signatory yet: set [signatory] in docgen.toml (or run init again with --signatory-name) "
                   "before letters go out.")
    click.echo(f"Next: save submissions into {settings.inbox} and run `docgen --home {home} process` "
               "(or the daemon, deploy/README.md).")


def _has_signatory(path: Path) -> bool:
    try:
        return "signatory" in tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())
