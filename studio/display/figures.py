"""Every chart of the app as a pure function returning a plotly figure (no Streamlit here).

Tests call these directly; pages only pass them data and hand the result to
``st.plotly_chart``. Their words (titles, axes, legends, hover texts) are in the session's
language (:func:`studio.session.i18n.t`); a figure cached across reruns is kept per language.
"""
import base64
import functools
import io
import re
import unicodedata

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.subplots import make_subplots

from logreg.core import THRESHOLD, is_not_sure, not_sure_band
from logreg.course import SCALING_WORDS

from ..session import escape
from ..session.i18n import say, t

# One colour per scaling mode, used on every page so "raw" always looks the same.
MODE_COLOURS = {"raw": "#d62728", "divide255": "#1f77b4", "zscore": "#2ca02c"}
# ...and one dash, so the lines differ without colour too (red and green look alike to
# one man in twelve).
MODE_DASH = {"raw": "dot", "divide255": "solid", "zscore": "dash"}
CLASS_COLOURS = ("#7f7f7f", "#ff7f0e")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
# "Not sure" (logreg.core.NOT_SURE): a lighter grey than class 0's, with hatching so it
# differs from it without colour.
NOT_SURE_COLOUR, NOT_SURE_BAND = "#c4c4c4", "rgba(150, 150, 150, 0.18)"
MARGIN = dict(l=10, r=10, t=50, b=10)
# Plotly draws a chart, then widens its margins to fit what sits in them (axis ticks and
# titles, legends, colour bars, players) and, when they changed, draws the whole chart
# again: every chart here was drawn twice, and the Normalization page took 0.81 s instead
# of 0.45 s to draw after a click. So each figure asks for the margins that its drawing
# ends with at 1280 px, in English and in Korean; wider labels (a phone's wrapped legend,
# a dataset's long class names) still widen them, at the cost of the second drawing.
# tests/browser checks that no chart on the pages it visits needed it.
AXES_MARGIN = dict(l=78, r=24, t=50, b=66)   # an x-axis title, y-axis ticks and title
# Chart text in the page's text colour (15.9:1 on white): Streamlit's theme draws axis text
# in a grey of 3.7:1, too faint on a projector. Its theme fills the figure's template, so
# the colour is set on the figure itself, by readable() on every figure this module makes.
TEXT = "#1f2430"


def _names(classes):
    """Class names as plotly shows them: a person's own names are text, never HTML."""
    return [escape.plotly(c) for c in classes]


def mode_title(mode):
    """A scaling as people read it ("pixels ÷ 255"), in the session's language."""
    return say(SCALING_WORDS.get(mode, mode))


def _finite_or_none(values):
    """Plotly draws None as a gap; say so explicitly instead of sending NaN."""
    values = np.asarray(values, dtype=float)
    return [float(v) if np.isfinite(v) else None for v in values]


def cost_curve(costs, title=None, total=None, log_y=False, max_points=None):
    """The cost J at every iteration so far.

    Parameters
    ----------
    costs : sequence of float
    total : int, optional
        Fix the x axis to the planned number of iterations, so a live curve grows into it.
    max_points : int, optional
        Draw at most this many evenly spaced points (the first and last always included).
    """
    costs = np.asarray(costs, dtype=float)
    iterations = np.arange(costs.size)
    if max_points and costs.size > max_points:
        # A live chart redrawn every tick only needs enough points to look smooth.
        keep = np.unique(np.linspace(0, costs.size - 1, max_points).astype(int))
        iterations, costs = iterations[keep], costs[keep]
    fig = go.Figure(go.Scatter(x=iterations, y=_finite_or_none(costs),
                               mode="lines", line=dict(color="#1f77b4", width=2),
                               name=t("cost"),
                               hovertemplate=t("iteration %{x}<br>cost %{y:.6f}")
                               + "<extra></extra>"))
    fig.update_layout(title=title or t("Cost while training"), xaxis_title=t("iteration"),
                      yaxis_title=t("cost J"),
                      margin=AXES_MARGIN, height=360, showlegend=False)
    if total:
        fig.update_xaxes(range=[0, max(int(total), 1)])
    if log_y:
        fig.update_yaxes(type="log")
    return fig


def scaling_comparison(runs, log_y=False, overlay=False):
    """Cost curves of the same model trained on differently scaled pixels.

    Parameters
    ----------
    runs : dict
        {scaling mode: sequence of costs at every iteration}.
    overlay : bool
        One shared plot instead of one panel per mode side by side.
    """
    modes = list(runs)
    if overlay:
        fig = go.Figure()
        for mode in modes:
            costs = np.asarray(runs[mode], dtype=float)
            fig.add_trace(go.Scatter(x=np.arange(costs.size), y=_finite_or_none(costs),
                                     mode="lines", name=mode_title(mode),
                                     line=dict(color=MODE_COLOURS.get(mode), width=2,
                                               dash=MODE_DASH.get(mode))))
        fig.update_layout(xaxis_title=t("iteration"), yaxis_title=t("cost J"))
    else:
        fig = make_subplots(rows=1, cols=len(modes), shared_xaxes=True,
                            subplot_titles=[mode_title(m) for m in modes],
                            horizontal_spacing=0.06)
        for col, mode in enumerate(modes, start=1):
            costs = np.asarray(runs[mode], dtype=float)
            fig.add_trace(go.Scatter(x=np.arange(costs.size), y=_finite_or_none(costs),
                                     mode="lines", name=mode_title(mode),
                                     line=dict(color=MODE_COLOURS.get(mode), width=2,
                                               dash=MODE_DASH.get(mode))),
                          row=1, col=col)
            fig.update_xaxes(title_text=t("iteration"), row=1, col=col)
        fig.update_yaxes(title_text=t("cost J"), row=1, col=1)
        # Shared iteration axis: zooming one panel zooms them all.
        fig.update_xaxes(matches="x")
    fig.update_layout(margin=dict(AXES_MARGIN, t=64 if overlay else 50), height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0))
    if log_y:
        fig.update_yaxes(type="log")
    return fig


