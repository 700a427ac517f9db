"""Strict rendering of docxtpl letter templates (SPEC §8, RELIABILITY 40–45).

A template is read and compiled once (`CompiledTemplate.load`): the body, headers and
footers go through docxtpl's XML preprocessing (`patch_xml`, so `{%tr %}`, `{%p %}` and
tags split across Word runs work as in docxtpl) and are compiled by one sandboxed Jinja
environment with autoescaping and a strict undefined. Rendering is then a Jinja render
per part and a zip write; everything else in the .docx is copied as it is.

Values are data: they are cleaned of XML-illegal control characters (`clean_value`) and
escaped, so `{{ 7*7 }}`, `<`, `&` or `</w:t>` in a value appear literally in the letter.
A picture whose alt text (description) is `image:NAME` is replaced by the PNG bytes of
the context value NAME (used for the timeline chart).

Unlike docxtpl, the output is not post-processed for `{_{`/`}_}`: a value containing them
appears exactly as typed. A template author who needs literal braces writes `{{ '{{' }}`.
Only the body, headers and footers are templates; footnotes and document properties are
copied unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from docx import Document
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen.errors import RenderError
from docgen.marker import stamp_core_xml

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_RENDERED_PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
# XML-illegal controls, plus the bidirectional embedding/override/isolate controls: a stray U+202E in
# a name would otherwise print the rest of the line backwards in the letter.
_ILLEGAL = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
_IMAGE_PREFIX = "image:"
_NS = {
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_EMBED = f"{{{_NS['r']}}}embed"
_LOOP_LOCALS = frozenset({"loop", "range", "namespace", "dict", "lipsum", "cycler", "joiner"})
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # docxtpl's resolve_listing's own pattern
_LISTING = re.compile("[\t\n\a\f]")  # what resolve_listing turns into tabs, breaks, paragraphs and pages
# values returned as they are (no `__html__`, not text or a container): the common ones, known without a test
_PLAIN = frozenset({int, float, bool, type(None), bytes, dt.date, dt.datetime})


def clean_value(value: Any) -> Any:
    """Return `value` with XML-illegal control characters removed, recursively.

    `\\x0b` (Excel's line break) and `\\r\\n`/`\\r` become a line break; `\\x07`, `\\x0c`,
    NUL and the other C0 controls are dropped, and so are the bidirectional override controls.
    Mappings, lists and tuples are cleaned item by item; a `Markup` string (or anything with
    `__html__`) becomes plain text, so it is escaped too; bytes and other values are returned unchanged.
    """
    kind = type(value)
    if kind is str:
        return value if value.isprintable() else _clean_text(value)
    if kind is dict:  # the builders' contexts: dicts of str, dicts and lists, tested first (issue 21)
        return {k: clean_value(v) for k, v in value.items()}
    if kind is list:
        return [clean_value(v) for v in value]
    if kind in _PLAIN:
        return value
    if isinstance(value, str):
        value = str.__str__(value)  # Markup is escaped like any text
        return value if value.isprintable() else _clean_text(value)
    if isinstance(value, Mapping):
        return {k: clean_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(v) for v in value]
    if hasattr(value, "__html__"):
        return clean_value(str(value))  # an object claiming to be safe HTML is still only text here
    return value


def _clean_text(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _ILLEGAL.sub("", value)


def verify_docx(path: Path) -> None:
    """Re-open a written .docx with python-docx; a file Word could not open is a RenderError."""
    try:
        Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a bad package
        raise RenderError(f"{path.name} was written but does not open as a Word document ({exc})") from exc


@dataclass
class _Part:
    name: str
    template: jinja2.Template
    source: str


@dataclass
class CompiledTemplate:
    """A letter template read and compiled once; `render(context)` gives a finished .docx."""

    path: Path
    _members: list[tuple[zipfile.ZipInfo, bytes]]
    _parts: dict[str, _Part]
    _images: dict[str, str] = field(default_factory=dict)  # context name -> zip member
    _variables: set[str] = field(default_factory=set)
    _base: bytes = b""  # a zip of every member that rendering does not change
    _opened: bool = False  # a letter of this template has been opened whole by python-docx
    _static_end: int = 0  # where `_base`'s members end (its central directory starts): every letter's first bytes
    _static_checked: bool = False  # `_base`'s members have had their CRCs checked
    _static_infos: list[zipfile.ZipInfo] = field(default_factory=list)  # `_base`'s directory, read once

    @property
    def name(self) -> str:
        return self.path.name

    @classmethod
    def load(cls, path: Path) -> CompiledTemplate:
        """Read the .docx at `path`, preprocess and compile its body, headers and footers."""
        try:
            with zipfile.ZipFile(path) as zf:
                members = [(info, zf.read(info)) for info in zf.infolist()]
        except (OSError, zipfile.BadZipFile, KeyError) as exc:
            raise RenderError(f"letter template {path.name} cannot be read ({exc})") from exc
        patcher = DocxTemplate(path)
        env = _environment()
        parts: dict[str, _Part] = {}
        variables: set[str] = set()
        for info, data in members:
            if not _RENDERED_PART.match(info.filename):
                continue
            source = _preprocess(patcher, path, info.filename, data)
            try:
                template = env.from_string(source)
                variables |= _variables_of(env.parse(source))
            except jinja2.TemplateSyntaxError as exc:
                raise RenderError(_syntax_message(path, info.filename, source, exc)) from exc
            parts[info.filename] = _Part(info.filename, template, source)
        if "word/document.xml" not in parts:
            raise RenderError(f"letter template {path.name} is not a Word document (no word/document.xml)")
        images = _image_slots(dict((i.filename, d) for i, d in members))
        variables |= set(images)
        compiled = cls(path, members, parts, images, variables)
        compiled._base = compiled._static_zip()
        return compiled

    def variables(self) -> set[str]:
        """Every variable the template uses, as dotted paths (`pupil.name`, `weeks[].start`)."""
        return set(self._variables)

    def render(self, context: Mapping[str, Any]) -> bytes:
        """Render with `context` (cleaned here) and return the .docx bytes; strict throughout."""
        context = clean_value(context)
        rendered: dict[str, bytes] = {}
        for name, part in self._parts.items():
            rendered[name] = self._render_part(part, context)
        for key, member in self._images.items():
            if key not in context:
                raise RenderError(f"letter template {self.name}: the picture '{key}' has no value in the context")
            image = context[key]
            if not isinstance(image, bytes | bytearray) or not bytes(image).startswith(b"\x89PNG"):
                raise RenderError(f"letter template {self.name}: the picture '{key}' must be PNG bytes")
            rendered[member] = bytes(image)
        buffer = io.BytesIO()
        buffer.write(memoryview(self._base)[:self._static_end])
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
            # what mode "a" would read from `_base`'s directory for every letter, given as read once at load
            out.filelist = list(self._static_infos)
            out.NameToInfo = {info.filename: info for info in self._static_infos}
            for info, _data in self._members:
                if info.filename in rendered:
                    out.writestr(_stable_info(info), rendered[info.filename])
        return buffer.getvalue()

    def verify(self, data: bytes, name: str) -> None:
        """Prove a rendered letter opens, before it is written; RenderError when it does not.

        The first letter of this template is opened whole with python-docx (every part and relationship);
        after that each letter's zip is checked (every member's CRC, the package's main parts present),
        because all it changes are the parts `_render_part` has already parsed as XML.
        """
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                damaged = self._first_damaged(zf, data)
                missing = {"[Content_Types].xml", "word/document.xml"} - set(zf.namelist())
            if damaged is not None or missing:
                raise ValueError(f"{damaged} is damaged" if damaged else f"{', '.join(sorted(missing))} missing")
            if not self._opened:
                Document(io.BytesIO(data))
                self._opened = True
        except Exception as exc:  # python-docx raises many kinds for a bad package
            raise RenderError(f"{name} was rendered but does not open as a Word document ({exc})") from exc

    def _first_damaged(self, zf: zipfile.ZipFile, data: bytes) -> str | None:
        """`zf.testzip()`: the first member whose CRC fails. The members a letter shares byte for byte with the
        static zip (the template's unchanging parts, compared here) are checked once, not in every letter."""
        if not self._static_checked:
            with zipfile.ZipFile(io.BytesIO(self._base)) as base:
                if base.testzip() is None:
                    self._static_checked = True
        end = self._static_end
        shared = self._static_checked and end > 0 and memoryview(data)[:end] == memoryview(self._base)[:end]
        for info in zf.infolist():
            if shared and info.header_offset < end:
                continue
            try:
                with zf.open(info) as member:
                    while member.read(1 << 20):
                        pass
            except zipfile.BadZipFile:
                return info.filename
        return None

    def _static_zip(self) -> bytes:
        """Compress the unchanging members once; `render` appends the rendered parts to a copy."""
        changing = set(self._parts) | set(self._images.values())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for info, data in self._members:
                if info.filename == "docProps/core.xml":
                    data = stamp_core_xml(data)  # docgen's mark: a letter saved back into the inbox is known
                if info.filename not in changing:
                    out.writestr(_stable_info(info), data)
            self._static_end = buffer.tell()  # the central directory follows; a letter appends from here
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as written:
            self._static_infos = written.infolist()  # never changed after: every letter's zip lists them
        return buffer.getvalue()

    def _render_part(self, part: _Part, context: Mapping[str, Any]) -> bytes:
        try:
            xml = part.template.render(context)
        except jinja2.UndefinedError as exc:
            raise RenderError(
                f"letter template {self.name} ({_part_label(part.name)}): "
                f"{_undefined_name(exc)} is not supplied; the letter was not produced"
            ) from exc
        except jinja2.TemplateError as exc:
            raise RenderError(f"letter template {self.name} ({_part_label(part.name)}) failed: {exc}") from exc
        except (TypeError, ValueError, AttributeError) as exc:
            raise RenderError(f"letter template {self.name} ({_part_label(part.name)}) failed: {exc}") from exc
        xml = xml.replace("\n<w:p", "<w:p")
        if "\n" in xml or "\t" in xml:
            xml = resolve_listing(xml)
        data = xml.encode("utf-8")
        try:
            etree.fromstring(data)
        except etree.XMLSyntaxError as exc:
            raise RenderError(
                f"letter template {self.name} ({_part_label(part.name)}) produced invalid XML ({exc}); "
                "check the template's tags"
            ) from exc
        return _XML_DECLARATION + data


def resolve_listing(xml: str) -> str:
    """docxtpl's `resolve_listing` (a value's tabs and line breaks made Word's), run only on the paragraphs that
    hold such a character: it gives every other paragraph back unchanged, after regular-expression passes over
    each of its runs that cost more than the rest of the part's render (issue 21)."""

    def paragraph(match: re.Match[str]) -> str:
        text = match.group(0)
        if _LISTING.search(text):
            resolved: str = DocxTemplate.resolve_listing(None, text)
            return resolved
        return text

    return _PARAGRAPH.sub(paragraph, xml)


def _environment() -> jinja2.Environment:
    return SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _preprocess(patcher: DocxTemplate, path: Path, member: str, data: bytes) -> str:
    """Normalise the part's XML and apply docxtpl's tag cleaning; one paragraph per line."""
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"letter template {path.name}: {member} is not valid XML ({exc})") from exc
    xml = etree.tostring(root, encoding="unicode")
    xml = patcher.patch_xml(xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _syntax_message(path: Path, member: str, source: str, exc: jinja2.TemplateSyntaxError) -> str:
    lines = source.splitlines()
    near = ""
    if exc.lineno and 0 < exc.lineno <= len(lines):
        text = re.sub(r"<[^>]+>", "", lines[exc.lineno - 1]).strip()
        near = f' near "{text[:80]}"' if text else ""
    return (
        f"letter template {path.name} ({_part_label(member)}) has invalid template code at line "
        f"{exc.lineno}{near}: {exc.message}; fix it in Word and run `docgen templates check`"
    )


def _part_label(member: str) -> str:
    stem = PurePosixPath(member).stem
    return "body" if stem == "document" else stem


def _undefined_name(exc: jinja2.UndefinedError) -> str:
    message = exc.message or str(exc)
    match = re.match(r"'([^']+)' is undefined", message)
    if match:
        return f"the value '{match.group(1)}'"
    match = re.match(r"'[^']*' has no attribute '([^']+)'", message)
    if match:
        return f"the value '{match.group(1)}'"
    return message


def _stable_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    stable = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
    stable.compress_type = zipfile.ZIP_DEFLATED
    stable.external_attr = 0o600 << 16
    return stable


def _image_slots(members: Mapping[str, bytes]) -> dict[str, str]:
    """Map `image:NAME` pictures of the body to their media member."""
    document = members.get("word/document.xml")
    rels = members.get("word/_rels/document.xml.rels")
    if document is None or rels is None:
        return {}
    targets = {
        rel.get("Id"): rel.get("Target", "")
        for rel in etree.fromstring(rels).iterfind("rel:Relationship", _NS)
    }
    slots: dict[str, str] = {}
    for inline in etree.fromstring(document).iter(f"{{{_NS['wp']}}}inline", f"{{{_NS['wp']}}}anchor"):
        doc_pr = inline.find("wp:docPr", _NS)
        descr = (doc_pr.get("descr") or "") if doc_pr is not None else ""
        if not descr.startswith(_IMAGE_PREFIX):
            continue
        blip = inline.find(".//a:blip", _NS)
        target = targets.get(blip.get(_EMBED)) if blip is not None else None
        if target:
            slots[descr[len(_IMAGE_PREFIX):].strip()] = str(PurePosixPath("word") / target)
    return slots


# --- which variables a template uses -------------------------------------------------------


def _variables_of(ast: nodes.Template) -> set[str]:
    found: set[str] = set()
    _walk(ast, {}, found)
    return found


def _walk(node: nodes.Node, scope: dict[str, str | None], found: set[str]) -> None:
    if isinstance(node, nodes.For):
        _walk(node.iter, scope, found)
        base = _path(node.iter, scope)
        inner = dict(scope)
        for name in _target_names(node.target):
            inner[name] = f"{base}[]" if base and isinstance(node.target, nodes.Name) else None
        inner["loop"] = None
        for child in (*node.body, *node.else_):
            _walk(child, inner, found)
        if node.test is not None:
            _walk(node.test, inner, found)
        return
    if isinstance(node, nodes.Assign | nodes.AssignBlock):
        for child in node.iter_child_nodes(exclude=("target",)):
            _walk(child, scope, found)
        for name in _target_names(node.target):
            scope[name] = None
        return
    if isinstance(node, nodes.Macro | nodes.CallBlock):
        inner = dict(scope)
        for arg in getattr(node, "args", []):
            inner[arg.name] = None
        for child in node.iter_child_nodes():
            _walk(child, inner, found)
        return
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
        # a method call (`x.items()`): only its object is a variable
        _walk(node.node.node, scope, found)
        for child in (*node.args, *node.kwargs):
            _walk(child, scope, found)
        return
    if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
        path = _path(node, scope)
        if path:
            found.add(path)
            return
    for child in node.iter_child_nodes():
        _walk(child, scope, found)


def _path(node: nodes.Node, scope: Mapping[str, str | None]) -> str | None:
    if isinstance(node, nodes.Name):
        if node.name in scope:
            return scope[node.name]
        return None if node.name in _LOOP_LOCALS else node.name
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, scope)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, scope)
        return f"{base}.{node.arg.value}" if base else None
    if isinstance(node, nodes.Filter) and node.node is not None:
        return _path(node.node, scope)
    return None


