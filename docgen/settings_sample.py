"""The sample `docgen.toml` that `docgen init` writes and `deploy/docgen.toml` ships (one text, tested equal)."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

from docgen.config import Limits, Settings, Signatory

_HEAD = """\
# docgen settings for one home folder (the folder holding inbox/, outbox/, archive/, quarantine/).
# `docgen init` writes this file; every setting is optional and the values shown are the defaults.
# A misspelt setting is refused with a message naming it.

[home]
# The staff group whose members save into inbox/ and read letters in outbox/ (deploy/README.md);
# archive/, quarantine/ and .docgen/ stay the service user's alone. Empty: everything owner-only.
group = {group}

[intake]
# A file is taken once its size and modification time have not changed for this long, and it opens.
file_stable_seconds = {file_stable_seconds}
# Documents of one child arriving one by one are checked together once none has arrived for this long.
case_settle_seconds = {case_settle_seconds}
# A full rescan of the inbox backs up file-system events (and is how `--polling` works).
rescan_seconds = {rescan_seconds}
# An empty or cut-short file written to this recently is left to finish (a slow VPN, a writer that pauses)
# before it is quarantined; a quarantined file that changes afterwards is checked again.
stall_grace_seconds = {stall_grace_seconds}
# Parser worker processes; 0 = one per processor core.
workers = {workers}

[letters]
# PDF copies of letters: "auto" (when LibreOffice is installed), "on" or "off".
pdf = {pdf}
pdf_timeout_seconds = {pdf_timeout_seconds}
# templates = "/srv/docgen/letter-templates"   # edited copies of the shipped letter templates (docgen/data/letters)

[calendar]
# term_dates = "/srv/docgen/term_dates.toml"   # your own copy, with the next school year added

[retention]
years = {retention_years}
years_with_ehcp = {retention_years_ehcp}

[limits]
# Caps for reading untrusted files; a file over a cap is quarantined with the reason.
"""

_SIGNATORY_NOTE = """
# Who signs the letters (the Medical Needs Coordinator, policy §2.1). Set these before letters go out.
"""

# The mailbox and sending blocks (SPEC §15), commented out: they need a real server to mean anything.
_MAIL = """
# The service's mailbox (SPEC §15): uncomment to have `docgen watch` read it too (`docgen mail fetch`
# makes one pass). Processed messages are moved to processed_folder, unreadable ones to failed_folder.
# [mail]
# imap_host = "outlook.office365.com"
# imap_port = 993
# security = "ssl"                      # "ssl", "starttls", or "none" (a loopback address only)
# username = "medicalneeds@example.org"
# password_file = "/etc/docgen/imap-password"   # or DOCGEN_IMAP_PASSWORD in the environment
# auth = "password"                     # "xoauth2" for Microsoft 365 / Google, with token_command
# token_command = ["/usr/local/bin/mutt_oauth2.py", "/etc/docgen/m365.tokens"]
# token_timeout_seconds = 30.0
# folder = "INBOX"
# processed_folder = "docgen/processed"
# failed_folder = "docgen/failed"
# poll_seconds = 60
# timeout_seconds = 60

# Sending letters (`docgen send REF`); nothing is ever sent unless a person asks.
# [smtp]
# host = "smtp.example.org"
# port = 587
# security = "starttls"                 # "ssl" (usually port 465), "starttls", or "none" (loopback only)
# username = "medicalneeds@example.org" # leave out for a relay that needs no login
# password_file = "/etc/docgen/smtp-password"   # or DOCGEN_SMTP_PASSWORD
# from = "medicalneeds@example.org"
"""

# The desk (SPEC §14): `docgen serve`; the values shown are the defaults.
_DESK = """
[desk]
# Where the desk listens: 127.0.0.1 is this computer only. Put it behind the council's HTTPS proxy to
# reach it from other computers, and then set https = true so its cookies are only sent over HTTPS.
host = "127.0.0.1"
port = 8400
https = false
# Signed-in staff are signed out after this many minutes without activity.
idle_minutes = 30
"""

_EVALUATION_NOTE = "# the online Medical Needs Provision Evaluation (policy §11.8)\n"


def _toml(value: object) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def sample_toml(*, group: str = "", signatory: Signatory | None = None) -> str:
    """The sample settings text; `signatory` None writes the signatory block commented out."""
    defaults = Settings(home=Path())
    values = {f.name: _toml(getattr(defaults, f.name)) for f in fields(Settings)
              if isinstance(getattr(defaults, f.name), int | float | str)}
    text = _HEAD.format(**{**values, "group": _toml(group)})
    text += "".join(f"{f.name} = {_toml(getattr(Limits(), f.name))}\n" for f in fields(Limits))
    text += _SIGNATORY_NOTE
    shown = signatory or Signatory()
    prefix = "" if signatory is not None else "# "
    text += f"{prefix}[signatory]\n"
    for f in fields(Signatory):
        if f.name == "evaluation_link":
            text += _EVALUATION_NOTE
        text += f"{prefix}{f.name} = {_toml(getattr(shown, f.name))}\n"
    return text + _DESK + _MAIL
