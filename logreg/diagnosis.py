"""What a training run says about its settings, computed from the run, in plain sentences.

Four findings, each from numbers of the run itself:

* **overshoot** — the cost rose above its starting value early on (the learning rate is
  too large for this scaling), or blew up (far too large);
* **no progress** — the cost hardly fell (too small a learning rate, or too few iterations);
* **overfitting** — much better on the training pictures than on the test pictures;
* **saturation** — many probabilities are 0 or 1 to six decimals: the model is certain.

The "try ≤ X" of an overshoot comes from :func:`largest_safe_rate`: below it the cost falls
at every iteration, whatever the data (the descent lemma of an L-smooth cost).
"""
from dataclasses import dataclass

import numpy as np

from .core import cost_from_logits
from .words import Message, N_, Nn_

EARLY = 100               # "the first 100 iterations"
BLOW_UP = 10.0            # a cost above 10 × its start is not a bounce but an explosion
NO_PROGRESS = 0.05        # fell by less than 5 % of its start: hardly moved
STILL_FALLING = 0.5       # last tenth of the run fell half as much as the first
OVERFIT_POINTS = 15.0     # train accuracy this many points above test accuracy
SATURATED = 1e-6          # a probability this close to 0 or 1 counts as certain
SATURATED_SHARE = 0.5     # report saturation when at least half the pictures are certain
# The logistic cost's curvature is (1/m) X A(1 - A) X^T with A(1 - A) <= 1/4.
LOGISTIC_CURVATURE = 0.25
POWER_ITERATIONS = 100


@dataclass(frozen=True)
class Finding:
    """One diagnosis: ``kind`` (overshoot, no progress, overfitting, saturation),
    ``severity`` ("error", "warning" or "info") and a plain-language ``message`` (a
    :class:`~logreg.words.Message`: English, and translatable by a page)."""

    kind: str
    severity: str
    message: str


def top_curvature(X, seed=0, gram=None):
    """Largest eigenvalue of (1/m) X~ X~^T, where X~ is X (n, m) with a row of ones added
    for the bias: how steep the steepest direction of a squared-error bowl on X is.

    Power iteration on X~^T X~ (m x m, never formed: X~^T X~ v = X^T X v + 1 1^T v): a few
    hundred matrix-vector products, cheap for any n and m. Pixel data has one dominant direction (the average picture), so it
    converges in a few steps; the estimate approaches the true value from below. With
    ``gram`` = X^T X already computed, each product costs m^2 instead of 2 n m.
    """
    X = np.asarray(X, dtype=float)
    m = X.shape[1]
    v = np.random.RandomState(seed).rand(m) + 0.5
    value = 0.0
    for _ in range(POWER_ITERATIONS):
        Kv = gram @ v if gram is not None else X.T @ (X @ v)
        u = Kv + v.sum()                     # (X^T X + 1 1^T) v
        new_value = float(np.linalg.norm(u) / np.linalg.norm(v))
        v = u / np.linalg.norm(u)
        if abs(new_value - value) <= 1e-9 * new_value:
            value = new_value
            break
        value = new_value
    return value / m


def largest_safe_rate(X, curvature=LOGISTIC_CURVATURE, gram=None):
    """The learning rate below which gradient descent's cost falls at every iteration.

    2 / L, with L the largest curvature the cost can have: ``curvature`` (1/4 for the
    logistic cost, whose sigmoid slope A(1 - A) is at most 1/4; 1 for a squared error)
    times :func:`top_curvature`. For a squared error this is exact: any larger rate diverges.
    """
    return 2.0 / (curvature * top_curvature(X, gram=gram))


