"""The Data page's first line: what is loaded, and the one-click, verified cat download."""
import streamlit as st

from logreg import catalog, download

from ..session import datasets, escape, state, turns, words
from ..session.i18n import t

CAT_KEY = "file:catvnoncat"


def render_download(key, dataset):
    """One glance for the top of the Data page: what is loaded, and how to get the cat data."""
    loaded = ""
    if dataset is not None:
        colour = t("colour") if dataset.channels == 3 else t("greyscale")
        title = escape.markdown(datasets.options().get(key, key))
        loaded = t("Showing **{title}**: {images}, {num_px} × {num_px} pixels, {colour}.",
                   title=title, images=words.images(dataset.m_train, dataset.m_test),
                   num_px=dataset.num_px, colour=colour) + " "
    pairs = catalog.available()
    if "catvnoncat" in pairs:
        if key == CAT_KEY:   # its title already names it: one line, also on a projector
            st.success(loaded.strip(), icon="🐱")
        else:
            st.info(loaded + t("The course's cat data is on this machine: pick **{title}** in "
                               "the sidebar.", title=words.dataset_title("catvnoncat")),
                    icon="🐱")
        return
    st.info(loaded + t("The course's 209 + 50 cat / non-cat images (about 3 MB) are not on "
                       "this machine yet: download them in one click (each file gets a "
                       "fingerprint check, so a damaged or altered copy is refused), or run "
                       "`python -m logreg data download`."),
            icon=":material/download:")
    if st.button(t("Download the cat data"), type="primary", key="download_cat_data",
                 icon=":material/pets:",
                 help=t("Each file's SHA-256 digest is compared with the one pinned in "
                        "`logreg/mirrors.json` before it is used.")):
        _download()


def _download():
    bar = st.progress(0.0, text=t("Connecting…"))

    def show(done, total, file_name):
        fraction = min(done / total, 1.0) if total else 0.0
        bar.progress(fraction, text=t("{file}: {done:.1f} of {total:.1f} MB", file=file_name,
                                      done=done / 1e6, total=total / 1e6))

    try:
        with turns.pause():   # waiting for the network: other sessions' runs go on
            result = download.download(catalog.PROJECT_DATA_DIR, progress=show)
    except download.DownloadError as exc:
        bar.empty()
        st.error(t("The cat data could not be downloaded; most often the internet connection "
                   "is the cause, so try again in a moment. The built-in faces dataset still "
                   "works."), icon=":material/error:")
        with st.expander(t("What went wrong, in detail")):
            # The reason, without the server's own folders (not a visitor's business).
            st.code(str(exc).replace(str(catalog.PROJECT_DATA_DIR), "data"), language=None,
                    wrap_lines=True)
        return
    bar.progress(1.0, text=t("Verified."))
    datasets.select(CAT_KEY)
    title = words.dataset_title("catvnoncat")
    if result.mirror:
        message = t("Downloaded the cat data from {host} and checked its fingerprint: now "
                    "using {title}.", host=result.mirror.host, title=title)
    else:
        message = t("Downloaded the cat data and checked its fingerprint: now using {title}.",
                    title=title)
    state.flash("success", message)
    st.rerun()
