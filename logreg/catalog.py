"""Which datasets are available on this machine, under which names.

A dataset is a ``train_<name>.h5`` / ``test_<name>.h5`` pair in ``$LOGREG_DATA_DIR`` or in the
project's ``data/`` folder. Known names get a friendly title; the CLI accepts either.
"""
import os
from pathlib import Path

from .data import find_pairs
from .words import N_, Message

PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
TITLES = {   # Messages: a page says them in its language (studio.session.words.dataset_title)
    "catvnoncat": Message(N_("Cats vs non-cats (Coursera)")),
    "faces": Message(N_("Faces vs non-faces (built-in)")),
}
# The built-in datasets' class names, as their files spell them (label 0, label 1), and the
# same as Messages: a page says them in its language (studio.session.words.classes). Any other
# dataset's classes are shown as its files spell them.
CLASS_NAMES = {
    ("non-cat", "cat"): (Message(N_("non-cat")), Message(N_("cat"))),
    ("non-face", "face"): (Message(N_("non-face")), Message(N_("face"))),
}
# Preferred first when several datasets are present: the course's own data.
PREFERENCE = ("catvnoncat", "faces")


def data_dirs():
    """Folders searched for datasets: ``$LOGREG_DATA_DIR`` (if set), then ``data/``."""
    dirs = []
    env = os.environ.get("LOGREG_DATA_DIR")
    if env:
        dirs.append(Path(env))
    dirs.append(PROJECT_DATA_DIR)
    return dirs


def title(name):
    """The display title of a dataset name."""
    return TITLES.get(name, name)


def available(dirs=None):
    """{name: (train_path, test_path)} across the folders, earlier folders winning,
    ordered with the preferred datasets first."""
    found = {}
    for directory in dirs if dirs is not None else data_dirs():
        for name, pair in find_pairs(directory).items():
            found.setdefault(name, pair)
    order = sorted(found, key=lambda n: (PREFERENCE.index(n) if n in PREFERENCE
                                         else len(PREFERENCE), n))
    return {name: found[name] for name in order}


def resolve(requested, pairs):
    """Find a dataset by name or title in ``pairs``; None picks the preferred one.

    Raises
    ------
    LookupError
        With a sentence listing what is available.
    """
    if not pairs:
        raise LookupError("no dataset found: expected a train_<name>.h5 / test_<name>.h5 pair")
    if requested is None:
        return next(iter(pairs))
    for name in pairs:
        if requested in (name, title(name)):
            return name
    names = ", ".join(f"{n} ({title(n)})" if title(n) != n else n for n in pairs)
    raise LookupError(f"no dataset named {requested!r}; available: {names}")
