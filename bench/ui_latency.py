"""What a student waits for, in a real browser: the latency budget of issue 13 (not a CI test).

Starts its own servers (``streamlit run app.py``, the browser tests' helper) on the cat data
and drives headless Chromium (/usr/bin/chromium) through the app like a person, printing
one table: the median and max of several tries, the budget, whether it is met, and the
machine's load average when the row was measured (a shared machine is slower; the figures
are only comparable at a similar load).

The clock runs in the page (:data:`CLOCK`): it starts at the click's or the upload's event
in the page, or at the navigation's start for a first load, and the page checks every
15 ms whether it is ready. "Ready" means, precisely: the app root's
``data-test-script-state`` is ``notRunning`` after a script run that the action started
(a MutationObserver records that the state went to ``running`` after the clock was
armed, just before the action), no ``stStatusWidget`` is shown, and the row's expected
element is there: the page's ``h1`` title, the Train page's ``train accuracy:`` line, or
one ``P(cat) = …`` answer per photo. The clock stops when that condition first holds;
it must then hold for 0.3 s more (not counted), or the wait goes on.

Rows:
  cold first load     a fresh server process, a new browser context opens ``/``; until the
                      Data page is ready (the server answers /_stcore/health once it has
                      run the app once, studio.frame.serve: its first real session)
  page switch         a click in the sidebar navigation until the new page is ready: the
                      median over rounds through all six pages of a session that has
                      visited each of them once
  first visit         the same click the first time a session opens each page (a fresh
                      session per try; the first try also fills the server's caches)
  full-speed training a fresh session's Train page, Speed "full speed", course settings:
                      click Train until the results show the course's accuracies
  one photo / eight   Classify with a trained model: upload one (or eight) 1024 x 768 JPEG
                      photos until every answer shows

"shown" is the median time until the expected element first appears, while the rest of
the page may still be drawn (Streamlit sends each element as the script reaches it).
"server CPU" is the median CPU time the shared server spent per interaction, from just
before the action until the page was ready (:data:`CPU_BUDGETS`); a row meets its budget
only when both its time and its server CPU do.

    LOGREG_DATA_DIR=/path/to/cat/data python bench/ui_latency.py [--tries 5]
"""
import argparse
import io
import json
import os
import re
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from driver import (EXCEPTION, Server, choose, launch_chromium, open_page,  # noqa: E402
                    wait_idle)

# URL path -> the page's title, in the sidebar's order.
PAGES = {"": "Data", "train": "Train", "normalization": "Normalization",
         "network": "Network", "classify": "Classify", "how-it-works": "How it works"}
SETTLE_MS = 300
WAIT_MS = int(os.environ.get("LATENCY_WAIT_MS", 240_000))

BUDGETS = {   # row -> (budget in seconds, which statistic it applies to)
    "cold first load": (1.5, "median"),   # issue 27
    "page switch": (0.25, "median"),
    "first visit of a page": (1.0, "max"),
    "full-speed training": (0.6, "median"),
    "one photo": (0.3, "median"),
    "eight photos": (1.0, "median"),
}
# What an interaction may cost the server (issue 27): the server process's CPU time (user +
# system, every thread, from /proc in ticks of 10 ms) from just before the action until
# the page is ready, median of the tries. Thirty students share two cores: a page switch
# or a run that costs the server much more than this makes the others wait.
CPU_BUDGETS = {"page switch": 0.060, "full-speed training": 0.150}
SERVER_PID = []   # the shared server's process, once it runs (the cold loads have their own)
CPU_TAKEN = []    # the server CPU of each interaction of the row being measured

