"""What a browser keeps on the server between its sessions: one file per browser, on disk.

A reload, a new tab or a reconnect to another replica starts a new Streamlit session, which
begins empty. So a browser's work (its trained models, settings and own datasets) is written
to ``$LOGREG_STATE_DIR`` (default: ``logreg-studio-state`` in the system's temporary folder),
which every replica on the machine shares, under a name derived from a hash of the browser's
cookie token (never the token itself), and read back by the next session of that browser.

A browser's settings are a small ``<name>.json`` next to its zip, so a changed setting
rewrites a few hundred bytes, not the models and datasets (up to :func:`browser_max_bytes`).
The zip (stored, not compressed) holds ``meta.json`` (what the other members are),
``model.npz`` / ``network.npz`` in :mod:`logreg.params`' format and each own dataset as
its ``.h5`` pair in :mod:`logreg.h5write`'s format. It is read back through the same checked
loaders as an upload (:func:`logreg.params.load_params`, :func:`logreg.network_model.
load_network`, :func:`logreg.data.load_pair`), so a tampered file is refused like an upload.

Bounds, enforced at every write under a lock shared by every replica (``fcntl.flock`` on
``.lock`` in the folder), counting the disk each file really takes (``st_blocks * 512``):
a file unused for :func:`ttl_seconds` (1 hour) is deleted; a browser keeps at most
:func:`browser_max_bytes` (oldest datasets left out first); all browsers together at most
:func:`total_max_bytes` and :func:`max_browsers` browsers. Settings alone are never a file:
they are kept only beside a zip (a model or a dataset), so a visit that saves no work writes
nothing. A dropped file leaves a small marker saying why, so that browser is told when it
comes back.

Eviction policy ("the store is fair"). A browser's **fair share** is the total cap divided
by the number of browsers in the store (counting the one writing): with the defaults at
least 512 MiB / 128 = 4 MiB, and more while fewer browsers keep work. When a write needs
room (bytes, or a place among :func:`max_browsers`), expired browsers go first, then the
least recently used browser *over* its share, the share recomputed after each one, until
the write fits. A browser within its share is never evicted for another's write: if
dropping every browser over its share is not enough, the write is refused
(:class:`StoreFull`) and nothing is dropped. Why: the total cap alone let a few browsers
(23 fresh cookies, one 23.7 MB upload each) push out a classmate's small saved model; a
share that divides the cap by the browsers present keeps every ordinary browser (models,
settings, a dataset or two) safe however many large ones arrive, yet lets one browser use
the whole store while it is alone. A write can exceed the total cap only transiently, by
the one file being written (its temporary exists until it replaces the old file).

No Streamlit here: :mod:`studio.frame.saved` connects this to the session.
"""
import contextlib
import hashlib
import io
import json
import math
import os
import re
import secrets
import stat
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:     # Windows: one process at a time is the best it gets
    fcntl = None

from logreg.data import DatasetError, load_pair
from logreg.h5write import dataset_to_bytes
from logreg.network_model import load_network, network_to_bytes
from logreg.params import ParamsError, load_params, params_to_bytes
from logreg.words import Message, N_

