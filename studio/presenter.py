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
import urllib.parse

import streamlit as st

from . import i18n, state
from .i18n import t

PRESENT_KEY = "present"   # the presenter switch's widget key and its URL parameter
HIDE_PARAM = "hide"       # ?hide=scaling,speed


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
<script>
(() => {{
  const button = document.getElementById("studio-copy");
  const label = button.textContent;
  button.addEventListener("click", async () => {{
    const url = button.dataset.url;
    try {{ await navigator.clipboard.writeText(url); }}
    catch (error) {{
      const area = document.createElement("textarea");
      area.value = url; document.body.appendChild(area); area.select();
      document.execCommand("copy"); area.remove();
    }}
    button.textContent = button.dataset.done;
    setTimeout(() => {{ button.textContent = label; }}, 2000);
  }});
}})();
</script>""", unsafe_allow_javascript=True)
    with st.expander(t("Show the link")):
        st.code(url, language=None, wrap_lines=True)
    return url


def _html(text):
    return html.escape(text, quote=True)


# ------------------------------------------------------------------ styles and keyboard

FOCUS = "#1d4ed8"   # the focus ring: 6.7:1 on white
CSS = """
:focus-visible { outline: 3px solid %(focus)s !important; outline-offset: 2px !important; }
[data-baseweb="select"]:focus-within, [data-baseweb="input"]:focus-within {
  outline: 3px solid %(focus)s; outline-offset: 1px; border-radius: 0.5rem; }
.studio-skip { position: fixed; left: -10000px; top: 0.5rem; z-index: 1000001;
  background: #ffffff; color: #1f2430; padding: 0.5rem 1rem; border-radius: 0.5rem;
  border: 2px solid %(focus)s; font-weight: 600; }
.studio-skip:focus { left: 0.5rem; }
.studio-copy { width: 100%%; padding: 0.4rem 0.75rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid rgba(31, 36, 48, 0.3); background: #ffffff; color: #1f2430;
  font: inherit; }
/* A formula wider than the page scrolls on its own instead of being cut off. */
.stMain .katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.2rem 0; }
/* Rows keyed "row_…" stay rows on a phone (Streamlit stacks columns below 640 px),
   wrapping onto a second line when they run out of room. */
