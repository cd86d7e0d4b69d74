"""What one browser may not do to the whole process.

Streamlit clears every cache of the process, and so every student's, when any browser
sends its ``clear_cache`` message: the developer menu's "Clear cache", which any client
can send without the menu (issue 24: a classmate's cached rerun went from 0.28 s to
3.46 s). Outside Streamlit's development mode the message now does nothing.
"""
from streamlit import config
from streamlit.runtime.app_session import AppSession

_clear_everyones_caches = AppSession._handle_clear_cache_request


def _clear_caches_in_development_only(session):
    if config.get_option("global.developmentMode"):
        _clear_everyones_caches(session)


def keep_shared_caches():
    """Make a browser's ``clear_cache`` message a no-op outside development mode (once per
    process; calling it again changes nothing)."""
    AppSession._handle_clear_cache_request = _clear_caches_in_development_only
