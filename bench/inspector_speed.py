"""What the run inspector costs: recording overhead, memory per run, redraw times.

Usage::

    LOGREG_DATA_DIR=DIR python bench/inspector_speed.py [--repeats 7] [--moves 20]
                                                        [--no-browser]

1. The Trainer alone on the cat data (course settings), with and without a History
   following it, in turn ``--repeats`` times; prints the medians and the overhead (target
   ≤ 10 %) and the recording's bytes (target ≤ 5 MB), for 2,000 and 20,000 iterations.
2. In headless Chromium (unless ``--no-browser``): train on the Train page, then
   - click ``--moves`` points of the replay's iteration slider (a plotly slider: no server
     involved) and time each from the mouse press to the animation frame in which the
     figure's title shows the new iteration;
   - press the right arrow on the Decision threshold slider ``--moves`` times and time
     each from the key press to the animation frame in which the replay's title shows the
     new threshold (a fragment rerun and the new figure drawn).
   Target ≤ 200 ms for both. Prints the median and the slowest.
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


# Timers in the page: from an input event to the first animation frame whose replay title
# passes ``test`` (the DOM is then about to be painted). One timer per event.
TIMERS = """() => {
    const replay = () => Array.from(document.querySelectorAll('.js-plotly-plot')).find(
        p => ((p._transitionData || {})._frames || []).length);
    const title = () => (replay().querySelector('.gtitle') || {}).textContent || '';
    window.__delays = [];
    window.__time = (test) => {
        const began = performance.now(), before = title();
        const check = () => {
            if (test(title(), before)) window.__delays.push(performance.now() - began);
            else if (performance.now() - began < 20000) requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
    };
    document.addEventListener('mousedown', () => window.__time((now, before) => now !== before),
                              true);
    document.addEventListener('keydown', () => window.__time(
        (now) => now.includes('threshold ' + window.__expected + ':')), true);
    const rail = replay().querySelector('.slider-rail-rect').getBoundingClientRect();
    return {x: rail.x, y: rail.y + rail.height / 2, width: rail.width};
}"""


def report(label, delays):
    print(f"{label}: {len(delays)} redraws, median {statistics.median(delays):.0f} ms, "
          f"slowest {max(delays):.0f} ms")


def browser(moves):
    import os

    from playwright.sync_api import sync_playwright

    from driver import Server, go_to, launch_chromium, open_page, open_replay, wait_idle

    with sync_playwright() as playwright, \
            Server(data_dir=os.environ.get("LOGREG_DATA_DIR")) as server:
        chromium = launch_chromium(playwright)
        page = chromium.new_page(viewport={"width": 1280, "height": 720})
        open_page(page, server.url)
        go_to(page, "Train")
        page.get_by_role("button", name="Train", exact=True).click()
        page.get_by_text("Look inside the run").wait_for(timeout=240_000)
        wait_idle(page)
        open_replay(page)
        page.locator(".js-plotly-plot .slider-rail-rect").scroll_into_view_if_needed()
        page.wait_for_timeout(1000)
        rail = page.evaluate(TIMERS)
        for i in range(moves):   # spread over the rail, never the same point twice in a row
            x = rail["x"] + rail["width"] * ((i * 7) % moves + 0.5) / moves
            page.mouse.click(x, rail["y"])
            page.wait_for_timeout(400)
        report("Iteration slider (in the browser)", page.evaluate("() => window.__delays"))
        page.evaluate("() => { window.__delays = []; }")
        thumb = page.get_by_role("slider", name="Decision threshold")
        for i in range(moves):
            value = float(thumb.get_attribute("aria-valuetext"))
            page.evaluate(f"() => {{ window.__expected = '{value + 0.01:.2f}'; }}")
            thumb.press("ArrowRight")
            page.wait_for_function(f"() => window.__delays.length > {i}", timeout=60_000)
            wait_idle(page)
        report("Threshold slider (fragment rerun)", page.evaluate("() => window.__delays"))
        chromium.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    recording(args.repeats)
    if not args.no_browser:
        browser(args.moves)
    return 0


if __name__ == "__main__":
    sys.exit(main())
