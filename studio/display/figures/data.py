"""The Data page's charts: the pixels' histograms and the classes' balance.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...session.i18n import t
from .base import (AXES_MARGIN, MODE_COLOURS, FrozenFigure, made_readable, mode_title,
                   shown_names)


@made_readable
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


@made_readable
def class_balance(train_counts, test_counts, classes):
    """Grouped bars: how many images of each class in train and test (a dict: drawn at
    every visit of the Data page, where plotly's checks of a figure cost more than the
    rest of the page's script)."""
    names = shown_names(classes)
    return FrozenFigure({
        "data": [{"type": "bar", "x": names, "y": [int(c) for c in counts], "name": split,
                  "text": [int(c) for c in counts], "textposition": "auto"}
                 for split, counts in ((t("train"), train_counts), (t("test"), test_counts))],
        "layout": {"barmode": "group", "margin": dict(AXES_MARGIN, b=36), "height": 280,
                   "yaxis": {"title": {"text": t("images")}},
                   "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}}})
