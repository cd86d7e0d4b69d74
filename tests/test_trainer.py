"""The steppable trainer: Gram and primal paths agree, chunks equal one run (issue 2, 4-5)."""
import numpy as np
import pytest

from logreg import Trainer, model, optimize, predict, propagate
from logreg.pipeline import prepare
from logreg.trainer import GRAM_MAX_EXAMPLES, choose_method


def random_problem(n_features, m_examples, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_features, m_examples))
    true_w = rng.normal(size=(n_features, 1))
    Y = (true_w.T @ X + rng.normal(scale=0.5, size=(1, m_examples)) > 0).astype(float)
    return X, Y


@pytest.fixture(scope="module")
def cat_matrices(cat_dataset):
    prepared = prepare(cat_dataset, "divide255")
    return prepared.X_train, prepared.Y_train


def assert_same_run(a, b, tol=1e-9):
    np.testing.assert_allclose(a.costs, b.costs, rtol=0, atol=tol)
    np.testing.assert_allclose(a.w, b.w, rtol=0, atol=tol)
    assert a.b == pytest.approx(b.b, abs=tol)


def test_choose_method():
    assert choose_method(12288, 209) == "gram"
    assert choose_method(10, 500) == "primal"
    assert choose_method(100, 100) == "primal"
    assert choose_method(100_000, GRAM_MAX_EXAMPLES) == "gram"
    assert choose_method(100_000, GRAM_MAX_EXAMPLES + 1) == "primal"


def test_auto_picks_gram_on_the_cat_data(cat_matrices):
    X, Y = cat_matrices
    assert X.shape == (12288, 209)
    assert Trainer(X, Y, 0.005).method == "gram"
    assert Trainer(*random_problem(5, 50), 0.1).method == "primal"


@pytest.mark.slow
def test_gram_and_primal_agree_on_the_cat_data(cat_matrices):
    # 500 iterations, not the course's 2,000: the primal path's products with the 12,288 ×
    # 209 matrix cost 10 s of CPU for 2,000, and 500 steps run the same code (the course's
    # exact figures come from the Gram path: test_course_numbers.py).
    X, Y = cat_matrices
    gram = Trainer(X, Y, 0.005, method="gram").run(500)
    primal = Trainer(X, Y, 0.005, method="primal").run(500)
    assert_same_run(gram, primal)
    assert len(gram.costs) == 500
    grads_gram, grads_primal = gram.last_gradients(), primal.last_gradients()
    np.testing.assert_allclose(grads_gram["dw"], grads_primal["dw"], rtol=0, atol=1e-9)
    assert grads_gram["db"] == pytest.approx(grads_primal["db"], abs=1e-9)


def test_a_shared_gram_matrix_gives_the_same_run(cat_dataset):
    """Prepared.gram is computed once, read-only, and a run given it is the run that
    computes its own, to the last bit (it is the same product)."""
    prepared = prepare(cat_dataset, "divide255")
    K = prepared.gram
    assert K is prepared.gram and K.shape == (209, 209) and not K.flags.writeable
    shared, own = prepared.trainer(0.005).run(300), Trainer(prepared.X_train,
                                                            prepared.Y_train, 0.005).run(300)
    assert shared._K is K
    assert shared.costs == own.costs and np.array_equal(shared.w, own.w)
    assert shared.b == own.b
    shared.release_buffers()
    shared.step(5)                        # the buffers come back with the shared K
    assert shared._K is K and shared.costs == own.step(5).costs
    with pytest.raises(ValueError, match=r"gram must be X.T @ X, \(209, 209\)"):
        Trainer(prepared.X_train, prepared.Y_train, 0.005, gram=K[:10])


def test_no_gram_matrix_where_training_takes_the_primal_path():
    from logreg.pipeline import Prepared
    X, Y = random_problem(5, 50)
    prepared = Prepared(X, Y, X, Y, scaler=None)
    assert prepared.gram is None
    assert prepared.trainer(0.1).method == "primal"


@pytest.mark.parametrize("n_features, m_examples", [(6, 400), (300, 40)])
def test_gram_and_primal_agree_on_random_problems(n_features, m_examples):
    X, Y = random_problem(n_features, m_examples)
    gram = Trainer(X, Y, 0.05, method="gram").run(500)
    primal = Trainer(X, Y, 0.05, method="primal").run(500)
    assert_same_run(gram, primal)
    assert gram.costs[-1] < gram.costs[0]


def test_trainer_matches_the_course_loop():
    X, Y = random_problem(8, 30, seed=3)
    w, b = np.zeros((8, 1)), 0.0
    costs = []
    for _ in range(50):
        grads, cost = propagate(w, b, X, Y)
        costs.append(cost)
        w, b = w - 0.3 * grads["dw"], b - 0.3 * grads["db"]
    for method in ("gram", "primal"):
        trainer = Trainer(X, Y, 0.3, method=method).run(50)
        np.testing.assert_allclose(trainer.costs, costs, rtol=1e-12)
        np.testing.assert_allclose(trainer.w, w, rtol=1e-10, atol=1e-14)
        assert trainer.b == pytest.approx(b, rel=1e-10)
        assert trainer.current_cost() == pytest.approx(propagate(w, b, X, Y)[1], rel=1e-12)


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_steps_in_chunks_equal_one_long_run(cat_matrices, method):
    X, Y = cat_matrices
    whole = Trainer(X, Y, 0.005, method=method).run(300)
    chunked = Trainer(X, Y, 0.005, method=method)
    for k in (1, 7, 50, 42, 200):
        chunked.step(k)
    assert chunked.iteration == whole.iteration == 300
    # Identical operations in the same order: bit-for-bit the same numbers.
    assert chunked.costs == whole.costs
    np.testing.assert_array_equal(chunked.w, whole.w)
    assert chunked.b == whole.b


