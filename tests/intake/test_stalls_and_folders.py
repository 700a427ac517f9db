"""A writer that stalls past the grace period, and attachments saved one by one into a folder (issue 15)."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from .conftest import DOCGEN, env_for, sha, submission
from .test_crash import _audit_events, _wait_for


def _watch(home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([DOCGEN, "watch", "--polling"], env=env_for(home), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def _stop(daemon: subprocess.Popen[str]) -> None:
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()


def test_a_writer_that_stalls_past_the_grace_period_is_quarantined_saying_so_then_taken_once_finished(
        ihome: Path, tmp_path: Path) -> None:
    referral = next(f for f in submission(tmp_path / "stage", seed=21) if f.suffix == ".pdf")
    data = referral.read_bytes()
    daemon = _watch(ihome)
    target = ihome / "inbox" / "slow-vpn.pdf"
    try:
        with target.open("wb") as writer:  # half a PDF, then a pause longer than the grace period (1 s)
            writer.write(data[: len(data) // 2])
            writer.flush()
            reason = ihome / "quarantine" / "slow-vpn.pdf.reason.txt"
            assert _wait_for(reason.exists, deadline=30)
            text = reason.read_text(encoding="utf-8")
            assert text.startswith("damaged: ") and "1 seconds (the grace period" in text
            assert "stall_grace_seconds" in text
            time.sleep(0.5)
            writer.write(data[len(data) // 2:])  # the writer goes on, now inside quarantine/
        assert _wait_for(lambda: "ingested" in _audit_events(ihome), deadline=60)
        assert _wait_for(lambda: not (ihome / "quarantine" / "slow-vpn.pdf").exists(), deadline=30)
    finally:
        _stop(daemon)
    assert daemon.returncode == 0
    assert "rechecked" in _audit_events(ihome)
    conn = sqlite3.connect(ihome / ".docgen" / "docgen.sqlite3")
    try:
        kinds = [r[0] for r in conn.execute("SELECT kind FROM documents WHERE sha256 = ?", (sha(referral),))]
    finally:
        conn.close()
    assert kinds == ["referral"]
    assert not reason.exists()


def test_attachments_saved_one_by_one_into_a_folder_are_one_bundle_and_the_folder_is_never_removed_mid_save(
        ihome: Path, tmp_path: Path) -> None:
    toml = ihome / "docgen.toml"
    toml.write_text(toml.read_text().replace("case_settle_seconds = 0.3", "case_settle_seconds = 2.5"))
    files = submission(tmp_path / "stage", seed=22)
    daemon = _watch(ihome)
    folder = ihome / "inbox" / "Email from school"
    try:
        time.sleep(0.5)
        folder.mkdir()
        for f in files:  # an officer saving each attachment, a second apart (far past the 0.1 s window)
            (folder / f.name).write_bytes(f.read_bytes())
            time.sleep(1.0)
        assert _wait_for(lambda: not folder.exists(), deadline=60)
        assert _wait_for(lambda: "judged" in _audit_events(ihome), deadline=60)
    finally:
        _stop(daemon)
    assert daemon.returncode == 0
    conn = sqlite3.connect(ihome / ".docgen" / "docgen.sqlite3")
    try:
        rows = conn.execute("SELECT bundle, case_ref FROM documents").fetchall()
    finally:
        conn.close()
    assert len(rows) == len(files)
    assert len({r[0] for r in rows}) == 1 and len({r[1] for r in rows}) == 1 and rows[0][1] is not None
