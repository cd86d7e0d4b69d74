"""Load test: N browser sessions train at once on one server (not a CI test).

Starts ``streamlit run app.py`` on a free port (the same helper the browser tests use),
opens N idle sessions (Chromium contexts that open the app and do nothing), then N more
on the Train page, has all of those press **Train** at the same moment, and waits until
every one shows its accuracies. Throughout, a process of its own
(``bench/health_probe.py``) asks ``/_stcore/health`` every 0.2 s. Reports whether all
finished without an error and with the same accuracies (on the cat data, the course's
99.04306220095694 % / 70.0 %), the time each took (median, max) and how many overlapped,
the health check's worst answer time, and the server's memory (RSS of the server process
and its children, from /proc): before, per idle session and per trained session; then,
for each phase, how much processor the server got (:class:`Phases`).

The browser runs at nice 19 by default: in a class the thirty browsers run on thirty
students' devices, not on the server's cores, and a load generator that takes the
processor from the system it measures measures itself. ``--browser-nice 0`` makes them
compete as equals, the worst case of one small machine playing both parts.

    python bench/load_test.py                 # N = 10 on $LOGREG_DATA_DIR or the built-in data
    python bench/load_test.py --sessions 30 --speed "full speed"
    python bench/load_test.py --sessions 30 --env MALLOC_ARENA_MAX=2   # server environment
    python bench/load_test.py --sessions 30 --browser-nice 0   # browsers compete with the server
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from driver import (EXCEPTION, Server, choose, launch_chromium, main_text,  # noqa: E402
                    open_page, screenshot, wait_idle)

DONE = "train accuracy: "
STALL_SECONDS = 60
COURSE = ("99.04306220095694", "70.0")   # train / test accuracy with the defaults, cat data
# The printout's last line on the stage, next to the results (issue 30: some pages of a
# class that pressed together showed the results without the curve and this line).
LAST_LINE = re.compile(r"Cost after iteration 1900: [\d.]+")
HEALTH_EVERY = 0.2
HEALTH_BUDGET = 1.0


class HealthWatch(threading.Thread):
    """Runs ``bench/health_probe.py`` (``/_stcore/health`` every HEALTH_EVERY s, in a
    process and session of its own) and reads its answers: every answer's time, the slow
    ones with the phase they were asked in, and failures. A context manager: the probe
    stops with the block, however it ends."""

    def __init__(self, url, phases):
        super().__init__(daemon=True)
        self.times, self.failures, self.phases = [], 0, phases
        self.slow = []   # (clock time, seconds, phase) of answers over half the budget
        self.probe_died = False
        self.probe = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "health_probe.py"), url, str(HEALTH_EVERY)],
            stdout=subprocess.PIPE, text=True, start_new_session=True)

    def run(self):
        for line in self.probe.stdout:
            try:
                asked, took, ok = line.split()
                asked, took = float(asked), float(took)
            except ValueError:   # a line the probe did not mean: a failed check, read on
                self.failures += 1
                continue
            self.times.append(took)
            if took > HEALTH_BUDGET / 2:
                self.slow.append((time.strftime("%H:%M:%S", time.localtime(asked)),
                                  took, self.phases.at(asked)))
            self.failures += ok != "1"

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.probe_died = self.probe.poll() is not None   # it never stops by itself
        if not self.probe_died:
            self.probe.terminate()
        self.probe.wait()
        self.join()
        self.probe.stdout.close()


class Phases:
    """What the server got of the processor in each phase of the test, from /proc.

    A slow health answer has two possible causes: the server's own work (its event loop
    busy, or waiting for the interpreter lock) or the machine's (the event loop ready to
    run but given no core, here by the browsers on the same two cores). The kernel counts
    the second for each thread: the time it spent runnable on a run queue
    (``/proc/PID/task/TID/schedstat``). The server's event loop is its main thread."""

    def __init__(self, pid):
        self.pid, self.current, self.rows, self._start = pid, None, [], None
        self.began = []   # (clock time, phase): where each phase starts

    def _snapshot(self):
        try:
            ticks = sum(int(x) for x in stat_fields(self.pid)[11:13])   # utime + stime
            sched = (Path("/proc") / str(self.pid) / "task" / str(self.pid) / "schedstat")
            on_cpu, waiting = (int(x) for x in sched.read_text().split()[:2])
        except OSError:
            return None
        return (time.perf_counter(), ticks / os.sysconf("SC_CLK_TCK"), on_cpu / 1e9,
                waiting / 1e9)

    def enter(self, phase):
        """End the current phase and start ``phase`` (``None``: none)."""
        now = self._snapshot()
        if self.current is not None and self._start and now:
            wall, cpu, loop_cpu, loop_wait = (b - a for a, b in zip(self._start, now))
            self.rows.append((self.current, wall, cpu, loop_cpu, loop_wait))
        self.current, self._start = phase, now
        self.began.append((time.time(), phase))

    def at(self, when):
        """The phase under way at clock time ``when``."""
        current = None
        for began, phase in self.began:
            if began > when:
                break
            current = phase
        return current

    def loop_share(self, phase):
        """The shares of ``phase``'s wall time the event loop ran and waited for a core,
        or None if /proc could not tell."""
        rows = [row for row in self.rows if row[0] == phase]
        wall = sum(row[1] for row in rows)
        if not wall:
            return None
        return sum(row[3] for row in rows) / wall, sum(row[4] for row in rows) / wall

    def table(self):
        lines = [f"{'phase':38} |   wall | server CPU | event loop ran | waited for a core"]
        for phase, wall, cpu, loop_cpu, loop_wait in self.rows:
            lines.append(f"{phase:38} | {wall:4.0f} s | {100 * cpu / wall:8.0f} % | "
                         f"{100 * loop_cpu / wall:12.0f} % | {100 * loop_wait / wall:15.0f} %")
        return "\n".join(lines)


