"""A corpus of hostile and odd inputs, generated in code (no checked-in binaries).

Every entry is a :class:`Case`: what a user could hand the app or the CLI (a pair of HDF5
files, an image, a parameters file, a zip for the dataset builder, or a number typed into a
setting) and what must happen: ``"error"`` with a fragment of the message the user reads, or
``"ok"`` for valid-but-odd images that must classify.

Payloads are built lazily (``case.payload()``) and cached, so collecting the tests stays
cheap and each entry is built once per test run.
"""
import io
import math
import pickle
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
from numpy.lib import format as npy
from PIL import Image

import h5py

KINDS = ("h5", "image", "params", "zip", "number")


@dataclass(frozen=True)
class Case:
    """One corpus entry.

    Attributes
    ----------
    name : str
        Short identifier, used as the test id.
    kind : {"h5", "image", "params", "zip", "number"}
    build : callable
        Returns the payload: for "h5" a dict {file name: bytes} (the train/test pair),
        for "image"/"params"/"zip" the file's bytes, for "number" the value.
    expect : {"error", "ok"}
    fragment : str
        Lower-case text the error message must contain (for "ok": unused).
    filename : str
        Name the file is uploaded / saved under (not used for "number").
    setting : str, optional
        For "number": "learning_rate" or "iterations".
    paths : tuple of str
        Where this entry applies: "cli", "app" (some inputs only make sense in one).
    """

    name: str
    kind: str
    build: Callable
    expect: str = "error"
    fragment: str = ""
    filename: str = ""
    setting: Optional[str] = None
    paths: tuple = ("cli", "app")
    fragments: dict = field(default_factory=dict)
    # Files that crashed the HDF5 library before the fix: run their loader in a child
    # process first, so a regression fails one test instead of killing pytest.
    isolate: bool = False

    def payload(self):
        return _built(self)

    def fragment_for(self, path):
        """The expected message fragment on a path ("cli" or "app")."""
        return self.fragments.get(path, self.fragment)


_PAYLOADS = {}


def _built(case):
    if case.name not in _PAYLOADS:
        _PAYLOADS[case.name] = case.build()
    return _PAYLOADS[case.name]


# ---------------------------------------------------------------- helpers that make bytes


def _image_array(height=64, width=64, channels=3, seed=0):
    """A smooth, deterministic picture (gradients plus a disc), uint8."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    disc = ((yy - height / 2) ** 2 + (xx - width / 2) ** 2) < (min(height, width) / 3) ** 2
    planes = [
        (xx * 255 // max(width - 1, 1)),
        (yy * 255 // max(height - 1, 1)),
        np.where(disc, 220, 30) + rng.integers(0, 20, size=(height, width)),
    ]
    array = np.stack(planes[:channels], axis=-1).clip(0, 255).astype(np.uint8)
    return array


def _encode(image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def _png_bomb(width=20000, height=20000):
    """A real, valid 1-bit PNG of width x height black pixels: ~50 KB on disk, 400 megapixels."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row) for _ in range(height)]
    data = b"".join(chunks) + compressor.flush()

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
            + chunk(b"IEND", b""))


def _h5_bytes(arrays):
    """An in-memory HDF5 file with the given {key: array}."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        for key, value in arrays.items():
            h5.create_dataset(key, data=value)
    return buffer.getvalue()


def _h5_made(make):
    """An in-memory HDF5 file written by ``make(h5)``, for layouts plain arrays cannot give."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        make(h5)
    return buffer.getvalue()


def _hostile_split(prefix, make_x=None, make_y=None, make_classes=None, m=4, num_px=8):
    """A train/test split whose images, labels or class names are written by a callback.

    Each ``make_*(h5, key)`` writes that key its own hostile way; the others are valid.
    """
    def make(h5):
        x_key, y_key = f"{prefix}_set_x", f"{prefix}_set_y"
        if make_x:
            make_x(h5, x_key)
        else:
            h5[x_key] = np.zeros((m, num_px, num_px, 3), np.uint8)
        if make_y:
            make_y(h5, y_key)
        else:
            h5[y_key] = (np.arange(m) % 2).astype(np.int64)
        if make_classes:
            make_classes(h5, "list_classes")
        else:
            h5["list_classes"] = np.array([b"non-cat", b"cat"])
    return _h5_made(make)


