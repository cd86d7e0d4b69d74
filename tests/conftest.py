"""Shared fixtures: where the course's real cat files are, and skipping when they are absent."""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cat_data_dir():
    """The folder with train_catvnoncat.h5 / test_catvnoncat.h5, or None."""
    env = os.environ.get("LOGREG_DATA_DIR")
    if env and (Path(env) / "train_catvnoncat.h5").is_file():
        return Path(env)
    return None


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once():
    """Streamlit looks for installed v2 component packages each time a runtime starts,
    which every AppTest does: it parses the metadata of every installed distribution
    (test_app_train.py: 15 scans, 5,237 metadata files; its CPU 8.4 -> 7.5 s with this). A
    server scans once when it starts; the packages installed do not change while the tests
    run, so this process scans once too.
    """
    from streamlit.components.v2 import manifest_scanner

    scan = manifest_scanner.scan_component_manifests
    found = []

    def scanned(*args, **kwargs):
        if not found:
            found.append(scan(*args, **kwargs))
        return list(found[0])

    manifest_scanner.scan_component_manifests = scanned
    yield
    manifest_scanner.scan_component_manifests = scan


@pytest.fixture(scope="session", autouse=True)
def state_dir(tmp_path_factory):
    """Browsers' saved work (studio.session.store) goes to a folder of this test run, not /tmp's.

    The whole run's browsers share it, and a run makes more of them than a class does:
    past the store's default cap of browsers (128) every later test's save failed and its
    warning pushed that page down (two presenter-mode tests failed at 99 % of CI). The
    cap has its own tests (test_store, test_app_saved), which set it themselves."""
    folder = tmp_path_factory.mktemp("browser-state")
    more = {"LOGREG_STATE_DIR": str(folder), "LOGREG_STATE_MAX_BROWSERS": "100000"}
    previous = {name: os.environ.get(name) for name in more}
    os.environ.update(more)
    yield folder
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def data_dir():
    """Path of the real cat data; skips the test when LOGREG_DATA_DIR does not hold it."""
    found = cat_data_dir()
    if found is None:
        pytest.skip("the course's cat data is absent: set LOGREG_DATA_DIR to the folder "
                    "holding train_catvnoncat.h5 and test_catvnoncat.h5")
    return found


@pytest.fixture(scope="session")
def cat_dataset(data_dir):
    from logreg import load_pair
    return load_pair(data_dir / "train_catvnoncat.h5", data_dir / "test_catvnoncat.h5")


# The bad-input corpus's count and pass rate, printed at the end of every run.
from corpus_report import pytest_runtest_logreport, pytest_terminal_summary  # noqa: E402,F401


def pytest_configure(config):
    """Hand out test files in the order of collection (see below), not pytest-xdist's
    default of files with more tests first, which left the single-test browser files (a
    class of four pressing Train: a minute and a half) for last, one worker running them alone
    while the others had finished."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser/ is a ``browser`` test: the fast tier leaves them out
    (``-m "not browser and not slow"``; the Testing section of docs/architecture.md).

    Longest first: browser files, then files with slow tests, then the rest, so that with
    ``--dist loadfile`` the short files fill the end of the run on every worker."""
    browser = ROOT / "tests" / "browser"
    for item in items:
        if browser in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
    rank = {}
    for item in items:
        path = Path(item.fspath)
        kind = 0 if item.get_closest_marker("browser") else (
            1 if item.get_closest_marker("slow") else 2)
        rank[path] = min(rank.get(path, 2), kind)
    items.sort(key=lambda item: rank[Path(item.fspath)])
