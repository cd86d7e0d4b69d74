"""Page config and sidebar for every page, even when Streamlit runs a page without app.py.

Streamlit treats a ``pages/`` folder next to the entry point as an old-style (v1)
multipage app until ``st.navigation`` has run once in the process, and AppTest resets
that flag before every run. In that mode a page file runs on its own, without app.py,
so each page calls :func:`page_setup` which draws what app.py would have drawn and
switches the process to ``st.navigation`` for the following runs.
"""
import pathlib
import sys

# Imported here, once, before any session runs: plotly uses pandas when it finds it in
# sys.modules, and st.dataframe imports it on first use, so a session drawing a chart while
# another drew the first table got the half-made module ("partially initialized module
# 'pandas' has no attribute 'Series'": four Network pages trained at once on a new server).
import pandas  # noqa: F401
import streamlit as st

from . import sidebar, strip
from ..display import presenter
from ..session import allocator, guard, i18n
from ..session.i18n import t

allocator.tune()   # once per process, when the first page imports this module
guard.keep_shared_caches()
guard.bound_uploads()
allocator.freeze_imports()

PAGE_CONFIG = dict(page_title="logreg studio", page_icon="🐱", layout="wide",
                   initial_sidebar_state="auto")


def _pages_manager():
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a future Streamlit without the v1 mode
        return None
    return PagesManager


def page_config():
    """The page config; a projector needs the whole width, so presenter mode opens with the
    sidebar closed ("auto" already closes it on a phone)."""
    return dict(PAGE_CONFIG, initial_sidebar_state="collapsed" if presenter.presenting()
                else "auto")


def render_shell(page=None):
    """What app.py draws around every page: the page config, the shared styles and sidebar
    (``page``: the open page's url path, e.g. "train").

    Returns the sidebar's slot for the class link, which app.py fills after the page ran."""
    st.set_page_config(**page_config())
    with st.sidebar:
        st.markdown("### :material/pets: logreg studio")
        i18n.switch()   # first: everything below is drawn in the language it settles
        st.caption(t("Logistic regression with a neural-network mindset, trained live in numpy."))
        presenter.sidebar_controls()
        link_slot = st.container()
    presenter.inject_styles()
    sidebar.render(page)
    strip.render(page)
    return link_slot


_switched = False  # whether this process already restarted a run into st.navigation mode


def page_setup():
    """Call first in every page: draw the shell if app.py did not run in this script run.

    The first time it happens in a process (a fresh server whose first visitor opens
    ``/train`` directly), the run restarts so app.py builds the real navigation. After
    that, only AppTest runs pages alone, and they get the sidebar drawn here.
    """
    global _switched
    manager = _pages_manager()
    if manager is None or not getattr(manager, "uses_pages_directory", None):
        return
    manager.uses_pages_directory = False
    if not _switched:
        _switched = True
        st.rerun()
    # The calling page's file name is its URL path (data.py's /data too).
    page = pathlib.Path(sys._getframe(1).f_code.co_filename).stem
    link_slot = render_shell(page)
    # Drawn before the page ran, so the link has the settings of the previous run.
    with link_slot:
        presenter.copy_link(page)
