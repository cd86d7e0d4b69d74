"""Dividing by 255 is a change of learning rate: the equivalence, exactly."""
import numpy as np
import pytest

from logreg.rescaling import (SplitRateTrainer, equivalent_raw_rate, max_difference)
from logreg.trainer import Trainer


def pixels(n=40, m=12, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randint(0, 256, size=(n, m)).astype(float)
    Y = (rng.rand(1, m) > 0.5).astype(float)
    return X, Y


@pytest.mark.parametrize("shape", [(40, 12), (5, 30)], ids=["gram", "primal"])
def test_equal_rates_are_the_course_gradient_descent(shape):
    X, Y = pixels(*shape)
    X = X / 255
    reference = Trainer(X, Y, 0.01, method="primal").run(300)
    split = SplitRateTrainer(X, Y, 0.01, 0.01).run(300)
    assert split.gram == (shape[1] < shape[0])
    assert max_difference(reference.costs, split.costs) < 1e-14
    assert np.max(np.abs(split.w - reference.w)) < 1e-12
    assert abs(split.b - reference.b) < 1e-12


def test_raw_pixels_with_the_bias_at_its_own_step_are_the_scaled_run():
    X, Y = pixels()
    rate = 0.05
    scaled = Trainer(X / 255, Y, rate).run(500)
    raw_small = Trainer(X, Y, equivalent_raw_rate(rate)).run(500)
    matched = SplitRateTrainer(X, Y, equivalent_raw_rate(rate), rate).run(500)
    # Same weights in the units of /255 pixels (w' = 255 w), same bias, same costs.
    assert np.max(np.abs(255 * matched.w - scaled.w)) < 1e-12
    assert abs(matched.b - scaled.b) < 1e-12
    assert max_difference(scaled.costs, matched.costs) < 1e-14
    # Without its own step the bias lags behind: close, not equal.
    assert 1e-6 < max_difference(scaled.costs, raw_small.costs) < 1e-2


def test_the_cat_data_equivalence(cat_dataset):
    """The numbers the Normalization page shows on the course's data at its defaults."""
    from logreg.pipeline import prepare

    raw, scaled = prepare(cat_dataset, "raw"), prepare(cat_dataset, "divide255")
    reference = Trainer(scaled.X_train, scaled.Y_train, 0.005).run(2000).costs
    small = Trainer(raw.X_train, raw.Y_train, 0.005 / 65025).run(2000).costs
    matched = SplitRateTrainer(raw.X_train, raw.Y_train, 0.005 / 65025, 0.005).run(2000).costs
    assert 5e-4 < max_difference(reference, small) < 1e-3          # 7.2e-4 measured
    assert max_difference(reference, matched) < 1e-13              # 5e-15 measured


def test_rates_and_gaps():
    assert equivalent_raw_rate(0.005) == 0.005 / 65025
    assert max_difference([1.0, 2.0, 3.0], [1.0, 2.5]) == 0.5
    assert max_difference([], [1.0]) == 0.0
    with pytest.raises(ValueError, match="m = 3"):
        SplitRateTrainer(np.zeros((2, 4)), np.zeros((1, 3)), 0.1, 0.1)


def test_a_given_gram_matrix_gives_the_same_run(cat_dataset):
    """The Normalization page hands the raw matrices' shared X^T X (Prepared.gram) over."""
    from logreg.pipeline import prepare
    raw = prepare(cat_dataset, "raw")
    own = SplitRateTrainer(raw.X_train, raw.Y_train, 0.005 / 65025, 0.005).run(50)
    given = SplitRateTrainer(raw.X_train, raw.Y_train, 0.005 / 65025, 0.005,
                             gram=raw.gram).run(50)
    assert given._K is raw.gram and given.costs == own.costs
    with pytest.raises(ValueError, match=r"gram must be X.T @ X, \(209, 209\)"):
        SplitRateTrainer(raw.X_train, raw.Y_train, 0.1, 0.1, gram=raw.gram[:5])
