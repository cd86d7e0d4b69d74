"""Take the screenshots of every page (README.md, docs/teaching.md) from headless Chromium.

Uses the browser tests' own helpers (tests/browser/driver.py): the same server start, the
same waits, the same full-height screenshot. Writes docs/screenshots/<page>.png.

    LOGREG_DATA_DIR=../shared/data python tools/screenshots.py
    ... tools/screenshots.py --lang ko      # ?lang=ko, to docs/screenshots/ko/ (README.ko.md)
    ... tools/screenshots.py --phone        # 390 x 844, to docs/screenshots/phone/
    ... tools/screenshots.py --present      # ?present=1 at 1280 x 720, docs/screenshots/present/

The options combine (``--lang ko --phone`` writes docs/screenshots/ko/phone/). The texts the
tool clicks and waits for are looked up in the language's catalog, so the same steps work on
the translated pages; the ones with no translation yet are listed at the end.
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))
sys.path.insert(0, str(ROOT))

from driver import (HEADING, NAV, Server, choose, launch_chromium, main_text,  # noqa: E402
                    open_page, open_replay, screenshot, upload, wait_idle, warm_up)

from studio.session import i18n  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
LONG = 240_000
PHONE = {"width": 390, "height": 844}
COLLAPSE = '[data-testid="stSidebarCollapseButton"] button'
EXPAND = '[data-testid="stExpandSidebarButton"]'
PROJECTOR = {"width": 1280, "height": 720}


class Visit:
    """How this run opens the pages: the URL flags, the window, and the words on the page.

    ``word("Train")`` is the button or title as the chosen language shows it: the English
    message's translation in ``studio/locales/<lang>.po``, or the English text while it has
    none (the page then shows English too); those are remembered in ``missing``."""

    def __init__(self, lang="en", phone=False, present=False):
        self.lang, self.phone, self.present = lang, phone, present
        self.missing = []

    @property
    def query(self):
        flags = {"lang": self.lang if self.lang != i18n.DEFAULT else None,
                 "present": "1" if self.present else None}
        return "&".join(f"{name}={value}" for name, value in flags.items() if value)

    @property
    def sidebar_closed(self):
        """Whether the pages open with the sidebar closed (Streamlit closes it on a phone,
        presenter mode closes it on purpose): then the screenshots keep it closed."""
        return self.phone or self.present

    def folder(self, out):
        """``out``/[lang/][phone|present/]"""
        parts = [self.lang] if self.lang != i18n.DEFAULT else []
        parts += ["phone"] if self.phone else []
        parts += ["present"] if self.present else []
        return Path(out, *parts)

    def word(self, english):
        if self.lang == i18n.DEFAULT:
            return english
        text = i18n.catalog(self.lang).get(english)
        if text is None and english not in self.missing:
            self.missing.append(english)
        return text or english

    def either(self, english):
        """A pattern for a label or title that matches it in this language or in English:
        a page whose strings still wait for their translation shows the English one."""
        names = "|".join(re.escape(text) for text in dict.fromkeys([self.word(english), english]))
        return re.compile(rf"^\s*({names})\s*$")

    def before(self, template):
        """How a line showing ``template`` (a message with a ``{placeholder}``) starts: its
        words before the first placeholder, as the page shows them (Markdown's ``**`` and
        backticks gone), in this language and in English."""
        return list(dict.fromkeys(
            text.split("{", 1)[0].replace("**", "").replace("`", "")
            for text in (self.word(template), template)))

    def open(self, page, base_url, path=""):
        open_page(page, base_url, path, self.query,
                  ready=HEADING if self.sidebar_closed else NAV)
        self.check_language(page)
        self.close_sidebar(page)

    def check_language(self, page):
        """Stop, rather than file English pictures under ko/, when the session is not in the
        chosen language: the navigation's titles are translated from the first run on."""
        title = self.word("Train")
        if title == "Train":
            return
        titles = page.locator(NAV).text_content()
        if title not in titles:
            raise RuntimeError(f"the app is not in {self.lang!r} (its navigation reads "
                               f"{titles!r}) after opening it with ?{self.query}")

    def go_to(self, page, title):
        """``driver.go_to`` by the title in this language, opening a closed sidebar first.

        The page's own title may still be English while its strings wait for a translation,
        so either heading ends the wait (``either``)."""
        if page.locator(EXPAND).count():   # the sidebar is closed
            page.locator(EXPAND).first.click()
            page.locator(NAV).wait_for(state="visible")
        names = "|".join(re.escape(text) for text in dict.fromkeys([self.word(title), title]))
        page.locator(NAV).get_by_role("link", name=re.compile(rf"({names})$")).click()
        page.locator(HEADING).filter(has_text=self.either(title)).first.wait_for(timeout=LONG)
        wait_idle(page)
        self.check_language(page)
        self.close_sidebar(page)

    def close_sidebar(self, page):
        """Close the sidebar where the pages open without it (on a phone it covers the page).

        Streamlit draws the collapse button only while the sidebar is open (shown on hover)
        and the expand button only while it is closed; a closed sidebar's navigation can
        still count as visible (it slides out of the window), so the buttons tell."""
        collapse = page.locator(COLLAPSE)
        if not self.sidebar_closed or not collapse.count():
            return
        page.locator('[data-testid="stSidebarContent"]').hover()
        collapse.first.click(force=True)
        page.locator(EXPAND).first.wait_for(state="visible")
        page.wait_for_timeout(500)   # the slide-out animation


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


