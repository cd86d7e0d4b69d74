"""``python -m logreg``: help, train, predict, and one clear error line for bad input
(issue 2, point 10). Most cases call main(argv) in-process; a few run the real module."""
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image

import corpus
from logreg import catalog, load_params
from logreg.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
PREDICTION_LINE = re.compile(r"^(?P<path>.+): (?P<label>.+) \(p=(?P<p>[01]\.\d{3})\)$")


def run_module(*args, env=None):
    environment = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "logreg", *map(str, args)], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=600)


def run_main(capsys, *args):
    out = io.StringIO()
    code = main([str(a) for a in args], out=out)
    captured = capsys.readouterr()
    assert captured.out == ""  # everything goes to `out` or stderr
    return code, out.getvalue(), captured.err


def assert_one_error_line(err, expected):
    assert err.splitlines() == [f"error: {expected}"]


def write_toy_pair(folder, name, num_px=4, m_train=12, m_test=6, seed=0):
    """A small, learnable pair: class 1 images are bright, class 0 dark."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for split, m in (("train", m_train), ("test", m_test)):
        y = np.arange(m) % 2
        x = rng.integers(0, 100, size=(m, num_px, num_px, 3)) + 150 * y[:, None, None, None]
        with h5py.File(folder / f"{split}_{name}.h5", "w") as h5:
            h5["{}_set_x".format(split)] = x.astype(np.uint8)
            h5["{}_set_y".format(split)] = y
            h5["list_classes"] = np.array([b"dark", b"bright"])
    return folder / f"train_{name}.h5", folder / f"test_{name}.h5"


@pytest.fixture
def no_project_data(monkeypatch, tmp_path):
    """Keep a data/ folder on the developer's machine out of the default search."""
    monkeypatch.setattr(catalog, "PROJECT_DATA_DIR", tmp_path / "no-project-data")


# --- help --------------------------------------------------------------------------------------

def test_help_on_every_command():
    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"train", "predict"} <= set(commands)
    for args in [["--help"]] + [[name, "--help"] for name in commands]:
        result = run_module(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.startswith("usage: python -m logreg")
        assert result.stderr == ""


def test_train_help_lists_the_options():
    result = run_module("train", "--help")
    for option in ("--data", "--dataset", "--iterations", "--learning-rate", "--scaling",
                   "--print-every", "--save"):
        assert option in result.stdout


def test_no_command_prints_one_error_line():
    result = run_module()
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: the following arguments are required: COMMAND "
        "(see 'python -m logreg --help')"]
    assert "Traceback" not in result.stderr


# --- train ---------------------------------------------------------------------------------------

def test_train_prints_the_course_lines(capsys, data_dir):
    code, out, err = run_main(capsys, "train", "--data", data_dir, "--iterations", 1000,
                              "--print-every", 500)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["Cost after iteration 0: 0.693147",
                                "Cost after iteration 500: 0.303273",
                                "train accuracy: 96.65071770334929 %",
                                "test accuracy: 72.0 %"]


def test_train_by_title_and_without_printing_costs(capsys, data_dir):
    code, out, _ = run_main(capsys, "train", "--data", data_dir, "--dataset",
                            "Cats vs non-cats (Coursera)", "--print-every", 0)
    assert code == 0
    assert out.splitlines() == ["train accuracy: 99.04306220095694 %", "test accuracy: 70.0 %"]


def test_train_with_other_scalings_is_finite(capsys, data_dir):
    for scaling in ("raw", "zscore"):
        code, out, err = run_main(capsys, "train", "--data", data_dir, "--scaling", scaling,
                                  "--iterations", 200, "--print-every", 100,
                                  "--learning-rate", 1.0)
        assert (code, err) == (0, "")
        costs = [float(line.split(": ")[1]) for line in out.splitlines()[:2]]
        assert np.all(np.isfinite(costs)) and costs[0] == pytest.approx(0.693147)


