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

from driver import (Server, go_to, launch_chromium, main_text, open_page,  # noqa: E402
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


def take(page, server, out, max_height, only=None):
    def shot(name):
        if only and name not in only:
            return
        path = screenshot(page, name, folder=out, max_height=max_height)
        print(f"wrote {path.relative_to(ROOT)}")

    open_page(page, server.url)
    shot("data")
    go_to(page, "Train")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("train accuracy: ").first.wait_for(timeout=LONG)
    wait_idle(page)
    shot("train")
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
        print(f"wrote {(out / 'landscape.png').relative_to(ROOT)}")
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
                        help="write only these shots (data, train, normalization, landscape, "
                             "classify, how-it-works)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, \
            Server(data_dir=os.environ.get("LOGREG_DATA_DIR")) as server:
        browser = launch_chromium(playwright)
        warm_up(browser, server)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.set_default_timeout(120_000)
        take(context.new_page(), server, args.out, args.max_height, args.only)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
