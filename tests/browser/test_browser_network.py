"""The Network page in a real Chromium: the course's four-layer preset trained live on the
cat data, ending on the course's 80 %."""
import re

from driver import (assert_no_exception, choose, live_view, main_text, open_page,
                    screenshot, shows, wait_idle, widened_charts)

LONG = 240_000
FOUR = "Four layers — the course's 20, 7, 5"


def test_four_layer_preset_trains_live_to_80_percent(tab, cat_server):
    open_page(tab, cat_server.url, "network")
    tab.get_by_role("heading", name="Network", level=1).wait_for()
    choose(tab, "Model", FOUR)
    shows(tab.get_by_label("Hidden layers", exact=True).first, "20,7,5")
    tab.get_by_role("button", name="Train", exact=True).first.click()

    # Sample the live panel while it runs: the progress text and where the drawn curve ends.
    seen_iterations, seen_ends = set(), set()
    while "run after run" not in main_text(tab):
        match = re.search(r"12288-20-7-5-1 · iteration ([\d,]+) / 2,500", main_text(tab))
        if match:
            seen_iterations.add(int(match.group(1).replace(",", "")))
            view = live_view(tab)
            if view:
                seen_ends.add(view["position"])
        tab.wait_for_timeout(150)
        assert_no_exception(tab)
    wait_idle(tab)
    assert len(seen_iterations) > 1, seen_iterations
    assert len(seen_ends) > 1, seen_ends
    text = main_text(tab)
    # The table is drawn on a canvas; the line under it says what its test column holds.
    assert "Test accuracy, run after run: 80.0 %" in text
    assert "What the first layer looks at" in text
    assert_no_exception(tab)
    # Each chart drawn once: studio.display.figures.base.AXES_MARGIN.
    assert widened_charts(tab) == []
    screenshot(tab, "network-four-layers")
