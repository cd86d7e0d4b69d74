"""Data: the course's first step, "figure out the dimensions", and a look at the images."""
import math

import streamlit as st
from PIL import Image

from studio.display import figures, presenter
from studio.frame import shell
from studio.sections import builder_section, download_section, pair_upload, welcome
from studio.session import datasets, escape, words
from studio.session.i18n import language, t, tn

THUMB_PX = 160
PAGE_SIZES = (12, 24, 48)

shell.page_setup()
st.title(t("Data"))
if not presenter.presenting():   # on a projector the room goes to the shapes and the pictures
    st.caption(t("Step one of the course: know your data. How many images, how big, which "
                 "classes, and what the model will actually receive as input."))
    welcome.render("pages/train.py")

key, dataset = datasets.active_dataset()
download_section.render_download(key, dataset)


def dimensions(dataset):
    st.header(t("Figure out the dimensions"))
    with st.container(key="row_dimensions"):   # a grid on a phone, not five rows
        cols = st.columns(5)
    # The course's variable names, shown as code: the names a learner meets in the notebook.
    cols[0].metric("`m_train`", dataset.m_train, help=t("number of training examples"))
    cols[1].metric("`m_test`", dataset.m_test, help=t("number of test examples"))
    cols[2].metric("`num_px`", dataset.num_px,
                   help=t("height = width of each image, in pixels"))
    cols[3].metric(t("channels"), dataset.channels,
                   help=t("3 for colour (red, green, blue), 1 for greyscale"))
    cols[4].metric(t("features `n_x`"), f"{dataset.n_features:,}",
                   help=t("`num_px` × `num_px` × channels: one input per pixel value"))


def printouts(dataset):
    """The shapes as the course prints them, after flattening, and the classes' balance."""
    left, right = st.columns(2)
    with left:
        st.markdown(t("**As the course prints it**"))
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
        st.markdown(t("**After flattening**"))
        comment = t("one column per image")
        st.code(
            f"# {comment}\n"
            f"X = train_set_x_orig.reshape(m_train, -1).T\n"
            f"train_set_x_flatten shape: ({dataset.n_features}, {dataset.m_train})\n"
            f"test_set_x_flatten shape: ({dataset.n_features}, {dataset.m_test})",
            language="python")
        st.markdown(t(
            "Each {num_px} × {num_px} × {channels} image becomes a column of **{n_x:,} "
            "numbers**. The model learns one weight per number, plus one bias.",
            num_px=dataset.num_px, channels=dataset.channels, n_x=dataset.n_features))

    st.subheader(t("Classes and balance"))
    train_counts, test_counts = dataset.class_counts("train"), dataset.class_counts("test")
    left, right = st.columns([2, 3])
    with left:
        names = [escape.markdown(c) for c in words.classes(dataset.classes)]
        st.markdown("\n".join(t("- label **{label}** = **{name}**", label=label,
                                  name=names[label]) for label in (0, 1)))
        share = train_counts[1] / max(train_counts.sum(), 1)
        st.markdown(t(
            "In training, *{name}* makes up {share:.0%} of the images ({count} of {total}). A "
            "model that always answers *{larger}* (the larger class) would already be right "
            "{right:.0%} of the time — the bar to beat.", count=int(train_counts[1]),
            total=int(train_counts.sum()), share=share, name=names[1],
            larger=names[int(share >= 0.5)], right=max(share, 1 - share)))
    with right:
        presenter.chart(figures.data.class_balance(train_counts, test_counts,
                                              words.classes(dataset.classes)),
                        key="class_balance")


