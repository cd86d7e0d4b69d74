"""The Normalization page's sentences, computed from the runs on screen (no Streamlit here).

Every number in a sentence comes from the result it describes, so the text cannot say
"explodes" when the cost only wobbled, or "12,288 weights" on 25 × 25 grey faces.
"""
import math
import re

from logreg.rescaling import PIXEL_SCALE

from ..session import words
from ..display.figures.base import mode_title
from ..session.i18n import t, tn

CHANCE_PICTURES = 2   # test accuracies this few pictures apart are not a difference


def _short(value):
    return f"{value:.4f}" if 1e-3 <= abs(value) < 1e4 else f"{value:.3g}"


def _cost(value):
    """A squared-error cost as people read it: 12,144.43, or "infinity" once diverged."""
    return f"{value:,.2f}" if math.isfinite(value) else t("infinity")


def lead(text):
    """(the lesson's first sentence, the rest): the first sentence goes on the page, the
    numbers behind it in an expander. A sentence ends at a full stop before a space or a
    line break (not a decimal point), or at a bold span that ends with one."""
    bold = text.find("**", text.find("**") + 2) if text.startswith("**") else -1
    if bold > 0 and text[bold - 1] == ".":
        end = bold + 2
    else:
        found = re.search(r"\.(?=\s|$)", text[max(bold, 0):])
        end = max(bold, 0) + found.end() if found else len(text)
    return text[:end].strip(), text[end:].strip()


def equivalence(result, n_features):
    """What the equivalence chart shows, in plain words with the run's own numbers."""
    eq, rate = result["equivalence"], result["learning_rate"]
    raw = result["runs"]["raw"]
    factor = PIXEL_SCALE ** 2
    peak = max(float(c) for c in raw["costs"])
    return t(
        "**Dividing every pixel by 255 is a smaller learning rate in disguise.** The first "
        "chart trains the same model three ways for {iterations}: on pixels ÷ 255 "
        "with learning rate {rate:g}, and on raw pixels with learning rate {rate:g} / "
        "{factor:,.0f} = {raw_rate:.3g}. The two cost curves differ by at most "
        "**{gap_small:.1g}**. The small difference is the bias b: its input is a constant 1 "
        "that nobody divides, so it moves {factor:,.0f} times slower in the second run. Give "
        "the bias back its own step {rate:g} (dotted curve) and the gap shrinks to "
        "**{gap_matched:.1g}** — rounding error: it is the same run.\n\nSo at learning rate "
        "{rate:g} raw pixels move each of the {n_features:,} pixel weights {factor:,.0f} times "
        "too far. The second chart: the cost jumps to {peak} (it started at {start}) and ends "
        "at {end}. That the bias alone moved at a different pace is a first glimpse of the "
        "real issue, inputs on *different* scales — see the cost landscape further down.",
        iterations=words.iterations(len(eq["raw_small"])), rate=rate, factor=factor,
        raw_rate=eq["raw_rate"],
        gap_small=eq["gap_small"], gap_matched=eq["gap_matched"], n_features=n_features,
        peak=_short(peak), start=_short(float(raw["costs"][0])),
        end=_short(raw["final_cost"]))


def generalization_rows(runs):
    """One table row per run: the scores next to what accuracy does not show."""
    rows = []
    for mode, run in runs.items():
        g = run["generalization"]
        rows.append({t("scaling"): mode_title(mode),
                     t("final training cost"): _short(run["final_cost"]),
                     t("train accuracy (%)"): round(run["train_accuracy"], 2),
                     t("test accuracy (%)"): round(run["test_accuracy"], 2),
                     t("test cost"): _short(g.test_cost),
                     t("size of the weights"): _short(g.weight_size),
                     t("certain probabilities (train)"): f"{g.saturated_train:.0%}"})
    return rows


def verdict(runs, m_test):
    """Which run generalizes better and why, and how much the accuracies really differ."""
    by_cost = sorted(runs, key=lambda mode: runs[mode]["generalization"].test_cost)
    best, worst = by_cost[0], by_cost[-1]
    g_best, g_worst = runs[best]["generalization"], runs[worst]["generalization"]
    right = {mode: round(run["test_accuracy"] / 100 * m_test) for mode, run in runs.items()}
    spread = max(right.values()) - min(right.values())
    counts = ", ".join(t("{scaling} {count}", scaling=mode_title(mode), count=n)
                       for mode, n in right.items())
    best_title = mode_title(best)
    text = t(
        "**{best} generalizes best**: it has the lowest test cost, {best_cost}. The test cost "
        "is the same cross-entropy as the training cost, on the {images}: it "
        "rewards being sure and right and punishes being sure and wrong, where accuracy only "
        "counts which side of 0.5 a picture lands on. {worst} has the highest, {worst_cost}, "
        "with {saturated:.0%} of its training probabilities exactly 0 or 1 and weights "
        "{ratio:,.0f} times larger (measured as if every model saw pixels ÷ 255): it is "
        "certain of everything, and when it is wrong it is wrong with certainty.\n\n",
        best=best_title[:1].upper() + best_title[1:], best_cost=_short(g_best.test_cost),
        images=words.test_images(m_test), worst=mode_title(worst),
        worst_cost=_short(g_worst.test_cost),
        saturated=g_worst.saturated_train,
        ratio=g_worst.weight_size / max(g_best.weight_size, 1e-300))
    if spread == 0:
        text += t(
            "Test pictures classified right: {counts} of {m_test}. Every scaling gets the same "
            "number right, so accuracy cannot tell them apart.", counts=counts, m_test=m_test)
    elif spread <= CHANCE_PICTURES:
        text += tn(
            "Test pictures classified right: {counts} of {m_test}. A difference of {count} "
            "picture ({share:.0%}) is chance — one more or one fewer odd photo in the test "
            "set would swap the order — not a reason to prefer a scaling.",
            "Test pictures classified right: {counts} of {m_test}. A difference of {count} "
            "pictures ({share:.0%}) is chance — one more or one fewer odd photo in the test "
            "set would swap the order — not a reason to prefer a scaling.",
            count=spread, counts=counts, m_test=m_test, share=spread / m_test)
    else:
        text += t(
            "Test pictures classified right: {counts} of {m_test}, {spread} pictures apart. "
            "With only {m_test} test pictures, differences of one or two ({one:.0%}–{two:.0%}) "
            "are chance.", counts=counts, m_test=m_test, spread=spread, one=1 / m_test,
            two=2 / m_test)
    return text


