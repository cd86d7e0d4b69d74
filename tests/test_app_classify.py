"""The Classify page: uploads classified with the session's parameters, bad files reported."""
import numpy as np

from app_support import (all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         open_page, png_bytes, texts)


def classify_page_with_defaults(cat_dataset):
    at = open_page(new_app(), "pages/classify.py")
    assert "no trained parameters yet" in all_text(at)
    button(at, "Train with the defaults").click().run()
    assert not at.exception
    return at


def test_an_uploaded_png_gets_a_class_and_a_probability(cat_data, cat_dataset):
    at = classify_page_with_defaults(cat_dataset)
    # Test image 1 is a cat the course's model gets right; 64x64 means no resizing blur.
    image = cat_dataset.test_set_x_orig[1]
    assert cat_dataset.test_set_y[0, 1] == 1
    at.file_uploader(key="classify_upload").upload("my_cat.png", png_bytes(image),
                                                   "image/png").run()
    assert not at.exception and not at.error
    model = at.session_state["trained"]["model"]
    p = float(model.predict_proba(image[None])[0])
    assert p > 0.5
    text = all_text(at)
    assert "### cat" in text
    assert f"P(cat) = **{p:.4f}**" in text
    rows = at.dataframe[0].value
    assert list(rows["file"]) == ["my_cat.png"] and list(rows["prediction"]) == ["cat"]
    # The results survive a page switch: the bytes live in the session, not the widget.
    open_page(at, "pages/data.py")
    open_page(at, "pages/classify.py")
    assert "P(cat) = " in all_text(at)


def test_a_corrupt_upload_gets_its_own_error_and_the_others_still_classify(cat_data,
                                                                           cat_dataset):
    at = classify_page_with_defaults(cat_dataset)
    model = at.session_state["trained"]["model"]
    at.file_uploader(key="classify_upload").set_value([
        ("broken.jpg", b"\xff\xd8\xff\xe0 definitely not a jpeg", "image/jpeg"),
        ("empty.png", b"", "image/png"),
        ("fine.png", png_bytes(cat_dataset.test_set_x_orig[0]), "image/png"),
    ]).run()
    assert not at.exception
    errors = texts(at, "error")
    assert len(errors) == 2
    assert any("broken.jpg" in e for e in errors) and any("empty.png" in e for e in errors)
    assert list(at.dataframe[0].value["file"]) == ["fine.png"]
    assert at.session_state["trained"]["model"] is model




def test_a_picture_removed_from_the_uploader_is_forgotten(cat_data, cat_dataset):
    at = classify_page_with_defaults(cat_dataset)
    first = ("first.png", png_bytes(cat_dataset.test_set_x_orig[0]), "image/png")
    second = ("second.png", png_bytes(cat_dataset.test_set_x_orig[1]), "image/png")
    at.file_uploader(key="classify_upload").set_value([first, second]).run()
    assert list(at.dataframe[0].value["file"]) == ["first.png", "second.png"]
    at.file_uploader(key="classify_upload").set_value([second]).run()
    assert not at.exception
    assert list(at.dataframe[0].value["file"]) == ["second.png"]
    assert [p.name for p in at.session_state["classify_images"].values()] == ["second.png"]
    # Decoded once: the cache holds one entry per kept picture and model size.
    assert len(at.session_state["classify_decoded"]) == 1


def test_the_pictures_a_session_keeps_are_capped(cat_data, cat_dataset):
    at = classify_page_with_defaults(cat_dataset)
    count = 26
    files = [(f"p{i}.png", png_bytes(np.full((4, 4, 3), i, np.uint8)), "image/png")
             for i in range(count)]
    at.file_uploader(key="classify_upload").set_value(files).run()
    assert not at.exception
    kept = at.session_state["classify_images"]
    assert len(kept) == 24
    warnings = texts(at, "warning")
    assert any("Not kept: p24.png, p25.png" in w and "at most 24 pictures" in w
               for w in warnings), warnings


def test_a_model_answers_with_its_own_classes_after_the_sidebar_switches(cat_data,
                                                                          cat_dataset):
    """Issue 10's bug: a model trained on "kitty vs stuff" (64 x 64 x 3, like the cat data)
    kept after switching to the cat data labelled a cat photo "non-cat, 99 % sure"."""
    from dataclasses import replace

    from logreg import fit
    from logreg.h5write import dataset_to_bytes

    own = replace(cat_dataset, name="kitty_vs_stuff", classes=("stuff", "kitty"))
    at = open_page(new_app(), "pages/data.py")
    train_bytes, test_bytes = dataset_to_bytes(own)
    at.file_uploader(key="pair_upload").set_value([
        ("train_kitty_vs_stuff.h5", train_bytes, "application/x-hdf5"),
        ("test_kitty_vs_stuff.h5", test_bytes, "application/x-hdf5")]).run()
    assert at.selectbox(key="dataset_select").value == "upload:kitty_vs_stuff"
    at.session_state["trained"] = {"model": fit(own, 300), "dataset_key": "upload:kitty_vs_stuff"}
    at.selectbox(key="dataset_select").set_value("file:catvnoncat").run()
    open_page(at, "pages/classify.py")
    image = cat_dataset.test_set_x_orig[1]
    at.file_uploader(key="classify_upload").upload("cat.png", png_bytes(image),
                                                   "image/png").run()
    assert not at.exception
    row = at.dataframe[0].value.iloc[0]
    assert row["prediction"] in ("kitty", "stuff") and "P(kitty)" in row.index
    assert "P(cat)" not in row.index
    warnings = texts(at, "warning")
    assert any("trained on kitty_vs_stuff (uploaded), not on the dataset picked in the "
               "sidebar: the answers below are its classes, stuff or kitty" in w
               for w in warnings), warnings


def test_files_this_server_does_not_have_are_left_out(monkeypatch):
    """A browser moved to another replica still lists its earlier uploads; Streamlit hands
    them over as bytes-less DeletedFile entries, which must not reach the page."""
    from streamlit.runtime.uploaded_file_manager import (DeletedFile, UploadedFile,
                                                         UploadedFileRec)

    from studio import pictures

    here = UploadedFile(UploadedFileRec("id-here", "here.png", "image/png", b"png"),
                        file_urls=None)
    monkeypatch.setattr(pictures.st, "session_state", {
        pictures.UPLOADER: [DeletedFile("id-gone"), here],
        pictures.CAMERA: DeletedFile("id-camera")})
    assert pictures.widget_files() == [here]
