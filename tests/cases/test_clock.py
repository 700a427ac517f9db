"""The register's clock is injected (issue 16): receipts, decisions and history follow it, not the wall clock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docgen import db
from docgen.cases import attach, store
from docgen.cases.service import CaseService
from docgen.config import Settings
from docgen.kinds import Kind
from tests.cases.helpers import CHILD, incoming

AT = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)


def test_opening_a_case_from_unmatched_evidence_is_recorded_at_the_injected_time(settings: Settings,
                                                                                  tmp_path: Path) -> None:
    conn = db.connect(settings.database)
    try:
        service = CaseService(settings, conn, today=AT.date(), clock=lambda: AT)
        evidence = incoming(tmp_path / "in", "health-form.docx", Kind.JMP_HEALTH, dict(CHILD))
        [filed] = service.ingest([evidence], received_at=service.now())
        assert filed.case is None  # no referral yet: it waits unmatched

        opened = attach.open_case(service, evidence.sha256, actor="coordinator")

        stamp = store.now_text(AT)
        assert opened.case.startswith("MN-2026-")
        assert [d["at"] for d in store.history.decisions(conn, opened.case)] == [stamp]
        history = store.cases.history(conn, opened.case)
        assert history and {h["at"] for h in history} == {stamp}
        assert [d["received_at"] for d in store.documents(conn, opened.case)] == [stamp]
    finally:
        conn.close()


def test_the_default_clock_keeps_the_time_of_day_on_the_given_today(settings: Settings) -> None:
    conn = db.connect(settings.database)
    try:
        today = dt.date(2026, 3, 2)
        service = CaseService(settings, conn, today=today)
        wall = dt.datetime.now(dt.UTC)
        moved = service.now() - wall
        assert abs(moved - (today - dt.date.today())) < dt.timedelta(seconds=5)
    finally:
        conn.close()
