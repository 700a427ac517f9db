"""The home folder: whether it was set up (`docgen init`), and who may reach which part of it.

Permission model (SPEC §11 "personal data", deploy/README.md):

    folder        no [home] group      [home] group = "mns-staff"
    <home>/       0700                 0750  group mns-staff (staff may look in; the private folders stay shut)
    inbox/        0700                 2770  set-gid: staff save here; files they create get the group and,
                                             through a default ACL where the file system has ACLs, group rw
    outbox/       0700                 2750  set-gid: letters are 0640, readable by staff, written by docgen
    archive/ .docgen/ quarantine/      0700 always: nothing for the group
    docgen.toml   0600                 0640

A file docgen writes is group-readable exactly when its folder is set-gid (docgen.files), so the
model is decided here, once, by the folders' modes.
"""

from __future__ import annotations

import contextlib
import grp
import os
import stat
import struct
from dataclasses import dataclass
from pathlib import Path

from docgen.config import SETTINGS_FILE, Settings
from docgen.errors import ConfigError

MARKER = ".docgen-home"
PRIVATE = 0o700
SHARED_HOME = 0o750
SHARED_INBOX = 0o2770
SHARED_OUTBOX = 0o2750

# A default POSIX ACL (system.posix_acl_default, version 2): owner rwx, group rwx, others nothing.
# New files in the inbox are then 0660 whatever the saving user's umask, so docgen can read them.
_ACL_UNDEFINED_ID = 0xFFFFFFFF
_INBOX_DEFAULT_ACL = struct.pack("<I", 2) + b"".join(
    struct.pack("<HHI", tag, perm, _ACL_UNDEFINED_ID) for tag, perm in ((0x01, 7), (0x04, 7), (0x20, 0)))


def is_home(home: Path) -> bool:
    """True for a folder set up by `docgen init` (or laid out by hand before init existed: it has inbox/)."""
    return (home / MARKER).is_file() or (home / "inbox").is_dir() or (home / ".docgen" / "docgen.sqlite3").exists()


def require_home(home: Path) -> None:
    """Refuse a folder that is not a docgen home, in one line saying what to do."""
    if not home.exists():
        raise ConfigError(f"the home folder {home} does not exist; check --home (or DOCGEN_HOME), "
                          f"or set one up with `docgen --home {home} init`")
    if not home.is_dir():
        raise ConfigError(f"the home {home} is a file, not a folder; check --home (or DOCGEN_HOME)")
    if not is_home(home):
        raise ConfigError(f"{home} is not a docgen home (it was never initialised); run "
                          f"`docgen --home {home} init` to set it up, or check --home")


def staff_gid(name: str) -> int:
    """The id of the staff group named in `[home] group`; a missing group is a ConfigError."""
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise ConfigError(f"the staff group {name!r} ([home] group in docgen.toml) does not exist on this "
                          f"machine; create it (`groupadd {name}`) or correct the setting") from None


@dataclass(frozen=True)
class Applied:
    """What preparing one folder did: its mode, its group, and anything left as it was (and why)."""

    folder: str
    mode: int
    group: str | None
    note: str = ""

    def to_json(self) -> dict[str, object]:
        return {"folder": self.folder, "mode": f"{self.mode:04o}", "group": self.group, "note": self.note or None}


def layout(settings: Settings) -> list[tuple[Path, int, bool]]:
    """Each folder of the home with its mode and whether it belongs to the staff group."""
    shared = bool(settings.group)
    return [
        (settings.home, SHARED_HOME if shared else PRIVATE, shared),
        (settings.inbox, SHARED_INBOX if shared else PRIVATE, shared),
        (settings.outbox, SHARED_OUTBOX if shared else PRIVATE, shared),
        (settings.archive, PRIVATE, False),
        (settings.quarantine, PRIVATE, False),
        (settings.state_dir, PRIVATE, False),
    ]


def prepare(settings: Settings, *, setting_up: bool = False) -> list[Applied]:
    """Create the home's folders and give each its mode and group (see the module docstring).

    `init` (setting_up) sets every folder; `process`/`watch` leave the home folder and the inbox as
    they are unless a staff group is set. A folder whose mode cannot be changed (a Windows share
    mounted with a fixed `dir_mode`) is left as its mount says, and noted; a private folder that
    cannot be made private is an error.
    """
    gid = staff_gid(settings.group) if settings.group else None
    done: list[Applied] = []
    for folder, mode, shared in layout(settings):
        if not setting_up and not settings.group and folder in (settings.home, settings.inbox):
            continue
        name = "." if folder == settings.home else folder.name
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE)
        note = ""
        try:
            if shared and gid is not None and folder.stat().st_gid != gid:
                os.chown(folder, -1, gid)
            folder.chmod(mode)
        except PermissionError as exc:
            if not shared:
                raise ConfigError(f"{folder} cannot be made private ({exc.strerror}); it must be owned by the "
                                  "user docgen runs as") from exc
            note = (f"mode and group left as they are ({exc.strerror}): run docgen as the folder's owner and a "
                    f"member of {settings.group!r}, or set them in the share's mount options")
        except OSError as exc:
            note = f"mode left as it is ({exc.strerror}); a network share sets it in its mount options"
        if shared and folder == settings.inbox and not note:
            with contextlib.suppress(OSError):  # no ACLs on this file system: the staff's umask decides
                os.setxattr(folder, "system.posix_acl_default", _INBOX_DEFAULT_ACL)
        current = stat.S_IMODE(folder.stat().st_mode)
        done.append(Applied(name, current, settings.group if shared else None, note))
    return done


def share_existing_letters(settings: Settings) -> int:
    """Make letters written before the group was set readable by it (outbox is set-gid now); a count."""
    if not settings.group or not settings.outbox.is_dir():
        return 0
    gid = staff_gid(settings.group)
    changed = 0
    for dirpath, dirnames, filenames in os.walk(settings.outbox):
        for name in dirnames:
            path = Path(dirpath) / name
            with contextlib.suppress(OSError):
                os.chown(path, -1, gid)
                path.chmod(SHARED_OUTBOX)
                changed += 1
        for name in filenames:
            path = Path(dirpath) / name
            with contextlib.suppress(OSError):
                os.chown(path, -1, gid)
                path.chmod(0o640)
                changed += 1
    return changed


def mark(home: Path, *, by: str) -> Path:
    """Write the marker that says `home` was set up (by `init`, or the demo)."""
    path = home / MARKER
    if not path.exists():
        path.write_text(f"docgen home, set up by {by}\n", encoding="utf-8")
    path.chmod(0o640 if stat.S_IMODE(home.stat().st_mode) & 0o050 else 0o600)
    return path


def settings_file_mode(settings: Settings) -> int:
    """docgen.toml: readable by the staff group when there is one (it holds no secrets), else owner-only."""
    return 0o640 if settings.group else 0o600


def settings_path(home: Path) -> Path:
    return home / SETTINGS_FILE
