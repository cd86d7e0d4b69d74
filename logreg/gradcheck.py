"""Checking the analytic gradient of :func:`logreg.core.propagate` against finite differences.

The numerical gradient nudges every parameter by +/- epsilon and takes the centered
difference of the cost, ``(J(theta + eps) - J(theta - eps)) / (2 eps)``; its error is
O(eps^2), so a correct backward pass agrees to about 1e-7 relative difference or better.
"""
from dataclasses import dataclass

import numpy as np

from .core import cost_from_logits, propagate


@dataclass(frozen=True)
class GradCheck:
    """Analytic and numerical gradients of (w, b) flattened into one vector, and their gap."""

    analytic: np.ndarray
    numerical: np.ndarray
    relative_difference: float
    epsilon: float

    @property
    def passed(self):
        """Whether the relative difference is below the usual 1e-7 threshold."""
        return self.relative_difference < 1e-7


def random_problem(n_features=4, m=6, seed=0):
    """A small random problem: w (n, 1), b, X (n, m) and 0/1 labels Y (1, m)."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(n_features, 1))
    b = float(rng.normal())
    X = rng.normal(size=(n_features, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return w, b, X, Y


def _cost(w, b, X, Y):
    return cost_from_logits(np.dot(w.T, X) + b, Y)


def numerical_gradient(w, b, X, Y, epsilon=1e-7):
    """Centered-difference gradient of the cost, as one vector [dw..., db]."""
    theta = np.append(w.ravel(), b)
    grad = np.empty_like(theta)
    for i in range(theta.size):
        plus, minus = theta.copy(), theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        j_plus = _cost(plus[:-1].reshape(w.shape), plus[-1], X, Y)
        j_minus = _cost(minus[:-1].reshape(w.shape), minus[-1], X, Y)
        grad[i] = (j_plus - j_minus) / (2 * epsilon)
    return grad


def check(w, b, X, Y, epsilon=1e-7):
    """Compare propagate's gradient with the numerical one.

    The relative difference is ``||g_a - g_n|| / (||g_a|| + ||g_n||)``.
    """
    grads, _ = propagate(w, b, X, Y)
    analytic = np.append(grads["dw"].ravel(), grads["db"])
    numerical = numerical_gradient(w, b, X, Y, epsilon)
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numerical)
    difference = float(np.linalg.norm(analytic - numerical) / denominator) if denominator else 0.0
    return GradCheck(analytic, numerical, difference, epsilon)
