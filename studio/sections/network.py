"""The Network page's state: its presets, its live runs and the table of this session's runs.

Networks train live exactly like logistic regression on the Train page (the same
:class:`.training.LiveRun`, drawn by the same :mod:`.live_panel`), under their own session
keys so a network run and a Train-page run never touch each other.
"""
import hashlib
import time
from dataclasses import dataclass
from typing import Optional

import numpy as np
import streamlit as st

from logreg import course, depth, planar
from logreg.network import NetworkTrainer, predict
from logreg.network_model import to_network_model
from logreg.trainer import accuracy
from logreg.trajectory import Trajectory

from . import class_session, training
from ..session import bounded, datasets, runs, state, turns
from ..session.i18n import t

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
# The playground's points at first (its network's settings: logreg.settings.Playground).
POINTS_DEFAULTS = dict(dataset="flower", noise=planar.NOISE["flower"], test_share=0)


def start(dataset_key, chosen):
    """Begin a network run with ``chosen`` (:class:`logreg.settings.Network`, read at the
    page's edge) at full speed, as :func:`.training.start`; its set-up time counts as
    training."""
    began = time.perf_counter()
    prepared = datasets.prepared(dataset_key, SCALING)
    layer_dims = (prepared.X_train.shape[0], *chosen.hidden, 1)
    trainer = NetworkTrainer(prepared.X_train, prepared.Y_train, layer_dims,
                             chosen.learning_rate, chosen.activation, chosen.init, chosen.seed)
    run = training.LiveRun(trainer, dataset_key, SCALING, chosen.iterations,
                           seconds=time.perf_counter() - began,
                           history=runs.follow(trainer, chosen.iterations))
    st.session_state[LIVE] = run
    return run


def finish(run):
    """Score the finished network, keep it for Classify and add its row to the table."""
    dataset = datasets.get(run.dataset_key)
    prepared = datasets.prepared(run.dataset_key, run.scaling)
    model = to_network_model(run.trainer, prepared, dataset)
    scores = runs.evaluation(model, dataset, run.dataset_key)
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
#
# The playground trains here and is drawn in the browser (sections.playground): a run records
# its frames (logreg.trajectory) while it trains, in a few chunks of CPU time, and the page
# sends them to the browser, which animates them. The run's trainer is always the model the
# page reports: at the end of the run, or at the frame the browser was stopped on.

OWN = "yours"                # the Points box's value for the learner's own points
# A run's first answer: 10 frames (0.6 s of "watch it learn", 500 iterations of the default
# run, 30 ms of CPU), or what this much CPU trains of a bigger network: the browser starts
# drawing them while the next request trains the rest.
FIRST_FRAMES = 10
FIRST_SECONDS = 0.05
MORE_SECONDS = 1.0           # CPU per later request for frames (the page answers in between)


@dataclass(eq=False)
class PlaygroundRun(training.LiveRun):
    """A playground run: the live run, what it learns from and what the browser draws.

    ``source`` is the Points box's value (a generator's name, or :data:`OWN`). Its
    ``dataset_key`` is ``"playground:<generator>"`` only on a generator's points as the
    course draws them (its usual noise, none held out, no feature crosses), so that a class's
    board and an export compare like with like; else it says what differs
    (``"playground:flower · noise 0.5 · crosses"``, ``"playground:yours"``). ``points_key``
    tells whether the points on screen are the ones it learned from.
    """

    points: Optional[planar.Points] = None
    source: str = ""
    noise: Optional[float] = None  # the generator's noise (None: its usual, or own points)
    crosses: bool = False
    points_key: str = ""
    trajectory: Optional[Trajectory] = None
    fresh: bool = True            # its first frames have not been sent yet
    cpu: float = 0.0              # CPU seconds spent training it
    outcome: Optional[bounded.Outcome] = None   # set when it was cut
    reported: bool = False        # the class has heard of its end
    encoded: tuple = (None, None)  # (what it showed, the browser's data), sections.playground

    def made_points(self):
        """(generator, noise) when a generator remakes exactly the points it learned from
        (no point held out, no feature crosses), the noise None when it is the usual one:
        what an export can carry; else None."""
        if self.source not in planar.DATASETS or self.crosses or self.points.test.any():
            return None
        usual = self.noise is None or self.noise == planar.NOISE[self.source]
        return self.source, None if usual else self.noise


def _points_label(name, noise, points, crosses):
    """The points a run learned from, as its dataset_key names them (see PlaygroundRun)."""
    parts = [name]
    if name in planar.NOISE and noise is not None and noise != planar.NOISE[name]:
        parts.append(f"noise {noise:g}")
    if points.test.any():
        parts.append(f"{int(points.test.sum())} held out")
    if crosses:
        parts.append("crosses")
    return " · ".join(parts)


