"""Real system users and groups for the permission tests (the tests run as root), removed afterwards."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class People:
    """A staff group, the service user (in it), an admin officer (in it) and an outsider (not in it)."""

    group: str
    service: str
    officer: str
    outsider: str


def _run(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=60)


@contextmanager
def people() -> Iterator[People]:
    """Create the group and three system users with unique names; delete them at the end."""
    tag = uuid.uuid4().hex[:6]
    who = People(group=f"dgstaff{tag}", service=f"dgsvc{tag}", officer=f"dgoff{tag}", outsider=f"dgout{tag}")
    made_users: list[str] = []
    _run("groupadd", "--system", who.group)
    try:
        for user, groups in ((who.service, who.group), (who.officer, who.group), (who.outsider, "")):
            args = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group"]
            if groups:
                args += ["--groups", groups]
            _run(*args, user)
            made_users.append(user)
        yield who
    finally:
        for user in made_users:
            subprocess.run(["userdel", user], capture_output=True, timeout=60)
        subprocess.run(["groupdel", who.group], capture_output=True, timeout=60)


# This interpreter may live where other users cannot reach it (a pyenv under /root): other users run
# docgen with a system Python of the same version, importing docgen and its dependencies from here.
SYSTEM_PYTHON = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
DOCGEN_AS_USER = [SYSTEM_PYTHON, "-c", "import docgen.cli; docgen.cli.main()"]


def _import_path() -> str:
    import docgen

    repo = Path(docgen.__file__).resolve().parent.parent
    return os.pathsep.join([str(repo), *(p for p in sys.path if p.endswith("site-packages"))])


def as_user(user: str, args: Sequence[str], *, umask: str = "022", env: dict[str, str] | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command as `user` with that user's groups (runuser), its own umask, a clean environment.

    `args` starting with "docgen" run docgen (DOCGEN_AS_USER).
    """
    entry = pwd.getpwnam(user)
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": "/nonexistent", "USER": user,
            "LOGNAME": user, "LANG": "C.UTF-8", "PYTHONPATH": _import_path(), "PYTHONDONTWRITEBYTECODE": "1",
            **(env or {})}
    if args and args[0] == "docgen":
        args = [*DOCGEN_AS_USER, *args[1:]]
    command = ["runuser", "-u", user, "--", "env", "-i", *(f"{k}={v}" for k, v in base.items()),
               "sh", "-c", f'umask {umask} && exec "$@"', "sh", *args]
    assert entry.pw_uid != 0
    return subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=cwd)
