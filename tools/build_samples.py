"""Rebuild the sample photos in data/samples/ from scikit-image's bundled images.

    python tools/build_samples.py [--out DIR]

scikit-image is needed by this script alone (``pip install scikit-image``); the app and the
tests only read the committed files. Each image is cut to a square (or padded to one, for
the horse drawing), so the 64 × 64 picture a model sees is not squashed, then resized with
Lanczos filtering to logreg.samples.MAX_SIDE pixels and saved as a JPEG (quality 85) or,
for the black-and-white drawing, a PNG. Where each image comes from and its licence are in
data/README.md.
"""
import argparse
import hashlib
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from logreg.samples import MAX_SIDE, NAMES, SAMPLES_DIR  # noqa: E402

# file name: (scikit-image function, how it becomes square)
SOURCES = {
    "chelsea.jpg": ("chelsea", "crop"),
    "coffee.jpg": ("coffee", "crop"),
    "astronaut.jpg": ("astronaut", "crop"),
    "rocket.jpg": ("rocket", "crop"),
    "hubble.jpg": ("hubble_deep_field", "crop"),
    "brick.jpg": ("brick", "crop"),
    "coins.jpg": ("coins", "crop"),
    "horse.png": ("horse", "pad"),
}
JPEG_QUALITY = 85


def square(pixels, how):
    """The centre square of an (h, w[, c]) uint8 array, or the array padded with white."""
    h, w = pixels.shape[:2]
    if how == "crop":
        side = min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        return pixels[top:top + side, left:left + side]
    side = max(h, w)
    out = np.full((side, side) + pixels.shape[2:], 255, np.uint8)
    top, left = (side - h) // 2, (side - w) // 2
    out[top:top + h, left:left + w] = pixels
    return out


def sample_bytes(name):
    """The file's bytes, made from scikit-image's image."""
    import skimage.data

    function, how = SOURCES[name]
    pixels = np.asarray(getattr(skimage.data, function)())
    if pixels.dtype == bool:          # the horse: True is the white paper, False the horse
        pixels = np.where(pixels, 255, 0).astype(np.uint8)
    image = Image.fromarray(square(pixels, how))
    image = image.resize((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if name.endswith(".png"):
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def build(out_dir):
    """Write every sample into out_dir; return {file name: sha256}."""
    assert list(SOURCES) == list(NAMES), "logreg.samples.NAMES and SOURCES must agree"
    out_dir.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name in NAMES:
        data = sample_bytes(name)
        (out_dir / name).write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR,
                        help="output folder (default: the project's data/samples/)")
    args = parser.parse_args()
    for name, digest in build(args.out).items():
        print(f"{digest}  {(args.out / name).stat().st_size:6,d} B  {name}")


if __name__ == "__main__":
    main()
