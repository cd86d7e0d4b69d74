"""Take the README's screenshots of every page from headless Chromium.

Uses the browser tests' own helpers (tests/browser/driver.py): the same server start, the
same waits, the same full-height screenshot. Writes docs/screenshots/<page>.png.

    LOGREG_DATA_DIR=../shared/data python tools/screenshots.py
"""
import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from driver import (Server, choose, go_to, launch_chromium, main_text, open_page,  # noqa: E402
                    screenshot, upload, wait_idle, warm_up)

OUT = ROOT / "docs" / "screenshots"
LONG = 240_000


def sample_photo():
    """A test-set cat of the active data as PNG bytes (or None without the cat data)."""
    import io

    from PIL import Image

    from logreg import catalog, load_pair

    pairs = catalog.available()
    if "catvnoncat" not in pairs:
        return None
    dataset = load_pair(*pairs["catvnoncat"])
    buffer = io.BytesIO()
    Image.fromarray(dataset.test_set_x_orig[1]).save(buffer, format="PNG")
    return buffer.getvalue()


def shown(path):
    """The path relative to the project when it is inside it."""
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


NETWORK_SHOTS = {"network", "playground"}
NETWORK_PRESETS = ("One neuron — logistic regression", "Two layers — the course's 7 hidden units",
                   "Four layers — the course's 20, 7, 5")


def train_network_presets(page):
    """Train the Network page's three presets in turn; the table then reads 70 → 72 → 80 %."""
    for count, preset in enumerate(NETWORK_PRESETS, start=1):
        if count > 1:
            pick(page, "Model", preset)
        page.get_by_role("button", name="Train", exact=True).first.click()
        page.wait_for_function(
            """(n) => { const m = document.body.innerText.match(/run after run: ([^\\n]*)/);
                        return m && m[1].split('→').length === n; }""", arg=count, timeout=LONG)
        wait_idle(page)


def pick(page, label, option, attempts=3):
    """``choose`` with a retry: a click landing while the page re-lays out can leave the list
    closed (seen on the phone-sized viewport)."""
    for _ in range(attempts - 1):
        page.get_by_role("combobox", name=label, exact=True).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5000)
            wait_idle(page)
            return
        except Exception:
            page.keyboard.press("Escape")
    choose(page, label, option)


def train_playground(page):
    """Train the playground's default (the flower, 4 tanh units) to the end."""
    page.get_by_role("button", name="Train", exact=True).last.click()
    page.get_by_text("iteration 5,000 / 5,000").wait_for(timeout=LONG)
    wait_idle(page)


def shot_of(page, locator, name, out):
    """A screenshot of one part of the page (the playground), grown to its full height like
    driver.screenshot does for the whole page."""
    page.mouse.move(0, 0)
    viewport = page.viewport_size
    height = page.evaluate(
        """() => document.querySelector('[data-testid="stMain"]').scrollHeight""")
    page.set_viewport_size({"width": viewport["width"], "height": min(height, 8000)})
    page.wait_for_timeout(500)
    path = Path(out) / f"{name}.png"
    try:
        locator.screenshot(path=str(path))
    finally:
        page.set_viewport_size(viewport)
    return path


def take_network(page, server, out, max_height, only=None):
    open_page(page, server.url, "network")
    if page.viewport_size["width"] < 640:   # a phone: the open sidebar covers the page
        page.locator('[data-testid="stSidebarCollapseButton"] button').click(force=True)
    train_network_presets(page)
    if not only or "network" in only:
        path = screenshot(page, "network", folder=out, max_height=max_height)
        print(f"wrote {shown(path)}")
    if only and "playground" not in only:
        return
    train_playground(page)
    path = shot_of(page, page.locator(".st-key-playground"), "playground", out)
    print(f"wrote {shown(path)}")


def take(page, server, out, max_height, only=None):
    def shot(name):
        if only and name not in only:
            return
        path = screenshot(page, name, folder=out, max_height=max_height)
        print(f"wrote {shown(path)}")

    open_page(page, server.url)
    shot("data")
    go_to(page, "Train")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("train accuracy: ").first.wait_for(timeout=LONG)
    wait_idle(page)
    shot("train")
    if not only or "inspector" in only:
        page.get_by_text("Look inside the run").scroll_into_view_if_needed()
        wait_idle(page)
        path = shot_of(page, page.locator(".st-key-inspector_logistic"), "inspector", out)
        print(f"wrote {shown(path)}")
    go_to(page, "Normalization")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.get_by_text("generalizes best").first.wait_for(timeout=LONG)
    wait_idle(page)
    shot("normalization")
    if not only or "landscape" in only:
        chart = page.locator(".stPlotlyChart").filter(has=page.locator("g.contour"))
        chart.scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        page.wait_for_timeout(500)
        chart.screenshot(path=str(out / "landscape.png"))
        print(f"wrote {shown(out / 'landscape.png')}")
    go_to(page, "Classify")
    photo = sample_photo()
    if photo is not None:
        upload(page, "classify_upload", [("cat.png", photo, "image/png")])
        page.get_by_text("All results").wait_for(timeout=LONG)
        wait_idle(page)
    shot("classify")
    go_to(page, "How it works")
    shot("how-it-works")
    assert "Traceback" not in main_text(page)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--max-height", type=int, default=2400,
                        help="crop very long pages to this many pixels (default 2400)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="write only these shots (data, train, inspector, normalization, "
                             "landscape, classify, how-it-works, network, playground)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    only = set(args.only or ())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, \
            Server(data_dir=os.environ.get("LOGREG_DATA_DIR")) as server:
        browser = launch_chromium(playwright)
        warm_up(browser, server)
        context = browser.new_context(viewport={"width": args.width, "height": args.height})
        context.set_default_timeout(120_000)
        if not only or only - NETWORK_SHOTS:
            take(context.new_page(), server, args.out, args.max_height, args.only)
        if not only or only & NETWORK_SHOTS:
            take_network(context.new_page(), server, args.out, args.max_height, args.only)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
