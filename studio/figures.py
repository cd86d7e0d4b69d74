"""Every chart of the app as a pure function returning a plotly figure (no Streamlit here).

Tests call these directly; pages only pass them data and hand the result to
``st.plotly_chart``.
"""
import numpy as np
import plotly.graph_objects as go
from PIL import Image
from plotly.subplots import make_subplots

# One colour per scaling mode, used on every page so "raw" always looks the same.
MODE_COLOURS = {"raw": "#d62728", "divide255": "#1f77b4", "zscore": "#2ca02c"}
MODE_TITLES = {"raw": "raw pixels (0–255)", "divide255": "divided by 255",
               "zscore": "z-score (per pixel)"}
CLASS_COLOURS = ("#7f7f7f", "#ff7f0e")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
MARGIN = dict(l=10, r=10, t=50, b=10)


def _finite_or_none(values):
    """Plotly draws None as a gap; say so explicitly instead of sending NaN."""
    values = np.asarray(values, dtype=float)
    return [float(v) if np.isfinite(v) else None for v in values]


def cost_curve(costs, title="Cost while training", total=None, log_y=False, max_points=None):
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
                               name="cost", hovertemplate="iteration %{x}<br>cost %{y:.6f}"
                               "<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="iteration", yaxis_title="cost J",
                      margin=MARGIN, height=360, showlegend=False)
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
                                     mode="lines", name=MODE_TITLES.get(mode, mode),
                                     line=dict(color=MODE_COLOURS.get(mode), width=2)))
        fig.update_layout(xaxis_title="iteration", yaxis_title="cost J")
    else:
        fig = make_subplots(rows=1, cols=len(modes), shared_xaxes=True,
                            subplot_titles=[MODE_TITLES.get(m, m) for m in modes],
                            horizontal_spacing=0.06)
        for col, mode in enumerate(modes, start=1):
            costs = np.asarray(runs[mode], dtype=float)
            fig.add_trace(go.Scatter(x=np.arange(costs.size), y=_finite_or_none(costs),
                                     mode="lines", name=MODE_TITLES.get(mode, mode),
                                     line=dict(color=MODE_COLOURS.get(mode), width=2)),
                          row=1, col=col)
            fig.update_xaxes(title_text="iteration", row=1, col=col)
        fig.update_yaxes(title_text="cost J", row=1, col=1)
        # Shared iteration axis: zooming one panel zooms them all.
        fig.update_xaxes(matches="x")
    fig.update_layout(margin=MARGIN, height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.08, x=0))
    if log_y:
        fig.update_yaxes(type="log")
    return fig


