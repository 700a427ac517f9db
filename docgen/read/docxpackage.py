"""A DOCX's main document and its page headers and footers, found as python-docx finds them, parsed by lxml alone.

`docx.Document()` parses every XML part it knows (styles, numbering, settings, comments, core properties)
into its own element classes; on a backlog that was about 10 ms a Word file, mostly a styles part of
several hundred KB that docgen never reads. Here the package is walked with python-docx's own pieces
(its zip reader, `[Content_Types].xml` map and relationship reader, its rules for resolving a target), so
a package python-docx would refuse for its structure (no main document, a missing part, a part without a
content type, a main part of another type, two main documents) is refused too. Only the parts
`read_docx` reads are parsed, with python-docx's parser settings (blank text removed, entities not
resolved), so their trees are the same. Every other part python-docx would parse must have been read
to its end as well-formed XML by `sniff`'s scan (`sniff.well_formed_parts`), so a styles part cut short or
garbled still makes the file "damaged" as before. One difference remains, by choice: that scan does not
check namespace prefixes (expat's namespace processing would double the cost of sniffing a Word file), so
a part docgen never reads that is well-formed but for an undeclared prefix (hand-made; Word and
LibreOffice declare every prefix) no longer makes the document unreadable.

Anything outside that (a part not scanned or not well-formed, a reference without an id, a main part
that is not `w:document`) raises `Unusual`: the caller reads the file with python-docx, as before, and
gets its result or its error.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx.opc.phys_pkg
import docx.opc.pkgreader
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import PartFactory, XmlPart
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)  # python-docx's oxml_parser settings
# python-docx's own package pieces (private: a version without them sends every file to `docx.Document`)
_ZIP_READER: Any = getattr(docx.opc.phys_pkg, "_ZipPkgReader", None)
_CONTENT_TYPES: Any = getattr(getattr(docx.opc.pkgreader, "_ContentTypeMap", None), "from_xml", None)
_SRELS_FOR: Any = getattr(docx.opc.pkgreader.PackageReader, "_srels_for", None)  # a part's relationships
_KINDS = ("default", "first", "even")  # python-docx's section.header, first_page_header, even_page_header order


class Unusual(Exception):
    """The package is outside what this reader handles: read it with python-docx."""


@dataclass
class Parts:
    """The `w:body` of the main document and each section's own page headers and footers (their root elements)."""

    body: Any
    headers: list[Any]
    footers: list[Any]


def open_parts(path: Path, well_formed: frozenset[str] | None, members: Mapping[str, bytes] | None = None) -> Parts:
    """The parts `read_docx` reads, as `docx.Document(path)` would give them; `Unusual` when unsure.
    `members`: this very file's members as the sniff's scan decompressed them (`sniff.docx_members`), read
    instead of opening the zip again."""
    if well_formed is None:
        raise Unusual("the package was not scanned")
    if _ZIP_READER is None or _CONTENT_TYPES is None or _SRELS_FOR is None:
        raise Unusual("this python-docx lacks the package pieces used here")
    try:
        return _open(path, well_formed, members)
    except Unusual:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, OSError, etree.XMLSyntaxError,
            zipfile.BadZipFile, RecursionError) as exc:
        raise Unusual(type(exc).__name__) from exc


class _Kept:
    """python-docx's zip reader (`_ZipPkgReader`) over members already decompressed and CRC-checked."""

    def __init__(self, members: Mapping[str, bytes]) -> None:
        self._members = members

    def blob_for(self, pack_uri: Any) -> bytes:
        return self._members[pack_uri.membername]  # KeyError when absent, as ZipFile.read's

    @property
    def content_types_xml(self) -> bytes:
        return self.blob_for(CONTENT_TYPES_URI)

    def rels_xml_for(self, source_uri: Any) -> bytes | None:
        try:
            return self.blob_for(source_uri.rels_uri)
        except KeyError:
            return None

    def require(self, membername: str) -> None:
        self._members[membername]  # noqa: B018 - KeyError when absent

    def close(self) -> None:
        return None