def race_figure(runners, target, reached):
    """The race (logreg.race): each scaling's cost curve at its own safe learning rate on one
    plot, the common target cost dotted, and where each run reaches it marked.

    ``runners``: logreg.race.Runner with a scaling mode as ``name``; ``reached``: {mode:
    iteration or None}."""
    fig = go.Figure()
    # Dotted curves last: raw pixels run under pixels ÷ 255 and must stay visible on it.
    for runner in sorted(runners, key=lambda r: MODE_DASH.get(r.name) == "dot"):
        costs = np.asarray(runner.costs, dtype=float)
        colour = MODE_COLOURS.get(runner.name)
        fig.add_trace(go.Scatter(
            x=np.arange(costs.size), y=_finite_or_none(costs), mode="lines",
            name=t("{scaling} · α = {rate:.2g}", scaling=mode_title(runner.name),
                   rate=runner.learning_rate),
            line=dict(color=colour, width=2, dash=MODE_DASH.get(runner.name))))
        at = reached.get(runner.name)
        if at is not None:
            fig.add_trace(go.Scatter(x=[at], y=[float(costs[at])], mode="markers",
                                     marker=dict(color=colour, size=10), showlegend=False,
                                     hovertemplate=t("iteration {iteration:,}", iteration=at)
                                     + "<extra></extra>"))
    if target is not None:
        fig.add_hline(y=target, line=dict(color="#555", width=1, dash="dot"),
                      annotation_text=t("cost {target:g}", target=target),
                      annotation_position="top right")
    fig.update_layout(xaxis_title=t("iteration"), yaxis_title=t("cost J"), height=360,
                      margin=dict(AXES_MARGIN, t=64),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def learning_rate_comparison(runs, log_y=False):
    """Overlayed cost curves, one per learning rate: {learning rate: costs}."""
    fig = go.Figure()
    for colour, (rate, costs) in zip(PALETTE, runs.items()):
        costs = np.asarray(costs, dtype=float)
        fig.add_trace(go.Scatter(x=np.arange(costs.size), y=_finite_or_none(costs),
                                 mode="lines", name=t("learning rate {rate:g}", rate=rate),
                                 line=dict(color=colour, width=2)))
    fig.update_layout(xaxis_title=t("iteration"), yaxis_title=t("cost J"),
                      margin=dict(AXES_MARGIN, t=62), height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    if log_y:
        fig.update_yaxes(type="log")
    return fig


def linear_demo_figure(demo, log_y=False):
    """The seed's Figure 1: squared-error cost with and without standardization, plus the data.

    A long run's curves are drawn from every cost of its first and last 500 iterations and
    2,000 evenly spaced between (gradient descent on a squared error lowers the cost at
    every step or raises it at every step, so nothing is hidden between them): 100,000
    points a curve took a second to build and send.
    """
    drawn = _picks(demo.raw.costs.size - 1, exact=500, between=2000)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.08,
                        subplot_titles=[t("Gradient descent with & without standardization"),
                                        t("The data and the two fitted lines")])
    for run, name, colour, dash in ((demo.raw, t("without standardization"), "#d62728", "dash"),
                                    (demo.standardized, t("with standardization"), "#1f77b4",
                                     "solid")):
        fig.add_trace(go.Scatter(x=np.asarray(drawn), y=_finite_or_none(run.costs[drawn]),
                                 mode="lines", name=name, line=dict(color=colour, dash=dash)),
                      row=1, col=1)
    X, Y = demo.X.ravel(), demo.Y.ravel()
    fig.add_trace(go.Scatter(x=X, y=Y, mode="markers", name=t("data"),
                             marker=dict(color="#7f7f7f", size=5), showlegend=False),
                  row=1, col=2)
    xs = np.array([X.min(), X.max()])
    mean, std = X.mean(), X.std()
    lines = ((demo.raw, xs, "#d62728", "dash"),
             (demo.standardized, (xs - mean) / std, "#1f77b4", "solid"))
    for run, inputs, colour, dash in lines:
        if np.isfinite(run.w) and np.isfinite(run.b):
            fig.add_trace(go.Scatter(x=xs, y=run.w * inputs + run.b, mode="lines",
                                     line=dict(color=colour, dash=dash), showlegend=False),
                          row=1, col=2)
    fig.update_xaxes(title_text=t("iteration"), row=1, col=1)
    fig.update_yaxes(title_text=t("cost (squared error / 2)"), row=1, col=1)
    fig.update_xaxes(title_text="X", row=1, col=2)
    fig.update_yaxes(title_text="Y", row=1, col=2)
    if log_y:
        fig.update_yaxes(type="log", row=1, col=1)
    fig.update_layout(margin=dict(AXES_MARGIN, t=64), height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.1, x=0))
    return fig


def weights_image(w, num_px, channels, view="sum"):
    """The learned weights as (num_px, num_px) maps.

    Parameters
    ----------
    view : {"sum", "per channel"}
        ``sum`` adds the channels into one map; ``per channel`` keeps R, G, B apart.

    Returns
    -------
    list of (title, 2-D array)
    """
    grid = np.asarray(w, dtype=float).reshape(num_px, num_px, channels)
    if view == "per channel" and channels == 3:
        return [(name, grid[:, :, i])
                for i, name in enumerate((t("red"), t("green"), t("blue")))]
    return [(t("all channels summed") if channels == 3 else t("weights"), grid.sum(axis=2))]


def weights_figure(w, num_px, channels, view="sum"):
    """Heatmaps of the weights, red for "pushes towards class 1", blue for class 0."""
    maps = weights_image(w, num_px, channels, view)
    limit = max(float(np.max(np.abs(m))) for _, m in maps) or 1.0
    fig = make_subplots(rows=1, cols=len(maps), subplot_titles=[t for t, _ in maps],
                        horizontal_spacing=0.04)
    for col, (_, grid) in enumerate(maps, start=1):
        fig.add_trace(go.Heatmap(z=grid, colorscale="RdBu_r", zmin=-limit, zmax=limit,
                                 showscale=col == len(maps),
                                 hovertemplate=t("row %{y}, column %{x}: %{z:.4g}")
                                 + "<extra></extra>"),
                      row=1, col=col)
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{col if col > 1 else ''}",
                         showticklabels=False, showgrid=False, zeroline=False, row=1, col=col)
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, row=1, col=col,
                         constrain="domain")
    fig.update_layout(margin=dict(MARGIN, r=96, b=16), height=420 if len(maps) == 1 else 330,
                      plot_bgcolor="rgba(0,0,0,0)")
    return fig


def pixel_histograms(panels):
    """Histograms of pixel values side by side, one panel per scaling.

    Parameters
    ----------
    panels : dict
        {scaling mode: :class:`logreg.preprocessing.PixelSummary`}.
    """
    modes = list(panels)
    fig = make_subplots(rows=1, cols=len(modes), horizontal_spacing=0.06,
                        subplot_titles=[mode_title(m) for m in modes])
    for col, mode in enumerate(modes, start=1):
        counts, edges = panels[mode].counts, panels[mode].edges
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Bar(x=centres, y=counts, width=np.diff(edges),
                             marker_color=MODE_COLOURS.get(mode, "#7f7f7f"), name=mode,
                             hovertemplate=t("value ≈ %{x:.3g}<br>pixels: %{y}")
                             + "<extra></extra>"),
                      row=1, col=col)
        fig.update_xaxes(title_text=t("pixel value"), row=1, col=col)
    fig.update_yaxes(title_text=t("pixels"), row=1, col=1)
    fig.update_layout(margin=AXES_MARGIN, height=320, showlegend=False, bargap=0)
    return fig


