"""The Data page's first line: what is loaded, and the one-click, verified cat download."""
import streamlit as st

from logreg import catalog, download

from . import datasets, escape, state

CAT_KEY = "file:catvnoncat"


def render_download(key, dataset):
    """One glance for the top of the Data page: what is loaded, and how to get the cat data."""
    loaded = ""
    if dataset is not None:
        colour = "colour" if dataset.channels == 3 else "grayscale"
        title = escape.markdown(datasets.options().get(key, key))
        loaded = (f"Showing **{title}**: {dataset.m_train} training "
                  f"and {dataset.m_test} test images, {dataset.num_px} × {dataset.num_px} "
                  f"pixels, {colour}. ")
    pairs = catalog.available()
    if "catvnoncat" in pairs:
        where = "The course's cat data is on this machine"
        if key == CAT_KEY:
            st.success(f"{loaded}{where}.", icon="🐱")
        else:
            st.info(f"{loaded}{where}: pick **{catalog.title('catvnoncat')}** in the sidebar.",
                    icon="🐱")
        return
    st.info(f"{loaded}The course's 209 + 50 cat / non-cat images (about 3 MB) are not on this "
            f"machine yet: download them in one click (each file is checked against its "
            f"pinned sha256), or run `python -m logreg data download`.",
            icon=":material/download:")
    if st.button("Download the cat data", type="primary", key="download_cat_data",
                 icon=":material/pets:"):
        _download()


def _download():
    bar = st.progress(0.0, text="Connecting…")

    def show(done, total, file_name):
        fraction = min(done / total, 1.0) if total else 0.0
        bar.progress(fraction, text=f"{file_name}: {done / 1e6:.1f} of {total / 1e6:.1f} MB")

    try:
        result = download.download(catalog.PROJECT_DATA_DIR, progress=show)
    except download.DownloadError as exc:
        bar.empty()
        st.error(f"Download failed: {exc}.", icon=":material/error:")
        return
    bar.progress(1.0, text="Verified.")
    datasets.select(CAT_KEY)
    source = f" from {result.mirror.host}" if result.mirror else ""
    state.flash("success", f"Downloaded the cat data{source} (sha256 verified): now using "
                           f"{catalog.title('catvnoncat')}.")
    st.rerun()
