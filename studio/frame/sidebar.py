"""The sidebar every page shares: which dataset, its size, what this session has trained
and what the server keeps for this browser (runs in progress: :mod:`studio.frame.strip`)."""
import streamlit as st

from logreg.data import DatasetError

from . import saved
from ..display import presenter
from ..sections import live_panel
from ..session import datasets, escape, state, words
from ..session.i18n import t

SELECT_KEY = "dataset_select"


def _on_dataset_change():
    datasets.select(st.session_state[SELECT_KEY])


def render(page=None):
    """Draw the sidebar below the page navigation; ``page`` is the open page's url path."""
    with st.sidebar:
        live_panel.quick_runs(page)   # before anything is drawn or saved: see there
        # Then, before anything reads the session's data: a new session gets this browser's
        # saved datasets and models (a new session has no live run for quick_runs).
        saved.begin()
        st.divider()
        choices = datasets.options()
        if not choices:
            st.selectbox(t("Dataset"), [t("(none yet)")], key=SELECT_KEY, disabled=True)
            st.caption(t("No dataset found. Get one on the **Data** page."))
        else:
            active = datasets.active_key()
            st.session_state[SELECT_KEY] = active
            st.selectbox(t("Dataset"), list(choices), key=SELECT_KEY,
                         format_func=lambda key: choices.get(key, key),
                         on_change=_on_dataset_change)
            try:
                dataset = datasets.get(active)
            except DatasetError:
                st.caption(":red[" + t("This dataset could not be loaded.") + "]")
            else:
                st.caption(t("images: {m_train} training · {m_test} test · {size} · "
                             "classes: {class0} / {class1}", m_train=dataset.m_train,
                             m_test=dataset.m_test,
                             size=words.size(dataset.num_px, dataset.channels),
                             class0=escape.markdown(words.classes(dataset.classes)[0]),
                             class1=escape.markdown(words.classes(dataset.classes)[1])))
            if active in state.custom_datasets():
                st.button(t("Remove this dataset"), key="remove_dataset", icon=":material/delete:",
                          on_click=datasets.remove_custom, args=(active,),
                          help=t("Forget this uploaded or built dataset, here and in what "
                                 "the server keeps for this browser."))
        _render_trained(choices)
        _render_network(choices)
        st.divider()
        saved.render_note()


def _render_trained(choices):
    model = state.trained_model()
    if model is None:
        st.markdown(t("**Trained parameters:** none yet"))
        st.caption(t("Train on the **Train** page or load a `.npz` there.")
                   if presenter.shows("params") else t("Train on the **Train** page."))
        return
    key = state.trained_dataset_key()
    on = choices.get(key, key) if key else t("a loaded file")
    st.markdown(t("**Trained parameters:** :green[:material/check_circle: ready]"))
    st.caption(t("on {dataset} · {model}", dataset=escape.markdown(on),
                 model=words.model(model)))


def _render_network(choices):
    """The session's network from the Network page, if it has trained one."""
    model = state.trained_network()
    if model is None:
        return
    key = state.trained_network_dataset_key()
    on = choices.get(key, key)
    st.markdown(t("**Trained network:** :green[:material/check_circle: ready]"))
    st.caption(t("on {dataset} · {model}", dataset=escape.markdown(on),
                 model=words.model(model)))
