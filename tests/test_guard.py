"""One browser cannot empty the caches every student shares (issue 24)."""
import streamlit as st
from streamlit import config
from streamlit.runtime.app_session import AppSession

from studio import guard


class _Session:
    """What AppSession's clear-cache handler touches of a session."""
    def __init__(self):
        self._session_state = {"mine": 1}


def test_a_browsers_clear_cache_message_leaves_the_shared_caches(monkeypatch):
    calls = []

    @st.cache_data
    def shared(x):
        calls.append(x)
        return x

    monkeypatch.setattr(AppSession, "_handle_clear_cache_request",
                        AppSession._handle_clear_cache_request)   # restored after the test
    guard.keep_shared_caches()
    shared(1)
    AppSession._handle_clear_cache_request(_Session())
    shared(1)
    assert calls == [1], "the message emptied the process's cache"

    monkeypatch.setattr(config, "get_option", lambda name: name == "global.developmentMode")
    AppSession._handle_clear_cache_request(_Session())   # a developer's menu still works
    shared(1)
    assert calls == [1, 1]
    shared.clear()
