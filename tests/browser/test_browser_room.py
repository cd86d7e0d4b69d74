"""The room (issue 14) in a real Chromium: a phone's width, a projector's 1280 × 720 and the
keyboard. Screenshots go to test-artifacts/ (phone-*.png, presenter-*.png)."""
import pytest

from driver import LONG_WAIT_MS, assert_no_exception, screenshot, wait_idle

PAGES = ("", "train", "normalization", "network", "classify", "how-it-works")
NAV = '[data-testid="stSidebarNav"]'


@pytest.fixture
def sized(tabs, make_context):
    """Make a page in a fresh session with the given viewport: the worker's shared page
    (conftest.Tabs), or a new context for phone options, which a context fixes."""
    shared = []

    def make(width, height, **options):
        viewport = {"width": width, "height": height}
        if options:
            return make_context(viewport=viewport, **options).new_page()
        page = tabs.take()
        shared.append(page)
        page.set_viewport_size(viewport)
        return page

    yield make
    if shared:
        tabs.wipe()


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


PHONE = {"width": 390, "height": 844}
# At a phone's width: the widest element of the page (its scrolling width where it scrolls),
# and every element that reaches past the window's edges or scrolls sideways inside itself
# (a table, a printout, a formula) as [what, by how many px].
OVERFLOWING_JS = """() => {
    const width = document.documentElement.clientWidth, found = [];
    const main = document.querySelector('[data-testid="stMain"]');
    // Text only for screen readers (a formula's MathML, a slider's input) sits in a box
    // of 1 px that hides what overflows it; a drawing (a chart's svg) clips its own parts.
    const unseen = e => { if (e.parentElement.closest('svg')) return true;
        for (let a = e.parentElement; a && a !== main; a = a.parentElement) {
        const box = a.getBoundingClientRect();
        if ((box.width <= 2 || box.height <= 2) && getComputedStyle(a).overflow !== 'visible')
            return true; } return false; };
    let widest = 0;
    for (const e of main.querySelectorAll('*')) {
        const box = e.getBoundingClientRect(), style = getComputedStyle(e);
        if (box.width <= 2 || box.height <= 2 || style.visibility === 'hidden' || unseen(e))
            continue;
        const scrolls = ['auto', 'scroll'].includes(style.overflowX)
            && e.scrollWidth > e.clientWidth + 1;
        widest = Math.max(widest, scrolls ? e.scrollWidth : box.width);
        const past = Math.max(box.right - width, -box.left, 0);
        if (past > 1 || scrolls) {
            const owner = e.closest('[data-testid]');
            found.push([`${e.tagName.toLowerCase()} in ${owner && owner.dataset.testid}: `
                        + (e.innerText || e.textContent || '').trim().slice(0, 40),
                        Math.round(scrolls ? e.scrollWidth - e.clientWidth : past)]);
        }
    }
    return [Math.round(widest), found]; }"""


def narrow_charts(tab, least=300):
    """The charts drawn narrower than ``least`` px (squeezed side by side on a phone)."""
    return tab.evaluate("""(least) => Array.from(document.querySelectorAll(
        '[data-testid="stMain"] .js-plotly-plot')).map(e => e.getBoundingClientRect().width)
        .filter(w => w > 0 && w < least).map(Math.round)""", least)


def press(tab, selector):
    """Click the shown one of ``selector`` (Streamlit keeps a hidden copy of some buttons)."""
    tab.locator(selector).locator("visible=true").first.click()


