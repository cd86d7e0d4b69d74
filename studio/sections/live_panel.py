"""One live-training panel: a run trained on the server, drawn in the browser.

Train and Network draw their live run with :func:`panel`; the strip above every other
page's title advances a run away from its page with :func:`away` (and its very first
steps at full speed with :func:`quick_runs`). The playground draws its own frames
(studio.sections.playground) with the same cost curve and requests
(``studio/assets/cost-curve.js``, ``asking.js``).

In the browser a custom component (``st.components.v2``: inline HTML, CSS and JS from
``studio/assets/live.*``, no iframe) receives the costs the run has so far and draws them
at the pace Speed chose (:data:`.training.SPEEDS`): the progress line, the cost curve and
the course's printout move at every screen refresh. When it has less than a second of the
run left to draw it asks for more; that request reruns only the panel's fragment, which
trains the next second of the run (:data:`.training.CHUNK_SECONDS`). When it has drawn
the last iteration it asks once more, and that run finishes the run and reruns the whole
page for the results. So a run of the course's 2,000 iterations at "watch it learn" takes
the Train press and 3 requests, 4 script runs in all, where a plotly chart redrawn by a
fragment ticking every quarter of a second took 15 (``bench/train_reruns.py``,
docs/benchmarks.md). Stop and Resume are the page's buttons: the browser then shows the
iteration the server's model is at.
"""
import math
import pathlib
import time

import streamlit as st

from logreg import course

from . import network, training
from ..display import component, presenter
from ..session import datasets, state
from ..session.i18n import t

ASSETS = pathlib.Path(__file__).resolve().parents[1] / "assets"
# Shared with the playground: the cost curve's drawing, and asking for more of a run.
SHARED_JS = "".join((ASSETS / name).read_text(encoding="utf-8")
                    for name in ("cost-curve.js", "asking.js"))
LIVE = component.define(
    "logreg_live",
    html=(ASSETS / "live.html").read_text(encoding="utf-8"),
    css=(ASSETS / "live.css").read_text(encoding="utf-8"),
    js=SHARED_JS + (ASSETS / "live.js").read_text(encoding="utf-8"),
    isolate_styles=False)   # the page's fonts and presenter mode's sizes; classes start "lv-"
CURVE_POINTS = 500   # the curve sent keeps about this many of a run's costs
LIVE_LINES = 14      # the latest printout lines shown while training

# Each live run, the page that draws it (its url path) and how it ends. On any other page
# the strip's fragment trains it (away), so exactly one place advances a run.
RUN_PAGES = {state.LIVE: "train", state.NETWORK_LIVE: "network"}
FINISH = {state.LIVE: training.finish, state.NETWORK_LIVE: network.finish}


def is_live(run, dataset_key):
    """Whether ``run`` is live (running or stopped) on the dataset ``dataset_key``."""
    return (run is not None and run.dataset_key == dataset_key
            and run.status in ("running", "stopped"))


def panel(live_key, dataset_key, otherwise, *, describe, height, title="", printout=False,
          beside=None):
    """The live run under ``live_key`` while it trains or is stopped on ``dataset_key``, else
    ``otherwise()`` (the page's finished run or its empty chart). What the page passes is
    what to draw: ``describe(run)``, a caption; ``title``, said before the iteration count;
    ``printout``, the course's printout beside the curve; ``beside(run)``, a figure beside
    it (the network's drawing); ``height``, the curve's in px.

    One fragment draws all of it. When a class trains together, a request the browser sent
    before it heard that the run ended reruns the fragment after the page's final run;
    drawn outside it, the curve and printout were then dropped with the stale live view
    (issue 30: 1–3 pages of 4 lost them). Whichever run comes last draws the panel whole.
    """
    drawn_live = is_live(training.current(live_key), dataset_key)

    @st.fragment
    def live():
        run = training.current(live_key)
        if not is_live(run, dataset_key):
            if drawn_live:
                # Drawn while the run trained, yet it has ended without the page's own
                # rerun (asked for when it finished, and lost): ask again for the results.
                st.rerun()
            otherwise()
            return
        if run.status == "running" and _advance(run, FINISH[live_key]):
            st.rerun()   # the whole page: the results, the sidebar, the saved work
        if run.status == "stopped":
            st.info(_stopped(live_key, run.trainer.iteration), icon=":material/pause_circle:")
        figure = beside(run) if beside is not None else None
        left, right = st.columns([3, 2]) if figure is not None else (st.container(), None)
        with left:
            shown = LIVE(key=f"{live_key}_view", data=_data(run, title, printout, height),
                         on_more_change=lambda: None,    # its request reruns this fragment
                         on_stale_change=lambda: None)
        if shown.get("stale") is not None:
            # The browser's Stop and Resume disagree with this run (live.js, checkPage): the
            # page run that drew them after a press was lost on a loaded server.
            st.rerun()
        if figure is not None:
            presenter.chart(figure, where=right, key=f"{live_key}_beside")
        # Below the curve, so that the final curve (below its Log scale toggle) takes the
        # live one's place: at 1280 × 720 in presenter mode neither jumps.
        st.caption(describe(run))

    live()


