"""Server-side sessions for the desk: a random token in the cookie, its SHA-256 in the database.

A session ends when its user signs out, is disabled, or is idle longer than `[desk] idle_minutes`.
Each session carries its own CSRF token (SPEC §14: every POST carries it).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import time
from dataclasses import dataclass

from docgen import accounts, db

COOKIE = "docgen_session"
LOGIN_COOKIE = "docgen_login"  # the sign-in form's CSRF token, before there is a session
_TOUCH_EVERY = 30.0  # seconds: how stale `seen` may get before it is written again

MIGRATIONS = [
    """
CREATE TABLE desk_sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users (name),
    csrf TEXT NOT NULL,
    created REAL NOT NULL,
    seen REAL NOT NULL
)
""",
]


@dataclass(frozen=True)
class Session:
    """A signed-in user's session."""

    user: accounts.User
    csrf: str
    token_hash: str


def migrate(conn: sqlite3.Connection) -> None:
    """The account and session tables."""
    accounts.migrate(conn)
    db.migrate(conn, "desk_sessions", MIGRATIONS)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh unguessable token (cookies, CSRF)."""
    return secrets.token_urlsafe(32)


def start(conn: sqlite3.Connection, user: accounts.User, *, now: float | None = None) -> str:
    """Open a session for `user`; return the cookie value."""
    now = time.time() if now is None else now
    token = new_token()
    with db.transaction(conn):
        conn.execute("INSERT INTO desk_sessions (token_hash, user, csrf, created, seen) VALUES (?, ?, ?, ?, ?)",
                     (_hash(token), user.name, new_token(), now, now))
    return token


def find(conn: sqlite3.Connection, token: str | None, *, idle_seconds: float,
         now: float | None = None) -> tuple[Session | None, bool]:
    """The live session for a cookie value, and whether a session existed but had expired."""
    if not token:
        return None, False
    now = time.time() if now is None else now
    digest = _hash(token)
    row = conn.execute("SELECT * FROM desk_sessions WHERE token_hash = ?", (digest,)).fetchone()
    if row is None:
        return None, False
    user = accounts.find_user(conn, row["user"])
    if user is None or user.disabled or now - float(row["seen"]) > idle_seconds:
        end(conn, token)
        return None, True
    if now - float(row["seen"]) > _TOUCH_EVERY:
        with db.transaction(conn):
            conn.execute("UPDATE desk_sessions SET seen = ? WHERE token_hash = ?", (now, digest))
    return Session(user=user, csrf=row["csrf"], token_hash=digest), False


def end(conn: sqlite3.Connection, token: str | None) -> None:
    """End a session (sign-out, expiry)."""
    if not token:
        return
    with db.transaction(conn):
        conn.execute("DELETE FROM desk_sessions WHERE token_hash = ?", (_hash(token),))


def sweep(conn: sqlite3.Connection, *, idle_seconds: float, now: float | None = None) -> None:
    """Forget sessions idle for longer than the timeout."""
    now = time.time() if now is None else now
    with db.transaction(conn):
        conn.execute("DELETE FROM desk_sessions WHERE seen < ?", (now - idle_seconds,))


def same(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a CSRF token."""
    return bool(given) and hmac.compare_digest(expected.encode("utf-8"), str(given).encode("utf-8"))
