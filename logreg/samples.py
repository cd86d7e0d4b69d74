"""The sample photos shipped with the app, so a demo needs no photos of its own.

They live in ``data/samples/``, are built from scikit-image's bundled images by
``tools/build_samples.py``, and their sources and licences are listed in ``data/README.md``.
Classify puts them through exactly the path an upload takes.
"""
from pathlib import Path

# The project's own folder, whatever folder the datasets are read from.
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"
# In the order they are shown: the one cat first, then everyday things that are not cats.
NAMES = ("chelsea.jpg", "coffee.jpg", "astronaut.jpg", "rocket.jpg", "hubble.jpg",
         "brick.jpg", "coins.jpg", "horse.png")
MAX_SIDE = 192   # pixels: small files, still three times the 64 × 64 a model sees


def sample_photos(folder=SAMPLES_DIR):
    """[(file name, bytes)] of the sample photos, in :data:`NAMES` order."""
    return [(name, (folder / name).read_bytes()) for name in NAMES]
