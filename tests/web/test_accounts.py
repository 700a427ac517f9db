"""Accounts and sessions on a real SQLite database: argon2id, lock-out timing, idle timeout, disabling."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import accounts, db
from docgen.web import sessions


@pytest.fixture
def conn(tmp_path: Path):  # type: ignore[no-untyped-def]
    connection = db.connect(tmp_path / "docgen.sqlite3")
    sessions.migrate(connection)
    yield connection
    connection.close()


def test_passwords_are_argon2id_and_never_stored(conn) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(conn, "alex", "coordinator", "correct horse battery")
    stored = conn.execute("SELECT password_hash FROM users WHERE name = 'alex'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    with pytest.raises(accounts.AccountError, match="at least 12"):
        accounts.add_user(conn, "bob", "officer", "short pass")
    with pytest.raises(accounts.AccountError, match="already"):
        accounts.add_user(conn, "alex", "officer", "another long password")
    with pytest.raises(accounts.AccountError, match="not a role"):
        accounts.add_user(conn, "cat", "admin", "another long password")


def test_lock_out_lasts_fifteen_minutes_then_lifts(conn) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(conn, "sam", "officer", "officer password 1")
    now = 1_000_000.0
    results = [accounts.sign_in(conn, "sam", "wrong password!", now=now + i).result for i in range(5)]
    assert results[-1] is accounts.SignIn.LOCKED and set(results[:4]) == {accounts.SignIn.WRONG}
    assert accounts.sign_in(conn, "sam", "officer password 1", now=now + 60).result is accounts.SignIn.LOCKED
    assert accounts.sign_in(conn, "sam", "officer password 1", now=now + 4 + 15 * 60 + 1).result is accounts.SignIn.OK


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(conn) -> None:  # type: ignore[no-untyped-def]
    accounts.add_user(conn, "kim", "officer", "officer password 2")
    now = 2_000_000.0
    for i in range(8):
        result = accounts.sign_in(conn, "kim", "wrong password!", now=now + i * 300).result
        assert result is accounts.SignIn.WRONG, i


def test_a_session_ends_after_the_idle_time_and_when_disabled(conn) -> None:  # type: ignore[no-untyped-def]
    user = accounts.add_user(conn, "lee", "officer", "officer password 3")
    token = sessions.start(conn, user, now=100.0)
    found, expired = sessions.find(conn, token, idle_seconds=1800, now=100.0 + 1799)
    assert found is not None and found.user.name == "lee" and not expired
    found, expired = sessions.find(conn, token, idle_seconds=1800, now=100.0 + 1799 + 1801)
    assert found is None and expired
    assert sessions.find(conn, token, idle_seconds=1800, now=5000.0) == (None, False)  # gone for good
    again = sessions.start(conn, user, now=6000.0)
    accounts.disable_user(conn, "lee")
    assert sessions.find(conn, again, idle_seconds=1800, now=6001.0)[0] is None
    assert accounts.sign_in(conn, "lee", "officer password 3").result is accounts.SignIn.DISABLED
