"""XOAUTH2 (Microsoft 365, Google): the token from `token_command`, checked by a real Dovecot whose oauth2
passdb asks a token introspection endpoint — and the token command's plumbing on its own."""

from __future__ import annotations

import http.server
import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from docgen.config import MailSettings
from docgen.errors import MailError
from docgen.intake.sources.mailbox import Mailbox
from docgen.mailauth import run_token_command, xoauth2_string
from tests.mail import messages as m
from tests.mail.conftest import Docgen, fetch_json
from tests.mail.servers import USER, Dovecot, dovecot, free_port

GOOD = "ya29.a0-invented-access-token"


@pytest.fixture
def introspection() -> Iterator[tuple[str, list[bytes]]]:
    """A token introspection endpoint (RFC 7662) that knows one token: what Dovecot's oauth2 passdb asks."""
    seen: list[bytes] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(body)
            active = f"token={GOOD}&".encode() in body + b"&"
            data = json.dumps({"active": active, "username": USER} if active else {"active": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/introspect", seen
    finally:
        server.shutdown()
        server.server_close()


def token_script(folder: Path, body: str) -> list[str]:
    script = folder / "token.py"
    script.write_text(body)
    return [sys.executable, str(script)]


def settings(port: int, command: list[str], timeout: float = 10) -> MailSettings:
    return MailSettings(imap_host="127.0.0.1", imap_port=port, security="none", username=USER, auth="xoauth2",
                        token_command=tuple(command), token_timeout_seconds=timeout, timeout_seconds=10)


def test_fetch_with_an_oauth2_token(tmp_path: Path, introspection: tuple[str, list[bytes]], docgen: Docgen,
                                    mhome: Path) -> None:
    url, seen = introspection
    with dovecot(oauth_url=url) as server:
        server.append(m.no_attachment())
        command = token_script(tmp_path, f"print('  {GOOD}  ')\n")  # whitespace around it is stripped
        (mhome / "docgen.toml").write_text(f"""[letters]
pdf = "off"
[mail]
imap_host = "127.0.0.1"
imap_port = {server.port}
security = "none"
username = "{USER}"
auth = "xoauth2"
token_command = {json.dumps(command)}
""")
        data = fetch_json(docgen("mail", "fetch", "--json"))
        assert [e["uid"] for e in data["fetched"]] == [1]
        assert any(f"token={GOOD}".encode() in body for body in seen)
        assert "method=XOAUTH2" in (server.root / "dovecot.log").read_text()
        assert server.folders()["docgen.processed"] == 1
        assert GOOD not in (mhome / ".docgen" / "audit.jsonl").read_text()

        # a token the provider does not accept: one line, and no token in it
        with pytest.raises(MailError) as refused:
            Mailbox.connect(settings(server.port, token_script(tmp_path, "print('expired-token')\n")))
        assert "refused the OAuth2 token" in refused.value.message and "expired-token" not in refused.value.message


def test_token_command_plumbing(tmp_path: Path) -> None:
    base = settings(1, [])
    assert run_token_command(replace(base, token_command=tuple(token_script(tmp_path, "print('abc.def')\n")))) == "abc.def"
    failures = {
        "import sys; sys.stderr.write('secret-detail'); sys.exit(3)\n": "failed (exit 3)",
        "print('')\n": "no usable token",
        "print('two words')\n": "no usable token",
        "import time; time.sleep(30)\n": "did not finish within 0.5 s",
    }
    for body, expected in failures.items():
        with pytest.raises(MailError) as failed:
            run_token_command(replace(base, token_command=tuple(token_script(tmp_path, body)),
                                      token_timeout_seconds=0.5))
        assert expected in failed.value.message and "secret-detail" not in failed.value.message
        assert "\n" not in failed.value.message
    with pytest.raises(MailError, match="was not found"):
        run_token_command(replace(base, token_command=(str(tmp_path / "missing-program"),)))
    # no shell: a metacharacter is just an argument
    echo = token_script(tmp_path, "import sys; print(sys.argv[1])\n")
    assert run_token_command(replace(base, token_command=(*echo, "tok;rm"))) == "tok;rm"


def test_sasl_xoauth2_string() -> None:
    assert xoauth2_string("officer@example.org", "tok") == "user=officer@example.org\x01auth=Bearer tok\x01\x01"


def test_plain_login_path_of_the_same_server(imap: Dovecot) -> None:
    plain = MailSettings(imap_host="127.0.0.1", imap_port=imap.port, security="none", username=USER,
                         password=imap.users[USER], timeout_seconds=10)
    with Mailbox.connect(plain) as mailbox:
        assert mailbox.select("INBOX") > 0 and mailbox.uids() == []
