"""A PDF whose every page PDFium reads is read without opening pdfplumber, and reads the same as with it.

The PDFs are made by fpdf2 (standard fonts, ruled cells, boxes), a tool docgen's own sample forms do not use;
the corpus's PDFs (LibreOffice, Ghostscript, qpdf, cairo: embedded fonts) still go through pdfplumber.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fpdf import FPDF

from docgen.config import Limits
from docgen.read import pdf as reader


def _two_pages(path: Path) -> Path:
    pdf = FPDF()
    for page in range(2):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(0, 10, f"Referral to the Medical Needs Service (page {page + 1})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        for label, value in (("Legal forename", "Ada"), ("Legal surname", "Quill"), ("Date of birth", "04/05/2014")):
            pdf.cell(60, 8, label, border=1)
            pdf.cell(80, 8, value, border=1, new_x="LMARGIN", new_y="NEXT")
        pdf.rect(20, 120, 6, 6)
        pdf.set_xy(30, 119)
        pdf.cell(0, 8, "Parental consent given")
    pdf.output(str(path))
    return path


def _with_pdfplumber(monkeypatch: pytest.MonkeyPatch) -> None:
    original = reader._read_text

    def every_page_through_pdfplumber(path: Path, limits: Limits, content: Any, widgets: Any = None,
                                      plain: Any = None, counted: int = 0) -> None:
        original(path, limits, content, widgets, plain, 0)

    monkeypatch.setattr(reader, "_read_text", every_page_through_pdfplumber)


def test_every_page_plain_skips_pdfplumber_and_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _two_pages(tmp_path / "two.pdf")
    opened: list[str] = []
    real_open = reader.pdfplumber.open
    monkeypatch.setattr(reader.pdfplumber, "open", lambda *a, **k: opened.append("open") or real_open(*a, **k))
    lean = reader.read_pdf(path, Limits())
    assert opened == []
    assert "Quill" in lean.text and len(lean.tables) == 2
    _with_pdfplumber(monkeypatch)
    assert repr(reader.read_pdf(path, Limits())) == repr(lean)
    assert opened == ["open"]


def test_the_corpus_reads_the_same(corpus_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [sorted(corpus_folder.glob(f"*-{layout}.pdf"))[0]
             for layout in ("lo-table-pdf", "lo-para-pdf", "acro-cairo", "acro-gs", "acro-qpdf")]
    lean = [repr(reader.read_pdf(p, Limits())) for p in paths]
    _with_pdfplumber(monkeypatch)
    assert [repr(reader.read_pdf(p, Limits())) for p in paths] == lean