def _open(path: Path, well_formed: frozenset[str], members: Mapping[str, bytes] | None) -> Parts:
    reader: Any = _ZIP_READER(str(path)) if members is None else _Kept(members)
    try:
        content_types: Any = _CONTENT_TYPES(reader.content_types_xml)
        package_rels = list(_SRELS_FOR(reader, PACKAGE_URI))
        parts = _walk(reader, package_rels, content_types)
        main = _main_partname(package_rels)
        if parts[main][0] != CT.WML_DOCUMENT_MAIN:
            raise Unusual("the main part is not a Word document")
        for partname, (content_type, reltype, _rels) in parts.items():
            if _parsed_by_python_docx(content_type, reltype) and partname.membername not in well_formed:
                raise Unusual("a part python-docx parses was not read through as well-formed XML")
        document = etree.fromstring(reader.blob_for(main), _PARSER)
        if document.tag != f"{{{W}}}document":
            raise Unusual("the main part's root is not w:document")
        body = document.find(f"{{{W}}}body")
        if body is None:
            raise Unusual("the main part has no body")
        related: dict[str, Any] = {}
        for rel in parts[main][2]:  # later relationships with the same id win, as in python-docx's Relationships
            if not rel.is_external:
                related[rel.rId] = rel.target_partname
        headers: list[Any] = []
        footers: list[Any] = []
        for section in document.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces={"w": W}):
            for tag, into in (("headerReference", headers), ("footerReference", footers)):
                for kind in _KINDS:
                    element = _referenced(reader, section, tag, kind, related, parts)
                    if element is not None:
                        into.append(element)
        return Parts(body, headers, footers)
    finally:
        reader.close()


def _walk(reader: Any, rels: list[Any], content_types: Any) -> dict[Any, tuple[str, str, list[Any]]]:
    """Every part reachable from the package's relationships, in python-docx's order (its
    `PackageReader._walk_phys_parts`): partname -> (content type, relationship type, its relationships).
    A part's bytes are not read here; a missing part is a KeyError as in python-docx."""
    found: dict[Any, tuple[str, str, list[Any]]] = {}
    pending = [iter(rels)]
    while pending:
        rel = next(pending[-1], None)
        if rel is None:
            pending.pop()
            continue
        if rel.is_external:
            continue
        partname = rel.target_partname
        if partname in found:
            continue
        part_rels = list(_SRELS_FOR(reader, partname))
        if isinstance(reader, _Kept):  # KeyError when absent, as python-docx's read
            reader.require(partname.membername)
        else:
            reader._zipf.getinfo(partname.membername)
        found[partname] = (content_types[partname], rel.reltype, part_rels)
        pending.append(iter(part_rels))
    return found


def _main_partname(package_rels: list[Any]) -> Any:
    by_id = {rel.rId: rel for rel in package_rels}  # python-docx keeps the last relationship of each id
    main = [rel for rel in by_id.values() if rel.reltype == RT.OFFICE_DOCUMENT]
    if len(main) != 1 or main[0].is_external:
        raise Unusual("not exactly one main document")
    return main[0].target_partname


def content_types(xml: bytes) -> Any:
    """python-docx's map of `[Content_Types].xml` (`types[PackURI]` -> content type, KeyError when none);
    TypeError when this python-docx lacks it (the caller then scans every part with expat)."""
    return _CONTENT_TYPES(xml)


def parsed_types() -> frozenset[str]:
    """The content types python-docx parses into XML (its `XmlPart` classes)."""
    return frozenset(t for t, cls in PartFactory.part_type_for.items() if issubclass(cls, XmlPart))


def _parsed_by_python_docx(content_type: str, reltype: str) -> bool:
    selector = PartFactory.part_class_selector
    chosen = selector(content_type, reltype) if selector is not None else None
    part_class = chosen or PartFactory.part_type_for.get(content_type, PartFactory.default_part_type)
    return issubclass(part_class, XmlPart)


def _referenced(reader: Any, section: Any, tag: str, kind: str, related: dict[str, Any],
                parts: dict[Any, tuple[str, str, list[Any]]]) -> Any:
    """The root element of the section's own header/footer of `kind`, or None where python-docx's reading
    (`read_docx._page_parts`) skips it: linked to the previous section, or its part missing or not XML."""
    found = section.findall(f"{{{W}}}{tag}")
    references = [r for r in found if r.get(f"{{{W}}}type") == kind]
    if not references:
        return None
    rid = references[0].get(R_ID)
    if rid is None:
        raise Unusual("a header or footer reference has no id")  # python-docx raises its own error
    partname = related.get(rid)
    if partname is None:
        return None
    content_type, reltype, _rels = parts[partname]
    if not _parsed_by_python_docx(content_type, reltype):
        return None  # python-docx's part has no element: AttributeError, skipped
    return etree.fromstring(reader.blob_for(partname), _PARSER)
