"""The values every letter may use without a column: date, service, signatory, evaluation link (SPEC §8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from docgen.config import Settings
from docgen.letters.words import SERVICE_WEBSITE, long_date


def letterhead(settings: Settings, today: dt.date) -> dict[str, Any]:
    """The values every letter may use without a column: date, service, signatory, evaluation link."""
    s = settings.signatory
    return {
        "date": long_date(today),
        "service": {"name": s.service, "address": s.address, "email": s.email, "phone": s.phone,
                    "website": SERVICE_WEBSITE},
        "signatory": {"name": s.name, "title": s.title, "email": s.email, "phone": s.phone},
        "evaluation_link": s.evaluation_link,
    }
