"""Turning any image a person might upload into the model's column vector.

The steps are the ones a learner would do by hand: apply the camera's EXIF rotation,
take the first frame, flatten transparency onto white, convert to RGB or grayscale,
resize to num_px x num_px, and flatten in the same order as the training set.
"""
import io
import os
import re
import warnings

import numpy as np
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

from .files import MEGABYTE, read_limited

# Lanczos keeps edges crisp when a phone photo shrinks to 64 x 64.
RESAMPLING = Image.Resampling.LANCZOS
# Shrinking first by a whole factor with a box filter, while the image stays at least this
# many times the target, then with Lanczos: to the eye the same result, at a fraction of the
# time and memory for a photo (Pillow's reducing_gap). Also how far a JPEG is decoded at
# reduced scale (draft) before that.
REDUCING_GAP = 3.0

# Budgets, checked from the file's size and the image header before any pixel is decoded.
# The app's own upload limit (.streamlit/config.toml: maxUploadSize = 50).
MAX_FILE_BYTES = 50 * MEGABYTE
# Twice a 12 MP phone photo. Decoding costs memory and time per pixel whatever the file
# size: a 1.9 KB lossless WebP of 7000 x 7000 took 1.5 s and 810 MB. Within the budget the
# worst is about 16 bytes a pixel (a 23 MP WebP peaked at 400 MB); JPEGs cost far less,
# being decoded at reduced scale.
MAX_PIXELS = 24_000_000
# Longer than any camera sensor is wide (a 200 MP sensor: 16,320 pixels). A valid 6 KB PNG
# of 49,000,000 x 1 pixels ran the resize out of memory (its filter weights grow with the
# longer side).
MAX_SIDE = 16_384
# The formats people upload as photos, recognised by content whatever the file is called
# (JPEG includes the multi-picture files some cameras write). Pillow can open many more,
# each one more parser for a hostile file to aim at (and EPS would start Ghostscript).
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")
# A JPEG's decoding time grows with its structure, not only its pixels: each progressive
# scan passes over the whole image again (a 599 KB 24 MP file of 8,000 empty scans took
# 19 s of CPU), and Pillow reads every marker segment in Python (a 64 x 64 JPEG padded with
# millions of tiny APP1 segments, 45 MB, took 13 s). Counted before Pillow sees the file.
# 100 scans is libjpeg-turbo's advice for untrusted files (djpeg -maxscans; encoders write
# about 10); cameras write a few dozen segments, 1,000 leaves room for split metadata.
MAX_JPEG_SCANS = 100
MAX_JPEG_SEGMENTS = 1_000
# After a scan's header: its entropy-coded data runs to the next 0xFF that is not a stuffed
# 0x00 or a restart marker.
_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7]")
FORMAT_NAMES = "PNG, JPEG, GIF, BMP or WebP"


class ImageError(ValueError):
    """An upload that is not a usable image, with a message saying why."""


def _describe(source, name):
    if name is not None:
        return str(name)
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return "image"


def open_image(source, name=None, target=None):
    """Open bytes, a path or a file object as a decoded, upright PIL image (first frame).

    ``target`` (pixels per side the caller will shrink it to, for a preview) lets a JPEG be
    decoded at reduced scale.

    Raises
    ------
    ImageError
    """
    return _open(source, _describe(source, name), target)


def _open(source, label, target=None):
    """:func:`open_image`; with ``target`` (pixels per side wanted) a JPEG is decoded at the
    smallest scale that keeps REDUCING_GAP times that many pixels."""
    content = read_limited(source, label, MAX_FILE_BYTES, ImageError)
    if len(content) == 0:
        raise ImageError(f"{label}: the file is empty")
    _check_jpeg_structure(content, label)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=FORMATS) as opened:
                _check_size(opened.size, label)
                opened.seek(0)  # the first frame of an animation
                if target is not None:
                    wanted = round(target * REDUCING_GAP)
                    opened.draft(None, (wanted, wanted))  # no-op for all but JPEG
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"{label}: too many pixels (possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise ImageError(f"{label}: not an image file logreg reads ({FORMAT_NAMES})") from None
    except ValueError as exc:
        # Pillow refuses compressed text or colour-profile chunks that inflate past its limit.
        if "MAX_TEXT" in str(exc):
            raise ImageError(f"{label}: a metadata chunk (text or colour profile) inflates to "
                             f"more than Pillow's limit of "
                             f"{PngImagePlugin.MAX_TEXT_CHUNK // MEGABYTE} MB") from None
        raise ImageError(f"{label}: the image data is damaged or truncated ({exc})") from None
    except (OSError, SyntaxError, EOFError) as exc:
        raise ImageError(f"{label}: the image data is damaged or truncated ({exc})") from None
    return image


