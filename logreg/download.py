"""Fetching the course's cat / non-cat files from public mirrors, verified before use.

The mirrors and their pinned sizes and sha256 digests live in ``mirrors.json`` next to this
module. Each file is streamed into a temporary file in the destination folder, aborted as
soon as it grows past its pinned size, checked against the pinned sha256, and only then
renamed into place, so a failed download never leaves anything behind. Both files of the
pair come from the same mirror, because mirrors differ in HDF5 layout details and their
digests are pinned in pairs. Any failure moves on to the next mirror.
"""
import hashlib
import http.client
import json
import os
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

MIRRORS_FILE = Path(__file__).with_name("mirrors.json")
DEFAULT_TIMEOUT = 30.0
# A slow trickle within every socket timeout would otherwise never end.
DEFAULT_DEADLINE = 600.0
_CHUNK = 64 * 1024
_SCHEMES = ("http", "https", "file")


class DownloadError(Exception):
    """No mirror gave verified files; the message is one sentence for the user."""


@dataclass(frozen=True)
class Pin:
    """The exact size and sha256 a file must have."""

    size: int
    sha256: str


@dataclass(frozen=True)
class Mirror:
    """Where the files are (``url`` with ``{name}``) and the pinned file sets it may serve.

    Each entry of ``pin_sets`` maps every file name to a :class:`Pin`; a download is accepted
    when both files match the same entry.
    """

    url: str
    pin_sets: tuple

    def url_of(self, file_name):
        return self.url.replace("{name}", urllib.parse.quote(file_name))

    @property
    def host(self):
        parts = urllib.parse.urlsplit(self.url)
        return parts.netloc or parts.path.split("{name}")[0] or self.url


@dataclass
class DownloadResult:
    """What happened: the files in place, which were fetched and which mirrors failed why."""

    paths: list
    mirror: object = None            # the Mirror the files came from; None if all were present
    downloaded: list = field(default_factory=list)
    failures: list = field(default_factory=list)  # [(url, reason)]


class _MirrorFailed(Exception):
    """One mirror did not work; the reason is kept for the summary."""

    def __init__(self, url, reason, unreachable=False):
        super().__init__(reason)
        self.url = url
        self.reason = reason
        self.unreachable = unreachable


def load_mirrors(path=MIRRORS_FILE):
    """The file names and the mirrors listed in ``mirrors.json``.

    Returns
    -------
    file_names : tuple of str
    mirrors : list of Mirror
    """
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    file_names = tuple(spec["files"])
    mirrors = []
    for entry in spec["mirrors"]:
        pins = {name: Pin(int(entry["files"][name]["size"]),
                          entry["files"][name]["sha256"].lower()) for name in file_names}
        mirrors.append(Mirror(entry["url"], (pins,)))
    return file_names, mirrors


def custom_mirror(url, mirrors=None):
    """A mirror at a base URL serving ``{name}``, accepting any pinned pair of files.

    Raises
    ------
    DownloadError
        For a URL that is not http, https or file.
    """
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in _SCHEMES:
        raise DownloadError(f"{url}: a mirror must be an http://, https:// or file:// URL")
    if mirrors is None:
        mirrors = load_mirrors()[1]
    pattern = url if "{name}" in url else url.rstrip("/") + "/{name}"
    return Mirror(pattern, tuple(pins for m in mirrors for pins in m.pin_sets))


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _matching(pin_sets, file_name, pin):
    return tuple(pins for pins in pin_sets if pins[file_name] == pin)


def _reason(exc):
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
        if isinstance(exc, str):
            return exc
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "timed out"
    return str(exc) or type(exc).__name__


def _unreachable(exc):
    """True when the mirror could not be contacted at all (as opposed to a bad answer)."""
    return (isinstance(exc, urllib.error.URLError)
            and not isinstance(exc, urllib.error.HTTPError)
            and isinstance(exc.reason, (OSError, str)))