def new_student(browser, script=None):
    """A tab in a browser context of its own (one student), with ``script`` run in each
    page it loads."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(600_000)
    if script:
        context.add_init_script(script)
    return context.new_page()


def open_idle(browser, server, count):
    """``count`` sessions that open the app (the Data page) and do nothing more."""
    tabs = []
    for _ in range(count):
        tab = new_student(browser)
        open_page(tab, server.url)
        tabs.append(tab)
    return tabs


def rss_kib(pid):
    """Resident memory of a process and all its descendants, in KiB (from /proc)."""
    total = 0
    for current in [pid, *descendants(pid)]:
        try:
            status = (Path("/proc") / str(current) / "status").read_text()
        except OSError:
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match.group(1)) if match else 0
    return total


def stat_fields(pid):
    """The fields of ``/proc/PID/stat`` after the command's name (which may hold spaces and
    parentheses): index 0 is field 3, the state; 1 the parent; 11 and 12 utime and stime,
    in clock ticks, of every thread the process had."""
    return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()


def descendants(pid):
    """Every process below ``pid`` (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(stat_fields(entry.name)[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def renice_browser(nice, server_pid):
    """Give the browser's processes (every descendant of this one but the server's) the
    lowest CPU priority: they stand for thirty students' own devices, which in a class do
    not take the server's processor. Returns how many threads and sessions changed.

    Two knobs, as Linux has two levels. Each thread's nice (processes the browser starts
    later inherit it). And, where the kernel groups processes by session
    (``/proc/sys/kernel/sched_autogroup_enabled``), the nice of the browser's session:
    Playwright starts the browser in a session of its own, the server runs in another,
    and the kernel first shares the processor equally between sessions, whatever the
    nice of the threads inside them. This session's own group (the bench) is left alone,
    as it is the caller's terminal's too."""
    skip = {server_pid, *descendants(server_pid)}
    ours = os.getsid(0)
    try:
        autogroups = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        autogroups = False
    threads, sessions = 0, set()
    for pid in descendants(os.getpid()):
        if pid in skip:
            continue
        try:
            tids = [int(t.name) for t in (Path("/proc") / str(pid) / "task").iterdir()]
            session = os.getsid(pid)
        except OSError:
            continue
        for tid in tids:
            try:
                os.setpriority(os.PRIO_PROCESS, tid, nice)
                threads += 1
            except OSError:
                pass
        if autogroups and session != ours and session not in sessions:
            try:
                (Path("/proc") / str(pid) / "autogroup").write_text(str(nice))
                sessions.add(session)
            except OSError:   # gone, or not allowed: the threads' nice is what counts
                pass
    return threads, len(sessions)


def mib(kib):
    return f"{kib / 1024:.1f} MiB"


TRAIN_BUTTON = ".st-key-train_speed_train button"   # the Train page's Train, by its key

# Each training page presses Train itself, at a clock time the bench gives all of them,
# so that the sessions really start in the same second (clicks from the bench come one
# after another, each waiting for its page). It stamps the click's own event and, every
# 0.1 s, reads its text. Times are milliseconds since the epoch, comparable across pages.
# (The bench used to read every page's innerText five times a second, which made thirty
# Chromium pages lay themselves out 150 times a second on the server's two cores.)
WATCH = """(() => {
  const W = window.__load = {start: null, done: null, error: null, iteration: null};
  document.addEventListener('click', (event) => {
    if (W.start === null && event.target.closest('%(button)s'))
      W.start = performance.timeOrigin + event.timeStamp;
  }, true);
  W.pressAt = (when) => setTimeout(() => document.querySelector('%(button)s').click(),
                                   Math.max(0, when - Date.now()));
  setInterval(() => {
    if (W.start === null || W.done !== null || W.error !== null) return;
    const error = document.querySelector('%(exception)s');
    if (error) { W.error = error.textContent.slice(0, 300); return; }
    const main = document.querySelector('[data-testid="stMain"]');
    const text = main ? main.textContent : '';
    if (text.includes('%(done)s')) { W.done = performance.timeOrigin + performance.now(); return; }
    const seen = text.match(/iteration ([\\d,]+) \\/ /);
    W.iteration = seen ? seen[1] : null;
  }, 100);
})()""" % {"button": TRAIN_BUTTON, "exception": EXCEPTION, "done": DONE}
PRESS_LEAD_SECONDS = 2   # time to tell every page when to press, before they do


def most_at_once(spans):
    """The largest number of (start, end) spans open at one moment."""
    events = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans])
    running = peak = 0
    for _, change in events:   # an end sorts before a start at the same moment
        running += change
        peak = max(peak, running)
    return peak


def train_sessions(browser, server, count, speed, phases):
    """Open ``count`` sessions on the Train page, have all press Train at the same moment,
    wait for all. Returns the tabs, {session: (seconds to results, accuracies)}, errors,
    stalls, and the spread of the presses and how many ran at once (seconds, sessions)."""
    sessions = f"{count} session{'s' * (count > 1)}"
    phases.enter(f"{sessions} opening the Train page")
    tabs = []
    for _ in range(count):
        tab = new_student(browser, WATCH)
        open_page(tab, server.url, "train")
        if speed:
            choose(tab, "Speed", speed)
        tabs.append(tab)
    finished, errors, stalled = {}, {}, {}
    phases.enter(f"{sessions} training")
    press = (time.time() + PRESS_LEAD_SECONDS) * 1000
    for tab in tabs:
        tab.evaluate("when => window.__load.pressAt(when)", press)
    # A session whose iteration count has not moved for STALL_SECONDS is reported as stalled.
    progress = {i: (None, time.perf_counter()) for i in range(count)}
    while len(finished) + len(errors) + len(stalled) < count:
        time.sleep(0.5)
        for i, tab in enumerate(tabs):
            if i in finished or i in errors or i in stalled:
                continue
            seen = tab.evaluate("window.__load")
            if seen["error"] is not None:
                errors[i] = seen["error"]
            elif seen["done"] is not None:
                finished[i] = (seen["start"], seen["done"])
            elif seen["start"] is None:   # not pressed yet, or never: no stall clock
                if time.time() * 1000 - press > STALL_SECONDS * 1000:
                    errors[i] = (f"its Train click was never seen ({TRAIN_BUTTON} missing "
                                 "or disabled)")
            elif seen["iteration"] != progress[i][0]:
                progress[i] = (seen["iteration"], time.perf_counter())
            elif time.perf_counter() - progress[i][1] > STALL_SECONDS:
                stalled[i] = seen["iteration"]
                screenshot(tab, f"load-stalled-session{i}")
    spans = list(finished.values())
    starts = [start for start, _ in spans]
    overlap = ((max(starts) - min(starts)) / 1000, most_at_once(spans)) if spans else None
    phases.enter(f"reading the results of {sessions}")
    for i, tab in enumerate(tabs):
        if i in finished:
            wait_idle(tab)
            text = main_text(tab)
            match = re.search(r"train accuracy: ([\d.]+) %.*?test accuracy: ([\d.]+) %", text,
                              re.DOTALL)
            start, done = finished[i]
            finished[i] = ((done - start) / 1000, match.groups() if match else None,
                           whole_stage(tab))
    return tabs, finished, errors, stalled, overlap


def whole_stage(tab):
    """Whether the page shows the run's whole stage: its cost curve and the printout's last
    line (the course's 2,000 iterations print up to 1900)."""
    text, charts = tab.evaluate("""() => {
        const stage = document.querySelector('.st-key-stage');
        if (!stage) return ['', 0];
        return [stage.innerText, stage.querySelectorAll('.js-plotly-plot').length]; }""")
    return bool(LAST_LINE.search(text)) and charts > 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10, help="N sessions (default 10)")
    parser.add_argument("--idle", type=int, default=None,
                        help="idle sessions opened first (default: N)")
    parser.add_argument("--data", default=os.environ.get("LOGREG_DATA_DIR"),
                        help="LOGREG_DATA_DIR for the server (default: the environment's)")
    parser.add_argument("--speed", default=None,
                        help='Train page speed, e.g. "full speed" (default: the page default)')
    parser.add_argument("--browser-nice", type=int, default=19, metavar="N",
                        help="run the browser at nice N (default 19, the lowest priority: the "
                             "server is measured as if the sessions' browsers ran on the "
                             "students' devices; 0: they compete with it as equals)")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for the server, e.g. MALLOC_ARENA_MAX=2")
    args = parser.parse_args(argv)
    idle_count = args.sessions if args.idle is None else args.idle
    for pair in args.env:
        name, _, value = pair.partition("=")
        os.environ[name] = value   # the server inherits this process's environment

    from playwright.sync_api import sync_playwright

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"({os.cpu_count()} cores); server environment: {' '.join(args.env) or 'as is'}")
    log = Path(tempfile.mkdtemp(prefix="logreg-load-")) / "server.log"
    with sync_playwright() as playwright, Server(data_dir=args.data, log_path=log) as server:
        browser = launch_chromium(playwright)
        if args.browser_nice:
            threads, sessions = renice_browser(args.browser_nice, server.process.pid)
            print(f"browser at nice {args.browser_nice} ({threads} threads, "
                  f"{sessions} session group{'s' * (sessions != 1)})")
        else:
            print("browser at nice 0: it competes with the server for the processor")
        phases = Phases(server.process.pid)
        phases.enter(f"{idle_count} idle sessions opening")   # the server warmed as it started
        with HealthWatch(server.url, phases) as health:
            pid = server.process.pid

            before = rss_kib(pid)
            print(f"server RSS after its warm-up run:     {mib(before)}")
            idle_tabs = open_idle(browser, server, idle_count)   # kept open: the idle sessions
            assert len(idle_tabs) == idle_count
            after_idle = rss_kib(pid)
            per_idle = (after_idle - before) / max(idle_count, 1)
            print(f"server RSS after {idle_count} idle sessions: {mib(after_idle)} "
                  f"({mib(per_idle)} per idle session)")

            # One run first: it fills the shared caches (the scaled matrices) and imports.
            _, one, errors, stalled, _ = train_sessions(browser, server, 1, args.speed, phases)
            assert not errors and not stalled and one, (errors, stalled)
            after_one = rss_kib(pid)
            print(f"server RSS after 1 trained session:   {mib(after_one)} "
                  f"({one[0][0]:.1f} s, accuracies {one[0][1]})")

            tabs, results, errors, stalled, overlap = train_sessions(
                browser, server, args.sessions, args.speed, phases)
            after_n = rss_kib(pid)
            load = os.getloadavg()[0]
            phases.enter(None)
        times = [seconds for seconds, _, _ in results.values()]
        scores = {score for _, score, _ in results.values()}
        staged = sum(whole for _, _, whole in results.values())
        print(f"{args.sessions} sessions pressed Train: {len(results)} finished, "
              f"{len(errors)} with an error, {len(stalled)} stalled"
              + (f"; the finished pressed within {overlap[0]:.2f} s, and at most {overlap[1]} "
                 "were between their press and their results at one moment" if overlap else ""))
        print(f"curve and printout shown with the results: {staged} of {len(results)}")
        for i, message in errors.items():
            print(f"  session {i}: {message[:300]}")
        for i, seen in stalled.items():
            print(f"  session {i}: STALLED at iteration {seen} (no progress for "
                  f"{STALL_SECONDS} s; screenshot test-artifacts/load-stalled-session{i}.png)")
        if times:
            print(f"time to results: median {statistics.median(times):.1f} s, "
                  f"max {max(times):.1f} s (min {min(times):.1f} s)")
        print(f"accuracies seen: {sorted(scores, key=str)}"
              + (" (the course's)" if scores == {COURSE} else ""))
        per_trained = (after_n - after_one) / args.sessions
        print(f"server RSS after {args.sessions} trained sessions: {mib(after_n)} "
              f"({mib(per_trained)} per trained session)")
        answers = health.times or [float("inf")]
        worst = max(answers)
        slow = sum(t > HEALTH_BUDGET for t in answers)
        p99 = sorted(answers)[int(0.99 * (len(answers) - 1))]
        print(f"/_stcore/health: {len(health.times)} checks, worst answer {worst:.2f} s, "
              f"99th percentile {p99 * 1000:.0f} ms, median "
              f"{statistics.median(answers) * 1000:.0f} ms, {slow} over "
              f"{HEALTH_BUDGET:g} s, {health.failures} failed"
              + (" (THE PROBE DIED: checks stopped early)" if health.probe_died else ""))
        for when, took, phase in health.slow:
            print(f"  answered in {took:.2f} s, asked at {when} while {phase}")
        print(phases.table())
        if health.slow:
            _, took, phase = max(health.slow, key=lambda slow: slow[1])
            share = phases.loop_share(phase)
            print(f"the slowest answer ({took:.2f} s) was asked while {phase}"
                  + (f"; then the event loop ran {share[0]:.0%} of the time and waited for a "
                     f"core {share[1]:.0%}" if share else ""))
        print(f"load average at the end: {load:.2f}")
        traceback = "Traceback" in log.read_text(errors="replace")
        print(f"server log: {'TRACEBACK FOUND' if traceback else 'no traceback'} ({log})")
        browser.close()
    course_ok = args.data is None or not (Path(args.data) / "train_catvnoncat.h5").is_file() \
        or scores == {COURSE}
    ok = (not errors and not stalled and len(results) == args.sessions and not traceback
          and staged == len(results)
          and len(scores) == 1 and course_ok and worst <= HEALTH_BUDGET
          and not health.failures and not health.probe_died)
    budget = per_trained <= 8 * 1024 and per_idle <= 1024
    print(f"memory budget (<= 8 MiB per trained, <= 1 MiB per idle session): "
          f"{'met' if budget else 'NOT met'}")
    print("RESULT:", "all sessions finished without error" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    # SIGTERM (e.g. from `timeout`) unwinds normally, so the server's process group is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.stdout.reconfigure(line_buffering=True)
    sys.exit(main())
