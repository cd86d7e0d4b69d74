"""The Train page through its real widgets: live training, results, settings, parameters."""
import json

import numpy as np
import pytest

from app_support import (all_text, button, cat_data, fresh_caches, media,  # noqa: F401
                         new_app, open_page, open_replay, served, shown, texts, train_with_ui)
from logreg.params import load_params, params_to_bytes


def test_training_with_the_defaults_shows_the_course_numbers(cat_data):
    at = open_page(new_app(), "pages/train.py")
    assert at.number_input(key="iterations").value == 2000
    assert at.number_input(key="learning_rate").value == 0.005
    assert at.selectbox(key="scaling").value == "divide255"
    run = train_with_ui(at)
    # The live run really went through several requests of the live panel, a second of
    # "watch it learn" (800 iterations) each.
    assert run.pace == 800 and run.trainer.iteration == 2000
    text = all_text(at)
    assert "Cost after iteration 1900: 0.140872" in text
    assert "train accuracy: 99.04306220095694 %" in text
    assert "test accuracy: 70.0 %" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["train accuracy"] == "99.04 %" and metrics["test accuracy"] == "70.00 %"
    # Every chart of the results is finite JSON, including the final cost curve.
    charts = {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    assert len(charts) == 2   # cost curve and weights: the replay waits to be opened
    curve = next(spec for spec in charts.values()
                 if spec["layout"].get("title", {}).get("text") == "Cost during training")
    costs = curve["data"][0]["y"]
    assert len(costs) == 2000 and all(c is not None for c in costs)
    assert costs[1900] == pytest.approx(0.140872, abs=5e-7)
    # Misclassified test images: 30 % of 50 (the replay opens on the last iteration).
    charts = [json.loads(c.proto.spec) for c in open_replay(at).get("plotly_chart")]
    replay = next(spec for spec in charts if spec.get("frames"))
    assert "Misclassified test images (15 of 50)" in replay["layout"]["title"]["text"]
    assert "Trained parameters:** :green[:material/check_circle: ready]" in text
    # The run's own diagnoses: the course's rate bounces early, then settles.
    shown = " ".join(i.value for i in at.info)
    assert "in 54 of the first 100 iterations before it settled" in shown
    assert "up to 0.0036" in shown


def test_raw_pixels_at_the_course_rate_are_diagnosed(cat_data):
    at = open_page(new_app(), "pages/train.py")
    at.number_input(key="iterations").set_value(300)
    at.selectbox(key="scaling").set_value("raw")
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    assert len(at.error) == 1
    assert "The learning rate 0.005 is far too large for this scaling" in at.error[0].value
    assert "up to 5.6e-08" in at.error[0].value
    assert "certain about everything it has seen" in at.error[0].value   # one alert per run


def test_stop_and_resume_continue_the_same_run(cat_data):
    at = open_page(new_app(), "pages/train.py")
    at.number_input(key="iterations").set_value(1000)
    button(at, "Train").click().run()
    first = at.session_state["live_training"]
    assert first.status == "running" and 0 < first.trainer.iteration < 1000
    button(at, "Stop").click().run()
    stopped = at.session_state["live_training"]
    at_iteration = stopped.trainer.iteration
    at.run()
    assert at.session_state["live_training"].trainer.iteration == at_iteration  # no ticking
    assert "Stopped at iteration" in all_text(at)
    button(at, "Resume").click().run()
    for _ in range(100):
        if at.session_state["live_training"].status == "done":
            break
        at.run()
    run = at.session_state["live_training"]
    assert run.status == "done" and run.trainer.iteration == 1000
    assert run.trainer is first.trainer or run.trainer.costs[:at_iteration] == \
        first.trainer.costs[:at_iteration]
    button(at, "Reset").click().run()
    assert "live_training" not in at.session_state
    assert not at.exception


@pytest.mark.parametrize("iterations, rate, message", [
    (-3, 0.005, "number of iterations"),
    (2000, 0.0, "learning rate"),
    (2000, 500.0, "learning rate"),
])
def test_bad_settings_show_an_error_and_disable_training(cat_data, iterations, rate, message):
    at = open_page(new_app(), "pages/train.py")
    at.number_input(key="iterations").set_value(iterations)
    at.number_input(key="learning_rate").set_value(rate).run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert button(at, "Train").disabled


def test_settings_come_from_the_url_and_go_back_into_it(cat_data):
    at = new_app()
    at.query_params.update({"iterations": "300", "lr": "0.01", "scaling": "zscore"})
    open_page(at, "pages/train.py")
    assert at.number_input(key="iterations").value == 300
    assert at.number_input(key="learning_rate").value == 0.01
    assert at.selectbox(key="scaling").value == "zscore"
    assert not at.warning
    at.number_input(key="iterations").set_value(500).run()
    assert at.query_params["iterations"] in ("500", ["500"])


@pytest.mark.parametrize("text", ["1e3", "1000.0"])
def test_whole_numbers_written_as_floats_are_accepted_from_the_url(cat_data, text):
    at = new_app()
    at.query_params["iterations"] = text
    open_page(at, "pages/train.py")
    assert not at.warning
    assert at.number_input(key="iterations").value == 1000


def test_a_url_value_is_quoted_as_text_not_markdown(cat_data):
    at = new_app()
    at.query_params["iterations"] = "![](http://127.0.0.1:9/x.png)"
    open_page(at, "pages/train.py")
    raw = " ".join(w.value for w in at.warning)
    assert "](http" not in raw                      # no image for the browser to fetch
    assert "iterations='![](http://127.0.0.1:9/x.png)' ignored" in " ".join(
        texts(at, "warning"))


def test_bad_url_values_warn_and_fall_back_to_defaults(cat_data):
    at = new_app()
    at.query_params.update({"iterations": "-3", "lr": "nan", "scaling": "magic"})
    open_page(at, "pages/train.py")
    warnings = " ".join(texts(at, "warning"))
    assert "iterations='-3'" in warnings and "lr='nan'" in warnings
    assert "scaling='magic'" in warnings
    assert at.number_input(key="iterations").value == 2000
    assert at.number_input(key="learning_rate").value == 0.005
    assert at.selectbox(key="scaling").value == "divide255"


def test_parameters_download_and_upload_round_trip(cat_data, media):
    at = open_page(new_app(), "pages/train.py")
    at.number_input(key="iterations").set_value(300)
    train_with_ui(at)
    trained = at.session_state["trained"]["model"]
    download = next(d for d in at.get("download_button")
                    if d.proto.label == "Download parameters (.npz)")
    _, data = served(media, download)
    assert data == params_to_bytes(trained)
    # A fresh session loads the file and shows the same scores.
    at2 = open_page(new_app(), "pages/train.py")
    at2.file_uploader(key="params_upload").upload("params.npz", data).run()
    assert not at2.exception
    loaded = at2.session_state["trained"]["model"]
    assert np.array_equal(loaded.w, trained.w) and loaded.b == trained.b
    assert loaded.num_iterations == 300
    assert any("Loaded params.npz" in shown(s.value) for s in at2.success)
    assert "train accuracy:" in all_text(at2)


def test_a_bad_parameters_file_keeps_the_session_parameters(cat_data, tmp_path):
    at = open_page(new_app(), "pages/train.py")
    at.number_input(key="iterations").set_value(100)
    train_with_ui(at)
    before = at.session_state["trained"]["model"]
    at.file_uploader(key="params_upload").upload("broken.npz", b"not a zip at all").run()
    assert not at.exception
    assert any("broken.npz" in shown(e.value) for e in at.error)
    assert at.session_state["trained"]["model"] is before
    # Parameters for other image sizes are refused with a message, too.
    small = load_params(params_to_bytes(before))
    small.num_px, small.w = 8, np.zeros((8 * 8 * 3, 1))
    at.file_uploader(key="params_upload").set_value(
        ("small.npz", params_to_bytes(small), "application/octet-stream")).run()
    assert any("8 × 8 × 3" in e.value for e in at.error)
    assert at.session_state["trained"]["model"] is before


def test_an_empty_chart_waits_for_the_first_run(cat_data):
    at = open_page(new_app(), "pages/train.py")
    # Before the first run, the empty chart the cost will fall in, its axis the run's length.
    idle = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "the cost J falls here" in idle["layout"]["annotations"][0]["text"]
    assert idle["layout"]["xaxis"]["range"] == [0, 2000]
    at.selectbox(key="train_speed").set_value("full speed").run()
    button(at, "Train").click().run()
    assert "train accuracy: 99.04306220095694 %" in all_text(at)
    assert "ready" in " ".join(m.value for m in at.sidebar.markdown)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert not any("the cost J falls here" in str(s["layout"].get("annotations")) for s in specs)
