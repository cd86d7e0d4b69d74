"""Every page runs without an exception: with and without data, with and without parameters."""
import pytest

from app_support import (PAGES, all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         no_data, open_page, shown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_plainly_that_there_is_no_data(no_data, page):
    at = open_page(new_app(), page)
    assert not at.error
    text = all_text(at)
    if page not in ("pages/how-it-works.py", "pages/class.py"):  # they need no data
        assert "No dataset yet" in text
    assert at.selectbox(key="dataset_select").disabled


def test_data_page_without_data_still_offers_get_more_data(no_data):
    at = open_page(new_app(), "pages/data.py")
    assert any(h.value == "Get more data" for h in at.header)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_cat_data_without_parameters(cat_data, page):
    at = open_page(new_app(), page)
    assert not at.error
    assert at.selectbox(key="dataset_select").value == "file:catvnoncat"
    assert "Trained parameters:** none yet" in all_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_trained_parameters(cat_data, page):
    at = open_page(new_app(), "pages/classify.py")
    button(at, "Train with the defaults").click().run()
    assert not at.exception
    at = open_page(at, page)
    assert not at.error
    text = all_text(at)
    assert "Trained parameters:** :green[:material/check_circle: ready]" in text
    assert "2,000 iterations · learning rate 0.005 · pixels ÷ 255" in text


def test_data_page_figures_out_the_dimensions(cat_data):
    at = open_page(new_app(), "pages/data.py")
    metrics = {m.label.strip("`"): m.value for m in at.metric}   # the course's names, as code
    assert metrics["m_train"] == "209" and metrics["m_test"] == "50"
    assert metrics["num_px"] == "64" and metrics["channels"] == "3"
    text = all_text(at)
    assert "train_set_x shape: (209, 64, 64, 3)" in text
    assert "train_set_x_flatten shape: (12288, 209)" in text
    assert "label **1** = **cat**" in text
    # 72 of 209 are cats, so the baseline to beat is always answering the larger class.
    assert ("*cat* makes up 34% of the images (72 of 209). A model that always answers "
            "*non-cat* (the larger class) would already be right 66% of the time") in text
    # The gallery shows a page of labelled images, and filtering by class keeps only that class.
    assert len(at.get("image")[0].proto.imgs) == 12
    at.main.get("button_group")[1].set_value(1).run()   # the label, shown as its class name
    captions = [img.caption for img in at.get("image")[0].proto.imgs]
    assert len(captions) == 12 and all(caption.endswith("(cat)") for caption in captions)


def test_a_broken_dataset_file_shows_an_error_and_the_page_goes_on(tmp_path, monkeypatch):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "train_broken.h5").write_bytes(b"this is not HDF5")
    (broken / "test_broken.h5").write_bytes(b"neither is this")
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("LOGREG_DATA_DIR", str(broken))
    monkeypatch.setattr("logreg.catalog.PROJECT_DATA_DIR", empty)
    for page in PAGES[:4]:
        at = open_page(new_app(), page)
        message = shown(at.error[0].value) if at.error else ""
        assert "train_broken.h5: not a readable HDF5 file" in message, message
        assert str(tmp_path) not in message  # the server's folders stay private
    at = open_page(new_app(), "pages/data.py")
    assert any(h.value == "Get more data" for h in at.header)


def test_switching_datasets_in_the_sidebar_keeps_every_page_working(data_dir, monkeypatch):
    monkeypatch.setenv("LOGREG_DATA_DIR", str(data_dir))  # cat data plus the built-in ones
    at = open_page(new_app(), "pages/classify.py")
    button(at, "Train with the defaults").click().run()
    options = at.selectbox(key="dataset_select").options
    assert len(options) >= 1
    for title in options:
        at.selectbox(key="dataset_select").select(title).run()
        assert not at.exception
        for page in PAGES:
            open_page(at, page)
            assert not at.error, [e.value for e in at.error]


def test_parameters_that_do_not_fit_are_explained_on_classify(cat_data):
    import numpy as np

    from logreg.params import TrainedModel
    from logreg.preprocessing import Scaler
    at = open_page(new_app(), "pages/classify.py")
    small = TrainedModel(w=np.zeros((8 * 8 * 3, 1)), b=0.0,
                         scaler=Scaler("divide255"), num_px=8, channels=3,
                         classes=("non-cat", "cat"), learning_rate=0.005, num_iterations=10)
    at.session_state["trained"] = {"model": small, "dataset_key": "file:elsewhere"}
    at.run()
    assert not at.exception
    assert any("8 × 8 × 3" in w.value for w in at.warning)
    assert button(at, "Train with the defaults")


def test_how_it_works_shows_the_engine_source_and_a_passing_gradient_check(no_data):
    at = open_page(new_app(), "pages/how-it-works.py")
    assert not at.exception
    code = "\n".join(block.value for block in at.code)
    for signature in ("def sigmoid(z):", "def cost_from_logits(z, Y):",
                      "def propagate(w, b, X, Y):", "def optimize(w, b, X, Y, num_iterations",
                      "def step(self, k=1):", "def _step_gram(self, k):",
                      "def sigmoid_and_cost(z, Y):"):
        assert f"\n{signature}" in "\n" + code, signature  # dedented, as in a module
    gram = at.expander[0]                  # the course's level first; the Gram path aside
    assert "_step_gram" in "\n".join(block.value for block in gram.code)
    latex = [element.value for element in at.latex]
    assert any(r"= a - y" in formula for formula in latex)
    assert at.success[0].value.startswith("Relative difference ")
    assert "the backward pass is correct" in at.success[0].value
    # A bigger problem with another seed still passes.
    at.number_input(key="gc_features").set_value(20)
    at.number_input(key="gc_seed").set_value(7).run()
    assert "the backward pass is correct" in at.success[0].value


def test_class_names_from_an_upload_are_shown_as_text(no_data):
    """A class name is data: its Markdown must not become an image, a link or bold text."""
    import corpus

    evil = corpus.MARKDOWN_CLASS_NAMES
    at = open_page(new_app(), "pages/data.py")
    at.file_uploader(key="pair_upload").set_value(
        [(name, data, "application/x-hdf5") for name, data in corpus.markdown_class_pair().items()]
    ).run()
    assert not at.exception
    for page in ("pages/data.py", "pages/train.py", "pages/classify.py"):
        open_page(at, page)
        raw = [str(e.value) for kind in ("markdown", "caption", "success", "info", "warning",
                                          "error") for e in at.get(kind)]
        raw += [str(e.proto.label) for e in at.get("button_group")]
        seen = "\n".join(raw)
        assert evil[0] in shown(seen), page   # the name is on the page, as text
        assert "](http" not in seen and "**[" not in seen and ":red[" not in seen, page
        assert ":material/home:" not in seen, page   # no icon shortcode left whole
