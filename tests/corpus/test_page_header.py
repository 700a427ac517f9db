"""Text in a Word document's page header is read like the body (issue 15): a surname printed there counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from docgen.read.extract import extract


@pytest.mark.parametrize("layout", ["lo-para-docx", "lo-table-docx"])
def test_surname_in_page_header(corpus_folder: Path, tmp_path: Path, layout: str) -> None:
    """The corpus's LibreOffice-made referral, its surname moved into the page header with python-docx."""
    document = Document(str(corpus_folder / f"referral-00-{layout}.docx"))
    moved = None
    for p in document.paragraphs:
        if p.text.startswith("Legal surname"):
            moved = p.text
            p._p.getparent().remove(p._p)
    for table in document.tables:
        for row in table.rows:
            if row.cells[0].text == "Legal surname":
                moved = f"Legal surname: {row.cells[1].text}"
                row._tr.getparent().remove(row._tr)
    assert moved is not None
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].text = moved
    path = tmp_path / "referral.docx"
    document.save(str(path))

    result = extract(path)
    assert result.kind.value == "referral"
    assert result.fields["pupil_surname"] == moved.split(": ", 1)[1]
    assert result.fields["pupil_forename"]  # the body is read as before
    assert not [w for w in result.warnings if w.startswith("not read ")]
