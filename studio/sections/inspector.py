"""The run inspector: replay a recorded run, see over-fitting, move the threshold, follow
one picture, and bring back an earlier run. Used by the Train and Network pages alike.

The replay is one plotly figure whose animation frames are the run's iterations
(:mod:`studio.sections.replay`): scrubbing and Play redraw in the browser, with no rerun. The
threshold slider, the figure and the picture story sit in one fragment: moving the
threshold reruns only it and sends the figure for the new threshold (built once per run
and threshold); clicking a test picture in the figure reruns it to draw that picture's
story.
"""
import functools
import math

import streamlit as st

from logreg.core import THRESHOLD

from . import replay
from ..display import figures, presenter
from ..session import escape, runs, state, turns, words
from ..session.i18n import language, t, tn

STORY_PX = 128


def render(kind, key, dataset):
    """The whole inspector for the session's model of ``kind`` ("logistic" or "network").

    The replay waits in an expander until it is opened (then it stays open for the
    session): building it and drawing its nine charts took about 0.5 s of every Train
    click, more than the rest of the results together, for a section below the fold that
    not every run is inspected with. The over-fitting sentence and the kept runs cost
    nothing and stay in view."""
    run = runs.inspected(kind)
    st.header(t("Look inside the run"))
    if run is None:
        st.info(t("Train here to record a run: the inspector replays recorded runs (a model "
                  "loaded from a file has no history)."), icon=":material/history:")
        return
    if run.dataset_key != key:
        st.info(t("The inspected run was trained on another dataset: pick it in the sidebar "
                  "to replay it."), icon=":material/swap_horiz:")
        return
    st.markdown(overfitting_words(run.curves))
    # The session's choice sets the widget on every run: the widget's own state is dropped
    # on a page switch and starts over when the label changes language. (Through
    # ``expanded=`` instead, each open or close would change the widget's id.)
    st.session_state[_open_key(kind)] = replay_open(kind)
    box = st.expander(t("Replay the run: every iteration, the threshold, one picture's story"),
                      key=_open_key(kind), on_change=_remember_open, args=(kind,),
                      icon=":material/replay:")
    if box.open:
        with box, st.container(key=f"inspector_{kind}"):
            history = run.history
            every = (t("one every {every:,} iterations", every=history.every)
                     if history.every > 1 else t("one every iteration"))
            st.caption(t("{run} · {frames}, {every} ({size:,.0f} KB). **▶ Play** or drag the "
                         "iteration slider in the chart: everything in it shows that "
                         "iteration.", run=escape.markdown(run.label),
                         frames=tn("{count:,} frame recorded", "{count:,} frames recorded",
                                   count=len(history.iterations)),
                         every=every, size=history.nbytes / 1024))
            _panel(kind, run, dataset)
    earlier_runs(kind, run)


def _open_key(kind):
    return f"{kind}_replay_open"


def replay_open(kind):
    """Whether this session opened the replay of ``kind`` (it then opens with each run)."""
    return bool(st.session_state.get(state.REPLAY_OPEN, {}).get(kind))


def _remember_open(kind):
    """The expander's callback: a click opened or closed it."""
    st.session_state.setdefault(state.REPLAY_OPEN, {})[kind] = bool(
        st.session_state[_open_key(kind)])


def _restore(kind, run_id):
    runs.restore(kind, run_id)
    st.session_state.get(state.STORY, {}).pop(kind, None)


def _story_key(kind):
    return f"{kind}_replay"


def _pick(kind, pictures_trace):
    """Remember the test picture clicked in the replay and the iteration then on screen
    (each picture carries it); a click elsewhere keeps the last."""
    points = st.session_state[_story_key(kind)].selection.points
    picked = [p for p in points if p["curve_number"] == pictures_trace]
    if picked:
        iteration = picked[0].get("customdata")
        iteration = iteration[0] if isinstance(iteration, list) else iteration
        st.session_state.setdefault(state.STORY, {})[kind] = (
            int(picked[0]["point_index"]), None if iteration is None else int(iteration))


def _panel(kind, run, dataset):
    @st.fragment
    def panel():
        st.slider(t("Decision threshold"), 0.0, 1.0, THRESHOLD, 0.01, key=state.THRESHOLD,
                  persist_state="session", format="%.2f",
                  help=t("A picture is answered class 1 when its probability is above this. "
                         "Classify uses it too."))
        threshold = state.threshold()
        earlier = [(r.label, r.curves) for r in runs.recorded_runs(kind)
                   if r is not run and r.dataset_key == run.dataset_key]
        # Until a picture is clicked: the first the model gets wrong, at the last iteration.
        picked, iteration = st.session_state.get(state.STORY, {}).get(kind, (None, None))
        # A turn here too: a threshold move reruns this fragment alone (see studio.session.turns).
        with turns.turn():
            figure, scores = replay.figure(run, dataset, threshold, earlier, iteration,
                                           language(), presenter.text_size())
            st.markdown(threshold_words(scores, dataset, threshold))
            pictures = figure.trace_index(figures.inspector.PICTURES)
            presenter.chart(figure, key=_story_key(kind), selection_mode="points",
                            on_select=functools.partial(_pick, kind, pictures))
            if picked is None:
                picked = int(scores.wrong[-1][0]) if len(scores.wrong[-1]) else 0
            picture_story(run, dataset, picked, threshold, iteration)

    panel()


