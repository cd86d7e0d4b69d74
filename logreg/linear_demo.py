"""The seed post's Figure 1: linear regression by gradient descent, with and without
standardizing the input.

The post draws ``X = 100 * rand(1, m)`` and ``Y = 3X + 7 + 10 * noise`` (seed 42, m = 100)
and runs 1000 iterations at ``alpha = 1e-4`` on X as it is and on ``(X - mean) / std``.
The cost is the squared error ``1/(2m) * sum((Z - Y)^2)`` recorded before each update,
exactly as the post's loops do.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class LinearRun:
    """One gradient-descent run: the cost at every iteration and the final line."""

    costs: np.ndarray
    w: float
    b: float


@dataclass(frozen=True)
class LinearDemo:
    """The data and both runs of the seed's figure."""

    X: np.ndarray
    Y: np.ndarray
    raw: LinearRun
    standardized: LinearRun
    alpha: float
    iterations: int
    seed: int


def make_data(seed=42, m=100):
    """The post's data: X (1, m) uniform on [0, 100), Y = 3X + 7 + N(0, 10^2) noise."""
    rng = np.random.RandomState(seed)
    X = rng.rand(1, m) * 100
    Y = 3 * X + 7 + rng.randn(1, m) * 10
    return X, Y


def gradient_descent(X, Y, alpha, iterations):
    """Fit Z = wX + b from w = b = 0; costs[i] is the cost before update i."""
    m = X.shape[1]
    w, b = 0.0, 0.0
    costs = np.empty(int(iterations))
    for i in range(int(iterations)):
        residual = w * X + b - Y
        costs[i] = float(np.sum(residual ** 2) / (2 * m))
        w -= alpha * float(np.sum(residual * X) / m)
        b -= alpha * float(np.sum(residual) / m)
    return LinearRun(costs, w, b)


def check_settings(alpha, iterations, seed):
    """Raise ValueError with a plain sentence for settings the demo cannot run."""
    if not (isinstance(alpha, (int, float)) and np.isfinite(alpha) and 0 < alpha <= 1):
        raise ValueError(f"alpha must be a number above 0 and at most 1, got {alpha}")
    if int(iterations) != iterations or not 1 <= iterations <= 100_000:
        raise ValueError(f"iterations must be a whole number from 1 to 100,000, got {iterations}")
    if int(seed) != seed or not 0 <= seed < 2 ** 32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed}")


def run(alpha=1e-4, iterations=1000, seed=42, m=100):
    """Both runs of the seed's figure. Raises ValueError for unusable settings.

    A large alpha on the raw X diverges; the squared error then overflows, so the costs
    are computed with overflow silenced and reported as ``inf`` rather than warning.
    """
    check_settings(alpha, iterations, seed)
    X, Y = make_data(int(seed), m)
    X_std = (X - X.mean()) / X.std()
    with np.errstate(over="ignore", invalid="ignore"):
        raw = gradient_descent(X, Y, float(alpha), int(iterations))
        standardized = gradient_descent(X_std, Y, float(alpha), int(iterations))
    return LinearDemo(X, Y, raw, standardized, float(alpha), int(iterations), int(seed))
