"""The register as data: the JSON of `docgen cases --json` and `docgen case REF --json` (SPEC §10).

The CLI prints it and the desk (SPEC §14) serves it at /api/cases and /api/cases/{ref}: one builder,
so the two faces can never disagree.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from docgen.cases import store
from docgen.cases.corrections import corrections
from docgen.cases.due import WITH_ITEMS, next_due
from docgen.cases.sending import sendings
from docgen.cases.service import CaseService
from docgen.cases.store.listing import listing

WAITING = "waiting"
"""`progress`: documents have arrived that are not checked yet (the settle period, or a check to retry)."""
JUDGING = "judging"
"""`progress`: the documents are checked but the check report is not written yet (the state is not final)."""


def progress(conn: sqlite3.Connection, ref: str) -> str | None:
    """Whether a case's state is still settling: `waiting`, `judging`, or None once its check report exists."""
    if conn.execute("SELECT 1 FROM documents WHERE case_ref = ? AND judged = 0 LIMIT 1", (ref,)).fetchone():
        return WAITING
    if conn.execute("SELECT 1 FROM letters WHERE case_ref = ? AND document = 'check-report' AND status = 'pending'"
                    " LIMIT 1", (ref,)).fetchone():
        return JUDGING
    return None


def register_row(conn: sqlite3.Connection, row: store.CaseRow, today: dt.date) -> dict[str, Any]:
    """One case as `docgen cases --json` lists it; `progress` says when its state is not settled yet."""
    item = next_due(conn, row, today) if row.state in WITH_ITEMS else None
    return {"case": row.ref, "state": row.state.value, "pupil_name": row.pupil_name or None,
            "school_name": row.school_name,
            "next_due": {"what": item.what, "date": item.date.isoformat()} if item else None,
            "progress": progress(conn, row.ref)}


def register_json(conn: sqlite3.Connection, today: dt.date, state: str | None = None) -> list[dict[str, Any]]:
    """The register (optionally one state) as `docgen cases --json` prints it."""
    return [register_row(conn, row, today) for row in listing(conn, state)]


def case_details(service: CaseService, ref: str) -> dict[str, Any]:
    """Everything the register holds about one case, as JSON."""
    conn = service.conn
    row = store.get_case(conn, ref)
    documents = [{"file": d["display_name"], "kind": d["kind"], "sha256": d["sha256"], "role": d["role"],
                  "received_at": d["received_at"], "link": d["link"], "flag": d["flag"],
                  "archive": str(Path("archive") / d["archive_path"])}
                 for d in store.documents(conn, ref)]
    duplicates = [{"file": d["display_name"], "sha256": d["sha256"], "received_at": d["received_at"]}
                  for d in store.filed.duplicates(conn, ref)]
    judgements = [{"at": j["at"], "on": j["on_date"], "outcome": j["outcome"], "kind": j["kind"],
                   "findings": json.loads(j["findings_json"])}
                  for j in store.history.judgements(conn, ref)]
    decisions = [{"action": d["action"], "reason": d["reason"], "who": d["who"], "at": d["at"], "on": d["on_date"]}
                 for d in store.history.decisions(conn, ref)]
    letters = []
    for letter in store.letters.of_case(conn, ref):
        letters.append({"path": letter["path"],
                        "document": letter["document"], "on": letter["on_date"], "status": letter["status"],
                        "sha256": letter["sha256"]})
    history = [{"at": h["at"], "from": h["from_state"], "to": h["to_state"], "cause": h["cause"], "by": h["actor"]}
               for h in store.cases.history(conn, ref)]
    timeline_row = store.latest_timeline(conn, ref)
    timeline = json.loads(timeline_row["data_json"]) if timeline_row is not None else None
    if timeline is not None and timeline_row is not None:
        timeline["provisional"] = bool(timeline_row["provisional"])
    findings = judgements[-1]["findings"] if judgements else []
    item = next_due(conn, row, service.today)
    return {"case": ref, "state": row.state.value, "progress": progress(conn, ref),
            "pupil_name": row.pupil_name or None, "school_name": row.school_name, "dob": row.dob, "period": row.period,
            "next_due": {"what": item.what, "date": item.date.isoformat()} if item else None,
            "documents": documents, "duplicates": duplicates, "findings": findings, "judgements": judgements,
            "decisions": decisions, "corrections": [c.to_json() for c in corrections(conn, ref)], "letters": letters,
            "sent": sendings(conn, ref), "timeline": timeline, "history": history}
