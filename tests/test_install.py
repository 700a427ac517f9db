"""An installed docgen works far from the checkout (issue 16: the broken `pip install .`).

A wheel built from this checkout is installed with its dependencies into a fresh virtual environment
(no system site-packages, no editable link), and run in an empty folder: the demo writes its letters
from the templates shipped as package data, `templates check` passes, `timeline` reads the shipped
term dates. Bounded: about a minute with pip's cache warm.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-2000:])
    return done


def test_a_wheel_installed_in_a_fresh_venv_runs_the_demo_templates_check_and_timeline(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    source = tmp_path / "source"  # a clean copy: no stale build/ of an earlier layout gets into the wheel
    shutil.copytree(CHECKOUT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "tests", "benchmarks"))
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--disable-pip-version-check",
          "-w", str(wheels), str(source)], tmp_path, env, 120)
    wheel = next(wheels.glob("docgen-*.whl"))

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python, docgen = env_dir / "bin" / "python", env_dir / "bin" / "docgen"
    _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
         tmp_path, env, 240)

    empty = tmp_path / "elsewhere"
    empty.mkdir()
    where = _run([str(python), "-c", "import docgen, docgen.config as c; print(docgen.__file__); "
                  "print(c.PACKAGE_DATA)"], empty, env, 30).stdout.split()
    assert all(str(env_dir) in line and str(CHECKOUT) not in line for line in where), where

    demo = _run([str(docgen), "--home", "demo-home", "--today", "2026-03-02", "demo"], empty, env, 240)
    letters = sorted(p.name for p in (empty / "demo-home" / "outbox").rglob("*.docx"))
    assert "2026-03-02-acceptance-letter.docx" in letters and "2026-03-02-not-accepted-letter.docx" in letters, (
        letters, demo.stdout[-1500:])

    check = _run([str(docgen), "--home", "demo-home", "templates", "check"], empty, env, 120)
    assert "acceptance-letter.docx: ok" in check.stdout

    timeline = _run([str(docgen), "timeline", "--start", "2027-01-04", "--json"], empty, env, 60)
    data = json.loads(timeline.stdout)
    assert data["start"] == "2027-01-04" and len(data["weeks"]) == 12
