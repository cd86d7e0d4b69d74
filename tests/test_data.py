"""Loading the course's HDF5 files: the real data, the variants real copies use, and clear
errors for everything else (issue 2, point 6). Bad files are built here with h5py."""
import io

import h5py
import numpy as np
import pytest

from logreg import DatasetError, load_dataset, load_pair
from logreg.data import DEFAULT_CLASSES, find_pairs, read_split

CLASSES = np.array([b"non-cat", b"cat"])


def write_split(path, split, x, y, classes=CLASSES):
    with h5py.File(path, "w") as h5:
        if x is not None:
            h5.create_dataset(f"{split}_set_x", data=x)
        if y is not None:
            h5.create_dataset(f"{split}_set_y", data=y)
        if classes is not None:
            h5.create_dataset("list_classes", data=classes)
    return path


def images(m, px=4, channels=3, seed=0):
    shape = (m, px, px) if channels is None else (m, px, px, channels)
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def labels(m):
    return np.arange(m) % 2


def write_pair(tmp_path, name="toy", train=None, test=None):
    """A valid small pair; ``train``/``test`` override keyword arguments of write_split."""
    train = {"x": images(6), "y": labels(6), **(train or {})}
    test = {"x": images(4, seed=1), "y": labels(4), **(test or {})}
    train_path = write_split(tmp_path / f"train_{name}.h5", "train", **train)
    test_path = write_split(tmp_path / f"test_{name}.h5", "test", **test)
    return train_path, test_path


def load_error(train_path, test_path):
    with pytest.raises(DatasetError) as caught:
        load_pair(train_path, test_path)
    return str(caught.value)


def test_the_real_files_give_the_courses_five_tuple(data_dir):
    train_x, train_y, test_x, test_y, classes = load_dataset(
        data_dir / "train_catvnoncat.h5", data_dir / "test_catvnoncat.h5")
    assert train_x.shape == (209, 64, 64, 3) and train_x.dtype == np.uint8
    assert train_y.shape == (1, 209)
    assert test_x.shape == (50, 64, 64, 3)
    assert test_y.shape == (1, 50)
    assert classes.tolist() == [b"non-cat", b"cat"]
    assert int(train_y.sum()) == 72 and int(test_y.sum()) == 33
    # Same pixels as reading the file directly, as the course's lr_utils does.
    with h5py.File(data_dir / "train_catvnoncat.h5", "r") as h5:
        np.testing.assert_array_equal(train_x, h5["train_set_x"][:])
        np.testing.assert_array_equal(train_y[0], h5["train_set_y"][:])


def test_the_real_dataset_object(cat_dataset):
    assert cat_dataset.name == "catvnoncat"
    assert (cat_dataset.m_train, cat_dataset.m_test) == (209, 50)
    assert (cat_dataset.num_px, cat_dataset.channels, cat_dataset.n_features) == (64, 3, 12288)
    assert cat_dataset.classes == ("non-cat", "cat")


@pytest.mark.parametrize("stored", [
    labels(6),
    labels(6).reshape(6, 1),
    labels(6).reshape(1, 6),
    labels(6).astype(np.float64),
    labels(6).astype(np.float32).reshape(6, 1),
    labels(6).astype(np.uint8).reshape(1, 6),
    labels(6).astype(bool),
], ids=["m", "m1", "1m", "float", "float32-m1", "uint8-1m", "bool"])
def test_label_layouts_are_accepted(tmp_path, stored):
    train_path, test_path = write_pair(tmp_path, train={"y": stored})
    _, train_y, _, test_y, _ = load_dataset(train_path, test_path)
    assert train_y.shape == (1, 6) and train_y.dtype == np.int64
    np.testing.assert_array_equal(train_y[0], labels(6))
    assert test_y.shape == (1, 4)


@pytest.mark.parametrize("where", ["train", "test"])
def test_list_classes_in_only_one_file(tmp_path, where):
    other = "test" if where == "train" else "train"
    train_path, test_path = write_pair(tmp_path, **{other: {"classes": None}})
    assert load_pair(train_path, test_path).classes == ("non-cat", "cat")
    assert load_dataset(train_path, test_path)[4].tolist() == [b"non-cat", b"cat"]


def test_no_list_classes_gets_default_names(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"classes": None},
                                       test={"classes": None})
    assert load_pair(train_path, test_path).classes == DEFAULT_CLASSES


