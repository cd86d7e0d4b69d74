"""Two people on one server at the same time: each session trains and classifies with its own
parameters, never the other's."""
import io
import re

import numpy as np
import pytest
from PIL import Image

from driver import (all_plotly_traces, assert_no_exception, has_value, main_text, open_page,
                    screenshot, upload, wait_idle)
from logreg.images import image_to_array
from logreg.pipeline import fit

RATES = (0.005, 0.0005)
LONG = 240_000


@pytest.fixture(scope="module")
def expected(cat_dataset):
    """{rate: (model, evaluation)} trained in this process with the page's defaults."""
    models = {rate: fit(cat_dataset, 2000, rate, "divide255") for rate in RATES}
    return {rate: (model, model.evaluate(cat_dataset)) for rate, model in models.items()}


def test_two_sessions_train_at_once_and_classify_with_their_own(tab, make_context, cat_server,
                                                                  cat_dataset, expected):
    # Two browsers: the worker's shared page (conftest.Tabs, wiped: no cookie) and a new one.
    pages = [tab, make_context().new_page()]
    tabs = {}
    for rate, tab in zip(RATES, pages):
        open_page(tab, cat_server.url, "train", query=f"lr={rate:g}")
        has_value(tab, "Learning rate", f"{rate:g}")
        tabs[rate] = tab
    for tab in tabs.values():
        tab.get_by_role("button", name="Train", exact=True).click()

    # Both run at the same time: each live panel shows a partial count before either ends.
    running = {rate: False for rate in RATES}
    while not all(running.values()):
        for rate, tab in tabs.items():
            text = main_text(tab)
            assert "train accuracy: " not in text or running[rate], \
                "a session finished before the other had started"
            if re.search(r"iteration [1-9][\d,]* / 2,000", text):
                running[rate] = True
        next(iter(tabs.values())).wait_for_timeout(100)

    for rate, tab in tabs.items():
        model, scores = expected[rate]
        tab.get_by_text(f"train accuracy: {scores.train_accuracy} %").first.wait_for(
            timeout=LONG)
        wait_idle(tab)
        text = main_text(tab)
        own = f"Cost after iteration 1900: {model.costs[1900]:f}"
        other_model, _ = expected[RATES[1 - RATES.index(rate)]]
        other = f"Cost after iteration 1900: {other_model.costs[1900]:f}"
        assert own != other
        assert own in text and other not in text
        assert f"test accuracy: {scores.test_accuracy} %" in text
        assert f"learning rate {rate:g}" in text
        # The session's cost chart is its own curve, point for point.
        curve = next(trace for traces in all_plotly_traces(tab) for trace in traces
                     if len(trace["y"]) == 2000)
        assert np.allclose(curve["y"], model.costs[:2000], rtol=1e-9)
        assert_no_exception(tab)
        screenshot(tab, f"concurrent-train-lr{rate:g}")

    # Classify the same picture in both sessions: each uses its own parameters.
    picture = cat_dataset.test_set_x_orig[1]
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="PNG")
    data = buffer.getvalue()
    shown = {}
    for rate, tab in tabs.items():
        tab.locator('[data-testid="stSidebarNav"]').get_by_role(
            "link", name=re.compile(r"Classify$")).click()
        tab.get_by_role("heading", name="Classify", level=1).wait_for()
        wait_idle(tab)
        upload(tab, "classify_upload", [("same.png", data, "image/png")])
        tab.get_by_text("All results").wait_for(timeout=LONG)
        wait_idle(tab)
        match = re.search(r"P\(cat\) = ([\d.]+)", main_text(tab))
        shown[rate] = match.group(1)
        model, _ = expected[rate]
        p = float(model.predict_proba(image_to_array(data, 64, 3)[np.newaxis])[0])
        assert shown[rate] == f"{p:.4f}", (rate, shown[rate], p)
        assert_no_exception(tab)
        screenshot(tab, f"concurrent-classify-lr{rate:g}")
    assert shown[RATES[0]] != shown[RATES[1]]