def test_save_then_predict(capsys, data_dir, cat_dataset, tmp_path):
    params = tmp_path / "cat.npz"
    code, out, _ = run_main(capsys, "train", "--data", data_dir, "--print-every", 0,
                            "--save", params)
    assert code == 0 and out.splitlines()[-1] == f"saved parameters to {params}"
    trained = load_params(params)
    expected = trained.evaluate(cat_dataset).p_test
    paths = []
    for index in range(5):
        path = tmp_path / f"test_{index}.png"
        Image.fromarray(cat_dataset.test_set_x_orig[index]).save(path)
        paths.append(path)
    code, out, err = run_main(capsys, "predict", "--params", params, *paths)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 5
    for index, (path, line) in enumerate(zip(paths, lines)):
        match = PREDICTION_LINE.match(line)
        assert match, line
        assert match["path"] == str(path)
        p_cat = expected[index]
        label = "cat" if p_cat > 0.5 else "non-cat"
        assert match["label"] == label
        assert match["p"] == f"{max(p_cat, 1 - p_cat):.3f}"


def test_predict_reports_each_bad_image_and_goes_on(capsys, data_dir, cat_dataset, tmp_path):
    params = tmp_path / "cat.npz"
    assert run_main(capsys, "train", "--data", data_dir, "--iterations", 100,
                    "--print-every", 0, "--save", params)[0] == 0
    good = tmp_path / "good.png"
    Image.fromarray(cat_dataset.test_set_x_orig[0]).save(good)
    text = tmp_path / "notes.jpg"
    text.write_text("not a picture")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.png"
    result = run_module("predict", "--params", params, text, good, empty, missing)
    assert result.returncode == 1
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == (f"{text}: error: not an image file logreg reads (PNG, JPEG, GIF, BMP "
                        f"or WebP)")
    assert PREDICTION_LINE.match(lines[1])["path"] == str(good)
    assert lines[2] == f"{empty}: error: the file is empty"
    assert lines[3] == f"{missing}: error: file not found"


def test_predict_with_bad_params(capsys, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_text("hello")
    image = tmp_path / "x.png"
    Image.new("RGB", (8, 8)).save(image)
    code, out, err = run_main(capsys, "predict", "--params", bad, image)
    assert (code, out) == (2, "")
    assert_one_error_line(err, f"{bad}: not a parameters .npz file (it is not a zip archive)")
    code, _, err = run_main(capsys, "predict", "--params", tmp_path / "none.npz", image)
    assert code == 2
    assert_one_error_line(err, f"{tmp_path / 'none.npz'}: file not found")


# --- bad arguments -------------------------------------------------------------------------------

ITERATIONS_ERROR = "number of iterations must be a whole number from 1 to 100,000, got {}"
RATE_ERROR = "learning rate must be a number above 0 and at most 100, got {}"


@pytest.mark.parametrize("args, message", [
    (["--learning-rate", "0"], RATE_ERROR.format("0.0")),
    (["--learning-rate", "-0.5"], RATE_ERROR.format("-0.5")),
    (["--learning-rate", "nan"], RATE_ERROR.format("nan")),
    (["--learning-rate", "inf"], RATE_ERROR.format("inf")),
    (["--learning-rate", "1000"], RATE_ERROR.format("1000.0")),
    (["--iterations", "0"], ITERATIONS_ERROR.format("0")),
    (["--iterations", "-5"], ITERATIONS_ERROR.format("-5")),
    (["--iterations", str(10 ** 7)], ITERATIONS_ERROR.format(10 ** 7)),
    (["--print-every", "-1"], "--print-every must be 0 or more, got -1"),
])
def test_bad_numbers_give_one_error_line(capsys, data_dir, args, message):
    code, out, err = run_main(capsys, "train", "--data", data_dir, *args)
    assert (code, out) == (2, "")
    assert_one_error_line(err, message)


@pytest.mark.parametrize("args, message", [
    (["--iterations", "2.5"], "argument --iterations: expected a whole number, got '2.5'"),
    (["--learning-rate", "fast"], "argument --learning-rate: expected a number, got 'fast'"),
    (["--scaling", "minmax"], "argument --scaling: invalid choice: 'minmax'"),
])
def test_unparsable_arguments(capsys, args, message):
    code, out, err = run_main(capsys, "train", *args)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {message}")
    assert lines[0].endswith("(see 'python -m logreg train --help')")


def test_bad_arguments_never_show_a_traceback(tmp_path):
    (tmp_path / "train_bad.h5").write_text("nope")
    (tmp_path / "test_bad.h5").write_text("nope")
    for args in (["train", "--learning-rate", "nan"], ["train", "--iterations", "-5"],
                 ["train", "--data", tmp_path / "missing"], ["train", "--data", tmp_path],
                 ["predict", "--params", tmp_path / "x.npz", "y.png"], ["nonsense"]):
        result = run_module(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-1].startswith("error: ")
        assert result.stdout == ""


def test_missing_data_folder(capsys, tmp_path):
    missing = tmp_path / "nowhere"
    code, _, err = run_main(capsys, "train", "--data", missing)
    assert code == 2
    assert_one_error_line(err, f"{missing}: no such folder")


def test_folder_without_a_pair(capsys, tmp_path):
    code, _, err = run_main(capsys, "train", "--data", tmp_path)
    assert code == 2
    assert_one_error_line(err, "no dataset found: expected a train_<name>.h5 / test_<name>.h5 "
                               f"pair (looked in {tmp_path})")


def test_bad_dataset_file(capsys, tmp_path):
    train, _ = write_toy_pair(tmp_path, "toy")
    train.write_bytes(b"this is not HDF5")
    code, out, err = run_main(capsys, "train", "--data", tmp_path)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"error: {train}: not a readable HDF5 file (")