def _fetch(url, temp, file_name, max_size, timeout, deadline, progress):
    """Stream ``url`` into the open file ``temp``; return (size, sha256)."""
    digest = hashlib.sha256()
    done = 0
    request = urllib.request.Request(url, headers={"User-Agent": "logreg-studio"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            announced = response.headers.get("Content-Length")
            if announced is not None and announced.isdigit() and int(announced) > max_size:
                raise _MirrorFailed(url, f"the server announces {int(announced):,} bytes, "
                                         f"expected {max_size:,}")
            total = int(announced) if announced and announced.isdigit() else max_size
            if progress:
                progress(0, total, file_name)
            # read1 returns what has arrived, so the deadline is checked even on a trickle.
            read = getattr(response, "read1", response.read)
            while True:
                if time.monotonic() > deadline:
                    raise _MirrorFailed(url, "the download took too long")
                chunk = read(_CHUNK)
                if not chunk:
                    break
                done += len(chunk)
                if done > max_size:
                    raise _MirrorFailed(url, f"the file is larger than the expected "
                                             f"{max_size:,} bytes")
                digest.update(chunk)
                temp.write(chunk)
                if progress:
                    progress(done, total, file_name)
    except _MirrorFailed:
        raise
    except (urllib.error.URLError, OSError, ValueError, EOFError,
            http.client.HTTPException) as exc:
        # OSError covers refused connections, timeouts and resets; HTTPException a garbled
        # or cut-off response.
        raise _MirrorFailed(url, _reason(exc), _unreachable(exc)) from None
    return Pin(done, digest.hexdigest())


def _present(path, file_name, pin_sets):
    """The pin sets an existing file matches (empty when it is absent or matches none)."""
    if not path.is_file():
        return ()
    pin = Pin(path.stat().st_size, None)
    if not any(pins[file_name].size == pin.size for pins in pin_sets):
        return ()
    return _matching(pin_sets, file_name, Pin(pin.size, sha256_of(path)))


def _all_present(paths, file_names, pin_sets):
    """True when every file is already in place and they match one pinned set."""
    for path, file_name in zip(paths, file_names):
        pin_sets = _present(path, file_name, pin_sets)
        if not pin_sets:
            return False
    return True


def _from_mirror(mirror, file_names, dest, timeout, deadline, progress):
    """Fetch the missing files from one mirror; return the names fetched."""
    pin_sets = mirror.pin_sets
    temps = {}
    try:
        for file_name in file_names:
            already = _present(dest / file_name, file_name, pin_sets)
            if already:
                pin_sets = already
                continue
            url = mirror.url_of(file_name)
            max_size = max(pins[file_name].size for pins in pin_sets)
            handle = tempfile.NamedTemporaryFile(dir=dest, prefix=f".{file_name}.",
                                                 suffix=".part", delete=False)
            temps[file_name] = Path(handle.name)
            with handle:
                pin = _fetch(url, handle, file_name, max_size, timeout, deadline, progress)
            matching = _matching(pin_sets, file_name, pin)
            if not matching:
                expected = " or ".join(f"{p[file_name].size:,} bytes with sha256 "
                                       f"{p[file_name].sha256[:12]}…" for p in pin_sets)
                raise _MirrorFailed(url, f"got {pin.size:,} bytes with sha256 "
                                         f"{pin.sha256[:12]}…, expected {expected}")
            pin_sets = matching
        for file_name, temp in temps.items():
            os.replace(temp, dest / file_name)
        fetched = list(temps)
        temps.clear()
        return fetched
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def download(dest, mirrors=None, file_names=None, timeout=DEFAULT_TIMEOUT,
             total_timeout=DEFAULT_DEADLINE, progress=None):
    """Put verified copies of the cat files into ``dest``.

    Parameters
    ----------
    dest : path
        Folder to put the files in (created if needed).
    mirrors : list of Mirror, optional
        Tried in order; default: the list in ``mirrors.json``.
    file_names : sequence of str, optional
        Default: the names in ``mirrors.json``.
    timeout : float
        Seconds a connection may stay silent.
    total_timeout : float
        Seconds one mirror may take in all.
    progress : callable(bytes_done, bytes_total, file_name), optional

    Returns
    -------
    DownloadResult

    Raises
    ------
    DownloadError
        With one sentence when no mirror gave verified files or ``dest`` is not writable.
    """
    dest = Path(dest)
    default_names, default_mirrors = load_mirrors()
    file_names = tuple(file_names or default_names)
    mirrors = list(default_mirrors if mirrors is None else mirrors)
    try:
        dest.mkdir(parents=True, exist_ok=True)
        if not os.access(dest, os.W_OK):
            raise PermissionError("permission denied")
    except OSError as exc:
        raise DownloadError(f"cannot write to {dest} ({exc.strerror or exc}); "
                            f"the built-in faces dataset still works") from None
    paths = [dest / name for name in file_names]
    for mirror in mirrors:
        if _all_present(paths, file_names, mirror.pin_sets):
            return DownloadResult(paths)
    failures = []
    unreachable = []
    for mirror in mirrors:
        deadline = time.monotonic() + total_timeout
        try:
            fetched = _from_mirror(mirror, file_names, dest, timeout, deadline, progress)
        except _MirrorFailed as failure:
            failures.append((failure.url, failure.reason))
            unreachable.append(failure.unreachable)
            continue
        except OSError as exc:  # the destination filled up or vanished
            raise DownloadError(f"cannot write to {dest} ({exc.strerror or exc}); "
                                f"the built-in faces dataset still works") from None
        return DownloadResult(paths, mirror, fetched, failures)
    raise DownloadError(_summary(failures, unreachable))


def _summary(failures, unreachable):
    if not failures:
        return "no mirror to download the cat data from; the built-in faces dataset still works"
    if all(unreachable):
        reasons = "; ".join(sorted({reason for _, reason in failures}))
        return (f"could not reach any mirror of the cat data (check the network connection: "
                f"{reasons}); the built-in faces dataset still works")
    details = "; ".join(f"{url}: {reason}" for url, reason in failures)
    return (f"could not get a verified copy of the cat data from any mirror ({details}); "
            f"the built-in faces dataset still works")
