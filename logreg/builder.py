"""Building a two-class dataset from a person's own images, like Teachable Machine.

Images arrive as ``(file name, bytes)`` per class, or as a ``.zip`` with one top-level folder
per class. Zips are read in memory only (nothing is ever extracted to disk), with the member
count and the total uncompressed size capped both from the zip's directory and while
reading, because a hostile zip can lie in its directory. The result is a
:class:`logreg.data.Dataset` with a stratified, seeded train/test split.
"""
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

import numpy as np

from .data import MAX_CLASS_NAME, MAX_SIDE, MAX_VALUES, Dataset
from .images import ImageError, image_to_array

IMAGE_SIZES = (32, 64, 96)
DEFAULT_IMAGE_SIZE = 64
TEST_FRACTION = 0.25
SEED = 0
# Below this many images a class gives a test accuracy that swings by whole tens of percent.
FEW_IMAGES = 10
# Each split needs at least one image of each class.
MIN_IMAGES = 2
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_IMAGES_PER_CLASS = 2000
# Pixels decoded for one session's builder, summed from the image headers before decoding:
# about 15 s of decoding at worst (a 24-megapixel PNG takes 0.35 s), while 2000 phone
# JPEGs, decoded at reduced scale, cost far less than their pixel count says.
MAX_DECODED_PIXELS = 1_000_000_000
_CHUNK = 1024 * 1024


class BuilderError(ValueError):
    """Input the builder cannot use, with a message saying what to change."""


@dataclass(frozen=True)
class Skipped:
    """A file that was left out, and why."""

    name: str
    reason: str

    def __str__(self):
        return f"{self.name}: {self.reason}"


@dataclass
class ZipContents:
    """The images found in a zip, per class folder (in the folders' sorted order)."""

    classes: dict = field(default_factory=dict)  # {folder name: [(file name, bytes)]}
    skipped: list = field(default_factory=list)  # [Skipped]


@dataclass(frozen=True)
class BuildResult:
    """A built dataset, the files that were skipped and warnings worth showing."""

    dataset: Dataset
    skipped: tuple
    warnings: tuple


def _unsafe(name):
    """True for member names that would escape a folder if someone extracted them."""
    parts = name.replace("\\", "/").split("/")
    return (name.startswith(("/", "\\")) or ".." in parts
            or re.match(r"^[A-Za-z]:", name) is not None)


