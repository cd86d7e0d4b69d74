"""The class board's chart: every run the class sent.
"""
import plotly.graph_objects as go

from ...session import escape
from ...session.i18n import t
from .base import (AXES_MARGIN, PALETTE, finite_or_none, made_readable, readable)


# The class board's colours: one a student, twelve before one repeats (Tableau's 10 and two
# darker ones), each 3:1 or more on white.
STUDENT_COLOURS = PALETTE + ("#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939")


@made_readable
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
        ys = finite_or_none([point[1] for point in curve])
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
