"""The Data page's "Get more data" sections, driven through the real app with AppTest:
the download button, an uploaded h5 pair, and the dataset builder end to end."""
import http.server
import io
import shutil
import threading
import zipfile

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from logreg import builder, catalog, download, fit
from logreg.data import load_pair
from studio.session import state

from app_support import ROOT, shown, train_with_ui
from test_download import NAMES, Handler, closed_port

TIMEOUT = 120


@pytest.fixture
def data_home(tmp_path, monkeypatch):
    """A project data/ folder holding only the built-in faces; no $LOGREG_DATA_DIR."""
    home = tmp_path / "data"
    home.mkdir()
    for name in ("train_faces.h5", "test_faces.h5"):
        shutil.copy(ROOT / "data" / name, home / name)
    monkeypatch.setattr(catalog, "PROJECT_DATA_DIR", home)
    monkeypatch.delenv("LOGREG_DATA_DIR", raising=False)
    return home


@pytest.fixture
def app(data_home):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    # Twice: studio.frame.shell.page_setup restarts one run per process (switching Streamlit out of
    # its pages/ directory mode), which would swallow a test's first click.
    at.run()
    at.run()
    assert not at.exception
    return at


def texts(elements):
    return [shown(e.value) for e in elements]


def png(rgb, seed, size=(40, 30), fmt="PNG"):
    rng = np.random.default_rng(seed)
    pixels = np.clip(np.array(rgb) + rng.normal(0, 20, (size[1], size[0], 3)), 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, fmt)
    return buffer.getvalue()


