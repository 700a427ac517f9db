"""What runs inside an isolated worker: read one inbox item or one bundle member (plain data back)."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from docgen.config import Limits, Settings
from docgen.errors import DocgenError, RenderError
from docgen.kinds import Extraction

_SERVICES: dict[tuple[str, str], Any] = {}


def read_item(path: str, workdir: str, limits: Limits, searchable: bool = True) -> tuple[str, Extraction | list[str]]:
    """Sniff an inbox item: a bundle (email, zip, folder) is unpacked, a document extracted (with a scan's
    searchable PDF/A unless `searchable` is off: `[ocr] searchable_pdf`)."""
    from docgen.read.bundle import unpack
    from docgen.read.extract import extract
    from docgen.read.sniff import FileType, sniff

    started = time.monotonic()
    source = Path(path)
    if source.is_dir() and not source.is_symlink():
        return "bundle", [p.name for p in unpack(source, Path(workdir), limits)]
    file_type = sniff(source, limits)
    if file_type in (FileType.EML, FileType.MSG, FileType.ZIP):
        return "bundle", [p.name for p in unpack(source, Path(workdir), limits)]
    scans: list[Any] = []
    extraction = extract(source, limits, scans=scans)
    if scans and searchable:
        extraction = _with_searchable(source, extraction, scans[0], Path(workdir) / SEARCHABLE_WORK_NAME,
                                      file_type is FileType.PDF, limits.parse_seconds * 0.95 - (time.monotonic() - started))
    return "document", _marked(source, extraction)


def _marked(source: Path, extraction: Extraction) -> Extraction:
    """The extraction with docgen's mark looked up here, in the worker (a letter saved back is known by it)."""
    from docgen.marker import is_docgen_output
    from docgen.read.sniff import docx_core, opened_pdf

    return dataclasses.replace(extraction, marked=is_docgen_output(source, pdf_reader=opened_pdf(source),
                                                                   docx_core=docx_core(source)))


SEARCHABLE_WORK_NAME = ".searchable.pdf"  # a dot: never the name of an inbox file in the work dir


def _with_searchable(source: Path, extraction: Extraction, scan: Any, target: Path, is_pdf: bool,
                     seconds_left: float) -> Extraction:
    """A scan's searchable PDF/A, made in this worker from the OCR just done (SPEC §16), noted in the
    extraction's `ocr` for the archive to keep beside the original; none when the time is nearly spent."""
    from docgen.read.searchable import write_searchable

    if seconds_left < 3 or not any(p.words for p in scan.pages):
        return extraction
    target.parent.mkdir(parents=True, exist_ok=True)
    made = write_searchable(source, scan.pages, target, is_pdf=is_pdf, timeout=seconds_left)
    if made is None:
        return extraction
    return dataclasses.replace(extraction, ocr={**(extraction.ocr or {}), "searchable": str(made)})


def read_member(path: str, limits: Limits, searchable: bool = True) -> Extraction:
    """Extract one unpacked member of a bundle (a scanned attachment gets its searchable PDF/A too, beside
    the member in the bundle's work folder, under a dotted name that is never a member's)."""
    from docgen.read.extract import extract
    from docgen.read.sniff import FileType, sniff

    started = time.monotonic()
    source = Path(path)
    scans: list[Any] = []
    extraction = extract(source, limits, scans=scans)
    if scans and searchable:
        work = source.with_name(f".{source.name}{SEARCHABLE_WORK_NAME}")
        extraction = _with_searchable(source, extraction, scans[0], work, sniff(source, limits) is FileType.PDF,
                                      limits.parse_seconds * 0.95 - (time.monotonic() - started))
    return _marked(source, extraction)


JUDGE_FAILED = "judge-failed"


def _crash_hook(crash_at: str | None) -> Any:
    """The intake's DOCGEN_CRASH_AT, in a worker: the worker dies at that step (the pool reports the case
    failed, the next pass finishes it)."""
    if crash_at is None:
        return None

    def step(name: str) -> None:
        if name == crash_at:
            os._exit(137)

    return step


def judge_case(settings: Settings, today: dt.date, case: str, crash_at: str | None = None) -> tuple[Any, ...]:
    """Judge one case in a worker (letters render on every core).

    Returns (outcome, letters written), or (JUDGE_FAILED, cause code[, our own message]) when it could not be
    done (a full disk, a locked database, a letter template that will not render …): the case is tried again
    later, and `docgen status` says why in words.
    """
    from docgen import db
    from docgen.cases.service import CaseService
    from docgen.intake.isolate import unlimited
    from docgen.intake.problems import cause_of

    key = (str(settings.database), today.isoformat())
    try:
        service = _SERVICES.get(key)
        if service is None:
            conn: sqlite3.Connection = db.connect(settings.database, create=False)
            service = _SERVICES[key] = CaseService(settings, conn, today=today, step=_crash_hook(crash_at))
        with unlimited():  # our own code and LibreOffice, not an untrusted parser
            judgement = service.judge(case)
    except RenderError as exc:  # the case is checked, its letters wait: say which part failed, in words
        return JUDGE_FAILED, "letter-failed", str(exc)
    except DocgenError:
        raise  # our own one-line message goes through as it is
    except Exception as exc:  # noqa: BLE001 - reported by cause; the case stays due
        failed = _SERVICES.pop(key, None)
        if failed is not None:
            with contextlib.suppress(Exception):
                failed.conn.close()
        return JUDGE_FAILED, cause_of(exc)
    return judgement.outcome, len(judgement.letters)
