"""The run inspector through its widgets: scrub, play, threshold (shared with Classify),
one picture's story, restore an earlier run, one step by hand, and networks too."""
import json

import numpy as np
import plotly.io
import pytest

from app_support import (all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         open_page, open_replay, png_bytes, set_expander,
                         train_with_ui)
from logreg.core import NOT_SURE
from logreg.pipeline import prepare
from logreg.trainer import Trainer
from studio.display import figures
from studio.sections import replay as replay_module
from test_app_network import train as train_network


def chart(at, key):
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id]
    return json.loads(found[0].proto.spec) if found else None


def replay(at, kind="logistic"):
    return chart(at, f"{kind}_replay")


def frame(spec, iteration):
    return next(f for f in spec["frames"] if f["name"] == str(iteration))


def trace(spec, name):
    """The figure's trace called ``name``."""
    return next(d for d in spec["data"] if d.get("name") == name)


def moved(spec, at, name):
    """What animation frame ``at`` sets on the trace called ``name``."""
    index = [d.get("name") for d in spec["data"]].index(name)
    return at["data"][at["traces"].index(index)]


@pytest.fixture
def trained(cat_data):
    at = open_page(new_app(), "pages/train.py")
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    return open_replay(at)


def test_the_replay_waits_until_it_is_opened(cat_data):
    """A Train click does not build the replay (half a second of every click): the
    over-fitting sentence shows, the replay's expander is closed, nothing is computed."""
    at = open_page(new_app(), "pages/train.py")
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    run = at.session_state["recorded_runs"]["logistic"][-1]
    assert "was lowest at iteration **150**" in all_text(at)
    assert replay(at) is None and chart(at, "logistic_story") is None
    assert run.replay_frames is None and not run.replay_figures
    assert "Decision threshold" not in [s.label for s in at.slider]
    expander = next(e for e in at.expander if e.label.startswith("Replay the run"))
    assert expander.proto.expanded is False
    open_replay(at)
    assert replay(at) is not None and run.replay_frames is not None
    assert next(e for e in at.expander if e.label.startswith("Replay the run")).proto.expanded


def test_the_replay_frames_show_each_iteration(trained, cat_dataset):
    at = trained
    spec = replay(at)
    names = [f["name"] for f in spec["frames"]]
    # Every frame is a step of the figure's own slider, and Play and Step animate them
    # with a full redraw (heatmaps and bars do not move otherwise).
    assert names[0] == "0" and names[-1] == "2000" and "150" in names
    assert [s["args"][0] for s in spec["layout"]["sliders"][0]["steps"]] == [[n] for n in names]
    assert spec["layout"]["sliders"][0]["active"] == len(names) - 1
    play, pause, step = spec["layout"]["updatemenus"][0]["buttons"]
    assert "Play" in play["label"] and play["args"][1]["frame"]["redraw"] is True
    # The figure opens on the last frame: the results, 70 % and 15 pictures wrong.
    title = spec["layout"]["title"]["text"]
    assert "test 70.0 %" in title and "Misclassified test images (15 of 50)" in title
    assert frame(spec, 2000)["layout"]["title"]["text"] == title
    assert "was lowest at iteration **150**" in all_text(at) and "over-fitting" in all_text(at)
    # Iteration 150 against a fresh run stopped there, scored by hand.
    prepared = prepare(cat_dataset, "divide255")
    fresh = Trainer(prepared.X_train, prepared.Y_train, 0.005).run(150)
    answers = (fresh.w.T @ prepared.X_test + fresh.b > 0).ravel()
    wrong = np.flatnonzero(answers != cat_dataset.test_set_y.ravel().astype(bool))
    at150 = frame(spec, 150)
    title = at150["layout"]["title"]["text"]
    assert f"Misclassified test images ({len(wrong)} of 50)" in title
    assert f"test {100 - 2 * len(wrong):.1f} %" in title
    assert f"cost J {fresh.current_cost():.4f}" in title
    # Its outlines go round those pictures: 5 corners and a gap each (the last moving
    # trace), and the pictures carry the frame's iteration for a click to report.
    assert moved(spec, at150, figures.inspector.PICTURES)["customdata"] == [150] * 50
    outline = at150["data"][-1]["x"]
    assert len(outline) == 6 * len(wrong) and outline.count(None) == len(wrong)
    # The test set's confusion matrix at iteration 150 (rows: the truth).
    y = cat_dataset.test_set_y.ravel().astype(bool)
    expected = [[int(np.sum(~y & ~answers)), int(np.sum(~y & answers))],
                [int(np.sum(y & ~answers)), int(np.sum(y & answers))]]
    assert expected in [d.get("z") for d in at150["data"] if d["type"] == "heatmap"]


