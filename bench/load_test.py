"""Load test: N browser sessions train at once on one server (not a CI test).

Starts ``streamlit run app.py`` on a free port (the same helper the browser tests use),
opens N Chromium contexts (independent sessions) on the Train page, presses **Train** in
all of them, and waits until every one shows its accuracies. Reports whether all finished
without an error, the time each took (median, max), and the server's memory (RSS of the
server process and its children, from /proc) before, after one session, and after N.

    python bench/load_test.py                 # N = 10 on $LOGREG_DATA_DIR or the built-in data
    python bench/load_test.py --sessions 4 --speed "full speed"
"""
import argparse
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

from driver import (EXCEPTION, Server, choose, launch_chromium, main_text,  # noqa: E402
                    open_page, screenshot, wait_idle, warm_up)

DONE = "train accuracy: "
STALL_SECONDS = 60


def rss_kib(pid):
    """Resident memory of a process and all its descendants, in KiB (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = (Path("/proc") / str(current) / "status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match.group(1)) if match else 0
        todo.extend(children.get(current, []))
    return total


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


def train_sessions(browser, server, count, speed):
    """Open ``count`` sessions, press Train in all, wait for all; returns per-session results."""
    tabs = []
    for _ in range(count):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(600_000)
        tab = context.new_page()
        open_page(tab, server.url, "train")
        if speed:
            choose(tab, "Speed", speed)
        tabs.append(tab)
    started, finished, errors, stalled = {}, {}, {}, {}
    for i, tab in enumerate(tabs):
        tab.get_by_role("button", name="Train", exact=True).click()
        started[i] = time.perf_counter()
    # A session whose iteration count has not moved for STALL_SECONDS is reported as stalled.
    progress = {i: (None, time.perf_counter()) for i in range(count)}
    while len(finished) + len(errors) + len(stalled) < count:
        for i, tab in enumerate(tabs):
            if i in finished or i in errors or i in stalled:
                continue
            text = main_text(tab)
            if tab.locator(EXCEPTION).count():
                errors[i] = tab.locator(EXCEPTION).first.inner_text()
            elif DONE in text:
                finished[i] = time.perf_counter() - started[i]
            else:
                match = re.search(r"iteration ([\d,]+) / ", text)
                seen = match.group(1) if match else None
                if seen != progress[i][0]:
                    progress[i] = (seen, time.perf_counter())
                elif time.perf_counter() - progress[i][1] > STALL_SECONDS:
                    stalled[i] = seen
                    screenshot(tab, f"load-stalled-session{i}")
        time.sleep(0.2)
    for i, tab in enumerate(tabs):
        if i in finished:
            wait_idle(tab)
            text = main_text(tab)
            match = re.search(r"train accuracy: ([\d.]+) %.*?test accuracy: ([\d.]+) %", text,
                              re.DOTALL)
            finished[i] = (finished[i], match.groups() if match else None)
    return tabs, finished, errors, stalled


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="N sessions (default 10)")
    parser.add_argument("--data", default=os.environ.get("LOGREG_DATA_DIR"),
                        help="LOGREG_DATA_DIR for the server (default: the environment's)")
    parser.add_argument("--speed", default=None,
                        help='Train page speed, e.g. "full speed" (default: the page default)')
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="logreg-load-")) / "server.log"
    with sync_playwright() as playwright, Server(data_dir=args.data, log_path=log) as server:
        browser = launch_chromium(playwright)
        warm_up(browser, server)
        pid = server.process.pid
        before = rss_kib(pid)
        print(f"server RSS before any session:        {mib(before)}")

        tabs, one, errors, stalled = train_sessions(browser, server, 1, args.speed)
        assert not errors and not stalled, (errors, stalled)
        after_one = rss_kib(pid)
        print(f"server RSS after 1 session trained:   {mib(after_one)} "
              f"({one[0][0]:.1f} s, accuracies {one[0][1]})")

        tabs_n, results, errors, stalled = train_sessions(browser, server, args.sessions,
                                                          args.speed)
        after_n = rss_kib(pid)
        times = [seconds for seconds, _ in results.values()]
        scores = {score for _, score in results.values()}
        print(f"{args.sessions} sessions trained at once: {len(results)} finished, "
              f"{len(errors)} with an error")
        for i, message in errors.items():
            print(f"  session {i}: {message[:300]}")
        for i, seen in stalled.items():
            print(f"  session {i}: STALLED at iteration {seen} (no progress for "
                  f"{STALL_SECONDS} s; screenshot test-artifacts/load-stalled-session{i}.png)")
        if times:
            print(f"time to finish: median {statistics.median(times):.1f} s, "
                  f"max {max(times):.1f} s (min {min(times):.1f} s)")
        print(f"accuracies seen: {sorted(scores, key=str)}")
        print(f"server RSS after {1 + args.sessions} sessions:         {mib(after_n)}")
        extra = (after_n - after_one) / args.sessions
        print(f"memory per extra session:             {mib(extra)}")
        traceback = "Traceback" in log.read_text(errors="replace")
        print(f"server log: {'TRACEBACK FOUND' if traceback else 'no traceback'} ({log})")
        browser.close()
    ok = (not errors and not stalled and len(results) == args.sessions and not traceback
          and len(scores) == 1)
    print("RESULT:", "all sessions finished without error" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    # SIGTERM (e.g. from `timeout`) unwinds normally, so the server's process group is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main())
