"""A class: a short code students type, a key only the teacher holds, and every student's
runs, kept in the shared store's folder so that every replica sees the same class.

Files, under ``<store folder>/classes/<CODE>/`` (mode 700, each file 600, written whole
through :func:`studio.session.store.write_atomic` under the folder's own lock, so a reader on any
replica sees the old file or the new one):

- ``class.json``: the class's settings: its code, a SHA-256 of the teacher key (never the
  key: a listing or a backup of the folder gives no one the board), when it expires, the
  challenge, whether runs are sent automatically, whether the leaderboard shows names, and
  the lesson the teacher last pushed;
- ``s-<id>.json``: one per student, written only by that student's sessions: the display
  name, the page open, the run going on and how far, and the runs sent to the class (each
  with its settings, final cost, accuracies, when it ended and a cost curve of at most
  :data:`CURVE_POINTS` points). The id is a hash of the browser's cookie token, so a
  reload finds the class again and the folder's listing reveals no token. Its
  modification time is the student's last sign of life (an open tab renews it).

One file per student: thirty students writing at once each replace their own small file,
and the board reads them all (a few KB each) every couple of seconds.

Bounds, checked at every write: :func:`max_classes` classes on the server,
:func:`max_students` students, :func:`max_submissions` runs and :func:`max_bytes` bytes of
disk (counted in blocks, as the store counts) per class; a name is at most
:data:`MAX_NAME` characters of plain text. A class expires :func:`ttl_hours` after it
started and is deleted by the next sweep; **End class** deletes its folder at once (renamed
away first, so no reader sees half of it). Nothing personal is kept but the chosen name.

No Streamlit here: :mod:`studio.sections.class_session` connects a session to a class.
"""
import csv
import dataclasses
import hashlib
import hmac
import io
import json
import math
import os
import re
import secrets
import shutil
import stat
import time
import unicodedata
from dataclasses import dataclass, field

from logreg.words import Message, N_

from . import store

FOLDER = "classes"                     # inside store.directory()
ALPHABET = "ACDEFHJKMNPRTWXY3479"     # no 0/O/Q, 1/I/L, 2/Z, 5/S, 6/G/B, 8, U/V: read aloud
CODE_LENGTH = 6                        # 20⁶ = 64 million codes for at most a few classes
CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
KEY = re.compile(r"[A-Za-z0-9_-]{22}")     # secrets.token_urlsafe(16): 128 random bits
STUDENT = re.compile(r"[0-9a-f]{24}")
STUDENT_FILE = re.compile(r"s-([0-9a-f]{24})\.json")
CLASS_FILE = "class.json"
FORMAT_VERSION = 1
TTL_ENV, CLASSES_ENV = "LOGREG_CLASS_HOURS", "LOGREG_CLASS_MAX"
STUDENTS_ENV, SUBMISSIONS_ENV, BYTES_ENV = ("LOGREG_CLASS_MAX_STUDENTS",
                                            "LOGREG_CLASS_MAX_RUNS", "LOGREG_CLASS_MAX_BYTES")
DEFAULT_HOURS = 8                      # a school day
DEFAULT_CLASSES = 16                   # classes on one server at once
DEFAULT_STUDENTS = 60                  # two classes' worth in one room
DEFAULT_SUBMISSIONS = 1200             # 20 runs for each of 60 students
DEFAULT_BYTES = 8 * 1024 * 1024        # a run is about 2 KB: 1200 of them fit with room
MAX_HOURS = 24
MAX_FILE = 256 * 1024                  # one student's file (about 120 runs); class.json
MAX_NAME = 24                          # characters of a display name
MAX_TITLE = 80                         # characters of the challenge's title
CURVE_POINTS = 60                      # a sent run's cost curve, evenly sampled
QUIET_SECONDS = 90                     # no sign of life for this long: "quiet"
TEMP_SECONDS = 600                     # a temporary older than this is a crashed write's
RULES = ("test", "units")              # best test accuracy; fewest hidden units ≥ a target
KINDS = ("logistic", "network", "playground")
PAGES = ("", "start", "data", "train", "normalization", "network", "classify",
         "how-it-works", "class")
