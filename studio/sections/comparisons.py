"""Training the same model several ways for the Normalization page, within a CPU budget.

Results are small (costs, scores, sentences) and kept in the session, so leaving the page
and coming back shows them again without retraining. Every long loop goes through
:func:`studio.session.bounded.advance_together`: it ends when the visitor leaves or the button
press has used its CPU time, and the result says so.
"""
import numpy as np
import streamlit as st

from logreg import diagnosis, linear_demo, workload
from logreg import race as race_
from logreg import two_scales as two_scales_
from logreg.pipeline import to_model
from logreg.preprocessing import flatten
from logreg.rescaling import SplitRateTrainer, equivalent_raw_rate, max_difference

from ..display import figures
from ..session import bounded, datasets, state
from ..session.i18n import t

COURSE_RATES = (0.01, 0.001, 0.0001)
COURSE_RATE_ITERATIONS = 1500
EXAMPLES = 4                  # training pictures shown before and after z-scoring


def report(dataset_key, scaling, trainer):
    """Costs, accuracies, generalization and the diagnoses of one trained run."""
    dataset = datasets.get(dataset_key)
    prepared = datasets.prepared(dataset_key, scaling)
    model = to_model(trainer, prepared, dataset)
    evaluation = model.evaluate(dataset)
    safe_rate = prepared.safe_rate
    return {
        "costs": np.asarray(trainer.costs), "final_cost": trainer.current_cost(),
        "learning_rate": trainer.learning_rate, "safe_rate": safe_rate,
        "train_accuracy": evaluation.train_accuracy,
        "test_accuracy": evaluation.test_accuracy,
        "generalization": diagnosis.generalization(
            model.w, model.b, model.scaler, flatten(dataset.test_set_x_orig),
            dataset.test_set_y, evaluation.p_train, evaluation.p_test),
        "findings": diagnosis.diagnose(
            trainer.costs, trainer.learning_rate, safe_rate, evaluation.train_accuracy,
            evaluation.test_accuracy, evaluation.p_train, evaluation.p_test,
            dataset.test_set_y),
    }


def race(dataset_key, iterations, modes):
    """Each scaling at its own largest safe learning rate (logreg.race), trained when the
    page opens and kept in the session for this dataset and iteration count: under half a
    second on the cat data, a CPU budget like every button's. Returns the result, with the
    runners (``runners``) and how the budget ended (``outcome``).

    The same for every session on a dataset on disk, so trained once for all of them
    (:func:`_shared_race`): a class opening the page together trained it thirty times.
    """
    key = (dataset_key, int(iterations), tuple(modes))
    kept = st.session_state.get(state.RACE)
    if kept is not None and kept["key"] == key:
        return kept
    found = datasets.identity(dataset_key)
    if found is None:
        kept = _race(*key)
    else:
        try:
            kept = _shared_race(found, *key)
        except _Cut as cut:
            kept = cut.result
    st.session_state[state.RACE] = kept
    return kept


class _Cut(Exception):
    """A race its budget cut: shown to the session that ran it, never cached for others."""

    def __init__(self, result):
        super().__init__("cut")
        self.result = result


@st.cache_resource(max_entries=8, show_spinner=False)
def _shared_race(found, dataset_key, iterations, modes):
    """:func:`_race` for the dataset on disk ``found`` names (datasets.identity), once for
    every session; read-only (its runners are frozen, its costs only read)."""
    kept = _race(dataset_key, iterations, modes)
    if kept["outcome"].cut:
        raise _Cut(kept)
    for runner in kept["runners"]:
        runner.costs.setflags(write=False)
    return kept


def _race(dataset_key, iterations, modes):
    budget = bounded.Budget()
    prepared = {mode: datasets.prepared(dataset_key, mode) for mode in modes}
    trainers = {mode: p.trainer(p.safe_rate) for mode, p in prepared.items()}
    outcome = bounded.advance_together(list(trainers.values()), iterations, budget=budget)
    dataset = datasets.get(dataset_key)
    runners = []
    for mode, trainer in trainers.items():
        model = to_model(trainer, prepared[mode], dataset)
        scores = model.evaluate(dataset)
        runners.append(race_.Runner(mode, trainer.learning_rate, np.asarray(trainer.costs),
                                    scores.train_accuracy, scores.test_accuracy))
    return {"key": (dataset_key, iterations, modes), "runners": runners,
            "outcome": outcome, "m_test": dataset.m_test}


