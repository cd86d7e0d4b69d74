"""Take the run home (issue 28): a run written out as a notebook and a script that reproduce
it. The exports are executed for real: nbclient runs a notebook in a fresh kernel and a
subprocess runs the script, for the course's run (1500 iterations at 0.01) and a
playground run, and the course's two-layer network as a notebook (its script is the same
program, checked cell by cell); each kind's programs run once (module fixtures) and every
assertion on them shares that run.

The exported programs run with one BLAS thread: the suite shares two cores, where
OpenBLAS's threads made the plain loop 10-30 times slower, and a program's numbers must not
depend on the machine being quiet anyway.
"""
import ast
import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import nbformat
from nbclient import NotebookClient

from logreg import Dataset, export, load_pair, planar
from logreg.cli import main
from logreg.download import Mirror, Pin
from logreg.h5write import dataset_to_bytes
from logreg.network import NetworkTrainer, predict
from logreg.network_model import fit_network
from logreg.pipeline import prepare, to_model
from logreg.trainer import accuracy

from app_support import ROOT, toy_dataset   # not conftest: tests/browser has its own

# The exported programs' environment: one BLAS thread, no LOGREG_DATA_DIR unless given.
QUIET = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
HOSTILE = '"); import os; os.system("echo pwned") #'


def environment(data_dir=None, **extra):
    env = {k: v for k, v in os.environ.items() if k != "LOGREG_DATA_DIR"}
    env.update(QUIET, **extra)
    if data_dir is not None:
        env["LOGREG_DATA_DIR"] = str(data_dir)
    return env


def start_script(path, env):
    """The script running in its own folder (its picture goes beside it)."""
    return subprocess.Popen([sys.executable, path.name], cwd=path.parent, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def execute_notebook(path, env):
    """Run a notebook top to bottom in a fresh kernel, in its folder; its printed text."""
    notebook = nbformat.read(path, as_version=4)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)   # the kernel inherits this process's environment
    try:
        # A cell's output may reach us after its reply; on a busy machine nbclient's default
        # 4 s of waiting for it dropped a figure and the last lines. Wait, or fail loudly.
        NotebookClient(notebook, timeout=900, kernel_name="python3", iopub_timeout=120,
                       raise_on_iopub_timeout=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return notebook


def printed(notebook):
    """Everything a notebook's cells printed, in order."""
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.outputs if output.output_type == "stream")


def pictures(notebook):
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs if "image/png" in output.get("data", {})]


def run_both(spec, folder, data_dir=None, notebook_lang="en", script_lang="en"):
    """Write the notebook and the script into ``folder``; run the script while the notebook
    runs. Returns (executed notebook, finished script process)."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = export.file_stem(spec)
    (folder / f"{stem}.ipynb").write_text(export.notebook(spec, notebook_lang), encoding="utf-8")
    (folder / f"{stem}.py").write_text(export.script(spec, script_lang), encoding="utf-8")
    env = environment(data_dir)
    process = start_script(folder / f"{stem}.py", env)
    try:
        notebook = execute_notebook(folder / f"{stem}.ipynb", env)
    finally:
        out, err = process.communicate(timeout=900)
    return notebook, subprocess.CompletedProcess(process.args, process.returncode, out, err)


def imported(code):
    """The top-level packages a program imports."""
    tree = ast.parse(code)
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return {name.split(".")[0] for name in modules}


def cost_lines(text):
    return [line for line in text.splitlines() if line.startswith("Cost after iteration")]


# ------------------------------------------------------------------------------ the runs


@pytest.fixture(scope="module")
def course_run(cat_dataset):
    """The course's learning-rate table's first row: 1500 iterations at 0.01."""
    prepared = prepare(cat_dataset, "divide255")
    trainer = prepared.trainer(0.01)
    trainer.run(1500)
    model = to_model(trainer, prepared, cat_dataset)
    return export.of_model(model, cat_dataset, model.evaluate(cat_dataset), mirrors=True)


@pytest.fixture(scope="module")
def course_executed(course_run, data_dir, tmp_path_factory):
    """The notebook in Korean, the script in English, both once."""
    return run_both(course_run, tmp_path_factory.mktemp("course"), data_dir, "ko", "en")


@pytest.fixture(scope="module")
def two_layer_run(cat_dataset):
    network = fit_network(cat_dataset, (7,), 2500, 0.0075, "small")
    return export.of_model(network, cat_dataset, network.evaluate(cat_dataset), mirrors=True)


@pytest.fixture(scope="module")
def two_layer_executed(two_layer_run, data_dir, tmp_path_factory):
    """The notebook only: the plain loop of 2,500 steps over 12,288 features takes 20-30 s
    of CPU per run, and the script is the same code but where the data and the picture go
    (test_a_two_layer_script_is_the_notebooks_program; the course run runs both forms)."""
    folder = tmp_path_factory.mktemp("network")
    path = folder / f"{export.file_stem(two_layer_run)}.ipynb"
    path.write_text(export.notebook(two_layer_run), encoding="utf-8")
    return execute_notebook(path, environment(data_dir))


@pytest.fixture(scope="module")
def playground_run():
    """The playground's defaults: the flower, 4 tanh units, learning rate 1.2."""
    X, Y = planar.make("flower")
    trainer = NetworkTrainer(X, Y, (2, 4, 1), 1.2, "tanh", "small", 1)
    trainer.run(5000)
    train = float(accuracy(predict(X, trainer.parameters, "tanh"), trainer.Y))
    return export.of_playground(trainer, export.Points("flower"), train)


