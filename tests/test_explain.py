"""The "not sure" band, the numbers that explain one neuron's answers (against plain loops),
and the sample photos shipped in data/samples/."""
import importlib.util
import math

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from logreg import TrainedModel, explain, fit, fit_scaler, image_to_array, load_pair
from logreg.core import NOT_SURE, THRESHOLD, is_not_sure, not_sure_band
from logreg.samples import MAX_SIDE, NAMES, SAMPLES_DIR, sample_photos

# (not `from conftest import ROOT`: with tests/browser/conftest.py also on the path, which
# conftest module that names depends on the order pytest collects in)
ROOT = Path(__file__).resolve().parents[1]


# --- the "not sure" band ----------------------------------------------------------------------

def test_the_band_sits_around_the_threshold_and_moves_with_it():
    assert not_sure_band() == (THRESHOLD - NOT_SURE, THRESHOLD + NOT_SURE)
    assert 0 < NOT_SURE < 0.5
    for threshold in (0.5, 0.3, 0.75):
        low, high = not_sure_band(threshold)
        assert math.isclose(low, threshold - NOT_SURE) and math.isclose(high, threshold + NOT_SURE)
        assert is_not_sure(threshold, threshold)
        assert is_not_sure(threshold + 0.99 * NOT_SURE, threshold)
        assert is_not_sure(threshold - 0.99 * NOT_SURE, threshold)
        assert not is_not_sure(threshold + 1.01 * NOT_SURE, threshold)
        assert not is_not_sure(threshold - 1.01 * NOT_SURE, threshold)
    # Near the ends the band stops at 0 and 1.
    assert not_sure_band(0.05) == (0.0, 0.05 + NOT_SURE)
    assert not_sure_band(0.98) == (0.98 - NOT_SURE, 1.0)
    # A probability inside the band at 0.5 is a sure answer once the threshold moves away.
    assert is_not_sure(0.55) and not is_not_sure(0.55, 0.75)


def test_tally_counts_like_a_loop():
    rng = np.random.default_rng(3)
    probabilities = list(rng.random(200)) + [0.5, 0.4, 0.6, 0.0, 1.0]
    for threshold in (0.5, 0.2, 0.9):
        yes = unsure = no = 0
        for p in probabilities:
            if abs(p - threshold) < NOT_SURE:
                unsure += 1
            elif p > threshold:
                yes += 1
            else:
                no += 1
        assert explain.tally(probabilities, threshold) == (yes, unsure, no)


def test_the_documented_figures_of_the_course_run(cat_dataset):
    """core.py's comment: 6 of 50 test pictures in the band, 2 of them right, 33 of 44 else."""
    model = fit(cat_dataset)
    p, y = model.predict_proba(cat_dataset.test_set_x_orig), cat_dataset.labels("test")
    inside = np.array([is_not_sure(v) for v in p])
    right = (p > THRESHOLD).astype(int) == y
    assert (inside.sum(), right[inside].sum()) == (6, 2)
    assert ((~inside).sum(), right[~inside].sum()) == (44, 33)


# --- one neuron's answer taken apart ------------------------------------------------------------

def small_model(scaling, num_px=3, channels=3, seed=0):
    rng = np.random.default_rng(seed)
    n = num_px * num_px * channels
    X = rng.integers(0, 256, size=(n, 6)).astype(float)
    return TrainedModel(w=rng.normal(size=(n, 1)), b=float(rng.normal()),
                        scaler=fit_scaler(scaling, X), num_px=num_px, channels=channels,
                        classes=("non-cat", "cat"), learning_rate=0.005, num_iterations=1)


def scaled(model, value, index):
    """One pixel value scaled as the model scales it, written out by hand."""
    mode = model.scaler.mode
    if mode == "raw":
        return float(value)
    if mode == "divide255":
        return value / 255.0
    return (value - model.scaler.mean[index, 0]) / model.scaler.std[index, 0]


