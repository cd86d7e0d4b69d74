"""Fitting the room: presenter mode, controls a link can hide, the link for a class, and the
page styles every page shares (larger type on a projector, phones, the focus ring).

A teacher shares ``/train?present=1&hide=scaling,speed&lang=ko``: the page opens with large
type, the sidebar closed and only the controls the lesson needs (like TensorFlow
Playground's hide flags). Both are read from the URL once per session and then live in the
session (Streamlit drops unbound URL parameters on a page switch); every run writes them
back into the address bar.
"""
import html
import json
import pathlib
import urllib.parse

import streamlit as st

from . import figures
from ..session import i18n, state
from ..session.i18n import t

PRESENT_KEY = "present"   # the presenter switch's widget key and its URL parameter
HIDE_PARAM = "hide"       # ?hide=scaling,speed
# Presenter mode's body text in px (1.2rem): printouts, inputs, table cells and every chart's
# ticks, axis titles and legends are drawn at least this large (assets/presenter.css reads
# it as --studio-body, figures.base.large takes it).
BODY_PX = 19


def hideable():
    """Every control a link can hide, {flag: what it is}: the one list of flag names."""
    return {"iterations": t("Iterations"), "lr": t("Learning rate"), "scaling": t("Scaling"),
            "speed": t("Speed"), "step": t("One step by hand"),
            "params": t("Save or load parameters")}


def parse_hidden(text):
    """The known flags in a ``hide=`` value ("scaling, speed" → ("scaling", "speed")), in the
    order of :func:`hideable`; unknown names are ignored."""
    asked = {part.strip().lower() for part in (text or "").split(",")}
    return tuple(flag for flag in hideable() if flag in asked)


def hidden():
    """The flags hidden in this session: the multiselect's value, seeded from ``?hide=``."""
    if state.HIDDEN not in st.session_state:
        st.session_state[state.HIDDEN] = list(parse_hidden(st.query_params.get(HIDE_PARAM)))
    return tuple(st.session_state[state.HIDDEN])


def shows(flag):
    """Whether the control named ``flag`` (a key of :func:`hideable`) is drawn."""
    return flag not in hidden()


def presenting():
    """Whether presenter mode is on: the switch, else ``?present=1`` (or ``true``)."""
    if PRESENT_KEY not in st.session_state:
        # The switch understands "true"; "1" is what people type, so seed it from either.
        st.session_state[PRESENT_KEY] = (st.query_params.get(PRESENT_KEY, "").lower()
                                         in ("1", "true", "yes", "on"))
    return bool(st.session_state[PRESENT_KEY])


def sidebar_controls():
    """The presenter switch and, while presenting, which controls to hide; in the sidebar.

    Both are mirrored into the URL on every run (not bound to it: a bound switch reads
    only "true", and ``?present=1`` is what people type), so the address bar is the link."""
    presenting()
    hidden()
    st.toggle(t("Presenter mode"), key=PRESENT_KEY, persist_state="session",
              help=t("Large type and a layout that fits a projector (1280 × 720). "
                     "A link with `?present=1` opens the app this way."))
    if st.session_state[PRESENT_KEY] or hidden():
        flags = hideable()
        st.multiselect(t("Hide these controls"), list(flags), key=state.HIDDEN,
                       format_func=flags.get, persist_state="session",
                       help=t("Fewer controls for a lesson; the link below keeps this choice."))
    _mirror(PRESENT_KEY, "1" if st.session_state[PRESENT_KEY] else None)
    _mirror(HIDE_PARAM, ",".join(hidden()) or None)


def _mirror(name, value):
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def class_link(base_url, page_path, query, lang, present, hide):
    """The address that opens this page, with its settings, language and presenter flags.

    Parameters
    ----------
    base_url : str
        Any URL of the app (``st.context.url``); only its scheme and host are used.
    page_path : str
        The page's URL path, "" for the first page.
    query : mapping
        The page's own URL parameters (its settings, e.g. iterations, lr, scaling).
    """
    parts = urllib.parse.urlsplit(base_url or "http://localhost:8501/")
    params = {name: value for name, value in query.items()
              if name not in (i18n.KEY, PRESENT_KEY, HIDE_PARAM)}
    params[i18n.KEY] = lang
    if present:
        params[PRESENT_KEY] = "1"
    if hide:
        params[HIDE_PARAM] = ",".join(hide)
    path = "/" + page_path.strip("/")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path,
                                    urllib.parse.urlencode(params, safe=","), ""))