def font_problem(lang):
    """Why Chromium would draw ``lang`` as empty boxes, or None: no installed font has its
    letters (seen here before fonts-noto-cjk was installed). Needs fontconfig's fc-list."""
    if lang == i18n.DEFAULT or shutil.which("fc-list") is None:
        return None
    listed = subprocess.run(["fc-list", f":lang={lang}", "family"], capture_output=True,
                            text=True).stdout
    if listed.strip():
        return None
    return (f"no installed font has {i18n.LANGUAGES[lang]} letters, so the pictures would "
            f"show empty boxes; install one first (Debian: sudo apt-get install fonts-noto-cjk)")


def shown(path):
    """The path relative to the project when it is inside it."""
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


NETWORK_SHOTS = {"network", "playground"}
TRAIN_SHOTS = {"data", "train", "export", "inspector"}   # taken before leaving Train
NETWORK_PRESETS = ("One neuron — logistic regression", "Two layers — the course's 7 hidden units",
                   "Four layers — the course's 20, 7, 5")


def train_network_presets(page, visit):
    """Train the Network page's three presets in turn; the table then reads 70 → 72 → 80 %."""
    starts = visit.before("Test accuracy, run after run: **{steps}**")
    for count, preset in enumerate(NETWORK_PRESETS, start=1):
        if count > 1:
            pick(page, visit.either("Model"), visit.either(preset))
        page.get_by_role("button", name=visit.either("Train")).first.click()
        page.wait_for_function(
            """([starts, n]) => document.body.innerText.split('\\n').some(line =>
                   starts.some(start => line.startsWith(start)) && line.split('→').length === n)""",
            arg=[starts, count], timeout=LONG)
        wait_idle(page)


def pick(page, label, option, attempts=3):
    """``choose`` with a retry: a click landing while the page re-lays out can leave the list
    closed (seen on the phone-sized viewport). ``label`` and ``option`` are names or patterns
    (``Visit.either``)."""
    for _ in range(attempts - 1):
        page.get_by_role("combobox", name=label, exact=True).click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5000)
            wait_idle(page)
            return
        except Exception:
            page.keyboard.press("Escape")
    choose(page, label, option)