def _target_names(target: nodes.Node) -> Iterator[str]:
    if isinstance(target, nodes.Name):
        yield target.name
    elif isinstance(target, nodes.Tuple):
        for item in target.items:
            yield from _target_names(item)


def resolve(context: Mapping[str, Any], path: str) -> bool:
    """True when the dotted `path` (as `variables()` gives it) exists in `context`.

    `weeks[].start` means: `weeks` is a non-empty list and every item has `start`.
    """
    values: list[Any] = [context]
    for step in path.split("."):
        is_list = step.endswith("[]")
        key = step[:-2] if is_list else step
        nxt: list[Any] = []
        for value in values:
            if not isinstance(value, Mapping) or key not in value:
                return False
            nxt.append(value[key])
        if is_list:
            expanded: list[Any] = []
            for value in nxt:
                if not isinstance(value, list | tuple) or not value:
                    return False
                expanded.extend(value)
            nxt = expanded
        values = nxt
    return True


def document_text(source: bytes | Path) -> str:
    """The text of a .docx as a person reads it: headers, body paragraphs and table rows, footers.

    Table cells are joined by " | "; for comparing letters by their text, never their bytes.
    """
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    lines: list[str] = []
    for section in document.sections:
        lines += [p.text for p in section.header.paragraphs]
    for element in document.element.body.iterchildren():
        tag = etree.QName(element).localname
        if tag == "p":
            lines.append(Paragraph(element, document).text)
        elif tag == "tbl":
            lines += [" | ".join(c.text for c in row.cells) for row in Table(element, document).rows]
    for section in document.sections:
        lines += [p.text for p in section.footer.paragraphs]
    return "\n".join(lines)
