"""The Normalization page: its experiments, their numbers and the sentences computed from them."""
import json
import math

from app_support import (all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         open_page)


def chart(at, key):
    for element in at.get("plotly_chart"):
        if element.proto.id.endswith(key) or key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key!r}")


def charts(at, *keys):
    """The traces of the charts ``keys`` (one figure's panels, drawn side by side as charts
    of their own so that a phone stacks them) as one spec."""
    return {"data": [trace for key in keys for trace in chart(at, key)["data"]]}


SCALINGS = [f"norm_chart_{mode}" for mode in ("raw", "divide255", "zscore")]


def test_compare_shows_the_equivalence_and_which_run_generalizes(cat_data):
    at = open_page(new_app(), "pages/normalization.py")
    button(at, "Compare").click().run()
    assert not at.exception
    text = all_text(at)

    # 1. Raw at 0.005 / 255² follows /255 at 0.005; with the bias's own step it is the same run.
    spec = charts(at, "norm_equivalence", "norm_equivalence_raw")
    scaled, small, matched, raw = (trace["y"] for trace in spec["data"])
    assert len(scaled) == len(small) == len(matched) == len(raw) == 2000
    gap = max(abs(a - b) for a, b in zip(scaled, small))
    assert 5e-4 < gap < 1e-3
    assert max(abs(a - b) for a, b in zip(scaled, matched)) < 1e-13
    assert max(raw) > 1e5                                       # raw at 0.005 leaps
    assert "differ by at most **0.0007**" in text
    assert "each of the 12,288 pixel weights 65,025 times too far" in text

    # 2. Three scalings side by side, the table, the verdict and the diagnoses.
    spec = charts(at, *SCALINGS)
    assert [t["name"] for t in spec["data"]] == [
        "raw pixels", "pixels ÷ 255", "standardized (z-score)"]
    for trace in spec["data"]:
        assert len(trace["y"]) == 2000 and all(math.isfinite(y) for y in trace["y"])
    assert spec["data"][1]["y"][1900] == 0.14087233159640106 or abs(
        spec["data"][1]["y"][1900] - 0.140872) < 5e-7
    rows = at.dataframe[0].value
    # Raw pixels at 0.005 bounce between certainties: their test cost is in the tens of
    # thousands, and its last digits follow the rounding of whichever trainer path ran.
    raw_cost, *scaled = list(rows["test cost"])
    assert 1e4 < float(raw_cost) < 1e5 and scaled == ["0.7504", "1.3622"]
    assert list(rows["certain probabilities (train)"]) == ["100%", "0%", "2%"]
    assert "**Pixels ÷ 255 generalizes best**: it has the lowest test cost, 0.7504" in text
    assert "raw pixels 36, pixels ÷ 255 35, standardized (z-score) 33 of 50" in text
    raw_alert = at.error[0].value
    assert raw_alert.startswith("**raw pixels**")
    assert "The learning rate 0.005 is far too large for this scaling" in raw_alert
    assert "in 100 of the first 100 iterations" in raw_alert
    assert "train accuracy: 99.04306220095694 %" in text and "test accuracy: 70.0 %" in text

    # 3. Z-score as pictures: mean, spread and four pictures before and after.
    images = at.get("image")[0].proto.imgs
    assert [i.caption for i in images] == ["average pixel", "how much it varies"] + [
        "picture", "standardized"] * 4
    assert "standard deviations go from 53.4 to 81.4" in text

    # Leaving the page and coming back keeps the results without retraining.
    open_page(at, "pages/data.py")
    open_page(at, "pages/normalization.py")
    assert "Pixels ÷ 255 generalizes best" in all_text(at)


def test_the_landscape_and_its_learning_rates(cat_data):
    at = open_page(new_app(), "pages/normalization.py")
    # Drawn without a click: each scaling at its own best step shows the seed's point.
    spec = chart(at, "landscape_chart")
    # The contours are pictures under the axes (animation drops contour traces).
    pictures = spec["layout"]["images"]
    assert [(p["xref"], p["layer"]) for p in pictures] == [("x", "below"), ("x2", "below")]
    assert all(p["source"].startswith("data:image/png;base64,") for p in pictures)
    assert all(t["type"] == "scatter" for t in spec["data"])
    assert len(spec["frames"]) == len(spec["layout"]["sliders"][0]["steps"])
    assert spec["frames"][-1]["name"] == "1000"   # the parameters after 1000 updates
    labels = [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]]
    assert labels == ["▶ Play", "❚❚ Pause", "Step ▶"]
    text = all_text(at)
    assert "10,881 times steeper" in text
    assert "0.00032 for raw x, 1 for standardized x" in text
    assert "the raw run is at cost 50.12, the standardized run at 40.33" in text
    assert "undo the point of the example" not in text

    # The seed's own alpha for both: the standardized run barely moves, and the page says so.
    at.main.get("button_group")[-1].set_value("shared").run()   # "one alpha for both"
    text = all_text(at)
    assert "the raw run is at cost 51.44, the standardized run at 12,144.43" in text
    assert "**These settings undo the point of the example**" in text
    assert any("The learning rate 0.0001 is too small" in w.value for w in at.warning)

    # A larger alpha makes the raw path fly off; the diagnosis says how far to go.
    at.number_input(key="lin_alpha").set_value(0.001).run()
    assert not at.exception
    assert any("far too large" in e.value and "up to 0.00065" in e.value for e in at.error)
    spec = chart(at, "landscape_chart")
    raw_path = spec["data"][0]["x"]             # the whole raw path (no contour trace)
    assert None in raw_path                     # the diverged part is left out, not NaN


