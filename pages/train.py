"""Train: gradient descent live in the browser, then everything the trained model tells us."""
import time

import streamlit as st

from logreg import course
from logreg.preprocessing import SCALING_MODES
from studio import (datasets, diagnoses, escape, figures, inspector, params_section, presenter,
                    settings, shell, state, step_section, training)

SCALING_LABELS = {"raw": "raw — pixels as they are (0–255)",
                  "divide255": "divide255 — pixels / 255 (the course)",
                  "zscore": "zscore — per-pixel mean 0, std 1"}
SETTINGS_KEYS = ("iterations", "learning_rate", "scaling")   # widget keys = setting names
HIDE_FLAGS = {"iterations": "iterations", "learning_rate": "lr", "scaling": "scaling"}  # → hide=
LIVE_POINTS = 500   # enough for a smooth curve; building a longer one every tick costs time
# The stage (the cost curve and the course's printout, live and then final, in one place):
# in presenter mode it keeps one height, so at 1280 × 720 the Train button, the curve and
# the latest printout lines stay on screen and the results appear without a jump.
CURVE_PX = {False: 320, True: 380}   # chart height by presenter mode; 320 fits a phone's screen
STAGE_PX = 470                       # the stage's fixed height in presenter mode
LIVE_LINES = 14                      # the latest printout lines shown while training

shell.page_setup()
st.title("Train")
if not presenter.presenting():   # on a projector the presenter says it; the curve needs the room
    st.caption("Logistic regression learns one weight per pixel by gradient descent. Pick the "
               "settings, press **Train** and watch the cost fall.")

key, dataset = datasets.active_dataset()


def settings_form():
    """The three inputs (those a link did not hide); returns (values, error message or None)."""
    for problem in settings.init_widgets(SETTINGS_KEYS):
        st.warning(problem, icon=":material/link:")
    shown = [name for name in SETTINGS_KEYS if presenter.shows(HIDE_FLAGS[name])]
    with st.container(key="row_settings"):   # stays a row on a phone
        columns = dict(zip(shown, st.columns(len(shown)))) if shown else {}
    if "iterations" in columns:
        columns["iterations"].number_input(
            "Iterations", key="iterations", step=100, persist_state="session",
            help=f"How many gradient-descent updates. The course uses {course.ITERATIONS:,}.")
    if "learning_rate" in columns:
        columns["learning_rate"].number_input(
            "Learning rate", key="learning_rate", step=0.001, format="%g",
            persist_state="session",
            help=f"The step size α in w := w − α·dw. The course uses "
                 f"{course.LEARNING_RATE:g}.")
    if "scaling" in columns:
        columns["scaling"].selectbox(
            "Scaling", SCALING_MODES, key="scaling", persist_state="session",
            format_func=lambda mode: SCALING_LABELS.get(mode, mode),
            help="How pixels are scaled before training.")
    values = {name: st.session_state[name] for name in SETTINGS_KEYS}
    try:
        course.check_hyperparameters(values["iterations"], values["learning_rate"],
                                     values["scaling"])
    except ValueError as exc:
        return values, str(exc)
    settings.remember(values)
    return values, None


def _start(dataset_key):
    values = {name: st.session_state[name] for name in SETTINGS_KEYS}
    try:
        course.check_hyperparameters(values["iterations"], values["learning_rate"],
                                     values["scaling"])
    except ValueError:
        return  # the page already shows the error and the button is disabled
    speed = st.session_state.get("train_speed", training.DEFAULT_SPEED)
    training.start(dataset_key, int(values["iterations"]), float(values["learning_rate"]),
                   values["scaling"], per_tick=training.SPEEDS.get(speed))


def _curve(costs, total=None, title=None, log_y=False, max_points=LIVE_POINTS):
    kwargs = {"title": title} if title else {}
    fig = figures.cost_curve(costs, total=total, log_y=log_y, max_points=max_points, **kwargs)
    big = presenter.presenting()
    fig.update_layout(height=CURVE_PX[big], **({"font_size": 16} if big else {}))
    return fig


def stage():
    """Where the curve and the printout go; a fixed height in presenter mode."""
    if presenter.presenting():
        return st.container(height=STAGE_PX, border=False, key="stage")
    return st.container(key="stage")


def live_panel(key):
    """Progress, the growing cost curve and the latest printout lines; reruns by itself
    only while training."""
    run = training.current()
    running = run is not None and run.status == "running" and run.dataset_key == key

    @st.fragment(run_every=training.TICK_SECONDS if running else None)
    def panel():
        began = time.perf_counter()
        run = training.current()
        if run is None or run.dataset_key != key or run.status == "done":
            return
        if run.status == "running" and training.advance(run):
            st.rerun()  # the whole page: show the results and stop ticking
        trainer = run.trainer
        done = trainer.iteration / run.total
        left, right = st.columns([3, 2])
        with left:
            st.progress(done, text=f"iteration {trainer.iteration:,} / {run.total:,}")
            if run.status == "stopped":
                st.info(f"Stopped at iteration {trainer.iteration:,}. **Resume** continues "
                        f"this run; **Train** starts again from zero.",
                        icon=":material/pause_circle:")
            st.plotly_chart(_curve(trainer.costs, total=run.total), key="live_cost")
        with right:
            cost = f"{trainer.costs[-1]:.6f}" if trainer.costs else "—"
            st.caption(f"cost J = {cost} · learning rate {run.learning_rate:g} · {run.scaling}")
            lines = course.printout(trainer.costs)[-LIVE_LINES:]
            st.code("\n".join(lines) or " ", language=None)
        if run.status == "running":
            training.hold(began)

    panel()