def class_balance(train_counts, test_counts, classes):
    """Grouped bars: how many images of each class in train and test."""
    fig = go.Figure()
    for split, counts in ((t("train"), train_counts), (t("test"), test_counts)):
        fig.add_trace(go.Bar(x=_names(classes), y=list(counts), name=split,
                             text=list(counts), textposition="auto"))
    fig.update_layout(barmode="group", margin=dict(AXES_MARGIN, b=36), height=280,
                      yaxis_title=t("images"),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def probability_bar(probability, classes, threshold=THRESHOLD):
    """One horizontal bar from 0 to 1 showing P(class 1), with the threshold and the
    "not sure" band around it (the bar hatched grey when it ends inside the band)."""
    probability = float(probability)
    unsure = is_not_sure(probability, threshold)
    colour = (NOT_SURE_COLOUR if unsure else
              CLASS_COLOURS[1] if probability > threshold else CLASS_COLOURS[0])
    low, high = not_sure_band(threshold)
    # Written as plotly's dict, not built with go.Figure, add_vrect and add_vline: plotly
    # checked every property again, 20-50 ms per picture, a second for a class's photos.
    # The right margin leaves room for the "100%" tick label, which plotly drops if it
    # would overflow the figure.
    return FrozenFigure({
        "data": [dict(type="bar", x=[probability], y=[""], orientation="h",
                      marker=dict(color=colour, pattern=dict(shape="/" if unsure else "")),
                      text=[f"{probability:.1%}"], textposition="auto", hoverinfo="skip")],
        "layout": dict(
            height=150, margin=dict(l=20, r=30, t=10, b=66), showlegend=False,
            # 0, 50 and 100 %: five labels ran together in a narrow column at a projector's
            # type size, and the threshold's line marks the middle anyway.
            xaxis=dict(range=[0, 1], tickformat=".0%", tickvals=[0, 0.5, 1],
                       title=dict(text=t("probability of '{name}'",
                                         name=_names(classes)[1]))),
            shapes=[dict(type="rect", x0=low, x1=high, xref="x", y0=0, y1=1, yref="y domain",
                         fillcolor=NOT_SURE_BAND, line=dict(width=0), layer="below"),
                    dict(type="line", x0=threshold, x1=threshold, xref="x", y0=0, y1=1,
                         yref="y domain", line=dict(color="#444", dash="dot"))])})


def upscaled(image, size=256):
    """A small uint8 image enlarged with nearest-neighbour, so 64 px stays crisp.

    Parameters
    ----------
    image : ndarray (h, w) or (h, w, c) uint8
    size : int
        The longer side of the result.
    """
    array = np.asarray(image, dtype=np.uint8)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    pil = Image.fromarray(array)
    factor = max(1, int(round(size / max(pil.size))))
    return np.asarray(pil.resize((pil.width * factor, pil.height * factor),
                                 Image.Resampling.NEAREST))


def equivalence_figure(scaled, raw_small, raw_matched, learning_rate, raw_rate):
    """Dividing by 255 as a change of learning rate: three runs that coincide.

    Pixels / 255 at α, raw pixels at α / 255² and raw pixels at α / 255² with the bias at α.
    :func:`raw_step_figure` is its neighbour (a chart of its own, so a phone stacks them).
    """
    fig = go.Figure()
    curves = ((scaled, t("pixels ÷ 255, rate {rate:g}", rate=learning_rate),
               MODE_COLOURS["divide255"], "solid", 6),
              (raw_small, t("raw pixels, rate {rate:.3g}", rate=raw_rate), MODE_COLOURS["raw"],
               "dash", 3),
              (raw_matched, t("raw pixels, rate {rate:.3g}, bias step {bias_rate:g}",
                              rate=raw_rate, bias_rate=learning_rate), "#111111", "dot", 2))
    for costs, name, colour, dash, width in curves:
        costs = np.asarray(costs, dtype=float)
        fig.add_trace(go.Scatter(x=np.arange(costs.size), y=_finite_or_none(costs),
                                 mode="lines", name=name,
                                 line=dict(color=colour, dash=dash, width=width)))
    fig.update_layout(title=t("Three runs, one curve"), xaxis_title=t("iteration"),
                      yaxis_title=t("cost J"), margin=dict(AXES_MARGIN, b=140), height=450,
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig


def raw_step_figure(raw, learning_rate):
    """Raw pixels at the learning rate α itself, on its own (linear) scale: the cost leaps
    to tens of thousands, then sits at 0 once the training set is memorised."""
    raw = np.asarray(raw, dtype=float)
    fig = go.Figure(go.Scatter(x=np.arange(raw.size), y=_finite_or_none(raw), mode="lines",
                               name=t("raw pixels, rate {rate:g}", rate=learning_rate),
                               line=dict(color=MODE_COLOURS["raw"], width=1)))
    fig.update_layout(title=t("Raw pixels at {rate:g}", rate=learning_rate),
                      xaxis_title=t("iteration"), yaxis_title=t("cost J"),
                      # the neighbour's bottom margin (its legend), so the two axes line up
                      margin=dict(AXES_MARGIN, b=140), height=450, showlegend=False)
    return fig


def frame_iterations(iterations, count=60):
    """Which iterations the landscape's frames show: every one of the first few, then
    spaced further apart (most of the motion happens early)."""
    last = int(iterations)
    steps = np.unique(np.concatenate([np.arange(min(last, 15) + 1),
                                      np.geomspace(1, max(last, 1), count).round()]))
    return [int(i) for i in steps if i <= last]


def two_scales_figure(experiment, iterations, boundary, titles):
    """logreg.two_scales: the same points twice (raw features | standardized, drawn in raw
    units), each run's boundary line moving as it trains, and both cost curves below.

    ``iterations``: the frames' iterations; ``boundary(line, x1_range)``: two points of a
    line or None. Every trace is a scatter, so Play, Step and the slider move them in the
    browser without redrawing the rest (a contour in the figure would vanish: plotly drops
    what it cannot animate)."""
    X, Y = experiment.X, experiment.Y[0]
    runs = {"raw": experiment.raw, "standardized": experiment.standardized}
    colours = {"raw": MODE_COLOURS["raw"], "standardized": MODE_COLOURS["zscore"]}
    fig = make_subplots(rows=2, cols=2, row_heights=[0.62, 0.38], vertical_spacing=0.16,
                        horizontal_spacing=0.08, specs=[[{}, {}], [{"colspan": 2}, None]],
                        subplot_titles=[titles["raw"], titles["standardized"],
                                        t("cost J: raw features in red, standardized in "
                                          "green")])
    low, high = X[0].min(), X[0].max()
    span = (low - 0.05 * (high - low), high + 0.05 * (high - low))
    x2 = (X[1].min() - 0.5, X[1].max() + 0.5)
    moving = []
    last = iterations[-1]

    def line_at(run, i):
        points = boundary(run.lines[i], span)
        return ([], []) if points is None else ([float(v) for v in points[0]],
                                                 [float(v) for v in points[1]])

    for col, (name, run) in enumerate(runs.items(), start=1):
        colour = colours[name]
        for label, marker in ((0, CLASS_COLOURS[0]), (1, CLASS_COLOURS[1])):
            fig.add_trace(go.Scatter(x=X[0][Y == label], y=X[1][Y == label], mode="markers",
                                     marker=dict(color=marker, size=5, opacity=0.7),
                                     name=t("class {label}", label=label),
                                     showlegend=col == 1, hoverinfo="skip"), row=1, col=col)
        xs, ys = line_at(run, last)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=3),
                                 name=t("boundary"), showlegend=False, hoverinfo="skip"),
                      row=1, col=col)
        moving.append(len(fig.data) - 1)
        # A line that never crosses the window would leave the panel looking unfinished.
        if not ys or all(y < x2[0] for y in ys) or all(y > x2[1] for y in ys):
            fig.add_annotation(text=t("its line is still outside this window"),
                               xref=f"x{col if col > 1 else ''} domain",
                               yref=f"y{col if col > 1 else ''} domain", x=0.5, y=0.97,
                               showarrow=False, font=dict(color=colour, size=13),
                               bgcolor="rgba(255,255,255,0.8)")
        fig.update_xaxes(range=list(span), title_text="x₁", row=1, col=col)
        fig.update_yaxes(range=list(x2), title_text="x₂" if col == 1 else None, row=1, col=col)
    for name, run in runs.items():
        colour = colours[name]
        fig.add_trace(go.Scatter(x=np.arange(run.costs.size), y=_finite_or_none(run.costs),
                                 mode="lines", line=dict(color=colour, width=2),
                                 name=titles[name], showlegend=False), row=2, col=1)
    for name, run in runs.items():
        colour = colours[name]
        at = min(last, run.costs.size - 1)
        fig.add_trace(go.Scatter(x=[at], y=[float(run.costs[at])], mode="markers",
                                 marker=dict(color=colour, size=10), showlegend=False,
                                 hoverinfo="skip"), row=2, col=1)
        moving.append(len(fig.data) - 1)
    fig.update_xaxes(title_text=t("iteration"), row=2, col=1)
    frames = []
    for i in iterations:
        data = [go.Scatter(x=xs, y=ys) for xs, ys in (line_at(r, i) for r in runs.values())]
        data += [go.Scatter(x=[min(i, r.costs.size - 1)],
                            y=[float(r.costs[min(i, r.costs.size - 1)])])
                 for r in runs.values()]
        frames.append(go.Frame(name=str(i), data=data, traces=moving))
    fig.frames = frames
    _add_player(fig, [str(i) for i in iterations], place=(-0.1, -0.16))
    fig.update_layout(height=720, margin=dict(AXES_MARGIN, t=150, b=160),
                      legend=dict(orientation="h", yanchor="bottom", y=1.05, x=0))
    return fig


