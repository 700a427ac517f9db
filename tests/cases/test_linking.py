"""Linking documents to cases (SPEC §4.3) and archiving them, through CaseService.ingest."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from docgen import db
from docgen.cases.service import CaseService
from docgen.config import Settings
from docgen.kinds import Kind

from .helpers import CHILD, incoming, referral

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def service(settings: Settings, today: dt.date) -> CaseService:
    return CaseService(settings, db.connect(settings.database), today=today)


def test_referral_opens_case_with_year_and_sequence(settings: Settings, today: dt.date, tmp_path: Path) -> None:
    svc = service(settings, today)
    first = svc.ingest([incoming(tmp_path, "r1.pdf", Kind.REFERRAL, referral())], received_at=AT)
    second = svc.ingest([incoming(tmp_path, "r2.pdf", Kind.REFERRAL, referral(
        pupil_forename="Maya", pupil_surname="Patel", pupil_dob="2013-01-02"))], received_at=AT)
    assert [first[0].case, second[0].case] == ["MN-2026-0001", "MN-2026-0002"]


def test_bundle_documents_follow_the_main_form(settings: Settings, today: dt.date, tmp_path: Path) -> None:
    svc = service(settings, today)
    email = incoming(tmp_path, "mail.eml", Kind.UNKNOWN, {})
    items = [
        email,
        incoming(tmp_path, "referral.pdf", Kind.REFERRAL, referral(), bundle=email.sha256, parent=email.sha256),
        incoming(tmp_path, "herringbone.csv", Kind.ATTENDANCE, {}, bundle=email.sha256, parent=email.sha256),
        incoming(tmp_path, "letter.pdf", Kind.MEDICAL_LETTER,
                 {"pupil_forename": "Sam", "pupil_surname": "Other", "pupil_dob": "2012-01-01"},
                 bundle=email.sha256, parent=email.sha256),
    ]
    result = svc.ingest(items, received_at=AT)
    assert {r.case for r in result} == {"MN-2026-0001"}
    flags = {r["display_name"]: r["flag"] for r in svc.conn.execute("SELECT display_name, flag FROM documents")}
    assert flags["letter.pdf"] == "names a different child"
    assert flags["herringbone.csv"] is None
    manifest = json.loads((settings.archive / "MN-2026-0001" / "manifest.json").read_text())
    roles = {f["path"]: (f["role"], f.get("from")) for f in manifest["files"]}
    assert roles["mail.eml"] == ("original", None)
    assert roles["referral.pdf"] == ("attachment", email.sha256)
    assert manifest["retain_until"] == "2039-05-12"
    assert (settings.archive / "MN-2026-0001" / "referral.pdf").read_bytes() == items[1].source.read_bytes()
    assert (settings.archive / "MN-2026-0001").stat().st_mode & 0o777 == 0o700
    assert (settings.archive / "MN-2026-0001" / "referral.pdf").stat().st_mode & 0o777 == 0o600


def test_links_by_reference_then_upn_then_name_and_dob(settings: Settings, today: dt.date, tmp_path: Path) -> None:
    svc = service(settings, today)
    svc.ingest([incoming(tmp_path, "r.pdf", Kind.REFERRAL, referral(pupil_upn="A123456789012"))], received_at=AT)
    by_ref = incoming(tmp_path, "c.pdf", Kind.CONTINUATION, {"case_reference": "mn-2026-0001"})
    by_upn = incoming(tmp_path, "a.csv", Kind.ATTENDANCE, {"pupil_upn": "A123456789012"})
    by_name = incoming(tmp_path, "h.pdf", Kind.JMP_HEALTH,
                       {"pupil_forename": "NOAH", "pupil_surname": " okonkwo", "pupil_dob": "2014-05-12"})
    results = svc.ingest([by_ref, by_upn, by_name], received_at=AT)
    assert [r.case for r in results] == ["MN-2026-0001"] * 3
    links = [r["link"] for r in svc.conn.execute("SELECT link FROM documents ORDER BY rowid")]
    assert links == ["new_case", "reference", "upn", "name_dob"]


def test_unmatched_evidence_waits_then_joins_the_referral(settings: Settings, today: dt.date,
                                                         tmp_path: Path) -> None:
    svc = service(settings, today)
    evidence = incoming(tmp_path, "evidence.pdf", Kind.JMP_HEALTH, dict(CHILD))
    herringbone = incoming(tmp_path, "herringbone.csv", Kind.ATTENDANCE, {}, bundle=evidence.bundle)
    assert [r.case for r in svc.ingest([evidence, herringbone], received_at=AT)] == [None, None]
    assert svc.document_case(evidence.sha256) is None
    assert (settings.archive / "unmatched" / "evidence.pdf").exists()
    later = AT + dt.timedelta(minutes=5)
    svc.ingest([incoming(tmp_path, "referral.pdf", Kind.REFERRAL, referral())], received_at=later)
    assert svc.document_case(evidence.sha256) == "MN-2026-0001"
    assert (settings.archive / "MN-2026-0001" / "evidence.pdf").exists()
    assert not (settings.archive / "unmatched" / "evidence.pdf").exists()  # filed once: moved, not copied
    unmatched = json.loads((settings.archive / "unmatched" / "manifest.json").read_text())["files"]
    assert unmatched == []
    names = [f["path"] for f in json.loads((settings.archive / "MN-2026-0001" / "manifest.json").read_text())["files"]]
    assert sorted(names) == ["evidence.pdf", "herringbone.csv", "referral.pdf"]
    assert svc.document_case(herringbone.sha256) == "MN-2026-0001"
    assert svc.cases_to_judge(now=later, settle_seconds=0) == ["MN-2026-0001"]


def test_two_children_with_the_same_name_and_dob_are_told_apart_by_forename(
        settings: Settings, today: dt.date, tmp_path: Path) -> None:
    svc = service(settings, today)
    svc.ingest([incoming(tmp_path, "a.pdf", Kind.REFERRAL, referral())], received_at=AT)
    svc.ingest([incoming(tmp_path, "b.pdf", Kind.REFERRAL, referral(pupil_forename="Ada"))], received_at=AT)
    twin = incoming(tmp_path, "h.pdf", Kind.JMP_HEALTH, {**CHILD, "pupil_forename": "Ada"})
    nameless = incoming(tmp_path, "h2.pdf", Kind.JMP_HEALTH, {**CHILD, "pupil_forename": None})
    results = svc.ingest([twin, nameless], received_at=AT)
    assert [r.case for r in results] == ["MN-2026-0002", None]
    assert svc.conn.execute("SELECT link FROM documents WHERE sha256 = ?",
                            (nameless.sha256,)).fetchone()[0] == "ambiguous"


def test_ingest_is_idempotent_and_duplicates_are_recorded(settings: Settings, today: dt.date,
                                                          tmp_path: Path) -> None:
    svc = service(settings, today)
    item = incoming(tmp_path, "r.pdf", Kind.REFERRAL, referral())
    assert svc.document_case(item.sha256) is False
    svc.ingest([item], received_at=AT)
    again = svc.ingest([item], received_at=AT)
    assert again[0].case == "MN-2026-0001"
    assert svc.record_duplicate(item.sha256, "copy of r.pdf", received_at=AT) == "MN-2026-0001"
    assert svc.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    assert svc.conn.execute("SELECT COUNT(*) FROM duplicates").fetchone()[0] == 1


def test_settle_period_waits_for_the_last_document(settings: Settings, today: dt.date, tmp_path: Path) -> None:
    svc = service(settings, today)
    svc.ingest([incoming(tmp_path, "r.pdf", Kind.REFERRAL, referral())], received_at=AT)
    svc.ingest([incoming(tmp_path, "h.pdf", Kind.JMP_HEALTH, dict(CHILD))],
               received_at=AT + dt.timedelta(seconds=50))
    assert svc.cases_to_judge(now=AT + dt.timedelta(seconds=70), settle_seconds=60) == []
    assert svc.cases_to_judge(now=AT + dt.timedelta(seconds=110), settle_seconds=60) == ["MN-2026-0001"]


def test_a_new_referral_after_the_case_ended_opens_a_new_case(settings: Settings, today: dt.date,
                                                             tmp_path: Path) -> None:
    svc = service(settings, today)
    svc.ingest([incoming(tmp_path, "r.pdf", Kind.REFERRAL, referral())], received_at=AT)
    with db.transaction(svc.conn):
        svc.conn.execute("UPDATE cases SET state = 'not_accepted'")
    again = svc.ingest([incoming(tmp_path, "r2.pdf", Kind.REFERRAL, referral(pupil_postcode="NR1 1AA"))],
                       received_at=AT)
    assert again[0].case == "MN-2026-0002"
