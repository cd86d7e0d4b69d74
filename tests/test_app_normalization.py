"""The Normalization page: three finite cost curves side by side, kept across page switches."""
import json
import math

from app_support import (all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         open_page)


def chart(at, title_fragment):
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        titles = " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))
        if title_fragment in titles:
            return spec
    raise AssertionError(f"no chart with {title_fragment!r}")


def test_compare_draws_finite_curves_side_by_side(cat_data):
    at = open_page(new_app(), "pages/normalization.py")
    button(at, "Compare").click().run()
    assert not at.exception
    spec = chart(at, "raw pixels")
    assert [trace["name"] for trace in spec["data"]] == [
        "raw pixels (0–255)", "divided by 255", "z-score (per pixel)"]
    for trace in spec["data"]:
        assert len(trace["y"]) == 2000
        assert all(y is not None and math.isfinite(y) for y in trace["y"])
    # Side by side: one x axis per panel, all matched to the first.
    assert spec["layout"]["xaxis2"]["matches"] == "x"
    raw, scaled = spec["data"][0]["y"], spec["data"][1]["y"]
    assert max(raw) > 100 * max(scaled)  # raw pixels jump far above ln 2
    assert scaled[1900] == 0.14087233159640106 or abs(scaled[1900] - 0.140872) < 5e-7
    text = all_text(at)
    assert "train accuracy: 99.04306220095694 %" in text
    assert "test accuracy: 70.0 %" in text

    # The log-scale toggle and the overlay view redraw the same curves.
    at.toggle(key="norm_log").set_value(True).run()
    at.get("button_group")[0].set_value("overlay").run()
    spec = json.loads(next(c for c in at.get("plotly_chart")).proto.spec)
    assert spec["layout"]["yaxis"]["type"] == "log" and len(spec["data"]) == 3

    # Leaving the page and coming back keeps the results.
    open_page(at, "pages/data.py")
    open_page(at, "pages/normalization.py")
    assert "train accuracy: 99.04306220095694 %" in all_text(at)


def test_learning_rate_comparison_and_the_seed_figure(cat_data):
    at = open_page(new_app(), "pages/normalization.py")
    # The seed's Figure 1 is drawn without a click, with its controls.
    assert at.number_input(key="lin_alpha").value == 1e-4
    spec = chart(at, "with & without standardization")
    assert [t["name"] for t in spec["data"][:2]] == ["without standardization",
                                                      "with standardization"]
    assert len(spec["data"][0]["y"]) == 1000
    button(at, "Compare learning rates").click().run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert list(frame["learning rate"]) == ["0.01", "0.001", "0.0001"]
    assert frame["train accuracy (%)"][0] == 99.52153110047847  # the course's lr = 0.01
    # A diverging alpha is reported, not crashed on.
    at.number_input(key="lin_alpha").set_value(0.01).run()
    assert not at.exception
    assert "diverges" in all_text(at)


def test_bad_settings_and_url_values(cat_data):
    at = new_app()
    at.query_params.update({"iterations": "abc", "lr": "-1"})
    open_page(at, "pages/normalization.py")
    assert len(at.warning) == 2
    assert at.number_input(key="norm_iterations").value == 2000
    at.number_input(key="norm_lr").set_value(0.0).run()
    assert any("learning rate" in e.value for e in at.error)
    assert button(at, "Compare").disabled
