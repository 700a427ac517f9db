"""Round trips (issue 2): values put into a document come back out of `docgen.read.extract.extract`.

The project's own blank forms are filled programmatically (PDF AcroForm, DOCX content controls),
flattened (pypdf) and printed (LibreOffice), and rebuilt as plain label/value DOCX tables and
"Label: value" paragraphs with label aliases; every rendering must read back as the values
put in, normalised per SPEC §3. One LibreOffice call prints all the documents that need it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docgen.forms import FORMS
from docgen.read.extract import extract
from docgen.samples.builder import (
    continuation_values,
    convert_to_pdf,
    jmp_consent_values,
    jmp_health_values,
    make_pupil,
    referral_values,
    write_flattened_pdf,
    write_form_docx,
    write_form_pdf,
    write_paragraph_docx,
    write_table_docx,
)

TODAY = dt.date(2026, 3, 2)
KINDS = ("referral", "continuation", "jmp_health", "jmp_consent")
SEEDS = (3, 8)
Writer = Callable[[Path, str, dict[str, Any]], Path]

WRITERS: dict[str, tuple[str, Writer]] = {
    "pdf-form": ("pdf", write_form_pdf),
    "docx-form": ("docx", write_form_docx),
    "table-labels": ("docx", lambda p, k, v: write_table_docx(p, k, v, label_variant=0)),
    "table-alias1": ("docx", lambda p, k, v: write_table_docx(p, k, v, label_variant=1)),
    "table-alias2": ("docx", lambda p, k, v: write_table_docx(p, k, v, label_variant=2)),
    "table-two-per-row": ("docx", lambda p, k, v: write_table_docx(p, k, v, label_variant=1, two_per_row=True)),
    "paragraphs": ("docx", lambda p, k, v: write_paragraph_docx(p, k, v, label_variant=0)),
    "paragraphs-alias": ("docx", lambda p, k, v: write_paragraph_docx(p, k, v, label_variant=1)),
}
PRINTED = ("docx-form", "table-alias1", "paragraphs-alias")  # printed to PDF by LibreOffice


def sample_values(kind: str, seed: int) -> dict[str, Any]:
    """Complete values; the second seed adds accents, apostrophes and multi-line answers."""
    pupil = make_pupil(seed, today=TODAY)
    tricky: dict[str, Any] = {}
    if seed == SEEDS[1]:
        pupil.forename, pupil.surname = "Zoë", "O'Connor-Bénard"
    if kind == "referral":
        # An EHCP case too, so the conditional fields and both answers of the yes/no questions are exercised.
        if seed == SEEDS[1]:
            tricky = {"pupil_ehcp": True, "ehcp_coordinator": "Jo Abbott", "chk_senco_assessment": True,
                      "pupil_address": "Flat 2\n14 Quay Street\nNorwich", "pupil_preferred_name": "Zo"}
        return referral_values(pupil, today=TODAY, **tricky)
    if kind == "continuation":
        if seed == SEEDS[1]:
            tricky = {"progress_summary": "Maths: good progress.\nEnglish: reading daily; essays started."}
        return continuation_values(pupil, provision_start=dt.date(2026, 1, 5), today=TODAY, **tricky)
    if kind == "jmp_health":
        if seed == SEEDS[1]:
            tricky = {"contact_type": "video", "unfit_for_school": "part_time", "seen_in_person": False,
                      "professional_registration": None}
        return jmp_health_values(pupil, today=TODAY, **tricky)
    return jmp_consent_values(pupil, today=TODAY, **({"gillick_competent": None} if seed == SEEDS[1] else {}))


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int, str], Path]:
    """Every rendering of every kind and seed, plus the flattened and printed PDFs."""
    folder = tmp_path_factory.mktemp("roundtrip")
    made: dict[tuple[str, int, str], Path] = {}
    to_print: list[Path] = []
    for kind in KINDS:
        for seed in SEEDS:
            values = sample_values(kind, seed)
            for name, (suffix, writer) in WRITERS.items():
                path = writer(folder / f"{kind}-{seed}-{name}.{suffix}", kind, values)
                made[(kind, seed, name)] = path
                if name in PRINTED:
                    to_print.append(path)
            made[(kind, seed, "flattened-pdf")] = write_flattened_pdf(
                folder / f"{kind}-{seed}-flattened.pdf", kind, values)
    for source, pdf in zip(to_print, convert_to_pdf(to_print, folder / "printed"), strict=True):
        kind, seed, name = source.stem.split("-", 2)
        made[(kind, int(seed), f"printed-{name}")] = pdf
    return made


def _squash(value: Any) -> Any:
    return re.sub(r"\s+", " ", value).strip() if isinstance(value, str) else value


def mismatches(kind: str, seed: int, path: Path) -> dict[str, tuple[Any, Any]]:
    """Fields whose extracted value differs from the value put in: {key: (expected, extracted)}."""
    schema = FORMS[kind]
    expected, warnings = schema.convert(sample_values(kind, seed))
    assert not warnings
    extraction = extract(path)
    assert extraction.kind == kind, (extraction.kind, extraction.reason, extraction.warnings)
    wrong: dict[str, tuple[Any, Any]] = {}
    for key, want in expected.items():
        got = extraction.fields.get(key)
        if _squash(want) != _squash(got):
            wrong[key] = (want, got)
    return wrong


CASES = [(kind, seed, name) for kind in KINDS for seed in SEEDS for name in WRITERS]


@pytest.mark.parametrize(("kind", "seed", "name"), CASES, ids=["-".join(map(str, c)) for c in CASES])
def test_filled_and_rebuilt_forms_read_back(documents: dict[tuple[str, int, str], Path], kind: str, seed: int,
                                            name: str) -> None:
    assert mismatches(kind, seed, documents[(kind, seed, name)]) == {}


PRINTED_CASES = [(kind, seed, f"printed-{name}") for kind in KINDS for seed in SEEDS for name in PRINTED]


@pytest.mark.parametrize(("kind", "seed", "name"), PRINTED_CASES, ids=["-".join(map(str, c)) for c in PRINTED_CASES])
def test_printed_forms_read_back(documents: dict[tuple[str, int, str], Path], kind: str, seed: int,
                                 name: str) -> None:
    assert mismatches(kind, seed, documents[(kind, seed, name)]) == {}


@pytest.mark.parametrize("kind", KINDS)
def test_flattened_pdf_forms_read_back(documents: dict[tuple[str, int, str], Path], kind: str) -> None:
    """A flattened form keeps its answers as text (typed values, ☒/☐ boxes) and has no fields left."""
    for seed in SEEDS:
        assert mismatches(kind, seed, documents[(kind, seed, "flattened-pdf")]) == {}, seed


def test_filled_pdf_reads_as_acroform_and_docx_as_docx(documents: dict[tuple[str, int, str], Path]) -> None:
    assert extract(documents[("referral", SEEDS[0], "pdf-form")]).method == "acroform"
    assert extract(documents[("referral", SEEDS[0], "docx-form")]).method == "docx"
    assert extract(documents[("referral", SEEDS[0], "printed-table-alias1")]).method == "text"


def test_blank_answers_read_back_as_null(tmp_path: Path) -> None:
    values = sample_values("referral", SEEDS[0])
    values.update(pupil_ehe=None, chk_reduced_exams=None, pupil_gender=None, days_absent=None)
    pdf = write_form_pdf(tmp_path / "referral-0-blanks.pdf", "referral", values)
    docx = write_form_docx(tmp_path / "referral-0-blanks.docx", "referral", values)
    for path in (pdf, docx):
        fields = extract(path).fields
        assert [fields.get(k) for k in ("pupil_ehe", "chk_reduced_exams", "pupil_gender", "days_absent")] == [
            None, None, None, None], path.suffix
        assert fields.get("pupil_on_roll") is True and fields.get("pupil_looked_after") is False


@pytest.mark.parametrize("writer", [write_form_pdf, write_form_docx, write_table_docx, write_paragraph_docx],
                         ids=["pdf-form", "docx-form", "table", "paragraphs"])
def test_markup_and_unusual_letters_are_kept_as_text(tmp_path: Path, writer: Writer) -> None:
    """Values are data: template syntax, XML and non-English letters come back exactly."""
    values = sample_values("referral", SEEDS[0])
    values.update(pupil_preferred_name="{{ name }} <b>Jo</b> & “Jojo”", pupil_forename="Łucja-Zoë",
                  health_condition="Asthma; {% if x %}severe{% endif %} & <i>eczema</i>")
    suffix = "pdf" if writer is write_form_pdf else "docx"
    path = writer(tmp_path / f"referral-markup.{suffix}", "referral", values)
    fields = extract(path).fields
    assert (fields.get("pupil_preferred_name"), fields.get("pupil_forename"), fields.get("health_condition")) == (
        "{{ name }} <b>Jo</b> & “Jojo”", "Łucja-Zoë", "Asthma; {% if x %}severe{% endif %} & <i>eczema</i>")
