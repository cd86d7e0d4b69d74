"""The Network page's drawings: the network's diagram, its first layer's units as
pictures, and the playground's colours (its picture is drawn in the browser).
"""
import re

import numpy as np
import plotly.graph_objects as go

from ...session import escape
from ...session.i18n import t
from .base import (CLASS_COLOURS, made_readable)


NETWORK_MAX_DRAWN = 10    # units drawn per layer; wider layers say how many there are
INPUT_DRAWN = 5


def _layer_positions(n, drawn):
    """y positions of the drawn units of a layer, centred on 0."""
    shown = min(n, drawn)
    return np.arange(shown)[::-1] - (shown - 1) / 2


@made_readable
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


def decision_colours():
    """The playground's colours: {"scale": [[position, [r, g, b]], ...] of P(class 1),
    "opacity", "classes": the two classes' point colours}, for the browser."""
    import plotly.colors

    scale = [[round(float(position), 4), [int(v) for v in re.findall(r"\d+", colour)]]
             for position, colour in plotly.colors.get_colorscale(DECISION_SCALE)]
    return {"scale": scale, "opacity": DECISION_OPACITY, "classes": list(CLASS_COLOURS)}