@media (max-width: 640px) {
  .stMain .block-container { padding: 3rem 0.9rem 2rem; }
  .stMain h1 { font-size: 1.8rem; padding-bottom: 0.25rem; }
  [class*="st-key-row_"] [data-testid="stHorizontalBlock"] {
    flex-direction: row !important; flex-wrap: wrap !important; gap: 0.5rem !important; }
  [class*="st-key-row_"] [data-testid="stColumn"] {
    flex: 1 1 calc(25%% - 0.5rem) !important; min-width: calc(25%% - 0.5rem) !important;
    width: auto !important; }
  [class*="st-key-row_"] [data-testid="stColumn"]:has([data-baseweb="select"]),
  [class*="st-key-row_"] [data-testid="stColumn"]:has([data-testid="stNumberInput"]) {
    flex-basis: calc(50%% - 0.5rem) !important; min-width: calc(50%% - 0.5rem) !important; }
  [class*="st-key-row_"] [data-testid="stColumn"]:empty { display: none; }
  /* A metric value such as 0.135608 is cut off in a quarter of a phone. */
  [class*="st-key-row_"] [data-testid="stColumn"]:has([data-testid="stMetric"]) {
    flex-basis: calc(50%% - 0.5rem) !important; min-width: calc(50%% - 0.5rem) !important; }
  [class*="st-key-row_"] [data-testid="stMetricValue"] { font-size: 1.7rem; }
  /* On a touch screen plotly's toolbar appears over the chart's title. */
  .js-plotly-plot .modebar-container { display: none !important; }
}
"""
PRESENTER_CSS = """
.stMain .block-container { padding-top: 4rem; padding-bottom: 2rem; max-width: none; }
.stMain { font-size: 1.15rem; }
.stMain [data-testid="stMarkdownContainer"] p, .stMain [data-testid="stMarkdownContainer"] li,
.stMain [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
.stMain [data-testid="stWidgetLabel"] p, .stMain .stButton button p { font-size: 1.15rem; }
.stMain [data-testid="stMetricValue"] { font-size: 2.6rem; }
.stMain h1 { font-size: 2.2rem; padding: 0 0 0.5rem; }
.stMain [data-testid="stCode"] code { font-size: 0.95rem; }
.stMain .st-key-stage [data-testid="stCode"] code { font-size: 0.8rem; line-height: 1.4; }
"""


def inject_styles():
    """The shared page styles, the skip link and the focus keeper; once per script run."""
    css = CSS % {"focus": FOCUS} + (PRESENTER_CSS if presenting() else "")
    st.html(f"<style>{css}</style>")
    with st.sidebar:
        st.html(_KEYBOARD_JS % {"skip": json.dumps(t("Skip to: {button}"))},
                unsafe_allow_javascript=True)


# A skip link as the first thing Tab reaches: it moves the focus to the page's main button
# (the first primary button, Train on the Train page) without walking through the sidebar.
# On a phone, tapping a page in the sidebar closes the sidebar.
# The focus keeper: when a button the person just used becomes disabled (Stop after a
# click), the focus falls to the page body; it goes to the next usable control of the
# same row instead (Resume), so the keyboard keeps its place.
_KEYBOARD_JS = """
<script>
(() => {
  const skipText = %(skip)s;
  const doc = window.document;
  // The first one shown: Streamlit keeps a hidden copy of a button that has help.
  const mainButton = () => [...doc.querySelectorAll('.stMain button[kind="primary"]')]
    .find((b) => !b.disabled && b.offsetParent !== null);
  let link = doc.querySelector("a.studio-skip");
  if (!link) {
    link = doc.createElement("a");
    link.className = "studio-skip";
    link.href = "#";
    doc.body.prepend(link);
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const target = mainButton();
      if (target) target.focus();
    });
  }
  // Named after the button when there is one: a rerun that runs this again while the page
  // is being redrawn, or a focus then, keeps the name the link already had.
  const label = () => {
    const b = mainButton(), name = b ? b.innerText.trim() : "";
    if (name || !link.textContent) link.textContent = skipText.replace("{button}", name);
  };
  label();
  link.onfocus = label;
  if (window.__studioFocusKeeper) return;
  window.__studioFocusKeeper = true;
  let last = null, when = 0;
  const keyOf = (element) => {
    const box = element && element.closest && element.closest('[class*="st-key-"]');
    return box ? [...box.classList].find((c) => c.startsWith("st-key-")) : null;
  };
  doc.addEventListener("focusin", (event) => {
    if (event.target === link) return;
    last = keyOf(event.target); when = Date.now();
  });
  doc.addEventListener("pointerdown", (event) => {
    if (!keyOf(event.target)) last = null;
  });
  const restore = () => {
    // A button disabled under the focus may keep it until the browser's next update: it
    // counts as lost already, or the last change of the page would come too early.
    const active = doc.activeElement;
    const lost = active === doc.body || (active && active.disabled);
    if (!last || !lost || Date.now() - when > 8000) return;
    const box = doc.querySelector("." + CSS.escape(last));
    const usable = (b) => b && !b.disabled;
    const own = box && box.querySelector("button, input");
    if (usable(own)) { own.focus(); return; }
    const row = box && box.closest('[data-testid="stHorizontalBlock"]');
    if (!row) return;
    const buttons = [...row.querySelectorAll("button")];
    const at = own ? buttons.indexOf(own) : -1;
    const next = buttons.slice(at + 1).find(usable) || buttons.slice(0, Math.max(at, 0))
      .reverse().find(usable);
    if (next) next.focus();
  };
  // On a phone the sidebar covers the page: close it once a page was tapped in it.
  doc.addEventListener("click", (event) => {
    if (!event.target.closest('[data-testid="stSidebarNav"] a')) return;
    if (!window.matchMedia("(max-width: 768px)").matches) return;
    setTimeout(() => {
      const close = doc.querySelector('[data-testid="stSidebarCollapseButton"] button');
      if (close) close.click();
    }, 100);
  });
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; restore(); });
  }).observe(doc.body, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ["disabled"]});
})();
</script>
"""
