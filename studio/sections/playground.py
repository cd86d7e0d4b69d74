"""The Network page's playground: two-feature points, a network trained here, drawn live in
the browser.

The server trains (studio.sections.network's playground runs) and the browser draws: a custom
component (``st.components.v2``: inline HTML, CSS and JS from ``studio/assets/playground.*``,
no iframe) receives a run's frames (:class:`logreg.trajectory.Trajectory`: a 40 × 40
probability map, the cost and the accuracies at 101 iterations, and the cost curve) and
animates them at the pace Speed sets, with its own Stop / Resume / Step beside the picture.
The learner's clicks on the picture add or erase points; the component sends the edited
points back and the model retrains at once.

A run takes two script runs of this section, which is a fragment: the Train press, whose
callback trains the first frames (:data:`studio.sections.network.FIRST_FRAMES`) so the browser
starts drawing at once, and the component's request for the rest. The live plotly chart it
replaces asked for a rerun every quarter second of a run: 25 to 39 for the default run,
with 4 MB sent instead of 180 kB (``bench/playground_speed.py``).
"""
import base64
import zlib

import numpy as np
import streamlit as st

from logreg import planar
from logreg.network import HIDDEN_ACTIVATIONS, architecture
from logreg.settings import Playground

from . import export_section, live_panel, network, training
from ..display import component, figures
from ..session import escape, state
from ..session import settings as run_settings
from ..session.i18n import fixed, say, t

ASSETS = live_panel.ASSETS
CANVAS = component.define(
    "logreg_playground",
    html=(ASSETS / "playground.html").read_text(encoding="utf-8"),
    css=(ASSETS / "playground.css").read_text(encoding="utf-8"),
    js=live_panel.SHARED_JS + (ASSETS / "playground.js").read_text(encoding="utf-8"),
    isolate_styles=False)   # the page's fonts; its classes all start with "lp-"
KEY = "play_canvas"
SPEED = "play_speed"
UPLOAD = "play_csv"
# The points' widgets: they choose the data, not the run (its settings: run_settings.TABLE).
POINTS = {"dataset": "play_dataset", "noise": "play_noise", "test_share": "play_test_share"}
FULL_SPEED_SECONDS = 1.0   # full speed plays a whole run in this long


def points_name(name):
    """The playground's point sets as people call them (their ids stay in code)."""
    return {"flower": t("flower"), "moons": t("moons"), "circles": t("circles"),
            "XOR": "XOR", "blobs": t("blobs"), network.OWN: t("your own points")}.get(name, name)


# ------------------------------------------------------------------------- the settings


def _points():
    """The points' widget values (their defaults before the widgets are first drawn)."""
    for name, widget in POINTS.items():
        st.session_state.setdefault(widget, network.POINTS_DEFAULTS[name])
    return {name: st.session_state[widget] for name, widget in POINTS.items()}


def chosen():
    """(the run's settings, ``None``) or (the defaults where a value is refused, the
    sentence saying what is wrong): read here once, for every way to start."""
    run_settings.init_widgets(Playground)
    return run_settings.read(Playground)


def current_points(points=None):
    points = points or _points()
    own = points["dataset"] == network.OWN
    return network.playground_points(points["dataset"], None if own else points["noise"],
                                     points["test_share"] / 100)


def _start():
    """Train with the settings and points on screen (Train, or points that changed)."""
    settings, error = chosen()
    values = _points()
    points = current_points(values)
    if error is None and points.trainable():
        own = values["dataset"] == network.OWN
        network.start_playground(points, settings, name=values["dataset"],
                                 noise=None if own else float(values["noise"]))


def _points_changed():
    """Points, their split or their features changed: a model trained before retrains."""
    if training.current(network.PLAYGROUND) is not None:
        _start()


def _dataset_changed():
    name = st.session_state[POINTS["dataset"]]
    if name in planar.NOISE:
        st.session_state[POINTS["noise"]] = planar.NOISE[name]
    _points_changed()


