"""Take the run home: under a finished run, its download as a Jupyter notebook and as a
Python script that reproduce it (:mod:`logreg.export`), and for a dataset the program
cannot download, a ``.zip`` with the dataset's ``.h5`` pair beside them.

One call per page: :func:`train`, :func:`network`, :func:`playground`,
:func:`normalization`. Each draws nothing until its page has a finished run. The files are
built from small values (the settings and the numbers shown; st.cache_data keys on them,
so a rerun does not build them again); the zip is built only when its button is pressed.
"""
from pathlib import Path

import streamlit as st

from logreg import export
from logreg.h5write import dataset_to_bytes

from . import network as network_runs, training
from ..session import datasets, runs
from ..session.i18n import language, t

# The one dataset whose files the program downloads itself, from the pinned mirrors.
COURSE_KEY = "file:catvnoncat"
MIME = {".ipynb": "application/x-ipynb+json", ".py": "text/x-python",
        ".zip": "application/zip"}


@st.cache_data(max_entries=32, show_spinner=False)
def _program(spec, lang, suffix):
    """The notebook's or the script's text (a few tens of KB), once per run and language."""
    return export.notebook(spec, lang) if suffix == ".ipynb" else export.script(spec, lang)


def train(key, dataset, evaluation):
    """Under the Train page's results: the session's model, when a run here made it."""
    run = runs.inspected("logistic")
    if run is None or run.dataset_key != key:
        return
    _buttons(export.of_model(run.model, dataset, evaluation, mirrors=key == COURSE_KEY),
             key, dataset, "train")


def network(key, dataset):
    """Under the Network page's run, once it has finished."""
    live = training.current(network_runs.LIVE)
    run = runs.inspected("network")
    if run is None or run.dataset_key != key or (
            live is not None and live.status in ("running", "stopped")):
        return
    _buttons(export.of_model(run.model, dataset, runs.evaluation(run.model, dataset, key),
                             mirrors=key == COURSE_KEY), key, dataset, "network")


def playground(run):
    """Under the playground, once ``run`` (the one its picture shows, or None) has finished:
    the points travel as their generator, seed and noise. A learner's own points, a test
    split and feature crosses are not in the export's format: then a line says so."""
    if run is None or run.status != "done":
        return
    made = run.made_points()
    if made is None:
        st.caption(t("Downloads reproduce runs on the made-up points as they are drawn: "
                     "not your own points, held-out test points or feature crosses."))
        return
    generator, noise = made
    spec = export.of_playground(run.trainer, export.Points(generator, noise=noise),
                                network_runs.playground_accuracy(run))
    _buttons(spec, None, None, "playground")


def normalization(result, key, dataset):
    """Under the scaling comparison: the same run under each scaling, in one program."""
    spec = export.of_comparison(
        dataset, result["learning_rate"],
        {mode: (run["costs"], run["train_accuracy"], run["test_accuracy"])
         for mode, run in result["runs"].items()}, mirrors=key == COURSE_KEY)
    _buttons(spec, key, dataset, "normalization")


def _buttons(spec, key, dataset, where):
    """The two downloads, the zip when the data cannot be downloaded, and what they hold."""
    with st.container(key=f"export_{where}"):
        _draw(spec, key, dataset, where)


def _draw(spec, key, dataset, where):
    lang = language()
    st.subheader(t("Take this run home"))
    row = st.container(horizontal=True)   # wraps on a phone
    texts = {suffix: _program(spec, lang, suffix) for suffix in (".ipynb", ".py")}
    for suffix, label in ((".ipynb", t("Download as notebook (.ipynb)")),
                          (".py", t("Download as Python script (.py)"))):
        row.download_button(label, texts[suffix], file_name=export.file_name(spec, suffix),
                            mime=MIME[suffix], on_click="ignore", icon=":material/download:",
                            key=f"export_{where}_{suffix[1:]}")
    if dataset is not None and not spec.data.mirrors:
        pair, sizes = _pair(key, dataset)
        size = export.archive_size(sizes, texts.values())
        row.download_button(
            t("Download with the data (.zip, about {mb:.1f} MB)", mb=size / 1e6),
            lambda: export.archive(spec, pair(), lang), file_name=export.file_name(spec, ".zip"),
            mime=MIME[".zip"], on_click="ignore", icon=":material/folder_zip:",
            key=f"export_{where}_zip")
    st.caption(t("The run as code you can read and run: the course's functions written out, "
                 "the same settings, and a last step that checks it prints the numbers the "
                 "app showed. It needs numpy and h5py (matplotlib draws the cost curve).")
               + " " + (t("The points are made in the program from their seed.")
                        if dataset is None else
                        t("It downloads the cat data from the app's mirrors, checking every "
                          "file's sha256, unless the files are beside it.")
                        if spec.data.mirrors else
                        t("The .zip holds both with the dataset's two .h5 files, which the "
                          "program finds beside it.")))


def _pair(key, dataset):
    """(a function giving the pair's bytes, their sizes): read from disk for a dataset on
    it, else written from the session's arrays (their own type, so the numbers stay)."""
    if key in datasets.file_pairs():
        paths = datasets.file_pairs()[key]
        return (lambda: [Path(path).read_bytes() for path in paths],
                [Path(path).stat().st_size for path in paths])
    sizes = [dataset.train_set_x_orig.nbytes + dataset.train_set_y.nbytes,
             dataset.test_set_x_orig.nbytes + dataset.test_set_y.nbytes]
    return (lambda: dataset_to_bytes(dataset, exact=True)), sizes
