"""`docgen.read.ruled.find_tables` finds exactly the tables pdfplumber's `Page.find_tables()` finds.

The pages come from tools docgen's own sample forms do not use: the independent corpus (LibreOffice tables and
paragraphs, fillable forms flattened by Ghostscript, qpdf and pdftocairo, letters) and fpdf2 (a ruled table,
separate boxes, boxes touching at a corner).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from fpdf import FPDF

from docgen.read import ruled

_LAYOUTS = ("lo-table-pdf", "lo-para-pdf", "acro-cairo", "acro-gs", "acro-qpdf")


def _boxes(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    for n in range(6):  # separate tick boxes and answer boxes: no table
        pdf.rect(20, 30 + 14 * n, 6, 6)
        pdf.rect(40, 30 + 14 * n, 120, 9)
    pdf.rect(20, 140, 30, 10)  # two boxes touching at one corner: a table of two cells
    pdf.rect(50, 150, 30, 10)
    pdf.set_xy(20, 180)
    for row in (("Medication", "Dose"), ("Salbutamol", "2 puffs"), ("Melatonin", "3 mg")):
        for cell in row:
            pdf.cell(50, 8, cell, border=1)
        pdf.ln(8)
        pdf.set_x(20)
    pdf.output(str(path))
    return path


def _tables(found: list[Any]) -> list[tuple[Any, ...]]:
    return [(t.bbox, tuple(t.cells)) for t in found]


def _compare(path: Path) -> tuple[int, int]:
    """(pages, tables) of `path`, asserting both finders agree on every page."""
    pages = tables = 0
    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            expected = _tables(page.find_tables())
            assert _tables(ruled.find_tables(page)) == expected, f"{path.name} page {page.page_number}"
            pages, tables = pages + 1, tables + len(expected)
    return pages, tables


def test_the_same_tables_as_pdfplumber_on_pages_other_tools_made(corpus_folder: Path, tmp_path: Path) -> None:
    chosen = [next(iter(sorted(corpus_folder.glob(f"*-{layout}.pdf")))) for layout in _LAYOUTS]
    chosen += sorted(corpus_folder.glob("letter-*.pdf"))[:2]
    totals = [_compare(path) for path in chosen]
    assert sum(p for p, _ in totals) >= len(chosen)
    assert sum(t for _, t in totals) >= 1  # the LibreOffice table was found, by both
    pages, tables = _compare(_boxes(tmp_path / "boxes.pdf"))
    assert (pages, tables) == (1, 2)  # the two corner-touching boxes and the ruled table; no lone box


def test_a_page_of_separate_boxes_skips_the_cell_search(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    for n in range(8):
        pdf.rect(20, 20 + 12 * n, 6, 6)
    pdf.output(str(tmp_path / "ticks.pdf"))
    with pdfplumber.open(str(tmp_path / "ticks.pdf")) as document:
        page = document.pages[0]
        finder = ruled._Finder(page)
        assert ruled.largest_linked(finder.intersections) == 4
        assert finder.cells == [] and finder.tables == []
        assert len(page.find_tables()) == 0
