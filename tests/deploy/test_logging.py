"""Log lines: a syslog priority prefix and no own timestamp under journald; readable on a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import logging
from docgen.intake.audit import configure_logging
configure_logging()
log = logging.getLogger("docgen.intake")
log.info("watching")
log.warning("polling instead")
log.error("cannot write")
"""


def _run(env: dict[str, str], stderr: int | object) -> str:
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, stderr=stderr,  # type: ignore[call-overload]
                          stdout=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 0
    return str(done.stderr)


def test_under_journal_lines_carry_priority_and_no_timestamp(tmp_path: Path) -> None:
    """JOURNAL_STREAM names stderr's device:inode (as systemd sets it): `<6>watching`, `<4>…`, `<3>…`."""
    log = tmp_path / "stderr.log"
    with log.open("w") as fh:
        st = os.fstat(fh.fileno())
        env = {**os.environ, "JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}
        subprocess.run([sys.executable, "-c", SCRIPT], env=env, stderr=fh, timeout=60, check=True)
    assert log.read_text().splitlines() == ["<6>watching", "<4>polling instead", "<3>cannot write"]


def test_on_a_terminal_or_file_lines_are_readable(tmp_path: Path) -> None:
    """Without the journal (or JOURNAL_STREAM inherited by another stream): date, time, level, message."""
    env = {**os.environ, "JOURNAL_STREAM": "1:1"}  # not our stderr: e.g. a shell started from a unit
    lines = _run(env, subprocess.PIPE).splitlines()
    assert len(lines) == 3
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d WARNING polling instead", lines[1])
    assert not any(line.startswith("<") for line in lines)
