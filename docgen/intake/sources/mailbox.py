"""One IMAP connection to the service's mailbox: log in, list new UIDs, fetch, move (SPEC §15).

Built on imap-tools (login, XOAUTH2, folders, IDLE) and the standard imaplib it wraps (UID SEARCH,
UID FETCH, UID MOVE, UID EXPUNGE): no protocol code of our own. Every socket operation has a
timeout. Problems become one-line errors: `MailConnectionError` (refused, dropped, timed out — worth
retrying with back-off) or `MailError` (login refused, token command failed, folder unusable).
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Callable, Iterator
from typing import Any

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError
from imap_tools.utils import encode_folder as _encode_folder

from docgen.config import MailSettings
from docgen.errors import MailConnectionError, MailError
from docgen.mailauth import describe, read_password, run_token_command

_SIZE = re.compile(rb"UID (\d+).*?RFC822\.SIZE (\d+)|RFC822\.SIZE (\d+).*?UID (\d+)")
_UID = re.compile(rb"UID (\d+)")


def encode_folder(name: str) -> Any:
    """A folder name as IMAP wants it (modified UTF-7, quoted); imaplib takes the bytes as they are."""
    return _encode_folder(name)


@contextlib.contextmanager
def network_errors(settings: MailSettings, doing: str) -> Iterator[None]:
    """Turn socket/TLS/IMAP aborts into MailConnectionError (retried), other IMAP errors into MailError."""
    where = f"{settings.imap_host}:{settings.imap_port}"
    try:
        yield
    except MailError:
        raise
    except ssl.SSLCertVerificationError as exc:  # not worth retrying: it will not trust itself later
        raise MailError(f"the mailbox server {where} presented a certificate that cannot be trusted "
                        f"({exc.verify_message or exc.reason}); check [mail] imap_host, or install the "
                        "server's CA certificate on this machine") from None
    except (OSError, imaplib.IMAP4.abort, EOFError) as exc:  # ssl.SSLError and socket.timeout are OSErrors
        raise MailConnectionError(f"the mailbox server {where} could not be reached or dropped the connection "
                                  f"while {doing} ({describe(exc)}); docgen retries with back-off") from None
    except (imaplib.IMAP4.error, ImapToolsError) as exc:
        raise MailError(f"the mailbox server {where} refused {doing}: {_server_text(exc)}") from None


def _server_text(exc: BaseException) -> str:
    """The server's own words from an IMAP error (imap-tools keeps the response in `command_result`)."""
    result = getattr(exc, "command_result", None)
    text = str(exc)
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
        text = " ".join(d.decode("utf-8", "replace") for d in result[1] if isinstance(d, bytes)) or text
    text = " ".join(text.split())[:200]
    return text or type(exc).__name__


