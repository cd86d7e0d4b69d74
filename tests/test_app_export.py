"""The export buttons under a finished run (issue 28), through AppTest: on Train, Network,
the playground and Normalization they appear after a run and not before, speak the
session's language, and serve that run's program (tests/test_export.py runs programs)."""
import json
import re

import app_support
from app_support import button, new_app, open_page, train_with_ui
from test_app_network import train as train_network

# The shared fixtures, by name (an assignment rather than an unused import: pyflakes-clean).
cat_data, faces_only, no_data = app_support.cat_data, app_support.faces_only, app_support.no_data
fresh_caches = app_support.fresh_caches   # autouse: every test starts with empty caches
media = app_support.media                 # {file id: (file name, bytes)} of every download

NOTEBOOK, SCRIPT = "Download as notebook (.ipynb)", "Download as Python script (.py)"
ZIP = re.compile(r"^Download with the data \(\.zip, about \d+\.\d MB\)$")


def exports(at):
    """{label: button} of the page's export downloads (not the parameters' .npz)."""
    return {d.proto.label: d for d in at.get("download_button")
            if d.proto.id and "export_" in d.proto.id}


served = app_support.served


def code_of(notebook_bytes):
    notebook = json.loads(notebook_bytes)
    assert (notebook["nbformat"], notebook["nbformat_minor"]) == (4, 5)
    return "\n".join("".join(cell["source"]) for cell in notebook["cells"]
                     if cell["cell_type"] == "code")


def test_train_offers_its_run_after_it_and_not_before(cat_data, media):
    at = open_page(new_app(), "pages/train.py")
    assert exports(at) == {}
    at.number_input(key="iterations").set_value(300)
    at.number_input(key="learning_rate").set_value(0.01)
    train_with_ui(at)
    buttons = exports(at)
    assert set(buttons) == {NOTEBOOK, SCRIPT}   # the cat data downloads itself: no zip
    name, content = served(media, buttons[NOTEBOOK])
    assert name == "logreg_catvnoncat_300it_lr0.01_divide255.ipynb"
    code = code_of(content)
    assert "NUM_ITERATIONS = 300\nLEARNING_RATE = 0.01\nSCALING = 'divide255'" in code
    model = at.session_state["trained"]["model"]
    assert repr(float(model.costs[200])) in code   # the costs the page showed, written in
    name, content = served(media, buttons[SCRIPT])
    assert name.endswith(".py") and content.decode().startswith("#!/usr/bin/env python3")


def test_the_buttons_speak_korean(cat_data):
    at = new_app()
    at.session_state["lang"] = "ko"
    at = open_page(at, "pages/train.py")
    at.number_input(key="iterations").set_value(200)
    train_network(at, "live_training", "train_speed_train")   # its label is Korean
    assert set(exports(at)) == {"노트북으로 내려받기 (.ipynb)", "Python 스크립트로 내려받기 (.py)"}
    assert "이 학습을 코드로 가져가기" in [s.value for s in at.subheader]


def test_the_faces_travel_in_a_zip_whose_size_is_stated(faces_only):
    at = open_page(new_app(), "pages/train.py")
    at.number_input(key="iterations").set_value(200)
    train_with_ui(at)
    labels = set(exports(at))
    assert {NOTEBOOK, SCRIPT} <= labels
    assert len(labels) == 3 and any(ZIP.match(label) for label in labels), labels


def test_parameters_loaded_from_a_file_offer_no_program(faces_only):
    from logreg import fit, load_pair
    from logreg.params import params_to_bytes
    from app_support import ROOT
    faces = load_pair(ROOT / "data" / "train_faces.h5", ROOT / "data" / "test_faces.h5")
    at = open_page(new_app(), "pages/train.py")
    at.file_uploader(key="params_upload").upload(
        "faces.npz", params_to_bytes(fit(faces, num_iterations=50))).run()
    assert not at.exception
    assert "train accuracy:" in "".join(str(m.value) for m in at.markdown)
    assert exports(at) == {}   # no run here, nothing to reproduce


def test_the_network_page_offers_its_finished_run(faces_only, media):
    at = open_page(new_app(), "pages/network.py")
    at.text_input(key="net_hidden").set_value("3")
    at.selectbox(key="net_init").set_value("small")
    at.number_input(key="net_iterations").set_value(200)
    at.selectbox(key="net_speed").set_value("full speed").run()
    assert exports(at) == {}
    train_network(at)
    buttons = exports(at)
    assert {NOTEBOOK, SCRIPT} <= set(buttons) and len(buttons) == 3
    name, content = served(media, buttons[NOTEBOOK])
    assert name == "network_faces_3_relu_small_seed1_200it_lr0.005_divide255.ipynb"
    assert "HIDDEN_LAYERS = [3]" in code_of(content)


def test_the_playground_offers_its_finished_run(no_data, media):
    at = open_page(new_app(), "pages/network.py")
    at.number_input(key="play_iterations").set_value(500)
    at.selectbox(key="play_speed").set_value("full speed").run()
    assert exports(at) == {}
    train_network(at, "playground_live", "play_speed_train")
    buttons = exports(at)
    assert set(buttons) == {NOTEBOOK, SCRIPT}   # the points travel as their seed
    name, content = served(media, buttons[SCRIPT])
    assert name == "playground_flower_m400_seed1_4_tanh_small_seed1_500it_lr1.2.py"
    assert "def flower(m=400, seed=1, noise=0.2):" in content.decode()
    # Other points picked: a new run starts on them, and nothing is to take home until it ends.
    at.selectbox(key="play_dataset").set_value("moons").run()
    assert exports(at) == {}
    # Points held out for testing are not in an export's format: a line says so instead.
    at.slider(key="play_test_share").set_value(20).run()
    train_network(at, "playground_live", "play_speed_train")
    assert exports(at) == {}
    assert any("not your own points, held-out test points" in c.value for c in at.caption)


def test_normalization_offers_the_comparison(faces_only, media):
    at = open_page(new_app(), "pages/normalization.py")
    at.number_input(key="norm_iterations").set_value(200).run()
    assert exports(at) == {}
    button(at, "Compare").click().run()
    assert not at.exception
    buttons = exports(at)
    assert {NOTEBOOK, SCRIPT} <= set(buttons) and len(buttons) == 3
    name, content = served(media, buttons[NOTEBOOK])
    assert name == "normalization_faces_200it_lr0.005_raw_divide255_zscore.ipynb"
    assert "SCALINGS = ['raw', 'divide255', 'zscore']" in code_of(content)


def test_an_own_dataset_travels_as_the_numbers_it_trained_on(faces_only):
    """An uploaded pair lives in the session only: its zip writes the session's arrays in
    their own type (float pixels stay those floats), and the size on the button is near."""
    import numpy as np
    from logreg import Dataset, load_pair
    from studio.sections import export_section
    rng = np.random.default_rng(0)
    pixels = [rng.uniform(0, 255, size=(m, 8, 8, 3)) for m in (20, 6)]
    labels = [(np.arange(m) % 2).reshape(1, m) for m in (20, 6)]
    mine = Dataset("mine", pixels[0], labels[0], pixels[1], labels[1], ("a", "b"))
    pair, sizes = export_section._pair("upload:mine", mine)
    train, test = pair()
    again = load_pair(train, test)
    assert np.array_equal(again.train_set_x_orig, pixels[0])
    assert np.array_equal(again.test_set_x_orig, pixels[1])
    for size, content in zip(sizes, (train, test)):
        assert size <= len(content) <= size + 10_000
