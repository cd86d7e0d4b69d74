"""Reading datasets stored in the course's HDF5 layout, with clear errors for bad files.

A pair of files ``train_<name>.h5`` / ``test_<name>.h5`` holds ``train_set_x`` (m, h, w, c),
``train_set_y`` (m,) and ``list_classes`` (2,), and the same keys with ``test_``.
"""
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import h5py

PAIR_PATTERN = re.compile(r"^train_(?P<name>[A-Za-z0-9_.-]+)\.h5$")
DEFAULT_CLASSES = ("class 0", "class 1")


class DatasetError(ValueError):
    """A dataset file that cannot be used, with a message naming the file and the problem."""


@dataclass(frozen=True)
class Dataset:
    """A train/test split of square images with 0/1 labels, as the course loads it.

    ``train_set_x_orig`` is (m_train, num_px, num_px, channels), ``train_set_y`` is (1, m_train).
    """

    name: str
    train_set_x_orig: np.ndarray
    train_set_y: np.ndarray
    test_set_x_orig: np.ndarray
    test_set_y: np.ndarray
    classes: tuple

    @property
    def m_train(self):
        return self.train_set_x_orig.shape[0]

    @property
    def m_test(self):
        return self.test_set_x_orig.shape[0]

    @property
    def num_px(self):
        return self.train_set_x_orig.shape[1]

    @property
    def channels(self):
        return self.train_set_x_orig.shape[3]

    @property
    def n_features(self):
        return self.num_px * self.num_px * self.channels


def _describe(source, name):
    if name is not None:
        return str(name)
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return "uploaded file"


