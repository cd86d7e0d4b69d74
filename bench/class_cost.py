"""What a class costs the shared store: writes per run, bytes per student, and the time
one board refresh takes to read a class (issue 29; figures in docs/benchmarks.md).

    LOGREG_DATA_DIR=../shared/data python bench/class_cost.py

A student's session is an AppTest (``tests/app_support.py``) whose clock advances by one
request of the live panel (1 s of the run, ``training.CHUNK_SECONDS``) at each script run,
so the throttles in
``studio.sections.class_session`` see the time a real run takes; every file write and every
heartbeat of ``studio.session.classroom`` is counted. Then a class of 30 students with 20 runs
each is read as the board reads it, every :data:`studio.sections.class_section.BOARD_SECONDS`.
"""
import os
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def main():
    state = tempfile.mkdtemp(prefix="class-cost-")
    os.environ["LOGREG_STATE_DIR"] = state
    from app_support import new_app, open_page
    from studio.sections import class_session, training
    from studio.session import classroom

    training.hold = lambda began, seconds=None: None   # AppTest has no browser to wait for
    clock = [1000.0]
    # Only class_session's clock is the fake one (Streamlit keeps the real time module).
    class_session.time = types.SimpleNamespace(monotonic=lambda: clock[0], time=time.time)
    counts = {"writes": 0, "heartbeats": 0}
    write, beat = classroom._write, classroom.heartbeat

    def counted_write(path, content):
        counts["writes"] += 1
        return write(path, content)

    def counted_beat(code, sid):
        counts["heartbeats"] += 1
        return beat(code, sid)

    classroom._write, classroom.heartbeat = counted_write, counted_beat
    found, _ = classroom.create()
    at = new_app()
    at.session_state["browser_token"] = "b" * 32
    at = open_page(at, "pages/class.py")
    at.text_input(key="class_code").set_value(found.code)
    at.button(key="class_join").click().run()
    sid = at.session_state["class_member"]["sid"]
    at = open_page(at, "pages/train.py")
    for speed, iterations in (("watch it learn", 6000), ("full speed", 2000)):
        at.number_input(key="iterations").set_value(iterations)
        at.selectbox(key="train_speed").set_value(speed).run()
        before = dict(counts)
        at.button(key="train_speed_train").click().run()
        ticks = 0
        while at.session_state["live_training"].status == "running":
            clock[0] += training.CHUNK_SECONDS
            at.run()
            ticks += 1
        for _ in range(4):   # the strip's next polls, as the browser would send them
            clock[0] += class_session.POLL_SECONDS
            at.run()
        print(f"a run at {speed!r} ({ticks} requests, {ticks * training.CHUNK_SECONDS:.1f} s): "
              f"{counts['writes'] - before['writes']} writes, "
              f"{counts['heartbeats'] - before['heartbeats']} heartbeats")
    path = Path(state) / classroom.FOLDER / found.code / f"s-{sid}.json"
    one = path.stat().st_size
    for _ in range(18):   # more runs at full speed, the course's 2,000 iterations
        at.button(key="train_speed_train").click().run()
    size = path.stat().st_size
    runs = len(classroom.student(found.code, sid).runs)
    print(f"a student's file: {one:,} bytes after 2 runs, {size:,} bytes after {runs} runs "
          f"({(size - one) / (runs - 2):,.0f} bytes a run); class.json "
          f"{(path.parent / classroom.CLASS_FILE).stat().st_size:,} bytes")

    # A class of 30 students, 20 runs each, read as one board refresh reads it.
    big, _ = classroom.create()
    record = classroom.student(found.code, sid).runs[-1]
    for n in range(30):
        me = classroom.student_id(f"token-{n}")
        classroom.join(big.code, me, f"Student {n}")
        for _ in range(20):
            classroom.submit(big.code, me, dict(record))
    def refresh(changed):
        """One board refresh (students, leaderboard) after ``changed`` heartbeats."""
        for n in range(changed):
            os.utime(Path(state) / classroom.FOLDER / big.code /
                     f"s-{classroom.student_id(f'token-{n}')}.json")
        began = time.perf_counter()
        everyone = classroom.students(big.code)
        classroom.leaderboard(everyone, big.challenge)
        return time.perf_counter() - began

    used, files = classroom.usage(big.code)
    every = statistics.median(refresh(30) for _ in range(10)) * 1000
    few = statistics.median(refresh(2) for _ in range(10)) * 1000
    began = time.perf_counter()
    size = len(classroom.to_csv(classroom.students(big.code)))
    csv_ms = (time.perf_counter() - began) * 1000
    print(f"30 students x 20 runs: {used / 1024:,.0f} KiB on disk in {files} files; one "
          f"board refresh (students, leaderboard) takes {every:.1f} ms when every file "
          f"changed, {few:.1f} ms when 2 did (medians of 10); the CSV ({size / 1024:,.0f} "
          f"KiB) {csv_ms:.0f} ms, made when its button is pressed")


if __name__ == "__main__":
    main()
