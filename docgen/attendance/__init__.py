"""Attendance records ("herringbone", SPEC §5, policy §11.2.3): session lists, week grids and summaries.

`read_attendance(path)` reads CSV/XLSX exports; `from_tables(file, tables, text, method)` reads the tables
and text of a PDF/DOCX (None when it is not an attendance record); `summarise(marks)` counts marks.

Modules, bottom up: `codes` (the DfE codes and what they count as) · `cells` (dates, headings, marks in one
cell) · `layout` (how a table's columns are read) · `grid` (week rows, session rows, month calendars) ·
`text` (a herringbone printed as text lines) · `figures` (summary-only reports) · `header` (pupil details)
· `summary` (the SPEC §5 keys) · `readers` (the two entry points). Sample registers: docgen/samples/attendance.
"""

from __future__ import annotations

from docgen.attendance.codes import ALL_CODES, CODES, OLD_CODES, Category
from docgen.attendance.readers import (
    SCANNED_GRID,
    from_summary,
    from_tables,
    read_attendance,
    scanned_reason,
    titled_record,
)
from docgen.attendance.summary import SUMMARY_KEYS, Marks, summarise

__all__ = [
    "ALL_CODES",
    "CODES",
    "OLD_CODES",
    "SCANNED_GRID",
    "SUMMARY_KEYS",
    "Category",
    "Marks",
    "from_summary",
    "from_tables",
    "read_attendance",
    "scanned_reason",
    "summarise",
    "titled_record",
]
