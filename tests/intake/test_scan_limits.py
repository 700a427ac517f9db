"""OCR stays inside the isolated workers' limits (SPEC §16, §11): a 40-page scan and a 12,000 × 12,000
photo never stall `docgen process`; the long scan goes to a person with a clear reason and the other
files are read as usual. The scans are made by poppler and Pillow, not by docgen."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import img2pdf
from PIL import Image

from docgen.kinds import UNREADABLE_SCAN
from tests.read.scans import jpeg, render

from .conftest import Run, submission

LIMITS = "\n[limits]\nparse_seconds = 15.0\n"


def test_a_long_scan_and_a_huge_photo_do_not_stall_the_intake(ihome: Path, run: Run, tmp_path: Path) -> None:
    toml = ihome / "docgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("\n[limits]\nparse_seconds = 20.0\n", LIMITS),
                    encoding="utf-8")
    paper = tmp_path / "paper"
    paper.mkdir()
    files = submission(paper)
    referral = next(f for f in files if f.name.startswith("referral"))
    pages = tmp_path / "pages"
    pages.mkdir()
    page = render(referral, pages, dpi=150)[0]
    inbox = ihome / "inbox"
    (inbox / "long-scan.pdf").write_bytes(img2pdf.convert([jpeg(page, quality=60, dpi=150)] * 40))
    huge = Image.new("L", (12_000, 12_000), 255)
    huge.paste(page.resize((8_480, 12_000)), (1_760, 0))
    huge.save(inbox / "huge-photo.jpg", quality=40)
    del huge
    other = next(f for f in files if f.suffix == ".csv")
    other.rename(inbox / other.name)

    result = run("process", "--json", timeout=180)  # the worker's limit is 15 s a file; nothing waits on the long ones
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # neither is quarantined: a scan too long to read goes to a person; the 144-megapixel JPEG is decoded at
    # half scale (36 megapixels, under the OCR cap), well inside the worker's memory limit
    assert report["quarantined"] == [], report["quarantined"]
    outcomes = {e["file"]: (e["kind"], e["outcome"]) for e in report["processed"]}
    # pages not read may hold the answers that look missing: a person keys them in, no request is sent
    assert outcomes["long-scan.pdf"][1] == "review", outcomes
    assert outcomes["huge-photo.jpg"][1] == "review", outcomes
    assert outcomes["attendance.csv"][0] == "attendance", outcomes  # the other file is read as usual
    conn = sqlite3.connect(ihome / ".docgen" / "docgen.sqlite3")
    try:
        rows = {r[0]: json.loads(r[1]) for r in conn.execute("SELECT display_name, extraction_json FROM documents")}
    finally:
        conn.close()
    long_scan = rows["long-scan.pdf"]
    assert long_scan["method"] == "ocr"
    assert any(UNREADABLE_SCAN in w for w in long_scan["warnings"]), long_scan["warnings"]
    notes = {p.get("note") for p in long_scan["ocr"]["pages"] if not p["readable"]}
    assert "not reached in time" in notes, notes
    assert len(long_scan["ocr"]["pages"]) == 40
    # the photo scaled to what OCR needs: read, or (on a machine too busy to read it in 15 s) flagged
    photo = rows["huge-photo.jpg"]
    assert photo["method"] == "ocr"
    page = photo["ocr"]["pages"][0]
    if page["readable"]:
        assert photo["fields"].get("pupil_surname"), photo["fields"]
    else:
        assert page.get("note") == "not reached in time", page
