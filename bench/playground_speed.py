"""A playground run, before and after: the server's CPU, its script runs, the bytes it sends,
and how soon the browser shows the run (not a CI test).

Starts a server for the working tree ("after") and one for another git revision
("before", its files from ``git archive``, as ``bench/ab_latency.py`` does), on the
built-in data, and alternates between them: each try is a fresh session on the Network
page that presses the playground's **Train** with the default settings (the flower, 4 tanh
units, 5,000 iterations) at one Speed, and waits until the run is shown to its end.

Per try, measured in the page from the click's own event: *first frame*, until the
playground first shows an iteration of the run ("iteration N / 5,000" in its text, the
plotly caption before, the live picture's status line after), and *finished*, until it
shows "iteration 5,000 / 5,000"; the messages the browser sent the server over the
WebSocket (each a request to run the script or a fragment of it: the click, each tick of
a live fragment, each request of the live picture) and the bytes the server sent back;
the script runs the page saw start (a MutationObserver counts the app root's turns to
"running"; ticks that reach a fragment run still going join it and are not seen); and the
server process's CPU time (user + system, every thread, from /proc/PID/stat) from just
before the click until the page has been idle for a second after the end. It prints the
median of each, and the load average.

    python bench/playground_speed.py --against main [--tries 5] [--speeds "watch it learn,full speed"]
"""
import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from ab_latency import checkout  # noqa: E402
from driver import Server, launch_chromium, open_page, wait_idle, warm_up  # noqa: E402

WAIT_MS = 240_000
# The clock and the run counter, in every document of a try's context; arm() before a click.
CLOCK = """(() => {
  const C = window.__play = {armed: false, start: null, first: null, done: null, runs: 0};
  document.addEventListener('click', (e) => {
    if (C.armed && C.start === null && e.target.closest('.st-key-play_speed_train'))
      C.start = e.timeStamp;
  }, true);
  let app = null;
  const check = () => {
    const now = document.querySelector('[data-testid="stApp"]');
    if (now && now !== app) {
      app = now;
      new MutationObserver(() => {
        if (C.armed && app.getAttribute('data-test-script-state') === 'running') C.runs++;
      }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    }
    if (!C.armed || C.start === null) return;
    const box = document.querySelector('.st-key-playground');
    const text = box ? box.textContent : '';
    if (C.first === null && /iteration [\\d,]+ \\/ 5,000/.test(text)) C.first = performance.now() - C.start;
    if (C.done === null && text.includes('iteration 5,000 / 5,000')) C.done = performance.now() - C.start;
  };
  setInterval(check, 5);
  C.arm = () => { C.armed = true; C.start = C.first = C.done = null; C.runs = 0; };
})();"""


def server_cpu(server):
    """CPU seconds (user + system, all threads) the server process has used so far."""
    fields = (Path("/proc") / str(server.process.pid) / "stat").read_text().rsplit(")", 1)[1]
    utime, stime = (int(x) for x in fields.split()[11:13])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def one_run(browser, server, speed):
    """(first frame s, finished s, requests, script runs, bytes sent, server CPU s)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    context.add_init_script(CLOCK)
    page = context.new_page()
    received, sent = [], []

    def watch(ws):
        ws.on("framereceived", lambda payload: received.append(len(payload)))
        ws.on("framesent", lambda payload: sent.append(len(payload)))
    page.on("websocket", watch)
    try:
        open_page(page, server.url, "network")
        box = page.locator(".st-key-playground")
        box.scroll_into_view_if_needed()
        if speed != "watch it learn":
            box.get_by_role("combobox", name="Speed", exact=True).click()
            page.get_by_role("option", name=speed, exact=True).click()
            wait_idle(page)
        button = page.locator(".st-key-play_speed_train button").first
        button.wait_for()
        page.evaluate("() => window.__play.arm()")
        received.clear()
        sent.clear()
        cpu = server_cpu(server)
        button.click()
        page.wait_for_function("() => window.__play.done !== null", timeout=WAIT_MS,
                               polling=50)
        wait_idle(page, settle=1.0)
        cpu = server_cpu(server) - cpu
        clock = page.evaluate("() => window.__play")
        return (clock["first"] / 1000, clock["done"] / 1000, len(sent), clock["runs"],
                sum(received), cpu)
    finally:
        context.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the git revision before the change")
    parser.add_argument("--tries", type=int, default=5, help="tries per version and speed")
    parser.add_argument("--speeds", default="watch it learn,full speed",
                        help="comma-separated Speed settings (default: both of these)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    speeds = [s.strip() for s in args.speeds.split(",") if s.strip()]
    results, loads = {}, []   # (speed, version) -> [one_run()]
    with tempfile.TemporaryDirectory(prefix="logreg-play-") as other, sync_playwright() as pw:
        problem = checkout(args.against, Path(other))
        if problem:
            parser.error(f"--against {args.against}: {problem}")
        browser = launch_chromium(pw)
        empty = Path(other) / "no-cat-data"
        empty.mkdir()
        with Server(data_dir=empty, app_dir=Path(other)) as before, \
                Server(data_dir=empty, app_dir=ROOT) as after:
            servers = (before, after)
            for server in servers:
                warm_up(server)
                one_run(browser, server, speeds[0])       # fills caches, not counted
            print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} "
                  f"cores); before = {args.against}, after = the working tree", flush=True)
            for i in range(args.tries):
                for speed in speeds:
                    for v in ((0, 1) if i % 2 == 0 else (1, 0)):   # neither always first
                        results.setdefault((speed, v), []).append(
                            one_run(browser, servers[v], speed))
                        loads.append(os.getloadavg()[0])
                print(f"  try {i + 1} of {args.tries} done, load {loads[-1]:.2f}",
                      file=sys.stderr, flush=True)
            traceback = any("Traceback" in s.log_text() for s in servers)
        browser.close()
    header = ("| speed          | version | first frame | finished | requests | runs seen "
              "| sent    | server CPU |")
    print(header)
    print(re.sub(r"[^|]", "-", header))
    for (speed, v), rows in results.items():
        first, done, asked, runs, sent, cpu = (statistics.median(c) for c in zip(*rows))
        print(f"| {speed:<14} | {('before', 'after')[v]:<7} | {first * 1000:8.0f} ms "
              f"| {done:6.2f} s | {asked:8.0f} | {runs:9.0f} | {sent / 1024:4.0f} kB "
              f"| {cpu * 1000:7.0f} ms |")
    print(f"medians of {args.tries} tries; load average {min(loads):.2f}–{max(loads):.2f} "
          f"during the tries, {os.getloadavg()[0]:.2f} at the end; server logs: "
          f"{'TRACEBACK FOUND' if traceback else 'no traceback'}")
    return 1 if traceback else 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main())
