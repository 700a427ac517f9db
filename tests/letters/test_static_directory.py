"""A letter's zip is the template's static zip plus its rendered parts; the static zip's directory is read once,
at load, not again for every letter (issue 21)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import Any

import pytest

from docgen.config import Settings
from docgen.letters.context import DocumentName
from docgen.letters.render import CompiledTemplate, clean_value
from docgen.samples.letters import sample_context


def _appended(template: CompiledTemplate, context: Mapping[str, Any]) -> bytes:
    """The letter as it was made before: the static zip opened in append mode, its directory read again."""
    context = clean_value(context)
    rendered = {name: template._render_part(part, context)  # noqa: SLF001
                for name, part in template._parts.items()}  # noqa: SLF001
    rendered.update({member: bytes(context[key]) for key, member in template._images.items()})  # noqa: SLF001
    buffer = io.BytesIO(template._base)  # noqa: SLF001
    buffer.seek(0, io.SEEK_END)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info, _data in template._members:  # noqa: SLF001
            if info.filename in rendered:
                stable = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                stable.compress_type = zipfile.ZIP_DEFLATED
                stable.external_attr = 0o600 << 16
                out.writestr(stable, rendered[info.filename])
    return buffer.getvalue()


@pytest.mark.parametrize("document", list(DocumentName))
def test_every_letter_is_byte_for_byte_what_append_mode_made(settings: Settings, document: DocumentName) -> None:
    template = CompiledTemplate.load(settings.templates_dir / f"{document.value}.docx")
    for _ in range(2):  # the second letter too: the directory read at load is never changed by a letter
        context = sample_context(document)
        data = template.render(context)
        assert data == _appended(template, context)
        template.verify(data, "letter.docx")


def test_the_static_directory_is_read_at_load_not_per_letter(settings: Settings,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    template = CompiledTemplate.load(settings.templates_dir / f"{DocumentName.PLANNING_RECORD.value}.docx")
    context = sample_context(DocumentName.PLANNING_RECORD)
    reads: list[object] = []
    real = zipfile.ZipFile._RealGetContents  # type: ignore[attr-defined]

    def counted(self: zipfile.ZipFile) -> None:
        reads.append(self)
        real(self)

    monkeypatch.setattr(zipfile.ZipFile, "_RealGetContents", counted)
    letters = [template.render(context) for _ in range(3)]
    assert reads == []
    for data in letters:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            assert zf.testzip() is None
            assert "word/document.xml" in zf.namelist()
