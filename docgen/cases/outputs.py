"""The letters a case produces: planned in the register's transaction, produced after it, exactly once.

A letter row (store `letters`) is planned with its final path `outbox/<case>/<yyyy-mm-dd>-<document>.docx`
(`-2`, `-3`, … when that name is already used by an earlier letter of the same day) and the ids of the
stored data it is built from (judgement, decision, timeline). `produce_pending` rebuilds each pending
letter's context from the register, renders it into a private work folder, moves it to its path,
copies it into `archive/<case>/` (manifest role "produced") and marks it done. Rendering is
deterministic, so a crash at any point is recovered by running `produce_pending` again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen import db
from docgen.cases import archive, store
from docgen.cases.termdates import calendar, notices
from docgen.config import Settings
from docgen.files import fsync_dir, make_dir, place
from docgen.letters.registry import Inputs
from docgen.letters.registry import letter as letter_of

if TYPE_CHECKING:
    from docgen.calendar import SchoolCalendar

WORK = "letters-work"  # under the state folder, so the outbox only ever holds finished letters


def plan(conn: sqlite3.Connection, settings: Settings, case: str, document: str, trigger: str, on: dt.date,
         data: dict[str, Any], at: str) -> None:
    """Plan one letter for a trigger (once: a second plan for the same trigger is ignored)."""
    if store.letters.planned(conn, case, document, trigger):
        return
    folder = settings.outbox.relative_to(settings.home) / case  # stored relative: the home may be moved
    number = 1
    while True:
        suffix = "" if number == 1 else f"-{number}"
        path = (folder / f"{on.isoformat()}-{document}{suffix}.docx").as_posix()
        if not store.path_taken(conn, path):
            break
        number += 1
    store.add_letter(conn, case, document, trigger, path, on.isoformat(), data, at)


def letter_paths(conn: sqlite3.Connection, settings: Settings, case: str, trigger: str) -> list[Path]:
    """The files of the letters one trigger produced, in order."""
    return [settings.home / path for path in store.letters.paths(conn, case, trigger)]


def produce_pending(conn: sqlite3.Connection, settings: Settings, case: str, *, at: str,
                    step: Callable[[str], None] | None = None) -> list[Path]:
    """Write every pending letter of the case; return the files written (Word, and PDF copies).

    All the case's pending letters are rendered first and their PDF copies made in one LibreOffice
    run (SPEC §8: one converter process for a batch); each is then placed, archived and marked done.
    """
    from docgen.letters.context import DocumentName
    from docgen.letters.produce import Job, output_path, produce_batch

    if settings.signatory_missing is not None:
        return []  # no one signs yet: the letters stay planned, and are written once a signatory is set
    rows = store.letters.pending(conn, case)
    if not rows:
        return []
    work_root = db.private_dir(settings.state_dir / WORK)
    # one work folder for the case's letters (a file each: the date and document name it), and one more
    # for each further letter of the same document and date, whose file would have the same name
    names = [output_path(DocumentName(row["document"]), work_root, dt.date.fromisoformat(row["on_date"])).name
             for row in rows]
    slots = [names[:n].count(name) for n, name in enumerate(names)]
    works = [db.private_dir(work_root / f"letter-{rows[0]['id']}-{slot}-{os.getpid()}")
             for slot in range(max(slots) + 1)]
    make_dir(settings.outbox / case)  # 0700, or 0750 set-gid in a staff-shared outbox (docgen.home)
    written: list[Path] = []
    try:
        shared = _CaseData(conn, settings, case)  # read once for all the case's letters, not once a letter
        jobs = [Job(DocumentName(row["document"]), build_context(conn, settings, row, shared=shared), works[slot],
                    dt.date.fromisoformat(row["on_date"])) for row, slot in zip(rows, slots, strict=True)]
        made = produce_batch(jobs, settings, sync_folders=False)  # the work folders go; the outbox's is synced
        placed: list[list[Path]] = []
        for row, name, slot in zip(rows, names, slots, strict=True):
            target = settings.home / row["path"]
            own = works[slot] / name
            placed.append([place(file, target.with_suffix(file.suffix)) for file in made
                           if file.with_suffix(own.suffix) == own])
        fsync_dir(settings.outbox / case)  # every letter's new name, once for the case
        # the archive copies are made before taking the register's write lock, so that another worker's
        # judging need not wait out their fsyncs: a copy whose transaction never commits is found again,
        # same bytes under the same name, when the letter is produced again (rendering is deterministic)
        copies = _archive_copies(settings, case, [file for files in placed for file in files])
        if step is not None:
            step("letters-copied")  # DOCGEN_CRASH_AT: placed and copied, not yet recorded
        with db.transaction(conn):  # the write lock also serialises manifest updates between processes
            # a letter another process wrote meanwhile (to the same path, with the same content) is left as it is
            mine = [(row, files) for row, files in zip(rows, placed, strict=True)
                    if store.letters.still_pending(conn, row["id"])]
            digests = _archive_letters(conn, settings, case, [(row["document"], files) for row, files in mine],
                                       copies, at)
            for row, files in mine:
                docx = next((p for p in files if p.suffix == ".docx"), None)
                store.letters.mark_done(conn, row["id"], digests.get(docx) if docx is not None else None)
                written.extend(files)
    finally:
        for work in works:
            shutil.rmtree(work, ignore_errors=True)
    return written


def _archive_copies(settings: Settings, case: str, files: list[Path]) -> dict[Path, tuple[str, Path]]:
    """Copy produced files into the case's archive folder (each fsynced, together; the manifest's rewrite syncs the
    folder); returns each file's SHA-256 and copy. A copy already there with the same bytes is reused.

    Each file is read once: its digest is taken from the bytes that are then copied (and the copy verified
    against it), rather than hashing the file, then reading and hashing it again to copy it (issue 21).
    """
    dest = archive.folder(settings.archive, case)
    read = {final: final.read_bytes() for final in files}
    digests = [hashlib.sha256(read[final]).hexdigest() for final in files]
    stored = archive.store_many(dest, [(final, final.name, digest) for final, digest in zip(files, digests, strict=True)],
                                sync_folder=False, read=read)
    return {final: (digest, copy) for final, digest, copy in zip(files, digests, stored, strict=True)}


def _archive_letters(conn: sqlite3.Connection, settings: Settings, case: str,
                     letters: list[tuple[str, list[Path]]], copies: dict[Path, tuple[str, Path]],
                     at: str) -> dict[Path, str]:
    """List the archive copies of produced files in the case's manifest (one rewrite, which also makes the
    copies' names durable) and the register; returns each file's SHA-256."""
    if not letters:
        return {}
    dest = archive.folder(settings.archive, case)
    entries = []
    digests: dict[Path, str] = {}
    for document, placed in letters:
        for final in placed:
            digest, copy = copies[final]
            digests[final] = digest
            entries.append(archive.Entry(path=copy.name, sha256=digest, kind=document, role="produced", at=at))
            store.filed.add_produced(conn, digest, case, document, at)
    case_row = store.get_case(conn, case)
    dob = dt.date.fromisoformat(case_row.dob) if case_row.dob else None
    retain = archive.retain_until(dob, ehcp=case_row.ehcp, years=settings.retention_years,
                                  years_ehcp=settings.retention_years_ehcp,
                                  received=dt.date.fromisoformat(case_row.created_at[:10]))
    archive.record(dest, entries, case=case, retain=retain)  # written atomically; syncs the folder
    return digests


# ---- contexts: the register's data → the letters' context builders ------------------------------------------------


def case_fields(conn: sqlite3.Connection, case: str) -> dict[str, Any]:
    """The case's merged field values (SPEC §3 keys): the main forms' fields, latest first wins."""
    merged: dict[str, Any] = {}
    rows = store.filed.extractions_by_kind(conn, case)
    for preferred in (False, True):
        for row in rows:
            is_main = row["kind"] in ("referral", "continuation")
            if is_main is not preferred:
                continue
            fields = json.loads(row["extraction_json"]).get("fields") or {}
            for key, value in fields.items():
                if value is not None and (preferred or key not in merged):
                    merged[key] = value
    pupil = store.get_case(conn, case).pupil
    for key, value in pupil.items():
        merged.setdefault(key, value)
    return merged


class _CaseData:
    """What every letter of one case reads alike, read on first use and kept for the case's other letters.

    The merged fields (each letter gets its own copy of the dict) and the school calendar: one batch of
    `produce_pending` is one case's letters, produced together in one transaction's aftermath.
    """

    def __init__(self, conn: sqlite3.Connection, settings: Settings, case: str) -> None:
        self._conn, self._settings, self._case = conn, settings, case
        self._fields: dict[str, Any] | None = None
        self._calendar: tuple[SchoolCalendar | None] | None = None

    def fields(self) -> dict[str, Any]:
        if self._fields is None:
            self._fields = case_fields(self._conn, self._case)
        return dict(self._fields)

    def calendar(self) -> SchoolCalendar | None:
        if self._calendar is None:
            self._calendar = (calendar(self._settings),)
        return self._calendar[0]


def _timeline(conn: sqlite3.Connection, ident: Any) -> tuple[dict[str, Any] | None, bool]:
    """The stored timeline's data, and whether it is provisional (one query)."""
    if ident is None:
        return None, False
    row = store.history.timeline(conn, ident)
    return (json.loads(row["data_json"]), bool(row["provisional"])) if row is not None else (None, False)


