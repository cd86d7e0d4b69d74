"""The network engine: the course's numbers, a gradient check, fast = plain, and that
logistic regression is the network with no hidden layer."""
import numpy as np
import pytest

from logreg import Trainer, propagate
from logreg.network import (NetworkTrainer, L_layer_model, L_model_backward, L_model_forward,
                            compute_cost, initialize_parameters, initialize_parameters_deep,
                            parse_hidden, predict, two_layer_model)
from logreg.pipeline import prepare
from logreg.trainer import accuracy


@pytest.fixture(scope="module")
def cat(cat_dataset):
    """The course's matrices: pixels / 255, X is (12288, m)."""
    prepared = prepare(cat_dataset, "divide255")
    return prepared.X_train, prepared.Y_train, prepared.X_test, prepared.Y_test


def random_problem(n_x, m, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return X, Y


# ------------------------------------------------------------------ the course's numbers


def test_initialisation_draws_the_course_numbers():
    np.random.seed(1)
    W1 = np.random.randn(4, 6) * 0.01
    W2 = np.random.randn(1, 4) * 0.01
    two = initialize_parameters(6, 4, 1)
    np.testing.assert_array_equal(two["W1"], W1)
    np.testing.assert_array_equal(two["W2"], W2)
    assert not np.any(two["b1"]) and two["b2"].shape == (1, 1)
    np.random.seed(1)
    expected = [np.random.randn(n, n_prev) / np.sqrt(n_prev)
                for n_prev, n in ((6, 5), (5, 3), (3, 1))]
    deep = initialize_parameters_deep([6, 5, 3, 1])
    for l, W in enumerate(expected, start=1):
        np.testing.assert_array_equal(deep[f"W{l}"], W)
    assert initialize_parameters_deep([6, 5, 1], "scaled", seed=2)["W1"][0, 0] != \
        deep["W1"][0, 0]


def test_two_layer_model_gives_the_course_numbers(cat, capsys):
    X, Y, X_test, Y_test = cat
    parameters, costs = two_layer_model(X, Y, (12288, 7, 1), num_iterations=2500,
                                        print_cost=True)
    assert costs[0] == pytest.approx(0.693049735659989, abs=1e-9)
    assert costs[1] == pytest.approx(0.6464320953428849, abs=1e-9)
    assert costs[24] == pytest.approx(0.04855478562877019, abs=1e-9)
    assert len(costs) == 25
    assert accuracy(predict(X, parameters), Y) == 100.0
    assert accuracy(predict(X_test, parameters), Y_test) == 72.0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"Cost after iteration 0: {costs[0]!r}"   # full precision
    assert lines[0].startswith("Cost after iteration 0: 0.69304973565998")


def test_L_layer_model_gives_the_course_numbers(cat):
    X, Y, X_test, Y_test = cat
    parameters, costs = L_layer_model(X, Y, (12288, 20, 7, 5, 1), num_iterations=2500)
    assert costs[0] == pytest.approx(0.7717493284237686, abs=1e-9)
    assert costs[1] == pytest.approx(0.6720534400822914, abs=1e-9)
    assert costs[24] == pytest.approx(0.09287821526472398, abs=1e-9)
    assert accuracy(predict(X, parameters), Y) == pytest.approx(98.56459330143541, abs=1e-9)
    assert accuracy(predict(X_test, parameters), Y_test) == 80.0
    assert [parameters[f"W{l}"].shape for l in range(1, 5)] == \
        [(20, 12288), (7, 20), (5, 7), (1, 5)]


# ------------------------------------------------------------------------ fast = plain


def assert_same_training(a, b, tol=1e-9):
    np.testing.assert_allclose(a.costs, b.costs, rtol=0, atol=tol)
    pa, pb = a.parameters, b.parameters
    assert pa.keys() == pb.keys()
    for name in pa:
        np.testing.assert_allclose(pa[name], pb[name], rtol=0, atol=tol, err_msg=name)


@pytest.mark.slow
def test_gram_and_primal_agree_on_the_cat_data(cat):
    X, Y, *_ = cat
    # 50 iterations: each primal one multiplies the 20 × 12,288 weights by the 209 pictures
    # twice (9 s of CPU for 150); the random problems below agree over 100.
    gram = NetworkTrainer(X, Y, (12288, 20, 7, 5, 1), 0.0075).run(50)
    primal = NetworkTrainer(X, Y, (12288, 20, 7, 5, 1), 0.0075, method="primal").run(50)
    assert gram.method == "gram" and primal.method == "primal"
    assert_same_training(gram, primal)


@pytest.mark.parametrize("layer_dims, activation, init", [
    ((30, 1), "relu", "zeros"),
    ((30, 4, 1), "tanh", "small"),
    ((30, 6, 5, 1), "relu", "scaled"),
    ((30, 3, 3, 3, 1), "tanh", "scaled"),
])
def test_gram_and_primal_agree_on_random_problems(layer_dims, activation, init):
    X, Y = random_problem(30, 12, seed=len(layer_dims))
    runs = [NetworkTrainer(X, Y, layer_dims, 0.5, activation, init, seed=3, method=method)
            for method in ("gram", "primal")]
    for run in runs:
        run.step(7).step(93)
    assert_same_training(*runs)
    assert runs[0].costs[-1] < runs[0].costs[0]
    assert runs[0].current_cost() == pytest.approx(runs[1].current_cost(), abs=1e-9)


# ------------------------------------------------------------------------ gradient check


def numerical_gradients(X, Y, parameters, activation, epsilon=1e-6):
    grads = {}
    for name, value in parameters.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            costs = []
            for sign in (1, -1):
                nudged = {k: v.copy() for k, v in parameters.items()}
                nudged[name][index] += sign * epsilon
                _, caches = L_model_forward(X, nudged, activation)
                costs.append(compute_cost(caches[-1][2], Y))
            grad[index] = (costs[0] - costs[1]) / (2 * epsilon)
        grads[f"d{name}"] = grad
    return grads


@pytest.mark.parametrize("layer_dims, activation, seed", [
    ((4, 1), "relu", 0),
    ((3, 5, 1), "tanh", 1),
    ((5, 4, 3, 1), "relu", 2),
    ((2, 3, 4, 2, 1), "tanh", 3),
])
def test_backward_agrees_with_finite_differences(layer_dims, activation, seed):
    rng = np.random.default_rng(seed)
    m = 7
    X = rng.normal(size=(layer_dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = rng.normal(size=(layer_dims[l], layer_dims[l - 1]))
        parameters[f"b{l}"] = rng.normal(size=(layer_dims[l], 1))
    AL, caches = L_model_forward(X, parameters, activation)
    analytic = L_model_backward(AL, Y, caches, activation)
    numerical = numerical_gradients(X, Y, parameters, activation)
    a = np.concatenate([analytic[k].ravel() for k in sorted(numerical)])
    n = np.concatenate([numerical[k].ravel() for k in sorted(numerical)])
    assert np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n)) < 1e-7


# ----------------------------------------------- logistic regression is the one-neuron case


def test_one_neuron_forward_and_backward_are_propagate():
    X, Y = random_problem(6, 9)
    w, b = np.random.default_rng(1).normal(size=(6, 1)), 0.3
    parameters = {"W1": w.T, "b1": np.array([[b]])}
    AL, caches = L_model_forward(X, parameters)
    grads = L_model_backward(AL, Y, caches)
    expected, cost = propagate(w, b, X, Y)
    np.testing.assert_allclose(grads["dW1"], expected["dw"].T, rtol=1e-12)
    assert grads["db1"].item() == pytest.approx(expected["db"], rel=1e-12)
    assert compute_cost(caches[-1][2], Y) == pytest.approx(cost, rel=1e-12)


def test_logistic_regression_is_the_network_without_hidden_layers(cat):
    X, Y, *_ = cat
    logistic = Trainer(X, Y, 0.005).run(2000)
    network = NetworkTrainer(X, Y, (12288, 1), 0.005, init="zeros").run(2000)
    np.testing.assert_allclose(network.costs, logistic.costs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(network.parameters["W1"].T, logistic.w, rtol=0, atol=1e-12)
    assert network.parameters["b1"].item() == pytest.approx(logistic.b, abs=1e-12)
    X_small, Y_small = random_problem(5, 40)
    logistic = Trainer(X_small, Y_small, 0.1).run(200)
    network = NetworkTrainer(X_small, Y_small, (5, 1), 0.1, init="zeros").run(200)
    assert logistic.method == network.method == "primal"
    np.testing.assert_allclose(network.costs, logistic.costs, rtol=0, atol=1e-12)


# ------------------------------------------------------------------------- bad arguments


def test_parse_hidden():
    assert parse_hidden("20,7,5") == (20, 7, 5)
    assert parse_hidden(" 7 ") == (7,)
    assert parse_hidden("") == ()
    for text, message in (("7,x", "whole numbers"), ("0", "1 to 1024 units"),
                          ("2000", "1 to 1024 units"), (",".join(["3"] * 11), "at most 10")):
        with pytest.raises(ValueError, match=message):
            parse_hidden(text)


def test_bad_trainer_arguments():
    X, Y = random_problem(4, 6)
    with pytest.raises(ValueError, match=r"from n_x = 4 to 1 output unit"):
        NetworkTrainer(X, Y, (5, 3, 1), 0.1)
    with pytest.raises(ValueError, match="init must be one of"):
        NetworkTrainer(X, Y, (4, 3, 1), 0.1, init="he")
    with pytest.raises(ValueError, match="activation must be one of"):
        NetworkTrainer(X, Y, (4, 3, 1), 0.1, activation="sigmoid")
    with pytest.raises(ValueError, match="seed must be"):
        NetworkTrainer(X, Y, (4, 3, 1), 0.1, seed=-1)
    with pytest.raises(ValueError, match="method must be"):
        NetworkTrainer(X, Y, (4, 3, 1), 0.1, method="fast")


def test_a_network_larger_than_the_parameter_budget_is_refused_before_it_is_built():
    from logreg.network import MAX_PARAMETERS, check_network_settings, parameter_count
    assert parameter_count((12288, 20, 7, 5, 1)) < MAX_PARAMETERS
    with pytest.raises(ValueError, match=r"a 12288-1024-1 network has 12,584,961 weights and "
                                         r"biases, more than the limit of 4,000,000"):
        check_network_settings([1024], n_x=12288)
    X, Y = np.zeros((12288, 3)), np.array([[0, 1, 0]])
    with pytest.raises(ValueError, match="more than the limit of 4,000,000"):
        NetworkTrainer(X, Y, (12288, 1024, 1), 0.01)


def test_a_network_whose_step_costs_too_much_for_its_examples_is_refused_before_it_is_built():
    """Weights x examples, not weights alone (issue 24): the review's 12288-1-1024-1024-1024-
    1024-1 network (3.2 million weights, under the weight cap) on 4,096 pictures took
    1.1-4.2 s a step and up to 577 MB a tab."""
    from logreg.network import MAX_STEP_WORK, check_network_settings, parameter_count
    hidden = [1, 1024, 1024, 1024, 1024]
    check_network_settings(hidden, n_x=12288)   # the weights alone pass
    with pytest.raises(ValueError, match=r"a 12288-1-1024-1024-1024-1024-1 network on 4,096 "
                                         r"training examples costs too much per step"):
        check_network_settings(hidden, n_x=12288, m=4096)
    # The course's nets pass on the cats, and the four-layer one on 4,096 pictures.
    assert parameter_count((12288, 20, 7, 5, 1)) * 4096 <= MAX_STEP_WORK
    check_network_settings([20, 7, 5], n_x=12288, m=4096)
    check_network_settings([7], n_x=12288, m=209)
    # Wide on few features: cheap weights, but the activations kept for the backward pass
    # (1,001 units x 5,000 examples) are bounded too.
    check_network_settings([1000], n_x=2, m=400)
    with pytest.raises(ValueError, match="costs too much per step"):
        check_network_settings([1000], n_x=2, m=5000)
    X, Y = np.zeros((2, 4096)), np.zeros((1, 4096))
    with pytest.raises(ValueError, match="costs too much per step"):
        NetworkTrainer(X, Y, (2, 1024, 1024, 1), 0.1)