def learning_rate_comparison(runs, log_y=False):
    """Overlayed cost curves, one per learning rate: {learning rate: costs}."""
    fig = go.Figure()
    for colour, (rate, costs) in zip(PALETTE, runs.items()):
        costs = np.asarray(costs, dtype=float)
        fig.add_trace(go.Scatter(x=np.arange(costs.size), y=_finite_or_none(costs),
                                 mode="lines", name=f"learning rate {rate:g}",
                                 line=dict(color=colour, width=2)))
    fig.update_layout(xaxis_title="iteration", yaxis_title="cost J", margin=MARGIN, height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    if log_y:
        fig.update_yaxes(type="log")
    return fig


def linear_demo_figure(demo, log_y=False):
    """The seed's Figure 1: squared-error cost with and without standardization, plus the data."""
    fig = make_subplots(rows=1, cols=2, column_widths=[0.6, 0.4], horizontal_spacing=0.08,
                        subplot_titles=["Gradient descent with & without standardization",
                                        "The data and the two fitted lines"])
    for run, name, colour, dash in ((demo.raw, "without standardization", "#d62728", "dash"),
                                    (demo.standardized, "with standardization", "#1f77b4",
                                     "solid")):
        fig.add_trace(go.Scatter(x=np.arange(run.costs.size), y=_finite_or_none(run.costs),
                                 mode="lines", name=name, line=dict(color=colour, dash=dash)),
                      row=1, col=1)
    X, Y = demo.X.ravel(), demo.Y.ravel()
    fig.add_trace(go.Scatter(x=X, y=Y, mode="markers", name="data",
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
    fig.update_xaxes(title_text="iteration", row=1, col=1)
    fig.update_yaxes(title_text="cost (squared error / 2)", row=1, col=1)
    fig.update_xaxes(title_text="X", row=1, col=2)
    fig.update_yaxes(title_text="Y", row=1, col=2)
    if log_y:
        fig.update_yaxes(type="log", row=1, col=1)
    fig.update_layout(margin=MARGIN, height=400,
                      legend=dict(orientation="h", yanchor="bottom", y=1.1, x=0))
    return fig


def confusion_matrix(predictions, labels):
    """2 x 2 counts: rows are the true class 0/1, columns the predicted class 0/1."""
    predictions = np.asarray(predictions).ravel().astype(int)
    labels = np.asarray(labels).ravel().astype(int)
    matrix = np.zeros((2, 2), dtype=int)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix


def confusion_figure(matrix, classes, title):
    """A confusion matrix as an annotated heatmap."""
    names = [str(c) for c in classes]
    text = [[str(v) for v in row] for row in matrix]
    fig = go.Figure(go.Heatmap(z=matrix, x=[f"predicted {n}" for n in names],
                               y=[f"true {n}" for n in names], text=text,
                               texttemplate="%{text}", textfont=dict(size=20),
                               colorscale="Blues", showscale=False,
                               hovertemplate="%{y}, %{x}: %{z}<extra></extra>"))
    fig.update_layout(title=title, margin=MARGIN, height=300)
    fig.update_yaxes(autorange="reversed")
    return fig


def probability_histogram(probabilities, labels, classes, title="Predicted probabilities"):
    """How sure the model is: histogram of P(class 1) split by the true class."""
    probabilities = np.asarray(probabilities, dtype=float).ravel()
    labels = np.asarray(labels).ravel().astype(int)
    fig = go.Figure()
    for value, (name, colour) in enumerate(zip(classes, CLASS_COLOURS)):
        fig.add_trace(go.Histogram(x=probabilities[labels == value], name=f"true {name}",
                                   xbins=dict(start=0, end=1.0001, size=0.05),
                                   marker_color=colour, opacity=0.75))
    fig.add_vline(x=0.5, line_dash="dot", line_color="#444",
                  annotation_text="threshold 0.5", annotation_position="top right")
    fig.update_layout(barmode="overlay", title=title, margin=dict(l=10, r=10, t=80, b=10),
                      height=340, xaxis_title=f"predicted probability of '{classes[1]}'",
                      yaxis_title="images", xaxis_range=[0, 1],
                      legend=dict(orientation="h", yanchor="bottom", y=1.08, x=1,
                                  xanchor="right"))
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
        return [(name, grid[:, :, i]) for i, name in enumerate(("red", "green", "blue"))]
    return [("all channels summed" if channels == 3 else "weights", grid.sum(axis=2))]


def weights_figure(w, num_px, channels, view="sum"):
    """Heatmaps of the weights, red for "pushes towards class 1", blue for class 0."""
    maps = weights_image(w, num_px, channels, view)
    limit = max(float(np.max(np.abs(m))) for _, m in maps) or 1.0
    fig = make_subplots(rows=1, cols=len(maps), subplot_titles=[t for t, _ in maps],
                        horizontal_spacing=0.04)
    for col, (_, grid) in enumerate(maps, start=1):
        fig.add_trace(go.Heatmap(z=grid, colorscale="RdBu_r", zmin=-limit, zmax=limit,
                                 showscale=col == len(maps),
                                 hovertemplate="row %{y}, column %{x}: %{z:.4g}<extra></extra>"),
                      row=1, col=col)
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{col if col > 1 else ''}",
                         showticklabels=False, showgrid=False, zeroline=False, row=1, col=col)
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, row=1, col=col,
                         constrain="domain")
    fig.update_layout(margin=MARGIN, height=420 if len(maps) == 1 else 330,
                      plot_bgcolor="rgba(0,0,0,0)")
    return fig


def value_histogram(values, bins=64):
    """Counts and bin edges of a large array, computed here so the browser gets 64 bars
    instead of millions of points."""
    values = np.asarray(values, dtype=float).ravel()
    counts, edges = np.histogram(values, bins=bins)
    return counts, edges


def pixel_histograms(panels):
    """Histograms of pixel values side by side, one panel per scaling.

    Parameters
    ----------
    panels : dict
        {scaling mode: array of pixel values}.
    """
    modes = list(panels)
    fig = make_subplots(rows=1, cols=len(modes), horizontal_spacing=0.06,
                        subplot_titles=[MODE_TITLES.get(m, m) for m in modes])
    for col, mode in enumerate(modes, start=1):
        counts, edges = value_histogram(panels[mode])
        centres = (edges[:-1] + edges[1:]) / 2
        fig.add_trace(go.Bar(x=centres, y=counts, width=np.diff(edges),
                             marker_color=MODE_COLOURS.get(mode, "#7f7f7f"), name=mode,
                             hovertemplate="value ≈ %{x:.3g}<br>%{y} pixels<extra></extra>"),
                      row=1, col=col)
        fig.update_xaxes(title_text="pixel value", row=1, col=col)
    fig.update_yaxes(title_text="pixels", row=1, col=1)
    fig.update_layout(margin=MARGIN, height=320, showlegend=False, bargap=0)
    return fig


def class_balance(train_counts, test_counts, classes):
    """Grouped bars: how many images of each class in train and test."""
    fig = go.Figure()
    for split, counts in (("train", train_counts), ("test", test_counts)):
        fig.add_trace(go.Bar(x=[str(c) for c in classes], y=list(counts), name=split,
                             text=list(counts), textposition="auto"))
    fig.update_layout(barmode="group", margin=MARGIN, height=280, yaxis_title="images",
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    return fig


def probability_bar(probability, classes):
    """One horizontal bar from 0 to 1 showing P(class 1), with the 0.5 threshold."""
    probability = float(probability)
    colour = CLASS_COLOURS[1] if probability > 0.5 else CLASS_COLOURS[0]
    fig = go.Figure(go.Bar(x=[probability], y=[""], orientation="h", marker_color=colour,
                           text=[f"{probability:.1%}"], textposition="auto",
                           hoverinfo="skip"))
    fig.add_vline(x=0.5, line_dash="dot", line_color="#444")
    # The right margin leaves room for the "100%" tick label, which plotly drops if it
    # would overflow the figure.
    fig.update_layout(height=150, margin=dict(l=10, r=30, t=10, b=10), showlegend=False,
                      xaxis=dict(range=[0, 1], tickformat=".0%",
                                 tickvals=[0, 0.25, 0.5, 0.75, 1],
                                 title=f"probability of '{classes[1]}'"))
    return fig


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
            title, colour = f"input<br>{n:,}", "#bbbbbb"
        elif l == L:
            title, colour = "output<br>sigmoid", CLASS_COLOURS[1]
        else:
            title, colour = f"hidden {l}<br>{n} {names.get(activation, activation)}", "#2ca02c"
        fig.add_trace(go.Scatter(x=[l] * len(ys), y=ys, mode="markers", hoverinfo="skip",
                                 marker=dict(size=16, color=colour,
                                             line=dict(color="#333", width=1))))
        top = max(_tallest(columns), 1) / 2 + 0.9
        fig.add_annotation(x=l, y=top, text=title, showarrow=False, font=dict(size=12),
                           yanchor="bottom")
        if n > len(ys):
            fig.add_annotation(x=l, y=ys.min() - 0.8, text="⋮", showarrow=False,
                               font=dict(size=16))
    fig.add_annotation(x=L, y=columns[-1][0] - 0.7, text=output_label, showarrow=False,
                       yanchor="top", font=dict(size=12))
    fig.add_annotation(x=0, y=columns[0].min() - 1.5, text=input_label, showarrow=False,
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


def decision_map(xs, ys, P, X, Y, title=None):
    """The model's probability of class 1 over the plane, the 0.5 boundary and the points.

    Parameters
    ----------
    xs, ys : 1-D grids; P : (len(ys), len(xs)) probabilities; X : (2, m); Y : (1, m)
    """
    fig = go.Figure(go.Heatmap(x=xs, y=ys, z=P, zmin=0, zmax=1, colorscale="RdBu_r",
                               zsmooth="best",
                               opacity=0.75, colorbar=dict(title="P(1)", thickness=12),
                               hovertemplate="P(1) = %{z:.2f}<extra></extra>"))
    if np.nanmin(P) < 0.5 < np.nanmax(P):
        fig.add_trace(go.Contour(x=xs, y=ys, z=P, showscale=False, hoverinfo="skip",
                                 contours=dict(start=0.5, end=0.5, size=1, coloring="lines"),
                                 line=dict(color="#222", width=2)))
    labels = np.asarray(Y).ravel()
    for value, colour in ((0, "#1f77b4"), (1, "#d62728")):
        mask = labels == value
        fig.add_trace(go.Scatter(x=X[0, mask], y=X[1, mask], mode="markers", name=f"class {value}",
                                 marker=dict(color=colour, size=6, line=dict(color="white",
                                                                             width=0.8)),
                                 hovertemplate=f"class {value}<extra></extra>"))
    fig.update_layout(title=title, margin=dict(l=10, r=10, t=40 if title else 10, b=10),
                      height=460, showlegend=False, plot_bgcolor="rgba(0,0,0,0)")
    fig.update_xaxes(range=[xs[0], xs[-1]], showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(range=[ys[0], ys[-1]], showgrid=False, zeroline=False,
                     scaleanchor="x", constrain="domain")
    return fig