def test_the_replay_stays_open_for_the_session_until_it_is_closed(cat_data):
    """Opened by a click (its callback remembers it), the replay opens again after a page
    switch, with the next run and in the other language; closed, it stays closed."""
    at = open_page(new_app(), "pages/train.py")
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    open_replay(at)
    assert replay(at) is not None

    def away_and_back():
        at.switch_page("pages/classify.py")
        at.run()
        at.switch_page("pages/train.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]

    at.segmented_control(key="lang").set_value("ko").run()   # the label, so its id, changes
    assert "반복 2,000" in replay(at)["layout"]["title"]["text"]
    at.segmented_control(key="lang").set_value("en").run()
    away_and_back()
    assert replay(at) is not None
    at.number_input(key="iterations").set_value(300)
    train_with_ui(at)
    assert replay(at)["frames"][-1]["name"] == "300"
    set_expander(at, "logistic_replay_open", False)
    assert replay(at) is None
    away_and_back()
    assert replay(at) is None and "Decision threshold" not in [s.label for s in at.slider]


def test_threshold_moves_the_matrices_curves_and_classify(trained, cat_dataset):
    at = trained
    at.slider(key="decision_threshold").set_value(0.8).run()
    assert not at.exception
    model = at.session_state["trained"]["model"]
    p = model.predict_proba(cat_dataset.test_set_x_orig)
    y = cat_dataset.test_set_y.ravel()
    tp, fp = int(np.sum((p > 0.8) & (y == 1))), int(np.sum((p > 0.8) & (y == 0)))
    fn, tn = int(y.sum()) - tp, int((1 - y).sum()) - fp
    text = all_text(at)
    assert f"precision **{tp / (tp + fp):.0%}**" in text
    assert f"recall **{tp / y.sum():.0%}**" in text
    assert "Classify now answers with 0.80" in text
    spec = replay(at)
    last = frame(spec, 2000)
    assert "threshold 0.80: precision" in last["layout"]["title"]["text"]
    assert "ROC area 0." in last["layout"]["title"]["text"]
    assert [[tn, fp], [fn, tp]] in [d.get("z") for d in last["data"] if d["type"] == "heatmap"]
    points = [(d["x"], d["y"]) for d in last["data"] if len(d.get("x", [])) == 1]
    assert points == [([fp / (fp + tn)], [tp / y.sum()]),        # on the ROC curve
                      ([tp / y.sum()], [tp / (tp + fp)])]        # on the PR curve
    # The histogram's threshold line moved with it.
    assert [(s["x0"], s["x1"]) for s in spec["layout"]["shapes"]] == [(0.8, 0.8)]
    # The figure moved to 0.8 (figures.inspector.replay_at) is the one built from scratch there.
    run = at.session_state["recorded_runs"]["logistic"][-1]
    frames = replay_module.frames_of(run, cat_dataset)
    built = figures.inspector.replay_figure(
        run.curves, run.trainer.costs, frames,
        replay_module.scores(frames, cat_dataset.train_set_y, cat_dataset.test_set_y, 0.8),
        cat_dataset.classes, (cat_dataset.labels("train"), cat_dataset.labels("test")))
    assert spec == json.loads(plotly.io.to_json(built.to_dict(), validate=False))
    # Classify labels with the same threshold and says so; its "not sure" band moves too.
    below = int(np.flatnonzero((p > 0.5) & (p <= 0.8 - NOT_SURE))[0])
    near = int(np.flatnonzero((p > 0.8 - NOT_SURE) & (p <= 0.8))[0])
    at.switch_page("pages/classify.py").run()
    at.file_uploader(key="classify_upload").set_value([
        ("below.png", png_bytes(cat_dataset.test_set_x_orig[below]), "image/png"),
        ("near.png", png_bytes(cat_dataset.test_set_x_orig[near]), "image/png")]).run()
    text = all_text(at)
    assert "decision threshold **0.80**" in text and "### non-cat" in text
    assert "within 0.1 of the threshold 0.80: too close to call. It leans to *non-cat*." in text
    assert list(at.dataframe[0].value["prediction"]) == ["non-cat", "not sure (leans non-cat)"]


def test_story_restore_and_step_by_hand(trained, cat_dataset):
    at = trained
    # Until a picture is clicked, the story follows the first one the model gets wrong.
    model = at.session_state["trained"]["model"]
    wrong = np.flatnonzero((model.predict_proba(cat_dataset.test_set_x_orig) > 0.5)
                           != cat_dataset.test_set_y.ravel().astype(bool))
    assert chart(at, "logistic_story")["layout"]["title"]["text"].startswith(
        f"Test picture #{wrong[0]} ")
    curves = at.session_state["recorded_runs"]["logistic"][0].curves
    # What a click on #3 stores: the picture, and the iteration its frame carried.
    at.session_state["story_picture"] = {"logistic": (3, 150)}
    at.run()
    story = chart(at, "logistic_story")
    assert story["data"][0]["y"] == pytest.approx(curves.p_test(3).tolist())
    # The story marks that iteration, and the replay opens there, even after the threshold
    # moves (it used to jump back to the last iteration).
    at150 = int(np.flatnonzero(curves.iterations == 150)[0])
    assert story["data"][1]["x"] == [150]
    assert story["data"][1]["y"] == pytest.approx([curves.p_test(3)[at150]])
    at.slider(key="decision_threshold").set_value(0.6).run()
    spec = replay(at)
    names = [f["name"] for f in spec["frames"]]
    assert spec["layout"]["sliders"][0]["active"] == names.index("150")
    assert spec["layout"]["title"]["text"] == frame(spec, 150)["layout"]["title"]["text"]
    # As frame 150 has them:
    assert trace(spec, figures.inspector.PICTURES)["customdata"] == [150] * 50
    at.slider(key="decision_threshold").set_value(0.5).run()
    # A second run: the first becomes a faint curve and can be restored.
    first = at.session_state["trained"]["model"]
    at.number_input(key="iterations").set_value(300)
    train_with_ui(at)
    assert at.session_state["trained"]["model"] is not first
    assert any("run 1" in (t.get("name") or "") for t in replay(at)["data"])
    button(at, "Restore").click().run()
    assert at.session_state["trained"]["model"] is first
    # One step by hand: the course's first update from zeros, cost log(2).
    button(at, "Step").click().run()
    text = all_text(at)
    assert "**Update 1:** cost before J = 0.693147" in text
    assert "A = σ(z) = **0.5000**" in text
    button(at, "Step").click().run()
    assert "**Update 2:** cost before J = 0.693147" not in all_text(at)
    assert "**Update 2:**" in all_text(at)


def test_network_runs_are_inspected_too(cat_data):
    at = open_page(new_app(), "pages/network.py")
    at.selectbox(key="net_speed").set_value("full speed")
    at.selectbox(key="net_preset").set_value("Two layers — the course's 7 hidden units").run()
    at.number_input(key="net_iterations").set_value(300).run()
    train_network(at)
    assert not at.exception
    assert replay(at, "network") is None
    spec = replay(open_replay(at, "network"), "network")
    assert spec["frames"][-1]["name"] == "300"
    at.slider(key="decision_threshold").set_value(0.3).run()
    assert not at.exception
    text = all_text(at)
    assert "trained model at threshold 0.30" in text
    assert "One step by hand is on the Train page" in text
    assert "threshold 0.30: precision" in replay(at, "network")["layout"]["title"]["text"]
