"""`[mail]` and `[smtp]` in docgen.toml: defaults, typo checks, loopback-only plain connections."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import Settings, load_settings
from docgen.errors import ConfigError

MAIL = '[mail]\nimap_host = "imap.example.org"\nusername = "medicalneeds@example.org"\npassword_file = "imap.pw"\n'


def load(home: Path, text: str, environ: dict[str, str] | None = None) -> Settings:
    home.mkdir(exist_ok=True)
    (home / "docgen.toml").write_text(text)
    return load_settings(home, environ)


def test_defaults_and_password_sources(tmp_path: Path) -> None:
    settings = load(tmp_path, MAIL, {"DOCGEN_IMAP_PASSWORD": "from-env"})
    mail = settings.mail
    assert mail is not None
    assert (mail.imap_port, mail.security, mail.folder, mail.processed_folder, mail.failed_folder,
            mail.poll_seconds, mail.auth) == (993, "ssl", "INBOX", "docgen/processed", "docgen/failed", 60.0,
                                              "password")
    assert mail.password_file == tmp_path.resolve() / "imap.pw" and mail.password == "from-env"
    assert "from-env" not in repr(mail)
    assert load(tmp_path / "none", '[letters]\npdf = "off"\n').mail is None


@pytest.mark.parametrize(("text", "expected"), [
    (MAIL + "imap_prot = 993\n", "unknown setting [mail] imap_prot"),
    (MAIL + 'security = "tls"\n', "security must be"),
    (MAIL + 'security = "none"\n', "only allowed to a loopback address"),
    (MAIL + 'auth = "xoauth2"\n', "needs token_command"),
    (MAIL + 'auth = "oauth"\n', 'auth must be "password" or "xoauth2"'),
    (MAIL + 'imap_port = "993"\n', "[mail] imap_port has the wrong type"),
    (MAIL + 'processed_folder = "INBOX"\nfolder = "INBOX"\n', "must differ"),
    ('[mail]\nimap_host = "imap.example.org"\n', "needs imap_host and username"),
    ('[smtp]\nhost = "smtp.example.org"\n', "needs host and from"),
    ('[smtp]\nhost = "smtp.example.org"\nfrom = "a@example.org"\nsecurity = "none"\n', "loopback"),
    ('[smtp]\nhost = "smtp.example.org"\nfrom = "a@example.org"\nsender = "x"\n', "unknown setting [smtp] sender"),
])
def test_mistakes_are_one_line_errors(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    assert expected in error.value.message and "\n" not in error.value.message


def test_plain_connections_to_loopback_and_smtp(tmp_path: Path) -> None:
    for host in ("127.0.0.1", "::1", "localhost"):
        settings = load(tmp_path, f'[mail]\nimap_host = "{host}"\nusername = "u"\nsecurity = "none"\n'
                                  'auth = "xoauth2"\ntoken_command = ["/usr/bin/oauth2-token", "--user", "u"]\n')
        assert settings.mail is not None and settings.mail.token_command == ("/usr/bin/oauth2-token", "--user", "u")
    smtp = load(tmp_path, '[smtp]\nhost = "smtp.example.org"\nport = 465\nsecurity = "ssl"\nusername = "u"\n'
                          'from = "medicalneeds@example.org"\n', {"DOCGEN_SMTP_PASSWORD": "p"}).smtp
    assert smtp is not None and (smtp.port, smtp.security, smtp.sender, smtp.password) == (
        465, "ssl", "medicalneeds@example.org", "p")