COOKIE = "logreg_browser"           # the cookie that names a browser
COOKIE_MAX_AGE = 24 * 3600          # seconds the browser keeps it
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32}")   # secrets.token_urlsafe(24)
DIR_ENV, TTL_ENV = "LOGREG_STATE_DIR", "LOGREG_STATE_TTL"
TOTAL_ENV, BROWSER_ENV = "LOGREG_STATE_MAX_BYTES", "LOGREG_STATE_BROWSER_MAX_BYTES"
BROWSERS_ENV = "LOGREG_STATE_MAX_BROWSERS"
DEFAULT_TTL = 3600                  # seconds of inactivity a browser's work is kept
DEFAULT_TOTAL = 512 * 1024 * 1024   # all browsers together
DEFAULT_BROWSER = 32 * 1024 * 1024  # one browser: three own datasets of the cat data's size
DEFAULT_BROWSERS = 128              # browsers keeping work: four a student in a class of 30
LOCK = ".lock"                      # in the folder: every write and sweep holds it
BLOCK = 4096                        # a file's allocation, estimated before it is written
SUFFIX, MARKER = ".zip", ".dropped"  # a browser's file; why it was dropped
SETTINGS_SUFFIX = ".json"           # a browser's settings, beside its file
FORMAT_VERSION = 1
MAX_META_BYTES = 64 * 1024
MAX_MEMBERS = 16                    # meta, two models, at most six dataset files and room
MAX_NAME = 200                      # characters in a dataset name or a key
MAX_ROWS = 20                       # rows of a table kept with the settings (latest ones)
SWEEP_EVERY = 60                    # seconds between two sweeps in one process
# The only names the sweep touches in the folder: a browser's files, and write()'s temporaries
OWN_NAME = re.compile(r"[0-9a-f]{40}\.(zip|dropped|json)")
TEMP_NAME = re.compile(r"\.[0-9a-f]{40}\.(zip|json)\.[0-9]+\.[0-9a-f]{8}\.tmp")
_last_sweep = [0.0]


class StoreError(ValueError):
    """A saved file that cannot be used; the message says why in one sentence."""


class StoreUnavailable(OSError):
    """The store's folder is not safe to use (another user's): saving is off."""


class StoreFull(Exception):
    """A write refused to keep the store fair; ``reason`` says which limit: "room" (the
    total cap, every other browser within its share), "browsers" (the number of browsers,
    likewise) or "browser" (this browser's own cap)."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__({   # a Message: studio.frame.saved says it in the page's language
            "room": Message(N_("the server's room for saved work is taken by other browsers "
                               "within their fair share")),
            "browsers": Message(N_("the server already keeps work for as many browsers as "
                                   "it may")),
            "browser": Message(N_("the work is larger than one browser may keep"))}[reason])


@dataclass
class Saved:
    """What one browser keeps: models, settings and own datasets, as live objects."""

    model: object = None             # logreg.TrainedModel
    model_key: str = None            # the dataset key it was trained on
    network: object = None           # logreg.network_model.TrainedNetwork
    network_key: str = None
    settings: dict = field(default_factory=dict)   # {session key: number or str}
    datasets: dict = field(default_factory=dict)   # {"upload:name" | "built:name": Dataset}
    # Parts of the file that could not be restored and were dropped from it, the rest kept:
    # [(kind "model" | "network" | "dataset", name or None, reason)]
    lost: list = field(default_factory=list)

    def empty(self):
        return self.model is None and self.network is None and not self.datasets


# ------------------------------------------------------------------------- configuration


def _int_env(name, default):
    try:
        value = int(float(os.environ.get(name, default)))
    except ValueError:
        return default
    return value if value > 0 else default


def ttl_seconds():
    return _int_env(TTL_ENV, DEFAULT_TTL)


def total_max_bytes():
    return _int_env(TOTAL_ENV, DEFAULT_TOTAL)


def browser_max_bytes():
    return min(_int_env(BROWSER_ENV, DEFAULT_BROWSER), total_max_bytes())


def max_browsers():
    return _int_env(BROWSERS_ENV, DEFAULT_BROWSERS)


def directory():
    """The store's folder (made when missing), readable by this user only.

    Raises
    ------
    StoreUnavailable
        It is not a folder of this user's (someone else made it first in a shared /tmp):
        writing there would hand browsers' work to them.
    """
    path = Path(os.environ.get(DIR_ENV) or Path(tempfile.gettempdir()) / "logreg-studio-state")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = path.stat()
    if not stat.S_ISDIR(status.st_mode) or (hasattr(os, "getuid")
                                           and status.st_uid != os.getuid()):
        raise StoreUnavailable(f"the folder for saved work, {path}, is not this user's own")
    if stat.S_IMODE(status.st_mode) != 0o700:
        path.chmod(0o700)
    return path


# --------------------------------------------------------------------------- identities


def new_token():
    return secrets.token_urlsafe(24)


def valid_token(token):
    """Whether a cookie value has the form :func:`new_token` gives (nothing else is used)."""
    return isinstance(token, str) and TOKEN_PATTERN.fullmatch(token) is not None


def path_for(token):
    """The browser's file: a hash of its token, so the folder's listing reveals no token."""
    digest = hashlib.sha256(f"logreg-studio-browser:{token}".encode()).hexdigest()[:40]
    return directory() / f"{digest}{SUFFIX}"


# ------------------------------------------------------------------------------ writing


FILE_PARTS = ("model", "network", "datasets")   # in the zip
PARTS = (*FILE_PARTS, "settings")                # "settings": the .json beside it


def settings_path(token):
    """The browser's settings file, beside its zip."""
    return path_for(token).with_suffix(SETTINGS_SUFFIX)


