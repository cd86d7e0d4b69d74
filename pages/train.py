"""Train: gradient descent live in the browser, then everything the trained model tells us."""
import streamlit as st

from logreg import course
from logreg.preprocessing import SCALING_MODES
from logreg.settings import Logistic
from studio.display import figures, presenter
from studio.frame import shell
from studio.sections import (diagnoses, export_section, inspector, live_panel, params_section,
                             step_section, training)
from studio.session import datasets, escape, runs, settings, state, words
from studio.session.i18n import fixed, say, t

# The stage (the cost curve and the course's printout, live and then final, in one place):
# in presenter mode it keeps one height, so at 1280 × 720 the Train button, the curve and
# the latest printout lines stay on screen and the results appear without a jump.
CURVE_PX = {False: 320, True: 350}   # chart height by presenter mode; 320 fits a phone's screen
STAGE_PX = 470                       # the stage's fixed height in presenter mode

shell.page_setup()
st.title(t("Train"))
if not presenter.presenting():   # on a projector the presenter says it; the curve needs the room
    st.caption(t("Logistic regression learns one weight per pixel by gradient descent. Pick the "
                 "settings, press **Train** and watch the cost fall."))

key, dataset = datasets.active_dataset()


def settings_form():
    """The three inputs (those a link did not hide); returns (settings, error message or
    None): the settings the inputs hold, or the defaults where one is refused."""
    for problem in settings.init_widgets(Logistic):
        st.warning(problem, icon=":material/link:")
    keys = settings.widgets(Logistic)
    shown = [row.setting for row in settings.rows(Logistic) if presenter.shows(row.url)]
    with st.container(key="row_settings"):   # stays a row on a phone
        columns = dict(zip(shown, st.columns(len(shown)))) if shown else {}
    if "iterations" in columns:
        columns["iterations"].number_input(
            t("Iterations"), key=keys["iterations"], step=100, persist_state="session",
            help=t("How many gradient-descent updates. The course uses {iterations:,}.",
                   iterations=course.ITERATIONS))
    if "learning_rate" in columns:
        columns["learning_rate"].number_input(
            t("Learning rate"), key=keys["learning_rate"], step=0.001, format="%g",
            persist_state="session",
            help=t("The step size α in w := w − α·dw. The course uses {learning_rate:g}.",
                   learning_rate=course.LEARNING_RATE))
    if "scaling" in columns:
        columns["scaling"].selectbox(
            t("Scaling"), SCALING_MODES, key=keys["scaling"], persist_state="session",
            format_func=fixed(figures.base.mode_title),
            help=t("How pixels are scaled before training. **Raw pixels**: as they "
                   "are, 0 to 255. **Pixels ÷ 255**: every pixel divided by 255, 0 to 1 "
                   "(the course). **Standardized (z-score)**: each pixel minus its "
                   "average over the training pictures, divided by its standard "
                   "deviation (mean 0, spread 1)."))
    chosen, error = settings.read(Logistic)
    if error is None:
        settings.remember(chosen)
    return chosen, error


def _start(dataset_key):
    # Train's callback runs before the page: read what the boxes hold as the press sent it.
    chosen, error = settings.read(Logistic)
    if error is not None:
        return  # the page already shows the error and the button is disabled
    training.start(dataset_key, chosen.iterations, chosen.learning_rate, chosen.scaling)


def _curve(costs, **options):
    return figures.base.cost_curve(costs, height=CURVE_PX[presenter.presenting()], **options)


def stage():
    """Where the curve and the printout go; a fixed height in presenter mode."""
    if presenter.presenting():
        return st.container(height=STAGE_PX, border=False, key="stage")
    return st.container(key="stage")


def stage_panel(key, dataset, idle_iterations, evaluation):
    """The stage: the live run while it trains or is stopped, then the finished run's curve
    and printout, else the empty chart the cost will fall in. ``evaluation``: the page's
    scores of the trained model (None while a run is live); the panel's own rerun keeps the
    page's last ones, since the model changes only in runs of the whole page."""
    def otherwise():
        model = state.trained_model()
        if model is not None and not model.mismatch(dataset):
            final_stage(model, evaluation if evaluation is not None
                        else runs.evaluation(model, dataset, key))
        else:
            idle_stage(idle_iterations)

    def describe(run):
        return t("learning rate {learning_rate:g} · {scaling}", learning_rate=run.learning_rate,
                 scaling=say(course.SCALING_WORDS.get(run.scaling, run.scaling)))

    with stage():
        live_panel.panel(state.LIVE, key, otherwise, describe=describe, printout=True,
                         height=CURVE_PX[presenter.presenting()])


def idle_stage(iterations):
    """Before the first run: the empty chart the cost will fall in.

    It shows where to look, and it makes the browser load its chart code now: on a page
    opened from a link, the first chart after Train cost 0.75 s of script loading between
    the results and a page that answers again."""
    presenter.chart(_curve([], total=iterations, note=t(
        "Press <b>Train</b>:<br>the cost J falls here as the model learns.")), key="idle_cost")


