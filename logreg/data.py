"""Reading datasets stored in the course's HDF5 layout, with clear errors for bad files.

A pair of files ``train_<name>.h5`` / ``test_<name>.h5`` holds ``train_set_x`` (m, h, w, c),
``train_set_y`` (m,) and ``list_classes`` (2,), and the same keys with ``test_``.
"""
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import h5py

from .files import MEGABYTE, read_limited

PAIR_PATTERN = re.compile(r"^train_(?P<name>[A-Za-z0-9_.-]+)\.h5$")
DEFAULT_CLASSES = ("class 0", "class 1")

# Budgets, checked from each file's metadata before any data is read, so a few kilobytes
# that declare gigabytes cost nothing. The cat data needs 209 images of 64 x 64 x 3
# (2.6 million values); these leave room for a class's own photos and no more.
MAX_FILE_BYTES = 200 * MEGABYTE  # a dataset file on disk
MAX_IMAGES = 4096               # images in one file
MAX_SIDE = 256                  # pixels per image side
MAX_VALUES = 12_000_000         # pixel values in one file (96 MB once scaled to float64)
MAX_CHUNKS = 4096               # chunks of one dataset: each costs a lookup and a decode
MAX_CLASS_NAME = 100            # characters in a class name
MAX_KEYS_LISTED = 10            # names quoted in a "missing key" message
# HDF5's built-in deflate (gzip), shuffle and fletcher32 checksum, and h5py's lzf. Any
# other filter id makes HDF5 search the server's disk for a plugin to load.
ALLOWED_FILTERS = frozenset({h5py.h5z.FILTER_DEFLATE, h5py.h5z.FILTER_SHUFFLE,
                             h5py.h5z.FILTER_FLETCHER32, 32000})


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

    def images(self, split):
        """``train_set_x_orig`` or ``test_set_x_orig``."""
        return self.train_set_x_orig if split == "train" else self.test_set_x_orig

    def labels(self, split):
        """The 0/1 labels of a split as a flat int array (m,)."""
        return (self.train_set_y if split == "train" else self.test_set_y).ravel().astype(int)

    def class_counts(self, split):
        """How many images of label 0 and of label 1 a split holds."""
        return np.bincount(self.labels(split), minlength=2)[:2]

    def indices(self, split, label=None):
        """The indices of a split's images, all of them or those of one label."""
        labels = self.labels(split)
        return np.arange(len(labels)) if label is None else np.flatnonzero(labels == label)


def _describe(source, name):
    if name is not None:
        return str(name)
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return "uploaded file"


def _open_h5(source, label):
    """Open a path, bytes or binary file object as HDF5, or raise DatasetError.

    A path is read through :func:`logreg.files.read_limited` (regular files only, within
    MAX_FILE_BYTES) and parsed from memory, so HDF5 itself opens nothing on disk.
    """
    if isinstance(source, (str, os.PathLike)):
        source = read_limited(source, label, MAX_FILE_BYTES, DatasetError)
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    try:
        return h5py.File(source, "r")
    except Exception as exc:  # h5py raises OSError, ValueError, ... for non-HDF5 bytes
        raise DatasetError(f"{label}: not a readable HDF5 file ({_first_line(exc)})") from None


def _first_line(exc):
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _keys_text(h5):
    """The file's top-level names for an error message, a few at most."""
    names = sorted(h5.keys())   # lists the links without following them
    shown = [name[:40] for name in names[:MAX_KEYS_LISTED]]
    if len(names) > MAX_KEYS_LISTED:
        shown.append(f"and {len(names) - MAX_KEYS_LISTED:,} more")
    return ", ".join(shown) or "none"


