"""The Network page's state: its presets, its live runs and the table of this session's runs.

Networks train live exactly like logistic regression on the Train page (the same
:class:`studio.training.LiveRun`, :func:`studio.training.advance` and ticks), under their
own session keys so a network run and a Train-page run never touch each other.
"""
import time

import streamlit as st

from logreg import course, depth, planar
from logreg.network import NetworkTrainer, predict, predict_proba
from logreg.network_model import to_network_model
from logreg.trainer import accuracy

from . import class_session, datasets, runs, state, training
from .i18n import t

LIVE, PLAYGROUND, RESULTS = state.NETWORK_LIVE, state.PLAYGROUND_LIVE, state.NETWORK_RESULTS
SCALING = course.SCALING           # the course's scaling, for every network here

# The course's three models; their settings give 70 %, 72 % and 80 % on the cat data.
PRESETS = {
    "One neuron — logistic regression": dict(
        hidden="", init="zeros", learning_rate=course.LEARNING_RATE,
        iterations=course.ITERATIONS, activation="relu"),
    "Two layers — the course's 7 hidden units": dict(
        hidden="7", init="small", learning_rate=course.NETWORK_LEARNING_RATE,
        iterations=course.NETWORK_ITERATIONS, activation="relu"),
    "Four layers — the course's 20, 7, 5": dict(
        hidden="20,7,5", init="scaled", learning_rate=course.NETWORK_LEARNING_RATE,
        iterations=course.NETWORK_ITERATIONS, activation="relu"),
}
CUSTOM = "Custom"
HIDDEN_MAX_CHARS = 60   # the "Hidden layers" box: "20,7,5" is 6; kept short for the saved file
PRESET_NAMES = tuple(PRESETS)   # the presets' ids: the Model box's values
PLAYGROUND_DEFAULTS = dict(dataset="flower", hidden="4", activation="tanh", learning_rate=1.2,
                           iterations=5000)


def start(dataset_key, hidden, learning_rate, iterations, init, activation, seed, per_tick):
    """Begin a network run (settings already validated); its set-up time counts as training."""
    began = time.perf_counter()
    prepared = datasets.prepared(dataset_key, SCALING)
    layer_dims = (prepared.X_train.shape[0], *hidden, 1)
    trainer = NetworkTrainer(prepared.X_train, prepared.Y_train, layer_dims, learning_rate,
                             activation, init, seed)
    run = training.LiveRun(trainer, dataset_key, SCALING, int(iterations), per_tick=per_tick,
                           seconds=time.perf_counter() - began,
                           history=runs.follow(trainer, iterations))
    st.session_state[LIVE] = run
    return run


def finish(run):
    """Score the finished network, keep it for Classify and add its row to the table."""
    dataset = datasets.get(run.dataset_key)
    prepared = datasets.prepared(run.dataset_key, run.scaling)
    model = to_network_model(run.trainer, prepared, dataset)
    scores = model.evaluate(dataset)
    state.set_trained_network(model, run.dataset_key)
    runs.keep("network", run, model)
    results().append({
        "network": model.architecture,
        "hidden layers": ", ".join(map(str, model.hidden)),
        "init": model.init,
        "learning rate": model.learning_rate,
        "iterations": model.num_iterations,
        "final cost": round(run.trainer.current_cost(), 6),
        "train accuracy": f"{scores.train_accuracy:.1f} %",
        "test accuracy": f"{scores.test_accuracy:.1f} %",
        "time": f"{run.seconds:.2f} s",
        "dataset": datasets.options().get(run.dataset_key, run.dataset_key),
    })
    run.status = "done"
    class_session.finished("network", run, model, scores.train_accuracy, scores.test_accuracy)
    return model


# A row of the table of runs: what finish() records, and what the saved file keeps.
ROW_FIELDS = ("network", "hidden layers", "init", "learning rate", "iterations", "final cost",
              "train accuracy", "test accuracy", "time", "dataset")


