"""Write invented attendance records (session lists and herringbone grids) for tests and sample bundles."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

Marks = Mapping[dt.date, tuple[str | None, str | None]]
Format = Literal["csv", "xlsx", "docx", "pdf"]

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri")
GRID_HEADINGS = ["Week commencing", *(f"{day} {session}" for day in DAY_NAMES for session in ("AM", "PM"))]


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def week_rows(marks: Marks) -> list[tuple[dt.date, list[str]]]:
    """One row per week (Monday, ten marks Mon AM … Fri PM, "" for no mark) from the first to the last marked week."""
    if not marks:
        return []
    first = min(marks) - dt.timedelta(days=min(marks).weekday())
    last = max(marks)
    rows: list[tuple[dt.date, list[str]]] = []
    monday = first
    while monday <= last:
        cells: list[str] = []
        for offset in range(5):
            am, pm = marks.get(monday + dt.timedelta(days=offset), (None, None))
            cells.extend([am or "", pm or ""])
        rows.append((monday, cells))
        monday += dt.timedelta(days=7)
    return rows


def write_session_csv(
    path: Path,
    marks: Marks,
    *,
    header: dict[str, str] | None = None,
    date_format: str = "%d/%m/%Y",
) -> Path:
    """A session list CSV: optional `Label,value` header block, a blank line, then `date,am,pm` rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if header:
            for label, value in header.items():
                writer.writerow([label, value])
            writer.writerow([])
        writer.writerow(["Date", "AM", "PM"])
        for day in sorted(marks):
            am, pm = marks[day]
            writer.writerow([day.strftime(date_format), am or "", pm or ""])
    return path


def write_herringbone(path: Path, fmt: Format, marks: Marks, *, header: dict[str, str] | None = None) -> Path:
    """A herringbone grid (a row per week: w/c date + ten marks) as CSV, XLSX, DOCX or PDF."""
    rows = week_rows(marks)
    header = header or {}
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            for label, value in header.items():
                writer.writerow([label, value])
            if header:
                writer.writerow([])
            writer.writerow(GRID_HEADINGS)
            for monday, cells in rows:
                writer.writerow([_uk(monday), *cells])
    elif fmt == "xlsx":
        _write_xlsx(path, rows, header)
    elif fmt == "docx":
        _write_docx(path, rows, header)
    elif fmt == "pdf":
        _write_pdf(path, rows, header)
    else:
        raise ValueError(f"unknown herringbone format {fmt!r}")
    return path


def _write_xlsx(path: Path, rows: list[tuple[dt.date, list[str]]], header: dict[str, str]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Herringbone"
    for label, value in header.items():
        sheet.append([label, value])
    if header:
        sheet.append([])
    sheet.append(GRID_HEADINGS)
    for monday, cells in rows:
        sheet.append([dt.datetime.combine(monday, dt.time()), *(c or None for c in cells)])
        sheet.cell(row=sheet.max_row, column=1).number_format = "DD/MM/YYYY"
    book.save(path)


def _write_docx(path: Path, rows: list[tuple[dt.date, list[str]]], header: dict[str, str]) -> None:
    from docx import Document

    document = Document()
    document.add_heading("Attendance record", level=1)
    for label, value in header.items():
        document.add_paragraph(f"{label}: {value}")
    table = document.add_table(rows=1, cols=len(GRID_HEADINGS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, GRID_HEADINGS, strict=True):
        cell.text = heading
    for monday, cells in rows:
        row = table.add_row().cells
        for cell, value in zip(row, [_uk(monday), *cells], strict=True):
            cell.text = value
    document.save(str(path))


def _write_pdf(path: Path, rows: list[tuple[dt.date, list[str]]], header: dict[str, str]) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    story: list[object] = [Paragraph("Attendance record", styles["Title"])]
    story.extend(Paragraph(f"{label}: {value}", styles["Normal"]) for label, value in header.items())
    data = [GRID_HEADINGS] + [[_uk(monday), *cells] for monday, cells in rows]
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTSIZE", (0, 0), (-1, -1), 8)])
    )
    story.append(table)
    SimpleDocTemplate(str(path), pagesize=landscape(A4)).build(story)
