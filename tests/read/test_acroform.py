"""The AcroForm walk through pikepdf reads every form exactly as the pypdf walk does (issue 21), or gives way.

Real PDFs made by other tools (reportlab forms with other generators' on-states, radios and combo boxes,
LibreOffice's export of a Writer form (non-ASCII answers among them), fpdf2, docgen's own forms filled by pypdf; the
forms flattened by qpdf, Ghostscript and pdftocairo) must read alike with both and be read by pikepdf; the
cases where qpdf reads a file otherwise than pypdf (handmade below) must leave the form to pypdf.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from docgen.config import Limits
from docgen.read import acroform, pdfpage
from docgen.read.pdf import read_pdf
from docgen.samples.builder import write_submission
from tests.corpus import writers
from tests.corpus.data import Q
from tests.forms import _external_docs as external

LIMITS = Limits()


def _pypdf(path: Path) -> tuple[list[Any], acroform.Words]:
    reader = PdfReader(str(path))
    pdfpage.plain_pages(reader, LIMITS.max_pdf_pages)
    fields = acroform.pypdf_fields(reader, path)
    return fields, acroform.pypdf_widget_words(reader, LIMITS) if fields else {}


def _pike(path: Path) -> tuple[list[Any], acroform.Words] | None:
    reader = PdfReader(str(path))
    pdfpage.plain_pages(reader, LIMITS.max_pdf_pages)  # as `read_pdf` does before the walk
    return acroform.pike_form(path, reader, LIMITS)


def _same(a: tuple[list[Any], acroform.Words], b: tuple[list[Any], acroform.Words]) -> bool:
    """The same fields, and the same words on every page (a page with none counts as no entry: the reader
    asks `widgets.get(page, [])`)."""
    return a[0] == b[0] and {k: v for k, v in a[1].items() if v} == {k: v for k, v in b[1].items() if v}


_LO_FORM = """<html><body><h2>Medical Needs Service Referral Form</h2><form>
<p>Legal forename(s) <input type="text" name="pupil_forename" value="Zoë (Jo)"></p>
<p>Surname <input type="text" name="pupil_surname" value="O'Brien \\ Smith"></p>
<p>Looked after <input type="checkbox" name="pupil_looked_after" checked></p>
<p>Safe space <input type="checkbox" name="chk_safe_space"></p>
<p>Year group <select name="pupil_year_group"><option>Year 9</option><option selected>Year 10</option></select></p>
<p>Sex <input type="radio" name="sex" value="F" checked> F <input type="radio" name="sex" value="M"> M</p>
</form></body></html>"""


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """PDFs from other tools (name → path); those with fields are named `form:…`."""
    out = tmp_path_factory.mktemp("acroforms")
    pdfs: dict[str, Path] = {}
    rng = random.Random(21)
    for kind in ("referral", "jmp_health"):
        for on_state in ("Yes", "1", "Ja", "On"):
            path = out / f"{kind}-acro-{on_state}.pdf"
            external.acroform_pdf(path, kind, external.items_for(kind, rng, boxes=False), rng, on_state=on_state)
            pdfs[f"form:reportlab {path.stem}"] = path
    questions = [Q("pupil_forename", "Legal forename(s)", "Aoife", None, "text"),
                 Q("pupil_surname", "Surname", "Ní Bhriain", None, "text"),
                 Q("pupil_looked_after", "Is the pupil looked after?", True, None, "bool")]
    corpus_form = out / "corpus-acro.pdf"
    writers.acroform_pdf(corpus_form, "Medical Needs Service Referral Form", questions, [])
    pdfs["form:reportlab corpus"] = corpus_form
    for tool in ("gs", "qpdf", "cairo"):
        flat = out / f"corpus-flat-{tool}.pdf"
        writers.flatten(corpus_form, flat, tool)
        pdfs[f"flattened by {tool}"] = flat
    for name, path in sorted(pdfs.items()):
        if name.startswith("form:reportlab referral"):
            again = out / f"{path.stem}-qpdf.pdf"  # rewritten by qpdf, fields kept
            subprocess.run(["qpdf", str(path), str(again)], check=True, capture_output=True, timeout=60)
            pdfs[f"form:qpdf rewrite {path.stem}"] = again
    html = out / "lo-form.html"
    html.write_text(_LO_FORM, encoding="utf-8")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office, "LibreOffice is needed to export a Writer form as another council would"
    subprocess.run([office, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless",
                    "--infilter=HTML (StarWriter)", "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out),
                    str(html)], check=True, capture_output=True, timeout=240)
    pdfs["form:libreoffice writer form"] = out / "lo-form.pdf"
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    doc.set_font("Helvetica", size=11)
    doc.multi_cell(0, 8, "Referral (copy) - pupil: Zoë O'Brien \\ back-slash, 100% (sic)")
    doc.output(str(out / "fpdf2.pdf"))
    pdfs["fpdf2 text"] = out / "fpdf2.pdf"
    for seed in range(1, 5):  # docgen's own forms, filled by pypdf
        folder = out / f"submission-{seed}"
        write_submission(folder, "accepted", seed=seed, today=dt.date(2026, 3, 2), fmt="pdf")
        for path in sorted(folder.glob("*.pdf")):
            pdfs[f"docgen {seed} {path.stem}"] = path
    return pdfs


def test_forms_from_other_tools_read_alike_and_by_pikepdf(made: dict[str, Path]) -> None:
    differ = [name for name, path in made.items() if (got := _pike(path)) is not None and not _same(got, _pypdf(path))]
    assert differ == []
    with_fields = {name for name, path in made.items() if _pypdf(path)[0]}
    assert {name for name in made if name.startswith("form:")} <= with_fields
    assert len({name for name in with_fields if name.startswith("docgen")}) >= 4
    given_way = {name for name, path in made.items() if _pike(path) is None}
    assert not given_way & with_fields  # every form is read by pikepdf
    # the rest have no AcroForm (pypdf's walk reads the catalogue only): fpdf2, gs, docgen's letters
    assert "fpdf2 text" in given_way and "flattened by gs" in given_way
    assert all(_pypdf(made[name]) == ([], {}) for name in given_way)
    values = [f.value for path in made.values() for f in _pypdf(path)[0] if isinstance(f.value, str)]
    assert {"Zoë (Jo)", "Ní Bhriain", "O'Brien \\ Smith"} <= set(values)


def test_a_form_in_object_streams_is_left_to_pypdf(made: dict[str, Path], tmp_path: Path) -> None:
    source = made["form:reportlab referral-acro-Ja"]
    packed = tmp_path / "packed.pdf"
    subprocess.run(["qpdf", "--object-streams=generate", str(source), str(packed)], check=True, timeout=60)
    assert b"/ObjStm" in packed.read_bytes()
    assert _pike(packed) is None
    assert read_pdf(packed, LIMITS).fields == read_pdf(source, LIMITS).fields != []


def _handmade(path: Path, field: bytes) -> Path:
    """A one-page PDF whose AcroForm is one field that is its own widget, with `field` in its dictionary."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Annots [4 0 R] >>",
               b"<< /Type /Annot /Subtype /Widget /Rect [100 700 300 720] /P 3 0 R " + field + b" >>"]
    return writers.raw_pdf(path, objects, version=b"1.7")


