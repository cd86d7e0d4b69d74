"""How fast the Normalization page answers, measured in a real Chromium against a real server.

Usage::

    LOGREG_DATA_DIR=../shared/data python bench/normalization_speed.py [--scrubs 30]

Two figures the page promises: pressing **Compare** on the cat data shows every experiment
(five trainings, the z-score pictures, the landscape) within 2 s, and scrubbing the
landscape's slider redraws the paths within 200 ms. The first is timed from the click to the
end of the script run (Streamlit's own "notRunning" flag); the second from a mouse press
on the slider's rail to the next painted frame after the iteration label changed. The
slider runs in the browser (plotly animation frames), so no server round trip is involved.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from driver import Server, launch_chromium, open_page, script_state, wait_idle  # noqa: E402

WATCH = """() => {
    const plot = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(p => (p.data || []).some(t => t.type === 'contour'));
    window.__scrub = [];
    document.addEventListener('mousedown', () => { window.__pressed = performance.now(); },
                              true);
    new MutationObserver(() => requestAnimationFrame(() => window.__scrub.push(
        performance.now() - window.__pressed))).observe(
        plot.querySelector('.slider-container'), {subtree: true, characterData: true,
                                                  childList: true});
    const rail = plot.querySelector('.slider-rail-rect').getBoundingClientRect();
    return {x: rail.x, y: rail.y + rail.height / 2, width: rail.width};
}"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scrubs", type=int, default=30)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, \
            Server(data_dir=os.environ.get("LOGREG_DATA_DIR")) as server:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_page(page, server.url, "normalization")
        # The first Compare builds the shared scaled matrices; a teacher's second click,
        # and every other session's, finds them cached. Time both.
        for label in ("first Compare (matrices built)", "Compare again"):
            page.get_by_role("button", name="Compare", exact=True).click()
            began = time.perf_counter()
            while script_state(page) != "running" and time.perf_counter() - began < 5:
                page.wait_for_timeout(10)
            while script_state(page) != "notRunning":
                page.wait_for_timeout(10)
            print(f"{label}: page ready {time.perf_counter() - began:.2f} s after the click")
            wait_idle(page)
        page.locator(".js-plotly-plot g.contour").first.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        rail = page.evaluate(WATCH)
        for i in range(args.scrubs):
            x = rail["x"] + rail["width"] * ((i * 7) % args.scrubs + 0.5) / args.scrubs
            page.mouse.click(x, rail["y"])
            page.wait_for_timeout(150)
        delays = page.evaluate("() => window.__scrub")
        print(f"slider scrubs: {len(delays)} redraws, median {statistics.median(delays):.0f} ms,"
              f" max {max(delays):.0f} ms")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
