"""From a loaded dataset to a trained model, in the course's order.

Validate at the edge (:func:`~logreg.course.check_hyperparameters`), then pure steps:
flatten, scale, train. The model then predicts and scores itself (:mod:`logreg.model`).
"""
from dataclasses import dataclass

import numpy as np

from .course import DEFAULTS, check_hyperparameters
from .params import TrainedModel
from .preprocessing import fit_scaler, flatten
from .trainer import Trainer

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
                        num_iterations=trainer.iteration, costs=np.asarray(trainer.costs),
                        dataset=dataset.name)


def fit(dataset, num_iterations=DEFAULTS["iterations"],
        learning_rate=DEFAULTS["learning_rate"], scaling=DEFAULTS["scaling"]):
    """Train from zeros and return the :class:`TrainedModel`."""
    check_hyperparameters(num_iterations, learning_rate, scaling)
    prepared = prepare(dataset, scaling)
    trainer = Trainer(prepared.X_train, prepared.Y_train, learning_rate)
    trainer.run(int(num_iterations))
    return to_model(trainer, prepared, dataset)
