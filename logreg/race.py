"""A fair race between scalings: each at its own largest safe learning rate.

Compared at one learning rate, scalings mostly show which of them that rate suits: raw
pixels at the course's 0.005 blow up, and the lesson drowns in warnings. The fair question
is how fast gradient descent gets down the same hill when each scaling takes the largest
step that keeps its cost falling (``diagnosis.largest_safe_rate``). Then the truth shows:
on pictures, whose pixels already share one scale, raw pixels and pixels ÷ 255 follow the
same curve (÷ 255 is only a smaller step), and standardizing, which puts every pixel on its
own scale, gets there sooner. Where they end up on the test pictures is the same model
class, within what 50 pictures can tell apart.
"""
from dataclasses import dataclass

import numpy as np

from .depth import pictures
from .words import Message, N_, Nn_, listing

TARGETS = (0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01)   # round costs people can read
SAME_CURVE = 1e-3     # two curves this close everywhere are one curve
CHANCE_PICTURES = 2   # test accuracies this many pictures apart or fewer are chance


@dataclass(frozen=True)
class Runner:
    """One scaling's run: its name as shown, learning rate, costs at every iteration and
    accuracies in % on the training and the test pictures."""

    name: str
    learning_rate: float
    costs: np.ndarray
    train_accuracy: float
    test_accuracy: float


def iterations_to(costs, target):
    """The first iteration whose cost is at most ``target``, or None if it never gets there."""
    costs = np.asarray(costs, dtype=float)
    below = np.flatnonzero(costs <= target)
    return int(below[0]) if below.size else None


def common_target(runners):
    """The lowest round cost (:data:`TARGETS`) every runner reaches, or None."""
    reached = [target for target in TARGETS
               if all(iterations_to(r.costs, target) is not None for r in runners)]
    return reached[-1] if reached else None


def same_curve(a, b):
    """Whether two runs' costs agree to :data:`SAME_CURVE` at every iteration."""
    a, b = np.asarray(a.costs, dtype=float), np.asarray(b.costs, dtype=float)
    n = min(a.size, b.size)
    return n > 0 and bool(np.all(np.abs(a[:n] - b[:n]) <= SAME_CURVE))


def verdict(runners, m_test):
    """The race in sentences (:class:`~logreg.words.Message`): who reaches the common cost
    when, which runs are one curve, and whether their test accuracies differ by more than
    chance."""
    said = []
    target = common_target(runners)
    if target is not None:
        steps = {r.name: iterations_to(r.costs, target) for r in runners}
        order = sorted(runners, key=lambda r: steps[r.name])
        said.append(Message(N_(
            "Each at its own largest safe learning rate, every run gets down to a cost of "
            "{target:g}: {times}."), target=target,
            times=listing(Message(Nn_("{name} in {count:,} iteration",
                                      "{name} in {count:,} iterations"), name=r.name,
                                  count=steps[r.name]) for r in order)))
    else:
        said.append(Message(Nn_(
            "Not every run gets down to a cost of {target:g} in {count:,} iteration: give them "
            "more iterations.",
            "Not every run gets down to a cost of {target:g} in {count:,} iterations: give them "
            "more iterations."), target=TARGETS[0], count=max(len(r.costs) for r in runners)))
    for i, a in enumerate(runners):
        for b in runners[i + 1:]:
            if same_curve(a, b):
                said.append(Message(N_(
                    "{first} and {second} follow the same curve: on these pictures one is "
                    "only a smaller step than the other."), first=a.name, second=b.name))
    accuracies = [r.test_accuracy for r in runners]
    apart = pictures(max(accuracies) - min(accuracies), m_test)
    listed = ", ".join(f"{r.test_accuracy:.0f} %" for r in runners)
    if apart <= CHANCE_PICTURES:
        said.append(Message(N_(
            "Test accuracy {listed}: at most {apart} of {m_test} pictures apart, within "
            "chance. Scaling changed how fast gradient descent gets down, not what the model "
            "can learn."), listed=listed, apart=apart, m_test=m_test))
    else:
        said.append(Message(N_(
            "Test accuracy {listed}: {apart} of {m_test} pictures apart. The faster runs are "
            "also further along: compare them at the same cost, not the same iteration."),
            listed=listed, apart=apart, m_test=m_test))
    return said
