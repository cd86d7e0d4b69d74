"""Training the same model several ways for side-by-side comparisons (Normalization page).

Results are small (costs, accuracies) and kept in the session, so leaving the page and
coming back shows them again without retraining.
"""
import numpy as np
import streamlit as st

from logreg.pipeline import evaluate, to_model
from logreg.trainer import Trainer

from . import datasets

SCALINGS = "norm_results"     # session key: last scaling comparison
RATES = "lr_results"          # session key: last learning-rate comparison
COURSE_RATES = (0.01, 0.001, 0.0001)
COURSE_RATE_ITERATIONS = 1500


def train_one(dataset_key, scaling, iterations, learning_rate):
    """Costs at every iteration and both accuracies of one run."""
    dataset = datasets.get(dataset_key)
    prepared = datasets.prepared(dataset_key, scaling)
    trainer = Trainer(prepared.X_train, prepared.Y_train, learning_rate)
    trainer.run(int(iterations))
    evaluation = evaluate(to_model(trainer, prepared, dataset), dataset)
    return {"costs": np.asarray(trainer.costs), "final_cost": trainer.current_cost(),
            "train_accuracy": evaluation.train_accuracy,
            "test_accuracy": evaluation.test_accuracy}


def compare_scalings(dataset_key, iterations, learning_rate, modes, on_progress=None):
    """Train once per scaling mode with the same settings; store and return the results."""
    runs = {}
    for i, mode in enumerate(modes):
        if on_progress:
            on_progress(i, mode)
        runs[mode] = train_one(dataset_key, mode, iterations, learning_rate)
    result = {"dataset_key": dataset_key, "iterations": int(iterations),
              "learning_rate": float(learning_rate), "runs": runs}
    st.session_state[SCALINGS] = result
    return result


def compare_rates(dataset_key, scaling, rates=COURSE_RATES, iterations=COURSE_RATE_ITERATIONS,
                  on_progress=None):
    """The course's learning-rate experiment: same scaling, several learning rates."""
    runs = {}
    for i, rate in enumerate(rates):
        if on_progress:
            on_progress(i, rate)
        runs[rate] = train_one(dataset_key, scaling, iterations, rate)
    result = {"dataset_key": dataset_key, "scaling": scaling, "iterations": int(iterations),
              "runs": runs}
    st.session_state[RATES] = result
    return result
