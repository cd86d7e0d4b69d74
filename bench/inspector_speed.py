"""What the run inspector costs: recording overhead, memory per run, redraw times.

Usage::

    LOGREG_DATA_DIR=DIR python bench/inspector_speed.py [--repeats 7] [--moves 10]
                                                        [--no-browser]

1. The Trainer alone on the cat data (course settings), with and without a History
   following it, in turn ``--repeats`` times; prints the medians and the overhead (target
   ≤ 10 %) and the recording's bytes (target ≤ 5 MB), for 2,000 and 20,000 iterations.
2. In headless Chromium (unless ``--no-browser``): train on the Train page, then move the
   iteration slider and the threshold slider one step at a time with the keyboard, and
   time each from the key press until the inspector shows the new numbers and the script
   run is over (target ≤ 200 ms). Prints the median and the slowest.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from logreg import catalog, load_pair  # noqa: E402
from logreg.history import History  # noqa: E402
from logreg.pipeline import prepare  # noqa: E402
from logreg.trainer import Trainer  # noqa: E402

CHUNK = 200   # what the Train page's default speed steps per tick


def train_seconds(prepared, iterations, record):
    trainer = Trainer(prepared.X_train, prepared.Y_train, 0.005)
    history = History.follow(trainer, iterations) if record else None
    began = time.perf_counter()
    while trainer.iteration < iterations:
        trainer.step(min(CHUNK, iterations - trainer.iteration))
    return time.perf_counter() - began, history


def recording(repeats):
    dataset = load_pair(*catalog.available()["catvnoncat"])
    prepared = prepare(dataset, "divide255")
    for iterations in (2000, 20000):
        plain, recorded = [], []
        for _ in range(repeats):
            plain.append(train_seconds(prepared, iterations, False)[0])
            seconds, history = train_seconds(prepared, iterations, True)
            recorded.append(seconds)
        a, b = statistics.median(plain), statistics.median(recorded)
        print(f"{iterations:>6,} iterations: {a * 1000:7.1f} ms plain, {b * 1000:7.1f} ms "
              f"recorded (+{(b / a - 1) * 100:.1f} %), {len(history.iterations)} frames, "
              f"{history.nbytes / 1024 / 1024:.2f} MB")


# The inspector's numbers that change with the iteration and with the threshold.
READOUT = """() => Array.from(document.querySelectorAll('[data-testid="stMetricValue"]'),
    e => e.innerText).join('|') + '|' + (document.querySelector('[data-testid="stMain"]')
    .innerText.match(/At threshold [\\d.]+/) || [''])[0]"""
DONE = """(before) => { const app = document.querySelector('[data-testid="stApp"]');
    return app.getAttribute('data-test-script-state') === 'notRunning'
           && (%s)() !== before; }""" % READOUT


def move(page, label, key):
    """Press ``key`` on the slider ``label``; seconds until the inspector shows the change."""
    thumb = page.get_by_role("slider", name=label)
    before = page.evaluate(READOUT)
    began = time.perf_counter()
    thumb.press(key)
    page.wait_for_function(DONE, arg=before, polling=10, timeout=60_000)
    return time.perf_counter() - began


def browser(moves):
    import os

    from playwright.sync_api import sync_playwright

    from driver import Server, go_to, launch_chromium, open_page, wait_idle, warm_up

    with sync_playwright() as playwright, \
            Server(data_dir=os.environ.get("LOGREG_DATA_DIR")) as server:
        chromium = launch_chromium(playwright)
        warm_up(chromium, server)
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        open_page(page, server.url)
        go_to(page, "Train")
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Look inside the run").wait_for(timeout=240_000)
        wait_idle(page)
        for label in ("Iteration", "Decision threshold"):
            page.get_by_role("slider", name=label).scroll_into_view_if_needed()
            times = [move(page, label, "ArrowLeft") for _ in range(moves)]
            wait_idle(page)
            print(f"{label} slider, {moves} moves: median {statistics.median(times) * 1000:.0f}"
                  f" ms, slowest {max(times) * 1000:.0f} ms")
        chromium.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--moves", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    recording(args.repeats)
    if not args.no_browser:
        browser(args.moves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
