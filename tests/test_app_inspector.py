"""The run inspector through its widgets: scrub, play, threshold (shared with Classify),
one picture's story, restore an earlier run, one step by hand, and networks too."""
import json

import numpy as np
import pytest

from app_support import (all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         open_page, png_bytes, train_with_ui)
from logreg.pipeline import prepare
from logreg.trainer import Trainer
from test_app_network import train as train_network


def chart(at, key):
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key) or key in c.proto.id]
    return json.loads(found[0].proto.spec) if found else None


def metrics(at):
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def trained(cat_data):
    at = open_page(new_app(), "pages/train.py")
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    return at


def test_scrubbing_shows_the_chosen_iteration(trained, cat_dataset):
    at = trained
    frames = at.select_slider(key="logistic_replay_frame")
    assert frames.value == 2000 and frames.options[0] == "0"
    # The last frame is the results: 70 % on the test set, 15 pictures wrong.
    assert metrics(at)["test"] == "70.0 %"
    assert "Misclassified test pictures at this iteration: 15 of 50" in all_text(at)
    text = all_text(at)
    assert "was lowest at iteration **150**" in text and "over-fitting" in text
    frames.set_value(150).run()
    assert not at.exception
    # Iteration 150 rebuilt from its snapshot, scored like any model.
    prepared = prepare(cat_dataset, "divide255")
    fresh = Trainer(prepared.X_train, prepared.Y_train, 0.005).run(150)
    answers = (fresh.w.T @ prepared.X_test + fresh.b > 0).ravel()
    wrong = int(np.sum(answers != cat_dataset.test_set_y.ravel().astype(bool)))
    assert f"Misclassified test pictures at this iteration: {wrong} of 50" in all_text(at)
    assert metrics(at)["test"] == f"{100 - 2 * wrong:.1f} %"
    assert metrics(at)["cost J"] == f"{fresh.current_cost():.4f}"


def test_play_advances_and_stops_at_the_end(trained):
    at = trained
    at.select_slider(key="logistic_replay_frame").set_value(0).run()
    button(at, "Play").click().run()
    seen = [at.select_slider(key="logistic_replay_frame").value]
    for _ in range(60):
        if not at.session_state["replay_playing"]["logistic"]:
            break
        at.run()
        seen.append(at.select_slider(key="logistic_replay_frame").value)
    assert not at.session_state["replay_playing"]["logistic"]
    assert seen[-1] == 2000 and len(set(seen)) > 10 and seen == sorted(seen)
    assert any(b.label == "Play" for b in at.button)


def test_threshold_moves_the_matrices_curves_and_classify(trained, cat_dataset):
    at = trained
    at.slider(key="decision_threshold").set_value(0.8).run()
    assert not at.exception
    model = at.session_state["trained"]["model"]
    p = model.predict_proba(cat_dataset.test_set_x_orig)
    y = cat_dataset.test_set_y.ravel()
    tp, fp = int(np.sum((p > 0.8) & (y == 1))), int(np.sum((p > 0.8) & (y == 0)))
    text = all_text(at)
    assert f"precision **{tp / (tp + fp):.0%}**" in text
    assert f"recall **{tp / y.sum():.0%}**" in text
    assert "Classify now answers with 0.80" in text
    roc = chart(at, "logistic_roc")
    assert roc["layout"]["title"]["text"].startswith("ROC curve (area 0.")
    assert roc["data"][-1]["y"] == [pytest.approx(tp / y.sum())]
    # Classify labels with the same threshold and says so.
    picture = cat_dataset.test_set_x_orig[int(np.flatnonzero((p > 0.5) & (p <= 0.8))[0])]
    at.switch_page("pages/classify.py").run()
    at.file_uploader(key="classify_upload").upload("x.png", png_bytes(picture),
                                                   "image/png").run()
    text = all_text(at)
    assert "decision threshold **0.80**" in text and "### non-cat" in text


def test_story_restore_and_step_by_hand(trained):
    at = trained
    at.selectbox(key="logistic_story_picture").set_value(3).run()
    story = chart(at, "logistic_story")
    curves = at.session_state["recorded_runs"]["logistic"][0].curves
    assert story["data"][0]["y"] == pytest.approx(curves.p_test(3).tolist())
    # A second run: the first becomes a faint curve and can be restored.
    first = at.session_state["trained"]["model"]
    at.number_input(key="iterations").set_value(300)
    train_with_ui(at)
    assert at.session_state["trained"]["model"] is not first
    assert any("run 1" in (t.get("name") or "") for t in chart(at, "logistic_curves")["data"])
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
    frames = at.select_slider(key="network_replay_frame")
    assert frames.value == 300
    frames.set_value(frames.options[3]).run()
    at.slider(key="decision_threshold").set_value(0.3).run()
    assert not at.exception
    text = all_text(at)
    assert "At threshold 0.30" in text and "One step by hand is on the Train page" in text