def _stopped(live_key, iteration):
    """The notice under a stopped run: a network's Train starts from fresh random weights,
    Train's from zero."""
    if live_key == state.NETWORK_LIVE:
        return t("Stopped at iteration {iteration:,}. **Resume** continues this run; "
                 "**Train** starts again.", iteration=iteration)
    return t("Stopped at iteration {iteration:,}. **Resume** continues this run; "
             "**Train** starts again from zero.", iteration=iteration)


def _advance(run, finish_run):
    """One request's share of a run: the next second of its pace, or the whole run at full
    speed; a run already at its total, whose end the browser has drawn, finishes. True
    when the run finished."""
    if run.trainer.iteration >= run.total:
        finish_run(run)
        return True
    if run.pace is None:
        return training.advance(run, training.CHUNK_BUDGET, finish_run=finish_run)
    training.advance(run, training.CHUNK_BUDGET, run.pace * training.CHUNK_SECONDS)
    return False


def _finite(value):
    return round(value, 6) if math.isfinite(value) else None


def _data(run, title, printout, height):
    """What the browser draws of ``run``: its costs so far (every ``CURVE_POINTS``-th of the
    run's length, and the last), the printout's lines with their iterations, the pace."""
    costs = run.trainer.costs
    every = max(1, math.ceil(run.total / CURVE_POINTS))
    shown = list(range(0, len(costs), every))
    if costs and shown[-1] != len(costs) - 1:
        shown.append(len(costs) - 1)
    lines = course.printout(costs) if printout else []
    return {
        "id": run.id, "status": run.status, "total": run.total,
        "received": run.trainer.iteration, "pace": run.pace,
        "curve": [shown, [_finite(costs[i]) for i in shown]],
        "printout": [[i * course.PRINT_EVERY, line] for i, line in enumerate(lines)]
        if printout else None,
        "lines": LIVE_LINES, "height": height, "title": title,
        "words": {"status": t("iteration {iteration} / {total} · cost J = {cost}"),
                  "curve": t("cost J"), "waiting": t("training…")},
    }


# ---------------------------------------------------------------------- away from its page


def quick_runs(page):
    """A full-speed run just started on its own page takes its first steps here, before
    anything is drawn or saved: the cat data's 2,000 iterations take 15 ms, so the script
    run that Train started ends the run, and draws the results, the sidebar and the
    saved work with it. (Finished in the page's panel instead, it took a second script
    run.) At most BUDGET_SECONDS: a longer run goes on in the panel, as at any speed."""
    for key, owner in RUN_PAGES.items():
        run = training.current(key)
        if (owner == page and run is not None and run.status == "running"
                and run.pace is None and run.trainer.iteration == 0
                and run.dataset_key == datasets.active_key()):
            training.advance(run, training.BUDGET_SECONDS, finish_run=FINISH[key])


def drawn_here(page):
    """The live runs the open page (``page``: its url path) draws itself."""
    active = datasets.active_key()
    return {key for key, owner in RUN_PAGES.items()
            if owner == page and getattr(training.current(key), "dataset_key", None) == active}


def away(page):
    """Each live run its page does not draw, one line each, trained here a tick at a time
    while it is running (in the main area, above the page's title)."""
    drawn = drawn_here(page)
    shown = [key for key in RUN_PAGES if key not in drawn
             and getattr(training.current(key), "status", None) in ("running", "stopped")]
    if not shown:
        return
    running = [key for key in shown if training.current(key).status == "running"]

    @st.fragment(run_every=training.TICK_SECONDS if running else None)
    def progress():
        began = time.perf_counter()
        finished = False
        for key in shown:
            run = training.current(key)
            if run is None or run.status == "done":
                continue
            if run.status == "running":
                finished |= training.advance(
                    run, training.BUDGET_SECONDS / len(running),
                    None if run.pace is None else run.pace * training.TICK_SECONDS,
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
        if running:
            training.hold(began)

    with st.container(key="strip_runs"):
        progress()
