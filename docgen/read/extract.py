"""Read one document: sniff → read → classify → fields (SPEC §2, §3, `docgen extract`).

`extract(path)` returns an `Extraction` or raises `ExtractionError` (with the SPEC §9 code)
when the file cannot be read at all. Form kinds carry every key of their schema (null when
absent); attendance records come from `docgen.attendance`; letters and fit notes from
`docgen.read.letter`; other kinds carry the pupil's identity when it is labelled.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from docgen import tables
from docgen.attendance import SUMMARY_KEYS, from_tables, read_attendance, scanned_reason, titled_record
from docgen.attendance.figures import CONFLICT_NOTE, DOUBTFUL
from docgen.config import Limits
from docgen.errors import ExtractionError, ReasonCode
from docgen.forms import FORMS, common
from docgen.forms.schema import Field, FormSchema, normalise_label
from docgen.forms.types import Text
from docgen.kinds import (
    FORM_KINDS,
    NO_TEXT,
    NO_TEXT_LAYER,
    SETTLED_KINDS,
    UNREADABLE_ATTENDANCE,
    Extraction,
    Kind,
    Method,
    Reading,
)
from docgen.read.classify import Classification, classify
from docgen.read.docx import read_docx
from docgen.read.labels import RawField, assign, convert, matcher_for
from docgen.read.letter import is_fit_note, letter_fields
from docgen.read.pages import text_pages
from docgen.read.pdf import read_pdf
from docgen.read.sections import sectioned
from docgen.read.sniff import FileType, sniff
from docgen.read.text import Content, Seg, join_continued, pairs_from_lines, pairs_from_table
from docgen.read.unread import low_confidence_warnings, unread_warnings

IDENTITY = FormSchema(
    "identity",
    title="Pupil identity",
    fields=(
        common.PUPIL_FORENAME,
        common.PUPIL_SURNAME,
        Field("pupil_name", "Pupil name", Text(),
              aliases=("Name", "Child's name", "Name of child", "Child name", "Young person's name",
                       "Name of young person", "Student name", "Full name", "Pupil's name", "Name of pupil")),
        common.PUPIL_DOB,
        common.PUPIL_UPN,
        common.SCHOOL_NAME,
        Field("case_reference", "Medical Needs case reference", Text(),
              aliases=("Case reference", "Case ref", "Medical Needs reference")),
    ),
)


_NAMED = {".pdf": FileType.PDF, ".docx": FileType.DOCX, ".xlsx": FileType.XLSX, ".csv": FileType.CSV}
_WHAT = {FileType.PDF: "a PDF", FileType.DOCX: "a Word document (.docx)", FileType.XLSX: "an Excel workbook (.xlsx)",
         FileType.CSV: "a CSV file", FileType.TXT: "a text file", FileType.IMAGE: "an image"}


FILE_TYPE_NOTE = "file type: "
"""How `name_mismatch`'s note starts: the check report lists these notes beside the document."""


def name_mismatch(path: Path, file_type: FileType) -> str | None:
    """A note when a document's name says one type and its content is another (read by content, SPEC §2)."""
    named = _NAMED.get(path.suffix.lower())
    if named is None or named is file_type or {named, file_type} <= {FileType.CSV, FileType.TXT}:
        return None
    return (f"{FILE_TYPE_NOTE}the file is named {path.suffix.lower()} but is {_WHAT.get(file_type, file_type.value)};"
            " it was read by its content")


def extract(path: Path, limits: Limits | None = None, *, scans: list[Any] | None = None,
            min_confidence: int = 80) -> Extraction:
    """Classify one document and read its fields; ExtractionError when it cannot be read.

    A file is read by its content, whatever its name says; a mismatch is noted in the warnings. A scan's
    OCR (`docgen.read.scanned.Scan`) is appended to `scans` when given (for its searchable PDF/A). A required
    answer OCR read under `min_confidence` (`[ocr] min_confidence`) is named in the warnings too.
    """
    limits = limits or Limits()
    result = _extract(path, limits, scans)
    notes = []
    if result.kind in FORM_KINDS and result.confidence:
        notes = low_confidence_warnings(FORMS[result.kind.value], result.fields, result.confidence, min_confidence)
    note = name_mismatch(path, sniff(path, limits))
    if note is not None:
        notes.append(note)
    if not notes:
        return result
    return dataclasses.replace(result, warnings=[*result.warnings, *notes])


