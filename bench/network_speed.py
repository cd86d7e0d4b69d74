"""How much faster the network's Gram path is than the plain layer-by-layer loop.

Usage::

    python bench/network_speed.py [--iterations 2500] [--repeats 3] [--data DIR]

Trains the course's four-layer network (12288-20-7-5-1, ReLU, scaled initialisation, seed 1,
learning rate 0.0075) on the cat data scaled by 255, in turn on the plain path (the course's
``L_model_forward`` / ``L_model_backward`` / ``update_parameters`` loop, 12288-wide products
at every iteration) and on the Gram path, ``--repeats`` times each, and compares the medians.
The Gram path's time includes everything it computes once (the initial weights, W1_0 X and
X.T X). Checks that both give the same costs within 1e-9 and prints the course's accuracies.
Exits 1 if the costs disagree.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from logreg import load_dataset  # noqa: E402
from logreg.network import NetworkTrainer, predict  # noqa: E402
from logreg.trainer import accuracy  # noqa: E402
from train_speed import blas_info, find_data, spread  # noqa: E402

LAYERS = (12288, 20, 7, 5, 1)
TOLERANCE = 1e-9
TARGET_RATIO = 30.0
TARGET_SECONDS = 1.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()

    folder = find_data(args.data)
    train_x, train_y, test_x, test_y, _ = load_dataset(folder / "train_catvnoncat.h5",
                                                       folder / "test_catvnoncat.h5")
    X = train_x.reshape(train_x.shape[0], -1).T / 255.
    X_test = test_x.reshape(test_x.shape[0], -1).T / 255.
    Y = train_y.astype(float)
    print(f"data: {folder}  X {X.shape}  network {'-'.join(map(str, LAYERS))}, "
          f"{args.iterations} iterations, learning rate 0.0075")
    print(f"BLAS: {blas_info()}")

    times = {"plain": [], "gram": []}
    runs = {}
    for _ in range(args.repeats):
        for method, name in (("primal", "plain"), ("gram", "gram")):
            began = time.perf_counter()
            runs[name] = NetworkTrainer(X, Y, LAYERS, 0.0075, method=method).run(args.iterations)
            times[name].append(time.perf_counter() - began)
    plain, gram = (statistics.median(times[name]) for name in ("plain", "gram"))
    difference = float(np.max(np.abs(np.asarray(runs["gram"].costs) - runs["plain"].costs)))

    print(f"median of {args.repeats} alternating runs:")
    print(f"plain layer-by-layer loop : {plain:8.3f} s  {spread(times['plain'])}")
    print(f"Gram path                 : {gram:8.3f} s  {spread(times['gram'])}  "
          f"(target <= {TARGET_SECONDS:g} s)")
    print(f"speed-up                  : {plain / gram:8.1f}x  (target >= {TARGET_RATIO:g}x)")
    print(f"max |gram costs - plain costs| = {difference:.2e}")
    parameters = runs["gram"].parameters
    for i in (0, 100, args.iterations - 100):
        if 0 <= i < args.iterations:
            print(f"Cost after iteration {i}: {runs['gram'].costs[i]!r}")
    print(f"train accuracy: {accuracy(predict(X, parameters), Y)} %")
    print(f"test accuracy: {accuracy(predict(X_test, parameters), test_y)} %")
    agree = difference <= TOLERANCE
    print("agree within 1e-9:", "yes" if agree else "NO")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
