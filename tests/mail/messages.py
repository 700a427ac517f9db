"""Raw RFC 822 messages written by hand the way mail clients send them (not with docgen or EmailMessage).

Outlook-style inline PDFs, a forwarded message (message/rfc822), RFC 2231 and encoded-word
attachment names, a message with no attachment, a MIME structure nested too deep. Every name and
address is invented.
"""

from __future__ import annotations

import base64
import datetime as dt
import subprocess
import uuid
from pathlib import Path

from docgen.samples.builder import write_submission

TODAY = dt.date(2026, 3, 2)
FROM = "Sam Patel <s.patel@riverside.example.org>"
TO = "Medical Needs Service <medicalneeds@example.org>"


def submission(folder: Path, scenario: str = "accepted", seed: int = 3) -> list[Path]:
    """The files of one invented submission (referral, evidence, attendance) as PDFs."""
    return list(write_submission(folder, scenario, seed=seed, today=TODAY, fmt="pdf").files)


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return "\r\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def _headers(subject: str, message_id: str | None, boundary: str | None, extra: str = "") -> str:
    lines = [f"From: {FROM}", f"To: {TO}", f"Subject: {subject}", "Date: Mon, 02 Mar 2026 09:30:00 +0000",
             "MIME-Version: 1.0"]
    if message_id:
        lines.append(f"Message-ID: <{message_id}>")
    if boundary:
        lines.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
    return "\r\n".join(lines) + ("\r\n" + extra if extra else "") + "\r\n"


def part(data: bytes, *, content_type: str = "application/pdf", disposition: str | None = "attachment",
         name_params: str = "") -> str:
    """One base64 MIME part; `name_params` is the raw `; filename=…` text (RFC 2231, encoded words)."""
    lines = [f"Content-Type: {content_type}" + (name_params.replace("filename", "name", 1) if name_params else "")]
    if disposition:
        lines.append(f"Content-Disposition: {disposition}{name_params}")
    lines.append("Content-Transfer-Encoding: base64")
    return "\r\n".join(lines) + "\r\n\r\n" + _b64(data) + "\r\n"


def multipart(parts: list[str], *, subject: str = "Referral", message_id: str | None = None,
              body: str = "Please find the referral attached.\r\n", extra_headers: str = "") -> bytes:
    boundary = f"=_b{uuid.uuid4().hex}"
    text = [_headers(subject, message_id or f"{uuid.uuid4().hex}@riverside.example.org", boundary,
                     extra_headers), "This is a multi-part message in MIME format.\r\n"]
    text.append(f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}")
    for p in parts:
        text.append(f"--{boundary}\r\n{p}")
    text.append(f"--{boundary}--\r\n")
    return "\r\n".join(text).encode("utf-8")


def with_files(files: list[Path], *, disposition: str = "attachment", named: bool = True,
               message_id: str | None = None, extra_headers: str = "") -> bytes:
    parts = [part(f.read_bytes(), disposition=disposition,
                  name_params=f'; filename="{f.name}"' if named else "") for f in files]
    return multipart(parts, message_id=message_id, extra_headers=extra_headers)


def no_attachment(message_id: str = "thanks.1@riverside.example.org") -> bytes:
    return (_headers("Thank you", message_id, None) + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Thanks for your call this morning.\r\n").encode("utf-8")


def forwarded(inner: bytes, *, message_id: str = "fwd.1@county.example.org") -> bytes:
    """A forward as Outlook and Thunderbird send it: the original message attached as message/rfc822."""
    boundary = f"=_f{uuid.uuid4().hex}"
    text = (_headers("FW: Referral", message_id, boundary) + "\r\n"
            f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nForwarding the school's email.\r\n"
            f"--{boundary}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment;"
            ' filename="Referral.eml"\r\n\r\n').encode("utf-8") + inner + f"\r\n--{boundary}--\r\n".encode()
    return text


def too_deep(depth: int = 30) -> bytes:
    """A MIME tree nested deeper than any mail client makes: the message cannot be read."""
    body = "Content-Type: text/plain\r\n\r\nhello\r\n"
    for n in range(depth):
        b = f"deep{n}"
        body = f'Content-Type: multipart/mixed; boundary="{b}"\r\n\r\n--{b}\r\n{body}--{b}--\r\n'
    head = "\r\n".join([f"From: {FROM}", f"To: {TO}", "Subject: odd", "Message-ID: <deep.1@example.org>",
                        "MIME-Version: 1.0"])
    return (head + "\r\n" + body).encode("utf-8")


def encrypted_pdf(source: Path, target: Path) -> Path:
    """A password-protected copy made by qpdf (another tool)."""
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", str(source), str(target)],
                   check=True, capture_output=True)
    return target