def test_a_spent_budget_cuts_every_run_at_one_iteration_and_says_so(cat_data, monkeypatch):
    monkeypatch.setattr("studio.session.bounded.CPU_SECONDS", 0.0)
    at = open_page(new_app(), "pages/normalization.py")
    button(at, "Compare").click().run()
    assert not at.exception
    cut = at.warning[0].value
    assert cut.startswith("Cut at iteration 8 of 2,000: this button press had used its 0 s")
    spec = charts(at, *SCALINGS)
    assert [len(t["y"]) for t in spec["data"]] == [8, 8, 8]


def test_bad_settings_and_url_values(cat_data):
    at = new_app()
    at.query_params.update({"iterations": "abc", "lr": "-1"})
    open_page(at, "pages/normalization.py")
    assert len(at.warning) == 2
    assert at.number_input(key="norm_iterations").value == 2000
    at.number_input(key="norm_lr").set_value(0.0).run()
    assert any("learning rate" in e.value for e in at.error)
    assert button(at, "Compare").disabled


def test_the_first_screen_is_a_fair_race_before_any_button(cat_data):
    """Each scaling at its own largest safe learning rate, on page load: raw pixels and
    pixels ÷ 255 are one curve, standardized pixels get there sooner, and the test
    accuracies are within chance (issue 25: the lesson leads, the details follow)."""
    at = open_page(new_app(), "pages/normalization.py")
    assert not at.exception
    spec = chart(at, "norm_race")
    lines = [trace for trace in spec["data"] if trace["mode"] == "lines"]
    assert [trace["name"].split(" · ")[0] for trace in lines] == [
        "pixels ÷ 255", "standardized (z-score)", "raw pixels"]     # dotted raw drawn last
    assert all(len(trace["y"]) == 2000 for trace in lines)
    text = all_text(at)
    assert ("Each at its own largest safe learning rate, every run gets down to a cost of "
            "0.2: standardized (z-score) in 210 iterations, raw pixels in 1,570 iterations, "
            "pixels ÷ 255 in 1,571 iterations.") in text
    assert "Raw pixels and pixels ÷ 255 follow the same curve" in text
    assert "Test accuracy 70 %, 70 %, 66 %: at most 2 of 50 pictures apart, within " \
           "chance." in text
    # Before Compare nothing warns: the diagnoses wait in an expander after it.
    assert not at.warning and not at.error
    button(at, "Compare").click().run()
    assert not [w for w in at.warning if "learning rate" in w.value]
    assert any(e.label == "What each run's numbers say" for e in at.expander)


def test_the_race_is_trained_once_for_a_class_unless_its_budget_cut_it(cat_data, monkeypatch):
    """The race on a dataset on disk is the same for every session: one trains it, the
    others show it. A race its CPU budget cut is shown (with its warning) but not kept for
    the next visitor, who gets a whole one."""
    from studio.sections import comparisons
    from studio.session import bounded

    trained, real = [], comparisons._race

    def counted(*args):
        kept = real(*args)
        trained.append(args)
        if len(trained) == 1:   # the first one as if its budget had ended it at 700
            kept = dict(kept, outcome=bounded.Outcome(700, args[1], "budget"))
        return kept

    monkeypatch.setattr(comparisons, "_race", counted)
    first = open_page(new_app(), "pages/normalization.py")
    assert any("Cut at iteration 700 of 2,000" in w.value for w in first.warning)
    second = open_page(new_app(), "pages/normalization.py")
    third = open_page(new_app(), "pages/normalization.py")
    assert len(trained) == 2                       # the cut one, then one for everyone after
    assert not second.warning and not third.warning
    assert chart(second, "norm_race") == chart(third, "norm_race") == chart(first, "norm_race")


def test_two_features_on_different_scales_show_where_standardizing_pays(cat_data):
    """x1 in the thousands next to x2: at each one's largest safe step, standardized
    features separate the points in a few iterations while raw ones barely move."""
    at = open_page(new_app(), "pages/normalization.py")
    spec = chart(at, "two_scales_chart")
    assert len(spec["frames"]) > 20 and all(trace["type"] == "scatter" for trace in spec["data"])
    text = all_text(at)
    assert ("with standardized features the cost falls to 0.1 in 18 iterations, and after "
            "300 iterations its line classifies 96 % of the points right.") in text
    assert "With raw features the cost is still 0.653 after 300 iterations and the line " \
           "classifies 50 % right." in text
