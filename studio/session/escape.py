"""User-supplied text (class names, file and folder names, dataset names) shown as text.

Streamlit renders Markdown in st.markdown, captions, alerts, image captions and widget
labels, and plotly renders a little HTML in chart text. A class name such as
``![](http://host/x.png)`` would otherwise make every viewer's browser fetch that URL, so
anything a person typed or uploaded goes through one of these before it is shown.
"""
import html
import re

# Every ASCII character Markdown or Streamlit's extensions give a meaning to.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$=^&])")
# A word joiner: invisible, and it breaks the patterns that survive backslash escapes.
_JOINER = "\u2060"
# A colon that opens ":smile:" or ":material/home:" (their inner '-' is escaped by then).
_SHORTCODE = re.compile(r":(?=[\w/+\\-]+:)")


def markdown(text):
    """``text`` escaped so Markdown shows it literally, on one line."""
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    # Backslashes do not stop Streamlit's ":icon:" shortcodes or GFM's bare "http://" and
    # "www." links (checked in Chromium); a joiner inside just those patterns does, and
    # leaves every other colon as it was (a copied message stays the same text).
    text = _SHORTCODE.sub(":" + _JOINER, text).replace("://", ":" + _JOINER + "//")
    return text.replace("www", "ww" + _JOINER + "w")


def plotly(text):
    """``text`` escaped for plotly titles, labels and legends (which read a little HTML)."""
    return html.escape(" ".join(str(text).split()))
