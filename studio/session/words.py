"""The engine's one-line descriptions, said in the session's language.

``logreg`` describes a model and its settings (``describe()``, ``course.describe_settings``)
and the built-in datasets' titles (``catalog.TITLES``) as translatable messages
(``logreg/words.py``); a page says them in its language.
"""
from logreg import catalog, course

from .i18n import say, t, tn


def settings(iterations, learning_rate, scaling):
    """``2,000 iterations · learning rate 0.005 · pixels ÷ 255`` (takes the keys of
    ``course.DEFAULTS``): the engine's ``course.describe_settings``, translated."""
    return say(course.describe_settings(iterations, learning_rate, scaling))


def size(num_px, channels, sep="×"):
    """``64×64×3``; ``sep=" × "`` spaces it for a sentence."""
    return sep.join(map(str, (num_px, num_px, channels)))


def model(trained):
    """One line for a trained model: (the network's layers,) settings, image size — the
    engine's ``describe()``, translated."""
    return say(trained.describe())


def dataset_title(name):
    """The display title of a dataset on disk (``catvnoncat`` → "Cats vs non-cats"): the
    engine's ``catalog.title``, translated (a file's own name stays as it is)."""
    return say(catalog.title(name))


def classes(names):
    """A dataset's or model's two class names as the session's language says them: the
    built-in datasets' (``catalog.CLASS_NAMES``, "cat" → "고양이"), else as given."""
    names = tuple(names)
    known = catalog.CLASS_NAMES.get(names)
    return tuple(say(name) for name in known) if known else names


# Counted phrases a sentence puts in a field ("With only {images} the pattern is noisy"),
# each with its noun in the number the count asks for: "1 test image", "50 test images".


def iterations(count):
    """``1 iteration``, ``2,000 iterations``."""
    return tn("{count:,} iteration", "{count:,} iterations", count=count)


def minutes(count):
    """``1 minute``, ``30 minutes``."""
    return tn("{count} minute", "{count} minutes", count=count)


def training_images(count):
    return tn("{count} training image", "{count} training images", count=count)


def test_images(count):
    return tn("{count} test image", "{count} test images", count=count)


def images(m_train, m_test):
    """``209 training images and 50 test images`` (``1 training image and …``)."""
    return t("{training} and {test}", training=training_images(m_train), test=test_images(m_test))
