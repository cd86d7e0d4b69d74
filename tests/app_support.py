"""Helpers for the AppTest tests of the dashboard (imported by tests/test_app_*.py)."""
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from logreg import Dataset
from studio.sections import training

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES = ("pages/data.py", "pages/train.py", "pages/normalization.py", "pages/network.py",
         "pages/classify.py", "pages/how-it-works.py", "pages/class.py")


def toy_dataset(classes=("dark", "bright"), name="toy", m_train=24, m_test=10, seed=0):
    """A small learnable dataset in memory: class 1 bright, class 0 dark."""
    rng = np.random.default_rng(seed)
    parts = []
    for m in (m_train, m_test):
        y = np.arange(m) % 2
        x = rng.integers(0, 100, size=(m, 4, 4, 3)) + 150 * y[:, None, None, None]
        parts += [x.astype(np.uint8), y.reshape(1, m).astype(np.int64)]
    return Dataset(name, parts[0], parts[1], parts[2], parts[3], tuple(classes))


def new_app():
    return AppTest.from_file(str(APP), default_timeout=60)


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """Every test starts with empty Streamlit caches (datasets are cached by path), and
    the strip does not hold its fragment open while a run trains away from its page:
    ``training.hold`` waits for the browser's next tick, and AppTest has no browser (it
    spent two thirds of a test file asleep)."""
    monkeypatch.setattr(training, "hold", lambda began, seconds=None: None)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """No dataset anywhere: an empty LOGREG_DATA_DIR and an empty project data/ folder."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LOGREG_DATA_DIR", str(empty))
    monkeypatch.setattr("logreg.catalog.PROJECT_DATA_DIR", empty)
    return empty


@pytest.fixture
def faces_only(tmp_path, monkeypatch):
    """No cat data: only the built-in faces in the project's data/ folder."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LOGREG_DATA_DIR", str(empty))
    monkeypatch.setattr("logreg.catalog.PROJECT_DATA_DIR", ROOT / "data")
    return empty


@pytest.fixture
def cat_data(data_dir, tmp_path, monkeypatch):
    """Only the course's cat data (the built-in datasets in data/ hidden)."""
    empty = tmp_path / "project-data"
    empty.mkdir()
    monkeypatch.setenv("LOGREG_DATA_DIR", str(data_dir))
    monkeypatch.setattr("logreg.catalog.PROJECT_DATA_DIR", empty)
    return data_dir


@pytest.fixture
def media(monkeypatch):
    """Every file Streamlit serves (download buttons): {file id: (file name, bytes)}."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    files = {}

    class Recording(MemoryMediaFileStorage):
        def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
            file_id = super().load_and_get_id(path_or_data, mimetype, kind, filename)
            files[file_id] = (filename, self._files_by_id[file_id].content)
            return file_id

    monkeypatch.setattr("streamlit.testing.v1.app_test.MemoryMediaFileStorage", Recording)
    return files


def served(media, download):
    """(file name, bytes) a download button serves."""
    return media[download.proto.url.rsplit("/", 1)[-1].split(".")[0]]


def open_page(at, page):
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at, label):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def shown(markdown):
    """Markdown as a reader sees it: without the escapes session.escape adds to user text."""
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")


def texts(at, *kinds):
    """The shown text of every element of these kinds ("error", "caption", ...)."""
    return [shown(element.value) for kind in kinds for element in at.get(kind)]


def all_text(at, code=True):
    """Every piece of text on the page (markdown, captions, code, metrics, alerts);
    ``code=False`` leaves out the code blocks (source and printouts, never translated)."""
    parts = texts(at, "markdown", "caption", *(["code"] if code else []), "title", "header",
                  "subheader", "info", "success", "warning", "error")
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def train_with_ui(at, max_runs=200):
    """Press Train and rerun (each run is one request of the live panel) until the run has
    ended."""
    button(at, "Train").click().run()
    assert not at.exception, [e.value for e in at.exception]
    for _ in range(max_runs):
        run = at.session_state["live_training"] if "live_training" in at.session_state else None
        if run is None or run.status != "running":
            break
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    run = at.session_state["live_training"]
    assert run.status == "done", run.status
    return run


def set_expander(at, key, opened):
    """Open or close the stateful ``st.expander`` whose key is ``key`` as a click in the
    browser does: its new state goes to the server with the others, so its ``on_change``
    callback runs. (AppTest has no click for expanders.)"""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates

    expander = next(e for e in at.expander if e.proto.id.endswith(f"-{key}"))
    states = WidgetStates()
    states.CopyFrom(at._tree.get_widget_states())
    state = states.widgets.add()
    state.id, state.bool_value = expander.proto.id, opened
    at._run(states)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_replay(at, kind="logistic"):
    """Open the run inspector's replay (its expander) as a click does."""
    return set_expander(at, f"{kind}_replay_open", True)


def png_bytes(array):
    import io

    from PIL import Image
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()
