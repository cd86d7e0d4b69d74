"""The course's building blocks against the notebook's own test cases (issue 2, point 1)."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

import logreg
from logreg import (cost_from_logits, initialize_with_zeros, model, optimize, predict,
                    predict_proba, propagate, sigmoid)
from logreg.core import sigmoid_and_cost

# The notebook's test case for propagate and optimize.
W = np.array([[1.0], [2.0]])
B = 2.0
X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
Y = np.array([[1, 0, 1]])


def test_sigmoid_values_and_shape():
    assert sigmoid(0) == 0.5
    np.testing.assert_allclose(sigmoid(np.array([0, 2])), [0.5, 0.88079708], rtol=1e-8)
    z = np.linspace(-5, 5, 12).reshape(3, 4)
    assert sigmoid(z).shape == (3, 4)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-15)


def test_sigmoid_extremes_do_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(np.array([-1000.0, -745.0, 745.0, 1000.0]))
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0
    assert 0.0 < s[1] < 1e-300  # exact in the lower tail, not rounded to 0 at -745
    assert s[2] == 1.0


def test_sigmoid_is_symmetric():
    z = np.linspace(-40, 40, 81)
    np.testing.assert_allclose(sigmoid(z) + sigmoid(-z), 1.0, rtol=0, atol=1e-15)


def test_cost_from_logits_matches_the_naive_formula_where_it_is_finite():
    rng = np.random.default_rng(0)
    z = rng.normal(scale=3, size=(1, 50))
    y = (rng.random((1, 50)) > 0.5).astype(float)
    a = 1 / (1 + np.exp(-z))
    naive = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert cost_from_logits(z, y) == pytest.approx(naive, rel=1e-12)


def test_cost_from_logits_is_finite_when_a_saturates():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost = cost_from_logits(np.array([[800.0, -800.0]]), np.array([[0.0, 1.0]]))
    assert cost == pytest.approx(800.0)


def test_initialize_with_zeros():
    w, b = initialize_with_zeros(2)
    assert w.shape == (2, 1) and not np.any(w)
    assert b == 0.0 and isinstance(b, float)
    assert initialize_with_zeros(12288)[0].shape == (12288, 1)


def test_propagate_matches_the_course():
    grads, cost = propagate(W, B, X, Y)
    np.testing.assert_allclose(grads["dw"], [[0.99845601], [2.39507239]], rtol=1e-7)
    assert grads["dw"].shape == W.shape
    assert grads["db"] == pytest.approx(0.00145557813678, abs=1e-13)
    assert cost == pytest.approx(5.801545319394553, rel=1e-13)
    assert f"{cost:.6f}" == "5.801545"


def test_optimize_matches_the_course():
    params, grads, costs = optimize(W, B, X, Y, num_iterations=100, learning_rate=0.009,
                                    print_cost=False)
    np.testing.assert_allclose(params["w"], [[0.19033591], [0.12259159]], rtol=1e-7)
    assert params["b"] == pytest.approx(1.92535983008, abs=1e-11)
    np.testing.assert_allclose(grads["dw"], [[0.67752042], [1.41625495]], rtol=1e-7)
    assert grads["db"] == pytest.approx(0.219194504541, abs=1e-11)
    assert costs == [pytest.approx(5.801545319394553, rel=1e-13)]
    # The inputs are not modified in place.
    np.testing.assert_array_equal(W, [[1.0], [2.0]])


def test_optimize_returns_the_last_propagate_gradients_like_the_course():
    """The course loop: grads from propagate at the current w, then the update."""
    w, b = W.copy(), B
    for _ in range(100):
        grads, _ = propagate(w, b, X, Y)
        w = w - 0.009 * grads["dw"]
        b = b - 0.009 * grads["db"]
    params, ours, _ = optimize(W, B, X, Y, 100, 0.009)
    np.testing.assert_allclose(ours["dw"], grads["dw"], rtol=1e-12)
    assert ours["db"] == pytest.approx(grads["db"], rel=1e-12)
    np.testing.assert_allclose(params["w"], w, rtol=1e-12)
    assert params["b"] == pytest.approx(b, rel=1e-12)


def test_optimize_prints_the_course_lines(capsys):
    optimize(W, B, X, Y, 201, 0.009, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Cost after iteration 0", "Cost after iteration 100", "Cost after iteration 200"]
    assert lines[0] == "Cost after iteration 0: 5.801545"


def test_predict_matches_the_course():
    w = np.array([[0.1124579], [0.23106775]])
    b = -0.3
    x = np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])
    prediction = predict(w, b, x)
    np.testing.assert_array_equal(prediction, [[1.0, 1.0, 0.0]])
    assert prediction.shape == (1, 3)
    probabilities = predict_proba(w, b, x)
    assert np.all((probabilities > 0.5) == prediction.astype(bool))


def test_predict_is_strictly_above_one_half():
    # z = 0 gives exactly 0.5, which the course labels 0.
    assert predict(np.zeros((2, 1)), 0.0, np.ones((2, 3))).tolist() == [[0.0, 0.0, 0.0]]


def test_model_returns_the_course_dictionary():
    rng = np.random.default_rng(1)
    X_train, X_test = rng.normal(size=(5, 40)), rng.normal(size=(5, 10))
    Y_train = (X_train[:1] + X_train[1:2] > 0).astype(float)
    Y_test = (X_test[:1] + X_test[1:2] > 0).astype(float)
    d = model(X_train, Y_train, X_test, Y_test, num_iterations=250, learning_rate=0.1)
    assert set(d) == {"costs", "Y_prediction_test", "Y_prediction_train", "w", "b",
                      "learning_rate", "num_iterations"}
    assert d["w"].shape == (5, 1)
    assert isinstance(d["b"], float)
    assert d["Y_prediction_train"].shape == (1, 40)
    assert d["Y_prediction_test"].shape == (1, 10)
    assert len(d["costs"]) == 3  # iterations 0, 100, 200
    assert d["learning_rate"] == 0.1 and d["num_iterations"] == 250
    assert d["costs"][0] == pytest.approx(np.log(2))
    assert d["costs"][-1] < d["costs"][0]
    np.testing.assert_array_equal(d["Y_prediction_test"], predict(d["w"], d["b"], X_test))


def test_model_defaults_are_the_courses():
    import inspect
    defaults = inspect.signature(model).parameters
    assert defaults["num_iterations"].default == 2000
    assert defaults["learning_rate"].default == 0.005
    assert defaults["print_cost"].default is False


def test_course_names_are_exported():
    for name in ("sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict",
                 "model", "load_dataset"):
        assert callable(getattr(logreg, name))


def test_importing_logreg_never_imports_streamlit():
    code = ("import sys, logreg, logreg.cli, logreg.catalog, logreg.pipeline; "
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"


def test_sigmoid_and_cost_matches_the_separate_functions_everywhere():
    rng = np.random.default_rng(3)
    for scale in (1.0, 30.0, 1e4, 1e6):
        z = rng.normal(scale=scale, size=(1, 209))
        z[0, :3] = (0.0, 800.0, -800.0)  # exp(800) would overflow a naive formula
        Y = (rng.random((1, 209)) < 0.5).astype(float)
        A, cost = sigmoid_and_cost(z, Y)
        assert A.shape == z.shape and np.all(np.isfinite(A)) and np.isfinite(cost)
        # exp(z - s) inherits the rounding of z - s: a few ulps of z (3.6e-15 at z = 30).
        np.testing.assert_allclose(A, sigmoid(z), rtol=0, atol=1e-14)
        assert cost == pytest.approx(cost_from_logits(z, Y), rel=1e-12, abs=1e-12)
    A, cost = sigmoid_and_cost(np.zeros(4), np.array([0.0, 1.0, 0.0, 1.0]))
    assert list(A) == [0.5] * 4 and cost == pytest.approx(np.log(2), abs=1e-15)
