"""The strip above every page's title: what the session has to say (a restored save, a
failed one) and a run going on while its own page is not open.

On a phone the sidebar is closed, so a notice or a progress bar there was never seen; here
it is the first thing on whichever page is open, and it takes no room when there is
nothing to say.
"""
import time

import streamlit as st

from ..sections import class_session, network, training
from ..session import datasets, state
from ..session.i18n import t

# Each live run, the page that draws it and trains it while open, and how it ends. On any
# other page the strip's fragment trains it, so exactly one place advances a run per tick
# (and quick_runs its very first steps, before the first tick).
RUN_PAGES = {state.LIVE: "train", state.NETWORK_LIVE: "network"}
FINISH = {state.LIVE: training.finish, state.NETWORK_LIVE: network.finish}


def quick_runs(page):
    """A full-speed run just started on its own page takes its first steps here, before
    anything is drawn or saved: the cat data's 2,000 iterations take 15 ms, so the script
    run that Train started ends the run, and draws the results, the sidebar and the
    saved work with it. (Finished in the page's live chart instead, it took a second
    script run, 0.3 s later.) At most BUDGET_SECONDS: a longer run goes on in the chart,
    as at any speed."""
    for key, owner in RUN_PAGES.items():
        run = training.current(key)
        if (owner == page and run is not None and run.status == "running"
                and run.per_tick is None and run.trainer.iteration == 0
                and run.dataset_key == datasets.active_key()):
            training.advance(run, training.BUDGET_SECONDS, finish_run=FINISH[key])


def render(page=None):
    """The notices, then each run its page does not draw (``page``: the open page's url
    path); in the main area, before the page."""
    state.show_flashes()
    class_session.render_strip(page)   # the class this browser is in, the teacher's lesson
    active = datasets.active_key()
    drawn = {key for key, owner in RUN_PAGES.items()
             if owner == page and getattr(training.current(key), "dataset_key", None) == active}
    shown = [key for key in RUN_PAGES if key not in drawn
             and getattr(training.current(key), "status", None) in ("running", "stopped")]
    if shown:
        _progress(shown)


def _progress(shown):
    """One line per run: trained here, a tick at a time, while it is running."""
    away = [key for key in shown if training.current(key).status == "running"]

    @st.fragment(run_every=training.TICK_SECONDS if away else None)
    def progress():
        began = time.perf_counter()
        finished = False
        for key in shown:
            run = training.current(key)
            if run is None or run.status == "done":
                continue
            if run.status == "running":
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

    with st.container(key="strip_runs"):
        progress()
