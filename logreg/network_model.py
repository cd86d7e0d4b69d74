"""A trained network as one object, saved to and loaded from ``.npz`` without pickle.

The file holds ``layer_dims``, the hidden activation, ``W1``, ``b1``, ... and what
:class:`~logreg.params.TrainedModel` holds (scaling, image size, classes, settings, costs).
Loading checks sizes before reading: the file against :data:`MAX_FILE_BYTES`, the number of
members, then every array's header (dtype and shape, from its first bytes) against what the
architecture says, and only then reads exactly that many bytes. Errors are
:class:`~logreg.params.ParamsError` naming the file, the field and the problem.
"""
import io
import math
import os
import stat
import zipfile
from dataclasses import dataclass, field

import numpy as np

from .course import MAX_ITERATIONS, NETWORK_ITERATIONS, NETWORK_LEARNING_RATE
from .data import MAX_SIDE
from .files import MEGABYTE, read_limited
from .model import Classifier
from .network import (HIDDEN_ACTIVATIONS, INIT_SCHEMES, MAX_HIDDEN_LAYERS, MAX_SEED, MAX_UNITS,
                      L_model_forward, MAX_PARAMETERS, NetworkTrainer, architecture,
                      parameter_count)
from .params import (MAX_NAME_CHARS, READ_ERRORS, ParamsError, check_directory, check_member,
                     load_params, shared_fields, write_npz)
from .pipeline import prepare
from .preprocessing import SCALING_MODES, Scaler
from .settings import Network, scaling as check_scaling
from .words import Message, N_

FORMAT_VERSION = 1
KIND = "network"
ZIP_SIGNATURE = b"PK\x03\x04"
FIRST_MEMBER = b"kind.npy"
# The course's four-layer network has 246,000 parameters (2 MB); 4 million allow a first
# layer of 300 units on 64 x 64 x 3 pictures.
MAX_FILE_BYTES = 8 * MAX_PARAMETERS + 8 * MEGABYTE
MAX_MEMBERS = 2 * (MAX_HIDDEN_LAYERS + 1) + 32
MAX_NUM_PX = MAX_SIDE
SMALL = ("format_version", "kind", "layer_dims", "activation", "init", "seed", "num_px",
         "channels", "classes", "scaling", "learning_rate", "num_iterations", "dataset")


@dataclass(eq=False)
class TrainedNetwork(Classifier):
    """A network as trained: ``parameters`` is the course's dict of W{l} (n_l, n_{l-1}) and
    b{l} (n_l, 1); the rest is what every model keeps (see :class:`~logreg.model.Classifier`).
    """

    parameters: dict
    layer_dims: tuple
    activation: str
    scaler: Scaler
    num_px: int
    channels: int
    classes: tuple
    learning_rate: float
    num_iterations: int
    init: str = "scaled"
    seed: int = 1
    costs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    dataset: str = ""

    def logits(self, X):
        """z of the output unit for scaled columns X (n_x, m), shape (1, m)."""
        _, caches = L_model_forward(X, self.parameters, self.activation)
        return caches[-1][2]

    @property
    def architecture(self):
        return architecture(self.layer_dims)

    @property
    def hidden(self):
        return tuple(self.layer_dims[1:-1])

    def describe(self):
        """The architecture, then what every model says (iterations, rate, scaling, size)."""
        return Message(N_("network {architecture} · {model}"), architecture=self.architecture,
                       model=super().describe())


def to_network_model(trainer, prepared, dataset):
    """Freeze a :class:`~logreg.network.NetworkTrainer`'s current state."""
    return TrainedNetwork(parameters=trainer.parameters, layer_dims=trainer.layer_dims,
                          activation=trainer.activation, scaler=prepared.scaler,
                          num_px=dataset.num_px, channels=dataset.channels,
                          classes=tuple(dataset.classes), learning_rate=trainer.learning_rate,
                          num_iterations=trainer.iteration, init=trainer.init,
                          seed=trainer.seed, costs=np.asarray(trainer.costs),
                          dataset=dataset.name)


def fit_network(dataset, hidden, num_iterations=NETWORK_ITERATIONS,
                learning_rate=NETWORK_LEARNING_RATE, init="scaled",
                activation="relu", seed=1, scaling="divide255", prepared=None):
    """Train a network with these hidden layer sizes and return the :class:`TrainedNetwork`."""
    chosen = Network.checked(hidden=hidden, activation=activation, init=init,
                             learning_rate=learning_rate, iterations=num_iterations, seed=seed)
    scaling = check_scaling(scaling)
    prepared = prepared or prepare(dataset, scaling)
    layer_dims = (prepared.X_train.shape[0], *chosen.hidden, 1)
    trainer = NetworkTrainer(prepared.X_train, prepared.Y_train, layer_dims,
                             chosen.learning_rate, chosen.activation, chosen.init, chosen.seed)
    trainer.run(chosen.iterations)
    return to_network_model(trainer, prepared, dataset)


# ------------------------------------------------------------------------------- saving


