"""Every corpus entry that a command-line user can hand ``python -m logreg``, run as they would.

Bad input must end in one ``error: ...`` line naming the problem and a non-zero exit status,
never a traceback; valid-but-odd images must classify.

The 130 cases call the CLI's ``main`` in this process, with its own working directory and
streams: a fresh interpreter each (numpy and h5py imported anew) took 97 s of the fast
tier's CPU. :func:`test_the_real_entry_point_refuses_bad_input_cleanly` keeps one of each
kind going through ``python -m logreg`` in its own process.
"""
import contextlib
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path
from types import SimpleNamespace

import pytest

import corpus
from logreg import cli

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, cwd):
    """``python -m logreg *args`` in ``cwd``, run in this process: what it printed and its
    exit status, an uncaught exception printed as the interpreter would (a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main([str(arg) for arg in args])
            except SystemExit as exc:   # argparse's usage errors
                code = exc.code
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        os.chdir(before)
    return SimpleNamespace(stdout=out.getvalue(), stderr=err.getvalue(), returncode=code or 0)


def run_cli_process(*args, cwd):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONWARNINGS="error::RuntimeWarning")
    return subprocess.run([sys.executable, "-m", "logreg", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=600)


def cli_cases(kind):
    return [pytest.param(case, id=case.name) for case in corpus.cases(kind)
            if "cli" in case.paths]


def assert_clean_error(result, case):
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode != 0, output
    assert case.fragment_for("cli") in output.lower(), output


@pytest.fixture
def small_pair(tmp_path):
    """A valid tiny dataset folder, so number checks run against real, loadable data."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name, data in corpus.valid_pair().items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def params_file(tmp_path):
    """Valid 64 x 64 x 3 parameters (all-zero weights), as ``train --save`` would write."""
    path = tmp_path / "params.npz"
    path.write_bytes(corpus.valid_params())
    return path


@pytest.mark.parametrize("case", cli_cases("h5"))
def test_bad_h5_pair_is_refused_by_train(case, tmp_path, record_property):
    record_property("corpus_case", case.name)
    folder = tmp_path / "data"
    folder.mkdir()
    for name, data in case.payload().items():
        (folder / name).write_bytes(data)
    result = run_cli("train", "--data", folder, "--iterations", 1, cwd=tmp_path)
    assert_clean_error(result, case)
    assert result.stderr.startswith("error: "), result.stderr


@pytest.mark.parametrize("case", cli_cases("image"))
def test_image_through_predict(case, tmp_path, params_file, record_property):
    record_property("corpus_case", case.name)
    image = tmp_path / case.filename
    image.write_bytes(case.payload())
    result = run_cli("predict", "--params", params_file, image.name, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    if case.expect == "ok":
        assert result.returncode == 0, output
        # All-zero weights give p = 0.5 exactly, i.e. class "non-cat" with p=0.500.
        assert result.stdout.strip() == f"{image.name}: non-cat (p=0.500)", output
    else:
        assert_clean_error(result, case)
        assert result.stdout.startswith(f"{image.name}: error: "), output


def test_bad_image_does_not_stop_the_others(tmp_path, params_file, record_property):
    """One unreadable file among good ones: the good ones still get their line."""
    names = []
    for name in ("img_truncated_jpeg", "img_cmyk_jpeg", "img_zero_bytes", "img_1x1"):
        case = corpus.by_name(name)
        (tmp_path / case.filename).write_bytes(case.payload())
        names.append(case.filename)
    result = run_cli("predict", "--params", params_file, *names, cwd=tmp_path)
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 1
    assert [line.split(":")[0] for line in lines] == names
    assert "error:" in lines[0] and "error:" in lines[2]
    assert lines[1].endswith("(p=0.500)") and lines[3].endswith("(p=0.500)")


@pytest.mark.parametrize("case", cli_cases("params"))
def test_bad_params_file_is_refused_by_predict(case, tmp_path, record_property):
    record_property("corpus_case", case.name)
    params = tmp_path / case.filename
    params.write_bytes(case.payload())
    image = tmp_path / "dot.png"
    image.write_bytes(corpus.by_name("img_1x1").payload())
    result = run_cli("predict", "--params", params.name, image.name, cwd=tmp_path)
    assert_clean_error(result, case)
    assert result.stderr.startswith("error: "), result.stderr
    assert params.name in result.stderr, result.stderr


@pytest.mark.parametrize("case", cli_cases("number"))
def test_bad_number_is_refused_by_train(case, tmp_path, small_pair, record_property):
    record_property("corpus_case", case.name)
    flag = {"learning_rate": "--learning-rate", "iterations": "--iterations"}[case.setting]
    result = run_cli("train", "--data", small_pair, f"{flag}={case.payload()}", cwd=tmp_path)
    assert_clean_error(result, case)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].startswith("error: "), result.stderr
    assert "Cost after" not in result.stdout


@pytest.mark.parametrize("name, argv", [
    ("h5_external_link", ("train", "--data", "data", "--iterations", 1)),
    ("lr_nan", ("train", "--data", "data", "--learning-rate=nan")),
    ("img_zero_bytes", ("predict", "--params", "params.npz", "img")),
])
def test_the_real_entry_point_refuses_bad_input_cleanly(name, argv, tmp_path, params_file,
                                                        small_pair):
    """The same refusals through ``python -m logreg`` in a process of its own."""
    case = corpus.by_name(name)
    if case.kind == "h5":
        (tmp_path / "data").mkdir(exist_ok=True)
        for file, data in case.payload().items():
            (tmp_path / "data" / file).write_bytes(data)
    elif case.kind == "image":
        argv = argv[:-1] + (case.filename,)
        (tmp_path / case.filename).write_bytes(case.payload())
    else:
        argv = ("train", "--data", small_pair, f"--learning-rate={case.payload()}")
    result = run_cli_process(*argv, cwd=tmp_path)
    assert_clean_error(result, case)
