"""The Normalization page's charts: the race, the comparisons, the one-step views, the
two-scales experiment and the cost landscape, and the pictures of a scaling.
"""
import base64

import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.subplots import make_subplots

from ...session.i18n import t
from .base import (AXES_MARGIN, CLASS_COLOURS, FrozenFigure, MODE_COLOURS, MODE_DASH, PALETTE,
                   add_player, finite_or_none, made_readable, mode_title, png_bytes,
                   upscaled, wrapped)


@made_readable
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
            fig.add_trace(go.Scatter(x=np.arange(costs.size), y=finite_or_none(costs),
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
            fig.add_trace(go.Scatter(x=np.arange(costs.size), y=finite_or_none(costs),
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


@made_readable
def race_figure(runners, target, reached):
    """The race (logreg.race): each scaling's cost curve at its own safe learning rate on one
    plot, the common target cost dotted, and where each run reaches it marked.

    ``runners``: logreg.race.Runner with a scaling mode as ``name``; ``reached``: {mode:
    iteration or None}. Written as plotly's dict: the page draws it at every visit, and
    plotly's checks of its 6,000 points were most of the page's server time."""
    data, shapes, annotations = [], [], []
    # Dotted curves last: raw pixels run under pixels ÷ 255 and must stay visible on it.
    for runner in sorted(runners, key=lambda r: MODE_DASH.get(r.name) == "dot"):
        costs = np.asarray(runner.costs, dtype=float)
        colour = MODE_COLOURS.get(runner.name)
        line = {"color": colour, "width": 2}
        if MODE_DASH.get(runner.name):
            line["dash"] = MODE_DASH[runner.name]
        data.append({"type": "scatter", "x": np.arange(costs.size), "y": finite_or_none(costs),
                     "mode": "lines", "line": line,
                     "name": t("{scaling} · α = {rate:.2g}", scaling=mode_title(runner.name),
                               rate=runner.learning_rate)})
        at = reached.get(runner.name)
        if at is not None:
            data.append({"type": "scatter", "x": [at], "y": [float(costs[at])],
                         "mode": "markers", "marker": {"color": colour, "size": 10},
                         "showlegend": False,
                         "hovertemplate": t("iteration {iteration:,}", iteration=at)
                         + "<extra></extra>"})
    if target is not None:   # plotly's add_hline, as the dict it makes
        shapes.append({"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y",
                       "y0": target, "y1": target,
                       "line": {"color": "#555", "width": 1, "dash": "dot"}})
        annotations.append({"text": t("cost {target:g}", target=target), "showarrow": False,
                            "xref": "x domain", "x": 1, "xanchor": "right", "yref": "y",
                            "y": target, "yanchor": "bottom"})
    return FrozenFigure({"data": data, "layout": {
        "xaxis": {"title": {"text": t("iteration")}},
        "yaxis": {"title": {"text": t("cost J")}}, "height": 360,
        "margin": dict(AXES_MARGIN, t=64), "shapes": shapes, "annotations": annotations,
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}}})


@made_readable
def learning_rate_comparison(runs, log_y=False):
    """Overlayed cost curves, one per learning rate: {learning rate: costs}."""
    fig = go.Figure()
    for colour, (rate, costs) in zip(PALETTE, runs.items()):
        costs = np.asarray(costs, dtype=float)
        fig.add_trace(go.Scatter(x=np.arange(costs.size), y=finite_or_none(costs),
                                 mode="lines", name=t("learning rate {rate:g}", rate=rate),
                                 line=dict(color=colour, width=2)))
    fig.update_layout(xaxis_title=t("iteration"), yaxis_title=t("cost J"),
                      margin=dict(AXES_MARGIN, t=62), height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    if log_y:
        fig.update_yaxes(type="log")
    return fig


@made_readable
def linear_demo_figure(demo, log_y=False):
    """The seed's Figure 1: squared-error cost with and without standardization, plus the data.

    A long run's curves are drawn from every cost of its first and last 500 iterations and
    2,000 evenly spaced between (gradient descent on a squared error lowers the cost at
    every step or raises it at every step, so nothing is hidden between them): 100,000
    points a curve took a second to build and send.
    """
    drawn = picks(demo.raw.costs.size - 1, exact=500, between=2000)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.08,
                        subplot_titles=[t("Gradient descent with & without standardization"),
                                        t("The data and the two fitted lines")])
    for run, name, colour, dash in ((demo.raw, t("without standardization"), "#d62728", "dash"),
                                    (demo.standardized, t("with standardization"), "#1f77b4",
                                     "solid")):
        fig.add_trace(go.Scatter(x=np.asarray(drawn), y=finite_or_none(run.costs[drawn]),
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


@made_readable
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
        fig.add_trace(go.Scatter(x=np.arange(costs.size), y=finite_or_none(costs),
                                 mode="lines", name=name,
                                 line=dict(color=colour, dash=dash, width=width)))
    fig.update_layout(title=t("Three runs, one curve"), xaxis_title=t("iteration"),
                      yaxis_title=t("cost J"), margin=dict(AXES_MARGIN, b=140), height=450,
                      legend=dict(orientation="h", yanchor="top", y=-0.2, x=0))
    return fig


@made_readable
def raw_step_figure(raw, learning_rate):
    """Raw pixels at the learning rate α itself, on its own (linear) scale: the cost leaps
    to tens of thousands, then sits at 0 once the training set is memorised."""
    raw = np.asarray(raw, dtype=float)
    fig = go.Figure(go.Scatter(x=np.arange(raw.size), y=finite_or_none(raw), mode="lines",
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


@made_readable
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
    # Between the rows: the points' tick labels and x₁ titles, then the cost's title in two
    # lines (readable() wraps titles that share a row); at 0.16 they ran into each other.
    fig = make_subplots(rows=2, cols=2, row_heights=[0.62, 0.38], vertical_spacing=0.24,
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
            # Two lines: one was wider than the panel on a phone.
            fig.add_annotation(text=wrapped(t("its line is still outside this window")),
                               xref=f"x{col if col > 1 else ''} domain",
                               yref=f"y{col if col > 1 else ''} domain", x=0.5, y=0.97,
                               showarrow=False, font=dict(color=colour, size=13),
                               bgcolor="rgba(255,255,255,0.8)")
        fig.update_xaxes(range=list(span), title_text="x₁", row=1, col=col)
        fig.update_yaxes(range=list(x2), title_text="x₂" if col == 1 else None, row=1, col=col)
    for name, run in runs.items():
        colour = colours[name]
        fig.add_trace(go.Scatter(x=np.arange(run.costs.size), y=finite_or_none(run.costs),
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
    # The player below the cost's "iteration" title (about 45 px under the panel, 420 px
    # high): the buttons 63 px down, the slider under them, in the bottom margin.
    add_player(fig, [str(i) for i in iterations], place=(-0.15, -0.25))
    fig.update_layout(height=780, margin=dict(AXES_MARGIN, t=150, b=210),
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
    100,000-step path's frames show a few thousand of them (:func:`picks`)."""

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
        return self.at(picks(last))


@made_readable
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
    add_player(fig, [str(i) for i in iterations])
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
    return "data:image/png;base64," + base64.b64encode(png_bytes(picture, optimize=True)).decode()


def picks(upto, exact=100, between=100):
    """The indices of ``values[0..upto]`` to draw: every point of the first and the last
    ``exact`` iterations (where a zig-zag shows), ``between`` evenly spaced ones in the
    middle, so a 100 000-step path still makes a small chart."""
    if upto < 2 * exact + between:
        return list(range(upto + 1))
    middle = np.linspace(exact, upto - exact, between).astype(int)
    return np.unique(np.concatenate([np.arange(exact), middle,
                                     np.arange(upto - exact, upto + 1)])).tolist()


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
