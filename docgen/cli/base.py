"""The root click group, the options every command shares, and the error → exit code mapping."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pkgutil
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from docgen.config import Settings, load_settings
from docgen.errors import DocgenError
from docgen.forms.types import parse_date
from docgen.home import require_home

F = TypeVar("F", bound=Callable[..., Any])

# Commands that work without a docgen home (tools on files, and the two that make a home).
HOME_FREE = frozenset({"init", "demo", "extract", "check", "timeline", "rules", "templates", "forms", "merge"})


@dataclass
class Runtime:
    """What the CLI resolved before a command runs: the home folder and "today"."""

    home: Path = field(default_factory=lambda: Path(os.environ.get("DOCGEN_HOME") or Path.cwd()))
    today: dt.date = field(default_factory=dt.date.today)
    needs_home: bool = True  # False for the HOME_FREE commands
    _settings: Settings | None = None

    @property
    def settings(self) -> Settings:
        """The home's settings; a home that does not exist, or was never set up, is refused (ConfigError)."""
        if self._settings is None:
            if self.needs_home:
                require_home(self.home.expanduser().absolute())
            self._settings = load_settings(self.home, os.environ)
        return self._settings


def _runtime(ctx: click.Context) -> Runtime:
    root = ctx.find_root()
    if not isinstance(root.obj, Runtime):
        root.obj = Runtime()
    return root.obj


def _set_home(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        rt = _runtime(ctx)
        rt.home = Path(value).expanduser()
        rt._settings = None


def _set_today(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        try:
            _runtime(ctx).today = parse_date(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx=ctx, param_hint="--today") from None


def shared_options(f: F) -> F:
    """Add --home and --today (also accepted before the command name) to a command."""
    f = click.option("--today", metavar="DATE", envvar="DOCGEN_TODAY", expose_value=False, is_eager=True,
                     callback=_set_today, help="The date rules and deadlines treat as today.")(f)
    f = click.option("--home", metavar="DIR", envvar="DOCGEN_HOME", expose_value=False, is_eager=True,
                     callback=_set_home, help="Home folder (inbox/, outbox/, archive/, …).")(f)
    return f


def runtime() -> Runtime:
    """The Runtime of the command being run."""
    return _runtime(click.get_current_context())


def print_json(data: Any) -> None:
    """Print one JSON document to stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


# `@command("name")`, `@main.command("name")`, `@main.group("name")` at the start of a line of a command module
_REGISTERS = re.compile(r'^@(?:command|main\.command|main\.group)\(\s*"([A-Za-z0-9_-]+)"', re.MULTILINE)


class LazyGroup(click.Group):
    """The root group: a command's module is imported when that command runs, not every module every time.

    Every module of `docgen/cli/` registers its commands when imported. Running one command imports the
    module(s) whose source registers its name (a look at the text, not an import), so `docgen process`
    does not pay for the desk, the mail-merge and the records commands. Listing the commands (`--help`)
    or a name no module's text shows imports every module, as before: a command is never missing.
    """

    _all_imported = False

    def _package_modules(self) -> list[pkgutil.ModuleInfo]:
        return [m for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name != "base"]

    def import_all(self) -> None:
        """Import every command module (each registers its commands on this group)."""
        if not self._all_imported:
            for module in self._package_modules():
                importlib.import_module(f"{__package__}.{module.name}")
            self._all_imported = True

    def _import_for(self, name: str) -> None:
        folder = Path(__file__).parent
        for module in self._package_modules():
            try:
                text = (folder / f"{module.name}.py").read_text(encoding="utf-8")
            except OSError:
                continue
            if name in _REGISTERS.findall(text):
                importlib.import_module(f"{__package__}.{module.name}")

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.import_all()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._import_for(cmd_name)
        if cmd_name not in self.commands:
            self.import_all()
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@shared_options
@click.version_option(package_name="docgen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """docgen — referrals in, policy checked, letters out, for the Medical Needs Service.

    Start with `docgen demo`, then `docgen cases` and `docgen case REF`. Set up a real home with
    `docgen --home DIR init`. DOCGEN_DEBUG=1 shows the details (a traceback) of an unexpected error.
    """
    _runtime(ctx).needs_home = ctx.invoked_subcommand not in HOME_FREE


def command(*args: Any, **kwargs: Any) -> Callable[[F], click.Command]:
    """Register a command on the root group with the shared options."""

    def wrap(f: F) -> click.Command:
        cmd: click.Command = main.command(*args, **kwargs)(shared_options(f))
        return cmd

    return wrap


def run() -> None:
    """Console entry point: run the CLI, turning DocgenError into a one-line message and its exit code."""
    try:
        code = main.main(standalone_mode=False, prog_name="docgen")
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except DocgenError as exc:
        click.echo(f"docgen: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except PermissionError as exc:  # e.g. a staff member (not the service user) reaching into .docgen/
        where = f" on {exc.filename}" if exc.filename else ""
        click.echo(f"docgen: permission denied{where}: the register, archive and quarantine are the service "
                   "user's alone; run the command as that user (e.g. `sudo -u docgen docgen …`)", err=True)
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - a dependable tool never shows a traceback to the officer
        click.echo(f"docgen: unexpected error ({type(exc).__name__}); run again with DOCGEN_DEBUG=1 for details",
                   err=True)
        if os.environ.get("DOCGEN_DEBUG"):
            raise
        sys.exit(1)
