"""Issue 24's eviction attempt against the store with its real caps (512 MiB, 32 MiB a
browser): a classmate saves a model, then 23 fresh cookies each save one legal 23.7 MB
dataset pair, as studio.frame.saved does (write, then the once-a-minute sweep); a last sweep
runs a minute later. Prints the store's size on disk after each write, its peak and
whether the classmate's model survived.

    LOGREG_DATA_DIR=... python tools/store_fairness.py     # writes ~0.5 GB in a temporary folder
"""
import os
import shutil
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from logreg.data import Dataset  # noqa: E402
from logreg.pipeline import fit  # noqa: E402


def on_disk(folder):
    return sum(p.lstat().st_blocks * 512 for p in folder.iterdir() if p.is_file())


def main():
    folder = tempfile.mkdtemp(prefix="store-fairness-")
    os.environ["LOGREG_STATE_DIR"] = folder
    from studio.session import store
    for name in (store.TOTAL_ENV, store.BROWSER_ENV, "LOGREG_STATE_MAX_BROWSERS"):
        os.environ.pop(name, None)
    try:
        rng = np.random.default_rng(0)
        small = Dataset("s", rng.integers(0, 256, (20, 16, 16, 3), np.uint8),
                        np.array([[0, 1] * 10]), rng.integers(0, 256, (4, 16, 16, 3), np.uint8),
                        np.array([[0, 1] * 2]), ("a", "b"))
        classmate = store.new_token()
        model = fit(small, num_iterations=20)
        store.write(classmate, store.encode(store.Saved(model=model, model_key="k"), 10**8)[0])
        # the largest legal pair: 12 million pixel values a file, 128 x 128 x 3 images
        big = Dataset("big", rng.integers(0, 256, (244, 128, 128, 3), np.uint8),
                      np.array([[0, 1] * 122]), rng.integers(0, 256, (238, 128, 128, 3),
                                                              np.uint8),
                      np.array([[0, 1] * 119]), ("a", "b"))
        pair, dropped = store.encode(store.Saved(datasets={"upload:big": big}),
                                     store.browser_max_bytes())
        assert not dropped
        print(f"one attacker's file: {len(pair) / 1e6:.1f} MB; caps: total "
              f"{store.total_max_bytes() / 2**20:.0f} MiB, a browser "
              f"{store.browser_max_bytes() / 2**20:.0f} MiB")
        peak, refused = 0, 0
        for i in range(23):
            token = store.new_token()
            try:
                store.write(token, pair)
            except Exception as exc:        # StoreFull, where the store refuses
                refused += 1
                print(f"write {i + 1}: refused ({exc})")
            store.sweep(keep=store.path_for(token))
            peak = max(peak, on_disk(store.directory()))
        store.sweep(force=True)
        final = on_disk(store.directory())
        back = store.read(classmate)
        survived = back is not None and back.model is not None
        print(f"peak after a write: {peak / 1e6:.1f} MB ({peak / 2**20:.1f} MiB); after the "
              f"last sweep: {final / 1e6:.1f} MB ({final / 2**20:.1f} MiB); refused: "
              f"{refused}; the classmate's model survived: {survived}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
