"""Turning images into the course's X matrix and scaling it.

Three named modes: ``raw`` keeps 0-255, ``divide255`` is the course's ``X / 255``, and
``zscore`` standardises every pixel with the mean and std of the training set.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np

SCALING_MODES = ("raw", "divide255", "zscore")


def flatten(images):
    """(m, h, w, c) images to the course's (h*w*c, m) matrix, one column per image."""
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1).T


@dataclass(frozen=True, eq=False)
class Scaler:
    """A fitted scaling: ``(X - mean) / std`` where mean and std are (n_x, 1) or scalars."""

    mode: str
    mean: Optional[np.ndarray] = None
    std: Optional[np.ndarray] = None

    def same_as(self, other):
        """Whether ``other`` scales every matrix exactly as this one does."""
        if self.mode != other.mode:
            return False
        return self.mode != "zscore" or (np.array_equal(self.mean, other.mean)
                                         and np.array_equal(self.std, other.std))

    def transform(self, X):
        """Scale X of shape (n_x, m) to float."""
        X = np.asarray(X, dtype=float)
        if self.mode == "raw":
            return X
        if self.mode == "divide255":
            return X / 255.0
        return (X - self.mean) / self.std


@dataclass(frozen=True, eq=False)
class PixelSummary:
    """What a matrix of pixel values looks like: its mean and standard deviation, and a
    histogram of ``bins`` bars (so a browser gets 64 numbers, not millions of pixels)."""

    mean: float
    std: float
    counts: np.ndarray
    edges: np.ndarray


def pixel_summary(X, bins=64):
    """The :class:`PixelSummary` of every value in X."""
    values = np.asarray(X, dtype=float).ravel()
    counts, edges = np.histogram(values, bins=bins)
    return PixelSummary(float(values.mean()), float(values.std()), counts, edges)


def scaled_pixel_summary(images, mode, bins=64):
    """The :class:`PixelSummary` of a set of images' pixels under one scaling ``mode``.

    Raw and ÷ 255 map every pixel the same way, so uint8 images are summarized from the
    counts of their 256 levels, each level scaled once: the same histogram as scaling all
    the pixels (np.histogram bins each value alike), without making the 20 MB matrix (a
    fresh server's first Data page summarized the cat data's three scalings in 0.4 s).
    z-score scales each pixel its own way, so its matrix is made.
    """
    images = np.asarray(images)
    X = flatten(images)
    scaler = fit_scaler(mode, X)
    if scaler.mean is not None or images.dtype != np.uint8 or not images.size:
        return pixel_summary(scaler.transform(X), bins)
    counts = np.bincount(images.ravel(), minlength=256)
    levels = np.flatnonzero(counts)
    values, weights = scaler.transform(levels[None, :]).ravel(), counts[levels]
    histogram, edges = np.histogram(values, bins=bins, range=(values.min(), values.max()),
                                    weights=weights)
    mean = np.average(values, weights=weights)
    std = np.sqrt(np.average((values - mean) ** 2, weights=weights))
    return PixelSummary(float(mean), float(std), histogram.astype(np.int64), edges)


def fit_scaler(mode, X_train):
    """Fit a :class:`Scaler` of the given mode on the training matrix (n_x, m)."""
    if mode not in SCALING_MODES:
        raise ValueError(f"scaling must be one of {', '.join(SCALING_MODES)}, got {mode!r}")
    if mode != "zscore":
        return Scaler(mode)
    X_train = np.asarray(X_train, dtype=float)
    mean = X_train.mean(axis=1, keepdims=True)
    std = X_train.std(axis=1, keepdims=True)
    # A pixel that never changes in training carries no information; dividing by 1
    # keeps it at zero instead of producing 0/0.
    std[std == 0] = 1.0
    return Scaler(mode, mean, std)
