"""A hostile classroom (issue 24): what one student's worst costs the others (not a CI test).

Starts ``streamlit run app.py`` on a free port (``tests/browser/driver.py``'s Server) and
the health probe of ``bench/load_test.py`` (``/_stcore/health`` every 0.2 s, in a process
of its own), and measures **a new visitor's page time**: a new session asking for the
app's first page (the Data page) in Streamlit's own protocol, from the connection to the
end of its script run, VISITS times in a row, first on a quiet server, then during:

- **landscape**: two tabs of one browser on Normalization set the cost landscape to
  100,000 iterations and press the seed's **+** again and again (each press a new seed);
- **network**: two tabs of one browser train ``1,1024,1024,1024,1024`` (issue 24's
  network, the largest legal on the cat data) at full speed, 100,000 iterations;
- **uploads**: one session PUTs 8 files of 40 MB to Streamlit's upload endpoint, with its
  XSRF token, that no widget claims: each answer, and the server's memory after;
- **jpeg**: the progressive-JPEG bomb (24 megapixels, 8,000 empty scans) and the same
  picture with the most scans allowed: the CPU time to refuse or decode each, here;
- **slowloris** (needs nginx): ``deploy/classroom.sh --replicas 1`` and 1,100 connections
  from 127.0.0.3 that each send half a request header; visitors come from 127.0.0.1.

No browser: the visitor and the attacking tabs speak Streamlit's protocol (a WebSocket and
its protobuf messages, as the page does), the tabs from a child process of this script,
as a student's script would, with one saved-work cookie for both. So the times are the
server's, not those of browsers drawing on the same two cores (in a class they run on the
students' devices). Every figure printed is measured in this run; nothing is compared
with a limit. The figures are in docs/benchmarks.md.

    python bench/hostile_class.py                       # all but the slowloris
    python bench/hostile_class.py --only landscape network slowloris
    python bench/hostile_class.py --app-dir /tmp/before # another checkout: a "before" figure
"""
import argparse
import collections
import io
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from driver import Server  # noqa: E402
from load_test import HealthWatch, Phases, mib, rss_kib  # noqa: E402

VISITS = 5
NETWORK = "1,1024,1024,1024,1024"
LANDSCAPE_ITERATIONS = 100_000
PUTS, PUT_MB = 8, 40
HALF_OPEN = 1100
ATTACKS = ("landscape", "network", "uploads", "jpeg", "slowloris")


# ----------------------------------------------------------------------------- visitors


