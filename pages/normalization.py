"""Normalization: why scale the inputs, and how gradient descent moves — live experiments."""
import streamlit as st

from logreg import course, linear_demo
from logreg.preprocessing import SCALING_MODES
from studio import (comparisons, datasets, diagnoses, figures, lessons, settings, shell,
                    state)

SETTINGS_KEYS = {"iterations": "norm_iterations", "learning_rate": "norm_lr"}
LINEAR_DEFAULTS = {"lin_rates": "each at its own best step", "lin_alpha": 1e-4,
                   "lin_iterations": 1000, "lin_seed": 42}
RATE_CHOICES = ["each at its own best step", "one alpha for both"]

shell.page_setup()
st.title("Normalization")
st.caption("Why scale the inputs before gradient descent, and how it moves: the same model "
           "trained on raw, divided and standardized inputs, with the numbers of each run.")

key, dataset = datasets.active_dataset()


def compare_section(key):
    """The settings and the Compare button; returns this dataset's result or None."""
    for problem in settings.init_widgets(SETTINGS_KEYS, names=("iterations", "lr")):
        st.warning(problem, icon=":material/link:")
    c1, c2, c3 = st.columns([1, 1, 2], vertical_alignment="bottom")
    c1.number_input("Iterations", key="norm_iterations", step=100, persist_state="session")
    c2.number_input("Learning rate", key="norm_lr", step=0.001, format="%g",
                    persist_state="session")
    iterations, rate = st.session_state["norm_iterations"], st.session_state["norm_lr"]
    try:
        course.check_hyperparameters(iterations, rate)
        error = None
    except ValueError as exc:
        error = str(exc)
        st.error(f"Cannot compare with these settings: {error}.", icon=":material/error:")
    else:
        settings.remember({"iterations": iterations, "learning_rate": rate},
                          names=("iterations", "lr"))
    if c3.button("Compare", type="primary", disabled=error is not None,
                 help="Train raw, /255 and z-scored pixels, plus raw pixels at the learning "
                      "rate that matches /255."):
        with st.status("Training five models…", expanded=False) as status:
            comparisons.compare_scalings(
                key, int(iterations), float(rate), SCALING_MODES,
                on_progress=lambda i: status.update(
                    label=f"Training five models… iteration {i:,} / {int(iterations):,}"))
            status.update(label="Done", state="complete")
    result = st.session_state.get(state.SCALING_RESULTS)
    if not result or result["dataset_key"] != key:
        st.info("Press **Compare** to run the experiments below on this dataset (a few "
                "seconds).", icon=":material/touch_app:")
        return None
    if result["outcome"].cut:
        st.warning(result["outcome"].sentence(), icon=":material/timer_off:")
    return result


def equivalence_section(result, dataset):
    st.header("1 · Dividing by 255 is a smaller step")
    eq, runs = result["equivalence"], result["runs"]
    st.plotly_chart(figures.equivalence_figure(
        runs["divide255"]["costs"], eq["raw_small"], eq["raw_matched"], runs["raw"]["costs"],
        result["learning_rate"], eq["raw_rate"]), key="norm_equivalence")
    st.markdown(lessons.equivalence(result, dataset.num_px ** 2 * dataset.channels))
    with st.expander("The same thing in symbols"):
        st.markdown(r"""
A model on raw pixels $x$ with weights $w$ computes $z = w^T x + b$. Write $w' = 255\,w$:
then $z = w'^T (x / 255) + b$, the model on pixels / 255 with weights $w'$.
One gradient step on raw pixels is $w := w - \alpha \frac{1}{m} X (A - Y)^T$; in terms of
$w'$ it is $w' := w' - 255^2 \alpha \cdot \frac{1}{m} (X/255) (A - Y)^T$, the /255 step with
learning rate $255^2 \alpha$. So raw pixels at $\alpha / 255^2$ take the /255 model's steps at
$\alpha$ on the weights. The bias's update $b := b - \alpha \frac{1}{m} \sum (A - Y)$ has
input 1 in both models and keeps its own $\alpha$.""")


def scalings_section(result, dataset):
    st.header("2 · Which run generalizes better?")
    c1, c2 = st.columns([1, 3])
    log_y = c1.toggle("Log scale", key="norm_log",
                      help="The raw run's cost spans many orders of magnitude.")
    view = c2.segmented_control("View", ["side by side", "overlay"], default="side by side",
                                key="norm_view", required=True)
    runs = {mode: run["costs"] for mode, run in result["runs"].items()}
    st.plotly_chart(figures.scaling_comparison(runs, log_y=log_y, overlay=view == "overlay"),
                    key="norm_chart")
    st.caption(f"{len(next(iter(runs.values()))):,} iterations at learning rate "
               f"{result['learning_rate']:g} for each run.")
    st.dataframe(lessons.generalization_rows(result["runs"]), hide_index=True)
    st.markdown(lessons.verdict(result["runs"], dataset.m_test))
    for mode, run in result["runs"].items():
        diagnoses.show(run["findings"], figures.MODE_TITLES[mode])
        st.caption(f"{figures.MODE_TITLES[mode]} · `train accuracy: {run['train_accuracy']} %`"
                   f" · `test accuracy: {run['test_accuracy']} %`")


