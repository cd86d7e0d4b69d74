"""Preprocessing modes (issue 2, point 7) and saving/loading trained parameters (point 9)."""
import io
import warnings

import numpy as np
import pytest

from logreg import (ParamsError, Scaler, TrainedModel, fit, fit_scaler, flatten,
                    image_to_vector, load_params, save_params, sigmoid)
from logreg.params import params_to_bytes
from logreg.pipeline import evaluate, prepare
from logreg.preprocessing import SCALING_MODES


# --- preprocessing ---------------------------------------------------------------------------

def test_scaling_modes():
    assert SCALING_MODES == ("raw", "divide255", "zscore")


def test_flatten_is_the_courses_reshape():
    images = np.arange(2 * 3 * 3 * 3).reshape(2, 3, 3, 3)
    X = flatten(images)
    assert X.shape == (27, 2)
    np.testing.assert_array_equal(X, images.reshape(images.shape[0], -1).T)
    np.testing.assert_array_equal(X[:, 1], images[1].ravel())


def test_raw_and_divide255():
    X = np.array([[0, 51], [255, 102]], dtype=np.uint8)
    raw = fit_scaler("raw", X).transform(X)
    assert raw.dtype == float
    np.testing.assert_array_equal(raw, X.astype(float))
    np.testing.assert_array_equal(fit_scaler("divide255", X).transform(X), X / 255.)
    assert fit_scaler("divide255", X).mean is None