PLAYGROUND = "document.querySelector('.lp-root').lpView"
# The points drawn by hand for the playground's screenshot, as fractions of the picture from
# its top-left corner: a red disc of 12 points inside a blue ring of 20.
OWN_POINTS = {"1": [(0.5 + 0.12 * math.cos(2 * math.pi * k / 8), 0.5 + 0.12 * math.sin(
                    2 * math.pi * k / 8)) for k in range(8)] + [
                    (0.47, 0.47), (0.53, 0.47), (0.47, 0.53), (0.53, 0.53)],
              "0": [(0.5 + 0.3 * math.cos(2 * math.pi * k / 20),
                     0.5 + 0.3 * math.sin(2 * math.pi * k / 20)) for k in range(20)]}


def played(page, other_than=""):
    """Wait until the playground's picture has played a run (not ``other_than``) to its end;
    returns the run's id."""
    page.wait_for_function(f"""() => {{ const v = {PLAYGROUND};
        return v && v.run && v.run.id !== '{other_than}' && v.atEnd(); }}""", timeout=LONG)
    wait_idle(page)
    return page.evaluate(f"{PLAYGROUND}.run.id")


def train_playground(page, visit):
    """The playground with your own points: the flower trained (4 tanh units) with a fifth
    held out for testing; then its points cleared, a disc inside a ring clicked instead,
    and retrained with no hidden layer on the feature crosses, whose straight line is an
    ellipse in the plane."""
    box = page.locator(".st-key-playground")
    box.scroll_into_view_if_needed()
    share = box.locator(".st-key-play_test_share").get_by_role("slider")
    share.focus()
    for _ in range(4):                       # 0 % -> 20 %, in steps of 5
        share.press("ArrowRight")
    wait_idle(page)
    box.get_by_role("combobox", name=visit.either("Speed")).click()
    page.get_by_role("option", name=visit.either("full speed")).click()
    wait_idle(page)
    box.get_by_role("button", name=visit.either("Train")).first.click()
    first = played(page)
    box.locator(".lp-clear").click()
    for label, spots in OWN_POINTS.items():
        box.locator(f".lp-tool[data-tool='{label}']").click()
        corner = box.locator(".lp-map").bounding_box()
        for x, y in spots:
            page.mouse.click(corner["x"] + corner["width"] * x,
                             corner["y"] + corner["height"] * y)
    second = played(page, other_than=first)
    box.get_by_role("textbox", name=visit.either("Hidden layers")).fill("")
    box.get_by_role("textbox", name=visit.either("Hidden layers")).press("Enter")
    wait_idle(page)
    box.locator(".st-key-play_crosses label").first.click()   # the toggle: retrains
    played(page, other_than=second)
    box.locator(".lp-tool[data-tool='1']").click()   # the picture's default tool


def to_top(page):
    """Scroll the page back to its title: a click further down (Train) scrolled it, and a
    long page is cut at --max-height (on a phone the Network page began at its settings)."""
    page.evaluate("""() => { window.scrollTo(0, 0); document.querySelectorAll(
        '[data-testid="stMain"], [data-testid="stMainBlockContainer"]').forEach(
        element => element.scrollTo(0, 0)); }""")
    return page


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


def take_network(page, server, out, max_height, visit, only=None):
    visit.open(page, server.url, "network")
    if not only or "network" in only:
        train_network_presets(page, visit)
        path = screenshot(to_top(page), "network", folder=out, max_height=max_height)
        print(f"wrote {shown(path)}")
    if only and "playground" not in only:
        return
    train_playground(page, visit)
    path = shot_of(page, page.locator(".st-key-playground"), "playground", out)
    print(f"wrote {shown(path)}")


