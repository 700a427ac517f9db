"""Quarantine: files that cannot be read, moved aside with a one-line reason (SPEC §9).

`quarantine/<name>` holds the file exactly as received and `quarantine/<name>.reason.txt` one line:
`<code>: <what is wrong>. <what to do>`. `docgen retry NAME` puts a file back into the inbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from docgen.db import private_dir
from docgen.errors import IntakeError, ReasonCode
from docgen.files import write_atomic
from docgen.read.names import safe_name, unique

REASON_SUFFIX = ".reason.txt"

ADVICE: dict[ReasonCode, str] = {
    ReasonCode.EMPTY: "Ask the sender to send the document again.",
    ReasonCode.DAMAGED: "Ask the sender to save and send the document again.",
    ReasonCode.PASSWORD_PROTECTED: "Ask the sender for a copy without a password.",
    ReasonCode.WRONG_TYPE: "Ask the sender for the document as a PDF or Word (.docx) file.",
    ReasonCode.MACRO_ENABLED: "Ask the sender to save it as an ordinary Word document (.docx) without macros.",
    ReasonCode.OLD_FORMAT: "Ask the sender to save it in the current format (.docx or .xlsx) and send it again.",
    ReasonCode.UNSAFE_XML: "Ask the sender to save it again from Word, or to send a PDF.",
    ReasonCode.TOO_LARGE: "Ask the sender for a smaller file, or send the documents separately.",
    ReasonCode.TIMED_OUT: "Ask the sender to save it again or send a PDF; a person should look at this file.",
    ReasonCode.UNSAFE_NAME: "Ask the sender to send the documents as separate attachments.",
    ReasonCode.NOT_A_REGULAR_FILE: "Remove it from the inbox; only ordinary files and folders can be processed.",
    ReasonCode.UNSUPPORTED: "Ask the sender for the document as a PDF or Word (.docx) file.",
}

DEFAULT_MESSAGE: dict[ReasonCode, str] = {
    ReasonCode.EMPTY: "The file is empty",
    ReasonCode.DAMAGED: "The file is damaged and cannot be read",
    ReasonCode.PASSWORD_PROTECTED: "The file is password-protected",
    ReasonCode.WRONG_TYPE: "The file is not what its name says",
    ReasonCode.MACRO_ENABLED: "The file contains macros",
    ReasonCode.OLD_FORMAT: "The file is in an old Office format",
    ReasonCode.UNSAFE_XML: "The file contains unsafe XML (a DTD or entities)",
    ReasonCode.TOO_LARGE: "The file is over a size limit",
    ReasonCode.TIMED_OUT: "Reading the file took too long and was stopped",
    ReasonCode.UNSAFE_NAME: "An item inside the file has a name that would leave its folder",
    ReasonCode.NOT_A_REGULAR_FILE: "This is not an ordinary file",
    ReasonCode.UNSUPPORTED: "This kind of file is not supported",
}


def reason_line(code: ReasonCode, message: str | None = None) -> str:
    """The one-line reason: `<code>: <what is wrong>. <what to do>`."""
    text = " ".join((message or DEFAULT_MESSAGE[code]).split()).rstrip(". ")
    if "ask the sender" in text.lower() or "remove it" in text.lower():
        return f"{code.value}: {text}."  # the reader already said what to do
    return f"{code.value}: {text}. {ADVICE[code]}"


@dataclass(frozen=True)
class Quarantined:
    """One quarantined file as `docgen quarantine` lists it."""

    name: str
    code: str
    reason: str
    at: str


def _move(source: Path, target: Path) -> None:
    """Move a file (or a link/FIFO/folder as such, never following it) without overwriting."""
    try:
        source.rename(target)
    except OSError as exc:
        if exc.errno != 18:  # EXDEV: a different file system
            raise
        if source.is_symlink() or not (source.is_file() or source.is_dir()):
            raise
        if source.is_dir():
            shutil.copytree(source, target, symlinks=True)
            shutil.rmtree(source)
        else:
            shutil.copy2(source, target)
            with target.open("rb") as fh:
                os.fsync(fh.fileno())
            source.unlink()


def quarantine(source: Path, code: ReasonCode, message: str | None, *, quarantine_dir: Path,
               display_name: str | None = None, sha256: str | None = None) -> tuple[str, str]:
    """Move `source` to quarantine with its reason; returns (quarantine name, reason line).

    With `sha256`, the same bytes already quarantined under the same name are not stored twice
    (a bundle read again after an interruption quarantines its bad member once).
    """
    folder = private_dir(quarantine_dir)
    if sha256 is not None:
        earlier = _already_quarantined(folder, safe_name(display_name or source.name, default="file"), sha256)
        if earlier is not None:
            source.unlink(missing_ok=True)
            return earlier
    # a reason file without its file is left by an interrupted move: its name is free again
    taken = {p.name for p in folder.iterdir() if not p.name.endswith(REASON_SUFFIX)}
    name = unique(safe_name(display_name or source.name, default="file"), taken)
    line = reason_line(code, message)
    write_atomic(folder / f"{name}{REASON_SUFFIX}", (line + "\n").encode("utf-8"))
    _move(source, folder / name)
    _make_private(folder / name)
    return name, line


def _already_quarantined(folder: Path, base: str, sha256: str) -> tuple[str, str] | None:
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    for path in folder.iterdir():
        name = path.name
        if name != base and not (name.startswith(f"{stem} (") and name.endswith(f"){'.' + ext if ext else ''}")):
            continue
        reason = folder / f"{name}{REASON_SUFFIX}"
        if not path.is_file() or path.is_symlink() or not reason.exists():
            continue
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
        if digest.hexdigest() == sha256:
            return name, reason.read_text(encoding="utf-8").strip()
    return None


def _make_private(path: Path) -> None:
    """Quarantined personal data is readable by the owner only (links are left as they are)."""
    st = path.lstat()
    if stat.S_ISREG(st.st_mode):
        path.chmod(0o600)
    elif stat.S_ISDIR(st.st_mode):
        path.chmod(0o700)
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            for name in dirnames:
                if not (Path(dirpath) / name).is_symlink():
                    (Path(dirpath) / name).chmod(0o700)
            for name in filenames:
                if stat.S_ISREG((Path(dirpath) / name).lstat().st_mode):
                    (Path(dirpath) / name).chmod(0o600)


def list_quarantine(quarantine_dir: Path) -> list[Quarantined]:
    """The quarantined files, oldest first, with their code and when they were quarantined."""
    if not quarantine_dir.is_dir():
        return []
    items: list[Quarantined] = []
    for reason_file in quarantine_dir.glob(f"*{REASON_SUFFIX}"):
        name = reason_file.name[: -len(REASON_SUFFIX)]
        if not os.path.lexists(quarantine_dir / name):
            continue  # a reason left by an interrupted move; its file is still in the inbox
        try:
            line = reason_file.read_text(encoding="utf-8").strip()
            when = reason_file.stat().st_mtime
        except OSError:
            continue
        code = line.split(":", 1)[0]
        at = dt.datetime.fromtimestamp(when).astimezone().isoformat(timespec="seconds")
        items.append(Quarantined(name=name, code=code, reason=line, at=at))
    return sorted(items, key=lambda q: (q.at, q.name))


def release(name: str, *, quarantine_dir: Path, inbox: Path) -> Path:
    """Move quarantine/NAME back into the inbox (under a free name) and drop its reason file."""
    if name != safe_name(name) or name.endswith(REASON_SUFFIX):
        raise IntakeError(f"{name!r} is not a quarantined file name; `docgen quarantine` lists them")
    source = quarantine_dir / name
    if not os.path.lexists(source):
        raise IntakeError(f"there is no quarantined file called {name!r}; `docgen quarantine` lists them")
    private_dir(inbox)
    target_name = unique(name, {p.name for p in inbox.iterdir()})
    target = inbox / target_name
    _move(source, target)
    (quarantine_dir / f"{name}{REASON_SUFFIX}").unlink(missing_ok=True)
    return target


RECHECKED_CODES = frozenset({ReasonCode.EMPTY.value, ReasonCode.DAMAGED.value, ReasonCode.TIMED_OUT.value})


def changed_since_quarantined(quarantine_dir: Path, *, settled: float, now: float | None = None) -> list[str]:
    """Quarantined files (empty, cut short) changed after they were quarantined and still since `settled` s.

    A writer that paused longer than the grace period (a slow VPN) finishes the file inside quarantine/:
    the file is then newer than its reason, and worth reading again.
    """
    if not quarantine_dir.is_dir():
        return []
    moment = dt.datetime.now().timestamp() if now is None else now
    found = []
    for reason_file in quarantine_dir.glob(f"*{REASON_SUFFIX}"):
        path = quarantine_dir / reason_file.name[: -len(REASON_SUFFIX)]
        try:
            st, why = path.lstat(), reason_file.stat()
            if not stat.S_ISREG(st.st_mode) or st.st_mtime_ns <= why.st_mtime_ns or moment - st.st_mtime < settled:
                continue
            code = reason_file.read_text(encoding="utf-8").split(":", 1)[0]
        except OSError:
            continue
        if code in RECHECKED_CODES:
            found.append(path.name)
    return sorted(found)