def encode_settings(settings):
    """The settings file's content, or None when there are none to keep."""
    if not settings:
        return None
    return json.dumps({"version": FORMAT_VERSION, "settings": settings}).encode()


def encode(saved, max_bytes, previous=None, changed=FILE_PARTS):
    """The zip's content for ``saved``, and the keys of the datasets left out to fit
    ``max_bytes`` (oldest first; models are small and always fit). The settings are not in
    it: :func:`encode_settings`.

    Parameters
    ----------
    previous : bytes, optional
        The browser's current file. The parts not in ``changed`` are copied from it as they
        are (checked when read back), so two tabs of one browser that change different
        parts do not undo each other's work.
    changed : iterable of :data:`FILE_PARTS` (others are ignored)

    Returns
    -------
    content : bytes or None (None: nothing worth keeping)
    dropped : list of str
    """
    meta = {"version": FORMAT_VERSION, "model": None, "network": None, "datasets": []}
    members, pairs, too_long = {}, [], []
    old_meta, old = _previous(previous)
    for part, model, key, to_bytes in (("model", saved.model, saved.model_key, params_to_bytes),
                                       ("network", saved.network, saved.network_key,
                                        network_to_bytes)):
        if part in changed:
            if model is not None:
                members[f"{part}.npz"] = to_bytes(model)
                # A key that could not be read back is left out: "a loaded file" then.
                meta[part] = {"member": f"{part}.npz",
                              "dataset_key": key if valid_name(key) else None}
        else:
            entry = old_meta.get(part)
            if isinstance(entry, dict) and entry.get("member") == f"{part}.npz" \
                    and f"{part}.npz" in old:
                members[f"{part}.npz"] = old[f"{part}.npz"]
                meta[part] = entry
    if "datasets" in changed:
        for index, (key, dataset) in enumerate(saved.datasets.items()):
            if not valid_name(key.partition(":")[2]):   # read() would refuse the whole file
                too_long.append(key)
                continue
            train, test = dataset_to_bytes(dataset)
            pairs.append((key, {f"d{index}_train.h5": train, f"d{index}_test.h5": test}))
    else:
        for entry in old_meta.get("datasets") or []:
            if isinstance(entry, dict) and entry.get("train") in old and entry.get("test") in old:
                pairs.append((entry, {entry["train"]: old[entry["train"]],
                                      entry["test"]: old[entry["test"]]}))
    used = sum(map(len, members.values())) + MAX_META_BYTES
    dropped = too_long
    while pairs and used + sum(len(b) for _, files in pairs for b in files.values()) > max_bytes:
        key = pairs.pop(0)[0]
        if isinstance(key, str):
            dropped.append(key)
    for key, files in pairs:
        if isinstance(key, str):
            kind, name = key.split(":", 1)
            train_member, test_member = files
            key = {"kind": kind, "name": name, "train": train_member, "test": test_member}
        meta["datasets"].append(key)
        members.update(files)
    if not members:
        return None, dropped
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("meta.json", json.dumps(meta))
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue(), dropped


