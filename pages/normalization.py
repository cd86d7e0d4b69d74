"""Normalization: why scale the inputs, and how gradient descent moves — live experiments."""
import dataclasses

import streamlit as st

from logreg import course, linear_demo, race, two_scales
from logreg.preprocessing import SCALING_MODES
from logreg.settings import Comparison
from studio.display import figures, presenter
from studio.frame import shell
from studio.sections import comparisons, diagnoses, export_section, lessons
from studio.session import datasets, settings, state
from studio.session.i18n import fixed, language, say, t, tn

RATE_CHOICES = ["own", "shared"]   # the landscape's learning rates: the widget's values
LINEAR_DEFAULTS = {"lin_rates": RATE_CHOICES[0], "lin_alpha": 1e-4, "lin_iterations": 1000,
                   "lin_seed": 42}

shell.page_setup()
st.title(t("Normalization"))
if not presenter.presenting():   # on a projector the presenter says it; Compare needs the room
    st.caption(t("Scaling the inputs does not change what logistic regression can learn: it "
                 "changes which learning rate works and how fast gradient descent gets "
                 "there."))

key, dataset = datasets.active_dataset()


def race_section(key, dataset):
    """The lesson on the first screen, before any button: each scaling at its own largest
    safe learning rate (logreg.race), trained when the page opens."""
    kept = comparisons.race(key, course.ITERATIONS, SCALING_MODES)
    runners = kept["runners"]
    target = race.common_target(runners)
    reached = {r.name: race.iterations_to(r.costs, target) if target is not None else None
               for r in runners}
    presenter.chart(figures.normalization.race_figure(runners, target, reached), key="norm_race")
    named = [dataclasses.replace(r, name=figures.base.mode_title(r.name)) for r in runners]
    sentences = [say(sentence) for sentence in race.verdict(named, kept["m_test"])]
    # A sentence may begin with a scaling's name ("raw pixels and pixels ÷ 255 follow…").
    st.markdown(" ".join(text[:1].upper() + text[1:] for text in sentences))
    if kept["outcome"].cut:
        st.warning(kept["outcome"].sentence(), icon=":material/timer_off:")


def compare_section(key):
    """The settings and the Compare button; returns this dataset's result or None."""
    if not presenter.presenting():   # a projector's first screen is Compare and its curves
        st.header(t("One learning rate for all"))
    for problem in settings.init_widgets(Comparison):
        st.warning(problem, icon=":material/link:")
    keys = settings.widgets(Comparison)
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    c1.number_input(t("Iterations"), key=keys["iterations"], step=100, persist_state="session")
    c2.number_input(t("Learning rate"), key=keys["learning_rate"], step=0.001, format="%g",
                    persist_state="session")
    chosen, error = settings.read(Comparison)
    if error is None:
        settings.remember(chosen)
    else:
        st.error(t("Cannot compare with these settings: {error}.", error=error),
                 icon=":material/error:")
    if c3.button(t("Compare"), type="primary", disabled=error is not None,
                 help=t("Train on raw pixels, pixels ÷ 255 and standardized pixels, plus raw "
                        "pixels at the learning rate that matches pixels ÷ 255.")):
        with st.status(t("Training five models…"), expanded=False) as status:
            comparisons.compare_scalings(
                key, chosen.iterations, chosen.learning_rate, SCALING_MODES,
                on_progress=lambda i: status.update(
                    label=t("Training five models… iteration {iteration:,} / {total:,}",
                            iteration=i, total=chosen.iterations)))
            status.update(label=t("Done"), state="complete")
    result = st.session_state.get(state.SCALING_RESULTS)
    if not result or result["dataset_key"] != key:
        st.info(t("Press **Compare** to run the experiments below on this dataset (a few "
                  "seconds)."), icon=":material/touch_app:")
        return None
    if result["outcome"].cut:
        st.warning(result["outcome"].sentence(), icon=":material/timer_off:")
    return result


def lesson(text, key):
    """A lesson's first sentence on the page, the numbers behind it in an expander."""
    first, rest = lessons.lead(text)
    st.markdown(first)
    if rest:
        with st.expander(t("The numbers behind it"), key=key):
            st.markdown(rest)


