"""``python -m logreg train --hidden ...``: the course's network numbers, saving a network and
classifying with it, and the options that only make sense with --hidden."""
import io
import os
import re
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from app_support import ROOT
from logreg.cli import main
from logreg.network_model import load_network

COST_LINE = re.compile(r"^Cost after iteration (\d+): (\S+)$")


def run(capsys, *args):
    out = io.StringIO()
    code = main([str(a) for a in args], out=out)
    return code, out.getvalue().splitlines(), capsys.readouterr().err


def costs_of(lines):
    return {int(m.group(1)): m.group(2) for m in map(COST_LINE.match, lines) if m}


def test_two_layer_network_prints_the_course_numbers(data_dir):
    env = dict(os.environ, LOGREG_DATA_DIR=str(data_dir))
    result = subprocess.run(
        [sys.executable, "-m", "logreg", "train", "--hidden", "7", "--init", "small",
         "--learning-rate", "0.0075", "--iterations", "2500"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    costs = costs_of(lines)
    assert list(costs) == list(range(0, 2500, 100))
    assert float(costs[0]) == pytest.approx(0.693049735659989, abs=1e-9)
    assert float(costs[100]) == pytest.approx(0.6464320953428849, abs=1e-9)
    assert float(costs[2400]) == pytest.approx(0.04855478562877019, abs=1e-9)
    assert len(costs[0]) > 12   # full precision, not logistic regression's 0.693050
    assert lines[-2:] == ["train accuracy: 100.0 %", "test accuracy: 72.0 %"]


def test_four_layer_network_saves_and_predicts(data_dir, cat_dataset, capsys, tmp_path):
    saved = tmp_path / "four.npz"
    code, lines, err = run(capsys, "train", "--data", data_dir, "--hidden", "20,7,5",
                           "--init", "scaled", "--learning-rate", "0.0075",
                           "--iterations", "2500", "--print-every", "500", "--save", saved)
    assert code == 0, err
    costs = costs_of(lines)
    assert list(costs) == [0, 500, 1000, 1500, 2000]
    assert float(costs[0]) == pytest.approx(0.7717493284237686, abs=1e-9)
    assert lines[-3:] == ["train accuracy: 98.56459330143541 %", "test accuracy: 80.0 %",
                          f"saved parameters to {saved}"]
    network = load_network(saved)
    assert network.architecture == "12288-20-7-5-1" and network.num_iterations == 2500

    picture = tmp_path / "cat.png"
    Image.fromarray(cat_dataset.test_set_x_orig[1]).save(picture)
    code, lines, err = run(capsys, "predict", "--params", saved, picture)
    p = float(network.predict_proba(cat_dataset.test_set_x_orig[1:2])[0])
    label = network.label(p)
    assert code == 0, err
    assert lines == [f"{picture}: {label} (p={max(p, 1 - p):.3f})"]


def test_a_tanh_network_on_the_builtin_faces(capsys, tmp_path):
    code, lines, err = run(capsys, "train", "--data", ROOT / "data", "--dataset", "faces",
                           "--hidden", "4", "--activation", "tanh", "--seed", "3",
                           "--iterations", "200", "--learning-rate", "0.05", "--save",
                           tmp_path / "faces.npz")
    assert code == 0, err
    assert lines[-3].startswith("train accuracy: ")
    network = load_network(tmp_path / "faces.npz")
    assert (network.activation, network.seed, network.hidden) == ("tanh", 3, (4,))
    assert np.isfinite(float(costs_of(lines)[100]))


@pytest.mark.parametrize("args, message", [
    (["--init", "small"], "--init applies to networks: add --hidden"),
    (["--seed", "2"], "--seed applies to networks: add --hidden"),
    (["--hidden", "7,x"], "argument --hidden: hidden layer sizes must be whole numbers"),
    (["--hidden", "0"], "argument --hidden: every hidden layer needs 1 to 1024 units"),
    (["--hidden", ""], "give at least one hidden layer size"),
    (["--hidden", "4", "--seed", "-1"], "the seed must be a whole number"),
    (["--hidden", "4", "--init", "he"], "argument --init: invalid choice: 'he'"),
])
def test_network_options_are_checked(capsys, args, message):
    code, lines, err = run(capsys, "train", "--data", ROOT / "data", *args)
    assert code == 2 and lines == []
    assert len(err.splitlines()) == 1 and err.startswith("error: ")
    assert message in err