def zscore(pictures, runs):
    """What z-scoring did on this dataset, and when it helps."""
    small, large = pictures["smallest_std"], pictures["largest_std"]
    text = t(
        "**Standardizing (z-score)** subtracts each pixel's average over the training "
        "pictures (*average pixel*) and divides by how much that pixel varies (its standard "
        "deviation, *how much it varies*: bright = varies a lot). Every pixel then says *how unusual it is at its "
        "place*: 0 is average, ±1 is typical, ±3 is rare. Here the standard deviations go "
        "from {small:.3g} to {large:.3g} (on the 0–255 scale), so some pixels are stretched "
        "{stretch:.1f} times more than others, and a test pixel reaches |z| = {largest:.1f}.",
        small=small, large=large, stretch=large / max(small, 1e-12),
        largest=pictures["largest_test_z"])
    if small < 1:
        text += t(" A pixel that barely varies in training gets blown up: any small "
                  "difference there becomes a huge input, and noise gets a loud voice.")
    if "divide255" in runs and "zscore" in runs:
        z, d = runs["zscore"], runs["divide255"]
        z_tenth = float(z["costs"][len(z["costs"]) // 10])
        d_tenth = float(d["costs"][len(d["costs"]) // 10])
        numbers = dict(z_tenth=_short(z_tenth), d_tenth=_short(d_tenth),
                       z_cost=_short(z["generalization"].test_cost),
                       d_cost=_short(d["generalization"].test_cost))
        text += "\n\n" + (
            t("On the cost chart the standardized run falls faster than pixels ÷ 255 (after a "
              "tenth of the iterations: {z_tenth} against {d_tenth}).", **numbers)
            if z_tenth < d_tenth else
            t("On the cost chart the standardized run falls no faster than pixels ÷ 255 "
              "(after a tenth of the iterations: {z_tenth} against {d_tenth}).", **numbers))
        text += " " + (
            t("Its test cost is {z_cost} against {d_cost}: on this dataset standardizing "
              "generalizes better.", **numbers)
            if z["generalization"].test_cost < d["generalization"].test_cost else
            t("Its test cost is {z_cost} against {d_cost}: on this dataset standardizing does "
              "not generalize better.", **numbers))
        text += " " + t("Standardizing pays off when pixels (features) have really different "
                        "scales; photo pixels all share 0–255, so dividing by 255 already does "
                        "most of it.")
    return text


def landscape(panels, own_rates):
    """The landscape's message with the numbers of the runs drawn, and whether the chosen
    settings undo the seed's point."""
    raw, std = panels["raw"], panels["standardized"]
    ratio = raw["curvatures"][1] / raw["curvatures"][0]
    raw_end, std_end = float(raw["run"].costs[-1]), float(std["run"].costs[-1])
    n = raw["run"].costs.size
    text = t(
        "**The raw cost surface is a narrow ravine**: x goes up to 100 while the bias's input "
        "is 1, so the cost is {ratio:,.0f} times steeper across the ravine than along its "
        "floor. The steep side caps the learning rate — above {raw_stable:.2g} every step "
        "overshoots further and the path flies off — and at any rate below that the path "
        "crawls along the floor. **Standardized x makes a round bowl**: equally steep "
        "everywhere, so a step up to {std_stable:.2g} is stable and the path heads straight "
        "to the bottom.\n\n", ratio=ratio, raw_stable=raw["stable_alpha"],
        std_stable=std["stable_alpha"])
    if own_rates:
        text += t("Each scaling runs at its own largest step that does not overshoot (half of "
                  "its limit): {raw_alpha:.2g} for raw x, {std_alpha:.2g} for standardized x. ",
                  raw_alpha=raw["run"].alpha, std_alpha=std["run"].alpha)
    else:
        text += t("Both run at alpha = {alpha:g}. ", alpha=raw["run"].alpha)
    text += t("After {iterations} the raw run is at cost {raw_end}, the standardized run at "
              "{std_end}; the bottom of both is {bottom}.",
              iterations=words.iterations(n), raw_end=_cost(raw_end), std_end=_cost(std_end),
              bottom=_cost(std["bottom_cost"]))
    if not std_end < raw_end:
        text += t("\n\n**These settings undo the point of the example**: one alpha of {alpha:g} "
                  "for both is tuned for the ravine and far too small for the round bowl, so "
                  "the standardized run barely moves. Standardizing does not make a given "
                  "learning rate better; it makes a much larger one safe. Choose *each at its "
                  "own best step* to see that.", alpha=raw["run"].alpha)
    return text
