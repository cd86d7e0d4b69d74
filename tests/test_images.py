"""Any image a person might upload, turned into the model's column (issue 2, point 8).
Every image is made here with Pillow; no binary files are checked in."""
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from logreg import ImageError, image_to_array, image_to_vector
from logreg.images import (MAX_FILE_BYTES, MAX_PIXELS, MAX_SIDE, REDUCING_GAP, RESAMPLING, _open,
                           open_image, to_mode)
from logreg import images
from logreg.preprocessing import flatten

ORIENTATION = 0x0112


def encode(image, fmt="PNG", **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def two_halves(size=(20, 10)):
    """Left half red, right half blue: any rotation shows up as a different layout."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    return image


def with_orientation(image, value, fmt):
    exif = Image.Exif()
    exif[ORIENTATION] = value
    options = {"quality": 95} if fmt == "JPEG" else {}
    return encode(image, fmt, exif=exif, **options)


def test_bytes_path_and_file_object_give_the_same_vector(tmp_path):
    content = encode(two_halves())
    path = tmp_path / "halves.png"
    path.write_bytes(content)
    from_bytes = image_to_vector(content, 8, 3)
    assert from_bytes.shape == (192, 1) and from_bytes.dtype == float
    np.testing.assert_array_equal(from_bytes, image_to_vector(path, 8, 3))
    np.testing.assert_array_equal(from_bytes, image_to_vector(str(path), 8, 3))
    np.testing.assert_array_equal(from_bytes, image_to_vector(io.BytesIO(content), 8, 3))


def test_vector_is_raw_pixels_in_height_width_channel_order():
    image = Image.new("RGB", (2, 2))
    image.putdata([(1, 2, 3), (4, 5, 6), (7, 8, 9), (10, 11, 12)])
    vector = image_to_vector(encode(image), 2, 3)
    assert vector.ravel().tolist() == list(range(1, 13))


def test_flatten_order_matches_the_dataset(cat_dataset):
    """A dataset image round-tripped through PNG bytes gives exactly the dataset's column."""
    X = flatten(cat_dataset.train_set_x_orig)
    for index in (0, 7, 208):
        content = encode(Image.fromarray(cat_dataset.train_set_x_orig[index]))
        vector = image_to_vector(content, cat_dataset.num_px, cat_dataset.channels)
        np.testing.assert_array_equal(vector, X[:, index:index + 1].astype(float))


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
@pytest.mark.parametrize("orientation, transpose", [
    (6, Image.Transpose.ROTATE_270),  # stored sideways, shown turned 90 degrees clockwise
    (8, Image.Transpose.ROTATE_90),
    (3, Image.Transpose.ROTATE_180),
])
def test_exif_orientation_is_applied(fmt, orientation, transpose):
    stored = two_halves((40, 20))
    upright = stored.transpose(transpose)
    assert upright.size == ((20, 40) if orientation in (6, 8) else (40, 20))
    array = image_to_array(with_orientation(stored, orientation, fmt), 40, 3)
    expected = np.asarray(upright.resize((40, 40), RESAMPLING))
    if fmt == "PNG":
        np.testing.assert_array_equal(array, expected)
    else:
        assert np.abs(array.astype(int) - expected.astype(int)).mean() < 3
    # And the layout really changed: without the tag the halves are left/right.
    plain = image_to_array(encode(stored), 40, 3)
    if orientation in (6, 8):
        assert np.abs(plain.astype(int) - array.astype(int)).mean() > 50


def test_orientation_6_puts_the_left_half_on_top():
    array = image_to_array(with_orientation(two_halves((40, 20)), 6, "PNG"), 40, 3)
    assert array[2, 20].tolist() == [255, 0, 0]
    assert array[37, 20].tolist() == [0, 0, 255]
    array = image_to_array(with_orientation(two_halves((40, 20)), 8, "PNG"), 40, 3)
    assert array[2, 20].tolist() == [0, 0, 255]


def test_rgba_is_composited_on_white():
    image = Image.new("RGBA", (2, 1))
    image.putdata([(0, 0, 0, 0), (255, 0, 0, 128)])
    array = image_to_array(encode(image), 2, 3)
    assert array[0, 0].tolist() == [255, 255, 255]  # fully transparent black becomes white
    red = array[0, 1].tolist()
    assert red[0] == 255 and 125 <= red[1] <= 129 and red[1] == red[2]


def test_la_is_composited_on_white():
    image = Image.new("LA", (2, 1))
    image.putdata([(0, 0), (0, 255)])
    assert image_to_array(encode(image), 2, 1)[0, :, 0].tolist() == [255, 0]
    assert image_to_array(encode(image), 2, 3)[0, 0].tolist() == [255, 255, 255]


def test_palette_with_transparency_is_composited_on_white():
    image = Image.new("P", (2, 1))
    image.putpalette([0, 0, 0, 10, 200, 30] + [0] * 762)
    image.putdata([0, 1])
    array = image_to_array(encode(image, transparency=0), 2, 3)
    assert array[0, 0].tolist() == [255, 255, 255]
    assert array[0, 1].tolist() == [10, 200, 30]


def test_grayscale_to_rgb_and_rgb_to_grayscale():
    gray = Image.new("L", (3, 3), 90)
    assert image_to_array(encode(gray), 3, 3).reshape(-1, 3).tolist() == [[90, 90, 90]] * 9
    rgb = Image.new("RGB", (3, 3), (255, 0, 0))
    expected = rgb.convert("L").getpixel((0, 0))
    assert image_to_array(encode(rgb), 3, 1).shape == (3, 3, 1)
    assert set(image_to_array(encode(rgb), 3, 1).ravel().tolist()) == {expected}


def test_one_bit_images():
    image = Image.new("1", (4, 4), 0)
    image.putpixel((0, 0), 1)
    array = image_to_array(encode(image), 4, 3)
    assert array[0, 0].tolist() == [255, 255, 255]
    assert array[1, 1].tolist() == [0, 0, 0]


def test_cmyk_jpeg_is_converted():
    image = Image.new("CMYK", (8, 8), (0, 255, 255, 0))  # pure red in CMYK
    array = image_to_array(encode(image, "JPEG", quality=100), 8, 3)
    assert array.shape == (8, 8, 3)
    r, g, b = array.reshape(-1, 3).mean(axis=0)
    assert r > 240 and g < 15 and b < 15


def test_sixteen_bit_grayscale_is_scaled_not_clipped():
    image = Image.new("I;16", (3, 1))
    image.putdata([0, 32896, 65535])
    content = encode(image)
    assert open_image(content).mode.startswith("I")
    assert image_to_array(content, 3, 1)[0, :, 0].tolist() == [0, 128, 255]
    assert image_to_array(content, 3, 3)[0, 2].tolist() == [255, 255, 255]


def test_first_frame_of_an_animated_gif():
    frames = [Image.new("RGB", (6, 6), color) for color in ((255, 0, 0), (0, 0, 255))]
    content = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100,
                     loop=0)
    assert Image.open(io.BytesIO(content)).n_frames == 2
    array = image_to_array(content, 6, 3)
    assert set(map(tuple, array.reshape(-1, 3).tolist())) == {(255, 0, 0)}


