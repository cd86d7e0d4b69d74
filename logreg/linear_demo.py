"""The seed post's Figure 1: linear regression by gradient descent, with and without
standardizing the input.

The post draws ``X = 100 * rand(1, m)`` and ``Y = 3X + 7 + 10 * noise`` (seed 42, m = 100)
and runs 1000 iterations at ``alpha = 1e-4`` on X as it is and on ``(X - mean) / std``.
The cost is the squared error ``1/(2m) * sum((Z - Y)^2)`` recorded before each update,
exactly as the post's loops do.

The squared error is a bowl in (w, b): J(w, b) = 1/2 [w b] H [w b]^T - g^T [w b] + c with
H = (1/m) X~ X~^T (X~ is X with a row of ones). :func:`curvatures` are H's eigenvalues: how
steep the bowl is along its steepest and its flattest direction. Gradient descent diverges
for any alpha above 2 / (steepest), and along the flattest direction it shrinks the distance
to the bottom only by a factor (1 - alpha * flattest) per step. On raw X (0 to 100, next to
the bias's constant 1) the two differ thousands of times: a narrow ravine, where the steep
side caps alpha and the path then crawls along the floor. Standardized X makes H the
identity: a round bowl, where alpha = 1 reaches the bottom in one step.
"""

from dataclasses import dataclass

import numpy as np

from . import workload
from .course import MAX_ITERATIONS
from .network import MAX_SEED
from .words import Message, N_


@dataclass(frozen=True)
class LinearRun:
    """One gradient-descent run at learning rate ``alpha``: the cost before every update,
    the path ``ws``, ``bs`` (the parameters before every update, then the final ones, so one
    longer than ``costs``) and the final line ``w``, ``b``."""

    costs: np.ndarray
    ws: np.ndarray
    bs: np.ndarray
    alpha: float

    @property
    def w(self):
        return float(self.ws[-1])

    @property
    def b(self):
        return float(self.bs[-1])


@dataclass(frozen=True)
class LinearDemo:
    """The data and both runs of the seed's figure."""

    X: np.ndarray
    Y: np.ndarray
    raw: LinearRun
    standardized: LinearRun
    iterations: int
    seed: int

    @property
    def X_standardized(self):
        return standardize(self.X)


def make_data(seed=42, m=100):
    """The post's data: X (1, m) uniform on [0, 100), Y = 3X + 7 + N(0, 10^2) noise."""
    rng = np.random.RandomState(seed)
    X = rng.rand(1, m) * 100
    Y = 3 * X + 7 + rng.randn(1, m) * 10
    return X, Y


def standardize(X):
    """(X - mean) / std, as the post does."""
    return (X - X.mean()) / X.std()


def gradient_descent(X, Y, alpha, iterations, start=(0.0, 0.0)):
    """Fit Z = wX + b from ``start`` (w = b = 0); costs[i] is the cost before update i.

    The post's loop, one update at a time: the reference :func:`descend` is checked
    against, and a Python loop (the Normalization page's 100,000 iterations took seconds).
    Once w and b are both NaN (a diverged run overflowed) every later number is NaN too, so
    the loop stops there and fills them in.
    """
    m = X.shape[1]
    w, b = start
    costs = np.full(int(iterations), np.nan)
    ws, bs = np.full(int(iterations) + 1, np.nan), np.full(int(iterations) + 1, np.nan)
    for i in range(int(iterations)):
        if w != w and b != b:
            return LinearRun(costs, ws, bs, float(alpha))
        ws[i], bs[i] = w, b
        residual = w * X + b - Y
        costs[i] = float(np.sum(residual ** 2) / (2 * m))
        w -= alpha * float(np.sum(residual * X) / m)
        b -= alpha * float(np.sum(residual) / m)
    ws[-1], bs[-1] = w, b
    return LinearRun(costs, ws, bs, float(alpha))


# Beyond this size an iterate is left to the loop: where a diverging run overflows to inf
# and then NaN is the loop's arithmetic, not the formula's.
_HANDOVER = 1e300


