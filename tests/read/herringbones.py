"""Herringbones laid out by other tools than docgen: HTML printed by headless Chromium, a python-docx table
converted by LibreOffice. Each knows its own marks, so a test knows the truth it should read."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

ABSENT = ("I", "M", "U", "N", "C", "#", "X")
COUNTED_ABSENT = {"I", "M", "U", "N", "C"}  # "#" (closed) and "X" (not required) are no possible session


@dataclass(frozen=True)
class Register:
    """Weeks of marks (ten a week, Mon AM … Fri PM; "" for no mark) from `start`, and the pupil they are for."""

    marks: list[list[str]]
    start: dt.date
    name: str = "Rowan Pettigrew"
    dob: str = "22/11/2012"
    school: str = "Saxlingham Heath Primary"

    @property
    def possible(self) -> int:
        return sum(1 for week in self.marks for m in week if m in ("/", "\\") or m in COUNTED_ABSENT)

    @property
    def attended(self) -> int:
        return sum(1 for week in self.marks for m in week if m in ("/", "\\"))

    @property
    def pct(self) -> float:
        return round(100 * self.attended / self.possible, 1)

    @property
    def illness(self) -> int:
        return sum(1 for week in self.marks for m in week if m == "I")

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(weeks=len(self.marks), days=-3)


def register(weeks: int, seed: int, start: dt.date = dt.date(2025, 9, 1)) -> Register:
    """A pupil's weeks: mostly present, some illness, a few other codes and empty sessions."""
    rng = random.Random(seed)
    out: list[list[str]] = []
    for _week in range(weeks):
        row: list[str] = []
        for _day in range(5):
            r = rng.random()
            if r < 0.6:
                row += ["/", "\\"]
            elif r < 0.8:
                row += ["I", "I"]
            elif r < 0.85:
                row += ["", ""]
            else:
                code = rng.choice(ABSENT)
                row += [code, rng.choice([code, "\\"])]
        out.append(row)
    return Register(out, start)


def chromium_pdf(reg: Register, out: Path, *, font: str = "Arial, sans-serif", cell_mm: tuple[int, int] = (8, 7)) -> Path:
    """The register as an HTML table (merged day headings over AM/PM cells) printed to PDF by headless Chromium."""
    days = "".join(f'<th colspan="2">{d}</th>' for d in ("Mon", "Tue", "Wed", "Thu", "Fri"))
    rows = []
    for n, week in enumerate(reg.marks):
        cells = "".join(f"<td>{m.replace(chr(92), '&#92;')}</td>" for m in week)
        rows.append(f"<tr><th class=w>w/c {reg.start + dt.timedelta(weeks=n):%d/%m/%Y}</th>{cells}</tr>")
    width, height = cell_mm
    html = f"""<html><head><style>
body {{ font-family: {font}; font-size: 11pt; margin: 15mm; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #000; width: {width}mm; height: {height}mm; text-align: center; font-weight: normal;
          padding: 0; }}
th.w {{ width: 34mm; text-align: left; padding-left: 2mm; }}
</style></head><body>
<h2>Attendance Record</h2>
<p>Pupil name: {reg.name} &nbsp;&nbsp; Date of birth: {reg.dob}<br>School: {reg.school}<br>
Period: {reg.start:%d/%m/%Y} to {reg.end:%d/%m/%Y}</p>
<table><tr><th class=w>Week</th>{days}</tr>{"".join(rows)}</table>
<p>Key: / present AM, &#92; present PM, I illness, M medical appointment, U late after register closed,
N no reason, C other authorised, # school closed, X not required to attend</p>
</body></html>"""
    return print_html(html, out)


def print_html(html: str, out: Path) -> Path:
    """An HTML page printed to PDF by headless Chromium (its own profile in a work folder beside `out`)."""
    work = out.parent / f"{out.stem}-chromium"
    work.mkdir(exist_ok=True)
    page = work / "page.html"
    page.write_text(html, encoding="utf-8")
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={work / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={out}",
                    str(page)], check=True, capture_output=True, timeout=120)
    return out


def libreoffice_pdf(reg: Register, out: Path, *, font: str = "Liberation Serif") -> Path:
    """The register as a python-docx table ("Table Grid", merged day headings) converted to PDF by LibreOffice."""
    import docx
    from docx.shared import Mm, Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = font  # type: ignore[attr-defined]
    style.font.size = Pt(10)  # type: ignore[attr-defined]
    document.add_heading("Attendance Record", 1)
    document.add_paragraph(f"Pupil name: {reg.name}    Date of birth: {reg.dob}")
    document.add_paragraph(f"School: {reg.school}    Period: {reg.start:%d/%m/%Y} to {reg.end:%d/%m/%Y}")
    table = document.add_table(rows=1 + len(reg.marks), cols=11)
    table.style = "Table Grid"
    table.autofit = False
    heading = table.rows[0].cells
    heading[0].text = "Week"
    for n, day in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri")):
        heading[1 + 2 * n].merge(heading[2 + 2 * n]).text = day
    for n, week in enumerate(reg.marks):
        cells = table.rows[n + 1].cells
        cells[0].text = f"w/c {reg.start + dt.timedelta(weeks=n):%d/%m/%Y}"
        for m, mark in enumerate(week):
            cells[1 + m].text = mark
    table.columns[0].width = Mm(36)
    for column in list(table.columns)[1:]:
        column.width = Mm(11)
    for row in table.rows:
        row.cells[0].width = Mm(36)
        for cell in row.cells[1:]:
            cell.width = Mm(11)
    work = out.parent / f"{out.stem}-lo"
    work.mkdir(exist_ok=True)
    source = work / f"{out.stem}.docx"
    document.save(str(source))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work / 'profile'}", "--convert-to", "pdf",
                    "--outdir", str(work), str(source)], check=True, capture_output=True, timeout=180)
    (work / f"{out.stem}.pdf").replace(out)
    return out
