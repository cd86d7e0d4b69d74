"""A playground run as the browser draws it: the model's picture at evenly spaced iterations.

The playground trains on the server and animates in the browser. What the browser needs
is small: at iterations 0, ``every``, 2 ``every``, ..., ``total`` the probability of class 1
on a coarse grid over the plane (40 × 40 numbers, kept in 1/255 steps), the cost and the
accuracies; and the cost curve. :class:`Trajectory` records exactly that while a
:class:`~logreg.network.NetworkTrainer` trains, as its ``recorder`` (the run inspector's
:class:`~logreg.history.History` is the other kind), so it works with any way of stepping
the trainer. Every number is computed from the parameters at that iteration; the last
frame is the trained model's.
"""
import math

import numpy as np

from .core import THRESHOLD
from .network import L_model_forward, compute_cost, predict_proba
from .planar import grid
from .trainer import accuracy

FRAMES = 100        # gaps between frames: 101 pictures from iteration 0 to the last
GRID = 40           # the probability map's side (1,600 numbers a frame)
CURVE_POINTS = 500  # the cost curve keeps about this many of a run's costs


class Trajectory:
    """What a network scores at evenly spaced iterations, recorded while it trains.

    Parameters
    ----------
    trainer : :class:`~logreg.network.NetworkTrainer`, at iteration 0
    total : int, the iterations the run will train
    box : (x_low, x_high, y_low, y_high), the part of the plane the map covers
    inputs : callable or None
        Maps points (2, k) to the model's inputs (the feature crosses); None: the points
        are the inputs.
    X_test, Y_test : the held-out points' inputs (n_x, k) and labels (1, k), or None
    frames, steps, curve_points : see :data:`FRAMES`, :data:`GRID`, :data:`CURVE_POINTS`

    Attributes
    ----------
    every : int, iterations between frames
    iterations : list of int, the frames' iterations, ascending
    maps : list of ndarray of shape (steps * steps,), uint8
        P(class 1) × 255, rounded, on the grid row by row from the lowest y
    costs, train_accuracy : list of float, per frame (accuracy in %, the course's formula)
    test_accuracy : list of float, or of None without test points
    curve_iterations, curve_costs : list, the cost J every ``curve_every`` iterations and
        at every frame
    """

    def __init__(self, trainer, total, box, inputs=None, X_test=None, Y_test=None,
                 frames=FRAMES, steps=GRID, curve_points=CURVE_POINTS):
        self.trainer = trainer
        self.total = int(total)
        self.every = max(1, math.ceil(self.total / frames))
        self.curve_every = max(1, math.ceil(self.total / curve_points))
        self.steps = int(steps)
        G = grid(box, self.steps)[2]
        self._grid = inputs(G) if inputs is not None else G
        has_test = X_test is not None and np.asarray(X_test).shape[1] > 0
        self._test = (np.asarray(X_test, dtype=float), np.asarray(Y_test, dtype=float)) \
            if has_test else None
        self.iterations, self.maps, self.costs = [], [], []
        self.train_accuracy, self.test_accuracy = [], []
        self.curve_iterations, self.curve_costs = [], []
        self.follow(trainer)

    def follow(self, trainer):
        """Record ``trainer`` from now on (a run traced again after a rewind, see
        :meth:`add`), starting with its current iteration."""
        self.trainer = trainer
        trainer.recorder = self
        self.add(trainer.iteration, trainer.snapshot())

    def wants(self, iteration):
        return iteration % self.every == 0 or iteration == self.total

    @property
    def complete(self):
        return bool(self.iterations) and self.iterations[-1] >= self.total

    def add(self, iteration, snapshot):
        """Record the frame at ``iteration`` from the trainer's ``snapshot`` (a frame
        already recorded is kept: gradient descent traced again gives the same numbers)."""
        if self.iterations and iteration <= self.iterations[-1]:
            return
        trainer = self.trainer
        parameters = trainer.parameters_at(snapshot)
        probabilities = predict_proba(self._grid, parameters, trainer.activation)
        self.maps.append(np.rint(probabilities.ravel() * 255).astype(np.uint8))
        AL, caches = L_model_forward(trainer.X, parameters, trainer.activation)
        cost = float(compute_cost(caches[-1][2], trainer.Y))
        self.costs.append(cost)
        self.train_accuracy.append(float(accuracy((AL > THRESHOLD).astype(float), trainer.Y)))
        if self._test is None:
            self.test_accuracy.append(None)
        else:
            X_test, Y_test = self._test
            answers = predict_proba(X_test, parameters, trainer.activation) > THRESHOLD
            self.test_accuracy.append(float(accuracy(answers.astype(float), Y_test)))
        # The curve: the costs the trainer recorded since the last frame, then this one's.
        start = self.curve_iterations[-1] + 1 if self.curve_iterations else 0
        first = -(-start // self.curve_every) * self.curve_every
        for i in range(first, min(iteration, len(trainer.costs)), self.curve_every):
            self.curve_iterations.append(i)
            self.curve_costs.append(float(trainer.costs[i]))
        self.curve_iterations.append(int(iteration))
        self.curve_costs.append(cost)
        self.iterations.append(int(iteration))

    def frame_at(self, iteration):
        """Index of the frame at ``iteration``, or of the last one before it."""
        return max(0, int(np.searchsorted(self.iterations, iteration, side="right")) - 1)
