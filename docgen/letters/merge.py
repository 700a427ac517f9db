"""Mail-merge: one letter template over the rows of a CSV or XLSX file (SPEC §8 "Mail-merge").

The template is compiled once (`CompiledTemplate`) and rendered per row. A column supplies the
template variable of the same name (case-insensitive; `pupil.name` fills `{{ pupil.name }}`).
Letterhead values (`date`, `service.*`, `signatory.*`, `evaluation_link`) come from the `base`
context unless the data has columns for them.

A row with a blank value for any variable the template uses is never rendered: it is reported
by its spreadsheet row number (the header is row 1) and the columns that are blank, and skipped.
A variable no column (and no base value) supplies at all stops the merge before anything is written.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from docgen import tables
from docgen.errors import RenderError
from docgen.files import write_atomic
from docgen.letters.render import CompiledTemplate, resolve

Progress = Callable[[int], None]

_UNSAFE_NAME = re.compile(r"[^\w\- ]+")
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number (header = 1), its values by column, and how to name it."""

    number: int
    values: Mapping[str, str]
    label: str = ""  # e.g. "case MN-2026-0001" for rows taken from the case register

    @property
    def where(self) -> str:
        return self.label or f"row {self.number}"


@dataclass(frozen=True)
class SkippedRow:
    """A row not merged because the named columns are blank."""

    number: int
    missing: tuple[str, ...]
    label: str = ""

    def describe(self) -> str:
        return f"{self.label or f'row {self.number}'}: no value for {', '.join(self.missing)}"


@dataclass
class MergeResult:
    """What a merge wrote and what it skipped."""

    rows: int = 0
    letters: list[Path] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    combined: Path | None = None
    pdf: Path | None = None


# --- reading the data -------------------------------------------------------------------------------


def read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """Read the header and the non-empty rows of a CSV (UTF-8, any common delimiter) or XLSX (first sheet)."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise RenderError(f"the merge data {path.name} cannot be read ({exc.strerror})") from exc
    table = _xlsx_table(path) if magic == b"PK\x03\x04" else _csv_table(path)
    iterator = iter(enumerate(table, start=1))
    header: list[str] = []
    for _number, cells in iterator:
        if any(c.strip() for c in cells):
            header = [c.strip() for c in cells]
            break
    if not header:
        raise RenderError(f"the merge data {path.name} is empty: it needs a header row and one row per letter")
    seen: set[str] = set()
    for name in header:
        if name and name.lower() in seen:
            raise RenderError(f"the merge data {path.name} has the column {name!r} twice; rename one")
        seen.add(name.lower())
    rows: list[Row] = []
    for number, cells in iterator:
        if not any(c.strip() for c in cells):
            continue
        values = {name: cells[i].strip() if i < len(cells) else "" for i, name in enumerate(header) if name}
        rows.append(Row(number, values))
    return header, rows


def _csv_table(path: Path) -> Iterator[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RenderError(f"the merge data {path.name} is not UTF-8 text; save it as "
                          '"CSV UTF-8" or as an Excel workbook') from exc
    try:
        return iter(tables.csv_rows(text))
    except tables.TableError as exc:
        raise RenderError(f"the merge data {path.name} is not a readable CSV file: {exc}") from exc


def _xlsx_table(path: Path) -> Iterator[list[str]]:
    try:  # a cell as letter text: dates dd/mm/yyyy, whole numbers without ".0", booleans Yes/No
        sheets = tables.xlsx_tables(path, style="letter", first_only=True)
    except tables.TableError as exc:
        raise RenderError(f"the merge data {path.name} is not a readable Excel workbook: {exc}") from exc
    return iter([["" if c is None else c for c in row] for row in (sheets[0] if sheets else [])])


# --- contexts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Which column fills which template variable, checked once before any row is rendered."""

    columns: dict[str, str]  # template variable -> column header
    required: tuple[str, ...]  # variables every row must supply (not given by the base context)