def _extract(path: Path, limits: Limits, scans: list[Any] | None = None) -> Extraction:
    file_type = sniff(path, limits)
    if file_type in (FileType.CSV, FileType.XLSX):
        try:
            return read_attendance(path)
        except ExtractionError as exc:
            if exc.code not in (ReasonCode.UNSUPPORTED, ReasonCode.DAMAGED):
                raise
            form = _spreadsheet_form(path, file_type)  # an online form's export: questions and answers
            if form is None:
                raise
            return form
    if file_type in (FileType.EML, FileType.MSG, FileType.ZIP):
        what = {FileType.EML: "an email", FileType.MSG: "an Outlook email", FileType.ZIP: "a zip archive"}[file_type]
        raise ExtractionError(ReasonCode.UNSUPPORTED,
                              f"{path.name} is {what}, a bundle of documents: drop it in the inbox or use "
                              "`docgen check` to read each document in it")
    if file_type is FileType.IMAGE:
        return read_scanned(path, limits, scans=scans)
    if file_type is FileType.PDF:
        content = read_pdf(path, limits)
        method = Method.ACROFORM if any(f.labels for f in content.fields) else Method.TEXT
        if not any(f.value not in (None, "") for f in content.fields):
            scanned = [n for n, has_text in enumerate(text_pages(path, limits)) if not has_text]
            if scanned:  # pages without a text layer: OCR gives them one, the same readers read it (SPEC §16)
                return read_scanned(path, limits, content=content, pdf_page_numbers=scanned, scans=scans)
    elif file_type is FileType.DOCX:
        content = read_docx(path)
        method = Method.DOCX
    else:
        content = read_plain_text(path)
        method = Method.TEXT
    return from_content(path, content, method)


def read_scanned(path: Path, limits: Limits, *, content: Content | None = None,
                 pdf_page_numbers: list[int] | None = None, scans: list[Any] | None = None) -> Extraction:
    """An image file, or a PDF's pages without a text layer (after any `content` its text pages gave), read by
    OCR and then by the same readers; fields read from the OCR text carry a confidence (SPEC §16)."""
    from docgen.read.confidence import attach, evidence
    from docgen.read.scanned import UNREADABLE_PAGE, add_scan, read_scan

    scanned, scan = read_scan(path, limits, pdf_page_numbers=pdf_page_numbers)
    if scans is not None:
        scans.append(scan)
    if content is not None and content.text.strip():
        add_scan(content, scan)
    else:
        content = scanned
    if not any(p.readable for p in scan.pages):
        result = Extraction(path, Kind.UNKNOWN, Method.OCR, {}, list(content.warnings), UNREADABLE_PAGE,
                            content.text)
        attach(result, {}, scan)
        return result
    result = from_content(path, content, Method.OCR)
    titled = titled_record(content.text)
    confirmed = False  # marks read from OCR's text that add up to the totals the record prints beside them
    if result.kind in (Kind.UNKNOWN, Kind.ATTENDANCE) and (titled or any(p.grid is not None for p in scan.pages)
                                                           or result.status is Reading.ATTENDANCE_UNREADABLE):
        from docgen.read.gridread import TOTALS, from_grids, from_printed, week_rows

        found = from_grids(path, content.text, scan)
        printed = from_printed(path, content.text, scan) if found is None else None
        if printed is not None and (result.kind is Kind.UNKNOWN or week_rows(scan) >= 3
                                    or result.fields.get("first_date") is None
                                    or any(result.fields.get(k) != printed.fields.get(k) for k in TOTALS)):
            # its marks not read from the grid (OCR's text drops and invents them): the totals it prints beside
            # them, when it does and its text's marks do not give the same
            found = printed
        confirmed = printed is not None and found is None
        if found is not None:
            return _doubted(found)
        if result.kind is Kind.ATTENDANCE and week_rows(scan) >= 3:
            # a herringbone's marks read from OCR's text, where Tesseract drops or invents them ("Km", "J"),
            # while its grid could not be read: never figures to decide by
            result = Extraction(path, Kind.UNKNOWN, Method.OCR, {}, list(content.warnings),
                                f"{UNREADABLE_ATTENDANCE}: {scanned_reason(content.text)}", content.text)
        elif titled and result.kind is Kind.UNKNOWN and result.status is Reading.READ:
            # a scanned herringbone whose marks could not be read (or a summary its figures): sent, so never "no
            # attendance record was sent"
            result.reason = f"{UNREADABLE_ATTENDANCE}: {scanned_reason(content.text)}"
    if result.kind is Kind.ATTENDANCE and result.fields.get("first_date") is not None and not confirmed:
        # marks counted from OCR's text (no grid was found to read them from), where "/", "I", "l" and "|" are told
        # apart by Tesseract alone and a row it lost is a day not counted: figures for a person to check
        result.warnings.append(f"{MARKS_FROM_TEXT}: check the figures against the page")
    raw: dict[str, Any] = {}
    schema: FormSchema | None = None
    if result.kind in FORM_KINDS:
        schema = FORMS[result.kind.value]
        # the answers as OCR read them, before their type's tidying ("ip14 1b", not "IP1 4IB"): the words that
        # make them, and so their confidence, are found on the page by these
        raw, _seen = assign(gather(content, schema), schema)
    elif result.kind not in (Kind.MEDICAL_LETTER, Kind.FIT_NOTE, Kind.ATTENDANCE):
        raw, _seen = assign(gather(content, IDENTITY), IDENTITY)
    attach(result, evidence(raw, result.fields, scan, schema), scan)
    return _doubted(result)