def _split(prefix, m, num_px=8, channels=3, seed=0, x=None, y=None, classes=True):
    rng = np.random.default_rng(seed)
    if x is None:
        x = rng.integers(0, 256, size=(m, num_px, num_px, channels), dtype=np.uint8)
    if y is None:
        y = (np.arange(m) % 2).astype(np.int64)
    arrays = {f"{prefix}_set_x": x, f"{prefix}_set_y": y}
    if classes:
        arrays["list_classes"] = np.array([b"non-cat", b"cat"])
    return arrays


def _pair(name, train=None, test=None, train_bytes=None, test_bytes=None):
    """{train_<name>.h5: bytes, test_<name>.h5: bytes}; missing parts are valid small splits."""
    if train_bytes is None:
        train_bytes = _h5_bytes(train if train is not None else _split("train", 12))
    if test_bytes is None:
        test_bytes = _h5_bytes(test if test is not None else _split("test", 6, seed=1))
    return {f"train_{name}.h5": train_bytes, f"test_{name}.h5": test_bytes}


def _params_fields(num_px=64, channels=3, **overrides):
    """The arrays of valid parameters {field: array}, with fields overridden or dropped (None)."""
    n = num_px * num_px * channels
    arrays = {
        "format_version": np.array(1),
        "w": np.zeros((n, 1)),
        "b": np.array(0.0),
        "scaling": np.array("divide255"),
        "mean": np.zeros((0, 1)),
        "std": np.zeros((0, 1)),
        "num_px": np.array(num_px),
        "channels": np.array(channels),
        "classes": np.array(["non-cat", "cat"]),
        "learning_rate": np.array(0.005),
        "num_iterations": np.array(2000),
        "costs": np.zeros(3),
    }
    for key, value in overrides.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    return arrays


def _valid_params(num_px=64, channels=3, **overrides):
    buffer = io.BytesIO()
    np.savez(buffer, **_params_fields(num_px, channels, **overrides))
    return buffer.getvalue()


def _npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _npy_header(shape, dtype="<f8", padding=0):
    """A version 1.0 .npy header for an array of that shape, padded by ``padding`` spaces."""
    text = repr({"descr": npy.dtype_to_descr(np.dtype(dtype)), "fortran_order": False,
                 "shape": shape}) + " " * padding + "\n"
    return npy.MAGIC_PREFIX + b"\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def _npz(members, compression=zipfile.ZIP_STORED):
    """A .npz of {member name: bytes}, written verbatim (even twice the same name)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about duplicate names
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for name, data in members.items() if isinstance(members, dict) else members:
                archive.writestr(name, data)
    return buffer.getvalue()


def _params_members(**overrides):
    """The members of a valid parameters file {name.npy: bytes}, fields overridden as in
    :func:`_params_fields`."""
    return {f"{key}.npy": _npy(value) for key, value in _params_fields(**overrides).items()}


def _npz_bomb(member="costs.npy", values=10 * 2 ** 20):
    """Valid parameters whose ``member`` is a float64 array of ``values`` zeros, deflated:
    80 MB that compress to 80 KB. Streamed into the zip, so building it holds 1 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in _params_members(costs=None).items():
            archive.writestr(name, data)
        if member != "costs.npy":
            archive.writestr("costs.npy", _npy(np.zeros(3)))
        with archive.open(member, "w") as stream:
            stream.write(_npy_header((values,)))
            zeros = bytes(1 << 20)
            for _ in range(values * 8 >> 20):
                stream.write(zeros)
    return buffer.getvalue()


def _patched(content, member, flag_bits=None, method=None, file_size=None):
    """The zip with one member's flags, compression method or declared size changed, in its
    local header and in the central directory alike."""
    data = bytearray(content)
    # signature: (offset of the flags, of the uncompressed size, of the name length, of the name)
    layouts = {b"PK\x03\x04": (6, 22, 26, 30), b"PK\x01\x02": (8, 24, 28, 46)}
    for signature, (flags_at, size_at, length_at, name_at) in layouts.items():
        start = data.find(signature)
        while start >= 0:
            (length,) = struct.unpack_from("<H", data, start + length_at)
            if data[start + name_at: start + name_at + length] == member.encode():
                if flag_bits is not None:
                    struct.pack_into("<H", data, start + flags_at, flag_bits)
                if method is not None:
                    struct.pack_into("<H", data, start + flags_at + 2, method)
                if file_size is not None:
                    struct.pack_into("<I", data, start + size_at, file_size)
            start = data.find(signature, start + 4)
    return bytes(data)


