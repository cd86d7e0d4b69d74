"""The Normalization page in a real Chromium: the experiments run, the cost landscapes are
drawn as contours that survive ▶ Play, Step ▶ and the slider, Step moves both paths, and
the raw-pixel run is diagnosed."""
import math

from driver import (LONG_WAIT_MS, assert_no_exception, main_text, open_page, screenshot,
                    wait_idle, widened_charts)

LANDSCAPE = """() => {
    const plot = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(p => ((p.layout || {}).images || []).length === 2);
    if (!plot) return null;
    return {contourLayers: plot.querySelectorAll('.main-svg image').length,
            slider: plot.querySelector('.slider-container text.slider-label')?.textContent,
            dots: plot.data.filter(t => t.name === 'now').map(t => [t.x[0], t.y[0]])};
}"""


def test_normalization_experiments_landscape_and_diagnosis(tab, cat_server):
    open_page(tab, cat_server.url, "normalization")
    tab.get_by_role("button", name="Compare", exact=True).click()
    tab.get_by_text("generalizes best").first.wait_for(timeout=LONG_WAIT_MS)
    wait_idle(tab)
    assert_no_exception(tab)

    # The raw-pixel run is diagnosed in red, with the learning rate that would be safe (in
    # the expander of details: the lesson comes first).
    tab.get_by_text("What each run's numbers say").click()
    tab.locator('[data-testid="stAlertContentError"]').first.wait_for(timeout=LONG_WAIT_MS)
    errors = tab.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    raw = [e for e in errors if "raw pixels" in e]
    assert raw and "far too large for this scaling" in raw[0], errors
    assert "up to 5.6e-08" in raw[0]
    # Each chart drawn once: studio.display.figures.base.AXES_MARGIN.
    assert widened_charts(tab) == []

    # The landscape: two contour panels, drawn, at the last iteration; Step goes to 1.
    tab.locator(".st-key-landscape_chart").scroll_into_view_if_needed()
    drawn = tab.evaluate(LANDSCAPE)
    assert drawn and drawn["contourLayers"] == 2, drawn
    assert drawn["slider"].strip() == "iteration 1000"
    last = drawn["dots"]
    step = tab.locator(".st-key-landscape_chart .updatemenu-button").filter(has_text="Step")
    step.click()
    tab.wait_for_function(
        "() => (" + LANDSCAPE + ")().slider.trim() === 'iteration 1'", timeout=10_000)
    step.click()
    tab.wait_for_function(
        "() => (" + LANDSCAPE + ")().slider.trim() === 'iteration 2'", timeout=10_000)
    moved = tab.evaluate(LANDSCAPE)["dots"]
    assert moved != last and all(math.isfinite(v) for dot in moved for v in dot)
    assert tab.evaluate(LANDSCAPE)["contourLayers"] == 2          # kept through Step
    # ▶ Play, then the slider: the contours stay under the moving path at every moment
    # (an animated contour trace vanished on the first frame).
    tab.locator(".st-key-landscape_chart .updatemenu-button").filter(has_text="Play").click()
    seen = []
    for _ in range(8):
        tab.wait_for_timeout(120)
        seen.append(tab.evaluate(LANDSCAPE)["contourLayers"])
    assert seen == [2] * 8, seen
    rail = tab.locator(".st-key-landscape_chart .slider-rail-rect").first.bounding_box()
    tab.mouse.click(rail["x"] + rail["width"] * 0.3, rail["y"] + rail["height"] / 2)
    tab.wait_for_timeout(300)
    assert tab.evaluate(LANDSCAPE)["contourLayers"] == 2
    assert "These settings undo the point of the example" not in main_text(tab)
    assert_no_exception(tab)
    screenshot(tab, "normalization")
