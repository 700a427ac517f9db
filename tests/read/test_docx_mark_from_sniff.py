"""docgen's mark on a Word file is looked up in the core properties the sniff's scan read (issue 21): the zip is
not opened a third time after the sniff and the reader, and the answer is the one opening it gives."""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from docgen import marker
from docgen.config import Limits
from docgen.intake.reading import read_member
from docgen.marker import is_docgen_output, stamp_core_xml
from docgen.read.sniff import docx_core, sniff


def _docx(path: Path, text: str, *, marked: bool = False) -> Path:
    """A Word file; `marked`: its core properties stamped as every letter's are (`marker.stamp_core_xml`)."""
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(path))
    if marked:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")
        _with_core(path, path, [stamp_core_xml(core)])
    return path


def _with_core(source: Path, target: Path, cores: list[bytes]) -> Path:
    """`source` with its docProps/core.xml replaced by `cores` (more than one: the name given again)."""
    with zipfile.ZipFile(source) as zf:
        members = [(i.filename, zf.read(i)) for i in zf.infolist() if i.filename != "docProps/core.xml"]
    target.unlink(missing_ok=True)  # a new file (inode), as a program saving it again writes
    with pytest.warns(UserWarning) if len(cores) > 1 else _nothing(), zipfile.ZipFile(target, "w") as out:
        for name, data in members:
            out.writestr(name, data)
        for data in cores:
            out.writestr("docProps/core.xml", data)
    return target


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_exc: object) -> None:
        return None


def test_the_mark_is_read_from_the_sniffs_scan_not_the_zip_again(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ours = _docx(tmp_path / "letter.docx", "Dear parent", marked=True)
    theirs = _docx(tmp_path / "referral.docx", "Pupil's full name: Ada Quill")
    opened: list[Path] = []
    real = marker._docx_marked

    def counted(path: Path) -> bool:
        opened.append(path)
        return real(path)

    monkeypatch.setattr(marker, "_docx_marked", counted)
    assert read_member(str(ours), Limits()).marked is True
    assert read_member(str(theirs), Limits()).marked is False
    assert opened == []
    assert docx_core(ours) is None  # another file was sniffed since
    core = docx_core(theirs)
    with zipfile.ZipFile(theirs) as zf:
        assert core is not None and core.data == zf.read("docProps/core.xml")
    assert not is_docgen_output(theirs, docx_core=core) and not is_docgen_output(theirs)


@pytest.mark.parametrize(("cores", "marked"), [
    ([b"<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/core-properties'>"
      b"<cp:keywords>a docgen-output</cp:keywords></cp:coreProperties>"], True),
    ([b"<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/core-properties'>"
      b"<cp:keywords>docgen-output</cp:keywords></cp:coreProperties>", b"<x/>"], False),  # the last one counts
    ([b"<x/>", b"<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/"
               b"core-properties'><cp:keywords>docgen-output</cp:keywords></cp:coreProperties>"], True),
    ([b"<cp:coreProperties xmlns:cp='http://schemas.openxmlformats.org/package/2006/metadata/core-properties'>"
      b"<cp:keywords>docgen-output</cp:keywords>" + b"<!-- -->" * 130_000 + b"</cp:coreProperties>"], False),
    ([b"<cp:keywords>docgen-output"], False),  # not XML
    ([], False),  # no core properties
], ids=["marked", "twice-last-unmarked", "twice-last-marked", "too-large", "broken", "none"])
def test_the_same_answer_as_opening_the_zip(tmp_path: Path, cores: list[bytes], marked: bool) -> None:
    path = _with_core(_docx(tmp_path / "base.docx", "Text"), tmp_path / "made.docx", cores)
    assert is_docgen_output(path) is marked
    sniff(path, Limits())
    core = docx_core(path)
    assert core is not None
    assert is_docgen_output(path, docx_core=core) is marked


def test_another_thread_and_a_file_saved_again_get_nothing(tmp_path: Path) -> None:
    path = _docx(tmp_path / "letter.docx", "Dear parent", marked=True)
    sniff(path, Limits())
    seen: list[Any] = []
    thread = threading.Thread(target=lambda: seen.append(docx_core(path)))
    thread.start()
    thread.join()
    assert seen == [None]
    assert docx_core(path) is not None
    _docx(path, "Dear parent, again")  # saved again, without the mark: another file
    assert not is_docgen_output(path)
    assert docx_core(path) is None
    assert not is_docgen_output(path, docx_core=docx_core(path))
