"""Drive the real app in a real Chromium: start a server, open pages, wait like a person.

Shared by the browser tests, ``bench/load_test.py`` and ``tools/screenshots.py`` so the
screenshots (README.md, docs/teaching.md) and the load figures (docs/benchmarks.md) come
from the same code the tests exercise.
No pytest import here.
"""
import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"
# What a copy of the app needs; data/ is copied without the course's downloaded cat files.
APP_PARTS = ("app.py", "pages", "studio", "logreg", ".streamlit", "data")
CAT_FILES = ("train_catvnoncat.h5", "test_catvnoncat.h5")

EXCEPTION = '[data-testid="stException"]'
STATUS = '[data-testid="stStatusWidget"]'
PLOTLY = ".js-plotly-plot"

# Generous ceilings for waiting on the server and on training: a wait ends as soon as its
# condition holds, these only bound a hang (the machine may be shared and slow).
SERVER_START_SECONDS = 120
LONG_WAIT_MS = 240_000


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def app_copy_without_cat_data(target):
    """Copy the app into ``target`` leaving out downloaded cat files, so only the built-in
    data is found (the app looks in ``$LOGREG_DATA_DIR`` and its own ``data/``)."""
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for part in APP_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part,
                            ignore=shutil.ignore_patterns("__pycache__", *CAT_FILES, "*.part"))
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


class Server:
    """``streamlit run app.py`` on a free port of 127.0.0.1, in its own process group."""

    def __init__(self, app_dir=ROOT, data_dir=None, log_path=None, env=None):
        self.app_dir = Path(app_dir)
        self.env = dict(env or {})   # more environment, e.g. STREAMLIT_SERVER_* options
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path) if log_path else None
        self.process = None

    def start(self):
        env = dict(os.environ)
        env.pop("LOGREG_DATA_DIR", None)
        if self.data_dir is not None:
            env["LOGREG_DATA_DIR"] = str(self.data_dir)
        env["PYTHONUNBUFFERED"] = "1"
        # warm_up's way in, for a revision older than studio.frame.serve (an environment
        # variable: the option is experimental, and a Streamlit without it ignores it).
        env["STREAMLIT_SERVER_SCRIPT_HEALTH_CHECK_ENABLED"] = "true"
        env.update(self.env)
        log = open(self.log_path, "wb") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.headless", "true", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=self.app_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        if log is not subprocess.DEVNULL:
            log.close()
        self._wait_healthy()
        return self

    def _wait_healthy(self):
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with status {self.process.returncode}"
                                   f"{self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"streamlit did not answer /_stcore/health in "
                           f"{SERVER_START_SECONDS} s{self._log_tail()}")

    def _log_tail(self):
        if self.log_path and self.log_path.is_file():
            return ":\n" + self.log_path.read_text(errors="replace")[-3000:]
        return ""

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path else ""

    def stop(self):
        """Stop the whole process group: SIGTERM, then SIGKILL if it lingers."""
        if self.process is None or self.process.poll() is not None:
            return
        group = os.getpgid(self.process.pid)
        os.killpg(group, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=15)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


@contextlib.contextmanager
def server_without_cat_data(log_path=None):
    """A server on a copy of the app whose only data is the built-in dataset."""
    with tempfile.TemporaryDirectory(prefix="logreg-app-") as tmp:
        app_dir = app_copy_without_cat_data(Path(tmp) / "app")
        empty = Path(tmp) / "empty-data"
        empty.mkdir()
        with Server(app_dir, data_dir=empty, log_path=log_path) as server:
            yield server


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def warm_up(server):
    """Run the app once in ``server`` through ``/_stcore/script-health-check``, as the app
    now does itself before it answers its health check (studio.frame.serve): for the A/B
    benches, whose older revision may predate that.
    """
    with urllib.request.urlopen(f"{server.url}/_stcore/script-health-check",
                                timeout=SERVER_START_SECONDS) as answer:
        if answer.status != 200:
            raise RuntimeError(f"the app's first run failed ({answer.status}){server._log_tail()}")


# ------------------------------------------------------------------ page-level helpers


