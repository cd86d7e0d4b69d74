"""Every chart of the app as a pure function returning a plotly figure (no Streamlit here),
one module per page (``base`` holds what they share).

Tests call these directly; pages only pass them data and hand the result to
``st.plotly_chart``. Their words (titles, axes, legends, hover texts) are in the session's
language (:func:`studio.session.i18n.t`); a figure cached across reruns is kept per language.
"""
from . import base, board, data, inspector, network, normalization, train  # noqa: F401
