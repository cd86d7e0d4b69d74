"""The run inspector's replay (Train): the animated story of a run at any threshold, and
one picture's probability across training.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from logreg.core import not_sure_band

from ...session import escape
from ...session.i18n import t
from .base import (AXES_MARGIN, AnimatedFigure, CLASS_COLOURS, FrozenFigure, NOT_SURE_BAND,
                   PALETTE, add_player, default_template, finite_or_none, legend_key,
                   made_readable, shown_names)


FAINT = "rgba(120, 120, 120, 0.35)"


@made_readable
def picture_story(iterations, probabilities, threshold, classes, iteration, title):
    """One picture's P(class 1) across training, with the threshold, and a marker at
    ``iteration`` (None: no marker).

    Written as the dict plotly would make: it is redrawn at every move of the threshold
    slider, right after the replay, and plotly's checks (15 ms) held up sending the replay.
    """
    names = shown_names(classes)
    hover = t("iteration %{{x}}: P({name}) = %{{y:.3f}}", name=names[1])
    data = [dict(type="scatter", x=np.asarray(iterations).tolist(),
                 y=finite_or_none(probabilities), mode="lines",
                 line=dict(color=PALETTE[4], width=2.5), hovertemplate=hover + "<extra></extra>")]
    at = np.flatnonzero(np.asarray(iterations) == iteration)
    if at.size:
        data.append(dict(
            type="scatter", x=[int(iteration)], y=[float(probabilities[at[0]])],
            mode="markers+text", text=[t("iteration {iteration:,}", iteration=iteration)],
            textposition="top center", marker=dict(size=11, color=PALETTE[3],
                                                   line=dict(color="white", width=2)),
            hovertemplate=hover + "<extra>" + t("shown in the replay when you clicked")
            + "</extra>"))
    low, high = not_sure_band(threshold)
    across = dict(xref="x domain", x0=0, x1=1, yref="y")   # what add_hrect/add_hline make
    layout = dict(
        template=default_template(), title=dict(text=escape.plotly(title)),
        margin=dict(AXES_MARGIN),
        height=260, showlegend=False,
        xaxis=dict(title=dict(text=t("iteration"))),
        yaxis=dict(title=dict(text=f"P({names[1]})"), range=[0, 1]),
        shapes=[dict(type="rect", y0=low, y1=high, fillcolor=NOT_SURE_BAND,
                     line=dict(width=0), layer="below", **across),
                dict(type="line", y0=threshold, y1=threshold,
                     line=dict(dash="dot", color="#444"), **across)],
        annotations=[dict(text=t("threshold {threshold:g}", threshold=threshold),
                          xref="x domain", x=1, xanchor="right", yref="y", y=threshold,
                          yanchor="top", showarrow=False)])
    return FrozenFigure(dict(data=data, layout=layout))


# The replay's training cost curve: 400 points are finer than its pixels, and every point
# is sent again at each move of the threshold slider.
COST_POINTS = 400
PICTURES = "test pictures"   # the replay's clickable trace: one point per test picture
THRESHOLD_LINE = "threshold"  # the name of the replay's threshold lines (replay_at moves them)
HISTOGRAM_BINS = np.linspace(0, 1, 21)


def _bins(p, labels):
    """Counts of P(class 1) per 0.05 bin, for label 0 and label 1."""
    return [np.histogram(p[labels == value], HISTOGRAM_BINS)[0] for value in (0, 1)]


def _outlines(indices, columns, size):
    """A closed square path around each picture ``indices`` of the mosaic (None between)."""
    xs, ys = [], []
    for i in indices:
        r, c = divmod(int(i), columns)
        x0, y0, x1, y1 = c * size + 1, r * size + 1, (c + 1) * size - 2, (r + 1) * size - 2
        xs += [x0, x1, x1, x0, x0, None]
        ys += [y0, y0, y1, y1, y0, None]
    return xs, ys


@made_readable
def replay_figure(curves, costs, frames, scores, classes, labels, earlier=(), size=None):
    """A recorded run, one animation frame per shown iteration, at one threshold.

    Cost and accuracy curves with the shown iteration's line (and ``earlier`` runs faint),
    the weights picture (or the training set's probabilities for a network), the test
    set's probabilities, both confusion matrices, the ROC and precision-recall curves with
    the threshold's point, and every test picture with the misclassified ones outlined;
    the title gives the frame's numbers.

    Parameters
    ----------
    curves : :class:`logreg.history.Curves`; costs : training cost at every iteration
    frames : :class:`~studio.sections.replay.Frames`
    scores : :class:`~studio.sections.replay.Scores`
    labels : ((m,), (m_test,)) int, the training and test labels
    size : int, optional
        The text size in px it is laid out for: presenter mode's (:func:`large` then sets
        it), whose larger title and axis titles need more room between the rows.

    Play, Step and the slider run in the browser; every frame redraws the heatmaps and bars
    (``redraw``: plotly moves only scatter traces without it). Clicking a test picture
    selects a point of the trace named :data:`PICTURES`, its index the picture's.
    """
    names, cut = shown_names(classes), scores.threshold
    train_labels, test_labels = labels
    classes_key = " · ".join(legend_key(n, colour=c) for n, c in zip(names, CLASS_COLOURS))
    # Title, then the player, then the legend, in the top margin (paper y is in plot heights);
    # for each px of larger text: 8 px more for the title (five lines, lower down: plotly
    # cut the first line's top at 19 px), 4 px more in each of the four gaps between rows
    # (ticks, an axis title, the next row's title).
    grown = max((size or 12) - 12, 0)
    height, margin_top = 1780 + 24 * grown, 230 + 8 * grown
    plot = height - margin_top - 10
    fig = make_subplots(
        figure=AnimatedFigure(), rows=5, cols=2, vertical_spacing=0.075 + 4 * grown / plot,
        horizontal_spacing=0.09,
        row_heights=[0.21, 0.2, 0.15, 0.18, 0.26],
        specs=[[{}, {}], [{}, {}], [{}, {}], [{}, {}], [{"colspan": 2}, None]],
        # Titles short enough for a phone, where a column is 170 px wide.
        subplot_titles=(t("cost: {train} · {test}", train=legend_key(t("train")),
                          test=legend_key(t("test"), 1))
                        + (f" · {legend_key(t('earlier'), colour=FAINT)}" if earlier else ""),
                        t("accuracy %: {train} · {test}", train=legend_key(t("train")),
                          test=legend_key(t("test"), 1)),
                        t("weights (red: {name})", name=names[1]) if frames.weights
                        else t("training P({name}): {classes}", name=names[1],
                               classes=classes_key),
                        t("test P({name}): {classes}", name=names[1], classes=classes_key),
                        t("training set"), t("test set"), t("ROC curve"),
                        t("precision-recall"), t("test pictures (red: wrong) · click one")))
    for label, other in earlier:
        name = escape.plotly(label)
        for col, values in ((1, other.test_cost), (2, other.test_accuracy)):
            fig.add_trace(go.Scatter(x=other.iterations, y=finite_or_none(values),
                                     mode="lines", line=dict(color=FAINT, width=1.5),
                                     name=name,
                                     hovertemplate=t("{name}<br>iteration %{{x}}: %{{y:.4g}}",
                                                     name=name)
                                     + "<extra>" + t("earlier run, test set") + "</extra>"),
                          row=1, col=col)
    costs = np.asarray(costs, dtype=float)
    keep = np.unique(np.linspace(0, costs.size - 1, min(COST_POINTS, costs.size)).astype(int))
    lines = ((1, keep, costs[keep], t("training cost"), PALETTE[0]),
             (1, curves.iterations, curves.test_cost, t("test cost"), PALETTE[1]),
             (2, curves.iterations, curves.train_accuracy, t("training accuracy"), PALETTE[0]),
             (2, curves.iterations, curves.test_accuracy, t("test accuracy"), PALETTE[1]))
    for col, x, y, name, colour in lines:
        fig.add_trace(go.Scatter(x=x, y=finite_or_none(y), mode="lines", name=name,
                                 # test series dashed, training solid: not by colour alone
                                 line=dict(color=colour, width=2,
                                           dash="dash" if colour == PALETTE[1] else "solid"),
                                 hovertemplate=t("{name}<br>iteration %{{x}}: %{{y:.4g}}",
                                                 name=name) + "<extra></extra>"),
                      row=1, col=col)
    best = curves.best
    fig.add_trace(go.Scatter(x=[curves.iterations[best]], y=[float(curves.test_cost[best])],
                             mode="markers", name=t("lowest test cost"),
                             marker=dict(symbol="star", size=14, color=PALETTE[3]),
                             hovertemplate=t("{name}<br>iteration %{{x}}: %{{y:.4g}}",
                                             name=t("lowest test cost")) + "<extra></extra>"),
                  row=1, col=1)
    top = float(np.nanmax(np.where(np.isfinite(curves.test_cost), curves.test_cost, np.nan)
                          .tolist() + [costs.max()]))
    last = len(frames.iterations) - 1
    # The histograms' traces come later: without exclude_empty_subplots=False plotly
    # silently leaves the line out of a subplot that has no trace yet.
    fig.add_vline(x=cut, line_dash="dot", line_color="#444", row=2, col=2, name=THRESHOLD_LINE,
                  exclude_empty_subplots=False)
    if not frames.weights:
        fig.add_vline(x=cut, line_dash="dot", line_color="#444", row=2, col=1,
                      name=THRESHOLD_LINE, exclude_empty_subplots=False)
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", showlegend=False,
                             line=dict(color=FAINT, dash="dash"), hoverinfo="skip"),
                  row=4, col=1)
    fig.add_trace(go.Image(source=frames.mosaic, hoverinfo="skip"), row=5, col=1)
    moving = []
    for changed, rest, row, col in (_still_at(frames, names, labels, top, last)
                                    + _cut_at(frames, scores, names, last)):
        fig.add_trace({**rest, **changed}, row=row, col=col)
        moving.append(len(fig.data) - 1)
    still = _still_frames(frames, names, labels, top)
    titles, animation = _animation(curves, frames, scores, names, labels, moving, still)
    add_player(fig, [str(int(i)) for i in frames.iterations], redraw=True,
                place=(1 + 135 / plot, 1 + 85 / plot))
    peak = max(int(max(c.max() for c in _bins(p, test_labels))) for p in frames.p_test)
    fig.update_yaxes(range=[0, peak + 1], row=2, col=2)
    for row, col in ((1, 1), (1, 2)):
        fig.update_xaxes(title_text=t("iteration"), row=row, col=col)
    fig.update_yaxes(range=[0, 100.5], row=1, col=2)
    for col in (1, 2):
        fig.update_xaxes(range=[-0.02, 1.02], row=4, col=col, constrain="domain")
        fig.update_yaxes(range=[-0.02, 1.02], row=4, col=col)
        fig.update_yaxes(autorange="reversed", showticklabels=col == 1, row=3, col=col)
    fig.update_xaxes(range=[0, 1], title_text=f"P({names[1]})", row=2, col=2)
    fig.update_xaxes(title_text=t("false-positive rate"), row=4, col=1)
    fig.update_yaxes(title_text=t("true-positive rate"), row=4, col=1)
    fig.update_xaxes(title_text=t("recall"), row=4, col=2)
    fig.update_yaxes(title_text=t("precision"), row=4, col=2)
    if not frames.weights:
        fig.update_xaxes(range=[0, 1], title_text=f"P({names[1]})", row=2, col=1)
    else:
        fig.update_yaxes(autorange="reversed", scaleanchor="x3", showticklabels=False,
                         showgrid=False, zeroline=False, row=2, col=1)
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False,
                         constrain="domain", row=2, col=1)
    fig.update_xaxes(visible=False, row=5, col=1)
    fig.update_yaxes(visible=False, scaleanchor="x9", row=5, col=1)
    fig.update_layout(
        title=dict(text=titles[last], x=0, xanchor="left", y=0.995 - 2 * grown / height,
                   yanchor="top",
                   font=dict(size=14)),
        barmode="overlay", height=height, margin=dict(l=92, r=24, t=margin_top, b=20),
        showlegend=False, hovermode="closest", annotationdefaults=dict(font=dict(size=13)),
        clickmode="event+select", dragmode=False,
        plot_bgcolor="rgba(0,0,0,0)")
    fig._raw_frames = animation
    fig._moving = (moving, still)
    return fig


@made_readable
def replay_at(spec, moving, curves, frames, scores, classes, labels, shown=None):
    """:func:`replay_figure`'s figure, as the dict ``spec``, moved to ``scores``' threshold.

    Only the frames, the traces they change, the title and the threshold's lines depend on
    the threshold, and they are plain dicts: this takes a few milliseconds where building
    the figure again takes 100–200 ms of plotly's checks (the threshold slider's budget
    is 200 ms from key press to redrawn chart). ``moving`` is the built figure's
    ``_moving``; ``shown`` is the frame it opens at (the last when None).
    """
    indices, still = moving
    names = shown_names(classes)
    titles, animation = _animation(curves, frames, scores, names, labels, indices, still)
    data = list(spec["data"])
    shown = len(frames.iterations) - 1 if shown is None else shown
    # The traces as the shown frame sets them: what a click on its slider step would do.
    for index, changed in zip(indices, animation[shown]["data"]):
        data[index] = {**data[index], **changed}
    layout = dict(spec["layout"], title=dict(spec["layout"]["title"], text=titles[shown]),
                  sliders=[dict(spec["layout"]["sliders"][0], active=shown)])
    if "shapes" in layout:
        layout["shapes"] = [dict(shape, x0=scores.threshold, x1=scores.threshold)
                            if shape.get("name") == THRESHOLD_LINE else shape
                            for shape in layout["shapes"]]
    return FrozenFigure({**spec, "data": data, "layout": layout, "frames": animation})


def _animation(curves, frames, scores, names, labels, moving, still):
    """(the title of each frame, the animation frames), for :func:`replay_figure`;
    ``still`` is each frame's :func:`_still_at` as frames send it."""
    m_test = len(labels[1])
    titles = [_replay_title(frames, scores, curves, i, m_test)
              for i in range(len(frames.iterations))]
    animation = [dict(name=str(int(frames.iterations[i])), traces=moving,
                      data=still[i] + _sent(_cut_at(frames, scores, names, i)),
                      layout=dict(title=dict(text=titles[i])))
                 for i in range(len(frames.iterations))]
    return titles, animation


