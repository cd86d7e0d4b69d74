"""Whether the browser will let this page use the camera, and what to do when it will not.

Browsers give the camera only to a secure page: one served over HTTPS, or from this very
computer (localhost). On a school network a student opening ``http://<server>:8501`` sees
the camera widget ask for a permission that never comes; the page says why instead.
"""
from urllib.parse import urlsplit

import streamlit as st

from ..session.i18n import t

LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
TLS_COMMAND = "deploy/classroom.sh --replicas 2 --port 8443 --tls"   # all three are required


def is_secure(url, forwarded_proto=None):
    """Whether a page at ``url`` is a secure context (HTTPS, or a localhost address)."""
    parts = urlsplit(url or "")
    scheme = (forwarded_proto or parts.scheme or "").split(",")[0].strip().lower()
    host = (parts.hostname or "").lower()
    if not host:
        return True     # nothing to judge by: say nothing rather than something wrong
    return scheme == "https" or host in LOCAL_HOSTS or host.endswith(".localhost") \
        or host.startswith("127.")


def page_url():
    """(the page's URL as the browser sees it, the proxy's X-Forwarded-Proto or None)."""
    try:
        url = st.context.url
    except Exception:    # no browser behind this run (a test's script run)
        url = None
    try:
        headers = st.context.headers or {}
        if not url and headers.get("Host"):
            url = f"http://{headers['Host']}/"
        proto = headers.get("X-Forwarded-Proto")
    except Exception:
        proto = None
    return url, proto


def explain_if_blocked():
    """Say why the camera cannot work on this page and how to make it work; True if blocked."""
    if is_secure(*page_url()):
        return False
    st.warning(t("Your browser will not open the camera here: browsers allow it only on "
                 "pages served over HTTPS or from this computer (localhost). Upload a photo "
                 "instead, or ask whoever runs the app to start it with HTTPS: `{command}`.",
                 command=TLS_COMMAND), icon=":material/no_photography:")
    return True
