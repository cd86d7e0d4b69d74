"""The sidebar every page shares: which dataset, its size, what this session has trained,
its runs in progress and what the server keeps for this browser."""
import time

import streamlit as st

from logreg.data import DatasetError

from . import datasets, escape, network, presenter, saved, state, training, words
from .i18n import t

# Each live run, the page that draws it and trains it while open, and how it ends. On any
# other page the sidebar's fragment trains it, so exactly one place advances a run per tick
# (and _quick_runs its very first steps, before the first tick).
RUN_PAGES = {state.LIVE: "train", state.NETWORK_LIVE: "network"}
FINISH = {state.LIVE: training.finish, state.NETWORK_LIVE: network.finish}

SELECT_KEY = "dataset_select"


def _on_dataset_change():
    datasets.select(st.session_state[SELECT_KEY])


def render(page=None):
    """Draw the sidebar below the page navigation; ``page`` is the open page's url path."""
    with st.sidebar:
        _quick_runs(page)   # before anything is drawn or saved: see there
        # Then, before anything reads the session's data: a new session gets this browser's
        # saved datasets and models (a new session has no live run for _quick_runs).
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
                             class0=escape.markdown(dataset.classes[0]),
                             class1=escape.markdown(dataset.classes[1])))
            if active in state.custom_datasets():
                st.button(t("Remove this dataset"), key="remove_dataset", icon=":material/delete:",
                          on_click=datasets.remove_custom, args=(active,),
                          help=t("Forget this uploaded or built dataset, here and in what "
                                 "the server keeps for this browser."))
        _render_runs(page)
        _render_trained(choices)
        _render_network(choices)
        st.divider()
        saved.render_note()
        state.show_flashes()


def _quick_runs(page):
    """A full-speed run just started on its own page takes its first steps here, before
    anything is drawn or saved: the cat data's 2,000 iterations take 15 ms, so the script
    run that Train started ends the run, and draws the results, this sidebar and the
    saved work with it. (Finished in the page's live chart instead, it took a second
    script run, 0.3 s later.) At most BUDGET_SECONDS: a longer run goes on in the chart,
    as at any speed."""
    for key, owner in RUN_PAGES.items():
        run = training.current(key)
        if (owner == page and run is not None and run.status == "running"
                and run.per_tick is None and run.trainer.iteration == 0
                and run.dataset_key == datasets.active_key()):
            training.advance(run, training.BUDGET_SECONDS, finish_run=FINISH[key])


def _render_runs(page):
    """Each live run's progress; trained here, a tick at a time, while its page does not
    draw it (another page is open, or its page shows another dataset)."""
    active = datasets.active_key()
    drawn = {key for key, owner in RUN_PAGES.items()
             if owner == page and getattr(training.current(key), "dataset_key", None) == active}
    away = [key for key in RUN_PAGES
            if key not in drawn and getattr(training.current(key), "status", None) == "running"]

    @st.fragment(run_every=training.TICK_SECONDS if away else None)
    def progress():
        began = time.perf_counter()
        finished = False
        for key in RUN_PAGES:
            run = training.current(key)
            # Where the page draws the run live, a count here would go stale.
            if run is None or run.status == "done" or key in drawn:
                continue
            if key in away:
                finished |= training.advance(run, training.BUDGET_SECONDS / len(away),
                                             finish_run=FINISH[key])
            what = t("Training") if key == state.LIVE else t("Network")
            if run.status == "stopped":
                st.caption(t(":material/pause_circle: {what}: stopped at iteration "
                             "{iteration:,} / {total:,}", what=what,
                             iteration=run.trainer.iteration, total=run.total))
            elif run.status == "running":
                st.progress(training.percent(run) / 100,
                            text=t("{what}: iteration {iteration:,} / {total:,} ({percent} %)",
                                   what=what, iteration=run.trainer.iteration,
                                   total=run.total, percent=training.percent(run)))
        if finished:
            st.rerun()   # the whole page: Classify, say, now has a model to answer with
        if away:
            training.hold(began)

    progress()


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