def member_name(info):
    """A zip member's name as the person who zipped it wrote it.

    Without the UTF-8 flag (bit 0x800) Python decodes a name as cp437, the zip format's
    old default; Windows' built-in zipper instead writes the system's code page, CP949 on a
    Korean Windows, and many other tools write UTF-8 without setting the flag. So the cp437
    text is turned back into its bytes and read as UTF-8, then as CP949; a name that is
    neither stays as zipfile read it.
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _ignored(parts):
    """macOS resource forks and hidden files are not images anyone meant to add."""
    return any(p == "__MACOSX" or p.startswith(".") for p in parts)


def _read_member(archive, info, budget, label):
    """The bytes of one member, counting what is really decompressed against the caps."""
    chunks = []
    size = 0
    with archive.open(info) as member:
        while True:
            chunk = member.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > info.file_size:
                # zipfile stops at file_size itself; this guards the guarantee regardless.
                raise BuilderError(f"{label}: '{info.filename}' holds more data than its "
                                   f"header says; the zip was not used")
            if size > budget:
                raise BuilderError(
                    f"{label}: the images uncompress to more than "
                    f"{MAX_ZIP_BYTES // (1024 * 1024)} MB; the zip was not used")
            chunks.append(chunk)
    return b"".join(chunks)


def read_zip(source, name="zip"):
    """The images of a zip with one top-level folder per class.

    A single wrapping folder (``photos/cats/...``, ``photos/dogs/...``) is looked through.

    Parameters
    ----------
    source : bytes or binary file object
    name : str
        How the zip is named in messages.

    Returns
    -------
    ZipContents

    Raises
    ------
    BuilderError
        For a file that is not a zip, too many members, too much data, an unsafe member
        path, or anything other than two class folders.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BuilderError(f"{name}: not a readable .zip file ({exc})") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise BuilderError(f"{name}: {len(infos)} entries is more than the limit of "
                               f"{MAX_ZIP_MEMBERS}; the zip was not used")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_ZIP_BYTES:
            raise BuilderError(
                f"{name}: the files uncompress to {declared / 1024 / 1024:,.0f} MB, more than "
                f"the limit of {MAX_ZIP_BYTES // (1024 * 1024)} MB; the zip was not used")
        named = [(info, member_name(info)) for info in infos]
        for _, member in named:
            if _unsafe(member):
                raise BuilderError(f"{name}: the entry '{member}' has an unsafe path "
                                   f"(absolute or with '..'); the zip was not used")
        files = [(info, member.replace("\\", "/").strip("/").split("/"))
                 for info, member in named if not info.is_dir()]
        files = [(info, parts) for info, parts in files if not _ignored(parts)]
        depth = _class_folder_depth([parts for _, parts in files])
        contents = ZipContents()
        folders = sorted({parts[depth] for _, parts in files if len(parts) > depth + 1})
        if len(folders) != 2:
            found = ", ".join(f"'{f}'" for f in folders) or "none"
            raise BuilderError(
                f"{name}: expected exactly 2 top-level folders, one per class, found "
                f"{len(folders)} ({found})")
        contents.classes = {folder: [] for folder in folders}
        budget = MAX_ZIP_BYTES
        for info, parts in files:
            shown = "/".join(parts)
            if len(parts) <= depth + 1:
                contents.skipped.append(Skipped(shown, "not inside a class folder"))
                continue
            if parts[-1].lower().endswith(".zip"):
                contents.skipped.append(Skipped(shown, "zips inside the zip are not opened"))
                continue
            try:
                data = _read_member(archive, info, budget, name)
            except BuilderError:
                raise
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError,
                    EOFError, ValueError, zlib.error) as exc:
                # Bad CRC, encrypted, unsupported compression or a garbled deflate stream:
                # skip only that file.
                contents.skipped.append(Skipped(shown, f"cannot be read from the zip ({exc})"))
                continue
            budget -= len(data)
            contents.classes[parts[depth]].append((shown, data))
    return contents


def _class_folder_depth(paths):
    """0 when class folders are at the top, 1 when one folder wraps them all."""
    tops = {parts[0] for parts in paths}
    if len(tops) == 1 and all(len(parts) > 2 for parts in paths):
        seconds = {parts[1] for parts in paths}
        if len(seconds) == 2:
            return 1
    return 0


def decode_images(files, num_px, channels, between=None):
    """Decode ``[(file name, bytes)]`` to a (m, num_px, num_px, channels) uint8 array,
    calling ``between()`` (if given) before each image: the app lets a classmate's work
    run there.

    Returns
    -------
    images : ndarray
    skipped : list of Skipped, for files that are not readable images
    """
    arrays, skipped = [], []
    for file_name, data in files:
        if between is not None:
            between()
        try:
            arrays.append(image_to_array(data, num_px, channels, name=file_name))
        except ImageError as exc:
            skipped.append(Skipped(file_name, _reason(exc, file_name)))
    if arrays:
        return np.stack(arrays), skipped
    return np.zeros((0, num_px, num_px, channels), dtype=np.uint8), skipped


def _reason(exc, file_name):
    return str(exc).removeprefix(f"{file_name}: ")