def settings_form():
    """The playground's settings and points; returns (settings, error) as :func:`chosen`."""
    _points()
    run_settings.init_widgets(Playground)
    keys = run_settings.widgets(Playground)
    with st.container(key="row_playground"):   # two a row on a phone (studio.css)
        c1, c2, c3, c4, c5 = st.columns([1.2, 1.2, 1, 1, 1])
    c1.selectbox(t("Points"), [*planar.DATASETS, network.OWN], key=POINTS["dataset"],
                 on_change=_dataset_changed, persist_state="session",
                 format_func=fixed(points_name))
    c2.text_input(t("Hidden layers"), key=keys["hidden"],
                  placeholder=t("none: logistic regression"),
                  help=t("e.g. 4, or 8,8; empty for logistic regression."),
                  persist_state="session")
    c3.selectbox(t("Activation"), HIDDEN_ACTIVATIONS, key=keys["activation"],
                 persist_state="session")
    c4.number_input(t("Learning rate"), key=keys["learning_rate"], step=0.1, format="%g",
                    persist_state="session")
    c5.number_input(t("Iterations"), key=keys["iterations"], step=500, persist_state="session")
    own = st.session_state[POINTS["dataset"]] == network.OWN
    c1, c2, c3 = st.columns([1.2, 1.2, 2.2], vertical_alignment="bottom")
    c1.slider(t("Noise"), 0.0, planar.MAX_NOISE, step=0.01, key=POINTS["noise"],
              on_change=_points_changed, disabled=own, persist_state="session",
              help=t("How far the points are jittered at random (the spread, in the points' "
                     "own units). Your own points keep theirs."))
    c2.slider(t("Test points"), 0, int(planar.MAX_TEST_SHARE * 100), step=5, format="%d %%",
              key=POINTS["test_share"], on_change=_points_changed, persist_state="session",
              help=t("About this share of the points is held out: the model never trains "
                     "on them, and they are drawn hollow. Each point's lot comes from its own "
                     "position, so adding or erasing one moves no other."))
    c3.toggle(t("Feature crosses: x1², x2², x1·x2"), key=keys["crosses"],
              on_change=_points_changed, persist_state="session",
              help=t("Give the model three more inputs made from the two: a straight line "
                     "in those five features is a curve (a circle, an ellipse, a hyperbola) "
                     "in the plane."))
    settings, error = chosen()
    if error:
        st.error(t("Cannot train with these settings: {error}.", error=error),
                 icon=":material/error:")
    return settings, error


# --------------------------------------------------------------- what the browser sends


def _edited():
    """The component's ``edit``: the learner's points after clicks (or Clear)."""
    edit = st.session_state[KEY].get("edit")
    rows = edit.get("points") if isinstance(edit, dict) else None
    if not isinstance(rows, list):
        return
    serial = edit.get("serial")   # answered even when refused: the picture stops waiting
    st.session_state[state.PLAYGROUND_EDIT] = serial if isinstance(serial, (int, float)) else None
    try:
        X, Y = planar.points_from_rows(rows, t("your points"))
    except planar.PointsError as exc:
        if rows:   # an empty list is Clear
            st.session_state[state.PLAYGROUND_NOTE] = ("error", say(exc.args[0]))
            return
        X, Y = np.zeros((2, 0)), np.zeros((1, 0))
    network.keep_own_points(X, Y, current_points().extent)
    st.session_state[POINTS["dataset"]] = network.OWN
    st.session_state.pop(state.PLAYGROUND_NOTE, None)
    _start()


def _transport():
    """The component's ``transport``: its Stop, Step or Resume, on the run it shows."""
    move = st.session_state[KEY].get("transport")
    run = training.current(network.PLAYGROUND)
    if not isinstance(move, dict) or run is None or move.get("run") != run.id:
        return
    iteration = move.get("iteration")
    if (isinstance(iteration, int) and not isinstance(iteration, bool)) or \
            move.get("action") == "resume":
        network.show_playground_frame(run, move.get("action"), iteration)