class Session:
    """A Streamlit session spoken to in its own protocol, as the browser does: a WebSocket
    to ``/_stcore/stream``, protobuf messages each way. No browser draws anything, so a
    visitor's times are the server's alone, and an attacker is a student's script."""

    def __init__(self, url, cookie=None):
        from websockets.sync.client import connect

        self.url = url
        self._connection = connect(
            url.replace("http", "ws", 1) + "/_stcore/stream", origin=url,
            subprotocols=["streamlit"], max_size=None, open_timeout=600, ping_interval=None,
            additional_headers={"Cookie": cookie} if cookie else None)
        self.socket = self._connection.__enter__()
        self.session_id = None
        self.page_hash = ""
        self.ids = {}            # widget key -> the widget's id, from the elements drawn
        self.fragment = None     # the fragment that asked to be rerun on a timer, if any

    def run(self, page=None, widgets=(), fragment=None):
        """Ask for a script run (of ``page``, else the current page; of ``fragment`` alone)
        with ``widgets`` [(key, value kind, value)], and wait until it has finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        ask = BackMsg()
        rerun = ask.rerun_script
        rerun.query_string = ""
        rerun.page_script_hash = "" if page else self.page_hash
        if page:
            rerun.page_name = page
        if fragment:
            rerun.fragment_id = fragment
        for key, kind, value in widgets:
            state = rerun.widget_states.widgets.add()
            state.id = self.ids[key]
            setattr(state, kind, value)
        self.socket.send(ask.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(self.socket.recv(timeout=600))
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
            elif kind == "navigation":
                self.page_hash = message.navigation.page_script_hash
            elif kind == "auto_rerun":
                self.fragment = message.auto_rerun.fragment_id
            elif kind == "stop_auto_rerun":
                self.fragment = None
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                widget = getattr(element, element.WhichOneof("type"))
                widget_id = getattr(widget, "id", "")
                if isinstance(widget_id, str) and widget_id.startswith("$$ID-"):
                    self.ids[widget_id.split("-", 2)[-1]] = widget_id
            elif kind == "script_finished":
                return

    def run_page(self):
        self.run()

    def close(self):
        self._connection.__exit__(None, None, None)


def visit(url):
    """Seconds from a new visitor's connection to the end of its first page's script run
    (the app's Data page, as a browser opening the class link gets it)."""
    began = time.perf_counter()
    session = Session(url)
    try:
        session.run_page()
        return time.perf_counter() - began
    finally:
        session.close()


def visits(url, count=VISITS):
    times = []
    for _ in range(count):
        times.append(visit(url))
        time.sleep(0.5)
    return times


def seconds(times):
    return (f"median {statistics.median(times):.2f} s, max {max(times):.2f} s "
            f"({', '.join(f'{t:.2f}' for t in times)})")


def health_since(health, start):
    """The health answers given since answer number ``start``: (count, worst, median)."""
    answers = health.times[start:] or [float("nan")]
    return len(health.times) - start, max(answers), statistics.median(answers)


# ------------------------------------------------------------------------------ attacks


def attacker(kind, url):
    """The child process: two tabs of one browser (two sessions with one saved-work
    cookie), driven by a script, doing ``kind`` until terminated; prints a line per press
    so the parent can count them."""
    import threading

    cookie = "logreg_browser=" + "h" * 32   # one student: both tabs are one owner
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    ready = threading.Barrier(3)

    def tab(number):
        session = Session(url, cookie)
        try:
            (landscape_tab if kind == "landscape" else network_tab)(session, number, ready, stop)
        finally:
            session.close()

    tabs = [threading.Thread(target=tab, args=(n,), daemon=True) for n in (1, 2)]
    for thread in tabs:
        thread.start()
    ready.wait()
    print("ready", flush=True)
    stop.wait()
    for thread in tabs:
        thread.join(30)


def landscape_tab(session, number, ready, stop):
    """The seed's + pressed as soon as the last press's run is over, at 100,000
    iterations (every press a seed no tab has drawn: the tabs count up from far apart)."""
    session.run(page="normalization")
    iterations = ("lin_iterations", "double_value", LANDSCAPE_ITERATIONS)
    session.run(widgets=[iterations])
    ready.wait()
    seed = 1000 * number
    while not stop.is_set():
        seed += 1
        session.run(widgets=[iterations, ("lin_seed", "double_value", seed)])
        print("new-seeds", flush=True)


def network_tab(session, number, ready, stop):
    """NETWORK trained at full speed, its live chart's ticks asked for as the browser asks
    them (a rerun of the chart's fragment as soon as the last one has ended); Train again
    whenever a run has finished."""
    session.run(page="network")
    settings = [("net_hidden", "string_value", NETWORK),
                ("net_iterations", "double_value", 100_000),
                ("net_speed", "string_value", "full speed")]
    session.run(widgets=settings)
    ready.wait()
    while not stop.is_set():
        session.run(widgets=settings + [("net_speed_train", "trigger_value", True)])
        print("runs-started", flush=True)
        while session.fragment and not stop.is_set():
            session.run(fragment=session.fragment)
            print("ticks", flush=True)


class Attack:
    """The attacking child process, started ready and stopped at the block's end."""

    def __init__(self, kind, url):
        self.lines = []
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--attack", kind, url],
            stdout=subprocess.PIPE, text=True, start_new_session=True)

    def __enter__(self):
        import threading

        for line in self.process.stdout:
            if line.startswith("ready"):
                break
        else:
            raise RuntimeError("the attacking tabs never got ready")
        threading.Thread(target=self._read, daemon=True).start()
        time.sleep(3)   # under way
        return self

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


