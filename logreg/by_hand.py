"""One gradient-descent update of logistic regression, with everything a learner checks.

The course's ``propagate`` computes the cost and the gradients; :func:`step_by_hand` adds
what happens to a few example pictures on the way (z, A = sigmoid(z), A - Y), the size of
the gradients and the cost after the update, so one update can be read line by line.
"""
from dataclasses import dataclass

import numpy as np

from .core import cost_from_logits, propagate, sigmoid


@dataclass(frozen=True, eq=False)
class HandStep:
    """One update from (w, b) to (w_new, b_new).

    ``examples`` are column indices of X; ``z``, ``A``, ``Y``, ``dZ`` their values before
    the update (shape (k,)); ``dw_norm`` is ‖dw‖, ``db`` the bias gradient; ``cost`` the
    cost before the update, ``new_cost`` after it.
    """

    iteration: int
    examples: np.ndarray
    z: np.ndarray
    A: np.ndarray
    Y: np.ndarray
    dZ: np.ndarray
    dw_norm: float
    db: float
    cost: float
    new_cost: float
    w_new: np.ndarray
    b_new: float


def example_columns(Y, count=3):
    """``count`` pictures to follow: class 1 and class 0 alternately, first ones first."""
    y = np.asarray(Y).ravel()
    ones, zeros = list(np.flatnonzero(y == 1)), list(np.flatnonzero(y == 0))
    picked = []
    while len(picked) < count and (ones or zeros):
        for pool in (ones, zeros):
            if pool and len(picked) < count:
                picked.append(int(pool.pop(0)))
    return np.array(picked)


def step_by_hand(w, b, X, Y, learning_rate, examples, iteration=0):
    """Apply w := w - α dw, b := b - α db once from (w, b); return a :class:`HandStep`."""
    grads, cost = propagate(w, b, X, Y)
    z = (w.T @ X[:, examples] + b).ravel()
    A = sigmoid(z)
    y = Y.ravel()[examples]
    w_new = w - learning_rate * grads["dw"]
    b_new = b - learning_rate * grads["db"]
    new_cost = cost_from_logits(w_new.T @ X + b_new, Y)
    return HandStep(int(iteration), np.asarray(examples), z, A, y, A - y,
                    float(np.linalg.norm(grads["dw"])), grads["db"], cost, new_cost, w_new,
                    float(b_new))
