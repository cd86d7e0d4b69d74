"""The course's building blocks: sigmoid, zero initialisation, one propagation, prediction.

Shapes follow the lecture: ``X`` is (features, examples), ``Y`` and ``A`` are (1, m),
``w`` is (features, 1) and ``b`` is a Python float.
"""
import numpy as np

# P(class 1) above this is class 1: the course's rule, and the one every model uses.
THRESHOLD = 0.5
# An answer whose P(class 1) lies less than this from the threshold is shown as "not sure".
# It is not a measured confidence (a model fitted to 209 pictures is not calibrated, and
# says 78 % "cat" to a photo of an astronaut); it marks answers so close to the threshold
# that a small change in the picture or in training flips them. On the course's run
# (2000 iterations, 0.005, pixels / 255) 6 of the 50 test pictures fall inside it and the
# model gets 2 of them right, against 33 of the other 44.
NOT_SURE = 0.1


def not_sure_band(threshold=THRESHOLD):
    """(low, high): the probabilities answered "not sure" around ``threshold``, within [0, 1]."""
    return max(0.0, threshold - NOT_SURE), min(1.0, threshold + NOT_SURE)


def is_not_sure(probability, threshold=THRESHOLD):
    """Whether P(class 1) = ``probability`` is too close to ``threshold`` to call."""
    return abs(probability - threshold) < NOT_SURE


def sigmoid(z):
    """Compute the sigmoid of z without overflow.

    ``1 / (1 + exp(-z))`` overflows for z below about -709; splitting on the sign keeps
    every exponent non-positive, so the result is exact in both tails.

    Parameters
    ----------
    z : scalar or ndarray

    Returns
    -------
    s : ndarray, same shape as z, values in [0, 1]
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def cost_from_logits(z, Y):
    """Cross-entropy cost J computed from z rather than from A = sigmoid(z).

    ``log(A)`` is ``-log(1 + exp(-z)) = -logaddexp(0, -z)``, which stays finite when
    A rounds to exactly 0 or 1 (raw 0-255 pixels do that within a few iterations).

    Parameters
    ----------
    z : ndarray of shape (1, m)
    Y : ndarray of shape (1, m), labels 0/1

    Returns
    -------
    cost : float
    """
    m = Y.shape[1]
    losses = Y * np.logaddexp(0.0, -z) + (1.0 - Y) * np.logaddexp(0.0, z)
    return float(np.sum(losses) / m)


def sigmoid_and_cost(z, Y):
    """A = sigmoid(z) and the cost J together, in few numpy calls (the trainer's inner loop).

    With ``s = log(1 + exp(z))`` (``np.logaddexp(0, z)``, finite for every z):
    ``A = exp(z - s)``, and for labels 0/1 the course's ``-Y log A - (1 - Y) log(1 - A)``
    equals ``s - Y z``. Neither step can overflow or warn; A is exact to a few units in
    the last place of z (the rounding of ``z - s``), far below what gradient descent feels.

    Parameters
    ----------
    z : ndarray of shape (1, m) or (m,)
    Y : ndarray of the same shape, labels 0/1

    Returns
    -------
    A : ndarray, same shape as z
    cost : float
    """
    log_one_plus_exp = np.logaddexp(0.0, z)
    A = np.exp(z - log_one_plus_exp)
    cost = (np.sum(log_one_plus_exp) - np.vdot(Y, z)) / z.size
    return A, float(cost)


def initialize_with_zeros(dim):
    """Create w of shape (dim, 1) filled with zeros and b = 0.0."""
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b


def propagate(w, b, X, Y):
    """Forward and backward propagation for one step.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)

    Returns
    -------
    grads : dict with ``dw`` (n_x, 1) and ``db`` (float)
    cost : float
    """
    m = X.shape[1]
    Z = np.dot(w.T, X) + b
    A = sigmoid(Z)
    cost = cost_from_logits(Z, Y)
    # dJ/dz = A - Y exactly: the sigmoid's A(1 - A) cancels against dJ/dA.
    dZ = A - Y
    dw = np.dot(X, dZ.T) / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, cost


def predict_proba(w, b, X):
    """Probability of class 1 for every column of X, shape (1, m)."""
    return sigmoid(np.dot(w.T, X) + b)


def predict(w, b, X):
    """Predict 0/1 labels, shape (1, m): 1 where the probability is above THRESHOLD (0.5)."""
    return (predict_proba(w, b, X) > THRESHOLD).astype(float)
