"""Files the desk hands out: originals byte for byte, page images, letters, the archive export, merges.

An original is read from the archive and checked against its SHA-256 before it is sent: what the
officer downloads is exactly what was received. PDFs open in the browser; anything else downloads.
"""

from __future__ import annotations

import hashlib
import io
import re
import sqlite3
import tempfile
import zipfile
from pathlib import Path

from starlette.responses import Response

from docgen.cases import store
from docgen.cases.merge_rows import register_rows
from docgen.cases.model import State
from docgen.errors import DocgenError, ExtractionError
from docgen.letters.letterhead import letterhead
from docgen.letters.merge import merge_rows, read_rows
from docgen.read.sniff import FileType, sniff
from docgen.records.export import export as export_case
from docgen.web import images
from docgen.web.framework import Ctx, DeskError, not_found, private_path, route

_TYPES = {".pdf": "application/pdf",
          ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          ".csv": "text/csv", ".eml": "message/rfc822", ".zip": "application/zip", ".txt": "text/plain"}


def _disposition(kind: str, name: str) -> str:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "document"
    return f'{kind}; filename="{ascii_name}"'


def _send(data: bytes, name: str, *, inline: bool) -> Response:
    suffix = Path(name).suffix.lower()
    media = _TYPES.get(suffix, "application/octet-stream") if inline or suffix in _TYPES else "application/octet-stream"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": _disposition("inline" if inline else "attachment", name)})


def _case_document(ctx: Ctx) -> sqlite3.Row:
    ref = ctx.ref()
    sha = str(ctx.request.path_params["sha256"]).lower()
    row = store.filed.of_case(ctx.conn, ref, sha)
    if row is None:
        raise not_found(f"{ref} has no document with that SHA-256; the case page lists its documents")
    return row


def _document_row(ctx: Ctx) -> sqlite3.Row:
    if "ref" in ctx.request.path_params:
        return _case_document(ctx)
    sha = str(ctx.request.path_params["sha256"]).lower()
    row = next(iter(store.filed.by_sha256(ctx.conn, sha)), None)
    if row is None:
        raise not_found("there is no document with that SHA-256")
    return row


@route()
def original(ctx: Ctx) -> Response:
    """The original as received (checked against its hash): PDF inline, anything else as a download."""
    row = _document_row(ctx)
    path = private_path(ctx.desk.settings.archive, row["archive_path"])
    try:
        data = path.read_bytes()
    except OSError:
        raise DeskError("the archived copy of this document cannot be read; run `docgen archive verify`", 500) from None
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        raise DeskError("the archived copy no longer matches its SHA-256, so it is not sent; restore it from "
                        "backup (`docgen archive verify` lists the damage)", 500)
    ctx.record("downloaded_original", case=row["case_ref"], sha256=row["sha256"])
    return _send(data, row["display_name"], inline=data.startswith(b"%PDF"))


@route()
def page_image(ctx: Ctx) -> Response:
    """Page n of a document as PNG, with a box where each value was read."""
    row = _document_row(ctx)
    raw = str(ctx.request.path_params["n"])
    if not raw.isdigit() or int(raw) < 1:
        raise not_found(f"page {raw!r} is not a page number")
    return Response(images.render(ctx.desk, row, int(raw)), media_type="image/png")


@route()
def letter(ctx: Ctx) -> Response:
    """A produced letter: its PDF when there is one, else the Word document."""
    ref = ctx.ref()
    name = str(ctx.request.path_params["name"])
    stem = name.removesuffix(".pdf").removesuffix(".docx")
    for row in store.letters.of_case(ctx.conn, ref, done_only=True):
        docx = private_path(ctx.desk.settings.home, row["path"])
        if docx.stem != stem:
            continue
        pdf = docx.with_suffix(".pdf")
        chosen = pdf if pdf.is_file() and not name.endswith(".docx") else docx
        if not chosen.is_file():
            raise DeskError(f"{chosen.name} is missing from the outbox; it is kept in the case's archive too", 500)
        ctx.record("downloaded_letter", case=ref)
        return _send(chosen.read_bytes(), chosen.name, inline=chosen.suffix == ".pdf")
    raise not_found(f"{ref} has no letter called {stem!r}; the case page lists its letters")


@route()
def export(ctx: Ctx) -> Response:
    """The case's archive bundle as a zip (`docgen archive export REF`)."""
    ref = ctx.ref()
    with tempfile.TemporaryDirectory(prefix="docgen-export-") as work:
        dest = Path(work) / f"{ref}-{ctx.today.isoformat()}.zip"
        export_case(ctx.conn, ctx.desk.settings, ref, dest)
        data = dest.read_bytes()
    ctx.record("exported", case=ref)
    return _send(data, dest.name, inline=False)


