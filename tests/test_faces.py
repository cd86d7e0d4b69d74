"""The built-in faces dataset committed in data/: shapes, split, digests and what it teaches.

These tests read the committed files only; scikit-image (needed to rebuild them) is not used.
"""
import hashlib
import re

import numpy as np
import pytest

from logreg import catalog, fit, load_pair

from app_support import ROOT

DATA = ROOT / "data"
DIGESTS = {
    "train_faces.h5": "c4c08e806bbd5b2b9b2d6f007e0f894313c81e4d76c1858b64c19ffcfa46d662",
    "test_faces.h5": "53eecddb0b5d55ea702e210397e15632c32261b8255aa91d7b7f458a1077fac5",
}


@pytest.fixture(scope="module")
def faces():
    return load_pair(DATA / "train_faces.h5", DATA / "test_faces.h5")


def test_files_are_the_documented_bytes():
    readme = (DATA / "README.md").read_text()
    for name, digest in DIGESTS.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest
        assert re.search(rf"{digest}\s+{name}", readme), f"README lacks the digest of {name}"


def test_shapes_labels_and_classes(faces):
    assert faces.name == "faces"
    assert faces.classes == ("non-face", "face")
    assert faces.train_set_x_orig.shape == (150, 25, 25, 1)
    assert faces.test_set_x_orig.shape == (50, 25, 25, 1)
    assert faces.train_set_x_orig.dtype == np.uint8
    assert faces.train_set_y.shape == (1, 150) and faces.test_set_y.shape == (1, 50)
    # Stratified: half faces in each split.
    assert int(faces.train_set_y.sum()) == 75
    assert int(faces.test_set_y.sum()) == 25
    # Shuffled, not 75 faces then 75 non-faces.
    assert 0 < faces.train_set_y[0, :75].sum() < 75


def test_pixels_use_the_whole_range_and_splits_do_not_overlap(faces):
    x = faces.train_set_x_orig
    assert x.min() == 0 and x.max() == 255
    train = {img.tobytes() for img in faces.train_set_x_orig}
    test = {img.tobytes() for img in faces.test_set_x_orig}
    assert len(train) == 150 and len(test) == 50
    assert not train & test


def test_faces_are_brighter_in_the_middle_than_backgrounds(faces):
    # A real property of the crops, not of the file format: faces are centred skin.
    x = faces.train_set_x_orig[..., 0].astype(float)
    y = faces.train_set_y[0]
    centre = x[:, 8:17, 8:17].mean(axis=(1, 2))
    assert centre[y == 1].mean() > centre[y == 0].mean()


def test_catalog_offers_faces_from_the_project_folder():
    pairs = catalog.available([DATA])
    assert "faces" in pairs
    assert catalog.title("faces") == "Faces vs non-faces (built-in)"


def test_course_defaults_reach_the_documented_accuracy(faces):
    model = fit(faces, num_iterations=2000, learning_rate=0.005, scaling="divide255")
    scores = model.evaluate(faces)
    assert scores.test_accuracy == pytest.approx(98.0)
    assert scores.train_accuracy == pytest.approx(96.6666666, abs=1e-4)
    assert np.all(np.diff(model.costs) < 0)


def test_nothing_outside_tools_imports_scikit_image():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in ("tools", ".git") or "site-packages" in relative.parts:
            continue
        if re.search(r"^\s*(import skimage|from skimage)", path.read_text(), re.M):
            offenders.append(str(relative))
    assert offenders == []
