"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, with axe-core.

These tests need Debian's `chromium` package, the `playwright` Python package (never
`playwright install`) and axe-core from `make install-test` (in tests/.npm). Without them
they skip, unless INQUIRY_REQUIRE_BROWSER=1 is set (as in CI): then they fail.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
TESTS = Path(__file__).resolve().parent.parent
AXE = TESTS / ".npm" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = TESTS / ".artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "the playwright Python package is not installed (make install-test)"
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} not found (apt-get install chromium)"
    if not AXE.is_file():
        return f"{AXE.relative_to(TESTS.parent)} not found (make install-test)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("INQUIRY_REQUIRE_BROWSER") == "1":
            pytest.fail(f"INQUIRY_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(f"browser tests need Chromium and axe-core: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source(browser) -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def open_page(browser, live_server):
    """open_page(**context_options) -> a new page in its own context, on the live server."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
