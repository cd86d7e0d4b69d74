"""What every page does first: find the active dataset or say plainly why there is none."""
import streamlit as st

from logreg.data import DatasetError

from . import datasets, escape

NO_DATA = ("No dataset yet. On the **Data** page you can download the course's cat data in "
           "one click, upload a `train_*.h5` / `test_*.h5` pair or build a dataset from your "
           "own pictures.")


def active_dataset(explain=True):
    """(key, Dataset) of the session, or (key or None, None) after showing why not.

    A broken dataset file shows ``st.error`` with its message; the page goes on.
    """
    key = datasets.active_key()
    if key is None:
        if explain:
            st.info(NO_DATA, icon=":material/folder_open:")
        return None, None
    try:
        return key, datasets.get(key)
    except DatasetError as exc:
        st.error(f"The dataset could not be loaded: {escape.markdown(exc)}",
                 icon=":material/error:")
        return key, None


def usable_model(model, dataset):
    """Whether trained parameters apply to the dataset's image size."""
    return model is not None and dataset is not None and model.fits(dataset.num_px,
                                                                    dataset.channels)