def _dataset(h5, key, label, expected, required=True):
    """The dataset at ``key``, after checking its metadata says its data lies in this file.

    Nothing is read here. External links, soft links, external raw storage and virtual
    layouts can all make HDF5 read other files (the server's own, from an upload) or, for
    a virtual dataset that points back at itself, crash the process, so they are refused
    from the link and the creation property list before any data is touched.
    """
    links = h5.id.links
    name = key.encode()
    # links.exists / get_info look at the link itself; `key in h5` would follow it.
    if not links.exists(name):
        if not required:
            return None
        raise DatasetError(f"{label}: missing key '{key}' ({expected}); keys found: "
                           f"{_keys_text(h5)}")
    if links.get_info(name).type != h5py.h5l.TYPE_HARD:
        raise DatasetError(f"{label}: '{key}' is a link to other data, expected {expected} "
                           f"stored in the file itself")
    node = h5[key]
    if not isinstance(node, h5py.Dataset):
        raise DatasetError(f"{label}: '{key}' is a group, expected {expected}")
    plist = node.id.get_create_plist()
    layout = plist.get_layout()
    if layout == h5py.h5d.VIRTUAL:
        raise DatasetError(f"{label}: '{key}' is a virtual dataset that takes its data from "
                           f"other files; only data stored in the file itself is read")
    if plist.get_external_count() > 0:
        raise DatasetError(f"{label}: '{key}' keeps its data in external files; only data "
                           f"stored in the file itself is read")
    filters = [plist.get_filter(i)[0] for i in range(plist.get_nfilters())]
    unknown = [f for f in filters if f not in ALLOWED_FILTERS]
    if unknown:
        # Unknown filters make HDF5 look for plugins on the server's disk.
        raise DatasetError(f"{label}: '{key}' is compressed with filter {unknown[0]}, which "
                           f"is not read here (gzip, lzf and shuffle are)")
    return node


