"""Which dataset this session uses, and loading it through Streamlit's caches.

Datasets on disk (``$LOGREG_DATA_DIR`` and ``data/``) are keyed ``file:<name>`` and cached
once for every session by path and modification time. Datasets a person uploads or builds
are keyed ``upload:<name>`` / ``built:<name>`` and live in that session's state only.
"""
from pathlib import Path

import streamlit as st

from logreg import catalog
from logreg.data import DatasetError, load_pair
from logreg.pipeline import prepare
from logreg.preprocessing import SCALING_MODES, scaled_pixel_summary

from . import escape, state, words
from .i18n import t

MAX_CUSTOM = 3   # uploaded or built datasets one browser session keeps


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_files(train_path, test_path, name, stamp):
    """Load a pair from disk; ``stamp`` (mtime, size) makes a replaced file reload.

    One read-only copy for every session: ``st.cache_data`` would hand each call its own
    copy of the images (3 MiB for the cat data), which a page's fragment keeps alive in
    every session. Messages name the files, not their folder: the server's paths are not
    the visitor's business.
    """
    dataset = load_pair(train_path, test_path, name=name, train_name=Path(train_path).name,
                        test_name=Path(test_path).name)
    for array in (dataset.train_set_x_orig, dataset.train_set_y, dataset.test_set_x_orig,
                  dataset.test_set_y):
        array.flags.writeable = False
    return dataset


@st.cache_resource(max_entries=16)
def _prepare_files(train_path, test_path, name, stamp, scaling):
    """The scaled matrices of a file dataset, shared read-only by every session."""
    return prepare(_load_files(train_path, test_path, name, stamp), scaling)


@st.cache_data(max_entries=16)
def _summarize_files(train_path, test_path, name, stamp, scaling):
    """The training pixels' summary of a file dataset under one scaling, for every session.

    Not from the shared scaled matrices (:func:`_prepare_files`, 20 MB per scaling for the
    cat data): those are built when a session first trains with that scaling, so a server
    that only showed the Data page does not hold all three.
    """
    return scaled_pixel_summary(
        _load_files(train_path, test_path, name, stamp).train_set_x_orig, scaling)


def identity(key):
    """What names a dataset on disk for a cache shared between sessions: its two paths,
    name and files' stamp; None for a session's own dataset (its key may name another
    session's) or a key no pair on disk has."""
    if key in state.custom_datasets():
        return None
    try:
        return _files(key)
    except KeyError:
        return None


def _files(key):
    """The shared caches' arguments for the pair on disk under ``key`` (KeyError if none):
    its two paths, its name and the files' stamp, so a changed file is read again."""
    train, test = file_pairs()[key]
    return str(train), str(test), key.split(":", 1)[1], _stamp(train, test)


def _stamp(*paths):
    return tuple((p.stat().st_mtime_ns, p.stat().st_size) for p in map(Path, paths))


def file_pairs():
    """{key: (train_path, test_path)} for every pair found on disk."""
    return {f"file:{name}": pair for name, pair in catalog.available().items()}


def options():
    """{key: title} of every dataset this session can pick, preferred first."""
    titles = {key: words.dataset_title(key.split(":", 1)[1]) for key in file_pairs()}
    for key in state.custom_datasets():
        kind, name = key.split(":", 1)
        if kind == "upload":
            titles[key] = t("{name} (uploaded)", name=name)
        elif kind == "built":
            titles[key] = t("{name} (your own)", name=name)
        else:
            titles[key] = name
    return titles


def active_key():
    """The key of the session's dataset, falling back to the preferred one; None if none."""
    available = options()
    key = st.session_state.get(state.DATASET_KEY)
    if key not in available:
        key = next(iter(available), None)
        st.session_state[state.DATASET_KEY] = key
    return key


def get(key):
    """The :class:`logreg.Dataset` for a key. Raises DatasetError for a broken file."""
    custom = state.custom_datasets()
    if key in custom:
        return custom[key]
    files = _files(key)
    # The spinner's words are the session's language, so not the cache's fixed text; it
    # shows only when loading takes longer than half a second.
    with st.spinner(t("Loading dataset…")):
        return _load_files(*files)


