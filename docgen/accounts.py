"""The desk's accounts (SPEC §14): officers and the coordinator, argon2id passwords, lock-out.

Stored in the home's SQLite database (component `accounts`). A name is a member of staff's sign-in
name (staff names are not the children's personal data). Five failed sign-ins for a name within
15 minutes lock it for 15 minutes; a disabled account cannot sign in and its sessions end.
Times here are wall-clock seconds (a lock-out is real time, not the rules' `--today`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from docgen import db
from docgen.errors import DocgenError

MIN_PASSWORD = 12
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60
LOCK_SECONDS = 15 * 60
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

_HASHER = PasswordHasher()  # argon2id (argon2-cffi's default type), its recommended cost


@functools.cache
def _dummy() -> str:
    """A hash to verify against when the name is unknown (same time as a real check). Made on first need,
    not at import: every `docgen` command imports this module and argon2 costs ~0.15 s; the desk makes it
    when it opens the account tables (`migrate`), before anyone signs in."""
    return _HASHER.hash("not a real password, only to spend the same time")


MIGRATIONS = [
    """
CREATE TABLE users (
    name TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL REFERENCES users (name),
    at REAL NOT NULL
);
CREATE INDEX login_failures_name ON login_failures (name, at)
""",
]


class AccountError(DocgenError):
    """An account cannot be added, changed or used as asked."""


class Role(StrEnum):
    """Officers see everything and run merges, exports and retries; the coordinator also decides."""

    OFFICER = "officer"
    COORDINATOR = "coordinator"


class SignIn(StrEnum):
    """How a sign-in attempt ended."""

    OK = "ok"
    WRONG = "wrong"  # unknown name or wrong password (the page does not say which)
    LOCKED = "locked"
    DISABLED = "disabled"


@dataclass(frozen=True)
class User:
    """One account (never its password hash outside this module)."""

    name: str
    role: Role
    disabled: bool
    created_at: float
    locked_until: float

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    def to_json(self, now: float | None = None) -> dict[str, Any]:
        now = time.time() if now is None else now
        return {"name": self.name, "role": self.role.value, "disabled": self.disabled,
                "locked": self.locked_until > now,
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.created_at))}


@dataclass(frozen=True)
class Attempt:
    """The result of one sign-in: the user when OK, and until when a locked name stays locked."""

    result: SignIn
    user: User | None = None
    locked_until: float = 0.0


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the account tables up to date."""
    db.migrate(conn, "accounts", MIGRATIONS)
    _dummy()


def _user(row: sqlite3.Row) -> User:
    return User(name=row["name"], role=Role(row["role"]), disabled=bool(row["disabled"]),
                created_at=float(row["created_at"]), locked_until=float(row["locked_until"]))


def check_password(password: str) -> None:
    """Refuse a password too short to be safe (SPEC §14: at least 12 characters)."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password has {len(password)} characters; it needs at least {MIN_PASSWORD}")
    if password != password.strip() or "\n" in password:
        raise AccountError("the password starts or ends with a space or holds a line break; choose another")


def add_user(conn: sqlite3.Connection, name: str, role: str, password: str) -> User:
    """Add an account; the name must be new and the password at least 12 characters."""
    if not NAME.match(name):
        raise AccountError(f"{name!r} cannot be a sign-in name: use letters, digits, '.', '_' or '-' "
                           "(up to 64, starting with a letter or digit)")
    try:
        kind = Role(role)
    except ValueError:
        raise AccountError(f"{role!r} is not a role; use officer or coordinator") from None
    check_password(password)
    digest = _HASHER.hash(password)
    with db.transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is not None:
            raise AccountError(f"there is already an account {name!r}; `docgen users list` shows them")
        conn.execute("INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)",
                     (name, kind.value, digest, time.time()))
    return get_user(conn, name)


def get_user(conn: sqlite3.Connection, name: str) -> User:
    """The account, or an AccountError naming it."""
    row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise AccountError(f"there is no account {name!r}; `docgen users list` shows them")
    return _user(row)


def find_user(conn: sqlite3.Connection, name: str) -> User | None:
    """The account, or None."""
    row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
    return _user(row) if row is not None else None


def list_users(conn: sqlite3.Connection) -> list[User]:
    """Every account, by name."""
    return [_user(r) for r in conn.execute("SELECT * FROM users ORDER BY name")]


def active_users(conn: sqlite3.Connection) -> int:
    """How many accounts can sign in."""
    return int(conn.execute("SELECT COUNT(*) FROM users WHERE disabled = 0").fetchone()[0])


def disable_user(conn: sqlite3.Connection, name: str) -> User:
    """Disable an account: it cannot sign in, and its open sessions end (the desk checks on each request)."""
    with db.transaction(conn):
        get_user(conn, name)
        conn.execute("UPDATE users SET disabled = 1 WHERE name = ?", (name,))
    return get_user(conn, name)


def sign_in(conn: sqlite3.Connection, name: str, password: str, *, now: float | None = None) -> Attempt:
    """Check a name and password, counting failures and locking the name after five in 15 minutes."""
    now = time.time() if now is None else now
    user = find_user(conn, name) if NAME.match(name) else None
    if user is None:
        _spend(password)  # the same time as a real check: the page cannot tell names apart
        return Attempt(SignIn.WRONG)
    if user.locked_until > now:
        return Attempt(SignIn.LOCKED, locked_until=user.locked_until)
    if user.disabled:
        _spend(password)
        return Attempt(SignIn.DISABLED)
    row = conn.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    try:
        _HASHER.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return _failed(conn, name, now)
    with db.transaction(conn):
        conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
        if _HASHER.check_needs_rehash(row["password_hash"]):
            conn.execute("UPDATE users SET password_hash = ? WHERE name = ?", (_HASHER.hash(password), name))
    return Attempt(SignIn.OK, user=user)


def _failed(conn: sqlite3.Connection, name: str, now: float) -> Attempt:
    with db.transaction(conn):
        conn.execute("INSERT INTO login_failures (name, at) VALUES (?, ?)", (name, now))
        conn.execute("DELETE FROM login_failures WHERE name = ? AND at < ?", (name, now - FAILURE_WINDOW))
        count = conn.execute("SELECT COUNT(*) FROM login_failures WHERE name = ?", (name,)).fetchone()[0]
        if count >= MAX_FAILURES:
            until = now + LOCK_SECONDS
            conn.execute("UPDATE users SET locked_until = ? WHERE name = ?", (until, name))
            conn.execute("DELETE FROM login_failures WHERE name = ?", (name,))
            return Attempt(SignIn.LOCKED, locked_until=until)
    return Attempt(SignIn.WRONG)


def _spend(password: str) -> None:
    with contextlib.suppress(VerificationError, InvalidHashError):
        _HASHER.verify(_dummy(), password)