def zscore_section(result):
    st.header("3 · Z-score: every pixel on its own scale")
    pictures = result["zscore"]
    images = [figures.mean_picture(pictures["mean"]), figures.spread_picture(pictures["std"])]
    captions = ["average pixel", "how much it varies"]
    for image, zscored in zip(pictures["examples"], pictures["zscored"]):
        images += [figures.upscaled(image, 128), figures.zscore_picture(zscored)]
        captions += ["picture", "z-scored"]
    st.image(images, caption=captions, width=112)   # a row that wraps on a phone
    st.plotly_chart(figures.scaling_comparison(
        {mode: result["runs"][mode]["costs"] for mode in ("divide255", "zscore")},
        overlay=True), key="norm_zscore_chart")
    st.markdown(lessons.zscore(pictures, result["runs"]))


def rates_section(key):
    st.header("The course's learning rates")
    st.markdown("The course's experiment: the same model with learning rates 0.01, 0.001 and "
                "0.0001, 1500 iterations each, curves on one plot.")
    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    scaling = c1.selectbox("Scaling for this experiment", SCALING_MODES, index=1,
                           key="lr_scaling")
    if c2.button("Compare learning rates", key="lr_compare"):
        with st.spinner("Training three models…"):
            comparisons.compare_rates(key, scaling)
    result = st.session_state.get(state.RATE_RESULTS)
    if not result or result["dataset_key"] != key:
        st.info("Press **Compare learning rates** to run the course's experiment.",
                icon=":material/touch_app:")
        return
    if result["outcome"].cut:
        st.warning(result["outcome"].sentence(), icon=":material/timer_off:")
    log_y = st.toggle("Log scale", key="lr_log")
    runs = {rate: run["costs"] for rate, run in result["runs"].items()}
    st.plotly_chart(figures.learning_rate_comparison(runs, log_y=log_y), key="lr_chart")
    rows = [{"learning rate": f"{rate:g}", "final cost": round(run["final_cost"], 6),
             "train accuracy (%)": run["train_accuracy"],
             "test accuracy (%)": run["test_accuracy"],
             "test cost": round(run["generalization"].test_cost, 4)}
            for rate, run in result["runs"].items()]
    st.dataframe(rows, hide_index=True)
    for rate, run in result["runs"].items():
        diagnoses.show(run["findings"], f"learning rate {rate:g}")


def linear_settings():
    """The landscape's controls; returns (own_rates, alpha, iterations, seed) or None."""
    for widget, value in LINEAR_DEFAULTS.items():
        st.session_state.setdefault(widget, value)
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    choice = c1.segmented_control("Learning rates", RATE_CHOICES, key="lin_rates",
                                  required=True, persist_state="session")
    alpha = c2.number_input("alpha", key="lin_alpha", step=1e-4, format="%g",
                            persist_state="session",
                            disabled=choice != RATE_CHOICES[1],
                            help="Used when both runs share one alpha. The text below the "
                                 "chart says from which alpha raw x diverges.")
    iterations = c3.number_input("Iterations", key="lin_iterations", step=100,
                                 persist_state="session")
    seed = c4.number_input("Seed", key="lin_seed", step=1, persist_state="session")
    try:
        linear_demo.check_settings(alpha, iterations, seed)
    except ValueError as exc:
        st.error(f"Cannot run the demo: {exc}.", icon=":material/error:")
        return None
    return choice == RATE_CHOICES[0], alpha, iterations, seed


def landscape_section():
    st.header("4 · Where standardization really matters: inputs on different scales")
    st.markdown(r"""The post this app grew from fits a line $Y = wX + b$ to
$X = 100 \cdot \mathrm{rand}(1, m)$, $Y = 3X + 7 + \text{noise}$ ($m = 100$) by gradient
descent on the squared error, once with $X$ as it is and once standardized (mean 0,
standard deviation 1). Here $X$ (0 to 100) sits next to the bias's input 1: two inputs on
very different scales. Below, the cost of every (w, b) as a contour map — darker is lower —
with the path gradient descent takes. **▶ Play**, **Step ▶** or drag the slider: both panels
show the same iteration.""")
    chosen = linear_settings()
    if chosen is None:
        return
    own_rates, alpha, iterations, seed = chosen
    demo, panels = comparisons.landscape(float(alpha), int(iterations), int(seed), own_rates)
    st.plotly_chart(comparisons.landscape_chart(float(alpha), int(iterations), int(seed),
                                                own_rates), key="landscape_chart")
    st.markdown(lessons.landscape(panels, own_rates))
    for name, panel in panels.items():
        diagnoses.show(panel["findings"], "raw x" if name == "raw" else "standardized x")
    log_y = st.toggle("Log scale", key="lin_log", value=True)
    st.plotly_chart(figures.linear_demo_figure(demo, log_y=log_y), key="linear_chart")


result = None
if dataset is not None:
    result = compare_section(key)
if result is not None:
    equivalence_section(result, dataset)
    scalings_section(result, dataset)
    zscore_section(result)
landscape_section()
if dataset is not None:
    st.divider()
    rates_section(key)