def test_phone_pages_fit_the_width(sized, cat_server):
    """At 390 × 844, in Korean and with every page's results shown (issue 26): nothing is
    wider than the window or scrolls sideways (tables become cards, printouts wrap), charts
    are stacked rather than squeezed side by side, Classify takes at most 1.2 screens per
    photo, and the sidebar starts closed."""
    tab = sized(PHONE["width"], PHONE["height"], is_mobile=True, has_touch=True)
    wide, squeezed, widths = {}, {}, {}
    for path in PAGES:
        load(tab, f"{cat_server.url}/{path}?lang=ko")
        assert tab.locator(NAV).is_hidden(), f"/{path}: the sidebar is open"
        if path == "train":
            press(tab, ".st-key-train_speed_train button")
            tab.get_by_text("test accuracy:").first.wait_for(timeout=LONG_WAIT_MS)
        elif path == "normalization":
            press(tab, '[data-testid="stMain"] button[kind="primary"]')   # Compare
            tab.locator(".st-key-norm_equivalence").wait_for(timeout=LONG_WAIT_MS)
        elif path == "network":
            press(tab, ".st-key-net_speed_train button")
            tab.locator(".st-key-table_net_runs").wait_for(timeout=LONG_WAIT_MS)
        elif path == "classify":
            if tab.locator('[data-testid="stMain"] button[kind="primary"]').count():
                press(tab, '[data-testid="stMain"] button[kind="primary"]')   # train one
                wait_idle(tab)
            press(tab, ".st-key-classify_samples button")
            tab.locator('[class*="st-key-photo_"]').nth(7).wait_for(timeout=LONG_WAIT_MS)
        wait_idle(tab)
        tab.wait_for_timeout(500)   # charts take their width after the run
        assert_no_exception(tab)
        widths[path or "data"], overflowing = tab.evaluate(OVERFLOWING_JS)
        if overflowing:
            wide[path or "data"] = overflowing[:5]
        if narrow := narrow_charts(tab):
            squeezed[path or "data"] = narrow
        if path == "classify":
            cards = tab.evaluate("""() => Array.from(document.querySelectorAll(
                '[class*="st-key-photo_"]'), e => e.getBoundingClientRect()).map(
                b => [b.top, b.bottom])""")
        screenshot(tab, f"phone-{path or 'data'}", max_height=12_000)
    per_photo = (cards[-1][1] - cards[0][0]) / len(cards)
    print("widest element per page (px):", widths)
    print(f"Classify: {per_photo:.0f} px per photo ({per_photo / PHONE['height']:.2f} screens)")
    assert not wide, wide
    assert not squeezed, squeezed
    assert len(cards) == 8 and per_photo <= 1.2 * PHONE["height"], cards


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
    stage.get_by_text("Cost after iteration 100:").wait_for(timeout=LONG_WAIT_MS)
    assert tab.get_by_role("button", name="Stop", exact=True).is_enabled()   # still training
    # The live curve is the live panel's canvas (studio/assets/live.js), the final one plotly.
    live = {"train": box(tab, tab.get_by_role("button", name="Train", exact=True)),
            "curve": box(tab, stage.locator(".lv-curve").first),
            "printout": box(tab, stage.locator(".lv-printout").first)}
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