# The clock runs in the page, so neither Playwright's own work nor the polling is timed:
# a click is timed from its event in the page (Playwright first checks that the button is
# visible, stable and enabled, about 45 ms here, which a person's click does not wait for),
# an upload from its file input's change event, a first load from the navigation's start.
# The page checks the condition every 15 ms with textContent, which needs no layout (the
# innerText that Python polled every 15 ms made the browser lay out the whole page each
# time). Installed in every document of a context by new_tab; arm() before each action.
CLOCK = """(() => {
  if (window.__latency) return;
  const L = window.__latency = {armed: null};
  const stamp = (event) => {
    const a = L.armed;
    if (!a || a.start !== null) return;
    // The event's own time: a click that waited behind a busy page counts from the press.
    if (event.type === 'click' || (event.type === 'change' && event.target.type === 'file'))
      a.start = event.timeStamp;
  };
  document.addEventListener('click', stamp, true);
  document.addEventListener('change', stamp, true);
  let observed = null;
  const watchRuns = (app) => {   // a run can start and end between two checks
    if (!app || app === observed) return;
    observed = app;
    new MutationObserver(() => {
      if (L.armed && app.getAttribute('data-test-script-state') === 'running')
        L.armed.sawRunning = true;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  };
  const check = () => {
    const a = L.armed;
    if (!a || a.done) return;
    const app = document.querySelector('[data-testid="stApp"]');
    watchRuns(app);
    const state = app ? app.getAttribute('data-test-script-state') : null;
    if (state === 'running') a.sawRunning = true;
    const main = document.querySelector('[data-testid="stMain"]');
    const hasTitle = !a.title || (!!main && Array.from(main.querySelectorAll('h1')).some(
        h => h.textContent.trim() === a.title));
    const found = a.pattern && main ? (main.textContent.match(new RegExp(a.pattern, 'g')) || []) : [];
    a.there = hasTitle && (!a.pattern || found.length >= a.count);
    if (a.start === null) return;
    const now = performance.now();
    if (a.there && a.shown === null) a.shown = now - a.start;
    const ready = a.there && state === 'notRunning' && (a.sawRunning || !a.started)
        && !document.querySelector('[data-testid="stStatusWidget"]');
    if (!ready) { a.readyAt = null; return; }
    if (a.readyAt === null) a.readyAt = now;
    else if (now - a.readyAt >= %(settle)d) { a.ready = a.readyAt - a.start; a.done = true; }
  };
  L.arm = (args) => {
    L.armed = {...args, start: args.fromLoad ? 0 : null, armedAt: performance.now(),
               shown: null, readyAt: null, ready: null, there: false, sawRunning: false,
               done: false};
  };
  setInterval(check, 15);
})();""" % {"settle": SETTLE_MS}

LOST_CLICKS = []   # clicks that started nothing within RETRY_SECONDS and were repeated
RETRY_SECONDS = 15


def arm(page, title=None, pattern=None, count=1, started=True):
    page.evaluate("(a) => window.__latency.arm(a)", {"title": title, "pattern": pattern,
                                                    "count": count, "started": started})


def until_ready(page, action, title=None, pattern=None, count=1, started=True, retry=False,
                armed=False):
    """(shown, ready): seconds from the event ``action()`` causes in the page until the
    expected element is on the page, and until the page is ready (module docstring).

    ``started``: the page must also have seen a script run start. ``armed``: the clock
    was armed already (a first load arms it before the page exists; see cold_loads).
    With ``retry``, an action that started no script run and showed nothing within
    RETRY_SECONDS is done again and timed from then (a navigation click can be lost while
    the sidebar is redrawn on a busy machine); the repeats are counted in LOST_CLICKS.
    """
    deadline = time.monotonic() + WAIT_MS / 1000
    before = server_cpu() if SERVER_PID else None
    while True:
        if not armed:
            arm(page, title, pattern, count, started)
        armed = False
        action()
        lost = (f"(!a.there && !a.sawRunning && performance.now() - a.armedAt > "
                f"{RETRY_SECONDS * 1000})" if retry else "false")
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"not ready after {WAIT_MS / 1000:.0f} s: {title or pattern}")
        page.wait_for_function(f"() => {{ const a = window.__latency.armed;"
                               f" return a.done || {lost}; }}", polling=100,
                               timeout=left * 1000)
        if page.locator(EXCEPTION).count():
            raise RuntimeError(page.locator(EXCEPTION).first.inner_text()[:500])
        result = page.evaluate("() => window.__latency.armed")
        if result["done"] or not retry:
            break
        LOST_CLICKS.append(title or pattern)
    if before is not None:
        CPU_TAKEN.append(server_cpu() - before)
    return result["shown"] / 1000, result["ready"] / 1000


def server_cpu():
    """CPU seconds (user + system, all threads) the shared server has used so far."""
    fields = (Path("/proc") / str(SERVER_PID[0]) / "stat").read_text().rsplit(")", 1)[1]
    utime, stime = (int(x) for x in fields.split()[11:13])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def load():
    return os.getloadavg()[0]