def prepared(key, scaling):
    """Scaled matrices for a dataset: shared for files, kept in the session for uploads.

    A session keeps the scaled matrices of one own dataset at a time: they are eight
    times the size of its pixels.
    """
    custom = state.custom_datasets()
    if key in custom:
        cache = st.session_state.setdefault(state.PREPARED_CACHE, {})
        for other in [entry for entry in cache if entry[0] != key]:
            del cache[other]
        if (key, scaling) not in cache:
            cache[(key, scaling)] = prepare(custom[key], scaling)
        return cache[(key, scaling)]
    return _prepare_files(*_files(key), scaling)


def pixel_summaries(key):
    """{scaling: PixelSummary} of a dataset's training pixels, computed once.

    Files are summarized once for every session; an own dataset once per session.
    """
    custom = state.custom_datasets()
    if key in custom:
        cache = st.session_state.setdefault(state.PIXEL_SUMMARIES, {})
        if cache.get("key") != key:
            cache.clear()
            images = custom[key].train_set_x_orig
            cache.update(key=key, summaries={mode: scaled_pixel_summary(images, mode)
                                             for mode in SCALING_MODES})
        return cache["summaries"]
    files = _files(key)
    return {mode: _summarize_files(*files, mode) for mode in SCALING_MODES}


def add_custom(kind, dataset):
    """Keep an uploaded or built dataset in this session and make it the active one.

    A session keeps at most :data:`MAX_CUSTOM` of its own datasets; the oldest goes first,
    saying so.
    """
    key = f"{kind}:{dataset.name}"
    custom = state.custom_datasets()
    if custom.pop(key, None) is not None:   # a replaced dataset counts as the newest
        state.forget_dataset(key)
    while len(custom) >= MAX_CUSTOM:
        oldest = next(iter(custom))
        title = options().get(oldest, oldest)
        remove_custom(oldest)
        state.flash("info", t("{title} was removed to make room: this browser keeps at most "
                              "{count} datasets of its own.", title=escape.markdown(title),
                              count=MAX_CUSTOM))
    custom[key] = dataset
    select(key)
    return key


def remove_custom(key):
    """Forget one of the session's own datasets and everything computed on it."""
    state.custom_datasets().pop(key, None)
    state.forget_dataset(key)
    if st.session_state.get(state.DATASET_KEY) == key:
        st.session_state.pop(state.DATASET_KEY, None)


def select(key):
    """Make ``key`` the active dataset; drop trained parameters that no longer fit, saying so."""
    st.session_state[state.DATASET_KEY] = key
    trained = state.trained_model()
    if trained is None:
        return
    try:
        dataset = get(key)
    except ValueError:
        return
    if trained.mismatch(dataset):
        state.clear_trained()
        state.flash("warning", t(
            "The trained parameters are for {model_size} images, but this dataset has "
            "{data_size} images ({dataset}); they were cleared. Train again on the Train page.",
            model_size=words.size(trained.num_px, trained.channels, " × "),
            data_size=words.size(dataset.num_px, dataset.channels, " × "),
            dataset=escape.markdown(options().get(key, key))))


def active_dataset(explain=True):
    """(key, Dataset) of the session, or (key or None, None) after showing why not.

    A broken dataset file shows ``st.error`` with its message; the page goes on.
    """
    key = active_key()
    if key is None:
        if explain:
            st.info(t("No dataset yet. On the **Data** page you can download the course's "
                      "cat data in one click, upload a `train_*.h5` / `test_*.h5` pair or "
                      "build a dataset from your own pictures."),
                    icon=":material/folder_open:")
        return None, None
    try:
        return key, get(key)
    except DatasetError as exc:
        st.error(t("The dataset could not be loaded: {reason}", reason=escape.markdown(exc)),
                 icon=":material/error:")
        return key, None
