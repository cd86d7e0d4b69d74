"""Preprocessing modes (issue 2, point 7) and saving/loading trained parameters (point 9)."""
import io
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest

import corpus

from logreg import (ParamsError, Scaler, TrainedModel, fit, fit_scaler, flatten,
                    image_to_array, load_params, save_params, sigmoid)
from logreg.params import (MAX_FEATURES, MAX_FILE_BYTES, MAX_NUM_PX, params_to_bytes)
from logreg.pipeline import prepare
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
    x = image_to_array(buffer.getvalue(), trained.num_px, trained.channels)
    prepared = prepare(cat_dataset, scaling)
    expected = sigmoid(trained.w.T @ prepared.X_test[:, 3:4] + trained.b)
    assert trained.predict_proba(x[None])[0] == pytest.approx(expected[0, 0], rel=1e-12,
                                                              abs=1e-300)


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
    scores = trained.evaluate(cat_dataset)
    assert scores.train_accuracy == 99.04306220095694 and scores.test_accuracy == 70.0
    save_params(trained, tmp_path / "cat.npz")
    loaded = load_params(tmp_path / "cat.npz")
    assert_bit_exact(trained, loaded)
    again = loaded.evaluate(cat_dataset)
    np.testing.assert_array_equal(again.p_test, scores.p_test)
    # The training cost comes with the scores, the same number model.cost gives.
    assert scores.cost_train == trained.cost(cat_dataset.train_set_x_orig,
                                             cat_dataset.train_set_y)
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
    with pytest.raises(ParamsError, match="^p.npz: missing fields w, costs$"):
        load_params(npz_bytes(**fields), name="p.npz")


def bad(field, value, scaling="zscore", raw=None):
    """The message for small_model's file with one field replaced (by raw .npy bytes if given)."""
    members = {f"{key}.npy": corpus._npy(array)
               for key, array in fields_of(small_model(scaling)).items()}
    members[f"{field}.npy"] = raw if raw is not None else corpus._npy(value)
    with pytest.raises(ParamsError) as caught:
        load_params(corpus._npz(members), name="p.npz")
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
    images = np.full((2, 2, 2, 3), 100, dtype=np.uint8)
    np.testing.assert_allclose(model.predict_proba(images), expected[0], rtol=1e-12)
    assert isinstance(model.scaler, Scaler)


def test_format_version():
    assert int(fields_of(small_model())["format_version"]) == 2
    assert bad("format_version", np.array(3)) == ("p.npz: written by a newer version of logreg "
                                                  "(format 3, this one reads up to 2)")
    assert bad("format_version", np.array("one")).startswith(
        "p.npz: field 'format_version' must be a single number")


# --- hostile files: judged from metadata before anything is decompressed ---------------------

def peak_memory_of(function):
    """Peak bytes Python allocated while running function() (which must raise ParamsError)."""
    tracemalloc.start()
    try:
        with pytest.raises(ParamsError) as caught:
            function()
        return tracemalloc.get_traced_memory()[1], str(caught.value)
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("name, fragment", [
    ("params_npz_bomb_costs", "member 'costs.npy' declares 83,886,153 bytes uncompressed, more "
                              "than the limit of 1,573,900"),
    ("params_npz_bomb_unused_member", "unexpected member 'junk.npy'"),
    ("params_member_lies_about_its_size", "member 'costs.npy' is damaged (Bad CRC-32"),
    ("params_zip_directory_bomb", "the zip directory is 220,000 bytes, more than the limit of "
                                  "65,536"),
])
def test_bombs_are_refused_without_inflating_them(name, fragment):
    content = corpus.by_name(name).payload()
    assert len(content) < 500_000  # and each would inflate to 80 MB or more
    peak, message = peak_memory_of(lambda: load_params(content, name="x.npz"))
    assert message.startswith(f"x.npz: {fragment}")
    assert peak < 2_000_000, peak


def test_the_limits_are_stated_and_admit_the_largest_valid_file():
    from logreg.course import MAX_ITERATIONS
    assert MAX_FEATURES == MAX_NUM_PX * MAX_NUM_PX * 3 == 196_608
    model = small_model("zscore", num_px=MAX_NUM_PX, channels=3)
    model.num_iterations = MAX_ITERATIONS
    model.costs = np.linspace(0.7, 0.1, MAX_ITERATIONS)
    content = params_to_bytes(model)
    assert len(content) < MAX_FILE_BYTES
    assert_bit_exact(model, load_params(content))


def test_members_are_checked_one_by_one():
    valid = corpus.valid_params()
    cases = {
        corpus._patched(valid, "b.npy", flag_bits=0x1): "member 'b.npy' is encrypted",
        corpus._patched(valid, "b.npy", method=97): "member 'b.npy' uses zip compression "
                                                    "method 97 (only stored and deflated are read)",
        corpus._patched(valid, "b.npy", method=zipfile.ZIP_BZIP2): "member 'b.npy' uses zip "
                                                                   "compression method 12",
        corpus._broken_deflate("b.npy"): "member 'b.npy' is damaged (Error -3 while "
                                         "decompressing data: invalid block type)",
        corpus._patched(valid, "b.npy", file_size=500): (
            "member 'b.npy' declares 500 bytes but its header describes 136"),
    }
    for content, message in cases.items():
        with pytest.raises(ParamsError) as caught:
            load_params(content, name="p.npz")
        assert str(caught.value).startswith(f"p.npz: {message}")


