"""LibreOffice's PDF conversion is retried (tenacity) over the files still missing, then gives up plainly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from docx import Document

from docgen.errors import RenderError
from docgen.letters.pdf import convert_batch

REAL = shutil.which("soffice") or "/usr/bin/soffice"


def _flaky(bin_dir: Path, failures: int) -> Path:
    """A `soffice` that fails its first `failures` runs (as a crashed converter does), then runs the real one."""
    count = bin_dir / "runs"
    script = bin_dir / "soffice"
    script.write_text(f"""#!/bin/sh
n=$(cat {count} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {count}
if [ $n -le {failures} ]; then echo "simulated crash" >&2; exit 81; fi
exec {REAL} "$@"
""", encoding="utf-8")
    script.chmod(0o755)
    return count


def _letter(path: Path) -> Path:
    document = Document()
    document.add_paragraph("Dear parent, this is a letter.")
    document.save(str(path))
    return path


def test_a_failed_run_is_retried_and_the_pdf_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _flaky(tmp_path, failures=1)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    letter = _letter(tmp_path / "letter.docx")
    result = convert_batch([letter], mode="on", timeout=120, retries=2)
    assert [p.name for p in result.pdfs] == ["letter.pdf"]
    assert letter.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert runs.read_text().strip() == "2"


def test_after_the_retries_it_gives_up_with_one_plain_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _flaky(tmp_path, failures=9)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    letter = _letter(tmp_path / "letter.docx")
    with pytest.raises(RenderError, match="could not make a PDF copy of letter.docx.*exited with code 81"):
        convert_batch([letter], mode="on", timeout=60, retries=1)
    assert runs.read_text().strip() == "2"
    assert not letter.with_suffix(".pdf").exists()
