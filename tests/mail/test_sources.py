"""The inbox folder and the mailbox are two `Source`s run alike by one daemon; every document keeps its origin."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from docgen import db
from docgen.config import load_settings
from docgen.intake.audit import Audit
from docgen.intake.isolate import WorkerPool
from docgen.intake.pipeline import Pipeline
from docgen.intake.sources import Source
from docgen.intake.sources.folder import FolderSource
from docgen.intake.sources.imap import MailIntake, origin
from docgen.intake.sources.mail_watch import MailSource
from docgen.intake.watch import Daemon
from tests.mail import messages as m
from tests.mail.servers import USER, Dovecot


def origins(database: Path) -> dict[str, str | None]:
    """display name → origin of every document filed so far."""
    with sqlite3.connect(database) as conn:
        return dict(conn.execute("SELECT display_name, origin FROM documents").fetchall())


def test_a_folder_item_and_a_mail_item_reach_the_pipeline_alike_with_their_origin(
        imap: Dovecot, mhome: Path, tmp_path: Path) -> None:
    settings = load_settings(mhome)
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    assert settings.mail is not None
    mailed = m.submission(tmp_path / "mailed", seed=3)  # one child's referral and evidence, by email
    dropped = m.submission(tmp_path / "dropped", seed=5)[0]  # another child's referral, saved into the inbox
    imap.append(m.with_files(mailed, message_id="sources.1@riverside.example.org"))
    (settings.inbox / "Referral from Riverside.pdf").write_bytes(dropped.read_bytes())
    with WorkerPool(settings.limits, 2) as pool:
        conn = db.connect(settings.database, create=True)
        pipeline = Pipeline(settings, conn, today=m.TODAY, pool=pool, audit=Audit(settings.state_dir))
        sources: list[Source] = [FolderSource(pipeline, settle_seconds=0.2, polling=True),
                                 MailSource(MailIntake(settings, pipeline, attempts=2))]
        daemon = Daemon(pipeline, pipeline.audit, sources, settle_seconds=0.2, today=lambda: m.TODAY)
        runner = threading.Thread(target=daemon.run)
        runner.start()
        try:
            deadline = time.monotonic() + 12
            while time.monotonic() < deadline and not (
                    len(origins(settings.database)) == 1 + 1 + len(mailed) and not any(settings.inbox.iterdir())):
                time.sleep(0.1)
        finally:
            daemon.stop()
            runner.join(timeout=20)
        conn.close()
    assert not runner.is_alive()
    filed = origins(settings.database)
    assert filed.pop("Referral from Riverside.pdf") == "inbox:Referral from Riverside.pdf"
    # the message and each attachment carry the message's IMAP URL (RFC 5092: mailbox, UIDVALIDITY, UID)
    message = next(name for name in filed if name.endswith(".eml"))
    url = filed[message]
    assert url is not None and url.startswith(f"imap://{USER.replace('@', '%40')}@127.0.0.1:{imap.port}/INBOX;UIDVALIDITY=")
    uidvalidity = int(url.split("UIDVALIDITY=")[1].split("/")[0])
    assert url == origin(settings.mail, uidvalidity, 1)
    assert filed == {message: url, **{f.name: url for f in mailed}}