@pytest.mark.parametrize("channels", [None, 1], ids=["m-h-w", "m-h-w-1"])
def test_grayscale_layouts_are_accepted(tmp_path, channels):
    train_path, test_path = write_pair(
        tmp_path, train={"x": images(6, channels=channels)},
        test={"x": images(4, channels=channels, seed=1)})
    dataset = load_pair(train_path, test_path)
    assert dataset.train_set_x_orig.shape == (6, 4, 4, 1)
    assert dataset.test_set_x_orig.shape == (4, 4, 4, 1)
    assert dataset.channels == 1 and dataset.n_features == 16
    np.testing.assert_array_equal(dataset.train_set_x_orig[..., 0],
                                  images(6, channels=channels).reshape(6, 4, 4))


def test_bytes_and_file_objects_with_names(tmp_path):
    train_path, test_path = write_pair(tmp_path)
    dataset = load_pair(train_path.read_bytes(), io.BytesIO(test_path.read_bytes()),
                        train_name="train_upload.h5", test_name="test_upload.h5")
    assert dataset.name == "upload" and dataset.m_train == 6
    with pytest.raises(DatasetError, match="^mine.h5: not a readable HDF5 file"):
        load_pair(b"not hdf5", test_path, train_name="mine.h5")


def test_dataset_error_is_a_value_error():
    assert issubclass(DatasetError, ValueError)


def test_file_not_found(tmp_path):
    missing = tmp_path / "train_none.h5"
    assert load_error(missing, missing) == f"{missing}: file not found"


def test_not_hdf5(tmp_path):
    train_path, test_path = write_pair(tmp_path)
    train_path.write_text("label,pixels\n1,2\n")
    message = load_error(train_path, test_path)
    assert message.startswith(f"{train_path}: not a readable HDF5 file")


def test_truncated_file(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"x": images(60, px=16)})
    content = train_path.read_bytes()
    train_path.write_bytes(content[: len(content) // 2])
    message = load_error(train_path, test_path)
    assert message.startswith(f"{train_path}: ")
    assert "truncated" in message


def test_missing_key(tmp_path):
    train_path, test_path = write_pair(tmp_path, test={"y": None})
    message = load_error(train_path, test_path)
    assert message == (f"{test_path}: missing key 'test_set_y' (the 0/1 labels); "
                       f"keys found: list_classes, test_set_x")


def test_wrong_split_keys(tmp_path):
    # A test file passed as the training file: the keys are test_*.
    train_path, test_path = write_pair(tmp_path)
    message = load_error(test_path, test_path)
    assert message.startswith(f"{test_path}: missing key 'train_set_x' (the images)")


def test_zero_examples(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"x": images(0), "y": labels(0)})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'train_set_x' has 0 examples, expected at least 1 image"


def test_length_mismatch(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"y": labels(5)})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'train_set_y' has 5 labels but there are 6 images"


@pytest.mark.parametrize("bad, shown", [
    (np.array([0, 1, 2, 0, 1, 0]), "[2.0]"),
    (np.array([0, 1, -1, 0, 1, 0]), "[-1.0]"),
    (np.array([0, 0.5, 1, 0, 1, 0]), "[0.5]"),
    (np.array([0, np.nan, 1, 0, 1, 0]), "[nan]"),
])
def test_labels_outside_zero_one(tmp_path, bad, shown):
    train_path, test_path = write_pair(tmp_path, train={"y": bad})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'train_set_y' has labels {shown}, expected only 0 and 1"


def test_labels_of_a_bad_shape(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"y": np.zeros((2, 3))})
    message = load_error(train_path, test_path)
    assert message == (f"{train_path}: 'train_set_y' has shape (2, 3), expected labels of "
                       f"shape (m,), (m, 1) or (1, m)")


def test_non_numeric_labels(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"y": np.array([b"cat"] * 6)})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'train_set_y' holds non-numeric labels, expected 0/1"


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_non_finite_pixels(tmp_path, value):
    x = images(6).astype(float)
    x[2, 1, 1, 0] = value
    train_path, test_path = write_pair(tmp_path, train={"x": x})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'train_set_x' contains NaN or infinite pixel values"


def test_float_pixels_in_range_are_accepted(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"x": images(6).astype(np.float32)})
    assert load_pair(train_path, test_path).train_set_x_orig.dtype == np.float32


