"""Classify: your own pictures through the parameters this session trained."""
import streamlit as st

from logreg import course
from logreg.core import THRESHOLD
from logreg.images import ImageError
from studio.display import figures, presenter
from studio.frame import shell
from studio.sections import camera, samples, training, verdict
from studio.session import datasets, escape, pictures, state, words
from studio.session.i18n import t, tn

IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif"]
PREVIEW_PX = pictures.PREVIEW_PX

shell.page_setup()
st.title(t("Classify"))
if not presenter.presenting():   # on a projector the room goes to the photos and answers
    st.caption(t("Upload photos (or take one) and see what the trained model answers — and "
                 "the tiny image it actually looks at."))

key, dataset = datasets.active_dataset()


def _train_defaults(dataset_key):
    model, outcome = training.train_now(dataset_key)
    if outcome.cut:
        state.flash("warning", outcome.sentence())
    else:
        state.flash("success", t("Trained with the course's settings: {model}.",
                                 model=words.model(model)))


def say_where_trained(model, trained_on, key):
    """Warn when a model came from another dataset than the one picked: its answers are its
    own classes, whatever the sidebar shows now."""
    if trained_on != key:
        title = datasets.options().get(trained_on, trained_on or t("a loaded file"))
        class0, class1 = words.classes(model.classes)
        fields = dict(title=title, class0=class0, class1=class1)
        if getattr(model, "architecture", None) is not None:
            text = t("The network was trained on {title}, not on the dataset picked in the "
                     "sidebar: the answers below are its classes, {class0} or {class1}.",
                     **fields)
        else:
            text = t("These parameters were trained on {title}, not on the dataset picked in "
                     "the sidebar: the answers below are its classes, {class0} or {class1}.",
                     **fields)
        st.warning(escape.markdown(text), icon=":material/swap_horiz:")


def model_or_offer(key, dataset, offer=True):
    """The usable trained model, or None after explaining and offering to train one
    (only when ``offer``: with a network to answer, missing parameters need no fuss)."""
    model = state.trained_model()
    if model is not None and not model.mismatch(dataset):
        say_where_trained(model, state.trained_dataset_key(), key)
        return model
    if not offer:
        return None
    run = training.current()
    if run is not None and run.status in ("running", "stopped") and run.dataset_key == key:
        # Offering to train now would replace the run in progress.
        if run.status == "running":
            # No percent here: the live line at the top of the page counts (this one would
            # stand still and soon disagree with it).
            st.info(t("Training… The answers appear here when the run ends; its progress is "
                      "at the top of the page."),
                    icon=":material/hourglass_top:")
        else:
            st.info(t("Training is paused at {percent} %: resume it on the Train page, then "
                      "the answers appear here.", percent=training.percent(run)),
                    icon=":material/pause_circle:")
        return None
    if model is None:
        # Train offers a .npz to load only when a link did not hide that section.
        st.info(t("This session has no trained parameters yet. Train on the **Train** page, "
                  "load a `.npz` there, or train the course's model right here (a second or "
                  "two).") if presenter.shows("params") else
                t("This session has no trained parameters yet. Train on the **Train** page, "
                  "or train the course's model right here (a second or two)."),
                icon=":material/psychology:")
    else:
        st.warning(t("The session's parameters are for {model_size} images, but this dataset "
                     "has {data_size} images. Train on this dataset first.",
                     model_size=words.size(model.num_px, model.channels, " × "),
                     data_size=words.size(dataset.num_px, dataset.channels, " × ")),
                   icon=":material/warning:")
    st.button(t("Train with the defaults"), type="primary", on_click=_train_defaults,
              args=(key,), help=t("The course's settings: {settings}.",
                                  settings=words.settings(**course.DEFAULTS)))
    return None


def answering(key, dataset):
    """[(title, model)] of the session's models picked to answer; [] after offering one.

    Logistic regression comes from the Train page, the network from the Network page;
    when both fit the dataset the person picks one, or both side by side.
    """
    models = []
    network = state.trained_network()
    if network is not None and not network.mismatch(dataset):
        say_where_trained(network, state.trained_network_dataset_key(), key)
        models.append((t("network {architecture}", architecture=network.architecture),
                       network))
    logistic = model_or_offer(key, dataset, offer=not models)
    if logistic is not None:
        models.insert(0, (t("logistic regression"), logistic))
    if len(models) < 2:
        return models
    both = t("both, side by side")
    choice = st.segmented_control(t("Answered by"), [title for title, _ in models] + [both],
                                  default=both, key="classify_models", required=True)
    return models if choice == both else [m for m in models if m[0] == choice]