MARKS_FROM_TEXT = "the attendance marks were read from the scan's text, not from a grid"


def _doubted(result: Extraction) -> Extraction:
    """A scanned attendance record whose figures contradict each other (a warning starting `CONFLICT_NOTE`: a
    digit lost or misread, or the school's own mistake), or were counted from marks OCR read as text
    (`MARKS_FROM_TEXT`): none of its figures is trusted, a person checks them."""
    if result.kind is Kind.ATTENDANCE and result.confidence and any(
            w.startswith((CONFLICT_NOTE, MARKS_FROM_TEXT)) for w in result.warnings):
        result.confidence = {key: min(conf, DOUBTFUL) if key in SUMMARY_KEYS else conf
                             for key, conf in result.confidence.items()}
    return result


def read_plain_text(path: Path) -> Content:
    """A plain-text file as lines; columns separated by tabs or wide spacing become segments."""
    data = path.read_bytes()[: 5 * 1024 * 1024]
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    content = Content(text=text)
    for raw in text.splitlines():
        parts = [p for p in re.split(r"\t|\s{3,}", raw) if p.strip()]
        if parts:
            content.lines.append([Seg(p.strip(), x0=n * 100.0, x1=n * 100.0 + 50) for n, p in enumerate(parts)])
    content.head = "\n".join(text.splitlines()[:25])
    return content


def gather(content: Content, schema: FormSchema, *, layout: bool = True) -> list[RawField]:
    """Every answer the document offers for `schema`: form fields first, then tables, then text lines (a bare
    question read as a detail of its section's person: read/sections.py)."""
    matcher = matcher_for(schema)
    raws = list(content.fields)
    if layout or any(not f.structured or (f.labels and matcher.match_any(f.labels) is None)
                     for f in content.fields):
        # fields named so that no label can be read from the name (`Check Box 7`, a truncated name): the
        # printed question beside the answer says; keys a named field settled stay the field's
        settled = set() if layout else {f.key for f in (matcher.match_any(r.labels) for r in raws if r.structured)
                                        if f}
        found: list[RawField] = []
        tables = join_continued(content.tables, content.continued, matcher)
        lines, tables, written = sectioned(content.lines, tables, content.placed, matcher)
        for table in tables:
            found.extend(pairs_from_table(table, matcher))
        found.extend(pairs_from_lines(lines, matcher, positioned=content.positioned))
        if written:  # the answers of bare questions written out with their section's person: trusted least
            asked = {normalise_label(w) for w in written}
            found = [dataclasses.replace(r, by_section=True) if r.labels and normalise_label(r.labels[0]) in asked
                     else r for r in found]
        raws.extend(r for r in found if not settled or (m := matcher.match_any(r.labels)) is None
                    or m.key not in settled)
    return raws


def from_content(path: Path, content: Content, method: Method, *, label_minimum: int = 6) -> Extraction:
    """Classify read content and convert its fields (the reader-independent half of `extract`)."""
    named = [f for f in content.fields if f.labels]
    matchers = {kind: matcher_for(schema) for kind, schema in FORMS.items()}  # looked up once, not per field
    field_scores: dict[str, int] = {}
    for kind, matcher in matchers.items():
        field_scores[kind] = len({f.key for f in (matcher.match_any(r.labels) for r in named) if f})
    best_fields = max(field_scores.values(), default=0)
    matched = sum(1 for r in named if any(m.match_any(r.labels) for m in matchers.values()))
    layout = best_fields < 3 or matched < len(named) * 0.8  # fields named Text1…: read them where they sit
    label_scores: dict[str, int] = {}
    read: dict[str, _Read] = {}  # each form's answers as the scoring read them, for the kind decided
    if layout:
        for kind, schema in FORMS.items():
            raws = gather(content, schema)
            read[kind] = (raws, convert(raws, schema))
            label_scores[kind] = len(read[kind][1][2])
    else:
        label_scores = dict(field_scores)
    if not content.text.strip() and not any(f.value not in (None, "") for f in named):
        return _no_text(path, content, method, field_scores)
    decided = classify(content.head, content.text, field_scores=field_scores, label_scores=label_scores,
                       field_count=len(named), fit_note=is_fit_note(content.text), label_minimum=label_minimum)
    if decided.kind not in SETTLED_KINDS or decided.decided_by == "labels":
        found = _attendance_tables(path, content, method)
        if found is not None and (found.kind is Kind.ATTENDANCE or decided.kind is Kind.UNKNOWN):
            return found
    return _fields_for(path, content, method, decided, layout=layout, read=read.get(decided.kind.value))


