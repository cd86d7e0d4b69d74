"""Train: gradient descent live in the browser, then everything the trained model tells us."""
import time

import streamlit as st

from logreg import course
from logreg.preprocessing import SCALING_MODES
from studio import (datasets, diagnoses, escape, figures, inspector, params_section, settings,
                    shell, state, step_section, training)
from studio.i18n import fixed, say, t

SETTINGS_KEYS = ("iterations", "learning_rate", "scaling")   # widget keys = setting names
LIVE_POINTS = 500   # enough for a smooth curve; building a longer one every tick costs time

shell.page_setup()
st.title(t("Train"))
st.caption(t("Logistic regression learns one weight per pixel by gradient descent. Pick the "
             "settings, press **Train** and watch the cost fall."))

key, dataset = datasets.active_dataset()


def settings_form():
    """The three inputs; returns (values, error message or None)."""
    for problem in settings.init_widgets(SETTINGS_KEYS):
        st.warning(problem, icon=":material/link:")
    c1, c2, c3 = st.columns(3)
    c1.number_input(t("Iterations"), key="iterations", step=100, persist_state="session",
                    help=t("How many gradient-descent updates. The course uses "
                           "{iterations:,}.", iterations=course.ITERATIONS))
    c2.number_input(t("Learning rate"), key="learning_rate", step=0.001, format="%g",
                    persist_state="session",
                    help=t("The step size α in w := w − α·dw. The course uses "
                           "{learning_rate:g}.", learning_rate=course.LEARNING_RATE))
    c3.selectbox(t("Scaling"), SCALING_MODES, key="scaling", persist_state="session",
                 format_func=fixed(figures.mode_title),
                 help=t("How pixels are scaled before training. **Raw pixels**: as they "
                        "are, 0 to 255. **Pixels ÷ 255**: every pixel divided by 255, 0 to 1 "
                        "(the course). **Standardized (z-score)**: each pixel minus its "
                        "average over the training pictures, divided by its standard "
                        "deviation (mean 0, spread 1)."))
    values = {name: st.session_state[name] for name in SETTINGS_KEYS}
    try:
        course.check_hyperparameters(values["iterations"], values["learning_rate"],
                                     values["scaling"])
    except ValueError as exc:
        return values, say(exc.args[0])
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


def live_panel(key):
    """Progress and the growing cost curve; reruns by itself only while training."""
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
        st.progress(done, text=t("iteration {iteration:,} / {total:,}",
                                 iteration=trainer.iteration, total=run.total))
        if run.status == "stopped":
            st.info(t("Stopped at iteration {iteration:,}. **Resume** continues this run; "
                      "**Train** starts again from zero.", iteration=trainer.iteration),
                    icon=":material/pause_circle:")
        cost = f"{trainer.costs[-1]:.6f}" if trainer.costs else "—"
        st.caption(t("cost J = {cost} · learning rate {learning_rate:g} · {scaling}",
                     cost=cost, learning_rate=run.learning_rate,
                     scaling=say(course.SCALING_WORDS.get(run.scaling, run.scaling))))
        st.plotly_chart(figures.cost_curve(trainer.costs, total=run.total,
                                           max_points=LIVE_POINTS), key="live_cost")
        if run.status == "running":
            training.hold(began)

    panel()


def results(model, key, dataset):
    evaluation = model.evaluate(dataset)
    cost = model.cost(dataset.train_set_x_orig, dataset.train_set_y)
    st.header(t("Results"))
    trained_on = state.trained_dataset_key()
    st.caption(say(model.describe())
               + ("" if trained_on == key else t(" · parameters loaded or trained elsewhere, "
                                                 "scored on the active dataset")))
    c1, c2, c3 = st.columns(3)
    c1.metric(t("final cost"), f"{cost:.6f}", help=t("cross-entropy J at the final parameters"))
    c2.metric(t("train accuracy"), f"{evaluation.train_accuracy:.2f} %")
    c3.metric(t("test accuracy"), f"{evaluation.test_accuracy:.2f} %")
    st.markdown(f"`train accuracy: {evaluation.train_accuracy} %` · "
                f"`test accuracy: {evaluation.test_accuracy} %`")
    # What the run says about its settings (overshoot, no progress, overfitting, saturation).
    diagnoses.show(diagnoses.for_model(model, key, dataset, evaluation),
                   t("What this run shows"))

    left, right = st.columns([3, 2])
    with left:
        log_y = st.toggle(t("Log scale"), key="train_log")
        st.plotly_chart(figures.cost_curve(model.costs, title=t("Cost during training"),
                                           log_y=log_y, max_points=3000),
                        key="final_cost_curve")
        st.caption(t("The cost at every iteration; the course's table on the right samples "
                     "every {every}th.", every=course.PRINT_EVERY))
    with right:
        st.markdown(t("**The course's output** (cost every {every} iterations)",
                      every=course.PRINT_EVERY))
        st.code("\n".join(course.printout(model.costs, evaluation.train_accuracy,
                                          evaluation.test_accuracy)),
                language=None, height=330)

    st.subheader(t("What the weights look at"))
    view = "sum"
    if dataset.channels == 3:
        view = st.segmented_control(t("Weights"), ["sum", "per channel"], default="sum",
                                    key="weights_view", required=True,
                                    format_func={"sum": t("sum"),
                                                 "per channel": t("per channel")}.get)
    figure = figures.weights_figure(model.w, model.num_px, model.channels, view)
    if view == "sum":
        left, right = st.columns([3, 2], vertical_alignment="center")
    else:
        left = right = st.container()
    left.plotly_chart(figure, key="weights")
    names = [escape.markdown(c) for c in dataset.classes]
    right.markdown(t(
        "Each pixel's weight, laid out as the image: w reshaped to {num_px} × {num_px} × "
        "{channels}. **Red** pixels push the prediction towards *{positive}*, **blue** "
        "towards *{negative}*; white ones hardly matter.\n\nWith only {m_train} training "
        "images the pattern is noisy: a linear model cannot learn what a {positive} *is*, "
        "only which pixels tended to be bright or dark in the training {positive} pictures.",
        num_px=model.num_px, channels=model.channels, positive=names[1], negative=names[0],
        m_train=dataset.m_train))


if dataset is not None:
    values, error = settings_form()
    if error:
        st.error(t("Cannot train with these settings: {error}.", error=error),
                 icon=":material/error:")
    training.controls(state.LIVE, _start, (key,), error, "train_speed",
                      t("Start from zero weights with the settings above."))
    live_panel(key)
    run = training.current()
    model = state.trained_model()
    live_here = run is not None and run.status in ("running", "stopped") and run.dataset_key == key
    if model is not None and not live_here:   # while a run is live, results wait for its end
        if model.mismatch(dataset):
            st.warning(t("The session's {problem}. Train again.",
                         problem=say(model.mismatch(dataset))))
        else:
            results(model, key, dataset)
            inspector.render("logistic", key, dataset)
    elif model is None and not live_here:
        st.info(t("No trained parameters yet: press **Train** (the defaults reproduce the "
                  "course), or load a `.npz` below."), icon=":material/touch_app:")
    st.divider()
    step_section.render(key, dataset, values["learning_rate"], values["scaling"], error)
    st.divider()
    params_section.render(model if model is not None and not model.mismatch(dataset) else None,
                          key, dataset)
