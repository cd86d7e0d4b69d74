"""Data: the course's first step, "figure out the dimensions", and a look at the images."""
import math

import streamlit as st

from studio import (builder_section, datasets, download_section, escape, figures, pair_upload,
                    shell, welcome)

THUMB_PX = 160
PAGE_SIZES = (12, 24, 48)

shell.page_setup()
st.title("Data")
st.caption("Step one of the course: know your data. How many images, how big, which classes, "
           "and what the model will actually receive as input.")

welcome.render("pages/train.py")

key, dataset = datasets.active_dataset()
download_section.render_download(key, dataset)


def dimensions(dataset):
    st.header("Figure out the dimensions")
    with st.container(key="row_dimensions"):   # a grid on a phone, not five rows
        cols = st.columns(5)
    cols[0].metric("m_train", dataset.m_train, help="number of training examples")
    cols[1].metric("m_test", dataset.m_test, help="number of test examples")
    cols[2].metric("num_px", dataset.num_px, help="height = width of each image, in pixels")
    cols[3].metric("channels", dataset.channels, help="3 for colour (RGB), 1 for grayscale")
    cols[4].metric("features n_x", f"{dataset.n_features:,}",
                   help="num_px × num_px × channels: one input per pixel value")
    left, right = st.columns(2)
    with left:
        st.markdown("**As the course prints it**")
        st.code(
            f"Number of training examples: m_train = {dataset.m_train}\n"
            f"Number of testing examples: m_test = {dataset.m_test}\n"
            f"Height/Width of each image: num_px = {dataset.num_px}\n"
            f"Each image is of size: ({dataset.num_px}, {dataset.num_px}, {dataset.channels})\n"
            f"train_set_x shape: {dataset.train_set_x_orig.shape}\n"
            f"train_set_y shape: {dataset.train_set_y.shape}\n"
            f"test_set_x shape: {dataset.test_set_x_orig.shape}\n"
            f"test_set_y shape: {dataset.test_set_y.shape}",
            language=None)
    with right:
        st.markdown("**After flattening**")
        st.code(
            f"# one column per image\n"
            f"X = train_set_x_orig.reshape(m_train, -1).T\n"
            f"train_set_x_flatten shape: ({dataset.n_features}, {dataset.m_train})\n"
            f"test_set_x_flatten shape: ({dataset.n_features}, {dataset.m_test})",
            language="python")
        st.markdown(
            f"Each {dataset.num_px} × {dataset.num_px} × {dataset.channels} image becomes a "
            f"column of **{dataset.n_features:,} numbers**. The model learns one weight per "
            f"number, plus one bias.")

    st.subheader("Classes and balance")
    train_counts, test_counts = dataset.class_counts("train"), dataset.class_counts("test")
    left, right = st.columns([2, 3])
    with left:
        names = [escape.markdown(c) for c in dataset.classes]
        st.markdown(f"- label **0** = **{names[0]}**\n- label **1** = **{names[1]}**")
        share = train_counts[1] / max(train_counts.sum(), 1)
        st.markdown(
            f"In training, {train_counts[1]} of {train_counts.sum()} images "
            f"({share:.0%}) are *{names[1]}*. A model that always answers "
            f"*{names[int(share >= 0.5)]}* (the larger class) would already be right "
            f"{max(share, 1 - share):.0%} of the time — the bar to beat.")
    with right:
        st.plotly_chart(figures.class_balance(train_counts, test_counts, dataset.classes),
                        key="class_balance")


def gallery(dataset):
    st.header("The images")
    c1, c2, c3 = st.columns([1, 2, 1])
    split = c1.segmented_control("Split", ["train", "test"], default="train",
                                 key="gallery_split", required=True)
    # Labels, not names, are the options: a class may be called "all".
    chosen = c2.segmented_control(
        "Show class", ["all", 0, 1], default="all", key="gallery_class", required=True,
        format_func=lambda o: o if o == "all" else escape.markdown(dataset.classes[o]))
    per_page = c3.selectbox("Images per page", PAGE_SIZES, key="gallery_size")
    images, labels = dataset.images(split), dataset.labels(split)
    indices = dataset.indices(split, None if chosen == "all" else chosen)
    pages = max(1, math.ceil(len(indices) / per_page))
    if st.session_state.get("gallery_page", 1) > pages:
        st.session_state["gallery_page"] = 1
    left, right = st.columns([1, 3])
    page = left.number_input(f"Page (of {pages})", min_value=1, max_value=pages, step=1,
                             key="gallery_page")
    labelled = "" if chosen == "all" else f" labelled {escape.markdown(dataset.classes[chosen])}"
    right.caption(f"\n\n{len(indices)} {split} images{labelled} · "
                  f"showing {min((page - 1) * per_page + 1, len(indices))}–"
                  f"{min(page * per_page, len(indices))}. Images are enlarged with "
                  f"nearest-neighbour so every one of the {dataset.num_px} × {dataset.num_px} "
                  f"pixels stays visible.")
    shown = indices[(page - 1) * per_page: page * per_page]
    # One list: Streamlit wraps it into as many columns as the screen holds.
    st.image([figures.upscaled(images[i], THUMB_PX) for i in shown], width=THUMB_PX,
             caption=[f"#{i} · y = {labels[i]} ({escape.markdown(dataset.classes[labels[i]])})"
                      for i in shown], output_format="PNG")


def histograms(key, dataset):
    st.header("Pixel values: raw vs scaled")
    panels = datasets.pixel_summaries(key)
    st.plotly_chart(figures.pixel_histograms(panels), key="pixel_histograms")
    raw, z = panels["raw"], panels["zscore"]
    st.markdown(
        f"Raw pixels lie between 0 and 255 (mean {raw.mean:.1f}, standard deviation "
        f"{raw.std:.1f}). Dividing by 255 squeezes them into [0, 1]; the z-score subtracts "
        f"each pixel's training mean and divides by its standard deviation, so every input is "
        f"centred on 0 with spread 1 (here mean {abs(z.mean):.2f}, std {z.std:.2f}). "
        f"The **Normalization** page shows what this does to training.")


if dataset is not None:
    dimensions(dataset)
    st.divider()
    gallery(dataset)
    st.divider()
    histograms(key, dataset)
    st.divider()

st.header("Get more data")
pair_upload.render_upload_pair()
builder_section.render_builder()
