"""The desk under test: a real home (the demo's four cases + a hand-made hostile referral), real accounts,
and a real `docgen serve` (uvicorn) on an ephemeral loopback port, driven over HTTP.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from docx import Document

TODAY = "2026-01-12"
COORDINATOR = ("alex", "correct horse battery")
OFFICER = ("sam", "officer password 1")
HOSTILE_SURNAME = '<script>alert("pwn")</script>Quillfeather'
HOSTILE_SCHOOL = "{{ 7*7 }} <b>Marsh Lane</b> Academy"
DOCGEN = Path(sys.executable).with_name("docgen")


def docgen(home: Path, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the installed `docgen` on a home, with the fixed today."""
    result = subprocess.run([str(DOCGEN), "--home", str(home), "--today", TODAY, *args], input=stdin,
                            capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise AssertionError(f"docgen {' '.join(args)} failed: {result.stderr}")
    return result


def hostile_referral(path: Path) -> Path:
    """A referral typed into a Word table by a school (not made by docgen), with markup in its values."""
    doc = Document()
    doc.add_heading("Medical Needs Service Referral Form", level=1)
    rows = [
        ("Legal forename(s)", "Ottilie"), ("Legal surname", HOSTILE_SURNAME), ("Date of birth", "14/02/2014"),
        ("Unique Pupil Number (UPN)", ""), ("National Curriculum year group", "Year 6"),
        ("Home address", "7 Fenway Close, Dereham"), ("Postcode", "NR19 1AB"),
        ("Is the young person on the roll of a school?", "Yes"), ("School name", HOSTILE_SCHOOL),
        ("Parent/carer name", "Rowan Quillfeather"), ("Parent/carer telephone", "01362 000111"),
        ("Nature of the health need or diagnosis", "<img src=x onerror=alert(1)> chronic fatigue"),
        ("Date of referral", "05/01/2026"),
    ]
    table = doc.add_table(rows=0, cols=2)
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.save(str(path))
    return path


def stray_consent(path: Path) -> Path:
    """A consent form for a child with no case: it waits unmatched for a person to sort it."""
    doc = Document()
    doc.add_heading("Joint Medical Protocol — Consent Form", level=1)
    table = doc.add_table(rows=0, cols=2)
    for label, value in [("Legal forename(s)", "Wilf"), ("Legal surname", "Ashdown-Pryce"),
                         ("Date of birth", "02/03/2013"), ("Name of person giving consent", "Mara Ashdown"),
                         ("Relationship to the young person", "Mother"), ("Date", "06/01/2026")]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    doc.save(str(path))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Server:
    """A running desk."""

    home: Path
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)

    def sign_in(self, who: tuple[str, str] = COORDINATOR) -> httpx.Client:
        client = self.client()
        page = client.get("/login")
        token = csrf_of(page.text)
        response = client.post("/login", data={"username": who[0], "password": who[1], "csrf_token": token})
        assert response.status_code == 303, response.text
        return client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def make_home(root: Path) -> Path:
    """The demo's four cases, a hostile referral processed the same way, and two accounts."""
    home = root / "home"
    docgen(home, "demo")
    hostile_referral(home / "inbox" / "referral-ottilie.docx")
    stray_consent(home / "inbox" / "consent-wilf.docx")
    docgen(home, "process")
    docgen(home, "users", "add", COORDINATOR[0], "--role", "coordinator", "--password-stdin", stdin=COORDINATOR[1] + "\n")
    docgen(home, "users", "add", OFFICER[0], "--role", "officer", "--password-stdin", stdin=OFFICER[1] + "\n")
    return home


def start(home: Path, log: Path) -> Server:
    port = free_port()
    fh = log.open("wb")
    process = subprocess.Popen([str(DOCGEN), "--home", str(home), "--today", TODAY, "serve", "--port", str(port)],
                               stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return Server(home=home, url=url, log=log, process=process)
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"the desk did not start: {log.read_text(errors='replace')}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A desk over its own home, for one test module."""
    root = tmp_path_factory.mktemp("desk")
    server = start(make_home(root), root / "serve.log")
    try:
        yield server
    finally:
        stop(server)
