"""The dashboard in a real headless Chromium: `qulaq dashboard` serving a replayed
crisis, the overview ranking the agency in crisis first with no error on the page, and
hostile comment text shown as text. Screenshots are kept in the test's tmp dir."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI
from tests.dashboard.conftest import CRISIS_AGENCY, MD_LINK, SCRIPT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,2000",
)


def _binaries() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    if IN_CI:
        pytest.fail(
            "Chromium and chromedriver are required when CI=true "
            "(apt-get install chromium chromium-driver)"
        )
    pytest.skip("Chromium or chromedriver not installed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(crisis_home: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "QULAQ_HOME": str(crisis_home), "QULAQ_LANG": "en"}
    for var in ("QULAQ_DATABASE_URL", "QULAQ_CONFIG", "QULAQ_DASHBOARD_HOST"):
        env.pop(var, None)
    log = (crisis_home / "dashboard.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qulaq", "dashboard", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError((crisis_home / "dashboard.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium, driver = _binaries()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    b = webdriver.Chrome(service=Service(driver), options=options)
    try:
        yield b
    finally:
        b.quit()


def _wait(browser: Any, css: str, timeout: float = 90) -> list[Any]:
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = browser.find_elements(By.CSS_SELECTOR, css)
        if found:
            return list(found)
        time.sleep(0.3)
    raise AssertionError(f"{css} did not appear; page text: {_text(browser)[:2000]}")


def _text(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.TAG_NAME, "body").text)


def _settle(browser: Any) -> None:
    """Wait until Streamlit has finished the script run (no running indicator)."""
    from selenium.webdriver.common.by import By

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]'):
            return
        time.sleep(0.3)


def _no_errors(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    for css in ('[data-testid="stException"]', '[data-testid="stAlertContentError"]'):
        found = browser.find_elements(By.CSS_SELECTOR, css)
        assert not found, [e.text for e in found]


def test_overview_ranks_the_crisis_first(server: str, browser: Any, tmp_path: Path) -> None:
    browser.get(server + "/")
    rows = _wait(browser, "#qulaq-ranking tr.qulaq-row")
    _settle(browser)
    rows = _wait(browser, "#qulaq-ranking tr.qulaq-row")
    shot = tmp_path / "overview.png"
    browser.save_screenshot(str(shot))
    keys = [r.get_attribute("data-key") for r in rows]
    assert keys[0] == CRISIS_AGENCY, keys
    first = rows[0].text
    assert "Akimat of Almaty" in first  # a name a screen reader can read, not canvas pixels
    assert "critical" in first or "high" in first, first
    assert "Read-only mode" in _text(browser)
    _no_errors(browser)
    assert shot.stat().st_size > 20_000


def test_hostile_comment_is_text_in_the_browser(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/agency?agency={CRISIS_AGENCY}")
    _wait(browser, "#qulaq-accounts")
    _settle(browser)
    browser.save_screenshot(str(tmp_path / "agency.png"))
    text = _text(browser)
    assert SCRIPT in text and MD_LINK in text
    assert "<img src=x onerror=alert(2)>" in text
    assert not browser.find_elements(By.CSS_SELECTOR, 'a[href^="javascript"]')
    assert not browser.find_elements(By.CSS_SELECTOR, "img[onerror]")
    scripts = browser.execute_script(
        "return Array.from(document.scripts).map(s => s.textContent).join(' ')"
    )
    assert "alert(1)" not in scripts
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - raises when no alert() ran
    _no_errors(browser)


# Where each table ends against the page's column: a table may be wider than the column
# only inside a box of its own that scrolls sideways, never cut off at the window's edge.
_TABLES_PAST_THE_COLUMN = """
const block = document.querySelector('[data-testid="stMainBlockContainer"]');
const pad = parseFloat(getComputedStyle(block).paddingRight);
const right = block.getBoundingClientRect().right - pad;
const out = [];
for (const table of document.querySelectorAll('table.qulaq-table')) {
  const end = table.getBoundingClientRect().right;
  if (end <= right + 1) continue;
  let box = table.parentElement;
  while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) {
    box = box.parentElement;
  }
  if (!box || box.getBoundingClientRect().right > right + 1) {
    out.push([table.id, Math.round(end), Math.round(right)]);
  }
}
return out;
"""


def test_wide_tables_stay_inside_the_page(server: str, browser: Any) -> None:
    browser.get(server + "/")
    _wait(browser, "#qulaq-ranking tr.qulaq-row")
    _settle(browser)
    _wait(browser, "#qulaq-matrix")
    assert browser.execute_script(_TABLES_PAST_THE_COLUMN) == []


def test_every_period_on_the_agency_page_is_visible(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{server}/agency?agency={CRISIS_AGENCY}")
    _wait(browser, "#qulaq-accounts")
    _settle(browser)
    group = _wait(browser, '[data-testid="stButtonGroup"]')[0]
    column = group.find_element(By.XPATH, "./ancestor::*[@data-testid='stColumn'][1]")
    edge = column.rect["x"] + column.rect["width"]
    buttons = group.find_elements(By.CSS_SELECTOR, "button")
    assert len(buttons) == 4
    cut = [b.text for b in buttons if b.rect["x"] + b.rect["width"] > edge + 1]
    assert not cut, (cut, edge)
