"""From a loaded dataset to a trained model and its scores, in the course's order.

Validate at the edge (:func:`check_hyperparameters`), then pure steps: flatten, scale,
train, predict.
"""
import math
from dataclasses import dataclass

import numpy as np

from .params import TrainedModel
from .preprocessing import SCALING_MODES, fit_scaler, flatten
from .trainer import Trainer, accuracy

MAX_ITERATIONS = 100_000
MAX_LEARNING_RATE = 100.0


def check_hyperparameters(num_iterations, learning_rate, scaling="divide255"):
    """Raise ValueError with a plain sentence if a setting cannot be trained with."""
    try:
        # Through float, so "1e5" and "100.0" from a URL count as the whole numbers they are.
        count = float(num_iterations)
    except (TypeError, ValueError, OverflowError):
        count = math.nan
    if not (count.is_integer() and 1 <= count <= MAX_ITERATIONS):
        raise ValueError(f"number of iterations must be a whole number from 1 to "
                         f"{MAX_ITERATIONS:,}, got {num_iterations}")
    try:
        rate = float(learning_rate)
    except (TypeError, ValueError):
        rate = math.nan
    if not (math.isfinite(rate) and 0 < rate <= MAX_LEARNING_RATE):
        raise ValueError(f"learning rate must be a number above 0 and at most "
                         f"{MAX_LEARNING_RATE:g}, got {learning_rate}")
    if scaling not in SCALING_MODES:
        raise ValueError(f"scaling must be one of {', '.join(SCALING_MODES)}, got {scaling!r}")


@dataclass(frozen=True, eq=False)
class Prepared:
    """The course's matrices for one dataset and one scaling: X is (n_x, m), Y is (1, m)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    scaler: object


def prepare(dataset, scaling):
    """Flatten and scale a :class:`~logreg.data.Dataset`, fitting the scaler on train only."""
    X_train_raw = flatten(dataset.train_set_x_orig)
    scaler = fit_scaler(scaling, X_train_raw)
    X_train = scaler.transform(X_train_raw)
    X_test = scaler.transform(flatten(dataset.test_set_x_orig))
    for matrix in (X_train, X_test):
        matrix.flags.writeable = False  # shared between sessions: nobody may change it
    return Prepared(X_train, dataset.train_set_y.astype(float), X_test,
                    dataset.test_set_y.astype(float), scaler)


def to_model(trainer, prepared, dataset):
    """Freeze a trainer's current state into a :class:`TrainedModel`."""
    return TrainedModel(w=trainer.w, b=trainer.b, scaler=prepared.scaler,
                        num_px=dataset.num_px, channels=dataset.channels,
                        classes=tuple(dataset.classes), learning_rate=trainer.learning_rate,
                        num_iterations=trainer.iteration, costs=np.asarray(trainer.costs))


def fit(dataset, num_iterations=2000, learning_rate=0.005, scaling="divide255", prepared=None):
    """Train from zeros and return the :class:`TrainedModel`."""
    check_hyperparameters(num_iterations, learning_rate, scaling)
    prepared = prepared or prepare(dataset, scaling)
    trainer = Trainer(prepared.X_train, prepared.Y_train, learning_rate)
    trainer.run(int(num_iterations))
    return to_model(trainer, prepared, dataset)


@dataclass(frozen=True)
class Evaluation:
    """Probabilities, 0/1 predictions and accuracies (in %) on both splits."""

    p_train: np.ndarray
    p_test: np.ndarray
    Y_prediction_train: np.ndarray
    Y_prediction_test: np.ndarray
    train_accuracy: float
    test_accuracy: float


def evaluate(model, dataset):
    """Score a model on a dataset with the course's accuracy formula."""
    p_train = model.probabilities_of_images(dataset.train_set_x_orig)
    p_test = model.probabilities_of_images(dataset.test_set_x_orig)
    pred_train = (p_train > 0.5).astype(float).reshape(1, -1)
    pred_test = (p_test > 0.5).astype(float).reshape(1, -1)
    return Evaluation(p_train, p_test, pred_train, pred_test,
                      float(accuracy(pred_train, dataset.train_set_y)),
                      float(accuracy(pred_test, dataset.test_set_y)))