def templates(ctx: Ctx) -> list[str]:
    """The letter templates a merge can use (file names in the templates folder)."""
    folder = ctx.desk.settings.templates_dir
    return sorted(p.name for p in folder.glob("*.docx") if not p.name.startswith("~$"))


@route()
def merge_form(ctx: Ctx) -> Response:
    """Choose a template and an uploaded CSV/XLSX, or cases in one state."""
    return ctx.page("merge.html", title="Mail-merge", templates=templates(ctx), states=[s.value for s in State],
                    error=None, values={})


@route()
def merge_run(ctx: Ctx) -> Response:
    """Merge and return the letters as a zip (one .docx per row, and all in one document)."""
    values = {k: ctx.field(k) for k in ("template", "source", "state")}
    try:
        data, name = _merge(ctx)
    except DeskError as exc:
        return ctx.page("merge.html", exc.status, title="Mail-merge", templates=templates(ctx),
                        states=[s.value for s in State], error=exc.message, values=values)
    ctx.record("merged")
    return _send(data, name, inline=False)


def _check_table(ctx: Ctx, path: Path, name: str) -> None:
    """Refuse an upload that is not a CSV or XLSX (by its content, whatever its name says)."""
    try:
        found = sniff(path, ctx.desk.settings.limits)
    except ExtractionError as exc:
        raise DeskError(f"{name} cannot be used: {exc.message}", 415) from None
    if found not in {FileType.CSV, FileType.XLSX, FileType.TXT}:
        raise DeskError(f"{name} is a {found.value.upper()} file, not a CSV or Excel (.xlsx) list; save the list "
                        "as CSV or .xlsx and upload that.", 415)


def _merge(ctx: Ctx) -> tuple[bytes, str]:
    chosen = ctx.field("template")
    own = ctx.form.get("template_file") if ctx.form is not None else None
    source = ctx.field("source") or "upload"
    with tempfile.TemporaryDirectory(prefix="docgen-merge-") as work:
        folder = Path(work)
        if own is not None and not isinstance(own, str) and own.filename:
            template = folder / "template.docx"
            template.write_bytes(own.file.read())
            try:
                is_word = sniff(template, ctx.desk.settings.limits) is FileType.DOCX
            except ExtractionError as exc:
                raise DeskError(f"{own.filename} cannot be used as a template: {exc.message}", 415) from None
            if not is_word:
                raise DeskError(f"{own.filename} is not a Word (.docx) document; a letter template is a .docx with "
                                "{{ column }} where each value goes.", 415)
            chosen = own.filename
        elif chosen in templates(ctx):
            template = ctx.desk.settings.templates_dir / chosen
        else:
            raise DeskError("Choose a letter template from the list, or upload your own (.docx).")
        if source == "cases":
            state = ctx.field("state")
            if state not in {s.value for s in State}:
                raise DeskError("Choose the state of the cases to write to.")
            header, rows = register_rows(ctx.desk.settings, ctx.today, state=state, due_within=None)
            label, name_column = f"cases {state}", "case_ref"
            if not rows:
                raise DeskError(f"No cases are {state.replace('_', ' ')}, so there is nothing to merge.")
        else:
            upload = ctx.form.get("data") if ctx.form is not None else None
            if upload is None or isinstance(upload, str) or not upload.filename:
                raise DeskError("Choose a CSV or Excel (.xlsx) file with a header row, one row per letter.")
            suffix = Path(upload.filename).suffix.lower()
            data_path = folder / f"data{suffix if suffix in {'.csv', '.xlsx', '.txt'} else ''}"
            data_path.write_bytes(upload.file.read())
            _check_table(ctx, data_path, upload.filename)
            try:
                header, rows = read_rows(data_path)
            except DocgenError as exc:
                raise DeskError(exc.message.replace("data ", "", 1)) from None
            label, name_column = upload.filename, None
            if not rows:
                raise DeskError(f"{upload.filename} has a header row but no rows to merge.")
        out = folder / "letters"
        try:
            result = merge_rows(template, header, rows, out, source=label, base=letterhead(ctx.desk.settings, ctx.today),
                                name_column=name_column, combined=out / "all-letters.docx")
        except DocgenError as exc:
            raise DeskError(exc.message) from None
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(out.iterdir()):
                bundle.write(path, path.name)
            if result.skipped:
                bundle.writestr("not-merged.txt", "\n".join(s.describe() for s in result.skipped) + "\n")
    return buffer.getvalue(), f"merge-{Path(chosen).stem}-{ctx.today.isoformat()}.zip"