PROJECTOR = {"width": 1280, "height": 720}
# Presenter mode's text sizes in px: the body (the first paragraph), and every printout,
# chart text (ticks, axis titles, legends, annotations, the player's labels) and table cell
# as [size, where, what] for the ones shown.
TEXT_SIZES_JS = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const size = e => parseFloat(getComputedStyle(e).fontSize);
    const shown = e => { const b = e.getBoundingClientRect();
                         return b.width > 0 && b.height > 0; };
    const where = e => ((e.closest('[class*="st-key-"]') || {className: ''}).className
                        .match(/st-key-\\S+/) || ['page'])[0];
    const kinds = {printout: '[data-testid="stCode"] code, .lv-printout, .lv-status',
                   'chart tick': '.js-plotly-plot g[class*="tick"] > text',
                   'axis title': '.js-plotly-plot text[class*="title"]',
                   'chart text': '.js-plotly-plot text:not([class*="title"])',
                   'table cell': '.studio-table th, .studio-table td'};
    const found = {};
    for (const [kind, selector] of Object.entries(kinds)) {
        found[kind] = Array.from(main.querySelectorAll(selector)).filter(shown).map(
            e => [size(e), where(e), e.textContent.trim().slice(0, 30)]);
    }
    return [size(main.querySelector('[data-testid="stMarkdownContainer"] p')), found]; }"""


def small_text(tab, sizes):
    """The printouts, chart texts and table cells smaller than the body; ``sizes`` collects
    {kind: sizes seen} for the report."""
    body, found = tab.evaluate(TEXT_SIZES_JS)
    sizes.setdefault("body", set()).add(body)
    small = []
    for kind, texts in found.items():
        sizes.setdefault(kind, set()).update(size for size, _, _ in texts)
        small += [(kind, *text) for text in texts if text[0] < body - 0.01]
    return small[:5]


def test_presenter_mode_fits_each_page_on_a_projector(sized, cat_server):
    """At 1280 × 720 with ?present=1 (issue 26): each page's main button and its result are
    on the first screen (Data: the shapes and the pictures; Train: the curve and the
    printout; Normalization: Compare and the three curves; Network: Train, the curve and the
    drawing; Classify: the drop zone and the first answer), and no printout, chart text or
    table cell is smaller than the body text."""
    tab = sized(PROJECTOR["width"], PROJECTOR["height"])
    height, sizes, small, off = PROJECTOR["height"], {}, {}, {}

    def visit(path, act, parts):
        load(tab, f"{cat_server.url}/{path}?present=1")
        assert tab.locator(NAV).is_hidden()
        act()
        wait_idle(tab)
        tab.wait_for_timeout(500)   # charts take their size after the run
        assert_no_exception(tab)
        boxes = {name: box(tab, tab.locator(selector).locator("visible=true").first)
                 for name, selector in parts.items()}
        if outside := {name: b for name, b in boxes.items() if not on_screen(b, height)}:
            off[path or "data"] = outside
        if found := small_text(tab, sizes):
            small[path or "data"] = found
        screenshot(tab, f"presenter-{path or 'data'}", full_page=False)

    def train():
        press(tab, ".st-key-train_speed_train button")
        tab.locator(".st-key-stage").get_by_text("test accuracy:").wait_for(timeout=LONG_WAIT_MS)

    def compare():
        tab.get_by_role("button", name="Compare", exact=True).click()
        tab.locator(".st-key-norm_equivalence").wait_for(timeout=LONG_WAIT_MS)

    def train_network():
        press(tab, ".st-key-net_speed_train button")
        tab.locator(".st-key-table_net_runs").wait_for(timeout=LONG_WAIT_MS)

    def samples():
        if tab.get_by_role("button", name="Train with the defaults").count():
            tab.get_by_role("button", name="Train with the defaults").click()
            wait_idle(tab)
        tab.get_by_role("button", name="Try the sample photos").click()
        tab.locator('[class*="st-key-photo_"]').first.wait_for(timeout=LONG_WAIT_MS)

    visit("", lambda: None, {"shapes": '[data-testid="stMetric"] >> nth=4',
                             "pictures": '[data-testid="stImage"] img'})
    visit("train", train, {"Train": ".st-key-train_speed_train button",
                           "curve": ".st-key-stage .js-plotly-plot",
                           "accuracies": '.st-key-stage [data-testid="stCode"]'})
    visit("normalization", compare, {
        "Compare": '[data-testid="stMain"] button[kind="primary"]',
        **{mode: f".st-key-norm_chart_{mode} .js-plotly-plot"
           for mode in ("raw", "divide255", "zscore")}})
    visit("network", train_network, {"Train": ".st-key-net_speed_train button",
                                     "curve": ".st-key-net_cost .js-plotly-plot",
                                     "drawing": ".st-key-net_diagram .js-plotly-plot"})
    visit("classify", samples, {
        "drop zone": '[data-testid="stFileUploaderDropzone"]',
        "answer": '[class*="st-key-photo_"] [data-testid="stMarkdownContainer"] h3',
        "probability": '[class*="st-key-photo_"] .js-plotly-plot'})   # both models answer
    visit("how-it-works", lambda: None, {"step": '[data-testid="stMain"] h2',
                                         "formula": ".katex-display"})
    print("presenter mode's text sizes (px):",
          {kind: sorted(seen) for kind, seen in sizes.items()})
    assert not off, off
    assert not small, small
    assert sizes["body"] == {19.0}, sizes["body"]   # presenter.BODY_PX
    assert all(sizes[kind] for kind in ("printout", "chart tick", "axis title", "table cell"))


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
    try:
        tab.wait_for_function("() => document.activeElement.innerText.trim() === 'Resume'",
                              timeout=30_000)
    except Exception as error:   # say where the focus went and what each button was
        state = tab.evaluate("""() => {
            const row = ['Train', 'Stop', 'Resume', 'Reset'].map(name => {
                const b = [...document.querySelectorAll('.stMain button')]
                    .find(b => b.innerText.trim() === name);
                return name + (b ? (b.disabled ? ' (off)' : '') : ' (none)'); });
            const live = document.querySelector('.stMain [class*="lv-"]');
            return [document.activeElement.innerText.trim(), row,
                    (live ? live.innerText : '').slice(0, 120),
                    document.querySelector('.stMain').innerText.includes('Stopped at')]; }""")
        raise AssertionError(f"focus on {state[0]!r}, buttons {state[1]}, live panel "
                             f"{state[2]!r}, stopped notice {state[3]}") from error
    tab.get_by_role("button", name="Reset", exact=True).click()
    wait_idle(tab)


ROW = ('<div data-testid="stHorizontalBlock">' + "".join(
    f'<div class="st-key-t_{name}"><button>{name}</button></div>'
    for name in ("train", "stop", "resume", "reset")) + "</div>")


def test_focus_moves_on_when_a_rerun_reaches_the_page_in_pieces(tab):
    """A loaded server's rerun reaches the page over several frames: Stop turns off a
    frame before Resume turns on. For that frame the focus stands in on Reset, then moves
    to Resume, the nearest; a button the user then chose keeps it."""
    from studio.display.presenter import KEYBOARD_JS

    script = KEYBOARD_JS.replace("SKIP_TEXT", '"Skip to: {button}"')
    tab.set_content(f"<body>{ROW}<script>{script}</script></body>")
    button = lambda name: f".st-key-t_{name} button"                      # noqa: E731
    settle = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 50)))"
    active = "() => document.activeElement.innerText"
    tab.evaluate(f"() => document.querySelector('{button('resume')}').disabled = true")
    tab.focus(button("stop"))
    tab.keyboard.press("Enter")
    tab.evaluate(f"() => document.querySelector('{button('stop')}').disabled = true")
    tab.evaluate(settle)
    assert tab.evaluate(active) == "reset"                # the stand-in, for one frame
    tab.evaluate(f"() => document.querySelector('{button('resume')}').disabled = false")
    tab.evaluate(settle)
    assert tab.evaluate(active) == "resume"
    tab.focus(button("train"))                            # the user's own choice stays
    tab.evaluate(f"() => document.querySelector('{button('reset')}').disabled = true")
    tab.evaluate(settle)
    assert tab.evaluate(active) == "train"


def test_the_live_panel_asks_for_the_page_again_when_its_stop_disagrees(tab):
    """A loaded server can lose the page run that drew Stop off after a press, while the
    panel's own run arrives and says "stopped": the row then offers Stop and not Resume.
    The panel notices (two seconds after its data) and asks once for the whole page."""
    from studio.sections import live_panel

    html = (live_panel.ASSETS / "live.html").read_text(encoding="utf-8")
    script = (live_panel.SHARED_JS + (live_panel.ASSETS / "live.js").read_text(encoding="utf-8")
              + "\nwindow.__live = live;")
    tab.set_content(f'<body><div class="st-key-train_speed_stop"><button>Stop</button></div>'
                    f'<div id="panel">{html}</div><script type="module">{script}</script></body>')
    tab.wait_for_function("() => window.__live")
    show = """status => { window.__asked = window.__asked || [];
        window.__live({data: {id: 7, status, total: 100, received: 40, pace: 160,
                              curve: [[0, 40], [0.69, 0.5]], printout: null, lines: 14,
                              height: 200, title: '', words: {status: '{iteration}',
                              curve: 'cost J', waiting: ''}},
                       parentElement: document.getElementById('panel'),
                       setTriggerValue: (name, value) => {
                           if (name === 'stale') window.__asked.push(value.status); }}); }"""
    asked = "() => window.__asked"
    tab.evaluate(show, "stopped")                     # the panel: stopped; the row: Stop on
    tab.wait_for_function("() => window.__asked.length > 0", timeout=5_000)
    tab.evaluate(show, "stopped")                     # asked once per run and state
    tab.wait_for_timeout(2_300)
    assert tab.evaluate(asked) == ["stopped"]
    tab.evaluate("() => document.querySelector('.st-key-train_speed_stop button')"
                 ".disabled = true")
    tab.evaluate(show, "stopped")                     # the row agrees now: nothing to ask
    tab.wait_for_timeout(2_300)
    assert tab.evaluate(asked) == ["stopped"]
