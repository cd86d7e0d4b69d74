"""A class on two replicas: ``deploy/classroom.sh --replicas 2`` behind nginx, four browser
sessions through the proxy (each trains on the cat data and classifies a picture), then one
replica is killed.

The sessions on the other replica must not notice: their results stay on screen and they go
on classifying with their own model. The sessions of the dead replica must be moved by nginx
to the living one, reconnect, and (with the saved-state store of issue 13 item 1) get a
clear "restored" message and their own model back.

Which replica serves a browser is read from nginx's ``X-Logreg-Replica`` header on a request
made with that browser's cookies (the launcher's ``replica N`` lines give each one's pid).
"""
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from driver import (ROOT, assert_no_exception, choose, free_port, go_to, main_text,
                    screenshot, upload, wait_idle)
from logreg.images import image_to_array
from logreg.pipeline import fit

# One learning rate per session, so every session's model (and its P(cat)) is its own.
RATES = (0.005, 0.003, 0.002, 0.001)
PICTURES = (1, 2)  # test-set pictures classified before and after the replica dies
LONG = 240_000


class Classroom:
    """The launcher as a subprocess group; its output lines collected by a thread."""

    def __init__(self, data_dir, run_dir, replicas=2, tls=False, env=None, args=()):
        self.port = free_port()
        self.scheme = "https" if tls else "http"
        self.url = f"{self.scheme}://127.0.0.1:{self.port}"
        self.run_dir = run_dir
        self.count = replicas
        env = {**os.environ, "LOGREG_DATA_DIR": str(data_dir), "PYTHON": sys.executable,
               **(env or {})}
        if run_dir is not None:  # else the launcher makes (and removes) its own
            env["LOGREG_RUN_DIR"] = str(run_dir)
        env.pop("LOGREG_STATE_DIR", None)  # the launcher's own, shared by both replicas
        self.process = subprocess.Popen(
            ["bash", str(ROOT / "deploy" / "classroom.sh"), "--replicas", str(replicas),
             "--port", str(self.port), *(["--tls"] if tls else []), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
            start_new_session=True)
        self.lines = []
        threading.Thread(target=self._read, daemon=True).start()
        self.replicas = {}  # number -> (url, pid)

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self):
        return "\n".join(self.lines)

    def wait_for_line(self, pattern, timeout=240):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None and not re.search(pattern, self.output()):
                break
            time.sleep(0.2)
        raise AssertionError(f"no line matching {pattern!r} from the launcher:\n{self.output()}")

    def start(self):
        self.wait_for_line(rf"ready: students open {self.scheme}://")
        for line in self.lines:
            match = re.search(r"replica (\d+): (http://127\.0\.0\.1:\d+) pid (\d+) log (.+)/logs/",
                              line)
            if match:
                self.replicas[match.group(1)] = (match.group(2), int(match.group(3)))
                self.run_dir = Path(match.group(4))
        assert sorted(self.replicas) == [str(n) for n in range(1, self.count + 1)], self.output()
        return self

    def kill_replica(self, number):
        os.killpg(self.replicas[number][1], signal.SIGKILL)

    def stop(self):
        """SIGTERM to the launcher (its trap stops nginx and the replicas), then make sure."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        for _, pid in self.replicas.values():
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def log(self, number):
        return (Path(self.run_dir) / "logs" / f"replica-{number}.log").read_text(errors="replace")


def replica_of(context, url):
    """The replica nginx sends this browser to (the request carries its route cookie)."""
    answer = context.request.get(f"{url}/_stcore/health")
    assert answer.ok, answer.status
    return answer.headers["x-logreg-replica"]


def png(picture):
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="PNG")
    return buffer.getvalue()


def shown_probabilities(tab):
    # Four decimals: the answer's own line (the explanation below it says "P(cat) = 86.1 %").
    return re.findall(r"P\(cat\) = (\d\.\d{4})\b", main_text(tab))


def classify(tab, data, name):
    upload(tab, "classify_upload", [(name, data, "image/png")])
    tab.get_by_text("All results").wait_for(timeout=LONG)
    wait_idle(tab)


@pytest.fixture(scope="module")
def expected(cat_dataset):
    """{rate: {picture: P(cat) as the page prints it}} from models trained in this process."""
    found = {}
    for rate in RATES:
        model = fit(cat_dataset, 2000, rate, "divide255")
        found[rate] = {}
        for index in PICTURES:
            array = image_to_array(png(cat_dataset.test_set_x_orig[index]), 64, 3)
            found[rate][index] = f"{float(model.predict_proba(array[np.newaxis])[0]):.4f}"
    return found


def _require_nginx():
    """Like the browser: skip without Debian's nginx, fail in CI (.ci/run installs it)."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").is_file():
        return
    reason = "nginx is absent: sudo apt-get install nginx to run the classroom test"
    if os.environ.get("LOGREG_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " (LOGREG_REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def classroom(chromium, data_dir, tmp_path_factory):
    _require_nginx()
    room = Classroom(data_dir, tmp_path_factory.mktemp("classroom"))
    try:
        room.start()   # each replica ran the app once as it started (its warm-up)
        yield room
    finally:
        room.stop()
    assert room.process.returncode in (0, 130, 143), room.output()
    assert "Traceback" not in room.log("2"), room.log("2")[-4000:]


def test_each_replica_starts_warm_and_the_code_comes_compressed(chromium, classroom):
    """Runs before any browser session (the module's first test): each replica ran the app
    once as it started (studio.frame.serve), so its first visitor gets the app's own
    navigation, not Streamlit's automatic pages/ one; the browser's code comes compressed;
    Streamlit's script health check is not open to students."""
    for number, (url, _) in sorted(classroom.replicas.items()):
        assert "ran the app once before the first visitor" in classroom.log(number), number
        context = chromium.new_context()
        try:
            tab = context.new_page()
            tab.goto(url)
            nav = tab.locator('[data-testid="stSidebarNav"]')
            nav.get_by_role("link", name=re.compile("Train$")).wait_for(timeout=LONG)
            names = nav.inner_text()
            assert "Normalization" in names and "app" not in names.split(), (number, names)
        finally:
            context.close()
    index = urllib.request.urlopen(classroom.url, timeout=30).read().decode()
    script = re.search(r'static/js/index[^"]*\.js', index).group(0)
    request = urllib.request.Request(f"{classroom.url}/{script}",
                                     headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        compressed = len(answer.read())
    plain = len(urllib.request.urlopen(f"{classroom.url}/{script}", timeout=30).read())
    assert compressed < plain / 2, (compressed, plain)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{classroom.url}/_stcore/script-health-check", timeout=30)
    assert refused.value.code == 404


@pytest.fixture(scope="module")
def sessions(chromium, classroom, cat_dataset, expected):
    """Four sessions, two on each replica, each trained with its own rate and having
    classified one picture; then replica 1 is killed. Yields {rate: (context, tab, replica)}."""
    contexts = []
    by_replica = {"1": [], "2": []}
    for _ in range(40):  # a route cookie is random: draw browsers until each replica has 2
        context = chromium.new_context(viewport={"width": 1200, "height": 900})
        context.set_default_timeout(60_000)
        contexts.append(context)
        replica = replica_of(context, classroom.url)
        assert replica_of(context, classroom.url) == replica  # sticky
        if len(by_replica[replica]) < 2:
            by_replica[replica].append(context)
        if all(len(found) == 2 for found in by_replica.values()):
            break
    placed = [(context, replica) for replica, found in sorted(by_replica.items())
              for context in found]
    assert len(placed) == 4, "nginx sent 40 new browsers to one replica only"

    # The four load and train at the same time, as a class would.
    result = {}
    for rate, (context, replica) in zip(RATES, placed):
        tab = context.new_page()
        tab.goto(f"{classroom.url}/train?lr={rate:g}", wait_until="commit")
        result[rate] = (context, tab, replica)
    for rate, (_, tab, _) in result.items():
        tab.wait_for_selector('[data-testid="stSidebarNav"]', timeout=LONG)
        wait_idle(tab)
        choose(tab, "Speed", "full speed")
        tab.get_by_role("button", name="Train", exact=True).click()
    picture = png(cat_dataset.test_set_x_orig[PICTURES[0]])
    for rate, (context, tab, replica) in result.items():
        tab.get_by_text("train accuracy: ").first.wait_for(timeout=LONG)
        wait_idle(tab)
        assert f"learning rate {rate:g}" in main_text(tab)
        go_to(tab, "Classify")
        classify(tab, picture, "first.png")
        assert shown_probabilities(tab) == [expected[rate][PICTURES[0]]], rate
        assert_no_exception(tab)
        assert replica_of(context, classroom.url) == replica

    # Every new WebSocket a page opens from now on is a reconnection.
    sockets = {rate: [] for rate in RATES}
    for rate, (_, tab, _) in result.items():
        tab.on("websocket", lambda socket, found=sockets[rate]: found.append(socket))
    classroom.kill_replica("1")
    classroom.wait_for_line(r"replica 1 stopped")
    yield result, sockets
    for rate, (_, tab, replica) in result.items():
        try:
            screenshot(tab, f"deploy-replica{replica}-lr{rate:g}")
        except Exception:  # a crashed page must not hide the test's own failure
            pass
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def moved(sessions, classroom, cat_dataset):
    """The dead replica's sessions, each after it reconnected and its person acted again.

    Streamlit's frontend reconnects on its own (nginx sends it to the living replica) but,
    with no script running, keeps showing the old page until the person does something;
    here, uploading a second picture. Yields {rate: (context, tab, page text after)}.
    """
    result, sockets = sessions
    second = png(cat_dataset.test_set_x_orig[PICTURES[1]])
    after = {}
    for rate, (context, tab, replica) in result.items():
        if replica != "1":
            continue
        deadline = time.monotonic() + 60
        while not any(not socket.is_closed() for socket in sockets[rate]):
            assert time.monotonic() < deadline, "the page did not reconnect in 60 s"
            tab.wait_for_timeout(200)
        tab.wait_for_timeout(500)  # the new session's first messages
        classify(tab, second, "second.png")
        after[rate] = (context, tab, tab.inner_text("body"))
    assert len(after) == 2
    return after


def test_sessions_on_the_living_replica_are_untouched(sessions, classroom, cat_dataset,
                                                      expected):
    second = png(cat_dataset.test_set_x_orig[PICTURES[1]])
    result, sockets = sessions
    survivors = {rate: s for rate, s in result.items() if s[2] == "2"}
    assert len(survivors) == 2
    for rate, (context, tab, _) in survivors.items():
        # Still their first answer, on the same page, with no reconnection and no message.
        assert shown_probabilities(tab) == [expected[rate][PICTURES[0]]]
        assert "restored" not in main_text(tab).lower()
        # And they can still act, with their own model.
        classify(tab, second, "second.png")
        assert expected[rate][PICTURES[1]] in shown_probabilities(tab), rate
        assert_no_exception(tab)
        assert replica_of(context, classroom.url) == "2"
        assert not sockets[rate], "a session on the living replica reconnected"


def test_sessions_of_the_dead_replica_reconnect_to_the_other(moved, classroom, expected):
    for rate, (context, tab, text) in moved.items():
        assert replica_of(context, classroom.url) == "2"
        assert_no_exception(tab)
        # A new session answered: the first picture's answer (its bytes died with the
        # replica) is gone from the page.
        assert expected[rate][PICTURES[0]] not in shown_probabilities(tab)
        assert "Classify" in text


def test_sessions_of_the_dead_replica_get_their_saved_model_back(moved, expected):
    for rate, (_, tab, text) in moved.items():
        assert "restored" in text.lower(), text[:2000]
        assert shown_probabilities(tab) == [expected[rate][PICTURES[1]]], rate