def final_stage(model, evaluation):
    """The run's whole cost curve and the course's printout, where the live ones were."""
    left, right = st.columns([3, 2])
    with left:
        log_y = st.toggle(t("Log scale"), key="train_log")
        presenter.chart(_curve(model.costs, title=t("Cost during training"), log_y=log_y,
                               max_points=3000), key="final_cost_curve")
        # Beside the curve on a wide screen, below it on a phone: no "on the right".
        st.caption(t("The cost at every iteration; the course's output samples every "
                     "{every}th.", every=course.PRINT_EVERY))
    with right:
        st.markdown(t("**The course's output** (cost every {every} iterations)",
                      every=course.PRINT_EVERY))
        lines = course.printout(model.costs, evaluation.train_accuracy,
                                evaluation.test_accuracy)
        if presenter.presenting() and len(lines) > live_panel.LIVE_LINES:
            # At the body size the whole printout is taller than the stage: its last lines,
            # the accuracies among them, as while training.
            lines = ["⋮", *lines[-live_panel.LIVE_LINES + 1:]]
        st.code("\n".join(lines), language=None)


def results(model, key, dataset, evaluation):
    cost = evaluation.cost_train
    st.header(t("Results"))
    trained_on = state.trained_dataset_key()
    st.caption(say(model.describe())
               + ("" if trained_on == key else t(" · parameters loaded or trained elsewhere, "
                                                 "scored on the active dataset")))
    with st.container(key="row_metrics"):   # side by side on a phone too
        c1, c2, c3 = st.columns(3)
    c1.metric(t("final cost"), f"{cost:.6f}", help=t("cross-entropy J at the final parameters"))
    c2.metric(t("train accuracy"), f"{evaluation.train_accuracy:.2f} %")
    c3.metric(t("test accuracy"), f"{evaluation.test_accuracy:.2f} %")
    st.markdown(f"`train accuracy: {evaluation.train_accuracy} %` · "
                f"`test accuracy: {evaluation.test_accuracy} %`")
    # What the run says about its settings (overshoot, no progress, overfitting, saturation).
    diagnoses.show(diagnoses.for_model(model, key, dataset, evaluation),
                   t("What this run shows"))

    st.subheader(t("What the weights look at"))
    view = "sum"
    if dataset.channels == 3:
        view = st.segmented_control(t("Weights"), ["sum", "per channel"], default="sum",
                                    key="weights_view", required=True,
                                    format_func={"sum": t("sum"),
                                                 "per channel": t("per channel")}.get)
    figure = figures.train.weights_figure(model.w, model.num_px, model.channels, view)
    if view == "sum":
        left, right = st.columns([3, 2], vertical_alignment="center")
    else:
        left = right = st.container()
    presenter.chart(figure, where=left, key="weights")
    names = [escape.markdown(c) for c in words.classes(dataset.classes)]
    right.markdown(t(
        "Each pixel's weight, laid out as the image: w reshaped to {num_px} × {num_px} × "
        "{channels}. **Red** pixels push the prediction towards *{positive}*, **blue** "
        "towards *{negative}*; white ones hardly matter.\n\nWith only {images} the pattern "
        "is noisy: a linear model cannot learn what a {positive} *is*, only which pixels "
        "tended to be bright or dark in the training {positive} pictures.",
        num_px=model.num_px, channels=model.channels, positive=names[1], negative=names[0],
        images=words.training_images(dataset.m_train)))


if dataset is not None:
    # Presenter mode: the settings and the buttons share one compact row.
    compact = presenter.presenting()
    form_area, controls_area = (st.columns([5, 6], vertical_alignment="bottom") if compact
                                else (st.container(), st.container()))
    with form_area:
        chosen, error = settings_form()
    if error:
        st.error(t("Cannot train with these settings: {error}.", error=error),
                 icon=":material/error:")
    with controls_area:
        # A link may hide all three settings: then the help names them instead.
        shown = any(presenter.shows(flag) for flag in settings.url_names(Logistic))
        training.controls(state.LIVE, _start, (key,), error, "train_speed",
                          t("Start from zero weights with these settings.")
                          if shown or error else t("Start from zero weights: {settings}.",
                                                   settings=words.settings(
                                                       chosen.iterations, chosen.learning_rate,
                                                       chosen.scaling)),
                          compact=compact)
    run = training.current()
    model = state.trained_model()
    live_here = live_panel.is_live(run, key)
    usable = model is not None and not model.mismatch(dataset)
    evaluation = runs.evaluation(model, dataset, key) if usable and not live_here else None
    # After an error the empty chart spans the course's run, as no run can start.
    stage_panel(key, dataset, chosen.iterations if error is None else course.ITERATIONS,
                evaluation)
    if evaluation is not None:   # while a run is live, results wait for its end
        results(model, key, dataset, evaluation)
        export_section.train(key, dataset, evaluation)
        inspector.render("logistic", key, dataset)
    elif model is not None and not live_here:
        st.warning(t("The session's {problem}. Train again.",
                     problem=say(model.mismatch(dataset))))
    elif model is None and not live_here:
        st.info(t("No trained parameters yet: press **Train** (the defaults reproduce the "
                  "course), or load a `.npz` below.") if presenter.shows("params") else
                t("No trained parameters yet: press **Train** (the defaults reproduce the "
                  "course)."), icon=":material/touch_app:")
    if presenter.shows("step"):
        st.divider()
        # After an error the caption names the rate in the box as typed (Step is disabled).
        rate = chosen.learning_rate if error is None else settings.typed(Logistic)["learning_rate"]
        step_section.render(key, dataset, rate, chosen.scaling, error)
    if presenter.shows("params"):
        st.divider()
        params_section.render(model if usable else None, key, dataset)