def test_resized_to_num_px():
    image = two_halves((100, 50))
    array = image_to_array(encode(image), 64, 3)
    assert array.shape == (64, 64, 3) and array.dtype == np.uint8
    expected = np.asarray(image.resize((64, 64), RESAMPLING))
    np.testing.assert_array_equal(array, expected)
    assert image_to_vector(encode(image), 64, 3).shape == (12288, 1)


def test_bad_channels_argument():
    with pytest.raises(ValueError, match="channels must be 1 or 3, got 4"):
        image_to_array(encode(two_halves()), 4, 4)


def test_image_error_is_a_value_error():
    assert issubclass(ImageError, ValueError)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(ImageError, match=f"^{path}: the file is empty$"):
        image_to_vector(path, 64, 3)
    with pytest.raises(ImageError, match="^upload.png: the file is empty$"):
        image_to_vector(b"", 64, 3, name="upload.png")
    with pytest.raises(ImageError, match="^image: the file is empty$"):
        image_to_vector(io.BytesIO(b""), 64, 3)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.png"
    with pytest.raises(ImageError, match=f"^{path}: file not found$"):
        image_to_vector(path, 64, 3)


def test_not_an_image(tmp_path):
    path = tmp_path / "notes.jpg"
    path.write_text("this is a text file, not a photo\n")
    with pytest.raises(ImageError, match=f"^{path}: not an image file logreg reads \\(PNG, "
                                         f"JPEG, GIF, BMP or WebP\\)$"):
        image_to_vector(path, 64, 3)


