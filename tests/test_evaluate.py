"""TrainedModel.evaluate with the dataset's scaled matrices: the same scores to the last bit,
and matrices that do not fit the model or the dataset are not used."""
import dataclasses

import numpy as np
import pytest

from logreg import Scaler, fit, prepare
from logreg.pipeline import Prepared
from logreg.preprocessing import fit_scaler, flatten

from app_support import toy_dataset


def same(a, b):
    for field in dataclasses.fields(a):
        x, y = getattr(a, field.name), getattr(b, field.name)
        assert np.array_equal(x, y), field.name


@pytest.mark.parametrize("scaling", ["raw", "divide255", "zscore"])
def test_scores_from_the_scaled_matrices_are_the_scores(scaling, monkeypatch):
    dataset = toy_dataset()
    model = fit(dataset, 60, 0.005, scaling)
    prepared = prepare(dataset, scaling)
    plain = model.evaluate(dataset)
    # The matrices' path scales no picture: that is what it spares.
    def no_scaling(self, X):
        raise AssertionError("scaled the pictures again")
    monkeypatch.setattr(Scaler, "transform", no_scaling)
    same(model.evaluate(dataset, prepared=prepared), plain)
    with pytest.raises(AssertionError, match="again"):
        model.evaluate(dataset)


def test_the_course_run_scores_the_same_from_the_shared_matrices(cat_dataset):
    model = fit(cat_dataset)
    scores = model.evaluate(cat_dataset, prepared=prepare(cat_dataset, "divide255"))
    assert scores.train_accuracy == 99.04306220095694 and scores.test_accuracy == 70.0
    same(scores, model.evaluate(cat_dataset))


def test_matrices_that_do_not_fit_are_not_used():
    dataset = toy_dataset()
    model = fit(dataset, 60, 0.005, "zscore")
    plain = model.evaluate(dataset)
    other_scaling = prepare(dataset, "divide255")
    other_data = prepare(toy_dataset(seed=1), "zscore")
    # z-scores fitted on other pictures: the same mode, other statistics.
    mine = prepare(dataset, "zscore")
    refitted = Prepared(mine.X_train, mine.Y_train, mine.X_test, mine.Y_test, fit_scaler(
        "zscore", flatten(toy_dataset(seed=2).train_set_x_orig)))
    for prepared in (other_scaling, other_data, refitted):
        same(model.evaluate(dataset, prepared=prepared), plain)