def take(page, server, out, max_height, visit, only=None):
    def shot(name):
        if only and name not in only:
            return
        path = screenshot(to_top(page), name, folder=out, max_height=max_height)
        print(f"wrote {shown(path)}")

    visit.open(page, server.url)
    shot("data")
    visit.go_to(page, "Train")
    page.get_by_role("button", name=visit.either("Train")).click()
    page.get_by_text("train accuracy: ").first.wait_for(timeout=LONG)   # the course's printout
    wait_idle(page)
    shot("train")
    if not only or "export" in only:   # the run's downloads, under its results
        section = page.locator(".st-key-export_train")
        section.scroll_into_view_if_needed()
        wait_idle(page)
        path = shot_of(page, section, "export", out)
        print(f"wrote {shown(path)}")
    if not only or "inspector" in only:
        open_replay(page)
        inspector = page.locator(".st-key-inspector_logistic")
        inspector.scroll_into_view_if_needed()
        wait_idle(page)
        path = shot_of(page, inspector, "inspector", out)
        print(f"wrote {shown(path)}")
    if only and set(only) <= TRAIN_SHOTS:
        return
    visit.go_to(page, "Normalization")
    page.get_by_role("button", name=visit.either("Compare")).click()
    page.locator(".st-key-norm_equivalence").wait_for(timeout=LONG)   # Compare's first chart
    wait_idle(page)
    shot("normalization")
    if not only or "landscape" in only:
        chart = page.locator(".st-key-landscape_chart")   # contours are a picture under it
        chart.scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        page.wait_for_timeout(500)
        chart.screenshot(path=str(out / "landscape.png"))
        print(f"wrote {shown(out / 'landscape.png')}")
    if not only or "two-scales" in only:
        chart = page.locator(".st-key-two_scales_chart")
        chart.scroll_into_view_if_needed()
        page.mouse.move(0, 0)
        page.wait_for_timeout(500)
        chart.screenshot(path=str(out / "two-scales.png"))
        print(f"wrote {shown(out / 'two-scales.png')}")
    visit.go_to(page, "Classify")
    photo = sample_photo()
    if photo is not None:
        upload(page, "classify_upload", [("cat.png", photo, "image/png")])
        # "All results": drawn once there are pictures (as a table, or cards on a phone)
        page.locator(".st-key-table_classify_results").wait_for(timeout=LONG)
        wait_idle(page)
    shot("classify")
    visit.go_to(page, "How it works")
    shot("how-it-works")
    assert "Traceback" not in main_text(page)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT,
                        help="the folder for English desktop shots; the options below add "
                             "their subfolders (default docs/screenshots)")
    parser.add_argument("--lang", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT,
                        help="open the pages with ?lang=LANG; writes to OUT/LANG/")
    window = parser.add_mutually_exclusive_group()
    window.add_argument("--phone", action="store_true",
                        help=f"a {PHONE['width']} × {PHONE['height']} phone viewport; "
                             "writes to OUT/phone/")
    window.add_argument("--present", action="store_true",
                        help=f"presenter mode (?present=1) at {PROJECTOR['width']} × "
                             f"{PROJECTOR['height']}; writes to OUT/present/")
    parser.add_argument("--max-height", type=int, default=2400,
                        help="crop very long pages to this many pixels (default 2400)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="write only these shots (data, train, export, inspector, "
                             "normalization, landscape, two-scales, classify, how-it-works, "
                             "network, playground)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    if problem := font_problem(args.lang):
        parser.error(problem)
    only = set(args.only or ())
    visit = Visit(args.lang, phone=args.phone, present=args.present)
    out = visit.folder(args.out)
    out.mkdir(parents=True, exist_ok=True)
    viewport = (PHONE if args.phone else PROJECTOR if args.present
                else {"width": args.width, "height": args.height})
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, \
            Server(data_dir=os.environ.get("LOGREG_DATA_DIR")) as server:
        browser = launch_chromium(playwright)
        warm_up(server)
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(120_000)
        if not only or only - NETWORK_SHOTS:
            take(context.new_page(), server, out, args.max_height, visit, args.only)
        if not only or only & NETWORK_SHOTS:
            take_network(context.new_page(), server, out, args.max_height, visit, args.only)
        browser.close()
    if visit.missing:
        print(f"not yet in the {args.lang} catalog, so clicked and awaited in English: "
              + "; ".join(repr(text) for text in visit.missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
