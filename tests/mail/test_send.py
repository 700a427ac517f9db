"""`docgen send` through a real SMTP server (aiosmtpd): the letter to the referrer, recorded, never twice."""

from __future__ import annotations

import json
import shutil
import subprocess
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from docgen.samples.builder import write_submission
from tests.mail import messages as m
from tests.mail.conftest import DOCGEN, env_for
from tests.mail.servers import SmtpCapture, self_signed

# letters are written only once docgen.toml names who signs them (invented values)
SIGNATORY = '[signatory]\nname = "Alex Morgan"\nemail = "medicalneeds@example.org"\nphone = "01603 000000"\n'


def run(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOCGEN, *args], env=env_for(home, **env), capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def smtp_config(home: Path, port: int, password: str, security: str = "none") -> None:
    secret = home.parent / "smtp-password"
    secret.write_text(password + "\n")
    base = '[letters]\npdf = "off"\n[intake]\nworkers = 2\nfile_stable_seconds = 0.1\n' + SIGNATORY
    (home / "docgen.toml").write_text(base + f"""
[smtp]
host = "127.0.0.1"
port = {port}
security = "{security}"
username = "docgen"
password_file = "{secret}"
from = "medicalneeds@example.org"
timeout_seconds = 10
""")


@pytest.fixture
def accepted_case(tmp_path: Path) -> tuple[Path, str, str]:
    """A home with one accepted case and its letters; returns (home, case, referrer email)."""
    home = tmp_path / "home"
    (home / "inbox").mkdir(parents=True)
    (home / "docgen.toml").write_text('[letters]\npdf = "off"\n[intake]\nworkers = 2\nfile_stable_seconds = 0.1\n'
                                      + SIGNATORY)
    sub = write_submission(home / "inbox" / "referral", "accepted", seed=51, today=m.TODAY, fmt="pdf")
    result = run(home, "process", "--json")
    assert result.returncode == 0, result.stderr
    case = json.loads(result.stdout)["processed"][0]["case"]
    assert case
    return home, case, str(sub.values["referrer_email"])


def attachment(captured: bytes) -> tuple[str, bytes]:
    message = message_from_bytes(captured, policy=policy.default)
    assert isinstance(message, EmailMessage)
    parts = list(message.iter_attachments())
    assert len(parts) == 1
    return str(parts[0].get_filename()), bytes(parts[0].get_content())


def test_send_to_referrer_once_then_again_only_when_asked(accepted_case: tuple[Path, str, str]) -> None:
    home, case, referrer = accepted_case
    with SmtpCapture(auth=("docgen", "mail-secret")) as smtp:
        smtp_config(home, smtp.port, "mail-secret")
        result = run(home, "send", case, "--json")
        assert result.returncode == 0, result.stderr
        sent = json.loads(result.stdout)
        assert set(sent) == {"case", "letter", "file", "to", "at", "message_id"}
        assert sent["to"] == referrer and sent["letter"] == "acceptance-letter"
        assert len(smtp.messages) == 1 and smtp.messages[0].recipients == [referrer]
        name, data = attachment(smtp.messages[0].data)
        assert name.endswith(".docx") and data == (home / sent["file"]).read_bytes()

        refused = run(home, "send", case)
        assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
        assert "already sent" in refused.stderr and "--again" in refused.stderr
        assert len(smtp.messages) == 1

        assert run(home, "send", case, "--again").returncode == 0
        assert len(smtp.messages) == 2

        # a PDF copy is preferred when there is one; another address on request
        docx = home / sent["file"]
        shutil.copyfile(next((home / "archive").rglob("*.pdf")), docx.with_suffix(".pdf"))
        other = run(home, "send", case, "--letter", "acceptance-letter", "--to", "head@school.example.org", "--json")
        assert other.returncode == 0, other.stderr
        name, data = attachment(smtp.messages[2].data)
        assert name.endswith(".pdf") and data == docx.with_suffix(".pdf").read_bytes()
        assert smtp.messages[2].recipients == ["head@school.example.org"]

        bad = run(home, "send", case, "--to", "head@school.example.org\nBcc: x@evil.example")
        assert bad.returncode == 1 and "not an email address" in bad.stderr and len(smtp.messages) == 3

    details = json.loads(run(home, "case", case, "--json").stdout)
    assert [(s["to"], s["state"]) for s in details["sent"]] == [
        (referrer, "sent"), (referrer, "sent"), ("head@school.example.org", "sent")]
    causes = [h["cause"] for h in details["history"] if f"emailed to {referrer}" in h["cause"]]
    assert len(causes) == 2 and all(h["at"] for h in details["history"])


def test_wrong_smtp_password_sends_nothing_and_records_nothing(accepted_case: tuple[Path, str, str]) -> None:
    home, case, _referrer = accepted_case
    with SmtpCapture(auth=("docgen", "mail-secret")) as smtp:
        smtp_config(home, smtp.port, "wrong")
        result = run(home, "send", case)
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
        assert "refused the login" in result.stderr and "Traceback" not in result.stderr
        assert smtp.messages == []
        smtp_config(home, smtp.port, "mail-secret")
        assert run(home, "send", case).returncode == 0  # not refused as "already sent"
        assert len(smtp.messages) == 1


def test_send_over_starttls(accepted_case: tuple[Path, str, str], tmp_path: Path) -> None:
    home, case, referrer = accepted_case
    cert, key = self_signed(tmp_path)
    with SmtpCapture(auth=("docgen", "mail-secret"), tls=(cert, key)) as smtp:
        smtp_config(home, smtp.port, "mail-secret", security="starttls")
        # TLS asked for: the certificate must be trusted, even on loopback
        untrusted = run(home, "send", case)
        assert untrusted.returncode == 1 and untrusted.stderr.count("\n") == 1
        assert "cannot be trusted (self-signed certificate); nothing was sent" in untrusted.stderr
        assert smtp.messages == []
        result = run(home, "send", case, "--json", SSL_CERT_FILE=str(cert))
        assert result.returncode == 0, result.stderr
        assert [m.recipients for m in smtp.messages] == [[referrer]]