def described(models):
    """The answering models' settings in a line; beside another, each says which it is
    (a network's own description begins with its name)."""
    if len(models) == 1:
        return words.model(models[0][1])
    return "; ".join(words.model(m) if getattr(m, "architecture", None) is not None
                     else f"{title}: {words.model(m)}" for title, m in models)


def _reason(error, name):
    """The engine's sentence about a picture without the file name it starts with."""
    return str(error).removeprefix(f"{name}: ")


def classify(digest, picture, models, threshold):
    """Draw one image's answers; returns its table row or None when it is not usable."""
    result = pictures.decoded(digest, picture, models[0][1])
    if isinstance(result, ImageError):
        st.error(t("{file} could not be read: {reason}", file=escape.markdown(picture.name),
                   reason=escape.markdown(_reason(result, picture.name))),
                 icon=":material/error:")
        return None
    array, original = result
    row = {t("file"): picture.name}
    # "photo_…": on a phone the photo and what the model sees stay side by side (the styles).
    with st.container(border=True, key=f"photo_{digest}"):
        c1, c2, c3 = st.columns([1, 1, 1.6], vertical_alignment="center", gap="medium")
        c1.image(original, caption=t("your picture: {file}",
                                     file=escape.markdown(picture.name)), width="stretch")
        c2.image(figures.base.upscaled(array, PREVIEW_PX), width="stretch", output_format="PNG",
                 caption=t("what the model sees: {num_px} × {num_px}",
                           num_px=models[0][1].num_px))
        answers = c3.columns(len(models)) if len(models) > 1 else [c3]
        for index, (column, (title, model)) in enumerate(zip(answers, models)):
            p = float(model.predict_proba(array[None])[0])
            with column:
                if len(models) > 1:
                    st.caption(title)
                verdict.show(model, p, threshold,
                             f"bar_{digest}" + (f"_{index}" if index else ""))
            prefix = f"{title}: " if len(models) > 1 else ""
            row[prefix + t("prediction")] = verdict.prediction(model, p, threshold)
            row[f"{prefix}P({words.classes(model.classes)[1]})"] = round(p, 4)
    return row


if dataset is not None:
    left, right = st.columns([3, 2])
    with left:
        st.file_uploader(t("Upload images"), type=IMAGE_TYPES, accept_multiple_files=True,
                         key=pictures.uploader_key(), on_change=pictures.drop_removed,
                         help=t("PNG, JPEG, WebP, BMP or GIF; several at once is fine."))
    with right:
        with st.expander(t("Take a photo with the camera"), icon=":material/photo_camera:"):
            camera.explain_if_blocked()
            st.camera_input(t("Camera"), key=pictures.CAMERA, on_change=pictures.drop_removed,
                            label_visibility="collapsed")
    stored = pictures.collect()
    with right, st.container(horizontal=True):   # under the camera: the answers move up
        samples.offer(stored)
        clear = bool(stored) and st.button(t("Clear images"), icon=":material/delete:")
    if clear:
        pictures.clear()
        st.rerun()
    models = answering(key, dataset)
    threshold = state.threshold()
    if models:
        model = models[0][1]
        if threshold != THRESHOLD:
            st.info(t("Answers use the decision threshold **{threshold:.2f}** chosen in the "
                      "run inspector (the course's is {course:g}): a picture is *{name}* when "
                      "its probability is above it.", threshold=threshold, course=THRESHOLD,
                      name=escape.markdown(words.classes(model.classes)[1])),
                    icon=":material/tune:")
        colours = t("RGB colour") if model.channels == 3 else t("greyscale")
        st.caption(tn("Model: {models}.", "Models: {models}.", count=len(models),
                      models=described(models))
                   + " " + t("Every picture is turned upright, put on a white background if it "
                             "is transparent, converted to {colours} and resized smoothly to "
                             "{num_px} × {num_px}.", colours=colours, num_px=model.num_px),
                   help=t("The photo's orientation tag is applied, transparency is composited "
                          "onto white, and the resizing uses Lanczos filtering."))
        if not stored:
            st.info(t("Upload one or more pictures above to classify them."),
                    icon=":material/image:")
        rows = []
        for digest, picture in stored.items():
            row = classify(digest, picture, models, threshold)
            if row is not None and not rows and (line := samples.in_one_line(models)):
                st.markdown(line)   # the lesson's gist beside the first answer
            rows += [row] if row is not None else []
        if rows:
            st.subheader(t("All results"))
            presenter.table(rows, "classify_results")
            st.caption(t("A model on {num_px} × {num_px} pixels is easily fooled: colours and "
                         "backgrounds matter to it as much as shapes. Try a few photos and see "
                         "where it goes wrong.", num_px=model.num_px))
        samples.lesson(stored, models, dataset, threshold)
