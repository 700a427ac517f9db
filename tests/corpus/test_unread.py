"""`docgen extract --json` names each required answer it could not read, and why (issue 13, SPEC §10).

The documents are the independent corpus's (LibreOffice tables, raw content controls); their answers are
removed or spoilt by other tools — python-docx, a zip rewrite of the XML, LibreOffice printing to PDF.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from docx import Document

from tests.corpus.writers import soffice


def _extract(path: Path, tmp: Path) -> dict[str, Any]:
    docgen = shutil.which("docgen", path=str(Path(sys.executable).parent))
    assert docgen is not None
    done = subprocess.run([docgen, "extract", str(path), "--json"], capture_output=True, text=True, timeout=60,
                          cwd=tmp, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    assert set(result) >= {"file", "kind", "method", "fields", "warnings"}
    assert all(isinstance(w, str) for w in result["warnings"])
    return result


def _unread(result: dict[str, Any]) -> dict[str, str]:
    return {m.group(1): w for w in result["warnings"] if (m := re.match(r"not read (\w+): ", w))}


def _spoil_table(source: Path, target: Path) -> None:
    """Surname row deleted, referrer email blanked, both on-roll boxes ticked, a DOB that is no date."""
    document = Document(str(source))
    for row in list(document.tables[0].rows):
        label = row.cells[0].text
        if label == "Legal surname":
            row._tr.getparent().remove(row._tr)
        elif label == "Referrer email":
            row.cells[1].text = ""
        elif label.startswith("Is the young person on the roll"):
            row.cells[1].text = "☒ Yes ☒ No"
        elif label == "Date of birth":
            row.cells[1].text = "31/02/2013"
    document.save(str(target))


def _check_table_reasons(result: dict[str, Any]) -> None:
    assert result["kind"] == "referral"
    unread = _unread(result)
    assert "not found" in unread["pupil_surname"] and "'Legal surname'" in unread["pupil_surname"]
    assert "blank" in unread["referrer_email"]
    assert "cannot be read" in unread["pupil_dob"] and "not a real date" in unread["pupil_dob"]
    assert "cannot be read" in unread["pupil_on_roll"] and "both Yes and No" in unread["pupil_on_roll"]
    assert all(w.endswith("key it in by hand from the original") for w in unread.values())
    # answers that were read are never named
    assert result["fields"]["pupil_forename"] and "pupil_forename" not in unread
    assert "Thurlow" not in " ".join(unread.values())  # the reasons carry no personal data


def test_unread_answers_named_in_word_table_and_its_pdf(corpus_folder: Path, tmp_path: Path) -> None:
    spoilt = tmp_path / "referral-spoilt.docx"
    _spoil_table(corpus_folder / "referral-00-lo-table-docx.docx", spoilt)
    _check_table_reasons(_extract(spoilt, tmp_path))
    soffice([spoilt], "pdf", tmp_path)  # the same form printed to PDF: the same answers named
    printed = _extract(tmp_path / "referral-spoilt.pdf", tmp_path)
    assert printed["method"] == "text"
    _check_table_reasons(printed)


def test_unread_answer_in_content_control(corpus_folder: Path, tmp_path: Path) -> None:
    """A content control holding Word's placeholder text (its flag lost in a copy) is a blank answer, named as such."""
    source = corpus_folder / "referral-00-sdt-docx.docx"
    target = tmp_path / "referral-sdt-spoilt.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode("utf-8")
                phone = re.search(r"Referrer telephone.*?<w:sdtContent>(.*?)</w:sdtContent>", xml, re.S)
                assert phone is not None
                placeholder = '<w:r><w:t>Click or tap here to enter text.</w:t></w:r>'
                xml = xml[:phone.start(1)] + placeholder + xml[phone.end(1):]
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    result = _extract(target, tmp_path)
    assert result["kind"] == "referral"
    unread = _unread(result)
    assert set(unread) == {"referrer_phone"}, result["warnings"]
    assert "blank" in unread["referrer_phone"]
