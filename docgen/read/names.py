"""Inbox names: which to ignore (lock, temp, hidden files) and how to make a name safe to show.

Names that arrive with files are never trusted as paths: `safe_name` turns any name into a display
name with no folder parts, no control or bidirectional characters and a bounded length.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
IGNORED_SUFFIXES = (".tmp", ".part", ".filepart", ".crdownload", ".partial", ".download", ".swp")
MAX_NAME = 120

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff<>:\"|?*]")
_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


def is_ignored(name: str) -> bool:
    """True for names an inbox must pass over: Office/LibreOffice locks, partial downloads, hidden files."""
    lower = name.lower()
    if lower in IGNORED_NAMES or name.startswith(("~$", ".", "._")):
        return True
    if name.startswith(".~lock.") and name.endswith("#"):
        return True
    return lower.endswith(IGNORED_SUFFIXES)


def readable(raw: str) -> str:
    """A name as text that can be stored and shown: bytes that are not UTF-8 (a Samba share, a zip made on
    another system: `bad\\xff\\xfe.pdf`, which Python holds as lone surrogates) become U+FFFD."""
    try:
        return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate that did not come from a byte
        return raw.encode("utf-8", "replace").decode("utf-8")


def has_bad_bytes(raw: str) -> bool:
    """True when a file name holds bytes that are not UTF-8 (or other unencodable characters)."""
    return readable(raw) != raw


def safe_name(raw: str | None, *, default: str = "attachment") -> str:
    """A display name made from an untrusted name: last path part only, no control/RTL characters, ≤120 chars.

    Bytes that are not UTF-8 are shown as "_" (the name stays recognisable: `bad__name.pdf`).
    """
    text = unicodedata.normalize("NFC", readable(raw or "").replace("\ufffd", "_"))
    text = _UNSAFE.sub("", text)
    # keep only the last component, whichever separator convention the sender used
    text = PureWindowsPath(PurePosixPath(text.replace("\\", "/")).name).name
    text = text.strip(" .")
    if text in {"", ".", ".."}:
        text = default
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        ext = ext if dot and 0 < len(ext) <= 8 else ""
        keep = MAX_NAME - len(ext) - (1 if ext else 0)
        text = (stem if ext else text)[:keep].rstrip(" .") + (f".{ext}" if ext else "")
    return text


def slug(name: str, *, limit: int = 60) -> str:
    """An ASCII-only, file-system-safe version of a display name (for generated file names)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _SLUG.sub("_", ascii_name).strip("._-")
    return text[:limit] or "file"


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)`, `name (3)` … so that it is not in `taken` (case-insensitively); records it."""
    lower = {t.lower() for t in taken}
    candidate = name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while candidate.lower() in lower:
        candidate = f"{stem} ({n}){'.' + ext if ext else ''}"
        n += 1
    taken.add(candidate)
    return candidate


def short(sha256: str | None) -> str:
    """The hash prefix that stands for a file in logs (never its name)."""
    return (sha256 or "-")[:12]