class Mailbox:
    """An open, logged-in IMAP connection (use as a context manager; `connect` may raise MailError)."""

    def __init__(self, settings: MailSettings, box: Any) -> None:
        self.settings = settings
        self.box = box
        self.client: imaplib.IMAP4 = box.client
        self.capabilities: set[str] = set()
        self.delimiter = "/"
        self.selected: str | None = None

    @classmethod
    def connect(cls, settings: MailSettings, *, token: Callable[[MailSettings], str] = run_token_command) -> Mailbox:
        """Open the connection (ssl, starttls or none) and log in with the password or an XOAUTH2 token."""
        secret = (token(settings) if settings.auth == "xoauth2" else
                  read_password(settings.password_file, settings.password, "DOCGEN_IMAP_PASSWORD", "mail"))
        with network_errors(settings, "connecting"):
            box: Any
            if settings.security == "ssl":
                box = MailBox(settings.imap_host, settings.imap_port, timeout=settings.timeout_seconds,
                              ssl_context=ssl.create_default_context())
            elif settings.security == "starttls":
                box = MailBoxStartTls(settings.imap_host, settings.imap_port, timeout=settings.timeout_seconds,
                                      ssl_context=ssl.create_default_context())
            else:
                box = MailBoxUnencrypted(settings.imap_host, settings.imap_port, timeout=settings.timeout_seconds)
        mailbox = cls(settings, box)
        try:
            with network_errors(settings, "logging in"):
                try:
                    if settings.auth == "xoauth2":
                        box.xoauth2(settings.username, secret, initial_folder=None)
                    else:
                        box.login(settings.username, secret, initial_folder=None)
                except (MailboxLoginError, imaplib.IMAP4.error) as exc:
                    what = "the OAuth2 token" if settings.auth == "xoauth2" else "the login"
                    raise MailError(f"the mailbox server refused {what} for {settings.username} "
                                    f"({_server_text(exc)[:80]}); check [mail] username and "
                                    + ("token_command" if settings.auth == "xoauth2"
                                       else "the password (password_file or DOCGEN_IMAP_PASSWORD)")) from None
                typ, data = mailbox.client.capability()
                if typ == "OK" and data and data[0]:
                    mailbox.capabilities = {c.upper() for c in data[0].decode("ascii", "replace").split()}
                folders = box.folder.list("", "INBOX")
                if folders and folders[0].delim:
                    mailbox.delimiter = folders[0].delim
        except BaseException:
            mailbox.close()
            raise
        return mailbox

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Log out (best effort) and close the socket."""
        with contextlib.suppress(Exception):
            if self.client.state == "SELECTED":
                self.client.close()  # no EXPUNGE: CLOSE only removes messages we flagged \\Deleted ourselves
        with contextlib.suppress(Exception):
            self.client.logout()
        with contextlib.suppress(Exception):
            self.client.shutdown()

    # ---- folders ----------------------------------------------------------------------------------

    def server_name(self, folder: str) -> str:
        """A configured folder path (`docgen/processed`) in the server's hierarchy delimiter."""
        return folder if folder.upper() == "INBOX" else folder.replace("/", self.delimiter)

    def ensure_folder(self, folder: str) -> None:
        """Create a folder (and its parents) when missing; never deletes or renames anything."""
        name = self.server_name(folder)
        with network_errors(self.settings, f"creating the folder {folder}"):
            if self.box.folder.exists(name):
                return
            parts = name.split(self.delimiter)
            for depth in range(1, len(parts) + 1):
                path = self.delimiter.join(parts[:depth])
                if not self.box.folder.exists(path):
                    typ, data = self.client.create(encode_folder(path))
                    if typ != "OK" and not self.box.folder.exists(path):
                        raise MailError(f"the mailbox server refused to create the folder {folder}: "
                                        f"{_server_text(Exception(data))}")

    def select(self, folder: str, *, readonly: bool = False) -> int:
        """Select a folder (read-write unless `readonly`); returns its UIDVALIDITY."""
        name = self.server_name(folder)
        with network_errors(self.settings, f"opening the folder {folder}"):
            typ, data = self.client.select(encode_folder(name), readonly=readonly)
            if typ != "OK":
                raise MailError(f"the mailbox folder {folder} cannot be opened ({_server_text(Exception(data))}); "
                                "check [mail] folder")
            values = self.client.untagged_responses.get("UIDVALIDITY") or []
            if not values:
                status = self.box.folder.status(name, ["UIDVALIDITY"])
                values = [str(status["UIDVALIDITY"]).encode()]
        self.selected = folder
        last = values[-1]
        return int(last[0] if isinstance(last, tuple) else last)

    # ---- messages ---------------------------------------------------------------------------------

    def uids(self) -> list[int]:
        """UID SEARCH UNDELETED: every message in the folder that is not flagged for deletion."""
        with network_errors(self.settings, "listing messages"):
            typ, data = self.client.uid("SEARCH", "UNDELETED")
        if typ != "OK":
            raise MailError(f"the mailbox server refused to list messages ({_server_text(Exception(data))})")
        return sorted(int(u) for u in (data[0] or b"").split())

    def sizes(self, uids: list[int]) -> dict[int, int]:
        """RFC822.SIZE of each UID (one command per 200 UIDs), to refuse an enormous message unread."""
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), 200):
            chunk = ",".join(str(u) for u in uids[start:start + 200])
            with network_errors(self.settings, "reading message sizes"):
                typ, data = self.client.uid("FETCH", chunk, "(RFC822.SIZE)")
            if typ != "OK":
                continue
            for item in data:
                line = item[0] if isinstance(item, tuple) else item
                match = _SIZE.search(line or b"")
                if match:
                    uid, size = (match.group(1), match.group(2)) if match.group(1) else (match.group(4),
                                                                                        match.group(3))
                    sizes[int(uid)] = int(size)
        return sizes

    def fetch(self, uid: int, part: str = "BODY.PEEK[]") -> bytes | None:
        """The whole message (RFC 822 bytes) without marking it seen; None when it is gone."""
        with network_errors(self.settings, "fetching a message"):
            typ, data = self.client.uid("FETCH", str(uid), f"({part})")
        if typ != "OK":
            raise MailError(f"the mailbox server refused to fetch a message ({_server_text(Exception(data))})")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and _UID.search(item[0]):
                uid_match = _UID.search(item[0])
                if uid_match and int(uid_match.group(1)) == uid:
                    return bytes(item[1])
        return None

    def header(self, uid: int, name: str) -> str | None:
        """One header's value (for a message too large to fetch whole)."""
        data = self.fetch(uid, f"BODY.PEEK[HEADER.FIELDS ({name.upper()})]")
        if not data:
            return None
        text = data.decode("ascii", "replace")
        _, _, value = text.partition(":")
        return " ".join(value.split()) or None

    def move(self, uid: int, folder: str) -> None:
        """Move one message: UID MOVE, else UID COPY + \\Deleted + UID EXPUNGE of that UID only.

        Without UIDPLUS the original stays flagged \\Deleted (never expunged: a plain EXPUNGE could
        remove other people's deleted mail); UID SEARCH UNDELETED no longer lists it. (A kill between
        COPY and the flag can leave a second copy in `folder`; UID MOVE, which every current server
        offers, is one step.)
        """
        name = encode_folder(self.server_name(folder))
        with network_errors(self.settings, f"moving a message to {folder}"):
            if "MOVE" in self.capabilities:
                typ, data = self.client.uid("MOVE", str(uid), name)
                if typ != "OK":
                    raise MailError(f"the mailbox server refused to move a message to {folder} "
                                    f"({_server_text(Exception(data))})")
                return
            typ, data = self.client.uid("COPY", str(uid), name)
            if typ != "OK":
                raise MailError(f"the mailbox server refused to copy a message to {folder} "
                                f"({_server_text(Exception(data))})")
            typ, data = self.client.uid("STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
            if typ != "OK":
                raise MailError(f"the mailbox server refused to flag a moved message ({_server_text(Exception(data))})")
            if "UIDPLUS" in self.capabilities:
                self.client.uid("EXPUNGE", str(uid))

    @property
    def idle_supported(self) -> bool:
        return "IDLE" in self.capabilities