def playground_points(name, noise=None, share=0.0):
    """The points the playground shows: a made-up set (``noise`` None: its usual) or the
    learner's own (``name`` :data:`OWN`), about ``share`` of them held out for testing."""
    if name == OWN:
        X, Y, box = st.session_state.get(state.PLAYGROUND_POINTS) or (
            np.zeros((2, 0)), np.zeros((1, 0)), planar.DEFAULT_EXTENT)
        return planar.Points.split(X, Y, share, box)
    return planar.Points.split(*planar.make(name, noise=noise), share)


def keep_own_points(X, Y, box):
    """Make ``X, Y`` (drawn in ``box``) the learner's own points."""
    st.session_state[state.PLAYGROUND_POINTS] = (np.asarray(X, dtype=float).reshape(2, -1),
                                                 np.asarray(Y, dtype=float).reshape(1, -1),
                                                 tuple(map(float, box)))


def points_key(points, crosses):
    """A short digest of what a run learns from: the points, the split and the features."""
    digest = hashlib.blake2b(digest_size=8)
    for array in (points.X, points.Y, points.test):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(repr((points.extent, bool(crosses))).encode())
    return digest.hexdigest()


def start_playground(points, chosen, seed=1, name=OWN, noise=None):
    """Begin a playground run on ``points`` with ``chosen`` (:class:`logreg.settings.
    Playground`, read at the section's edge; ``name`` and ``noise`` say where the points
    came from) and train its first frames; returns the :class:`PlaygroundRun`."""
    crosses = chosen.crosses
    inputs = planar.with_crosses if crosses else None
    X, Y = points.train
    X_test, Y_test = points.held_out
    features = inputs(X) if crosses else X
    trainer = NetworkTrainer(features, Y, (features.shape[0], *chosen.hidden, 1),
                             chosen.learning_rate, chosen.activation, "small", seed)
    trajectory = Trajectory(trainer, chosen.iterations, points.extent, inputs,
                            inputs(X_test) if crosses else X_test, Y_test)
    run = PlaygroundRun(trainer, f"playground:{_points_label(name, noise, points, crosses)}",
                        "none", chosen.iterations, points=points, source=name, noise=noise,
                        crosses=crosses,
                        points_key=points_key(points, crosses), trajectory=trajectory)
    st.session_state[PLAYGROUND] = run
    advance_playground(run, FIRST_SECONDS, until=trajectory.every * FIRST_FRAMES)
    return run


def advance_playground(run, seconds=MORE_SECONDS, until=None):
    """Train a running run for about ``seconds`` of CPU (in the process's turn), or up to
    iteration ``until``; a run whose CPU reached studio.session.bounded's limit per press is cut
    where it is."""
    if run.status != "running":
        return
    began = time.perf_counter()
    with turns.turn():
        budget = bounded.Budget(min(seconds, max(bounded.CPU_SECONDS - run.cpu, 0.0)))
        outcome = bounded.advance_together([run.trainer], min(run.total, until or run.total),
                                           budget)
    run.cpu += budget.spent()
    run.seconds += time.perf_counter() - began
    if outcome.cut and (outcome.reason != "budget" or run.cpu >= bounded.CPU_SECONDS):
        run.outcome = bounded.Outcome(outcome.iteration, run.total, outcome.reason)
        run.trajectory.add(run.trainer.iteration, run.trainer.snapshot())   # its last frame
        finish_playground(run)
    elif run.trainer.iteration >= run.total:
        finish_playground(run)


def finish_playground(run):
    run.status = "done"
    if not run.reported:   # a run stopped and resumed ends a second time
        run.reported = True
        class_session.finished("playground", run, train=playground_accuracy(run))


def playground_end(run):
    """The last iteration the run will reach: its total, or where it was cut."""
    return run.outcome.iteration if run.outcome is not None else run.total


def show_playground_frame(run, action, iteration):
    """The browser's Stop, Step or Resume on the run's animation: afterwards the run's
    trainer is the model at the frame the browser shows.

    Stop and Step name a recorded frame's ``iteration``; a trainer already past it is
    traced again from its start (gradient descent is deterministic: the same numbers, bit
    for bit, see tests/test_playground.py), one behind it steps forward. Resume lets the
    run train on to its end. Anything else is ignored.
    """
    trajectory = run.trajectory
    if action == "resume":
        if run.status == "stopped":
            run.status = "running"
            run.fresh = False
        return
    if action not in ("stop", "step") or iteration not in trajectory.iterations:
        return
    trainer = run.trainer
    with turns.turn():
        if trainer.iteration > iteration:
            trainer = NetworkTrainer(trainer.X, trainer.Y, trainer.layer_dims,
                                     trainer.learning_rate, trainer.activation, trainer.init,
                                     trainer.seed, trainer.method)
            trajectory.follow(trainer)
            run.trainer = trainer
        trainer.step(iteration - trainer.iteration)
    ended = iteration >= playground_end(run)
    run.status = "done" if ended else "stopped"


def playground_accuracy(run):
    """Training accuracy in % of the run's current parameters."""
    trainer = run.trainer
    return float(accuracy(predict(trainer.X, trainer.parameters, trainer.activation),
                          trainer.Y))
