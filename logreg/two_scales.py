"""Two features on different scales: where standardizing really pays.

On pictures every pixel shares the 0-255 scale, so dividing by 255 is only a smaller step
(logreg.race). Give logistic regression two features whose scales differ a thousandfold
and the cost becomes a ravine: the largest safe step is set by the steep feature, and along
the other one gradient descent barely moves. Standardizing each feature (mean 0, spread 1)
makes the bowl round, and the same number of steps lands the boundary where it belongs.

The points are the playground's two blobs with the first feature stretched to the
thousands; both runs start from zero and take their own largest safe step
(diagnosis.largest_safe_rate), so the race is fair.
"""
from dataclasses import dataclass

import numpy as np

from . import planar, race
from .diagnosis import largest_safe_rate
from .trainer import Trainer
from .words import Message, N_

STRETCH, SHIFT = 1000.0, 3000.0   # x1 = 1000 · blob + 3000: thousands, next to x2's units
ITERATIONS = 300


@dataclass(frozen=True)
class Path:
    """One run: its learning rate, the cost before every update and the boundary
    z = w1·x1 + w2·x2 + b = 0 in the raw features' units after every update (the rows of
    ``lines``: w1, w2, b)."""

    learning_rate: float
    costs: np.ndarray
    lines: np.ndarray


@dataclass(frozen=True)
class Experiment:
    X: np.ndarray        # (2, m) raw features
    Y: np.ndarray        # (1, m)
    raw: Path
    standardized: Path
    accuracy: dict       # {"raw" | "standardized": training accuracy in % at the end}


def make_data(m=200, seed=1):
    """Two blobs a line separates, the first feature stretched to the thousands."""
    X, Y = planar.blobs(m, seed)
    X = X.copy()
    X[0] = X[0] * STRETCH + SHIFT
    return X, Y


def _descend(X, Y, iterations):
    """Gradient descent from zero at X's own largest safe rate: (rate, costs, [w1, w2, b]
    after each update)."""
    rate = largest_safe_rate(X)
    trainer = Trainer(X, Y, rate, method="primal")
    lines = np.empty((iterations + 1, 3))
    lines[0] = 0.0
    for i in range(1, iterations + 1):
        trainer.step(1)
        lines[i, :2], lines[i, 2] = trainer.w.ravel(), trainer.b
    return rate, np.asarray(trainer.costs), lines


def run(iterations=ITERATIONS, m=200, seed=1):
    """Both runs on the same points: raw features, and standardized ones whose boundaries
    are written back in raw units (z = w·(x − μ)/σ + b = (w/σ)·x + b − w·μ/σ)."""
    X, Y = make_data(m, seed)
    mu, sigma = X.mean(axis=1), X.std(axis=1)
    raw_rate, raw_costs, raw_lines = _descend(X, Y, iterations)
    std_rate, std_costs, std_lines = _descend((X - mu[:, None]) / sigma[:, None], Y,
                                              iterations)
    w = std_lines[:, :2] / sigma
    back = np.column_stack([w, std_lines[:, 2] - w @ mu])
    accuracy = {name: float(np.mean(((line[:2] @ X + line[2]) > 0) == (Y[0] > 0.5)) * 100)
                for name, line in (("raw", raw_lines[-1]), ("standardized", back[-1]))}
    return Experiment(X, Y, Path(raw_rate, raw_costs, raw_lines),
                      Path(std_rate, std_costs, back), accuracy)


def boundary(line, x1_range):
    """Two points (x1, x2) of the line w1·x1 + w2·x2 + b = 0 across ``x1_range``, or None
    while it is not a line yet (w2 = 0: the zero start)."""
    w1, w2, b = line
    if abs(w2) < 1e-12:
        return None
    xs = np.asarray(x1_range, dtype=float)
    return xs, -(w1 * xs + b) / w2


def verdict(experiment):
    """The experiment in sentences (:class:`~logreg.words.Message`), from its own runs."""
    raw, std = experiment.raw, experiment.standardized
    iterations = raw.costs.size
    target = next((t for t in reversed(race.TARGETS)
                   if race.iterations_to(std.costs, t) is not None), None)
    said = []
    if target is not None:
        reached = race.iterations_to(raw.costs, target)
        said.append(Message(N_(
            "Same points, same model, each run at its own largest safe step: with "
            "standardized features the cost falls to {target:g} in {steps:,} iterations, "
            "and after {iterations:,} iterations its line classifies {std_accuracy:.0f} % of "
            "the points "
            "right."), target=target, steps=race.iterations_to(std.costs, target),
            iterations=iterations, std_accuracy=experiment.accuracy["standardized"]))
        if reached is not None:
            said.append(Message(N_(
                "With raw features it takes {steps:,} iterations to get there."), steps=reached))
        else:
            said.append(Message(N_(
                "With raw features the cost is still {cost:.3f} after {iterations:,} "
                "iterations and the line classifies {raw_accuracy:.0f} % right."),
                cost=float(raw.costs[-1]), iterations=iterations,
                raw_accuracy=experiment.accuracy["raw"]))
    said.append(Message(N_(
        "The largest safe step on raw features is {raw_rate:.1e}: x₁'s thousands set it, and "
        "along x₂ a step that small barely moves. Standardized, both features share one "
        "scale, and the safe step is {std_rate:.2g}."), raw_rate=raw.learning_rate,
        std_rate=std.learning_rate))
    return said