def equivalence_section(result, dataset):
    st.header(t("1 · Dividing by 255 is a smaller step"))
    eq, runs = result["equivalence"], result["runs"]
    left, right = st.columns(2)   # side by side, stacked on a phone
    presenter.chart(figures.normalization.equivalence_figure(
        runs["divide255"]["costs"], eq["raw_small"], eq["raw_matched"], result["learning_rate"],
        eq["raw_rate"]), where=left, key="norm_equivalence")
    presenter.chart(figures.normalization.raw_step_figure(runs["raw"]["costs"],
                                                          result["learning_rate"]),
                    where=right, key="norm_equivalence_raw")
    lesson(lessons.equivalence(result, dataset.num_px ** 2 * dataset.channels), "why_equivalence")
    with st.expander(t("The same thing in symbols")):
        st.markdown(t(
            "A model on raw pixels $x$ with weights $w$ computes $z = w^T x + b$. Write "
            "$w' = 255\\,w$: then $z = w'^T (x / 255) + b$, the model on pixels ÷ 255 with "
            "weights $w'$. One gradient step on raw pixels is "
            "$w := w - \\alpha \\frac{1}{m} X (A - Y)^T$; in terms of $w'$ it is "
            "$w' := w' - 255^2 \\alpha \\cdot \\frac{1}{m} (X/255) (A - Y)^T$, the "
            "÷ 255 step with learning rate $255^2 \\alpha$. So raw pixels at "
            "$\\alpha / 255^2$ take the ÷ 255 model's steps at $\\alpha$ on the weights. "
            "The bias's update $b := b - \\alpha \\frac{1}{m} \\sum (A - Y)$ has input "
            "1 in both models and keeps its own $\\alpha$."))


def scalings_chart(result):
    """The three runs' cost curves, one panel each side by side (stacked on a phone), or one
    overlay."""
    c1, c2 = st.columns([1, 3])
    log_y = c1.toggle(t("Log scale"), key="norm_log",
                      help=t("The raw run's cost spans many orders of magnitude."))
    view = c2.segmented_control(t("View"), ["side by side", "overlay"], default="side by side",
                                key="norm_view", required=True,
                                format_func={"side by side": t("side by side"),
                                             "overlay": t("overlay")}.get)
    runs = {mode: run["costs"] for mode, run in result["runs"].items()}
    if view == "overlay":
        presenter.chart(figures.normalization.scaling_comparison(runs, log_y=log_y, overlay=True),
                        key="norm_chart")
    else:
        for column, (mode, costs) in zip(st.columns(len(runs)), runs.items()):
            presenter.chart(figures.normalization.scaling_comparison({mode: costs}, log_y=log_y),
                            where=column, key=f"norm_chart_{mode}")
    st.caption(tn("{count:,} iteration at learning rate {learning_rate:g} for each run.",
                  "{count:,} iterations at learning rate {learning_rate:g} for each run.",
                  count=len(next(iter(runs.values()))), learning_rate=result["learning_rate"]))


def scalings_section(result, dataset, chart=True):
    """``chart``: False when :func:`scalings_chart` is already drawn (presenter mode)."""
    st.header(t("2 · Which run generalizes better?"))
    if chart:
        scalings_chart(result)
    presenter.table(lessons.generalization_rows(result["runs"]), "norm_runs")
    lesson(lessons.verdict(result["runs"], dataset.m_test), "why_verdict")
    with st.expander(t("What each run's numbers say")):   # details: not the lesson
        for mode, run in result["runs"].items():
            diagnoses.show(run["findings"], figures.base.mode_title(mode))
            st.caption(f"{figures.base.mode_title(mode)} · "
                       f"`train accuracy: {run['train_accuracy']} %` · "
                       f"`test accuracy: {run['test_accuracy']} %`")


def zscore_section(result):
    st.header(t("3 · Standardizing (z-score): every pixel on its own scale"))
    pictures = result["zscore"]
    images = [figures.normalization.mean_picture(pictures["mean"]),
              figures.normalization.spread_picture(pictures["std"])]
    captions = [t("average pixel"), t("how much it varies")]
    for image, zscored in zip(pictures["examples"], pictures["zscored"]):
        images += [figures.base.upscaled(image, 128), figures.normalization.zscore_picture(zscored)]
        captions += [t("picture"), t("standardized")]
    st.image(images, caption=captions, width=112)   # a row that wraps on a phone
    presenter.chart(figures.normalization.scaling_comparison(
        {mode: result["runs"][mode]["costs"] for mode in ("divide255", "zscore")},
        overlay=True), key="norm_zscore_chart")
    lesson(lessons.zscore(pictures, result["runs"]), "why_zscore")


def rates_section(key):
    st.header(t("The course's learning rates"))
    st.markdown(t("The course's experiment: the same model with learning rates {rates}, "
                  "{iterations:,} iterations each, curves on one plot.",
                  rates=", ".join(f"{rate:g}" for rate in comparisons.COURSE_RATES),
                  iterations=comparisons.COURSE_RATE_ITERATIONS))
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    scaling = c1.selectbox(t("Scaling for this experiment"), SCALING_MODES, index=1,
                           key="lr_scaling", format_func=fixed(figures.base.mode_title))
    if c2.button(t("Compare learning rates"), key="lr_compare"):
        with st.spinner(t("Training three models…")):
            comparisons.compare_rates(key, scaling)
    result = st.session_state.get(state.RATE_RESULTS)
    if not result or result["dataset_key"] != key:
        st.info(t("Press **Compare learning rates** to run the course's experiment."),
                icon=":material/touch_app:")
        return
    if result["outcome"].cut:
        st.warning(result["outcome"].sentence(), icon=":material/timer_off:")
    log_y = st.toggle(t("Log scale"), key="lr_log")
    runs = {rate: run["costs"] for rate, run in result["runs"].items()}
    presenter.chart(figures.normalization.learning_rate_comparison(runs, log_y=log_y),
                    key="lr_chart")
    rows = [{t("learning rate"): f"{rate:g}", t("final cost"): round(run["final_cost"], 6),
             t("train accuracy (%)"): run["train_accuracy"],
             t("test accuracy (%)"): run["test_accuracy"],
             t("test cost"): round(run["generalization"].test_cost, 4)}
            for rate, run in result["runs"].items()]
    presenter.table(rows, "norm_rates")
    for rate, run in result["runs"].items():
        diagnoses.show(run["findings"], t("learning rate {rate:g}", rate=rate))