def compare_scalings(dataset_key, iterations, learning_rate, modes, on_progress=None):
    """Train once per scaling mode with the same settings, plus the equivalence experiment.

    The equivalence runs are raw pixels at ``learning_rate / 255²`` (the steps the /255
    model takes, except on the bias) and the same with the bias at ``learning_rate`` (the
    same run exactly). All runs advance together, so a run cut by the budget cuts them all
    at one iteration. Stores and returns the result.
    """
    budget = bounded.Budget()   # from here: building five Gram matrices is work too
    trainers = {mode: datasets.prepared(dataset_key, mode).trainer(learning_rate)
                for mode in modes}
    raw = datasets.prepared(dataset_key, "raw")
    small = equivalent_raw_rate(learning_rate)
    equivalent = {"raw_small": raw.trainer(small),
                  "raw_matched": SplitRateTrainer(raw.X_train, raw.Y_train, small,
                                                  learning_rate, gram=raw.gram)}
    outcome = bounded.advance_together([*trainers.values(), *equivalent.values()],
                                       int(iterations), budget=budget, on_chunk=on_progress)
    runs = {mode: report(dataset_key, mode, trainer) for mode, trainer in trainers.items()}
    result = {"dataset_key": dataset_key, "iterations": int(iterations),
              "learning_rate": float(learning_rate), "runs": runs, "outcome": outcome}
    if "divide255" in runs:
        scaled = runs["divide255"]["costs"]
        result["equivalence"] = {
            "raw_rate": small,
            **{name: np.asarray(t.costs) for name, t in equivalent.items()},
            "gap_small": max_difference(scaled, equivalent["raw_small"].costs),
            "gap_matched": max_difference(scaled, equivalent["raw_matched"].costs)}
    if "zscore" in runs:
        result["zscore"] = zscore_pictures(dataset_key)
    st.session_state[state.SCALING_RESULTS] = result
    return result


def zscore_pictures(dataset_key, count=EXAMPLES):
    """What z-scoring does, as pictures and numbers of this dataset.

    Returns the per-pixel mean and standard deviation as (num_px, num_px, channels) arrays,
    ``count`` training pictures and their z-scored versions, the smallest standard
    deviation and the largest |z| a test pixel reaches.
    """
    dataset = datasets.get(dataset_key)
    scaler = datasets.prepared(dataset_key, "zscore").scaler
    shape = dataset.train_set_x_orig.shape[1:]
    z_test = scaler.transform(flatten(dataset.test_set_x_orig))
    # A copy: a view would keep the whole pixel array alive in the session's results.
    examples = dataset.train_set_x_orig[:count].copy()
    return {"mean": scaler.mean.reshape(shape), "std": scaler.std.reshape(shape),
            "examples": examples,
            "zscored": [scaler.transform(flatten(x[None])).reshape(shape) for x in examples],
            "smallest_std": float(scaler.std.min()), "largest_std": float(scaler.std.max()),
            "largest_test_z": float(np.max(np.abs(z_test)))}


def compare_rates(dataset_key, scaling, rates=COURSE_RATES, iterations=COURSE_RATE_ITERATIONS,
                  on_progress=None):
    """The course's learning-rate experiment: same scaling, several learning rates."""
    budget = bounded.Budget()   # from here: building the Gram matrices is work too
    prepared = datasets.prepared(dataset_key, scaling)
    trainers = {rate: prepared.trainer(rate) for rate in rates}
    outcome = bounded.advance_together(list(trainers.values()), int(iterations),
                                       budget=budget, on_chunk=on_progress)
    result = {"dataset_key": dataset_key, "scaling": scaling, "iterations": int(iterations),
              "runs": {rate: report(dataset_key, scaling, trainer)
                       for rate, trainer in trainers.items()},
              "outcome": outcome}
    st.session_state[state.RATE_RESULTS] = result
    return result