def _plan(template: CompiledTemplate, header: Sequence[str], base: Mapping[str, Any], source: str) -> _Plan:
    by_lower = {h.lower(): h for h in header if h}
    variables = sorted(template.variables())
    lists = [v for v in variables if "[]" in v]
    if lists:
        names = sorted({v.split("[]")[0] for v in lists})
        raise RenderError(f"letter template {template.name} repeats over lists ({', '.join(names)}), which one "
                          "row of a spreadsheet cannot supply; merge a template without tables of items")
    columns: dict[str, str] = {}
    unsupplied: list[str] = []
    for var in variables:
        column = by_lower.get(var.lower())
        if column is not None:
            columns[var] = column
        elif not any(h.startswith(var.lower() + ".") for h in by_lower) and not resolve(base, var):
            unsupplied.append(var)
    if unsupplied:
        raise RenderError(f"the merge data {source} has no column for {', '.join(unsupplied)}, which letter "
                          f"template {template.name} uses; add the column(s) and run the merge again")
    required = tuple(v for v in variables if not resolve(base, v))  # a blank cell falls back to the base
    return _Plan(columns, required)


def _context(plan: _Plan, row: Row, base: Mapping[str, Any]) -> dict[str, Any]:
    context = _deep_copy(base)
    for var, column in plan.columns.items():
        value = row.values.get(column, "")
        if value:
            _put(context, var.split("."), value)
    return context


def _deep_copy(value: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _deep_copy(v) if isinstance(v, Mapping) else v for k, v in value.items()}


def _put(context: dict[str, Any], path: list[str], value: str) -> None:
    for step in path[:-1]:
        inner = context.get(step)
        if not isinstance(inner, dict):
            inner = context[step] = {}
        context = inner
    context[path[-1]] = value


