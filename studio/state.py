"""The names of everything this app keeps in ``st.session_state``, in one place.

Widget values are dropped when a person leaves a page, so whatever must survive a page
switch (trained parameters, uploads, the chosen dataset) is copied into these keys.
"""
import streamlit as st

DATASET_KEY = "dataset_key"          # active dataset, e.g. "file:catvnoncat"
CUSTOM_DATASETS = "custom_datasets"  # {key: logreg.Dataset} uploaded or built in this session
PREPARED_CACHE = "prepared_cache"    # {(key, scaling): Prepared} for custom datasets
TRAINED = "trained"                  # {"model": TrainedModel, "dataset_key": str}
TRAINED_NETWORK = "trained_network"  # {"model": TrainedNetwork, "dataset_key": str}
FLASH = "flash"                      # [(level, message)] shown once on the next page run


def custom_datasets():
    return st.session_state.setdefault(CUSTOM_DATASETS, {})


def trained_model():
    """The session's trained :class:`logreg.TrainedModel`, or None."""
    entry = st.session_state.get(TRAINED)
    return entry["model"] if entry else None


def trained_dataset_key():
    entry = st.session_state.get(TRAINED)
    return entry["dataset_key"] if entry else None


def set_trained(model, dataset_key):
    st.session_state[TRAINED] = {"model": model, "dataset_key": dataset_key}


def trained_network():
    """The session's last :class:`logreg.network_model.TrainedNetwork`, or None."""
    entry = st.session_state.get(TRAINED_NETWORK)
    return entry["model"] if entry else None


def set_trained_network(model, dataset_key):
    st.session_state[TRAINED_NETWORK] = {"model": model, "dataset_key": dataset_key}


def clear_trained():
    st.session_state.pop(TRAINED, None)


def flash(level, message):
    """Queue a message (level: "info", "success", "warning", "error") for the next run."""
    st.session_state.setdefault(FLASH, []).append((level, message))


def show_flashes():
    """Show and forget the queued messages."""
    for level, message in st.session_state.pop(FLASH, []):
        getattr(st, level)(message)