def script_state(page):
    """Streamlit's own flag on the app root: "initial", "running" or "notRunning"."""
    return page.evaluate(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app ? app.getAttribute('data-test-script-state') : null; }""")


# Quiet: no script run (Streamlit's flag on the app root) and no status widget. The page
# watches this itself, so a wait costs no round trips from the test to the browser: asking
# ten times a second from each test cost the browser and the driver a tenth of the tier.
_QUIET_FOR_JS = """([status, settle]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const quiet = app && app.getAttribute('data-test-script-state') === 'notRunning'
                  && !document.querySelector(status);
    const now = performance.now();
    if (!quiet) { window.__studioQuietSince = null; return false; }
    if (window.__studioQuietSince == null) window.__studioQuietSince = now;
    return now - window.__studioQuietSince >= settle;
}"""


def wait_idle(page, timeout=LONG_WAIT_MS, settle=0.5):
    """Wait until Streamlit has finished the current script run.

    The app root says whether a script run is going on; an action's run can start a moment
    after the click, so the state must stay "notRunning" for ``settle`` seconds.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.evaluate("() => { window.__studioQuietSince = null; }")
    try:
        page.wait_for_function(_QUIET_FOR_JS, arg=[STATUS, settle * 1000], polling=100,
                               timeout=timeout)
    except PlaywrightTimeoutError:
        raise TimeoutError("the app kept running") from None


NAV = '[data-testid="stSidebarNav"]'
HEADING = '[data-testid="stMain"] h1'   # the page's st.title


def open_page(page, base_url, path="", query="", ready=NAV):
    """Load ``/path?query`` and wait until the script run is over.

    ``ready`` must become visible first: the sidebar's navigation, or ``HEADING`` where the
    sidebar opens closed (a phone-sized window, presenter mode)."""
    url = f"{base_url}/{path}" + (f"?{query}" if query else "")
    page.goto(url)
    page.wait_for_selector(ready, timeout=LONG_WAIT_MS)
    wait_idle(page)


@contextlib.contextmanager
def speaking(page, locale):
    """In the block, the page's browser speaks ``locale`` (``navigator.language``, what
    Streamlit reports as ``st.context.locale``, and the Accept-Language header), as a browser
    context made with ``locale=`` would; without the 3 s of CPU a new context costs its
    first page (conftest.Tabs). Closing the DevTools session ends the override."""
    session = page.context.new_cdp_session(page)
    try:
        session.send("Emulation.setLocaleOverride", {"locale": locale})
        session.send("Emulation.setUserAgentOverride", {
            "userAgent": page.evaluate("navigator.userAgent"), "acceptLanguage": locale})
        yield page
    finally:
        session.detach()


def exception_texts(page):
    """The text of every Streamlit exception element on the page (should be empty)."""
    return [text for text in page.locator(EXCEPTION).all_inner_texts()]


def assert_no_exception(page):
    """No Streamlit exception element anywhere on the page, and no "Page not found" dialog."""
    assert page.locator(EXCEPTION).count() == 0, exception_texts(page)
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == 0, page.url


def plotly_traces(page, index=0):
    """The data of the ``index``-th plotly chart: [{"name", "x", "y"}] read from the DOM."""
    return page.evaluate(
        """(index) => {
            const plots = document.querySelectorAll('.js-plotly-plot');
            const plot = plots[index];
            if (!plot || !plot.data) return null;
            return plot.data.map(t => ({name: t.name ?? null,
                                         x: Array.from(t.x ?? []), y: Array.from(t.y ?? [])}));
        }""", index)


def live_view(page):
    """What the live-training panel (studio/assets/live.js) shows: {position, received,
    total, changes}, or None when no run is drawn live."""
    return page.evaluate("""() => { const root = document.querySelector('.lv-root');
        const view = root && root.lvView;
        return view && view.data ? {position: view.position, received: view.data.received,
                                    total: view.data.total, changes: view.changes} : null; }""")


