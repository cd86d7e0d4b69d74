"""Trained parameters as one object, saved to and loaded from ``.npz`` without pickle."""
import io
import os
import zipfile
from dataclasses import dataclass, field

import numpy as np

from .core import predict_proba
from .preprocessing import SCALING_MODES, Scaler, flatten

FORMAT_VERSION = 1
ZIP_SIGNATURE = b"PK\x03\x04"


class ParamsError(ValueError):
    """A parameters file that cannot be used, with a message naming the file and the field."""


@dataclass(eq=False)
class TrainedModel:
    """Everything needed to classify a new image: w, b, the fitted scaling and the image size."""

    w: np.ndarray
    b: float
    scaler: Scaler
    num_px: int
    channels: int
    classes: tuple
    learning_rate: float
    num_iterations: int
    costs: np.ndarray = field(default_factory=lambda: np.zeros(0))

    @property
    def n_features(self):
        return self.num_px * self.num_px * self.channels

    def probabilities(self, X_raw):
        """Probability of class 1 for raw (unscaled) columns X_raw of shape (n_x, m)."""
        return predict_proba(self.w, self.b, self.scaler.transform(X_raw))[0]

    def probabilities_of_images(self, images):
        """Probability of class 1 for (m, num_px, num_px, channels) images."""
        return self.probabilities(flatten(images))

    def fits(self, num_px, channels):
        """Whether these parameters apply to images of that size."""
        return self.num_px == num_px and self.channels == channels


def save_params(model, target):
    """Write the model to a path or binary file object as ``.npz`` (no pickled objects)."""
    scaler = model.scaler
    n = model.n_features
    arrays = {
        "format_version": np.array(FORMAT_VERSION),
        "w": np.asarray(model.w, dtype=float).reshape(n, 1),
        "b": np.array(float(model.b)),
        "scaling": np.array(scaler.mode),
        "mean": np.zeros((0, 1)) if scaler.mean is None else np.asarray(scaler.mean, float),
        "std": np.zeros((0, 1)) if scaler.std is None else np.asarray(scaler.std, float),
        "num_px": np.array(int(model.num_px)),
        "channels": np.array(int(model.channels)),
        "classes": np.array([str(c) for c in model.classes]),
        "learning_rate": np.array(float(model.learning_rate)),
        "num_iterations": np.array(int(model.num_iterations)),
        "costs": np.asarray(model.costs, dtype=float).reshape(-1),
    }
    if isinstance(target, (str, os.PathLike)):
        # np.savez would append ".npz" to a path without it; write exactly the path asked for.
        with open(target, "wb") as file:
            np.savez(file, **arrays)
    else:
        np.savez(target, **arrays)


def params_to_bytes(model):
    """The ``.npz`` file content of :func:`save_params`, for a download button."""
    buffer = io.BytesIO()
    save_params(model, buffer)
    return buffer.getvalue()


REQUIRED = ("w", "b", "scaling", "mean", "std", "num_px", "channels", "classes",
            "learning_rate", "num_iterations", "costs")


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
    content = _read_bytes(source, label)
    # np.load guesses the format from the content: anything but a zip (.npz) would be read
    # as .npy or refused as pickle, so check the zip signature first for a clear message.
    if not content.startswith(ZIP_SIGNATURE):
        raise ParamsError(f"{label}: not a parameters .npz file (it is not a zip archive)")
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as npz:
            missing = [key for key in REQUIRED if key not in npz.files]
            if missing:
                raise ParamsError(f"{label}: missing field(s) {', '.join(missing)}")
            fields = {key: npz[key] for key in REQUIRED}
            version = npz["format_version"] if "format_version" in npz.files else None
    except ParamsError:
        raise
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ParamsError(
                f"{label}: contains pickled Python objects, which are refused for safety") from None
        raise ParamsError(f"{label}: not a parameters .npz file ({exc})") from None
    except (OSError, zipfile.BadZipFile, EOFError) as exc:
        raise ParamsError(f"{label}: not a parameters .npz file ({exc})") from None
    if version is not None:
        version = _scalar({"format_version": version}, "format_version", "iu", label)
        if version > FORMAT_VERSION:
            raise ParamsError(f"{label}: written by a newer version of logreg (format "
                              f"{version}, this one reads up to {FORMAT_VERSION})")
    return _validated(fields, label)


def _read_bytes(source, label):
    """The whole content of a path, bytes or binary file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        try:
            with open(source, "rb") as file:
                return file.read()
        except FileNotFoundError:
            raise ParamsError(f"{label}: file not found") from None
        except OSError as exc:
            raise ParamsError(f"{label}: cannot read ({exc.strerror or exc})") from None
    return source.read()


def _scalar(fields, key, kind, label):
    value = fields[key]
    if value.shape != () or value.dtype.kind not in kind:
        raise ParamsError(f"{label}: field '{key}' must be a single number, got {value.dtype} "
                          f"of shape {value.shape}")
    return value.item()


def _validated(fields, label):
    num_px = _scalar(fields, "num_px", "iu", label)
    channels = _scalar(fields, "channels", "iu", label)
    if num_px < 1 or channels not in (1, 3):
        raise ParamsError(f"{label}: num_px must be at least 1 and channels 1 or 3, got "
                          f"{num_px} and {channels}")
    n = num_px * num_px * channels
    w = fields["w"]
    if w.dtype.kind != "f" or w.shape != (n, 1):
        raise ParamsError(f"{label}: field 'w' has shape {w.shape}, expected ({n}, 1) for "
                          f"{num_px} x {num_px} x {channels} images")
    b = _scalar(fields, "b", "f", label)
    if not np.all(np.isfinite(w)) or not np.isfinite(b):
        raise ParamsError(f"{label}: the weights contain NaN or infinite values")
    mode = fields["scaling"]
    if mode.shape != () or mode.dtype.kind != "U" or str(mode) not in SCALING_MODES:
        raise ParamsError(f"{label}: field 'scaling' must be one of {', '.join(SCALING_MODES)}")
    mode = str(mode)
    mean, std = fields["mean"], fields["std"]
    if mode == "zscore":
        for key, value in (("mean", mean), ("std", std)):
            if value.dtype.kind != "f" or value.shape != (n, 1):
                raise ParamsError(f"{label}: field '{key}' has shape {value.shape}, expected "
                                  f"({n}, 1) for zscore scaling")
            if not np.all(np.isfinite(value)):
                raise ParamsError(f"{label}: field '{key}' contains NaN or infinite values")
        if np.any(std <= 0):
            raise ParamsError(f"{label}: field 'std' must be positive")
        scaler = Scaler(mode, mean, std)
    else:
        scaler = Scaler(mode)
    classes = fields["classes"]
    if classes.dtype.kind != "U" or classes.shape != (2,):
        raise ParamsError(f"{label}: field 'classes' must hold two class names")
    learning_rate = _scalar(fields, "learning_rate", "f", label)
    num_iterations = _scalar(fields, "num_iterations", "iu", label)
    costs = fields["costs"]
    if costs.dtype.kind != "f" or costs.ndim != 1:
        raise ParamsError(f"{label}: field 'costs' must be a 1-D list of numbers")
    return TrainedModel(w=w, b=float(b), scaler=scaler, num_px=int(num_px),
                        channels=int(channels), classes=tuple(str(c) for c in classes),
                        learning_rate=float(learning_rate), num_iterations=int(num_iterations),
                        costs=costs)