def final_stage(model, evaluation):
    """The run's whole cost curve and the course's printout, where the live ones were."""
    left, right = st.columns([3, 2])
    with left:
        log_y = st.toggle("Log scale", key="train_log")
        st.plotly_chart(_curve(model.costs, title="Cost during training", log_y=log_y,
                               max_points=3000), key="final_cost_curve")
        st.caption(f"The cost at every iteration; the course's table on the right samples "
                   f"every {course.PRINT_EVERY}th.")
    with right:
        st.markdown(f"**The course's output** (cost every {course.PRINT_EVERY} iterations)")
        st.code("\n".join(course.printout(model.costs, evaluation.train_accuracy,
                                          evaluation.test_accuracy)), language=None)


def results(model, key, dataset, evaluation):
    cost = model.cost(dataset.train_set_x_orig, dataset.train_set_y)
    st.header("Results")
    trained_on = state.trained_dataset_key()
    st.caption(f"{model.describe()}"
               + ("" if trained_on == key else " · parameters loaded or trained elsewhere, "
                  "scored on the active dataset"))
    with st.container(key="row_metrics"):   # side by side on a phone too
        c1, c2, c3 = st.columns(3)
    c1.metric("final cost", f"{cost:.6f}", help="cross-entropy J at the final parameters")
    c2.metric("train accuracy", f"{evaluation.train_accuracy:.2f} %")
    c3.metric("test accuracy", f"{evaluation.test_accuracy:.2f} %")
    st.markdown(f"`train accuracy: {evaluation.train_accuracy} %` · "
                f"`test accuracy: {evaluation.test_accuracy} %`")
    # What the run says about its settings (overshoot, no progress, overfitting, saturation).
    diagnoses.show(diagnoses.for_model(model, key, dataset, evaluation), "What this run shows")

    st.subheader("What the weights look at")
    view = "sum"
    if dataset.channels == 3:
        view = st.segmented_control("Weights", ["sum", "per channel"], default="sum",
                                    key="weights_view", required=True)
    figure = figures.weights_figure(model.w, model.num_px, model.channels, view)
    if view == "sum":
        left, right = st.columns([3, 2], vertical_alignment="center")
    else:
        left = right = st.container()
    left.plotly_chart(figure, key="weights")
    names = [escape.markdown(c) for c in dataset.classes]
    right.markdown(
        f"Each pixel's weight, laid out as the image: w reshaped to {model.num_px} × "
        f"{model.num_px} × {model.channels}. **Red** pixels push the prediction towards "
        f"*{names[1]}*, **blue** towards *{names[0]}*; white ones hardly "
        f"matter.\n\nWith only {dataset.m_train} training images the pattern is noisy: a "
        f"linear model cannot learn what a {names[1]} *is*, only which pixels "
        f"tended to be bright or dark in the training {names[1]} pictures.")


if dataset is not None:
    # Presenter mode: the settings and the buttons share one compact row.
    compact = presenter.presenting()
    form_area, controls_area = (st.columns([2, 3], vertical_alignment="bottom") if compact
                                else (st.container(), st.container()))
    with form_area:
        values, error = settings_form()
    if error:
        st.error(f"Cannot train with these settings: {error}.", icon=":material/error:")
    with controls_area:
        training.controls(state.LIVE, _start, (key,), error, "train_speed",
                          "Start from zero weights with the settings above.", compact=compact)
    run = training.current()
    model = state.trained_model()
    live_here = run is not None and run.status in ("running", "stopped") and run.dataset_key == key
    usable = model is not None and not model.mismatch(dataset)
    evaluation = model.evaluate(dataset) if usable and not live_here else None
    with stage():
        live_panel(key)
        if evaluation is not None:
            final_stage(model, evaluation)
    if evaluation is not None:   # while a run is live, results wait for its end
        results(model, key, dataset, evaluation)
        inspector.render("logistic", key, dataset)
    elif model is not None and not live_here:
        st.warning(f"The session's {model.mismatch(dataset)}. Train again.")
    elif model is None and not live_here:
        st.info("No trained parameters yet: press **Train** (the defaults reproduce the "
                "course), or load a `.npz` below.", icon=":material/touch_app:")
    if presenter.shows("step"):
        st.divider()
        step_section.render(key, dataset, values["learning_rate"], values["scaling"], error)
    if presenter.shows("params"):
        st.divider()
        params_section.render(model if usable else None, key, dataset)
