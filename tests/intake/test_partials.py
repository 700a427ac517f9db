"""A write killed half-way leaves no hidden copy: the next start removes the temp files of dead writers.

`files.atomic_file` writes a temp file and renames it into place; a SIGKILL between the two leaves the
temp file holding a (perhaps whole) copy of a child's document in the archive, the outbox or the
quarantine (a reason file half written), which no record points to. A real writer process is killed here; `docgen process` is then run on the home.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from .conftest import Run

WRITER = """
import sys, time
from pathlib import Path
from docgen.files import atomic_file
with atomic_file(Path(sys.argv[1])) as fh:
    fh.write(b"%PDF-1.7 a referral half archived" * 100)
    fh.flush()
    print("writing", flush=True)
    time.sleep(120)
"""


def _writer(target: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    return proc


def test_a_killed_writers_temp_file_is_removed_and_a_living_ones_kept(ihome: Path, run: Run) -> None:
    assert run("process", "--json").returncode == 0  # the register made
    archive = ihome / "archive" / "MN-2026-0001"
    archive.mkdir(parents=True)
    killed = _writer(archive / "referral.pdf")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    living = _writer(ihome / "outbox" / "MN-2026-0001" / "letter.docx")
    try:
        left = list(archive.glob(".referral.pdf.*.part"))
        assert len(left) == 1 and left[0].stat().st_size > 1000  # the kill left a whole hidden copy
        result = run("process", "--json")
        assert result.returncode == 0, result.stderr
        assert not left[0].exists(), "the dead writer's temp file is still in the archive"
        assert not (archive / "referral.pdf").exists()  # never renamed into place
        assert len(list((ihome / "outbox").rglob(".letter.docx.*.part"))) == 1  # a living writer's is kept
    finally:
        living.kill()
        living.wait(timeout=30)


def test_a_write_killed_in_the_quarantine_leaves_no_temp_file(ihome: Path, run: Run) -> None:
    assert run("process", "--json").returncode == 0
    killed = _writer(ihome / "quarantine" / "bomb.docx.reason.txt")
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    left = list((ihome / "quarantine").glob(".bomb.docx.reason.txt.*.part"))
    assert len(left) == 1
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    assert not left[0].exists(), "the dead writer's temp file is still in the quarantine"
    assert not list((ihome / "quarantine").iterdir())
