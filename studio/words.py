"""The engine's one-line descriptions, said in the session's language.

``logreg`` describes a model and its settings in English for the command line
(``TrainedModel.describe()``, ``course.describe_settings``); a page shows these instead,
built from the same fields. The dataset titles follow
``logreg.catalog.TITLES`` (a name missing here shows the catalog's title).
"""
from logreg import catalog

from .i18n import t


def scaling_name(mode):
    """A scaling mode in plain words: "pixels ÷ 255", not "divide255"."""
    words = {"raw": t("raw pixels"), "divide255": t("pixels ÷ 255"),
             "zscore": t("standardized (z-score)")}
    return words.get(mode, mode)


def settings(iterations, learning_rate, scaling):
    """``2,000 iterations · learning rate 0.005 · pixels ÷ 255`` (takes the keys of
    ``course.DEFAULTS``, like ``course.describe_settings``)."""
    return t("{iterations:,} iterations · learning rate {learning_rate:g} · {scaling}",
             iterations=int(iterations), learning_rate=float(learning_rate),
             scaling=scaling_name(scaling))


def size(num_px, channels, sep="×"):
    """``64×64×3``; ``sep=" × "`` spaces it for a sentence."""
    return sep.join(map(str, (num_px, num_px, channels)))


def model(trained):
    """One line for a trained model: (the network's layers,) settings, image size."""
    line = (f"{settings(trained.num_iterations, trained.learning_rate, trained.scaler.mode)}"
            f" · {size(trained.num_px, trained.channels)}")
    architecture = getattr(trained, "architecture", None)
    if architecture is not None:
        return t("network {architecture} · {model}", architecture=architecture, model=line)
    return line


def dataset_title(name):
    """The display title of a dataset on disk (``catvnoncat`` → "Cats vs non-cats")."""
    titles = {"catvnoncat": t("Cats vs non-cats (Coursera)"),
              "faces": t("Faces vs non-faces (built-in)")}
    return titles.get(name, catalog.title(name))
