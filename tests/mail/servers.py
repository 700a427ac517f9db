"""Real mail servers for the tests: Dovecot (IMAP) from a config in a temp folder, aiosmtpd (SMTP).

Dovecot runs in the foreground (`-F`) on an ephemeral loopback port with a passwd-file and its mail in
the temp folder. As a normal user every internal/login user and group is the current one (no chroot); as root (CI) Dovecot
refuses to run its login process as root, so the Debian package's `dovenull`/`dovecot` users are used
and the temp folder is made reachable for them.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "officer@example.org"
PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    """A running Dovecot; `client()` opens a plain imaplib connection for setting up and checking."""

    root: Path
    port: int
    capabilities: str | None = None  # e.g. "IMAP4rev1 UIDPLUS" to hide MOVE and IDLE
    oauth_url: str | None = None  # token introspection URL: XOAUTH2 accepted (Dovecot's oauth2 passdb)
    tls: tuple[Path, Path] | None = None  # (certificate, key): STARTTLS on `port`, implicit TLS on `tls_port`
    tls_port: int = 0
    proc: subprocess.Popen[bytes] | None = None
    users: dict[str, str] = field(default_factory=dict)

    @property
    def config(self) -> Path:
        return self.root / "dovecot.conf"

    def write_config(self) -> None:
        root = self.root
        if os.geteuid() == 0:
            login_user, internal_user, internal_group = "dovenull", "dovecot", "dovecot"
            mail_user = pwd.getpwnam("dovecot")
            uid, gid = mail_user.pw_uid, mail_user.pw_gid
        else:
            me = pwd.getpwuid(os.getuid())
            login_user = internal_user = me.pw_name
            internal_group = grp.getgrgid(os.getgid()).gr_name
            uid, gid = me.pw_uid, me.pw_gid
        (root / "mail").mkdir(exist_ok=True)
        os.chown(root / "mail", uid, gid) if os.geteuid() == 0 else None
        (root / "passwd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in self.users.items()))
        (root / "passwd").chmod(0o644)  # read by the auth process (as root: dovecot) whatever the umask
        mechanisms = "plain login" + (" xoauth2 oauthbearer" if self.oauth_url else "")
        passdbs = f"""passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
