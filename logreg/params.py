"""Trained parameters as one object, saved to and loaded from ``.npz`` without pickle.

An uploaded parameters file is hostile until proven otherwise. :func:`load_params` judges it
from its metadata before decompressing anything: the zip's directory (its size, the member
names, encryption, compression, declared sizes), then each member's .npy header (the dtype
and shape that field may have). Only then are the arrays read, each no further than its
declared size, so no file can make the server hold more than the budgets below.
"""
import io
import math
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np
from numpy.lib import format as npy

from .course import MAX_ITERATIONS
from .data import MAX_SIDE
from .files import MEGABYTE, read_limited
from .model import Classifier
from .preprocessing import SCALING_MODES, Scaler
from .settings import Logistic

FORMAT_VERSION = 2   # 2 adds the dataset's name
ZIP_SIGNATURE = b"PK\x03\x04"

# Budgets for a parameters file; each is stated in the message that refuses a file over it.
# The largest images a dataset may hold: w, mean and std hold at most MAX_FEATURES values.
MAX_NUM_PX = MAX_SIDE
MAX_FEATURES = MAX_NUM_PX * MAX_NUM_PX * 3
# np.save writes headers of about 120 bytes (numpy itself accepts up to 10,000).
MAX_NPY_HEADER = 1024
# A class name or the scaling mode, in characters.
MAX_NAME_CHARS = 1000
# The largest valid file (256 x 256 x 3 with zscore's mean and std, 100,000 costs) is 5.5 MB.
MAX_FILE_BYTES = 8 * MEGABYTE
# save_params writes a directory of under 1 KB. zipfile builds an object per entry before
# anything can be checked: a 17 MB zip of 200,000 empty entries took 111 MB and 10 s to open.
MAX_DIRECTORY_BYTES = 64 * 1024
# The largest member: a float64 w of MAX_FEATURES values behind the longest header allowed.
MAX_MEMBER_BYTES = npy.MAGIC_LEN + 4 + MAX_NPY_HEADER + 8 * MAX_FEATURES
# The logit z = w.x + b. Past |z| = 745 the sigmoid is exactly 0 or 1, so a larger z says
# nothing more, yet the cost adds up one loss of about |z| per example and overflows near
# 1.8e308 / m. Gradient descent within logreg.settings' bounds stays below 1e18 on raw
# 0-255 pixels (each step moves b by at most 100 and w_j by at most 100 * 255), so 1e100
# refuses no trained model and leaves every sum over examples far from overflow.
MAX_LOGIT = 1e100


class ParamsError(ValueError):
    """A parameters file that cannot be used, with a message naming the file and the field."""


@dataclass(eq=False)
class TrainedModel(Classifier):
    """Logistic regression as trained: w, b, the fitted scaling, the image size, the class
    names and the dataset it was trained on (see :class:`~logreg.model.Classifier`)."""

    w: np.ndarray
    b: float
    scaler: Scaler
    num_px: int
    channels: int
    classes: tuple
    learning_rate: float
    num_iterations: int
    costs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    dataset: str = ""

    def logits(self, X):
        """z = wᵀX + b for scaled columns X (n_x, m), shape (1, m)."""
        return np.dot(self.w.T, X) + self.b


def shared_fields(model):
    """The arrays every saved model holds besides its weights (any
    :class:`~logreg.model.Classifier`): scaling, image size, classes, settings, costs."""
    scaler = model.scaler
    return {
        "scaling": np.array(scaler.mode),
        "mean": np.zeros((0, 1)) if scaler.mean is None else np.asarray(scaler.mean, float),
        "std": np.zeros((0, 1)) if scaler.std is None else np.asarray(scaler.std, float),
        "num_px": np.array(int(model.num_px)),
        "channels": np.array(int(model.channels)),
        "classes": np.array([str(c) for c in model.classes]),
        "learning_rate": np.array(float(model.learning_rate)),
        "num_iterations": np.array(int(model.num_iterations)),
        "costs": np.asarray(model.costs, dtype=float).reshape(-1),
        "dataset": np.array(str(model.dataset)),
    }


def write_npz(arrays, target):
    """``np.savez`` to a path or binary file object, in the order given (no pickle)."""
    if isinstance(target, (str, os.PathLike)):
        # np.savez would append ".npz" to a path without it; write exactly the path asked for.
        with open(target, "wb") as file:
            np.savez(file, **arrays)
    else:
        np.savez(target, **arrays)


