"""The desk in real headless Chromium (Debian's chromium + chromedriver, via Selenium): sign in, the review
queue, a case, correct a field, decide, download a letter — by keyboard — and axe-core on every main page."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

from tests.web.conftest import COORDINATOR, Server, docgen

AXE = Path(__file__).with_name("data") / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SHOTS = Path(__file__).resolve().parents[2] / "benchmarks" / "out" / "desk-screens"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[WebDriver, Path]]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    try:
        yield driver, downloads
    finally:
        driver.quit()


def _axe(driver: WebDriver) -> list[dict[str, object]]:
    """Serious and critical axe-core violations on the current page (WCAG 2.x A/AA rules)."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        ".then(r => done(JSON.stringify(r.violations))).catch(e => done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e)}])));")
    violations: list[dict[str, object]] = json.loads(result)
    return [v for v in violations if v.get("impact") in {"serious", "critical"}]


def _shot(driver: WebDriver, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))


def _tab_to(driver: WebDriver, element_id: str, limit: int = 400) -> None:
    """Move the focus with the Tab key alone until it reaches the element (keyboard-only use)."""
    for _ in range(limit):
        if driver.switch_to.active_element.get_attribute("id") == element_id:
            return
        driver.switch_to.active_element.send_keys(Keys.TAB)
    raise AssertionError(f"Tab never reached #{element_id}")


def _arrive(driver: WebDriver, part: str) -> None:
    """Wait for the navigation a key press started (the form posts, the desk redirects), up to 30 s."""
    WebDriverWait(driver, 30).until(expected_conditions.url_contains(part))


def test_the_coordinators_journey_by_keyboard(desk: Server, browser: tuple[WebDriver, Path]) -> None:
    driver, downloads = browser
    driver.get(f"{desk.url}/cases?state=review")
    assert "/login" in driver.current_url
    assert _axe(driver) == [], "sign-in page"
    _shot(driver, "login")
    driver.find_element(By.ID, "username").send_keys(COORDINATOR[0])
    password = driver.find_element(By.ID, "password")
    password.send_keys(COORDINATOR[1])
    password.send_keys(Keys.ENTER)
    _arrive(driver, "/cases?state=review")
    assert driver.current_url.endswith("/cases?state=review")  # back where the officer was going

    # the review queue
    links = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "table a.govuk-link")]
    assert links == ["MN-2026-0004"]
    _shot(driver, "review-queue")
    driver.find_element(By.LINK_TEXT, "MN-2026-0004").send_keys(Keys.ENTER)
    _arrive(driver, "/cases/MN-2026-0004")
    assert driver.find_element(By.ID, "case-state").text == "review"

    # correct a field on the medical letter, by keyboard
    driver.get(f"{desk.url}/cases/MN-2026-0002")
    _tab_to(driver, "value-2")
    driver.switch_to.active_element.send_keys("01603 444 555")
    key = driver.find_element(By.ID, "key-2")
    key.send_keys("Parent/carer telephone")
    driver.find_element(By.ID, "value-2").send_keys(Keys.ENTER)
    _arrive(driver, "done=corrected")
    assert "done=corrected" in driver.current_url
    banner = driver.find_element(By.CSS_SELECTOR, ".govuk-notification-banner")
    assert "checked again" in banner.text
    case = json.loads(docgen(desk.home, "case", "MN-2026-0002", "--json").stdout)
    assert case["corrections"][-1]["key"] == "parent_phone" and case["corrections"][-1]["who"] == COORDINATOR[0]

    # decide, by keyboard: the radio, the reason, then Enter on the button
    driver.get(f"{desk.url}/cases/MN-2026-0004")
    _tab_to(driver, "decision-accept")
    driver.switch_to.active_element.send_keys(Keys.SPACE)
    _tab_to(driver, "reason")
    driver.switch_to.active_element.send_keys("Consultant letter confirmed by telephone")
    driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element.text == "Record the decision"
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    _arrive(driver, "done=decided")
    assert "done=decided" in driver.current_url
    assert driver.find_element(By.ID, "case-state").text == "accepted"
    _shot(driver, "case-after-decision")

    # download the acceptance letter
    link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "#letters ~ table a")
                if "acceptance letter" in a.text.lower() or "acceptance" in (a.get_attribute("href") or ""))
    link.send_keys(Keys.ENTER)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not list(downloads.glob("*acceptance-letter*.docx")):
        time.sleep(0.2)
    got = list(downloads.glob("*acceptance-letter*.docx"))
    assert got, "the letter did not download"
    case = json.loads(docgen(desk.home, "case", "MN-2026-0004", "--json").stdout)
    letter = next(x for x in case["letters"] if x["document"] == "acceptance-letter")
    assert got[0].read_bytes() == (desk.home / letter["path"]).read_bytes()


@pytest.mark.parametrize("path", ["/", "/cases", "/cases?q=scarrow", "/cases/MN-2026-0002", "/cases/MN-2026-0001",
                                  "/due", "/quarantine", "/documents", "/merge", "/cases/MN-2026-0999"])
def test_no_serious_accessibility_problems(desk: Server, browser: tuple[WebDriver, Path], path: str) -> None:
    driver, _ = browser
    driver.get(f"{desk.url}/")
    if "/login" in driver.current_url:
        driver.find_element(By.ID, "username").send_keys(COORDINATOR[0])
        driver.find_element(By.ID, "password").send_keys(COORDINATOR[1] + Keys.ENTER)
        WebDriverWait(driver, 30).until(lambda d: "/login" not in d.current_url)
    driver.get(f"{desk.url}{path}")
    assert "/login" not in driver.current_url
    problems = _axe(driver)
    assert problems == [], json.dumps(problems, indent=1)[:3000]
    _shot(driver, path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "today")