@pytest.mark.parametrize(("field", "pike_reads"), [
    (b"/FT /Tx /T (name) /V (Elodie)", True),
    (b"/FT /Tx /T (name) /V (Ren\\351e) /TU (Pupil\\222s name)", True),  # octal codes, PDFDocEncoding
    (b"/FT /Tx /T (name) /V <FEFF005A006F00EB>", True),  # UTF-16
    (b"/FT /Tx /T (name) /V 99 0 R", True),  # a reference to nothing: no answer for both
    (b"/FT /Btn /T (box) /V /Ja /AS /Ja", True),
    (b"/FT /Tx /T (name) /V (a) /V (b)", False),  # pypdf keeps the first, qpdf the last
    (b"/FT /Tx /T (name) /V (C:\\Users)", False),  # pypdf keeps the backslash of an unknown escape
    (b"/FT /Tx /T (name) /V (a\\777b)", False),  # an octal code past 255
    (b"/FT /Tx /T (name) /V (two\r\nlines)", False),  # pypdf keeps CR LF, qpdf makes it LF
    (b"/FT /Btn /T (box) /V /On#20it /AS /On#20it", False),  # a name with # codes
    (b"/FT /Tx /T (name) /V null", False),  # qpdf takes the key as missing, pypdf as present
    (b"/FT /Tx /T 5 /V (x)", False),  # a name that is no string
    (b"/FT /Ch /T (year) /V [(Year 9) 5 0 R] /Opt [(Year 9) (Year 10)]", False),  # a reference pypdf keeps
])
def test_where_qpdf_could_read_otherwise_pypdf_reads_the_form(tmp_path: Path, field: bytes, pike_reads: bool) -> None:
    path = _handmade(tmp_path / "form.pdf", field)
    got = _pike(path)
    assert (got is not None) is pike_reads
    if got is not None:
        assert _same(got, _pypdf(path))
    assert read_pdf(path, LIMITS).fields == _pypdf(path)[0]