def _uploaded():
    """A CSV of x1, x2, label: its size checked before it is read, then every row."""
    file = st.session_state.get(UPLOAD)
    st.session_state.pop(state.PLAYGROUND_NOTE, None)
    if file is None:
        return
    name = escape.markdown(file.name)
    try:
        planar.check_csv_size(file.size, name)   # the upload's metadata: nothing read yet
        X, Y = planar.read_points_csv(file.getvalue(), name)
    except planar.PointsError as exc:
        st.session_state[state.PLAYGROUND_NOTE] = (
            "error", t("Cannot use this file: {problem}.", problem=say(exc.args[0])))
        return
    network.keep_own_points(X, Y, planar.extent(X))
    st.session_state[POINTS["dataset"]] = network.OWN
    st.session_state[state.PLAYGROUND_NOTE] = (
        "success", t("{name}: {count:,} points, {ones:,} of them red (class 1).", name=name,
                     count=X.shape[1], ones=int(Y.sum())))
    _start()


# --------------------------------------------------------------- what the browser gets


def _words():
    """The component's text in the session's language ({fields} are filled in there)."""
    return {
        "trainAccuracy": t("training accuracy"), "testAccuracy": t("test accuracy"),
        "status": t("{network} · iteration {iteration} / {total} · cost {cost}"),
        "stop": t("Stop"), "resume": t("Resume"), "step": t("Step"), "replay": t("Replay"),
        "stopHelp": t("Pause the animation: the page then reports the model shown."),
        "stepHelp": t("Show the next frame."),
        "add": [t("blue (class 0)"), t("red (class 1)")], "erase": t("eraser"),
        "clear": t("Clear points"), "toolsLabel": t("Add or erase points"),
        "hint": t("Click or tap the picture to add a point of the chosen colour. To erase, "
                  "drag across points, shift-click them, or pick the eraser. The model "
                  "retrains when you pause."),
        "full": t("At most {limit:,} points.", limit=planar.MAX_POINTS),
        "computing": t("training…"), "retraining": t("retraining on your points…"),
        "untrained": t("Press Train to fit a model to these points."),
        "needBoth": t("Add points of both colours to train."),
        "testLegend": t("Hollow points are test points: the model never trains on them."),
        "mapLabel": t("The model's probability of red (class 1) over the plane: red where it "
                      "is sure of red, blue where it is sure of blue, the black line where it "
                      "is 0.5; and the points."),
        "curveLabel": t("cost J"),
        "scale": t("P(red): the model's probability of class 1"),
    }


def _network_name(run):
    """"2-4-1 (tanh)", "2-1" or "5-1 on x1, x2, x1², x2², x1·x2": what the run trains."""
    layer_dims = run.trainer.layer_dims
    name = architecture(layer_dims)
    if len(layer_dims) > 2:
        name += f" ({run.trainer.activation})"
    if run.crosses:
        name = t("{network} on x1, x2, {crosses}", network=name,
                 crosses=", ".join(planar.CROSSES))
    return name


def _encoded_run(run):
    """What the browser needs of a run: built once per new frame (a rerun for another
    reason, such as Speed, reuses it)."""
    trajectory = run.trajectory
    marker = (len(trajectory.iterations), run.status, run.trainer.iteration)
    if run.encoded[0] == marker:
        return run.encoded[1]
    maps = zlib.compress(np.concatenate(trajectory.maps).tobytes(), 6)
    encoded = {
        "id": run.id, "total": run.total, "end": network.playground_end(run),
        "status": run.status, "shown": run.trainer.iteration,
        "complete": trajectory.complete or run.outcome is not None,
        "network": _network_name(run),
        "grid": trajectory.steps, "iterations": trajectory.iterations,
        "costs": trajectory.costs, "train": trajectory.train_accuracy,
        "test": trajectory.test_accuracy if trajectory.test_accuracy[0] is not None else None,
        "maps": base64.b64encode(maps).decode("ascii"),
        "curve": [trajectory.curve_iterations, [round(c, 6) for c in trajectory.curve_costs]],
        "cut": run.outcome.sentence() if run.outcome is not None else "",
    }
    run.encoded = (marker, encoded)
    return encoded


