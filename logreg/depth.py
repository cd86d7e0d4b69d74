"""What a table of network runs on one dataset says about depth, in plain sentences.

The Network page's story is "hidden layers buy what one neuron cannot". That is true where
one straight boundary cannot separate the classes (the course's cat data: 70 % → 72 % →
80 %; the playground's flower) and false where it already can (the built-in faces: one
neuron gets 98 % of the test pictures). A deeper network that then does worse is not a
contradiction to leave on screen: it is over-fitting, or the test set's noise, and the
runs themselves say which. Every sentence here is computed from the runs shown.
"""
from dataclasses import dataclass

from .words import Message, N_, Nn_

SEPARABLE = 95.0      # one neuron this accurate on the test pictures: a line already does it
CHANCE_PICTURES = 1   # a difference of this many test pictures or fewer is noise


@dataclass(frozen=True)
class Run:
    """One finished run: its name (e.g. "625-7-1"), hidden layers, weights and accuracies
    in % on the training and the test pictures."""

    name: str
    hidden_layers: int
    weights: int
    train_accuracy: float
    test_accuracy: float


def pictures(points, m):
    """How many of ``m`` pictures a difference of ``points`` % is."""
    return round(abs(points) / 100 * m)


def lessons(runs, m_train, m_test):
    """The sentences the runs support (a list of :class:`~logreg.words.Message`, maybe empty):
    a line already separates the classes; a deeper network did worse (over-fitting, and
    whether the test set can even tell); depth paid."""
    said = []
    neurons = [run for run in runs if run.hidden_layers == 0]
    deep = [run for run in runs if run.hidden_layers > 0]
    if not runs:
        return said
    one = max(neurons, key=lambda run: run.test_accuracy) if neurons else None
    if one is not None and one.test_accuracy >= SEPARABLE:
        said.append(Message(N_(
            "**One neuron is already enough here**: it gets {test:.0f} % of the {m_test} test "
            "pictures right, so a straight boundary in pixel space separates these classes "
            "and hidden layers have little left to add. Depth pays where one line cannot: "
            "the playground below, or the course's cat data (70 % → 72 % → 80 % for these "
            "three models)."), test=one.test_accuracy, m_test=m_test))
    elif one is not None and deep:
        best = max(deep, key=lambda run: run.test_accuracy)
        gained = pictures(best.test_accuracy - one.test_accuracy, m_test)
        if best.test_accuracy > one.test_accuracy and gained > CHANCE_PICTURES:
            said.append(Message(N_(
                "**Depth pays here**: {deep} gets {gained} more of the {m_test} test pictures "
                "right than one neuron ({test:.0f} % against {one_test:.0f} %)."),
                deep=best.name, gained=gained, m_test=m_test, test=best.test_accuracy,
                one_test=one.test_accuracy))
    # The best on the test pictures, the shallowest of those that tie.
    best = min(runs, key=lambda run: (-run.test_accuracy, run.hidden_layers))
    worse = [run for run in runs if run.hidden_layers > best.hidden_layers
             and pictures(best.test_accuracy - run.test_accuracy, m_test) >= 1
             and run.test_accuracy < best.test_accuracy]
    if worse:
        deeper = min(worse, key=lambda run: run.test_accuracy)
        lost = pictures(best.test_accuracy - deeper.test_accuracy, m_test)
        if deeper.train_accuracy >= best.train_accuracy:
            said.append(Message(N_(
                "**Why the deeper network does worse**: {deeper} fits the {m_train} training "
                "pictures at least as well as {best} ({deeper_train:.0f} % against "
                "{best_train:.0f} %) yet gets {lost} more of the {m_test} test pictures "
                "wrong. With {weights:,} weights for {m_train} pictures it can learn the "
                "training pictures by heart, details that do not carry over to new ones: "
                "over-fitting. Its gap between training and test is {gap}, against "
                "{best_gap:.0f} for {best}."),
                deeper=deeper.name, best=best.name, m_train=m_train, m_test=m_test,
                deeper_train=deeper.train_accuracy, best_train=best.train_accuracy, lost=lost,
                weights=deeper.weights,
                gap=Message(Nn_("{count} point", "{count} points"),
                            count=int(round(deeper.train_accuracy - deeper.test_accuracy))),
                best_gap=max(0.0, best.train_accuracy - best.test_accuracy)))
        if lost <= CHANCE_PICTURES:
            said.append(Message(N_(
                "A difference of {lost} of the {m_test} test pictures is within chance: "
                "another split of the pictures could reverse it, so this test set cannot tell "
                "{deeper} and {best} apart."), lost=lost, m_test=m_test, deeper=deeper.name, best=best.name))
    return said
