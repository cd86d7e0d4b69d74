"""What every chart shares: the colours, margins and text colour, the figure types that
are sent as dicts, readable() and large(), and the charts more than one page draws.

Tests call these directly; pages only pass them data and hand the result to
``st.plotly_chart``. Their words (titles, axes, legends, hover texts) are in the session's
language (:func:`studio.session.i18n.t`); a figure cached across reruns is kept per language.
"""
import functools
import io
import re
import unicodedata

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from logreg.course import SCALING_WORDS

from ...session import escape
from ...session.i18n import say, t


# One colour per scaling mode, used on every page so "raw" always looks the same.
MODE_COLOURS = {"raw": "#d62728", "divide255": "#1f77b4", "zscore": "#2ca02c"}
# ...and one dash, so the lines differ without colour too (red and green look alike to
# one man in twelve).
MODE_DASH = {"raw": "dot", "divide255": "solid", "zscore": "dash"}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
# The two classes' colours on every chart and in the playground: class 0 blue, class 1
# red (the probability map's ends).
CLASS_COLOURS = (PALETTE[0], PALETTE[3])
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
# the colour is set on the figure itself, by readable() on every figure these modules make.
TEXT = "#1f2430"


def made_readable(make):
    """``make``, a chart's function, with its figure made :func:`readable` (every chart
    function of these modules is one)."""
    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        result = make(*args, **kwargs)
        return readable(result) if isinstance(result, go.Figure) else result
    return wrapper


def shown_names(classes):
    """Class names as plotly shows them: a person's own names are text, never HTML."""
    return [escape.plotly(c) for c in classes]


def mode_title(mode):
    """A scaling as people read it ("pixels ÷ 255"), in the session's language."""
    return say(SCALING_WORDS.get(mode, mode))


def finite_or_none(values):
    """Plotly draws None as a gap; say so explicitly instead of sending NaN."""
    values = np.asarray(values, dtype=float)
    return [float(v) if np.isfinite(v) else None for v in values]


@made_readable
def cost_curve(costs, title=None, total=None, log_y=False, max_points=None, height=360,
               note=None):
    """The cost J at every iteration so far.

    Parameters
    ----------
    costs : sequence of float
    total : int, optional
        Fix the x axis to the planned number of iterations, so a live curve grows into it.
    max_points : int, optional
        Draw at most this many evenly spaced points (the first and last always included).
    height : int, the chart's height in px
    note : str, optional
        Text across an empty chart (the y axis then spans 0 to 1, unlabelled).
    """
    costs = np.asarray(costs, dtype=float)
    iterations = np.arange(costs.size)
    if max_points and costs.size > max_points:
        # A live chart redrawn every tick only needs enough points to look smooth.
        keep = np.unique(np.linspace(0, costs.size - 1, max_points).astype(int))
        iterations, costs = iterations[keep], costs[keep]
    xaxis = {"title": {"text": t("iteration")}}
    if total:
        xaxis["range"] = [0, max(int(total), 1)]
    yaxis = {"title": {"text": t("cost J")}}
    if log_y:
        yaxis["type"] = "log"
    layout = {"title": {"text": title or t("Cost while training")}, "xaxis": xaxis,
              "yaxis": yaxis, "margin": AXES_MARGIN, "height": height, "showlegend": False}
    if note:
        yaxis.update(range=[0, 1], showticklabels=False)
        layout["annotations"] = [{"text": note, "showarrow": False, "xref": "paper",
                                  "yref": "paper", "x": 0.5, "y": 0.5,
                                  "font": {"size": 15}}]
    return FrozenFigure({
        "data": [{"type": "scatter", "x": iterations, "y": finite_or_none(costs),
                  "mode": "lines", "line": {"color": "#1f77b4", "width": 2},
                  "name": t("cost"),
                  "hovertemplate": t("iteration %{x}<br>cost %{y:.6f}") + "<extra></extra>"}],
        "layout": layout})


def png_bytes(picture, optimize=False):
    """A PIL image as PNG bytes (``optimize``: smaller, for a picture encoded once)."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=optimize)
    return buffer.getvalue()


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


def add_player(fig, names, redraw=False, place=(-0.18, -0.27)):
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


@functools.cache
def default_template():
    """The default template as a figure carries it (Streamlit's, its colours filled in
    the browser), for figures written as dicts."""
    return go.Figure().to_dict()["layout"].get("template", {})


class FrozenFigure(go.Figure):
    """A finished figure that becomes a dict once (or is written as one), for a figure
    cached for every session or drawn many times, or written as a dict from numbers
    already checked (a finished run's cost curve and weights: plotly's checks of each
    property, and the copies of the figure and its template to send it, were the largest
    part of the server's time to show a run). It is never changed after: the dict is sent.

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


def legend_key(name, colour=0):
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
            annotation["text"] = wrapped(annotation.get("text"))
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


def wrapped(text, width=16):
    """``text`` broken once when wider than ``width`` (a Korean character counts as two
    Latin ones: it is about twice as wide): after its first ": " when it has coloured
    parts (``<span>``s, whose spaces must stay), else at the space nearest its middle."""
    if not text or "<br>" in text or _text_width(text) <= width:
        return text
    if "<" in text:
        return text.replace(": ", ":<br>", 1)
    # Not before a "·": a line does not begin with the separator ("standardized · step 5.3").
    spaces = [i for i, c in enumerate(text) if c == " " and text[i + 1:i + 2] != "·"]
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