@pytest.fixture(scope="module")
def playground_executed(playground_run, tmp_path_factory):
    return run_both(playground_run, tmp_path_factory.mktemp("playground"))


def toy_export(dataset, iterations=300, learning_rate=0.005, scaling="divide255"):
    prepared = prepare(dataset, scaling)
    trainer = prepared.trainer(learning_rate)
    trainer.run(iterations)
    model = to_model(trainer, prepared, dataset)
    return export.of_model(model, dataset, model.evaluate(dataset))


def unzip(content, folder):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        archive.extractall(folder)
    return names


# ------------------------------------------------------------------- the course's numbers


@pytest.mark.slow
def test_the_course_run_prints_the_course_numbers_in_both_forms(course_executed):
    notebook, script = course_executed
    assert script.returncode == 0, script.stderr
    for text in (printed(notebook), script.stdout):
        assert "train accuracy: 99.52153110047847 %" in text
        assert "test accuracy: 68.0 %" in text
        assert len(cost_lines(text)) == 15
        assert cost_lines(text)[0] == "Cost after iteration 0: 0.693147"
        # Once the run has settled its costs are the app's to the printed digit.
        assert cost_lines(text)[-1] == "Cost after iteration 1400: 0.092043"
    assert "m_train = 209, m_test = 50, num_px = 64" in script.stdout


@pytest.mark.slow
def test_the_course_run_checks_itself_and_explains_the_overshoot(course_executed, course_run):
    """At 0.01 the cost first leaps (iteration 1); while it swings, the app's Gram path and
    the plain loop drift apart by up to a few 1e-7 before they meet again (1e-13 by the
    end): the program says so, and that the accuracies are the same to the last digit."""
    notebook, script = course_executed
    assert course_run.runs[0].shown.rose_at == 1
    english = script.stdout
    assert "train accuracy: 99.52153110047847 % here, 99.52153110047847 % in the app: the " \
           "same" in english
    assert "test accuracy: 68.0 % here, 68.0 % in the app: the same" in english
    verdict = english.strip().splitlines()[-1]
    assert verdict.startswith(("✅ The same run", "✅ The same accuracies, to the last digit."))
    korean = printed(notebook)
    assert "훈련 정확도: 여기서 99.52153110047847 %, 앱에서 99.52153110047847 %: 같음" in korean
    assert korean.strip().splitlines()[-1].startswith("✅")


@pytest.mark.slow
def test_the_script_saves_its_curve_and_the_notebook_shows_it(course_executed, course_run):
    notebook, script = course_executed
    saved = [line for line in script.stdout.splitlines() if "saved the cost curve in" in line]
    assert len(saved) == 1 and saved[0].endswith(export.file_stem(course_run) + ".png")
    assert len(pictures(notebook)) == 1


@pytest.mark.slow
def test_a_two_layer_network_reproduces_72_percent(two_layer_executed):
    text = printed(two_layer_executed)
    assert "train accuracy: 100.0 %" in text and "test accuracy: 72.0 %" in text
    first = float(cost_lines(text)[0].rsplit(": ", 1)[1])
    assert first == pytest.approx(0.693049735659989, abs=1e-12)   # the course's
    assert text.strip().splitlines()[-1].startswith("✅ The same run: every cost within "
                                                    "1e-09 of the app's")