def save_network(model, target):
    """Write the network to a path or binary file object as ``.npz`` (no pickled objects)."""
    arrays = {
        "kind": np.array(KIND),   # first: load_model tells the kinds apart by the first member
        "format_version": np.array(FORMAT_VERSION),
        "layer_dims": np.array(model.layer_dims, dtype=np.int64),
        "activation": np.array(model.activation),
        "init": np.array(model.init),
        "seed": np.array(int(model.seed)),
        **shared_fields(model),
    }
    for name, value in model.parameters.items():
        arrays[name] = np.asarray(value, dtype=float)
    write_npz(arrays, target)


def network_to_bytes(model):
    """The ``.npz`` file content of :func:`save_network`, for a download button."""
    buffer = io.BytesIO()
    save_network(model, buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------------------ loading


def load_model(source, name=None):
    """A :class:`TrainedNetwork` or a logistic-regression :class:`~logreg.TrainedModel`,
    whichever the ``.npz`` holds; each loader then applies its own checks and budgets."""
    if _is_network(source):
        return load_network(source, name)
    return load_params(source, name)


def _is_network(source):
    """Whether the zip's first member is ``kind.npy``, as :func:`save_network` writes it.

    Reads at most the first 64 bytes of a regular file (anything else is left to the
    loaders to refuse) and leaves a file object where it was.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        head = bytes(source[:64])
    elif isinstance(source, (str, os.PathLike)):
        try:
            if not stat.S_ISREG(os.stat(source).st_mode):
                return False
            # O_NONBLOCK: a path swapped for a named pipe must not wait for a writer.
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(fd, "rb") as file:
                head = file.read(64)
        except OSError:
            return False
    elif source.seekable():
        start = source.tell()
        head = source.read(64)
        source.seek(start)
    else:
        return False
    name_length = int.from_bytes(head[26:28], "little")
    return head.startswith(ZIP_SIGNATURE) and head[30:30 + name_length] == FIRST_MEMBER


def load_network(source, name=None):
    """Read a network written by :func:`save_network`, validating every field.

    Raises
    ------
    ParamsError
    """
    label = _label(source, name)
    content = _read_capped(source, label)
    if not content.startswith(ZIP_SIGNATURE):
        raise ParamsError(f"{label}: not a network .npz file (it is not a zip archive)")
    check_directory(content, label)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _read_network(archive, label)
    except ParamsError:
        raise
    except READ_ERRORS as exc:
        raise ParamsError(f"{label}: not a network .npz file ({exc})") from None


def _label(source, name):
    if name is not None:
        return str(name)
    return str(source) if isinstance(source, (str, os.PathLike)) else "network file"


def _read_capped(source, label):
    """The whole content, refused from its size or kind before reading past the cap."""
    return read_limited(source, label, MAX_FILE_BYTES, ParamsError)


def _read_network(archive, label):
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ParamsError(f"{label}: {len(infos)} members is more than a network file has")
    for info in infos:
        check_member(info, label, MAX_FILE_BYTES)
    members = {info.filename for info in infos}
    missing = [key for key in SMALL if f"{key}.npy" not in members]
    if missing:
        fields = "field" if len(missing) == 1 else "fields"
        raise ParamsError(f"{label}: missing {fields} {', '.join(missing)}")

    def read(key, kinds, shape=None, max_size=1):
        return _read_array(archive, members, key, kinds, shape, max_size, label)

    version = read("format_version", "iu", ()).item()
    if version > FORMAT_VERSION:
        raise ParamsError(f"{label}: written by a newer version of logreg (format {version}, "
                          f"this one reads up to {FORMAT_VERSION})")
    if str(read("kind", "U", ())) != KIND:
        raise ParamsError(f"{label}: field 'kind' must be {KIND!r}")
    num_px = read("num_px", "iu", ()).item()
    channels = read("channels", "iu", ()).item()
    if not 1 <= num_px <= MAX_NUM_PX or channels not in (1, 3):
        raise ParamsError(f"{label}: num_px must be 1 to {MAX_NUM_PX} and channels 1 or 3, "
                          f"got {num_px} and {channels}")
    n_x = num_px * num_px * channels
    dims = read("layer_dims", "iu", None, MAX_HIDDEN_LAYERS + 2)
    layer_dims = tuple(int(n) for n in dims.ravel())
    if (dims.ndim != 1 or len(layer_dims) < 2 or layer_dims[0] != n_x or layer_dims[-1] != 1
            or len(layer_dims) - 2 > MAX_HIDDEN_LAYERS
            or not all(1 <= n <= MAX_UNITS for n in layer_dims[1:-1])):
        raise ParamsError(
            f"{label}: field 'layer_dims' must run from {n_x} inputs ({num_px} x {num_px} x "
            f"{channels} images) through at most {MAX_HIDDEN_LAYERS} hidden layers of 1 to "
            f"{MAX_UNITS} units to 1 output, got {list(layer_dims)}")
    count = parameter_count(layer_dims)
    if count > MAX_PARAMETERS:
        raise ParamsError(f"{label}: {count:,} parameters is more than the limit of "
                          f"{MAX_PARAMETERS:,}")
    activation = str(read("activation", "U", ()))
    init = str(read("init", "U", ()))
    seed = read("seed", "iu", ()).item()
    if activation not in HIDDEN_ACTIVATIONS or init not in INIT_SCHEMES or \
            not 0 <= seed <= MAX_SEED:
        raise ParamsError(f"{label}: activation must be one of {', '.join(HIDDEN_ACTIVATIONS)}"
                          f", init one of {', '.join(INIT_SCHEMES)} and the seed 0 to "
                          f"{MAX_SEED}, got {activation!r}, {init!r} and {seed}")
    parameters = {}
    for l in range(1, len(layer_dims)):
        for key, shape in ((f"W{l}", (layer_dims[l], layer_dims[l - 1])),
                           (f"b{l}", (layer_dims[l], 1))):
            value = read(key, "f", shape, math.prod(shape))
            if not np.all(np.isfinite(value)):
                raise ParamsError(f"{label}: field '{key}' contains NaN or infinite values")
            parameters[key] = value.astype(float)
    scaler = _read_scaler(read, n_x, label)
    classes = read("classes", "U", (2,), 2)
    dataset = str(read("dataset", "U", ()))
    if len(dataset) > MAX_NAME_CHARS or any(len(c) > MAX_NAME_CHARS for c in classes):
        raise ParamsError(f"{label}: a class or dataset name is longer than "
                          f"{MAX_NAME_CHARS} characters")
    learning_rate = read("learning_rate", "f", ()).item()
    num_iterations = read("num_iterations", "iu", ()).item()
    try:
        Network.checked(iterations=num_iterations, learning_rate=learning_rate)
    except ValueError as exc:
        raise ParamsError(f"{label}: {exc}") from None
    costs = read("costs", "f", None, MAX_ITERATIONS)
    if costs.ndim != 1:
        raise ParamsError(f"{label}: field 'costs' must be a 1-D list of numbers")
    return TrainedNetwork(parameters=parameters, layer_dims=layer_dims, activation=activation,
                          scaler=scaler, num_px=int(num_px), channels=int(channels),
                          classes=tuple(str(c) for c in classes),
                          learning_rate=float(learning_rate), num_iterations=int(num_iterations),
                          init=init, seed=int(seed), costs=costs.astype(float),
                          dataset=dataset)


def _read_scaler(read, n_x, label):
    mode = str(read("scaling", "U", ()))
    if mode not in SCALING_MODES:
        raise ParamsError(f"{label}: field 'scaling' must be one of {', '.join(SCALING_MODES)}")
    if mode != "zscore":
        return Scaler(mode)
    mean = read("mean", "f", (n_x, 1), n_x)
    std = read("std", "f", (n_x, 1), n_x)
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(std)) and np.all(std > 0)):
        raise ParamsError(f"{label}: fields 'mean' and 'std' must be finite, std positive")
    return Scaler(mode, mean.astype(float), std.astype(float))


def _read_array(archive, members, key, kinds, shape, max_size, label):
    """One ``.npy`` member: its header checked first, then exactly its data read."""
    member_name = f"{key}.npy"
    if member_name not in members:
        raise ParamsError(f"{label}: missing field '{key}'")
    try:
        with archive.open(member_name) as member:
            version = np.lib.format.read_magic(member)
            if version == (1, 0):
                found_shape, fortran, dtype = np.lib.format.read_array_header_1_0(member)
            elif version == (2, 0):
                found_shape, fortran, dtype = np.lib.format.read_array_header_2_0(member)
            else:
                raise ParamsError(f"{label}: field '{key}' uses an unsupported .npy version")
            if dtype.hasobject:
                raise ParamsError(f"{label}: field '{key}' holds pickled Python objects, "
                                  f"which are refused for safety")
            longest = 4 * MAX_NAME_CHARS if dtype.kind == "U" else 16
            if dtype.kind not in kinds or dtype.itemsize > longest:
                raise ParamsError(f"{label}: field '{key}' has type {dtype}, not the expected "
                                  f"kind of value")
            if shape is not None and tuple(found_shape) != tuple(shape):
                raise ParamsError(f"{label}: field '{key}' has shape {tuple(found_shape)}, "
                                  f"expected {tuple(shape)}")
            size = math.prod(found_shape)
            if size > max_size:
                raise ParamsError(f"{label}: field '{key}' has {size:,} values, more than "
                                  f"the {max_size:,} expected")
            data = member.read(size * dtype.itemsize)
    except ParamsError:
        raise
    except READ_ERRORS as exc:
        raise ParamsError(f"{label}: field '{key}' cannot be read ({exc})") from None
    if len(data) != size * dtype.itemsize:
        raise ParamsError(f"{label}: field '{key}' is truncated")
    return np.frombuffer(data, dtype=dtype).reshape(found_shape, order="F" if fortran else "C")
