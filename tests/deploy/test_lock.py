"""The one-daemon lock (filelock): a second holder is refused; a killed holder's leftover never blocks."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.errors import IntakeError
from docgen.intake.lock import LOCK_FILE, HomeLock, holder

HOLD = """
import sys, time
from pathlib import Path
from docgen.intake.lock import HomeLock
lock = HomeLock(Path(sys.argv[1]), "watch").acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_killed_holder_leaves_a_stale_lock_that_is_taken_over(tmp_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        who = holder(tmp_path)
        assert who is not None and who.pid == child.pid and who.mode == "watch"
        with pytest.raises(IntakeError, match=f"pid {child.pid}"):
            HomeLock(tmp_path, "process").acquire()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    assert json.loads((tmp_path / LOCK_FILE).read_text())["pid"] == child.pid  # the leftover is still there
    assert holder(tmp_path) is None  # but nobody holds it
    with HomeLock(tmp_path, "process"):
        assert holder(tmp_path) is not None
    assert holder(tmp_path) is None and (tmp_path / LOCK_FILE).read_text() == ""