def linear_settings():
    """The landscape's controls; returns (own_rates, alpha, iterations, seed) or None."""
    for widget, value in LINEAR_DEFAULTS.items():
        st.session_state.setdefault(widget, value)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    if st.session_state["lin_rates"] not in RATE_CHOICES:   # a value from before the ids
        st.session_state["lin_rates"] = RATE_CHOICES[0]
    choice = c1.segmented_control(t("Learning rates"), RATE_CHOICES, key="lin_rates",
                                  required=True, persist_state="session",
                                  format_func={"own": t("each at its own best step"),
                                               "shared": t("one alpha for both")}.get)
    alpha = c2.number_input(t("alpha (learning rate)"), key="lin_alpha", step=1e-4,
                            format="%g", persist_state="session",
                            disabled=choice != RATE_CHOICES[1],
                            help=t("Used when both runs share one alpha. The text below the "
                                   "chart says from which alpha raw x diverges."))
    iterations = c3.number_input(t("Iterations"), key="lin_iterations", step=100,
                                 persist_state="session")
    seed = c4.number_input(t("Seed"), key="lin_seed", step=1, persist_state="session",
                           help=t("The random numbers that make the points."))
    try:
        linear_demo.check_settings(alpha, iterations, seed)
    except ValueError as exc:
        st.error(t("Cannot run the demo: {error}.", error=say(exc.args[0])),
                 icon=":material/error:")
        return None
    return choice == RATE_CHOICES[0], alpha, iterations, seed


def two_scales_section():
    """Two features a thousandfold apart (logreg.two_scales): where standardizing pays."""
    st.header(t("4 · Where standardization really matters: inputs on different scales"))
    presenter.chart(comparisons.two_scales_chart(language()), key="two_scales_chart")
    st.markdown(" ".join(say(s) for s in two_scales.verdict(comparisons.two_scales())))


def landscape_section():
    st.subheader(t("The seed's example: a straight line through points"))
    first, rest = lessons.lead(t(
        "The same idea on a small example: fit a straight line through 100 points whose x "
        "goes from 0 to 100, by gradient descent on the squared error, once with x as it is "
        "and once standardized (mean 0, standard deviation 1). The line's slope w multiplies "
        "x (0 to 100) while its intercept b multiplies a constant 1: two inputs on very "
        "different scales. Below, the cost of every (w, b) as a contour map — darker is "
        "lower — with the path gradient descent takes. **▶ Play**, **Step ▶** or drag the "
        "slider: both panels show the same iteration."))
    st.markdown(first)
    with st.expander(t("Where this example comes from")):
        st.markdown(rest)
        st.markdown(t(
            "The post this app grew from (its Figure 1) fits a line $Y = wX + b$ to "
            "$X = 100 \\cdot \\mathrm{rand}(1, m)$, $Y = 3X + 7 + \\text{noise}$ "
            "($m = 100$) by gradient descent on the squared error, with and without "
            "standardizing $X$."))
    chosen = linear_settings()
    if chosen is None:
        return
    own_rates, alpha, iterations, seed = chosen
    demo, panels = comparisons.landscape(float(alpha), int(iterations), int(seed), own_rates)
    presenter.chart(comparisons.landscape_chart(float(alpha), int(iterations), int(seed),
                                                own_rates, language()), key="landscape_chart")
    lesson(lessons.landscape(panels, own_rates), "why_landscape")
    for name, panel in panels.items():
        diagnoses.show(panel["findings"], t("raw x") if name == "raw" else t("standardized x"))
    log_y = st.toggle(t("Log scale"), key="lin_log", value=True)
    presenter.chart(comparisons.linear_chart(float(alpha), int(iterations), int(seed), own_rates,
                                             log_y, language()), key="linear_chart")


result = None
if dataset is not None:
    if not presenter.presenting():
        race_section(key, dataset)
    result = compare_section(key)
    if presenter.presenting():
        # A projector's first screen: Compare, then its three curves (the button the teacher
        # presses and what it shows); the race, which needs no button, right after.
        if result is not None:
            scalings_chart(result)
        race_section(key, dataset)
if result is not None:
    equivalence_section(result, dataset)
    scalings_section(result, dataset, chart=not presenter.presenting())
    export_section.normalization(result, key, dataset)
    zscore_section(result)
two_scales_section()
landscape_section()
if dataset is not None:
    st.divider()
    rates_section(key)