LESSON_PAGES = ("data", "train", "normalization", "network", "classify", "how-it-works")
SETTING_NAMES = ("iterations", "learning_rate", "scaling", "hidden", "activation", "init",
                 "points")
LESSON_QUERY = ("iterations", "lr", "scaling")   # what a pushed link may set (settings.py)
HIDE_FLAGS = ("iterations", "lr", "scaling", "speed", "step", "params")  # presenter.hideable


class ClassError(ValueError):
    """A refusal, in one sentence (a :class:`~logreg.words.Message`: the page says it in
    the session's language)."""


# ------------------------------------------------------------------------- configuration


def _int_env(name, default, low=1, high=None):
    try:
        value = int(float(os.environ.get(name, default)))
    except ValueError:
        return default
    if value < low:
        return default
    return min(value, high) if high else value


def ttl_hours():
    return _int_env(TTL_ENV, DEFAULT_HOURS, high=MAX_HOURS)


def max_classes():
    return _int_env(CLASSES_ENV, DEFAULT_CLASSES)


def max_students():
    return _int_env(STUDENTS_ENV, DEFAULT_STUDENTS)


def max_submissions():
    return _int_env(SUBMISSIONS_ENV, DEFAULT_SUBMISSIONS)


def max_bytes():
    return _int_env(BYTES_ENV, DEFAULT_BYTES)


def started():
    """Whether any class was ever started on this store (its folder exists): a page view
    of a server without classes looks no further and writes nothing."""
    return (store.directory() / FOLDER).is_dir()


def root():
    """The classes' folder inside the store's (made private when missing)."""
    path = store.directory() / FOLDER
    path.mkdir(mode=0o700, exist_ok=True)
    status = path.lstat()
    if not stat.S_ISDIR(status.st_mode):
        raise store.StoreUnavailable("the classes' folder is not a folder")
    return path


