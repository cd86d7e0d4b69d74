"""Training settings shared through the URL: parsing query parameters and writing them back.

A teacher can share ``/train?iterations=2000&lr=0.005&scaling=divide255``. Values that
cannot be trained with are reported (the page shows a warning) and replaced by defaults.
"""
import streamlit as st

from logreg.course import DEFAULTS, check_hyperparameters
from logreg.preprocessing import SCALING_MODES

from . import escape
from .i18n import say, t


def parse(query, defaults=DEFAULTS, names=("iterations", "lr", "scaling")):
    """Settings from a query-parameter mapping, defaults where a value is missing or bad.

    Returns
    -------
    settings : dict
        ``iterations`` (int), ``learning_rate`` (float), ``scaling`` (str).
    problems : list of str
        One sentence per rejected value, escaped for Markdown.
    """
    settings = dict(defaults)
    problems = []
    if "iterations" in names and "iterations" in query:
        text = query["iterations"]
        try:
            check_hyperparameters(text, defaults["learning_rate"])
            settings["iterations"] = int(float(text))
        except ValueError as exc:
            problems.append(_ignored("iterations", text, exc))
    if "lr" in names and "lr" in query:
        text = query["lr"]
        try:
            check_hyperparameters(defaults["iterations"], text)
            settings["learning_rate"] = float(text)
        except ValueError as exc:
            problems.append(_ignored("lr", text, exc))
    if "scaling" in names and "scaling" in query:
        text = query["scaling"]
        if text in SCALING_MODES:
            settings["scaling"] = text
        else:
            problems.append(_ignored("scaling", text, t(
                "scaling must be one of {modes}", modes=", ".join(SCALING_MODES))))
    # A link is anyone's text: the sentences quote it, so they are shown as text.
    return settings, [escape.markdown(problem) for problem in problems]


def _ignored(name, text, reason):
    """The sentence for a rejected URL value; ``reason`` is the engine's, or ours."""
    if isinstance(reason, Exception) and reason.args:
        reason = reason.args[0]   # the engine's Message, said in the session's language
    return t("URL parameter {parameter} ignored: {reason}.", parameter=f"{name}={text!r}",
             reason=say(reason))


def to_query(settings, names=("iterations", "lr", "scaling")):
    """The query parameters (strings) for settings, only for values that are valid."""
    query = {}
    iterations, rate = settings.get("iterations"), settings.get("learning_rate")
    if "iterations" in names and _valid(iterations, DEFAULTS["learning_rate"]):
        query["iterations"] = str(int(float(iterations)))
    if "lr" in names and _valid(DEFAULTS["iterations"], rate):
        query["lr"] = f"{float(rate):g}"
    if "scaling" in names and settings.get("scaling") in SCALING_MODES:
        query["scaling"] = settings["scaling"]
    return query


def _valid(iterations, learning_rate):
    try:
        check_hyperparameters(iterations, learning_rate)
    except ValueError:
        return False
    return True


def init_widgets(keys, names=("iterations", "lr", "scaling"), defaults=DEFAULTS):
    """Fill the setting widgets' keys from the URL on their first draw in a session.

    The widgets keep their values across page switches themselves
    (``persist_state="session"``); this only seeds them, from a shared link or the defaults.

    Parameters
    ----------
    keys : dict or iterable
        {setting name: widget key}, e.g. {"iterations": "norm_iterations", ...}; an iterable
        of setting names when the widget keys are the setting names.

    Returns
    -------
    list of str
        Problems with URL values, to show as warnings.
    """
    keys = keys if isinstance(keys, dict) else {name: name for name in keys}
    if all(key in st.session_state for key in keys.values()):
        return []
    query = {name: st.query_params[name] for name in names if name in st.query_params}
    settings, problems = parse(query, defaults, names)
    for setting, key in keys.items():
        st.session_state.setdefault(key, settings[setting])
    return problems


def remember(values, names=("iterations", "lr", "scaling")):
    """Mirror the valid settings in the URL, so the address bar is a link to this experiment."""
    for name, text in to_query(values, names).items():
        if st.query_params.get(name) != text:
            st.query_params[name] = text