def _broken_deflate(member="w.npy"):
    """Valid deflated parameters whose ``member`` has an invalid deflate block type."""
    content = bytearray(_npz(_params_members(), zipfile.ZIP_DEFLATED))
    start = content.find(b"PK\x03\x04")
    while True:
        name_length, extra_length = struct.unpack_from("<HH", content, start + 26)
        if content[start + 30: start + 30 + name_length] == member.encode():
            break
        start = content.find(b"PK\x03\x04", start + 4)
    data = start + 30 + name_length + extra_length
    content[data: data + 4] = b"\xff\xff\xff\xff"  # block type 3 is reserved: invalid
    return bytes(content)


def _lying_costs():
    """Deflated costs whose headers declare 3 values but whose stream inflates to 10 MB more."""
    honest = _npy(np.zeros(3))
    members = _params_members(costs=None)
    members["costs.npy"] = honest + bytes(10 << 20)
    return _patched(_npz(members, zipfile.ZIP_DEFLATED), "costs.npy", file_size=len(honest))


def _npz_huge_header():
    """Valid parameters whose 'b' has a 60,000-byte .npy header (numpy refuses above 10,000)."""
    members = _params_members()
    members["b.npy"] = _npy_header((), padding=60_000) + np.array(0.0).tobytes()
    return _npz(members)


def _zip(members, compression=zipfile.ZIP_DEFLATED):
    """A zip of {name: bytes}; names are written verbatim (even hostile ones)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def _broken_deflate_zip(members):
    """A zip whose members' deflate streams are garbage (zlib.error when read)."""
    content = bytearray(_zip(members))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        infos = archive.infolist()
    for info in infos:
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
        content[start:start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(content)


def _small_png(seed=0, size=16):
    return _encode(Image.fromarray(_image_array(size, size, 3, seed)), "PNG")


def _zip_bomb(total_bytes=1 << 30, members=16, declared=None):
    """Members of zeros that inflate to ``total_bytes`` in all (~1 MB compressed).

    ``declared`` makes the headers lie: each member claims that many bytes uncompressed.

    The deflate stream of one member is computed once and reused for all of them, written
    with hand-made zip headers, so building the bomb costs half a second, not 1 GB of zlib.
    """
    each = total_bytes // members
    block = b"\x00" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = b"".join(compressor.compress(block) for _ in range(each >> 20)) + compressor.flush()
    crc = 0
    for _ in range(each >> 20):
        crc = zlib.crc32(block, crc)
    out, directory = io.BytesIO(), io.BytesIO()
    for i in range(members):
        name = f"{'cat' if i % 2 else 'noncat'}/zeros{i}.png".encode()
        offset = out.tell()
        common = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(body),
                             each if declared is None else declared)
        out.write(b"PK\x03\x04" + common + struct.pack("<HH", len(name), 0) + name + body)
        directory.write(b"PK\x01\x02" + struct.pack("<H", 20) + common
                        + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    out.write(directory.getvalue())
    out.write(b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, members, members,
                                           len(directory.getvalue()), start, 0))
    return out.getvalue()


def _exif_rotated_jpeg():
    image = Image.fromarray(_image_array(48, 64, 3, seed=3))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display
    return _encode(image, "JPEG", exif=exif.tobytes(), quality=90)


def _animated_gif():
    frames = [Image.fromarray(_image_array(32, 32, 3, seed=s)).convert("P") for s in range(3)]
    return _encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100,
                   loop=0)


def _palette_transparent_png():
    image = Image.fromarray(_image_array(40, 40, 3, seed=4)).convert("P", colors=16)
    return _encode(image, "PNG", transparency=0)


def _gray16_png():
    values = (np.linspace(0, 65535, 50 * 50).reshape(50, 50)).astype(np.uint16)
    return _encode(Image.fromarray(values), "PNG")


def _cmyk_jpeg():
    return _encode(Image.fromarray(_image_array(64, 64, 3, seed=5)).convert("CMYK"), "JPEG")


