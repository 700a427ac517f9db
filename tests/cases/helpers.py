"""Build Incoming documents from hand-written extractions, as the intake pipeline hands them over."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from docgen.cases.service import Incoming
from docgen.kinds import Extraction, Kind, Method

CHILD = {"pupil_forename": "Noah", "pupil_surname": "Okonkwo", "pupil_dob": "2014-05-12", "pupil_upn": None}


def incoming(folder: Path, name: str, kind: Kind, fields: dict[str, Any], *, bundle: str | None = None,
             parent: str | None = None, text: str = "") -> Incoming:
    """Write a small file standing for a document and describe it as the pipeline would."""
    folder.mkdir(parents=True, exist_ok=True)
    body = f"{name}\n{kind}\n{sorted(fields.items())}\n{text}".encode()
    path = folder / name
    path.write_bytes(body)
    sha = hashlib.sha256(body).hexdigest()
    extraction = Extraction(file=Path(name), kind=kind, method=Method.TEXT, fields=dict(fields), text=text)
    return Incoming(extraction=extraction, source=path, sha256=sha, display_name=name,
                    role="attachment" if parent else "original", parent_sha256=parent, bundle=bundle or sha)


def referral(**changes: Any) -> dict[str, Any]:
    """A referral's identifying fields (the rest is the checker's business)."""
    return {**CHILD, "school_name": "Riverside Primary", "pupil_ehcp": False, **changes}