def _previous(content):
    """(meta, {member: bytes}) of a file to copy parts from; empty when there is none or it
    cannot be read (the parts are checked when the file is read back, not here)."""
    if not content or len(content) > browser_max_bytes():
        return {}, {}
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > browser_max_bytes():
                return {}, {}
            members = {info.filename: archive.read(info) for info in infos}
        meta = json.loads(members.pop("meta.json"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError,
            NotImplementedError):
        return {}, {}
    return (meta, members) if isinstance(meta, dict) else ({}, {})


def current(token):
    """The browser's file as it is now (bytes), or None."""
    try:
        path = path_for(token)
        if path.stat().st_size > browser_max_bytes():
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def exists(token):
    """Whether the browser has a zip (a stat; nothing is read)."""
    return path_for(token).exists()


def has_settings(token):
    return settings_path(token).exists()


def write(token, content):
    """Replace the browser's zip atomically (a reader sees the old file or the new one); None
    deletes it and its settings (settings alone are not kept). Its settings file's
    time-to-live is renewed with it. Returns the path.

    Raises
    ------
    StoreFull
        The content does not fit this browser's cap, or the store has no room that the
        eviction policy (module docstring) may free: nothing was written or dropped.
    """
    if content is not None and len(content) > browser_max_bytes():
        raise StoreFull("browser")
    target = path_for(token)
    if content is None:
        with _locked(target.parent):
            _unlink(target)
            _unlink(settings_path(token))
        return target
    return _replace(target, content, settings_path(token))


def write_settings(token, content):
    """Replace (None: delete) the browser's settings file like :func:`write`; its zip's
    time-to-live is renewed, not its content. Settings ride along with other work only:
    while the browser has no zip nothing is written (returns None)."""
    target = settings_path(token)
    if content is None:
        _unlink(target)
        return target
    if len(content) > MAX_META_BYTES:
        raise StoreFull("browser")
    return _replace(target, content, path_for(token), needs_other=True)


def _replace(target, content, other, needs_other=False):
    """Write ``content`` as ``target`` under the lock, after making room fairly."""
    folder = target.parent
    with _locked(folder):
        if needs_other and not other.exists():
            return None
        _admit(folder, target.stem, _blocks(len(content)) + _allocated(other))
        write_atomic(target, content)
        _unlink(target.with_suffix(MARKER))
        _renew(other)
    return target


def write_atomic(target, content):
    """Replace ``target`` with ``content`` (bytes) so a reader sees the old file or the new
    one, never half of one: a private temporary beside it (0600; the sweep knows its name),
    then ``os.replace``. Call under :func:`locked` when others write the same folder."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                  "wb") as file:
            file.write(content)
        os.replace(temporary, target)
    except BaseException:
        _unlink(temporary)
        raise
    return target


def _renew(path):
    try:
        os.utime(path)
    except FileNotFoundError:
        pass


def touch(token):
    """Mark the browser active now (its time-to-live counts from here)."""
    _renew(path_for(token))
    _renew(settings_path(token))


def forget(token):
    for path in (path_for(token), settings_path(token), path_for(token).with_suffix(MARKER)):
        _unlink(path)


# ------------------------------------------------------------------------------ reading


def read(token, now=None):
    """The browser's :class:`Saved`, or None when it has no file (or it expired).

    Raises
    ------
    StoreError
        The zip cannot be read as a whole (damaged or changed by hand); it is deleted. A
        part of it that cannot be restored is dropped from it instead and listed in the
        result's ``lost``; the other parts come back. (A damaged settings file is deleted
        without a word: the pages start from their defaults.)
    """
    files = []
    for path in (path_for(token), settings_path(token)):
        try:
            files.append((path, path.stat()))
        except FileNotFoundError:
            pass
    if not files:
        return None
    if (now or time.time()) - max(status.st_mtime for _, status in files) > ttl_seconds():
        _drop_browser(files, "expired")
        return None
    saved = Saved()
    for path, status in files:
        if path.suffix == SUFFIX:
            content = path.read_bytes() if status.st_size <= browser_max_bytes() else None
            try:
                saved, kept = _decode(content)
            except StoreError:
                _unlink(path)
                raise
            if saved.lost:      # keep the rest, so the next visit is not told again
                try:
                    write(token, _rebuild(content, kept))
                except (StoreFull, OSError):
                    pass
    for path, status in files:
        if path.suffix == SETTINGS_SUFFIX:
            settings = _read_settings(path, status)
            if settings is None:
                _unlink(path)
            else:
                saved.settings = settings
    return saved


def _read_settings(path, status):
    """A settings file's table, checked like the zip's description; None if unusable."""
    if status.st_size > MAX_META_BYTES:
        return None
    try:
        content = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(content, dict) or content.get("version") != FORMAT_VERSION:
        return None
    return _settings(content.get("settings"))


def dropped_reason(token):
    """Why this browser's file was dropped ("expired" or "room"), once; None if it was not."""
    marker = path_for(token).with_suffix(MARKER)
    try:
        reason = marker.read_text()[:20]
    except (OSError, UnicodeDecodeError):
        return None
    _unlink(marker)
    return reason if reason in ("expired", "room") else None


