"""Reading attendance records in every format: CSV, XLSX, DOCX and PDF grids, session lists, summaries."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from docx import Document

from docgen.attendance import from_tables, read_attendance
from docgen.attendance.header import read_header
from docgen.errors import ExtractionError, ReasonCode
from docgen.kinds import Kind, Method
from docgen.samples.attendance import write_herringbone, write_session_csv

Tables = list[list[list[str | None]]]


def pdf_content(path: Path) -> tuple[Tables, str]:
    """Tables and text of a PDF, as docgen.read.extract gives them to from_tables."""
    tables: Tables = []
    texts: list[str] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            tables.extend([list(row) for row in table] for table in page.extract_tables())
            texts.append(page.extract_text() or "")
    return tables, "\n".join(texts)


def docx_content(path: Path) -> tuple[Tables, str]:
    """Tables and text of a DOCX, as docgen.read.extract gives them to from_tables."""
    document = Document(str(path))
    cells = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n" + "\n".join("\t".join(row) for table in cells for row in table)
    tables: Tables = [[list[str | None](row) for row in table] for table in cells]
    return tables, text


Marks = dict[dt.date, tuple[str | None, str | None]]

HEADER = {
    "Pupil name": "Testy Example",
    "UPN": "A123456789012",
    "Date of birth": "03/04/2014",
    "School": "Invented Oak Primary School",
}
AUTUMN = {
    "possible_sessions": 18,
    "attended_sessions": 7,
    "authorised_absence_sessions": 10,
    "unauthorised_absence_sessions": 1,
    "illness_sessions": 9,
    "medical_sessions": 1,
    "attendance_pct": 38.9,
    "illness_days": 4.5,
    "longest_illness_run_days": 4,
    "first_date": "2025-10-13",
    "last_date": "2025-10-31",
}
IDENTITY = {
    "pupil_name": "Testy Example",
    "pupil_upn": "A123456789012",
    "pupil_dob": "2014-04-03",
    "school_name": "Invented Oak Primary School",
}


def _summary(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: fields[key] for key in AUTUMN}


def test_contract_example_csv(tmp_path: Path) -> None:
    path = tmp_path / "herringbone.csv"
    path.write_text(
        "Pupil name,Testy Example\nDate of birth,03/04/2014\n\ndate,am,pm\n2026-01-05,I,I\n2026-01-06,/,\\\n2026-01-07,I,I\n",
        encoding="utf-8",
    )
    extraction = read_attendance(path)
    assert extraction.kind is Kind.ATTENDANCE
    assert extraction.method is Method.CSV
    assert extraction.fields["illness_sessions"] == 4
    assert extraction.fields["possible_sessions"] == 6
    assert extraction.fields["pupil_name"] == "Testy Example"
    assert extraction.fields["pupil_dob"] == "2014-04-03"
    assert extraction.fields["pupil_upn"] is None
    assert extraction.to_json()["kind"] == "attendance"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_herringbone_spreadsheets(tmp_path: Path, fmt: str, autumn_marks: Marks) -> None:
    path = write_herringbone(tmp_path / f"grid.{fmt}", fmt, autumn_marks, header=HEADER)  # type: ignore[arg-type]
    extraction = read_attendance(path)
    assert _summary(extraction.fields) == AUTUMN
    assert {k: extraction.fields[k] for k in IDENTITY} == IDENTITY
    assert extraction.warnings == []


def test_herringbone_docx(tmp_path: Path, autumn_marks: Marks) -> None:
    path = write_herringbone(tmp_path / "grid.docx", "docx", autumn_marks, header=HEADER)
    tables, text = docx_content(path)
    extraction = from_tables(path, tables, text, Method.DOCX)
    assert extraction is not None
    assert extraction.method is Method.DOCX
    assert _summary(extraction.fields) == AUTUMN
    assert {k: extraction.fields[k] for k in IDENTITY} == IDENTITY


def test_herringbone_pdf(tmp_path: Path, autumn_marks: Marks) -> None:
    path = write_herringbone(tmp_path / "grid.pdf", "pdf", autumn_marks, header=HEADER)
    tables, text = pdf_content(path)
    extraction = from_tables(path, tables, text, Method.TEXT)
    assert extraction is not None
    assert extraction.kind is Kind.ATTENDANCE
    assert _summary(extraction.fields) == AUTUMN
    assert {k: extraction.fields[k] for k in IDENTITY} == IDENTITY


def test_herringbone_pdf_text_only(tmp_path: Path, autumn_marks: Marks) -> None:
    """A printed herringbone whose table lines pdfplumber cannot see: read from the text lines."""
    path = write_herringbone(tmp_path / "grid.pdf", "pdf", autumn_marks, header=HEADER)
    _, text = pdf_content(path)
    text = text.replace(" \n", " - -\n")  # no blanks in this record; the text layer keeps every mark
    extraction = from_tables(path, [], text, Method.TEXT)
    assert extraction is not None
    assert _summary(extraction.fields) == AUTUMN
    assert extraction.fields["pupil_name"] == "Testy Example"


@pytest.mark.parametrize("date_format", ["%d/%m/%Y", "%Y-%m-%d", "%d %b %Y", "%a %d/%m/%Y"])
def test_session_list_csv(tmp_path: Path, autumn_marks: Marks, date_format: str) -> None:
    path = write_session_csv(tmp_path / "list.csv", autumn_marks, header=HEADER, date_format=date_format)
    extraction = read_attendance(path)
    assert _summary(extraction.fields) == AUTUMN
    assert extraction.fields["pupil_upn"] == "A123456789012"


def test_session_rows_date_session_mark(tmp_path: Path) -> None:
    path = tmp_path / "arbor.csv"
    path.write_text(
        'Student,"Okonkwo, Noah"\nEstablishment,Invented Academy\n\n'
        "Date,Session,Mark,Description\n"
        "05/01/2026,AM,I,Illness\n05/01/2026,PM,I,Illness\n06/01/2026,AM,/,Present\n06/01/2026,PM,M,Medical\n"
        "07/01/2026,AM,#,School closed\n07/01/2026,PM,#,School closed\n08/01/2026,AM,I,Illness\n08/01/2026,PM,I,Illness\n",
        encoding="utf-8",
    )
    fields = read_attendance(path).fields
    assert fields["pupil_name"] == "Noah Okonkwo"
    assert fields["school_name"] == "Invented Academy"
    assert fields["possible_sessions"] == 6
    assert fields["illness_sessions"] == 4
    assert fields["medical_sessions"] == 1
    assert fields["longest_illness_run_days"] == 1
    assert fields["last_date"] == "2026-01-08"


def test_grid_with_day_cells_and_subheader(tmp_path: Path) -> None:
    """`Mon … Fri` headings over AM/PM sub-columns, semicolons, a weekly % column, forename + surname."""
    path = tmp_path / "sims.csv"
    path.write_text(
        "Forename;Testy\nSurname;Example\nDOB;03/04/2014\n\n"
        "Week beginning;Mon;;Tue;;Wed;;Thu;;Fri;;%\n"
        ";AM;PM;AM;PM;AM;PM;AM;PM;AM;PM;\n"
        "w/c 05/01/2026;I;I;I;I;/;\\;I;I;-;-;62.5\n"
        "w/c 12/01/2026;N;/;C1;J1;H;F;Y;Z;B;K;\n",
        encoding="utf-8",
    )
    fields = read_attendance(path).fields
    assert fields["pupil_name"] == "Testy Example"
    assert fields["possible_sessions"] == 8 + 8
    assert fields["attended_sessions"] == 2 + 3
    assert fields["authorised_absence_sessions"] == 6 + 4
    assert fields["unauthorised_absence_sessions"] == 1
    assert fields["longest_illness_run_days"] == 2
    assert fields["last_date"] == "2026-01-16"


def test_grid_one_cell_per_day_without_header(tmp_path: Path) -> None:
    path = tmp_path / "days.csv"
    path.write_text("05/01/2026,/\\,II,II,/\\,/\\\n12/01/2026,II,II,-,##,NN\n", encoding="utf-8")
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 10 + 6
    assert fields["illness_sessions"] == 8
    assert fields["unauthorised_absence_sessions"] == 2
    assert fields["longest_illness_run_days"] == 2


def test_docx_grid_mon_to_fri_with_merged_headings(tmp_path: Path) -> None:
    tables: Tables = [
        [
            ["Week", "Mon", "Mon", "Tue", "Tue", "Wed", "Wed", "Thu", "Thu", "Fri", "Fri"],
            ["", "AM", "PM", "AM", "PM", "AM", "PM", "AM", "PM", "AM", "PM"],
            ["05/01/2026", "/", "\\", "I", "I", "I", "I", "I", "I", "", ""],
        ]
    ]
    extraction = from_tables(tmp_path / "x.docx", tables, "Attendance herringbone", Method.DOCX)
    assert extraction is not None
    assert extraction.fields["possible_sessions"] == 8
    assert extraction.fields["longest_illness_run_days"] == 3
    assert extraction.fields["last_date"] == "2026-01-08"


def test_summary_only_text_report(tmp_path: Path) -> None:
    text = (
        "Attendance summary\nName: Testy Example   UPN: A123456789012\nDate range: 01/09/2025 - 19/12/2025\n"
        "Possible sessions: 120\nAttended: 63\nAuthorised absence: 40\nUnauthorised absence: 17\nIllness (I): 31\n"
    )
    extraction = from_tables(tmp_path / "s.pdf", [], text, Method.TEXT)
    assert extraction is not None
    fields = extraction.fields
    assert fields["possible_sessions"] == 120
    assert fields["attendance_pct"] == 52.5
    assert fields["illness_days"] == 15.5
    assert fields["medical_sessions"] is None
    assert fields["longest_illness_run_days"] is None
    assert set(fields) == set(AUTUMN) | set(IDENTITY)
    assert fields["pupil_upn"] == "A123456789012"


def test_summary_only_table(tmp_path: Path) -> None:
    tables: Tables = [
        [
            ["Possible", "Present", "AEA", "Authorised", "Unauthorised", "Attendance %"],
            ["120", "60", "3", "40", "17", "52.5"],
        ]
    ]
    extraction = from_tables(tmp_path / "s.docx", tables, "", Method.DOCX)
    assert extraction is not None
    assert extraction.fields["attended_sessions"] == 63
    assert extraction.fields["attendance_pct"] == 52.5
    assert extraction.fields["illness_sessions"] is None


def test_summary_only_csv(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"
    path.write_text("Name,Testy Example\nPossible sessions,80\nAttendance %,41.25\n", encoding="utf-8")
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 80
    assert fields["attendance_pct"] == 41.3
    assert fields["attended_sessions"] is None


def test_referral_that_mentions_attendance_is_not_claimed(tmp_path: Path) -> None:
    text = "Medical Needs Service Referral Form\nPupil name: Testy Example\nCurrent attendance: 45%\nDate of birth: 03/04/2014\n"
    tables: Tables = [
        [["Pupil name", "Testy Example"], ["Date of birth", "03/04/2014"], ["Attendance %", "45"]]
    ]
    assert from_tables(tmp_path / "r.pdf", tables, text, Method.TEXT) is None


def test_letter_quoting_an_attendance_percentage_is_not_claimed(tmp_path: Path) -> None:
    text = (
        "Dear colleague,\nI have reviewed her attendance record, which shows attendance of 45% this term.\n"
    )
    assert from_tables(tmp_path / "l.pdf", [], text, Method.TEXT) is None


def test_letter_with_dates_is_not_claimed(tmp_path: Path) -> None:
    text = "Dear colleague,\n05/01/2026 I am writing about attendance at school.\n12/01/2026 I saw her in clinic.\n"
    assert from_tables(tmp_path / "l.pdf", [], text, Method.TEXT) is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (
            "05/01/2026,/,\\,/,\\,/,\\,/,\\,/",
            "attendance grid has 9 marks in the row for w/c 05/01/2026; expected 10",
        ),
        (
            "05/01/2026,/,\\,/,\\,/,\\,/,\\,/,\\,/",
            "attendance grid has 11 marks in the row for w/c 05/01/2026",
        ),
        ("05/01/2026,/,\\,/,\\,12,\\,/,\\,/,\\", "'12' among the marks"),
    ],
)
def test_malformed_grid_rows_give_a_reason(tmp_path: Path, row: str, reason: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"12/01/2026,/,\\,/,\\,/,\\,/,\\,/,\\\n{row}\n", encoding="utf-8")
    with pytest.raises(ExtractionError) as caught:
        read_attendance(path)
    assert caught.value.code is ReasonCode.DAMAGED
    assert reason in caught.value.message
    assert caught.value.message.startswith("bad.csv: ")


def test_malformed_row_under_a_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    cells = ",".join(["/"] * 9)
    write_herringbone(tmp_path / "ok.csv", "csv", {dt.date(2026, 1, 5): ("/", "\\")})
    path.write_text(
        (tmp_path / "ok.csv").read_text(encoding="utf-8") + f"12/01/2026,{cells}\n", encoding="utf-8"
    )
    with pytest.raises(ExtractionError, match="9 marks in the row for w/c 12/01/2026; expected 10"):
        read_attendance(path)


def test_not_an_attendance_record(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("name,score\nA,1\nB,2\n", encoding="utf-8")
    with pytest.raises(ExtractionError) as caught:
        read_attendance(path)
    assert caught.value.code is ReasonCode.UNSUPPORTED


def test_unknown_code_warns_with_date(tmp_path: Path) -> None:
    path = write_session_csv(
        tmp_path / "list.csv", {dt.date(2026, 1, 5): ("A", "/"), dt.date(2026, 1, 6): ("/", "\\")}
    )
    extraction = read_attendance(path)
    assert extraction.fields["possible_sessions"] == 3
    assert any("'A'" in w and "05/01/2026" in w for w in extraction.warnings)


def test_old_codes_grid(tmp_path: Path) -> None:
    marks: Marks = {
        dt.date(2023, 3, 6) + dt.timedelta(days=i): pair
        for i, pair in enumerate([("H", "H"), ("J", "F"), ("Y", "Y"), ("I", "I"), ("/", "\\")])
    }
    path = write_herringbone(tmp_path / "old.xlsx", "xlsx", marks)
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 8
    assert fields["authorised_absence_sessions"] == 6
    assert fields["attendance_pct"] == 25.0


def test_xlsx_merged_day_headings_and_details_in_columns(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Attendance Record"])
    sheet.append(["Name", "UPN", "DOB", "Year"])
    sheet.append(["Example, Testy", "A123456789012", dt.datetime(2014, 4, 3), "7"])
    sheet.append([])
    sheet.append(
        [
            "Week Commencing",
            "Monday",
            None,
            "Tuesday",
            None,
            "Wednesday",
            None,
            "Thursday",
            None,
            "Friday",
            None,
            "Weekly %",
        ]
    )
    sheet.merge_cells("B5:C5")
    sheet.merge_cells("D5:E5")
    sheet.append([None, "AM", "PM", "AM", "PM", "AM", "PM", "AM", "PM", "AM", "PM", None])
    sheet.append([dt.datetime(2026, 1, 5), "I", "I", "I", "I", "/", "\\", "I", "I", "M", "I", 20.0])
    sheet.append([dt.datetime(2026, 1, 12), "I", "I", "I", "I", "I", "I", "I", "I", "I", "I", 0])
    sheet.append(["Total", None, None, None, None, None, None, None, None, None, None, 10])
    path = tmp_path / "record.xlsx"
    book.save(path)
    extraction = read_attendance(path)
    fields = extraction.fields
    assert fields["pupil_name"] == "Testy Example"
    assert fields["pupil_dob"] == "2014-04-03"
    assert fields["possible_sessions"] == 20
    assert fields["illness_sessions"] == 17
    assert fields["longest_illness_run_days"] == 5
    assert fields["attendance_pct"] == 10.0
    assert extraction.warnings == []


def test_printed_herringbone_text_with_week_numbers(tmp_path: Path) -> None:
    text = (
        "Attendance Herringbone\nPupil: Example, Testy   DOB: 03/04/2014   UPN: A123456789012\n"
        "Week Commencing  Mon Tue Wed Thu Fri\n"
        "05/01/2026 Week 1 /\\ /\\ II II /\\\n"
        "12/01/2026 Week 2 II II ## ## NN\n"
    )
    extraction = from_tables(tmp_path / "p.pdf", [], text, Method.TEXT)
    assert extraction is not None
    assert extraction.fields["pupil_name"] == "Testy Example"
    assert extraction.fields["possible_sessions"] == 16
    assert extraction.fields["longest_illness_run_days"] == 2
    assert extraction.fields["last_date"] == "2026-01-16"


def test_details_repeated_on_every_row(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Student Name,UPN,Date,AM,PM\n"
        "Testy Example,A123456789012,05/01/2026 00:00,I,I\nTesty Example,A123456789012,06/01/2026 00:00,/,\\\n",
        encoding="utf-8",
    )
    fields = read_attendance(path).fields
    assert fields["pupil_name"] == "Testy Example"
    assert fields["pupil_upn"] == "A123456789012"
    assert fields["possible_sessions"] == 4


def test_week_given_as_a_date_range(tmp_path: Path) -> None:
    path = tmp_path / "weeks.csv"
    path.write_text("Week,Mon,Tue,Wed,Thu,Fri\n05/01/2026 - 09/01/2026,/\\,II,II,II,/\\\n", encoding="utf-8")
    fields = read_attendance(path).fields
    assert fields["longest_illness_run_days"] == 3
    assert (fields["first_date"], fields["last_date"]) == ("2026-01-05", "2026-01-09")


def test_summary_in_days_and_two_row_table(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"
    path.write_text(
        "Possible Sessions,Attended,Authorised,Unauthorised\n100,40,50,10\n\nIllness,25 days\n",
        encoding="utf-8",
    )
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 100
    assert fields["attendance_pct"] == 40.0
    assert fields["illness_sessions"] == 50
    assert fields["illness_days"] == 25


def test_printed_totals_that_disagree_are_warned(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Date,AM,PM\n05/01/2026,I,I\n06/01/2026,/,\\\n\nPossible sessions,5\n", encoding="utf-8")
    extraction = read_attendance(path)
    assert extraction.fields["possible_sessions"] == 4
    assert any("possible sessions (5)" in w for w in extraction.warnings)


def test_unknown_symbol_in_grid_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text("w/c 05/01/2026,/,\\,*,\\,/,\\,/,\\,/,\\\n", encoding="utf-8")
    extraction = read_attendance(path)
    assert extraction.fields["possible_sessions"] == 9
    assert any("'*'" in w and "06/01/2026 AM" in w for w in extraction.warnings)


def test_merged_day_headings_without_session_row(tmp_path: Path) -> None:
    tables: Tables = [
        [
            ["w/c", "Mon", None, "Tue", None, "Wed", None, "Thu", None, "Fri", None],
            ["05/01/2026", "I", "I", "I", "I", "I", "/", "N", "N", "", ""],
        ]
    ]
    extraction = from_tables(tmp_path / "g.pdf", tables, "", Method.TEXT)
    assert extraction is not None
    assert extraction.fields["possible_sessions"] == 8
    assert extraction.fields["longest_illness_run_days"] == 2
    assert extraction.fields["last_date"] == "2026-01-08"


def test_session_rows_with_date_only_on_the_am_row(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("Date,Session,Mark\n05/01/2026,AM,I\n,PM,I\n06/01/2026,AM,I\n,PM,M\n", encoding="utf-8")
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 4
    assert fields["illness_sessions"] == 3
    assert fields["longest_illness_run_days"] == 1


def test_narrow_printed_columns_wrap_dates_and_headings(tmp_path: Path) -> None:
    """LibreOffice prints a narrow first column as "13/1|0/20|25" and "Wee|k|com|men|cing"."""
    tables: Tables = [
        [
            [
                "Wee\nk\ncom\nmen\ncing",
                "Mon\nAM",
                "Mon\nPM",
                "Tue\nAM",
                "Tue\nPM",
                "Wed\nAM",
                "Wed\nPM",
                "Thu\nAM",
                "Thu\nPM",
                "Fri\nAM",
                "Fri\nPM",
            ],
            ["13/1\n0/20\n25", "/", "\\", "/", "\\", "L", "\\", "I", "I", "I", "I"],
            ["20/1\n0/20\n25", "", "", "", "", "", "", "", "", "", ""],
            ["27/1\n0/20\n25", "#", "#", "I", "I", "I", "I", "I", "M", "/", "N"],
        ]
    ]
    extraction = from_tables(tmp_path / "lo.pdf", tables, "Attendance record", Method.TEXT)
    assert extraction is not None
    assert {key: extraction.fields[key] for key in AUTUMN} == AUTUMN


def test_session_list_with_mark_and_description_columns(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "Day,Date,Session,Attendance Code,Code Description\n"
        "Mon,05/01/2026,Morning,I,Illness (not medical or dental appointments)\n"
        "Mon,05/01/2026,Afternoon,I,Illness (not medical or dental appointments)\n"
        "Tue,06/01/2026,Morning,C2,Part-time timetable\n",
        encoding="utf-8",
    )
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 3
    assert fields["authorised_absence_sessions"] == 3
    assert fields["longest_illness_run_days"] == 1


def test_holiday_notes_in_grid_cells_read_as_no_mark(tmp_path: Path) -> None:
    tables: Tables = [
        [
            ["w/c", "Mon", "Mon", "Tue", "Tue", "Wed", "Wed", "Thu", "Thu", "Fri", "Fri"],
            ["27/10/2025", "Bank Holiday", "Bank Holiday", "I", "I", "I", "I", "I", "M", "/", "N"],
            ["03/11/2025", "Half term", None, None, None, None, None, None, None, None, None],
        ],
    ]
    extraction = from_tables(tmp_path / "g.docx", tables, "", Method.DOCX)
    assert extraction is not None
    assert extraction.fields["possible_sessions"] == 8
    assert extraction.fields["longest_illness_run_days"] == 2
    assert extraction.fields["first_date"] == "2025-10-28"
    assert any("'Bank Holiday'" in w for w in extraction.warnings)


def test_dates_without_a_year_take_the_academic_year(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text(
        "Attendance 2025/26\n\nw/c,Mon AM,Mon PM,Tue AM,Tue PM,Wed AM,Wed PM,Thu AM,Thu PM,Fri AM,Fri PM\n"
        "15/12,I,I,I,I,/,\\,/,\\,/,\\\n05/01,I,I,I,I,I,I,I,I,I,I\n",
        encoding="utf-8",
    )
    fields = read_attendance(path).fields
    assert fields["first_date"] == "2025-12-15"
    assert fields["last_date"] == "2026-01-09"
    assert fields["longest_illness_run_days"] == 5


def test_week_with_am_and_pm_rows_under_a_heading(tmp_path: Path) -> None:
    tables: Tables = [
        [
            ["Week beginning", "Session", "Mon", "Tue", "Wed", "Thu", "Fri"],
            ["05/01/2026", "AM", "/", "I", "I", "I", "/"],
            ["", "PM", "\\", "I", "I", "M", "\\"],
            ["12/01/2026", "AM", "I", "I", "#", "N", "P"],
            ["", "PM", "I", "I", "#", "N", "P"],
        ]
    ]
    extraction = from_tables(tmp_path / "g.docx", tables, "", Method.DOCX)
    assert extraction is not None
    fields = extraction.fields
    assert fields["possible_sessions"] == 18
    assert fields["attended_sessions"] == 6
    assert fields["illness_sessions"] == 9
    assert fields["medical_sessions"] == 1
    assert fields["longest_illness_run_days"] == 2
    assert fields["last_date"] == "2026-01-16"


def test_week_with_am_and_pm_rows_without_heading(tmp_path: Path) -> None:
    path = tmp_path / "grid.csv"
    path.write_text("05/01/2026,AM,/,I,I,I,/\n,PM,\\,I,I,I,\\\n", encoding="utf-8")
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 10
    assert fields["longest_illness_run_days"] == 3


def test_code_p_is_a_mark_not_a_pm_label(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text("2026-01-05,P,/\n2026-01-06,A,P\n", encoding="utf-8")
    extraction = read_attendance(path)
    assert extraction.fields["possible_sessions"] == 3
    assert extraction.fields["attended_sessions"] == 3
    assert len(extraction.warnings) == 1


def test_printed_week_as_am_and_pm_lines(tmp_path: Path) -> None:
    text = "Attendance record\nw/c 05/01/2026 AM / I I I /\nPM \\ I I I \\\nw/c 12/01/2026 AM I I - N N\nPM I I - N N\n"
    extraction = from_tables(tmp_path / "p.pdf", [], text, Method.TEXT)
    assert extraction is not None
    assert extraction.fields["possible_sessions"] == 18
    assert extraction.fields["illness_sessions"] == 10
    assert extraction.fields["longest_illness_run_days"] == 3


def test_calendar_grid_a_row_per_month(tmp_path: Path) -> None:
    heading = ["Month", *(str(n) for n in range(1, 32))]
    september = ["Sep 2025", "#", "#", "/\\", "/\\", "II", "", "", *(["II"] * 5), "", "", *([""] * 17), ""]
    october = ["October 2025", "I", *([""] * 30)]
    path = tmp_path / "calendar.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([heading, september[:32], october])
    fields = read_attendance(path).fields
    assert fields["possible_sessions"] == 4 + 2 + 10 + 1
    assert fields["illness_sessions"] == 2 + 10 + 1
    assert fields["longest_illness_run_days"] == 6
    assert (fields["first_date"], fields["last_date"]) == ("2025-09-01", "2025-10-01")


def test_a_week_date_wrapped_inside_a_printed_cell_is_read() -> None:
    """A narrow printed date column wraps "01/09/2025" into pieces, joined by newlines or spaces."""
    from docgen.attendance.cells import cell_date

    assert cell_date("01/0 9/20 25") == dt.date(2025, 9, 1)
    assert cell_date("13/1\n0/20\n25") == dt.date(2025, 10, 13)
    assert cell_date("1 2 3") is None


def test_week_row_cut_by_page_break_is_joined(tmp_path: Path) -> None:
    """A printed grid's narrow w/c column: the last week on page 1 ends '10/ 11/', page 2 starts '202 5'."""
    head = ["w/c", "Mon AM", "Mon PM", "Tue AM", "Tue PM", "Wed AM", "Wed PM", "Thu AM", "Thu PM", "Fri AM", "Fri PM"]
    page1: list[list[str | None]] = [head, ["03/ 11/ 202 5", *["/", "\\"] * 5], ["10/ 11/", *["I"] * 10]]
    page2: list[list[str | None]] = [["202 5", *[""] * 10], ["17/ 11/ 202 5", *["/", "\\"] * 5]]
    extraction = from_tables(tmp_path / "grid.pdf", [page1, page2], "Attendance herringbone", Method.TEXT)
    assert extraction is not None and extraction.kind is Kind.ATTENDANCE
    assert extraction.fields["possible_sessions"] == 30
    assert extraction.fields["illness_sessions"] == 10
    # a continuation row that carries marks is a week of its own, never glued to the row above
    page2_marked: list[list[str | None]] = [["17/ 11/ 202 5", *["/", "\\"] * 5]]
    page1_whole: list[list[str | None]] = [head, ["10/ 11/ 202 5", *["I"] * 10]]
    extraction = from_tables(tmp_path / "grid.pdf", [page1_whole, page2_marked], "Attendance herringbone",
                             Method.TEXT)
    assert extraction is not None and extraction.fields["possible_sessions"] == 20


