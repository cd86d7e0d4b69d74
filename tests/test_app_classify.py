"""The Classify page: uploads classified with the session's parameters, bad files reported."""
import numpy as np
import pytest

from app_support import (ROOT, all_text, button, cat_data, faces_only, fresh_caches,  # noqa: F401
                         new_app,
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

    from studio.session import pictures

    here = UploadedFile(UploadedFileRec("id-here", "here.png", "image/png", b"png"),
                        file_urls=None)
    monkeypatch.setattr(pictures.st, "session_state", {
        pictures.UPLOADER: [DeletedFile("id-gone"), here],
        pictures.CAMERA: DeletedFile("id-camera")})
    assert pictures.widget_files() == [here]


# --- the sample photos, "not sure" and the explanation -------------------------------------------

def sample_rows(at):
    """{picture: (prediction, P)} of the results table."""
    rows = at.dataframe[0].value
    return {row["file"]: (row["prediction"], row.iloc[2]) for _, row in rows.iterrows()}


def expected(model, threshold=0.5):
    """{title: (P, answer)} for the sample photos, computed here without the page."""
    from logreg import image_to_array
    from logreg.core import is_not_sure
    from logreg.samples import sample_photos
    from studio.sections.samples import titles

    names, found = titles(), {}
    for file_name, data in sample_photos():
        p = float(model.predict_proba(image_to_array(data, model.num_px, model.channels)[None])[0])
        label = model.label(p, threshold)
        found[names[file_name]] = (p, f"not sure (leans {label})" if is_not_sure(p, threshold)
                                   else label)
    return found


def test_the_sample_photos_are_one_click_away_and_answered_like_uploads(cat_data, cat_dataset):
    from logreg import explain

    at = classify_page_with_defaults(cat_dataset)
    button(at, "Try the sample photos").click().run()
    assert not at.exception and not at.error
    model = at.session_state["trained"]["model"]
    want = expected(model)
    rows = sample_rows(at)
    assert list(rows) == list(want)
    for title, (prediction, p) in rows.items():
        assert prediction == want[title][1], title
        assert p == round(want[title][0], 4), title
    # The course's model: the cat and 5 of the 7 other things are "cat", 2 not sure.
    answers = [prediction for prediction, _ in rows.values()]
    assert answers.count("cat") == 6 and sum(a.startswith("not sure") for a in answers) == 2
    text = all_text(at)
    assert text.count("### :gray[not sure]") == 2
    assert "within 0.1 of the threshold 0.50: too close to call. It leans to *cat*." in text
    # The explanation's numbers are the model's own.
    assert "Why does it say “cat” so often?" in text
    assert "Of the 8 pictures here, the model answers *cat* for 6, *non-cat* for 0, and is " \
           "not sure about 2." in text
    grey = explain.plain_picture(model)
    assert f"gets P(cat) = {grey:.0%}." in text
    # Its gist sits beside the first answer: right after the first picture's box.
    def walk(node):
        children = getattr(node, "children", None)
        if not children:
            return [node]
        return [leaf for key in sorted(children) for leaf in walk(children[key])]
    leaves = walk(at.main)
    kinds = [(type(e).__name__, getattr(e, "value", "")) for e in leaves]
    # The probability bars by their own type: AppTest shows other elements it has no class
    # for (which differ between Streamlit versions) as UnknownElement too.
    bars = [i for i, e in enumerate(leaves) if getattr(e, "type", None) == "plotly_chart"]
    gist = next(i for i, (_, value) in enumerate(kinds)
                if "**Why this answer?**" in str(value))
    assert bars[0] < gist < bars[1] and text.count("**Why this answer?**") == 1
    assert f"each of 64 × 64 places, never a shape: even a plain grey picture gets " \
           f"P(cat) = {grey:.0%}" in text
    red, green, blue = explain.channel_effects(model)
    assert f"would move z by {red:+.1f}, every green value by {green:+.1f}" in text
    assert f"{explain.base_rate(cat_dataset):.0%} of its 209 training pictures are *cat*" in text
    table = at.dataframe[1].value
    assert list(table["picture"]) == list(want)
    assert [link.label for link in at.get("page_link")] == ["Network"]
    # A second click adds nothing twice; the pictures stay after a page switch.
    button(at, "Try the sample photos").click().run()
    assert len(at.session_state["classify_images"]) == 8
    open_page(at, "pages/data.py")
    open_page(at, "pages/classify.py")
    assert list(sample_rows(at)) == list(want)


def test_the_threshold_moves_the_not_sure_band(cat_data, cat_dataset):
    at = classify_page_with_defaults(cat_dataset)
    button(at, "Try the sample photos").click().run()
    model = at.session_state["trained"]["model"]
    at.session_state["decision_threshold"] = 0.75
    at.run()
    assert not at.exception
    want = expected(model, 0.75)
    assert {title: prediction for title, (prediction, _) in sample_rows(at).items()} == {
        title: answer for title, (_, answer) in want.items()}
    # The rocket (P about 0.74) is now too close to call, the brick wall (0.6) is non-cat.
    assert want["a rocket on its launch pad"][1] == "not sure (leans non-cat)"
    assert want["a brick wall"][1] == "non-cat"


def test_the_sample_photos_on_the_built_in_faces(faces_only):
    at = open_page(new_app(), "pages/classify.py")
    button(at, "Train with the defaults").click().run()
    button(at, "Try the sample photos").click().run()
    assert not at.exception and not at.error
    model = at.session_state["trained"]["model"]
    assert model.classes == ("non-face", "face") and model.channels == 1
    assert {t: p for t, (p, _) in sample_rows(at).items()} == {
        t: a for t, (_, a) in expected(model).items()}
    assert "Turning every pixel from black to white would move z by" in all_text(at)


def test_the_samples_respect_the_sessions_picture_budget(cat_data, cat_dataset):
    at = classify_page_with_defaults(cat_dataset)
    files = [(f"p{i}.png", png_bytes(np.full((4, 4, 3), i, np.uint8)), "image/png")
             for i in range(20)]
    at.file_uploader(key="classify_upload").set_value(files).run()
    button(at, "Try the sample photos").click().run()
    assert not at.exception
    assert len(at.session_state["classify_images"]) == 24
    warnings = texts(at, "warning")
    assert any("Not added: galaxies (Hubble Deep Field), a brick wall, old coins, a drawing "
               "of a horse. This page keeps at most 24 pictures" in w for w in warnings), warnings


def test_one_picture_and_two_models_read_as_what_they_are(cat_data, cat_dataset):
    """One picture is not "Of the 1 pictures"; a network beside logistic regression is
    named once, not "network 12288-2-1: network 12288-2-1 · …"."""
    from logreg.network_model import fit_network

    at = classify_page_with_defaults(cat_dataset)
    at.file_uploader(key="classify_upload").upload(
        "my_cat.png", png_bytes(cat_dataset.test_set_x_orig[1]), "image/png").run()
    text = all_text(at)
    assert "For the one picture here, the model answers *cat*." in text
    assert "Its answer is such a small difference between two large sums." in text
    assert "Of the " not in text and "so often" not in text and "in these pictures" not in text
    assert ("Model: 2,000 iterations · learning rate 0.005 · pixels ÷ 255 · 64×64×3. Every "
            "picture is turned upright, put on a white background if it is transparent, "
            "converted to RGB colour and resized") in text
    network = fit_network(cat_dataset, (2,), num_iterations=1)
    at.session_state["trained_network"] = {"model": network, "dataset_key": "file:catvnoncat"}
    at.run()
    assert not at.exception
    text = all_text(at)
    assert ("Models: logistic regression: 2,000 iterations · learning rate 0.005 · "
            "pixels ÷ 255 · 64×64×3; network 12288-2-1 · 1 iteration · learning rate 0.0075 · "
            "pixels ÷ 255 · 64×64×3.") in text
    assert "12288-2-1: network" not in text


def test_clear_images_empties_the_uploader_too(cat_data, cat_dataset):
    """Clear images gives the uploader a new key: it comes back empty, so the files it held
    stop counting towards the session's upload budget (guard.SESSION_FILES). Before, five
    batches of eight photos with a Clear between them had the fifth refused with a bare 413."""
    at = classify_page_with_defaults(cat_dataset)
    first = ("first.png", png_bytes(cat_dataset.test_set_x_orig[1]), "image/png")
    at.file_uploader(key="classify_upload").set_value([first]).run()
    assert "first.png" in all_text(at)
    button(at, "Clear images").click().run()
    assert not at.exception and "first.png" not in all_text(at)
    assert [u.key for u in at.file_uploader] == ["classify_upload_1"]
    assert not at.session_state["classify_upload_1"]
    second = ("second.png", png_bytes(cat_dataset.test_set_x_orig[2]), "image/png")
    at.file_uploader(key="classify_upload_1").set_value([second]).run()
    text = all_text(at)
    assert not at.exception and "second.png" in text and "first.png" not in text
