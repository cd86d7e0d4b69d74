"""Two-feature points for the playground: made in code, or a learner's own.

Every generator returns the course's shapes: ``X`` (2, m) and ``Y`` (1, m) with labels 0/1,
drawn from numpy's legacy generator seeded with ``seed`` so the same seed gives the same
points. ``flower`` is the course's week-3 planar dataset (``load_planar_dataset``). Each takes
a ``noise`` (the spread of its random jitter, in the points' own units); the default is the
course's, so ``make("flower")`` is the course's flower, point for point.

A learner's own points (clicked on the playground or uploaded as ``x1,x2,label`` text) are
checked once by :func:`points_from_rows`, the same for both.
"""
import csv
import inspect
import io
import math
from dataclasses import dataclass

import numpy as np

from .words import Message, N_

# The playground's points: how many, and the seed they are drawn with.
DEFAULT_M = 400
DEFAULT_SEED = 1

MAX_NOISE = 2.0


def flower(m=400, seed=1, noise=0.2):
    """The course's flower: two classes of petals of a rose curve r = 4 sin 4θ, with noise."""
    rng = np.random.RandomState(seed)
    N = m // 2
    X = np.zeros((N * 2, 2))
    Y = np.zeros((N * 2, 1))
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * noise   # theta
        r = 4 * np.sin(4 * t) + rng.randn(N) * noise                           # radius
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
        Y[ix] = j
    return X.T, Y.T


def moons(m=400, seed=1, noise=0.15):
    """Two interleaving half circles."""
    rng = np.random.RandomState(seed)
    N = m // 2
    t = np.pi * rng.rand(N)
    upper = np.c_[np.cos(t), np.sin(t)]
    lower = np.c_[1 - np.cos(t), 0.5 - np.sin(t)]
    X = np.r_[upper, lower] + rng.randn(2 * N, 2) * noise
    Y = np.r_[np.zeros(N), np.ones(N)]
    return X.T, Y.reshape(1, -1)


def circles(m=400, seed=1, noise=0.08):
    """A ring around a disc: class 1 inside."""
    rng = np.random.RandomState(seed)
    N = m // 2
    t = 2 * np.pi * rng.rand(2 * N)
    radius = np.r_[np.full(N, 1.0), np.full(N, 0.45)]
    X = np.c_[radius * np.cos(t), radius * np.sin(t)] + rng.randn(2 * N, 2) * noise
    Y = np.r_[np.zeros(N), np.ones(N)]
    return X.T, Y.reshape(1, -1)