def decode(content):
    """A :class:`Saved` from a file's bytes, every part checked like an upload.

    A file that cannot be read as a whole (not a zip, no description, another version)
    raises :class:`StoreError`. A part that cannot be restored (a damaged model, a dataset
    the loaders refuse) is left out and listed in ``lost``: the other parts come back.
    """
    return _decode(content)[0]


def _decode(content):
    """(:class:`Saved`, the description of the parts kept) from a file's bytes."""
    if content is None:
        raise StoreError(f"the saved file is larger than the limit of {browser_max_bytes():,} "
                         f"bytes")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise StoreError(f"the saved file has {len(infos)} parts, more than "
                                 f"{MAX_MEMBERS}")
            sizes = {info.filename: info.file_size for info in infos}
            if len(sizes) != len(infos) or sum(sizes.values()) > browser_max_bytes():
                raise StoreError("the saved file's parts are duplicated or too large")
            if "meta.json" not in sizes or sizes["meta.json"] > MAX_META_BYTES:
                raise StoreError("the saved file has no readable description")
            meta = json.loads(archive.read("meta.json"))
            return _saved(meta, archive, sizes)
    except StoreError:
        raise
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError,
            ValueError, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise StoreError(f"the saved file is damaged ({type(exc).__name__})") from None


# What restoring one part may raise: that part is left out, the others are kept.
_PART_ERRORS = (StoreError, ParamsError, DatasetError, zipfile.BadZipFile, KeyError,
                TypeError, ValueError, OSError, EOFError, NotImplementedError, RuntimeError,
                zlib.error)


def _part_reason(exc):
    if isinstance(exc, (StoreError, ParamsError, DatasetError)):
        return str(exc)
    return f"the saved part is damaged ({type(exc).__name__})"


def _rebuild(content, kept):
    """The file's bytes with only the parts ``kept`` (a description) describes; None when
    none is left."""
    members = [kept[part]["member"] for part in ("model", "network") if kept.get(part)]
    members += [entry[side] for entry in kept["datasets"] for side in ("train", "test")]
    if not members:
        return None
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("meta.json", json.dumps(kept))
        for member in members:
            archive.writestr(member, source.read(member))
    return buffer.getvalue()


def valid_name(value):
    """Whether ``value`` is a name the file can hold: a text of 1 to :data:`MAX_NAME`
    characters. What is written is checked with this, so a read never refuses it."""
    return isinstance(value, str) and 0 < len(value) <= MAX_NAME


def _text(value, what):
    if not valid_name(value):
        raise StoreError(f"the saved file's {what} is not a name")
    return value


def _key(value):
    """A model's dataset key, or None (shown as "a loaded file") when it is not a name."""
    return value if valid_name(value) else None