def new_tab(browser, first_load=None):
    """A new browser context (no cache, no session) with the clock in every document;
    ``first_load`` ({"title": ...}) arms it for the first document's load."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(CLOCK)
    if first_load:
        context.add_init_script(
            f"window.__latency.arm({json.dumps(dict(first_load, fromLoad=True))})")
    return context, context.new_page()


def click_nav(page, title):
    page.locator('[data-testid="stSidebarNav"]').get_by_role(
        "link", name=re.compile(rf"{re.escape(title)}$")).click()


def nav_click(page, title):
    # The new page's title only comes from a script run, so it needs no run watch (which
    # can miss a run when Streamlit mounts a new app root).
    return until_ready(page, lambda: click_nav(page, title), title=title, started=False,
                       retry=True)


def cold_loads(browser, data_dir, tries, log_dir):
    """A fresh server's first visitor."""
    times, loads = [], []
    for i in range(tries):
        with Server(data_dir=data_dir, log_path=log_dir / f"cold{i}.log") as server:
            context, page = new_tab(browser, first_load={"title": "Data", "count": 1,
                                                          "started": False})
            times.append(until_ready(page, lambda: page.goto(server.url), title="Data",
                                     started=False, armed=True))
            loads.append(load())
            context.close()
    return times, loads


def first_visits(browser, server, tries):
    """{title: [seconds]}: each try a fresh session opens one page (How it works, then
    Classify, ...), then clicks every other page once."""
    seen, loads = {title: [] for title in PAGES.values()}, []
    starts = list(PAGES)[::-1]
    for i in range(tries):
        context, page = new_tab(browser)
        start = starts[i % len(starts)]       # the page the session opens on: not clicked
        open_page(page, server.url, start)
        for title in PAGES.values():
            if title != PAGES[start]:
                seen[title].append(nav_click(page, title))
        loads.append(load())
        context.close()
    return seen, loads


def page_switches(page, rounds, by_page=None):
    """``rounds`` rounds through every page; ``by_page`` collects {title: [ready]}."""
    times = []
    for _ in range(rounds):
        for title in PAGES.values():
            times.append(nav_click(page, title))
            if by_page is not None:
                by_page.setdefault(title, []).append(times[-1][1])
    return times, [load()]


def trainings(browser, server, tries):
    """Each try a fresh session: the Train page at full speed, then click Train."""
    times = []
    for _ in range(tries):
        context, page = new_tab(browser)
        open_page(page, server.url, "train")
        choose(page, "Speed", "full speed")
        button = page.get_by_role("button", name="Train", exact=True)
        times.append(until_ready(page, button.click,
                                 pattern=r"train accuracy: 99\.04306220095694 %"))
        context.close()
    return times, [load()]


def photos(cat_images, size=(1024, 768), quality=90):
    """Test pictures of the cat data as phone-like JPEGs (upscaled, so decoding costs)."""
    from PIL import Image

    files = []
    for i, image in enumerate(cat_images):
        buffer = io.BytesIO()
        Image.fromarray(image).resize(size, Image.BICUBIC).save(buffer, "JPEG", quality=quality)
        files.append((f"photo{i}.jpg", buffer.getvalue(), "image/jpeg"))
    return files


def classifications(page, files, tries, per_try):
    """Classify with the session's model: each try clears the pictures, then uploads."""
    times = []
    # Clear images gives the uploader a new key (classify_upload, classify_upload_1, ...).
    uploader = page.locator('[class*="st-key-classify_upload"] input[type=file]')
    for i in range(tries):
        clear = page.get_by_role("button", name="Clear images")
        if clear.count():
            clear.click()
            wait_idle(page)
        batch = [{"name": n, "mimeType": m, "buffer": b}
                 for n, b, m in files[i * per_try:(i + 1) * per_try]]
        times.append(until_ready(page, lambda: uploader.set_input_files(batch),
                                 pattern=r"P\(cat\) = \d", count=per_try))
    return times, [load()]


def progress(what):
    print(f"  {time.strftime('%H:%M:%S')} {what}…", file=sys.stderr, flush=True)


def row(name, pairs, loads, note=""):
    """One table row from [(shown, ready)] seconds; the budget applies to ready."""
    budget, statistic = BUDGETS[name]
    times = [ready for _, ready in pairs]
    shown = [first for first, _ in pairs if first is not None]
    median, worst = statistics.median(times), max(times)
    value = median if statistic == "median" else worst
    met = "yes" if value <= budget else "NO"
    limit = f"{'≤' if statistic == 'median' else 'max ≤'} {budget * 1000:.0f} ms"
    cpu = f"{statistics.median(CPU_TAKEN) * 1000:5.0f} ms" if CPU_TAKEN else "       -"
    if name in CPU_BUDGETS and CPU_TAKEN:
        cpu_met = statistics.median(CPU_TAKEN) <= CPU_BUDGETS[name]
        cpu += f" (≤ {CPU_BUDGETS[name] * 1000:.0f}: {'yes' if cpu_met else 'NO'})"
        met = met if cpu_met else "NO"
    print(f"| {name:<22} | {median * 1000:7.0f} ms | {worst * 1000:7.0f} ms "
          f"| {statistics.median(shown) * 1000:7.0f} ms | {len(times):>5} | {limit:<14} "
          f"| {cpu:<20} | {met:<3} | {max(loads):4.1f} | {note}")
    return met == "yes"