@st.cache_resource(max_entries=32, show_spinner=False)
def landscape(alpha, iterations, seed, own_rates):
    """Both runs of the seed's Figure 1 and their cost landscapes (cached: every widget on
    the page reruns the script; a 100,000-step run, every iterate at once, is a tenth of a
    second).

    ``own_rates`` runs each scaling at :func:`logreg.linear_demo.own_alpha` of its X
    instead of ``alpha``.
    """
    X, _ = linear_demo.make_data(int(seed))
    rates = ((linear_demo.own_alpha(X), linear_demo.own_alpha(linear_demo.standardize(X)))
             if own_rates else (alpha, alpha))
    demo = linear_demo.run(rates[0], iterations, seed, standardized_alpha=rates[1])
    panels = {}
    for name, inputs, run in (("raw", demo.X, demo.raw),
                              ("standardized", demo.X_standardized, demo.standardized)):
        (w_low, w_high), (b_low, b_high) = linear_demo.window(inputs, demo.Y, run)
        grid = workload.LANDSCAPE_GRID
        ws, bs = np.linspace(w_low, w_high, grid), np.linspace(b_low, b_high, grid)
        low, high = linear_demo.curvatures(inputs)
        w_star, b_star = linear_demo.minimum(inputs, demo.Y)
        panels[name] = {
            "run": run, "ws": ws, "bs": bs, "J": linear_demo.cost_grid(inputs, demo.Y, ws, bs),
            "minimum": (w_star, b_star), "curvatures": (low, high),
            "bottom_cost": float(linear_demo.cost_grid(inputs, demo.Y, [w_star], [b_star])[0, 0]),
            "stable_alpha": linear_demo.largest_stable_alpha(inputs),
            "own_alpha": linear_demo.own_alpha(inputs),
            "findings": diagnosis.diagnose(run.costs, run.alpha,
                                           linear_demo.largest_stable_alpha(inputs))}
    return demo, panels


@st.cache_resource(max_entries=32, show_spinner=False)
def landscape_chart(alpha, iterations, seed, own_rates, lang):
    """The landscape figure of :func:`landscape` (cached too: its animation frames would be
    built on every rerun of the page otherwise), with its words in
    ``lang``, the session's language (so one cached chart per language).

    Shared by every session as it is: st.cache_data would unpickle a copy on every rerun,
    and st.plotly_chart deep-copy it again (1.1 s of CPU per visit of the page, with
    :func:`landscape`'s copy); a FrozenFigure makes its dict once.
    """
    _, panels = landscape(alpha, iterations, seed, own_rates)
    titles = {name: (t("raw x · alpha {alpha:.2g}", alpha=panel["run"].alpha) if name == "raw"
                     else t("standardized x · alpha {alpha:.2g}", alpha=panel["run"].alpha))
              for name, panel in panels.items()}
    return figures.base.FrozenFigure(
        figures.normalization.landscape_figure(
            panels, figures.normalization.frame_iterations(iterations), titles))


@st.cache_resource(max_entries=32, show_spinner=False)
def linear_chart(alpha, iterations, seed, own_rates, log_y, lang):
    """The seed's Figure 1 for :func:`landscape`'s runs in ``lang``, built once (0.3 s)
    for every session instead of on every rerun of the page."""
    demo, _ = landscape(alpha, iterations, seed, own_rates)
    return figures.base.FrozenFigure(figures.normalization.linear_demo_figure(demo, log_y=log_y))


@st.cache_resource(show_spinner=False)
def two_scales():
    """logreg.two_scales' runs: the same for everyone (fixed points and seed), 25 ms once."""
    return two_scales_.run()


@st.cache_resource(max_entries=4, show_spinner=False)
def two_scales_chart(lang):
    """Its figure in ``lang``, built once per language for every session (see
    :func:`landscape_chart`)."""
    experiment = two_scales()
    titles = {"raw": t("raw features · step {rate:.1e}", rate=experiment.raw.learning_rate),
              "standardized": t("standardized · step {rate:.2g}",
                                rate=experiment.standardized.learning_rate)}
    return figures.base.FrozenFigure(figures.normalization.two_scales_figure(
        experiment, figures.normalization.frame_iterations(two_scales_.ITERATIONS),
        two_scales_.boundary, titles))
