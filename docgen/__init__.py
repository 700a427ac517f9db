"""docgen: document intake and letter generation for the Medical Needs Service."""

from __future__ import annotations

__version__ = "0.1.0"