def test_dataset_with_bad_labels(capsys, tmp_path):
    train, _ = write_toy_pair(tmp_path, "toy")
    with h5py.File(train, "a") as h5:
        del h5["train_set_y"]
        h5["train_set_y"] = np.full(12, 3)
    code, _, err = run_main(capsys, "train", "--data", tmp_path)
    assert code == 2
    assert_one_error_line(err, f"{train}: 'train_set_y' has labels [3.0], expected only 0 and 1")


def test_unwritable_save_path(capsys, tmp_path):
    write_toy_pair(tmp_path, "toy")
    target = tmp_path / "no" / "such" / "dir" / "p.npz"
    code, _, err = run_main(capsys, "train", "--data", tmp_path, "--print-every", 0,
                            "--save", target)
    assert code == 2
    assert_one_error_line(err, f"{target}: cannot write (No such file or directory)")


# --- choosing the data -------------------------------------------------------------------------

def test_logreg_data_dir_is_the_default(capsys, monkeypatch, tmp_path, no_project_data):
    folder = tmp_path / "env-data"
    write_toy_pair(folder, "toy")
    monkeypatch.setenv("LOGREG_DATA_DIR", str(folder))
    code, out, err = run_main(capsys, "train", "--iterations", 50, "--learning-rate", 0.1,
                              "--scaling", "zscore", "--print-every", 0,
                              "--save", tmp_path / "p.npz")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "train accuracy: 100.0 %"
    assert load_params(tmp_path / "p.npz").classes == ("dark", "bright")


def test_no_data_anywhere(capsys, monkeypatch, tmp_path, no_project_data):
    monkeypatch.setenv("LOGREG_DATA_DIR", str(tmp_path))
    code, _, err = run_main(capsys, "train")
    assert code == 2
    assert err.startswith("error: no dataset found")
    assert str(tmp_path) in err and "no-project-data" in err


