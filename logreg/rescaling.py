"""Dividing the pixels by 255 is (almost) a change of learning rate.

Write w' = 255 · w. A model on raw pixels x with weights w gives w'^T (x / 255) = w^T x: the
same predictions as a model on x / 255 with weights w'. One gradient step on the raw model
changes w by α · (1/m) X dZ^T; measured in w' that is 255² times larger than the step the
/255 model takes with the same α. So raw pixels with learning rate α / 255² take exactly the
steps of /255 pixels with α on the pixel weights. Only the bias differs: its input is the
constant 1, which nobody divides, so its step is the same α in both models. Give the raw
model's bias its own step α and the two runs are the same run, up to rounding.

:class:`SplitRateTrainer` is that experiment: gradient descent with one step size for the
pixel weights and another for the bias.
"""
import numpy as np

from .core import sigmoid_and_cost
from .trainer import check_gram, choose_method

PIXEL_SCALE = 255.0


def equivalent_raw_rate(learning_rate, scale=PIXEL_SCALE):
    """The learning rate on raw pixels whose weight steps equal ``learning_rate`` on x/scale."""
    return learning_rate / scale ** 2


class SplitRateTrainer:
    """Logistic regression by gradient descent from zeros, with its own step for the bias.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), labels 0/1
    learning_rate : float, the step size of the weights w
    bias_rate : float, the step size of the bias b
    gram : ndarray of shape (m, m), optional, X^T X when the caller already has it

    With ``bias_rate == learning_rate`` this is the course's gradient descent. Like
    :class:`logreg.trainer.Trainer` it advances ``step(k)`` iterations at a time and records
    the cost before every update in ``costs``. From zero weights w stays a combination
    X @ a of the examples, so with fewer examples than pixels it iterates on a
    (m x m Gram matrix K = X^T X: z = K a + b).
    """

    def __init__(self, X, Y, learning_rate, bias_rate, gram=None):
        X = np.asarray(X, dtype=float)
        self.Y = np.asarray(Y, dtype=float).reshape(-1)
        if X.ndim != 2 or X.shape[1] != self.Y.size:
            raise ValueError(f"X must be (features, m) with m = {self.Y.size}, got {X.shape}")
        check_gram(gram, X)
        self.X = X
        self.learning_rate, self.bias_rate = float(learning_rate), float(bias_rate)
        self.gram = choose_method(*X.shape) == "gram"
        if self.gram:
            # K as logreg.trainer.Trainer takes it: given (shared, Prepared.gram) or computed.
            self._K = gram if gram is not None else X.T @ X
            self._a = np.zeros(X.shape[1])
        else:
            self._w = np.zeros(X.shape[0])
        self.b = 0.0
        self.iteration = 0
        self.costs = []

    @property
    def w(self):
        """The current weights, shape (n_x, 1)."""
        return (self.X @ self._a if self.gram else self._w.copy()).reshape(-1, 1)

    def step(self, k=1):
        """Apply k updates, recording the cost before each one. Returns self."""
        m = self.Y.size
        weight_step, bias_step = self.learning_rate / m, self.bias_rate / m
        for _ in range(int(k)):
            z = (self._K @ self._a if self.gram else self._w @ self.X) + self.b
            A, cost = sigmoid_and_cost(z, self.Y)
            self.costs.append(cost)
            dz = A - self.Y
            if self.gram:
                self._a -= weight_step * dz
            else:
                self._w -= weight_step * (self.X @ dz)
            self.b -= bias_step * float(dz.sum())
            self.iteration += 1
        return self

    def run(self, num_iterations):
        """Advance until ``num_iterations`` updates have been applied in total."""
        return self.step(max(0, int(num_iterations) - self.iteration))


def max_difference(costs_a, costs_b):
    """The largest gap between two cost curves over their common length."""
    n = min(len(costs_a), len(costs_b))
    if n == 0:
        return 0.0
    return float(np.max(np.abs(np.asarray(costs_a[:n], float) - np.asarray(costs_b[:n], float))))
