"""A trained network saved to .npz and loaded back, and every kind of bad file refused."""
import io
import zipfile

import numpy as np
import pytest

from logreg import ParamsError, TrainedModel, load_pair
from logreg.network_model import (TrainedNetwork, fit_network, load_model, load_network,
                                  network_to_bytes, save_network)
from logreg.params import params_to_bytes
from logreg.preprocessing import Scaler
from app_support import ROOT


@pytest.fixture(scope="module")
def faces():
    return load_pair(ROOT / "data" / "train_faces.h5", ROOT / "data" / "test_faces.h5")


@pytest.fixture(scope="module")
def network(faces):
    return fit_network(faces, (4, 3), num_iterations=50, init="scaled", seed=5)


def arrays_of(content):
    with np.load(io.BytesIO(content), allow_pickle=False) as npz:
        return {key: npz[key] for key in npz.files}


def npz_bytes(arrays):
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def test_round_trip_keeps_every_field(network, faces, tmp_path):
    path = tmp_path / "net.npz"
    save_network(network, path)
    loaded = load_network(path)
    assert isinstance(loaded, TrainedNetwork)
    assert loaded.layer_dims == (625, 4, 3, 1) and loaded.architecture == "625-4-3-1"
    assert (loaded.activation, loaded.init, loaded.seed) == ("relu", "scaled", 5)
    assert loaded.num_iterations == 50 and loaded.classes == network.classes
    np.testing.assert_array_equal(loaded.costs, network.costs)
    for name, value in network.parameters.items():
        np.testing.assert_array_equal(loaded.parameters[name], value)
    images = faces.test_set_x_orig
    np.testing.assert_array_equal(loaded.predict_proba(images), network.predict_proba(images))
    assert load_model(path.read_bytes()).architecture == "625-4-3-1"


def test_load_model_also_reads_logistic_regression_files(network):
    lr = TrainedModel(w=np.zeros((625, 1)), b=0.5, scaler=Scaler("divide255"), num_px=25,
                      channels=1, classes=("a", "b"), learning_rate=0.005, num_iterations=3)
    assert isinstance(load_model(params_to_bytes(lr)), TrainedModel)
    assert isinstance(load_model(io.BytesIO(network_to_bytes(network))), TrainedNetwork)


def changed(network, **fields):
    arrays = arrays_of(network_to_bytes(network))
    for key, value in fields.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    return npz_bytes(arrays)


@pytest.mark.parametrize("fields, message", [
    ({"W1": np.zeros((4, 624))}, "field 'W1' has shape (4, 624), expected (4, 625)"),
    ({"b2": np.full((3, 1), np.nan)}, "field 'b2' contains NaN"),
    ({"W2": None}, "missing field 'W2'"),
    ({"layer_dims": None}, "missing field layer_dims"),
    ({"layer_dims": np.array([625, 4, 3, 2])}, "field 'layer_dims' must run from 625"),
    ({"layer_dims": np.array([625, 5000, 1])}, "1 to 1024 units"),
    ({"layer_dims": np.array([12288] + [1024] * 10 + [1]), "num_px": np.array(64),
      "channels": np.array(3)}, "22,031,361 parameters is more than the limit"),
    ({"activation": np.array("sigmoid")}, "activation must be one of relu, tanh"),
    ({"kind": np.array("logistic")}, "field 'kind' must be 'network'"),
    ({"format_version": np.array(9)}, "newer version"),
    ({"W1": np.zeros((4, 625), dtype=complex)}, "field 'W1' has type complex128"),
    ({"classes": np.array(["one"])}, "field 'classes' has shape (1,), expected (2,)"),
])
def test_bad_fields_are_refused_with_their_name(network, fields, message):
    with pytest.raises(ParamsError) as error:
        load_network(changed(network, **fields), name="net.npz")
    assert str(error.value).startswith("net.npz: ")
    assert message in str(error.value)


def test_pickled_objects_and_non_zip_files_are_refused(network):
    arrays = arrays_of(network_to_bytes(network))
    buffer = io.BytesIO()
    np.savez(buffer, **{**arrays, "W1": np.array([object()] * 2500, dtype=object).reshape(4, 625)},
             allow_pickle=True)
    with pytest.raises(ParamsError, match="pickled Python objects"):
        load_network(buffer.getvalue())
    with pytest.raises(ParamsError, match="not a zip archive"):
        load_network(b"\x93NUMPY not a zip")
    with pytest.raises(ParamsError, match="not a zip archive"):
        load_model(b"hello")   # handed on to the logistic-regression loader, same message


def test_sizes_are_checked_before_reading(network, monkeypatch):
    # A member whose header claims a huge array is refused from its header, before its data.
    content = network_to_bytes(network)
    header = np.lib.format.header_data_from_array_1_0(np.zeros((4, 625)))
    header["shape"] = (4, 10**9)
    fake = io.BytesIO()
    np.lib.format.write_array_header_1_0(fake, header)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = fake.getvalue() if info.filename == "W1.npy" else source.read(info)
            target.writestr(info.filename, data)
    with pytest.raises(ParamsError, match=r"field 'W1' has shape \(4, 1000000000\)"):
        load_network(out.getvalue())
    monkeypatch.setattr("logreg.network_model.MAX_FILE_BYTES", 1000)
    with pytest.raises(ParamsError, match="more than the limit"):
        load_network(content)


@pytest.mark.parametrize("patch, fragment", [
    (dict(method=99), "uses zip compression method 99"),
    (dict(flag_bits=0x1), "is encrypted"),
])
def test_a_network_file_with_an_odd_member_is_refused_in_one_sentence(network, patch, fragment):
    """The network loader judges members like params.py does (no NotImplementedError)."""
    import corpus
    from logreg.network_model import network_to_bytes

    hostile = corpus._patched(network_to_bytes(network), "W1.npy", **patch)
    with pytest.raises(ParamsError, match=fragment):
        load_network(hostile, name="odd.npz")