def _open_h5(source, label):
    """Open a path, bytes or binary file object as HDF5, or raise DatasetError."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    if isinstance(source, (str, os.PathLike)) and not Path(source).is_file():
        raise DatasetError(f"{label}: file not found")
    try:
        return h5py.File(source, "r")
    except Exception as exc:  # h5py raises OSError, ValueError, ... for non-HDF5 bytes
        raise DatasetError(f"{label}: not a readable HDF5 file ({_first_line(exc)})") from None


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _read_key(h5, key, label, expected):
    if key not in h5:
        found = ", ".join(sorted(h5.keys())) or "none"
        raise DatasetError(f"{label}: missing key '{key}' ({expected}); keys found: {found}")
    node = h5[key]
    if not isinstance(node, h5py.Dataset):
        raise DatasetError(f"{label}: '{key}' is a group, expected {expected}")
    try:
        return node[()]
    except Exception as exc:
        raise DatasetError(f"{label}: cannot read '{key}' ({_first_line(exc)})") from None


def _check_images(x, key, label):
    expected = "images of shape (m, h, w, 3), (m, h, w, 1) or (m, h, w)"
    if not isinstance(x, np.ndarray) or x.dtype.kind not in "uif":
        kind = getattr(x, "dtype", type(x))
        raise DatasetError(f"{label}: '{key}' holds non-numeric data ({kind}), expected {expected}")
    if x.ndim == 3:
        x = x[..., np.newaxis]
    if x.ndim != 4:
        raise DatasetError(f"{label}: '{key}' has shape {x.shape}, expected {expected}")
    if x.shape[0] == 0:
        raise DatasetError(f"{label}: '{key}' has 0 examples, expected at least 1 image")
    if x.shape[3] not in (1, 3):
        raise DatasetError(
            f"{label}: '{key}' has {x.shape[3]} channels per pixel, expected 1 (grayscale) "
            f"or 3 (RGB)")
    if x.shape[1] != x.shape[2] or x.shape[1] == 0:
        raise DatasetError(
            f"{label}: '{key}' images are {x.shape[1]} x {x.shape[2]}, expected square images")
    if x.dtype.kind == "f":
        if not np.all(np.isfinite(x)):
            raise DatasetError(f"{label}: '{key}' contains NaN or infinite pixel values")
    low, high = x.min(), x.max()
    if low < 0 or high > 255:
        raise DatasetError(
            f"{label}: '{key}' pixel values range from {low} to {high}, expected 0 to 255")
    return x


def _check_labels(y, key, label, m):
    if not isinstance(y, np.ndarray) or y.dtype.kind not in "uifb":
        raise DatasetError(f"{label}: '{key}' holds non-numeric labels, expected 0/1")
    if y.ndim == 2 and 1 in y.shape:
        y = y.reshape(-1)
    if y.ndim != 1:
        raise DatasetError(
            f"{label}: '{key}' has shape {y.shape}, expected labels of shape (m,), (m, 1) or (1, m)")
    if y.shape[0] != m:
        raise DatasetError(
            f"{label}: '{key}' has {y.shape[0]} labels but there are {m} images")
    values = y.astype(float)
    if not np.all(np.isin(values, (0.0, 1.0))):
        bad = np.unique(values[~np.isin(values, (0.0, 1.0))])[:5]
        raise DatasetError(
            f"{label}: '{key}' has labels {bad.tolist()}, expected only 0 and 1")
    return values.astype(np.int64).reshape(1, m)


def _read_classes(h5, label):
    if "list_classes" not in h5:
        return None
    raw = np.asarray(h5["list_classes"][()]).reshape(-1)
    if raw.shape[0] != 2:
        raise DatasetError(
            f"{label}: 'list_classes' has {raw.shape[0]} entries, expected 2 class names")
    names = tuple(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in raw)
    return names


def read_split(source, split, name=None):
    """Read one file of a pair.

    Parameters
    ----------
    source : path, bytes or binary file object
    split : {"train", "test"}
    name : str, optional
        How the file is named in error messages (defaults to the path).

    Returns
    -------
    x : ndarray (m, h, w, c)
    y : ndarray (1, m) of int64 0/1
    classes : tuple of two str, or None when the file has no ``list_classes``
    """
    label = _describe(source, name)
    with _open_h5(source, label) as h5:
        try:
            x = _check_images(_read_key(h5, f"{split}_set_x", label, "the images"),
                              f"{split}_set_x", label)
            y = _check_labels(_read_key(h5, f"{split}_set_y", label, "the 0/1 labels"),
                              f"{split}_set_y", label, x.shape[0])
            classes = _read_classes(h5, label)
        except DatasetError:
            raise
        except Exception as exc:  # a truncated file can fail while reading, not opening
            raise DatasetError(f"{label}: cannot read ({_first_line(exc)})") from None
    return x, y, classes


def load_dataset(train_path, test_path, name=None, train_name=None, test_name=None):
    """Load a train/test pair the way the course does.

    Parameters
    ----------
    train_path, test_path : path, bytes or binary file object
    name : str, optional
        The dataset's name; by default taken from ``train_<name>.h5``.
    train_name, test_name : str, optional
        How the files are named in error messages (for uploads).

    Returns
    -------
    train_set_x_orig, train_set_y, test_set_x_orig, test_set_y, classes
        As in the course; ``classes`` is an array of two byte strings.

    Raises
    ------
    DatasetError
    """
    dataset = load_pair(train_path, test_path, name, train_name, test_name)
    classes = np.array([c.encode() for c in dataset.classes])
    return (dataset.train_set_x_orig, dataset.train_set_y, dataset.test_set_x_orig,
            dataset.test_set_y, classes)


def load_pair(train_path, test_path, name=None, train_name=None, test_name=None):
    """Like :func:`load_dataset`, returning a :class:`Dataset`."""
    train_label = _describe(train_path, train_name)
    test_label = _describe(test_path, test_name)
    train_x, train_y, train_classes = read_split(train_path, "train", train_label)
    test_x, test_y, test_classes = read_split(test_path, "test", test_label)
    if train_x.shape[1:] != test_x.shape[1:]:
        raise DatasetError(
            f"{test_label}: test images are {_shape_text(test_x)} but the training images in "
            f"{train_label} are {_shape_text(train_x)}; both files must use the same size")
    if train_classes and test_classes and train_classes != test_classes:
        raise DatasetError(
            f"{test_label}: class names {list(test_classes)} differ from {list(train_classes)} "
            f"in {train_label}")
    if name is None:
        match = PAIR_PATTERN.match(Path(train_label).name)
        name = match.group("name") if match else Path(train_label).stem
    return Dataset(name, train_x, train_y, test_x, test_y,
                   train_classes or test_classes or DEFAULT_CLASSES)


def _shape_text(x):
    return f"{x.shape[1]} x {x.shape[2]} x {x.shape[3]}"


def find_pairs(directory):
    """The ``train_<name>.h5`` / ``test_<name>.h5`` pairs in a folder, as {name: (train, test)}."""
    directory = Path(directory)
    if not directory.is_dir():
        return {}
    pairs = {}
    for train in sorted(directory.glob("train_*.h5")):
        match = PAIR_PATTERN.match(train.name)
        test = directory / f"test_{match.group('name')}.h5" if match else None
        if test is not None and test.is_file():
            pairs[match.group("name")] = (train, test)
    return pairs
