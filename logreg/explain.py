"""Why one neuron on pixels calls everyday photos "cat": its answer, taken apart.

Logistic regression answers with ``z = w·x + b``: a sum of one push ``w_i x_i`` per pixel
value (12,288 of them for a 64 × 64 colour picture) plus the bias, and P(class 1) =
sigmoid(z). A push depends on one value at one place, never on its neighbours, so the model
cannot see a shape, only which colours sit where. These functions give the numbers the
Classify page explains that with, for the pictures on the page and the model just trained.
Only :class:`~logreg.params.TrainedModel` (one neuron) is taken apart; a network's hidden
units mix the pixels before its output sums them.
"""
from dataclasses import dataclass

import numpy as np

from .core import THRESHOLD, is_not_sure
from .params import TrainedModel
from .preprocessing import flatten

LEVELS = 255   # a pixel value goes from 0 to 255


@dataclass(frozen=True)
class Pushes:
    """One picture's ``z = w·x + b`` split into its pushes.

    ``toward`` is the sum of the positive pushes (toward class 1), ``against`` the sum of
    the negative ones (≤ 0), so ``z = toward + against + bias``; ``share_toward`` is the
    fraction of the n_x values whose push is positive; ``by_channel`` the sum of the pushes
    of each colour channel (one entry for grayscale); ``brightness`` the picture's mean
    pixel value, 0 to 255.
    """

    probability: float
    z: float
    bias: float
    toward: float
    against: float
    share_toward: float
    by_channel: tuple
    brightness: float


def explainable(model):
    """Whether ``model`` is one neuron, whose answer :func:`pushes` takes apart."""
    return isinstance(model, TrainedModel)


def pushes(model, image):
    """The :class:`Pushes` of one raw (num_px, num_px, channels) uint8 image."""
    x = model.scaler.transform(flatten(np.asarray(image)[None]))[:, 0]
    push = model.w.ravel() * x
    z = float(push.sum() + model.b)
    per_channel = push.reshape(-1, model.channels).sum(axis=0)
    return Pushes(
        probability=float(model.predict_proba(np.asarray(image)[None])[0]),
        z=z, bias=float(model.b),
        toward=float(push[push > 0].sum()), against=float(push[push < 0].sum()),
        share_toward=float(np.mean(push > 0)),
        by_channel=tuple(float(v) for v in per_channel),
        brightness=float(np.mean(image)))


def plain_picture(model, level=128):
    """P(class 1) for a picture of one grey level everywhere: no shape, nothing in it."""
    image = np.full((1, model.num_px, model.num_px, model.channels), level, np.uint8)
    return float(model.predict_proba(image)[0])


def channel_effects(model):
    """How far z moves when every value of one channel goes from 0 to 255, per channel.

    For pixels / 255 that is the sum of the channel's weights; for raw pixels 255 times it,
    and for z-scores each weight divided by its pixel's spread. Positive: the brighter that
    colour, the more class 1.
    """
    base = np.zeros((model.n_features, 1))
    start = model.logits(model.scaler.transform(base))
    effects = []
    for channel in range(model.channels):
        lit = base.copy()
        lit[channel::model.channels] = LEVELS
        effects.append(float((model.logits(model.scaler.transform(lit)) - start)[0, 0]))
    return tuple(effects)


def base_rate(dataset):
    """The share of class 1 among the training pictures."""
    return float(np.mean(dataset.labels("train")))


def tally(probabilities, threshold=THRESHOLD):
    """(answered class 1, not sure, answered class 0) for these P(class 1)."""
    unsure = [is_not_sure(p, threshold) for p in probabilities]
    positive = sum(1 for p, u in zip(probabilities, unsure) if not u and p > threshold)
    return positive, sum(unsure), len(unsure) - sum(unsure) - positive
