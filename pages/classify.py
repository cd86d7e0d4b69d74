"""Classify: your own pictures through the parameters this session trained."""
import hashlib

import numpy as np
import streamlit as st

from logreg.images import ImageError, image_to_array, open_image, to_mode
from studio import common, figures, shell, state, training

IMAGE_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "gif"]
STORED = "classify_images"     # {digest: (name, bytes)} kept across page switches
CLEARED = "classify_cleared"   # file ids already cleared, still sitting in the uploader
PREVIEW_PX = 240

shell.page_setup()
st.title("Classify")
st.caption("Upload photos (or take one) and see what the trained model answers — and the tiny "
           "image it actually looks at.")

key, dataset = common.active_dataset()


def collect(uploads, camera):
    """Copy new uploads into the session so they survive leaving the page."""
    stored = st.session_state.setdefault(STORED, {})
    cleared = st.session_state.setdefault(CLEARED, set())
    for upload in list(uploads or []) + ([camera] if camera is not None else []):
        if upload.file_id in cleared:
            continue
        data = upload.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:16]
        name = upload.name if upload is not camera else f"camera photo {digest[:6]}.jpg"
        stored.setdefault(digest, (name, data))
    return stored


def _train_defaults():
    training.train_now(key)
    state.flash("success", "Trained with the defaults (2000 iterations, learning rate 0.005, "
                           "divide255).")


def model_or_offer():
    """The usable trained model, or None after explaining and offering to train one."""
    model = state.trained_model()
    if common.usable_model(model, dataset):
        return model
    if model is None:
        st.info("This session has no trained parameters yet. Train on the **Train** page, load "
                "a `.npz` there, or train the course's model right here (a second or two).",
                icon=":material/psychology:")
    else:
        st.warning(f"The session's parameters are for {model.num_px} × {model.num_px} × "
                   f"{model.channels} images, but the active dataset has {dataset.num_px} × "
                   f"{dataset.num_px} × {dataset.channels}. Train on this dataset first.",
                   icon=":material/warning:")
    st.button("Train with the defaults", type="primary", on_click=_train_defaults,
              help="2000 iterations, learning rate 0.005, pixels divided by 255.")
    return None


def classify(digest, name, data, model):
    """Draw one image's result; returns its table row or None when it is not usable."""
    try:
        array = image_to_array(data, model.num_px, model.channels, name=name)
        original = to_mode(open_image(data, name), 3)
    except ImageError as exc:
        st.error(f"{exc}", icon=":material/error:")
        return None
    original.thumbnail((PREVIEW_PX * 2, PREVIEW_PX * 2))
    p = float(model.probabilities_of_images(array[np.newaxis])[0])
    label = dataset.classes[int(p > 0.5)]
    with st.container(border=True):
        c1, c2, c3 = st.columns([1, 1, 1.6], vertical_alignment="center", gap="medium")
        c1.image(original, caption=f"your picture: {name}", width="stretch")
        c2.image(figures.upscaled(array, PREVIEW_PX), width="stretch", output_format="PNG",
                 caption=f"what the model sees: {model.num_px} × {model.num_px}")
        with c3:
            sure = p if p > 0.5 else 1 - p
            st.markdown(f"### {label}")
            st.markdown(f"P({dataset.classes[1]}) = **{p:.4f}** — {sure:.1%} sure it is "
                        f"*{label}*")
            st.plotly_chart(figures.probability_bar(p, dataset.classes),
                            key=f"bar_{digest}")
    return {"file": name, "prediction": label, f"P({dataset.classes[1]})": round(p, 4)}


if dataset is not None:
    left, right = st.columns([3, 2])
    with left:
        uploads = st.file_uploader("Upload images", type=IMAGE_TYPES, accept_multiple_files=True,
                                   key="classify_upload",
                                   help="PNG, JPEG, WebP, BMP or GIF; several at once is fine.")
    with right:
        with st.expander("Take a photo with the camera", icon=":material/photo_camera:"):
            camera = st.camera_input("Camera", key="classify_camera",
                                     label_visibility="collapsed")
    stored = collect(uploads, camera)
    if stored and st.button("Clear images", icon=":material/delete:"):
        stored.clear()
        st.session_state[CLEARED].update(
            u.file_id for u in list(uploads or []) + ([camera] if camera else []))
        st.rerun()
    model = model_or_offer()
    if model is not None:
        st.caption(f"Model: {model.num_iterations:,} iterations, learning rate "
                   f"{model.learning_rate:g}, {model.scaler.mode}. Every picture is turned "
                   f"upright, flattened onto white if transparent, converted to "
                   f"{'RGB' if model.channels == 3 else 'grayscale'} and resized to "
                   f"{model.num_px} × {model.num_px} with Lanczos filtering.")
        if not stored:
            st.info("Upload one or more pictures above to classify them.", icon=":material/image:")
        rows = [row for digest, (name, data) in stored.items()
                if (row := classify(digest, name, data, model)) is not None]
        if rows:
            st.subheader("All results")
            st.dataframe(rows, hide_index=True)
            st.caption("A linear model on 64 × 64 pixels trained on a couple of hundred images "
                       "is easily fooled: colours and backgrounds matter to it as much as "
                       "shapes. Try a few photos and see where it goes wrong.")
