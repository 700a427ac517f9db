"""LibreOffice's profile and work folders live under the home's .docgen/lo/, and what a kill left there (or
in the system temp folder) is removed at the next start (issue 15)."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from .conftest import Run, submission


def _stale(folder: Path, name: str) -> Path:
    path = folder / name
    (path / "user").mkdir(parents=True)
    (path / "user" / "registrymodifications.xcu").write_text("<x/>", encoding="utf-8")
    old = time.time() - 7200
    os.utime(path, (old, old))
    return path


def test_stale_profiles_are_removed_at_start_and_letters_convert_under_the_home(ihome: Path, run: Run) -> None:
    toml = ihome / "docgen.toml"
    toml.write_text(toml.read_text().replace('pdf = "off"', 'pdf = "on"'))
    scratch = ihome / ".docgen" / "lo"
    scratch.mkdir(parents=True)
    left_by_a_kill = _stale(scratch, "docgen-lo-killed")
    in_system_temp = _stale(Path(tempfile.gettempdir()), f"docgen-lo-test-{os.getpid()}")
    young = scratch / "docgen-lo-in-use"
    young.mkdir()
    before = {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("docgen-lo")}
    submission(ihome / "inbox", seed=12)
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    assert not left_by_a_kill.exists() and not in_system_temp.exists()
    assert young.exists()  # maybe another command converting right now
    assert sorted((ihome / "outbox").rglob("*.pdf")), "letters converted"
    assert [p.name for p in scratch.iterdir()] == ["docgen-lo-in-use"]  # nothing of this run left behind
    after = {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("docgen-lo")}
    assert after <= before
