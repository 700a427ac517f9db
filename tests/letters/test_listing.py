"""A value's tabs and line breaks: docxtpl's `resolve_listing` run only on the paragraphs that hold them (issue 21)."""

from __future__ import annotations

import pytest
from docxtpl import DocxTemplate

from docgen.config import Settings
from docgen.letters.context import DocumentName
from docgen.letters.render import CompiledTemplate, clean_value, resolve_listing
from docgen.samples.letters import SAMPLE_FIELDS, sample_context

MULTI_LINE = {**SAMPLE_FIELDS, "pupil_address": "Flat 1\n2 Mill Road\tRear", "school_name": "Riverside\nAcademy",
              "referrer_name": "Ms\tBell"}

PARTS = [
    '<w:body><w:p><w:r><w:t>plain</w:t></w:r></w:p><w:p w:rsidR="1"><w:pPr><w:jc w:val="left"/></w:pPr>'
    '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">a\nb\tc</w:t></w:r><w:r><w:tab/><w:t>d</w:t></w:r></w:p>'
    '<w:p><w:r><w:t>x\ay\fz</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell\n2</w:t></w:r></w:p></w:tc>'
    '</w:tr></w:tbl><w:p/><w:p><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>box\nline</w:t></w:r></w:p>'
    '</w:txbxContent></w:pict></w:r><w:r><w:t>after\tbox</w:t></w:r></w:p></w:body>',
    "<w:p><w:r><w:t>no break here</w:t></w:r></w:p>\n",
    '<w:hdr><w:p><w:r><w:t a="\t">attr</w:t></w:r></w:p><w:p><w:r><w:t>tail\n</w:t></w:r></w:p>\t</w:hdr>',
]


@pytest.mark.parametrize("xml", PARTS)
def test_same_as_docxtpl_on_handmade_parts(xml: str) -> None:
    assert resolve_listing(xml) == DocxTemplate.resolve_listing(None, xml)


@pytest.mark.parametrize("document", list(DocumentName))
@pytest.mark.parametrize("fields", [SAMPLE_FIELDS, MULTI_LINE], ids=["sample", "multi-line"])
def test_same_as_docxtpl_on_every_letter_part(settings: Settings, document: DocumentName,
                                              fields: dict[str, object]) -> None:
    template = CompiledTemplate.load(settings.templates_dir / f"{document.value}.docx")
    context = clean_value(sample_context(document, fields=fields))
    resolved = 0
    for part in template._parts.values():  # noqa: SLF001 - the rendered XML before its listing is resolved
        xml = part.template.render(context).replace("\n<w:p", "<w:p")
        assert resolve_listing(xml) == DocxTemplate.resolve_listing(None, xml)
        resolved += resolve_listing(xml) != xml
    if fields is MULTI_LINE and document is DocumentName.PLANNING_RECORD:
        assert resolved  # the address's lines became Word's breaks
