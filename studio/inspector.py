"""The run inspector: replay a recorded run, see over-fitting, move the threshold, follow
one picture, and bring back an earlier run. Used by the Train and Network pages alike.

Everything that depends on the chosen iteration or threshold sits in one fragment, so
scrubbing or moving the threshold reruns only it. A frame's confusion matrices, histogram
and gallery come from the model rebuilt at that iteration through the model contract
(``evaluate``), the same call the results above make: at the last frame they are the
results. Play advances the frame from the fragment's own timer.
"""
import math

import streamlit as st

from logreg import metrics
from logreg.core import THRESHOLD

from . import escape, figures, runs, state

THUMB_PX = 96
PLAY_SECONDS = 0.5    # one frame per tick while playing: a redraw takes about 0.2 s
PLAY_FRAMES = 40      # a replay plays in about this many ticks
GALLERY_MAX = 24      # thumbnails drawn per frame; the count says how many are wrong


def _frame_key(kind):
    return f"{kind}_replay_frame"


def _toggle_play(kind, first, last):
    playing = st.session_state.setdefault(state.PLAYING, {})
    playing[kind] = not playing.get(kind, False)
    if playing[kind] and st.session_state.get(_frame_key(kind)) == last:
        st.session_state[_frame_key(kind)] = first   # play from the start again


def _restore(kind, run_id):
    runs.restore(kind, run_id)
    st.session_state.pop(_frame_key(kind), None)


def render(kind, key, dataset):
    """The whole inspector for the session's model of ``kind`` ("logistic" or "network")."""
    run = runs.inspected(kind)
    st.header("Look inside the run")
    if run is None:
        st.info("Train here to record a run: the inspector replays recorded runs (a model "
                "loaded from a file has no history).", icon=":material/history:")
        return
    if run.dataset_key != key:
        st.info("The inspected run was trained on another dataset: pick it in the sidebar to "
                "replay it.", icon=":material/swap_horiz:")
        return
    with st.container(key=f"inspector_{kind}"):
        _render(kind, run, dataset)
    earlier_runs(kind, run)


def _render(kind, run, dataset):
    history = run.history
    st.caption(f"{escape.markdown(run.label)} · {len(history.iterations)} frames recorded, one "
               f"every {history.every:,} iteration{'s' if history.every > 1 else ''} "
               f"({history.nbytes / 1024:,.0f} KB)")
    _inspect(kind, run, dataset)


