"""Produce documents: render a template, write `<yyyy-mm-dd>-<document>.docx` atomically, add PDFs.

The output name depends only on the date and the document, so re-running after a crash
overwrites the same file rather than leaving a second letter (RELIABILITY 17).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docgen.config import Settings
from docgen.errors import RenderError
from docgen.files import fsync_dir, make_dir, write_atomic_many
from docgen.letters.context import DocumentName
from docgen.letters.pdf import convert_batch
from docgen.letters.registry import letter
from docgen.letters.render import CompiledTemplate

_cache: dict[tuple[Path, int, int], CompiledTemplate] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Job:
    """One document to produce in a batch."""

    document: DocumentName
    context: Mapping[str, Any]
    out_dir: Path
    on: dt.date


def template_path(document: DocumentName, settings: Settings) -> Path:
    """Where the template of `document` lives (`[letters] templates` folder, else the shipped one)."""
    return settings.templates_dir / letter(document).template


def compiled(path: Path) -> CompiledTemplate:
    """The CompiledTemplate of `path`, cached until the file changes (path + mtime + size)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise RenderError(f"letter template {path.name} is missing from {path.parent}") from exc
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    template = CompiledTemplate.load(path)
    with _lock:
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = template
    return template


def output_path(document: DocumentName, out_dir: Path, on: dt.date) -> Path:
    """`out_dir/<yyyy-mm-dd>-<document>.docx` (SPEC §8)."""
    return out_dir / f"{on.isoformat()}-{DocumentName(document).value}.docx"


def produce(document: DocumentName, context: Mapping[str, Any], out_dir: Path, settings: Settings, *,
            on: dt.date, pdf: bool | None = None) -> list[Path]:
    """Write one document (and its PDF copy per settings, or per `pdf` when given); return the paths."""
    return produce_batch([Job(document, context, out_dir, on)], settings, pdf=pdf)


def produce_batch(jobs: Iterable[Job], settings: Settings, *, pdf: bool | None = None,
                  sync_folders: bool = True) -> list[Path]:
    """Write every job's .docx, then make all their PDFs in one LibreOffice run; return all paths.

    Each file is fsynced (the batch's fsyncs issued together); each folder once after the batch (never, with `sync_folders=False`: the caller
    moves the files on and syncs their final folder).
    """
    rendered: list[tuple[Path, bytes]] = []
    for job in jobs:
        template = compiled(template_path(job.document, settings))
        data = template.render(job.context)
        path = output_path(job.document, job.out_dir, job.on)
        template.verify(data, path.name)  # before writing: never a letter that does not open under its name
        make_dir(job.out_dir)
        rendered.append((path, data))
    write_atomic_many(rendered, sync_folders=False)  # each fsynced before its rename, all fsyncs together
    written = [path for path, _data in rendered]
    if sync_folders:
        for folder in dict.fromkeys(p.parent for p in written):
            fsync_dir(folder)
    mode = settings.pdf if pdf is None else ("on" if pdf else "off")
    result = convert_batch(written, mode=mode, timeout=settings.pdf_timeout_seconds,
                           scratch=settings.state_dir / "lo")
    return written + result.pdfs
