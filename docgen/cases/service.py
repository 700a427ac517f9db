"""The case register's one face: `CaseService` holds a `Register` and hands each call to its job.

    ingest.py     link documents to cases, file them in the archive, record them (the intake's side)
    judging.py    check a case's submission, move its state, plan its letters once; resume after a crash
    planning.py   periods of provision: provisional and agreed timelines, provision starting
    decisions.py  the coordinator's decide / schedule / continue_ / end

Used by the intake pipeline (ingest, record_duplicate, cases_to_judge, judge, resume) and by the CLI and
the desk (decide, schedule, continue_, end). The clock is injected (default: `dates.clock_on(today)`).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from docgen.cases import decisions, ingest, judging, planning, store
from docgen.cases.decisions import who
from docgen.cases.ingest import Incoming, Ingested
from docgen.cases.judging import Judgement
from docgen.cases.register import Register
from docgen.config import Settings
from docgen.dates import Clock, clock_on

__all__ = ["CaseService", "Incoming", "Ingested", "Judgement", "who"]


class CaseService:
    """The register of one home folder, as of `today`."""

    def __init__(self, settings: Settings, conn: sqlite3.Connection, *, today: dt.date,
                 step: Callable[[str], None] | None = None, clock: Clock | None = None) -> None:
        self.register = Register(settings, conn, today, clock or clock_on(today))
        if step is not None:
            self.register.step = step
        store.migrate(conn)

    @property
    def settings(self) -> Settings:
        return self.register.settings

    @property
    def conn(self) -> sqlite3.Connection:
        return self.register.conn

    @property
    def today(self) -> dt.date:
        return self.register.today

    def now(self) -> dt.datetime:
        """The time as the register records it: by default the wall clock's time of day on `today`."""
        return self.register.now()

    # ---- intake ------------------------------------------------------------------------------------

    def document_case(self, sha256: str) -> str | None | Literal[False]:
        return ingest.document_case(self.register, sha256)

    def ingest(self, items: Sequence[Incoming], *, received_at: dt.datetime) -> list[Ingested]:
        return ingest.ingest(self.register, items, received_at=received_at)

    def finish_moves(self) -> int:
        return ingest.finish_moves(self.register)

    def record_duplicate(self, sha256: str, display_name: str, *, received_at: dt.datetime) -> str | None:
        return ingest.record_duplicate(self.register, sha256, display_name, received_at=received_at)

    def write_manifest(self, ref: str | None) -> None:
        ingest.write_manifest(self.register, ref)

    def cases_to_judge(self, *, now: dt.datetime, settle_seconds: float) -> list[str]:
        return judging.cases_to_judge(self.register, now=now, settle_seconds=settle_seconds)

    def judge(self, case: str) -> Judgement:
        return judging.judge(self.register, case)

    def resume(self) -> list[Path]:
        return judging.resume(self.register)

    def start_due_provisions(self) -> list[str]:
        return planning.start_due_provisions(self.register)

    # ---- the coordinator: `actor` is the person deciding (None: the OS user) -------------------------

    def _as(self, actor: str | None) -> Register:
        self.register.actor = actor or who()
        return self.register

    def decide(self, case: str, action: str, *, reason: str, actor: str | None = None) -> list[Path]:
        return decisions.decide(self._as(actor), case, action, reason=reason)

    def schedule(self, case: str, *, meeting: dt.date, start: dt.date, actor: str | None = None,
                 expected_return: dt.date | None = None) -> list[Path]:
        return decisions.schedule(self._as(actor), case, meeting=meeting, start=start,
                                  expected_return=expected_return)

    def continue_(self, case: str, answer: str, *, actor: str | None = None) -> list[Path]:
        return decisions.continue_(self._as(actor), case, answer)

    def end(self, case: str, *, reason: str, on: dt.date, actor: str | None = None) -> list[Path]:
        return decisions.end(self._as(actor), case, reason=reason, on=on)

    def last_schedule(self, case: str) -> dict[str, str] | None:
        return decisions.last_schedule(self.register, case)
