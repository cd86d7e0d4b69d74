"""Run settings in the app: where each one lives, read into the engine's settings at the edge.

:data:`TABLE` is the one map of every setting a learner chooses: its kind of run (a settings
type of :mod:`logreg.settings`, which parses and bounds it), its widget's session key, its
URL name (a link may set it, and ``hide=`` that name hides its widget) and its key in a
browser's saved work. Adding a setting is one row here and one field of its kind.

A page seeds its widgets (:func:`init_widgets`: a shared link's values, else the
defaults), draws them under their keys, and reads them back once (:func:`read`) into a
settings object it passes down; nothing below checks them again. A teacher can share
``/train?iterations=2000&lr=0.005&scaling=divide255``: a value that cannot be trained with
is reported (the page shows a warning) and replaced by the default.
"""
from dataclasses import dataclass
from typing import Optional

import streamlit as st

from logreg.settings import Comparison, Logistic, Network, Playground

from . import escape
from .i18n import say, t


@dataclass(frozen=True)
class Row:
    """Where one setting of one kind of run lives."""

    kind: type                   # its kind of run, a type of logreg.settings
    setting: str                 # that type's field
    widget: str                  # the widget's session key
    url: Optional[str] = None    # its query parameter and hide= flag, when a link may set it
    saved: Optional[str] = None  # its key in a browser's saved work, when it is kept

    def parse(self, value):
        """The setting from a raw value (ValueError with the engine's Message)."""
        return self.kind.PARSERS[self.setting](value)

    def widget_value(self, value):
        """A parsed setting as its widget holds it: hidden layers are text, "20,7,5"."""
        return ",".join(map(str, value)) if self.setting == "hidden" else value


# The saved keys are the widgets' own: files saved before this table name them so.
TABLE = (
    Row(Logistic, "iterations", "iterations", url="iterations", saved="iterations"),
    Row(Logistic, "learning_rate", "learning_rate", url="lr", saved="learning_rate"),
    Row(Logistic, "scaling", "scaling", url="scaling", saved="scaling"),
    Row(Comparison, "iterations", "norm_iterations", url="iterations"),
    Row(Comparison, "learning_rate", "norm_lr", url="lr"),
    Row(Network, "hidden", "net_hidden", saved="net_hidden"),
    Row(Network, "activation", "net_activation", saved="net_activation"),
    Row(Network, "init", "net_init", saved="net_init"),
    Row(Network, "learning_rate", "net_learning_rate", saved="net_learning_rate"),
    Row(Network, "iterations", "net_iterations", saved="net_iterations"),
    Row(Network, "seed", "net_seed", saved="net_seed"),
    Row(Playground, "hidden", "play_hidden"),
    Row(Playground, "activation", "play_activation"),
    Row(Playground, "learning_rate", "play_learning_rate"),
    Row(Playground, "iterations", "play_iterations"),
    Row(Playground, "crosses", "play_crosses"),
)


def rows(kind):
    """The rows of one kind of run, in the table's order."""
    return tuple(row for row in TABLE if row.kind is kind)


def widgets(kind):
    """{setting: widget key} of one kind of run."""
    return {row.setting: row.widget for row in rows(kind)}


def url_names(kind):
    """The query parameters a link may set for one kind of run."""
    return tuple(row.url for row in rows(kind) if row.url)


def init_widgets(kind):
    """Fill a kind's widget keys from the URL, else with its type's defaults, on their
    first draw in a session.

    The widgets keep their values across page switches themselves
    (``persist_state="session"``); this only seeds them.

    Returns
    -------
    list of str
        Problems with URL values, to show as warnings.
    """
    if all(row.widget in st.session_state for row in rows(kind)):
        return []
    chosen, problems = parse_query(kind, st.query_params)
    for row in rows(kind):
        st.session_state.setdefault(row.widget, row.widget_value(getattr(chosen, row.setting)))
    return problems


def read(kind, **context):
    """The settings the kind's widgets hold: (settings, None), or (the defaults where a
    value is refused, the first refusal as a sentence to show). ``context``: what
    :meth:`logreg.settings.Network.parse` needs to know of the data."""
    chosen, problems = kind.parse(typed(kind), **context)
    # The sentence quotes what was typed ("Hidden layers" is free text): shown as text.
    return chosen, escape.markdown(say(problems[0].message)) if problems else None


def typed(kind):
    """{setting: its widget's value as it is}, refused or not: what a page shows beside an
    error (the number in the box), never what it trains with."""
    return {row.setting: st.session_state[row.widget] for row in rows(kind)}


def open_link(kind, query):
    """Put the settings a link names into the kind's widgets (a pushed lesson, checked when
    it was pushed), leaving its other widgets as they are; a refused value gives the
    default."""
    chosen, _ = parse_query(kind, query)
    for row in rows(kind):
        if row.url in query:
            st.session_state[row.widget] = row.widget_value(getattr(chosen, row.setting))


def parse_query(kind, query):
    """The settings a link's query asks for (by URL names), the defaults for the rest, and
    one sentence a refused value, escaped for Markdown (a link is anyone's text)."""
    by_setting = {row.setting: row for row in rows(kind) if row.url}
    asked = {setting: query[row.url] for setting, row in by_setting.items() if row.url in query}
    chosen, problems = kind.parse(asked)
    return chosen, [_ignored(by_setting[problem.setting].url, problem) for problem in problems]


def _ignored(name, problem):
    """The sentence for a refused URL value, with the engine's reason in the session's
    language."""
    parameter = f"{name}={problem.value!r}"
    return escape.markdown(t("URL parameter {parameter} ignored: {reason}.",
                             parameter=parameter, reason=say(problem.message)))


def to_query(chosen):
    """The query parameters (strings) of settings that :func:`read` gave."""
    return {row.url: _text(getattr(chosen, row.setting)) for row in rows(type(chosen)) if row.url}


def _text(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def remember(chosen):
    """Mirror the settings in the URL, so the address bar is a link to this experiment."""
    for name, text in to_query(chosen).items():
        if st.query_params.get(name) != text:
            st.query_params[name] = text


def saved_checks():
    """{saved key: check giving the widget's value, or None for a value that cannot be
    used}: the settings a browser keeps (:mod:`studio.frame.saved`)."""
    return {row.saved: _check(row) for row in TABLE if row.saved}


def _check(row):
    def check(value):
        try:
            return row.widget_value(row.parse(value))
        except ValueError:
            return None
    return check