@pytest.mark.parametrize("scaling", ["divide255", "raw", "zscore"])
@pytest.mark.parametrize("channels", [3, 1])
def test_pushes_equal_a_plain_loop(scaling, channels):
    model = small_model(scaling, channels=channels)
    image = np.random.default_rng(1).integers(0, 256, (3, 3, channels)).astype(np.uint8)
    z, toward, against, positive = model.b, 0.0, 0.0, 0
    by_channel = [0.0] * channels
    index = 0
    for row in range(3):
        for column in range(3):
            for channel in range(channels):
                push = model.w[index, 0] * scaled(model, float(image[row, column, channel]),
                                                   index)
                z += push
                by_channel[channel] += push
                if push > 0:
                    toward += push
                    positive += 1
                elif push < 0:
                    against += push
                index += 1
    found = explain.pushes(model, image)
    assert found.z == pytest.approx(z, abs=1e-12)
    assert found.toward == pytest.approx(toward, abs=1e-12)
    assert found.against == pytest.approx(against, abs=1e-12)
    assert found.toward + found.against + found.bias == pytest.approx(found.z, abs=1e-12)
    assert found.share_toward == positive / index
    assert found.by_channel == pytest.approx(by_channel, abs=1e-12)
    assert found.bias == model.b
    assert found.probability == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-15)
    assert found.probability == pytest.approx(float(model.predict_proba(image[None])[0]),
                                              abs=1e-15)
    assert found.brightness == pytest.approx(image.astype(float).mean())


@pytest.mark.parametrize("scaling", ["divide255", "raw", "zscore"])
def test_channel_effects_and_a_plain_picture_equal_plain_loops(scaling):
    model = small_model(scaling)
    effects = explain.channel_effects(model)
    for channel in range(3):
        effect = 0.0
        for index in range(model.n_features):
            if index % 3 == channel:
                effect += model.w[index, 0] * (scaled(model, 255.0, index)
                                               - scaled(model, 0.0, index))
        assert effects[channel] == pytest.approx(effect, abs=1e-9)
    z = model.b + sum(model.w[i, 0] * scaled(model, 128.0, i) for i in range(model.n_features))
    assert explain.plain_picture(model) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-15)
    if scaling == "divide255":   # the sum of each channel's weights
        assert effects == pytest.approx(tuple(model.w[c::3].sum() for c in range(3)))


def test_only_one_neuron_is_taken_apart():
    from logreg.network_model import TrainedNetwork
    assert explain.explainable(small_model("divide255"))
    assert not explain.explainable(object.__new__(TrainedNetwork))


def test_base_rate_is_the_share_of_class_1_in_training():
    faces = load_pair(ROOT / "data" / "train_faces.h5", ROOT / "data" / "test_faces.h5")
    labels = faces.train_set_y.ravel()
    assert explain.base_rate(faces) == sum(1 for v in labels if v == 1) / len(labels) == 0.5


# --- the sample photos -------------------------------------------------------------------------

def test_the_sample_photos_are_small_square_and_all_listed():
    files = sorted(path.name for path in SAMPLES_DIR.iterdir())
    assert files == sorted(NAMES)
    photos = sample_photos()
    assert [name for name, _ in photos] == list(NAMES)
    for name, data in photos:
        assert len(data) < 16_000, name
        with Image.open(SAMPLES_DIR / name) as image:
            assert image.size == (MAX_SIDE, MAX_SIDE)
        # They go through the same decoding as an upload, at both built-in sizes.
        assert image_to_array(data, 64, 3, name=name).shape == (64, 64, 3)
        assert image_to_array(data, 25, 1, name=name).shape == (25, 25, 1)


def test_the_build_script_and_the_readme_name_every_sample():
    spec = importlib.util.spec_from_file_location("build_samples",
                                                  ROOT / "tools" / "build_samples.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)   # scikit-image is imported only when building
    assert list(build.SOURCES) == list(NAMES)
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"`{name}`" in readme, name