def save_params(model, target):
    """Write the model to a path or binary file object as ``.npz`` (no pickled objects)."""
    write_npz({"format_version": np.array(FORMAT_VERSION),
               "w": np.asarray(model.w, dtype=float).reshape(model.n_features, 1),
               "b": np.array(float(model.b)),
               **shared_fields(model)}, target)


def params_to_bytes(model):
    """The ``.npz`` file content of :func:`save_params`, for a download button."""
    buffer = io.BytesIO()
    save_params(model, buffer)
    return buffer.getvalue()


REQUIRED = ("w", "b", "scaling", "mean", "std", "num_px", "channels", "classes",
            "learning_rate", "num_iterations", "costs")
# Format 1 files lack the dataset's name; it is then empty.
FIELDS = ("format_version",) + REQUIRED + ("dataset",)

# What each field may hold, checked from its .npy header before its data is read.
_NUMBERS = {"format_version": "iu", "b": "f", "num_px": "iu", "channels": "iu",
            "learning_rate": "f", "num_iterations": "iu"}
_PIXEL_VECTORS = ("w", "mean", "std")
_ENCRYPTED = 0x01 | 0x40  # zip flag bits: traditional and strong encryption
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


def load_params(source, name=None):
    """Read parameters written by :func:`save_params`, validating every field.

    Parameters
    ----------
    source : path, bytes or binary file object
    name : str, optional
        How the file is named in error messages.

    Raises
    ------
    ParamsError
    """
    label = str(name) if name is not None else (
        str(source) if isinstance(source, (str, os.PathLike)) else "parameters file")
    content = read_limited(source, label, MAX_FILE_BYTES, ParamsError)
    # Anything but a zip (.npz) would be read by numpy as .npy or refused as pickle, so the
    # zip signature comes first for a clear message.
    if not content.startswith(ZIP_SIGNATURE):
        raise ParamsError(f"{label}: not a parameters .npz file (it is not a zip archive)")
    check_directory(content, label)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            fields = _read_members(archive, label)
    except ParamsError:
        raise
    except READ_ERRORS as exc:
        raise ParamsError(f"{label}: not a parameters .npz file ({_first_line(exc)})") from None
    return _validated(fields, label)


def _directory_size(content, label):
    """The size the zip's end record gives its central directory (0 if there is no record).

    The record is the last 22 bytes, or earlier when the zip has a comment (up to 64 KB);
    zipfile finds it the same way, and refuses a file without one by itself.
    """
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 0xFFFF))
    if end < 0 or len(content) - end < 22:
        return 0
    # A zip64 locator just before it would give zipfile another, 8-byte directory size.
    # save_params never writes one: its files are far below zip64's 4 GB and 65,535 entries.
    if content[max(0, end - 20):end - 16] == b"PK\x06\x07":
        raise ParamsError(f"{label}: a zip64 archive, which a parameters file never is")
    return struct.unpack_from("<I", content, end + 12)[0]


def _read_members(archive, label):
    """{field: array} of every member, each checked from its metadata before it is read."""
    members = {}
    for info in archive.infolist():
        if info.filename in members:
            raise ParamsError(f"{label}: the member {_short(info.filename)} appears twice")
        members[info.filename] = info
    # A newer logreg may write other members: say so rather than call them unexpected.
    if "format_version.npy" in members:
        info = members["format_version.npy"]
        version = _read_array(archive, info, _read_header(archive, info, label), label).item()
        if version > FORMAT_VERSION:
            raise ParamsError(f"{label}: written by a newer version of logreg (format "
                              f"{version}, this one reads up to {FORMAT_VERSION})")
    known = {f"{key}.npy": key for key in FIELDS}
    for member in members:
        if member not in known:
            raise ParamsError(f"{label}: unexpected member {_short(member)} (a parameters "
                              f"file holds only {', '.join(FIELDS)})")
    headers = {known[member]: (info, _read_header(archive, info, label))
               for member, info in members.items()}
    missing = [key for key in REQUIRED if key not in headers]
    if missing:
        fields = "field" if len(missing) == 1 else "fields"
        raise ParamsError(f"{label}: missing {fields} {', '.join(missing)}")
    return {key: _read_array(archive, info, header, label)
            for key, (info, header) in headers.items()}