def test_stop_and_resume(cat_matrices):
    X, Y = cat_matrices
    trainer = Trainer(X, Y, 0.005)
    trainer.run(120)
    # "Stop": the UI reads the state and does nothing for a while.
    paused_costs, paused_w, paused_b = list(trainer.costs), trainer.w, trainer.b
    assert trainer.iteration == 120 and len(paused_costs) == 120
    assert trainer.current_cost() < paused_costs[0]
    trainer.run(120)  # run to a total already reached: nothing happens
    assert trainer.costs == paused_costs and trainer.b == paused_b
    np.testing.assert_array_equal(trainer.w, paused_w)
    # "Resume".
    trainer.run(400)
    uninterrupted = Trainer(X, Y, 0.005).run(400)
    assert trainer.costs == uninterrupted.costs
    np.testing.assert_array_equal(trainer.w, uninterrupted.w)
    assert trainer.b == uninterrupted.b


def test_costs_are_recorded_at_every_iteration():
    X, Y = random_problem(4, 20)
    trainer = Trainer(X, Y, 0.5)
    assert trainer.costs == [] and trainer.iteration == 0
    assert trainer.last_gradients() is None
    assert trainer.current_cost() == pytest.approx(np.log(2))
    for i in range(1, 6):
        trainer.step()
        assert trainer.iteration == i and len(trainer.costs) == i
    assert trainer.costs[0] == pytest.approx(np.log(2))
    assert all(b < a for a, b in zip(trainer.costs, trainer.costs[1:]))


def test_w_is_a_copy():
    X, Y = random_problem(4, 20)
    for method in ("gram", "primal"):
        trainer = Trainer(X, Y, 0.5, method=method).run(3)
        w = trainer.w
        w[:] = 99.0
        assert not np.any(trainer.w == 99.0)


def test_optimize_is_a_thin_wrapper(cat_matrices):
    X, Y = cat_matrices
    w0, b0 = np.zeros((X.shape[0], 1)), 0.0
    params, grads, costs = optimize(w0, b0, X, Y, 450, 0.005)
    trainer = Trainer(X, Y, 0.005).run(450)
    assert costs == trainer.costs[::100]
    assert len(costs) == 5
    np.testing.assert_array_equal(params["w"], trainer.w)
    assert params["b"] == trainer.b
    np.testing.assert_array_equal(grads["dw"], trainer.last_gradients()["dw"])
    assert not np.any(w0)


def test_model_is_a_thin_wrapper(cat_dataset, cat_matrices):
    X, Y = cat_matrices
    prepared = prepare(cat_dataset, "divide255")
    d = model(X, Y, prepared.X_test, prepared.Y_test, num_iterations=200, learning_rate=0.005)
    trainer = Trainer(X, Y, 0.005).run(200)
    assert d["costs"] == trainer.costs[::100]
    np.testing.assert_array_equal(d["w"], trainer.w)
    np.testing.assert_array_equal(d["Y_prediction_test"],
                                  predict(trainer.w, trainer.b, prepared.X_test))


def test_starting_weights_train_on_the_primal_path():
    X, Y = random_problem(5, 3)
    start = np.arange(5.0).reshape(5, 1)
    trainer = Trainer(X, Y, 0.1, w=start, b=1.0)
    assert trainer.method == "primal"
    assert trainer.costs == [] and trainer.b == 1.0
    np.testing.assert_array_equal(trainer.w, start)
    trainer.step(2)
    np.testing.assert_array_equal(start, np.arange(5.0).reshape(5, 1))  # not modified


def test_bad_arguments():
    X, Y = random_problem(5, 10)
    with pytest.raises(ValueError, match=r"X must be \(features, m\) with m = 9"):
        Trainer(X, Y[:, :9], 0.1)
    with pytest.raises(ValueError, match="method must be 'auto', 'gram' or 'primal', got 'fast'"):
        Trainer(X, Y, 0.1, method="fast")
    with pytest.raises(ValueError, match="the gram method needs zero starting weights"):
        Trainer(X, Y, 0.1, method="gram", w=np.ones((5, 1)))


@pytest.mark.parametrize("rate", [float("nan"), float("inf"), 0.0, -0.1])
def test_the_trainer_refuses_a_learning_rate_it_cannot_step_with(rate):
    X, Y = random_problem(5, 4)
    with pytest.raises(ValueError, match="learning rate must be a number above 0"):
        Trainer(X, Y, rate)


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_released_buffers_change_nothing_and_come_back_on_the_next_step(method):
    X, Y = random_problem(300, 40)
    whole = Trainer(X, Y, 0.01, method=method).step(500)
    released = Trainer(X, Y, 0.01, method=method).step(200)
    released.release_buffers()
    if method == "gram":
        assert released._M is None and released._z is None
    np.testing.assert_array_equal(released.w, Trainer(X, Y, 0.01, method=method).step(200).w)
    released.step(300)
    np.testing.assert_array_equal(released.costs, whole.costs)
    np.testing.assert_array_equal(released.w, whole.w)


@pytest.mark.parametrize("method", ["gram", "primal"])
def test_weights_at_gives_every_snapshot_s_weights(method):
    X, Y = random_problem(300, 40)
    trainer = Trainer(X, Y, 0.01, method=method)
    snapshots = []
    for _ in range(3):
        trainer.step(50)
        snapshots.append(trainer.snapshot())
    W = trainer.weights_at(snapshots)
    assert W.shape == (3, 300)
    for row, snapshot in zip(W, snapshots):
        np.testing.assert_allclose(row, trainer.parameters_at(snapshot)[0].ravel(),
                                   rtol=1e-12, atol=1e-15)
