"""Credentials and errors shared by the mailbox reader and the letter sender (SPEC §15).

Passwords come from a password file (first line) or the environment variable the CLI passed in;
OAuth2 access tokens from `token_command`, run without a shell, with a timeout, its output stripped.
Nothing here logs or echoes a secret.
"""

from __future__ import annotations

import imaplib
import socket
import ssl
import subprocess
from pathlib import Path

from docgen.config import MailSettings, SmtpSettings
from docgen.errors import MailError

MAX_TOKEN_BYTES = 64 * 1024


def xoauth2_string(username: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64): `user=…^Aauth=Bearer …^A^A`."""
    return f"user={username}\x01auth=Bearer {token}\x01\x01"


def run_token_command(settings: MailSettings | SmtpSettings) -> str:
    """Run `token_command` (no shell, with a timeout) and return its stripped output: the access token."""
    section = "mail" if isinstance(settings, MailSettings) else "smtp"
    command = list(settings.token_command)
    program = command[0] if command else "(none)"
    try:
        done = subprocess.run(command, capture_output=True, timeout=settings.token_timeout_seconds, check=False,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise MailError(f"the [{section}] token_command program {program} was not found; "
                        "check the path in docgen.toml") from None
    except PermissionError:
        raise MailError(f"the [{section}] token_command program {program} cannot be run (permission denied)") \
            from None
    except subprocess.TimeoutExpired:
        raise MailError(f"the [{section}] token_command did not finish within {settings.token_timeout_seconds:g} s; "
                        "run it by hand to see why") from None
    if done.returncode != 0:
        raise MailError(f"the [{section}] token_command failed (exit {done.returncode}); run it by hand to see why")
    token = done.stdout[:MAX_TOKEN_BYTES].decode("utf-8", "replace").strip()
    if not token or any(c.isspace() or ord(c) < 32 for c in token):
        raise MailError(f"the [{section}] token_command printed no usable token (expected one line, no spaces)")
    return token


def read_password(password_file: Path | None, password: str | None, env_name: str, section: str) -> str:
    """The password from `password_file` (first line), else the environment variable the CLI passed."""
    if password_file is not None:
        try:
            text = password_file.read_text(encoding="utf-8")
        except OSError as exc:
            raise MailError(f"the [{section}] password_file {password_file} cannot be read "
                            f"({exc.strerror or exc}); check the path and its permissions") from None
        lines = text.splitlines()
        if not lines or not lines[0]:
            raise MailError(f"the [{section}] password_file {password_file} is empty")
        return lines[0]
    if password:
        return password
    raise MailError(f"no password for [{section}]: set password_file in docgen.toml or {env_name}")


def describe(exc: BaseException) -> str:
    """A short, secret-free description of a network error."""
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or type(exc).__name__}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    if isinstance(exc, imaplib.IMAP4.abort):
        return "the server closed the connection"
    return type(exc).__name__