def _inside(values, low, high, reach=4.0):
    """Coordinates, NaN beyond ``reach`` window widths (a diverged path heads to 1e300;
    plotly must not be asked to draw that far)."""
    values, width = np.asarray(values, dtype=float), high - low
    with np.errstate(invalid="ignore"):
        keep = (np.isfinite(values) & (values > low - reach * width)
                & (values < high + reach * width))
    return np.where(keep, values, np.nan)


class _Path:
    """A path's coordinates as plotly numbers, made only for the points drawn: a
    100,000-step path's frames show a few thousand of them (:func:`_picks`)."""

    def __init__(self, values, low, high):
        self.values = _inside(values, low, high)
        self.made = {}

    def at(self, indices):
        made, values = self.made, self.values
        for i in indices:
            if i not in made:
                v = values[i]
                # Six significant digits are far below a pixel and keep the JSON small.
                made[i] = float(f"{v:.6g}") if v == v else None
        return [made[i] for i in indices]

    def upto(self, last):
        return self.at(_picks(last))


def landscape_figure(panels, iterations, titles):
    """Contours of the cost J(w, b) with the gradient-descent path, one panel per scaling.

    Parameters
    ----------
    panels : dict
        {name: {"ws", "bs", "J", "run", "minimum"}} from ``comparisons.landscape``.
    iterations : list of int
        The iterations the animation's frames show (:func:`frame_iterations`).
    titles : dict
        {name: subplot title}.

    Play, Step and the slider run in the browser (plotly frames): scrubbing redraws only
    the moving dot and trail, with no round trip to the server. The frames are plain
    dicts of numbers made here (plotly's checks of every frame's traces were most of the
    figure's time).
    """
    names = list(panels)
    fig = make_subplots(rows=1, cols=len(names), horizontal_spacing=0.08,
                        subplot_titles=[titles[n] for n in names])
    moving = []   # indices of the traces the frames replace: the trail and the dot
    paths = []
    for col, name in enumerate(names, start=1):
        panel = panels[name]
        ws, bs, run = panel["ws"], panel["bs"], panel["run"]
        colour = MODE_COLOURS["raw"] if name == "raw" else MODE_COLOURS["divide255"]
        (w_low, w_high), (b_low, b_high) = (ws[0], ws[-1]), (bs[0], bs[-1])
        # The contours are a picture under the axes, not a contour trace: ▶ Play, Step ▶
        # and the slider animate the path without redrawing (fast), and plotly drops every
        # trace it cannot animate that way — the ravine and the bowl became two dots on
        # blank axes (55 contour paths → 0 in Chromium).
        suffix = "" if col == 1 else str(col)
        fig.add_layout_image(source=contour_picture(panel["J"]), xref=f"x{suffix}",
                             yref=f"y{suffix}", x=w_low, y=b_high, sizex=w_high - w_low,
                             sizey=b_high - b_low, sizing="stretch", layer="below",
                             xanchor="left", yanchor="top", opacity=0.85)
        xs, ys = _Path(run.ws, w_low, w_high), _Path(run.bs, b_low, b_high)
        paths.append((xs, ys))
        fig.add_trace(go.Scatter(x=xs.upto(len(run.ws) - 1), y=ys.upto(len(run.bs) - 1),
                                 mode="lines", name=t("the whole path"),
                                 line=dict(color=colour, width=1, dash="dot"),
                                 hoverinfo="skip", showlegend=col == 1), row=1, col=col)
        fig.add_trace(go.Scatter(x=[panel["minimum"][0]], y=[panel["minimum"][1]],
                                 mode="markers", name=t("the bottom"),
                                 marker=dict(symbol="x", size=11, color="#111111"),
                                 hovertemplate=t("the bottom") + "<extra></extra>",
                                 showlegend=col == 1), row=1, col=col)
        first = iterations[-1]
        fig.add_trace(go.Scatter(x=xs.upto(first), y=ys.upto(first), mode="lines",
                                 name=t("path so far"), line=dict(color=colour, width=2.5),
                                 hoverinfo="skip", showlegend=False), row=1, col=col)
        fig.add_trace(go.Scatter(x=xs.at([first]), y=ys.at([first]), mode="markers",
                                 name=t("now"),
                                 marker=dict(size=12, color=colour,
                                             line=dict(color="white", width=2)),
                                 hovertemplate="w %{x:.4g}, b %{y:.4g}<extra></extra>",
                                 showlegend=False), row=1, col=col)
        moving += [len(fig.data) - 2, len(fig.data) - 1]
        axis = "x" if col == 1 else f"x{col}"
        fig.update_xaxes(range=[w_low, w_high], title_text=t("w (slope)"), row=1, col=col,
                         constrain="domain")
        fig.update_yaxes(range=[b_low, b_high], title_text=t("b (intercept)"), row=1, col=col,
                         scaleanchor=axis, scaleratio=1, constrain="domain")
    frames = []
    for i in iterations:
        data = []
        for xs, ys in paths:
            data += [dict(type="scatter", x=xs.upto(i), y=ys.upto(i)),
                     dict(type="scatter", x=xs.at([i]), y=ys.at([i]))]
        frames.append(dict(name=str(i), data=data, traces=moving))
    _add_player(fig, [str(i) for i in iterations])
    fig.update_layout(margin=dict(AXES_MARGIN, t=60, b=184), height=660,
                      legend=dict(orientation="h", yanchor="bottom", y=1.06, x=1,
                                  xanchor="right"),
                      plot_bgcolor="rgba(0,0,0,0)")
    return FrozenFigure({**fig.to_dict(), "frames": frames})


