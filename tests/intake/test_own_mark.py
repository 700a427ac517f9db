"""docgen's mark on a letter saved back is looked at by the worker that reads the file (issue 21)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfWriter

from docgen.config import PACKAGE_DATA, Limits
from docgen.intake.isolate import Task, WorkerPool
from docgen.intake.reading import read_item, read_member
from docgen.letters.context import DocumentName
from docgen.letters.render import CompiledTemplate
from docgen.samples.builder import write_submission
from docgen.samples.letters import sample_context


def _pdf(keywords: str | None) -> bytes:
    writer = PdfWriter()  # not docgen's converter: any program that keeps the document's keywords
    writer.add_blank_page(width=200, height=200)
    if keywords is not None:
        writer.add_metadata({"/Keywords": keywords})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_the_worker_reports_docgens_mark_with_what_it_read(tmp_path: Path) -> None:
    letter = tmp_path / "check report.docx"
    template = CompiledTemplate.load(PACKAGE_DATA / "letters" / "check-report.docx")
    letter.write_bytes(template.render(sample_context(DocumentName.CHECK_REPORT)))
    school = write_submission(tmp_path / "school", "accepted", seed=5, today=dt.date(2026, 3, 2), fmt="docx")
    form = next(p for p in school.files if p.suffix == ".docx")
    marked_pdf, other_pdf = tmp_path / "letter.pdf", tmp_path / "scan.pdf"
    marked_pdf.write_bytes(_pdf("medical needs; docgen-output"))
    other_pdf.write_bytes(_pdf("docgen output"))
    work = tmp_path / "work"
    work.mkdir()
    limits = Limits()
    files = [letter, form, marked_pdf, other_pdf]
    with WorkerPool(limits, 2) as pool:
        items = pool.run([Task(read_item, (str(p), str(work), limits, False)) for p in files])
        members = pool.run([Task(read_member, (str(p), limits, False)) for p in files])
    assert [o.value[1].marked for o in items if o is not None] == [True, False, True, False]
    assert [o.value.marked for o in members if o is not None] == [True, False, True, False]
