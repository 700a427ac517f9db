"""Settings: loaded once from the home folder's optional docgen.toml, then passed explicitly.

Nothing below the CLI reads the environment or the file system for settings.
"""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError

# The shipped letter templates, blank forms and term dates: package data inside docgen/, found through
# importlib.resources, so an installed wheel has them as well as a checkout. A home's own copies override
# them through docgen.toml ([letters] templates, [calendar] term_dates).
PACKAGE_DATA = Path(str(resources.files("docgen").joinpath("data")))
DEFAULT_TERM_DATES = PACKAGE_DATA / "term_dates.toml"
SETTINGS_FILE = "docgen.toml"
SIGNATORY_REQUIRED = ("name", "email", "phone")  # what every letter prints under the signature


@dataclass(frozen=True)
class Signatory:
    """Who signs the letters (the Medical Needs Coordinator, policy §2.1)."""

    name: str = "Alex Morgan"
    title: str = "Medical Needs Coordinator"
    service: str = "Medical Needs Service, Norfolk County Council"
    email: str = "medicalneeds@example.org"
    phone: str = "01603 000000"
    address: str = "County Hall, Martineau Lane, Norwich NR1 2XX"
    evaluation_link: str = "https://www.schools.norfolk.gov.uk/pupil-needs/health-needs/medical-needs-service"


@dataclass(frozen=True)
class Limits:
    """Caps for parsing untrusted files (RELIABILITY.md)."""

    max_file_mb: int = 250
    parse_seconds: float = 60.0
    parse_memory_mb: int = 1024
    max_pdf_pages: int = 500
    max_zip_members: int = 1000
    max_unzipped_mb: int = 200
    max_zip_ratio: int = 100
    max_attachments: int = 100
    ocr_max_megapixels: int = 40  # a bigger photo or page image is reduced before OCR (SPEC §16)


@dataclass(frozen=True)
class OcrSettings:
    """Reading scans and photos (SPEC §16, `[ocr]`)."""

    min_confidence: int = 80  # a required field read by OCR under this (0–100) is checked by a person
    searchable_pdf: str = "auto"  # a searchable PDF/A beside each scan in the archive: "auto"/"on" make it, "off" not


SECURITY = ("ssl", "starttls", "none")
IMAP_PASSWORD_ENV = "DOCGEN_IMAP_PASSWORD"
SMTP_PASSWORD_ENV = "DOCGEN_SMTP_PASSWORD"


@dataclass(frozen=True)
class MailSettings:
    """The service's mailbox, read over IMAP (SPEC §15, `[mail]`)."""

    imap_host: str = ""
    imap_port: int = 993
    security: str = "ssl"  # "ssl", "starttls" or "none" (loopback only)
    username: str = ""
    password_file: Path | None = None
    password: str | None = field(default=None, repr=False)  # from DOCGEN_IMAP_PASSWORD, never from the file
    auth: str = "password"  # "password" or "xoauth2"
    token_command: tuple[str, ...] = ()
    token_timeout_seconds: float = 30.0
    folder: str = "INBOX"
    processed_folder: str = "docgen/processed"
    failed_folder: str = "docgen/failed"
    poll_seconds: float = 60.0
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class SmtpSettings:
    """The server letters are sent through (SPEC §15, `[smtp]`)."""

    host: str = ""
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_file: Path | None = None
    password: str | None = field(default=None, repr=False)  # from DOCGEN_SMTP_PASSWORD
    sender: str = ""  # the `from` key
    auth: str = "password"  # "password" or "xoauth2" (Microsoft 365, Google)
    token_command: tuple[str, ...] = ()
    token_timeout_seconds: float = 30.0
    timeout_seconds: float = 60.0


