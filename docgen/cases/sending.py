"""Sending a produced letter by email, when a person asks (SPEC §15, `docgen send` and the desk).

The letter's PDF copy (else its Word file) goes to the school's referrer (`referrer_email` of the
referral) unless another address is given, through the `[smtp]` server with smtplib. Each sending is
recorded in the case: a `letter_sendings` row and a line in the case history with the time and the
address. The same letter to the same address a second time is refused unless `again` is given; a
sending that was started but never confirmed (a kill mid-send) counts as sent, so it is never
repeated silently. Nothing here runs on its own: only a person's command or click calls `send_letter`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
import re
import smtplib
import sqlite3
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from docgen import db
from docgen.cases import store
from docgen.cases.outputs import case_fields
from docgen.config import Settings, SmtpSettings
from docgen.errors import CaseError, ConfigError, MailError
from docgen.mailauth import describe, read_password, run_token_command, xoauth2_string

_ADDRESS = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")
TO_SCHOOL = ("acceptance-letter", "not-accepted-letter", "request-for-information", "continuation-agreed-letter",
              "end-of-provision-letter")


class AlreadySent(CaseError):
    """The same letter went (or started to go) to the same address before: sent again only when asked."""

    def __init__(self, message: str, *, address: str, when: str, unconfirmed: bool = False) -> None:
        super().__init__(message)
        self.address = address
        self.when = when
        self.unconfirmed = unconfirmed  # started but never confirmed (a kill mid-send): check the sent mail


@dataclass(frozen=True)
class Sending:
    """One letter sent: what, to whom, when, as which message."""

    case: str
    letter: str  # the document name, e.g. acceptance-letter
    file: str  # relative to the home folder
    to: str
    at: str
    message_id: str

    def to_json(self) -> dict[str, Any]:
        return {"case": self.case, "letter": self.letter, "file": self.file, "to": self.to, "at": self.at,
                "message_id": self.message_id}


def check_address(text: str) -> str:
    """A single plain address (no display name, no header tricks), or a one-line CaseError."""
    value = text.strip()
    _name, address = parseaddr(value)
    if not address or address != value or not _ADDRESS.match(address) or "\n" in text or "\r" in text:
        raise CaseError(f"{text!r} is not an email address; give one address like office@school.example.org")
    return address


def _letter(conn: sqlite3.Connection, case: str, name: str | None) -> sqlite3.Row:
    rows = store.letters.of_case(conn, case, done_only=True)
    if not rows:
        raise CaseError(f"{case} has no letter produced yet; nothing to send")
    if name:
        wanted = name.strip().lower()
        found = [r for r in rows if wanted in {r["document"], Path(r["path"]).name.lower(),
                                               Path(r["path"]).stem.lower()}]
        if not found:
            names = ", ".join(sorted({r["document"] for r in rows}))
            raise CaseError(f"{case} has no letter {name!r}; its letters: {names}")
        chosen: sqlite3.Row = found[-1]
        return chosen
    to_school = [r for r in rows if r["document"] in TO_SCHOOL]
    if not to_school:
        names = ", ".join(sorted({r["document"] for r in rows}))
        raise CaseError(f"{case} has no letter for the school yet; choose one with --letter ({names})")
    latest: sqlite3.Row = to_school[-1]
    return latest


def _file(settings: Settings, letter: sqlite3.Row) -> Path:
    docx = settings.home / str(letter["path"])
    for candidate in (docx.with_suffix(".pdf"), docx):
        if candidate.is_file():
            return candidate
    raise CaseError(f"the letter file {letter['path']} is missing from the outbox; "
                    "restore it from the archive before sending")


def recipient(conn: sqlite3.Connection, case: str, to: str | None) -> str:
    """The address to send to: the one given, else the referral's referrer_email."""
    if to:
        return check_address(to)
    address = case_fields(conn, case).get("referrer_email")
    if not address:
        raise CaseError(f"{case}'s referral gives no referrer email; give the address with --to")
    return check_address(str(address))


def letter_choices(conn: sqlite3.Connection, case: str) -> list[dict[str, Any]]:
    """The produced letters a person can send, newest first; `default` marks the one sent when none is named."""
    rows = store.letters.of_case(conn, case, done_only=True)
    to_school = [r["id"] for r in rows if r["document"] in TO_SCHOOL]
    return [{"name": Path(r["path"]).stem, "document": r["document"], "on": r["on_date"],
             "default": bool(to_school) and r["id"] == to_school[-1]} for r in reversed(rows)]


def default_recipient(conn: sqlite3.Connection, case: str) -> str:
    """The referral's referrer email when it is a usable address, else '' (the person types one)."""
    try:
        return recipient(conn, case, None)
    except CaseError:
        return ""


def sendings(conn: sqlite3.Connection, case: str) -> list[dict[str, Any]]:
    """The case's sent letters, oldest first (for `docgen case` and the desk)."""
    store.sendings.migrate(conn)
    return [{"letter": r["document"], "file": r["file"], "to": r["to_addr"], "at": r["at"], "state": r["state"],
             "who": r["who"]}
            for r in store.sendings.of_case(conn, case)]