def _sent(found):
    """What a frame sends of :func:`_still_at` or :func:`_cut_at`'s traces: the changed
    properties and the trace's type."""
    return [dict(changed, type=rest["type"]) for changed, rest, _, _ in found]


def _still_frames(frames, names, labels, top):
    """Each frame's :func:`_still_at` as a frame sends it: computed once per run, as they
    do not depend on the threshold."""
    return [_sent(_still_at(frames, names, labels, top, i))
            for i in range(len(frames.iterations))]


def _still_at(frames, names, labels, top, i):
    """The traces of :func:`replay_figure` that change from frame to frame but not with the
    threshold, at frame ``i``: (changed properties, the rest of the trace, its row, its
    column). A frame sends only the first."""
    train_labels, test_labels = labels
    columns, size = frames.columns, frames.num_px
    iteration = int(frames.iterations[i])
    line = dict(type="scatter", mode="lines", showlegend=False, hoverinfo="skip",
                line=dict(color="#444", width=1.5))
    found = [(dict(x=[iteration, iteration]), dict(line, y=[0, top]), 1, 1),
             (dict(x=[iteration, iteration]), dict(line, y=[0, 100]), 1, 2)]
    if frames.weights:
        found.append((dict(source=frames.weights[i]), dict(type="image", hoverinfo="skip"),
                      2, 1))
    else:
        found += _bars(frames.p_train[i], train_labels, names, 2, 1)
    found += _bars(frames.p_test[i], test_labels, names, 2, 2)
    for col, (x, y, _) in ((1, frames.roc[i]), (2, frames.pr[i])):
        found.append((dict(x=x, y=y), dict(
            type="scatter", mode="lines", line_shape="linear" if col == 1 else "vh",
            showlegend=False, hoverinfo="skip", line=dict(color=PALETTE[0], width=2)), 4, col))
    # Every test picture, clickable; each carries the frame's iteration, so a click tells
    # the server which iteration was on screen (the slider itself reports nothing).
    m_test = len(test_labels)
    picture, follow = t("#{index} is {name}"), t("%{hovertext}: click to follow it")
    centres = [divmod(k, columns) for k in range(m_test)]
    found.append((dict(customdata=[iteration] * m_test), dict(
        type="scatter", x=[(c + 0.5) * size for _, c in centres],
        y=[(r + 0.5) * size for r, _ in centres], mode="markers", name=PICTURES,
        showlegend=False, marker=dict(size=22, symbol="square", color="rgba(0,0,0,0)"),
        hovertext=[picture.format(index=k, name=names[test_labels[k]]) for k in range(m_test)],
        hovertemplate=follow + "<extra></extra>"), 5, 1))
    return found