def copy_link(page_path):
    """The "Copy link for your class" button, and the link itself to copy by hand.

    Drawn after the page ran, so the settings it mirrored into the URL are in the link."""
    url = class_link(st.context.url, page_path, st.query_params.to_dict(), i18n.language(),
                     presenting(), hidden())
    label, done = t("Copy link for your class"), t("Copied")
    # navigator.clipboard needs https or localhost; a classroom server on a LAN address
    # has neither, so the old execCommand path is the fallback, and the link is shown too.
    st.html(f"""
<button class="studio-copy" id="studio-copy" type="button" data-url="{_html(url)}"
        data-done="{_html(done)}">{_html(label)}</button>
<script>{COPY_JS}</script>""", unsafe_allow_javascript=True)
    with st.expander(t("Show the link")):
        st.code(url, language=None, wrap_lines=True)
    return url


def _html(text):
    return html.escape(text, quote=True)


# ------------------------------------------------------------------ styles and keyboard

ASSETS = pathlib.Path(__file__).resolve().parents[1] / "assets"
CSS = (ASSETS / "studio.css").read_text(encoding="utf-8")
PRESENTER_CSS = (ASSETS / "presenter.css").read_text(encoding="utf-8")
COPY_JS = (ASSETS / "copy-link.js").read_text(encoding="utf-8")
# A skip link as the first thing Tab reaches: it moves the focus to the page's main button
# (the first primary button, Train on the Train page) without walking through the sidebar.
# On a phone, tapping a page in the sidebar closes the sidebar.
# The focus keeper: when a button the person just used becomes disabled (Stop after a
# click), the focus falls to the page body; it goes to the next usable control of the
# same row instead (Resume, the nearest: a rerun that reaches the page in pieces gets a
# stand-in for a frame), so the keyboard keeps its place.
KEYBOARD_JS = (ASSETS / "keyboard.js").read_text(encoding="utf-8")
STREAMLIT_WORDS_JS = (ASSETS / "streamlit-words.js").read_text(encoding="utf-8")


def streamlit_words():
    """Streamlit's own words, English in its code (its file uploader's and camera's, 1.65
    to 1.67), as this session's language says them: {as Streamlit writes it: ours}."""
    return {"Drag and drop files here": t("Drag and drop files here"),
            "Drag and drop a file here": t("Drag and drop a file here"),
            "Drag and drop directories here": t("Drag and drop folders here"),
            "Upload": t("Upload"), "Add files": t("Add files"),
            "Upload directories": t("Upload folders"),
            "{size} per file": t("{size} per file"),
            "Take Photo": t("Take Photo"), "Clear photo": t("Clear photo"),
            "Switch camera": t("Switch camera"), "Uploading...": t("Uploading…"),
            "This app would like to use your camera.": t("This app would like to use your "
                                                         "camera."),
            "Learn how to allow access.": t("Learn how to allow access.")}


def text_size():
    """The text size in px a chart is laid out for: presenter mode's body size, else None
    (plotly's own)."""
    return BODY_PX if presenting() else None


def chart(figure, where=None, **options):
    """``st.plotly_chart`` (in ``where``, a container, or the page), with every text of the
    chart at least the body size in presenter mode."""
    if presenting():
        figure = figures.base.large(figure, BODY_PX)
    return (where or st).plotly_chart(figure, **options)


def table(rows, key, **options):
    """A table that fits the room: ``st.dataframe`` (sorting, resizing, a CSV download) on a
    desktop, and the same rows in HTML, which the styles show instead on a phone (a card per
    row, no sideways scrolling) and in presenter mode (cells at the body size).

    ``rows``: a list of {column: value}; ``options`` go to ``st.dataframe``."""
    with st.container(key=f"table_{key}"):
        st.dataframe(rows, hide_index=True, **options)
        st.html(table_html(rows))


def table_html(rows):
    """``rows`` ({column: value} each) as an HTML table whose cells carry their column's name
    (``data-label``, the card's labels on a phone); every value is escaped."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    head = "".join(f"<th>{_html(str(name))}</th>" for name in columns)
    body = "".join(
        "<tr>" + "".join(_cell(name, row.get(name)) for name in columns) + "</tr>"
        for row in rows)
    return (f'<table class="studio-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _cell(column, value):
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    text = "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    return (f'<td data-label="{_html(str(column))}"{" class=num" if number else ""}>'
            f"{_html(text)}</td>")


def inject_styles():
    """The shared page styles, the skip link and the focus keeper; once per script run."""
    css = CSS + (f".stMain {{ --studio-body: {BODY_PX}px; }}\n{PRESENTER_CSS}"
                 if presenting() else "")
    st.html(f"<style>{css}</style>")
    with st.sidebar:
        script = KEYBOARD_JS.replace("SKIP_TEXT", json.dumps(t("Skip to: {button}")))
        # Streamlit's own words. In English none: a switch back to English then puts
        # Streamlit's back (the script keeps what Streamlit wrote).
        words = {} if i18n.language() == i18n.DEFAULT else streamlit_words()
        script += STREAMLIT_WORDS_JS.replace("WORDS_TABLE",
                                             json.dumps(words).replace("<", "\\u003c"))
        st.html(f"<script>\n{script}</script>", unsafe_allow_javascript=True)
