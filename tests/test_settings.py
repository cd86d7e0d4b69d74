"""The settings' one validation (logreg.pipeline.check_hyperparameters), as URLs spell them."""
import pytest

from logreg.pipeline import check_hyperparameters


@pytest.mark.parametrize("iterations", [1000, 1000.0, "1000", "1e3", "1000.0"])
def test_whole_iterations_in_any_spelling_are_accepted(iterations):
    check_hyperparameters(iterations, 0.005)


@pytest.mark.parametrize("iterations", [0, 1.5, "1.5", "abc", float("inf"), float("nan"),
                                        10 ** 400, None, 100_001])
def test_iterations_that_are_not_whole_or_out_of_range_are_refused(iterations):
    with pytest.raises(ValueError, match="number of iterations must be a whole number"):
        check_hyperparameters(iterations, 0.005)


@pytest.mark.parametrize("rate", [0, -1, "nan", float("inf"), 101, None, "fast"])
def test_learning_rates_outside_the_range_are_refused(rate):
    with pytest.raises(ValueError, match="learning rate must be a number above 0"):
        check_hyperparameters(2000, rate)
