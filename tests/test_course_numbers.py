"""The course's published numbers on the real cat data, and finite costs on raw pixels
(issue 2, points 2 and 3). Skipped when LOGREG_DATA_DIR does not hold the data."""
import os
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from logreg import Trainer, load_dataset, model, predict
from logreg.trainer import accuracy

ROOT = Path(__file__).resolve().parent.parent

PUBLISHED_COSTS = """\
Cost after iteration 0: 0.693147
Cost after iteration 100: 0.584508
Cost after iteration 200: 0.466949
Cost after iteration 300: 0.376007
Cost after iteration 400: 0.331463
Cost after iteration 500: 0.303273
Cost after iteration 600: 0.279880
Cost after iteration 700: 0.260042
Cost after iteration 800: 0.242941
Cost after iteration 900: 0.228004
Cost after iteration 1000: 0.214820
Cost after iteration 1100: 0.203078
Cost after iteration 1200: 0.192544
Cost after iteration 1300: 0.183033
Cost after iteration 1400: 0.174399
Cost after iteration 1500: 0.166521
Cost after iteration 1600: 0.159305
Cost after iteration 1700: 0.152667
Cost after iteration 1800: 0.146542
Cost after iteration 1900: 0.140872
""".splitlines()


@pytest.fixture(scope="module")
def course_matrices(data_dir):
    """The notebook's preprocessing, written out exactly as the course does it."""
    train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes = load_dataset(
        data_dir / "train_catvnoncat.h5", data_dir / "test_catvnoncat.h5")
    train_set_x_flatten = train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T
    test_set_x_flatten = test_set_x_orig.reshape(test_set_x_orig.shape[0], -1).T
    train_set_x = train_set_x_flatten / 255.
    test_set_x = test_set_x_flatten / 255.
    return train_set_x, train_set_y, test_set_x, test_set_y


@pytest.fixture(scope="module")
def raw_matrices(data_dir):
    train_set_x_orig, train_set_y, *_ = load_dataset(
        data_dir / "train_catvnoncat.h5", data_dir / "test_catvnoncat.h5")
    return train_set_x_orig.reshape(train_set_x_orig.shape[0], -1).T.astype(float), train_set_y


def test_model_prints_the_published_costs_and_accuracies(course_matrices, capsys):
    train_set_x, train_set_y, test_set_x, test_set_y = course_matrices
    d = model(train_set_x, train_set_y, test_set_x, test_set_y, num_iterations=2000,
              learning_rate=0.005, print_cost=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[:20] == PUBLISHED_COSTS
    assert lines[20:] == ["train accuracy: 99.04306220095694 %", "test accuracy: 70.0 %"]
    assert [f"{c:f}" for c in d["costs"]] == [line.split(": ")[1] for line in PUBLISHED_COSTS]
    assert accuracy(d["Y_prediction_train"], train_set_y) == 99.04306220095694
    assert accuracy(d["Y_prediction_test"], test_set_y) == 70.0
    assert d["w"].shape == (12288, 1)


@pytest.mark.parametrize("learning_rate, train_accuracy, test_accuracy", [
    (0.01, 99.52153110047847, 68.0),
    (0.001, 88.99521531100478, 64.0),
    (0.0001, 68.42105263157895, 36.0),
])
def test_learning_rate_table(course_matrices, learning_rate, train_accuracy, test_accuracy):
    train_set_x, train_set_y, test_set_x, test_set_y = course_matrices
    d = model(train_set_x, train_set_y, test_set_x, test_set_y, num_iterations=1500,
              learning_rate=learning_rate)
    assert accuracy(d["Y_prediction_train"], train_set_y) == train_accuracy
    assert accuracy(d["Y_prediction_test"], test_set_y) == test_accuracy
    assert len(d["costs"]) == 15


def test_cli_prints_the_published_numbers(data_dir):
    env = dict(os.environ, LOGREG_DATA_DIR=str(data_dir))
    result = subprocess.run([sys.executable, "-m", "logreg", "train"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == PUBLISHED_COSTS + [
        "train accuracy: 99.04306220095694 %", "test accuracy: 70.0 %"]


@pytest.mark.parametrize("learning_rate", [0.005, 1.0])
def test_raw_pixels_train_with_finite_costs(raw_matrices, learning_rate):
    X, Y = raw_matrices
    assert X.max() == 255.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = Trainer(X, Y, learning_rate).run(2000)
        prediction = predict(trainer.w, trainer.b, X)
    costs = np.asarray(trainer.costs)
    assert costs.shape == (2000,)
    assert np.all(np.isfinite(costs))
    assert costs[0] == pytest.approx(np.log(2))
    assert np.all(np.isfinite(trainer.w)) and np.isfinite(trainer.b)
    assert set(np.unique(prediction)) <= {0.0, 1.0}
    # Far from the optimum the steps overshoot, but the cost stays a real number.
    assert costs.max() > costs[0]


def test_raw_pixels_on_the_primal_path_are_finite_too(raw_matrices):
    X, Y = raw_matrices
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = Trainer(X, Y, 1.0, method="primal").run(300)
    assert np.all(np.isfinite(trainer.costs))


def test_the_seeds_formula_breaks_on_raw_pixels(raw_matrices):
    """Why the cost is computed from z: the seed's log(A) gives NaN/inf on raw 0-255 pixels."""
    X, Y = raw_matrices
    m = X.shape[1]
    w, b = np.zeros((X.shape[0], 1)), 0.0
    naive_costs = []
    with np.errstate(all="ignore"):
        for _ in range(101):
            A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
            cost = -(1 / m) * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
            dw = (1 / m) * np.dot(X, (A - Y).T)
            db = (1 / m) * np.sum(A - Y)
            w, b = w - 0.005 * dw, b - 0.005 * db
            naive_costs.append(cost)
    assert naive_costs[0] == pytest.approx(np.log(2))
    assert not np.isfinite(naive_costs[100])
    assert not np.all(np.isfinite(naive_costs[1:]))
    # The same iterations with our cost are finite.
    ours = Trainer(X, Y, 0.005).run(101).costs
    assert np.all(np.isfinite(ours))