def check_member(info, label, max_bytes):
    """Refuse a zip member from its directory entry alone: encrypted, compressed with a
    method other than stored or deflated, or declaring more than ``max_bytes``."""
    where = f"{label}: member '{info.filename}'"
    if info.flag_bits & _ENCRYPTED:
        raise ParamsError(f"{where} is encrypted")
    if info.compress_type not in _COMPRESSIONS:
        raise ParamsError(f"{where} uses zip compression method {info.compress_type} (only "
                          f"stored and deflated are read)")
    if info.file_size > max_bytes:
        raise ParamsError(f"{where} declares {info.file_size:,} bytes uncompressed, more than "
                          f"the limit of {max_bytes:,}")


def check_directory(content, label):
    """Refuse a zip whose central directory is larger than a saved model's ever is."""
    directory = _directory_size(content, label)
    if directory > MAX_DIRECTORY_BYTES:
        raise ParamsError(f"{label}: the zip directory is {directory:,} bytes, more than the "
                          f"limit of {MAX_DIRECTORY_BYTES:,} for a parameters file")


# What reading a zip member can raise besides our own checks, each a damaged file.
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, struct.error,
               NotImplementedError, RuntimeError)


def _read_header(archive, info, label):
    """(dtype, shape, fortran_order, offset) of a member, from the zip directory and its .npy
    header alone; refuses what its field may not hold before any data is decompressed."""
    where = f"{label}: member '{info.filename}'"
    check_member(info, label, MAX_MEMBER_BYTES)
    try:
        with archive.open(info) as stream:
            version = npy.read_magic(stream)
            if version not in ((1, 0), (2, 0)):
                raise ParamsError(f"{where} is in .npy format {version[0]}.{version[1]}, which "
                                  f"is not read (np.save writes 1.0)")
            length_format = "<H" if version == (1, 0) else "<I"
            length_size = struct.calcsize(length_format)
            (length,) = struct.unpack(length_format, stream.peek(length_size)[:length_size])
            if length > MAX_NPY_HEADER:
                raise ParamsError(f"{where} has a .npy header of {length:,} bytes, more than "
                                  f"the limit of {MAX_NPY_HEADER:,}")
            read_header = (npy.read_array_header_1_0 if version == (1, 0)
                           else npy.read_array_header_2_0)
            shape, fortran_order, dtype = read_header(stream, max_header_size=MAX_NPY_HEADER)
    except ParamsError:
        raise
    except (EOFError, struct.error):
        raise ParamsError(f"{where} is cut short") from None
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise ParamsError(f"{where} is damaged ({_first_line(exc)})") from None
    except ValueError as exc:
        raise ParamsError(f"{where} is not a .npy array ({_first_line(exc)})") from None
    _check_header(info.filename.removesuffix(".npy"), dtype, shape, label)
    offset = npy.MAGIC_LEN + length_size + length
    size = offset + math.prod(shape) * dtype.itemsize
    if info.file_size != size:
        raise ParamsError(f"{where} declares {info.file_size:,} bytes but its header describes "
                          f"{size:,}")
    return dtype, shape, fortran_order, offset


def _check_header(key, dtype, shape, label):
    """Refuse a dtype or shape that field may not have, before its data is read."""
    if dtype.hasobject:
        raise ParamsError(
            f"{label}: contains pickled Python objects, which are refused for safety")
    size = math.prod(shape)
    if key in _NUMBERS:
        if shape != () or dtype.kind not in _NUMBERS[key]:
            raise ParamsError(f"{label}: field '{key}' must be a single number, got {dtype} "
                              f"of shape {shape}")
    elif key in _PIXEL_VECTORS:
        if dtype.kind != "f":
            raise ParamsError(f"{label}: field '{key}' must hold real floating-point numbers, "
                              f"got {dtype}")
        if size > MAX_FEATURES:
            raise ParamsError(f"{label}: field '{key}' has {size:,} values, more than the "
                              f"limit of {MAX_FEATURES:,} (images of at most {MAX_NUM_PX} x "
                              f"{MAX_NUM_PX} x 3)")
    elif key == "costs":
        if dtype.kind != "f" or len(shape) != 1:
            raise ParamsError(f"{label}: field 'costs' must be a 1-D list of numbers")
        if size > MAX_ITERATIONS:
            raise ParamsError(f"{label}: field 'costs' has {size:,} values, more than the "
                              f"limit of {MAX_ITERATIONS:,} (the most iterations logreg trains)")
    elif key == "scaling":
        if shape != () or dtype.kind != "U" or dtype.itemsize > 4 * MAX_NAME_CHARS:
            raise ParamsError(f"{label}: field 'scaling' must be one of "
                              f"{', '.join(SCALING_MODES)}")
    elif key == "dataset":
        if shape != () or dtype.kind != "U" or dtype.itemsize > 4 * MAX_NAME_CHARS:
            raise ParamsError(f"{label}: field 'dataset' must be a name of at most "
                              f"{MAX_NAME_CHARS:,} characters")
    elif key == "classes":
        if shape != (2,) or dtype.kind != "U":
            raise ParamsError(f"{label}: field 'classes' must hold two class names")
        if dtype.itemsize > 4 * MAX_NAME_CHARS:
            raise ParamsError(f"{label}: field 'classes' holds a name of more than "
                              f"{MAX_NAME_CHARS:,} characters")