def test_zscore_is_fitted_on_train_only_and_guards_std_zero():
    X_train = np.array([[0.0, 10.0, 20.0], [7.0, 7.0, 7.0]])
    X_test = np.array([[40.0], [9.0]])
    scaler = fit_scaler("zscore", X_train)
    np.testing.assert_array_equal(scaler.mean, [[10.0], [7.0]])
    np.testing.assert_allclose(scaler.std, [[np.std([0.0, 10.0, 20.0])], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z_train = scaler.transform(X_train)
        Z_test = scaler.transform(X_test)
    np.testing.assert_allclose(Z_train.mean(axis=1), [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(Z_train[0].std(), 1.0)
    # The constant pixel maps to 0, not 0/0.
    np.testing.assert_array_equal(Z_train[1], [0.0, 0.0, 0.0])
    # Test data uses the training statistics.
    assert Z_test[0, 0] == pytest.approx(30.0 / np.std([0.0, 10.0, 20.0]))
    assert Z_test[1, 0] == 2.0


def test_unknown_scaling():
    with pytest.raises(ValueError, match="scaling must be one of raw, divide255, zscore, "
                                         "got 'minmax'"):
        fit_scaler("minmax", np.zeros((2, 2)))


def test_prepare_fits_zscore_on_the_training_split(cat_dataset):
    prepared = prepare(cat_dataset, "zscore")
    X_train_raw = flatten(cat_dataset.train_set_x_orig).astype(float)
    X_test_raw = flatten(cat_dataset.test_set_x_orig).astype(float)
    np.testing.assert_array_equal(prepared.scaler.mean, X_train_raw.mean(axis=1, keepdims=True))
    np.testing.assert_array_equal(prepared.X_test,
                                  (X_test_raw - prepared.scaler.mean) / prepared.scaler.std)
    assert not np.allclose(prepared.X_test.mean(axis=1), 0)  # not refitted on test
    np.testing.assert_allclose(prepared.X_train.mean(axis=1), 0, atol=1e-12)
    assert not prepared.X_train.flags.writeable and not prepared.X_test.flags.writeable
    assert prepared.Y_train.shape == (1, 209)


@pytest.mark.parametrize("scaling", SCALING_MODES)
def test_uploads_reuse_the_fitted_scaling(cat_dataset, scaling):
    from PIL import Image
    trained = fit(cat_dataset, 50, 0.005, scaling)
    assert trained.scaler.mode == scaling
    image = cat_dataset.test_set_x_orig[3]
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "PNG")
    x = image_to_vector(buffer.getvalue(), trained.num_px, trained.channels)
    prepared = prepare(cat_dataset, scaling)
    expected = sigmoid(trained.w.T @ prepared.X_test[:, 3:4] + trained.b)
    assert trained.probabilities(x)[0] == pytest.approx(expected[0, 0], rel=1e-12, abs=1e-300)


# --- parameters --------------------------------------------------------------------------------

def small_model(scaling="zscore", num_px=2, channels=3, seed=0):
    rng = np.random.default_rng(seed)
    n = num_px * num_px * channels
    X = rng.integers(0, 256, size=(n, 5)).astype(float)
    return TrainedModel(w=rng.normal(size=(n, 1)), b=float(rng.normal()),
                        scaler=fit_scaler(scaling, X), num_px=num_px, channels=channels,
                        classes=("non-cat", "cat"), learning_rate=0.005, num_iterations=42,
                        costs=rng.random(42))


def fields_of(model):
    with np.load(io.BytesIO(params_to_bytes(model))) as npz:
        return {key: npz[key] for key in npz.files}


def npz_bytes(**arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def assert_bit_exact(a, b):
    assert np.array_equal(a.w, b.w) and a.w.dtype == b.w.dtype
    assert a.b == b.b
    assert a.scaler.mode == b.scaler.mode
    for key in ("mean", "std"):
        x, y = getattr(a.scaler, key), getattr(b.scaler, key)
        assert (x is None and y is None) or np.array_equal(x, y)
    assert np.array_equal(np.asarray(a.costs), b.costs)
    assert (a.num_px, a.channels, a.classes) == (b.num_px, b.channels, b.classes)
    assert (a.learning_rate, a.num_iterations) == (b.learning_rate, b.num_iterations)


@pytest.mark.parametrize("scaling", SCALING_MODES)
def test_round_trip_is_bit_exact(tmp_path, scaling):
    model = small_model(scaling)
    path = tmp_path / "params.npz"
    save_params(model, path)
    assert_bit_exact(model, load_params(path))
    assert_bit_exact(model, load_params(params_to_bytes(model)))
    assert_bit_exact(model, load_params(io.BytesIO(params_to_bytes(model))))
    assert_bit_exact(model, load_params(str(path)))


def test_the_fitted_scaler_is_saved():
    fields = fields_of(small_model("zscore"))
    assert str(fields["scaling"]) == "zscore"
    assert fields["mean"].shape == (12, 1) and fields["std"].shape == (12, 1)
    assert fields["w"].dtype == np.float64 and fields["costs"].shape == (42,)
    assert fields["classes"].tolist() == ["non-cat", "cat"]


def test_save_writes_exactly_the_path_given(tmp_path):
    path = tmp_path / "model.params"
    save_params(small_model(), path)
    assert path.is_file() and not (tmp_path / "model.params.npz").exists()
    assert load_params(path).num_iterations == 42


def test_real_model_round_trip_scores_the_same(cat_dataset, tmp_path):
    trained = fit(cat_dataset, 2000, 0.005, "divide255")
    scores = evaluate(trained, cat_dataset)
    assert scores.train_accuracy == 99.04306220095694 and scores.test_accuracy == 70.0
    save_params(trained, tmp_path / "cat.npz")
    loaded = load_params(tmp_path / "cat.npz")
    assert_bit_exact(trained, loaded)
    again = evaluate(loaded, cat_dataset)
    np.testing.assert_array_equal(again.p_test, scores.p_test)
    assert loaded.fits(64, 3) and not loaded.fits(32, 3) and not loaded.fits(64, 1)


def test_pickled_objects_are_refused():
    fields = fields_of(small_model())
    fields["classes"] = np.array(["non-cat", {"evil": 1}], dtype=object)
    with pytest.raises(ParamsError, match="^up.npz: contains pickled Python objects, which are "
                                          "refused for safety$"):
        load_params(npz_bytes(**fields), name="up.npz")


@pytest.mark.parametrize("content", [b"hello, I am a text file\n", b""])
def test_not_an_npz(content):
    with pytest.raises(ParamsError, match=r"^x.npz: not a parameters .npz file \(it is not a "
                                          r"zip archive\)$"):
        load_params(content, name="x.npz")


def test_a_single_npy_array_is_not_an_npz():
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    with pytest.raises(ParamsError, match="not a parameters .npz file"):
        load_params(buffer.getvalue())


def test_a_damaged_zip():
    content = params_to_bytes(small_model())
    with pytest.raises(ParamsError, match="^cut.npz: not a parameters .npz file"):
        load_params(content[: len(content) // 2], name="cut.npz")


def test_missing_file(tmp_path):
    path = tmp_path / "none.npz"
    with pytest.raises(ParamsError, match=f"^{path}: file not found$"):
        load_params(path)


def test_missing_fields():
    fields = fields_of(small_model())
    del fields["w"], fields["costs"]
    with pytest.raises(ParamsError, match="^p.npz: missing field\\(s\\) w, costs$"):
        load_params(npz_bytes(**fields), name="p.npz")


def bad(field, value, scaling="zscore"):
    fields = fields_of(small_model(scaling))
    fields[field] = value
    with pytest.raises(ParamsError) as caught:
        load_params(npz_bytes(**fields), name="p.npz")
    return str(caught.value)


def test_wrong_weight_shape():
    assert bad("w", np.zeros((11, 1))) == ("p.npz: field 'w' has shape (11, 1), expected "
                                            "(12, 1) for 2 x 2 x 3 images")
    assert bad("w", np.zeros(12)).startswith("p.npz: field 'w' has shape (12,), expected (12, 1)")


def test_nan_weights():
    w = np.zeros((12, 1))
    w[3] = np.nan
    assert bad("w", w) == "p.npz: the weights contain NaN or infinite values"
    assert bad("b", np.array(np.inf)) == "p.npz: the weights contain NaN or infinite values"


def test_bad_scalars():
    assert bad("b", np.array([1.0, 2.0])) == ("p.npz: field 'b' must be a single number, got "
                                              "float64 of shape (2,)")
    assert bad("num_px", np.array(2.5)).startswith("p.npz: field 'num_px' must be a single number")
    assert bad("channels", np.array(4)) == ("p.npz: num_px must be at least 1 and channels 1 or "
                                            "3, got 2 and 4")


def test_bad_scaling_fields():
    assert bad("scaling", np.array("minmax")) == ("p.npz: field 'scaling' must be one of raw, "
                                                  "divide255, zscore")
    assert bad("mean", np.zeros((5, 1))) == ("p.npz: field 'mean' has shape (5, 1), expected "
                                             "(12, 1) for zscore scaling")
    std = np.ones((12, 1))
    std[0] = np.nan
    assert bad("std", std) == "p.npz: field 'std' contains NaN or infinite values"
    assert bad("std", np.zeros((12, 1))) == "p.npz: field 'std' must be positive"


def test_bad_classes_and_costs():
    assert bad("classes", np.array(["a", "b", "c"])) == ("p.npz: field 'classes' must hold two "
                                                         "class names")
    assert bad("costs", np.zeros((2, 2))) == "p.npz: field 'costs' must be a 1-D list of numbers"


def test_trained_model_probabilities_apply_the_scaler():
    model = small_model("zscore")
    X = np.full((12, 2), 100.0)
    expected = 1 / (1 + np.exp(-(model.w.T @ ((X - model.scaler.mean) / model.scaler.std)
                                 + model.b)))
    np.testing.assert_allclose(model.probabilities(X), expected[0], rtol=1e-12)
    images = np.full((2, 2, 2, 3), 100, dtype=np.uint8)
    np.testing.assert_allclose(model.probabilities_of_images(images), expected[0], rtol=1e-12)
    assert isinstance(model.scaler, Scaler)


def test_format_version():
    assert int(fields_of(small_model())["format_version"]) == 1
    assert bad("format_version", np.array(2)) == ("p.npz: written by a newer version of logreg "
                                                  "(format 2, this one reads up to 1)")
    assert bad("format_version", np.array("one")).startswith(
        "p.npz: field 'format_version' must be a single number")