def test_an_oversized_npy_header_is_not_called_pickle():
    assert bad("b", None, raw=corpus._npy_header((), padding=20_000)) == (
        "p.npz: member 'b.npy' has a .npy header of 20,054 bytes, more than the limit of 1,024")


def test_a_complex_w_says_its_dtype():
    assert bad("w", np.zeros((12, 1), complex)) == ("p.npz: field 'w' must hold real "
                                                    "floating-point numbers, got complex128")


def test_sizes_over_the_limits():
    assert bad("costs", np.zeros(100_001)) == (
        "p.npz: field 'costs' has 100,001 values, more than the limit of 100,000 (the most "
        "iterations logreg trains)")
    assert bad("w", np.zeros((MAX_FEATURES + 1, 1))) == (
        "p.npz: field 'w' has 196,609 values, more than the limit of 196,608 (images of at "
        "most 256 x 256 x 3)")
    assert bad("num_px", np.array(257)) == "p.npz: num_px is 257, more than the limit of 256"
    assert bad("classes", np.array(["cat", "x" * 1001])) == (
        "p.npz: field 'classes' holds a name of more than 1,000 characters")


@pytest.mark.parametrize("field, value, message", [
    ("learning_rate", np.nan, "learning rate must be a number above 0 and at most 100, got nan"),
    ("learning_rate", -1.0, "learning rate must be a number above 0 and at most 100, got -1.0"),
    ("num_iterations", 0, "number of iterations must be a whole number from 1 to 100,000, got 0"),
    ("num_iterations", -3, "number of iterations must be a whole number from 1 to 100,000, "
                           "got -3"),
])
def test_training_settings_are_checked_like_training(field, value, message):
    assert bad(field, np.array(value)) == f"p.npz: {message}"


def test_costs_must_be_finite():
    assert bad("costs", np.array([0.6, np.inf])) == ("p.npz: field 'costs' contains NaN or "
                                                     "infinite values")


def test_weights_that_would_overflow_are_refused():
    """b = 1e308 loaded, then the Train page's cost summed one loss of 1e308 per example."""
    assert bad("b", np.array(1e308)) == ("p.npz: the weights are too large: w.x + b reaches "
                                         "1e+308 on some image, more than the limit of 1e+100")
    assert bad("w", np.full((12, 1), 1e300)).startswith("p.npz: the weights are too large")
    assert bad("std", np.full((12, 1), 1e-300)).startswith("p.npz: the weights are too large")
    # Large but reachable by training (raw pixels, learning rate 100, 100,000 iterations).
    fields = fields_of(small_model("raw"))
    fields["w"] = np.full((12, 1), 100 * 100_000 * 255.0)
    fields["b"] = np.array(-1e7)
    assert load_params(npz_bytes(**fields)).b == -1e7


def test_unexpected_and_duplicate_members():
    assert bad("weights", np.zeros(3)) == (
        "p.npz: unexpected member 'weights.npy' (a parameters file holds only format_version, "
        "w, b, scaling, mean, std, num_px, channels, classes, learning_rate, num_iterations, "
        "costs, dataset)")
    members = list(corpus._params_members().items()) + [("b.npy", corpus._npy(np.array(1.0)))]
    with pytest.raises(ParamsError, match="^p.npz: the member 'b.npy' appears twice$"):
        load_params(corpus._npz(members), name="p.npz")


def test_a_newer_format_is_named_before_its_new_members():
    fields = fields_of(small_model())
    fields["format_version"] = np.array(3)
    fields["bias_history"] = np.zeros(3)
    with pytest.raises(ParamsError, match=r"written by a newer version of logreg \(format 3"):
        load_params(npz_bytes(**fields), name="p.npz")


def test_paths_must_be_regular_files_within_the_budget(tmp_path):
    with pytest.raises(ParamsError, match=f"^{tmp_path}: this is a folder, not a file$"):
        load_params(tmp_path)
    big = tmp_path / "big.npz"
    with open(big, "wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(ParamsError, match=f"^{big}: the file is 8.0 MB, more than the limit "
                                          f"of 8 MB$"):
        load_params(big)
    with pytest.raises(ParamsError, match="^up.npz: the file is more than the limit of 8 MB$"):
        load_params(io.BytesIO(bytes(MAX_FILE_BYTES + 1)), name="up.npz")


def test_a_zip64_directory_is_refused_before_zipfile_reads_it():
    """A zip64 record would give zipfile a directory size the 4-byte check never saw."""
    content = corpus.valid_params()
    end = content.rfind(b"PK\x05\x06")
    locator = b"PK\x06\x07" + bytes(16)
    with pytest.raises(ParamsError, match="^p.npz: a zip64 archive, which a parameters file "
                                          "never is$"):
        load_params(content[:end] + locator + content[end:], name="p.npz")


def test_a_model_knows_its_dataset_and_format_1_files_still_load(cat_dataset):
    trained = fit(cat_dataset, 20)
    assert trained.dataset == "catvnoncat"
    assert load_params(params_to_bytes(trained)).dataset == "catvnoncat"
    old = fields_of(trained)
    old["format_version"] = np.array(1)
    del old["dataset"]
    assert load_params(npz_bytes(**old), name="old.npz").dataset == ""