def _member(meta_entry, name, archive, sizes):
    member = meta_entry.get(name) if isinstance(meta_entry, dict) else None
    if member not in sizes or member == "meta.json":
        raise StoreError("the saved file names a part it does not hold")
    return archive.read(member)


def _saved(meta, archive, sizes):
    if not isinstance(meta, dict) or meta.get("version") != FORMAT_VERSION:
        raise StoreError("the saved file is of another version")
    saved = Saved(settings=_settings(meta.get("settings")))
    kept = {"version": FORMAT_VERSION, "model": None, "network": None, "datasets": []}
    if "settings" in meta:
        kept["settings"] = meta["settings"]
    for part, load, what in (("model", load_params, "the saved parameters"),
                             ("network", load_network, "the saved network")):
        entry = meta.get(part)
        if entry is None:
            continue
        try:
            setattr(saved, part, load(_member(entry, "member", archive, sizes), name=what))
            setattr(saved, f"{part}_key", _key(entry.get("dataset_key")))
            kept[part] = entry
        except _PART_ERRORS as exc:
            setattr(saved, part, None)
            saved.lost.append((part, None, _part_reason(exc)))
    entries = meta.get("datasets") or []
    if not isinstance(entries, list) or len(entries) > (MAX_MEMBERS - 3) // 2:
        raise StoreError("the saved file lists too many datasets")
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        try:
            kind = entry.get("kind") if isinstance(entry, dict) else None
            if kind not in ("upload", "built"):
                raise StoreError("the saved file holds a dataset of an unknown kind")
            name = _text(name, "dataset name")
            dataset = load_pair(_member(entry, "train", archive, sizes),
                                _member(entry, "test", archive, sizes), name=name,
                                train_name=f"saved train_{name}.h5",
                                test_name=f"saved test_{name}.h5")
            saved.datasets[f"{kind}:{name}"] = dataset
            kept["datasets"].append(entry)
        except _PART_ERRORS as exc:
            saved.lost.append(("dataset", name if valid_name(name) else None,
                               _part_reason(exc)))
    return saved, kept


def _settings(settings):
    """Only numbers and short texts under short names; the pages check their values. A bad
    entry is left out, never the reason to discard the file (settings are the least of it)."""
    if not isinstance(settings, dict) or len(settings) > 64:
        return {}
    clean = {}
    for key, value in settings.items():
        if not valid_name(key):
            continue
        if _scalar(value):
            clean[key] = value
        elif isinstance(value, list) and len(value) <= MAX_ROWS and all(
                isinstance(row, dict) and len(row) <= 16
                and all(valid_name(k) and _scalar(v) for k, v in row.items()) for row in value):
            clean[key] = value   # a small table: the Network page's runs
    return clean


def _scalar(value):
    """A number or a short text (never a bool: no setting is one, JSON would blur them)."""
    return (not isinstance(value, bool) and isinstance(value, (int, float))
            and math.isfinite(value) or isinstance(value, str) and len(value) <= MAX_NAME)


# ----------------------------------------------------------------------------- bounding


def _write_private(path, text):
    """A small file only this user can read (0600), replaced when it exists."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        file.write(text)


def _unlink(path):
    """Delete a file; whatever stands in the way (a folder, a permission) is left alone."""
    try:
        path.unlink(missing_ok=True)
        return True
    except OSError:
        return False


def _drop(path, reason, seen=None):
    """Delete a browser's file, leaving a marker so that browser hears why.

    ``seen``: the file's ``stat`` when it was judged. It is checked again just before: a file
    another replica rewrote since (a new modification time) is that browser's new work, kept.
    Returns whether the file was dropped.
    """
    if seen is not None:
        try:
            if path.stat().st_mtime != seen.st_mtime:
                return False
        except FileNotFoundError:
            return False
        except OSError:
            pass
    try:
        _write_private(path.with_suffix(MARKER), reason)
    except OSError:
        pass
    return _unlink(path)


def _drop_browser(files, reason):
    """Drop a browser's files [(path, stat when judged)] together, or none of them when one
    was rewritten since (another replica saved). Returns whether they were dropped."""
    for path, seen in files:
        try:
            if path.stat().st_mtime != seen.st_mtime:
                return False
        except FileNotFoundError:
            continue
        except OSError:
            pass
    return all([_drop(path, reason) for path, _ in files])


@contextlib.contextmanager
def _locked(folder):
    """Hold ``folder``'s lock, its ``.lock`` file (every replica's writes and sweeps of
    that folder take turns; the classes' folder has its own, :mod:`studio.session.classroom`)."""
    descriptor = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)        # releases the lock