def descend(X, Y, alpha, iterations):
    """The same run as :func:`gradient_descent` from w = b = 0, every iterate at once.

    The gradient of the squared error is H θ - g (θ = (w, b), g = (mean(xy), mean(y))), so
    a step is the affine map θ := θ - α (H θ - g). Along each eigenvector of H (curvature
    λ) the distance to the bottom θ* = H⁻¹ g is multiplied by μ = 1 - α λ at every step:

        θ_k = θ* - Q diag(μ^k) Qᵀ θ*,        H = Q diag(λ) Qᵀ,

    shrinking when |μ| < 1, diverging when |μ| > 1 (α above 2 / λ). The costs are the
    squared error at each θ_k, computed as the loop does. A run that diverges past 1e300
    is finished by the loop from its last iterate below that, so it overflows to inf and
    NaN at the same iterations; that tail is short (from 1e300 to the float limit, 1.8e308,
    is a few percent of the way from 1 to 1e300). Numbers match the loop to rounding
    (tests/test_linear_demo.py).
    """
    x, y = np.asarray(X, dtype=float).ravel(), np.asarray(Y, dtype=float).ravel()
    n = int(iterations)
    curvature, Q = np.linalg.eigh(curvature_matrix(x))
    bottom = Q.T @ np.array(minimum(x, y))            # θ* in H's eigenvectors
    mu = 1.0 - alpha * curvature
    with np.errstate(over="ignore", invalid="ignore"):
        powers = mu[None, :] ** np.arange(n + 1)[:, None]     # (n + 1, 2)
        path = (bottom * (1.0 - powers)) @ Q.T               # θ_k, one row per k
        far = ~(np.abs(path) < _HANDOVER).all(axis=1)
    ws, bs = path[:, 0].copy(), path[:, 1].copy()
    costs = np.empty(n)
    known = max(int(np.argmax(far)) - 1, 0) if far.any() else n   # the last one trusted
    costs[:known] = squared_error(x, y, ws[:known], bs[:known])
    if known < n:
        tail = gradient_descent(x[None, :], y[None, :], alpha, n - known,
                                start=(float(ws[known]), float(bs[known])))
        costs[known:], ws[known:], bs[known:] = tail.costs, tail.ws, tail.bs
    return LinearRun(costs, ws, bs, float(alpha))


def squared_error(x, y, ws, bs, rows=512):
    """The cost 1/(2m) sum((w x + b - y)^2) at every (ws[k], bs[k]), as the loop computes
    it (so it overflows to inf where the loop's does), ``rows`` at a time (a block that
    stays in the processor's cache: twice as fast as 4,096)."""
    costs = np.empty(len(ws))
    for first in range(0, len(ws), rows):
        w, b = ws[first:first + rows, None], bs[first:first + rows, None]
        residual = w * x + b - y
        costs[first:first + rows] = np.sum(residual ** 2, axis=1) / (2 * x.size)
    return costs


def curvature_matrix(X):
    """H = (1/m) X~ X~^T, the squared error's (constant) second derivative in (w, b)."""
    x = np.asarray(X, dtype=float).ravel()
    return np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def curvatures(X):
    """(flattest, steepest): the eigenvalues of :func:`curvature_matrix`, ascending."""
    low, high = np.linalg.eigvalsh(curvature_matrix(X))
    return float(low), float(high)


def largest_stable_alpha(X):
    """Any alpha above 2 / steepest curvature makes gradient descent diverge on X."""
    return 2.0 / curvatures(X)[1]


def own_alpha(X):
    """1 / steepest curvature: the largest step that never overshoots the bottom along the
    steepest direction (it lands there in one step); half the divergence limit."""
    return 1.0 / curvatures(X)[1]


def minimum(X, Y):
    """The bottom of the bowl (w*, b*): the least-squares line."""
    x, y = np.asarray(X, dtype=float).ravel(), np.asarray(Y, dtype=float).ravel()
    g = np.array([np.mean(x * y), np.mean(y)])
    w, b = np.linalg.solve(curvature_matrix(x), g)
    return float(w), float(b)