def _webp_claiming(width, height):
    """A 16 x 16 lossless WebP whose header claims width x height.

    A real 7000 x 7000 lossless WebP is 1.9 KB but takes 500 MB to encode here; the size
    check reads only the header, which says the same in both.
    """
    content = bytearray(_encode(Image.new("RGB", (16, 16)), "WEBP", lossless=True))
    at = content.index(b"VP8L") + 9  # after the chunk size and the 0x2f signature
    bits = struct.unpack_from("<I", content, at)[0] & ~0x0FFFFFFF
    struct.pack_into("<I", content, at, bits | (width - 1) | (height - 1) << 14)
    return bytes(content)


def _png_with_chunk(kind, body):
    """A small valid PNG with one more chunk before its pixel data."""
    png = _small_png()
    at = png.index(b"IDAT") - 4
    chunk = (struct.pack(">I", len(body)) + kind + body
             + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    return png[:at] + chunk + png[at:]


def _eps():
    """Encapsulated PostScript: Pillow would hand it to Ghostscript to draw."""
    return (b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
            b"0 0 moveto 10 10 lineto stroke showpage\n%%EOF\n")


def _truncated_jpeg():
    data = _encode(Image.fromarray(_image_array(64, 64, 3, seed=6)), "JPEG", quality=95)
    return data[: len(data) // 2]


# ---------------------------------------------------------------------------- the corpus


def _h5_cases():
    train_nan = _split("train", 12)
    train_nan["train_set_x"] = train_nan["train_set_x"].astype(float)
    train_nan["train_set_x"][0, 0, 0, 0] = np.nan
    train_big = _split("train", 12)
    train_big["train_set_x"] = train_big["train_set_x"].astype(float) * 4.0 + 0.5
    mismatched = _split("train", 12)
    mismatched["train_set_y"] = mismatched["train_set_y"][:9]
    labels02 = _split("train", 12)
    labels02["train_set_y"] = labels02["train_set_y"] * 2
    empty = _split("train", 12)
    empty["train_set_x"] = empty["train_set_x"][:0]
    empty["train_set_y"] = empty["train_set_y"][:0]
    two_channels = _split("train", 12, channels=2)
    valid = _pair("x")
    train_valid = valid["train_x.h5"]
    rng = np.random.default_rng(7)
    return [
        Case("h5_random_bytes", "h5",
             lambda: _pair("random", train_bytes=rng.bytes(4096)),
             fragment="not a readable hdf5 file"),
        Case("h5_truncated", "h5",
             lambda: _pair("truncated", train_bytes=train_valid[: len(train_valid) // 2]),
             fragment="train_truncated.h5"),
        Case("h5_wrong_keys", "h5",
             lambda: _pair("keys", train={"images": np.zeros((4, 8, 8, 3), np.uint8),
                                         "labels": np.zeros(4)}),
             fragment="missing key 'train_set_x'"),
        Case("h5_mismatched_lengths", "h5", lambda: _pair("lengths", train=mismatched),
             fragment="9 labels but there are 12 images"),
        Case("h5_labels_0_2", "h5", lambda: _pair("labels", train=labels02),
             fragment="expected only 0 and 1"),
        Case("h5_nan_pixels", "h5", lambda: _pair("nan", train=train_nan),
             fragment="nan or infinite"),
        Case("h5_float_pixels_over_255", "h5", lambda: _pair("bright", train=train_big),
             fragment="expected 0 to 255"),
        Case("h5_zero_examples", "h5", lambda: _pair("empty", train=empty),
             fragment="0 examples"),
        Case("h5_two_channels", "h5", lambda: _pair("twoch", train=two_channels),
             fragment="2 channels"),
        Case("h5_train_test_sizes_differ", "h5",
             lambda: _pair("sizes", test=_split("test", 6, num_px=16, seed=1)),
             fragment="both files must use the same size"),
        Case("h5_empty_file", "h5", lambda: _pair("zero", train_bytes=b""),
             fragment="train_zero.h5"),
        Case("h5_non_square", "h5",
             lambda: _pair("wide", train=_split("train", 12, x=np.zeros((12, 8, 16, 3),
                                                                        np.uint8))),
             fragment="expected square images"),
        Case("h5_string_pixels", "h5",
             lambda: _pair("text", train=_split("train", 3, x=np.array([b"a", b"b", b"c"]))),
             fragment="non-numeric"),
    ]


def _hostile_h5_cases():
    """Files that try to make the server read its own files, crash, or run out of memory."""
    unlimited = h5py.h5f.UNLIMITED

    def external_environ(h5, key):
        h5.create_dataset(key, (4, 32, 32), "u1",
                          external=[("/proc/self/environ", 0, unlimited)])

    def external_config(h5, key):
        # A relative path resolves from the server's working folder: the app's own config.
        h5.create_dataset(key, (2,), "S64", external=[(".streamlit/config.toml", 0, unlimited)])

    def virtual_self(h5, key):
        # Its source is itself: HDF5 recurses until the process dies (SIGSEGV).
        layout = h5py.VirtualLayout((4, 8, 8, 3), "u1")
        layout[:] = h5py.VirtualSource(".", key, shape=(4, 8, 8, 3))
        h5.create_virtual_dataset(key, layout)

    def external_link(h5, key):
        h5[key] = h5py.ExternalLink("/etc/passwd", "/x")

    def soft_loop(h5, key):
        h5[key] = h5py.SoftLink(f"/{key}")

    def declared(shape, chunks, compression="gzip"):
        def make(h5, key):
            # Declared, never written: the file stays a few KB whatever the shape says.
            h5.create_dataset(key, shape, "u1", chunks=chunks, compression=compression)
        return make

    def labels(m):
        return lambda h5, key: h5.create_dataset(key, (m,), "i8")

    def unknown_filter(h5, key):
        h5.create_dataset(key, (4, 8, 8, 3), "u1", chunks=(1, 8, 8, 3), compression=307,
                          allow_unknown_filter=True)

    def scalar(h5, key):
        h5[key] = np.uint8(7)

    def group(h5, key):
        h5.create_group(key)

    def complex_pixels(h5, key):
        h5[key] = np.zeros((4, 8, 8, 3), np.complex64)

    def many_keys(h5):
        for i in range(20_000):
            h5[f"k{i:05d}"] = h5py.SoftLink("/nowhere")

    def pair(name, **split):
        return lambda: _pair(name, train_bytes=_hostile_split("train", **split))

    def h5_case(name, build, fragment, isolate=False):
        return Case(name, "h5", build, fragment=fragment, isolate=isolate)

    return [
        h5_case("h5_external_storage_environ", pair("env", make_x=external_environ),
                "external files"),
        h5_case("h5_external_storage_classes", pair("conf", make_classes=external_config),
                "external files"),
        h5_case("h5_virtual_dataset_self", pair("vds", make_x=virtual_self),
                "virtual dataset", isolate=True),
        h5_case("h5_external_link", pair("elink", make_x=external_link), "is a link"),
        h5_case("h5_soft_link_loop", pair("loop", make_x=soft_loop), "is a link"),
        h5_case("h5_gzip_bomb_20000_images",
                pair("gzbomb", make_x=declared((20000, 64, 64, 3), (1, 64, 64, 3)),
                     make_y=labels(20000)), "more than the limit"),
        h5_case("h5_one_element_chunks",
                pair("chunks", make_x=declared((200, 64, 64, 3), (1, 1, 1, 1), None),
                     make_y=labels(200)), "chunks"),
        h5_case("h5_huge_images",
                pair("huge", make_x=declared((2, 4096, 4096, 3), (1, 256, 256, 3)),
                     make_y=labels(2)), "more than the limit"),
        h5_case("h5_unknown_filter", pair("filter", make_x=unknown_filter), "filter 307"),
        h5_case("h5_scalar_images", pair("scalar", make_x=scalar), "has shape ()"),
        h5_case("h5_complex_pixels", pair("complex", make_x=complex_pixels), "non-numeric"),
        h5_case("h5_classes_as_group", pair("grp", make_classes=group), "is a group"),
        h5_case("h5_duplicate_class_names",
                pair("twins", make_classes=lambda h5, key: h5.create_dataset(
                    key, data=np.array([b"cat", b"cat"]))), "different names"),
        h5_case("h5_20000_keys",
                lambda: _pair("keys", train_bytes=_h5_made(many_keys)), "and 19,990 more"),
    ]


def _image_cases():
    def odd(name, build, filename):
        return Case(name, "image", build, expect="ok", filename=filename)

    def bad(name, build, filename, fragment):
        return Case(name, "image", build, fragment=fragment, filename=filename)

    def rgb(h, w, fmt, **options):
        return lambda: _encode(Image.fromarray(_image_array(h, w, 3, seed=h + w)), fmt,
                               **options)

    return [
        bad("img_zero_bytes", lambda: b"", "empty.png", "empty"),
        bad("img_text_as_png", lambda: b"hello, this is not a picture\n" * 20, "notes.png",
            "not an image"),
        bad("img_truncated_jpeg", _truncated_jpeg, "half.jpg", "damaged or truncated"),
        bad("img_png_bomb_20000", _png_bomb, "bomb.png", "pixels"),
        bad("img_html_as_jpg", lambda: b"<!doctype html><html><body>hi</body></html>",
            "page.jpg", "not an image"),
        bad("img_png_header_only", lambda: _small_png()[:40], "cut.png", "not an image file"),
        odd("img_gray16", _gray16_png, "gray16.png"),
        odd("img_cmyk_jpeg", _cmyk_jpeg, "cmyk.jpg"),
        odd("img_palette_transparency", _palette_transparent_png, "palette.png"),
        odd("img_animated_gif", _animated_gif, "animated.gif"),
        odd("img_1x1", rgb(1, 1, "PNG"), "dot.png"),
        odd("img_10000x3", rgb(3, 10000, "PNG"), "strip.png"),
        odd("img_exif_rotated", _exif_rotated_jpeg, "rotated.jpg"),
        odd("img_rgba_png", lambda: _encode(
            Image.fromarray(_image_array(30, 30, 3)).convert("RGBA"), "PNG"), "alpha.png"),
        odd("img_grayscale_jpeg", lambda: _encode(
            Image.fromarray(_image_array(30, 30, 1)[..., 0]), "JPEG"), "gray.jpg"),
        odd("img_webp", rgb(40, 40, "WEBP"), "photo.webp"),
        odd("img_bmp", rgb(20, 20, "BMP"), "photo.bmp"),
        # A 12 MP phone photo: decoded at reduced scale (JPEG draft), box-reduced, resized.
        odd("img_jpeg_4000x3000", lambda: _encode(
            Image.fromarray(_image_array(300, 400, 3)).resize((4000, 3000)), "JPEG",
            quality=90), "phone.jpg"),
        # Refused from the header, before decoding: a valid 6 KB PNG of 49,000,000 x 1 pixels
        # (it ran the resize out of memory) and a WebP claiming 7000 x 7000 (3.3 s, 800 MB).
        bad("img_png_strip_49000000x1", lambda: _png_bomb(49_000_000, 1), "strip.png",
            "side longer than the limit"),
        bad("img_webp_7000x7000", lambda: _webp_claiming(7000, 7000), "huge.webp",
            "more than the limit of 24 megapixels"),
        bad("img_png_3mb_text_chunk",
            lambda: _png_with_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(bytes(3 << 20))),
            "text.png", "metadata chunk"),
        bad("img_tiff", rgb(20, 20, "TIFF"), "photo.png", "not an image file logreg reads"),
        bad("img_eps", _eps, "drawing.png", "not an image file logreg reads"),
    ]


def _params_cases():
    def pickled():
        buffer = io.BytesIO()
        np.savez(buffer, w=np.array([{"evil": 1}], dtype=object), b=np.array(0.0))
        return buffer.getvalue()

    def npy():
        buffer = io.BytesIO()
        np.save(buffer, np.zeros((12288, 1)))
        return buffer.getvalue()

    nan_w = np.zeros((64 * 64 * 3, 1))
    nan_w[5] = np.nan
    return [
        Case("params_pickled_object_array", "params", pickled, filename="pickled.npz",
             fragment="pickle"),
        Case("params_plain_pickle", "params", lambda: pickle.dumps({"w": [0.0]}),
             filename="model.npz", fragment="model.npz"),
        Case("params_wrong_w_shape", "params",
             lambda: _valid_params(w=np.zeros((10, 1))), filename="shape.npz",
             fragment="field 'w' has shape"),
        Case("params_missing_keys", "params", lambda: _valid_params(b=None, costs=None),
             filename="missing.npz", fragment="missing field"),
        Case("params_nan_weights", "params", lambda: _valid_params(w=nan_w),
             filename="nan.npz", fragment="nan"),
        Case("params_num_px_mismatch", "params", lambda: _valid_params(num_px=32),
             filename="small.npz", fragment="32", paths=("app",)),
        Case("params_random_bytes", "params",
             lambda: np.random.default_rng(3).bytes(2048), filename="noise.npz",
             fragment="not a parameters .npz file"),
        Case("params_empty_file", "params", lambda: b"", filename="empty.npz",
             fragment="empty.npz"),
        # A plain .npy renamed .npz (the uploader only takes .npz files).
        Case("params_npy_not_npz", "params", npy, filename="weights.npz",
             fragment="not a parameters .npz file"),
        Case("params_bad_scaling", "params",
             lambda: _valid_params(scaling=np.array("log")), filename="scaling.npz",
             fragment="scaling"),
        Case("params_zscore_zero_std", "params",
             lambda: _valid_params(num_px=4, scaling=np.array("zscore"), mean=np.zeros((48, 1)),
                                   std=np.zeros((48, 1))),
             filename="zscore.npz", fragment="std"),
        Case("params_three_channels_wrong", "params",
             lambda: _valid_params(channels=np.array(2)), filename="channels.npz",
             fragment="channels"),
        # Read from metadata before anything is decompressed: 80 MB of costs in 80 KB,
        # and the same in a member nobody uses.
        Case("params_npz_bomb_costs", "params", _npz_bomb, filename="bomb.npz",
             fragment="more than the limit"),
        Case("params_npz_bomb_unused_member", "params", lambda: _npz_bomb("junk.npy"),
             filename="junk.npz", fragment="unexpected member 'junk.npy'"),
        Case("params_costs_longer_than_max_iterations", "params",
             lambda: _valid_params(costs=np.zeros(100_001)), filename="costs.npz",
             fragment="the most iterations"),
        Case("params_num_px_over_the_limit", "params",
             lambda: _npz(_params_members(num_px=4) | {"num_px.npy": _npy(np.array(1024))}),
             filename="huge_px.npz", fragment="more than the limit of 256"),
        Case("params_zip_directory_bomb", "params",
             lambda: _npz({f"{i:060d}.npy": b"" for i in range(2000)}),
             filename="entries.npz", fragment="zip directory"),
        Case("params_duplicate_member", "params",
             lambda: _npz(list(_params_members().items()) + [("w.npy", _npy(np.ones(3)))]),
             filename="twice.npz", fragment="appears twice"),
        Case("params_encrypted_member", "params",
             lambda: _patched(_valid_params(), "w.npy", flag_bits=0x1),
             filename="locked.npz", fragment="is encrypted"),
        Case("params_compression_method_97", "params",
             lambda: _patched(_valid_params(), "w.npy", method=97),
             filename="wavpack.npz", fragment="compression method 97"),
        Case("params_broken_deflate_stream", "params", _broken_deflate,
             filename="deflate.npz", fragment="member 'w.npy' is damaged"),
        Case("params_member_lies_about_its_size", "params", _lying_costs,
             filename="liar.npz", fragment="member 'costs.npy' is damaged"),
        Case("params_huge_npy_header", "params", _npz_huge_header,
             filename="header.npz", fragment=".npy header of 60,"),
        Case("params_complex_weights", "params",
             lambda: _valid_params(w=np.zeros((64 * 64 * 3, 1), complex)),
             filename="complex.npz", fragment="real floating-point numbers, got complex128"),
        Case("params_nan_learning_rate", "params",
             lambda: _valid_params(learning_rate=np.array(np.nan)), filename="lr_nan.npz",
             fragment="learning rate must be"),
        Case("params_negative_learning_rate", "params",
             lambda: _valid_params(learning_rate=np.array(-1.0)), filename="lr_neg.npz",
             fragment="learning rate must be"),
        Case("params_zero_iterations", "params",
             lambda: _valid_params(num_iterations=np.array(0)), filename="iter0.npz",
             fragment="number of iterations must be"),
        Case("params_nan_costs", "params",
             lambda: _valid_params(costs=np.array([0.69, np.nan])), filename="costs_nan.npz",
             fragment="'costs' contains nan"),
        Case("params_b_1e308", "params", lambda: _valid_params(b=np.array(1e308)),
             filename="big_b.npz", fragment="weights are too large"),
        Case("params_tiny_zscore_std", "params",
             lambda: _valid_params(num_px=4, w=np.ones((48, 1)), scaling=np.array("zscore"),
                                   mean=np.zeros((48, 1)), std=np.full((48, 1), 1e-300)),
             filename="tiny_std.npz", fragment="weights are too large"),
    ]


def _zip_cases():
    png = _small_png

    def bad(name, build, filename, fragment):
        return Case(name, "zip", build, fragment=fragment, filename=filename, paths=("app",))

    return [
        bad("zip_path_traversal",
            lambda: _zip({"../../evil/cat/a.png": png(1), "noncat/b.png": png(2)}),
            "traversal.zip", "unsafe path"),
        bad("zip_absolute_path",
            lambda: _zip({"/etc/cat/a.png": png(1), "noncat/b.png": png(2)}),
            "absolute.zip", "unsafe path"),
        bad("zip_bomb", _zip_bomb, "bomb.zip", "more than the limit"),
        bad("zip_bomb_lying_sizes", lambda: _zip_bomb(1 << 30, 16, declared=1000),
            "liar.zip", "cannot be read from the zip"),
        bad("zip_too_many_members",
            lambda: _zip({f"cat/{i}.png": b"" for i in range(2500)}, zipfile.ZIP_STORED),
            "many.zip", "more than the limit"),
        bad("zip_nested",
            lambda: _zip({"cat/inner.zip": _zip({"cat/a.png": png(1)}),
                          "noncat/inner.zip": _zip({"noncat/b.png": png(2)})}),
            "nested.zip", "zips inside the zip are not opened"),
        bad("zip_no_class_folders", lambda: _zip({f"img{i}.png": png(i) for i in range(6)}),
            "flat.zip", "expected exactly 2 top-level folders"),
        bad("zip_not_a_zip", lambda: b"PK\x03\x04" + b"\x00" * 100, "broken.zip",
            "not a readable .zip file"),
        bad("zip_empty", lambda: _zip({}), "empty.zip", "expected exactly 2 top-level folders"),
        bad("zip_broken_deflate",
            lambda: _broken_deflate_zip({"cat/a.png": png(1), "noncat/b.png": png(2)}),
            "garbled.zip", "cannot be read from the zip"),
        bad("zip_one_class", lambda: _zip({f"cat/{i}.png": png(i) for i in range(6)}),
            "oneclass.zip", "expected exactly 2 top-level folders"),
    ]


def _number_cases():
    def number(name, setting, value, fragment):
        return Case(name, "number", lambda: value, setting=setting, fragment=fragment)

    return [
        number("lr_zero", "learning_rate", 0.0, "learning rate"),
        number("lr_negative", "learning_rate", -0.01, "learning rate"),
        number("lr_1e6", "learning_rate", 1e6, "learning rate"),
        number("lr_nan", "learning_rate", math.nan, "learning rate"),
        number("iterations_zero", "iterations", 0, "iterations"),
        number("iterations_negative", "iterations", -5, "iterations"),
        number("iterations_1e7", "iterations", 10 ** 7, "iterations"),
    ]


def cases(kind=None):
    """Every corpus entry (or those of one kind), in a stable order."""
    everything = (_h5_cases() + _hostile_h5_cases() + _image_cases() + _params_cases() + _zip_cases()
                  + _number_cases())
    return [case for case in everything if kind is None or case.kind == kind]


CASES = cases()


def by_name(name):
    return next(case for case in CASES if case.name == name)


def valid_pair(name="ok"):
    """A small valid dataset pair {train_<name>.h5: bytes, test_<name>.h5: bytes} (8 x 8 x 3)."""
    return _pair(name)


def valid_params(num_px=64, channels=3, **overrides):
    """A valid parameters file (all-zero weights, divide255), with fields overridden or dropped."""
    return _valid_params(num_px, channels, **overrides)


def valid_png(seed=99, size=32):
    """An ordinary RGB PNG, different from every image in the corpus."""
    return _small_png(seed, size)


# Class names that are Markdown: an image, a link, bold text and a Streamlit colour.
MARKDOWN_CLASS_NAMES = ("![](http://127.0.0.1:9/x.png)",
                        "**[cat](http://127.0.0.1:9/)** :red[x] :material/home:")


def markdown_class_pair():
    """A valid pair (train_evil.h5, test_evil.h5) whose classes are MARKDOWN_CLASS_NAMES."""
    names = np.array([name.encode() for name in MARKDOWN_CLASS_NAMES])
    return {f"{split}_evil.h5": _h5_bytes({f"{split}_set_x": np.zeros((m, 8, 8, 3), np.uint8),
                                           f"{split}_set_y": np.arange(m) % 2,
                                           "list_classes": names})
            for split, m in (("train", 6), ("test", 4))}
