"""Settings: loaded once from the home folder's optional docgen.toml, then passed explicitly.

Nothing below the CLI reads the environment or the file system for settings.
"""

from __future__ import annotations

import tomllib
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


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one docgen home folder."""

    home: Path
    file_stable_seconds: float = 2.0
    case_settle_seconds: float = 60.0
    rescan_seconds: float = 30.0
    pdf: str = "auto"  # "auto" (when LibreOffice is installed), "on", "off"
    pdf_timeout_seconds: float = 120.0
    term_dates: Path = DEFAULT_TERM_DATES
    templates_dir: Path = PACKAGE_DATA / "letters"
    forms_dir: Path = PACKAGE_DATA / "forms"
    retention_years: int = 25
    retention_years_ehcp: int = 31
    workers: int = 0  # 0 = one per core
    signatory: Signatory = field(default_factory=Signatory)
    limits: Limits = field(default_factory=Limits)

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
    "intake": {
        "file_stable_seconds": "file_stable_seconds",
        "case_settle_seconds": "case_settle_seconds",
        "rescan_seconds": "rescan_seconds",
        "workers": "workers",
    },
    "letters": {"pdf": "pdf", "pdf_timeout_seconds": "pdf_timeout_seconds", "templates": "templates_dir"},
    "calendar": {"term_dates": "term_dates"},
    "retention": {"years": "retention_years", "years_with_ehcp": "retention_years_ehcp"},
}


def load_settings(home: Path) -> Settings:
    """Read `home/docgen.toml` (optional) into Settings; a bad file is a ConfigError."""
    home = home.expanduser().resolve()
    settings = Settings(home=home)
    path = home / SETTINGS_FILE
    if not path.is_file():
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read ({exc}); fix or remove it") from exc
    return _apply(settings, data, path)


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
    for section, cls, attr in (("signatory", Signatory, "signatory"), ("limits", Limits, "limits")):
        table = data.get(section)
        if table is None:
            continue
        allowed = {f.name for f in fields(cls)}
        unknown = set(table) - allowed
        if unknown:
            raise ConfigError(f"{path}: unknown setting [{section}] {', '.join(sorted(unknown))}")
        changes[attr] = replace(getattr(settings, attr), **table)
    return replace(settings, **changes)