def gallery(key, dataset):
    st.header(t("The images"))
    c1, c2, c3 = st.columns([1, 2, 1])
    splits = {"train": t("training"), "test": t("test")}
    split = c1.segmented_control(t("Split"), list(splits), default="train",
                                 key="gallery_split", required=True, format_func=splits.get)
    # Labels, not names, are the options: a class may be called "all". The shown words are
    # settled in this run (Streamlit may format options outside it).
    names = [escape.markdown(c) for c in words.classes(dataset.classes)]
    shown_classes = {"all": t("all"), **dict(enumerate(names))}
    chosen = c2.segmented_control(
        t("Show class"), ["all", 0, 1], default="all", key="gallery_class", required=True,
        format_func=shown_classes.get)
    per_page = c3.selectbox(t("Images per page"), PAGE_SIZES, key="gallery_size")
    images, labels = dataset.images(split), dataset.labels(split)
    indices = dataset.indices(split, None if chosen == "all" else chosen)
    pages = max(1, math.ceil(len(indices) / per_page))
    if st.session_state.get("gallery_page", 1) > pages:
        st.session_state["gallery_page"] = 1
    left, right = st.columns([1, 3])
    page = left.number_input(t("Page (of {pages})", pages=pages), min_value=1,
                             max_value=pages, step=1, key="gallery_page")
    first, last = min((page - 1) * per_page + 1, len(indices)), min(page * per_page,
                                                                     len(indices))
    if chosen == "all":
        count = tn("{count} {split} image", "{count} {split} images", count=len(indices),
                   split=splits[split])
    else:
        count = tn("{count} {split} image labelled {name}", "{count} {split} images labelled "
                   "{name}", count=len(indices), split=splits[split],
                   name=names[chosen])
    if not len(indices):   # a class with no pictures in this split: nothing is shown
        right.caption("\n\n" + count + ".")
    else:
        right.caption("\n\n" + t("{count} · showing {first}–{last}. Images are enlarged "
                                  "without smoothing, so every one of the {num_px} × {num_px} "
                                  "pixels stays visible.", count=count, first=first, last=last,
                                  num_px=dataset.num_px),
                      help=t("Nearest-neighbour enlargement: each pixel becomes a square "
                             "block."))
    shown = indices[(page - 1) * per_page: page * per_page]
    found = datasets.identity(key)
    # One list: Streamlit wraps it into as many columns as the screen holds.
    st.image([thumbnail(found, split, i, images[i]) for i in shown], width=THUMB_PX,
             caption=[f"#{i} · y = {labels[i]} ({names[labels[i]]})"
                      for i in shown], output_format="PNG")


@st.cache_data(max_entries=1024, show_spinner=False)
def _thumbnail_png(found, split, index, _image):
    return _png(_image)


def thumbnail(found, split, index, image):
    """Picture ``index`` of ``split`` enlarged without smoothing, as PNG bytes: encoded once
    for every session when the dataset is on disk (``found``: datasets.identity), since
    encoding a page of them was a third of each visit of this page."""
    if found is None:
        return _png(image)
    return _thumbnail_png(found, split, int(index), image)


def _png(image):
    return figures.base.png_bytes(Image.fromarray(figures.base.upscaled(image, THUMB_PX)))


@st.cache_resource(max_entries=16, show_spinner=False)
def histogram_charts(panels, lang):
    """The histograms of a dataset's pixel summaries, one chart per scaling (side by side,
    stacked on a phone; its content is the cache key), built once for every session and
    language: 0.2 s of every run of this page otherwise."""
    return [figures.base.FrozenFigure(figures.data.pixel_histograms({mode: panel}))
            for mode, panel in panels.items()]


def histograms(key, dataset):
    st.header(t("Pixel values: raw vs scaled"))
    panels = datasets.pixel_summaries(key)
    charts = histogram_charts(panels, language())
    for column, mode, chart in zip(st.columns(len(charts)), panels, charts):
        presenter.chart(chart, where=column, key=f"pixel_histograms_{mode}")
    raw, z = panels["raw"], panels["zscore"]
    st.markdown(t(
        "Raw pixels lie between 0 and 255 (mean {raw_mean:.1f}, standard deviation "
        "{raw_std:.1f}). Dividing by 255 squeezes them into [0, 1]; standardizing subtracts "
        "each pixel's training mean and divides by its standard deviation, so every input is "
        "centred on 0 with spread 1 (here mean {z_mean:.2f}, standard deviation {z_std:.2f}). "
        "The **Normalization** page shows what this does to training.",
        raw_mean=raw.mean, raw_std=raw.std, z_mean=abs(z.mean), z_std=z.std))


if dataset is not None:
    dimensions(dataset)
    if presenter.presenting():   # a projector's first screen: the shapes, then the pictures
        gallery(key, dataset)
        st.divider()
        printouts(dataset)
    else:
        printouts(dataset)
        st.divider()
        gallery(key, dataset)
    st.divider()
    histograms(key, dataset)
    st.divider()

st.header(t("Get more data"))
pair_upload.render_upload_pair()
builder_section.render_builder()
