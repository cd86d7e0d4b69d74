"""The Normalization page's sentences, computed from the runs on screen (no Streamlit here).

Every number in a sentence comes from the result it describes, so the text cannot say
"explodes" when the cost only wobbled, or "12,288 weights" on 25 × 25 grey faces.
"""
import math

from logreg.rescaling import PIXEL_SCALE

from .figures import MODE_TITLES

CHANCE_PICTURES = 2   # test accuracies this few pictures apart are not a difference


def _short(value):
    return f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 else f"{value:.3g}"


def _cost(value):
    """A squared-error cost as people read it: 12,144.43, or "infinity" once diverged."""
    return f"{value:,.2f}" if math.isfinite(value) else "infinity"


def equivalence(result, n_features):
    """What the equivalence chart shows, in plain words with the run's own numbers."""
    eq, rate = result["equivalence"], result["learning_rate"]
    raw = result["runs"]["raw"]
    factor = PIXEL_SCALE ** 2
    peak = max(float(c) for c in raw["costs"])
    return (
        f"**Dividing every pixel by 255 is a smaller learning rate in disguise.** The left "
        f"chart trains the same model three ways for {len(eq['raw_small']):,} iterations: on "
        f"pixels / 255 with learning rate {rate:g}, and on raw pixels with learning rate "
        f"{rate:g} / {factor:,.0f} = {eq['raw_rate']:.3g}. The two cost curves differ by at "
        f"most **{eq['gap_small']:.1g}**. The small difference is the bias b: its input is a "
        f"constant 1 that nobody divides, so it moves {factor:,.0f} times slower in the "
        f"second run. Give the bias back its own step {rate:g} (dotted curve) and the gap "
        f"shrinks to **{eq['gap_matched']:.1g}** — rounding error: it is the same run.\n\n"
        f"So at learning rate {rate:g} raw pixels move each of the {n_features:,} pixel "
        f"weights {factor:,.0f} times too far. The right chart: the cost jumps to "
        f"{_short(peak)} (it started at {_short(float(raw['costs'][0]))}) and ends at "
        f"{_short(raw['final_cost'])}. That the bias alone moved at a different pace is a "
        f"first glimpse of the real issue, inputs on *different* scales — see the cost "
        f"landscape further down.")


def generalization_rows(runs):
    """One table row per run: the scores next to what accuracy does not show."""
    rows = []
    for mode, run in runs.items():
        g = run["generalization"]
        rows.append({"scaling": MODE_TITLES.get(mode, mode),
                     "final training cost": _short(run["final_cost"]),
                     "train accuracy (%)": round(run["train_accuracy"], 2),
                     "test accuracy (%)": round(run["test_accuracy"], 2),
                     "test cost": _short(g.test_cost),
                     "size of the weights": _short(g.weight_size),
                     "certain probabilities (train)": f"{g.saturated_train:.0%}"})
    return rows


def verdict(runs, m_test):
    """Which run generalizes better and why, and how much the accuracies really differ."""
    by_cost = sorted(runs, key=lambda mode: runs[mode]["generalization"].test_cost)
    best, worst = by_cost[0], by_cost[-1]
    g_best, g_worst = runs[best]["generalization"], runs[worst]["generalization"]
    right = {mode: round(run["test_accuracy"] / 100 * m_test) for mode, run in runs.items()}
    spread = max(right.values()) - min(right.values())
    counts = ", ".join(f"{MODE_TITLES.get(mode, mode)} {n}" for mode, n in right.items())
    text = (f"**{MODE_TITLES.get(best, best).capitalize()} generalizes best**: it has the "
            f"lowest test cost, {_short(g_best.test_cost)}. The test cost is the same "
            f"cross-entropy as the training cost, on the {m_test} test pictures: it rewards "
            f"being sure and right and punishes being sure and wrong, where accuracy only "
            f"counts which side of 0.5 a picture lands on. {MODE_TITLES.get(worst, worst)} "
            f"has the highest, {_short(g_worst.test_cost)}, with "
            f"{g_worst.saturated_train:.0%} of its training probabilities exactly 0 or 1 and "
            f"weights {g_worst.weight_size / max(g_best.weight_size, 1e-300):,.0f} times "
            f"larger (measured as if every model saw pixels / 255): it is certain of "
            f"everything, and when it is wrong it is wrong with certainty.\n\n")
    if spread <= CHANCE_PICTURES:
        text += (f"Test pictures classified right: {counts} of {m_test}. A difference of "
                 f"{spread} picture{'s' if spread != 1 else ''} ({spread / m_test:.0%}) is "
                 f"chance — one more or one fewer odd photo in the test set would swap the "
                 f"order — not a reason to prefer a scaling.")
    else:
        text += (f"Test pictures classified right: {counts} of {m_test}, {spread} pictures "
                 f"apart. With only {m_test} test pictures, differences of one or two "
                 f"({1 / m_test:.0%}–{2 / m_test:.0%}) are chance.")
    return text