def contour_picture(J, levels=24, scale=8):
    """A cost grid (rows: b ascending, columns: w ascending) as contour bands of log10 J,
    darker lower, with a thin line between bands, as a PNG data URI for a layout image.

    The grid is enlarged ``scale`` times with bilinear smoothing first, so the lines are
    smooth curves rather than the grid's steps."""
    with np.errstate(divide="ignore"):
        z = np.log10(np.maximum(np.asarray(J, dtype=float), 1e-12))
    rows, cols = z.shape
    smooth = np.asarray(Image.fromarray(z.astype(np.float32), mode="F").resize(
        (cols * scale, rows * scale), Image.BILINEAR))[::-1]   # image rows run top down
    low, high = float(smooth.min()), float(smooth.max())
    level = (smooth - low) / max(high - low, 1e-12)            # 0 at the bottom of the bowl
    band = np.minimum((level * levels).astype(int), levels - 1)
    grey = 60 + 190 * level ** 0.6                             # darker is lower
    edge = np.zeros_like(band, dtype=bool)
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    grey = np.where(edge, grey * 0.62, grey)
    picture = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8), mode="L")
    return "data:image/png;base64," + base64.b64encode(_png_bytes(picture)).decode()


def _png_bytes(picture):
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _picks(upto, exact=100, between=100):
    """The indices of ``values[0..upto]`` to draw: every point of the first and the last
    ``exact`` iterations (where a zig-zag shows), ``between`` evenly spaced ones in the
    middle, so a 100 000-step path still makes a small chart."""
    if upto < 2 * exact + between:
        return list(range(upto + 1))
    middle = np.linspace(exact, upto - exact, between).astype(int)
    return np.unique(np.concatenate([np.arange(exact), middle,
                                     np.arange(upto - exact, upto + 1)])).tolist()


def _add_player(fig, names, redraw=False, place=(-0.18, -0.27)):
    """Play / Pause / Step buttons and an iteration slider that animate ``fig.frames``.

    Plotly has no "next frame" command; "Step" plays the remaining frames with a pause of
    ~11 days after the first new one. Its frame list names every frame twice after the
    first (0, 1, 1, 2, 2, ...): plotly's ``fromcurrent`` restarts the list when the current
    frame is its very first entry, and the doubled names make every step show exactly one
    new frame, from the start, from the slider's position or after Play.

    ``redraw`` redraws the whole figure at every frame, which frames that change more than
    scatter traces need; the slider then has no labels at all (its 30-odd would overlap,
    and measuring them took 15 ms of every redraw of the replay): the frames' titles name
    their iteration. ``place`` is the paper y of the buttons' and the slider's tops.
    """
    quick = dict(duration=0, redraw=redraw)
    stepper = [names[0]] + [name for name in names[1:] for _ in (0, 1)]
    fig.update_layout(
        updatemenus=[dict(type="buttons", direction="right", showactive=False,
                          x=0, y=place[0], xanchor="left", yanchor="top",
                          pad=dict(t=0, r=8), buttons=[
            dict(label=t("▶ Play"), method="animate",
                 args=[None, dict(frame=dict(duration=120, redraw=redraw), fromcurrent=True,
                                  transition=dict(duration=0), mode="immediate")]),
            dict(label=t("❚❚ Pause"), method="animate",
                 args=[[None], dict(frame=quick, transition=dict(duration=0),
                                    mode="immediate")]),
            dict(label=t("Step ▶"), method="animate",
                 args=[stepper, dict(frame=[quick, dict(duration=1e9, redraw=redraw)],
                                     fromcurrent=True, transition=dict(duration=0),
                                     mode="immediate")])])],
        sliders=[dict(active=len(names) - 1, x=0, len=1, y=place[1], yanchor="top",
                      pad=dict(t=0), currentvalue=dict(prefix=t("iteration") + " ",
                                                       font=dict(size=14), visible=not redraw),
                      transition=dict(duration=0), steps=[
            dict(label="" if redraw else name, method="animate",
                 args=[[name], dict(frame=quick, transition=dict(duration=0),
                                    mode="immediate")]) for name in names])])


def mean_picture(mean, size=128):
    """The average training picture (per-pixel mean, 0–255 floats) as a uint8 image."""
    return upscaled(np.clip(np.round(mean), 0, 255).astype(np.uint8), size)


