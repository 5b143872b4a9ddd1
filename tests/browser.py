"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, for map tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def chromium_path() -> str:
    path = os.environ.get("GRAPHKIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium); browser tests skipped")
    return path


class Page:
    """One loaded map, with what it asked for and what it complained about."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, path: Path, timeout_ms: int = 30000) -> float:
        self.page.goto(path.resolve().as_uri())
        # A selector, not wait_for_function: Playwright polls a string predicate with eval,
        # which the map's Content-Security-Policy refuses while a large page is still loading.
        self.page.wait_for_selector("html[data-graphkit-ready]", state="attached", timeout=timeout_ms)
        return self.page.evaluate("window.graphkitReady")

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith("file://")]


# One Chromium per test module, a fresh offline context per test: the fixtures map tests import.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 800}, offline=True)
    yield Page(context.new_page())
    context.close()
