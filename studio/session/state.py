"""Every key this app stores in ``st.session_state`` itself, in one place.

Widgets keep their own values across page switches (``persist_state="session"``, their keys
are at the widget); these keys hold what the app itself keeps for a browser session.
"""
import streamlit as st

from logreg import core

# The session's data and model
DATASET_KEY = "dataset_key"          # active dataset, e.g. "file:catvnoncat"
CUSTOM_DATASETS = "custom_datasets"  # {key: logreg.Dataset} uploaded or built in this session
PREPARED_CACHE = "prepared_cache"    # {(key, scaling): Prepared} of the active own dataset
PIXEL_SUMMARIES = "pixel_summaries"  # {key, summaries}: the active own dataset's pixels
TRAINED = "trained"                  # {"model": TrainedModel, "dataset_key": str}
LIVE = "live_training"               # the current studio.sections.training.LiveRun
TRAINED_NETWORK = "trained_network"  # {"model": TrainedNetwork, "dataset_key": str}
NETWORK_LIVE = "network_live"        # the Network page's image LiveRun
PLAYGROUND_LIVE = "playground_live"  # the playground's LiveRun (sections.network.PlaygroundRun)
PLAYGROUND_POINTS = "playground_points"  # the learner's own points: (X, Y, box) or absent
PLAYGROUND_NOTE = "playground_note"  # (level, sentence) about the last CSV or edit, or absent
PLAYGROUND_EDIT = "playground_edit"  # the serial of the browser's last edit the server took
NETWORK_RESULTS = "network_results"  # [dict] one row per finished network run, oldest first
FLASH = "flash"                      # [(level, message)] shown once on the next page run

# What the browser keeps across sessions (studio.frame.saved, studio.session.store)
BROWSER = "browser_token"            # this browser's token (the logreg_browser cookie's value)
SAVED_SIGNATURE = "saved_signature"  # what the browser's file last got; None: not restored yet
SAVED_AT = "saved_at"                # time.monotonic() of the last write or lease renewal
SAVING_OFF = "saving_off"            # True: the store's folder is unusable, nothing is saved
UNSAVED_SAID = "unsaved_said"        # the last save's failure, once said (not said again)

# A class (sections.class_session, session.classroom): the teacher's key is never put in a page
CLASS_MEMBER = "class_member"        # {"code", "sid", "name"} while this browser is in a class
CLASS_TEACHER = "class_teacher"      # {"code", "key"} once this session showed the teacher key
CLASS_LOOKED = "class_looked"        # True once the session looked for its class (first run)
CLASS_REPORTED = "class_reported"    # (what the class last heard, time.monotonic() of it)
CLASS_UNSENT = "class_unsent"        # [run record] finished, waiting for "Send to the class"
CLASS_LESSON = "class_lesson"        # the number of the last pushed lesson this session opened
CLASS_LINK_CODE = "class_link_code"  # the code a join link brought this session

# Fitting the room (studio.display.presenter, studio.sections.welcome)
HIDDEN = "hidden_controls"           # the hide flags: seeded from ?hide=, then the multiselect's
WELCOME_DISMISSED = "welcome_dismissed"  # True once the welcome's "Got it" was pressed

# The run inspector (studio.session.runs, studio.sections.inspector, studio.sections.step_section)
RUNS = "recorded_runs"               # {"logistic" | "network": [RecordedRun]}, oldest first
EVALUATIONS = "evaluations"          # [(weakref to model, to dataset, Evaluation)] the latest few
THRESHOLD = "decision_threshold"     # the slider's P(class 1) threshold, for Train and Classify
STORY = "story_picture"              # {kind: (test picture index, iteration on screen)} clicked
REPLAY_OPEN = "replay_open"          # {kind: bool} whether the replay's expander was left open
HAND_STEP = "hand_step"              # the Step button's run: {"trainer", "settings", "report"}

# Uploads handled once, their outcome replayed while the files stay in the uploader
PAIR_STATUS = "pair_upload_status"   # (file ids, level, message) of the last h5 pair
PARAMS_STATUS = "params_upload_done" # (file ids, level, message) of the last .npz

# Classify's pictures (studio.session.pictures)
PICTURES = "classify_images"         # {digest: Picture} kept across page switches
DECODED = "classify_decoded"         # {(digest, num_px, channels): (array, preview) | error}
HELD = "classify_held"               # file ids the widgets held at the end of the last run
CLEARED = "classify_cleared"         # file ids cleared by the button, still in the camera
UPLOADS_CLEARED = "classify_uploads_cleared"   # how often Clear images emptied the uploader