def overshoot(costs, learning_rate, safe_rate):
    """The overshoot finding, or None when the cost never rose above its start early on."""
    costs = np.asarray(costs, dtype=float)
    if costs.size < 2:
        return None
    start = costs[0]
    early = costs[1:EARLY + 1]
    with np.errstate(invalid="ignore"):
        above = int(np.sum(~(early <= start)))     # NaN and inf count as above
    if above == 0:
        return None
    window = min(EARLY, costs.size - 1)
    finite = costs[np.isfinite(costs)]
    exploded = finite.size < costs.size or finite.max() > BLOW_UP * start
    settled = np.isfinite(costs[-1]) and costs[-1] < start
    advice = (Message(N_("any learning rate up to {safe_rate:.2g} makes the cost fall at every "
                         "step for this scaling"), safe_rate=safe_rate)
              if safe_rate else Message(N_("try a smaller learning rate")))
    # "in 3 of the first 100 iterations"; a two-iteration run has only "the first iteration".
    early = Message(Nn_("in the first iteration", "in {above} of the first {count} iterations"),
                    count=window, above=above)
    numbers = dict(learning_rate=learning_rate, start=start, early=early, advice=advice)
    if exploded:
        peak = (Message(N_("infinity")) if finite.size < costs.size
                else f"{finite.max():,.4g}")
        return Finding("overshoot", "error", Message(N_(
            "The learning rate {learning_rate:g} is far too large for this scaling: the cost "
            "rose above its starting value {start:.4g} {early} and reached {peak}. Each step "
            "jumps past the bottom of the valley; {advice}."), peak=peak, **numbers))
    if settled:
        return Finding("overshoot", "info", Message(N_(
            "The cost rose above its starting value {start:.4g} {early} before it settled: "
            "the learning rate {learning_rate:g} is a little too large for this scaling at "
            "first; {advice}."), **numbers))
    return Finding("overshoot", "warning", Message(N_(
        "The cost rose above its starting value {start:.4g} {early} and never got below it: "
        "the learning rate {learning_rate:g} is a little too large for this scaling at first; "
        "{advice}."), **numbers))


def no_progress(costs, learning_rate, safe_rate):
    """The no-progress finding, or None when the cost fell well and then levelled off.

    Too small a step shows two ways: the cost hardly falls at all, or it is still falling
    in the last tenth of the run about as fast as in the first (it never reached the part
    where progress slows down near the bottom).
    """
    costs = np.asarray(costs, dtype=float)
    if costs.size < 20 or not np.all(np.isfinite(costs)):
        return None
    start, end = costs[0], costs[-1]
    if start <= 0 or np.any(costs[1:EARLY + 1] > start):
        return None
    tenth = costs.size // 10
    first, last = start - costs[tenth], costs[-tenth - 1] - end
    if start - end >= NO_PROGRESS * start and last < STILL_FALLING * first:
        return None
    room = (Message(N_(" It could be up to {factor:,.0f} times larger and the cost would still "
                       "fall at every step."), factor=safe_rate / learning_rate)
            if safe_rate and safe_rate > 2 * learning_rate else "")
    return Finding("no progress", "warning", Message(N_(
        "The cost went from {start:.4g} to {end:.4g} ({fell:.0%} lower) in {iterations:,} "
        "iterations, and in the last tenth it fell {last:.3g}, {share:.0%} of what it fell in "
        "the first: it is far from the bottom. The learning rate {learning_rate:g} is too "
        "small for this scaling (or there are too few iterations).{room}"),
        start=start, end=end, fell=(start - end) / start, iterations=costs.size, last=last,
        share=last / first, learning_rate=learning_rate, room=room))


def overfitting(train_accuracy, test_accuracy, m_test):
    """The overfitting finding, or None when train and test accuracy are close."""
    gap = train_accuracy - test_accuracy
    if gap <= OVERFIT_POINTS:
        return None
    wrong = round((100 - test_accuracy) / 100 * m_test)
    return Finding("overfitting", "info", Message(N_(
        "Right on {train_accuracy:.0f} % of the training pictures but on only "
        "{test_accuracy:.0f} % of the test pictures ({wrong} of {m_test} wrong): the model has "
        "learned the training set by heart more than what makes the classes differ "
        "(overfitting)."), train_accuracy=train_accuracy, test_accuracy=test_accuracy,
        wrong=wrong, m_test=m_test))


def saturated_share(p):
    """Share of probabilities within :data:`SATURATED` of 0 or 1."""
    p = np.asarray(p, dtype=float).ravel()
    return float(np.mean(np.minimum(p, 1 - p) < SATURATED)) if p.size else 0.0


