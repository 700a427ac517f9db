"""Reasons and values as written (issue 15): a decompression bomb is refused for its unpacked size; template
syntax and right-to-left text in a value appear literally in letters; a huge value is cut with a warning."""

from __future__ import annotations

import datetime as dt
import json
import zlib
from pathlib import Path

from docx import Document

from tests.corpus.writers import raw_pdf

from .conftest import TODAY, Run

LITERAL = "{{ ''.__class__ }}"
ARABIC = "مريم حداد"


def flate_bomb_pdf(path: Path, megabytes: int) -> Path:
    """A one-page PDF whose content stream inflates to `megabytes` MB (a few hundred KB on disk)."""
    squeeze = zlib.compressobj(1)
    chunk = b"0 0 m\n" * (1 << 17)
    data = b"".join(squeeze.compress(chunk) for _ in range(megabytes * (1 << 20) // len(chunk))) + squeeze.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    return raw_pdf(path, objects)


def test_a_decompression_bomb_is_refused_as_too_large_when_unpacked(ihome: Path, run: Run) -> None:
    toml = ihome / "docgen.toml"
    text = toml.read_text()
    assert "[limits]\n" in text
    toml.write_text(text.replace("[limits]\n", "[limits]\nparse_memory_mb = 300\n"))
    flate_bomb_pdf(ihome / "inbox" / "scan.pdf", 700)
    report = json.loads(run("process", "--json").stdout)
    assert [q["file"] for q in report["quarantined"]] == ["scan.pdf"]
    reason = (ihome / "quarantine" / "scan.pdf.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("too-large: Refused: too large when unpacked"), reason
    assert "damaged" not in reason and "Exception" not in reason


def _text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_template_syntax_and_right_to_left_text_in_a_value_appear_in_the_letters_as_written(
        ihome: Path, run: Run, tmp_path: Path) -> None:
    from docgen.samples.builder import make_pupil, referral_values, write_submission, write_table_docx

    today = dt.date.fromisoformat(TODAY)
    submission = write_submission(tmp_path / "stage", "accepted", seed=4, today=today, fmt="table")
    pupil = make_pupil(4, today=today)
    referral = next(f for f in submission.files if f.name.startswith("referral"))
    write_table_docx(referral, "referral", referral_values(pupil, today=today, parent_name=f"{ARABIC} {LITERAL}"),
                     label_variant=0)
    for f in submission.files:
        f.rename(ihome / "inbox" / f.name)
    result = run("process", "--json")
    assert result.returncode == 0, result.stderr
    letters = sorted((ihome / "outbox").rglob("*.docx"))
    texts = {p.name: _text(p) for p in letters}
    with_parent = [name for name, text in texts.items() if f"{ARABIC} {LITERAL}" in text]
    assert with_parent, texts.keys()
    assert all(". class" not in text for text in texts.values())


def test_a_huge_value_is_cut_with_a_warning(tmp_path: Path, run: Run) -> None:
    from docgen.samples.builder import make_pupil, referral_values, write_table_docx

    today = dt.date.fromisoformat(TODAY)
    values = referral_values(make_pupil(5, today=today), today=today, health_condition="Asthma. " * 130_000)
    form = write_table_docx(tmp_path / "referral.docx", "referral", values, label_variant=0)
    result = run("extract", str(form), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["fields"]["health_condition"]) <= 10_000
    assert any("health_condition" in w and "only the first 10,000 are kept" in w for w in data["warnings"])


def test_a_word_form_named_pdf_is_read_by_its_content_and_the_mismatch_noted(tmp_path: Path, run: Run,
                                                                             ihome: Path) -> None:
    from docgen.samples.builder import make_pupil, referral_values, write_form_docx

    today = dt.date.fromisoformat(TODAY)
    form = write_form_docx(tmp_path / "referral.pdf", "referral", referral_values(make_pupil(6, today=today),
                                                                                 today=today))
    data = json.loads(run("extract", str(form), "--json").stdout)
    assert data["kind"] == "referral" and data["method"] == "docx"
    assert "file type: the file is named .pdf but is a Word document (.docx); it was read by its content" \
        in data["warnings"]
    form.rename(ihome / "inbox" / form.name)
    report = json.loads(run("process", "--json").stdout)
    assert report["quarantined"] == [] and report["processed"][0]["kind"] == "referral"
