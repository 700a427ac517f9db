"""Ingest: link each document the intake hands over to its case, file it in the archive, record it.

Everything of one `ingest` call happens in one transaction; each new archive copy is noted first in the
filing log (`filing.Filing`), so a transaction that does not commit leaves no copy behind. Evidence that
came before its referral waits in `archive/unmatched/` until a main form names the child (`relink`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from docgen import db
from docgen.cases import archive, filing, store
from docgen.cases.filing import Filing
from docgen.cases.linking import Identity, Link, case_identity, find, identity_of
from docgen.cases.model import CLOSED
from docgen.cases.register import Register
from docgen.cases.store.filed import extraction_from_json, extraction_to_json
from docgen.errors import CaseError
from docgen.kinds import MAIN_KINDS, Extraction, Kind
from docgen.marker import is_docgen_output

OWN_OUTPUT_FLAG = "docgen's own output (saved back into the inbox); recorded, never judged"
_REFERENCE = re.compile(r"\bMN-\d{4}-\d{4}\b")


@dataclass(frozen=True)
class Incoming:
    """One document handed over by the intake pipeline."""

    extraction: Extraction  # the isolated parse's result (extraction.file = display name only)
    source: Path  # the bytes to archive: the inbox file, or an unpacked attachment in a work dir
    sha256: str
    display_name: str  # sanitised original name, for the archive and the coordinator; never logged
    role: str  # "original" | "attachment"
    parent_sha256: str | None  # for attachments: the email's/zip's sha256
    bundle: str  # sha256 of the inbox item it came with: one bundle = one submission
    origin: str | None = None  # where its source found the item (`inbox:<name>`, an IMAP URL)
    private: bool = False  # source is docgen's own unpacked copy (never the sender's file): archived by a link


@dataclass(frozen=True)
class Ingested:
    """Where one document went."""

    sha256: str
    case: str | None  # "MN-YYYY-NNNN", or None when unmatched (a review item)
    kind: str
    own: bool = False  # a letter docgen produced, saved back into the inbox: recorded, never judged


def document_case(reg: Register, sha256: str) -> str | None | Literal[False]:
    """The case of an ingested document; None when unmatched; False when never ingested."""
    return store.filed.document_case(reg.conn, sha256)


def ingest(reg: Register, items: Sequence[Incoming], *, received_at: dt.datetime) -> list[Ingested]:
    """Link documents to cases, archive each original, and record them — all in one transaction."""
    at = store.now_text(received_at)
    results: dict[str, Ingested] = {}
    touched: set[str | None] = set()
    done_before: set[str] = set()
    files = Filing(reg.settings.archive, reg.settings.state_dir)
    try:
        _ingest(reg, files, items, results, touched, done_before, at, received_at)
    except BaseException:
        files.rolled_back(reg.conn)  # no copy is left that no row knows of
        raise
    files.committed()
    reg.step("relinked")
    finish_moves(reg)
    return [results[i.sha256] for i in items]


def _ingest(reg: Register, files: Filing, items: Sequence[Incoming], results: dict[str, Ingested],
            touched: set[str | None], done_before: set[str], at: str, received_at: dt.datetime) -> None:
    with db.transaction(reg.conn):
        parents = {i.parent_sha256 for i in items if i.parent_sha256}
        bundles: dict[str, list[Incoming]] = {}
        for item in items:
            bundles.setdefault(item.bundle, []).append(item)
        for bundle, members in bundles.items():
            fresh = []
            for item in members:
                known = document_case(reg, item.sha256)
                if known is not False:
                    done_before.add(item.sha256)
                    results[item.sha256] = Ingested(item.sha256, known, item.extraction.kind.value)
                elif (own := _own_output(reg, item)) is not False:  # docgen's letter saved back: never judged
                    _file(reg, files, item, own, Link.OWN_OUTPUT, at, container=False)
                    done_before.add(item.sha256)
                    results[item.sha256] = Ingested(item.sha256, own, item.extraction.kind.value, own=True)
                    touched.add(own)
                else:
                    fresh.append(item)
            if fresh:
                for item, ref, how in _link_bundle(reg, bundle, fresh, received_at, at):
                    _file(reg, files, item, ref, how, at, container=item.sha256 in parents)
                    results[item.sha256] = Ingested(item.sha256, ref, item.extraction.kind.value)
                    touched.add(ref)
        files.flush()  # the copies planned above, their fsyncs together
        if any(i.extraction.kind in MAIN_KINDS for i in items if i.sha256 not in done_before):
            touched |= _relink_unmatched(reg, files, at)  # only a main form opens, names or links a case
            files.flush()
        for ref in touched:
            write_manifest(reg, ref)
        reg.step("filing")  # copies written, rows not yet committed


def finish_moves(reg: Register) -> int:
    """Remove the `unmatched/` copies of documents re-linked to a case (see `filing.finish_moves`)."""
    return filing.finish_moves(reg.conn, reg.settings.archive)


def record_duplicate(reg: Register, sha256: str, display_name: str, *, received_at: dt.datetime) -> str | None:
    """Record the same bytes arriving again against the case of the earlier copy; no reprocessing."""
    with db.transaction(reg.conn):
        ref = store.filed.add_duplicate(reg.conn, sha256, display_name, store.now_text(received_at))
        if ref is False:
            raise CaseError(f"document {sha256[:12]} was never received, so it cannot be a duplicate")
    return ref


def _own_output(reg: Register, item: Incoming) -> str | None | Literal[False]:
    """The case of a file docgen itself produced (by its SHA-256, or its mark); False when it is not one.

    A copy whose bytes changed (saved again in Word) is known by its mark; its case is the reference
    printed on it when that case exists, else it is kept as docgen's own with no case.
    """
    made = store.filed.produced_case(reg.conn, item.sha256)
    if made is not False:
        return made
    marked = item.extraction.marked  # looked at by the worker that read it; else here
    if not (is_docgen_output(item.source) if marked is None else marked):
        return False
    for found in _REFERENCE.findall(item.extraction.text or ""):
        if store.cases.exists(reg.conn, found):
            return str(found)
    return None


def _link_bundle(reg: Register, bundle: str, items: list[Incoming], received_at: dt.datetime,
                 at: str) -> list[tuple[Incoming, str | None, Link]]:
    """Link a bundle by its main form; a bundle already linked keeps its case (SPEC §4.3)."""
    conn = reg.conn
    parents = {i.parent_sha256 for i in items if i.parent_sha256}
    contents = [i for i in items if i.sha256 not in parents]
    main = next((i for kind in MAIN_KINDS for i in contents if i.extraction.kind is kind), None)
    ref = store.filed.bundle_case(conn, bundle)
    how = Link.BUNDLE
    if ref is None and main is not None:
        identity = identity_of(main.extraction)
        is_referral = main.extraction.kind is Kind.REFERRAL
        match = find(conn, identity, open_only=is_referral)
        ref, how = match.case, match.how
        if ref is None and is_referral and match.how is not Link.AMBIGUOUS:
            ref = store.new_case(conn, received_at.year, at, _identity_columns(main, identity))
            how = Link.NEW_CASE
        elif ref is not None and is_referral:
            store.set_identity(conn, ref, _identity_columns(main, identity))
    if ref is None and main is None:
        tried = [find(conn, identity_of(i.extraction)) for i in contents]
        found = [m for m in tried if m.case]
        matches = {m.case for m in found}
        if any(m.how is Link.AMBIGUOUS for m in tried):
            how = Link.AMBIGUOUS
        if len(matches) == 1:
            ref, how = found[0].case, (found[0].how if len(contents) == 1 else Link.BUNDLE)
        elif len(matches) > 1:  # the bundle names several children: link each on its own, never guess
            links = [(i, find(conn, identity_of(i.extraction))) for i in items]
            return [(i, m.case, m.how) for i, m in links]
    unmatched = how if how is Link.AMBIGUOUS else Link.UNMATCHED
    return [(i, ref, how if ref else unmatched) for i in items]


def _identity_columns(main: Incoming, identity: Identity) -> dict[str, Any]:
    fields = {k: v for k, v in main.extraction.fields.items() if v is not None}
    return {**fields, **case_identity(identity)}


def _file(reg: Register, files: Filing, item: Incoming, ref: str | None, how: Link, at: str, *,
          container: bool) -> None:
    """Archive one original and record it against its case (or as unmatched)."""
    dest = archive.folder(reg.settings.archive, ref)
    copy = files.store(dest, item.source, item.display_name, item.sha256, private=item.private)
    item = _file_searchable(files, item, dest, copy)
    period = 0
    flag = None
    if ref is not None:
        row = store.get_case(reg.conn, ref)
        period = row.period
        identity = identity_of(item.extraction)
        case_id = Identity(upn=row.upn, surname=row.surname, dob=row.dob)
        if item.extraction.kind not in MAIN_KINDS and identity.differs_from(case_id):
            flag = "names a different child"
    if how is Link.OWN_OUTPUT:
        flag = OWN_OUTPUT_FLAG
    store.filed.add_document(
        reg.conn, sha256=item.sha256, case=ref, display_name=item.display_name,
        kind=item.extraction.kind.value, role=item.role, parent_sha256=item.parent_sha256, bundle=item.bundle,
        container=container, extraction_json=extraction_to_json(item.extraction), received_at=at,
        archive_path=str(copy.relative_to(reg.settings.archive)), period=period, link=how.value, flag=flag,
        judged=how is Link.OWN_OUTPUT, origin=item.origin)  # docgen's own letters are recorded, never judged


def _file_searchable(files: Filing, item: Incoming, dest: Path, copy: Path) -> Incoming:
    """A scan's searchable PDF/A (made by the worker) archived beside its original (SPEC §16); the
    extraction then names it (`ocr.searchable`: archive name and SHA-256) for the manifest."""
    ocr = item.extraction.ocr or {}
    made = ocr.get("searchable")
    if not isinstance(made, str):
        return item
    kept = dict(ocr)
    del kept["searchable"]
    work = Path(made)
    if work.is_file():
        sha = archive.sha256_of(work)
        pdfa = files.store(dest, work, archive.searchable_name(copy.name), sha, private=True)  # the worker's own
        kept["searchable"] = {"path": pdfa.name, "sha256": sha}
    return dataclasses.replace(item, extraction=dataclasses.replace(item.extraction, ocr=kept))


def _relink_unmatched(reg: Register, files: Filing, at: str) -> set[str | None]:
    """Give earlier unmatched documents to a case they now match (evidence before the referral).

    The whole bundle moves together: its files are copied into the case folder and, in this same
    transaction, their `unmatched/` copies are recorded for removal (`finish_moves`, after the commit):
    every document ends filed once, in its case.
    """
    conn, root = reg.conn, reg.settings.archive
    touched: set[str | None] = set()
    done: set[str] = set()
    for doc in store.documents(conn, None):
        if doc["bundle"] in done or doc["link"] == Link.OWN_OUTPUT.value:
            continue
        extraction = extraction_from_json(doc["extraction_json"])
        if extraction.kind is Kind.REFERRAL:
            continue
        match = find(conn, identity_of(extraction))
        if match.case is None:
            continue
        row = store.get_case(conn, match.case)
        if row.state in CLOSED:
            continue
        done.add(doc["bundle"])
        dest = archive.folder(root, match.case)
        for sibling in store.filed.unmatched_in_bundle(conn, doc["bundle"]):
            copy = files.store(dest, root / sibling["archive_path"], sibling["display_name"], sibling["sha256"])
            store.filed.relink(
                conn, sibling["sha256"], case=match.case, archive_path=str(copy.relative_to(root)),
                period=row.period, link=match.how.value if sibling["sha256"] == doc["sha256"] else Link.BUNDLE.value,
                old_path=sibling["archive_path"], at=at)
        touched.add(match.case)
    return touched


def write_manifest(reg: Register, ref: str | None) -> None:
    """Rewrite the manifest of the case's archive folder (or of `unmatched/`) from the register."""
    dest = archive.folder(reg.settings.archive, ref)
    entries = []
    for doc in store.documents(reg.conn, ref):
        if ref is not None and not doc["archive_path"].startswith(f"{ref}/"):
            continue
        entries.append(archive.Entry(
            path=Path(doc["archive_path"]).name, sha256=doc["sha256"], kind=doc["kind"],
            role="attachment" if doc["parent_sha256"] else "original", at=doc["received_at"],
            source=doc["parent_sha256"]))
        pdfa = (json.loads(doc["extraction_json"]).get("ocr") or {}).get("searchable")
        if isinstance(pdfa, dict) and (dest / str(pdfa.get("path"))).is_file():
            entries.append(archive.Entry(path=str(pdfa["path"]), sha256=str(pdfa["sha256"]), kind=doc["kind"],
                                         role="produced", at=doc["received_at"], source=doc["sha256"]))
    retain = None
    if ref is not None:
        row = store.get_case(reg.conn, ref)
        dob = dt.date.fromisoformat(row.dob) if row.dob else None
        retain = archive.retain_until(dob, ehcp=row.ehcp, years=reg.settings.retention_years,
                                      years_ehcp=reg.settings.retention_years_ehcp,
                                      received=dt.date.fromisoformat(row.created_at[:10]))
    archive.record(dest, entries, case=ref or archive.UNMATCHED, retain=retain)
