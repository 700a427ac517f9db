"""The staff-group permission model, as real users: an admin officer saves into inbox/ and reads outbox/.

The service user runs `docgen init --group` and `docgen process`; the officer (a member of the staff
group, not the service user) saves a referral with a strict umask and reads the letters; a user
outside the group reaches nothing; the archive, quarantine and state stay the service user's alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from tests.deploy.users import People, as_user, people

DOCGEN = str(Path(sys.executable).parent / "docgen")
TODAY = "2026-03-02"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="creates system users: needs root (CI runs as root)")


def _referral(path: Path) -> None:
    """A referral typed up in Word by a school: not one of docgen's own forms."""
    document = Document()
    document.add_heading("Medical Needs Service Referral Form", 1)
    rows = [("Legal forename(s)", "Rowan"), ("Legal surname", "Testwell"), ("Date of birth", "14/09/2014"),
            ("Unique Pupil Number (UPN)", "B801200005001"), ("National Curriculum year group", "Year 6"),
            ("School name", "Brookfield Primary (invented)"), ("Referrer email", "office@brookfield.example")]
    table = document.add_table(rows=len(rows), cols=2)
    for i, (label, value) in enumerate(rows):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    document.save(str(path))


def _installed_for_everyone() -> None:
    """docgen's install readable by the service user, as an IT officer installs it (e.g. /opt, mode 755).

    A virtual environment made under umask 077 (as CI's may be) is root's alone; the users these tests
    create could not even import click. Opened up to read-only for others; nothing else changes.
    """
    import click

    import docgen

    for tree, probe in ((Path(sys.prefix), Path(click.__file__)), (Path(docgen.__file__).parent, Path(docgen.__file__))):
        if not probe.stat().st_mode & stat.S_IROTH or not probe.parent.stat().st_mode & stat.S_IXOTH:
            subprocess.run(["chmod", "-R", "a+rX", str(tree)], check=True)


@pytest.fixture(scope="module")
def staff() -> Iterator[People]:
    _installed_for_everyone()
    with people() as who:
        yield who


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder every user may pass through (pytest's tmp_path is root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="docgen-perm-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_daily_flow_as_a_staff_group_member(staff: People, base: Path) -> None:
    home = base / "srv-docgen"
    home.mkdir()
    shutil.chown(home, staff.service, staff.service)
    env = {"DOCGEN_HOME": str(home), "DOCGEN_TODAY": TODAY}

    done = as_user(staff.service, ["docgen", "init", "--group", staff.group, "--signatory-name", "Sam Carter",
                                   "--signatory-email", "mn@example.org", "--signatory-phone", "01603 555 0100",
                                   "--json"], env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["group"] == staff.group
    assert {f["folder"]: f["mode"] for f in report["folders"]} == {
        ".": "0750", "inbox": "2770", "outbox": "2750", "archive": "0700", "quarantine": "0700", ".docgen": "0700"}
    (home / "docgen.toml").write_text((home / "docgen.toml").read_text().replace('pdf = "auto"', 'pdf = "off"'))
    assert as_user(staff.officer, ["cat", str(home / "docgen.toml")]).returncode == 0  # settings: no secrets

    # the officer saves a referral with a strict umask: the inbox's set-gid and default ACL let docgen read it
    staging = base / "from-email"
    staging.mkdir()
    staging.chmod(0o755)  # explicit: an in-process `process` earlier in the run may have set umask 077
    _referral(staging / "referral.docx")
    (staging / "referral.docx").chmod(0o644)
    saved = as_user(staff.officer, ["cp", str(staging / "referral.docx"), str(home / "inbox" / "referral.docx")],
                    umask="077")
    assert saved.returncode == 0, saved.stderr
    arrived = home / "inbox" / "referral.docx"
    assert arrived.stat().st_gid == (home / "inbox").stat().st_gid  # set-gid: the staff group owns it
    assert as_user(staff.outsider, ["ls", str(home / "inbox")]).returncode != 0

    done = as_user(staff.service, ["docgen", "process", "--json"], env=env)
    assert done.returncode == 0, done.stderr
    processed = json.loads(done.stdout)["processed"]
    assert [p["kind"] for p in processed] == ["referral"], done.stdout
    case = processed[0]["case"]

    letters = sorted((home / "outbox" / case).glob("*.docx"))
    assert letters, "the referral produced letters"
    for letter in letters:
        assert _mode(letter) == 0o640
        read = as_user(staff.officer, ["sha256sum", str(letter)])
        assert read.returncode == 0, read.stderr
        assert read.stdout.split()[0] == hashlib.sha256(letter.read_bytes()).hexdigest()  # the officer reads it all
        assert as_user(staff.outsider, ["sha256sum", str(letter)]).returncode != 0
    assert _mode(home / "outbox" / case) & 0o2750 == 0o2750
    # the officer may read letters but not change them, and reaches none of the private folders
    assert as_user(staff.officer, ["sh", "-c", f": > {home}/outbox/{case}/forged.docx"]).returncode != 0
    for private in ("archive", "quarantine", ".docgen"):
        assert as_user(staff.officer, ["ls", str(home / private)]).returncode != 0, private
    assert as_user(staff.officer, ["cat", str(home / ".docgen" / "docgen.sqlite3")]).returncode != 0
    status = as_user(staff.officer, ["docgen", "--home", str(home), "status"])
    assert status.returncode == 1 and len(status.stderr.strip().splitlines()) == 1  # one line, no traceback
    assert "permission denied" in status.stderr and "service user" in status.stderr
    archived = next((home / "archive" / case).iterdir())
    assert _mode(archived) & 0o077 == 0


def test_without_a_group_everything_is_owner_only(staff: People, base: Path) -> None:
    home = base / "private-home"
    home.mkdir()
    shutil.chown(home, staff.service, staff.service)
    done = as_user(staff.service, ["docgen", "--home", str(home), "init", "--json"])
    assert done.returncode == 0, done.stderr
    assert {f["mode"] for f in json.loads(done.stdout)["folders"]} == {"0700"}
    assert as_user(staff.officer, ["ls", str(home / "inbox")]).returncode != 0
    assert _mode(home / "docgen.toml") == 0o600


def test_a_group_that_does_not_exist_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = as_root([DOCGEN, "--home", str(home), "init", "--group", "no-such-staff-group"])
    assert done.returncode == 1
    assert "no-such-staff-group" in done.stderr and "does not exist" in done.stderr
    assert not home.exists()


def test_a_misspelt_home_setting_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert as_root([DOCGEN, "--home", str(home), "init"]).returncode == 0
    (home / "docgen.toml").write_text('[home]\ngruop = "staff"\n', encoding="utf-8")
    done = as_root([DOCGEN, "--home", str(home), "status"])
    assert done.returncode == 1
    assert "unknown setting [home] gruop" in done.stderr


def as_root(args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL)

