"""A PDF is parsed by pypdf once per reading: the sniff's reader is read again by `read_pdf` and docgen's mark
(issue 21), only while the file is the one it opened, and only in the thread that opened it."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from docgen.config import Limits
from docgen.marker import is_docgen_output
from docgen.read.pdf import read_pdf
from docgen.read.sniff import opened_pdf, sniff


def _pdf(path: Path, text: str, *, keywords: str = "") -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(0, 10, text)
    if keywords:
        pdf.set_keywords(keywords)
    pdf.output(str(path))
    return path


def test_the_sniffs_reader_is_read_again_while_the_file_is_unchanged(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "referral.pdf", "Pupil's full name: Ada Quill", keywords="docgen-output")
    limits = Limits()
    sniff(path, limits)
    reader = opened_pdf(path)
    assert isinstance(reader, PdfReader)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(path.read_bytes())
    assert read_pdf(path, limits) == read_pdf(copy, limits)  # the sniff's reader reads as a fresh one
    assert opened_pdf(path) is reader  # read_pdf parsed no other copy
    assert is_docgen_output(path, pdf_reader=reader) and is_docgen_output(path)

    _pdf(path, "Pupil's full name: Bo Quill")  # saved again: another file
    assert opened_pdf(path) is None
    assert "Bo Quill" in read_pdf(path, limits).text
    assert not is_docgen_output(path, pdf_reader=opened_pdf(path))
    assert opened_pdf(tmp_path / "other.pdf") is None


def test_another_thread_and_an_encrypted_pdf_get_no_reader(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "health.pdf", "Condition: asthma")
    sniff(path, Limits())
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(opened_pdf(path)))
    thread.start()
    thread.join()
    assert seen == [None]
    assert opened_pdf(path) is not None

    writer = PdfWriter(clone_from=str(path))
    writer.encrypt("")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as out:
        writer.write(out)
    sniff(locked, Limits())
    assert opened_pdf(locked) is None and opened_pdf(path) is None
    assert "Condition: asthma" in read_pdf(locked, Limits()).text