"""
        if self.oauth_url:
            (root / "oauth2.conf.ext").write_text(
                f"introspection_mode = post\nintrospection_url = {self.oauth_url}\n"
                "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
                "tokeninfo_url =\nforce_introspection = yes\n")
            (root / "oauth2.conf.ext").chmod(0o644)
            passdbs = f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root}/oauth2.conf.ext
}}
""" + passdbs
        extra = f"imap_capability = {self.capabilities}\n" if self.capabilities else ""
        ssl = "ssl = no\n"
        if self.tls:
            ssl = f"ssl = yes\nssl_cert = <{self.tls[0]}\nssl_key = <{self.tls[1]}\n"
        self.config.write_text(f"""base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
auth_failure_delay = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = {min(uid, 1) if uid else 1}
mail_location = maildir:{root}/mail/%u
mail_privileged_group =
{extra}{passdbs}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port if self.tls else 0}
  }}
}}
""")

    def start(self) -> None:
        self.write_config()
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", str(self.config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                if s.recv(64).startswith(b"* OK"):
                    return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        log = (self.root / "dovecot.log").read_text(errors="replace") if (self.root / "dovecot.log").exists() else ""
        raise RuntimeError(f"dovecot did not start: {log[-2000:]}")

    def kill(self) -> None:
        """Kill the whole server at once (its process group), as a crash or a dropped network would."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None
        deadline = time.monotonic() + 5  # children (auth, imap) die with the group; the port frees
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                time.sleep(0.05)
            except OSError:
                return

    def reset_uidvalidity(self, user: str = USER) -> None:
        """Make the server renumber INBOX (a new UIDVALIDITY), as after a restore or a migration."""
        self.kill()
        maildir = self.root / "mail" / user
        for index in [*maildir.glob("dovecot-uidlist*"), *maildir.glob("dovecot.index*"),
                      *maildir.glob("dovecot.list.index*")]:
            index.unlink()
        time.sleep(1.1)  # UIDVALIDITY is the creation time in seconds
        self.start()

    def uidvalidity(self, folder: str = "INBOX", user: str = USER) -> int:
        conn = self.client(user)
        try:
            conn.select(folder, readonly=True)
            return int(conn.untagged_responses["UIDVALIDITY"][-1])
        finally:
            conn.logout()

    def client(self, user: str = USER) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=20)
        conn.login(user, self.users[user])
        return conn

    def append(self, data: bytes, folder: str = "INBOX", user: str = USER) -> None:
        conn = self.client(user)
        try:
            typ, resp = conn.append(folder, None, None, data)
            assert typ == "OK", resp
        finally:
            conn.logout()

    def messages(self, folder: str = "INBOX", user: str = USER) -> list[bytes]:
        """Every message in a folder (whole), oldest first; [] when the folder does not exist."""
        conn = self.client(user)
        try:
            typ, _ = conn.select(f'"{folder}"', readonly=True)
            if typ != "OK":
                return []
            typ, data = conn.uid("SEARCH", "ALL")
            found = []
            for uid in (data[0] or b"").split():
                typ, parts = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                found += [bytes(p[1]) for p in parts if isinstance(p, tuple)]
            return found
        finally:
            conn.logout()

    def folders(self, user: str = USER) -> dict[str, int]:
        conn = self.client(user)
        try:
            typ, data = conn.list()
            names = [m.group(1).strip('"') for line in data
                     if isinstance(line, bytes) and (m := re.search(r'\) (?:"[^"]*"|NIL) (.+)$', line.decode()))]
            return {n: len(self.messages(n, user)) for n in names}
        finally:
            conn.logout()


@contextlib.contextmanager
def dovecot(**kwargs: Any) -> Iterator[Dovecot]:
    """A running Dovecot with one user (USER/PASSWORD), stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="docgen-dovecot-"))
    root.chmod(0o755)  # the login/mail users (as root: dovenull, dovecot) reach their sockets and mail
    server = Dovecot(root=root, port=free_port(), tls_port=free_port(), users={USER: PASSWORD}, **kwargs)
    try:
        server.start()
        yield server
    finally:
        server.kill()
        shutil.rmtree(root, ignore_errors=True)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost/127.0.0.1 made by the openssl command (trusted through SSL_CERT_FILE)."""
    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    key.chmod(0o644)  # Dovecot's master reads it as the user that started it
    return cert, key


class CuttingProxy:
    """A loopback TCP relay to Dovecot that drops every connection once `cut_after` bytes came from the
    server (mid-fetch), calling `on_cut` then (e.g. to kill the server); later connections are relayed.
    With `bytes_per_second` it is a slow link, so that a fetch takes long enough to be killed midway."""

    def __init__(self, target_port: int, cut_after: int | None, on_cut: Any = None,
                 bytes_per_second: float | None = None) -> None:
        self.bytes_per_second = bytes_per_second  # a slow link: each chunk from the server is held back
        self.target_port = target_port
        self.cut_after = cut_after
        self.on_cut = on_cut
        self.port = free_port()
        self.sent = 0
        self.cut = False
        self.sockets: list[socket.socket] = []
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        self.listener.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> CuttingProxy:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.running = False
        self.thread.join(timeout=5)
        self.listener.close()
        for s in self.sockets:
            with contextlib.suppress(OSError):
                s.close()

    def _accept(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                client.close()  # the server is down: the client sees the connection closed
                continue
            self.sockets += [client, server]
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, from_server: bool) -> None:
        source.settimeout(30)
        try:
            while self.running:
                data = source.recv(16384)
                if not data:
                    break
                if from_server and self.bytes_per_second:
                    time.sleep(len(data) / self.bytes_per_second)
                if from_server and not self.cut and self.cut_after is not None:
                    self.sent += len(data)
                    if self.sent >= self.cut_after:
                        self.cut = True
                        if self.on_cut is not None:
                            self.on_cut()
                        break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()


@dataclass
class Captured:
    envelope_from: str
    recipients: list[str]
    data: bytes


class SmtpCapture:
    """aiosmtpd on a loopback port keeping every message it receives (optionally requiring a login)."""

    def __init__(self, *, auth: tuple[str, str] | None = None, tls: tuple[Path, Path] | None = None,
                 implicit_tls: bool = False, xoauth2: tuple[str, str] | None = None,
                 refuse: frozenset[str] = frozenset()) -> None:
        """`tls`: a certificate and key, offered by STARTTLS (or from the first byte with `implicit_tls`,
        SMTPS as on port 465); `xoauth2`: the (user, token) the XOAUTH2 mechanism accepts (then it is the
        only login offered), answering a wrong token as Google and Microsoft do — an error challenge,
        then 535; `refuse`: recipient addresses answered 550 (no such mailbox)."""
        from aiosmtpd.controller import Controller

        self.messages: list[Captured] = []
        self.port = free_port()
        self.auth = auth
        outer = self

        self.logins: list[str] = []  # the mechanism of each successful login

        class Handler:
            async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                                  options: list[str]) -> str:
                if address.lower() in refuse:
                    return "550 5.1.1 No such mailbox here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                outer.messages.append(Captured(envelope.mail_from, list(envelope.rcpt_tos),
                                               bytes(envelope.original_content or envelope.content)))
                return "250 OK"

        class OAuthHandler(Handler):
            async def auth_XOAUTH2(self, server: Any, args: list[str]) -> Any:  # noqa: N802
                import base64
                import json

                from aiosmtpd.smtp import AuthResult

                assert xoauth2 is not None
                try:
                    given = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
                except ValueError:
                    given = ""
                if given == f"user={xoauth2[0]}\x01auth=Bearer {xoauth2[1]}\x01\x01":
                    outer.logins.append("XOAUTH2")
                    return AuthResult(success=True, auth_data=xoauth2[0])
                error = json.dumps({"status": "401", "schemes": "Bearer", "scope": "https://mail.google.com/"})
                await server.challenge_auth(error)  # the client answers with an empty line
                return AuthResult(success=False, handled=False)

        kwargs: dict[str, Any] = {}
        if auth is not None:
            def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
                from aiosmtpd.smtp import AuthResult, LoginPassword

                ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == auth
                return AuthResult(success=ok, handled=False)

            kwargs = {"authenticator": authenticator, "auth_require_tls": False}
        if xoauth2 is not None:
            kwargs = {"auth_exclude_mechanism": ["LOGIN", "PLAIN"], "auth_require_tls": False}
        if tls is not None:
            import ssl

            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            if implicit_tls:  # TLS from the first byte (SMTPS)
                kwargs.update({"ssl_context": context})
            else:  # STARTTLS offered (and required before AUTH)
                kwargs.update({"tls_context": context, "auth_require_tls": True, "require_starttls": True})
        handler = OAuthHandler() if xoauth2 is not None else Handler()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port, **kwargs)
        self.lock = threading.Lock()

    def __enter__(self) -> SmtpCapture:
        self.controller.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.controller.stop()
