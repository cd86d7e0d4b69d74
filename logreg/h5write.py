"""Writing a dataset as the course's HDF5 pair, byte-for-byte reproducibly.

The files hold ``<split>_set_x`` (m, px, px, c) uint8, ``<split>_set_y`` (m,) int64 and
``list_classes`` (2,) byte strings, which is what :func:`logreg.data.read_split` reads.
Timestamps are left out and the file format is pinned so the same arrays always give
the same bytes (with the same h5py/HDF5 versions).
"""
import io

import numpy as np

import h5py

# The oldest format that holds these arrays, so every h5py >= 3.8 reads the files.
LIBVER = ("earliest", "v110")


def split_to_bytes(split, x, y, classes, exact=False):
    """One file of a pair as bytes.

    Parameters
    ----------
    split : {"train", "test"}
    x : array (m, px, px, c) of 0-255 values
    y : array of m 0/1 labels, any shape with m elements
    classes : two str, the names of label 0 and label 1
    exact : bool
        Keep the pixels' own type (an uploaded pair's float pixels stay those numbers, so
        a run exported with them reproduces); by default they are rounded to uint8.

    Returns
    -------
    bytes
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    x = np.asarray(x)
    if x.ndim != 4 or x.shape[0] == 0:
        raise ValueError(f"images must be (m, px, px, c) with m > 0, got shape {x.shape}")
    if x.dtype != np.uint8 and not exact:
        if x.min() < 0 or x.max() > 255:
            raise ValueError("pixel values must be from 0 to 255")
        x = np.rint(x).astype(np.uint8)
    y = np.asarray(y).reshape(-1).astype(np.int64)
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"{y.shape[0]} labels for {x.shape[0]} images")
    names = np.array([str(c).encode("utf-8") for c in classes])
    if names.shape != (2,):
        raise ValueError(f"expected two class names, got {len(names)}")
    buffer = io.BytesIO()
    with h5py.File(buffer, "w", libver=LIBVER, track_order=False) as h5:
        h5.create_dataset(f"{split}_set_x", data=x, track_times=False)
        h5.create_dataset(f"{split}_set_y", data=y, track_times=False)
        h5.create_dataset("list_classes", data=names, track_times=False)
    return buffer.getvalue()


def dataset_to_bytes(dataset, exact=False):
    """A :class:`logreg.data.Dataset` as ``(train_bytes, test_bytes)`` (``exact``: see
    :func:`split_to_bytes`)."""
    return (split_to_bytes("train", dataset.train_set_x_orig, dataset.train_set_y,
                           dataset.classes, exact),
            split_to_bytes("test", dataset.test_set_x_orig, dataset.test_set_y,
                           dataset.classes, exact))


def pair_file_names(name):
    """The file names of a pair: ``("train_<name>.h5", "test_<name>.h5")``."""
    return f"train_{name}.h5", f"test_{name}.h5"