@pytest.mark.parametrize(("header", "dob"), [
    # OCR of a scanned record split the year at a gap in the print: not 03/11/2020 (issue 19, trusted at 97)
    ("Pupil name: Jacob Ashdown Date of birth: 03/11/20 12 School: St Barnabas CE High School", "2012-11-03"),
    ("Date of birth: 03/11/2012 School: St Barnabas CE High School", "2012-11-03"),
    ("DOB: 03/11/12 UPN: H330210045561", "2012-11-03"),
])
def test_a_date_of_birth_in_a_records_header(header: str, dob: str) -> None:
    assert read_header([], header)[0]["pupil_dob"] == dob


@pytest.mark.parametrize(("header", "school"), [
    # OCR read the "·" between a school's name and the printing note as ":" (freshscan3 S04 scanned): its name's
    # last word is no label, and "printed 16/11/2026 …" no school
    ("Thorpe Riverside School : printed 16/11/2026 from the school information system\nUPN J926330713088", None),
    ("Pupil name: Jacob Ashdown School: St Barnabas CE High School", "St Barnabas CE High School"),
    ("School - Thorpe Riverside School\nUPN J926330713088", "Thorpe Riverside School"),
])
def test_a_school_in_a_records_header(header: str, school: str | None) -> None:
    assert read_header([], header)[0]["school_name"] == school