def _cut_at(frames, scores, names, i):
    """The traces of :func:`replay_figure` that move with the threshold, at frame ``i``,
    as :func:`_still_at` lists them: the confusion matrices, the threshold's point on the
    ROC and precision-recall curves, the misclassified pictures' outlines."""
    said, is_ = t("said {name}"), t("is {name}")
    found = []
    for col, matrix in ((1, scores.confusion_train[i]), (2, scores.confusion_test[i])):
        found.append((dict(z=matrix.tolist(), text=matrix.tolist()), dict(
            type="heatmap", x=[said.format(name=n) for n in names],
            y=[is_.format(name=n) for n in names],
            texttemplate="%{text}", textfont=dict(size=16), colorscale="Blues",
            showscale=False, hovertemplate="%{y}, %{x}: %{z}<extra></extra>"), 3, col))
    for col, point in ((1, scores.roc[i][3]), (2, scores.pr[i][3])):
        found.append((dict(x=[float(point[0])], y=[float(point[1])]), dict(
            type="scatter", mode="markers", showlegend=False, hoverinfo="skip",
            marker=dict(size=11, color=PALETTE[3], line=dict(color="white", width=2))),
            4, col))
    wrong_x, wrong_y = _outlines(scores.wrong[i], frames.columns, frames.num_px)
    found.append((dict(x=wrong_x, y=wrong_y), dict(
        type="scatter", mode="lines", showlegend=False, hoverinfo="skip",
        line=dict(color="#e00000", width=3)), 5, 1))
    return found


