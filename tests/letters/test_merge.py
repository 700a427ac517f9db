"""Mail-merge (SPEC §8): CSV and XLSX rows into letters, missing values reported, combined DOCX and PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from docgen import db
from docgen.cases import store
from docgen.cases.model import Action, State
from docgen.cases.service import CaseService, Incoming
from docgen.cli import group
from docgen.config import Settings
from docgen.errors import DocgenError, RenderError
from docgen.kinds import Extraction, Kind, Method
from docgen.letters.merge import SkippedRow, combine, file_stem, merge, read_rows
from docgen.letters.render import CompiledTemplate

BASE = {"date": "2 March 2026", "signatory": {"name": "Alex Morgan"}}


def make_template(path: Path, *, body: tuple[str, ...] = ("Dear {{ parent_name }},",
                                                         "Re: {{ pupil.name }} at {{ school_name }}",
                                                         "Provision ends on {{ end_date }}.",
                                                         "Yours sincerely, {{ signatory.name }}")) -> Path:
    """A small letter template with a header and footer, made with python-docx."""
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Medical Needs Service · {{ date }}"
    section.footer.paragraphs[0].text = "Case letter footer"
    for line in body:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


def text_of(path: Path) -> str:
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs)


def write_csv(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding, newline="")
    return path


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return make_template(tmp_path / "letter.docx")


def test_csv_rows_become_letters_and_rows_with_blanks_are_reported(tmp_path: Path, template: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", (
        "parent_name,pupil.name,school_name,end_date\n"
        "Sam Carter,Noah Okonkwo,Riverside Academy,24/04/2026\n"
        "Jo Patel,,Hillview Primary,\n"
        "\n"
        "Kim Lee,Ava Lee,Northgate High,05/06/2026\n"))
    result = merge(template, data, tmp_path / "out", base=BASE)
    assert [p.name for p in result.letters] == ["row-0002.docx", "row-0005.docx"]
    assert result.skipped == [SkippedRow(3, ("end_date", "pupil.name"))]
    assert result.skipped[0].describe() == "row 3: no value for end_date, pupil.name"
    first = text_of(result.letters[0])
    assert "Dear Sam Carter," in first
    assert "Re: Noah Okonkwo at Riverside Academy" in first
    assert "Yours sincerely, Alex Morgan" in first
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["row-0002.docx", "row-0005.docx"]


def test_semicolon_csv_with_bom_and_name_column(tmp_path: Path, template: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", (
        "Parent_Name;pupil.name;school_name;end_date\n"
        "Sam Carter;Zoë O'Brien;Riverside Academy;24/04/2026\n"
        "Jo Patel;Zoë O'Brien;Hillview Primary;24/04/2026\n"
        "Kim Lee;../../secret;Northgate High;24/04/2026\n"), encoding="utf-8-sig")
    result = merge(template, data, tmp_path / "out", base=BASE, name_column="PUPIL.NAME")
    assert [p.name for p in result.letters] == ["Zoë O-Brien.docx", "Zoë O-Brien-2.docx", "secret.docx"]
    assert all(p.parent == tmp_path / "out" for p in result.letters)
    assert "Dear Jo Patel," in text_of(result.letters[1])


def test_xlsx_first_sheet_dates_as_uk_text_and_missing_cells(tmp_path: Path, template: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["parent_name", "pupil.name", "school_name", "end_date"])
    sheet.append(["Sam Carter", "Noah Okonkwo", "Riverside Academy", dt.date(2026, 4, 3)])
    sheet.append(["Jo Patel", None, "Hillview Primary", dt.datetime(2026, 6, 5)])
    sheet.append(["Kim Lee", 12345.0, "Northgate High", "5 June 2026"])
    workbook.create_sheet("Ignored").append(["other"])
    workbook.save(tmp_path / "rows.xlsx")
    result = merge(template, tmp_path / "rows.xlsx", tmp_path / "out", base=BASE)
    assert result.skipped == [SkippedRow(3, ("pupil.name",))]
    assert "Provision ends on 03/04/2026." in text_of(result.letters[0])
    assert "Re: 12345 at Northgate High" in text_of(result.letters[1])


SPECIAL = ["Tom & Jerry", "a < b > c", "{{ 7*7 }}", "</w:t></w:r>", "{% if true %}x{% endif %}"]


def test_values_are_data_special_characters_appear_literally(tmp_path: Path, template: Path) -> None:
    lines = ["parent_name,pupil.name,school_name,end_date"]
    lines += [f'"{value}",Noah,School,"bell\x07 and\x0bbreak"' for value in SPECIAL]
    data = write_csv(tmp_path / "rows.csv", "\n".join(lines) + "\n")
    result = merge(template, data, tmp_path / "out", base=BASE)
    assert len(result.letters) == len(SPECIAL)
    for value, letter in zip(SPECIAL, result.letters, strict=True):
        text = text_of(letter)
        assert f"Dear {value}," in text
        assert "bell and" in text and "\x07" not in text
    assert "49" not in text_of(result.letters[2])


def test_a_column_the_template_needs_is_absent_nothing_is_written(tmp_path: Path, template: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", "parent_name,school_name\nSam,Riverside\n")
    with pytest.raises(RenderError, match=r"no column for end_date, pupil\.name"):
        merge(template, data, tmp_path / "out", base=BASE)
    assert not (tmp_path / "out").exists()


def test_a_template_looping_over_lists_cannot_be_merged(tmp_path: Path) -> None:
    template = make_template(tmp_path / "list.docx", body=("{% for w in weeks %}{{ w.start }}{% endfor %}",))
    data = write_csv(tmp_path / "rows.csv", "weeks\nx\n")
    with pytest.raises(RenderError, match="repeats over lists"):
        merge(template, data, tmp_path / "out")


def test_file_stems_are_safe_and_unique() -> None:
    taken: set[str] = set()
    stems = [file_stem(v, taken) for v in ["Amy Smith", "amy smith", "a/b\\c", "CON", "***", ".."]]
    assert stems == ["Amy Smith", "amy smith-2", "a-b-c", "CON-letter", "letter", "letter-2"]


def test_a_thousand_rows(tmp_path: Path, template: Path) -> None:
    rows = [f"Parent {i},Pupil {i},School {i % 7},0{1 + i % 9}/05/2026" for i in range(1000)]
    data = write_csv(tmp_path / "rows.csv", "parent_name,pupil.name,school_name,end_date\n" + "\n".join(rows))
    done: list[int] = []
    result = merge(template, data, tmp_path / "out", base=BASE, name_column="pupil.name", progress=done.append)
    assert len(result.letters) == 1000 and not result.skipped
    assert sum(done) == 1000
    written = list((tmp_path / "out").glob("*.docx"))
    assert len(written) == 1000
    assert {p.stat().st_mode & 0o777 for p in written} == {0o600}  # personal data: owner only
    assert "Re: Pupil 999 at School 5" in text_of(tmp_path / "out" / "Pupil 999.docx")
    assert "Dear Parent 0," in text_of(tmp_path / "out" / "Pupil 0.docx")


def page_breaks(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return len(re.findall(r'<w:br [^>]*w:type="page"', xml))


def test_combined_docx_has_a_page_break_between_letters_and_keeps_the_header(tmp_path: Path,
                                                                           template: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", "parent_name,pupil.name,school_name,end_date\n" + "\n".join(
        f"Parent {i},Pupil {i},School,24/04/2026" for i in range(4)))
    result = merge(template, data, tmp_path / "out", base=BASE, combined=tmp_path / "all.docx")
    assert result.combined == tmp_path / "all.docx"
    assert page_breaks(result.combined) == 3
    combined = Document(str(result.combined))
    text = "\n".join(p.text for p in combined.paragraphs)
    assert [text.index(f"Dear Parent {i},") for i in range(4)] == sorted(text.index(f"Dear Parent {i},")
                                                                         for i in range(4))
    assert combined.sections[0].header.paragraphs[0].text == "Medical Needs Service · 2 March 2026"
    assert combined.sections[-1].footer.paragraphs[0].text == "Case letter footer"


def test_combine_of_one_letter_has_no_page_break(tmp_path: Path, template: Path) -> None:
    letter = CompiledTemplate.load(template).render(
        {**BASE, "parent_name": "Sam", "pupil": {"name": "Noah"}, "school_name": "S", "end_date": "x"})
    (tmp_path / "one.docx").write_bytes(combine([letter]))
    assert page_breaks(tmp_path / "one.docx") == 0


def test_combined_pdf_has_one_page_per_letter(tmp_path: Path, template: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", "parent_name,pupil.name,school_name,end_date\n" + "\n".join(
        f"Parent {i},Pupil {i},School,24/04/2026" for i in range(3)))
    result = merge(template, data, tmp_path / "out", base=BASE, pdf=True)
    assert result.pdf == tmp_path / "out" / "merged.pdf"
    assert result.combined is None
    info = subprocess.run(["pdfinfo", str(result.pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+3$", info, re.MULTILINE)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "merged.pdf", "row-0002.docx", "row-0003.docx", "row-0004.docx"]


def test_read_rows_numbers_rows_as_a_spreadsheet_does(tmp_path: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", 'a,b\n1,"two\nlines"\n\n3,\n')
    header, rows = read_rows(data)
    assert header == ["a", "b"]
    assert [(r.number, dict(r.values)) for r in rows] == [(2, {"a": "1", "b": "two\nlines"}), (4, {"a": "3", "b": ""})]


def test_merge_command_writes_letters_and_uses_the_letterhead(tmp_path: Path, template: Path,
                                                              home: Path) -> None:
    make_template(template, body=("Dear {{ parent_name }},", "{{ date }} — {{ signatory.title }}"))
    data = write_csv(tmp_path / "rows.csv", "parent_name,name\nSam Carter,Sam\n")
    result = CliRunner().invoke(group, ["--home", str(home), "--today", "2026-03-02", "merge", str(template),
                                        str(data), "--out", str(tmp_path / "out"), "--name-column", "name"])
    assert result.exit_code == 0, result.output
    assert "1 letter(s) written" in result.output
    assert "Dear Sam Carter,\n2 March 2026 — Medical Needs Coordinator" in text_of(tmp_path / "out" / "Sam.docx")


def test_merge_command_lists_skipped_rows_and_exits_1(tmp_path: Path, template: Path, home: Path) -> None:
    data = write_csv(tmp_path / "rows.csv", "parent_name,pupil.name,school_name,end_date\n"
                                            "Sam,Noah,Riverside,24/04/2026\nJo,,Hillview,24/04/2026\n")
    docgen = Path(sys.executable).with_name("docgen")
    done = subprocess.run([str(docgen), "--home", str(home), "merge", str(template), str(data),
                           "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "not merged: row 3: no value for pupil.name" in done.stderr
    assert "1 of 2 row(s) were not merged" in done.stderr
    assert "1 letter(s) written" in done.stdout
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["row-0002.docx"]


def _case_referral(settings: Settings, folder: Path, name: str, fields: dict[str, object]) -> str:
    """Open a case from a referral and mark it accepted, as the intake and checks would."""
    folder.mkdir(parents=True, exist_ok=True)
    body = f"{name}\n{sorted(fields.items())}".encode()
    (folder / name).write_bytes(body)
    extraction = Extraction(file=Path(name), kind=Kind.REFERRAL, method=Method.TEXT, fields=dict(fields), text="")
    item = Incoming(extraction=extraction, source=folder / name, sha256=hashlib.sha256(body).hexdigest(),
                    display_name=name, role="original", parent_sha256=None, bundle=name)
    conn = db.connect(settings.database)
    try:
        service = CaseService(settings, conn, today=dt.date(2026, 3, 2))
        [done] = service.ingest([item], received_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC))
        assert done.case is not None
        with db.transaction(conn):
            store.move(conn, done.case, State.ACCEPTED, action=Action.JUDGE, cause="test", at="2026-03-02")
        return done.case
    finally:
        conn.close()


def test_merge_over_cases_of_the_register(tmp_path: Path, settings: Settings) -> None:
    child = {"pupil_forename": "Noah", "pupil_surname": "Okonkwo", "pupil_dob": "2014-05-12"}
    first = _case_referral(settings, tmp_path / "in", "a.pdf", {**child, "school_name": "Riverside Primary"})
    second = _case_referral(settings, tmp_path / "in", "b.pdf", {
        "pupil_forename": "Ava", "pupil_surname": "Lee", "pupil_dob": "2013-01-09"})
    template = make_template(tmp_path / "cases.docx", body=(
        "Case {{ case_ref }}: {{ pupil.name }}, {{ school.name }}, born {{ pupil_dob }}", "Next: {{ due.what }}"))
    result = CliRunner().invoke(group, ["--home", str(settings.home), "--today", "2026-03-02", "merge",
                                        str(template), "--cases", "accepted", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert isinstance(result.exception, DocgenError)
    assert f"not merged: case {second}: no value for school.name" in result.stderr
    letter = text_of(tmp_path / "out" / f"{first}.docx")
    assert f"Case {first}: Noah Okonkwo, Riverside Primary, born 12 May 2014" in letter
    assert "Next: the initial planning meeting, which the school arranges" in letter
    assert [p.name for p in (tmp_path / "out").iterdir()] == [f"{first}.docx"]


def test_merge_needs_data_or_a_register_selection(tmp_path: Path, template: Path, home: Path) -> None:
    result = CliRunner().invoke(group, ["--home", str(home), "merge", str(template), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "give either DATA" in result.output


def _num_count(docx: bytes | Path) -> int:
    with zipfile.ZipFile(docx if isinstance(docx, Path) else io.BytesIO(docx)) as zf:
        return len(re.findall(rb"<w:num ", zf.read("word/numbering.xml")))


@pytest.mark.parametrize(("style", "restarts"), [("List Bullet", False), ("List Number", True)])
def test_combined_letters_keep_their_lists(tmp_path: Path, style: str, restarts: bool) -> None:
    doc = Document()
    doc.add_paragraph("Dear {{ name }},")
    doc.add_paragraph("first point", style=style)
    doc.add_paragraph("second point", style=style)
    doc.save(str(tmp_path / "list.docx"))
    compiled = CompiledTemplate.load(tmp_path / "list.docx")
    letters = [compiled.render({"name": f"Parent {i}"}) for i in range(3)]
    joined = combine(letters)
    (tmp_path / "all.docx").write_bytes(joined)
    assert page_breaks(tmp_path / "all.docx") == 2
    texts = [p.text for p in Document(str(tmp_path / "all.docx")).paragraphs if p.text]
    assert texts == [t for i in range(3) for t in (f"Dear Parent {i},", "first point", "second point")]
    # numbered lists go through docxcompose, which restarts each letter's numbering with a new list
    assert (_num_count(joined) > _num_count(letters[0])) is restarts


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_read_from_the_header_row(tmp_path: Path, delimiter: str) -> None:
    data = write_csv(tmp_path / "rows.csv", delimiter.join(["name", "school_name"]) + "\n"
                     + delimiter.join(['"Sam, Jr"', '"St Mary\'s; Upper"']) + "\n")
    header, rows = read_rows(data)
    assert header == ["name", "school_name"]
    assert dict(rows[0].values) == {"name": "Sam, Jr", "school_name": "St Mary's; Upper"}