def pixel_count(source, name=None):
    """Width x height of an image, read from its header alone (nothing is decoded).

    Raises
    ------
    ImageError
        For what :func:`open_image` would refuse from the header too.
    """
    label = _describe(source, name)
    content = read_limited(source, label, MAX_FILE_BYTES, ImageError)
    _check_jpeg_structure(content, label)
    try:
        with Image.open(io.BytesIO(content), formats=FORMATS) as opened:
            _check_size(opened.size, label)
            return opened.size[0] * opened.size[1]
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            Image.DecompressionBombError):
        # What the image is not is said by open_image's own message when it is decoded.
        return 0


def _check_jpeg_structure(content, label):
    """Refuse a JPEG with more scans or marker segments than :data:`MAX_JPEG_SCANS` and
    :data:`MAX_JPEG_SEGMENTS`, walking its markers without decoding anything (other
    formats pass; a damaged JPEG is left for Pillow to describe)."""
    if not content.startswith(b"\xff\xd8"):
        return
    position, segments, scans = 2, 0, 0
    while position + 4 <= len(content):
        if content[position] != 0xFF:
            return   # not a marker where one must be: Pillow says what is wrong
        marker = content[position + 1]
        if marker == 0xFF:   # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:   # end of image: what follows (a camera's second picture) is not read
            return
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:   # markers without a length
            position += 2
            continue
        segments += 1
        if segments > MAX_JPEG_SEGMENTS:
            raise ImageError(f"{label}: the JPEG has more than {MAX_JPEG_SEGMENTS:,} marker "
                             "segments, too many to read")
        position += 2 + int.from_bytes(content[position + 2:position + 4], "big")
        if marker == 0xDA:
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise ImageError(f"{label}: the JPEG has more than {MAX_JPEG_SCANS} "
                                 "progressive scans, too costly to decode")
            following = _NEXT_MARKER.search(content, position)
            if following is None:
                return
            position = following.start()


def _check_size(size, label):
    """Refuse, from the header alone, an image too costly to decode or resize."""
    width, height = size
    if max(width, height) > MAX_SIDE:
        raise ImageError(f"{label}: {width} x {height} pixels has a side longer than the "
                         f"limit of {MAX_SIDE:,} pixels")
    if width * height > MAX_PIXELS:
        raise ImageError(f"{label}: {width} x {height} pixels is more than the limit of "
                         f"{MAX_PIXELS // 1_000_000} megapixels")


def to_mode(image, channels):
    """Convert any PIL mode to RGB (channels=3) or L (channels=1), transparency on white."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        values = np.asarray(image, dtype=float)
        # 16-bit grayscale spans 0-65535: map that range onto 0-255 instead of clipping.
        # Modes I and F carry no range of their own; values above 255 are taken as 16-bit.
        sixteen_bit = image.mode.startswith("I;16") or values.max(initial=0) > 255
        top = 65535.0 if sixteen_bit else 255.0
        image = Image.fromarray(np.clip(values / top * 255.0, 0, 255).round().astype(np.uint8))
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("RGB" if channels == 3 else "L")


def _resized(image, num_px):
    return image.resize((num_px, num_px), RESAMPLING, reducing_gap=REDUCING_GAP)


def image_to_array(source, num_px, channels, name=None):
    """The num_px x num_px x channels uint8 image the model sees."""
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels}")
    image = _open(source, _describe(source, name), target=num_px)
    # A big image is resized before to_mode, which would copy it at full size. Only where the
    # conversion is per pixel and linear, so the order changes only rounding (at most 3 of 255
    # levels, RGB to gray at sharp edges): with alpha, Lanczos ringing at sharp edges clips
    # differently (up to 21 levels), and palette indices cannot be averaged. Small images keep
    # the plain order and so exactly the same pixels.
    if image.mode in ("L", "RGB") and max(image.size) >= 2 * REDUCING_GAP * num_px:
        image = _resized(image, num_px)
    image = _resized(to_mode(image, channels), num_px)
    array = np.asarray(image, dtype=np.uint8)
    return array.reshape(num_px, num_px, channels)


def image_to_vector(source, num_px, channels, name=None):
    """Column vector (num_px * num_px * channels, 1) of raw 0-255 pixels, as in training.

    Parameters
    ----------
    source : bytes, path or binary file object
    num_px : int
    channels : {1, 3}
    name : str, optional
        How the file is named in error messages.

    Raises
    ------
    ImageError
    """
    array = image_to_array(source, num_px, channels, name)
    return array.reshape(1, -1).T.astype(float)