def test_truncated_jpeg():
    noise = np.random.default_rng(0).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    content = encode(Image.fromarray(noise), "JPEG", quality=90)
    with pytest.raises(ImageError) as caught:
        image_to_vector(content[: len(content) // 2], 64, 3, name="cut.jpg")
    message = str(caught.value)
    assert message.startswith("cut.jpg: the image data is damaged or truncated (")
    assert "truncated" in message


def png_with_size(width, height):
    """A tiny 1 x 1 PNG whose header claims width x height (CRC recomputed): a cheap bomb."""
    content = bytearray(encode(Image.new("1", (1, 1))))
    ihdr = content.index(b"IHDR")
    content[ihdr + 4: ihdr + 12] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(content[ihdr: ihdr + 17]))
    content[ihdr + 17: ihdr + 21] = struct.pack(">I", crc)
    return bytes(content)


def test_decompression_bomb_is_refused():
    bomb = png_with_size(20000, 20000)
    assert len(bomb) < 100
    assert Image.open(io.BytesIO(png_with_size(20, 20))).size == (20, 20)
    with pytest.raises(ImageError, match=r"^bomb.png: too many pixels \(possible decompression "
                                         r"bomb\)$"):
        image_to_vector(bomb, 64, 3, name="bomb.png")


def test_more_pixels_than_the_limit_is_refused_before_decoding():
    assert 8000 * 8000 > MAX_PIXELS
    with pytest.raises(ImageError, match="^big.png: 8000 x 8000 pixels is more than the limit "
                                         "of 24 megapixels$"):
        image_to_vector(png_with_size(8000, 8000), 64, 3, name="big.png")


def test_a_side_longer_than_the_limit_is_refused_before_decoding():
    assert MAX_SIDE + 1 < MAX_PIXELS
    with pytest.raises(ImageError, match=f"^strip.png: {MAX_SIDE + 1} x 1 pixels has a side "
                                         f"longer than the limit of 16,384 pixels$"):
        image_to_vector(png_with_size(MAX_SIDE + 1, 1), 64, 3, name="strip.png")


def photo(width, height):
    """A smooth picture with detail at every scale, like a photo."""
    yy, xx = np.mgrid[0:height, 0:width]
    planes = (128 + 100 * np.sin(xx / 37.0) * np.cos(yy / 23.0), xx * 255 // width,
              (xx // 50 + yy // 50) % 2 * 200 + 20)
    return Image.fromarray(np.stack(planes, axis=-1).astype(np.uint8))


def reference(image, num_px, channels=3):
    """The plain pipeline: full decode, convert, one Lanczos resize."""
    return np.asarray(to_mode(image, channels).resize((num_px, num_px), RESAMPLING))


def test_a_big_jpeg_is_decoded_at_reduced_scale():
    content = encode(photo(2400, 1800), "JPEG", quality=95)
    # draft keeps at least REDUCING_GAP x 64 pixels a side: 2400 x 1800 / 8.
    assert open_image(content).size == (2400, 1800)
    assert _open(content, "x.jpg", target=64).size == (300, 225)
    array = image_to_array(content, 64, 3).astype(int)
    expected = reference(Image.open(io.BytesIO(content)), 64).astype(int)
    assert np.abs(array - expected).mean() < 1.5


@pytest.mark.parametrize("mode, channels", [("RGB", 3), ("RGB", 1), ("L", 1), ("L", 3),
                                           ("RGBA", 3), ("LA", 1)])
def test_big_images_are_resized_cheaply_to_the_same_result(mode, channels):
    image = photo(1500, 1000).convert(mode)
    if mode in ("RGBA", "LA"):
        image.putalpha(Image.linear_gradient("L").resize(image.size))
    array = image_to_array(encode(image), 64, channels).astype(int)
    # Resized before the conversion, with Pillow's reducing gap: equal up to rounding...
    cheap = to_mode(image, channels).resize((64, 64), RESAMPLING, reducing_gap=REDUCING_GAP)
    assert np.abs(array - np.asarray(cheap).reshape(array.shape)).max() <= 3
    # ...and close to one Lanczos resize of all 1.5 million pixels.
    full = reference(image, 64, channels).reshape(array.shape).astype(int)
    assert np.abs(array - full).mean() < 0.5


def test_a_huge_text_chunk_says_so():
    text = zlib.compress(b"x" * (3 << 20))
    content = bytearray(encode(Image.new("RGB", (4, 4))))
    at = content.index(b"IDAT") - 4
    body = b"Comment\x00\x00" + text
    chunk = (struct.pack(">I", len(body)) + b"zTXt" + body
             + struct.pack(">I", zlib.crc32(b"zTXt" + body)))
    with pytest.raises(ImageError, match=r"^t.png: a metadata chunk \(text or colour profile\) "
                                         r"inflates to more than Pillow's limit of 1 MB$"):
        image_to_vector(bytes(content[:at]) + chunk + bytes(content[at:]), 64, 3, name="t.png")


@pytest.mark.parametrize("fmt", ["TIFF", "PPM", "TGA"])
def test_only_photo_formats_are_opened(fmt):
    with pytest.raises(ImageError, match=r"^x.png: not an image file logreg reads \(PNG, JPEG, "
                                         r"GIF, BMP or WebP\)$"):
        image_to_vector(encode(two_halves(), fmt), 8, 3, name="x.png")


def test_paths_must_be_regular_files_within_the_budget(tmp_path):
    with pytest.raises(ImageError, match=f"^{tmp_path}: this is a folder, not a file$"):
        image_to_vector(tmp_path, 64, 3)
    big = tmp_path / "big.png"
    with open(big, "wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    with pytest.raises(ImageError, match=f"^{big}: the file is 50.0 MB, more than the limit "
                                         f"of 50 MB$"):
        image_to_vector(big, 64, 3)


def _progressive_jpeg():
    noise = np.random.default_rng(0).integers(0, 255, (300, 400, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, "JPEG", progressive=True, quality=90)
    return buffer.getvalue()


def test_a_progressive_jpeg_is_read_and_one_of_thousands_of_scans_is_refused():
    """Each scan decodes the whole image again: 8,000 empty ones in a 599 KB 24 MP file took
    19 s of CPU (issue 24). Refused from the markers, before Pillow decodes anything."""
    good = _progressive_jpeg()
    assert 1 < good.count(b"\xff\xda") <= images.MAX_JPEG_SCANS
    assert images.image_to_array(good, 64, 3).shape == (64, 64, 3)
    last = good.rindex(b"\xff\xda")
    scan = good[last:last + 2 + int.from_bytes(good[last + 2:last + 4], "big")]
    many = good[:-2] + scan * 8000 + b"\xff\xd9"
    with pytest.raises(images.ImageError, match=r"^scans\.jpg: the JPEG has more than 100 "
                                                r"progressive scans, too costly to decode$"):
        images.image_to_array(many, 64, 3, name="scans.jpg")


def test_a_jpeg_padded_with_millions_of_tiny_segments_is_refused_from_its_markers():
    """45 MB of 4-byte APP1 segments around a 64 x 64 picture: Pillow read them one by one in
    Python, 16 s of CPU for the header alone (issue 24)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64)).save(buffer, "JPEG")
    small = buffer.getvalue()
    padded = small[:2] + b"\xff\xe1\x00\x02" * (45 * 1024 * 1024 // 4) + small[2:]
    for read in (images.pixel_count, lambda data, name: images.image_to_array(data, 64, 3,
                                                                               name=name)):
        with pytest.raises(images.ImageError, match=r"^padded\.jpg: the JPEG has more than "
                                                    r"1,000 marker segments"):
            read(padded, name="padded.jpg")
    # A camera's few dozen segments pass.
    assert images.pixel_count(small[:2] + b"\xff\xe1\x00\x10" + b"x" * 14 + small[2:]) == 64 * 64
