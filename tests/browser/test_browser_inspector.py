"""The run inspector in a real Chromium: train the course's run, scrub back to the
iteration where the test cost was lowest, move the threshold, and check what is shown."""
from driver import assert_no_exception, go_to, main_text, open_page, screenshot, wait_idle

LONG = 240_000


def metric_values(tab):
    return tab.locator('[data-testid="stMetricValue"]').all_inner_texts()


def test_scrub_and_move_the_threshold(tab, cat_server):
    open_page(tab, cat_server.url)
    go_to(tab, "Train")
    tab.get_by_role("button", name="Train", exact=True).click()
    tab.get_by_text("Look inside the run").wait_for(timeout=LONG)
    wait_idle(tab)
    assert "was lowest at iteration 150" in main_text(tab)
    frames = tab.get_by_role("slider", name="Iteration")
    frames.scroll_into_view_if_needed()
    assert frames.get_attribute("aria-valuetext") == "2000"
    # Frames are 6 iterations apart on this run: 2000 → 1998 is one step, then to 150.
    frames.press("ArrowLeft")
    tab.wait_for_function("() => document.body.innerText.includes('1,998')", timeout=LONG)
    frames.press("Home")
    tab.wait_for_function("() => document.body.innerText.includes("
                          "'Misclassified test pictures at this iteration: 33 of 50')",
                          timeout=LONG)
    wait_idle(tab)
    # Iteration 0: w = 0, every P(cat) is 0.5, not above the threshold: all 33 cats wrong.
    assert metric_values(tab)[3] == "0"
    threshold = tab.get_by_role("slider", name="Decision threshold")
    for _ in range(20):
        threshold.press("ArrowRight")
    tab.get_by_text("At threshold 0.70").wait_for(timeout=LONG)
    wait_idle(tab)
    text = main_text(tab)
    # Nothing is above 0.7 at iteration 0: no precision to speak of, recall 0 %.
    assert "precision — " in text and "recall 0%" in text
    assert "Classify now answers with 0.70" in text
    assert_no_exception(tab)
    screenshot(tab, "inspector")
