"""A Word file's zip is opened and decompressed once per reading: `read_docx` reads its parts from the members the
sniff's scan decompressed (issue 21), only while the file is the one it checked, and only in that thread."""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from docgen.config import Limits
from docgen.read import docxpackage
from docgen.read.docx import read_docx
from docgen.read.sniff import docx_members, sniff
from docgen.samples.builder import write_submission


def _opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    real = docxpackage._ZIP_READER

    def counted(path: str) -> Any:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(docxpackage, "_ZIP_READER", counted)
    return opened


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_sniffs_members_read_as_the_zip_does(tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    school = write_submission(tmp_path / "school", "accepted", seed=seed, today=dt.date(2026, 3, 2), fmt="docx")
    opened = _opened(monkeypatch)
    for path in (p for p in school.files if p.suffix == ".docx"):
        copy = tmp_path / f"copy-{path.name}"
        shutil.copyfile(path, copy)
        sniff(copy, Limits())
        sniff(path, Limits())  # this thread's last: its members are kept
        assert docx_members(path) is not None and docx_members(copy) is None
        assert read_docx(path) == read_docx(copy)  # the copy's zip opened as before
        assert opened[-1] == str(copy) and str(path) not in opened


def test_headers_footers_and_another_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "Riverside Academy"
    doc.sections[0].footer.paragraphs[0].text = "Page footer"
    doc.add_paragraph("Pupil's full name: Ada Quill")
    path = tmp_path / "referral.docx"
    doc.save(str(path))
    opened = _opened(monkeypatch)
    sniff(path, Limits())
    kept = read_docx(path)
    assert opened == [] and "Riverside Academy" in kept.text and "Ada Quill" in kept.text
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(docx_members(path)))
    thread.start()
    thread.join()
    assert seen == [None]
    doc.add_paragraph("Date of birth: 01/02/2015")
    doc.save(str(path))  # saved again: another file
    assert docx_members(path) is None
    assert "01/02/2015" in read_docx(path).text  # not sniffed again: python-docx reads it, as before
