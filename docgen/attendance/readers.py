"""Read an attendance record (SPEC §5) from a CSV/XLSX file or from a PDF/DOCX's tables and text."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from docgen import tables
from docgen.attendance.across import read_across
from docgen.attendance.figures import (
    code_counts,
    disagreements,
    read_figures,
    stated_over_counts,
    summary_from_counts,
)
from docgen.attendance.grid import GridError, Marks, join_split_rows, read_table
from docgen.attendance.header import read_header
from docgen.attendance.summary import summarise, summary_from_figures
from docgen.attendance.text import dated_rows, read_text_lines
from docgen.errors import ExtractionError, ReasonCode
from docgen.kinds import Extraction, Kind, Method

Table = list[list[str | None]]

MAX_ROWS = 20_000
MAX_COLUMNS = 80
_FORM_TITLES = re.compile(
    r"referral\s+form|medical\s+needs\s+(?:service\s+)?referral|continuation\s+request|health\s+information\s+form|"
    r"consent\s+form|planning\s+and\s+review\s+record|individual\s+health\s*care\s+plan|statement\s+of\s+fitness",
    re.I,
)
_RECORD_TITLE = re.compile(
    r"^\W*(?:[\w']+\s+){0,3}(?:attendance\s+(?:summary|report|record|certificate|history|profile|statistics|overview|"
    r"listing|list|register|log)|"
    r"herringbone|registration\s+certificate)\W*(?:[\w']+\W*){0,4}$",
    re.I | re.M,
)
_MOSTLY = 0.8  # the share of a scanned list's dated lines whose marks OCR must read for them to be counted
IDENTITY_KEYS = ("pupil_name", "pupil_upn", "pupil_dob", "school_name")
"""Header details put in `Extraction.fields` beside the summary keys (the period covered stays internal)."""
_AGAIN = "ask the school to export the attendance record again from its MIS (CSV, XLSX or PDF)"


def read_attendance(path: Path) -> Extraction:
    """Read a CSV or XLSX attendance export; ExtractionError when it is not a readable attendance record."""
    tables, text = (_xlsx_tables(path), "") if _is_xlsx(path) else _csv_table(path)
    try:
        extraction = _analyse(path, tables, "", Method.CSV, strict=True)
    except GridError as exc:
        raise ExtractionError(ReasonCode.DAMAGED, f"{path.name}: {exc}; {_AGAIN}") from None
    if extraction is None:
        raise ExtractionError(
            ReasonCode.UNSUPPORTED,
            f"{path.name}: not an attendance record (no marks grid, session list or attendance summary found); "
            f"{_AGAIN}",
        )
    extraction.text = text
    return extraction


def titled_record(text: str) -> bool:
    """Whether a document's text carries an attendance record's title ("Attendance Record", "Herringbone") and
    no form's: read by OCR, such a page whose grid gave no marks is a record that was sent, not a stray page."""
    return bool(_RECORD_TITLE.search(text)) and not _FORM_TITLES.search(text)


SCANNED_GRID = ("the marks of a scanned or photographed attendance grid cannot be read reliably by OCR; "
                + _AGAIN)
SCANNED_SUMMARY = ("the figures of a scanned or photographed attendance summary could not be read by OCR; "
                   + _AGAIN)
_SUMMARY_LABELS = re.compile(
    r"possible\s+sessions|sessions\s+possible|sessions\s+attended|attended\s+sessions|attendance\s*(?:%|percentage)|"
    r"(?:un)?authori[sz]ed\s+absences?|absences?\s+by\s+code",
    re.I,
)


def scanned_reason(text: str) -> str:
    """Why a scanned attendance record (`titled_record`) gave nothing: a summary whose figures OCR did not read
    (its labels are there), or a grid whose marks it cannot read."""
    return SCANNED_SUMMARY if len(set(m.group(0).lower() for m in _SUMMARY_LABELS.finditer(text))) >= 2 \
        else SCANNED_GRID


def from_summary(file: Path, text: str, method: Method) -> Extraction | None:
    """The totals an attendance record prints beside its grid ("Possible sessions: 118", "Attended: 87") and
    its header, its marks left unread (a scanned grid whose marks OCR could not tell); None without them."""
    figures = read_figures([], text)
    if "possible_sessions" not in figures or _FORM_TITLES.search(text):
        return None
    header, warnings = read_header([], text)
    return _extraction(file, method, summary_from_figures(figures), header, warnings + disagreements(figures), text)


def from_tables(
    file: Path, tables: list[list[list[str | None]]], text: str, method: Method
) -> Extraction | None:
    """An attendance Extraction from a PDF/DOCX's tables and text, or None when it is not an attendance record."""
    try:
        return _analyse(file, tables, text, method, strict=False)
    except GridError as exc:
        if _FORM_TITLES.search(text):
            return None
        raise ExtractionError(ReasonCode.DAMAGED, f"{file.name}: {exc}; {_AGAIN}") from None


