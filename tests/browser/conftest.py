"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, and a helper
to serve an ASGI app on a free port in a background thread."""
from __future__ import annotations

import contextlib
import os

import socket
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = ROOT / "build" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServedApp:
    """An ASGI app under uvicorn in a daemon thread (lifespan included)."""

    def __init__(self, app, port: int, ws: str = "none") -> None:
        import uvicorn

        self.url = f"http://127.0.0.1:{port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                                    ws=ws, lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "ServedApp":
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError(f"{self.url} did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_) -> None:
        self.server.should_exit = True
        self.thread.join(10)


# Module scope, not session: Playwright's sync API keeps an asyncio loop marked as running
# in this thread until it exits, and every later test that calls asyncio.run would fail.
@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium; make test installs it as root)"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI must run the browser tests
        pytest.skip(message + ": browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()



@pytest.fixture
def stack(tmp_path):
    """The staff console against a fake Rasa: ``(url, fake, factory, console)``
    (tests/browser/console_app.py ``console_stack``)."""
    from tests.browser.console_app import console_stack

    with console_stack(tmp_path) as served:
        yield served


@pytest.fixture
def site(tmp_path):
    """The demo page's widget against a fake socket.io server: ``(url, socket_url, fake)``
    (tests/browser/widget_socket.py)."""
    from tests.browser.widget_socket import served_site

    with served_site(tmp_path) as served:
        yield served

@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@contextlib.contextmanager
def shot_on_failure(page, name: str):
    """Save ``build/screenshots/<name>-failure.png`` when the block fails, then re-raise."""
    try:
        yield
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(SCREENSHOTS / f"{name}-failure.png"), full_page=True)
        except Exception:  # the page may be gone; the test's own error matters
            pass
        raise


def tab_to(page, matches: str, limit: int = 40, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the focused element satisfies ``matches`` (a JS predicate
    on ``document.activeElement``), as a keyboard user would; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"(e => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {matches}; focus on "
                         + page.evaluate("document.activeElement.outerHTML.slice(0, 200)"))