def stratified_split(labels, test_fraction=TEST_FRACTION, seed=SEED):
    """Indices of a train/test split that keeps each class's share, reproducibly.

    Each class gives ``round(n * test_fraction)`` images (at least 1, at most n - 1) to the
    test set. Both index arrays are shuffled so the classes are interleaved.

    Parameters
    ----------
    labels : 1-D array of 0/1
    test_fraction : float in (0, 1)
    seed : int

    Returns
    -------
    train_index, test_index : 1-D int arrays
    """
    labels = np.asarray(labels).reshape(-1)
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in (0, 1):
        members = np.flatnonzero(labels == label)
        if len(members) < MIN_IMAGES:
            raise ValueError(f"class {label} has {len(members)} examples, "
                             f"at least {MIN_IMAGES} are needed for a split")
        members = rng.permutation(members)
        n_test = min(max(1, int(round(len(members) * test_fraction))), len(members) - 1)
        test.append(members[:n_test])
        train.append(members[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def slug(text):
    """A file-name-safe version of a class or dataset name (may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower()


def dataset_name(class_names):
    """``<class0>_vs_<class1>``, usable in ``train_<name>.h5``."""
    first, second = (slug(n) or f"class{i}" for i, n in enumerate(class_names))
    return f"{first}_vs_{second}"


def check_class_names(class_names):
    """Two distinct, non-blank class names, stripped. Raises BuilderError."""
    names = tuple(str(n).strip() for n in class_names)
    if len(names) != 2:
        raise BuilderError(f"expected 2 class names, got {len(names)}")
    for i, n in enumerate(names):
        if not n:
            raise BuilderError(f"class {i + 1} needs a name")
        # The loaders' own limit: a longer name would build a dataset no loader reads back
        # (not its download, not the browser's saved copy).
        if len(n) > MAX_CLASS_NAME:
            raise BuilderError(f"the name of class {i + 1} has {len(n)} characters, more "
                               f"than the limit of {MAX_CLASS_NAME}")
    if names[0].casefold() == names[1].casefold():
        raise BuilderError(f"the two classes need different names (both are '{names[0]}')")
    return names


def build_dataset(class_names, files_per_class, num_px=DEFAULT_IMAGE_SIZE, channels=3,
                  test_fraction=TEST_FRACTION, seed=SEED, name=None, between=None):
    """A :class:`Dataset` from two lists of image files.

    Parameters
    ----------
    class_names : (str, str)
        Names of label 0 and label 1.
    files_per_class : ([(file name, bytes)], [(file name, bytes)])
    num_px : int
        Images are resized to num_px x num_px.
    channels : {1, 3}
        1 for grayscale, 3 for colour.
    test_fraction, seed :
        See :func:`stratified_split`.
    name : str, optional
        The dataset's name (default ``<class0>_vs_<class1>``).
    between : callable, optional
        Called before each image is decoded (see :func:`decode_images`).

    Returns
    -------
    BuildResult

    Raises
    ------
    BuilderError
        When a name is missing or a class has fewer than 2 readable images.
    """
    names = check_class_names(class_names)
    if channels not in (1, 3):
        raise BuilderError(f"channels must be 1 (grayscale) or 3 (colour), got {channels}")
    if not 8 <= int(num_px) <= MAX_SIDE:
        raise BuilderError(f"image size must be from 8 to {MAX_SIDE} pixels, got {num_px}")
    if len(files_per_class) != 2:
        raise BuilderError(f"expected images for 2 classes, got {len(files_per_class)}")
    # The same budget as a loaded file, checked before anything is decoded, so a built
    # dataset always loads back and costs the server no more than an uploaded one.
    values = sum(map(len, files_per_class)) * int(num_px) ** 2 * channels
    if values > MAX_VALUES:
        raise BuilderError(
            f"{sum(map(len, files_per_class)):,} images of {num_px} x {num_px} x {channels} "
            f"are {values:,} pixel values, more than the limit of {MAX_VALUES:,}: use fewer "
            f"images or a smaller size")
    images, skipped, warnings = [], [], []
    for class_name, files in zip(names, files_per_class):
        if len(files) > MAX_IMAGES_PER_CLASS:
            raise BuilderError(f"class '{class_name}' has {len(files)} images, more than the "
                               f"limit of {MAX_IMAGES_PER_CLASS}")
        array, bad = decode_images(files, int(num_px), channels, between)
        skipped.extend(bad)
        if len(array) < MIN_IMAGES:
            raise BuilderError(
                f"class '{class_name}' has {len(array)} readable image"
                f"{'' if len(array) == 1 else 's'}; at least {MIN_IMAGES} are needed "
                f"(one for training, one for testing)")
        if len(array) < FEW_IMAGES:
            warnings.append(
                f"class '{class_name}' has only {len(array)} images: with fewer than "
                f"{FEW_IMAGES} per class the test accuracy says little")
        images.append(array)
    x = np.concatenate(images)
    y = np.concatenate([np.zeros(len(images[0]), np.int64), np.ones(len(images[1]), np.int64)])
    train, test = stratified_split(y, test_fraction, seed)
    dataset = Dataset(name or dataset_name(names), x[train], y[train].reshape(1, -1),
                      x[test], y[test].reshape(1, -1), names)
    return BuildResult(dataset, tuple(skipped), tuple(warnings))