def _inspect(kind, run, dataset):
    playing = st.session_state.get(state.PLAYING, {}).get(kind, False)

    @st.fragment(run_every=PLAY_SECONDS if playing else None)
    def panel():
        iterations = run.history.iterations
        frame_key = _frame_key(kind)
        if st.session_state.get(frame_key) not in iterations:
            st.session_state[frame_key] = iterations[-1]
        is_playing = st.session_state.get(state.PLAYING, {}).get(kind, False)
        if is_playing:
            index = run.history.index_of(st.session_state[frame_key])
            step = max(1, len(iterations) // PLAY_FRAMES)
            if index >= len(iterations) - 1:
                st.session_state[state.PLAYING][kind] = False
                st.rerun()   # the whole page: stop the timer
            st.session_state[frame_key] = iterations[min(index + step, len(iterations) - 1)]
        c1, c2, c3 = st.columns([0.9, 4, 3], vertical_alignment="bottom")
        c1.button("Pause" if is_playing else "Play", key=f"{kind}_play",
                  icon=":material/pause:" if is_playing else ":material/play_arrow:",
                  on_click=_toggle_play, args=(kind, iterations[0], iterations[-1]),
                  width="stretch",
                  help="Replay the run from its start (or from the chosen iteration).")
        c2.select_slider("Iteration", options=iterations, key=frame_key,
                         help="Scrub through the recorded iterations of this run.")
        c3.slider("Decision threshold", 0.0, 1.0, THRESHOLD, 0.01, key=state.THRESHOLD,
                  persist_state="session", format="%.2f",
                  help="A picture is answered "
                       "class 1 when its probability is above this. Classify uses it too.")
        frame = run.history.index_of(st.session_state[frame_key])
        _show_frame(kind, run, dataset, frame, state.threshold())

    panel()


def _show_frame(kind, run, dataset, frame, threshold):
    curves, iteration = run.curves, run.history.iterations[frame]
    model = run.model_at(frame)
    evaluation = model.evaluate(dataset, threshold)
    classes = model.classes
    c0, c1, c2, c3 = st.columns(4)
    c0.metric("iteration", f"{iteration:,}", help=f"of {run.history.iterations[-1]:,}")
    c1.metric("cost J", f"{curves.train_cost[frame]:.4f}",
              help=f"training cost at iteration {iteration:,}")
    c2.metric("train", f"{evaluation.train_accuracy:.1f} %", help="training-set accuracy")
    c3.metric("test", f"{evaluation.test_accuracy:.1f} %", help="test-set accuracy")
    left, right = st.columns([3, 2])
    earlier = [(r.label, r.curves) for r in runs.recorded_runs(kind)
               if r is not run and r.dataset_key == run.dataset_key]
    left.plotly_chart(figures.training_curves(curves, run.trainer.costs, iteration, earlier),
                      key=f"{kind}_curves")
    with right:
        st.markdown(overfitting_words(curves, iteration))
        if kind == "logistic":
            st.plotly_chart(figures.weights_figure(model.w, model.num_px, model.channels),
                            key=f"{kind}_replay_weights")
    c1, c2 = st.columns(2)
    c1.plotly_chart(figures.confusion_figure(
        evaluation.confusion_train, classes,
        f"Training set at iteration {iteration:,}"), key=f"{kind}_replay_conf_train")
    c2.plotly_chart(figures.confusion_figure(
        evaluation.confusion_test, classes,
        f"Test set at iteration {iteration:,}"), key=f"{kind}_replay_conf_test")
    threshold_panel(kind, evaluation, dataset, threshold)
    gallery(kind, dataset, evaluation, classes)
    picture_story(kind, run, dataset, iteration, threshold, classes)


def overfitting_words(curves, iteration):
    """Where the test cost was lowest, and what happened after, in plain words."""
    best, last = curves.best, len(curves.iterations) - 1
    at, lowest, final = int(curves.iterations[best]), curves.test_cost[best], curves.test_cost[last]
    if best == last or final <= lowest * 1.001:
        return (f"The test cost was still falling at the end (lowest, {lowest:.3f}, at the "
                f"last iteration): no sign of over-fitting yet.")
    gap = curves.train_accuracy[last] - curves.test_accuracy[last]
    return (f"★ The **test cost** was lowest at iteration **{at:,}** ({lowest:.3f}). After "
            f"that the training cost kept falling while the test cost rose to {final:.3f}: "
            f"the model was learning its {curves.z_train.shape[1]} training pictures by heart "
            f"rather than anything that carries over to new ones — **over-fitting**. At the "
            f"end it is right on {curves.train_accuracy[last]:.0f} % of the training set but "
            f"{curves.test_accuracy[last]:.0f} % of the test set ({gap:.0f} points apart); at "
            f"iteration {at:,} the test set scored {curves.test_accuracy[best]:.0f} %.")


def threshold_panel(kind, evaluation, dataset, threshold):
    """Precision and recall at the threshold; ROC and PR curves of the test set with it."""
    p, Y = evaluation.p_test, dataset.test_set_y
    precision, recall = metrics.precision_recall(evaluation.confusion_test)
    fpr, tpr, _ = metrics.roc_curve(p, Y)
    recall_curve, precision_curve, _ = metrics.pr_curve(p, Y)
    matrix = evaluation.confusion_test
    point_fpr = matrix[0, 1] / max(matrix[0].sum(), 1)
    name = escape.markdown(dataset.classes[1])
    st.markdown(
        f"**At threshold {threshold:.2f}** (test set): precision "
        f"**{_percent(precision)}** — of the pictures answered *{name}*, how many are; "
        f"recall **{_percent(recall)}** — of the real *{name}* pictures, how many were found."
        + ("" if math.isclose(threshold, THRESHOLD) else
           f" The course's threshold is {THRESHOLD:g}; Classify now answers with "
           f"{threshold:.2f}."))
    c1, c2, c3 = st.columns(3)
    c1.plotly_chart(figures.roc_figure(fpr, tpr, metrics.auc(fpr, tpr),
                                       (point_fpr, 0 if math.isnan(recall) else recall)),
                    key=f"{kind}_roc")
    c2.plotly_chart(figures.pr_figure(
        recall_curve, precision_curve,
        metrics.average_precision(recall_curve, precision_curve),
        (0 if math.isnan(recall) else recall, 1 if math.isnan(precision) else precision)),
        key=f"{kind}_pr")
    c3.plotly_chart(figures.probability_histogram(
        p, Y, dataset.classes, "", threshold), key=f"{kind}_hist")   # the legend is its title


def _percent(value):
    return "—" if math.isnan(value) else f"{value:.0%}"


def gallery(kind, dataset, evaluation, classes):
    wrong = evaluation.misclassified_test
    st.markdown(f"**Misclassified test pictures at this iteration: {len(wrong)} of "
                f"{dataset.m_test}**" + (f" (the first {GALLERY_MAX} shown)"
                                         if len(wrong) > GALLERY_MAX else ""))
    if len(wrong):
        labels = dataset.labels("test")
        st.image([figures.upscaled(dataset.test_set_x_orig[i], THUMB_PX)
                  for i in wrong[:GALLERY_MAX]], width=THUMB_PX, output_format="PNG",
                 caption=[escape.markdown(f"#{i} is {classes[labels[i]]} · "
                                          f"{evaluation.p_test[i]:.2f}")
                          for i in wrong[:GALLERY_MAX]])


def picture_story(kind, run, dataset, iteration, threshold, classes):
    """One test picture's P(class 1) across the whole run."""
    labels = dataset.labels("test")
    picked = st.selectbox(
        "One picture's story: follow a test picture through training",
        range(dataset.m_test), key=f"{kind}_story_picture",
        format_func=lambda i: f"#{i} · is {classes[labels[i]]}",   # options are plain text
        help="Its probability at every recorded iteration of this run.")
    left, right = st.columns([1, 5], vertical_alignment="center")
    left.image(figures.upscaled(dataset.test_set_x_orig[picked], 128), width=128,
               output_format="PNG")
    right.plotly_chart(figures.picture_story(
        run.curves.iterations, run.curves.p_test(picked), iteration, threshold, classes,
        f"Test picture #{picked} (is {classes[labels[picked]]}): P({classes[1]}) while "
        f"training"), key=f"{kind}_story")


def earlier_runs(kind, inspected):
    """The runs the session kept: their settings and results, and one click to restore."""
    kept = runs.recorded_runs(kind)
    if len(kept) < 2:
        return
    st.subheader("Runs side by side")
    st.caption(f"The last {runs.MAX_RUNS} runs of this session are kept; the earlier ones "
               f"on this dataset are the faint curves (test cost and accuracy) above.")
    for run in reversed(kept):
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c = run.curves
        c1.markdown(escape.markdown(
            f"{run.label} · test accuracy {c.test_accuracy[-1]:.1f} % · lowest test cost "
            f"{c.test_cost[c.best]:.3f} at iteration {int(c.iterations[c.best]):,}"))
        if run is inspected:
            c2.caption("inspected above")
        else:
            c2.button("Restore", key=f"{kind}_restore_{run.id}", on_click=_restore,
                      args=(kind, run.id), width="stretch",
                      help="Make this run's model the session's model again.")
