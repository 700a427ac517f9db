"""Letters and records (SPEC §8): strict docxtpl rendering, contexts, PDF copies, production."""

from __future__ import annotations
