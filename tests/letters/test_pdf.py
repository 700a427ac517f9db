"""PDF copies through the real LibreOffice: one batch for this module."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from docgen.config import Settings
from docgen.errors import RenderError
from docgen.letters.context import DocumentName
from docgen.letters.pdf import convert_batch
from docgen.letters.produce import Job, produce_batch
from docgen.samples.letters import SAMPLE_FIELDS, sample_context

ON = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three documents (one with a hostile value) converted in one LibreOffice run."""
    home = tmp_path_factory.mktemp("home")
    settings = replace(Settings(home=home), pdf="on", pdf_timeout_seconds=180)
    fields = {**SAMPLE_FIELDS, "school_name": "Tom & Jerry <School>\x0bAnnex"}
    documents = [DocumentName.ACCEPTANCE_LETTER, DocumentName.TIMELINE, DocumentName.END_OF_PROVISION_LETTER]
    jobs = [Job(d, sample_context(d, fields=fields), home / "outbox" / "MN-2026-0001", ON) for d in documents]
    other = {**SAMPLE_FIELDS, "pupil_forename": "Idris", "pupil_surname": "Carver", "pupil_preferred_name": None}
    jobs.append(Job(DocumentName.ACCEPTANCE_LETTER, sample_context(DocumentName.ACCEPTANCE_LETTER, fields=other),
                    home / "outbox" / "MN-2026-0002", ON))
    return produce_batch(jobs, settings)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True, timeout=60).stdout


def test_batch_gives_a_docx_and_a_pdf_per_document(batch: list[Path]) -> None:
    names = sorted(f"{p.parent.name}/{p.name}" for p in batch)
    assert names == sorted([
        "MN-2026-0001/2026-01-05-acceptance-letter.docx", "MN-2026-0001/2026-01-05-acceptance-letter.pdf",
        "MN-2026-0001/2026-01-05-timeline.docx", "MN-2026-0001/2026-01-05-timeline.pdf",
        "MN-2026-0001/2026-01-05-end-of-provision-letter.docx",
        "MN-2026-0001/2026-01-05-end-of-provision-letter.pdf",
        "MN-2026-0002/2026-01-05-acceptance-letter.docx", "MN-2026-0002/2026-01-05-acceptance-letter.pdf",
    ])
    for pdf in (p for p in batch if p.suffix == ".pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-")
        assert len(data) > 1000


def test_pdf_text_reads_like_the_letter(batch: list[Path]) -> None:
    first, second = sorted((p for p in batch if p.name.endswith("acceptance-letter.pdf")), key=str)
    text = pdf_text(first)
    assert "Medical Needs Service referral accepted" in text
    assert "Tom & Jerry <School>" in text
    assert "Maya Fenwick" in text
    assert "MN-2026-0001" in text
    other = pdf_text(second)
    assert "Idris Carver" in other
    assert "Maya" not in other


def test_missing_libreoffice_is_skipped_when_auto_and_an_error_when_on(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    docx = tmp_path / "letter.docx"
    docx.write_bytes(b"placeholder")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("soffice") is None
    result = convert_batch([docx], mode="auto")
    assert result.pdfs == []
    assert "not installed" in result.note
    with pytest.raises(RenderError, match="LibreOffice"):
        convert_batch([docx], mode="on")
    assert convert_batch([docx], mode="off").pdfs == []