def test_a_two_layer_script_is_the_notebooks_program(two_layer_run):
    """The script differs from the notebook only in the three cells that say where the
    data is, where the picture goes and how the program ends (run in both forms by the
    course run's test)."""
    notebook = export.cells(two_layer_run, "en", "notebook")
    script = export.cells(two_layer_run, "en", "script")
    assert [kind for kind, _ in notebook] == [kind for kind, _ in script]
    differ = [(ours, theirs) for (_, ours), (_, theirs) in zip(notebook, script)
              if ours != theirs]
    assert len(differ) == 3
    assert "Path.cwd()" in differ[0][0] and "__file__" in differ[0][1]
    assert "plt.show()" in differ[1][0] and "plt.savefig" in differ[1][1]
    assert differ[2][1].startswith(differ[2][0]) and "SystemExit" in differ[2][1]


@pytest.mark.slow
def test_a_playground_run_reproduces_bit_for_bit(playground_executed, playground_run):
    notebook, script = playground_executed
    assert script.returncode == 0, script.stderr
    train = playground_run.runs[0].shown.train_accuracy
    for text in (printed(notebook), script.stdout):
        assert f"train accuracy: {train} %" in text
        # The app trained the points on the plain loop too: the very same numbers.
        assert "(largest difference 0.0e+00" in text
        assert text.strip().splitlines()[-1].startswith("✅ The same run")
    assert len(pictures(notebook)) == 1


def test_the_playground_makes_its_points_and_needs_only_numpy(playground_run):
    code = export.script(playground_run)
    assert "h5py" not in code and "logreg" not in code.replace("logreg studio", "")
    assert imported(code) <= {"numpy", "pathlib", "matplotlib"}
    assert "def flower(m=400, seed=1, noise=0.2):" in code   # the generator itself, copied


@pytest.mark.parametrize("kind", ["course", "network", "playground"])
def test_no_exported_program_imports_logreg(kind, course_run, two_layer_run, playground_run):
    spec = {"course": course_run, "network": two_layer_run, "playground": playground_run}[kind]
    for code in (export.script(spec, "en"), export.script(spec, "ko")):
        assert imported(code) <= {"hashlib", "os", "urllib", "pathlib", "h5py", "numpy",
                                  "matplotlib"}


# ----------------------------------------------------------------------- valid and named


@pytest.mark.parametrize("lang", export.LANGUAGES)
def test_every_notebook_validates_against_nbformat_4_5(lang, course_run, two_layer_run,
                                                      playground_run):
    for spec in (course_run, two_layer_run, playground_run,
                 toy_export(toy_dataset(), scaling="zscore")):
        notebook = nbformat.reads(export.notebook(spec, lang), as_version=nbformat.NO_CONVERT)
        nbformat.validate(notebook, version=4)
        assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
        ids = [cell.id for cell in notebook.cells]
        assert len(set(ids)) == len(ids)
        assert notebook.cells[0].cell_type == "markdown"
        assert notebook.cells[-1].cell_type == "code"   # the check comes last


def test_file_names_come_from_the_settings(course_run, two_layer_run, playground_run):
    assert export.file_name(course_run, ".ipynb") == \
        "logreg_catvnoncat_1500it_lr0.01_divide255.ipynb"
    assert export.file_name(two_layer_run, ".py") == \
        "network_catvnoncat_7_relu_small_seed1_2500it_lr0.0075_divide255.py"
    assert export.file_name(playground_run, ".zip") == \
        "playground_flower_m400_seed1_4_tanh_small_seed1_5000it_lr1.2.zip"
    with pytest.raises(ValueError):
        export.file_name(course_run, ".exe")


