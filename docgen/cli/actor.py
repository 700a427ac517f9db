"""Who is deciding: `--by NAME` on the coordinator's commands, else the person behind sudo, else the OS user.

Never silently "root": run as root without sudo, a decision needs `--by`. The name goes on the
decision, the case history and the audit log (staff names are not the children's personal data, SPEC §14).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from docgen.config import Settings
from docgen.intake.audit import Audit

F = TypeVar("F", bound=Callable[..., Any])


def by_option(f: F) -> F:
    """Add `--by NAME` (or DOCGEN_BY) to a command."""
    decorated: F = click.option(
        "--by", "by", metavar="NAME", envvar="DOCGEN_BY",
        help="Who is deciding (kept on the case). Default: the user behind sudo, or the logged-in user.")(f)
    return decorated


def resolve(by: str | None) -> str:
    """The person to record; a UsageError when only "root" is known."""
    if by is not None and by.strip():
        return " ".join(by.split())[:100]
    sudo_user = os.environ.get("SUDO_USER", "").strip()
    if sudo_user and sudo_user != "root":
        return sudo_user
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    if not user or user == "root" or (hasattr(os, "geteuid") and os.geteuid() == 0 and not sudo_user):
        raise click.UsageError("running as root, docgen cannot tell who is deciding: add --by NAME "
                               "(or run it through sudo, which names you)")
    return user


def record(settings: Settings, event: str, *, case: str, actor: str, action: str) -> None:
    """One audit line for a person's action on a case (reference and name only)."""
    Audit(Path(settings.state_dir)).record(event, case=case, actor=actor, action=action)