def _bars(p, labels, names, row, col):
    """P(class 1) per 0.05 bin, one bar trace per true class (a frame's histogram), as
    :func:`_still_at` lists them."""
    centres = (HISTOGRAM_BINS[:-1] + HISTOGRAM_BINS[1:]) / 2
    return [(dict(y=counts.tolist()), dict(
        type="bar", x=centres.tolist(), width=0.05, name=t("is {name}", name=name),
        opacity=0.75, marker_color=colour, showlegend=False,
        hovertemplate=t("is {name}, P %{{x:.2f}}: %{{y}}", name=name) + "<extra></extra>"),
        row, col)
            for name, colour, counts in zip(names, CLASS_COLOURS, _bins(p, labels))]


def _replay_title(frames, scores, curves, i, m_test):
    row = frames.rows[i]
    roc_area, pr_area = scores.roc[i][2], scores.pr[i][2]
    precision, recall = scores.precision[i], scores.recall[i]
    percent = [("—" if np.isnan(v) else f"{v:.0%}") for v in (precision, recall)]
    # Short lines: the figure is 358 px wide on a phone.
    return t("<b>Iteration {iteration:,}</b> · cost J {cost:.4f}<br>accuracy: train "
             "{train:.1f} % · test {test:.1f} %<br>threshold {threshold:.2f}: precision "
             "{precision} · recall {recall}<br>ROC area {roc:.3f} · PR area {pr:.3f}<br>"
             "Misclassified test images ({wrong} of {m_test})",
             iteration=int(frames.iterations[i]), cost=curves.train_cost[row],
             train=scores.train_accuracy[i], test=scores.test_accuracy[i],
             threshold=scores.threshold, precision=percent[0], recall=percent[1],
             roc=roc_area, pr=pr_area, wrong=len(scores.wrong[i]), m_test=m_test)
