"""`docgen send` over implicit TLS (SMTPS, port 465) and with XOAUTH2 (Microsoft 365, Google) against a real
aiosmtpd holding a self-signed certificate: the letter arrives only over a trusted TLS connection, the
token comes from `token_command`, and neither the token nor the child reaches any output or log."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from docgen.config import load_settings
from docgen.errors import ConfigError
from tests.mail.servers import SmtpCapture, self_signed
from tests.mail.test_send import SIGNATORY, accepted_case, attachment, run, smtp_config

__all__ = ["accepted_case"]  # the fixture, shared with test_send

TOKEN = "ya29.a0-invented-smtp-token"
OAUTH_USER = "medicalneeds@example.org"


def test_send_over_implicit_tls(accepted_case: tuple[Path, str, str], tmp_path: Path) -> None:
    home, case, referrer = accepted_case
    cert, key = self_signed(tmp_path)
    with SmtpCapture(auth=("docgen", "mail-secret"), tls=(cert, key), implicit_tls=True) as smtp:
        smtp_config(home, smtp.port, "mail-secret", security="ssl")
        untrusted = run(home, "send", case)
        assert untrusted.returncode == 1 and untrusted.stderr.count("\n") == 1, untrusted.stderr
        assert "cannot be trusted" in untrusted.stderr and "nothing was sent" in untrusted.stderr
        assert smtp.messages == []
        result = run(home, "send", case, "--json", SSL_CERT_FILE=str(cert))
        assert result.returncode == 0, result.stderr
        assert [m.recipients for m in smtp.messages] == [[referrer]]
        name, data = attachment(smtp.messages[0].data)
        assert data == (home / json.loads(result.stdout)["file"]).read_bytes()
    # security = "ssl" against a server that speaks plain SMTP: a one-line TLS error, nothing recorded
    with SmtpCapture(auth=("docgen", "mail-secret")) as plain:
        smtp_config(home, plain.port, "mail-secret", security="ssl")
        wrong = run(home, "send", case, "--again", SSL_CERT_FILE=str(cert))
        assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1, wrong.stderr
        assert "could not be reached (TLS failed" in wrong.stderr and plain.messages == []


def xoauth2_config(home: Path, port: int, command: list[str]) -> None:
    (home / "docgen.toml").write_text('[letters]\npdf = "off"\n' + SIGNATORY + f"""
[smtp]
host = "127.0.0.1"
port = {port}
security = "starttls"
username = "{OAUTH_USER}"
auth = "xoauth2"
token_command = {json.dumps(command)}
from = "{OAUTH_USER}"
timeout_seconds = 10
""")


def test_send_with_an_oauth2_token_over_starttls(accepted_case: tuple[Path, str, str], tmp_path: Path) -> None:
    home, case, referrer = accepted_case
    cert, key = self_signed(tmp_path)
    script = tmp_path / "token.py"
    with SmtpCapture(tls=(cert, key), xoauth2=(OAUTH_USER, TOKEN)) as smtp:
        script.write_text("print('expired-token-value')\n")
        xoauth2_config(home, smtp.port, [sys.executable, str(script)])
        refused = run(home, "send", case, SSL_CERT_FILE=str(cert))
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1, refused.stderr
        assert "refused the OAuth2 token" in refused.stderr and "expired-token-value" not in refused.stderr
        assert smtp.messages == [] and smtp.logins == []

        script.write_text(f"print('  {TOKEN}  ')\n")  # whitespace around the token is stripped
        sent = run(home, "send", case, "--json", SSL_CERT_FILE=str(cert))
        assert sent.returncode == 0, sent.stderr
        assert smtp.logins == ["XOAUTH2"] and [m.recipients for m in smtp.messages] == [[referrer]]
        assert TOKEN not in sent.stdout + sent.stderr

        script.write_text("import sys; sys.exit(4)\n")
        failed = run(home, "send", case, "--again", SSL_CERT_FILE=str(cert))
        assert failed.returncode == 1 and "[smtp] token_command failed (exit 4)" in failed.stderr
        assert len(smtp.messages) == 1

    audit = (home / ".docgen" / "audit.jsonl").read_text()
    assert TOKEN not in audit and "expired-token-value" not in audit
    details = json.loads(run(home, "case", case, "--json").stdout)
    pupil = details["pupil_name"]
    assert pupil and all(part not in audit for part in pupil.split())


@pytest.mark.parametrize(("extra", "expected"), [
    ('auth = "xoauth2"\n', '[smtp] auth = "xoauth2" needs token_command'),
    ('auth = "oauth"\n', '[smtp] auth must be "password" or "xoauth2"'),
    ('auth = "xoauth2"\ntoken_command = 7\n', "[smtp] token_command must be a list of strings"),
])
def test_smtp_auth_settings_are_checked(tmp_path: Path, extra: str, expected: str) -> None:
    (tmp_path / "docgen.toml").write_text(f'[smtp]\nhost = "smtp.example.org"\nusername = "{OAUTH_USER}"\n'
                                          f'from = "{OAUTH_USER}"\n' + extra)
    with pytest.raises(ConfigError) as refused:
        load_settings(tmp_path)
    assert expected in refused.value.message


def test_smtp_xoauth2_settings(tmp_path: Path) -> None:
    (tmp_path / "docgen.toml").write_text(f'[smtp]\nhost = "smtp.office365.com"\nusername = "{OAUTH_USER}"\n'
                                          f'from = "{OAUTH_USER}"\nauth = "xoauth2"\n'
                                          'token_command = ["/usr/local/bin/m365-token", "--smtp"]\n')
    smtp = load_settings(tmp_path).smtp
    assert smtp is not None and smtp.auth == "xoauth2"
    assert smtp.token_command == ("/usr/local/bin/m365-token", "--smtp") and smtp.security == "starttls"
