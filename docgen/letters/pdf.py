"""PDF copies of letters through LibreOffice: one converter process per batch (SPEC §8).

The batch is staged in a private work folder (so letters of different cases with the same
name share one run), converted by one LibreOffice process with a private profile (so it
never collides with a desktop session or another docgen process), under a timeout, with
two retries for the files still missing. Each PDF is checked (non-empty, starts `%PDF`)
and only then moved beside its .docx atomically: no half-written PDF is ever visible.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tenacity import Retrying, retry_if_result, stop_after_attempt

from docgen.errors import RenderError
from docgen.files import write_atomic

RETRIES = 2


@dataclass(frozen=True)
class PdfResult:
    """What a batch conversion gave: the PDFs written, and a note when conversion was skipped."""

    pdfs: list[Path] = field(default_factory=list)
    note: str = ""


STALE_SECONDS = 3600.0


def clean_scratch(scratch: Path, *, older_than: float = STALE_SECONDS) -> int:
    """Remove work and profile folders a killed conversion left in `scratch` (and in the system temp folder,
    where earlier versions put them); a folder younger than `older_than` seconds may be in use. Returns count."""
    import time

    removed = 0
    now = time.time()
    places = [(scratch, "docgen-"), (Path(tempfile.gettempdir()), "docgen-lo-")]
    for folder, prefix in places:
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            try:
                if not entry.name.startswith(prefix) or entry.is_symlink() or not entry.is_dir() \
                        or now - entry.stat().st_mtime < older_than:
                    continue
            except OSError:
                continue
            shutil.rmtree(entry, ignore_errors=True)
            removed += 1
    return removed


def converter() -> str | None:
    """The LibreOffice executable, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_batch(docx_files: Sequence[Path], *, mode: str = "auto", timeout: float = 120.0,
                  retries: int = RETRIES, scratch: Path | None = None) -> PdfResult:
    """Write `<name>.pdf` beside each .docx with one LibreOffice process; return the PDFs.

    `mode` is the `[letters] pdf` setting: "off" converts nothing, "auto" skips with a note
    when LibreOffice is missing, "on" makes a missing LibreOffice a RenderError. `scratch` (the home's
    `.docgen/lo/`) holds the work folder and LibreOffice's profile instead of the system temp folder, so
    that what a kill leaves behind is found and removed at the next start (`clean_scratch`).
    """
    if scratch is not None:
        scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
    files = list(docx_files)
    if mode == "off" or not files:
        return PdfResult(note="PDF copies are turned off" if mode == "off" else "")
    program = converter()
    if program is None:
        if mode == "on":
            raise RenderError("PDF copies are turned on ([letters] pdf = \"on\") but LibreOffice (soffice) "
                              "is not installed; install it or set pdf = \"auto\"")
        return PdfResult(note="LibreOffice is not installed, so no PDF copies were made")
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-", dir=scratch) as work_dir:
        work = Path(work_dir)
        # unique names, so letters of different cases with the same file name share one run
        staged = {work / f"{i:04d}-{source.name}": source for i, source in enumerate(files)}
        for copy, source in staged.items():
            try:
                shutil.copyfile(source, copy)
            except OSError as exc:
                raise RenderError(f"{source.name} cannot be read for its PDF copy ({exc})") from exc
        out = work / "pdf"
        out.mkdir()
        pending = {copy: out / f"{copy.stem}.pdf" for copy in staged}
        errors: list[str] = []

        def convert_missing() -> dict[Path, Path]:
            """One LibreOffice run over the files still without a good PDF; returns those still missing."""
            nonlocal pending
            error = _run(program, out, list(pending), timeout, scratch)
            if error:
                errors.append(error)
            pending = {c: p for c, p in pending.items() if not _is_pdf(p)}
            return pending

        # the first run and up to `retries` more, each over what is still missing (tenacity)
        Retrying(stop=stop_after_attempt(retries + 1), retry=retry_if_result(bool),
                 retry_error_callback=lambda _state: None)(convert_missing)
        if pending:
            names = ", ".join(staged[c].name for c in pending)
            detail = f" ({errors[-1]})" if errors else ""
            raise RenderError(f"LibreOffice could not make a PDF copy of {names}{detail}; the Word letters "
                              "are kept and PDFs can be made again later")
        pdfs = []
        for copy, source in staged.items():
            target = source.with_suffix(".pdf")
            write_atomic(target, (out / f"{copy.stem}.pdf").read_bytes())
            pdfs.append(target)
    return PdfResult(pdfs=pdfs)


def _run(program: str, out_dir: Path, sources: Sequence[Path], timeout: float, scratch: Path | None = None) -> str:
    """One soffice process with a private profile; returns an error description or ""."""
    with tempfile.TemporaryDirectory(prefix="docgen-lo-", dir=scratch) as profile:
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
            "--convert-to", "pdf", "--outdir", str(out_dir),
            *(str(s) for s in sources),
        ]
        try:
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            return f"LibreOffice could not be started: {exc}"
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            return f"LibreOffice took longer than {timeout:g} seconds"
        if proc.returncode != 0:
            return f"LibreOffice exited with code {proc.returncode}: {err.decode(errors='replace').strip()[:200]}"
        return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Stop the converter and any helper it started (it runs in its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()
    proc.wait()


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(5)
        return head == b"%PDF-" and path.stat().st_size > 100
    except OSError:
        return False
