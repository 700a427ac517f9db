"""What every job on the register works with: the settings, the connection, the day and the clock.

The jobs (`ingest`, `judging`, `planning`, `decisions`) are functions of a `Register`; `service.CaseService`
is the one face that holds it. The clock is injected (`docgen.dates.clock_on(today)` by default): every
receipt, history line and case number follows `--today`, and a test can fix the time.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from docgen.config import Settings
from docgen.dates import Clock
from docgen.errors import ConfigError


def _no_step(_name: str) -> None:
    return None


@dataclass
class Register:
    """The register of one home folder, as of `today`."""

    settings: Settings
    conn: sqlite3.Connection
    today: dt.date
    clock: Clock
    step: Callable[[str], None] = field(default=_no_step)  # the intake's DOCGEN_CRASH_AT hook between two steps
    actor: str | None = None  # the person behind the decision being recorded

    def now(self) -> dt.datetime:
        """The time as the register records it."""
        return self.clock()

    def require_signatory(self) -> None:
        """The coordinator's commands write letters: refuse them before any change when no one signs."""
        problem = self.settings.signatory_missing
        if problem is not None:
            raise ConfigError(problem)
