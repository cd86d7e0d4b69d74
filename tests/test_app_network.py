"""The Network page through its widgets: the course's three models side by side, live
training controls, the unit pictures, and the 2-D playground."""
import json

import pytest

from app_support import (ROOT, all_text, cat_data, faces_only, fresh_caches, new_app,  # noqa: F401
                         no_data,
                         open_page, shown)

PAGE = "pages/network.py"
ONE, TWO, FOUR = ("One neuron — logistic regression", "Two layers — the course's 7 hidden units",
                  "Four layers — the course's 20, 7, 5")


def train(at, live_key="network_live", train_key="net_speed_train", max_runs=300):
    """Press this section's Train and rerun (one fragment tick each) until the run ends."""
    at.button(key=train_key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    for _ in range(max_runs):
        if at.session_state[live_key].status != "running":
            break
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[live_key].status == "done"
    return at.session_state[live_key]


def test_the_three_course_models_read_70_72_80(cat_data):
    at = open_page(new_app(), PAGE)
    assert at.selectbox(key="net_preset").value == ONE
    at.selectbox(key="net_speed").set_value("full speed").run()
    captions = {ONE: "12288-1: the neuron has one weight per pixel",
                TWO: "12288-7-1: each of the 7 first-layer units has one weight per pixel",
                FOUR: "12288-20-7-5-1: each of the 20 first-layer units"}
    for preset, hidden in ((ONE, ""), (TWO, "7"), (FOUR, "20,7,5")):
        at.selectbox(key="net_preset").set_value(preset).run()
        assert at.text_input(key="net_hidden").value == hidden
        train(at)
        assert captions[preset] in all_text(at)   # not "each of the 1 first-layer units"
    rows = at.dataframe[0].value
    assert list(rows["network"]) == ["12288-1", "12288-7-1", "12288-20-7-5-1"]
    assert list(rows["test accuracy"]) == ["70.0 %", "72.0 %", "80.0 %"]
    assert list(rows["train accuracy"]) == ["99.0 %", "100.0 %", "98.6 %"]
    assert list(rows["iterations"]) == [2000, 2500, 2500]
    assert "Test accuracy, run after run: **70.0 % → 72.0 % → 80.0 %**" in all_text(at)
    assert "**Depth pays here**: 12288-20-7-5-1 gets 5 more of the 50" in all_text(at)
    # The four-layer network is the session's network, its first layer drawn as pictures.
    network = at.session_state["trained_network"]["model"]
    assert network.architecture == "12288-20-7-5-1"
    assert any(h.value == "What the first layer looks at" for h in at.subheader)
    units = [image for image in at.get("image") if image.proto.imgs[0].caption == "unit 1"]
    assert len(units) == 1 and len(units[0].proto.imgs) == 20


def test_on_the_faces_the_page_says_one_neuron_is_enough_and_why_four_layers_lose(faces_only):
    at = open_page(new_app(), PAGE)
    at.selectbox(key="net_speed").set_value("full speed").run()
    for preset in (ONE, TWO, FOUR):
        at.selectbox(key="net_preset").set_value(preset).run()
        train(at)
    assert list(at.dataframe[0].value["test accuracy"]) == ["98.0 %", "98.0 %", "96.0 %"]
    text = all_text(at)
    assert "**One neuron is already enough here**: it gets 98 % of the 50 test" in text
    assert "625-20-7-5-1 fits the 150 training pictures at least as well as 625-1" in text
    assert "A difference of 1 of the 50 test pictures is within chance" in text


def test_custom_settings_stop_resume_and_bad_input(faces_only):
    at = open_page(new_app(), PAGE)
    at.text_input(key="net_hidden").set_value("6,3").run()
    assert at.selectbox(key="net_preset").value == "Custom"
    at.number_input(key="net_learning_rate").set_value(0.05)
    at.number_input(key="net_iterations").set_value(400).run()
    at.selectbox(key="net_speed").set_value("slow motion").run()
    at.button(key="net_speed_train").click().run()
    run = at.session_state["network_live"]
    assert run.status == "running" and 0 < run.trainer.iteration < 400
    at.button(key="net_speed_stop").click().run()
    stopped_at = at.session_state["network_live"].trainer.iteration
    at.run()
    assert at.session_state["network_live"].trainer.iteration == stopped_at
    assert "Stopped at iteration" in all_text(at)
    assert any(h.value == "What the first layer looks at" for h in at.subheader)
    at.button(key="net_speed_resume").click().run()
    for _ in range(100):
        if at.session_state["network_live"].status == "done":
            break
        at.run()
    rows = at.dataframe[0].value
    assert list(rows["network"]) == ["625-6-3-1"] and list(rows["iterations"]) == [400]
    at.button(key="net_speed_reset").click().run()
    assert "network_live" not in at.session_state
    for text, message in (("7,x", "whole numbers"), ("0", "1 to 1024 units")):
        at.text_input(key="net_hidden").set_value(text).run()
        assert any(message in e.value for e in at.error)
        assert at.button(key="net_speed_train").disabled
    assert not at.exception


def test_settings_survive_leaving_the_page(faces_only):
    at = open_page(new_app(), PAGE)
    at.selectbox(key="net_preset").set_value(FOUR).run()
    at.number_input(key="net_seed").set_value(7).run()
    open_page(at, "pages/train.py")
    open_page(at, PAGE)
    assert at.text_input(key="net_hidden").value == "20,7,5"
    assert at.number_input(key="net_seed").value == 7


def playground_data(at):
    """What the playground's component was given in the last run: the browser draws it."""
    [canvas] = [e for e in at.get("bidi_component") if e.proto.id.endswith("play_canvas")]
    data = json.loads(canvas.proto.json)
    assert isinstance(data, dict), "the component's data did not serialise as JSON"
    return data


@pytest.mark.parametrize("hidden, low, high", [("", 40, 60), ("4", 88, 100)])
def test_playground_flower_line_then_curve(no_data, hidden, low, high):
    at = open_page(new_app(), PAGE)
    assert at.selectbox(key="play_dataset").value == "flower"
    at.text_input(key="play_hidden").set_value(hidden)
    at.selectbox(key="play_speed").set_value("full speed").run()
    run = train(at, "playground_live", "play_speed_train")
    assert run.trainer.iteration == 5000
    shown = playground_data(at)["run"]
    assert shown["complete"] and shown["iterations"][-1] == 5000
    assert low <= shown["train"][-1] <= high, shown["train"][-1]
    # The activation is named where a hidden layer uses it, not for "2-1".
    assert shown["network"] == ("2-4-1 (tanh)" if hidden else "2-1")


def test_playground_sends_the_course_flower_in_two_script_runs(no_data):
    """The Train press sends the first frames; the next run (the browser asks) the rest,
    ending on the course's 90.75 % with 4 tanh units; the page's model is that last frame."""
    at = open_page(new_app(), PAGE)
    at.button(key="play_speed_train").click().run()
    first = playground_data(at)["run"]
    assert not first["complete"] and 1 < len(first["iterations"]) < 101
    at.run()
    data = playground_data(at)
    run = at.session_state["playground_live"]
    assert run.status == "done" and data["run"]["id"] == first["id"]
    assert len(data["run"]["iterations"]) == 101 and data["run"]["train"][-1] == 90.75
    from studio.sections.network import playground_accuracy
    assert playground_accuracy(run) == 90.75
    assert data["run"]["network"] == "2-4-1 (tanh)" and data["run"]["test"] is None
    assert len(data["points"]) == 400


def test_playground_test_points_crosses_and_a_csv(no_data):
    at = open_page(new_app(), PAGE)
    at.slider(key="play_test_share").set_value(20).run()
    at.selectbox(key="play_dataset").set_value("circles").run()
    at.text_input(key="play_hidden").set_value("")
    at.toggle(key="play_crosses").set_value(True).run()
    train(at, "playground_live", "play_speed_train")
    data = playground_data(at)
    held = int(sum(point[3] for point in data["points"]))
    assert 40 <= held <= 120 and data["run"]["network"] == "5-1 on x1, x2, x1², x2², x1·x2"
    # A straight line among x1, x2, x1², x2², x1·x2 is a circle: it separates the rings.
    assert data["run"]["train"][-1] > 95 and data["run"]["test"][-1] > 95
    # Not the circles as the course draws them: a class's board and an export can tell.
    run = at.session_state["playground_live"]
    assert run.dataset_key == f"playground:circles · {held} held out · crosses"
    assert run.made_points() is None

    text = "x1,x2,label\n" + "".join(f"{x},{y},{int(x * x + y * y < 2)}\n"
                                       for x in range(-3, 4) for y in range(-3, 4))
    at.file_uploader(key="play_csv").upload("ring.csv", text.encode(), "text/csv").run()
    assert at.selectbox(key="play_dataset").value == "yours"
    assert any("ring.csv: 49 points" in shown(s.value) for s in at.success)
    assert len(playground_data(at)["points"]) == 49
    assert at.session_state["playground_live"].points.m == 49   # retrained on them
    assert at.session_state["playground_live"].dataset_key.startswith("playground:yours")

    at.file_uploader(key="play_csv").upload("bad.csv", b"1,2\n", "text/csv").run()
    [error] = [shown(e.value) for e in at.error]
    assert error == "Cannot use this file: bad.csv, line 1: expected 3 values (x1, x2, " \
                    "label), got 2."
    at.file_uploader(key="play_csv").upload("big.csv", b"1,2,0\n" * 30_000, "text/csv").run()
    [error] = [shown(e.value) for e in at.error]
    assert error == "Cannot use this file: big.csv: the file is more than the limit of 100 kB."
    assert len(playground_data(at)["points"]) == 49     # the refused files changed nothing
    assert not at.exception


def test_classify_answers_with_either_model_or_both(faces_only):
    from app_support import png_bytes
    from logreg import load_pair
    from logreg.core import is_not_sure
    from logreg.pipeline import fit

    faces = load_pair(ROOT / "data" / "train_faces.h5", ROOT / "data" / "test_faces.h5")
    at = open_page(new_app(), PAGE)
    at.text_input(key="net_hidden").set_value("4")
    at.number_input(key="net_iterations").set_value(300)
    at.selectbox(key="net_speed").set_value("full speed").run()
    train(at)
    network = at.session_state["trained_network"]["model"]
    assert "Trained network:** :green[:material/check_circle: ready]" in all_text(at)

    # Only the network: it answers, and no training is pressed on anyone.
    open_page(at, "pages/classify.py")
    at.file_uploader(key="classify_upload").upload(
        "face.png", png_bytes(faces.test_set_x_orig[0].squeeze()), "image/png").run()
    assert not at.exception and not at.main.get("button_group")   # (the sidebar has the language)
    p_network = float(network.predict_proba(faces.test_set_x_orig[:1])[0])
    assert f"= **{p_network:.4f}**" in all_text(at)
    answer = network.label(p_network)
    assert list(at.dataframe[0].value["prediction"]) == [
        f"not sure (leans {answer})" if is_not_sure(p_network) else answer]

    # With logistic regression trained too (as the Train page leaves it), both answer.
    logistic = fit(faces)
    at.session_state["trained"] = {"model": logistic, "dataset_key": "file:faces"}
    at.run()
    assert not at.exception
    p_logistic = float(logistic.predict_proba(faces.test_set_x_orig[:1])[0])
    text = all_text(at)
    assert f"= **{p_network:.4f}**" in text and f"= **{p_logistic:.4f}**" in text
    columns = list(at.dataframe[0].value.columns)
    assert columns[:2] == ["file", "logistic regression: prediction"]
    assert f"network {network.architecture}: prediction" in columns
    at.main.get("button_group")[0].set_value(f"network {network.architecture}").run()
    assert f"= **{p_logistic:.4f}**" not in all_text(at)
    assert list(at.dataframe[0].value.columns)[:2] == ["file", "prediction"]
