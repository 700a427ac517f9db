"""Shared fixtures: a temp home folder, its settings, and a fixed "today"."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from docgen.config import Settings, load_settings

# The coordinator's commands record who decides and refuse a bare "root" (CI runs as root): every
# test run, in-process or as a subprocess inheriting this environment, decides as this invented person.
os.environ.setdefault("DOCGEN_BY", "Test Coordinator")
# Letters are written only once a signatory is configured (docgen.toml [signatory]); invented values.
SIGNATORY = '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n'


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh, empty docgen home folder."""
    path = tmp_path / "home"
    (path / "inbox").mkdir(parents=True)
    return path


@pytest.fixture
def settings(home: Path) -> Settings:
    """Settings of the temp home, with PDF copies off unless a test turns them on."""
    (home / "docgen.toml").write_text('[letters]\npdf = "off"\n' + SIGNATORY, encoding="utf-8")
    return load_settings(home)


@pytest.fixture
def today() -> dt.date:
    """A fixed clock: a school day in the spring term 2026."""
    return dt.date(2026, 3, 2)
