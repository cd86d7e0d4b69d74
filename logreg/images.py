"""Turning any image a person might upload into the model's column vector.

The steps are the ones a learner would do by hand: apply the camera's EXIF rotation,
take the first frame, flatten transparency onto white, convert to RGB or grayscale,
resize to num_px x num_px, and flatten in the same order as the training set.
"""
import io
import os
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Lanczos keeps edges crisp when a phone photo shrinks to 64 x 64.
RESAMPLING = Image.Resampling.LANCZOS
RESAMPLING_NAME = "Lanczos"
# 50 megapixels is larger than any phone camera; above it a file is more likely a
# decompression bomb than a photo.
MAX_PIXELS = 50_000_000


class ImageError(ValueError):
    """An upload that is not a usable image, with a message saying why."""


def _describe(source, name):
    if name is not None:
        return str(name)
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    return "image"


def _read_bytes(source, label):
    """The whole content of bytes, a path or a binary file object."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, os.PathLike)):
        if not os.path.isfile(source):
            raise ImageError(f"{label}: file not found")
        with open(source, "rb") as file:
            return file.read()
    return source.read()


def open_image(source, name=None):
    """Open bytes, a path or a file object as a decoded, upright PIL image (first frame).

    Raises
    ------
    ImageError
    """
    label = _describe(source, name)
    content = _read_bytes(source, label)
    if len(content) == 0:
        raise ImageError(f"{label}: the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as opened:
                width, height = opened.size
                # Checked before decoding: the header alone says how big the pixels would be.
                if width * height > MAX_PIXELS:
                    raise ImageError(
                        f"{label}: {width} x {height} pixels is more than the limit of "
                        f"{MAX_PIXELS // 1_000_000} megapixels")
                opened.seek(0)  # the first frame of an animation
                opened.load()
                image = ImageOps.exif_transpose(opened)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"{label}: too many pixels (possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise ImageError(f"{label}: not an image file Pillow can read") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageError(f"{label}: the image data is damaged or truncated ({exc})") from None
    return image


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


def image_to_array(source, num_px, channels, name=None):
    """The num_px x num_px x channels uint8 image the model sees."""
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels}")
    image = to_mode(open_image(source, name), channels)
    image = image.resize((num_px, num_px), RESAMPLING)
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
