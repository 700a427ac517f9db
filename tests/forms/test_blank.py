"""The blank forms generated from the data dictionary: every key a field, real checkboxes, labels printed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen.cli import group
from docgen.config import PACKAGE_DATA
from docgen.forms import FORMS
from docgen.forms.blank import FIELD_X, W14, enum_options, is_multiline, printed_label, write_blank_forms
from docgen.forms.types import Bool, Enum

KINDS = sorted(FORMS)
RADIO_FLAG = 1 << 15
MULTILINE_FLAG = 1 << 12


@pytest.fixture(scope="module")
def blank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("blank")
    written = write_blank_forms(out)
    assert sorted(p.name for p in written) == sorted(f"{k}.{s}" for k in KINDS for s in ("pdf", "docx"))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _pdf_fields(path: Path) -> dict[str, Any]:
    fields = PdfReader(path).get_fields()
    assert fields is not None
    return dict(fields)


def _sdt_tags(path: Path) -> dict[str, Any]:
    body = Document(str(path)).element.body
    tagged: dict[str, Any] = {}
    for sdt in body.iter(qn("w:sdt")):
        tag = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        if tag is not None:
            tagged[tag.get(qn("w:val"))] = sdt
    return tagged


@pytest.mark.parametrize("kind", KINDS)
def test_every_key_is_a_pdf_field_of_its_type(blank_dir: Path, kind: str) -> None:
    schema = FORMS[kind]
    fields = _pdf_fields(blank_dir / f"{kind}.pdf")
    assert set(fields) == set(schema.keys)
    for f in schema.fields:
        pdf_field = fields[f.key]
        flags = int(pdf_field.get("/Ff", 0))
        if isinstance(f.type, Bool):
            assert pdf_field["/FT"] == "/Btn" and flags & RADIO_FLAG, f.key
            assert {"/Yes", "/No"} <= set(pdf_field["/_States_"]), f.key
            assert pdf_field.get("/V") in (None, "/Off"), f"{f.key} must start unanswered"
        elif enum_options(f):
            assert isinstance(f.type, Enum)
            assert pdf_field["/FT"] == "/Ch", f.key
            assert set(enum_options(f)) <= set(pdf_field["/Opt"]), f.key
            assert not str(pdf_field.get("/V", "")).strip()
        else:
            assert pdf_field["/FT"] == "/Tx", f.key
            assert bool(flags & MULTILINE_FLAG) == is_multiline(f), f.key
            assert pdf_field.get("/V", "") == ""


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_prints_title_intro_and_every_label(blank_dir: Path, kind: str) -> None:
    schema = FORMS[kind]
    with pdfplumber.open(blank_dir / f"{kind}.pdf") as pdf:
        first_line = pdf.pages[0].extract_text().splitlines()[0]
        labels = " ".join(
            _squash(page.crop((0, 0, FIELD_X - 4, page.height)).extract_text()) for page in pdf.pages)
        whole = _squash(" ".join(page.extract_text() for page in pdf.pages))
    assert first_line == schema.title
    assert _squash(schema.intro) in whole
    for f in schema.fields:
        assert printed_label(f) in labels, f.key
    assert "DD/MM/YYYY" in labels


def test_closed_lists_are_choices_and_the_role_is_written() -> None:
    health = FORMS["jmp_health"]
    assert enum_options(health["contact_type"]) == ["Video call", "Telephone", "Face to face"]
    assert enum_options(health["unfit_for_school"]) == ["Part time only", "Yes", "No"]
    assert enum_options(health["professional_role"]) == []


def test_required_fields_are_starred() -> None:
    referral = FORMS["referral"]
    assert printed_label(referral["pupil_dob"]) == "Date of birth * (DD/MM/YYYY)"
    assert printed_label(referral["pupil_upn"]) == "Unique Pupil Number (UPN) * (if on roll)"
    assert printed_label(referral["pupil_gender"]) == "Gender"


@pytest.mark.parametrize("kind", KINDS)
def test_every_key_is_a_tagged_content_control_in_the_docx(blank_dir: Path, kind: str) -> None:
    schema = FORMS[kind]
    path = blank_dir / f"{kind}.docx"
    tagged = _sdt_tags(path)
    assert set(tagged) == set(schema.keys)
    for f in schema.fields:
        sdt = tagged[f.key]
        boxes = list(sdt.iter(f"{{{W14}}}checkbox"))
        if isinstance(f.type, Bool):
            assert len(boxes) == 2, f.key
            assert [c.get(f"{{{W14}}}val") for c in sdt.iter(f"{{{W14}}}checked")] == ["0", "0"]
            assert _squash("".join(t.text or "" for t in sdt.iter(qn("w:t")))) == "☐ Yes ☐ No"
        else:
            assert not boxes, f.key
            assert "".join(t.text or "" for t in sdt.iter(qn("w:t"))) == "", f"{f.key} must start blank"
        items = [i.get(qn("w:displayText")) for i in sdt.iter(qn("w:listItem"))]
        assert items == enum_options(f)


@pytest.mark.parametrize("kind", KINDS)
def test_docx_has_title_heading_and_label_column(blank_dir: Path, kind: str) -> None:
    schema = FORMS[kind]
    document = Document(str(blank_dir / f"{kind}.docx"))
    heading = document.paragraphs[0]
    assert heading.text == schema.title and heading.style is not None and heading.style.name == "Heading 1"
    assert document.paragraphs[1].text == schema.intro
    (table,) = document.tables
    assert [row.cells[0].text for row in table.rows] == [printed_label(f) for f in schema.fields]


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_forms_match_the_schema(kind: str) -> None:
    """`docgen forms --out docgen/data/forms` was run after the last change to the schema."""
    shipped = PACKAGE_DATA / "forms"
    assert set(_pdf_fields(shipped / f"{kind}.pdf")) == set(FORMS[kind].keys)
    assert set(_sdt_tags(shipped / f"{kind}.docx")) == set(FORMS[kind].keys)
    (table,) = Document(str(shipped / f"{kind}.docx")).tables
    assert [row.cells[0].text for row in table.rows] == [printed_label(f) for f in FORMS[kind].fields]


def test_regenerating_the_forms_changes_no_bytes(blank_dir: Path, tmp_path: Path) -> None:
    again = write_blank_forms(tmp_path)
    assert all(p.read_bytes() == (blank_dir / p.name).read_bytes() for p in again)


def test_forms_command_writes_every_form(tmp_path: Path) -> None:
    out = tmp_path / "forms"
    result = CliRunner().invoke(group, ["forms", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}.{s}" for k in KINDS for s in ("pdf", "docx"))
    assert str(out / "referral.pdf") in result.output
