"""The run diagnoses: each finding from the numbers of a run, and the safe learning rate."""
import numpy as np
import pytest

from logreg import diagnosis
from logreg.preprocessing import Scaler


def test_top_curvature_is_the_largest_eigenvalue():
    rng = np.random.RandomState(1)
    X = rng.rand(30, 8) * 10
    X_tilde = np.vstack([X, np.ones((1, 8))])
    exact = np.linalg.eigvalsh(X_tilde @ X_tilde.T / 8)[-1]
    assert diagnosis.top_curvature(X) == pytest.approx(exact, rel=1e-8)
    assert diagnosis.largest_safe_rate(X) == pytest.approx(8 / exact, rel=1e-8)
    assert diagnosis.largest_safe_rate(X, curvature=1.0) == pytest.approx(2 / exact, rel=1e-8)
    # From X^T X computed once (logreg.pipeline.Prepared.gram): the same power iteration.
    assert diagnosis.top_curvature(X, gram=X.T @ X) == pytest.approx(exact, rel=1e-8)


def test_the_safe_rate_keeps_the_cost_falling(cat_dataset):
    """Below the safe rate raw pixels' cost falls at every step; at 0.005 it explodes."""
    from logreg.pipeline import prepare
    from logreg.trainer import Trainer

    X, Y = prepare(cat_dataset, "raw").X_train, cat_dataset.train_set_y
    safe = diagnosis.largest_safe_rate(X)
    assert 5.5e-8 < safe < 5.6e-8                                  # 5.558e-08 measured
    prepared = prepare(cat_dataset, "raw")
    assert prepared.safe_rate == pytest.approx(safe, rel=1e-9)     # kept, from its Gram
    costs = np.array(Trainer(X, Y, 0.99 * safe).run(300).costs)
    assert np.all(np.diff(costs) <= 0)
    exploded = Trainer(X, Y, 0.005).run(100).costs
    found = diagnosis.overshoot(exploded, 0.005, safe)
    assert found.kind == "overshoot" and found.severity == "error"
    assert "in 99 of the first 99 iterations" in found.message
    assert "up to 5.6e-08" in found.message


def test_overshoot_that_settles_is_information_not_alarm():
    costs = [0.69, 0.8, 0.7, 0.6, 0.5] + [0.4] * 200
    found = diagnosis.overshoot(costs, 0.005, 0.0036)
    assert found.severity == "info"
    assert "rose above its starting value 0.69 in 2 of the first 100 iterations before it " \
           "settled" in found.message
    assert diagnosis.overshoot([0.69, 0.6, 0.5], 0.005, 0.0036) is None
    diverged = diagnosis.overshoot([1.0, 5.0, float("inf"), float("nan")], 0.1, None)
    assert diverged.severity == "error" and "reached infinity" in diverged.message
    assert "in 3 of the first 3 iterations" in diverged.message
    # Two iterations have one step to overshoot in: not "1 of the first 1 iterations".
    first = diagnosis.overshoot([1.0, 5.0], 0.1, None)
    assert "rose above its starting value 1 in the first iteration and never got below" \
        in first.message


def test_no_progress_when_the_cost_still_falls_at_its_first_pace():
    crawling = 100 - 0.01 * np.arange(1000)           # a straight line: far from any bottom
    found = diagnosis.no_progress(crawling, 1e-4, 2.0)
    assert found.kind == "no progress"
    assert "20,000 times larger" in found.message
    levelled = 1 + 99 * np.exp(-np.arange(1000) / 20)  # fell fast, then flat
    assert diagnosis.no_progress(levelled, 1e-4, 2.0) is None
    barely = 100 - 1e-3 * np.sqrt(np.arange(1000))     # slowing down but hardly moved
    assert diagnosis.no_progress(barely, 1e-4, None).kind == "no progress"


def test_overfitting_and_saturation():
    assert diagnosis.overfitting(99.0, 90.0, 50) is None
    found = diagnosis.overfitting(100.0, 72.0, 50)
    assert "(14 of 50 wrong)" in found.message
    p_train = np.array([0.0, 1.0, 1 - 1e-7, 0.3])
    assert diagnosis.saturated_share(p_train) == 0.75
    p_test = np.array([1.0, 0.0, 0.2, 1e-9])
    Y_test = np.array([[0, 0, 1, 1]])
    found = diagnosis.saturation(p_train, p_test, Y_test)
    assert "75% of the training pictures" in found.message
    assert "certain and wrong on 2 of its 4 pictures — each of those" in found.message
    one = diagnosis.saturation(p_train, p_test[:1], Y_test[:, :1])   # 1.0, labelled 0
    assert "certain and wrong on 1 of its 1 picture, which costs" in one.message
    right = diagnosis.saturation(p_train, p_test[:1], np.array([[1]]))
    assert "not yet certain and wrong on any picture" in right.message
    assert diagnosis.saturation(np.array([0.5, 0.9]), p_test, Y_test) is None


def test_diagnose_puts_the_most_serious_first():
    costs = [0.69, 5000.0] + [0.0] * 150
    findings = diagnosis.diagnose(costs, 0.005, 5.6e-8, 100.0, 72.0, np.ones(4),
                                  np.array([1.0, 0.0, 0.0, 1.0]), np.array([[1, 0, 1, 0]]))
    assert [f.kind for f in findings] == ["overshoot", "saturation", "overfitting"]
    assert [f.severity for f in findings] == ["error", "warning", "info"]


def test_generalization_compares_weights_in_one_unit():
    X_test = np.array([[0.0, 255.0], [255.0, 0.0]])
    Y = np.array([[0, 1]])
    w = np.array([[1.0], [-1.0]])
    raw = diagnosis.generalization(w, 0.0, Scaler("raw"), X_test, Y, np.array([0.5]),
                                   np.array([0.5]))
    scaled = diagnosis.generalization(255 * w, 0.0, Scaler("divide255"), X_test, Y,
                                      np.array([0.5]), np.array([0.5]))
    assert raw.weight_size == scaled.weight_size == pytest.approx(255 * np.sqrt(2))
    assert raw.test_cost == scaled.test_cost == pytest.approx(np.logaddexp(0, -255))
    std = np.array([[2.0], [4.0]])
    z = diagnosis.weights_on_unit_pixels(np.array([[2.0], [4.0]]),
                                         Scaler("zscore", np.zeros((2, 1)), std))
    assert z.ravel().tolist() == [255.0, 255.0]
