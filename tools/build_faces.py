"""Rebuild data/train_faces.h5 and data/test_faces.h5 from scikit-image's LFW subset.

    python tools/build_faces.py [--out DIR]

scikit-image is needed by this script alone (``pip install scikit-image``); the app and the
tests only read the committed files. With the same h5py/HDF5 versions the output is
byte-for-byte identical to the committed files (the sha256 digests are in data/README.md).

``skimage.data.lfw_subset()`` holds 200 grayscale 25 x 25 crops from Labeled Faces in the
Wild as floats in [0, 1]: the first 100 are faces, the last 100 non-faces. Each pixel becomes
``floor(value * 255 + 0.5)`` (round half up) as uint8, stored as (m, 25, 25, 1).
"""
import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logreg.builder import stratified_split  # noqa: E402
from logreg.h5write import pair_file_names, split_to_bytes  # noqa: E402

NAME = "faces"
CLASSES = ("non-face", "face")
TEST_FRACTION = 0.25  # 150 train / 50 test
SEED = 0


def faces_arrays():
    """(images (200, 25, 25, 1) uint8, labels (200,) with 1 = face) from scikit-image."""
    from skimage.data import lfw_subset

    values = np.asarray(lfw_subset(), dtype=np.float64)
    if values.shape != (200, 25, 25):
        raise SystemExit(f"error: lfw_subset() has shape {values.shape}, expected (200, 25, 25)")
    pixels = np.clip(np.floor(values * 255.0 + 0.5), 0, 255).astype(np.uint8)
    labels = np.r_[np.ones(100, np.int64), np.zeros(100, np.int64)]
    return pixels[..., np.newaxis], labels


def build(out_dir):
    """Write the pair into out_dir; return {file name: sha256}."""
    images, labels = faces_arrays()
    train, test = stratified_split(labels, TEST_FRACTION, SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    digests = {}
    for split, index, file_name in zip(("train", "test"), (train, test),
                                       pair_file_names(NAME)):
        data = split_to_bytes(split, images[index], labels[index], CLASSES)
        (out_dir / file_name).write_bytes(data)
        digests[file_name] = hashlib.sha256(data).hexdigest()
    return digests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data",
                        help="output folder (default: the project's data/)")
    args = parser.parse_args()
    for file_name, digest in build(args.out).items():
        print(f"{digest}  {args.out / file_name}")


if __name__ == "__main__":
    main()