# The dataset builder (studio.sections.builder_section)
BUILDER_IMAGES = "builder_images"    # {0: [entry], 1: [entry]}; entry: id, name, data, thumb
BUILDER_SEEN = "builder_seen"        # file ids of uploads and photos already added
BUILDER_SKIPPED = "builder_skipped"  # [Skipped] files that could not be added
BUILDER_NOTES = "builder_notes"      # [(st function name, text)] about the last zip
BUILDER_NEXT_ID = "builder_next_id"  # the id the next added image gets
BUILDER_RESULT = "builder_result"    # the last build: name, bytes of the pair, summary

# Normalization's experiments (studio.sections.comparisons)
SCALING_RESULTS = "norm_results"     # the last scaling comparison
RATE_RESULTS = "lr_results"          # the last learning-rate comparison
RACE = "norm_race"                   # the scalings at their own safe rates, on page load


def custom_datasets():
    return st.session_state.setdefault(CUSTOM_DATASETS, {})


def trained_model():
    """The session's trained :class:`logreg.TrainedModel`, or None."""
    entry = st.session_state.get(TRAINED)
    return entry["model"] if entry else None


def trained_dataset_key():
    entry = st.session_state.get(TRAINED)
    return entry["dataset_key"] if entry else None


def set_trained(model, dataset_key):
    st.session_state[TRAINED] = {"model": model, "dataset_key": dataset_key}


def trained_network():
    """The session's last :class:`logreg.network_model.TrainedNetwork`, or None."""
    entry = st.session_state.get(TRAINED_NETWORK)
    return entry["model"] if entry else None


def trained_network_dataset_key():
    entry = st.session_state.get(TRAINED_NETWORK)
    return entry["dataset_key"] if entry else None


def set_trained_network(model, dataset_key):
    st.session_state[TRAINED_NETWORK] = {"model": model, "dataset_key": dataset_key}


def threshold():
    """The decision threshold the person chose on the Train or Network page (0.5 until then)."""
    return float(st.session_state.get(THRESHOLD, core.THRESHOLD))


def clear_trained():
    st.session_state.pop(TRAINED, None)


def flash(level, message):
    """Queue a message (level: "caption", "info", "success", "warning", "error") to show
    at the top of the page, in this run if the page is not drawn yet, else the next."""
    st.session_state.setdefault(FLASH, []).append((level, message))


def show_flashes():
    """Show and forget the queued messages."""
    for level, message in st.session_state.pop(FLASH, []):
        getattr(st, level)(message)


def handle_upload_once(status_key, files, handle):
    """Run ``handle()`` once for a set of uploaded files, then replay its message.

    A file stays in its uploader across reruns, so without this every rerun would load it
    again. ``handle`` returns (level, message, rerun): the message is shown with
    ``st.<level>`` on every run while the same files are in the uploader, and ``rerun``
    redraws the page (the sidebar, drawn before, shows what the upload changed).
    """
    ids = tuple(sorted(f.file_id for f in files))
    status = st.session_state.get(status_key)
    if status is None or status[0] != ids:
        level, message, rerun = handle()
        st.session_state[status_key] = status = (ids, level, message)
        if rerun:
            st.rerun()
    getattr(st, status[1])(status[2])


def forget_dataset(key):
    """Drop everything this session computed on one dataset, when it is removed or replaced.

    Keys are names (``upload:<name>``): a new pair of the same name must not inherit the old
    one's model, live run or results, which describe other pictures.
    """
    for entry in (TRAINED, TRAINED_NETWORK):
        if (st.session_state.get(entry) or {}).get("dataset_key") == key:
            del st.session_state[entry]
    for live in (LIVE, NETWORK_LIVE):
        run = st.session_state.get(live)
        if run is not None and run.dataset_key == key:
            del st.session_state[live]
    for results in (SCALING_RESULTS, RATE_RESULTS):
        if (st.session_state.get(results) or {}).get("dataset_key") == key:
            del st.session_state[results]
    if (st.session_state.get(RACE) or {}).get("key", (None,))[0] == key:
        del st.session_state[RACE]
    if (st.session_state.get(PIXEL_SUMMARIES) or {}).get("key") == key:
        del st.session_state[PIXEL_SUMMARIES]
    st.session_state.pop(PREPARED_CACHE, None)