def _blocks(size):
    """The disk a file of ``size`` bytes will take, estimated before it is written."""
    return -(-size // BLOCK) * BLOCK


def _allocated_of(status):
    """The disk a file really takes: its blocks, not its apparent size (a thousand small
    files take a thousand blocks)."""
    blocks = getattr(status, "st_blocks", None)
    return blocks * 512 if blocks is not None else _blocks(status.st_size)


# What studio.session.classroom shares: the same lock, disk count and atomic write for its files.
locked, allocated_of, blocks = _locked, _allocated_of, _blocks


def _allocated(path):
    try:
        return _allocated_of(path.stat())
    except FileNotFoundError:
        return 0


@dataclass
class _Browser:
    stem: str
    files: list                     # [(path, stat)]
    last: float = 0.0               # the newer file's modification time
    size: int = 0                   # allocated bytes of its files


def _scan(folder):
    """The app's own files in the folder: ({stem: _Browser}, markers, temporaries), the
    last two as [(path, stat)]. Anything else (a folder, a link, a foreign name) is left
    out, so it is never touched."""
    browsers, markers, temporaries = {}, [], []
    for path in folder.iterdir():
        own, temporary = OWN_NAME.fullmatch(path.name), TEMP_NAME.fullmatch(path.name)
        if not own and not temporary:
            continue
        try:
            status = path.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(status.st_mode):    # a folder or a link named like a file
            continue
        if temporary:
            temporaries.append((path, status))
        elif path.suffix == MARKER:
            markers.append((path, status))
        else:
            browser = browsers.setdefault(path.stem, _Browser(path.stem, []))
            browser.files.append((path, status))
            browser.last = max(browser.last, status.st_mtime)
            browser.size += _allocated_of(status)
    return browsers, markers, temporaries


def _tidy(markers, temporaries, now):
    """Delete stale temporaries (a crashed write), markers older than the cookie and the
    oldest markers beyond :func:`max_browsers`. Returns the markers left, oldest first,
    and the bytes they and the temporaries still take."""
    ttl = ttl_seconds()
    for path, status in temporaries:
        if now - status.st_mtime > 600:
            _unlink(path)
    kept = [(p, s) for p, s in temporaries if now - s.st_mtime <= 600]
    markers = sorted(markers, key=lambda marker: marker[1].st_mtime)
    fresh = [(p, s) for p, s in markers if now - s.st_mtime <= max(COOKIE_MAX_AGE, ttl)]
    fresh = fresh[len(fresh) - min(len(fresh), max_browsers()):]
    keep = {path for path, _ in fresh}
    for path, _ in markers:
        if path not in keep:
            _unlink(path)
    markers = fresh
    return markers, sum(_allocated_of(s) for _, s in kept + markers)


def _by_age(browsers, now, skip=None):
    """(the browsers not expired, oldest first; the expired ones), without ``skip`` (a
    stem). Reads only."""
    live, expired = [], []
    for stem, browser in browsers.items():
        if stem != skip:
            (expired if now - browser.last > ttl_seconds() else live).append(browser)
    return sorted(live, key=lambda browser: (browser.last, browser.stem)), expired


def _live(browsers, now, skip=None):
    """:func:`_by_age`'s browsers not expired; the expired ones are dropped, saying so.
    Returns (live, number dropped)."""
    live, expired = _by_age(browsers, now, skip)
    return live, sum(_drop_browser(browser.files, "expired") for browser in expired)


def _next_victim(candidates, others):
    """The least recently used browser over its fair share, or None: the share is the total
    cap over the browsers present (``candidates`` and ``others`` more that may not be
    dropped: the writer). ``candidates`` are oldest first."""
    share = total_max_bytes() / (len(candidates) + others)
    return next((browser for browser in candidates if browser.size > share), None)


def _admit(folder, stem, after):
    """Make room for browser ``stem`` to hold ``after`` allocated bytes, by the eviction
    policy of the module docstring. Call under the lock. Raises :class:`StoreFull` (and
    drops nobody for room) when it cannot."""
    now = time.time()
    browsers, markers, temporaries = _scan(folder)
    new = stem not in browsers
    markers, fixed = _tidy(markers, temporaries, now)
    remaining, _ = _live(browsers, now, skip=stem)
    victims = []

    def fits():
        used = fixed + sum(b.size for b in remaining) + after + BLOCK * len(victims)
        return used <= total_max_bytes() and (not new or len(remaining) < max_browsers())

    while not fits():
        victim = _next_victim(remaining, 1)
        if victim is not None:
            remaining.remove(victim)
            victims.append(victim)
        elif markers:       # a "why it was dropped" note is the least of anyone's work
            path, status = markers.pop(0)
            _unlink(path)
            fixed -= _allocated_of(status)
        else:
            raise StoreFull("browsers" if new and len(remaining) >= max_browsers()
                            else "room")
    for victim in victims:
        _drop_browser(victim.files, "room")


def room(token):
    """The bytes this browser's zip may take now: :func:`browser_max_bytes`, or less when
    the store is full of other browsers within their fair share (the policy would refuse
    more). What :mod:`studio.frame.saved` encodes to, so it leaves datasets out, not the write."""
    folder = directory()
    stem = path_for(token).stem
    browsers, markers, temporaries = _scan(folder)
    now = time.time()
    fixed = sum(_allocated_of(s) for _, s in markers + temporaries)
    fixed += _allocated(settings_path(token))
    remaining, _ = _by_age(browsers, now, skip=stem)
    victims = 0
    while (victim := _next_victim(remaining, 1)) is not None:
        remaining.remove(victim)
        victims += 1
    free = total_max_bytes() - fixed - sum(b.size for b in remaining) - BLOCK * (victims + 1)
    return max(0, min(browser_max_bytes(), free))


def usage():
    """(allocated bytes, number of browsers) of the store now: what the caps bound."""
    browsers, markers, temporaries = _scan(directory())
    extra = sum(_allocated_of(s) for _, s in markers + temporaries)
    return sum(b.size for b in browsers.values()) + extra, len(browsers)


def sweep(keep=None, now=None, force=False):
    """Delete expired files and stale markers and temporaries; then, should the store be
    over a cap anyway (a cap lowered since), drop browsers by the eviction policy.

    A browser's zip and settings file go together, by the newer one's time. ``keep`` (a path
    of a browser's) is never dropped for room: the browser that just saved. Runs at most
    every :data:`SWEEP_EVERY` seconds in a process unless ``force``. Returns the number of
    browsers dropped.
    """
    now = now or time.time()
    if not force and now - _last_sweep[0] < SWEEP_EVERY:
        return 0
    _last_sweep[0] = now
    folder = directory()
    keep = Path(keep).stem if keep is not None else None
    with _locked(folder):
        browsers, markers, temporaries = _scan(folder)
        _, fixed = _tidy(markers, temporaries, now)
        live, dropped = _live(browsers, now)
        total = fixed + sum(browser.size for browser in live)
        kept = [browser for browser in live if browser.stem == keep]
        remaining = [browser for browser in live if browser.stem != keep]
        while total > total_max_bytes() or len(live) > max_browsers():
            victim = _next_victim(remaining, len(kept))
            if victim is None:
                break
            remaining.remove(victim)
            live.remove(victim)
            if _drop_browser(victim.files, "room"):
                total -= victim.size
                dropped += 1
    return dropped
