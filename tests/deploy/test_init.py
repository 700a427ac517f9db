"""`docgen init`, and every other command refusing a folder that is not a docgen home."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from docgen.config import load_settings
from docgen.settings_sample import sample_toml

REPO = Path(__file__).resolve().parents[2]
DOCGEN = str(Path(sys.executable).parent / "docgen")


def docgen(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    return subprocess.run([DOCGEN, *args], capture_output=True, text=True, timeout=120, env=env, cwd=cwd,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL)


def test_shipped_sample_settings_are_what_init_writes() -> None:
    """deploy/docgen.toml is the same text as init's sample, and it loads (no typo, every default)."""
    assert (REPO / "deploy" / "docgen.toml").read_text(encoding="utf-8") == sample_toml()
    data = tomllib.loads(sample_toml())
    assert data["home"] == {"group": ""}
    assert "signatory" not in data  # commented out until a real person is named


def test_init_sets_up_a_home_that_then_works(tmp_path: Path) -> None:
    home = tmp_path / "new-home"
    done = docgen("--home", str(home), "init", "--signatory-name", "Sam Carter", "--signatory-email",
                  "sam.carter@example.org", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["settings_written"] is True and result["signatory"] == "Sam Carter"
    assert {f["folder"] for f in result["folders"]} == {".", "inbox", "outbox", "archive", "quarantine", ".docgen"}
    settings = load_settings(home)
    assert settings.signatory.name == "Sam Carter" and settings.signatory.email == "sam.carter@example.org"
    assert (home / ".docgen-home").is_file()
    status = docgen("--home", str(home), "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["inbox_waiting"] == 0
    # a second init repairs and keeps the settings as they are
    (home / "inbox").chmod(0o777)
    again = docgen("--home", str(home), "init", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["settings_written"] is False
    assert (home / "inbox").stat().st_mode & 0o777 == 0o700
    assert load_settings(home).signatory.name == "Sam Carter"


def test_init_asks_for_the_signatory_on_a_terminal_only(tmp_path: Path) -> None:
    """Without a terminal and without flags, init leaves the signatory for later and says so."""
    done = docgen("--home", str(tmp_path / "h"), "init")
    assert done.returncode == 0, done.stderr
    assert "No signatory yet" in done.stdout
    assert "signatory" not in tomllib.loads((tmp_path / "h" / "docgen.toml").read_text(encoding="utf-8"))


def test_init_refuses_a_file_and_a_second_signatory(tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    done = docgen("--home", str(file), "init")
    assert done.returncode == 1 and "is a file" in done.stderr
    home = tmp_path / "h"
    assert docgen("--home", str(home), "init", "--signatory-name", "Sam Carter").returncode == 0
    done = docgen("--home", str(home), "init", "--signatory-name", "Someone Else")
    assert done.returncode == 1 and "already has a [signatory]" in done.stderr
    assert load_settings(home).signatory.name == "Sam Carter"


@pytest.mark.parametrize("command", [["cases"], ["status"], ["due"], ["process"], ["quarantine"],
                                     ["case", "MN-2026-0001"], ["archive", "verify"]])
def test_a_mistyped_home_is_refused(tmp_path: Path, command: list[str]) -> None:
    """`--home no-such-folder` → exit 1 and one line saying what is wrong and what to do."""
    done = docgen("--home", "no-such-folder", *command, cwd=tmp_path)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not exist" in lines[0] and "init" in lines[0]
    assert not (tmp_path / "no-such-folder").exists()


@pytest.mark.parametrize("command", [["cases"], ["status"], ["due", "--json"], ["process"]])
def test_a_folder_never_initialised_is_refused(tmp_path: Path, command: list[str]) -> None:
    """An empty folder is not a home: no 'No cases yet', no 'inbox does not exist' — run init."""
    done = docgen(*command, cwd=tmp_path)
    assert done.returncode == 1
    assert "not a docgen home" in done.stderr and "docgen --home" in done.stderr and " init" in done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was created


def test_tools_on_files_need_no_home(tmp_path: Path) -> None:
    done = docgen("timeline", "--start", "2026-01-12", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert docgen("rules", cwd=tmp_path).returncode == 0
