"""A browser's work across its sessions: which browser this is, restoring, saving, forgetting.

A browser is named by a random token in the ``logreg_browser`` cookie (made by the first
session that finds none and set from the page by a tiny script). The first run of every
session restores what that browser saved (:mod:`studio.session.store`); every run after a change
saves again. Nothing here holds more than the session already does: the file is built,
written and let go.
"""
import json
import time

import streamlit as st

from ..sections import network, training
from ..session import datasets, escape, settings, state, store, words
from ..session.i18n import say, t, tn

TOUCH_EVERY = 30     # seconds: how often an active session renews its file's time-to-live


def _number(kind):
    def check(value):
        if kind is float and isinstance(value, int):
            value = float(value)
        return value if isinstance(value, kind) else None
    return check


def _threshold(value):
    value = _number(float)(value)
    return value if value is not None and 0 < value < 1 else None


def _preset(value):
    return value if value in (*network.PRESETS, network.CUSTOM) else None


def _rows(value):
    """The Network page's run table (its latest rows), each row as network.finish made it."""
    if not isinstance(value, list):
        return None
    rows = [row for row in value[-store.MAX_ROWS:]
            if isinstance(row, dict) and set(row) == set(network.ROW_FIELDS)]
    return rows or None


# What a browser keeps of its settings: {session key: check giving the value or None}. The
# run settings are their table's rows (studio.session.settings.TABLE), each checked by its
# own parser; then the Network page's preset, the threshold and the Network page's table of
# runs (small, and what makes the restored network make sense).
SETTINGS = {
    **settings.saved_checks(),
    "net_preset": _preset, state.THRESHOLD: _threshold, state.NETWORK_RESULTS: _rows,
}


def browser_token():
    """This browser's token: the session's, else the cookie's (when well formed), else new."""
    token = st.session_state.get(state.BROWSER)
    if token is None:
        try:
            cookie = st.context.cookies.get(store.COOKIE)
        except Exception:   # no browser request behind this session (a script run in tests)
            cookie = None
        token = cookie if store.valid_token(cookie) else store.new_token()
        st.session_state[state.BROWSER] = token
    return token


def _set_cookie(token):
    """Set (or renew) the cookie from the page: the server cannot, Streamlit answers over a
    WebSocket. ``st.html`` runs the script in the page itself, so the cookie is the site's."""
    value = json.dumps(f"{store.COOKIE}={token}").replace("<", "\\u003c")   # a JS string
    script = (f"<script>document.cookie = {value} + '; Path=/; "
              f"Max-Age={store.COOKIE_MAX_AGE}; SameSite=Lax' + "
              f"(location.protocol === 'https:' ? '; Secure' : '');</script>")
    st.html(script, unsafe_allow_javascript=True)