def zscore(pictures, runs):
    """What z-scoring did on this dataset, and when it helps."""
    small, large = pictures["smallest_std"], pictures["largest_std"]
    text = (f"**Z-score** subtracts each pixel's average over the training pictures (left) and "
            f"divides by how much that pixel varies (its standard deviation, middle: bright = "
            f"varies a lot). Every pixel then says *how unusual it is at its place*: 0 is "
            f"average, ±1 is typical, ±3 is rare. Here the standard deviations go from "
            f"{small:.3g} to {large:.3g} (on the 0–255 scale), so some pixels are stretched "
            f"{large / max(small, 1e-12):.1f} times more than others, and a test pixel "
            f"reaches |z| = {pictures['largest_test_z']:.1f}.")
    if small < 1:
        text += (" A pixel that barely varies in training gets blown up: any small "
                 "difference there becomes a huge input, and noise gets a loud voice.")
    if "divide255" in runs and "zscore" in runs:
        z, d = runs["zscore"], runs["divide255"]
        faster = z["costs"][len(z["costs"]) // 10] < d["costs"][len(d["costs"]) // 10]
        better = z["generalization"].test_cost < d["generalization"].test_cost
        text += (f"\n\nOn the cost chart the z-scored run falls "
                 f"{'faster' if faster else 'no faster'} than pixels / 255 (after a tenth of "
                 f"the iterations: {_short(float(z['costs'][len(z['costs']) // 10]))} against "
                 f"{_short(float(d['costs'][len(d['costs']) // 10]))}). Its test cost is "
                 f"{_short(z['generalization'].test_cost)} against "
                 f"{_short(d['generalization'].test_cost)}: on this dataset z-scoring "
                 f"{'generalizes better' if better else 'does not generalize better'}. "
                 f"Z-scoring pays off when pixels (features) have really different scales; "
                 f"photo pixels all share 0–255, so dividing by 255 already does most of it.")
    return text


def landscape(panels, own_rates):
    """The landscape's message with the numbers of the runs drawn, and whether the chosen
    settings undo the seed's point."""
    raw, std = panels["raw"], panels["standardized"]
    ratio = raw["curvatures"][1] / raw["curvatures"][0]
    raw_end, std_end = float(raw["run"].costs[-1]), float(std["run"].costs[-1])
    n = raw["run"].costs.size
    text = (f"**The raw cost surface is a narrow ravine**: x goes up to 100 while the bias's "
            f"input is 1, so the cost is {ratio:,.0f} times steeper across the ravine than "
            f"along its floor. The steep side caps the learning rate — above "
            f"{raw['stable_alpha']:.2g} every step overshoots further and the path flies "
            f"off — and at any rate below that the path crawls along the floor. "
            f"**Standardized x makes a round bowl**: equally steep everywhere, so a step "
            f"up to {std['stable_alpha']:.2g} is stable and the path heads straight to the "
            f"bottom.\n\n")
    if own_rates:
        text += (f"Each scaling runs at its own largest step that does not overshoot (half "
                 f"of its limit): {raw['run'].alpha:.2g} for raw x, {std['run'].alpha:.2g} "
                 f"for standardized x. ")
    else:
        text += f"Both run at alpha = {raw['run'].alpha:g}. "
    text += (f"After {n:,} iterations the raw run is at cost {_cost(raw_end)}, the "
             f"standardized run at {_cost(std_end)}; the bottom of both is "
             f"{_cost(std['bottom_cost'])}.")
    if not std_end < raw_end:
        text += (f"\n\n**These settings undo the seed's point**: one alpha of "
                 f"{raw['run'].alpha:g} for both is tuned for the ravine and far too small "
                 f"for the round bowl, so the standardized run barely moves. Standardizing "
                 f"does not make a given learning rate better; it makes a much larger one "
                 f"safe. Choose *each at its own best step* to see that.")
    return text
