"""One browser cannot empty the caches every student shares (issue 24)."""
import streamlit as st
from streamlit import config
from streamlit.runtime.app_session import AppSession

from studio.session import guard


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


def test_a_session_holds_a_bounded_amount_of_uploads(monkeypatch):
    """Eight 40 MB PUTs that no widget claims: two are kept, the rest refused (issue 24)."""
    import pytest
    from starlette.exceptions import HTTPException
    from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
    from streamlit.runtime.uploaded_file_manager import UploadedFileRec

    monkeypatch.setattr(MemoryUploadedFileManager, "add_file", MemoryUploadedFileManager.add_file)
    guard.bound_uploads()
    manager = MemoryUploadedFileManager("/_stcore/upload_file")
    big = b"\0" * (40 * 2**20)
    refused = 0
    for number in range(8):
        try:
            manager.add_file("student", UploadedFileRec(f"f{number}", "x.bin", "b", big))
        except HTTPException as exc:
            assert exc.status_code == 413
            refused += 1
    assert refused == 6
    assert sum(len(f.data) for f in manager.file_storage["student"].values()) == 80 * 2**20
    # The same file sent again replaces itself; a classmate's session has its own budget.
    manager.add_file("student", UploadedFileRec("f0", "x.bin", "b", big))
    manager.add_file("classmate", UploadedFileRec("g0", "y.bin", "b", big))
    # Many small files: the count is bounded too.
    with pytest.raises(HTTPException):
        for number in range(guard.SESSION_FILES + 1):
            manager.add_file("script", UploadedFileRec(f"s{number}", "s", "b", b"1"))
    assert len(manager.file_storage["script"]) == guard.SESSION_FILES
    # Removing one frees its room.
    manager.remove_file("student", "f1")
    manager.add_file("student", UploadedFileRec("f9", "x.bin", "b", big))