def begin():
    """Call once per run before anything reads the session's data: on a session's first run,
    renew the cookie and restore what this browser saved, saying so; later, save changes."""
    if st.session_state.get(state.SAVED_SIGNATURE) is not None:
        save()
        return
    token = browser_token()
    try:
        store.directory()
    except OSError:     # another user's folder (store.StoreUnavailable), a read-only disk
        st.session_state[state.SAVING_OFF] = True
        st.session_state[state.SAVED_SIGNATURE] = _signature()
        state.flash("warning", t("Your work cannot be saved on this server (its folder for "
                                 "saved work cannot be used safely): it lasts only as long "
                                 "as this tab."))
        return
    _set_cookie(token)
    try:
        saved = store.read(token)
    except store.StoreError as exc:
        saved = None
        state.flash("warning", t("Your saved work could not be read and was discarded: "
                                 "{reason}.", reason=escape.markdown(exc)))
    if saved is not None and saved.lost:
        state.flash("warning", t("Part of your saved work could not be read and was left out, "
                                 "the rest is back: {parts}.", parts=_lost(saved.lost)))
    reason = store.dropped_reason(token)
    if reason == "expired":
        state.flash("info", t("Your saved work was deleted after {minutes} without a visit.",
                              minutes=words.minutes(store.ttl_seconds() // 60)))
    elif reason == "room":
        state.flash("info", t("Your saved work was deleted to make room for other browsers "
                              "(the server keeps a limited amount)."))
    if saved is not None:
        what = _apply(saved)
        if not saved.empty():   # settings alone come back without a word
            # A line in the page's flow (studio.frame.strip), not a toast: a toast covered the
            # page's title on every reload.
            state.flash("caption", ":material/history: " + t(
                "Your saved work was restored: {what}.", what=what))
    st.session_state[state.SAVED_SIGNATURE] = _signature()
    st.session_state[state.SAVED_AT] = time.monotonic()
    store.touch(token)


def _lost(lost):
    """The parts of a saved file that were left out, in words, with why."""
    words = []
    for kind, name, reason in lost:
        part = {"model": t("the trained parameters"), "network": t("the trained network")}.get(
            kind) or t("the dataset {name}", name=escape.markdown(name or "?"))
        words.append(f"{part} ({escape.markdown(reason)})")
    return "; ".join(words)


def _apply(saved):
    """Put a restored browser's work into this new session; returns what, in words."""
    restored = []
    custom = state.custom_datasets()
    for key, dataset in saved.datasets.items():
        custom.setdefault(key, dataset)
    if saved.datasets:
        restored.append(tn("{count} own dataset", "{count} own datasets",
                           count=len(saved.datasets)))
    if saved.model is not None:
        state.set_trained(saved.model, saved.model_key)
        restored.append(t("the trained parameters"))
    if saved.network is not None:
        state.set_trained_network(saved.network, saved.network_key)
        restored.append(t("the trained network"))
    # A shared link's settings win over the saved ones.
    from_url = {row.saved for row in settings.TABLE
                if row.saved and row.url and row.url in st.query_params}
    kept = 0
    for key, check in SETTINGS.items():
        value = check(saved.settings[key]) if key in saved.settings else None
        if value is not None and key not in from_url and key not in st.session_state:
            st.session_state[key] = value
            kept += 1
    if kept:
        restored.append(t("your settings"))
    dataset_key = saved.settings.get(state.DATASET_KEY)
    if isinstance(dataset_key, str) and state.DATASET_KEY not in st.session_state:
        if dataset_key in datasets.options():
            st.session_state[state.DATASET_KEY] = dataset_key
    return ", ".join(restored)


def _snapshot():
    checked = {key: check(st.session_state[key]) for key, check in SETTINGS.items()
               if key in st.session_state}
    # The checked values: a copy of a table, so a later row shows up as a change.
    settings = {key: value for key, value in checked.items() if value is not None}
    if store.valid_name(st.session_state.get(state.DATASET_KEY)):
        settings[state.DATASET_KEY] = st.session_state[state.DATASET_KEY]
    return store.Saved(model=state.trained_model(), model_key=state.trained_dataset_key(),
                       network=state.trained_network(),
                       network_key=state.trained_network_dataset_key(), settings=settings,
                       datasets=dict(state.custom_datasets()))


def _fingerprint(model):
    """Tells models apart without keeping them alive (an id alone can be reused)."""
    if model is None:
        return None
    costs = getattr(model, "costs", ())
    return id(model), len(costs), float(costs[-1]) if len(costs) else None


def _signature():
    """{part: what it is now}, to tell which parts of the file this session changed."""
    snapshot = _snapshot()
    return {"model": (_fingerprint(snapshot.model), snapshot.model_key),
            "network": (_fingerprint(snapshot.network), snapshot.network_key),
            "settings": tuple(sorted(snapshot.settings.items(), key=str)),
            "datasets": tuple((key, id(d), d.m_train, d.num_px)
                              for key, d in snapshot.datasets.items())}


def save():
    """Write the parts of the browser's file this session changed; else renew its lease.

    The other parts are copied from the file as it is now: another tab of the same browser
    may have changed them since this session began.
    """
    if st.session_state.get(state.SAVING_OFF):
        return
    token = browser_token()
    signature = _signature()
    last = st.session_state.get(state.SAVED_SIGNATURE) or {}
    changed = [part for part in store.PARTS if signature[part] != last.get(part)]
    if not changed:
        if time.monotonic() - st.session_state.get(state.SAVED_AT, 0) > TOUCH_EVERY:
            st.session_state[state.SAVED_AT] = time.monotonic()
            try:
                store.touch(token)
            except OSError:
                pass
        return
    st.session_state[state.SAVED_SIGNATURE] = signature
    st.session_state[state.SAVED_AT] = time.monotonic()
    try:
        _write(token, changed)
    except store.StoreFull as exc:
        _unsaved(say(exc.args[0]))
    except OSError as exc:
        # strerror only ("No space left on device"): the message would show the server's path
        _unsaved(escape.markdown(exc.strerror or t("the server could not write the file")))
    else:
        st.session_state.pop(state.UNSAVED_SAID, None)


def _unsaved(reason):
    """Say why the work is not saved, once: while the server stays full every run fails
    to save for the same reason, and a warning above each of them pushed the page down."""
    if st.session_state.get(state.UNSAVED_SAID) != reason:
        st.session_state[state.UNSAVED_SAID] = reason
        state.flash("warning", t("Your work could not be saved on the server ({reason}): it "
                                 "lasts only as long as this tab.", reason=reason))


def _write(token, changed):
    """Write what changed, then sweep. The zip (models, datasets; up to 32 MB) is rewritten
    only when one of those changed or it vanished; a setting rewrites the small .json alone.
    A browser with no model and no dataset writes nothing: settings alone are not kept (a
    page view must not cost the server a file), they ride along once there is work."""
    snapshot = _snapshot()
    if snapshot.empty() and not store.exists(token):
        return
    parts = [part for part in changed if part in store.FILE_PARTS]
    if parts or not store.exists(token):
        previous = store.current(token)
        if previous is None:    # expired, dropped for room or never written: save everything
            parts = list(store.FILE_PARTS)
        room = store.room(token)
        content, dropped = store.encode(snapshot, max(0, room - store.BLOCK),
                                        previous=previous, changed=parts)
        for key in dropped:
            name = escape.markdown(datasets.options().get(key, key))
            state.flash("warning", t("{name} is too large to keep for this browser: it will "
                                     "not come back after a reload.", name=name)
                        if room >= store.browser_max_bytes() else
                        t("{name} cannot be kept on the server now (other browsers fill its "
                          "room for saved work, each within its fair share): it will not come "
                          "back after a reload.", name=name))
        store.write(token, content)
    if "settings" in changed or not store.has_settings(token):
        store.write_settings(token, store.encode_settings(snapshot.settings))
    store.sweep(keep=store.path_for(token))


def forget():
    """The sidebar's "Forget my saved work": the server's copy and this session's work."""
    if not st.session_state.get(state.SAVING_OFF):
        store.forget(browser_token())
    for key in (state.LIVE, state.NETWORK_LIVE, state.PLAYGROUND_LIVE):
        training.reset(key)
    for key in list(state.custom_datasets()):
        state.custom_datasets().pop(key)
        state.forget_dataset(key)
    for key in (state.TRAINED, state.TRAINED_NETWORK, state.RUNS, state.NETWORK_RESULTS,
                state.DATASET_KEY):
        st.session_state.pop(key, None)
    st.session_state[state.SAVED_SIGNATURE] = _signature()   # nothing to write until a change
    state.flash("success", t("Your saved work was forgotten: this server keeps nothing of it."))


def render_note():
    """What is kept, for whom and for how long, in the sidebar."""
    st.caption(t("Saved on the server for this browser only, for {minutes} after your last "
                 "visit: trained models, settings and your own datasets. A reload or a new tab "
                 "brings them back.", minutes=words.minutes(store.ttl_seconds() // 60)))
    st.button(t("Forget my saved work"), key="forget_saved", icon=":material/delete_forever:",
              on_click=forget, help=t("Delete this browser's models, settings and datasets "
                                      "from the server and from this tab."))