def _holidays(cal: SchoolCalendar | None, timeline: dict[str, Any]) -> list[dict[str, Any]]:
    if cal is None:
        return []
    start, end = dt.date.fromisoformat(timeline["start"]), dt.date.fromisoformat(timeline["provision_end"])
    return [{"name": h.name, "start": h.start, "end": h.end} for h in cal.holidays_in(start, end)]


def build_context(conn: sqlite3.Connection, settings: Settings, row: sqlite3.Row, *,
                  shared: _CaseData | None = None) -> dict[str, Any]:
    """Rebuild a letter's template context from what the register stored for it.

    `shared` is what the case's other letters in the same batch have already read (the fields, the calendar).
    """
    case = row["case_ref"]
    read = _CaseData(conn, settings, case) if shared is None else shared
    data = json.loads(row["data_json"])
    fields = read.fields()
    on = dt.date.fromisoformat(row["on_date"])
    timeline, provisional = _timeline(conn, data.get("timeline"))
    judgement = None
    if data.get("judgement") is not None:
        judgement = store.history.judgement(conn, data["judgement"])
    findings: list[dict[str, Any]] = json.loads(judgement["findings_json"]) if judgement is not None else []
    decision = None
    if data.get("decision") is not None:
        decision = store.history.decision(conn, data["decision"])
    made = letter_of(row["document"])
    if provisional and made.without_provisional_timeline:
        timeline, provisional = None, False
    agreed = json.loads(decision["data_json"]) if decision is not None else {}
    result = json.loads(judgement["result_json"]) if judgement is not None else {}

    def documents() -> list[dict[str, Any]]:
        from docgen.read.extract import FILE_TYPE_NOTE

        out: list[dict[str, Any]] = []
        for d in store.documents(conn, case, period=judgement["period"] if judgement is not None else 0):
            if d["container"]:
                continue
            extraction = json.loads(d["extraction_json"])
            notes = [str(w)[len(FILE_TYPE_NOTE):] for w in extraction.get("warnings") or []
                     if str(w).startswith(FILE_TYPE_NOTE)]  # named .pdf but a Word file: read by content (§2)
            out.append({"file": d["display_name"], "kind": d["kind"], "fields": extraction.get("fields") or {},
                        "notes": notes})
        return out

    inputs = Inputs(fields=fields, case_ref=case, on=on, signatory=settings.signatory, timeline=timeline,
                    holidays=lambda: _holidays(read.calendar(), timeline) if timeline is not None else [],
                    findings=findings, outcome=str(result.get("outcome", "")), documents=documents,
                    decision_action=decision["action"] if decision is not None else None,
                    decision_reason=decision["reason"] if decision is not None else None,
                    agreed=agreed, data=data, provisional=provisional,
                    expected_return=agreed.get("expected_return") or data.get("expected_return"),
                    professional=lambda: evidence_professional(conn, case),
                    previous_request=lambda: _previous_request(conn, row),
                    resume=lambda: _resume(read.calendar(), dt.date.fromisoformat(str(data["end_date"]))),
                    notes=lambda: _term_notes(read.calendar(), on))
    return made.context(inputs)