def _read_array(archive, info, header, label):
    """The member's array, reading no more than the size its header was checked for."""
    dtype, shape, fortran_order, offset = header
    where = f"{label}: member '{info.filename}'"
    try:
        with archive.open(info) as stream:
            stream.read(offset)
            data = stream.read(info.file_size - offset)
    except EOFError:
        raise ParamsError(f"{where} is cut short") from None
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise ParamsError(f"{where} is damaged ({_first_line(exc)})") from None
    array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran_order else "C")
    return array.copy()  # writable, as np.load gives


def _short(name, limit=60):
    return repr(name if len(name) <= limit else name[:limit] + "...")


def _first_line(exc):
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _validated(fields, label):
    """The model, after the checks that need several fields or the values themselves."""
    num_px = fields["num_px"].item()
    channels = fields["channels"].item()
    if num_px < 1 or channels not in (1, 3):
        raise ParamsError(f"{label}: num_px must be at least 1 and channels 1 or 3, got "
                          f"{num_px} and {channels}")
    if num_px > MAX_NUM_PX:
        raise ParamsError(f"{label}: num_px is {num_px}, more than the limit of {MAX_NUM_PX}")
    n = num_px * num_px * channels
    w = fields["w"]
    if w.shape != (n, 1):
        raise ParamsError(f"{label}: field 'w' has shape {w.shape}, expected ({n}, 1) for "
                          f"{num_px} x {num_px} x {channels} images")
    b = fields["b"].item()
    if not np.all(np.isfinite(w)) or not np.isfinite(b):
        raise ParamsError(f"{label}: the weights contain NaN or infinite values")
    mode = str(fields["scaling"])
    if mode not in SCALING_MODES:
        raise ParamsError(f"{label}: field 'scaling' must be one of {', '.join(SCALING_MODES)}")
    mean, std = fields["mean"], fields["std"]
    if mode == "zscore":
        for key, value in (("mean", mean), ("std", std)):
            if value.shape != (n, 1):
                raise ParamsError(f"{label}: field '{key}' has shape {value.shape}, expected "
                                  f"({n}, 1) for zscore scaling")
            if not np.all(np.isfinite(value)):
                raise ParamsError(f"{label}: field '{key}' contains NaN or infinite values")
        if np.any(std <= 0):
            raise ParamsError(f"{label}: field 'std' must be positive")
        scaler = Scaler(mode, mean, std)
    else:
        scaler = Scaler(mode)
    learning_rate = fields["learning_rate"].item()
    num_iterations = fields["num_iterations"].item()
    try:
        Logistic.checked(iterations=num_iterations, learning_rate=learning_rate, scaling=mode)
    except ValueError as exc:
        raise ParamsError(f"{label}: {exc}") from None
    costs = fields["costs"]
    if not np.all(np.isfinite(costs)):
        raise ParamsError(f"{label}: field 'costs' contains NaN or infinite values")
    largest = _largest_logit(w, b, scaler)
    if not largest <= MAX_LOGIT:
        raise ParamsError(f"{label}: the weights are too large: w.x + b reaches {largest:.3g} "
                          f"on some image, more than the limit of {MAX_LOGIT:g}")
    classes = fields["classes"]
    return TrainedModel(w=w, b=float(b), scaler=scaler, num_px=int(num_px),
                        channels=int(channels), classes=tuple(str(c) for c in classes),
                        learning_rate=float(learning_rate), num_iterations=int(num_iterations),
                        costs=costs, dataset=str(fields.get("dataset", "")))


def _largest_logit(w, b, scaler):
    """The largest |w.x + b| over every image of 0-255 pixels (inf if it overflows).

    The scaling is affine per pixel, so each scaled pixel is largest in size at 0 or at 255.
    """
    extremes = np.hstack([np.zeros_like(w), np.full_like(w, 255.0)])
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.abs(scaler.transform(extremes)).max(axis=1, keepdims=True)
        return float(abs(b) + np.sum(np.abs(w) * scaled))