# ---------------------------------------------------------------------- uploads and JPEGs


def put(url, session_id, token, file_id, megabytes):
    """PUT ``megabytes`` of zeros as one file to the session's upload endpoint, with its
    XSRF token, as the page's uploader does: (status, seconds)."""
    import http.client
    from urllib.parse import urlsplit

    boundary = "hostile"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"unused.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + bytes(megabytes * 2**20) + f"\r\n--{boundary}--\r\n".encode()
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=600)
    began = time.perf_counter()
    connection.request("PUT", f"/_stcore/upload_file/{session_id}/{file_id}", body=body,
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                "Cookie": f"_streamlit_xsrf={token}", "X-Xsrftoken": token,
                                "Origin": url})
    status = connection.getresponse().status
    connection.close()
    return status, time.perf_counter() - began


def unused_uploads(server):
    """One session's PUTS uploads of PUT_MB that no widget claims: [(status, seconds)] and
    the server's RSS before, after, and after the session's next script run (Streamlit
    then drops the files no widget holds)."""
    with urllib.request.urlopen(server.url + "/_stcore/health") as answer:   # the XSRF cookie
        cookie = answer.headers.get_all("Set-Cookie") or []
    token = next(part.split("=", 1)[1] for header in cookie for part in header.split(";")
                 if part.strip().startswith("_streamlit_xsrf="))
    session = Session(server.url)
    try:
        session.run_page()
        before = rss_kib(server.process.pid)
        answers = [put(server.url, session.session_id, token, f"unused-{n}", PUT_MB)
                   for n in range(PUTS)]
        after = rss_kib(server.process.pid)
        session.run_page()
        time.sleep(2)
        later = rss_kib(server.process.pid)
    finally:
        session.close()
    return answers, before, after, later


def jpeg_bombs():
    """(seconds to refuse the 8,000-scan bomb and its message, seconds to decode the same
    picture with 100 scans, its size in bytes)."""
    from PIL import Image

    from logreg import images

    buffer = io.BytesIO()
    # A flat 24-megapixel picture compresses to almost nothing, as in issue 24's 599 KB file.
    Image.new("RGB", (6000, 4000), (90, 140, 200)).save(buffer, "JPEG", progressive=True)
    good = buffer.getvalue()
    last = good.rindex(b"\xff\xda")
    scan = good[last:last + 2 + int.from_bytes(good[last + 2:last + 4], "big")]
    scans = good.count(b"\xff\xda")
    bomb = good[:-2] + scan * 8000 + b"\xff\xd9"
    legal = good[:-2] + scan * (images.MAX_JPEG_SCANS - scans) + b"\xff\xd9"
    began = time.thread_time()
    try:
        images.image_to_array(bomb, 64, 3, name="bomb.jpg")
        refusal = "decoded"
    except images.ImageError as exc:
        refusal = str(exc)
    refused = time.thread_time() - began
    began = time.thread_time()
    images.image_to_array(legal, 64, 3, name="legal.jpg")
    decoded = time.thread_time() - began
    return refused, refusal, decoded, len(bomb), len(legal)


# ---------------------------------------------------------------------------- slowloris


