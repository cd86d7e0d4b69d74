"""Two-feature datasets for the playground, generated in code (no files).

Every generator returns the course's shapes: ``X`` (2, m) and ``Y`` (1, m) with labels 0/1,
drawn from numpy's legacy generator seeded with ``seed`` so the same seed gives the same
points. ``flower`` is the course's week-3 planar dataset (``load_planar_dataset``).
"""
import numpy as np

# The playground's points: how many, and the seed they are drawn with.
DEFAULT_M = 400
DEFAULT_SEED = 1


def flower(m=400, seed=1):
    """The course's flower: two classes of petals of a rose curve r = 4 sin 4θ, with noise."""
    rng = np.random.RandomState(seed)
    N = m // 2
    X = np.zeros((N * 2, 2))
    Y = np.zeros((N * 2, 1))
    for j in range(2):
        ix = range(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2   # theta
        r = 4 * np.sin(4 * t) + rng.randn(N) * 0.2                           # radius
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


def xor(m=400, seed=1):
    """Points in a square, class 1 where the two coordinates have opposite signs."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(m, 2))
    X += np.sign(X) * 0.05     # a small gap along the axes
    Y = (X[:, 0] * X[:, 1] < 0).astype(float)
    return X.T, Y.reshape(1, -1)


def blobs(m=400, seed=1):
    """Two Gaussian clouds a line can separate: the case logistic regression handles."""
    rng = np.random.RandomState(seed)
    N = m // 2
    X = np.r_[rng.randn(N, 2) * 0.6 + [-1, -0.5], rng.randn(N, 2) * 0.6 + [1, 0.5]]
    Y = np.r_[np.zeros(N), np.ones(N)]
    return X.T, Y.reshape(1, -1)


DATASETS = {"flower": flower, "moons": moons, "circles": circles, "XOR": xor, "blobs": blobs}


def make(name, m=DEFAULT_M, seed=DEFAULT_SEED):
    """``DATASETS[name](m, seed)``: X (2, m), Y (1, m)."""
    if name not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {name!r}")
    return DATASETS[name](m=m, seed=seed)


def grid(X, steps=80, margin=0.5):
    """A steps × steps grid over the points' range: (xs, ys, G) with G of shape (2, steps²)."""
    low = X.min(axis=1) - margin
    high = X.max(axis=1) + margin
    xs = np.linspace(low[0], high[0], steps)
    ys = np.linspace(low[1], high[1], steps)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.vstack([gx.ravel(), gy.ravel()])