@dataclass(frozen=True)
class Desk:
    """The desk's web server (SPEC §14): where it listens, HTTPS cookies, the idle timeout."""

    host: str = "127.0.0.1"
    port: int = 8400
    https: bool = False
    idle_minutes: int = 30


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one docgen home folder."""

    home: Path
    file_stable_seconds: float = 2.0
    case_settle_seconds: float = 60.0
    rescan_seconds: float = 30.0
    stall_grace_seconds: float = 60.0  # an empty or cut-short file changed this recently may still be arriving
    pdf: str = "auto"  # "auto" (when LibreOffice is installed), "on", "off"
    pdf_timeout_seconds: float = 120.0
    term_dates: Path = DEFAULT_TERM_DATES
    templates_dir: Path = PACKAGE_DATA / "letters"
    forms_dir: Path = PACKAGE_DATA / "forms"
    retention_years: int = 25
    retention_years_ehcp: int = 31
    workers: int = 0  # 0 = one per core
    group: str = ""  # [home] group: the staff group that may write inbox/ and read outbox/ ("" = owner only)
    signatory: Signatory = field(default_factory=Signatory)
    signatory_keys: frozenset[str] = frozenset()  # the [signatory] settings docgen.toml gives
    limits: Limits = field(default_factory=Limits)
    ocr: OcrSettings = field(default_factory=OcrSettings)
    mail: MailSettings | None = None  # None: no `[mail]` section, the mailbox is not read
    smtp: SmtpSettings | None = None  # None: no `[smtp]` section, nothing can be sent
    desk: Desk = field(default_factory=Desk)

    @property
    def signatory_missing(self) -> str | None:
        """Why letters cannot be signed yet (no real signatory in docgen.toml), or None when they can."""
        lacking = [key for key in SIGNATORY_REQUIRED if key not in self.signatory_keys]
        if not lacking:
            return None
        return (f"no signatory is configured: add a [signatory] table to {self.home / SETTINGS_FILE} with "
                f"{', '.join(lacking)} (who signs the letters, and the contact details printed on them); "
                "no letter is written until then")

    @property
    def inbox(self) -> Path:
        return self.home / "inbox"

    @property
    def outbox(self) -> Path:
        return self.home / "outbox"

    @property
    def archive(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine(self) -> Path:
        return self.home / "quarantine"

    @property
    def state_dir(self) -> Path:
        return self.home / ".docgen"

    @property
    def database(self) -> Path:
        return self.state_dir / "docgen.sqlite3"


_SECTIONS: dict[str, dict[str, str]] = {
    "home": {"group": "group"},
    "intake": {
        "file_stable_seconds": "file_stable_seconds",
        "case_settle_seconds": "case_settle_seconds",
        "rescan_seconds": "rescan_seconds",
        "stall_grace_seconds": "stall_grace_seconds",
        "workers": "workers",
    },
    "letters": {"pdf": "pdf", "pdf_timeout_seconds": "pdf_timeout_seconds", "templates": "templates_dir"},
    "calendar": {"term_dates": "term_dates"},
    "retention": {"years": "retention_years", "years_with_ehcp": "retention_years_ehcp"},
}


def load_settings(home: Path, environ: Mapping[str, str] | None = None) -> Settings:
    """Read `home/docgen.toml` (optional) into Settings; a bad file is a ConfigError.

    `environ` (the CLI passes the process environment) supplies the mail passwords
    DOCGEN_IMAP_PASSWORD and DOCGEN_SMTP_PASSWORD when no password file is configured.
    """
    home = home.expanduser().resolve()
    settings = Settings(home=home)
    path = home / SETTINGS_FILE
    if not path.is_file():
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}); fix or remove it") from exc
    settings = _apply(settings, data, path)
    return _apply_mail(settings, data, path, environ or {})


def _apply(settings: Settings, data: dict[str, Any], path: Path) -> Settings:
    changes: dict[str, Any] = {}
    for section, keys in _SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table")
        for key, value in table.items():
            if key not in keys:
                raise ConfigError(f"{path}: unknown setting [{section}] {key}; allowed: {', '.join(keys)}")
            attr = keys[key]
            current = getattr(settings, attr)
            if isinstance(current, Path):
                value = Path(str(value)).expanduser()
                if not value.is_absolute():
                    value = settings.home / value
            elif isinstance(current, bool) or not isinstance(value, type(current) | int | float | str):
                raise ConfigError(f"{path}: [{section}] {key} has the wrong type")
            changes[attr] = type(current)(value) if not isinstance(current, Path) else value
    if changes.get("pdf", settings.pdf) not in {"auto", "on", "off"}:
        raise ConfigError(f'{path}: [letters] pdf must be "auto", "on" or "off"')
    sections: tuple[tuple[str, type, str], ...] = (("signatory", Signatory, "signatory"), ("limits", Limits, "limits"),
                                                   ("ocr", OcrSettings, "ocr"), ("desk", Desk, "desk"))
    for section, cls, attr in sections:
        table = data.get(section)
        if table is None:
            continue
        allowed = {f.name for f in fields(cls)}
        unknown = set(table) - allowed
        if unknown:
            raise ConfigError(f"{path}: unknown setting [{section}] {', '.join(sorted(unknown))}")
        changes[attr] = replace(getattr(settings, attr), **table)
        if section == "signatory":
            changes["signatory_keys"] = frozenset(k for k, v in table.items() if str(v).strip())
    ocr: OcrSettings = changes.get("ocr", settings.ocr)
    if isinstance(ocr.min_confidence, bool) or not isinstance(ocr.min_confidence, int) \
            or not 0 <= ocr.min_confidence <= 100:
        raise ConfigError(f"{path}: [ocr] min_confidence must be a whole number from 0 to 100")
    if ocr.searchable_pdf not in {"auto", "on", "off"}:
        raise ConfigError(f'{path}: [ocr] searchable_pdf must be "auto", "on" or "off"')
    _check_desk(changes.get("desk", settings.desk), path)
    return replace(settings, **changes)


_MAIL_KEYS = {"imap_host", "imap_port", "security", "username", "password_file", "auth", "token_command",
              "token_timeout_seconds", "folder", "processed_folder", "failed_folder", "poll_seconds",
              "timeout_seconds"}
_SMTP_KEYS = {"host", "port", "security", "username", "password_file", "from", "auth", "token_command",
              "token_timeout_seconds", "timeout_seconds"}


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (the only hosts `security = "none"` may reach)."""
    if host.lower() in {"localhost", "localhost.localdomain"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _table(data: dict[str, Any], section: str, allowed: set[str], path: Path) -> dict[str, Any] | None:
    table = data.get(section)
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [{section}] must be a table")
    unknown = set(table) - allowed
    if unknown:
        raise ConfigError(f"{path}: unknown setting [{section}] {', '.join(sorted(unknown))}; "
                          f"allowed: {', '.join(sorted(allowed))}")
    return table


def _typed(table: dict[str, Any], section: str, key: str, default: Any, path: Path) -> Any:
    value = table.get(key, default)
    if isinstance(default, bool) or value is None:
        return value
    if isinstance(default, int) and not isinstance(value, bool) and isinstance(value, int):
        return value
    if isinstance(default, float) and not isinstance(value, bool) and isinstance(value, int | float):
        return float(value)
    if isinstance(default, str) and isinstance(value, str):
        return value
    raise ConfigError(f"{path}: [{section}] {key} has the wrong type (expected {type(default).__name__})")


def _password_file(table: dict[str, Any], section: str, home: Path, path: Path) -> Path | None:
    value = table.get("password_file")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: [{section}] password_file must be a file path")
    file = Path(value).expanduser()
    return file if file.is_absolute() else home / file


def _security(section: str, security: str, host: str, path: Path) -> None:
    if security not in SECURITY:
        raise ConfigError(f'{path}: [{section}] security must be "ssl", "starttls" or "none"')
    if security == "none" and not is_loopback(host):
        raise ConfigError(f'{path}: [{section}] security = "none" is only allowed to a loopback address '
                          f"(127.0.0.1, ::1, localhost); use ssl or starttls for {host}")


def _auth(section: str, auth: str, command: Any, path: Path) -> list[str]:
    """`auth` = password | xoauth2, and the token command (a list, or one string split on spaces) it needs."""
    if auth not in {"password", "xoauth2"}:
        raise ConfigError(f'{path}: [{section}] auth must be "password" or "xoauth2"')
    if isinstance(command, str):
        command = command.split()
    if not isinstance(command, list) or not all(isinstance(c, str) and c for c in command):
        raise ConfigError(f"{path}: [{section}] token_command must be a list of strings (program and arguments)")
    if auth == "xoauth2" and not command:
        raise ConfigError(f'{path}: [{section}] auth = "xoauth2" needs token_command (the program printing a token)')
    return list(command)


def _apply_mail(settings: Settings, data: dict[str, Any], path: Path, environ: Mapping[str, str]) -> Settings:
    changes: dict[str, Any] = {}
    mail = _table(data, "mail", _MAIL_KEYS, path)
    if mail is not None:
        base = MailSettings()
        values = {key: _typed(mail, "mail", key, getattr(base, key), path)
                  for key in _MAIL_KEYS - {"password_file", "token_command"}}
        if not values["imap_host"] or not values["username"]:
            raise ConfigError(f"{path}: [mail] needs imap_host and username")
        _security("mail", values["security"], values["imap_host"], path)
        command = _auth("mail", values["auth"], mail.get("token_command", []), path)
        if values["poll_seconds"] <= 0 or values["timeout_seconds"] <= 0 or values["token_timeout_seconds"] <= 0:
            raise ConfigError(f"{path}: [mail] poll_seconds and the timeouts must be more than 0 seconds")
        if not 0 < values["imap_port"] < 65536:
            raise ConfigError(f"{path}: [mail] imap_port must be a port number (993 for ssl, 143 otherwise)")
        for key in ("folder", "processed_folder", "failed_folder"):
            if not values[key].strip() or any(ord(c) < 32 for c in values[key]):
                raise ConfigError(f"{path}: [mail] {key} must be a folder name")
        if len({values["folder"], values["processed_folder"], values["failed_folder"]}) < 3:
            raise ConfigError(f"{path}: [mail] folder, processed_folder and failed_folder must differ")
        changes["mail"] = MailSettings(**values, token_command=tuple(command),
                                       password_file=_password_file(mail, "mail", settings.home, path),
                                       password=environ.get(IMAP_PASSWORD_ENV) or None)
    smtp = _table(data, "smtp", _SMTP_KEYS, path)
    if smtp is not None:
        base_smtp = SmtpSettings()
        values = {key: _typed(smtp, "smtp", key, getattr(base_smtp, key), path)
                  for key in _SMTP_KEYS - {"password_file", "from", "token_command"}}
        command = _auth("smtp", values["auth"], smtp.get("token_command", []), path)
        if values["auth"] == "xoauth2" and not values["username"]:
            raise ConfigError(f'{path}: [smtp] auth = "xoauth2" needs username (the mailbox the token is for)')
        if values["token_timeout_seconds"] <= 0:
            raise ConfigError(f"{path}: [smtp] token_timeout_seconds must be more than 0 seconds")
        sender = smtp.get("from")
        if not values["host"] or not isinstance(sender, str) or "@" not in sender:
            raise ConfigError(f"{path}: [smtp] needs host and from (the address letters are sent from)")
        _security("smtp", values["security"], values["host"], path)
        if not 0 < values["port"] < 65536 or values["timeout_seconds"] <= 0:
            raise ConfigError(f"{path}: [smtp] port must be a port number (587 for starttls, 465 for ssl)")
        changes["smtp"] = SmtpSettings(**values, sender=sender, token_command=tuple(command),
                                       password_file=_password_file(smtp, "smtp", settings.home, path),
                                       password=environ.get(SMTP_PASSWORD_ENV) or None)
    return replace(settings, **changes)

def _check_desk(desk: Desk, path: Path) -> None:
    """[desk] values of the right type and range (a typo'd key is refused above)."""
    for f in fields(Desk):
        value = getattr(desk, f.name)
        expected = type(getattr(Desk(), f.name))
        if type(value) is not expected:
            raise ConfigError(f"{path}: [desk] {f.name} must be {'true or false' if expected is bool else expected.__name__}")
    if not 0 < desk.port < 65536:
        raise ConfigError(f"{path}: [desk] port must be between 1 and 65535")
    if desk.idle_minutes < 1:
        raise ConfigError(f"{path}: [desk] idle_minutes must be at least 1")
