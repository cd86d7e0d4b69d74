"""The server's start: the app runs once before the first visitor arrives.

``streamlit run app.py`` finds app.py's ``st.App`` and serves it, with this lifespan.
Streamlit runs none of the app until a session asks for it, so a fresh server's first
visitor used to pay for the imports (plotly, pandas, h5py, Streamlit's elements), the
data and the pixel summaries: about 1.1 s of the server's CPU, and 2.2 s to a ready page
against 1.4 s for the next visitor. It also got Streamlit's automatic ``pages/``
navigation (studio.frame.shell's workaround). Here the server runs the app once, as its
own /_stcore/script-health-check does, before it answers /_stcore/health: a server that
says it is up is warm.
"""
import contextlib
import time

from streamlit.logger import get_logger

_LOG = get_logger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app):
    from streamlit.runtime import Runtime

    started = time.perf_counter()
    ok, outcome = await Runtime.instance().does_script_run_without_error()
    seconds = time.perf_counter() - started
    if ok:
        _LOG.info("ran the app once before the first visitor (%.1f s)", seconds)
    else:   # not fatal: a visitor's own run shows the error where it can be read
        _LOG.warning("the warm-up run of the app failed (%s after %.1f s)", outcome, seconds)
    yield