def test_dataset_picks_one_of_several_pairs(capsys, tmp_path):
    write_toy_pair(tmp_path, "alpha", num_px=4)
    write_toy_pair(tmp_path, "beta", num_px=6, seed=1)
    for args, num_px in (([], 4), (["--dataset", "beta"], 6), (["--dataset", "alpha"], 4)):
        params = tmp_path / "p.npz"
        code, _, err = run_main(capsys, "train", "--data", tmp_path, "--iterations", 10,
                                "--print-every", 0, "--save", params, *args)
        assert (code, err) == (0, "")
        assert load_params(params).num_px == num_px
    code, _, err = run_main(capsys, "train", "--data", tmp_path, "--dataset", "gamma")
    assert code == 2
    assert_one_error_line(err, f"no dataset named 'gamma'; available: alpha, beta "
                               f"(looked in {tmp_path})")


def test_the_course_data_is_preferred(capsys, data_dir, tmp_path, monkeypatch,
                                      no_project_data):
    write_toy_pair(tmp_path, "aardvark")
    monkeypatch.setenv("LOGREG_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(catalog, "PROJECT_DATA_DIR", data_dir)
    assert list(catalog.available()) == ["catvnoncat", "aardvark"]
    assert catalog.resolve(None, catalog.available()) == "catvnoncat"
    assert catalog.title("catvnoncat") == "Cats vs non-cats (Coursera)"
    assert catalog.title("aardvark") == "aardvark"


# --- files that are not regular files, and numbers out of range ------------------------------

def run_module_quickly(*args):
    """The real module with a short timeout: these inputs used to hang or eat all memory."""
    return subprocess.run([sys.executable, "-m", "logreg", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this system")
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "folder"])
def test_params_that_are_not_regular_files(kind, fifo, tmp_path):
    """A pipe used to block forever, /dev/zero to read until memory ran out."""
    path, message = {
        "fifo": (fifo, "not a regular file (it is a named pipe), so it is not read"),
        "dev_zero": (Path("/dev/zero"), "not a regular file (it is a device), so it is not read"),
        "folder": (tmp_path, "this is a folder, not a file"),
    }[kind]
    if not path.exists():
        pytest.skip(f"{path} does not exist here")
    image = tmp_path / "x.png"
    Image.new("RGB", (8, 8)).save(image)
    result = run_module_quickly("predict", "--params", path, image)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: {path}: {message}"]


def test_images_that_are_not_regular_files(fifo, tmp_path):
    params = tmp_path / "p.npz"
    params.write_bytes(corpus.valid_params())
    paths = [tmp_path, fifo] + ([Path("/dev/zero")] if Path("/dev/zero").exists() else [])
    result = run_module_quickly("predict", "--params", params, *paths)
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.splitlines()[:2] == [
        f"{tmp_path}: error: this is a folder, not a file",
        f"{fifo}: error: not a regular file (it is a named pipe), so it is not read"]
    assert "Traceback" not in result.stdout


def test_files_over_the_size_budget(tmp_path):
    params = tmp_path / "huge.npz"
    with open(params, "wb") as file:
        file.truncate(100 * 1024 * 1024)  # sparse
    image = tmp_path / "huge.png"
    with open(image, "wb") as file:
        file.truncate(100 * 1024 * 1024)
    result = run_module_quickly("predict", "--params", params, image)
    assert result.stderr.splitlines() == [
        f"error: {params}: the file is 100.0 MB, more than the limit of 8 MB"]
    small = tmp_path / "p.npz"
    small.write_bytes(corpus.valid_params())
    result = run_module_quickly("predict", "--params", small, image)
    assert result.stdout.splitlines() == [
        f"{image}: error: the file is 100.0 MB, more than the limit of 50 MB"]


@pytest.mark.parametrize("value", ["inf", "nan", "-1", "0", "601", "1e300"])
def test_download_timeout_must_be_a_sensible_number(value, tmp_path):
    """inf crashed with OverflowError inside socket.settimeout."""
    result = run_module_quickly("data", "download", "--dest", tmp_path, "--timeout", value,
                                "--mirror", "http://127.0.0.1:9/")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: --timeout must be above 0 and at most 600 seconds, got {float(value)}"]
    assert list(tmp_path.iterdir()) == []
