"""The course's numbers: its defaults, the bounds every setting is checked against (by
:mod:`logreg.settings`, the one place that checks them), and the printout the notebook
shows.
"""
from .words import Message, N_, Nn_

# What the course's notebook trains with (and what reproduces its published numbers).
ITERATIONS = 2000
LEARNING_RATE = 0.005
SCALING = "divide255"
DEFAULTS = {"iterations": ITERATIONS, "learning_rate": LEARNING_RATE, "scaling": SCALING}
# What the course's week-4 networks train with (pixels / 255 too).
NETWORK_ITERATIONS = 2500
NETWORK_LEARNING_RATE = 0.0075
# The notebook prints the cost every 100 iterations.
PRINT_EVERY = 100

# Bounds of what can be trained with: 100,000 iterations take about 5 s on the Gram path,
# and a learning rate above 100 only ever shows divergence.
MAX_ITERATIONS = 100_000
MAX_LEARNING_RATE = 100.0

# How people read the scalings (the modes stay the ids in code, files and URLs).
SCALING_WORDS = {"raw": Message(N_("raw pixels")), "divide255": Message(N_("pixels ÷ 255")),
                 "zscore": Message(N_("standardized (z-score)"))}


def describe_settings(iterations, learning_rate, scaling):
    """``2,000 iterations · learning rate 0.005 · pixels ÷ 255`` (takes :data:`DEFAULTS`'
    keys, so ``describe_settings(**DEFAULTS)`` describes the course's run)."""
    return Message(Nn_("{count:,} iteration · learning rate {learning_rate:g} · {scaling}",
                       "{count:,} iterations · learning rate {learning_rate:g} · {scaling}"),
                   count=int(iterations), learning_rate=float(learning_rate),
                   scaling=SCALING_WORDS.get(scaling, scaling))


def printout(costs, train_accuracy=None, test_accuracy=None, every=PRINT_EVERY,
             cost_format="f"):
    """The notebook's lines: ``Cost after iteration i: ...`` every ``every`` iterations, then
    the two accuracies when given. ``costs[i]`` is the cost before update i."""
    lines = [f"Cost after iteration {i}: {costs[i]:{cost_format}}"
             for i in range(0, len(costs), every)] if every else []
    if train_accuracy is not None:
        lines.append(f"train accuracy: {train_accuracy} %")
    if test_accuracy is not None:
        lines.append(f"test accuracy: {test_accuracy} %")
    return lines