def spread_picture(std, size=128):
    """Per-pixel standard deviation as a grey picture, brightest where pixels vary most."""
    std = np.asarray(std, dtype=float)
    grey = std.mean(axis=2) if std.ndim == 3 else std
    return upscaled((255 * grey / max(float(grey.max()), 1e-12)).astype(np.uint8), size)


def zscore_picture(z, size=128, limit=3.0):
    """A z-scored picture made visible: z from -3 to 3 mapped to 0–255 (clipped)."""
    z = np.clip(np.asarray(z, dtype=float), -limit, limit)
    return upscaled(np.round((z + limit) / (2 * limit) * 255).astype(np.uint8), size)


# ------------------------------------------------------------------------- Network page

NETWORK_MAX_DRAWN = 10    # units drawn per layer; wider layers say how many there are
INPUT_DRAWN = 5


def _layer_positions(n, drawn):
    """y positions of the drawn units of a layer, centred on 0."""
    shown = min(n, drawn)
    return np.arange(shown)[::-1] - (shown - 1) / 2


def network_diagram(layer_dims, weights=None, activation="relu", input_label="inputs",
                    output_label="P(class 1)"):
    """Input → hidden units → output, one column per layer.

    Parameters
    ----------
    layer_dims : sequence of int, [n_x, n_1, ..., 1]
    weights : dict {l: W{l}}, optional
        Edges into layer l (for l ≥ 2) are coloured by the sign of the weight (red positive,
        blue negative) and drawn thicker for larger |w|. Edges from the inputs stay grey:
        there are too many to draw, the unit pictures show them.
    """
    L = len(layer_dims) - 1
    columns = [_layer_positions(layer_dims[0], INPUT_DRAWN)]
    columns += [_layer_positions(n, NETWORK_MAX_DRAWN) for n in layer_dims[1:]]
    fig = go.Figure()
    grey_x, grey_y = [], []
    coloured = {}   # (sign, width) -> (xs, ys)
    for l in range(1, L + 1):
        W = None if weights is None else weights.get(l)
        limit = float(np.max(np.abs(W))) if W is not None and W.size else 0.0
        for i, y_to in enumerate(columns[l]):
            for j, y_from in enumerate(columns[l - 1]):
                if W is None or l == 1 or limit == 0:
                    grey_x += [l - 1, l, None]
                    grey_y += [y_from, y_to, None]
                    continue
                value = W[i, j] / limit
                group = (value >= 0, 1 + int(3 * abs(value) > 1) + int(3 * abs(value) > 2))
                xs, ys = coloured.setdefault(group, ([], []))
                xs += [l - 1, l, None]
                ys += [y_from, y_to, None]
    fig.add_trace(go.Scatter(x=grey_x, y=grey_y, mode="lines", hoverinfo="skip",
                             line=dict(color="rgba(120,120,120,0.35)", width=1)))
    for (positive, width), (xs, ys) in sorted(coloured.items()):
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                 line=dict(color="#d62728" if positive else "#1f77b4",
                                           width=width * 1.2)))
    names = {"relu": "ReLU", "tanh": "tanh"}
    for l, ys in enumerate(columns):
        n = layer_dims[l]
        if l == 0:
            title, colour = t("input<br>{count:,}", count=n), "#bbbbbb"
        elif l == L:
            title, colour = t("output<br>sigmoid"), CLASS_COLOURS[1]
        else:
            title, colour = (t("hidden {layer}<br>{count} {activation}", layer=l, count=n,
                               activation=names.get(activation, activation)), "#2ca02c")
        fig.add_trace(go.Scatter(x=[l] * len(ys), y=ys, mode="markers", hoverinfo="skip",
                                 marker=dict(size=16, color=colour,
                                             line=dict(color="#333", width=1))))
        top = max(_tallest(columns), 1) / 2 + 0.9
        fig.add_annotation(x=l, y=top, text=title, showarrow=False, font=dict(size=12),
                           yanchor="bottom")
        if n > len(ys):
            fig.add_annotation(x=l, y=ys.min() - 0.8, text="⋮", showarrow=False,
                               font=dict(size=16))
    fig.add_annotation(x=L, y=columns[-1][0] - 0.7, text=escape.plotly(output_label),
                       showarrow=False,
                       yanchor="top", font=dict(size=12))
    fig.add_annotation(x=0, y=columns[0].min() - 1.5, text=escape.plotly(input_label),
                       showarrow=False,
                       yanchor="top", font=dict(size=11, color="#666"))
    height = _tallest(columns)
    fig.update_layout(showlegend=False, height=max(260, 40 * height + 150),
                      margin=dict(l=10, r=10, t=10, b=10), plot_bgcolor="rgba(0,0,0,0)")
    fig.update_xaxes(visible=False, range=[-0.6, L + 0.6])
    fig.update_yaxes(visible=False, range=[-height / 2 - 2.0, height / 2 + 2.2])
    return fig


def _tallest(columns):
    return max(len(ys) for ys in columns)


