"""What one browser may not do to the whole process.

- **Empty everyone's caches.** Streamlit clears every cache of the process, and so every
  student's, when any browser sends its ``clear_cache`` message: the developer menu's
  "Clear cache", which any client can send without the menu (issue 24: a classmate's
  cached rerun went from 0.28 s to 3.46 s). Outside development mode it does nothing.
- **Hold uploads in memory.** Streamlit keeps every file PUT to its upload endpoint until
  the session ends, whether or not a widget claims it (8 PUTs of 40 MB added 321 MB to
  the server). A session may now hold :data:`SESSION_FILES` files and
  :data:`SESSION_BYTES`, and the process :data:`PROCESS_BYTES`; a PUT past them is
  refused (413) before it is kept. A file stays held until the browser deletes it (the
  person removes it from the uploader) or the session ends; Classify's Clear images
  removes its uploader's files itself (studio.session.pictures.clear).
"""
import threading

from starlette.exceptions import HTTPException
from streamlit import config
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

# One page's uploads at their largest: Classify's 24 pictures (60 MB), or a dataset pair
# of two files up to the 50 MB upload limit each, with room for a parameters file.
SESSION_FILES = 32
SESSION_BYTES = 110 * 1024 * 1024
# All sessions' uploads together: a class of thirty each holding a picture set at once.
PROCESS_BYTES = 2048 * 1024 * 1024

_clear_everyones_caches = AppSession._handle_clear_cache_request


def _clear_caches_in_development_only(session):
    if config.get_option("global.developmentMode"):
        _clear_everyones_caches(session)


def keep_shared_caches():
    """Make a browser's ``clear_cache`` message a no-op outside development mode (once per
    process; calling it again changes nothing)."""
    AppSession._handle_clear_cache_request = _clear_caches_in_development_only


_keep_upload = MemoryUploadedFileManager.add_file
_budget = threading.Lock()


def _add_file_within_budget(manager, session_id, file):
    with _budget:   # the check and the add together: two PUTs cannot both pass the check
        with manager._lock:   # a snapshot, while Streamlit may be removing files
            held = dict(manager.file_storage.get(session_id, {}))
            process_bytes = sum(len(f.data) for files in manager.file_storage.values()
                                for f in files.values())
        replaced = held.pop(file.file_id, None)
        if (len(held) + 1 > SESSION_FILES
                or sum(len(f.data) for f in held.values()) + len(file.data) > SESSION_BYTES):
            raise HTTPException(status_code=413, detail=(
                f"this session already holds its {SESSION_FILES} files or "
                f"{SESSION_BYTES // 2**20} MB of uploads: remove some first"))
        freed = len(replaced.data) if replaced is not None else 0
        if process_bytes - freed + len(file.data) > PROCESS_BYTES:
            raise HTTPException(status_code=413, detail="the server holds all the uploads "
                                                        "it can: try again in a minute")
        _keep_upload(manager, session_id, file)


def bound_uploads():
    """Refuse an upload past a session's or the process's budget (once per process)."""
    MemoryUploadedFileManager.add_file = _add_file_within_budget