# --------------------------------------------------------------------------- identities


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normal_code(text):
    """A typed code as the class's code ("abc 123" → "ABC123"), or None when it cannot be
    one (wrong length or a letter the alphabet leaves out)."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    code = re.sub(r"[\s\-_.]", "", text).upper()
    return code if CODE.fullmatch(code) else None


def new_key():
    return secrets.token_urlsafe(16)


def _key_hash(key):
    return hashlib.sha256(f"logreg-studio-teacher:{key}".encode()).hexdigest()


def student_id(token):
    """A student's id in a class: a hash of the browser's cookie token (never the token)."""
    return hashlib.sha256(f"logreg-studio-student:{token}".encode()).hexdigest()[:24]


def split_teacher_link(text):
    """``CODE.KEY`` (the teacher link's ``teach=`` value) → (code, key), or None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    code, _, key = text.partition(".")
    code = normal_code(code)
    return (code, key) if code and KEY.fullmatch(key) else None


def clean_name(text):
    """A display name as plain text: control and format characters out, spaces collapsed,
    at most :data:`MAX_NAME` characters; None when nothing is left. (It is escaped again
    wherever it is shown: Markdown, charts, CSV.)"""
    if not isinstance(text, str):
        return None
    text = "".join(ch for ch in unicodedata.normalize("NFC", text[:200])
                   if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())[:MAX_NAME].strip()
    return text or None


def clean_title(text):
    if not isinstance(text, str):
        return ""
    text = "".join(ch for ch in text[:400] if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:MAX_TITLE].strip()


# ------------------------------------------------------------------------------ records


@dataclass
class Challenge:
    """What the leaderboard ranks. ``rule`` "test": the best test accuracy (on ``dataset``,
    a dataset key, or on any); "units": the playground's ``points`` reaching ``target`` %
    training accuracy with the fewest hidden units."""

    title: str = ""
    rule: str = "test"
    dataset: str = None
    points: str = "flower"
    target: float = 90.0

    def as_json(self):
        return {"title": self.title, "rule": self.rule, "dataset": self.dataset,
                "points": self.points, "target": self.target}


@dataclass
class Lesson:
    """A page the teacher asks everyone to open, with its settings and hidden controls."""

    number: int
    page: str
    query: dict
    hide: tuple
    sent: float

    def as_json(self):
        return {"number": self.number, "page": self.page, "query": self.query,
                "hide": list(self.hide), "sent": self.sent}


@dataclass
class Class:
    code: str
    key_hash: str
    created: float
    expires: float
    challenge: Challenge
    auto: bool = True                  # runs sent when they end; else the student sends
    anonymous: bool = False            # the leaderboard and curves without names
    lesson: Lesson = None

    def as_json(self):
        return {"version": FORMAT_VERSION, "code": self.code, "key": self.key_hash,
                "created": self.created, "expires": self.expires,
                "challenge": self.challenge.as_json(), "auto": self.auto,
                "anonymous": self.anonymous,
                "lesson": self.lesson.as_json() if self.lesson else None}


@dataclass
class Student:
    id: str
    name: str
    joined: float
    seen: float = 0.0                  # the file's modification time: last sign of life
    left: bool = False
    page: str = ""
    run: dict = None                   # {"kind", "iteration", "total", "status"} or None
    unsent: int = 0                    # finished runs the student has not sent yet
    runs: list = field(default_factory=list)   # sent runs, oldest first

    def as_json(self):
        return {"version": FORMAT_VERSION, "id": self.id, "name": self.name,
                "joined": self.joined, "left": self.left, "page": self.page, "run": self.run,
                "unsent": self.unsent, "runs": self.runs}

    def status(self, now=None):
        """"left", "quiet" (no sign of life for :data:`QUIET_SECONDS`) or "active"."""
        if self.left:
            return "left"
        return "quiet" if (now or time.time()) - self.seen > QUIET_SECONDS else "active"

    def latest(self):
        return self.runs[-1] if self.runs else None


def run_record(kind, dataset, dataset_title, model, settings, cost, train, test, seconds,
               costs, ended=None):
    """A finished run as the class keeps it (every field checked, so a read never refuses
    what was written). ``costs``: the cost at every iteration, sampled here."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of run {kind!r}")
    costs = [float(c) for c in costs]
    if len(costs) > CURVE_POINTS:
        step = (len(costs) - 1) / (CURVE_POINTS - 1)
        picks = sorted({round(i * step) for i in range(CURVE_POINTS)})
    else:
        picks = range(len(costs))
    curve = [[int(i), _number(costs[i])] for i in picks]
    record = {"kind": kind, "dataset": _short(dataset), "dataset_title": _short(dataset_title),
              "model": _short(model), "settings": _settings(settings), "cost": _number(cost),
              "train": _number(train), "test": _number(test), "seconds": _number(seconds),
              "ended": float(ended or time.time()), "curve": curve}
    return record


def _short(text, limit=120):
    return str(text)[:limit] if text is not None else None


def _number(value):
    """A finite float rounded for the file, or None (JSON has no NaN)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return round(value, 6) if math.isfinite(value) else None


def _settings(settings):
    clean = {}
    for name in SETTING_NAMES:
        value = (settings or {}).get(name)
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)) and math.isfinite(value):
            clean[name] = value
        elif isinstance(value, str) and len(value) <= 60:
            clean[name] = value
    return clean