def colour_zip(n=12, extra=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(n):
            archive.writestr(f"red/r{i}.png", png((200, 30, 30), i))
            archive.writestr(f"blue/b{i}.png", png((30, 30, 200), 100 + i))
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def counts(at):
    images = at.session_state["builder_images"]
    return len(images[0]), len(images[1])


# --- download ------------------------------------------------------------------------------

@pytest.fixture
def cat_server(data_dir):
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.files = {name: (data_dir / name).read_bytes() for name in NAMES}
    httpd.requests = []
    httpd.release = threading.Event()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def use_mirror(monkeypatch, url):
    names, mirrors = download.load_mirrors()
    local = download.Mirror(url + "/{name}", mirrors[0].pin_sets)
    monkeypatch.setattr(download, "load_mirrors", lambda *args: (names, [local]))


def test_download_button_fetches_and_selects_the_cat_data(app, data_home, cat_server,
                                                          monkeypatch, data_dir):
    assert app.session_state[state.DATASET_KEY] == "file:faces"
    # One glance at the top of the page: what is loaded, and how to get the cat data.
    assert texts(app.info)[0].startswith(
        "Showing **Faces vs non-faces (built-in)**: 150 training images and 50 test images, "
        "25 × 25 pixels, greyscale. The course's 209 + 50 cat / non-cat images")
    assert "not on this machine" in texts(app.info)[0]
    use_mirror(monkeypatch, cat_server + "/good")
    app.button(key="download_cat_data").click().run()
    assert not app.exception
    for name in NAMES:
        assert (data_home / name).read_bytes() == (data_dir / name).read_bytes()
    assert sorted(p.name for p in data_home.iterdir()) == sorted(
        ["train_faces.h5", "test_faces.h5", *NAMES])
    assert app.session_state[state.DATASET_KEY] == "file:catvnoncat"
    assert app.selectbox(key="dataset_select").value == "file:catvnoncat"
    assert any("Downloaded the cat data" in s for s in texts(app.success))
    assert "Showing **Cats vs non-cats (Coursera)**: 209 training images and 50 test " \
           "images, 64 × 64 pixels, colour." in texts(app.success)
    assert "download_cat_data" not in [b.key for b in app.button]


def test_download_failure_says_so_and_faces_keep_working(app, data_home, monkeypatch):
    use_mirror(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    app.button(key="download_cat_data").click().run()
    assert not app.exception
    [error] = texts(app.error)
    assert error.startswith("The cat data could not be downloaded; most often the internet")
    assert "The built-in faces dataset still works." in error
    # The engine's own sentence, with the technical reason, waits in an expander.
    assert any(code.startswith("could not reach any mirror of the cat data")
               for code in texts(app.code))
    assert app.session_state[state.DATASET_KEY] == "file:faces"
    assert sorted(p.name for p in data_home.iterdir()) == ["test_faces.h5", "train_faces.h5"]


# --- upload a pair ---------------------------------------------------------------------------

def test_uploaded_pair_becomes_the_session_dataset(app, data_dir, data_home):
    files = [(name, (data_dir / name).read_bytes(), "application/x-hdf5") for name in NAMES]
    app.file_uploader(key="pair_upload").set_value(files).run()
    assert not app.exception
    assert app.session_state[state.DATASET_KEY] == "upload:catvnoncat"
    assert app.selectbox(key="dataset_select").value == "upload:catvnoncat"
    dataset = app.session_state[state.CUSTOM_DATASETS]["upload:catvnoncat"]
    assert (dataset.m_train, dataset.m_test, dataset.num_px) == (209, 50, 64)
    [message] = [s for s in texts(app.success) if s.startswith("Loaded")]
    assert message.startswith("Loaded train_catvnoncat.h5 + test_catvnoncat.h5: 209 training")
    # Kept in memory only: nothing was written next to the data files.
    assert sorted(p.name for p in data_home.iterdir()) == ["test_faces.h5", "train_faces.h5"]
    # Picking another dataset in the sidebar sticks: the upload is not re-selected.
    app.selectbox(key="dataset_select").set_value("file:faces").run()
    assert app.session_state[state.DATASET_KEY] == "file:faces"


def test_one_file_asks_for_the_other(app, data_dir):
    name = NAMES[0]
    app.file_uploader(key="pair_upload").set_value(
        (name, (data_dir / name).read_bytes(), "application/x-hdf5")).run()
    assert "Now add the matching test_<name>.h5 file." in texts(app.info)


@pytest.mark.parametrize("names, message", [
    (("a.h5", "b.h5"), "Upload exactly two files, one named train_<name>.h5 and one named "
                       "test_<name>.h5 (got: a.h5, b.h5)."),
    (("train_x.h5", "train_y.h5", "test_x.h5"), "Upload exactly two files, one named "
     "train_<name>.h5 and one named test_<name>.h5 (got: train_x.h5, train_y.h5, test_x.h5)."),
])
def test_wrongly_named_uploads_are_explained(app, names, message):
    app.file_uploader(key="pair_upload").set_value(
        [(n, b"\x89HDF\r\n", "application/x-hdf5") for n in names]).run()
    assert not app.exception
    assert texts(app.error) == [message]


def test_broken_upload_names_the_file(app, data_dir):
    files = [(NAMES[0], (data_dir / NAMES[0]).read_bytes(), "application/x-hdf5"),
             (NAMES[1], (data_dir / NAMES[1]).read_bytes()[:1000], "application/x-hdf5")]
    app.file_uploader(key="pair_upload").set_value(files).run()
    assert not app.exception
    [error] = texts(app.error)
    assert error.startswith("The pair could not be loaded: test_catvnoncat.h5: ")
    assert app.session_state[state.DATASET_KEY] == "file:faces"


# --- the builder ---------------------------------------------------------------------------

def test_builder_zip_to_dataset_to_pair_and_back(app):
    app.file_uploader(key="builder_zip").set_value(
        ("colours.zip", colour_zip(12, {"red/notes.txt": b"hello"}), "application/zip")).run()
    assert not app.exception
    assert counts(app) == (12, 12)
    # The folders named the classes (the names were still the defaults).
    assert app.text_input(key="builder_name0").value == "blue"
    assert app.text_input(key="builder_name1").value == "red"
    assert any("red/notes.txt" in md for md in texts(app.markdown))
    app.selectbox(key="builder_size").set_value(32)
    app.button(key="builder_build").click().run()
    assert not app.exception
    assert app.session_state[state.DATASET_KEY] == "built:blue_vs_red"
    assert app.selectbox(key="dataset_select").value == "built:blue_vs_red"
    dataset = app.session_state[state.CUSTOM_DATASETS]["built:blue_vs_red"]
    assert (dataset.m_train, dataset.m_test, dataset.num_px, dataset.channels) == (18, 6, 32, 3)
    assert any(s.startswith("Built **blue_vs_red**: 18 training images and 6 test images")
               for s in texts(app.success))
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels == ["Download train_blue_vs_red.h5", "Download test_blue_vs_red.h5"]

    # The downloadable pair reloads through the upload section and trains.
    result = app.session_state["builder_result"]
    app.file_uploader(key="pair_upload").set_value(
        [("train_blue_vs_red.h5", result["train"], "application/x-hdf5"),
         ("test_blue_vs_red.h5", result["test"], "application/x-hdf5")]).run()
    assert app.session_state[state.DATASET_KEY] == "upload:blue_vs_red"
    again = app.session_state[state.CUSTOM_DATASETS]["upload:blue_vs_red"]
    assert np.array_equal(again.train_set_x_orig, dataset.train_set_x_orig)
    assert again.classes == ("blue", "red")
    model = fit(again, num_iterations=20, learning_rate=0.01)
    assert model.costs[-1] < model.costs[0]


def test_builder_files_remove_and_page_switch(app):
    red = [(f"r{i}.png", png((200, 30, 30), i), "image/png") for i in range(6)]
    app.text_input(key="builder_name0").set_value("reds")
    app.text_input(key="builder_name1").set_value("blues")
    app.file_uploader(key="builder_files0").set_value(
        red + [("broken.png", b"not an image", "image/png")]).run()
    blue = [(f"b{i}.png", png((30, 30, 200), 50 + i), "image/png") for i in range(4)]
    app.file_uploader(key="builder_files1").set_value(blue).run()
    assert counts(app) == (6, 4)
    warnings = texts(app.warning)
    assert warnings.count("Add a few more: with fewer than 10 images per class the test "
                          "accuracy says little.") == 2
    assert any("broken.png: not an image file logreg reads" in md
               for md in texts(app.markdown))

    first = app.session_state["builder_images"][0][0]["id"]
    app.multiselect(key="builder_remove0").set_value([first])
    app.button(key="builder_remove_button0").click().run()
    assert counts(app) == (5, 4)
    assert first not in [e["id"] for e in app.session_state["builder_images"][0]]

    # Leaving the page and coming back keeps the images and the names.
    app.switch_page("pages/how-it-works.py").run()
    assert not app.exception
    app.switch_page("pages/data.py").run()
    assert not app.exception
    assert counts(app) == (5, 4)
    assert app.text_input(key="builder_name0").value == "reds"
    assert app.text_input(key="builder_name1").value == "blues"

    app.radio(key="builder_colour").set_value("grayscale")
    app.button(key="builder_build").click().run()
    dataset = app.session_state[state.CUSTOM_DATASETS]["built:reds_vs_blues"]
    assert (dataset.channels, dataset.num_px) == (1, 64)
    # round(5 * 0.25) = 1 and round(4 * 0.25) = 1 test images.
    assert (dataset.m_train, dataset.m_test) == (7, 2)
    assert any("class 'blues' has only 4 images" in w for w in texts(app.warning))


@pytest.mark.skipif(not hasattr(AppTest, "camera_input"),
                    reason="this Streamlit's AppTest has no camera_input (added in 1.66, "
                           "which needs Python 3.11)")
def test_camera_shot_adds_to_the_chosen_class_once(app):
    app.toggle(key="builder_use_camera").set_value(True).run()
    app.radio(key="builder_camera_class").set_value(1).run()
    app.camera_input(key="builder_camera").set_value(
        ("shot.jpg", png((30, 30, 200), 99, fmt="JPEG"), "image/jpeg")).run()
    assert not app.exception
    assert counts(app) == (0, 1)
    app.run()  # the same photo is not added twice
    assert counts(app) == (0, 1)


def test_folder_upload_adds_to_its_class(app):
    folder = [(f"b{i}.png", png((30, 30, 200), i), "image/png") for i in range(4)]
    uploader = app.file_uploader(key="builder_folder1")
    assert uploader.accept_directory
    uploader.set_value(folder).run()
    assert not app.exception
    assert counts(app) == (0, 4)


def test_built_dataset_trains_on_the_train_page(app):
    app.file_uploader(key="builder_zip").set_value(
        ("colours.zip", colour_zip(12), "application/zip")).run()
    app.selectbox(key="builder_size").set_value(32)
    app.button(key="builder_build").click().run()
    app.switch_page("pages/train.py").run()
    assert not app.exception
    app.number_input(key="iterations").set_value(30)
    train_with_ui(app)   # the live panel's second request ends even a 30-iteration run
    trained = app.session_state[state.TRAINED]
    assert trained["dataset_key"] == "built:blue_vs_red"
    assert (trained["model"].num_px, trained["model"].channels) == (32, 3)
    for page in ("pages/normalization.py", "pages/classify.py"):
        app.switch_page(page).run()
        assert not app.exception


def test_zip_folders_matching_the_names_go_to_those_labels(app):
    app.text_input(key="builder_name0").set_value("Red")
    app.text_input(key="builder_name1").set_value("BLUE").run()
    red = [(f"r{i}.png", png((200, 30, 30), i), "image/png") for i in range(2)]
    app.file_uploader(key="builder_files0").set_value(red).run()
    app.file_uploader(key="builder_zip").set_value(
        ("c.zip", colour_zip(3), "application/zip")).run()
    assert counts(app) == (5, 3)
    assert app.text_input(key="builder_name0").value == "Red"
    assert "c.zip: 3 images from 'blue/' added to label 1." in texts(app.caption)


def test_builder_rejects_same_names(app):
    app.file_uploader(key="builder_zip").set_value(
        ("c.zip", colour_zip(3), "application/zip")).run()
    app.text_input(key="builder_name1").set_value("Blue ")
    app.button(key="builder_build").click().run()
    assert not app.exception
    assert ("Cannot build the dataset: the two classes need different names (both are "
            "'blue').") in texts(app.error)


@pytest.mark.parametrize("entry, message", [
    ("../evil.png", "hostile.zip could not be used: the entry '../evil.png' has an unsafe "
                    "path (absolute or with '..'); the zip was not used"),
    ("/abs.png", "hostile.zip could not be used: the entry '/abs.png' has an unsafe path "
                 "(absolute or with '..'); the zip was not used"),
])
def test_hostile_zip_is_refused_in_the_app(app, entry, message):
    app.file_uploader(key="builder_zip").set_value(
        ("hostile.zip", colour_zip(2, {entry: png((1, 2, 3), 0)}), "application/zip")).run()
    assert not app.exception
    assert texts(app.error) == [message]
    assert counts(app) == (0, 0)
    app.run()  # the message stays while the zip is in the uploader
    assert texts(app.error) == [message]


def test_zip_with_three_folders_is_explained(app):
    zipped = colour_zip(2, {"green/g.png": png((30, 200, 30), 0)})
    app.file_uploader(key="builder_zip").set_value(("three.zip", zipped, "application/zip")).run()
    assert texts(app.error) == ["three.zip could not be used: expected exactly 2 top-level "
                                "folders, one per class, found 3 ('blue', 'green', 'red')"]


# --- the selector clears parameters that no longer fit ----------------------------------------

def test_switching_to_a_dataset_of_another_size_clears_parameters(app, data_dir, data_home):
    faces = load_pair(data_home / "train_faces.h5", data_home / "test_faces.h5", name="faces")
    model = fit(faces, num_iterations=5, learning_rate=0.005)
    app.session_state[state.TRAINED] = {"model": model, "dataset_key": "file:faces"}
    files = [(name, (data_dir / name).read_bytes(), "application/x-hdf5") for name in NAMES]
    app.file_uploader(key="pair_upload").set_value(files).run()
    assert app.session_state[state.DATASET_KEY] == "upload:catvnoncat"
    assert state.TRAINED not in app.session_state
    assert any(w.startswith("The trained parameters are for 25 × 25 × 1 images, but this "
                            "dataset has 64 × 64 × 3 images (catvnoncat (uploaded)); they were "
                            "cleared") for w in texts(app.warning))


def test_switching_to_a_dataset_of_the_same_size_keeps_parameters(app, data_home):
    faces = load_pair(data_home / "train_faces.h5", data_home / "test_faces.h5", name="faces")
    model = fit(faces, num_iterations=5, learning_rate=0.005)
    app.session_state[state.TRAINED] = {"model": model, "dataset_key": "file:faces"}
    files = [(name.replace("faces", "faces2"), (data_home / name).read_bytes(),
              "application/x-hdf5") for name in ("train_faces.h5", "test_faces.h5")]
    app.file_uploader(key="pair_upload").set_value(files).run()
    assert app.session_state[state.DATASET_KEY] == "upload:faces2"
    assert app.session_state[state.TRAINED]["model"] is model


def test_a_session_keeps_three_datasets_of_its_own_and_can_remove_one(tmp_path, monkeypatch):
    import corpus

    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LOGREG_DATA_DIR", str(empty))
    monkeypatch.setattr("logreg.catalog.PROJECT_DATA_DIR", empty)
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    app.switch_page("pages/data.py")
    app.run()
    for name in ("one", "two", "three", "four"):
        files = [(file, data, "application/x-hdf5")
                 for file, data in corpus.valid_pair(name).items()]
        app.file_uploader(key="pair_upload").set_value(files).run()
        assert not app.exception
    assert list(app.session_state["custom_datasets"]) == [
        "upload:two", "upload:three", "upload:four"]
    assert any("one (uploaded) was removed to make room: this browser keeps at most 3" in i
               for i in texts(app.info))
    assert app.selectbox(key="dataset_select").value == "upload:four"
    next(b for b in app.button if b.label == "Remove this dataset").click().run()
    assert not app.exception
    assert list(app.session_state["custom_datasets"]) == ["upload:two", "upload:three"]
    assert app.selectbox(key="dataset_select").value == "upload:two"


def test_a_new_pair_with_an_old_name_inherits_nothing_computed_on_the_old_one(app):
    """Keys are names: a replaced upload:x must not keep x's model, run or results."""
    import corpus

    def upload_pair(pair):
        app.file_uploader(key="pair_upload").set_value(
            [(name, data, "application/x-hdf5") for name, data in pair.items()]).run()
        assert not app.exception

    upload_pair(corpus.valid_pair("x"))
    dataset = app.session_state[state.CUSTOM_DATASETS]["upload:x"]
    app.session_state[state.TRAINED] = {"model": fit(dataset, 5), "dataset_key": "upload:x"}
    app.session_state[state.SCALING_RESULTS] = {"dataset_key": "upload:x"}
    bigger = corpus._pair("x", train=corpus._split("train", 12, num_px=16),
                          test=corpus._split("test", 6, num_px=16, seed=1))
    upload_pair(bigger)
    assert app.session_state[state.CUSTOM_DATASETS]["upload:x"].num_px == 16
    assert state.TRAINED not in app.session_state
    assert state.SCALING_RESULTS not in app.session_state


def test_the_builder_decodes_a_bounded_number_of_pixels_per_session(app, monkeypatch):
    monkeypatch.setattr(builder, "MAX_DECODED_PIXELS", 3 * 40 * 30)   # three 40 x 30 pictures
    files = [(f"r{i}.png", png((200, 30, 30), i), "image/png") for i in range(4)]
    app.file_uploader(key="builder_files0").set_value(files).run()
    assert not app.exception
    assert len(app.session_state["builder_images"][0]) == 3
    skipped = [str(s) for s in app.session_state["builder_skipped"]]
    assert len(skipped) == 1 and skipped[0].startswith("r3.png: the builder decodes at most ")


def test_a_long_zip_folder_name_is_shortened_to_the_name_limit(app):
    """A folder name once bypassed the name box's 40 characters; past the loaders' 100 the
    built dataset saved, and the next visit refused the whole saved file."""
    long = "r" * 150
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(3):
            archive.writestr(f"{long}/r{i}.png", png((200, 30, 30), i))
            archive.writestr(f"blue/b{i}.png", png((30, 30, 200), 100 + i))
    app.file_uploader(key="builder_zip").set_value(
        ("long.zip", buffer.getvalue(), "application/zip")).run()
    assert not app.exception
    assert app.text_input(key="builder_name1").value == "r" * 40
    assert any("is longer than 40 characters, the limit of a class name: label 1 is named"
               in w for w in texts(app.warning))
    app.button(key="builder_build").click().run()
    dataset = app.session_state[state.CUSTOM_DATASETS]["built:blue_vs_" + "r" * 40]
    assert dataset.classes == ("blue", "r" * 40)
