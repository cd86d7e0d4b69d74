"""The run inspector in a real Chromium: train the course's run, scrub the replay back to
iteration 0 in the browser, move the threshold, click a test picture, check what is shown."""
from driver import (assert_no_exception, go_to, main_text, open_page, open_replay, screenshot,
                    wait_idle)

LONG = 240_000
REPLAY_TITLE = """() => { const plot = Array.from(document.querySelectorAll('.js-plotly-plot'))
    .find(p => ((p._transitionData || {})._frames || []).length);
    return plot ? plot.querySelector('.gtitle').textContent : ''; }"""


def replay_title(tab):
    return tab.evaluate(REPLAY_TITLE)


def wait_for_title(tab, condition):
    tab.wait_for_function(f"() => ({REPLAY_TITLE})().{condition}", timeout=LONG)


def test_scrub_move_the_threshold_and_click_a_picture(tab, cat_server):
    open_page(tab, cat_server.url)
    go_to(tab, "Train")
    tab.get_by_role("button", name="Train", exact=True).click()
    tab.get_by_text("Look inside the run").wait_for(timeout=LONG)
    wait_idle(tab)
    assert "was lowest at iteration 150" in main_text(tab)
    # The replay is built when its expander is opened, and stays open for the session.
    assert replay_title(tab) == ""
    open_replay(tab)
    go_to(tab, "Classify")
    go_to(tab, "Train")
    wait_for_title(tab, "includes('Misclassified test images (15 of 50)')")
    # The replay's own slider: its left end is iteration 0, drawn without a rerun.
    rail = tab.locator(".js-plotly-plot .slider-rail-rect").first
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    tab.mouse.click(box["x"] + 2, box["y"] + box["height"] / 2)
    wait_for_title(tab, "startsWith('Iteration 0 ')")
    # w = 0: every P(cat) is 0.5, not above the threshold, so all 33 cats are wrong.
    title = replay_title(tab)
    assert "Misclassified test images (33 of 50)" in title and "recall 0%" in title
    # Click the first test picture of the mosaic (#0): its story replaces the default one,
    # marked at the iteration on screen, and the replay stays there.
    assert "Test picture #0 " not in main_text(tab)
    mosaic = tab.locator(".js-plotly-plot .imagelayer image").last
    mosaic.scroll_into_view_if_needed()
    box = mosaic.bounding_box()
    tab.mouse.click(box["x"] + box["width"] / 20, box["y"] + box["height"] / 10)
    tab.get_by_text("Test picture #0 ").wait_for(timeout=LONG)
    wait_idle(tab)
    assert replay_title(tab).startswith("Iteration 0 ")
    assert tab.locator(".js-plotly-plot .textpoint", has_text="iteration 0").count() == 1
    # The threshold moves the replay's numbers, still at iteration 0.
    threshold = tab.get_by_role("slider", name="Decision threshold")
    threshold.scroll_into_view_if_needed()
    threshold.press("PageUp")   # ten steps of 0.01 each: one rerun, not ten
    threshold.press("PageUp")
    tab.get_by_text("Classify now answers with 0.70").wait_for(timeout=LONG)
    wait_idle(tab)
    wait_for_title(tab, "includes('threshold 0.70:')")
    assert replay_title(tab).startswith("Iteration 0 ")
    assert_no_exception(tab)
    screenshot(tab, "inspector")