def add_data_option(parser):
    parser.add_argument("--data", default=os.environ.get("LOGREG_DATA_DIR"),
                        help="folder of the cat data (default: $LOGREG_DATA_DIR)")


def cat_data(parser, folder):
    """(the cat data's folder, its test pictures); a usage error when it is not there."""
    from logreg import load_pair

    data = Path(folder or "")
    if not (data / "train_catvnoncat.h5").is_file():
        parser.error("needs the cat data: set LOGREG_DATA_DIR or --data")
    return data, load_pair(data / "train_catvnoncat.h5",
                           data / "test_catvnoncat.h5").test_set_x_orig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=3, help="tries per row (default 3)")
    add_data_option(parser)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    data, cats = cat_data(parser, args.data)
    files = photos(cats[:args.tries * 9])
    log_dir = Path(tempfile.mkdtemp(prefix="logreg-latency-"))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores); server logs in {log_dir}")
    results = []
    header = (f"| {'what':<22} | {'median':>10} | {'max':>10} | {'shown':>10} | tries "
              f"| {'budget':<14} | {'server CPU':<20} | met | load | note")
    print(header)
    print("|" + "|".join("-" * len(part) for part in header.split("|")[1:-1]) + "|")

    def measure(name, work, note=lambda _: ""):
        """Measure and print one row at once; a row that fails says why, the rest go on."""
        progress(name)
        CPU_TAKEN.clear()
        try:
            pairs, loads = work()
        except Exception as exc:   # noqa: BLE001 - a bench reports and carries on
            print(f"| {name:<22} | FAILED: {type(exc).__name__}: {str(exc)[:200]}")
            results.append(False)
            return None
        results.append(row(name, pairs, loads, note(pairs)))
        return pairs

    def first_visit_rows():
        visits, loads = first_visits(browser, server, args.tries)
        visits = {title: pairs for title, pairs in visits.items() if pairs}
        worst = {title: max(ready for _, ready in pairs) for title, pairs in visits.items()}
        measured["visits"] = ", ".join(
            f"{title} {statistics.median(r for _, r in visits[title]) * 1000:.0f}/"
            f"{worst[title] * 1000:.0f}" for title in visits)
        measured["slowest"] = "slowest: " + ", ".join(
            f"{title} {worst[title] * 1000:.0f} ms"
            for title in sorted(worst, key=worst.get, reverse=True)[:3])
        return [p for pairs in visits.values() for p in pairs], loads

    def session_switches():
        context, page = new_tab(browser)
        open_page(page, server.url, "how-it-works")
        for title in PAGES.values():
            nav_click(page, title)        # this session's first visits, not counted
        by_page = {}
        try:
            return page_switches(page, args.tries, by_page)
        finally:
            context.close()
            measured["switches"] = ", ".join(
                f"{title} {statistics.median(times) * 1000:.0f}"
                for title, times in by_page.items())

    def photo_rows(per_try, offset):
        context, page = new_tab(browser)
        try:
            open_page(page, server.url, "classify")
            page.get_by_role("button", name="Train with the defaults").click()
            wait_idle(page)
            return classifications(page, files[offset:], args.tries, per_try)
        finally:
            context.close()

    measured = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        measure("cold first load", lambda: cold_loads(browser, data, args.tries, log_dir))
        with Server(data_dir=data, log_path=log_dir / "server.log") as server:
            SERVER_PID[:] = [server.process.pid]
            measure("first visit of a page", first_visit_rows,
                    lambda _: measured.get("slowest", ""))
            measure("page switch", session_switches)
            measure("full-speed training", lambda: trainings(browser, server, args.tries))
            measure("one photo", lambda: photo_rows(1, 0))
            measure("eight photos", lambda: photo_rows(8, args.tries))
            traceback = "Traceback" in server.log_text()
        browser.close()
    if "visits" in measured:
        print(f"first visits by page, ready (median / max ms): {measured['visits']}")
    if "switches" in measured:
        print(f"page switches by page, ready (median ms): {measured['switches']}")
    print("(load = the 1-minute load average when the row was measured)")
    if LOST_CLICKS:
        print(f"navigation clicks repeated after {RETRY_SECONDS} s with nothing started: "
              f"{len(LOST_CLICKS)} ({', '.join(LOST_CLICKS)})")
    print(f"server log: {'TRACEBACK FOUND' if traceback else 'no traceback'}")
    ok = all(results) and not traceback
    print("RESULT:", "every budget met" if ok else "some budgets NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main())