def evidence_professional(conn: sqlite3.Connection, case: str) -> str:
    """The health professional who gave the case's medical evidence (the latest JMP form or letter), in words."""
    from docgen.letters.words import professional

    for extraction in store.filed.evidence_extractions(conn, case):
        named = professional(json.loads(extraction).get("fields") or {})
        if named:
            return named
    return ""


def _previous_request(conn: sqlite3.Connection, letter: sqlite3.Row) -> dict[str, Any] | None:
    """For a second request for information: the last request's date, what arrived since, what is now complete."""
    before = store.letters.last_of(conn, letter["case_ref"], "request-for-information", before=letter["id"])
    if before is None:
        return None
    arrived = store.filed.arrived_between(conn, letter["case_ref"], before["created_at"], letter["created_at"])
    names = {"referral": "the referral form", "jmp_health": "the Health Information Form",
             "jmp_consent": "the consent form", "attendance": "the attendance record",
             "medical_letter": "a letter from a health professional", "ihcp": "the Individual Healthcare Plan",
             "continuation": "the Continuation request", "planning_record": "the Initial Planning and Review Record"}
    received = [f"{names.get(d['kind'], 'a document')} ({d['display_name']})" for d in arrived]
    asked = json.loads(before["data_json"]).get("missing") or []
    still = set(json.loads(letter["data_json"]).get("missing") or [])
    resolved = [str(gap).split(": ", 1)[-1] for gap in asked if gap not in still]
    return {"date": before["on_date"], "received": received,
            "resolved": resolved}


def _resume(cal: SchoolCalendar | None, end: dt.date) -> dt.date | None:
    """The next school day after `end` (None when the term-dates file does not reach it)."""
    if cal is None:
        return None
    try:
        return cal.next_school_day(end + dt.timedelta(days=1))
    except Exception:  # noqa: BLE001 - past the term-dates file
        return None


def _term_notes(cal: SchoolCalendar | None, on: dt.date) -> list[str]:
    return list(_notices_on(cal, on)) if cal is not None else []


@functools.lru_cache(maxsize=16)
def _notices_on(cal: SchoolCalendar, on: dt.date) -> tuple[str, ...]:
    """`notices` without the register: a function of the calendar (a new object when its file changes) and the
    day alone, the same for every check report of the day, so reckoned once (12 school weeks laid out each time)."""
    return tuple(notices(cal, on))


