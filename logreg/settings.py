"""A run's settings: one frozen type per kind of run, every setting parsed and bounded here.

A setting is read once at the edge, where it enters as text or a widget's value (a URL, a
widget, a saved file, the command line, a parameter file), by its type's :meth:`parse`,
which returns the settings and one :class:`Problem` per value it refused, each saying why
in a :class:`~logreg.words.Message` (so a page says it in the session's language). Code
below the edge takes the settings object, or its fields, and checks nothing again::

    chosen, problems = Logistic.parse({"iterations": "1500", "learning_rate": "0.01"})
    chosen.iterations, chosen.learning_rate, chosen.scaling   # 1500, 0.01, "divide255"

The bounds are what :mod:`logreg.course` allows; the network's settings are checked by
:mod:`logreg.network`, whose budget also needs the data's size (:meth:`Network.parse`).
"""
import math
from dataclasses import asdict, dataclass
from typing import NamedTuple

from .course import ITERATIONS, LEARNING_RATE, MAX_ITERATIONS, MAX_LEARNING_RATE, SCALING
from .network import (HIDDEN_ACTIVATIONS, check_activation, check_init, check_network_settings,
                      check_seed, parse_hidden)
from .planar import MAX_POINTS
from .preprocessing import SCALING_MODES
from .words import Message, N_


class Problem(NamedTuple):
    """A value :meth:`parse` refused: which setting, the value as given, and why."""

    setting: str
    value: object
    message: Message


# ------------------------------------------------------------------ one parser a setting


def iterations(value):
    """A whole number of iterations from 1 to MAX_ITERATIONS ("1e3" and 1000.0 count)."""
    try:
        # Through float, so "1e5" and "100.0" from a URL count as the whole numbers they are.
        count = float(value)
    except (TypeError, ValueError, OverflowError):
        count = math.nan
    if isinstance(value, bool) or not (count.is_integer() and 1 <= count <= MAX_ITERATIONS):
        raise ValueError(Message(N_("number of iterations must be a whole number from 1 to "
                                    "{limit:,}, got {value}"),
                                 limit=MAX_ITERATIONS, value=value))
    return int(count)


def learning_rate(value):
    """A learning rate above 0 and at most MAX_LEARNING_RATE (above it only divergence)."""
    try:
        rate = float(value)
    except (TypeError, ValueError):
        rate = math.nan
    if isinstance(value, bool) or not (math.isfinite(rate) and 0 < rate <= MAX_LEARNING_RATE):
        raise ValueError(Message(N_("learning rate must be a number above 0 and at most "
                                    "{limit:g}, got {value}"),
                                 limit=MAX_LEARNING_RATE, value=value))
    return rate


def scaling(value):
    """One of :data:`logreg.preprocessing.SCALING_MODES`."""
    if value not in SCALING_MODES:
        raise ValueError(Message(N_("scaling must be one of {modes}, got {value!r}"),
                                 modes=", ".join(SCALING_MODES), value=value))
    return value


def hidden(value):
    """Hidden-layer sizes from text ("20,7,5", "" for none) or a sequence of whole numbers."""
    if isinstance(value, (tuple, list)):
        check_network_settings(value)
        return tuple(int(units) for units in value)
    return parse_hidden(value)


def seed(value):
    check_seed(value)
    return int(value)


def activation(value):
    check_activation(value)
    return value


def init(value):
    check_init(value)
    return value


def crosses(value):
    """Whether the playground adds the feature crosses (a switch: True or False)."""
    if not isinstance(value, bool):
        raise ValueError(Message(N_("feature crosses must be on or off, got {value!r}"),
                                 value=value))
    return value


def too_large(hidden, n_x, m):
    """Problems of a network of these hidden layers too large to build or to step on ``m``
    examples of ``n_x`` features (``check_network_settings``): none, or one."""
    try:
        check_network_settings(hidden, n_x=n_x, m=m)
    except ValueError as exc:
        return [Problem("hidden", hidden, exc.args[0])]
    return []


# ---------------------------------------------------------------------- the kinds of run


class _Settings:
    """What every kind of run shares: parsing a mapping of raw values, field by field."""

    # {field: its parser}; a field's parser is its own module function of the same name.
    PARSERS = {"iterations": iterations, "learning_rate": learning_rate, "scaling": scaling,
               "hidden": hidden, "activation": activation, "init": init, "seed": seed,
               "crosses": crosses}

    @classmethod
    def parse(cls, values, **context):
        """The settings from ``values`` ({field: raw value}; a missing field takes the
        type's default) and the problems, one a refused value, in the fields' order (a page
        shows the first); a refused value keeps the default, so the settings are whole.
        ``context``: what a kind needs to know of the data to check its fields together."""
        chosen = asdict(cls())
        problems = []
        for name in chosen:
            if name in values:
                try:
                    chosen[name] = cls.PARSERS[name](values[name])
                except ValueError as exc:
                    problems.append(Problem(name, values[name], exc.args[0]))
        settings = cls(**chosen)
        if not problems:
            problems = settings._whole_problems(**context)
        return settings, problems

    @classmethod
    def checked(cls, **values):
        """The settings from ``values``, or ValueError with the first problem's sentence
        (for the engine's own edges: the command line, files, :func:`logreg.pipeline.fit`)."""
        settings, problems = cls.parse(values)
        if problems:
            raise ValueError(problems[0].message)
        return settings

    def _whole_problems(self):
        """Problems of the settings together (each field was fine alone); none by default."""
        return []


@dataclass(frozen=True)
class Logistic(_Settings):
    """Logistic regression (the Train page, the command line); the course's run by default."""

    iterations: int = ITERATIONS
    learning_rate: float = LEARNING_RATE
    scaling: str = SCALING


@dataclass(frozen=True)
class Comparison(_Settings):
    """Normalization's comparison: every scaling trained with one learning rate."""

    iterations: int = ITERATIONS
    learning_rate: float = LEARNING_RATE


@dataclass(frozen=True)
class Network(_Settings):
    """A network on pictures; by default logistic regression's single neuron (the Network
    page's first model). Its budget depends on the data: :meth:`parse` takes its size."""

    # The fields' order is the order of the checks, so a page names the same first problem
    # as before there were settings types: the run's length and rate, then its layers.
    iterations: int = ITERATIONS
    learning_rate: float = LEARNING_RATE
    hidden: tuple = ()
    init: str = "zeros"
    activation: str = HIDDEN_ACTIVATIONS[0]
    seed: int = 1

    def _whole_problems(self, n_x=None, m=None):
        """With the inputs ``n_x`` and the training examples ``m`` (``parse``'s context), a
        network too large to build or to step."""
        return [] if n_x is None else too_large(self.hidden, n_x, m)


@dataclass(frozen=True)
class Playground(_Settings):
    """The playground's network on two-feature points (five with the crosses)."""

    iterations: int = 5000   # in the order of the checks, as Network's
    learning_rate: float = 1.2
    hidden: tuple = (4,)
    activation: str = "tanh"
    crosses: bool = False

    def _whole_problems(self):
        # Sized for the most points a learner may give, so that no edit makes it too big.
        return too_large(self.hidden, 5 if self.crosses else 2, MAX_POINTS)
