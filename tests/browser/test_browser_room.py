"""The room (issue 14) in a real Chromium: a phone's width, a projector's 1280 × 720 and the
keyboard. Screenshots go to test-artifacts/ (phone-*.png, presenter-*.png)."""
import pytest

from driver import LONG_WAIT_MS, assert_no_exception, screenshot, wait_idle

PAGES = ("", "train", "normalization", "network", "classify", "how-it-works")
NAV = '[data-testid="stSidebarNav"]'


@pytest.fixture
def sized(chromium):
    """Make a page in a fresh session with the given viewport (and phone options)."""
    contexts = []

    def make(width, height, **options):
        context = chromium.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def load(tab, url):
    """Open ``url`` and wait for the script run (the sidebar's nav may be closed)."""
    tab.goto(url)
    tab.wait_for_selector(NAV, state="attached", timeout=LONG_WAIT_MS)
    wait_idle(tab)


def box(tab, locator):
    """The element's box. The live chart is drawn anew at each tick, so for a moment it may
    have none (it failed a CI run): wait for it to be shown again, a few times."""
    for _ in range(20):
        locator.wait_for(state="visible", timeout=LONG_WAIT_MS)
        b = locator.bounding_box()
        if b is not None:
            return b
        tab.wait_for_timeout(50)
    assert b is not None, locator
    return b


def on_screen(b, height):
    return b["y"] >= 0 and b["y"] + b["height"] <= height + 1


def test_phone_pages_fit_the_width(sized, cat_server):
    """At 390 × 844 no page scrolls sideways, and the sidebar starts closed."""
    tab = sized(390, 844, is_mobile=True, has_touch=True)
    wide = {}
    for path in PAGES:
        load(tab, f"{cat_server.url}/{path}")
        tab.wait_for_timeout(500)   # charts take their width after the run
        assert_no_exception(tab)
        assert tab.locator(NAV).is_hidden(), f"/{path}: the sidebar is open"
        sizes = tab.evaluate("""() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return [main.scrollWidth, main.clientWidth, document.body.scrollWidth,
                    document.body.clientWidth]; }""")
        if sizes[0] > sizes[1] or sizes[2] > sizes[3]:
            wide[path] = sizes
        screenshot(tab, f"phone-{path or 'data'}")
    assert not wide, wide


def test_phone_sidebar_closes_after_tapping_a_page(sized, cat_server):
    tab = sized(390, 844, is_mobile=True, has_touch=True)
    load(tab, cat_server.url)
    tab.locator('[data-testid="stExpandSidebarButton"]').click()
    tab.locator(NAV).get_by_role("link", name="Train").click()
    tab.get_by_role("heading", name="Train", level=1).wait_for()
    wait_idle(tab)
    tab.wait_for_timeout(500)
    assert tab.locator(NAV).is_hidden()


def test_presenter_mode_keeps_train_curve_and_printout_on_a_projector(sized, cat_server):
    """At 1280 × 720 with ?present=1: Train, the live curve and the latest printout lines
    are on screen while training, and the final curve takes the live curve's place."""
    tab = sized(1280, 720)
    load(tab, f"{cat_server.url}/train?present=1&hide=step,params")
    assert tab.locator(NAV).is_hidden()   # a projector gets the whole width
    tab.get_by_role("combobox", name="Speed").click()
    tab.get_by_role("option", name="slow motion").click()
    wait_idle(tab)
    tab.get_by_role("button", name="Train", exact=True).click()
    stage = tab.locator(".st-key-stage")
    stage.locator(".js-plotly-plot path.js-line").first.wait_for(timeout=LONG_WAIT_MS)
    stage.get_by_text("Cost after iteration 100:").wait_for(timeout=LONG_WAIT_MS)
    assert tab.get_by_role("button", name="Stop", exact=True).is_enabled()   # still training
    live = {"train": box(tab, tab.get_by_role("button", name="Train", exact=True)),
            "curve": box(tab, stage.locator(".js-plotly-plot").first),
            "printout": box(tab, stage.locator('[data-testid="stCode"]').first)}
    screenshot(tab, "presenter-training", full_page=False)
    assert all(on_screen(b, 720) for b in live.values()), live
    stage.get_by_text("test accuracy:").wait_for(timeout=LONG_WAIT_MS)
    wait_idle(tab)
    final = box(tab, stage.locator(".js-plotly-plot").first)
    screenshot(tab, "presenter-done", full_page=False)
    assert tab.evaluate("window.scrollY") == 0
    assert on_screen(final, 720) and on_screen(box(tab, stage.get_by_text("test accuracy:")),
                                                720)
    assert abs(final["y"] - live["curve"]["y"]) < 40, (final, live["curve"])
    assert_no_exception(tab)


def test_keyboard_reaches_train_in_two_keys_with_a_visible_focus_ring(sized, cat_server):
    tab = sized(1400, 1000)
    load(tab, f"{cat_server.url}/train")
    tab.get_by_role("button", name="Train", exact=True).wait_for()   # what the link names
    tab.keyboard.press("Tab")
    skip = tab.locator("a.studio-skip")
    assert tab.evaluate("document.activeElement.className") == "studio-skip"
    assert skip.inner_text() == "Skip to: Train" and on_screen(box(tab, skip), 1000)
    tab.keyboard.press("Enter")
    focused = tab.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return [e.innerText.trim(), e.matches(':focus-visible'), s.outlineStyle,
                parseFloat(s.outlineWidth)]; }""")
    assert focused[0] == "Train" and focused[1:3] == [True, "solid"] and focused[3] >= 2, focused
    screenshot(tab, "keyboard-focus-on-train", full_page=False)


def test_focus_stays_in_the_row_when_stop_disables_itself(sized, cat_server):
    """Enter on Stop disables Stop; the focus goes to Resume instead of the page body."""
    tab = sized(1400, 1000)
    load(tab, f"{cat_server.url}/train?iterations=20000")
    tab.get_by_role("button", name="Train", exact=True).focus()
    tab.keyboard.press("Enter")
    stop = tab.get_by_role("button", name="Stop", exact=True)
    stop.wait_for()
    tab.wait_for_function("() => { const b = [...document.querySelectorAll('button')]"
                          ".find(b => b.innerText.trim() === 'Stop'); return b && !b.disabled; }",
                          timeout=LONG_WAIT_MS)
    stop.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_function("() => document.activeElement.innerText.trim() === 'Resume'",
                          timeout=30_000)
    tab.get_by_role("button", name="Reset", exact=True).click()
    wait_idle(tab)