def test_pixels_out_of_range(tmp_path):
    x = images(6).astype(np.int16)
    x[0, 0, 0, 0] = 300
    train_path, test_path = write_pair(tmp_path, train={"x": x})
    message = load_error(train_path, test_path)
    assert message.startswith(f"{train_path}: 'train_set_x' pixel values range from ")
    assert message.endswith("to 300, expected 0 to 255")


def test_non_numeric_pixels(tmp_path):
    x = np.array([[[b"ab", b"cd"], [b"ef", b"gh"]]] * 6)
    train_path, test_path = write_pair(tmp_path, train={"x": x})
    message = load_error(train_path, test_path)
    assert message.startswith(f"{train_path}: 'train_set_x' holds text (non-numeric data)")
    assert message.endswith("expected images of shape (m, h, w, 3), (m, h, w, 1) or (m, h, w)")


@pytest.mark.parametrize("channels", [2, 4])
def test_channels_not_one_or_three(tmp_path, channels):
    train_path, test_path = write_pair(tmp_path, train={"x": images(6, channels=channels)})
    message = load_error(train_path, test_path)
    assert message == (f"{train_path}: 'train_set_x' has {channels} channels per pixel, "
                       f"expected 1 (grayscale) or 3 (RGB)")


def test_images_of_a_bad_shape(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"x": np.zeros((6, 48))})
    message = load_error(train_path, test_path)
    assert message == (f"{train_path}: 'train_set_x' has shape (6, 48), expected images of "
                       f"shape (m, h, w, 3), (m, h, w, 1) or (m, h, w)")


def test_non_square_images(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"x": np.zeros((6, 4, 5, 3))})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'train_set_x' images are 4 x 5, expected square images"


def test_a_group_instead_of_a_dataset(tmp_path):
    train_path, test_path = write_pair(tmp_path)
    with h5py.File(test_path, "a") as h5:
        del h5["test_set_x"]
        h5.create_group("test_set_x")
    message = load_error(train_path, test_path)
    assert message == f"{test_path}: 'test_set_x' is a group, expected the images"


def test_train_and_test_sizes_differ(tmp_path):
    train_path, test_path = write_pair(tmp_path, test={"x": images(4, px=8)})
    message = load_error(train_path, test_path)
    assert message == (f"{test_path}: test images are 8 x 8 x 3 but the training images in "
                       f"{train_path} are 4 x 4 x 3; both files must use the same size")


def test_train_and_test_channels_differ(tmp_path):
    train_path, test_path = write_pair(tmp_path, test={"x": images(4, channels=1)})
    message = load_error(train_path, test_path)
    assert "test images are 4 x 4 x 1 but the training images" in message


def test_class_names_differ(tmp_path):
    train_path, test_path = write_pair(tmp_path, test={"classes": np.array([b"a", b"b"])})
    message = load_error(train_path, test_path)
    assert message == (f"{test_path}: class names ['a', 'b'] differ from ['non-cat', 'cat'] "
                       f"in {train_path}")


def test_list_classes_must_hold_two_names(tmp_path):
    train_path, test_path = write_pair(tmp_path, train={"classes": np.array([b"a", b"b", b"c"])})
    message = load_error(train_path, test_path)
    assert message == f"{train_path}: 'list_classes' has 3 entries, expected 2 class names"


def test_read_split(tmp_path):
    train_path, _ = write_pair(tmp_path)
    x, y, classes = read_split(train_path, "train")
    assert x.shape == (6, 4, 4, 3) and y.shape == (1, 6) and classes == ("non-cat", "cat")


def test_find_pairs(tmp_path):
    write_pair(tmp_path, "alpha")
    write_pair(tmp_path, "beta")
    (tmp_path / "train_lonely.h5").write_bytes(b"")  # no test file: not a pair
    (tmp_path / "notes.txt").write_text("hi")
    pairs = find_pairs(tmp_path)
    assert list(pairs) == ["alpha", "beta"]
    assert pairs["alpha"] == (tmp_path / "train_alpha.h5", tmp_path / "test_alpha.h5")
    assert find_pairs(tmp_path / "missing") == {}


def test_real_folder_has_the_cat_pair(data_dir):
    assert "catvnoncat" in find_pairs(data_dir)
