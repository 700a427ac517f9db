"""Fixtures for the mailbox tests: a real Dovecot per test, a home whose `[mail]` points at it."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.mail.servers import PASSWORD, USER, Dovecot, dovecot

TODAY = dt.date(2026, 3, 2)
DOCGEN = str(Path(sys.executable).parent / "docgen")


@pytest.fixture
def imap() -> Iterator[Dovecot]:
    with dovecot() as server:
        yield server


def write_config(home: Path, server: Dovecot, *, password: str = PASSWORD, extra: str = "",
                 mail_extra: str = "", poll_seconds: float = 1) -> None:
    secret = home.parent / "imap-password"
    secret.write_text(password + "\n", encoding="utf-8")
    secret.chmod(0o600)
    (home / "docgen.toml").write_text(f"""[intake]
workers = 2
file_stable_seconds = 0.1
case_settle_seconds = 0.3
rescan_seconds = 0.5

[letters]
pdf = "off"

[signatory]
name = "Alex Morgan"
email = "medicalneeds@example.org"
phone = "01603 000000"

[mail]
imap_host = "127.0.0.1"
imap_port = {server.port}
security = "none"
username = "{USER}"
password_file = "{secret}"
poll_seconds = {poll_seconds}
timeout_seconds = 10
{mail_extra}
{extra}""", encoding="utf-8")


@pytest.fixture
def mhome(tmp_path: Path, imap: Dovecot) -> Path:
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    write_config(home, imap)
    return home


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update({"DOCGEN_HOME": str(home), "DOCGEN_TODAY": TODAY.isoformat(), **extra})
    return env


Docgen = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def docgen(mhome: Path) -> Docgen:
    """Run `docgen ARGS…` on the mail home as a real subprocess."""

    def run(*args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([DOCGEN, *args], env=env_for(mhome, **env), capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    return run


def fetch_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"fetched", "failed"}
    for entry in data["fetched"]:
        assert set(entry) == {"uid", "message_id", "case", "outcome"}
    for entry in data["failed"]:
        assert set(entry) == {"uid", "reason"}
    return data


def audit_lines(home: Path) -> list[dict[str, Any]]:
    path = home / ".docgen" / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