def data_for(run, points):
    """The component's data: the points, the run drawn on them (None: untrained), the pace
    and the words."""
    return {
        "run": _encoded_run(run) if run is not None else None,
        "points": np.column_stack([points.X.T, points.Y.ravel(), points.test]).tolist(),
        "extent": list(points.extent), "trainable": points.trainable(),
        "maxPoints": planar.MAX_POINTS, "editSerial": st.session_state.get(state.PLAYGROUND_EDIT),
        "pace": training.pace(SPEED),   # iterations a second, as Train's and Network's
        "fullSeconds": FULL_SPEED_SECONDS,
        "colours": figures.network.decision_colours(), "words": _words(),
    }


# --------------------------------------------------------------------------- the section


@st.fragment
def section():
    """The playground: its settings, Train, the live picture and the CSV upload. A fragment:
    its widgets and the component rerun only this section."""
    st.header(t("Playground: a line becomes a curve"))
    st.markdown(t("Two numbers per point instead of a picture's pixels, so the whole model "
                  "fits in one picture: the colour is its probability of class 1 and the "
                  "black line its boundary. With **no hidden layer** (logistic regression) the "
                  "boundary is always a straight line, which cannot separate the flower's "
                  "petals. One hidden layer of **4 tanh units** bends it around them."))
    settings, error = settings_form()
    with st.columns([3, 2])[0]:   # as wide as the picture; Stop and Step are beside it
        training.controls(network.PLAYGROUND, _start, (), error, SPEED,
                          t("Start from fresh initial weights with the settings above."),
                          transport=False, compact=True,
                          speed_help=t("How fast the picture plays the run: slow motion "
                                       "{slow:g} iterations a second, watch it learn "
                                       "{watch:g}, full speed the whole run in {seconds:g} s.",
                                       slow=training.SPEEDS["slow motion"],
                                       watch=training.SPEEDS["watch it learn"],
                                       seconds=FULL_SPEED_SECONDS))
    run = training.current(network.PLAYGROUND)
    if run is not None and run.status == "running" and not run.fresh:
        network.advance_playground(run)    # the component asked for the rest of the frames
    if run is not None:
        run.fresh = False
    points = current_points()
    if run is not None and run.points_key != network.points_key(points, settings.crosses):
        run = None   # trained on other points: the picture shows these, untrained
    CANVAS(key=KEY, data=data_for(run, points), on_edit_change=_edited,
           on_transport_change=_transport, on_more_change=lambda: None)
    export_section.playground(run)
    note = st.session_state.get(state.PLAYGROUND_NOTE)
    if note:
        getattr(st, note[0])(note[1])
    st.caption(t("With no hidden layer the model is σ(w₁x₁ + w₂x₂ + b): its 0.5 line is where "
                 "w₁x₁ + w₂x₂ + b = 0, always straight. Each hidden unit draws its own line; "
                 "the output neuron bends and joins them. With feature crosses even no hidden "
                 "layer draws a curve: a straight line among x1, x2, x1², x2², x1·x2."))
    with st.expander(t("Your own points from a CSV file"), key="play_csv_open"):
        st.file_uploader(
            t("A CSV file of x1, x2, label rows"), type=["csv", "txt"], key=UPLOAD,
            on_change=_uploaded, max_upload_size=1,
            help=t("One point per row: two numbers and its class, 0 (blue) or 1 (red); a "
                   "header row is allowed. At most {points:,} points and {size:,} kB.",
                   points=planar.MAX_POINTS, size=planar.MAX_CSV_BYTES // 1024))
