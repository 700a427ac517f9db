"""The systemd units: `systemd-analyze verify` clean, and the daemon's sd_notify handshake (Type=notify)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTALLED = "/opt/docgen/venv/bin/docgen"
DOCGEN = str(Path(sys.executable).parent / "docgen")
ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"


def _units() -> list[Path]:
    return sorted(DEPLOY.glob("*.service"))


@pytest.mark.parametrize("unit", _units(), ids=lambda p: p.name)
def test_unit_verifies_clean(unit: Path, tmp_path: Path) -> None:
    """Every shipped unit passes `systemd-analyze verify` with ExecStart pointing at a real docgen."""
    text = unit.read_text(encoding="utf-8")
    assert INSTALLED in text, f"{unit.name} must run docgen from the one install path {INSTALLED}"
    copy = tmp_path / unit.name
    copy.write_text(text.replace(INSTALLED, DOCGEN), encoding="utf-8")
    done = subprocess.run([ANALYZE, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    complaints = [line for line in done.stderr.splitlines() if unit.name in line or copy.name in line]
    assert not complaints, complaints


def test_restart_limits_sit_in_unit_section() -> None:
    """StartLimit* in [Service] is ignored by systemd; they must be in [Unit] for restart-loop protection."""
    sections: dict[str, str] = {}
    current = ""
    for line in (DEPLOY / "docgen.service").read_text(encoding="utf-8").splitlines():
        if re.fullmatch(r"\[\w+\]", line.strip()):
            current = line.strip()
        elif "=" in line and not line.lstrip().startswith("#"):
            sections[line.split("=", 1)[0].strip()] = current
    assert sections["StartLimitIntervalSec"] == "[Unit]"
    assert sections["StartLimitBurst"] == "[Unit]"
    assert sections["Type"] == "[Service]"


def test_one_install_path_everywhere() -> None:
    """README, deploy/README.md and the units all name the same virtual environment."""
    texts = [REPO / "README.md", DEPLOY / "README.md", *_units()]
    for path in texts:
        found = set(re.findall(r"/opt/docgen/[\w.]+", path.read_text(encoding="utf-8")))
        assert found <= {"/opt/docgen/venv"}, f"{path.name} names {found}"


def test_watch_tells_systemd_ready_and_stopping(tmp_path: Path) -> None:
    """Under Type=notify the daemon sends READY=1 once watching and STOPPING=1 on SIGTERM, then exits 0."""
    home = tmp_path / "home"
    subprocess.run([DOCGEN, "--home", str(home), "init", "--signatory-name", "Sam Carter"], check=True,
                   capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    (home / "docgen.toml").write_text((home / "docgen.toml").read_text(encoding="utf-8")
                                      .replace("rescan_seconds = 30.0", "rescan_seconds = 0.5")
                                      .replace("workers = 0", "workers = 1"), encoding="utf-8")
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(address)
        sock.settimeout(60)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
        env.update(NOTIFY_SOCKET=address, DOCGEN_HOME=str(home))
        proc = subprocess.Popen([DOCGEN, "watch"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
        try:
            ready = sock.recv(4096).decode()
            assert "READY=1" in ready.splitlines()
            proc.send_signal(signal.SIGTERM)
            stopping = sock.recv(4096).decode()
            assert "STOPPING=1" in stopping.splitlines()
            assert proc.wait(timeout=30) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)


def test_notify_outside_systemd_is_a_no_op(monkeypatch: pytest.MonkeyPatch) -> None:
    from docgen.intake.notify import notify

    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    assert notify("READY=1") is False
    monkeypatch.setenv("NOTIFY_SOCKET", "/nonexistent/socket")
    start = time.monotonic()
    assert notify("READY=1") is False  # systemd gone: never an error, never a wait
    assert time.monotonic() - start < 1