def _analyse(
    file: Path, tables: Sequence[Table], text: str, method: Method, *, strict: bool
) -> Extraction | None:
    joined = join_split_rows(tables)
    rows = [row for table in joined for row in table]
    header_text = text or "\n".join("  ".join(c.strip() for c in row if c and c.strip()) for row in rows[:60])
    header, header_warnings = read_header(rows, header_text)
    marks = Marks(academic_start=_academic_start(header, rows, text))
    layout = None
    for table in joined:
        layout = read_table(table, marks, layout) or layout
    from_grid = _has_marks(marks)
    form = bool(_FORM_TITLES.search(text))
    if not from_grid and text and not form:
        text_marks = Marks()
        read_text_lines(text, text_marks)
        real_rows = sum(1 for am, pm in text_marks.days.values() if am is not None or pm is not None)
        if method is Method.OCR and real_rows < _MOSTLY * dated_rows(text):
            real_rows = 0  # a scanned list of days most of whose marks OCR lost or garbled ("OH", "HY"): not read
        if real_rows < 2:  # no week or day per line: the days may run across the page
            text_marks = Marks(academic_start=marks.academic_start)
            read_across(text, text_marks)
            real_rows = sum(1 for am, pm in text_marks.days.values() if am is not None or pm is not None)
            if method is Method.OCR and real_rows and _disagreements(summarise(text_marks.frozen())[0],
                                                                     read_figures(tables, text)):
                real_rows = 0  # a scan's marks that miss its own printed totals: a mark lost or misread; the totals stand
            if real_rows < 2 and text_marks.warnings and method is not Method.OCR:
                raise GridError(text_marks.warnings[0])  # a register whose marks cannot be matched to its days
            if real_rows < 2:
                header_warnings += text_marks.warnings  # why the days across the page were not counted
        if real_rows >= 2:
            marks = text_marks
    if _has_marks(marks) or (marks.headed and not form and not read_figures(tables, text)):
        if form and not strict and marks.rows < 2:
            return None
        fields, warnings = summarise(marks.frozen())
        if not _has_marks(marks):
            warnings.append(
                "the attendance record has no marks in it; ask the school for the completed record"
            )
        warnings += _disagreements(fields, read_figures(tables, text))
        return _extraction(file, method, fields, header, marks.warnings + header_warnings + warnings, text)
    if form and not strict:
        return None
    counts = code_counts(tables, text)
    figures = read_figures(tables, text)
    if counts:
        summary, conflicts = stated_over_counts(summary_from_figures(figures), summary_from_counts(counts))
        return _extraction(file, method, summary, header, header_warnings + disagreements(figures) + conflicts, text)
    explicit = "possible_sessions" in figures or (
        "attendance_pct" in figures and (len(figures) > 1 or strict or bool(_RECORD_TITLE.search(text)))
    )
    if not explicit:
        return None
    return _extraction(file, method, summary_from_figures(figures), header, header_warnings + disagreements(figures),
                       text)


def _disagreements(fields: dict[str, Any], figures: dict[str, Any]) -> list[str]:
    """Warnings where the record's own printed totals differ from what its marks add up to."""
    out: list[str] = []
    for key in ("possible_sessions", "attended_sessions", "illness_sessions", "attendance_pct"):
        stated = figures.get(key)
        if stated is not None and fields.get(key) is not None and float(stated) != float(fields[key]):
            out.append(
                f"the record's printed {key.replace('_', ' ')} ({stated:g}) differs from its marks ({fields[key]:g}); "
                "the marks are used"
            )
    return out


_ACADEMIC_YEAR = re.compile(r"\b(20\d\d)\s*[/\-–]\s*(?:20)?(\d\d)\b")


def _academic_start(header: dict[str, Any], rows: Sequence[Sequence[str | None]], text: str) -> int | None:
    """The year the record's academic year starts (for dates printed without a year), when the record says."""
    start = header.get("period_start") or header.get("period_end")
    if start:
        day = dt.date.fromisoformat(start)
        return day.year if day.month >= 8 else day.year - 1
    words = text + "\n" + "\n".join(" ".join(c for c in row if c) for row in rows[:40])
    for m in _ACADEMIC_YEAR.finditer(words):
        first, second = int(m.group(1)), int(m.group(2))
        if second == (first + 1) % 100:
            return first
    return None


def _has_marks(marks: Marks) -> bool:
    return any(am is not None or pm is not None for am, pm in marks.days.values())


def _extraction(
    file: Path,
    method: Method,
    summary: dict[str, Any],
    header: dict[str, Any],
    warnings: list[str],
    text: str,
) -> Extraction:
    fields = {**summary, **{key: header[key] for key in IDENTITY_KEYS}}
    return Extraction(
        file=file, kind=Kind.ATTENDANCE, method=method, fields=fields, warnings=warnings, text=text
    )


def _is_xlsx(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _xlsx_tables(path: Path) -> list[Table]:
    try:
        return list(tables.xlsx_tables(path, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS))
    except tables.TableError as exc:
        raise ExtractionError(ReasonCode.DAMAGED, f"{path.name}: {exc}; {_AGAIN}") from None


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        for encoding in ("utf-16",):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_table(path: Path) -> tuple[list[Table], str]:
    text = _decode(path.read_bytes())
    if "\x00" in text:
        raise ExtractionError(
            ReasonCode.DAMAGED, f"{path.name}: the file holds binary data, not CSV text; {_AGAIN}"
        )
    try:
        table: Table = [list[str | None](row) for row in tables.csv_rows(text, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)]
    except tables.TableError as exc:
        raise ExtractionError(ReasonCode.DAMAGED, f"{path.name}: {exc}; {_AGAIN}") from None
    return [table], text