def slowloris(data):
    """Visitors' page and health times through nginx while 127.0.0.3 holds HALF_OPEN
    half-sent headers; None when nginx is missing."""
    if shutil.which("nginx") is None:
        return None
    import resource

    from test_deploy import Classroom

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    tmp = tempfile.mkdtemp(prefix="logreg-hostile-")
    room = Classroom(data, None, replicas=1, env={"TMPDIR": tmp})
    held = []
    try:
        room.start()
        visit(room.url)   # the replica's first session (see driver.warm_up)
        quiet = visits(room.url, 3)
        for _ in range(HALF_OPEN):
            sock = socket.socket()
            sock.bind(("127.0.0.3", 0))
            sock.connect(("127.0.0.1", room.port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append(sock)
        health = []
        for _ in range(VISITS):
            began = time.perf_counter()
            with urllib.request.urlopen(f"{room.url}/_stcore/health", timeout=60) as answer:
                answer.read()
            health.append(time.perf_counter() - began)
        during = visits(room.url)
        return quiet, during, health
    finally:
        for sock in held:
            sock.close()
        room.stop()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=ATTACKS, default=ATTACKS[:4],
                        help="the attacks to run (default: all but slowloris)")
    parser.add_argument("--data", default=os.environ.get("LOGREG_DATA_DIR"),
                        help="LOGREG_DATA_DIR for the server (default: the environment's)")
    parser.add_argument("--app-dir", default=str(ROOT),
                        help="the checkout the server runs (default: this one)")
    parser.add_argument("--attack", nargs=2, metavar=("KIND", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.attack:
        return attacker(*args.attack)
    # Stopped (Ctrl-C, a timeout's SIGTERM): leave through the with blocks, which stop the
    # server, the probe and the attacking tabs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    print(f"{time.strftime('%Y-%m-%d %H:%M')} · {platform.node()} · {os.cpu_count()} cores "
          f"· Python {platform.python_version()} · load average at start "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} · app {args.app_dir}")
    log = Path(tempfile.mkdtemp(prefix="logreg-hostile-")) / "server.log"
    with Server(args.app_dir, data_dir=args.data, log_path=log) as server:
        phases = Phases(server.process.pid)
        with HealthWatch(server.url, phases) as health:
            visit(server.url)   # a fresh server's first session (see driver.warm_up)
            phases.enter("quiet")
            start = len(health.times)
            quiet = visits(server.url)
            phases.enter(None)
            print(f"quiet server: a new visitor's page {seconds(quiet)}; health "
                  "{} checks, worst {:.3f} s, median {:.3f} s".format(*health_since(health, start)))
            for kind in ("landscape", "network"):
                if kind not in args.only:
                    continue
                with Attack(kind, server.url) as attack:
                    phases.enter(f"two tabs: {kind}")
                    start = len(health.times)
                    during = visits(server.url)
                    count, worst, median = health_since(health, start)
                    phases.enter(None)
                    done = collections.Counter(line.split()[0] for line in attack.lines)
                print(f"two tabs of one student, {kind} "
                      f"({', '.join(f'{n} {what}' for what, n in done.items())}): a new "
                      f"visitor's page {seconds(during)}; health {count} checks, worst "
                      f"{worst:.3f} s, median {median:.3f} s")
            if "uploads" in args.only:
                answers, before, after, later = unused_uploads(server)
                print(f"{PUTS} unused {PUT_MB} MB PUTs from one session: statuses "
                      f"{[status for status, _ in answers]}, each "
                      f"{', '.join(f'{took:.2f}' for _, took in answers)} s; server RSS "
                      f"{mib(before)} before, {mib(after)} after (+{mib(after - before)}), "
                      f"{mib(later)} after the session's next run")
        print(phases.table())
    if "jpeg" in args.only:
        refused, refusal, decoded, size, legal_size = jpeg_bombs()
        print(f"progressive-JPEG bomb (24 MP, 8,000 empty scans, {size / 1024:.0f} KB): "
              f"refused in {refused * 1000:.1f} ms of CPU: {refusal!r}")
        print(f"the same picture with 100 scans (the most allowed, {legal_size / 1024:.0f} KB): "
              f"decoded to 64 x 64 in {decoded:.2f} s of CPU")
    if "slowloris" in args.only:
        result = slowloris(args.data)
        if result is None:
            print("slowloris: skipped (no nginx)")
        else:
            quiet, during, health_times = result
            print(f"through nginx, quiet: a new visitor's page {seconds(quiet)}")
            print(f"through nginx, {HALF_OPEN} half-sent headers from 127.0.0.3: a new "
                  f"visitor's page {seconds(during)}; health "
                  f"{', '.join(f'{t:.3f}' for t in health_times)} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
