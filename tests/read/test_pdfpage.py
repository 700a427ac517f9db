"""PDFium's reading of a plain page (docgen/read/pdfpage.py) gives pdfplumber's words, rectangles and tables.

The PDFs are made by fpdf2, a tool docgen's own sample forms do not use; pdfplumber is the reference.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from fpdf import FPDF
from pypdf import PdfReader

from docgen.read import pdfpage
from tests.intake.test_reasons import flate_bomb_pdf


def _form(path: Path) -> Path:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 10, "Referral to the Medical Needs Service", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(0, 5, "Pupil's full name: Ada Quill.   Date of birth: 04/05/2014.   "
                   "Office use only - reference MN-2026-0042 (final).")
    pdf.ln(4)
    for row in (("Medication", "Dose", "Times"), ("Salbutamol", "2 puffs", "as needed"),
                ("Melatonin", "3 mg", "bedtime")):
        for cell in row:
            pdf.cell(55, 8, cell, border=1)
        pdf.ln(8)
    pdf.ln(6)
    pdf.rect(20, pdf.get_y(), 8, 8)
    pdf.set_x(32)
    pdf.cell(0, 8, "Parental consent given")
    pdf.output(str(path))
    return path


def _rounded(words: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(w["text"], round(w["x0"], 1), round(w["x1"], 1), round(w["top"], 1), round(w["bottom"], 1),
             round(float(w["size"]), 1), w["fontname"]) for w in words]


def _near(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> bool:
    return len(a) == len(b) and all(
        x[0] == y[0] and x[-1] == y[-1] and all(abs(p - q) <= 0.1 for p, q in zip(x[1:-1], y[1:-1], strict=True))
        for x, y in zip(a, b, strict=True))


def test_a_plain_page_reads_as_pdfplumber_reads_it(tmp_path: Path) -> None:
    path = _form(tmp_path / "form.pdf")
    assert pdfpage.plain_pages(PdfReader(str(path)), 10) == {0}
    document = pdfpage.open_document(str(path))
    fast = pdfpage.read_page(document, 0, 20_000)
    document.close()
    assert fast is not None
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        want = page.extract_words(extra_attrs=["size", "fontname"])
        rects = sorted((round(r["x0"], 1), round(r["top"], 1), round(r["x1"], 1), round(r["bottom"], 1))
                       for r in page.rects)
        tables = [[[round(v) for v in cell] for cell in t.cells] for t in page.find_tables()]
    assert "Salbutamol" in [w["text"] for w in fast.words] and "consent" in [w["text"] for w in fast.words]
    assert _near(_rounded(want), _rounded(fast.words))
    assert rects == sorted((round(r["x0"], 1), round(r["top"], 1), round(r["x1"], 1), round(r["bottom"], 1))
                           for r in fast.rects)
    assert len(tables) == 1 and len(tables[0]) == 9
    assert [[[round(v) for v in cell] for cell in t.cells] for t in pdfpage.find_tables(fast)] == tables


def test_embedded_fonts_and_unmeasurable_streams_are_left_to_pdfplumber(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", "", 11)
    pdf.cell(0, 10, "Embedded font: positions come from its descriptor")
    pdf.output(str(tmp_path / "embedded.pdf"))
    assert pdfpage.plain_pages(PdfReader(str(tmp_path / "embedded.pdf")), 10) == set()

    # a page whose content unpacks past the limit (a decompression bomb) never reaches PDFium
    flate_bomb_pdf(tmp_path / "bomb.pdf", 18)
    assert pdfpage.plain_pages(PdfReader(str(tmp_path / "bomb.pdf")), 10) == set()