def xor(m=400, seed=1, noise=0.0):
    """Points in a square, class 1 where the two coordinates have opposite signs (labelled
    before the jitter, so noise blurs the cross)."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(m, 2))
    X += np.sign(X) * 0.05     # a small gap along the axes
    Y = (X[:, 0] * X[:, 1] < 0).astype(float)
    if noise:
        X += rng.randn(m, 2) * noise
    return X.T, Y.reshape(1, -1)


def blobs(m=400, seed=1, noise=0.6):
    """Two Gaussian clouds a line can separate: the case logistic regression handles."""
    rng = np.random.RandomState(seed)
    N = m // 2
    X = np.r_[rng.randn(N, 2) * noise + [-1, -0.5], rng.randn(N, 2) * noise + [1, 0.5]]
    Y = np.r_[np.zeros(N), np.ones(N)]
    return X.T, Y.reshape(1, -1)


DATASETS = {"flower": flower, "moons": moons, "circles": circles, "XOR": xor, "blobs": blobs}
# Each generator's usual noise, its own default (the course's, for the flower). The
# defaults are plain numbers: an export copies a generator's source as it is.
NOISE = {name: inspect.signature(make_points).parameters["noise"].default
         for name, make_points in DATASETS.items()}


def make(name, m=DEFAULT_M, seed=DEFAULT_SEED, noise=None):
    """``DATASETS[name](m, seed, noise)``: X (2, m), Y (1, m); ``noise`` None is the usual."""
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {name!r}")
    if noise is not None and not 0 <= noise <= MAX_NOISE:
        raise ValueError(Message(N_("the noise must be from 0 to {limit}, got {value}"),
                                 limit=MAX_NOISE, value=noise))
    return DATASETS[name](m=m, seed=seed, noise=NOISE[name] if noise is None else noise)


def extent(X, margin=0.5):
    """The square box the points are drawn in, (x_low, x_high, y_low, y_high): their range
    and ``margin`` beyond it (or 5 % of the longer side when that is more), its shorter
    side widened about its centre so a circle stays round."""
    X = np.asarray(X, dtype=float)
    if X.size == 0:
        return DEFAULT_EXTENT
    low, high = X.min(axis=1), X.max(axis=1)
    half = (high - low).max() / 2 + max(margin, 0.05 * (high - low).max())
    centre = (low + high) / 2
    return (float(centre[0] - half), float(centre[0] + half),
            float(centre[1] - half), float(centre[1] + half))


DEFAULT_EXTENT = (-5.0, 5.0, -5.0, 5.0)   # an empty canvas: about the flower's size


def grid(box, steps=40):
    """A steps × steps grid over ``box`` (an :func:`extent`): (xs, ys, G), G of shape
    (2, steps²), row by row from the lowest y."""
    xs = np.linspace(box[0], box[1], steps)
    ys = np.linspace(box[2], box[3], steps)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.vstack([gx.ravel(), gy.ravel()])


# ---------------------------------------------------------------- feature crosses


CROSSES = ("x1²", "x2²", "x1·x2")


def with_crosses(X):
    """The features (x1, x2, x1², x2², x1·x2) of points X (2, m): shape (5, m). A model
    linear in these draws a conic in the plane, a curve from a straight line."""
    X = np.asarray(X, dtype=float)
    return np.vstack([X, X[0] ** 2, X[1] ** 2, X[0] * X[1]])


# ------------------------------------------------------------------- the test split


MAX_TEST_SHARE = 0.5


def test_mask(X, share):
    """Which points are held out for testing, shape (m,): about ``share`` of them.

    Each point's fate comes from a hash of its own coordinates, so adding or erasing a
    point moves no other point between the training and the test set.
    """
    X = np.ascontiguousarray(np.asarray(X, dtype=float).T + 0.0)   # + 0.0: -0.0 is 0.0
    if not 0 <= share <= MAX_TEST_SHARE:
        raise ValueError(Message(N_("the share of test points must be from 0 to {limit}, "
                                    "got {value}"), limit=MAX_TEST_SHARE, value=share))
    if share == 0 or X.shape[0] == 0:
        return np.zeros(X.shape[0], dtype=bool)
    bits = X.view(np.uint64)                      # (m, 2): each coordinate's 64 bits
    mixed = _mix(_mix(bits[:, 0]) ^ bits[:, 1])
    return (mixed >> np.uint64(11)).astype(float) / 2.0 ** 53 < share


def _mix(z):
    """SplitMix64's finaliser: every input bit moves about half of the output bits."""
    z = z ^ (z >> np.uint64(30))
    z = z * np.uint64(0xBF58476D1CE4E5B9)
    z = z ^ (z >> np.uint64(27))
    z = z * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


# ------------------------------------------------------------- a learner's own points


MAX_POINTS = 1000
MAX_COORDINATE = 1e6       # x1² of the feature crosses stays far from overflow
# 1,000 rows of "x1,x2,label" at full precision are about 45 kB.
MAX_CSV_BYTES = 100 * 1024


class PointsError(ValueError):
    """Points that cannot be used, with one sentence naming their file and the problem."""


def points_from_rows(rows, name, lines=None):
    """X (2, m) and Y (1, m) from rows of three values ``x1, x2, label``.

    Parameters
    ----------
    rows : iterable of sequences of str or numbers
    name : str, how the points are named in an error (a file's name)
    lines : sequence of int, each row's line number for an error (default 1, 2, ...)

    Raises
    ------
    PointsError
        Naming ``name``, the line and the problem: not three values, a value that is not
        a finite number of at most MAX_COORDINATE, a label other than 0 or 1, more than
        MAX_POINTS rows, or none at all.
    """
    values = []
    for index, row in enumerate(rows):
        line = lines[index] if lines is not None else index + 1
        if len(values) == MAX_POINTS:
            raise PointsError(Message(N_("{name}: more than {limit:,} points"), name=name,
                                      limit=MAX_POINTS))
        count = len(row) if isinstance(row, (list, tuple)) else 1
        if count != 3:
            raise PointsError(Message(N_("{name}, line {line}: expected 3 values (x1, x2, "
                                         "label), got {count}"), name=name, line=line,
                                      count=count))
        x1, x2 = (_coordinate(value, name, line) for value in row[:2])
        values.append((x1, x2, _label(row[2], name, line)))
    if not values:
        raise PointsError(Message(N_("{name}: no points (expected rows of x1, x2, label)"),
                                  name=name))
    array = np.array(values, dtype=float).T
    return array[:2], array[2:]


