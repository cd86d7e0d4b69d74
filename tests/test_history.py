"""Recorded runs: snapshots rebuild the exact model of their iteration, the curves match
a model scored by the contract, and the recording stays within its budget."""
import numpy as np
import pytest

from logreg.history import History, curves
from logreg.network import NetworkTrainer
from logreg.network_model import to_network_model
from logreg.pipeline import prepare, to_model
from logreg.trainer import Trainer


@pytest.fixture(scope="module")
def cat(cat_dataset):
    return cat_dataset, prepare(cat_dataset, "divide255")


def test_schedule_keeps_the_budget_and_the_last_iteration():
    history = History(2000, 1680, budget=100 * 1680, max_frames=400)
    assert history.every == 21
    wanted = [i for i in range(2001) if history.wants(i)]
    assert wanted[-1] == 2000 and len(wanted) <= 100
    assert history.wanted(0, 2000) == wanted[1:]
    assert history.wanted(40, 63) == [42, 63]


@pytest.mark.parametrize("method, chunks", [("gram", (300, 1000, 700)), ("primal", (7, 13))])
def test_snapshots_rebuild_the_model_training_would_have_frozen(cat, method, chunks):
    dataset, prepared = cat
    total = sum(chunks)
    trainer = Trainer(prepared.X_train, prepared.Y_train, 0.005, method=method)
    history = History.follow(trainer, total)
    for chunk in chunks:
        trainer.step(chunk)
    assert history.iterations[0] == 0 and history.iterations[-1] == total
    assert np.all(np.diff(history.iterations) > 0)
    for iteration in (history.iterations[1], history.iterations[len(history.iterations) // 2],
                      total):
        fresh = Trainer(prepared.X_train, prepared.Y_train, 0.005, method=method)
        fresh.run(iteration)
        w, b = trainer.parameters_at(history.snapshots[history.iterations.index(iteration)])
        assert np.array_equal(w, fresh.w) and b == fresh.b, iteration


def test_recording_does_not_change_training(cat):
    _, prepared = cat
    plain = Trainer(prepared.X_train, prepared.Y_train, 0.005).run(700)
    recorded = Trainer(prepared.X_train, prepared.Y_train, 0.005)
    History.follow(recorded, 700)
    recorded.run(700)
    assert plain.costs == recorded.costs
    assert np.array_equal(plain.w, recorded.w) and plain.b == recorded.b


def test_curves_match_models_scored_by_the_contract(cat):
    dataset, prepared = cat
    trainer = Trainer(prepared.X_train, prepared.Y_train, 0.005)
    history = History.follow(trainer, 2000)
    trainer.run(2000)
    assert history.nbytes <= 5 * 1024 * 1024
    found = curves(trainer, history, prepared.X_test, prepared.Y_test)
    final = to_model(trainer, prepared, dataset)
    evaluation = final.evaluate(dataset)
    assert found.train_accuracy[-1] == evaluation.train_accuracy == pytest.approx(99.04306)
    assert found.test_accuracy[-1] == evaluation.test_accuracy == 70.0
    assert found.test_cost[-1] == pytest.approx(final.cost(dataset.test_set_x_orig,
                                                           dataset.test_set_y), abs=1e-9)
    np.testing.assert_allclose(found.train_cost[:-1],
                               np.array(trainer.costs)[found.iterations[:-1]], atol=1e-9)
    np.testing.assert_allclose(found.p_test(3)[-1], evaluation.p_test[3], atol=1e-9)
    # The course's run over-fits: the test cost is lowest long before iteration 2000.
    assert found.iterations[found.best] < 500
    assert found.test_cost[found.best] < found.test_cost[-1]
    # The server scores every run from one shared product X_trainᵀ X_test: the same curves.
    shared = curves(trainer, history, prepared.X_test, prepared.Y_test,
                    test_cross=prepared.test_cross)
    for name in ("z_test", "test_cost", "test_accuracy", "train_accuracy"):
        assert np.array_equal(getattr(shared, name), getattr(found, name)), name
    assert not prepared.test_cross.flags.writeable


@pytest.mark.slow
def test_network_snapshots_and_curves(cat):
    dataset, prepared = cat
    dims = (prepared.X_train.shape[0], 7, 1)
    trainer = NetworkTrainer(prepared.X_train, prepared.Y_train, dims, 0.0075, init="small")
    history = History.follow(trainer, 60)
    trainer.run(60)
    fresh = NetworkTrainer(prepared.X_train, prepared.Y_train, dims, 0.0075, init="small")
    fresh.run(history.iterations[5])
    rebuilt = trainer.parameters_at(history.snapshots[5])
    for name, value in fresh.parameters.items():
        assert np.array_equal(rebuilt[name], value), name
    found = curves(trainer, history, prepared.X_test, prepared.Y_test)
    evaluation = to_network_model(trainer, prepared, dataset).evaluate(dataset)
    np.testing.assert_allclose(found.p_test(0)[-1], evaluation.p_test[0], atol=1e-9)
    assert found.test_accuracy[-1] == evaluation.test_accuracy
    shared = curves(trainer, history, prepared.X_test, prepared.Y_test,
                    test_cross=prepared.test_cross)
    assert np.array_equal(shared.z_test, found.z_test)