def cost_grid(X, Y, ws, bs):
    """J(w, b) for every w in ``ws`` (columns) and b in ``bs`` (rows): shape (len(bs), len(ws)).

    From the sums the squared error is made of, so a grid costs no pass over the data:
    J = 1/2 (w² mean(x²) + 2wb mean(x) + b² - 2w mean(xy) - 2b mean(y) + mean(y²)).
    """
    x, y = np.asarray(X, dtype=float).ravel(), np.asarray(Y, dtype=float).ravel()
    W, B = np.meshgrid(np.asarray(ws, dtype=float), np.asarray(bs, dtype=float))
    return 0.5 * (W * W * np.mean(x * x) + 2 * W * B * np.mean(x) + B * B
                  - 2 * W * np.mean(x * y) - 2 * B * np.mean(y) + np.mean(y * y))


def window(X, Y, run, margin=0.15, reach=3.0):
    """Axis ranges ((w_low, w_high), (b_low, b_high)) that show the start, the bottom and
    the path, with the same length in w and b so the bowl keeps its true shape.

    A diverging path is followed only up to ``reach`` times the start's distance from the
    bottom; beyond that it leaves the picture.
    """
    w_star, b_star = minimum(X, Y)
    radius = float(np.hypot(w_star, b_star))     # the start (0, 0) is this far away
    with np.errstate(invalid="ignore", over="ignore"):
        distance = np.hypot(run.ws - w_star, run.bs - b_star)
        shown = np.isfinite(distance) & (distance <= reach * radius)
    dw = max(abs(w_star), float(np.max(np.abs(run.ws[shown] - w_star), initial=0.0)))
    db = max(abs(b_star), float(np.max(np.abs(run.bs[shown] - b_star), initial=0.0)))
    half = (1 + margin) * max(dw, db, 1e-12)
    return (w_star - half, w_star + half), (b_star - half, b_star + half)


def check_settings(alpha, iterations, seed):
    """Raise ValueError with a plain sentence for settings the demo cannot run."""
    if not (isinstance(alpha, (int, float)) and np.isfinite(alpha) and 0 < alpha <= 1):
        raise ValueError(Message(N_("alpha must be a number above 0 and at most 1, got {value}"),
                                 value=alpha))
    if int(iterations) != iterations or not 1 <= iterations <= MAX_ITERATIONS:
        raise ValueError(Message(N_("iterations must be a whole number from 1 to {limit:,}, "
                                    "got {value}"), limit=MAX_ITERATIONS, value=iterations))
    if int(seed) != seed or not 0 <= seed <= MAX_SEED:
        raise ValueError(Message(N_("seed must be a whole number from 0 to {limit}, got {value}"),
                                 limit=MAX_SEED, value=seed))


def run(alpha=1e-4, iterations=1000, seed=42, m=workload.LANDSCAPE_POINTS,
        standardized_alpha=None):
    """Both runs of the seed's figure. Raises ValueError for unusable settings, or for more
    work than :mod:`logreg.workload` allows the landscape.

    ``standardized_alpha`` (default: the same ``alpha``) lets each scaling run at its own
    step. A large alpha on the raw X diverges; the squared error then overflows, so the
    costs are computed with overflow silenced and reported as ``inf`` rather than warning.
    """
    standardized_alpha = alpha if standardized_alpha is None else standardized_alpha
    check_settings(alpha, iterations, seed)
    check_settings(standardized_alpha, iterations, seed)
    workload.check("landscape", workload.landscape(iterations, m))
    X, Y = make_data(int(seed), m)
    with np.errstate(over="ignore", invalid="ignore"):
        raw = descend(X, Y, float(alpha), int(iterations))
        standardized = descend(standardize(X), Y, float(standardized_alpha), int(iterations))
    return LinearDemo(X, Y, raw, standardized, int(iterations), int(seed))