def _missing(plan: _Plan, context: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(plan.columns.get(v, v) for v in plan.required if not resolve(context, v))


# --- file names -------------------------------------------------------------------------------------


def file_stem(value: str, taken: set[str]) -> str:
    """A safe, unique file name stem from a cell value (letters, digits, spaces, - and _)."""
    stem = _UNSAFE_NAME.sub("-", value).strip(" .-_")
    stem = re.sub(r"\s+", " ", re.sub(r"[\s\-]*-[\s\-]*", "-", stem))[:80].rstrip(" .-_") or "letter"
    if stem.lower() in _WINDOWS_RESERVED:
        stem = f"{stem}-letter"
    unique, n = stem, 1
    while unique.lower() in taken:
        n += 1
        unique = f"{stem}-{n}"
    taken.add(unique.lower())
    return unique


# --- the merge --------------------------------------------------------------------------------------


def merge(template_path: Path, data: Path, out_dir: Path, *, base: Mapping[str, Any] | None = None,
          name_column: str | None = None, combined: Path | None = None, pdf: bool = False,
          pdf_timeout: float = 300.0, progress: Progress | None = None) -> MergeResult:
    """Render `template_path` once per row of `data` into `out_dir`; optionally one combined DOCX and PDF.

    Rows with blank values are skipped and listed in the result. `progress(n)` is told of each row done.
    The combined PDF is written beside the combined DOCX (or as `out_dir/merged.pdf`).
    """
    header, rows = read_rows(data)
    return merge_rows(template_path, header, rows, out_dir, source=data.name, base=base, name_column=name_column,
                      combined=combined, pdf=pdf, pdf_timeout=pdf_timeout, progress=progress)


def merge_rows(template_path: Path, header: Sequence[str], rows: Sequence[Row], out_dir: Path, *, source: str,
               base: Mapping[str, Any] | None = None, name_column: str | None = None, combined: Path | None = None,
               pdf: bool = False, pdf_timeout: float = 300.0, progress: Progress | None = None) -> MergeResult:
    """`merge` over rows already read (from a file, or from the case register); `source` names them."""
    base = base or {}
    template = CompiledTemplate.load(template_path)
    plan = _plan(template, header, base, source)
    if name_column is not None and name_column.lower() not in {h.lower() for h in header}:
        raise RenderError(f"the merge data {source} has no column {name_column!r} to name the files by; "
                          f"its columns are {', '.join(h for h in header if h)}")
    name_of = next((h for h in header if name_column and h.lower() == name_column.lower()), None)

    result = MergeResult(rows=len(rows))
    taken: set[str] = {"merged"} if pdf and combined is None else set()  # keep merged.pdf's name free
    rendered: list[bytes] = []
    keep = combined is not None or pdf
    out_dir.mkdir(parents=True, exist_ok=True)
    for row in rows:
        context = _context(plan, row, base)
        missing = _missing(plan, context)
        if missing:
            result.skipped.append(SkippedRow(row.number, missing, row.label))
        else:
            document = template.render(context)
            label = row.values.get(name_of, "") if name_of else ""
            stem = file_stem(label, taken) if label else file_stem(f"row-{row.number:04d}", taken)
            target = out_dir / f"{stem}.docx"
            _write_letter(target, document)
            result.letters.append(target)
            if keep:
                rendered.append(document)
        if progress is not None:
            progress(1)

    if keep and rendered:
        docx_target = combined or out_dir / "merged.docx"
        if combined is None:
            with tempfile.TemporaryDirectory(prefix="docgen-merge-") as tmp:
                docx_target = Path(tmp) / "merged.docx"
                write_atomic(docx_target, combine(rendered))
                result.pdf = convert_to_pdf(docx_target, out_dir / "merged.pdf", timeout=pdf_timeout)
        else:
            write_atomic(docx_target, combine(rendered))
            result.combined = docx_target
            if pdf:
                result.pdf = convert_to_pdf(docx_target, docx_target.with_suffix(".pdf"), timeout=pdf_timeout)
    return result


def _write_letter(path: Path, data: bytes) -> None:
    """Write one merged letter atomically, owner-only, without waiting for the disk.

    Unlike `write_atomic` there is no fsync per file: a merge can be run again, and syncing each of
    a thousand letters would cost the officer more time than rendering them.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def combine(documents: Sequence[bytes]) -> bytes:
    """One .docx of the letters in order, each starting on a new page, keeping the first letter's headers/footers.

    Letters of one template with plain bodies are joined directly (fast); anything with numbered
    lists, pictures, bookmarks, notes or several sections goes through docxcompose, which renumbers
    and maps those. Either way a paragraph holding a page break separates the letters.
    """
    if len(documents) > 1 and _plain_family(documents):
        return _join_bodies(documents)
    return _compose(documents)


def _compose(documents: Sequence[bytes]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docxcompose.composer import Composer

    master = Document(io.BytesIO(documents[0]))
    composer = Composer(master)
    for data in documents[1:]:
        master.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        composer.append(Document(io.BytesIO(data)))
    buffer = io.BytesIO()
    composer.save(buffer)
    return buffer.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_NEEDS_COMPOSER = (b"<wp:docPr", b"<w:bookmarkStart", b"<w:footnoteReference", b"<w:endnoteReference",
                   b"<w:commentReference", b"<w:altChunk", b"<w:subDoc")
_PAGE_BREAK = f'<w:p xmlns:w="{_W}"><w:r><w:br w:type="page"/></w:r></w:p>'.encode()


def _plain_family(documents: Sequence[bytes]) -> bool:
    """Whether the letters share every part but their text, and their bodies can be joined as they are.

    Numbered lists are not plain (each letter's numbering must restart); bulleted lists are.
    """
    first: dict[str, int] | None = None
    numbered: tuple[set[bytes], set[bytes]] = (set(), set())
    for data in documents:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            others = {i.filename: i.CRC for i in zf.infolist() if not _TEXT_PART.match(i.filename)}
            body = zf.read("word/document.xml")
            if first is None:
                numbered = _numbering(_member(zf, "word/styles.xml"), _member(zf, "word/numbering.xml"))
        if first is None:
            first = others
        elif others != first:
            return False
        if any(marker in body for marker in _NEEDS_COMPOSER) or body.count(b"<w:sectPr") > 1:
            return False
        styles, num_ids = numbered
        if set(re.findall(rb'<w:pStyle w:val="([^"]+)"', body)) & styles:
            return False
        if set(re.findall(rb'<w:numId w:val="([^"]+)"', body)) & num_ids:
            return False
    return True


def _member(zf: zipfile.ZipFile, name: str) -> bytes:
    try:
        return zf.read(name)
    except KeyError:
        return b""


def _numbering(styles_xml: bytes, numbering_xml: bytes) -> tuple[set[bytes], set[bytes]]:
    """Paragraph styles and list ids that number paragraphs (1, 2, 3 …), as opposed to bullets."""
    w = f"{{{_W}}}"
    counting: set[str] = set()
    if numbering_xml:
        root = etree.fromstring(numbering_xml)
        abstract_counts = {
            a.get(f"{w}abstractNumId"): any(f.get(f"{w}val") not in ("bullet", "none")
                                            for f in a.iter(f"{w}numFmt"))
            for a in root.iter(f"{w}abstractNum")
        }
        for num in root.iter(f"{w}num"):
            ref = num.find(f"{w}abstractNumId")
            if ref is not None and abstract_counts.get(ref.get(f"{w}val"), True):
                counting.add(num.get(f"{w}numId") or "")
    based: dict[str, str] = {}
    style_num: dict[str, str] = {}
    if styles_xml:
        for style in etree.fromstring(styles_xml).iter(f"{w}style"):
            ident = style.get(f"{w}styleId") or ""
            parent = style.find(f"{w}basedOn")
            if parent is not None:
                based[ident] = parent.get(f"{w}val") or ""
            num_id = style.find(f"{w}pPr/{w}numPr/{w}numId")
            if num_id is not None:
                style_num[ident] = num_id.get(f"{w}val") or ""

    def counts(ident: str, depth: int = 0) -> bool:
        if ident in style_num:
            return style_num[ident] in counting
        return depth < 20 and ident in based and counts(based[ident], depth + 1)

    styles = {ident.encode() for ident in {*based, *style_num} if counts(ident)}
    return styles, {n.encode() for n in counting}


def _join_bodies(documents: Sequence[bytes]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(documents[0])) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    root = etree.fromstring(dict((i.filename, d) for i, d in members)["word/document.xml"])
    body = root.find(f"{{{_W}}}body")
    if body is None:
        raise RenderError("a merged letter has no document body; check the template opens in Word")
    sect = body[-1] if len(body) and body[-1].tag == f"{{{_W}}}sectPr" else None
    for data in documents[1:]:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            other = etree.fromstring(zf.read("word/document.xml")).find(f"{{{_W}}}body")
        if other is None:
            raise RenderError("a merged letter has no document body; check the template opens in Word")
        children = [etree.fromstring(_PAGE_BREAK), *(c for c in other if c.tag != f"{{{_W}}}sectPr")]
        for child in children:
            if sect is not None:
                sect.addprevious(child)
            else:
                body.append(child)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            out.writestr(info, document if info.filename == "word/document.xml" else data)
    return buffer.getvalue()


def convert_to_pdf(docx: Path, target: Path, *, timeout: float) -> Path:
    """Convert one .docx to PDF with LibreOffice (`docgen.letters.pdf`: private profile, timeout, retries)."""
    from docgen.letters.pdf import convert_batch

    [produced] = convert_batch([docx], mode="on", timeout=timeout).pdfs
    if produced != target:
        write_atomic(target, produced.read_bytes())
        produced.unlink()
    return target
