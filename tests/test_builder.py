"""Building your own two-class dataset: safe zip reading, the split, and the round trip
through the course's h5 layout. Every image and zip is generated here."""
import io
import struct
import zipfile

import numpy as np
import pytest
from PIL import Image

from logreg import builder, fit, load_pair
from logreg.builder import BuilderError, build_dataset, read_zip, stratified_split
from logreg.data import PAIR_PATTERN
from logreg.h5write import dataset_to_bytes, pair_file_names, split_to_bytes


def png(rgb, size=(40, 30), seed=0):
    """A PNG of one colour plus noise, so images differ but classes stay apart."""
    rng = np.random.default_rng(seed)
    pixels = np.clip(np.array(rgb) + rng.normal(0, 20, (size[1], size[0], 3)), 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, "PNG")
    return buffer.getvalue()


def class_files(rgb, n, prefix, seed=0):
    return [(f"{prefix}{i}.png", png(rgb, seed=seed + i)) for i in range(n)]


def make_zip(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def two_class_zip(n=12, wrap=""):
    entries = {}
    for i in range(n):
        entries[f"{wrap}red/r{i}.png"] = png((200, 30, 30), seed=i)
        entries[f"{wrap}blue/b{i}.png"] = png((30, 30, 200), seed=100 + i)
    return entries


# --- reading zips -------------------------------------------------------------------------

def test_zip_with_two_class_folders():
    entries = two_class_zip(3)
    entries["red/.DS_Store"] = b"junk"
    entries["__MACOSX/red/._r0.png"] = b"junk"
    entries["blue/deeper/b9.png"] = png((30, 30, 200), seed=9)
    entries["README.txt"] = b"hello"
    entries["blue/more.zip"] = make_zip({"x.png": png((0, 0, 0))})
    contents = read_zip(make_zip(entries), "mine.zip")
    assert list(contents.classes) == ["blue", "red"]
    assert [name for name, _ in contents.classes["red"]] == ["red/r0.png", "red/r1.png",
                                                             "red/r2.png"]
    assert "blue/deeper/b9.png" in [name for name, _ in contents.classes["blue"]]
    assert contents.classes["red"][0][1] == entries["red/r0.png"]
    assert [str(s) for s in contents.skipped] == [
        "README.txt: not inside a class folder",
        "blue/more.zip: zips inside the zip are not opened"]


def test_single_wrapping_folder_is_looked_through():
    contents = read_zip(make_zip(two_class_zip(2, wrap="photos/")))
    assert list(contents.classes) == ["blue", "red"]
    assert len(contents.classes["blue"]) == 2


def without_utf8_flag(entries, encoding):
    """A zip as Windows' own zipper writes it: names in the system's code page (CP949 on a
    Korean Windows) and the UTF-8 flag (0x800) off. zipfile writes non-ASCII names as UTF-8
    with the flag, so the zip is written with ASCII stand-ins of the same byte length and
    the raw names are put in their place (in the local headers and the central directory)."""
    stand_ins = {}
    ascii_entries = {}
    for index, (name, data) in enumerate(entries.items()):
        raw = name.encode(encoding)
        stand_in = f"{index:0{len(raw)}d}"[-len(raw):]
        assert stand_in.encode() not in stand_ins
        stand_ins[stand_in.encode()] = raw
        ascii_entries[stand_in] = data
    zipped = make_zip(ascii_entries, zipfile.ZIP_STORED)
    for stand_in, raw in stand_ins.items():
        assert zipped.count(stand_in) == 2
        zipped = zipped.replace(stand_in, raw)
    return zipped


@pytest.mark.parametrize("encoding", ["cp949", "utf-8"])
def test_korean_folder_names_without_the_utf8_flag(encoding):
    """Windows' zipper writes CP949 names and no UTF-8 flag; Python reads those as cp437
    (mojibake like '░φ╛τ└╠'). Tools that write UTF-8 without the flag read back too."""
    entries = {}
    for i in range(3):
        entries[f"사진/고양이/고양이{i}.png"] = png((200, 30, 30), seed=i)
        entries[f"사진/강아지/강아지{i}.png"] = png((30, 30, 200), seed=10 + i)
    data = without_utf8_flag(entries, encoding)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(info.flag_bits & 0x800 for info in archive.infolist())
        assert "고양이" not in archive.namelist()[0]    # zipfile alone gives mojibake
    contents = read_zip(data, "사진.zip")
    assert list(contents.classes) == ["강아지", "고양이"]
    assert [name for name, _ in contents.classes["고양이"]] == [
        f"사진/고양이/고양이{i}.png" for i in range(3)]
    assert contents.classes["고양이"][0][1] == entries["사진/고양이/고양이0.png"]
    result = build_dataset(list(contents.classes), list(contents.classes.values()), num_px=16)
    assert result.dataset.classes == ("강아지", "고양이")


def test_names_that_are_neither_utf8_nor_cp949_stay_as_zipfile_reads_them():
    entries = {"\xff\xfe/a.png": png((1, 2, 3)), "ok/b.png": png((3, 2, 1)),
               "\xff\xfe/c.png": png((1, 2, 3)), "ok/d.png": png((3, 2, 1))}
    data = without_utf8_flag(entries, "latin-1")
    contents = read_zip(data)
    assert sorted(contents.classes) == sorted(["ok", b"\xff\xfe".decode("cp437")])


@pytest.mark.parametrize("folders, found", [
    (["only"], "found 1 ('only')"),
    (["a", "b", "c"], "found 3 ('a', 'b', 'c')"),
    ([], "found 0 (none)"),
])
def test_zip_needs_exactly_two_class_folders(folders, found):
    entries = {f"{folder}/x.png": png((1, 2, 3)) for folder in folders}
    entries["loose.png"] = png((1, 2, 3))
    with pytest.raises(BuilderError) as error:
        read_zip(make_zip(entries), "mine.zip")
    assert str(error.value) == (
        f"mine.zip: expected exactly 2 top-level folders, one per class, {found}")


@pytest.mark.parametrize("hostile", ["../evil.png", "/abs.png", "cats/../../evil.png",
                                     "C:/evil.png", "..\\evil.png"])
def test_hostile_paths_reject_the_whole_zip(hostile):
    entries = two_class_zip(2)
    entries[hostile] = png((1, 2, 3))
    with pytest.raises(BuilderError) as error:
        read_zip(make_zip(entries), "evil.zip")
    assert str(error.value) == (f"evil.zip: the entry '{hostile}' has an unsafe path "
                                f"(absolute or with '..'); the zip was not used")


def test_not_a_zip():
    with pytest.raises(BuilderError, match=r"^photos\.zip: not a readable \.zip file"):
        read_zip(png((1, 2, 3)), "photos.zip")


def test_too_many_members(monkeypatch):
    monkeypatch.setattr(builder, "MAX_ZIP_MEMBERS", 50)
    entries = {f"a/{i}.png": b"" for i in range(26)} | {f"b/{i}.png": b"" for i in range(25)}
    with pytest.raises(BuilderError) as error:
        read_zip(make_zip(entries), "many.zip")
    assert str(error.value) == ("many.zip: 51 entries is more than the limit of 50; "
                                "the zip was not used")


def test_zip_bomb_is_refused_from_its_directory_without_reading():
    # 201 MB of zeros deflates to about 200 kB: cheap to make, refused before decompressing.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a/ok.png", png((1, 2, 3)))
        with archive.open("b/bomb.png", "w", force_zip64=True) as member:
            zeros = bytes(1024 * 1024)
            for _ in range(201):
                member.write(zeros)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(BuilderError) as error:
        read_zip(buffer.getvalue(), "bomb.zip")
    assert str(error.value) == ("bomb.zip: the files uncompress to 201 MB, more than the "
                                "limit of 200 MB; the zip was not used")


def _lie_about_size(data, member_name, declared):
    """Rewrite a member's uncompressed size in both the local and the central header."""
    data = bytearray(data)
    name = member_name.encode()
    local = data.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", data, local + 26)[0]
        if data[local + 30: local + 30 + name_len] == name:
            struct.pack_into("<I", data, local + 22, declared)
        local = data.find(b"PK\x03\x04", local + 4)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46: central + 46 + name_len] == name:
            struct.pack_into("<I", data, central + 24, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_lying_header_never_yields_more_than_declared():
    entries = two_class_zip(2)
    entries["red/liar.png"] = bytes(5 * 1024 * 1024)
    data = _lie_about_size(make_zip(entries), "red/liar.png", 1000)
    contents = read_zip(data, "liar.zip")
    names = [name for name, _ in contents.classes["red"]]
    assert "red/liar.png" not in names and len(names) == 2
    [skipped] = contents.skipped
    assert skipped.name == "red/liar.png"
    assert skipped.reason.startswith("cannot be read from the zip")


def test_member_reader_refuses_more_bytes_than_declared():
    class Info:
        filename = "a/x.png"
        file_size = 10

    class Archive:
        def open(self, info):
            return io.BytesIO(bytes(100))

    with pytest.raises(BuilderError) as error:
        builder._read_member(Archive(), Info(), 10**9, "odd.zip")
    assert str(error.value) == ("odd.zip: 'a/x.png' holds more data than its header says; "
                                "the zip was not used")

    Info.file_size = 100
    with pytest.raises(BuilderError, match="uncompress to more than 200 MB"):
        builder._read_member(Archive(), Info(), 50, "big.zip")


def test_damaged_member_is_skipped_with_its_reason():
    entries = two_class_zip(2)
    entries["red/damaged.png"] = png((200, 30, 30), seed=7)
    data = bytearray(make_zip(entries, zipfile.ZIP_STORED))
    start = data.find(b"red/damaged.png") + len("red/damaged.png") + 40
    data[start] ^= 0xFF
    contents = read_zip(bytes(data), "d.zip")
    [skipped] = contents.skipped
    assert skipped.name == "red/damaged.png"
    assert "CRC" in skipped.reason


# --- the split ------------------------------------------------------------------------------

def test_stratified_split_keeps_class_shares_and_is_seeded():
    labels = np.r_[np.zeros(40, int), np.ones(20, int)]
    train, test = stratified_split(labels, 0.25, seed=3)
    assert sorted(np.r_[train, test].tolist()) == list(range(60))
    assert (labels[test] == 0).sum() == 10 and (labels[test] == 1).sum() == 5
    again = stratified_split(labels, 0.25, seed=3)
    assert np.array_equal(train, again[0]) and np.array_equal(test, again[1])
    other = stratified_split(labels, 0.25, seed=4)
    assert not np.array_equal(test, other[1])


def test_split_keeps_one_of_each_class_on_both_sides():
    train, test = stratified_split(np.array([0, 0, 1, 1]), 0.25)
    assert len(train) == 2 and len(test) == 2
    with pytest.raises(ValueError, match="class 1 has 1 examples"):
        stratified_split(np.array([0, 0, 1]), 0.25)


# --- building ------------------------------------------------------------------------------

def test_build_dataset_counts_shapes_and_labels():
    red = class_files((200, 30, 30), 12, "r")
    blue = class_files((30, 30, 200), 8, "b", seed=50)
    result = build_dataset(("Red things", "Blue things"), (red, blue), num_px=32, channels=3)
    data = result.dataset
    assert data.name == "red-things_vs_blue-things"
    assert data.classes == ("Red things", "Blue things")
    assert (data.m_train, data.m_test) == (15, 5)
    assert data.train_set_x_orig.shape == (15, 32, 32, 3)
    assert data.train_set_x_orig.dtype == np.uint8
    assert (data.test_set_y == 0).sum() == 3 and (data.test_set_y == 1).sum() == 2
    # Label 0 images are the red ones.
    x = data.train_set_x_orig.astype(float)
    y = data.train_set_y[0]
    assert np.all(x[y == 0][..., 0].mean(axis=(1, 2)) > x[y == 0][..., 2].mean(axis=(1, 2)))
    assert result.warnings == ("class 'Blue things' has only 8 images: with fewer than 10 per "
                               "class the test accuracy says little",)
    assert result.skipped == ()


def test_unreadable_files_are_listed_and_skipped():
    red = class_files((200, 30, 30), 10, "r") + [("notes.txt", b"not an image"),
                                                  ("empty.png", b"")]
    blue = class_files((30, 30, 200), 10, "b") + [("cut.png", png((1, 2, 3))[:60])]
    result = build_dataset(("red", "blue"), (red, blue), num_px=32, channels=1)
    assert result.dataset.m_train + result.dataset.m_test == 20
    assert result.dataset.channels == 1
    reasons = {s.name: s.reason for s in result.skipped}
    assert reasons["notes.txt"] == "not an image file logreg reads (PNG, JPEG, GIF, BMP or WebP)"
    assert reasons["empty.png"] == "the file is empty"
    assert reasons["cut.png"].startswith("the image data is damaged or truncated")


@pytest.mark.parametrize("names, message", [
    (("", "dogs"), "class 1 needs a name"),
    (("cats", "   "), "class 2 needs a name"),
    (("Cats", "cats "), "the two classes need different names (both are 'Cats')"),
])
def test_class_names_are_checked(names, message):
    files = class_files((1, 2, 3), 3, "x")
    with pytest.raises(BuilderError) as error:
        build_dataset(names, (files, files))
    assert str(error.value) == message


def test_a_class_needs_two_readable_images():
    with pytest.raises(BuilderError) as error:
        build_dataset(("cats", "dogs"), (class_files((1, 2, 3), 5, "c"),
                                         [("d.png", png((9, 9, 9))), ("bad.png", b"x")]))
    assert str(error.value) == ("class 'dogs' has 1 readable image; at least 2 are needed "
                                "(one for training, one for testing)")


@pytest.mark.parametrize("kwargs, message", [
    ({"channels": 2}, "channels must be 1 (grayscale) or 3 (colour), got 2"),
    ({"num_px": 4}, "image size must be from 8 to 256 pixels, got 4"),
])
def test_settings_are_checked(kwargs, message):
    files = class_files((1, 2, 3), 3, "x")
    with pytest.raises(BuilderError) as error:
        build_dataset(("a", "b"), (files, files), **kwargs)
    assert str(error.value) == message


def test_class_count_and_size_limits(monkeypatch):
    files = class_files((1, 2, 3), 3, "x")
    with pytest.raises(BuilderError) as error:
        build_dataset(("a", "b"), (files,))
    assert str(error.value) == "expected images for 2 classes, got 1"
    monkeypatch.setattr(builder, "MAX_IMAGES_PER_CLASS", 2)
    with pytest.raises(BuilderError) as error:
        build_dataset(("a", "b"), (files, files))
    assert str(error.value) == "class 'a' has 3 images, more than the limit of 2"


def test_a_dataset_larger_than_a_loaded_file_may_be_is_refused_before_decoding(monkeypatch):
    files = class_files((1, 2, 3), 3, "x")
    monkeypatch.setattr(builder, "MAX_VALUES", 6 * 8 * 8 * 3 - 1)
    monkeypatch.setattr(builder, "decode_images", lambda *a: pytest.fail("decoded anyway"))
    with pytest.raises(BuilderError) as error:
        build_dataset(("a", "b"), (files, files), num_px=8)
    assert str(error.value) == ("6 images of 8 x 8 x 3 are 1,152 pixel values, more than the "
                                "limit of 1,151: use fewer images or a smaller size")


def test_names_become_file_safe():
    assert builder.dataset_name(("Chats noirs!", "Café")) == "chats-noirs_vs_cafe"
    assert builder.dataset_name(("猫", "犬")) == "class0_vs_class1"
    assert PAIR_PATTERN.match(f"train_{builder.dataset_name(('a b', 'c/d'))}.h5")


# --- h5 files -------------------------------------------------------------------------------

def test_h5_bytes_are_deterministic_and_reload():
    result = build_dataset(("red", "blue"), (class_files((200, 30, 30), 6, "r"),
                                             class_files((30, 30, 200), 6, "b")), num_px=32)
    first = dataset_to_bytes(result.dataset)
    assert first == dataset_to_bytes(result.dataset)
    train_name, test_name = pair_file_names(result.dataset.name)
    again = load_pair(first[0], first[1], train_name=train_name, test_name=test_name)
    assert again.name == "red_vs_blue"
    assert again.classes == ("red", "blue")
    assert np.array_equal(again.train_set_x_orig, result.dataset.train_set_x_orig)
    assert np.array_equal(again.test_set_y, result.dataset.test_set_y)


def test_split_to_bytes_rejects_bad_input():
    with pytest.raises(ValueError, match="split must be"):
        split_to_bytes("dev", np.zeros((1, 2, 2, 1)), [0], ("a", "b"))
    with pytest.raises(ValueError, match="2 labels for 1 images"):
        split_to_bytes("train", np.zeros((1, 2, 2, 1)), [0, 1], ("a", "b"))
    with pytest.raises(ValueError, match="0 to 255"):
        split_to_bytes("train", np.full((1, 2, 2, 1), 300.0), [0], ("a", "b"))


def test_zip_to_trained_model_end_to_end():
    contents = read_zip(make_zip(two_class_zip(12)), "colours.zip")
    names = tuple(contents.classes)
    result = build_dataset(names, tuple(contents.classes.values()), num_px=32, channels=3)
    train_bytes, test_bytes = dataset_to_bytes(result.dataset)
    train_name, test_name = pair_file_names(result.dataset.name)
    dataset = load_pair(train_bytes, test_bytes, train_name=train_name, test_name=test_name)
    assert dataset.name == "blue_vs_red" and dataset.classes == ("blue", "red")
    assert (dataset.m_train, dataset.m_test) == (18, 6)
    model = fit(dataset, num_iterations=50, learning_rate=0.01, scaling="divide255")
    scores = model.evaluate(dataset)
    assert model.costs[-1] < model.costs[0]
    assert scores.train_accuracy == 100.0 and scores.test_accuracy == 100.0


def test_a_class_name_longer_than_the_loaders_allow_is_refused():
    """A zip folder's name once built a dataset no loader reads back (nor the saved copy)."""
    from logreg.data import MAX_CLASS_NAME
    files = class_files((1, 2, 3), 3, "x")
    with pytest.raises(BuilderError, match=f"the name of class 1 has {MAX_CLASS_NAME + 1} "
                                           f"characters, more than the limit of "
                                           f"{MAX_CLASS_NAME}"):
        build_dataset(("a" * (MAX_CLASS_NAME + 1), "dogs"), (files, files))
    assert build_dataset(("a" * MAX_CLASS_NAME, "dogs"), (files, files)).dataset.classes[0] == \
        "a" * MAX_CLASS_NAME
