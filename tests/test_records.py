"""Records: export bundles, archive verification, retention and erasure — on cases built by the real pipeline."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import docgen.cli  # noqa: F401 - registers every command on the root group
from docgen import db
from docgen.cases import store
from docgen.cases.archive import MANIFEST, sha256_of
from docgen.cli.base import main
from docgen.config import Settings, load_settings
from docgen.errors import CaseError, IntakeError
from docgen.intake.lock import HomeLock
from docgen.records import erase, export, retention
from docgen.samples.builder import Pupil, write_submission

T0 = dt.date(2026, 3, 2)
LATER = dt.date(2045, 1, 1)  # both invented pupils (born about 2014) are past 25 years by then
TOML = ('[letters]\npdf = "off"\n[intake]\nfile_stable_seconds = 0\n'
        '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n')


@dataclass(frozen=True)
class Built:
    """A home with two cases: A arrived as one email (with an unreadable attachment), B as loose files."""

    home: Path
    a: str
    b: str
    pupil_a: Pupil
    pupil_b: Pupil


def cli(home: Path, *args: str, today: dt.date = T0) -> Result:
    return CliRunner().invoke(main, ["--home", str(home), "--today", today.isoformat(), *args])


def said(result: Result) -> str:
    """What the officer sees: the output, and the one-line message of a DocgenError (base.run prints it)."""
    return result.output + (str(result.exception) if result.exception is not None else "")


def _email(folder: Path, files: list[Path], target: Path) -> None:
    message = EmailMessage()
    message["Subject"] = "Referral"
    message["From"] = "school@example.org"
    message["To"] = "medicalneeds@example.org"
    message.set_content("Please find the referral attached.")
    for path in files:
        message.add_attachment(path.read_bytes(), maintype="application", subtype="octet-stream", filename=path.name)
    message.add_attachment(b"", maintype="application", subtype="pdf", filename="notes.pdf")  # quarantined: empty
    damaged = b"%PDF-1.7\n" + b"\x00" * 64 + b"cut short"
    message.add_attachment(damaged, maintype="application", subtype="pdf", filename="scan.pdf")  # damaged
    target.write_bytes(message.as_bytes())
    shutil.rmtree(folder)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """Process both submissions once per module; tests work on copies."""
    root = tmp_path_factory.mktemp("records")
    home = root / "home"
    inbox = home / "inbox"
    inbox.mkdir(parents=True)
    (home / "docgen.toml").write_text(TOML, encoding="utf-8")
    sub_a = write_submission(root / "a", "accepted", seed=5, today=T0, fmt="pdf")
    _email(root / "a", sub_a.files, inbox / "referral.eml")
    sub_b = write_submission(inbox / "b", "accepted", seed=8, today=T0)
    for path in sub_b.files:
        path.rename(inbox / path.name)
    (inbox / "b").rmdir()
    (inbox / "stray.pdf").write_bytes(b"")  # quarantined, belongs to no case
    result = cli(home, "process", "--json")
    assert result.exit_code == 0, result.output
    report: dict[str, Any] = json.loads(result.stdout[result.stdout.index("{"):])
    cases = sorted({p["case"] for p in report["processed"] if p["case"]})
    assert len(cases) == 2, report
    conn = db.connect(home / ".docgen" / "docgen.sqlite3")
    try:
        by_surname = {store.get_case(conn, ref).pupil["pupil_surname"]: ref for ref in cases}
    finally:
        conn.close()
    return Built(home, by_surname[sub_a.pupil.surname], by_surname[sub_b.pupil.surname], sub_a.pupil, sub_b.pupil)


@pytest.fixture
def work(built: Built, tmp_path: Path) -> Built:
    """A private copy of the built home for one test to change."""
    home = tmp_path / "home"
    shutil.copytree(built.home, home, symlinks=True)
    return Built(home, built.a, built.b, built.pupil_a, built.pupil_b)


def _settings(home: Path) -> Settings:
    return load_settings(home)


def _manifest(home: Path, ref: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((home / "archive" / ref / MANIFEST).read_text(encoding="utf-8"))
    return data


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- export ---------------------------------------------------------------------------------------------------


def test_export_zip_holds_every_file_the_manifest_and_a_loadable_index(work: Built) -> None:
    result = cli(work.home, "archive", "export", work.a)
    assert result.exit_code == 0, result.output
    bundle = work.home / "exports" / f"{work.a}-{T0.isoformat()}.zip"
    assert bundle.is_file() and _mode(bundle) == 0o600
    manifest = _manifest(work.home, work.a)
    roles = {f["role"] for f in manifest["files"]}
    assert {"original", "attachment", "produced"} <= roles  # the email, its attachments, the letters
    with zipfile.ZipFile(bundle) as z:
        names = set(z.namelist())
        assert names == {MANIFEST, export.INDEX} | {f"files/{f['path']}" for f in manifest["files"]}
        assert json.loads(z.read(MANIFEST)) == manifest
        for entry in manifest["files"]:
            assert hashlib.sha256(z.read(f"files/{entry['path']}")).hexdigest() == entry["sha256"]
        index_text = z.read(export.INDEX).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(index_text)))
    assert len(rows) == len(manifest["files"])
    assert tuple(rows[0]) == export.INDEX_COLUMNS
    by_path = {r["path"]: r for r in rows}
    for entry in manifest["files"]:
        row = by_path[f"files/{entry['path']}"]
        assert (row["case"], row["sha256"], row["kind"], row["role"], row["at"]) == (
            work.a, entry["sha256"], entry["kind"], entry["role"], entry["at"])
        assert row["retain_until"] == manifest["retain_until"]
        assert row["case_state"] == "accepted"
    for private in (work.pupil_a.surname, work.pupil_a.forename, work.pupil_a.dob.isoformat(),
                    work.pupil_a.diagnosis, work.pupil_a.upn):
        assert private not in index_text


def test_export_to_a_folder_is_owner_only_and_never_overwrites(work: Built, tmp_path: Path) -> None:
    dest = tmp_path / "out" / "bundle"
    result = cli(work.home, "archive", "export", work.b, "--to", str(dest))
    assert result.exit_code == 0, result.output
    manifest = _manifest(work.home, work.b)
    assert _mode(dest) == 0o700
    assert sorted(p.name for p in (dest / "files").iterdir()) == sorted(f["path"] for f in manifest["files"])
    for entry in manifest["files"]:
        copy = dest / "files" / entry["path"]
        assert sha256_of(copy) == entry["sha256"] and _mode(copy) == 0o600
    with (dest / export.INDEX).open(newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == len(manifest["files"])
    again = cli(work.home, "archive", "export", work.b, "--to", str(dest))
    assert again.exit_code == 1
    assert "not an empty folder" in said(again)
    assert not [p for p in dest.parent.iterdir() if p.name.startswith(".")]  # no temporary left behind


def test_export_refuses_a_tampered_archive_and_writes_nothing(work: Built) -> None:
    victim = work.home / "archive" / work.b / _manifest(work.home, work.b)["files"][0]["path"]
    victim.write_bytes(victim.read_bytes() + b"\0")
    result = cli(work.home, "archive", "export", work.b)
    assert result.exit_code == 1
    assert victim.name in said(result)
    exports = work.home / "exports"
    assert not exports.exists() or not list(exports.iterdir())


def test_export_of_an_unknown_case_is_a_clear_error(work: Built) -> None:
    result = cli(work.home, "archive", "export", "MN-2026-9999")
    assert result.exit_code == 1
    assert "MN-2026-9999" in said(result)


# ---- verify ---------------------------------------------------------------------------------------------------


def test_verify_passes_on_an_untouched_archive(work: Built) -> None:
    result = cli(work.home, "archive", "verify", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["problems"] == []
    assert {work.a, work.b} <= set(data["cases"])
    assert data["files"] >= len(_manifest(work.home, work.a)["files"]) + len(_manifest(work.home, work.b)["files"])


def test_verify_catches_a_tampered_a_missing_and_an_unlisted_file(work: Built) -> None:
    files = _manifest(work.home, work.a)["files"]
    folder = work.home / "archive" / work.a
    tampered, gone = folder / files[0]["path"], folder / files[1]["path"]
    tampered.write_bytes(tampered.read_bytes()[:-1] + b"X")
    gone.unlink()
    (folder / "extra.txt").write_text("not in the manifest", encoding="utf-8")

    result = cli(work.home, "archive", "verify", work.a)
    assert result.exit_code == 1
    assert f"archive/{work.a}/{tampered.name}: changed" in result.output
    assert f"archive/{work.a}/{gone.name}: listed in the manifest but missing" in result.output
    assert f"archive/{work.a}/extra.txt: not listed" in result.output

    data = json.loads(cli(work.home, "archive", "verify", "--json").stdout)
    problems = {(p["case"], p["path"], p["problem"]) for p in data["problems"]}
    assert problems == {(work.a, tampered.name, "changed"), (work.a, gone.name, "missing"),
                        (work.a, "extra.txt", "unlisted")}
    assert cli(work.home, "archive", "verify", work.b).exit_code == 0  # the other case is untouched


def test_verify_exit_code_through_the_installed_command(work: Built) -> None:
    """The console entry point (base.run), not only click's runner, exits 1 on a tampered file."""
    folder = work.home / "archive" / work.b
    victim = folder / _manifest(work.home, work.b)["files"][-1]["path"]
    docgen = str(Path(sys.executable).parent / "docgen")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    victim.write_bytes(b"tampered")
    caught = subprocess.run([docgen, "--home", str(work.home), "archive", "verify"], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert caught.returncode == 1
    assert f"archive/{work.b}/{victim.name}: changed" in caught.stdout
    assert caught.stderr.startswith("docgen: the archive does not match its manifests")


# ---- retention ------------------------------------------------------------------------------------------------


def test_retention_lists_only_cases_past_their_date(work: Built) -> None:
    now = json.loads(cli(work.home, "retention", "--json").stdout)
    assert now == {"today": T0.isoformat(), "cases": [], "quarantine": []}
    later = json.loads(cli(work.home, "retention", "--json", today=LATER).stdout)
    listed = {c["case"]: c for c in later["cases"]}
    assert set(listed) == {work.a, work.b}
    dob = work.pupil_a.dob
    assert listed[work.a]["retain_until"] == dob.replace(year=dob.year + 25).isoformat()
    assert listed[work.a]["retain_until"] == _manifest(work.home, work.a)["retain_until"]
    day_after = dt.date.fromisoformat(listed[work.a]["retain_until"]) + dt.timedelta(days=1)
    on_the_day = json.loads(cli(work.home, "retention", "--json", today=day_after - dt.timedelta(days=1)).stdout)
    assert work.a not in {c["case"] for c in on_the_day["cases"]}  # kept up to and including the date
    assert work.a in {c["case"] for c in json.loads(cli(work.home, "retention", "--json", today=day_after).stdout)
                      ["cases"]}


def test_quarantined_files_follow_the_same_clock_from_their_arrival(work: Built) -> None:
    far = dt.date.today() + dt.timedelta(days=366 * 27)
    listed = json.loads(cli(work.home, "retention", "--json", today=far).stdout)["quarantine"]
    assert {q["name"] for q in listed} == {"notes.pdf", "scan.pdf", "stray.pdf"}
    for q in listed:
        arrived = dt.date.fromisoformat(q["quarantined"])
        assert q["retain_until"] == arrived.replace(year=arrived.year + 25).isoformat()
    assert json.loads(cli(work.home, "retention", "--json", today=LATER).stdout)["quarantine"] == []


def test_erasure_is_refused_while_a_daemon_holds_the_home(work: Built) -> None:
    settings = _settings(work.home)
    conn = db.connect(settings.database)
    try:
        with HomeLock(settings.state_dir, "watch"), pytest.raises(IntakeError, match="already processing"):
            erase.erase(conn, settings, work.a, today=LATER)
        assert store.get_case(conn, work.a).ref == work.a
    finally:
        conn.close()
    assert (settings.archive / work.a / MANIFEST).is_file()


def test_retention_years_come_from_the_settings(work: Built) -> None:
    toml = work.home / "docgen.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "[retention]\nyears = 12\n", encoding="utf-8")
    settings = _settings(work.home)
    conn = db.connect(settings.database)
    try:
        row = store.get_case(conn, work.a)
        assert retention.retention_date(row, settings) == work.pupil_a.dob.replace(year=work.pupil_a.dob.year + 12)
        assert {d.case for d in retention.past_retention(conn, settings, T0)} == {work.a, work.b}
    finally:
        conn.close()


def test_erasure_before_the_retention_date_is_refused(work: Built) -> None:
    result = cli(work.home, "retention", "--erase", work.a, "--yes")
    assert result.exit_code == 1
    assert "retention date" in said(result) and work.a in said(result)
    assert (work.home / "archive" / work.a / MANIFEST).is_file()
    assert (work.home / "outbox" / work.a).is_dir()
    shown = cli(work.home, "case", work.a, "--json")
    assert shown.exit_code == 0, shown.output
    unconfirmed = cli(work.home, "retention", "--erase", work.a, today=LATER)
    assert unconfirmed.exit_code == 2 and "--yes" in said(unconfirmed)
    assert (work.home / "archive" / work.a / MANIFEST).is_file()


def test_forced_erasure_before_the_date_and_an_unknown_case(work: Built) -> None:
    assert cli(work.home, "retention", "--erase", "MN-2026-9999", "--yes", "--force").exit_code == 1
    result = cli(work.home, "retention", "--erase", work.b, "--yes", "--force", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["erased"] == work.b and data["rows"] > 0 and data["outbox_files"] > 0
    assert not (work.home / "archive" / work.b).exists()
    assert cli(work.home, "case", work.b).exit_code == 1


# ---- erasure --------------------------------------------------------------------------------------------------


def _database_bytes(settings: Settings) -> dict[str, bytes]:
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{settings.database}{suffix}")
        if path.exists():
            found[path.name] = path.read_bytes()
    return found


def _tree_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()) if folder.is_dir() else b""


def test_erasure_leaves_no_trace_in_the_database_bytes_nor_the_folders(work: Built) -> None:
    settings = _settings(work.home)
    quarantine = settings.quarantine
    before = {p.name for p in quarantine.iterdir()}
    assert {"notes.pdf", "scan.pdf", "stray.pdf"} <= before  # A's unreadable attachments, and nobody's
    cli(work.home, "archive", "export", work.a)
    conn = db.connect(settings.database)
    try:
        needles = [work.pupil_a.surname.encode(), work.a.encode()]
        assert any(n in blob for blob in _database_bytes(settings).values() for n in needles)  # the probe works
        a_hashes = {r[0] for r in conn.execute("SELECT sha256 FROM documents WHERE case_ref = ?", (work.a,))}

        erased = erase.erase(conn, settings, work.a, today=LATER)

        assert erased.case == work.a and erased.rows > 0
        assert erased.quarantine_files == 2 and erased.export_files == 1
        files = _database_bytes(settings)  # read while the connection is still open: -wal and -shm exist
        assert "docgen.sqlite3-wal" in files
        for name, blob in files.items():
            for needle in [*needles, work.pupil_a.upn.encode(), *(h.encode() for h in a_hashes)]:
                assert needle not in blob, f"{needle!r} left in {name}"
        with pytest.raises(CaseError):
            store.get_case(conn, work.a)
        assert store.get_case(conn, work.b).pupil["pupil_surname"] == work.pupil_b.surname  # the other child is untouched
        stray = conn.execute("SELECT state FROM journal_items WHERE quarantine_name = 'stray.pdf'").fetchone()
        assert stray is not None and stray["state"] == "quarantined"  # nobody's file keeps its journal row
    finally:
        conn.close()
    for name, blob in _database_bytes(settings).items():
        assert work.pupil_a.surname.encode() not in blob, name
    assert not (settings.archive / work.a).exists()
    assert not (settings.outbox / work.a).exists()
    assert not list((work.home / "exports").iterdir())
    assert {p.name for p in quarantine.iterdir()} == before - {"notes.pdf", "notes.pdf.reason.txt", "scan.pdf",
                                                                "scan.pdf.reason.txt"}
    assert "stray.pdf" in before  # an empty file like notes.pdf, but not this case's: kept
    for folder in (settings.archive, settings.outbox, quarantine):
        assert work.pupil_a.surname.encode() not in _tree_bytes(folder)
    audit = (settings.state_dir / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    last = json.loads(audit[-1])
    assert last["event"] == "erased" and last["case"] == work.a
    assert work.pupil_a.surname not in "\n".join(audit)
    assert cli(work.home, "archive", "verify").exit_code == 0  # what is left still matches its manifests
    assert work.a not in {c["case"] for c in json.loads(cli(work.home, "retention", "--json",
                                                            today=LATER).stdout)["cases"]}


def test_erasure_through_the_command_line_after_the_date(work: Built) -> None:
    result = cli(work.home, "retention", "--erase", work.b, "--yes", today=LATER)
    assert result.exit_code == 0, result.output
    assert f"{work.b} erased" in result.output
    settings = _settings(work.home)
    for name, blob in _database_bytes(settings).items():
        assert work.pupil_b.surname.encode() not in blob, name
        assert work.b.encode() not in blob, name
    raw = sqlite3.connect(settings.database)
    try:
        assert raw.execute("SELECT COUNT(*) FROM cases WHERE ref = ?", (work.b,)).fetchone()[0] == 0
        assert raw.execute("SELECT COUNT(*) FROM cases WHERE ref = ?", (work.a,)).fetchone()[0] == 1
    finally:
        raw.close()


def test_erasure_with_another_reader_open_says_how_to_finish_compaction(work: Built) -> None:
    settings = _settings(work.home)
    conn = db.connect(settings.database)
    reader = sqlite3.connect(settings.database)
    try:
        conn.execute("PRAGMA busy_timeout = 50")  # do not wait long for the reader below
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM cases").fetchone()  # holds a snapshot: the WAL cannot be emptied
        with pytest.raises(CaseError, match="retention --compact"):
            erase.erase(conn, settings, work.a, today=LATER)
        with pytest.raises(CaseError):
            store.get_case(conn, work.a)  # the erasure itself was committed
    finally:
        reader.close()
        conn.close()
    assert json.loads((settings.state_dir / "audit.jsonl").read_text().splitlines()[-1])["event"] == "erased"
    result = cli(work.home, "retention", "--compact")
    assert result.exit_code == 0, said(result)
    for name, blob in _database_bytes(settings).items():
        assert work.pupil_a.surname.encode() not in blob, name


def test_erasure_reaches_other_components_tables_and_fails_closed_on_unknown_mentions(work: Built) -> None:
    settings = _settings(work.home)
    conn = db.connect(settings.database)
    try:
        conn.execute("CREATE TABLE merge_runs (id INTEGER PRIMARY KEY, case_ref TEXT, data TEXT)")
        conn.execute("INSERT INTO merge_runs (case_ref, data) VALUES (?, ?)", (work.a, work.pupil_a.surname))
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES (?)", (f"see {work.a}",))
        with pytest.raises(CaseError, match=r"notes\.body.*nothing was erased"):
            erase.erase(conn, settings, work.a, today=LATER)
        assert store.get_case(conn, work.a).ref == work.a  # rolled back: nothing erased
        assert conn.execute("SELECT COUNT(*) FROM merge_runs").fetchone()[0] == 1
        assert (settings.archive / work.a / MANIFEST).is_file() and (settings.outbox / work.a).is_dir()

        conn.execute("DELETE FROM notes")
        erase.erase(conn, settings, work.a, today=LATER)
        assert conn.execute("SELECT COUNT(*) FROM merge_runs").fetchone()[0] == 0
    finally:
        conn.close()
    for name, blob in _database_bytes(settings).items():
        assert work.pupil_a.surname.encode() not in blob, name


def test_erasure_removes_copies_left_in_unmatched_by_evidence_that_came_first(work: Built, tmp_path: Path) -> None:
    from docgen.cases.service import CaseService, Incoming
    from docgen.read.extract import extract
    from docgen.samples.builder import jmp_health_values, make_pupil, referral_values, write_form_pdf

    settings = _settings(work.home)
    pupil = make_pupil(11, today=T0)
    evidence = write_form_pdf(tmp_path / "jmp-health.pdf", "jmp_health", jmp_health_values(pupil, today=T0))
    form = write_form_pdf(tmp_path / "referral-c.pdf", "referral", referral_values(pupil, today=T0))

    def incoming(path: Path) -> Incoming:
        digest = sha256_of(path)
        return Incoming(extraction=extract(path), source=path, sha256=digest, display_name=path.name,
                        role="original", parent_sha256=None, bundle=digest)

    conn = db.connect(settings.database)
    try:
        service = CaseService(settings, conn, today=T0)
        first = service.ingest([incoming(evidence)], received_at=dt.datetime.now(dt.UTC))
        assert first[0].case is None  # no case yet: kept in archive/unmatched/ for review
        ref = service.ingest([incoming(form)], received_at=dt.datetime.now(dt.UTC))[0].case
        assert ref is not None and service.document_case(sha256_of(evidence)) == ref  # linked once it came
        unmatched = settings.archive / "unmatched"
        assert not (unmatched / "jmp-health.pdf").exists()  # moved into the case folder: filed once

        erased = erase.erase(conn, settings, ref, today=T0, force=True)
    finally:
        conn.close()
    assert erased.archive_files >= 2  # the referral and the evidence
    assert not (unmatched / "jmp-health.pdf").exists()
    assert sha256_of(evidence) not in {f["sha256"] for f in _manifest(work.home, "unmatched")["files"]}
    assert cli(work.home, "archive", "verify").exit_code == 0
    for name, blob in _database_bytes(settings).items():
        assert pupil.surname.encode() not in blob, name
