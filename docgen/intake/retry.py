"""Put a quarantined file back through the pipeline (SPEC §9 `docgen retry NAME`, the desk's retry button)."""

from __future__ import annotations

import os
from pathlib import Path

from docgen import db
from docgen.config import Settings
from docgen.intake.audit import Audit
from docgen.intake.journal import Journal
from docgen.intake.quarantine import release


def retry(settings: Settings, name: str, *, by: str | None = None) -> Path:
    """Move quarantine/NAME back into the inbox, forget its quarantine in the journal, audit it."""
    os.umask(0o077)
    target = release(name, quarantine_dir=settings.quarantine, inbox=settings.inbox)
    if settings.database.exists():
        conn = db.connect(settings.database, create=False)
        try:
            Journal(conn).clear_quarantine(name)
        finally:
            conn.close()
    if by:
        Audit(settings.state_dir).record("retried", actor=by)
    else:
        Audit(settings.state_dir).record("retried")
    return target
