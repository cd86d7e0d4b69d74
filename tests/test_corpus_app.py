"""Every corpus entry pushed through the app's own uploaders and inputs (Streamlit AppTest).

Each check starts from a session that already has trained parameters and asserts: a clear
message naming the problem, no exception element, and the trained parameters and the active
dataset still there afterwards. Valid-but-odd images must classify.
"""
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import corpus
from app_support import texts

ROOT = Path(__file__).resolve().parent.parent
MIME = {"h5": "application/x-hdf5", "params": "application/octet-stream",
        "zip": "application/zip"}


def app_cases(kind):
    return [pytest.param(case, id=case.name) for case in corpus.cases(kind)
            if "app" in case.paths]


@pytest.fixture(scope="module")
def faces_only(tmp_path_factory):
    """Only the built-in faces pair is found (a dev checkout may also hold the cat data).

    One folder for the module: the app's caches then load and summarize the faces once,
    not once per case (a third of this file's time), as one server does for its visitors.
    """
    folder = tmp_path_factory.mktemp("faces") / "data"
    folder.mkdir()
    for split in ("train", "test"):
        shutil.copy(ROOT / "data" / f"{split}_faces.h5", folder)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOGREG_DATA_DIR", str(folder))
        patch.setattr("logreg.catalog.PROJECT_DATA_DIR", folder)
        st.cache_data.clear()
        st.cache_resource.clear()
        yield folder
    st.cache_data.clear()
    st.cache_resource.clear()


def everything(at):
    return "\n".join(texts(at, "markdown", "caption", "info", "success", "warning", "error",
                           "code"))


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]


def open_page(at, page):
    at.switch_page(page)
    at.run()
    assert_clean(at)
    return at


@pytest.fixture
def trained(faces_only):
    """A session on the faces data with parameters from Classify's one-click training."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    open_page(at, "pages/classify.py")
    next(b for b in at.button if b.label == "Train with the defaults").click().run()
    assert_clean(at)
    model = at.session_state["trained"]["model"]
    assert model.num_px == 25
    return at


def assert_state_survived(at, model, dataset_key="file:faces"):
    assert at.session_state["trained"]["model"] is model
    assert at.session_state["dataset_key"] == dataset_key


def assert_error_names(at, case, names):
    errors = [e.lower() for e in texts(at, "error")]
    fragment = case.fragment_for("app")
    assert any(fragment in e for e in errors), (fragment, errors)
    assert any(any(n.lower() in e for n in names) for e in errors), (names, errors)


LOAD_IN_CHILD = """
import sys
from pathlib import Path
from logreg.data import DatasetError, load_pair
train, test = sys.argv[1:3]
try:
    load_pair(Path(train).read_bytes(), Path(test).read_bytes(), train_name=Path(train).name,
              test_name=Path(test).name)
except DatasetError as exc:
    print(exc)