def send_letter(conn: sqlite3.Connection, settings: Settings, case: str, *, letter: str | None = None,
                to: str | None = None, again: bool = False, who: str = "unknown") -> Sending:
    """Send one produced letter by email and record it in the case; raises CaseError/MailError (one line)."""
    if settings.smtp is None:
        raise ConfigError(f"no [smtp] section in {settings.home / 'docgen.toml'}; add host, port, security and "
                          "from (see the README, 'Sending letters')")
    store.sendings.migrate(conn)
    row = store.get_case(conn, case)
    chosen = _letter(conn, case, letter)
    file = _file(settings, chosen)
    address = recipient(conn, case, to)
    data = file.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    at = store.now_text(dt.datetime.now(dt.UTC))
    domain = settings.smtp.sender.rpartition("@")[2] or "docgen.invalid"
    message_id = make_msgid(domain=domain)
    with db.transaction(conn):
        earlier = store.sendings.last_to(conn, chosen["id"], address)
        if earlier is not None and not again:
            when = earlier["at"][:16].replace("T", " ")
            if earlier["state"] == "sending":
                raise AlreadySent(f"sending this letter to {address} was started on {when} but not confirmed; "
                                  "check the sent mail, then add --again to send it again", address=address,
                                  when=when, unconfirmed=True)
            raise AlreadySent(f"this letter was already sent to {address} on {when}; add --again to send it again",
                              address=address, when=when)
        sending_id = store.sendings.start(conn, case=case, letter_id=chosen["id"], document=chosen["document"],
                                          file=str(file.relative_to(settings.home)), sha256=digest, to=address,
                                          message_id=message_id, who=who, at=at)
    message = _message(settings, case, chosen["document"], file, data, address, message_id)
    try:
        _deliver(settings.smtp, message, address)
    except MailError:
        with db.transaction(conn):  # refused before it was accepted: nothing was sent
            store.sendings.forget(conn, sending_id)
        raise
    with db.transaction(conn):
        store.sendings.sent(conn, sending_id)
        store.cases.note(conn, case, row.state, action="send", at=at, actor=who,
                         cause=f"{chosen['document']} ({file.name}) emailed to {address} by {who}")
    return Sending(case=case, letter=chosen["document"], file=str(file.relative_to(settings.home)), to=address,
                   at=at, message_id=message_id)


def _message(settings: Settings, case: str, document: str, file: Path, data: bytes, address: str,
             message_id: str) -> EmailMessage:
    assert settings.smtp is not None
    signatory = settings.signatory
    title = document.replace("-", " ").capitalize()
    message = EmailMessage()
    message["From"] = formataddr((signatory.service, settings.smtp.sender))
    message["To"] = address
    message["Subject"] = f"{title} — {case}"
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    message.set_content(f"Please find attached our {title.lower()} (reference {case}).\n\n"
                        f"{signatory.name}\n{signatory.title}\n{signatory.service}\n{signatory.phone}\n")
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    maintype, subtype = kind.split("/", 1)
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=file.name)
    return message


def _log_in(client: smtplib.SMTP, smtp: SmtpSettings) -> None:
    """Log in with the password, or with SASL XOAUTH2 and the token `token_command` prints (SPEC §15)."""
    if smtp.auth == "xoauth2":
        token = run_token_command(smtp)
        client.ehlo_or_helo_if_needed()
        if "xoauth2" not in client.esmtp_features.get("auth", "").lower().split():
            raise smtplib.SMTPNotSupportedError("XOAUTH2")

        def respond(challenge: bytes | None = None) -> str:
            # first the credentials; after a refusal the server sends an error as a challenge: answer empty
            return xoauth2_string(smtp.username, token) if challenge is None else ""

        client.auth("XOAUTH2", respond)
    elif smtp.username:
        client.login(smtp.username, read_password(smtp.password_file, smtp.password, "DOCGEN_SMTP_PASSWORD", "smtp"))


def _deliver(smtp: SmtpSettings, message: EmailMessage, address: str) -> None:
    """Hand the message to the SMTP server (ssl, starttls or none), logging in when a username is set."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        client: smtplib.SMTP
        if smtp.security == "ssl":
            client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        with client:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            _log_in(client, smtp)
            client.send_message(message, from_addr=smtp.sender, to_addrs=[address])
    except smtplib.SMTPAuthenticationError:
        if smtp.auth == "xoauth2":
            raise MailError(f"the mail server {where} refused the OAuth2 token for {smtp.username}; check [smtp] "
                            "username and that token_command prints a current access token") from None
        raise MailError(f"the mail server {where} refused the login for {smtp.username}; check [smtp] username "
                        "and the password (password_file or DOCGEN_SMTP_PASSWORD)") from None
    except smtplib.SMTPNotSupportedError:
        raise MailError(f"the mail server {where} does not offer {smtp.auth.upper()} login; check [smtp] auth "
                        "and security (most servers offer login only after starttls or over ssl)") from None
    except smtplib.SMTPRecipientsRefused:
        raise MailError(f"the mail server {where} refused the address {address}; check it") from None
    except smtplib.SMTPException as exc:
        raise MailError(f"the mail server {where} refused the letter ({type(exc).__name__}); nothing was sent") \
            from None
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"the mail server {where} presented a certificate that cannot be trusted "
                        f"({exc.verify_message or exc.reason}); nothing was sent; check [smtp] host") from None
    except (TimeoutError, OSError) as exc:
        raise MailError(f"the mail server {where} could not be reached ({describe(exc)}); nothing was sent, "
                        "try again later") from None
