"""Fixtures for driving the app in Debian's Chromium: a server per data setup, a browser,
and a fresh session per test whose screenshot lands in ``test-artifacts/``.

Without ``/usr/bin/chromium`` these tests skip, unless ``LOGREG_REQUIRE_BROWSER=1`` (CI),
where a missing browser is a failure.
"""
import os
import re

import pytest

from driver import (CHROMIUM, Server, launch_chromium, screenshot,
                    server_without_cat_data)


def _require_browser():
    if CHROMIUM.is_file():
        return
    reason = f"{CHROMIUM} is absent: install Debian's chromium to run the browser tests"
    if os.environ.get("LOGREG_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (LOGREG_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def server_logs(tmp_path_factory):
    return tmp_path_factory.mktemp("server-logs")


@pytest.fixture(scope="session")
def cat_server(chromium, data_dir, server_logs):
    """The app on the course's cat data (skips when LOGREG_DATA_DIR does not hold it)."""
    server = Server(data_dir=data_dir, log_path=server_logs / "cat.log")
    with server:
        yield server
    _assert_no_server_traceback(server)


@pytest.fixture(scope="session")
def faces_server(chromium, server_logs):
    """The app on a copy without any cat data: only the built-in faces dataset is found."""
    with server_without_cat_data(log_path=server_logs / "faces.log") as server:
        yield server
    _assert_no_server_traceback(server)


def _assert_no_server_traceback(server):
    log = server.log_text()
    assert "Traceback" not in log, log[-4000:]


VIEWPORT = {"width": 1400, "height": 1000}


def _new_context(browser, viewport=VIEWPORT, **options):
    context = browser.new_context(viewport=viewport, accept_downloads=True, **options)
    context.set_default_timeout(60_000)
    return context


@pytest.fixture
def make_context(chromium, request):
    """Make browser contexts (independent sessions); all closed after the test."""
    contexts = []

    def make(**options):
        contexts.append(_new_context(chromium, **options))
        return contexts[-1]

    yield make
    for context in contexts:
        context.close()


class Tabs:
    """One page that a worker's tests take turns in, wiped between them.

    A page in a new context costs its renderer 3-4 s of CPU before the app shows (a new
    process compiling Streamlit's and plotly's code afresh), against 2 s for loading the app
    again in a page that has run it: with tests on two cores that difference was a fifth
    of the browser tier. Wiped, the next test's page has no cookie (so no saved work and no
    class), no storage, the usual size and a blank start; its first load is a new session.
    """

    def __init__(self, browser):
        self.browser = browser
        self.page = None

    def take(self):
        if self.page is None or self.page.is_closed():
            self.page = _new_context(self.browser).new_page()
        return self.page

    def wipe(self):
        page = self.page
        try:
            page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        except Exception:   # about:blank, a crashed page: nothing to clear there
            pass
        try:
            page.goto("about:blank")   # ends the test's session on the server
            page.context.clear_cookies()
            page.context.clear_permissions()
            page.set_viewport_size(VIEWPORT)
        except Exception:   # a page a test broke is replaced by a new one
            page.context.close()
            self.page = None

    def close(self):
        if self.page is not None:
            self.page.context.close()


@pytest.fixture(scope="session")
def tabs(chromium):
    pool = Tabs(chromium)
    yield pool
    pool.close()


@pytest.fixture
def tab(tabs, request):
    """A page in a fresh session; a screenshot of its last state goes to test-artifacts/."""
    page = tabs.take()
    yield page
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    try:
        screenshot(page, f"end-{name}")
    except Exception:  # a crashed page must not hide the test's own failure
        pass
    tabs.wipe()