def unit_tiles(W1, num_px, channels, tile=128):
    """Every first-layer unit's weights as a picture: a list of (tile, tile, 3) uint8 images.

    Each row of W1 is laid out as the image (channels summed) and coloured on its own
    scale: red where a bright pixel raises the unit's z, blue where it lowers it.
    """
    factor = max(1, tile // num_px)
    tiles = []
    for weights in np.asarray(W1, dtype=float):
        grid = weights.reshape(num_px, num_px, channels).sum(axis=2)
        v = np.clip(grid / (float(np.max(np.abs(grid))) or 1.0), -1, 1)
        fade = (255 * (1 - np.abs(v))).astype(np.uint8)
        rgb = np.stack([np.where(v > 0, 255, fade), fade, np.where(v < 0, 255, fade)], axis=2)
        tiles.append(rgb.astype(np.uint8).repeat(factor, axis=0).repeat(factor, axis=1))
    return tiles


# The playground's probability map (drawn in the browser by studio/assets/playground.js):
# class 0 blue, class 1 red, as plotly's RdBu_r heatmap at this opacity on white drew it.
DECISION_SCALE = "RdBu_r"
DECISION_OPACITY = 0.75
CLASS_COLOURS = (PALETTE[0], PALETTE[3])


def decision_colours():
    """The playground's colours: {"scale": [[position, [r, g, b]], ...] of P(class 1),
    "opacity", "classes": the two classes' point colours}, for the browser."""
    import plotly.colors

    scale = [[round(float(position), 4), [int(v) for v in re.findall(r"\d+", colour)]]
             for position, colour in plotly.colors.get_colorscale(DECISION_SCALE)]
    return {"scale": scale, "opacity": DECISION_OPACITY, "classes": list(CLASS_COLOURS)}


# ------------------------------------------------------------------------ the run inspector

FAINT = "rgba(120, 120, 120, 0.35)"


def picture_story(iterations, probabilities, threshold, classes, iteration, title):
    """One picture's P(class 1) across training, with the threshold, and a marker at
    ``iteration`` (None: no marker).

    Written as the dict plotly would make: it is redrawn at every move of the threshold
    slider, right after the replay, and plotly's checks (15 ms) held up sending the replay.
    """
    names = _names(classes)
    hover = t("iteration %{{x}}: P({name}) = %{{y:.3f}}", name=names[1])
    data = [dict(type="scatter", x=np.asarray(iterations).tolist(),
                 y=_finite_or_none(probabilities), mode="lines",
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
        template=_template(), title=dict(text=escape.plotly(title)), margin=dict(AXES_MARGIN),
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


@functools.cache
def _template():
    """The default template as a figure carries it (Streamlit's, its colours filled in
    the browser), for figures written as dicts."""
    return go.Figure().to_dict()["layout"].get("template", {})


class FrozenFigure(go.Figure):
    """A finished figure that becomes a dict once (or is written as one), for a figure
    cached for every session or drawn many times.

    ``st.plotly_chart`` calls ``to_dict`` on every rerun, a deep copy of the whole figure
    (0.27 s for the cost landscape and its animation frames); this one hands out the same
    dict each time (plotly only removes trace uids from it, which it has none of).
    """

    def __init__(self, figure):
        super().__init__()
        self._frozen = figure if isinstance(figure, dict) else figure.to_dict()
        for trace in self._frozen.get("data", []):
            trace.pop("uid", None)

    def to_dict(self):
        return self._frozen

    def trace_index(self, name):
        """The position of the trace called ``name`` (what a click selection reports)."""
        return [trace.get("name") for trace in self._frozen.get("data", [])].index(name)


# The replay's training cost curve: 400 points are finer than its pixels, and every point
# is sent again at each move of the threshold slider.
COST_POINTS = 400
PICTURES = "test pictures"   # the replay's clickable trace: one point per test picture
THRESHOLD_LINE = "threshold"  # the name of the replay's threshold lines (replay_at moves them)


class AnimatedFigure(go.Figure):
    """A figure whose animation frames stay plain dicts until it is sent.

    Plotly checks every property of every frame when frames are set: 0.5 s for the
    replay's frames of 13 traces, at every move of the threshold. These frames are
    made here from numbers already checked, so they join the figure only in
    :meth:`to_dict`, which ``st.plotly_chart`` calls to send it.
    """

    _raw_frames = ()
    _readable = False   # readable() was asked for: done on the dict

    def to_dict(self):
        figure = super().to_dict()
        if self._readable:
            _readable_layout(figure.setdefault("layout", {}))
        return {**figure, "frames": self._raw_frames}


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
    names, cut = _names(classes), scores.threshold
    train_labels, test_labels = labels
    classes_key = " · ".join(_key(n, colour=c) for n, c in zip(names, CLASS_COLOURS))
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
        subplot_titles=(t("cost: {train} · {test}", train=_key(t("train")),
                          test=_key(t("test"), 1))
                        + (f" · {_key(t('earlier'), colour=FAINT)}" if earlier else ""),
                        t("accuracy %: {train} · {test}", train=_key(t("train")),
                          test=_key(t("test"), 1)),
                        t("weights (red: {name})", name=names[1]) if frames.weights
                        else t("training P({name}): {classes}", name=names[1],
                               classes=classes_key),
                        t("test P({name}): {classes}", name=names[1], classes=classes_key),
                        t("training set"), t("test set"), t("ROC curve"),
                        t("precision-recall"), t("test pictures (red: wrong) · click one")))
    for label, other in earlier:
        name = escape.plotly(label)
        for col, values in ((1, other.test_cost), (2, other.test_accuracy)):
            fig.add_trace(go.Scatter(x=other.iterations, y=_finite_or_none(values),
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
        fig.add_trace(go.Scatter(x=x, y=_finite_or_none(y), mode="lines", name=name,
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
    _add_player(fig, [str(int(i)) for i in frames.iterations], redraw=True,
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


def replay_at(spec, moving, curves, frames, scores, classes, labels, shown=None):
    """:func:`replay_figure`'s figure, as the dict ``spec``, moved to ``scores``' threshold.

    Only the frames, the traces they change, the title and the threshold's lines depend on
    the threshold, and they are plain dicts: this takes a few milliseconds where building
    the figure again takes 100–200 ms of plotly's checks (the threshold slider's budget
    is 200 ms from key press to redrawn chart). ``moving`` is the built figure's
    ``_moving``; ``shown`` is the frame it opens at (the last when None).
    """
    indices, still = moving
    names = _names(classes)
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


def _key(name, colour=0):
    """A legend entry inside a title: the name in its line's colour (a palette index)."""
    colour = PALETTE[colour] if isinstance(colour, int) else colour
    return f"<span style='color:{colour}'>{name}</span>"


def readable(fig):
    """Dark text on every axis, legend and annotation of ``fig``; subplot titles side by
    side wrapped, so three of them fit a phone's width without running into each other.

    The changes are made to the layout as a dict and the figure given the result in one
    assignment: plotly's update methods check each property on each axis again (35 ms for
    the run inspector's replay of 18 axes, 6 ms this way)."""
    if isinstance(fig, FrozenFigure):   # its dict is what is sent
        _readable_layout(fig._frozen.setdefault("layout", {}))
    elif isinstance(fig, AnimatedFigure):   # made a dict once, when it is sent
        fig._readable = True
    else:
        fig.layout = _readable_layout(fig.layout.to_plotly_json())
    return fig


def _readable_layout(layout):
    """:func:`readable` on a layout dict (changed in place and returned)."""
    layout["font"] = dict(layout.get("font", {}), color=TEXT)
    legend = layout["legend"] = dict(layout.get("legend", {}))
    legend["font"] = dict(legend.get("font", {}), color=TEXT)
    for name in ("xaxis", "yaxis"):   # the first axes, which a figure leaves implicit
        layout[name] = dict(layout.get(name) or {})
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            axis["tickfont"] = dict(axis.get("tickfont", {}), color=TEXT)
            title = axis.get("title")
            title = {"text": title} if isinstance(title, str) else dict(title or {})
            title["font"] = dict(title.get("font", {}), color=TEXT)
            axis["title"] = title
    titles = [a for a in layout.get("annotations", ())
              if a.get("xref") == "paper" and a.get("yanchor") == "bottom"
              and a.get("showarrow") is False]
    if len({round(a.get("y", 0), 3) for a in titles}) < len(titles):   # titles sharing a row
        for annotation in titles:
            annotation["text"] = _wrapped(annotation.get("text"))
        if legend.get("y") is not None and legend["y"] > 1:
            # A legend above the panels runs into their (now two-line) titles: below the
            # panels, or higher up when a player's buttons and slider take the space below.
            margin = layout["margin"] = dict(layout.get("margin", {}))
            if layout.get("sliders"):
                legend.update(y=1.24, yanchor="bottom")
                margin["t"] = max(margin.get("t") or 0, 126)
            else:
                legend.update(y=-0.28, yanchor="top")
                margin["b"] = max(margin.get("b") or 0, 110)
    return layout


def large(fig, size):
    """A copy of ``fig`` for the back of a room: no text smaller than ``size`` px (ticks, axis
    and colour-bar titles, legends, annotations, the player's labels, text on bars and
    cells), the title a little larger, margins widened for the larger tick labels.

    ``fig`` itself is left as it is: it may be a :class:`FrozenFigure` cached for every
    session. The copy shares the traces' data arrays and the animation frames with it.
    """
    spec = fig.to_dict() if isinstance(fig, go.Figure) else fig
    layout = _deep_dicts(spec.get("layout", {}))
    layout["font"] = dict(layout.get("font") or {})
    _large_fonts(layout, size)
    # Plotly shrinks text that does not fit inside a bar; hide it instead (the page says it).
    layout["uniformtext"] = {"minsize": size, "mode": "hide"}
    for name, axis in layout.items():
        if isinstance(axis, dict) and axis.get("type") == "log" and name[1:5] == "axis":
            # A log axis labels 2 and 5 between the powers of ten at three quarters of the
            # font's size: only the powers, then.
            axis["minorloglabels"] = "none"
    title = layout.get("title")
    if isinstance(title, dict) and title.get("text") and "<br>" not in title["text"]:
        title["font"]["size"] = max(title["font"]["size"], size + 4)   # one line: a heading
    if isinstance(layout.get("margin"), dict):
        # Tick labels and axis titles grow by (size - 12) px: the left margin holds a few
        # characters of tick label and a rotated title, the bottom one line of each.
        grown, margin = size - 12, layout["margin"]
        for side, per_px in (("l", 4), ("b", 2), ("t", 1)):
            if (margin.get(side) or 0) > 20:
                margin[side] = round(margin[side] + per_px * grown)
        # A legend or a player under the x axis moves down by what its ticks and title grew.
        plot = (layout.get("height") or 0) - margin.get("t", 0) - margin.get("b", 0)
        below = [layout.get("legend") or {}, *layout.get("updatemenus", ()),
                 *layout.get("sliders", ())]
        for part in below:
            if (part.get("y") or 0) < 0 and plot > 0:
                part["y"] -= 2 * grown / plot
    data = [_large_fonts(_deep_dicts(trace), size) for trace in spec.get("data", ())]
    return FrozenFigure({**spec, "layout": layout, "data": data})


def _deep_dicts(value):
    """A copy of a plotly dict deep enough to change its fonts: its dicts and lists of dicts
    are new, its data arrays (lists of numbers, numpy arrays, strings) shared."""
    if isinstance(value, dict):
        return {name: _deep_dicts(item) for name, item in value.items()}
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
        return [_deep_dicts(item) for item in value]
    return value


# Where a figure keeps text: every key that holds a font, at any depth.
_FONT_KEYS = ("font", "tickfont", "textfont", "insidetextfont", "outsidetextfont")


def _large_fonts(spec, size):
    """Every font in the plotly dict ``spec`` at least ``size`` px (changed in place; an
    axis's or colour bar's title gets a font of its own first)."""
    for name, value in spec.items():
        if name in _FONT_KEYS and isinstance(value, dict):
            value["size"] = max(value.get("size") or 0, size)
        elif isinstance(value, dict):
            if name == "title":
                value["font"] = dict(value.get("font") or {})
            _large_fonts(value, size)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                _large_fonts(item, size)
    return spec


def _wrapped(text, width=16):
    """``text`` broken once when wider than ``width`` (a Korean character counts as two
    Latin ones: it is about twice as wide): after its first ": " when it has coloured
    parts (``<span>``s, whose spaces must stay), else at the space nearest its middle."""
    if not text or "<br>" in text or _text_width(text) <= width:
        return text
    if "<" in text:
        return text.replace(": ", ":<br>", 1)
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    half = _text_width(text) / 2
    cut = min(spaces, key=lambda i: abs(_text_width(text[:i]) - half))
    return text[:cut] + "<br>" + text[cut + 1:]


def _text_width(text):
    """The width of ``text`` as shown, in Latin characters: tags left out, wide (East
    Asian) characters counted twice."""
    shown = re.sub(r"<[^>]*>", "", text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in shown)


def _made_readable(make):
    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        result = make(*args, **kwargs)
        return readable(result) if isinstance(result, go.Figure) else result
    return wrapper


# Every public figure function of this module returns a readable() figure.
for _name, _function in list(globals().items()):
    if (callable(_function) and not _name.startswith("_") and _name not in ("readable", "large")
            and getattr(_function, "__module__", None) == __name__
            and not isinstance(_function, type)):
        globals()[_name] = _made_readable(_function)


# The class board's colours: one a student, twelve before one repeats (Tableau's 10 and two
# darker ones), each 3:1 or more on white.
STUDENT_COLOURS = PALETTE + ("#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939")


def class_curves(lines, log_y=True):
    """Every run the class sent, its cost against its iteration, on one chart.

    Parameters
    ----------
    lines : list of (label, colour, curve)
        ``label`` is who sent it (any text: escaped here), ``colour`` a student's index,
        ``curve`` the run's [[iteration, cost], ...] (studio.session.classroom keeps 60 points).
        A student's first line carries the legend entry; their later runs share it.
    """
    fig = go.Figure()
    shown = set()
    for label, colour, curve in lines:
        xs = [point[0] for point in curve]
        ys = _finite_or_none([point[1] for point in curve])
        name = escape.plotly(label)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="lines", name=name, legendgroup=name,
            showlegend=name not in shown,
            line=dict(color=STUDENT_COLOURS[colour % len(STUDENT_COLOURS)], width=2),
            hovertemplate=name + "<br>" + t("iteration %{x}<br>cost %{y:.6f}")
            + "<extra></extra>"))
        shown.add(name)
    fig.update_layout(title=t("Every run sent to the class"), xaxis_title=t("iteration"),
                      yaxis_title=t("cost J"), margin=AXES_MARGIN, height=420,
                      legend=dict(orientation="v", x=1.01, y=1))
    if log_y:
        fig.update_yaxes(type="log")
    return readable(fig)