def overfitting_words(curves):
    """Where the test cost was lowest, and what happened after, in plain words."""
    best, last = curves.best, len(curves.iterations) - 1
    at, lowest, final = int(curves.iterations[best]), curves.test_cost[best], curves.test_cost[last]
    if best == last or final <= lowest * 1.001:
        return t("The test cost was still falling at the end (lowest, {lowest:.3f}, at the "
                 "last iteration): no sign of over-fitting yet.", lowest=lowest)
    gap = curves.train_accuracy[last] - curves.test_accuracy[last]
    return t("★ The **test cost** was lowest at iteration **{at:,}** ({lowest:.3f}). After "
             "that the training cost kept falling while the test cost rose to {final:.3f}: "
             "the model was learning its {images} by heart rather than anything that "
             "carries over to new ones — **over-fitting**. At the end it is right on "
             "{train:.0f} % of the training set but {test:.0f} % of the test set ({apart}); "
             "at iteration {at:,} the test set scored {best_test:.0f} %.", at=at,
             lowest=lowest, final=final, images=words.training_images(curves.z_train.shape[1]),
             train=curves.train_accuracy[last], test=curves.test_accuracy[last],
             apart=tn("{count} point apart", "{count} points apart", count=int(round(gap))),
             best_test=curves.test_accuracy[best])


def threshold_words(scores, dataset, threshold):
    """Precision and recall of the trained model (the last frame) at the threshold."""
    precision, recall = scores.precision[-1], scores.recall[-1]
    name = escape.markdown(words.classes(dataset.classes)[1])
    return (t("**The trained model at threshold {threshold:.2f}** (test set): precision "
              "**{precision}** — of the pictures answered *{name}*, how many are; recall "
              "**{recall}** — of the real *{name}* pictures, how many were found.",
              threshold=threshold, precision=_percent(precision), recall=_percent(recall),
              name=name)
            + ("" if math.isclose(threshold, THRESHOLD) else
               t(" The course's threshold is {course:g}; Classify now answers with "
                 "{threshold:.2f}.", course=THRESHOLD, threshold=threshold)))


def _percent(value):
    return "—" if math.isnan(value) else f"{value:.0%}"


def picture_story(run, dataset, picked, threshold, iteration=None):
    """One test picture's P(class 1) across the whole run, marked at ``iteration`` (the
    replay's iteration when the picture was clicked)."""
    classes, labels = words.classes(dataset.classes), dataset.labels("test")
    left, right = st.columns([1, 4], vertical_alignment="center")
    left.image(figures.base.upscaled(dataset.test_set_x_orig[picked], STORY_PX), width=STORY_PX,
               output_format="PNG")
    presenter.chart(figures.inspector.picture_story(
        run.curves.iterations, run.curves.p_test(picked), threshold, classes, iteration,
        t("Test picture #{index} (is {name}): P({positive}) while training", index=picked,
          name=classes[labels[picked]], positive=classes[1])), where=right,
        key=f"{run.kind}_story")
    st.caption(t("Click any test picture in the replay to follow it instead."))


def earlier_runs(kind, inspected):
    """The runs the session kept: their settings and results, and one click to restore."""
    kept = runs.recorded_runs(kind)
    if len(kept) < 2:
        return
    st.subheader(t("Runs side by side"))
    st.caption(t("The last {count} runs of this session are kept; the earlier ones on this "
                 "dataset are the faint curves (test cost and accuracy) above.",
                 count=runs.MAX_RUNS))
    for run in reversed(kept):
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c = run.curves
        c1.markdown(escape.markdown(t(
            "{run} · test accuracy {accuracy:.1f} % · lowest test cost {cost:.3f} at "
            "iteration {at:,}", run=run.label, accuracy=c.test_accuracy[-1],
            cost=c.test_cost[c.best], at=int(c.iterations[c.best]))))
        if run is inspected:
            c2.caption(t("inspected above"))
        else:
            c2.button(t("Restore"), key=f"{kind}_restore_{run.id}", on_click=_restore,
                      args=(kind, run.id), width="stretch",
                      help=t("Make this run's model the session's model again."))
