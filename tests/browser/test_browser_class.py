"""A class pressing Train at the same moment: every page shows its own whole run (issue 30).

Its own file, so that pytest-xdist runs it beside test_browser_concurrent.py's two sessions.
"""
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from driver import (all_plotly_traces, assert_no_exception, go_to, main_text, open_page,
                    script_state, wait_idle)
from logreg.pipeline import fit

LONG = 240_000


CLASS = 4   # pages pressing Train in the same moment (issue 30 lost the curve in 1–3 of 4)


def press_together(tabs, key):
    """Click the button with widget key ``key`` in every tab at one clock time, so the runs
    truly overlap (clicking tab after tab spreads them over the clicks' round trips).

    Each page finds its button when its moment comes, not before: a button found early may
    have been replaced or be disabled for a moment by then, and a click on it is lost
    (a full run once waited 240 s for a run that one of four pages never started). Each
    page records whether and when it clicked, for :func:`wait_in_every_tab`'s report."""
    at = tabs[0].evaluate("Date.now()") + 1000
    for tab in tabs:
        tab.evaluate("""([key, at]) => {
            window.__studioPressed = null;
            const press = () => {
                const button = document.querySelector(`.st-key-${key} button`);
                if (button && !button.disabled) {
                    button.click();
                    window.__studioPressed = Date.now() - at;
                } else if (Date.now() - at < 10000) {
                    setTimeout(press, 50);
                }
            };
            setTimeout(press, Math.max(0, at - Date.now())); }""", [key, at])


def wait_in_every_tab(tabs, locate, what):
    """Wait until ``locate(tab)`` shows in every tab; on a timeout, fail with what each
    page shows (its press, its status, its text) rather than a bare timeout."""
    for number, tab in enumerate(tabs):
        try:
            locate(tab).wait_for(timeout=LONG)
        except PlaywrightTimeoutError:
            report = [f"page {n}: pressed {t.evaluate('window.__studioPressed')} ms after the "
                      f"moment, script {script_state(t)}: {main_text(t)[:600]!r}"
                      for n, t in enumerate(tabs)]
            raise AssertionError(f"page {number} never showed {what}:\n"
                                 + "\n".join(report)) from None
        wait_idle(tab)


def stage_of(tab, key):
    """(the text, the plotly charts' trace lengths) of the keyed container ``key``."""
    return tab.evaluate("""(key) => {
        const box = document.querySelector(`.st-key-${key}`);
        if (!box) return [null, []];
        return [box.innerText, Array.from(box.querySelectorAll('.js-plotly-plot'),
                                          p => (p.data || []).map(t => (t.y || []).length))];
    }""", key)


def test_a_class_pressing_train_together_each_sees_its_curve_printout_and_results(
        tab, make_context, cat_server, cat_dataset):
    """Every page shows the whole run (curve, printout, results) after a simultaneous press,
    on Train, for the Network page's model and for the playground (issue 30)."""
    model = fit(cat_dataset, 2000, 0.005, "divide255")
    scores = model.evaluate(cat_dataset)
    last_line = f"Cost after iteration 1900: {model.costs[1900]:f}"
    tabs = [tab] + [make_context().new_page() for _ in range(CLASS - 1)]
    for tab in tabs:
        open_page(tab, cat_server.url, "train")
    press_together(tabs, "train_speed_train")
    accuracy = f"train accuracy: {scores.train_accuracy} %"
    wait_in_every_tab(tabs, lambda tab: tab.get_by_text(accuracy).first, "the results")
    for number, tab in enumerate(tabs):
        text, charts = stage_of(tab, "stage")
        assert text is not None and last_line in text, f"page {number}: no printout: {text!r}"
        assert [2000] in charts, f"page {number}: no whole cost curve: {charts}"
        assert f"test accuracy: {scores.test_accuracy} %" in main_text(tab)
        assert_no_exception(tab)

    # The Network page: its one-neuron model (the default) and then the playground.
    for tab in tabs:
        go_to(tab, "Network")
    press_together(tabs, "net_speed_train")
    wait_in_every_tab(tabs, lambda tab: tab.get_by_text("run after run"), "the network's table")
    for number, tab in enumerate(tabs):
        text = main_text(tab)
        assert "iteration 2,000 / 2,000" in text, f"network page {number}: no final count"
        # The table is a canvas; the line under it says what its test column holds.
        assert f"run after run: {scores.test_accuracy:.1f} %" in text, \
            f"network page {number}: no table row"
        curve = all_plotly_traces(tab)[0][0]["y"]   # the curve keeps 500 of 2,000 points
        assert len(curve) == 500, f"network page {number}: no whole cost curve: {len(curve)}"
    press_together(tabs, "play_speed_train")
    wait_in_every_tab(tabs, lambda tab: tab.locator(".st-key-playground").get_by_text(
        "iteration 5,000 / 5,000"), "the playground's last iteration")
    for number, tab in enumerate(tabs):
        text, _ = stage_of(tab, "playground")
        drawn = tab.evaluate("document.querySelector('.lp-root').lpView.draws")
        assert "training accuracy" in text and "90.75 %" in text and drawn, \
            f"playground {number}: {text!r}, {drawn} redraws"
        assert_no_exception(tab)
