"""The Train page's pictures: the weights as images and a picture's probability bar.
"""
import copy
import functools

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from logreg.core import THRESHOLD, is_not_sure, not_sure_band

from ...session.i18n import t
from .base import (CLASS_COLOURS, FrozenFigure, MARGIN, NOT_SURE_BAND, NOT_SURE_COLOUR,
                   made_readable, shown_names)

# Red for class 1, blue for class 0, white for 0: plotly's RdBu_r as its check spells it out
# (plotly.js knows RdBu, not the reversed name).
DIVERGING = [list(stop) for stop in go.Heatmap(colorscale="RdBu_r").colorscale]


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


@functools.lru_cache(maxsize=16)
def _panels(titles):
    """The layout of ``len(titles)`` panels side by side under their titles, as plotly's
    make_subplots lays them out (made once per set of titles: it checks every axis)."""
    return make_subplots(rows=1, cols=len(titles), subplot_titles=list(titles),
                         horizontal_spacing=0.04).layout.to_plotly_json()


@made_readable
def weights_figure(w, num_px, channels, view="sum"):
    """Heatmaps of the weights, red for "pushes towards class 1", blue for class 0."""
    maps = weights_image(w, num_px, channels, view)
    limit = max(float(np.max(np.abs(m))) for _, m in maps) or 1.0
    layout = copy.deepcopy(_panels(tuple(title for title, _ in maps)))
    data = []
    for col, (_, grid) in enumerate(maps, start=1):
        axis = "" if col == 1 else str(col)
        data.append({"type": "heatmap", "z": grid, "colorscale": DIVERGING, "zmin": -limit,
                     "zmax": limit, "showscale": col == len(maps),
                     "hovertemplate": t("row %{y}, column %{x}: %{z:.4g}") + "<extra></extra>",
                     "xaxis": f"x{axis}", "yaxis": f"y{axis}"})
        layout[f"yaxis{axis}"].update(autorange="reversed", scaleanchor=f"x{axis}",
                                      showticklabels=False, showgrid=False, zeroline=False)
        layout[f"xaxis{axis}"].update(showticklabels=False, showgrid=False, zeroline=False,
                                      constrain="domain")
    layout.update(margin=dict(MARGIN, r=96, b=16), height=420 if len(maps) == 1 else 330,
                  plot_bgcolor="rgba(0,0,0,0)")
    return FrozenFigure({"data": data, "layout": layout})


@made_readable
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
                                         name=shown_names(classes)[1]))),
            shapes=[dict(type="rect", x0=low, x1=high, xref="x", y0=0, y1=1, yref="y domain",
                         fillcolor=NOT_SURE_BAND, line=dict(width=0), layer="below"),
                    dict(type="line", x0=threshold, x1=threshold, xref="x", y0=0, y1=1,
                         yref="y domain", line=dict(color="#444", dash="dot"))])})