def results():
    """Every finished network run of this session, oldest first."""
    return st.session_state.setdefault(RESULTS, [])


def depth_lessons(rows, dataset_key, dataset):
    """What the table's runs on this dataset say about depth (logreg.depth), as messages."""
    title = datasets.options().get(dataset_key, dataset_key)
    runs = []
    for row in rows:
        if row["dataset"] != title:
            continue
        dims = [int(n) for n in str(row["network"]).split("-")]
        runs.append(depth.Run(
            row["network"], len(dims) - 2,
            sum(a * b + b for a, b in zip(dims, dims[1:])),
            float(str(row["train accuracy"]).split()[0]),
            float(str(row["test accuracy"]).split()[0])))
    return depth.lessons(runs, dataset.m_train, dataset.m_test)


UNIT_VIEWS = ("weights", "change since the start")


def preset_name(preset):
    """A preset (or Custom) as the Model box shows it, in the session's language."""
    return {PRESET_NAMES[0]: t("One neuron — logistic regression"),
            PRESET_NAMES[1]: t("Two layers — the course's 7 hidden units"),
            PRESET_NAMES[2]: t("Four layers — the course's 20, 7, 5"),
            CUSTOM: t("Custom")}.get(preset, preset)


def init_name(init):
    """An initialisation's short name (its id stays in code and files)."""
    return {"small": t("small random"), "scaled": t("scaled random"),
            "zeros": t("zeros")}.get(init, init)


def unit_view_name(view):
    return {UNIT_VIEWS[0]: t("weights"), UNIT_VIEWS[1]: t("change since the start")}[view]


def results_table(rows):
    """The session's runs as the table shows them: its headings and words translated."""
    return [{t("network"): row["network"],
             t("hidden layers"): row["hidden layers"] or t("none: logistic regression"),
             t("initial weights"): init_name(row["init"]),
             t("learning rate"): row["learning rate"],
             t("iterations"): row["iterations"],
             t("final cost"): row["final cost"],
             t("train accuracy"): row["train accuracy"],
             t("test accuracy"): row["test accuracy"],
             t("time"): row["time"],
             t("dataset"): row["dataset"]} for row in rows]


def first_layer(trainer, view):
    """W1 now, or what training has added to it (W1 minus the random start)."""
    W1 = trainer.layer_weights(1)
    if view == UNIT_VIEWS[1]:
        W1 -= trainer.initial_parameters["W1"]
    return W1


def layer_weights(trainer):
    """{l: W{l}} of the layers after the first (cheap to read while training)."""
    return {l: trainer.layer_weights(l) for l in range(2, len(trainer.layer_dims))}


# ----------------------------------------------------------------------------- playground


def start_playground(name, hidden, activation, learning_rate, iterations, seed, per_tick):
    X, Y = planar.make(name)
    trainer = NetworkTrainer(X, Y, (2, *hidden, 1), learning_rate, activation, "small", seed)
    run = training.LiveRun(trainer, f"playground:{name}", "none", int(iterations),
                           per_tick=per_tick)
    st.session_state[PLAYGROUND] = run
    return run


def finish_playground(run):
    run.status = "done"
    class_session.finished("playground", run, train=playground_accuracy(run))


def playground_map(run, steps=70):
    """(xs, ys, P) of the run's current probability over a grid covering its points."""
    X = run.trainer.X
    xs, ys, G = planar.grid(X, steps)
    P = predict_proba(G, run.trainer.parameters, run.trainer.activation)
    return xs, ys, P.reshape(len(ys), len(xs))


def blank_map(X, steps=70):
    """(xs, ys, P) before any training: P = 0.5 everywhere, drawn white."""
    xs, ys, _ = planar.grid(X, steps)
    return xs, ys, [[0.5] * len(xs) for _ in ys]


def playground_accuracy(run):
    """Training accuracy in % of the run's current parameters."""
    trainer = run.trainer
    return float(accuracy(predict(trainer.X, trainer.parameters, trainer.activation),
                          trainer.Y))
