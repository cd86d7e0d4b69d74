"""From a loaded dataset to a trained model, in the course's order.

Validate at the edge (:mod:`logreg.settings`), then pure steps:
flatten, scale, train. The model then predicts and scores itself (:mod:`logreg.model`).
"""
import threading
from dataclasses import dataclass

import numpy as np

from .course import DEFAULTS
from .params import TrainedModel
from .preprocessing import fit_scaler, flatten
from .settings import Logistic
from .diagnosis import largest_safe_rate
from .trainer import Trainer, choose_method

@dataclass(frozen=True, eq=False)
class Prepared:
    """The course's matrices for one dataset and one scaling: X is (n_x, m), Y is (1, m)."""

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    scaler: object

    # The three below are computed on first use and kept: a server shares one Prepared between
    # its sessions, and each took 0.1-0.3 s of a Train click when computed per run. Under
    # a lock of each Prepared's own: functools.cached_property's (Python 3.8-3.11) is one
    # for every instance, so a big uploaded dataset's K would hold up every session's.

    def __post_init__(self):
        object.__setattr__(self, "_kept", {})
        object.__setattr__(self, "_lock", threading.RLock())

    def _once(self, name, compute):
        with self._lock:
            if name not in self._kept:
                self._kept[name] = compute()
            return self._kept[name]

    @property
    def gram(self):
        """K = X_train.T @ X_train (read-only) when training takes the Gram path
        (:func:`logreg.trainer.choose_method`), else None. At most the size of X_train."""
        def compute():
            if choose_method(*self.X_train.shape) != "gram":
                return None
            K = self.X_train.T @ self.X_train
            K.flags.writeable = False
            return K
        return self._once("gram", compute)

    @property
    def test_cross(self):
        """X_train.T @ X_test (read-only) on the Gram path, else None: a run's scores at
        every recorded iteration (:func:`logreg.history.curves`) start from it, and it
        was a third of the server's work in a full-speed Train click when made per run."""
        def compute():
            if self.gram is None:
                return None
            cross = self.X_train.T @ self.X_test
            cross.flags.writeable = False
            return cross
        return self._once("test_cross", compute)

    @property
    def safe_rate(self):
        """The largest learning rate at which the cost falls at every step
        (:func:`logreg.diagnosis.largest_safe_rate`) on X_train."""
        return self._once("safe_rate",
                          lambda: largest_safe_rate(self.X_train, gram=self.gram))

    def trainer(self, learning_rate, **options):
        """A :class:`logreg.trainer.Trainer` on the training matrices, sharing :attr:`gram`."""
        return Trainer(self.X_train, self.Y_train, learning_rate, gram=self.gram, **options)


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
    chosen = Logistic.checked(iterations=num_iterations, learning_rate=learning_rate,
                              scaling=scaling)
    prepared = prepare(dataset, chosen.scaling)
    trainer = prepared.trainer(chosen.learning_rate)
    trainer.run(chosen.iterations)
    return to_model(trainer, prepared, dataset)
