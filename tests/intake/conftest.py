"""Fixtures for intake tests: a home with short stability/settle windows, and a way to run docgen."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from docgen.config import Settings, load_settings

TODAY = "2026-03-02"
DOCGEN = str(Path(sys.executable).parent / "docgen")

TOML = """[intake]
file_stable_seconds = 0.1
case_settle_seconds = 0.3
rescan_seconds = 0.5
stall_grace_seconds = 1.0
workers = 2

[letters]
pdf = "off"

[limits]
parse_seconds = 20.0

[signatory]
name = "Alex Morgan"
email = "medicalneeds@example.org"
phone = "01603 000000"
"""

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def ihome(tmp_path: Path) -> Path:
    """A home folder whose intake windows are fractions of a second."""
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    (home / "docgen.toml").write_text(TOML, encoding="utf-8")
    return home


@pytest.fixture
def isettings(ihome: Path) -> Settings:
    return load_settings(ihome)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update({"DOCGEN_HOME": str(home), "DOCGEN_TODAY": TODAY, **extra})
    return env


@pytest.fixture
def run(ihome: Path) -> Run:
    """Run `docgen ARGS…` on the test home as a real subprocess."""

    def _run(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([DOCGEN, *args], env=env or env_for(ihome), capture_output=True, text=True,
                              timeout=timeout, check=False)

    return _run


def submission(inbox: Path, scenario: str = "accepted", seed: int = 3) -> list[Path]:
    """Write one invented submission (files) into `inbox`."""
    from docgen.samples.builder import write_submission

    return list(write_submission(inbox, scenario, seed=seed, today=dt.date.fromisoformat(TODAY)).files)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archived_hashes(home: Path) -> list[str]:
    """The SHA-256 of every original in the archive (produced letters excluded)."""
    found = []
    for path in (home / "archive").rglob("*"):
        if path.is_file() and path.name != "manifest.json" and not path.name.startswith("20"):
            found.append(sha(path))
    return found


def letters(home: Path) -> list[str]:
    """Every file in the outbox, as `<case>/<name>`."""
    out = home / "outbox"
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) if out.is_dir() else []


def document_counts(home: Path) -> dict[str, int]:
    conn = sqlite3.connect(home / ".docgen" / "docgen.sqlite3")
    try:
        return {r[0]: r[1] for r in conn.execute("SELECT sha256, COUNT(*) FROM documents GROUP BY sha256")}
    finally:
        conn.close()