def _number(value):
    if isinstance(value, bool):
        raise ValueError
    number = float(value.strip() if isinstance(value, str) else value)
    if isinstance(value, str) and len(value.strip()) > 40:
        raise ValueError
    return number


def _coordinate(value, name, line):
    try:
        number = _number(value)
    except (TypeError, ValueError):
        raise PointsError(Message(N_("{name}, line {line}: {value} is not a number"),
                                  name=name, line=line, value=_shown(value))) from None
    if not math.isfinite(number) or abs(number) > MAX_COORDINATE:
        raise PointsError(Message(N_("{name}, line {line}: {value} is not a finite number "
                                     "from -{limit:g} to {limit:g}"), name=name, line=line,
                                  value=_shown(value), limit=MAX_COORDINATE))
    return number


def _label(value, name, line):
    try:
        number = _number(value)
    except (TypeError, ValueError):
        number = None
    if number not in (0.0, 1.0):
        raise PointsError(Message(N_("{name}, line {line}: the label must be 0 or 1, got "
                                     "{value}"), name=name, line=line, value=_shown(value)))
    return number


def _shown(value):
    """A value as an error quotes it: short, and as written."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text[:20] + "…" if len(text) > 20 else text)


def check_csv_size(size, name):
    """Refuse a CSV file of ``size`` bytes above MAX_CSV_BYTES (with PointsError)."""
    if size > MAX_CSV_BYTES:
        raise PointsError(Message(N_("{name}: the file is more than the limit of {limit:,} "
                                     "kB"), name=name, limit=MAX_CSV_BYTES // 1024))


def read_points_csv(content, name):
    """X (2, m) and Y (1, m) from the bytes of a CSV file of ``x1,x2,label`` rows.

    A first row that is not numbers is a header and skipped; empty rows are skipped. The
    size is checked before anything is decoded (a caller holding only the file's size
    should check it against MAX_CSV_BYTES before reading it at all).

    Raises
    ------
    PointsError
        With one sentence naming the file and the problem.
    """
    check_csv_size(len(content), name)
    try:
        text = bytes(content).decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\0" in text:
        raise PointsError(Message(N_("{name}: not a text file (expected CSV rows of x1, x2, "
                                     "label)"), name=name))
    if text.count("\n") > 2 * MAX_POINTS + 1:    # rows and blank lines, before parsing
        raise PointsError(Message(N_("{name}: more than {limit:,} points"), name=name,
                                  limit=MAX_POINTS))
    try:
        rows = [(line, row) for line, row in enumerate(csv.reader(io.StringIO(text)), 1)
                if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise PointsError(Message(N_("{name}: not a CSV file ({problem})"), name=name,
                                  problem=str(exc)[:80])) from None
    if rows and not _numbers(rows[0][1]):
        rows = rows[1:]                            # a header such as x1,x2,label
    if len(rows) > MAX_POINTS:
        raise PointsError(Message(N_("{name}: more than {limit:,} points"), name=name,
                                  limit=MAX_POINTS))
    return points_from_rows([row for _, row in rows], name, [line for line, _ in rows])


def _numbers(row):
    try:
        [_number(value) for value in row]
    except (TypeError, ValueError):
        return False
    return True


@dataclass(frozen=True, eq=False)
class Points:
    """Points to learn from, which of them are held out, and the box they are drawn in.

    Attributes
    ----------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m), labels 0/1
    test : ndarray of shape (m,), bool: held out for testing (:func:`test_mask`)
    extent : (x_low, x_high, y_low, y_high), see :func:`extent`
    """

    X: np.ndarray
    Y: np.ndarray
    test: np.ndarray
    extent: tuple

    @classmethod
    def split(cls, X, Y, share=0.0, box=None):
        """``X, Y`` with about ``share`` of them held out, drawn in ``box`` (default: the
        :func:`extent` of X)."""
        X = np.asarray(X, dtype=float).reshape(2, -1)
        Y = np.asarray(Y, dtype=float).reshape(1, -1)
        return cls(X, Y, test_mask(X, share), tuple(box) if box is not None else extent(X))

    @property
    def m(self):
        return self.X.shape[1]

    @property
    def train(self):
        """(X, Y) of the points the model learns from."""
        return self.X[:, ~self.test], self.Y[:, ~self.test]

    @property
    def held_out(self):
        """(X, Y) of the test points (shape (2, 0) and (1, 0) when there are none)."""
        return self.X[:, self.test], self.Y[:, self.test]

    def trainable(self):
        """Whether the training points hold both classes (else there is nothing to learn)."""
        labels = self.train[1]
        return bool(0 < labels.sum() < labels.size)
