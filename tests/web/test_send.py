"""The desk's "send by email" on a case, through the real desk server (uvicorn) to a real SMTP server
(aiosmtpd): the letter's PDF arrives at the school's referrer, a second send needs "send again", a forged
form, a signed-out or disabled user sends nothing, a refusing or missing server is said plainly, the
sending is in the case history under the desk user's name, and no child's data reaches any log."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from docgen.letters.merge import convert_to_pdf
from tests.mail.servers import SmtpCapture
from tests.mail.test_send import attachment
from tests.web.conftest import COORDINATOR, OFFICER, Server, csrf_of, docgen, start, stop
from tests.web.test_browser import _axe, browser

__all__ = ["browser"]  # the module's headless Chromium, shared with test_browser

CASE = "MN-2026-0001"  # accepted: its acceptance letter is the one for the school
REFUSED = "nobody@school.example.org"
CLERK = ("kim", "another officer pw")


@dataclass
class Sending:
    server: Server
    smtp: SmtpCapture
    pdf: Path
    referrer: str
    pupil: dict[str, str]


@pytest.fixture(scope="module")
def sending(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sending]:
    root = tmp_path_factory.mktemp("desk-send")
    home = root / "home"
    docgen(home, "demo")  # the demo's four cases (the hostile referrals are test_security's)
    for name, password, role in ((*COORDINATOR, "coordinator"), (*OFFICER, "officer"), (*CLERK, "officer")):
        docgen(home, "users", "add", name, "--role", role, "--password-stdin", stdin=password + "\n")
    case = json.loads(docgen(home, "case", CASE, "--json").stdout)
    letter = next(x for x in case["letters"] if x["document"] == "acceptance-letter")
    docx = home / letter["path"]
    pdf = convert_to_pdf(docx, docx.with_suffix(".pdf"), timeout=120)  # LibreOffice, as pdf = "auto" would
    with SmtpCapture(auth=("docgen", "smtp secret"), refuse=frozenset({REFUSED})) as smtp:
        secret = root / "smtp-password"
        secret.write_text("smtp secret\n")
        with (home / "docgen.toml").open("a") as toml:
            toml.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nsecurity = "none"\nusername = "docgen"\n'
                       f'password_file = "{secret}"\nfrom = "medicalneeds@example.org"\ntimeout_seconds = 10\n')
        server = start(home, root / "serve.log")
        try:
            page = server.sign_in(OFFICER).get(f"/cases/{CASE}").text
            match = re.search(r'id="send-to"[^>]*value="([^"]*)"', page)
            assert match, "the case page has no address field"
            referrer = unescape(match.group(1))
            yield Sending(server=server, smtp=smtp, pdf=pdf, referrer=referrer,
                          pupil={"name": str(case["pupil_name"]), "dob": str(case["dob"])})
        finally:
            stop(server)


def _case(server: Server) -> dict[str, Any]:
    """`docgen case REF --json`, as the desk serves it at /api/cases/{ref} (one builder for both)."""
    data: dict[str, Any] = server.sign_in(OFFICER).get(f"/api/cases/{CASE}").json()
    return data


def _form(page: str) -> dict[str, str]:
    letter = re.search(r'<option value="([^"]+)" selected>Acceptance letter', page)
    assert letter, "the acceptance letter is not chosen by default"
    return {"csrf_token": csrf_of(page), "letter": letter.group(1)}


def test_send_once_then_again_only_when_confirmed(sending: Sending) -> None:
    server, smtp = sending.server, sending.smtp
    assert sending.referrer.endswith(".example") or "@" in sending.referrer
    officer = server.sign_in(OFFICER)
    form = {**_form(officer.get(f"/cases/{CASE}").text), "to": sending.referrer}

    # a forged form, a signed-out visitor, a disabled account: 403 / sign-in, and nothing sent
    assert officer.post(f"/cases/{CASE}/send", data={**form, "csrf_token": "forged"}).status_code == 403
    stranger = server.client()
    assert stranger.post(f"/cases/{CASE}/send", data=form).headers.get("location", "").startswith("/login")
    clerk = server.sign_in(CLERK)
    clerk_form = {**_form(clerk.get(f"/cases/{CASE}").text), "to": sending.referrer}
    docgen(server.home, "users", "disable", CLERK[0])
    assert clerk.post(f"/cases/{CASE}/send", data=clerk_form).headers.get("location", "").startswith("/login")
    assert smtp.messages == []

    # the officer sends: the PDF arrives at the referrer
    sent = officer.post(f"/cases/{CASE}/send", data=form)
    assert sent.status_code == 303 and sent.headers["location"].startswith(f"/cases/{CASE}?done=sent")
    assert [m.recipients for m in smtp.messages] == [[sending.referrer]]
    name, data = attachment(smtp.messages[0].data)
    assert name.endswith("acceptance-letter.pdf") and data == sending.pdf.read_bytes() and data[:5] == b"%PDF-"

    # in the case history under the officer's name, on the page and in the register
    page = officer.get(f"/cases/{CASE}").text
    history = page[page.index('id="history"'):]
    assert re.search(rf"<td[^>]*>{OFFICER[0]}</td>\s*<td[^>]*>acceptance-letter \([^)]*\) emailed to "
                     rf"{re.escape(sending.referrer)}", history)
    details = _case(server)
    assert [(s["to"], s["who"], s["state"]) for s in details["sent"]] == [(sending.referrer, OFFICER[0], "sent")]

    # the same letter to the same address: refused until confirmed
    again = officer.post(f"/cases/{CASE}/send", data={**form, "csrf_token": csrf_of(page)})
    assert again.status_code == 409 and "already sent to" in unescape(again.text)
    assert 'name="again" value="yes"' in again.text and len(smtp.messages) == 1
    coordinator = server.sign_in(COORDINATOR)
    page = coordinator.get(f"/cases/{CASE}").text
    confirmed = coordinator.post(f"/cases/{CASE}/send", data={**form, "csrf_token": csrf_of(page), "again": "yes"})
    assert confirmed.status_code == 303 and len(smtp.messages) == 2
    assert [s["who"] for s in _case(server)["sent"]] == [
        OFFICER[0], COORDINATOR[0]]


def test_refusals_are_said_plainly_and_record_nothing(sending: Sending) -> None:
    server, smtp = sending.server, sending.smtp
    officer = server.sign_in(OFFICER)
    page = officer.get(f"/cases/{CASE}").text
    before = len(smtp.messages), len(_case(server)["sent"])
    refused = officer.post(f"/cases/{CASE}/send", data={**_form(page), "to": REFUSED})
    assert refused.status_code == 502
    assert f"The letter was not sent: the mail server 127.0.0.1:{smtp.port} refused the address {REFUSED}" \
        in unescape(refused.text)
    forged = officer.post(f"/cases/{CASE}/send", data={**_form(page), "to": "head@school.example.org\nBcc: x@evil.example"})
    assert forged.status_code == 400 and "is not an email address" in unescape(forged.text)
    blank = officer.post(f"/cases/{CASE}/send", data={**_form(page), "to": ""})
    assert blank.status_code == 400 and "Enter the email address" in blank.text
    unknown = officer.post(f"/cases/{CASE}/send", data={**_form(page), "letter": "no-such-letter", "to": REFUSED})
    assert unknown.status_code == 400 and "has no letter 'no-such-letter'" in unescape(unknown.text)
    assert officer.post("/cases/MN-2026-0999/send", data={**_form(page), "to": REFUSED}).status_code == 404
    after = len(smtp.messages), len(_case(server)["sent"])
    assert after == before


def test_send_by_keyboard_in_a_real_browser_with_no_accessibility_problems(
        sending: Sending, browser: tuple[WebDriver, Path]) -> None:
    driver, _ = browser
    server, smtp = sending.server, sending.smtp
    driver.get(f"{server.url}/login")
    driver.find_element(By.ID, "username").send_keys(OFFICER[0])
    driver.find_element(By.ID, "password").send_keys(OFFICER[1] + Keys.ENTER)
    WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)  # signed in before going on
    driver.get(f"{server.url}/cases/{CASE}")
    assert driver.find_element(By.ID, "send-to").get_attribute("value") == sending.referrer
    problems = _axe(driver)
    assert problems == [], json.dumps(problems, indent=1)[:3000]
    before = len(smtp.messages)
    driver.find_element(By.ID, "send-button").send_keys(Keys.ENTER)  # already sent: asks to confirm
    again = WebDriverWait(driver, 30).until(expected_conditions.presence_of_element_located((By.ID, "send-again")))
    assert again.text == f"Send again to {sending.referrer}"
    assert "already went to" in driver.find_element(By.CSS_SELECTOR, "form .govuk-warning-text").text
    problems = _axe(driver)
    assert problems == [], json.dumps(problems, indent=1)[:3000]
    assert len(smtp.messages) == before
    again.send_keys(Keys.ENTER)
    WebDriverWait(driver, 30).until(expected_conditions.url_contains("done=sent"))
    assert len(smtp.messages) == before + 1
    assert "emailed" in driver.find_element(By.CSS_SELECTOR, ".govuk-notification-banner").text


def test_no_childs_data_in_the_access_or_audit_log(sending: Sending) -> None:
    server = sending.server
    officer = server.sign_in(OFFICER)
    officer.get("/cases", params={"q": sending.pupil["name"].split()[-1]})
    logs = {"access": server.log.read_text(errors="replace"),
            "audit": (server.home / ".docgen" / "audit.jsonl").read_text()}
    assert "desk.letter_sent" in logs["audit"] and "POST /cases/{ref}/send 303" in logs["access"]
    for where, text in logs.items():
        for part in sending.pupil["name"].split():
            assert part not in text, f"the pupil's name is in the {where} log"
        assert sending.pupil["dob"] not in text and sending.referrer not in text, where
        assert "smtp secret" not in text


def test_without_smtp_the_desk_says_how_to_set_it_up(sending: Sending, tmp_path: Path) -> None:
    server, smtp = sending.server, sending.smtp
    stop(server)
    toml = server.home / "docgen.toml"
    text = toml.read_text()
    toml.write_text(text[:text.index("[smtp]")])
    bare = start(server.home, tmp_path / "serve.log")
    try:
        officer = bare.sign_in(OFFICER)
        page = officer.get(f"/cases/{CASE}").text
        assert "Sending by email is not set up" in page and 'id="send-button"' not in page
        before = len(smtp.messages)
        refused = officer.post(f"/cases/{CASE}/send", data={"csrf_token": csrf_of(page), "letter": "x",
                                                             "to": sending.referrer})
        assert refused.status_code == 503 and "add an [smtp]" not in refused.text
        assert "adds an [smtp] section to docgen.toml" in unescape(refused.text) and len(smtp.messages) == before
    finally:
        stop(bare)
        toml.write_text(text)
