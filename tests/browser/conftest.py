"""Real-browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download cannot work on these machines, so the project's CI installs
Debian's chromium with apt-get and we point Playwright at it.
"""

import os
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# The live server runs in a thread inside pytest; Playwright's sync API runs an event loop in
# this thread, which Django would otherwise refuse to mix with ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def live_requests_finish_before_the_flush(request):
    """Wait, after a test, for the live server's requests still running before its tables are
    emptied.

    Closing a browser context does not stop a request the live server is already serving (the
    editor's autosave, say, sent just before): seen in CI on PostgreSQL, such a request held a
    lock in its transaction while the flush's TRUNCATE waited for another, and PostgreSQL
    broke the deadlock by failing the flush. Requesting `live_server` from here makes this
    teardown run before the live server's and the database's.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("live_server")
    yield
    # socketserver's ThreadingMixIn serves each request in a thread running
    # process_request_thread (in its name since Python 3.10).
    deadline = time.monotonic() + 30
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(request):
    """Save a numbered screenshot of a step under test-artifacts/screenshots/<test name>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    counter = {"n": 0}

    def take(page, step: str) -> Path:
        counter["n"] += 1
        path = folder / f"{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def site_url(live_server, hostname: str) -> str:
    """URL of a site on the live server: Chromium resolves *.localhost to 127.0.0.1."""
    port = live_server.url.rsplit(":", 1)[1]
    return f"http://{hostname}:{port}"