def hidden_units(record):
    """The hidden units of a run's network (0: logistic regression), from its settings."""
    text = str((record.get("settings") or {}).get("hidden") or "")
    try:
        return sum(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        return None


# ------------------------------------------------------------------------ reading files


def _folder(code):
    return root() / code


def _read_json(path):
    """A small JSON object from a file of this app's, or None (missing, too large, broken)."""
    try:
        status = path.lstat()
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE:
            return None, None
        content = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None, None
    if not isinstance(content, dict) or content.get("version") != FORMAT_VERSION:
        return None, None
    return content, status


def _class_of(content):
    try:
        challenge = content.get("challenge") or {}
        rule = challenge.get("rule") if challenge.get("rule") in RULES else "test"
        target = float(challenge.get("target", 90.0))
        lesson = content.get("lesson")
        if isinstance(lesson, dict):
            lesson = Lesson(int(lesson["number"]), str(lesson["page"]),
                            {k: str(v) for k, v in dict(lesson["query"]).items()
                             if k in LESSON_QUERY},
                            tuple(f for f in lesson["hide"] if f in HIDE_FLAGS),
                            float(lesson["sent"]))
            if lesson.page not in LESSON_PAGES:
                lesson = None
        else:
            lesson = None
        dataset = challenge.get("dataset")
        return Class(str(content["code"]), str(content["key"]), float(content["created"]),
                     float(content["expires"]),
                     Challenge(clean_title(challenge.get("title")), rule,
                               dataset if isinstance(dataset, str) else None,
                               str(challenge.get("points") or "flower")[:40],
                               target if math.isfinite(target) else 90.0),
                     bool(content.get("auto", True)), bool(content.get("anonymous", False)),
                     lesson)
    except (KeyError, TypeError, ValueError):
        return None


def load(code, now=None):
    """The live class of this code, or None (no such class, ended or expired)."""
    code = normal_code(code)
    if code is None:
        return None
    content, _ = _read_json(_folder(code) / CLASS_FILE)
    found = _class_of(content) if content else None
    if found is None or found.code != code or (now or time.time()) > found.expires:
        return None
    return found


def _student_of(content, status):
    try:
        name = clean_name(content["name"])
        runs = [run for run in content.get("runs") or [] if _valid_run(run)]
        run = content.get("run")
        if isinstance(run, dict):
            run = {"kind": run.get("kind") if run.get("kind") in KINDS else "logistic",
                   "iteration": int(run["iteration"]), "total": max(int(run["total"]), 1),
                   "status": run.get("status") if run.get("status") in ("running", "stopped")
                   else "running"}
        else:
            run = None
        page = content.get("page")
        return Student(str(content["id"]), name or "?", float(content["joined"]),
                       status.st_mtime, bool(content.get("left")),
                       page if page in PAGES else "", run,
                       max(0, int(content.get("unsent") or 0)), runs)
    except (KeyError, TypeError, ValueError):
        return None


def _valid_run(run):
    return (isinstance(run, dict) and run.get("kind") in KINDS
            and isinstance(run.get("ended"), (int, float))
            and isinstance(run.get("curve"), list) and isinstance(run.get("settings"), dict))


# {code: {file name: ((mtime_ns, size, inode), Student)}}: the board re-reads a class every
# 2 s, and parsing 30 files of 20 runs each took 20 ms of JSON a time; now only the files
# that changed since (a write or a heartbeat) are parsed again. Only live files are kept.
_parsed = {}


def students(code):
    """Every student of the class, in the order they joined (copies: change them freely)."""
    folder = _folder(code)
    found, seen = [], {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        _parsed.pop(code, None)
        return []
    known = _parsed.get(code, {})
    for entry in entries:
        if not STUDENT_FILE.fullmatch(entry.name):
            continue
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        cached = known.get(entry.name)
        if cached is not None and cached[0] == stamp:
            student = cached[1]
        else:
            content, status = _read_json(folder / entry.name)
            student = _student_of(content, status) if content else None
        seen[entry.name] = (stamp, student)
        if student is not None:
            found.append(dataclasses.replace(student))
    _parsed[code] = seen
    return sorted(found, key=lambda s: (s.joined, s.id))


def student(code, sid):
    if not STUDENT.fullmatch(sid or ""):
        return None
    content, status = _read_json(_folder(code) / f"s-{sid}.json")
    return _student_of(content, status) if content else None


def find(sid):
    """The live class this student is in (a code), or None: how a reload finds its class."""
    if not STUDENT.fullmatch(sid or ""):
        return None
    try:
        codes = [name for name in os.listdir(root()) if CODE.fullmatch(name)]
    except OSError:
        return None
    for code in sorted(codes):
        if (_folder(code) / f"s-{sid}.json").exists() and load(code) is not None:
            found = student(code, sid)
            if found is not None and not found.left:
                return code
    return None


def is_teacher(code, key):
    """Whether ``key`` is the class's teacher key, compared in constant time."""
    found = load(code)
    if found is None or not isinstance(key, str) or not KEY.fullmatch(key):
        return False
    return hmac.compare_digest(_key_hash(key), found.key_hash)


# ------------------------------------------------------------------------------ writing


def _write(path, content):
    data = json.dumps(content, separators=(",", ":")).encode()
    if len(data) > MAX_FILE:
        raise ClassError(Message(N_("The class keeps at most {count} KB for one student: "
                                    "this was not sent."), count=MAX_FILE // 1024))
    folder = path.parent
    old = store.allocated_of(path.stat()) if path.exists() else 0
    if _used(folder) - old + store.blocks(len(data)) > max_bytes():
        raise ClassError(Message(N_("The class's room on the server is full ({size} MB): "
                                    "this was not sent."), size=max_bytes() // 2**20))
    store.write_atomic(path, data)


def _used(folder):
    total = 0
    for entry in os.scandir(folder):
        try:
            total += store.allocated_of(entry.stat(follow_symlinks=False))
        except OSError:
            pass
    return total


def create(challenge=None, auto=True, anonymous=False, hours=None, now=None):
    """Start a class. Returns (its :class:`Class`, the teacher key).

    Raises :class:`ClassError` when the server already runs :func:`max_classes` classes.
    """
    now = now or time.time()
    hours = min(max(int(hours or ttl_hours()), 1), MAX_HOURS)
    folder = root()
    with store.locked(folder):
        _sweep(folder, now)
        codes = [name for name in os.listdir(folder) if CODE.fullmatch(name)]
        if len(codes) >= max_classes():
            raise ClassError(Message(N_("The server already runs {count} classes, the most "
                                        "it may: end one, or try again later."),
                                     count=max_classes()))
        code = next(c for c in iter(new_code, None) if c not in codes)
        key = new_key()
        challenge = challenge or Challenge()
        challenge.title = clean_title(challenge.title)
        found = Class(code, _key_hash(key), now, now + hours * 3600, challenge, bool(auto),
                      bool(anonymous))
        (folder / code).mkdir(mode=0o700)
        _write(folder / code / CLASS_FILE, found.as_json())
    return found, key


def _teacher(code, key):
    if not is_teacher(code, key):
        raise ClassError(Message(N_("This teacher link is not valid for the class {code}."),
                                 code=code))


def push_lesson(code, key, page, query, hide, now=None):
    """Ask every student of the class to open ``page`` (teacher only). Returns the lesson."""
    _teacher(code, key)
    if page not in LESSON_PAGES:
        raise ClassError(Message(N_("Only the app's own pages can be sent.")))
    folder = _folder(code)
    with store.locked(root()):
        found = load(code)
        if found is None:
            raise _gone(code)
        number = (found.lesson.number + 1) if found.lesson else 1
        found.lesson = Lesson(number, page,
                              {k: str(v)[:40] for k, v in query.items() if k in LESSON_QUERY},
                              tuple(f for f in hide if f in HIDE_FLAGS), now or time.time())
        _write(folder / CLASS_FILE, found.as_json())
    return found.lesson


def set_rules(code, key, auto=None, anonymous=None, challenge=None):
    """Change how runs are sent, the leaderboard's names or the challenge (teacher only)."""
    _teacher(code, key)
    with store.locked(root()):
        found = load(code)
        if found is None:
            raise _gone(code)
        if auto is not None:
            found.auto = bool(auto)
        if anonymous is not None:
            found.anonymous = bool(anonymous)
        if challenge is not None:
            challenge.title = clean_title(challenge.title)
            found.challenge = challenge
        _write(_folder(code) / CLASS_FILE, found.as_json())
    return found


def end(code, key):
    """Delete everything of the class at once (teacher only)."""
    _teacher(code, key)
    with store.locked(root()):
        _remove(root(), code)


def _remove(folder, code):
    """The class's folder renamed out of readers' sight, then deleted."""
    _parsed.pop(code, None)
    gone = folder / f".gone-{code}-{secrets.token_hex(4)}"
    try:
        os.rename(folder / code, gone)
    except FileNotFoundError:
        return
    shutil.rmtree(gone, ignore_errors=True)


def _gone(code):
    return ClassError(Message(N_("There is no class with the code {code} now (it may have "
                                 "ended)."), code=code))


def join(code, sid, name, now=None):
    """Put a student in the class under ``name`` (made unique: "Fox", "Fox 2"). A student
    already in it gets the new name. Returns the :class:`Student`."""
    code = normal_code(code)
    if code is None:
        raise ClassError(Message(N_("A class code is {length} letters and digits, such as "
                                    "{example}."), length=CODE_LENGTH, example="KFX7MR"))
    if not STUDENT.fullmatch(sid or ""):
        raise ValueError("a student id is 24 hexadecimal digits")
    name = clean_name(name)
    if name is None:
        raise ClassError(Message(N_("A name needs 1 to {count} letters."), count=MAX_NAME))
    now = now or time.time()
    with store.locked(root()):
        if load(code, now) is None:
            raise _gone(code)
        everyone = students(code)
        me = next((s for s in everyone if s.id == sid), None)
        if me is None and len(everyone) >= max_students():
            raise ClassError(Message(N_("This class is full: it has {count} students, the "
                                        "most a class may have."), count=max_students()))
        taken = {s.name.casefold() for s in everyone if s.id != sid}
        unique, number = name, 2
        while unique.casefold() in taken:
            suffix = f" {number}"
            unique, number = name[:MAX_NAME - len(suffix)] + suffix, number + 1
        me = me or Student(sid, unique, now)
        me.name, me.left = unique, False
        _write(_folder(code) / f"s-{sid}.json", me.as_json())
    me.seen = now
    return me


def _update(code, sid, change):
    """Read the student's file, ``change(student)``, write it back; under the lock, so two
    tabs of one browser add their runs to the same file without losing one. Returns the
    student, or None when the class or the student is gone."""
    with store.locked(root()):
        if load(code) is None:
            return None
        me = student(code, sid)
        if me is None:
            return None
        change(me)
        _write(_folder(code) / f"s-{sid}.json", me.as_json())
    return me


def report(code, sid, page=None, run=None, unsent=None):
    """What the student is doing: the page open (a url path), the run going on (None: none)
    and how many finished runs wait to be sent."""
    def change(me):
        if page is not None:
            me.page = page if page in PAGES else ""
        me.run = run
        if unsent is not None:
            me.unsent = max(0, int(unsent))
    return _update(code, sid, change)


def heartbeat(code, sid):
    """A sign of life without a write: the file's time is renewed. False: it is gone."""
    if not STUDENT.fullmatch(sid or "") or normal_code(code) is None:
        return False
    try:
        os.utime(_folder(code) / f"s-{sid}.json")
    except OSError:
        return False
    return True


def submit(code, sid, record, unsent=None):
    """Send a finished run (:func:`run_record`) to the class.

    Raises :class:`ClassError` at the class's limit of runs or bytes, or when it is gone.
    """
    with store.locked(root()):
        if load(code) is None:
            raise _gone(code)
        sent = sum(len(s.runs) for s in students(code))
        if sent >= max_submissions():
            raise ClassError(Message(N_("The class has received {count} runs, the most it "
                                        "keeps: this run was not sent."),
                                     count=max_submissions()))
        me = student(code, sid)
        if me is None:
            raise _gone(code)
        me.runs.append(record)
        if unsent is not None:
            me.unsent = max(0, int(unsent))
        _write(_folder(code) / f"s-{sid}.json", me.as_json())
    return me


def leave(code, sid):
    """The student leaves: marked "left" on the board, not removed (their runs stay)."""
    def change(me):
        me.left, me.run = True, None
    return _update(code, sid, change)


# ------------------------------------------------------------------------------ sweeping


def sweep(now=None):
    """Delete expired classes, stale temporaries and ended classes' leftovers."""
    folder = root()
    with store.locked(folder):
        return _sweep(folder, now or time.time())


def _sweep(folder, now):
    removed = 0
    for name in os.listdir(folder):
        path = folder / name
        if name.startswith(".gone-"):
            shutil.rmtree(path, ignore_errors=True)
        elif CODE.fullmatch(name):
            content, _ = _read_json(path / CLASS_FILE)
            found = _class_of(content) if content else None
            if found is None:
                # A folder without a readable class.json: a crashed start, or tampering.
                try:
                    young = now - path.lstat().st_mtime < TEMP_SECONDS
                except OSError:
                    young = True
                if young:
                    continue
            elif now <= found.expires:
                for temporary in path.glob(".*.tmp"):
                    try:
                        if now - temporary.lstat().st_mtime > TEMP_SECONDS:
                            temporary.unlink()
                    except OSError:
                        pass
                continue
            _remove(folder, name)
            removed += 1
    return removed


def classes():
    """The live classes' codes (for the launcher and the tests)."""
    try:
        return sorted(name for name in os.listdir(root())
                      if CODE.fullmatch(name) and load(name) is not None)
    except OSError:
        return []


def usage(code):
    """(allocated bytes of the class's files, number of files): what the cap bounds."""
    folder = _folder(code)
    try:
        return _used(folder), len(os.listdir(folder))
    except OSError:
        return 0, 0


# ------------------------------------------------------------------------- the board's


def best(runs, challenge):
    """The run that ranks a student under ``challenge`` (None: none qualifies), and its
    score tuple (smaller ranks first)."""
    ranked = []
    for run in runs:
        if challenge.rule == "units":
            if run["kind"] != "playground":
                continue
            if (run.get("settings") or {}).get("points") != challenge.points:
                continue
            units = hidden_units(run)
            if units is None or run.get("train") is None or run["train"] < challenge.target:
                continue
            ranked.append(((units, -run["train"], run["ended"]), run))
        else:
            if run["kind"] == "playground" or run.get("test") is None:
                continue
            if challenge.dataset and run.get("dataset") != challenge.dataset:
                continue
            ranked.append(((-run["test"], -(run.get("train") or 0), run["ended"]), run))
    return min(ranked, key=lambda pair: pair[0], default=(None, None))[::-1]


def leaderboard(everyone, challenge):
    """[(place, student, run)] best first; equal scores share a place."""
    entries = []
    for person in everyone:
        run, score = best(person.runs, challenge)
        if run is not None:
            entries.append((score[:-1], person, run))
    entries.sort(key=lambda entry: (entry[0], entry[2]["ended"]))
    board, place, last = [], 0, None
    for index, (score, person, run) in enumerate(entries, start=1):
        if score != last:
            place, last = index, score
        board.append((place, person, run))
    return board


CSV_FIELDS = ("student", "kind", "dataset", "model", "iterations", "learning_rate", "scaling",
              "hidden", "activation", "init", "points", "final_cost", "train_accuracy",
              "test_accuracy", "seconds", "ended_utc")


def to_csv(everyone, names=None):
    """Every sent run as CSV text (one row a run). ``names``: {student id: the name to
    write}, e.g. anonymous labels; by default their display names. A cell that a
    spreadsheet would read as a formula (=, +, -, @ first) is quoted with a '."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for person in everyone:
        label = (names or {}).get(person.id, person.name)
        for run in person.runs:
            settings = run.get("settings") or {}
            ended = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(run["ended"]))
            writer.writerow([_cell(value) for value in (
                label, run["kind"], run.get("dataset_title") or run.get("dataset"),
                run.get("model"), *(settings.get(name) for name in SETTING_NAMES[:-1]),
                settings.get("points"), run.get("cost"), run.get("train"), run.get("test"),
                run.get("seconds"), ended)])
    return out.getvalue()


def _cell(value):
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


# --------------------------------------------------------------------- the launcher's


def main(argv=None):
    """``python -m studio.session.classroom start [--hours H]``: start a class, print its code and
    the teacher key (deploy/classroom.sh turns them into the two links)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m studio.session.classroom",
                                     description="Start a class in the shared store.")
    parser.add_argument("command", choices=("start",))
    parser.add_argument("--hours", type=int, default=None,
                        help=f"how long the class lasts (1 to {MAX_HOURS}; "
                             f"default ${TTL_ENV} or {DEFAULT_HOURS})")
    args = parser.parse_args(argv)
    if args.hours is not None and not 1 <= args.hours <= MAX_HOURS:
        parser.error(f"--hours must be a whole number from 1 to {MAX_HOURS}")
    try:
        found, key = create(hours=args.hours)
    except ClassError as exc:
        message = exc.args[0]
        print(f"cannot start a class: {message.template.format(**message.fields)}")
        return 1
    print(f"{found.code} {key} {time.strftime('%H:%M', time.localtime(found.expires))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