"""


def assert_loads_in_a_child(case, folder):
    """Load the pair's bytes as the uploader does, in a child process that may crash."""
    paths = []
    for name, data in case.payload().items():
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    result = subprocess.run([sys.executable, "-c", LOAD_IN_CHILD, *map(str, paths)],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"the loader died ({result.returncode}): {result.stderr}"
    assert case.fragment_for("app") in result.stdout.lower(), result.stdout


@pytest.mark.parametrize("case", app_cases("h5"))
def test_bad_h5_pair_upload(case, trained, tmp_path, record_property):
    record_property("corpus_case", case.name)
    if case.isolate:
        assert_loads_in_a_child(case, tmp_path)
    at, model = trained, trained.session_state["trained"]["model"]
    open_page(at, "pages/data.py")
    files = [(name, data, MIME["h5"]) for name, data in case.payload().items()]
    at.file_uploader(key="pair_upload").set_value(files).run()
    assert_clean(at)
    assert_error_names(at, case, [name for name, _, _ in files])
    assert_state_survived(at, model)
    assert not at.session_state["custom_datasets"]
    open_page(at, "pages/train.py")  # the rest of the app still works
    assert_state_survived(at, model)


@pytest.mark.parametrize("case", app_cases("image"))
def test_image_upload_on_classify(case, trained, record_property):
    record_property("corpus_case", case.name)
    at, model = trained, trained.session_state["trained"]["model"]
    open_page(at, "pages/classify.py")
    good = ("good.png", corpus.valid_png(), "image/png")
    at.file_uploader(key="classify_upload").set_value(
        [(case.filename, case.payload(), "image/png"), good]).run()
    assert_clean(at)
    files = list(at.dataframe[0].value["file"])
    if case.expect == "ok":
        assert texts(at, "error") == []
        assert files == [case.filename, "good.png"]
        row = at.dataframe[0].value.iloc[0]
        probability = float(row.iloc[2])
        assert 0.0 <= probability <= 1.0 and math.isfinite(probability)
        label = model.label(probability)   # "not sure" when within NOT_SURE of 0.5
        assert row["prediction"] in (label, f"not sure (leans {label})")
    else:
        assert_error_names(at, case, [case.filename])
        assert len(texts(at, "error")) == 1
        assert files == ["good.png"]  # the good one still classifies
    assert_state_survived(at, model)


@pytest.mark.parametrize("case", app_cases("params"))
def test_bad_params_upload_on_train(case, trained, record_property):
    record_property("corpus_case", case.name)
    at, model = trained, trained.session_state["trained"]["model"]
    open_page(at, "pages/train.py")
    at.file_uploader(key="params_upload").upload(case.filename, case.payload(),
                                                 MIME["params"]).run()
    assert_clean(at)
    assert_error_names(at, case, [case.filename])
    assert_state_survived(at, model)
    assert "train accuracy: " in everything(at)  # the results of the session's own model


@pytest.mark.parametrize("case", app_cases("zip"))
def test_bad_zip_in_the_builder(case, trained, record_property):
    record_property("corpus_case", case.name)
    at, model = trained, trained.session_state["trained"]["model"]
    open_page(at, "pages/data.py")
    at.file_uploader(key="builder_zip").upload(case.filename, case.payload(),
                                               MIME["zip"]).run()
    assert_clean(at)
    fragment = case.fragment_for("app")
    errors = [e.lower() for e in texts(at, "error")]
    if any(fragment in e for e in errors):
        assert any(case.filename in e for e in errors), errors
    else:
        # Readable zips whose files are all unusable: each file is listed with its reason.
        assert fragment in everything(at).lower(), everything(at)
        images = at.session_state["builder_images"]
        assert images[0] == [] and images[1] == []
    assert_state_survived(at, model)
    assert not at.session_state["custom_datasets"]


@pytest.mark.parametrize("case", app_cases("number"))
def test_bad_number_typed_into_train(case, trained, record_property):
    record_property("corpus_case", case.name)
    at, model = trained, trained.session_state["trained"]["model"]
    open_page(at, "pages/train.py")
    at.number_input(key=case.setting).set_value(case.payload()).run()
    assert_clean(at)
    errors = [e.lower() for e in texts(at, "error")]
    assert any("cannot train with these settings" in e and case.fragment in e
               for e in errors), errors
    assert next(b for b in at.button if b.label == "Train").disabled
    assert_state_survived(at, model)


@pytest.mark.parametrize("case", app_cases("number"))
def test_bad_number_in_the_url(case, faces_only, record_property):
    record_property("corpus_case", case.name)
    name = {"learning_rate": "lr", "iterations": "iterations"}[case.setting]
    value = case.payload()
    for page, key in (("pages/train.py", case.setting),
                      ("pages/normalization.py", f"norm_{'lr' if name == 'lr' else name}")):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.query_params[name] = str(value)
        open_page(at, page)
        warnings = texts(at, "warning")
        assert any(f"URL parameter {name}={str(value)!r} ignored" in w
                   and case.fragment in w.lower() for w in warnings), warnings
        default = {"learning_rate": 0.005, "iterations": 2000}[case.setting]
        assert at.number_input(key=key).value == default
        assert not texts(at, "error")
