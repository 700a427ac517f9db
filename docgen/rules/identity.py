"""Whether a supporting document is about the same child as the main form (SPEC §6 R-DATA-MATCH, linking).

Dates of birth and UPNs must agree; names agree when a token matches exactly, as a prefix, or by a close
spelling, and a differing forename with an agreeing date of birth is taken as a nickname.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from rapidfuzz import fuzz

from docgen.dates import as_date, long_date


def _tokens(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [t for t in re.split(r"[^a-z']+", plain.replace("'", "")) if t]


def _same_name(a: list[str], b: list[str]) -> bool:
    """Names agree when a token matches (exactly, as a prefix of 3+, or by a close spelling)."""
    for x in a:
        for y in b:
            if x == y or (min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x))):
                return True
            if fuzz.ratio(x, y) >= 80:
                return True
    return False


def identity_differences(main: dict[str, Any], doc: dict[str, Any], *, names: bool = True) -> list[str]:
    """How a supporting document's child differs from the main form's (empty when nothing contradicts)."""
    differences: list[str] = []
    main_dob, doc_dob = as_date(main.get("pupil_dob")), as_date(doc.get("pupil_dob"))
    if main_dob and doc_dob and main_dob != doc_dob:
        differences.append(f"date of birth {long_date(doc_dob)}, not {long_date(main_dob)}")
    main_upn, doc_upn = main.get("pupil_upn"), doc.get("pupil_upn")
    if isinstance(main_upn, str) and isinstance(doc_upn, str) and main_upn.upper() != doc_upn.upper().replace(" ", ""):
        differences.append(f"UPN {doc_upn}, not {main_upn}")
    if not names:
        return differences
    surname = _tokens(main.get("pupil_surname"))
    forenames = _tokens(main.get("pupil_forename")) + _tokens(main.get("pupil_preferred_name"))
    doc_surname = _tokens(doc.get("pupil_surname"))
    doc_forename = _tokens(doc.get("pupil_forename"))
    full = _tokens(doc.get("pupil_name"))
    if not doc_surname and full:
        doc_surname = full  # a whole name: the surname must be somewhere in it
        if not doc_forename:
            doc_forename = full
    shown = doc.get("pupil_name") or " ".join(str(doc.get(k) or "") for k in ("pupil_forename", "pupil_surname"))
    named = f"{main.get('pupil_forename') or ''} {main.get('pupil_surname') or ''}".strip()
    surname_differs = bool(surname and doc_surname and not _same_name(surname, doc_surname))
    # a forename that differs while the DOB agrees is taken as a nickname, not a different child
    forename_differs = bool(forenames and doc_forename and not _same_name(forenames, doc_forename)
                            and not (main_dob and doc_dob))
    if surname_differs or forename_differs:
        differences.append(f"name {str(shown).strip()}, not {named}")
    return differences