def saturation(p_train, p_test, Y_test):
    """The saturation finding, or None when most training probabilities are not certain."""
    share = saturated_share(p_train)
    if share < SATURATED_SHARE:
        return None
    p_test = np.asarray(p_test, dtype=float).ravel()
    labels = np.asarray(Y_test).ravel()
    certain_and_wrong = int(np.sum((np.minimum(p_test, 1 - p_test) < SATURATED)
                                   & ((p_test > 0.5) != (labels == 1))))
    pictures = Message(Nn_("{count} picture", "{count} pictures"), count=labels.size)
    on_test = (Message(Nn_("On the test set it is certain and wrong on {count} of its "
                           "{pictures}, which costs a lot in the test cost.",
                           "On the test set it is certain and wrong on {count} of its "
                           "{pictures} — each of those costs a lot in the test cost."),
                       count=certain_and_wrong, pictures=pictures) if certain_and_wrong else
               Message(N_("On the test set it is not yet certain and wrong on any picture.")))
    return Finding("saturation", "warning", Message(N_(
        "{share:.0%} of the training pictures get a probability of exactly 0 or 1 (to six "
        "decimals): the model is certain about everything it has seen. {on_test}"),
        share=share, on_test=on_test))


def diagnose(costs, learning_rate, safe_rate=None, train_accuracy=None, test_accuracy=None,
             p_train=None, p_test=None, Y_test=None):
    """Every finding that applies to a run, most serious first.

    Parameters
    ----------
    costs : sequence of float, the cost before every update
    learning_rate : float
    safe_rate : float, optional
        :func:`largest_safe_rate` of the training matrix, for the advice.
    train_accuracy, test_accuracy : float, optional, in %
    p_train, p_test : ndarray, optional, probabilities of class 1
    Y_test : ndarray, optional, the test labels (with ``p_test``)

    Returns
    -------
    list of :class:`Finding`
    """
    findings = [overshoot(costs, learning_rate, safe_rate),
                no_progress(costs, learning_rate, safe_rate)]
    if train_accuracy is not None and test_accuracy is not None and Y_test is not None:
        findings.append(overfitting(train_accuracy, test_accuracy, np.asarray(Y_test).size))
    if p_train is not None and p_test is not None and Y_test is not None:
        findings.append(saturation(p_train, p_test, Y_test))
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted((f for f in findings if f is not None), key=lambda f: order[f.severity])


@dataclass(frozen=True)
class Generalization:
    """How a trained model does on pictures it has not seen, beyond accuracy.

    ``test_cost`` is the cross-entropy on the test set (low when the model is confident and
    right, very high when it is confident and wrong); ``weight_size`` is the length of w
    measured as if the pixels were divided by 255, so runs on any scaling compare;
    ``saturated_train`` / ``saturated_test`` are the shares of certain probabilities.
    """

    test_cost: float
    weight_size: float
    saturated_train: float
    saturated_test: float


def weights_on_unit_pixels(w, scaler):
    """The weights the same classifier has on pixels / 255 (shape of w).

    A weight on a raw pixel acts on 255 times larger inputs, so it counts 255 times more;
    a z-scored pixel is (x - mean) / std, so its weight counts 255 / std times more.
    """
    w = np.asarray(w, dtype=float)
    if scaler.mode == "raw":
        return w * 255.0
    if scaler.mode == "zscore":
        return w * 255.0 / scaler.std
    return w


def generalization(w, b, scaler, X_test_raw, Y_test, p_train, p_test):
    """A :class:`Generalization` of parameters w (n, 1), b on raw test columns (n, m_test)."""
    Z_test = np.dot(np.asarray(w, dtype=float).T, scaler.transform(X_test_raw)) + b
    return Generalization(
        test_cost=cost_from_logits(Z_test, np.asarray(Y_test, dtype=float).reshape(1, -1)),
        weight_size=float(np.linalg.norm(weights_on_unit_pixels(w, scaler))),
        saturated_train=saturated_share(p_train), saturated_test=saturated_share(p_test))
