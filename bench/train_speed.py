"""How much faster the Trainer is than the seed-style loop, measured in one process.

Usage::

    python bench/train_speed.py [--iterations 2000] [--learning-rate 0.005] [--repeats 5]
                                [--data DIR]

Loads the course's cat data (``--data``, else ``$LOGREG_DATA_DIR``, else ``data/``), scales it
by 255, then trains for the same number of iterations three ways: the seed's loop (with its
bugs fixed: ``b`` is updated with ``db``), the Trainer's automatic choice (the Gram path on this
data, the Gram matrix included in its time) and the Trainer's primal path. The three run in
turn ``--repeats`` times, so a burst of load on a shared machine slows all of them rather than
one, and the medians are compared. It checks that all three give the same costs within 1e-9
and prints the times and the speed-up. Exits 1 if they disagree.
"""
import statistics
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logreg import load_dataset  # noqa: E402
from logreg.trainer import Trainer  # noqa: E402

TOLERANCE = 1e-9
TARGET_RATIO = 30.0


def seed_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def seed_propagate(w, b, X, Y):
    """The seed's propagate: cost from log(A), gradients from A - Y."""
    m = X.shape[1]
    A = seed_sigmoid(np.dot(w.T, X) + b)
    cost = -(1 / m) * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = (1 / m) * np.dot(X, (A - Y).T)
    db = (1 / m) * np.sum(A - Y)
    return {"dw": dw, "db": db}, cost


def seed_optimize(w, b, X, Y, num_iterations, learning_rate):
    """The seed's optimize with its bug fixed (b is updated with db, not dw)."""
    costs = []
    for _ in range(num_iterations):
        grads, cost = seed_propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        costs.append(cost)
    return w, b, costs


def find_data(folder):
    candidates = [folder] if folder else [os.environ.get("LOGREG_DATA_DIR"), ROOT / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "train_catvnoncat.h5").is_file():
            return Path(candidate)
    sys.exit("error: train_catvnoncat.h5 not found: pass --data DIR or set LOGREG_DATA_DIR")


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def spread(seconds):
    return f"(min {min(seconds):.3f}, max {max(seconds):.3f})"


def blas_info():
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    return "; ".join(f"{p.get('internal_api')} {p.get('version')} {p.get('architecture')} "
                     f"threads={p.get('num_threads')}" for p in threadpool_info())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--learning-rate", type=float, default=0.005)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()

    folder = find_data(args.data)
    train_x, train_y, *_ = load_dataset(folder / "train_catvnoncat.h5",
                                        folder / "test_catvnoncat.h5")
    X = train_x.reshape(train_x.shape[0], -1).T / 255.
    Y = train_y.astype(float)
    n, iterations, rate = X.shape[0], args.iterations, args.learning_rate
    print(f"data: {folder}  X {X.shape}  {iterations} iterations, learning rate {rate}")
    print(f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', '(unset)')}  "
          f"BLAS: {blas_info()}")

    times = {"seed": [], "auto": [], "primal": []}
    for _ in range(args.repeats):
        (seed_w, seed_b, seed_costs), seconds = timed(
            lambda: seed_optimize(np.zeros((n, 1)), 0.0, X, Y, iterations, rate))
        times["seed"].append(seconds)
        auto, seconds = timed(lambda: Trainer(X, Y, rate).run(iterations))
        times["auto"].append(seconds)
        primal, seconds = timed(lambda: Trainer(X, Y, rate, method="primal").run(iterations))
        times["primal"].append(seconds)
    seed_time, auto_time, primal_time = (statistics.median(times[k])
                                         for k in ("seed", "auto", "primal"))

    differences = {
        f"{auto.method} costs": np.max(np.abs(np.asarray(auto.costs) - seed_costs)),
        f"{auto.method} w": np.max(np.abs(auto.w - seed_w)),
        "primal costs": np.max(np.abs(np.asarray(primal.costs) - seed_costs)),
        "primal w": np.max(np.abs(primal.w - seed_w)),
    }
    print(f"median of {args.repeats} alternating runs:")
    print(f"seed-style loop : {seed_time:8.3f} s  {spread(times['seed'])}")
    print(f"Trainer auto    : {auto_time:8.3f} s  {spread(times['auto'])}  "
          f"(auto picked '{auto.method}')")
    print(f"Trainer primal  : {primal_time:8.3f} s  {spread(times['primal'])}")
    ratio = seed_time / auto_time
    print(f"speed-up auto   : {ratio:8.1f}x  (target >= {TARGET_RATIO:g}x)")
    print(f"speed-up primal : {seed_time / primal_time:8.1f}x")
    for what, difference in differences.items():
        print(f"max |{what} - seed| = {difference:.2e}")
    agree = all(d <= TOLERANCE for d in differences.values())
    print("agree within 1e-9:", "yes" if agree else "NO")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
