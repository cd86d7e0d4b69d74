"""The session's recorded runs: every finished live run with its history, the last few kept.

A run is recorded while it trains (:func:`follow`, called when a live run starts) and kept
when it ends (:func:`keep`). The Train page keeps logistic regression's runs, the Network
page its networks', each at most :data:`MAX_RUNS`: a run holds its snapshots (at most
:data:`logreg.history.MAX_BYTES`) and its trainer, which gives the weights at any frame.
"""
import weakref
from dataclasses import dataclass, field

import streamlit as st

from logreg.history import History, curves

from . import datasets, state
from .i18n import say, t

MAX_RUNS = 5


@dataclass(eq=False)
class RecordedRun:
    """One finished run: its model, how it got there and what it scored on the way."""

    id: int
    kind: str
    dataset_key: str
    scaling: str
    model: object
    trainer: object
    history: History
    curves: object
    seconds: float
    # What studio.sections.replay computed for this run: its frames, its figure per threshold.
    replay_frames: object = field(default=None, repr=False)
    replay_figures: dict = field(default_factory=dict, repr=False)

    @property
    def label(self):
        """"run 3: 2,000 iterations · …" in the session's language."""
        return t("run {id}: {model}", id=self.id, model=say(self.model.describe()))


def follow(trainer, total):
    """Start recording a trainer that will train ``total`` iterations."""
    return History.follow(trainer, total)


def keep(kind, live_run, model):
    """Remember a finished live run; drop the oldest beyond :data:`MAX_RUNS`, saying so."""
    prepared = datasets.prepared(live_run.dataset_key, live_run.scaling)
    trainer, history = live_run.trainer, live_run.history
    trainer.recorder = None
    kept = recorded_runs(kind)
    recorded = RecordedRun(max((run.id for run in kept), default=0) + 1, kind,
                           live_run.dataset_key, live_run.scaling, model, trainer, history,
                           curves(trainer, history, prepared.X_test, prepared.Y_test,
                                  # the shared product, if this run trained on its matrix
                                  prepared.test_cross if trainer.X is prepared.X_train
                                  else None),
                           live_run.seconds)
    trainer.release_buffers()   # a kept run only replays: no step matrices held per session
    kept.append(recorded)
    while len(kept) > MAX_RUNS:
        dropped = kept.pop(0)
        state.flash("info", t("The session keeps its last {count} runs: run {id} was "
                              "forgotten.", count=MAX_RUNS, id=dropped.id))
    return recorded


def recorded_runs(kind):
    return st.session_state.setdefault(state.RUNS, {}).setdefault(kind, [])


def current_model(kind):
    return state.trained_model() if kind == "logistic" else state.trained_network()


def inspected(kind):
    """The recorded run whose model is the session's model of this kind, or None."""
    model = current_model(kind)
    return next((run for run in recorded_runs(kind) if run.model is model), None)


MAX_EVALUATIONS = 4   # a model of each kind on its dataset and on the one switched to


def evaluation(model, dataset, key=None):
    """``model.evaluate(dataset)`` computed once per model and dataset in this session: a
    finished run is scored by its page, its results, its export and its class record, and
    every rerun of the page asks again. ``key``: the dataset's, whose scaled matrices the
    session shares (:func:`datasets.prepared`): scaling the cat data's 259 pictures again
    was a fifth of a full-speed run's server time.

    The model and the dataset are held weakly: a dataset the session removes (and its
    megabytes) or a model it replaces goes, and its scores with it."""
    kept = st.session_state.setdefault(state.EVALUATIONS, [])
    kept[:] = [entry for entry in kept if entry[0]() is not None and entry[1]() is not None]
    for scored, on, scores in kept:
        if scored() is model and on() is dataset:
            return scores
    scores = model.evaluate(dataset, prepared=None if key is None
                            else datasets.prepared(key, model.scaler.mode))
    kept.append((weakref.ref(model), weakref.ref(dataset), scores))
    del kept[:-MAX_EVALUATIONS]
    return scores


def restore(kind, run_id):
    """Make a kept run's model the session's model again (and so the inspected run)."""
    run = next(run for run in recorded_runs(kind) if run.id == run_id)
    setter = state.set_trained if kind == "logistic" else state.set_trained_network
    setter(run.model, run.dataset_key)
    state.flash("success", t("Restored {run}.", run=run.label))