def test_korean_exports_explain_in_korean(course_run):
    notebook = json.loads(export.notebook(course_run, "ko"))
    markdown = "".join("".join(c["source"]) for c in notebook["cells"]
                       if c["cell_type"] == "markdown")
    assert "신경망의 관점으로 본 로지스틱 회귀" in markdown and "학습률" in markdown
    english = json.loads(export.notebook(course_run, "en"))
    # The code is the same in both: only the words around it change.
    code = [c["source"] for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(code) == len([c for c in english["cells"] if c["cell_type"] == "code"])
    with pytest.raises(ValueError):
        export.notebook(course_run, "fr")


def test_every_text_has_english_and_korean_with_the_same_fields():
    import string
    for key, versions in export.TEXT.items():
        assert set(versions) == set(export.LANGUAGES), key
        fields = [{name for _, name, _, _ in string.Formatter().parse(text) if name}
                  for text in versions.values()]
        assert all(f == fields[0] for f in fields), key


def test_the_code_tables_cover_every_setting_the_engine_has():
    from logreg.network import HIDDEN_ACTIVATIONS, INIT_SCHEMES
    from logreg.preprocessing import SCALING_MODES
    assert set(export.SCALE) == set(SCALING_MODES)
    assert set(export.ACTIVATIONS) == set(HIDDEN_ACTIVATIONS) == set(export.HIDDEN_FORWARD)
    assert set(export.INIT_CODE) == set(INIT_SCHEMES) == set(export.INIT_WORDS)


@pytest.mark.parametrize("build, message", [
    (lambda: export.Logistic(0, 0.01, "divide255"), "number of iterations"),
    (lambda: export.Logistic(10, 0.01, "pixels; import os"), "scaling must be one of"),
    (lambda: export.Network((7,), "relu); import os", "small", 1, 10, 0.1), "activation"),
    (lambda: export.Network((7,), "relu", "small", -1, 10, 0.1), "seed"),
    (lambda: export.Points("flower; import os"), "points must be one of"),
    (lambda: export.Points("flower", noise=-0.1), "noise must be a number of 0 or more"),
    (lambda: export.Export("logistic", export.Points("moons"), ()), "takes Pictures"),
    (lambda: export.Export("logistic", toy_export(toy_dataset()).data, (export.Run(
        export.Logistic(300, 0.005, "raw"), export.Shown((0.7,), 50.0, 50.0)),)),
     "300 iterations print 3 costs"),
])
def test_settings_are_checked_before_anything_is_written(build, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        build()


# --------------------------------------------------------------------- names are data

# Calls a name smuggled in as code would make.
HIDDEN_CALLS = {"system", "exit", "eval", "exec", "__import__"}


def _calls(tree):
    return {node.func.attr if isinstance(node.func, ast.Attribute) else
            getattr(node.func, "id", "") for node in ast.walk(tree) if isinstance(node, ast.Call)}



def test_a_hostile_class_and_dataset_name_stay_strings(tmp_path):
    dataset = toy_dataset(classes=(HOSTILE, "ok\n import sys; sys.exit(3)"),
                          name='x"); os.system("echo pwned"); ("')
    spec = toy_export(dataset)
    code = export.script(spec)
    tree = ast.parse(code)
    constants = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)}
    assert HOSTILE in constants and dataset.name in constants   # plain string literals
    assert HIDDEN_CALLS.isdisjoint(_calls(tree))
    notebook = json.loads(export.notebook(spec))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":   # names never reach the Markdown
            assert "pwned" not in "".join(cell["source"])
    name = export.file_name(spec, ".zip")
    assert name.startswith("logreg_x-os.system-echo-pwned_") and "/" not in name
    names = unzip(export.archive(spec, dataset_to_bytes(dataset)), tmp_path)
    assert all(n.startswith(export.file_stem(spec) + "/") for n in names)
    folder = tmp_path / export.file_stem(spec)
    result = subprocess.run([sys.executable, f"{export.file_stem(spec)}.py"], cwd=folder,
                            env=environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "pwned" not in result.stdout.splitlines()   # what echo would have printed
    assert repr(HOSTILE) in result.stdout   # the classes it read, printed as data
    assert result.stdout.strip().splitlines()[-1].startswith("✅ The same run")


# ------------------------------------------------------------------- data that travels


def test_faces_and_own_datasets_travel_in_a_zip_with_their_pair(tmp_path):
    faces = load_pair(ROOT / "data" / "train_faces.h5", ROOT / "data" / "test_faces.h5")
    spec = toy_export(faces, iterations=200, scaling="zscore")
    pair = [(ROOT / "data" / name).read_bytes() for name in spec.data.files]
    content = export.archive(spec, pair, "ko")
    estimate = export.archive_size([len(p) for p in pair], [export.notebook(spec, "ko"),
                                                           export.script(spec, "ko")])
    assert len(content) <= estimate <= len(content) + 60_000
    stem = export.file_stem(spec)
    assert sorted(unzip(content, tmp_path)) == sorted(
        f"{stem}/{name}" for name in (f"{stem}.ipynb", f"{stem}.py", "train_faces.h5",
                                      "test_faces.h5"))
    assert export.archive(spec, pair, "ko") == content   # the same run, the same bytes
    result = subprocess.run([sys.executable, f"{stem}.py"], cwd=tmp_path / stem,
                            env=environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("✅ 같은 학습입니다")


def test_an_own_dataset_with_float_pixels_keeps_its_numbers():
    dataset = toy_dataset()
    floats = Dataset(dataset.name, dataset.train_set_x_orig / 1.7, dataset.train_set_y,
                     dataset.test_set_x_orig / 1.7, dataset.test_set_y, dataset.classes)
    train, test = dataset_to_bytes(floats, exact=True)
    again = load_pair(train, test)
    assert np.array_equal(again.train_set_x_orig, floats.train_set_x_orig)
    assert np.array_equal(again.test_set_x_orig, floats.test_set_x_orig)


def test_missing_data_is_named_with_what_to_do(tmp_path):
    spec = toy_export(toy_dataset())
    script = tmp_path / "run.py"
    script.write_text(export.script(spec))
    result = subprocess.run([sys.executable, script.name], cwd=tmp_path, env=environment(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "train_toy.h5 + test_toy.h5 are in none of these folders" in result.stderr
    assert "LOGREG_DATA_DIR" in result.stderr.splitlines()[-1]


def test_other_files_under_the_same_name_are_refused(tmp_path):
    spec = toy_export(toy_dataset())
    for name, content in zip(spec.data.files, dataset_to_bytes(toy_dataset(m_train=30))):
        (tmp_path / name).write_bytes(content)
    (tmp_path / "run.py").write_text(export.script(spec))
    result = subprocess.run([sys.executable, "run.py"], cwd=tmp_path, env=environment(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "these files hold other data than the app trained on" in result.stderr


def test_without_matplotlib_the_plot_is_skipped_with_a_sentence(tmp_path):
    dataset = toy_dataset()
    spec = toy_export(dataset)
    unzip(export.archive(spec, dataset_to_bytes(dataset)), tmp_path)
    blocked = tmp_path / "blocked"
    (blocked / "matplotlib").mkdir(parents=True)
    (blocked / "matplotlib" / "__init__.py").write_text("raise ImportError('blocked here')\n")
    folder = tmp_path / export.file_stem(spec)
    result = subprocess.run([sys.executable, f"{export.file_stem(spec)}.py"], cwd=folder,
                            env=environment(PYTHONPATH=str(blocked)), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "matplotlib is not installed, so the cost curve is not drawn" in result.stdout
    assert not list(folder.glob("*.png"))
    assert result.stdout.strip().splitlines()[-1].startswith("✅ The same run")


@pytest.fixture
def mirror(data_dir, tmp_path, monkeypatch):
    """A mirror on this machine (a file:// URL) serving copies of the cat files, pinned to
    their real digests; returns its folder."""
    from logreg.download import sha256_of
    served = tmp_path / "mirror"
    served.mkdir()
    names = ("train_catvnoncat.h5", "test_catvnoncat.h5")
    pins = {}
    for name in names:
        (served / name).write_bytes((data_dir / name).read_bytes())
        pins[name] = Pin((served / name).stat().st_size, sha256_of(served / name))
    monkeypatch.setattr(export, "load_mirrors", lambda: (
        names, [Mirror(served.as_uri() + "/{name}", (pins,))]))
    return served


def test_the_cat_data_is_downloaded_and_verified_when_absent(mirror, cat_dataset, tmp_path):
    spec = toy_export(cat_dataset, iterations=1)
    spec = export.Export(spec.kind, export.Pictures.of(cat_dataset, mirrors=True), spec.runs)
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "run.py").write_text(export.script(spec))
    result = subprocess.run([sys.executable, "run.py"], cwd=folder, env=environment(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "downloaded train_catvnoncat.h5 + test_catvnoncat.h5 into" in result.stdout
    assert (folder / "train_catvnoncat.h5").read_bytes() == \
        (mirror / "train_catvnoncat.h5").read_bytes()
    # A mirror whose copy was tampered with is refused, and nothing is left behind.
    with open(mirror / "test_catvnoncat.h5", "r+b") as handle:
        handle.seek(5000)
        handle.write(b"\x00\x01\x02")
    again = tmp_path / "again"
    again.mkdir()
    (again / "run.py").write_text(export.script(spec))
    result = subprocess.run([sys.executable, "run.py"], cwd=again, env=environment(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "its sha256 is not the pinned one" in result.stdout
    assert "no mirror gave copies of the files" in result.stderr
    assert sorted(p.name for p in again.iterdir()) == ["run.py"]


# --------------------------------------------------------------- normalization and CLI


def test_a_scaling_comparison_exports_every_run(cat_dataset, data_dir, tmp_path):
    runs = {}
    for mode in ("raw", "divide255", "zscore"):
        prepared = prepare(cat_dataset, mode)
        trainer = prepared.trainer(0.005)
        trainer.run(150)
        scores = to_model(trainer, prepared, cat_dataset).evaluate(cat_dataset)
        runs[mode] = (trainer.costs, scores.train_accuracy, scores.test_accuracy)
    spec = export.of_comparison(cat_dataset, 0.005, runs, mirrors=True)
    assert export.file_name(spec, ".py") == \
        "normalization_catvnoncat_150it_lr0.005_raw_divide255_zscore.py"
    (tmp_path / "compare.py").write_text(export.script(spec))
    result = subprocess.run([sys.executable, "compare.py"], cwd=tmp_path,
                            env=environment(data_dir), capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr
    checks = result.stdout.split("costs every 100 iterations")[1:]
    assert len(checks) == 3
    for check, (mode, (costs, train, test)) in zip(checks, runs.items()):
        assert f"train accuracy: {train} % here, {train} % in the app: the same" in check
        assert f"test accuracy: {test} % here, {test} % in the app: the same" in check
        assert "✅" in check, (mode, check)


def test_the_cli_exports_what_it_trained(capsys, tmp_path):
    """``export`` takes train's options; the .zip carries the pair and runs where it lands."""
    out = io.StringIO()
    code = main(["export", "--data", str(ROOT / "data"), "--dataset", "faces", "--hidden", "3",
                 "--init", "small", "--activation", "tanh", "--iterations", "300",
                 "--learning-rate", "0.05", "--out", str(tmp_path / "run.zip")], out=out)
    assert code == 0, capsys.readouterr().err
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Cost after iteration 0: ")
    assert lines[-1] == f"wrote {tmp_path / 'run.zip'} ({(tmp_path / 'run.zip').stat().st_size:,} bytes)"
    names = unzip((tmp_path / "run.zip").read_bytes(), tmp_path)
    stem = "network_faces_3_tanh_small_seed1_300it_lr0.05_divide255"
    assert f"{stem}/train_faces.h5" in names
    result = subprocess.run([sys.executable, f"{stem}.py"], cwd=tmp_path / stem,
                            env=environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert lines[-3] in result.stdout and lines[-2] in result.stdout   # the accuracies


def test_the_cli_writes_a_notebook_in_korean_and_refuses_other_suffixes(capsys, tmp_path):
    code = main(["export", "--data", str(ROOT / "data"), "--iterations", "100", "--lang", "ko",
                 "--out", str(tmp_path / "run.ipynb")], out=io.StringIO())
    assert code == 0
    notebook = nbformat.read(tmp_path / "run.ipynb", as_version=4)
    nbformat.validate(notebook)
    assert "신경망의 관점으로 본 로지스틱 회귀" in notebook.cells[0].source
    code = main(["export", "--out", str(tmp_path / "run.txt")], out=io.StringIO())
    assert code == 2
    assert capsys.readouterr().err == \
        f"error: {tmp_path / 'run.txt'}: --out must end in .ipynb, .py or .zip\n"
    code = main(["export", "--data", str(ROOT / "data"), "--seed", "3",
                 "--out", str(tmp_path / "x.py")], out=io.StringIO())
    assert code == 2
    assert capsys.readouterr().err == "error: --seed applies to networks: add --hidden\n"
