"""Two versions of the app side by side in one browser, tries alternating: A/B latency.

``bench/ui_latency.py`` measures budgets, but on a shared machine its figures drift by a
third from one hour to the next, so two runs of it cannot say whether a change helped.
This bench starts a server for the working tree and one for another git revision (its
files from ``git archive``), warms both up, and alternates between them for each try: a
click on Train at full speed, one photo on Classify, and a page switch to each page. Both
versions see the same load at the same moment; it prints each one's medians and B / A,
of the time until ready and of the server's CPU time meanwhile (ui_latency's ``server
CPU``: its process's user + system time from /proc, in ticks of 10 ms).

    LOGREG_DATA_DIR=/path/to/cat/data python bench/ab_latency.py --against f1bec9a [--tries 6]

"A" is ``--against``, "B" the working tree. Times are "ready" (ui_latency's definition).
"""
import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

import ui_latency as latency  # noqa: E402
from driver import Server, launch_chromium, open_page, wait_idle, warm_up  # noqa: E402


def checkout(revision, folder):
    """The files of ``revision`` in ``folder`` (no .git: the app does not need one); the
    error git gives when it has no such revision."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--", revision],
                             capture_output=True)
    if archive.returncode:
        return archive.stderr.decode(errors="replace").strip() or "git archive failed"
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return None


@contextlib.contextmanager
def before_and_after(parser, against, data):
    """(browser, (server of ``against``, server of the working tree)), both warmed up: the
    other revision's files from ``git archive`` in a temporary folder."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="logreg-ab-") as other, sync_playwright() as pw:
        problem = checkout(against, Path(other))
        if problem:
            parser.error(f"--against {against}: {problem}")
        browser = launch_chromium(pw)
        with Server(data_dir=data, app_dir=Path(other)) as before, \
                Server(data_dir=data, app_dir=ROOT) as after:
            for server in (before, after):
                warm_up(server)
            yield browser, (before, after)
        browser.close()


def photo_tab(browser, server):
    """A session on Classify with the course's model trained, ready for uploads."""
    _, page = latency.new_tab(browser)
    open_page(page, server.url, "classify")
    page.get_by_role("button", name="Train with the defaults").click()
    wait_idle(page)
    return page


def switch_tab(browser, server):
    """A session that has visited every page once (first visits are not compared)."""
    _, page = latency.new_tab(browser)
    open_page(page, server.url, "how-it-works")
    for title in latency.PAGES.values():
        latency.nav_click(page, title)
    return page


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the git revision to compare with")
    parser.add_argument("--tries", type=int, default=6, help="tries per version (default 6)")
    latency.add_data_option(parser)
    args = parser.parse_args(argv)
    data, cats = latency.cat_data(parser, args.data)
    files = latency.photos(cats[:args.tries + 1])
    times = {}   # (row, version) -> [s]
    cpu = {}     # (row, version) -> [s of the server's CPU]

    def measured(row, v, action):
        """``action()``'s ready time (its last timed step's), and the server's CPU then."""
        latency.SERVER_PID[:] = [servers[v].process.pid]
        latency.CPU_TAKEN.clear()
        ready = action()
        times.setdefault((row, v), []).append(ready)
        cpu.setdefault((row, v), []).append(latency.CPU_TAKEN[-1])

    with before_and_after(parser, args.against, data) as (browser, servers):
        photos = [photo_tab(browser, server) for server in servers]
        switches = [switch_tab(browser, server) for server in servers]
        print(f"load average at start: {os.getloadavg()[0]:.2f}; A = {args.against}, "
              f"B = the working tree; {args.tries} tries each, alternating", flush=True)
        for i in range(args.tries):
            order = (0, 1) if i % 2 == 0 else (1, 0)   # neither always goes first
            for v in order:
                measured("full-speed training", v,
                         lambda: latency.trainings(browser, servers[v], 1)[0][0][1])
            for v in order:
                measured("one photo", v, lambda: latency.classifications(
                    photos[v], files[i:], 1, 1)[0][0][1])
            for title in latency.PAGES.values():
                for v in order:
                    before = "Train" if title == "Classify" else "Classify"
                    latency.nav_click(switches[v], before)
                    measured(f"switch to {title}", v,
                             lambda: latency.nav_click(switches[v], title)[1])
    print(f"| {'median of the tries':<28} | {'ready A':>8} | {'ready B':>8} | B / A "
          f"| {'CPU A':>7} | {'CPU B':>7} | B / A |")
    print(f"|{'-' * 30}|{'-' * 10}|{'-' * 10}|-------|{'-' * 9}|{'-' * 9}|-------|")
    for row in dict.fromkeys(name for name, _ in times):
        a, b = (statistics.median(times[(row, v)]) * 1000 for v in (0, 1))
        ca, cb = (statistics.median(cpu[(row, v)]) * 1000 for v in (0, 1))
        print(f"| {row:<28} | {a:5.0f} ms | {b:5.0f} ms | {b / a:5.2f} "
              f"| {ca:4.0f} ms | {cb:4.0f} ms | {cb / ca if ca else float('nan'):5.2f} |")
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main())