def all_plotly_traces(page):
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(
            plot => (plot.data || []).map(t => ({name: t.name ?? null,
                                                 x: Array.from(t.x ?? []),
                                                 y: Array.from(t.y ?? [])})))""")


def widened_charts(page):
    """The charts whose drawing needed wider margins than their figures ask for (more than
    plotly's 1 px tolerance), so that plotly drew them twice: see
    studio.display.figures.base.AXES_MARGIN. Each as "<trace types>: l 10 -> 72"."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.js-plotly-plot')).flatMap(plot => {
            const asked = plot.layout.margin || {}, size = plot._fullLayout._size;
            const wider = ['l', 'r', 't', 'b'].filter(
                k => size[k] > (asked[k] ?? {l: 80, r: 80, t: 100, b: 80}[k]) + 1);
            const types = [...new Set(plot.data.map(t => t.type || 'scatter'))].join('+');
            return wider.length ? [types + ': ' + wider.map(
                k => `${k} ${asked[k]} -> ${Math.round(size[k])}`).join(', ')] : [];
        })""")


def screenshot(page, name, folder=ARTIFACTS, full_page=True, max_height=6000):
    """Save ``folder/name.png`` and return its path.

    Streamlit scrolls inside its main container, not the document, so a full-page shot
    grows the viewport to the content's height for the moment of the shot.
    """
    folder = Path(folder)
    path = folder / f"{name}.png"
    if os.environ.get("LOGREG_SCREENSHOTS") == "0":
        return path
    folder.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    page.mouse.move(0, 0)  # no hover tooltip in the picture
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)
    if full_page and viewport:
        height = page.evaluate(
            """() => Math.max(...Array.from(document.querySelectorAll(
                   '[data-testid="stMain"], [data-testid="stMainBlockContainer"]'),
                   e => e.scrollHeight), 0)""")
        page.set_viewport_size({"width": viewport["width"],
                                "height": int(min(max(height, viewport["height"]), max_height))})
        page.wait_for_timeout(300)  # let charts re-lay out at the new size
    try:
        page.screenshot(path=str(path))
    finally:
        if full_page and viewport:
            page.set_viewport_size(viewport)
    return path


def upload(page, key, files):
    """Give files to the ``st.file_uploader`` whose key is ``key``.

    ``files`` is a list of (name, bytes, mime type).
    """
    uploader = page.locator(f".st-key-{key} input[type=file]")
    uploader.set_input_files([{"name": n, "mimeType": m, "buffer": b} for n, b, m in files])


def open_replay(tab, kind="logistic"):
    """Open the run inspector's replay (its expander, in any language) and wait for it; a
    replay already open (the session remembers it) is left as it is."""
    details = tab.locator(f".st-key-{kind}_replay_open details")
    if details.get_attribute("open") is None:
        tab.locator(f".st-key-{kind}_replay_open summary").click()
    tab.locator(f".st-key-inspector_{kind} .js-plotly-plot").first.wait_for(
        timeout=LONG_WAIT_MS)
    wait_idle(tab)


def go_to(tab, title):
    """Click a tab in the sidebar navigation (keeps the session, unlike a reload)."""
    nav = tab.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name=re.compile(rf"{re.escape(title)}$")).click()
    tab.get_by_role("heading", name=title, level=1).wait_for(timeout=LONG_WAIT_MS)
    wait_idle(tab)


def main_text(page):
    return page.locator('[data-testid="stMain"]').inner_text()


def has_value(page, label, value):
    """Assert that the input labelled ``label`` shows ``value``, once it has settled."""
    shows(page.get_by_label(label, exact=True), value)


def shows(field, value):
    """Assert that the input ``field`` (a locator) shows ``value``, once it has settled: an
    input mounts empty (a number input shows "0") for a frame or two, and on a loaded
    machine that can be a second after the script run ended (seen for the class code on
    a phone: None, then "", then the code 30 ms later)."""
    from playwright.sync_api import expect

    expect(field).to_have_value(value)


def selected(page, label):
    """The displayed value of the ``st.selectbox`` labelled ``label``."""
    return page.get_by_role("combobox", name=label, exact=True).input_value()


def choose(page, label, option):
    """Pick ``option`` in the ``st.selectbox`` labelled ``label``, like a person would."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)
