"""`read_docx` through `docxpackage` (lxml alone) reads every Word file exactly as through python-docx's `Document()`.

The documents come from other tools: the independent corpus (LibreOffice DOCX from HTML tables and from
paragraphs), LibreOffice's own sections with first-page headers and footers, Word-style runs and
placeholders, content controls and legacy form fields, and hand-altered packages (a header reference
to a missing relationship or to the styles part, damaged or missing parts python-docx refuses).
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.read import docx as reader
from docgen.read import docxpackage
from docgen.read.sniff import sniff, well_formed_parts
from tests.forms._make_docs import docx_content_controls, docx_legacy_fields

_FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:automatic-styles><style:page-layout style:name="pm1"/>
<style:style style:name="P2" style:family="paragraph" style:master-page-name="Wide"/></office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p>Legal surname: Quill</text:p></style:header>
<style:header-first><text:p>School: Hollins Primary</text:p></style:header-first>
<style:footer><text:p>Form MN1 (footer)</text:p></style:footer></style:master-page>
<style:master-page style:name="Wide" style:page-layout-name="pm1">
<style:header><text:p>Second section header</text:p></style:header></style:master-page>
</office:master-styles>
<office:body><office:text><text:p>Referral to the Medical Needs Service</text:p>
<text:p>Forename:<text:tab/>Ada</text:p><text:p text:style-name="P2">Date of birth:<text:tab/>04/05/2014</text:p>
</office:text></office:body></office:document>
"""


def _outcome(path: Path, *, lean: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    """What `read_docx` gives (its Content, or its error's code and message), by the lean path or python-docx's."""
    sniff(path, Limits())
    if lean:
        monkeypatch.setattr(reader, "well_formed_parts", well_formed_parts)
    else:
        monkeypatch.setattr(reader, "well_formed_parts", lambda _path: None)
    try:
        return repr(reader.read_docx(path))
    except ExtractionError as exc:
        return (exc.code, str(exc))


def _same(path: Path, monkeypatch: pytest.MonkeyPatch, *, lean_taken: bool = True) -> Any:
    sniff(path, Limits())
    if lean_taken:
        docxpackage.open_parts(path, well_formed_parts(path))  # the lean path reads it: no Unusual
    else:
        with pytest.raises(docxpackage.Unusual):
            docxpackage.open_parts(path, well_formed_parts(path))
    lean = _outcome(path, lean=True, monkeypatch=monkeypatch)
    assert lean == _outcome(path, lean=False, monkeypatch=monkeypatch), path.name
    return lean


def _altered(source: Path, target: Path, replace: dict[str, bytes | None]) -> Path:
    """A copy of the package with members replaced (None: left out)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is not None:
                    zout.writestr(info.filename, data)
            else:
                zout.writestr(info, zin.read(info))
    return target


@pytest.fixture(scope="module")
def sections(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LibreOffice's DOCX of two sections, the first with a first-page header and a footer."""
    out = tmp_path_factory.mktemp("lo-sections")
    (out / "sections.fodt").write_text(_FODT, encoding="utf-8")
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None, "LibreOffice is installed here (see .ci/run)"
    subprocess.run([office, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(out), str(out / "sections.fodt")],
                   check=True, capture_output=True, timeout=120)
    return out / "sections.docx"


def test_the_corpus_reads_the_same(corpus_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted(corpus_folder.glob("*.docx"))
    assert len(paths) >= 20
    for path in paths:
        assert "text=" in _same(path, monkeypatch)


def test_sections_headers_and_footers_read_the_same(sections: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    lean = _same(sections, monkeypatch)
    for words in ("Legal surname: Quill", "School: Hollins Primary", "Form MN1 (footer)", "Second section header"):
        assert words in lean
    with zipfile.ZipFile(sections) as z:
        document = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    styles_id = rels.split('Target="styles.xml"')[0].rsplit('Id="', 1)[1].split('"')[0]
    odd = document.replace('<w:headerReference w:type="first" r:id="rId3"/>',
                           '<w:headerReference w:type="first" r:id="rId99"/>'   # no such relationship
                           f'<w:headerReference w:type="even" r:id="{styles_id}"/>', 1)  # the styles part
    assert odd != document
    _same(_altered(sections, tmp_path / "odd.docx", {"word/document.xml": odd.encode()}), monkeypatch)


def test_word_style_controls_and_legacy_fields_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    controls = docx_content_controls(tmp_path / "controls.docx", "Consent", {"parent_name": "Mo Quill",
                                     "pupil_upn": None}, {"consent_given": True, "photo_consent": False})
    legacy = docx_legacy_fields(tmp_path / "legacy.docx", "Referral", [("Forename", "Ada"), ("Surname", "Quill")],
                                [("Consent", True, False), ("Photos", True, True)],
                                [("Year group", ["Year 5", "Year 6"], 1)])
    assert "Mo Quill" in _same(controls, monkeypatch)
    assert "Year 6" in _same(legacy, monkeypatch)


def test_packages_python_docx_refuses_are_refused_the_same(sections: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    styles = _altered(sections, tmp_path / "styles.docx", {"word/styles.xml": b"<w:styles><w:style></w:styles>"})
    cut = _altered(sections, tmp_path / "cut.docx", {"word/settings.xml": b'<w:settings xmlns:w="urn:x"><w:zoom'})
    missing = _altered(sections, tmp_path / "missing.docx", {"word/footer1.xml": None})
    for path in (styles, cut, missing):
        code, message = _same(path, monkeypatch, lean_taken=False)
        assert code is ReasonCode.DAMAGED and "damaged Word file" in message
    untyped = _altered(sections, tmp_path / "untyped.docx", {"[Content_Types].xml": zipfile.ZipFile(sections).read(
        "[Content_Types].xml").replace(b'PartName="/word/header1.xml"', b'PartName="/word/other.xml"')})
    _same(untyped, monkeypatch)  # typed by the Default for .xml instead: not a header part, skipped by both


def test_an_undeclared_prefix_in_a_part_never_read_is_the_one_difference(sections: Path, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    unbound = _altered(sections, tmp_path / "prefix.docx", {"word/settings.xml": b"<w:settings/>"})
    assert "Legal surname: Quill" in _outcome(unbound, lean=True, monkeypatch=monkeypatch)
    code, _message = _outcome(unbound, lean=False, monkeypatch=monkeypatch)
    assert code is ReasonCode.DAMAGED  # python-docx parses the settings part docgen never reads


def test_a_file_not_sniffed_here_goes_to_python_docx(sections: Path) -> None:
    with pytest.raises(docxpackage.Unusual):
        docxpackage.open_parts(sections, None)
