"""Training settings shared through the URL: parsing query parameters and writing them back.

A teacher can share ``/train?iterations=2000&lr=0.005&scaling=divide255``. Values that
cannot be trained with are reported (the page shows a warning) and replaced by defaults.
"""
import streamlit as st

from logreg.pipeline import check_hyperparameters
from logreg.preprocessing import SCALING_MODES

DEFAULTS = {"iterations": 2000, "learning_rate": 0.005, "scaling": "divide255"}
# URL parameter name -> setting name
URL_NAMES = {"iterations": "iterations", "lr": "learning_rate", "scaling": "scaling"}


def parse(query, defaults=DEFAULTS, names=("iterations", "lr", "scaling")):
    """Settings from a query-parameter mapping, defaults where a value is missing or bad.

    Returns
    -------
    settings : dict
        ``iterations`` (int), ``learning_rate`` (float), ``scaling`` (str).
    problems : list of str
        One sentence per rejected value.
    """
    settings = dict(defaults)
    problems = []
    if "iterations" in names and "iterations" in query:
        text = query["iterations"]
        try:
            check_hyperparameters(text, defaults["learning_rate"])
            settings["iterations"] = int(float(text))
        except ValueError as exc:
            problems.append(f"URL parameter iterations={text!r} ignored: {exc}.")
    if "lr" in names and "lr" in query:
        text = query["lr"]
        try:
            check_hyperparameters(defaults["iterations"], text)
            settings["learning_rate"] = float(text)
        except ValueError as exc:
            problems.append(f"URL parameter lr={text!r} ignored: {exc}.")
    if "scaling" in names and "scaling" in query:
        text = query["scaling"]
        if text in SCALING_MODES:
            settings["scaling"] = text
        else:
            problems.append(f"URL parameter scaling={text!r} ignored: scaling must be one of "
                            f"{', '.join(SCALING_MODES)}.")
    return settings, problems


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


def init_widgets(keys, saved_key, names=("iterations", "lr", "scaling"), defaults=DEFAULTS):
    """Fill widget keys before the widgets are drawn: URL first, else the session's last values.

    Parameters
    ----------
    keys : dict
        {setting name: widget key}, e.g. {"iterations": "norm_iterations", ...}.
    saved_key : str
        Session key where the page keeps its settings between page switches (widget values
        are dropped when a page is left).

    Returns
    -------
    list of str
        Problems with URL values, to show as warnings.
    """
    if all(key in st.session_state for key in keys.values()):
        return []
    saved = {**defaults, **st.session_state.get(saved_key, {})}
    query = {name: st.query_params[name] for name in names if name in st.query_params}
    settings, problems = parse(query, saved, names)
    for setting, key in keys.items():
        st.session_state[key] = settings[setting]
    return problems


def remember(values, saved_key, names=("iterations", "lr", "scaling")):
    """Keep the page's settings for the next visit and mirror the valid ones in the URL."""
    st.session_state[saved_key] = dict(values)
    for name, text in to_query(values, names).items():
        if st.query_params.get(name) != text:
            st.query_params[name] = text
