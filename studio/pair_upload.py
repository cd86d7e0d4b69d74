"""The Data page's "Bring your own h5 pair": two uploaded files become a dataset of this
browser session (nothing is written to the server's disk)."""
import streamlit as st

from logreg.data import DatasetError, load_pair

from . import datasets, escape, state


def render_upload_pair():
    """Load an uploaded train_*.h5 / test_*.h5 pair into this session."""
    st.subheader("Bring your own h5 pair")
    st.caption("Two files in the course's layout, `train_<name>.h5` and `test_<name>.h5`. "
               "They stay in this browser session's memory: nothing is saved on the server.")
    files = st.file_uploader("Upload `train_<name>.h5` and `test_<name>.h5`", type=["h5"],
                             accept_multiple_files=True, key="pair_upload")
    if len(files or []) == 1 and files[0].name.lower().startswith(("train_", "test_")):
        other = "test" if files[0].name.lower().startswith("train_") else "train"
        st.info(f"Now add the matching {other}_<name>.h5 file.")
    elif files:
        state.handle_upload_once(state.PAIR_STATUS, files, lambda: _load_pair(files))


def pick_pair(names):
    """Indexes (train, test) of the two uploaded file names, or raise ValueError saying why."""
    trains = [i for i, n in enumerate(names) if n.lower().startswith("train_")]
    tests = [i for i, n in enumerate(names) if n.lower().startswith("test_")]
    if len(names) != 2 or len(trains) != 1 or len(tests) != 1:
        got = ", ".join(names)
        raise ValueError(f"Upload exactly two files, one named train_<name>.h5 and one named "
                         f"test_<name>.h5 (got: {got}).")
    return trains[0], tests[0]


def _load_pair(files):
    """Make the uploaded pair the session's active dataset: (level, message, rerun)."""
    try:
        train, test = (files[i] for i in pick_pair([f.name for f in files]))
        dataset = load_pair(train.getvalue(), test.getvalue(), train_name=train.name,
                            test_name=test.name)
    except (ValueError, DatasetError) as exc:  # DatasetError is a ValueError
        return "error", escape.markdown(exc), False
    key = datasets.add_custom("upload", dataset)
    return "success", escape.markdown(
        f"Loaded {train.name} + {test.name}: {dataset.m_train} training and "
        f"{dataset.m_test} test images of {dataset.num_px} × {dataset.num_px} × "
        f"{dataset.channels}, classes {dataset.classes[0]} / {dataset.classes[1]}. It is "
        f"now the active dataset ({datasets.options().get(key, key)})."), True