def _read(node, key, label):
    """All of a dataset's data, once its metadata has passed the checks."""
    if node.chunks is not None and node.shape:
        # Each chunk costs a B-tree lookup and a decode: a few KB declaring millions of
        # one-value chunks kept the server busy for minutes.
        chunks = math.prod(-(-size // step) for size, step in zip(node.shape, node.chunks))
        if chunks > MAX_CHUNKS:
            raise DatasetError(f"{label}: '{key}' is stored in {chunks:,} chunks, more than "
                               f"the limit of {MAX_CHUNKS:,}")
    try:
        return node[()]
    except Exception as exc:  # a truncated file fails here, not when it is opened
        raise DatasetError(f"{label}: cannot read '{key}' ({_first_line(exc)})") from None


def _kind_text(dtype):
    """What a non-numeric dtype holds, in words."""
    if dtype.kind in "SUO":
        return "text (non-numeric data)"
    if dtype.kind == "c":
        return "complex numbers (non-numeric data)"
    return f"non-numeric data ({dtype})"


IMAGES_EXPECTED = "images of shape (m, h, w, 3), (m, h, w, 1) or (m, h, w)"


def _check_image_metadata(node, key, label):
    """Shape, type and size of the images, from the metadata alone."""
    shape, dtype = node.shape, node.dtype
    if dtype.kind not in "uif" or dtype.itemsize > 8:
        raise DatasetError(f"{label}: '{key}' holds {_kind_text(dtype)}, expected "
                           f"{IMAGES_EXPECTED}")
    if len(shape) not in (3, 4):
        raise DatasetError(f"{label}: '{key}' has shape {shape}, expected {IMAGES_EXPECTED}")
    m, height, width = shape[:3]
    channels = shape[3] if len(shape) == 4 else 1
    if m == 0:
        raise DatasetError(f"{label}: '{key}' has 0 examples, expected at least 1 image")
    if channels not in (1, 3):
        raise DatasetError(f"{label}: '{key}' has {channels} channels per pixel, expected 1 "
                           f"(grayscale) or 3 (RGB)")
    if height != width or height == 0:
        raise DatasetError(f"{label}: '{key}' images are {height} x {width}, expected square "
                           f"images")
    if m > MAX_IMAGES:
        raise DatasetError(f"{label}: '{key}' holds {m:,} images, more than the limit of "
                           f"{MAX_IMAGES:,}")
    if height > MAX_SIDE:
        raise DatasetError(f"{label}: '{key}' images are {height} x {width} pixels, more than "
                           f"the limit of {MAX_SIDE} x {MAX_SIDE}")
    values = m * height * width * channels
    if values > MAX_VALUES:
        raise DatasetError(f"{label}: '{key}' holds {values:,} pixel values, more than the "
                           f"limit of {MAX_VALUES:,}")


def _check_images(x, key, label):
    """The pixel values, once read: finite and from 0 to 255."""
    if x.ndim == 3:
        x = x[..., np.newaxis]
    if x.dtype.kind == "f":
        if not np.all(np.isfinite(x)):
            raise DatasetError(f"{label}: '{key}' contains NaN or infinite pixel values")
    low, high = x.min(), x.max()
    if low < 0 or high > 255:
        raise DatasetError(
            f"{label}: '{key}' pixel values range from {low} to {high}, expected 0 to 255")
    return x


def _check_label_metadata(node, key, label, m):
    shape, dtype = node.shape, node.dtype
    if dtype.kind not in "uifb" or dtype.itemsize > 8:
        raise DatasetError(f"{label}: '{key}' holds non-numeric labels, expected 0/1")
    if not (len(shape) == 1 or (len(shape) == 2 and 1 in shape)):
        raise DatasetError(f"{label}: '{key}' has shape {shape}, expected labels of shape (m,), "
                           f"(m, 1) or (1, m)")
    count = int(np.prod(shape))
    if count != m:
        raise DatasetError(f"{label}: '{key}' has {count} labels but there are {m} images")


def _check_labels(y, key, label, m):
    values = y.reshape(-1).astype(float)
    if not np.all(np.isin(values, (0.0, 1.0))):
        bad = np.unique(values[~np.isin(values, (0.0, 1.0))])[:5]
        raise DatasetError(
            f"{label}: '{key}' has labels {bad.tolist()}, expected only 0 and 1")
    return values.astype(np.int64).reshape(1, m)


def _read_classes(h5, label):
    node = _dataset(h5, "list_classes", label, "the two class names", required=False)
    if node is None:
        return None
    dtype = node.dtype
    is_text = dtype.kind in "SU" or h5py.check_string_dtype(dtype) is not None
    if not is_text or (dtype.kind in "SU" and dtype.itemsize > 4 * MAX_CLASS_NAME):
        raise DatasetError(f"{label}: 'list_classes' holds {dtype} data, expected two class "
                           f"names as text")
    if node.shape not in ((2,), (2, 1), (1, 2)):
        raise DatasetError(f"{label}: 'list_classes' has {int(np.prod(node.shape))} entries, "
                           f"expected 2 class names")
    raw = np.asarray(_read(node, "list_classes", label)).reshape(-1)
    names = tuple(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in raw)
    for text in names:
        if not text.strip() or len(text) > MAX_CLASS_NAME:
            raise DatasetError(f"{label}: 'list_classes' has a class name of {len(text)} "
                               f"characters, expected 1 to {MAX_CLASS_NAME}")
    if names[0] == names[1]:
        raise DatasetError(f"{label}: 'list_classes' names both classes {names[0]!r}; the two "
                           f"classes need different names")
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
    x_key, y_key = f"{split}_set_x", f"{split}_set_y"
    with _open_h5(source, label) as h5:
        try:
            # Every dataset's metadata is checked before any data is read.
            x_node = _dataset(h5, x_key, label, "the images")
            _check_image_metadata(x_node, x_key, label)
            y_node = _dataset(h5, y_key, label, "the 0/1 labels")
            _check_label_metadata(y_node, y_key, label, x_node.shape[0])
            classes = _read_classes(h5, label)
            x = _check_images(_read(x_node, x_key, label), x_key, label)
            y = _check_labels(_read(y_node, y_key, label), y_key, label, x.shape[0])
        except DatasetError:
            raise
        except Exception as exc:  # a damaged file can fail anywhere in the library
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
