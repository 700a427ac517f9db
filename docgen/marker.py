"""docgen's mark on what it produces, so a letter saved back into the inbox is known as its own.

Every letter carries the keyword `docgen-output` in its document properties: the DOCX core
properties (`cp:keywords`, stamped into each compiled template, so rendering costs nothing) and,
through LibreOffice's conversion, the PDF's `/Keywords`. The blank forms schools fill in do not carry
it. Intake also knows its outputs by SHA-256 (the `produced` table); the mark covers a copy whose
bytes changed (opened and saved again in Word).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

OUTPUT_KEYWORD = "docgen-output"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
MAX_CORE_BYTES = 1_000_000  # a larger docProps/core.xml is not read: not docgen's


@dataclass(frozen=True)
class CoreXml:
    """A Word file's `docProps/core.xml` as already read from it (the sniff's scan reads every member): its
    bytes, or None when it has no such part or one over MAX_CORE_BYTES."""

    data: bytes | None


def stamp_core_xml(data: bytes) -> bytes:
    """docProps/core.xml with OUTPUT_KEYWORD added to its keywords (unchanged when already there)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.fromstring(data, parser)
    keywords = root.find(f"{{{_CP}}}keywords")
    if keywords is None:
        keywords = etree.SubElement(root, f"{{{_CP}}}keywords")
    words = (keywords.text or "").split()
    if OUTPUT_KEYWORD in words:
        return data
    keywords.text = " ".join([*words, OUTPUT_KEYWORD])
    stamped: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return stamped


def is_docgen_output(path: Path, *, pdf_reader: Any = None, docx_core: CoreXml | None = None) -> bool:
    """True when the file's document properties carry docgen's mark (DOCX core properties, PDF /Keywords).
    `pdf_reader`: a pypdf reader already open on this very file (the sniff's), read instead of parsing it again;
    `docx_core`: this very file's core properties part as the sniff read it, instead of opening the zip again."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    if head.startswith(b"PK"):
        return _docx_marked(path) if docx_core is None else _core_marked(docx_core.data)
    if head.startswith(b"%PDF"):
        return _pdf_marked(path, pdf_reader)
    return False


def _docx_marked(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > MAX_CORE_BYTES:
                return False
            data = archive.read(info)
    except (KeyError, OSError, zipfile.BadZipFile, ValueError):
        return False
    return _core_marked(data)


def _core_marked(data: bytes | None) -> bool:
    if data is None:
        return False
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        keywords = etree.fromstring(data, parser).find(f"{{{_CP}}}keywords")
    except (etree.XMLSyntaxError, ValueError):
        return False
    return keywords is not None and OUTPUT_KEYWORD in (keywords.text or "").split()


def _pdf_marked(path: Path, reader: Any) -> bool:
    try:
        from pypdf import PdfReader

        info = (PdfReader(str(path)) if reader is None else reader).metadata
    except Exception:  # noqa: BLE001 - a damaged PDF is simply not ours; the readers quarantine it
        return False
    keywords = str(info.get("/Keywords", "")) if info else ""
    return OUTPUT_KEYWORD in keywords.replace(",", " ").replace(";", " ").split()
