"""Classify's pictures: what a browser session keeps of its uploads and camera shots.

The uploader and the camera lose their files when the page is left, so the session keeps
the bytes; what the person removes from a widget is dropped, at most
:data:`MAX_PICTURES` / :data:`MAX_STORED_BYTES` are kept, and each picture is decoded once
per model size.
"""
import hashlib
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFile

from logreg.images import ImageError, image_to_array, open_image, to_mode

from . import escape, state, turns
from .i18n import t

PREVIEW_PX = 240
# Enough for a class demo, bounded so thirty students cannot fill the server's memory.
MAX_PICTURES = 24
MAX_STORED_BYTES = 60 * 1024 * 1024
UPLOADER, CAMERA = "classify_upload", "classify_camera"   # the two widgets' keys


@dataclass(frozen=True)
class Picture:
    name: str
    data: bytes
    file_id: str


def digest_of(data):
    """The key a picture is kept under: equal bytes are one picture."""
    return hashlib.sha256(data).hexdigest()[:16]


def fits(stored, data):
    """Whether one more picture of these bytes stays within the session's budget."""
    size = sum(len(p.data) for p in stored.values())
    return len(stored) < MAX_PICTURES and size + len(data) <= MAX_STORED_BYTES


def uploader_key():
    """The uploader's key now. Clear images gives it a new one: the widget comes back
    empty and Streamlit drops the files the old one held. Before, they stayed in the
    widget and counted towards the session's upload budget (guard.SESSION_FILES), so a
    fifth batch of eight photos after four Clears was refused with a bare "413"."""
    cleared = st.session_state.get(state.UPLOADS_CLEARED, 0)
    return UPLOADER if not cleared else f"{UPLOADER}_{cleared}"


def clear():
    """Clear images: forget the kept pictures, empty the uploader (a new key, its old files
    removed from the server) and leave the camera's photo out until it takes another."""
    st.session_state.get(state.PICTURES, {}).clear()
    st.session_state.pop(state.DECODED, None)
    held = widget_files()
    st.session_state[state.CLEARED] = {f.file_id for f in held}
    # Streamlit 1.67 keeps an uploaded file until the browser deletes it or the session
    # ends, even once no widget holds it: the old uploader's files go here.
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.uploaded_file_mgr is not None:
        for upload in st.session_state.get(uploader_key()) or []:
            if isinstance(upload, UploadedFile):
                ctx.uploaded_file_mgr.remove_file(ctx.session_id, upload.file_id)
    st.session_state[state.UPLOADS_CLEARED] = st.session_state.get(state.UPLOADS_CLEARED, 0) + 1


def widget_files():
    """The files the uploader and the camera hold, leaving out any whose bytes this server
    does not have: a browser that reconnects to another replica (or to a restarted server)
    still lists its earlier uploads, which Streamlit hands over as bytes-less
    ``DeletedFile`` entries."""
    files = list(st.session_state.get(uploader_key()) or []) + [st.session_state.get(CAMERA)]
    return [f for f in files if isinstance(f, UploadedFile)]


def drop_removed():
    """on_change of both widgets: forget the pictures the person just removed from them."""
    held = {f.file_id for f in widget_files()}
    removed = st.session_state.get(state.HELD, set()) - held
    stored = st.session_state.get(state.PICTURES, {})
    for digest in [d for d, picture in stored.items() if picture.file_id in removed]:
        del stored[digest]
    _forget_decoded(stored)


def _forget_decoded(stored):
    cache = st.session_state.get(state.DECODED, {})
    for entry in [k for k in cache if k[0] not in stored]:
        del cache[entry]


def collect():
    """Copy the widgets' new files into the session so they survive leaving the page,
    within a budget.

    The widgets lose their files when the page is left, so the session keeps the bytes;
    what the person removes from a widget is dropped (see :func:`drop_removed`).
    """
    stored = st.session_state.setdefault(state.PICTURES, {})
    cleared = st.session_state.get(state.CLEARED, set())
    kept = {picture.file_id for picture in stored.values()}
    camera = st.session_state.get(CAMERA)
    refused = []
    for upload in widget_files():
        # A file already kept is not read and hashed again on every rerun.
        if upload.file_id in cleared or upload.file_id in kept:
            continue
        data = upload.getvalue()
        digest = digest_of(data)
        if digest in stored:
            continue
        if not fits(stored, data):
            refused.append(upload.name)
            continue
        name = (upload.name if upload is not camera
                else t("camera photo {id}.jpg", id=digest[:6]))
        stored[digest] = Picture(name, data, upload.file_id)
    st.session_state[state.HELD] = {f.file_id for f in widget_files()}
    if refused:
        st.warning(escape.markdown(t(
            "Not kept: {files}. This page keeps at most {count} pictures ({mb} MB) per "
            "browser; remove some to add more.", files=", ".join(refused), count=MAX_PICTURES,
            mb=MAX_STORED_BYTES // (1024 * 1024))), icon=":material/warning:")
    return stored


def decoded(digest, picture, model):
    """The model-size array and a preview of one picture, decoded once per session."""
    cache = st.session_state.setdefault(state.DECODED, {})
    entry = (digest, model.num_px, model.channels)
    if entry not in cache:
        turns.share()   # up to a second a picture: a classmate waiting goes first
        try:
            array = image_to_array(picture.data, model.num_px, model.channels,
                                   name=picture.name)
            preview = to_mode(open_image(picture.data, picture.name, PREVIEW_PX * 2), 3)
            preview.thumbnail((PREVIEW_PX * 2, PREVIEW_PX * 2))
            cache[entry] = (array, preview)
        except ImageError as exc:
            cache[entry] = exc
    return cache[entry]