_Read = tuple[list[RawField], tuple[dict[str, Any], list[str], set[str]]]  # gather's answers and their conversion


def _fields_for(path: Path, content: Content, method: Method, decided: Classification, *,
                layout: bool, read: _Read | None = None) -> Extraction:
    """The decided kind's fields; `read`: its answers gathered (layout) and converted already, not read again."""
    kind = decided.kind
    warnings = list(content.warnings)
    fields: dict[str, Any]
    if kind in FORM_KINDS:
        schema = FORMS[kind.value]
        raws = read[0] if read is not None else gather(content, schema, layout=layout)
        if method is Method.OCR:
            from docgen.read.ocrtext import untangled

            raws = untangled(raws, schema)
            fields, problems, seen = convert(raws, schema)
        else:
            fields, problems, seen = read[1] if read is not None else convert(raws, schema)
        warnings.extend(problems)
        if all(v is None for v in fields.values()):
            warnings.append(f"no answers could be read from this {schema.title}; it needs checking by hand")
        warnings.extend(unread_warnings(schema, raws, fields, problems, seen))
    elif kind in (Kind.MEDICAL_LETTER, Kind.FIT_NOTE):
        fields = dict(letter_fields(content.text))
    else:
        fields, problems, _seen = convert(gather(content, IDENTITY), IDENTITY)
        warnings.extend(problems)
    return Extraction(path, kind, method, fields, warnings, decided.reason, content.text)


def _no_text(path: Path, content: Content, method: Method, field_scores: dict[str, int]) -> Extraction:
    """A PDF with no text layer (scanned?) or a form whose fields are all empty: never 'done with blanks'."""
    best = max(field_scores, key=lambda k: field_scores[k], default="")
    if content.fields and field_scores.get(best, 0) >= 3:
        schema = FORMS[best]
        fields, problems, seen = convert(content.fields, schema)
        warnings = [*content.warnings, *problems,
                    f"this {schema.title} has form fields but every answer is empty; it needs checking by hand",
                    *unread_warnings(schema, content.fields, fields, problems, seen)]
        return Extraction(path, Kind(best), method, fields, warnings, None, content.text)
    reason = NO_TEXT_LAYER if content.positioned else NO_TEXT
    return Extraction(path, Kind.UNKNOWN, method, {}, list(content.warnings), reason, content.text)




def _spreadsheet_form(path: Path, file_type: FileType) -> Extraction | None:
    """A CSV/XLSX holding a form's questions and answers (label,value rows or a header row over one answer
    row), read as a form when it clearly is one; None otherwise."""
    rows = _spreadsheet_rows(path, file_type)
    if len(rows) == 2 and len(rows[0]) > 2:  # one export row under its header: pair them column by column
        rows = [[label, value] for label, value in zip(rows[0], rows[1], strict=False)]
    text = "\n".join(" ".join(c for c in row if c) for row in rows)
    content = Content(text=text, tables=[[list(r) for r in rows]], head="\n".join(text.splitlines()[:25]))
    result = from_content(path, content, Method.CSV, label_minimum=4)
    return result if result.kind in FORM_KINDS else None


def _spreadsheet_rows(path: Path, file_type: FileType) -> list[list[str | None]]:
    rows: list[list[str | None]] = []
    try:
        if file_type is FileType.CSV:
            text = read_plain_text(path).text
            rows = [[c.strip() or None for c in row] for row in tables.csv_rows(text, max_rows=2000, max_columns=50)]
        else:
            sheets = tables.xlsx_tables(path, first_only=True, max_rows=2000, max_columns=50)
            rows = [[(c or "").strip() or None for c in row] for row in (sheets[0] if sheets else [])]
    except tables.TableError as exc:
        raise ExtractionError(ReasonCode.DAMAGED, f"{path.name}: {exc}; save it again and send it again") from None
    return [r for r in rows if any(r)]


def _attendance_tables(path: Path, content: Content, method: Method) -> Extraction | None:
    try:
        result: Extraction | None = from_tables(path, content.tables, content.text, method)
    except ExtractionError as exc:  # a grid that cannot be read: the document itself can, so review it
        return Extraction(path, Kind.UNKNOWN, method, {}, [], f"{UNREADABLE_ATTENDANCE}: {exc}",
                          content.text)
    if result is not None and not result.text:
        result.text = content.text
    return result
