"""The gradient check agrees with propagate, and notices a wrong gradient."""
import numpy as np
import pytest

from logreg import gradcheck


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_analytic_and_numerical_gradients_agree(seed):
    result = gradcheck.check(*gradcheck.random_problem(n_features=5, m=8, seed=seed))
    assert result.analytic.shape == result.numerical.shape == (6,)
    assert result.relative_difference < 1e-7 and result.passed


def test_numerical_gradient_matches_a_hand_computed_case():
    # One feature, one example, w = 0, b = 0: A = 0.5, so dJ/dw = (0.5 - y) * x.
    w, b, X, Y = np.zeros((1, 1)), 0.0, np.array([[2.0]]), np.array([[1.0]])
    numerical = gradcheck.numerical_gradient(w, b, X, Y)
    assert numerical == pytest.approx([-1.0, -0.5], abs=1e-7)


def test_a_wrong_gradient_is_caught(monkeypatch):
    def wrong_propagate(w, b, X, Y):
        # The seed post's slip: keeping A(1 - A) in dZ.
        A = 1 / (1 + np.exp(-(w.T @ X + b)))
        dZ = (A - Y) * A * (1 - A)
        m = X.shape[1]
        return {"dw": X @ dZ.T / m, "db": float(dZ.sum() / m)}, 0.0

    monkeypatch.setattr(gradcheck, "propagate", wrong_propagate)
    result = gradcheck.check(*gradcheck.random_problem())
    assert result.relative_difference > 1e-2 and not result.passed
