"""A run's history: its parameters at evenly spaced iterations, recorded while it trains,
and what they scored on both splits at each of them.

A trainer (:class:`~logreg.trainer.Trainer` or :class:`~logreg.network.NetworkTrainer`)
offers a snapshot after every update the history ``wants``. Snapshots are as small as the
parameters allow: on the Gram path logistic regression's are the m coefficients c of
w = X c and b (209 numbers on the cat data, not 12,288). A model at a recorded iteration is
rebuilt with the trainer's ``parameters_at``, bit for bit the one training would have
frozen there.
"""
import math
from dataclasses import dataclass

import numpy as np

from .core import THRESHOLD, sigmoid
from .files import MEGABYTE
from .trainer import accuracy

# A run's recording stays under this many bytes of snapshots...
MAX_BYTES = 5 * MEGABYTE
# ...and this many frames, plenty for a slider and cheap to score all at once.
MAX_FRAMES = 400


class History:
    """Snapshots at iterations 0, ``every``, 2 ``every``, ... and the last one, ``total``.

    Parameters
    ----------
    total : int, the iterations the run will train
    snapshot_nbytes : int, what one snapshot holds
    budget : int, bytes all snapshots together may hold
    max_frames : int

    Attributes
    ----------
    every : int
    iterations : list of int, ascending
    snapshots : list, one per iteration
    """

    def __init__(self, total, snapshot_nbytes, budget=MAX_BYTES, max_frames=MAX_FRAMES):
        self.total = int(total)
        frames = max(2, min(max_frames, budget // max(int(snapshot_nbytes), 1)))
        # frames - 1 gaps between 0 and total, plus total itself when it is not a multiple.
        self.every = max(1, math.ceil(self.total / (frames - 2))) if frames > 2 else \
            max(1, self.total)
        self.snapshot_nbytes = int(snapshot_nbytes)
        self.iterations, self.snapshots = [], []

    @classmethod
    def follow(cls, trainer, total, **limits):
        """Record ``trainer`` from its current iteration on to ``total``."""
        history = cls(total, trainer.snapshot_nbytes(), **limits)
        trainer.recorder = history
        history.add(trainer.iteration, trainer.snapshot())
        return history

    def wants(self, iteration):
        return iteration % self.every == 0 or iteration == self.total

    def wanted(self, after, upto):
        """The iterations in (after, upto] it :meth:`wants`, ascending."""
        found = list(range((after // self.every + 1) * self.every, upto + 1, self.every))
        if after < self.total <= upto and self.total % self.every:
            found.append(self.total)
        return found

    def add(self, iteration, snapshot):
        if self.iterations and iteration <= self.iterations[-1]:
            return   # a resumed run offers nothing new twice
        self.iterations.append(int(iteration))
        self.snapshots.append(snapshot)

    @property
    def nbytes(self):
        return len(self.snapshots) * self.snapshot_nbytes

    def index_of(self, iteration):
        """The frame at ``iteration`` or the last one before it."""
        return max(0, int(np.searchsorted(self.iterations, iteration, side="right")) - 1)


@dataclass(frozen=True, eq=False)
class Curves:
    """What a run scored at each recorded iteration (arrays of shape (s,) unless noted).

    ``z_train`` (s, m) and ``z_test`` (s, m_test) are the output unit's logits; costs are
    the cross-entropy J, accuracies in % by the course's formula at its threshold.
    """

    iterations: np.ndarray
    z_train: np.ndarray
    z_test: np.ndarray
    train_cost: np.ndarray
    test_cost: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray

    @property
    def best(self):
        """Index of the frame where the test cost is lowest (the first, on a tie)."""
        return int(np.argmin(self.test_cost))

    def p_test(self, picture):
        """P(class 1) of one test picture at every frame."""
        return sigmoid(self.z_test[:, picture])


def _scores(z, Y):
    """Cost and accuracy of every row of logits z (s, k) against labels Y (1, k)."""
    losses = Y * np.logaddexp(0.0, -z) + (1.0 - Y) * np.logaddexp(0.0, z)
    answers = (sigmoid(z) > THRESHOLD).astype(float)
    return losses.mean(axis=1), accuracy(answers, Y, axis=1)


def curves(trainer, history, X_test, Y_test, test_cross=None):
    """Score every snapshot of ``history`` on the training set and on (X_test, Y_test).
    ``test_cross``: X_trainᵀ X_test when the caller keeps it (a Gram-path trainer then
    skips that product: :attr:`logreg.pipeline.Prepared.test_cross`)."""
    z_train = trainer.logits_at(history.snapshots, trainer.X)
    z_test = trainer.logits_at(history.snapshots, X_test, cross=test_cross)
    Y_test = np.asarray(Y_test, dtype=float).reshape(1, -1)
    train_cost, train_accuracy = _scores(z_train, trainer.Y)
    test_cost, test_accuracy = _scores(z_test, Y_test)
    return Curves(np.array(history.iterations), z_train, z_test, train_cost, test_cost,
                  train_accuracy, test_accuracy)
