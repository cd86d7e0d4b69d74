"""The Data page's "Bring your own h5 pair": two uploaded files become a dataset of this
browser session (nothing is written to the server's disk)."""
import streamlit as st

from logreg.data import load_pair

from ..session import datasets, escape, state, store, words
from ..session.i18n import t


def render_upload_pair():
    """Load an uploaded train_*.h5 / test_*.h5 pair into this session."""
    st.subheader(t("Bring your own h5 pair"))
    st.caption(t("Two files in the course's layout, `train_<name>.h5` and `test_<name>.h5`. "
                 "The server keeps them for this browser only, for {minutes} after your "
                 "last visit; **Forget my saved work** in the sidebar deletes them at once.",
                 minutes=words.minutes(store.ttl_seconds() // 60)))
    files = st.file_uploader(t("Upload `train_<name>.h5` and `test_<name>.h5`"), type=["h5"],
                             accept_multiple_files=True, key="pair_upload")
    if len(files or []) == 1 and files[0].name.lower().startswith(("train_", "test_")):
        other = "test" if files[0].name.lower().startswith("train_") else "train"
        st.info(t("Now add the matching {file} file.", file=f"{other}_<name>.h5"))
    elif files:
        state.handle_upload_once(state.PAIR_STATUS, files, lambda: _load_pair(files))


def pick_pair(names):
    """Indexes (train, test) of the two uploaded file names, or raise ValueError saying why."""
    trains = [i for i, n in enumerate(names) if n.lower().startswith("train_")]
    tests = [i for i, n in enumerate(names) if n.lower().startswith("test_")]
    if len(names) != 2 or len(trains) != 1 or len(tests) != 1:
        got = ", ".join(names)
        raise ValueError(t("Upload exactly two files, one named train_<name>.h5 and one "
                           "named test_<name>.h5 (got: {files}).", files=got))
    return trains[0], tests[0]


def _load_pair(files):
    """Make the uploaded pair the session's active dataset: (level, message, rerun)."""
    try:
        train, test = (files[i] for i in pick_pair([f.name for f in files]))
    except ValueError as exc:
        return "error", escape.markdown(exc), False
    try:
        dataset = load_pair(train.getvalue(), test.getvalue(), train_name=train.name,
                            test_name=test.name)
    except ValueError as exc:  # a DatasetError, or any other refusal of the pair
        # The engine's sentence names the file and the problem; the frame is ours.
        return "error", t("The pair could not be loaded: {reason}",
                          reason=escape.markdown(exc)), False
    key = datasets.add_custom("upload", dataset)
    return "success", escape.markdown(t(
        "Loaded {train} + {test}: {images} of {size}, classes {class0} / {class1}. It is now "
        "the active dataset ({title}).", train=train.name, test=test.name,
        images=words.images(dataset.m_train, dataset.m_test),
        size=words.size(dataset.num_px, dataset.channels, " × "),
        class0=words.classes(dataset.classes)[0], class1=words.classes(dataset.classes)[1],
        title=datasets.options().get(key, key))), True
