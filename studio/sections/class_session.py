"""A session in a class: the student's membership and what the board hears from it, the
teacher's key, and the lesson the teacher pushes (:mod:`studio.session.classroom` keeps the files).

A student is named in the class by a hash of the browser's cookie token, so a reload or a
new tab of the same browser is still in the class. What the board hears, and when:

- the page open, the run going on (started, stopped, how far) — written when it changes,
  a run's progress at most every :data:`PROGRESS_SECONDS`; otherwise the file's time is
  renewed every :data:`HEARTBEAT_SECONDS` (no write), so the board can tell a quiet tab;
- a finished run, once, when it ends (:func:`finished`, called where runs finish): sent at
  once when the class sends automatically, else kept until the student presses **Send**.

The teacher is whoever opened the teacher link: its key is checked (in constant time)
and taken out of the address bar at once, kept in the session and in a cookie for a
reload, and never drawn on a page.
"""
import json
import secrets
import time

import streamlit as st

from logreg.settings import Comparison, Logistic

from ..session import classroom, datasets, escape, runs, settings, state, turns
from ..session.i18n import say, t

POLL_SECONDS = 3          # a student's tab asks for a pushed lesson and reports this often
PROGRESS_SECONDS = 3      # a run's progress is written at most this often
HEARTBEAT_SECONDS = 30    # an open tab renews its sign of life this often (no write)
MAX_UNSENT = 20           # finished runs a session keeps for "Send to the class"
TEACHER_COOKIE = "logreg_teacher"
JOIN_PARAM, TEACH_PARAM = "join", "teach"    # /class?join=CODE, /class?teach=CODE.KEY
JOIN_CODE_KEY = "class_code"                 # the join form's code box
LIVE_KINDS = {state.LIVE: "logistic", state.NETWORK_LIVE: "network",
              state.PLAYGROUND_LIVE: "playground"}
# The page files a pushed lesson opens, by url path (app.py's st.navigation).
PAGE_FILES = {"data": "pages/data.py", "train": "pages/train.py",
              "normalization": "pages/normalization.py", "network": "pages/network.py",
              "classify": "pages/classify.py", "how-it-works": "pages/how-it-works.py"}
# The settings a lesson's link sets, by page: their widgets are in settings.TABLE.
LESSON_SETTINGS = {"train": Logistic, "normalization": Comparison}


def page_titles():
    """Each page's title by url path, in the session's language."""
    return {"": t("Data"), "start": t("Data"), "data": t("Data"), "train": t("Train"),
            "normalization": t("Normalization"), "network": t("Network"),
            "classify": t("Classify"), "how-it-works": t("How it works"), "class": t("Class")}


def member():
    """{"code", "sid", "name"} while this browser is a student in a class, else None."""
    return st.session_state.get(state.CLASS_MEMBER)


def teacher():
    """{"code", "key"} while this session teaches a class, else None."""
    return st.session_state.get(state.CLASS_TEACHER)


def _sid():
    token = st.session_state.get(state.BROWSER)   # studio.frame.saved set it before the strip
    return classroom.student_id(token) if token else None


def begin():
    """Once per session: is this browser in a class, or its teacher? (A reload keeps both.)"""
    if st.session_state.get(state.CLASS_LOOKED):
        return
    st.session_state[state.CLASS_LOOKED] = True
    try:
        if not classroom.started():
            return
        classroom.sweep()
        cookie = _cookie(TEACHER_COOKIE)
        link = classroom.split_teacher_link(cookie)
        if link and classroom.is_teacher(*link):
            st.session_state[state.CLASS_TEACHER] = {"code": link[0], "key": link[1]}
        sid = _sid()
        code = classroom.find(sid) if sid else None
        if code is not None:
            me = classroom.student(code, sid)
            st.session_state[state.CLASS_MEMBER] = {"code": code, "sid": sid, "name": me.name}
            st.session_state.setdefault(state.CLASS_LESSON, 0)
    except OSError:          # no usable store: no class on this server
        pass


def _cookie(name):
    try:
        return st.context.cookies.get(name)
    except Exception:   # no browser request behind this session (a script run in tests)
        return None


def _set_cookie(name, value, max_age):
    """Set a cookie from the page, like studio.frame.saved's (Streamlit answers over a
    WebSocket); SameSite=Strict: no other site's link carries it here."""
    text = json.dumps(f"{name}={value}").replace("<", "\\u003c")
    st.html(f"<script>document.cookie = {text} + '; Path=/; Max-Age={int(max_age)}; "
            f"SameSite=Strict' + (location.protocol === 'https:' ? '; Secure' : '');"
            f"</script>", unsafe_allow_javascript=True)


# ------------------------------------------------------------------- links in the URL


def claim_links():
    """Read ``?join=`` and ``?teach=`` once, check them, and take them out of the address
    bar (a projected address bar must not show the teacher key). Returns the join code a
    link brought this session (to fill the join form), or None. A bad value is one warning.

    What a link carries goes into the session before it leaves the address bar: the run
    that read it may be cut short by the next one (seen once in the browser test: the
    join form came up empty), and that run finds the address bar already without it."""
    join, teach = st.query_params.get(JOIN_PARAM), st.query_params.get(TEACH_PARAM)
    code = classroom.normal_code(join) if join is not None else None
    if code is not None:
        st.session_state[state.CLASS_LINK_CODE] = code
        st.session_state[JOIN_CODE_KEY] = code
    link = classroom.split_teacher_link(teach) if teach is not None else None
    valid = link is not None and classroom.is_teacher(*link)
    if valid:
        _become_teacher(*link)
    for name in (JOIN_PARAM, TEACH_PARAM):
        if name in st.query_params:
            del st.query_params[name]
    if join is not None and code is None:
        st.warning(t("The link's class code {code} is not a class code: type the code your "
                     "teacher shows.", code=escape.markdown(repr(join[:40]))),
                   icon=":material/link_off:")
    if teach is not None and not valid:
        st.error(t("This teacher link is not valid (the class may have ended): no board "
                   "for this browser."), icon=":material/lock:")
    return st.session_state.get(state.CLASS_LINK_CODE)


def _become_teacher(code, key):
    st.session_state[state.CLASS_TEACHER] = {"code": code, "key": key}


def keep_teacher_cookie(found):
    """Give the teacher's browser the cookie that brings the board back after a reload,
    on every run of the board until a session starts with it: a script drawn in a run
    that then reran (as starting a class does) may never have reached the page."""
    me = teacher()
    if me is not None and _cookie(TEACHER_COOKIE) != f"{me['code']}.{me['key']}":
        _set_cookie(TEACHER_COOKIE, f"{me['code']}.{me['key']}",
                    max(60, int(found.expires - time.time())))


def forget_teacher():
    st.session_state.pop(state.CLASS_TEACHER, None)
    _set_cookie(TEACHER_COOKIE, "", 0)


# ----------------------------------------------------------------------------- actions


def _refused_or(call, *args, **kwargs):
    """``call(*args, **kwargs)``, or None after one sentence on the page saying why not."""
    try:
        return call(*args, **kwargs)
    except classroom.ClassError as exc:
        st.error(say(exc.args[0]), icon=":material/block:")
    except OSError:
        st.error(t("Classes need the server's folder for saved work, which cannot be used "
                   "here."), icon=":material/block:")
    return None


def start(challenge, auto, anonymous, hours):
    """Start a class with this session as its teacher. Returns the class, or None after
    saying why not."""
    made = _refused_or(classroom.create, challenge, auto=auto, anonymous=anonymous,
                       hours=hours)
    if made is None:
        return None
    found, key = made
    _become_teacher(found.code, key)
    return found


def end():
    """End the teacher's class: every file of it is deleted now."""
    me = teacher()
    try:
        classroom.end(me["code"], me["key"])
    except classroom.ClassError:
        pass   # already ended elsewhere (another replica, the launcher): gone either way
    forget_teacher()
    state.flash("success", t("The class {code} has ended: its students and runs are deleted "
                             "from the server.", code=me["code"]))


def suggest_name(code=None):
    """A friendly generated name (an adjective and an animal, in the session's language)
    not yet taken in the class."""
    adjectives = (t("Brave"), t("Calm"), t("Clever"), t("Curious"), t("Gentle"), t("Happy"),
                  t("Lucky"), t("Quick"), t("Quiet"), t("Sunny"), t("Swift"), t("Wise"))
    animals = (t("Otter"), t("Fox"), t("Panda"), t("Owl"), t("Tiger"), t("Dolphin"),
               t("Rabbit"), t("Penguin"), t("Koala"), t("Falcon"), t("Turtle"), t("Badger"),
               t("Lynx"), t("Heron"), t("Seal"), t("Wolf"))
    taken = set()
    if code:
        try:
            taken = {s.name.casefold() for s in classroom.students(code)}
        except OSError:
            pass
    for _ in range(20):
        name = t("{adjective} {animal}", adjective=secrets.choice(adjectives),
                 animal=secrets.choice(animals))
        if name.casefold() not in taken:
            return name
    return name


def join(code, name):
    """Join the class as ``name``; True when in, else the page was told why (one sentence)."""
    sid = _sid()
    if sid is None:
        st.error(t("This browser cannot join a class: reload the page and try again."))
        return False
    me = _refused_or(classroom.join, code, sid, name)
    if me is None:
        return False
    code = classroom.normal_code(code)
    st.session_state[state.CLASS_MEMBER] = {"code": code, "sid": sid, "name": me.name}
    st.session_state[state.CLASS_LESSON] = 0      # a lesson already sent is shown to them
    st.session_state.pop(state.CLASS_REPORTED, None)
    return True


def leave():
    """Leave the class (the board marks the student as left; their sent runs stay)."""
    me = st.session_state.pop(state.CLASS_MEMBER, None)
    st.session_state.pop(state.CLASS_UNSENT, None)
    if me is not None:
        try:
            classroom.leave(me["code"], me["sid"])
        except OSError:
            pass
        state.flash("info", t("You left the class {code}. Your work stays here.",
                              code=me["code"]))


def _dropped(code):
    """The class is gone (ended or expired): out of it, saying so once."""
    st.session_state.pop(state.CLASS_MEMBER, None)
    st.session_state.pop(state.CLASS_UNSENT, None)
    state.flash("info", t("The class {code} has ended. Your own work stays here.", code=code))


# ---------------------------------------------------------------------- what is reported


def live_run():
    """The run going on in this session, for the board: a running one first, else one
    stopped midway; None when there is none."""
    found = None
    for key, kind in LIVE_KINDS.items():
        run = st.session_state.get(key)
        status = getattr(run, "status", None)
        if status == "running" or (status == "stopped" and found is None):
            found = {"kind": kind, "iteration": int(run.trainer.iteration),
                     "total": int(run.total), "status": status}
            if status == "running":
                break
    return found


def report(page):
    """Tell the class what this session is doing, when it changed (see the module's
    docstring); a cheap no-op for a session in no class."""
    me = member()
    if me is None:
        return
    run = live_run()
    unsent = len(st.session_state.get(state.CLASS_UNSENT, ()))
    now = time.monotonic()
    said, when = st.session_state.get(state.CLASS_REPORTED) or (None, -1e9)
    shape = (page, run and (run["kind"], run["status"], run["total"]), unsent)
    moved = run is not None and said is not None and said[1] != run["iteration"]
    try:
        if said is None or said[0] != shape or (moved and now - when >= PROGRESS_SECONDS):
            if classroom.report(me["code"], me["sid"], page, run, unsent) is None:
                _dropped(me["code"])
                return
            st.session_state[state.CLASS_REPORTED] = ((shape, run and run["iteration"]), now)
        elif now - when >= HEARTBEAT_SECONDS:
            if not classroom.heartbeat(me["code"], me["sid"]):
                _dropped(me["code"])
                return
            st.session_state[state.CLASS_REPORTED] = (said, now)
    except OSError:
        pass
    except classroom.ClassError as exc:   # the class's room is full: progress can wait
        st.session_state[state.CLASS_REPORTED] = ((shape, None), now)
        st.caption(say(exc.args[0]))


def finished(kind, run, model=None, train=None, test=None):
    """A run of this session just ended (called where runs finish): the class gets it now
    when it sends automatically, else it waits for the student's **Send**."""
    me = member()
    if me is None:
        return
    try:
        record = _record(kind, run, model, train, test)
        found = classroom.load(me["code"])
    except (OSError, ValueError):
        return
    if found is None:
        return
    if found.auto:
        _send(me, record)
    else:
        waiting = st.session_state.setdefault(state.CLASS_UNSENT, [])
        waiting.append(record)
        del waiting[:-MAX_UNSENT]   # the latest ones: a session cannot pile up runs here


def _record(kind, run, model, train, test):
    trainer = run.trainer
    key = run.dataset_key
    if kind == "logistic":
        scores = runs.evaluation(model, datasets.get(key), key)
        train, test = scores.train_accuracy, scores.test_accuracy
        shape = f"{model.w.size}-1"
        chosen = {"iterations": run.total, "learning_rate": trainer.learning_rate,
                  "scaling": run.scaling}
        title = datasets.options().get(key, key)
    else:
        dims = tuple(trainer.layer_dims)
        shape = "-".join(map(str, dims))
        chosen = {"iterations": run.total, "learning_rate": trainer.learning_rate,
                  "hidden": ",".join(map(str, dims[1:-1])), "activation": trainer.activation,
                  "init": getattr(trainer, "init", None)}
        if kind == "playground":
            chosen["points"] = key.partition(":")[2]
            title = key
        else:
            title = datasets.options().get(key, key)
    return classroom.run_record(kind, key, title, shape, chosen, trainer.current_cost(),
                                train, test, run.seconds, trainer.costs)


def _send(me, record, unsent=None):
    try:
        classroom.submit(me["code"], me["sid"], record, unsent=unsent)
    except classroom.ClassError as exc:
        state.flash("warning", say(exc.args[0]))
        return False
    except OSError:
        return False
    st.session_state.pop(state.CLASS_REPORTED, None)   # the board's row is new anyway
    return True


def send_unsent():
    """The student's **Send to the class**: every finished run not sent yet."""
    me = member()
    waiting = st.session_state.get(state.CLASS_UNSENT) or []
    if me is None or not waiting:
        return
    sent = 0
    while waiting and _send(me, waiting[0], unsent=len(waiting) - 1):
        waiting.pop(0)
        sent += 1
    if sent:
        state.flash("success", t("Runs sent to the class: {count}.", count=sent))


# ------------------------------------------------------------------------------ the strip


def render_strip(page):
    """Above every page's title: which class this browser is in and how to leave, the
    teacher's pushed lesson, and runs waiting to be sent; or, for a teacher, a way back
    to the board. Nothing at all outside a class."""
    begin()
    if teacher() is not None and page != "class":
        _teacher_line()
    if member() is None:
        return

    @st.fragment(run_every=POLL_SECONDS)
    @turns.taking_turns   # reruns alone every few seconds, and may write the class's file
    def in_class():
        me = member()
        if me is None:
            return
        report(page)
        if member() is None:     # the class ended meanwhile
            st.rerun()
        try:
            found = classroom.load(me["code"])
        except OSError:
            found = None
        if found is None:
            _dropped(me["code"])
            st.rerun()
        with st.container(key="class_badge", horizontal=True, vertical_alignment="center",
                          gap="small"):
            st.caption(t(":material/groups: Class **{code}** · you are **{name}**",
                         code=me["code"], name=escape.markdown(me["name"])))
            waiting = len(st.session_state.get(state.CLASS_UNSENT) or [])
            if waiting:
                st.button(t("Send to the class ({count})", count=waiting), key="class_send",
                          icon=":material/send:", type="primary", on_click=send_unsent,
                          help=t("Your teacher's board gets your finished runs when you "
                                 "send them."))
            if st.button(t("Leave the class"), key="class_leave", type="tertiary",
                         icon=":material/logout:",
                         help=t("The board marks you as left; your work stays here.")):
                leave()
                st.rerun()
        _lesson_banner(found)

    in_class()


def _teacher_line():
    me = teacher()
    try:
        alive = classroom.load(me["code"]) is not None
    except OSError:
        alive = False
    if not alive:       # ended elsewhere or expired
        forget_teacher()
        return
    with st.container(key="class_teacher_line", horizontal=True, vertical_alignment="center"):
        st.caption(t(":material/school: You teach the class **{code}**.", code=me["code"]))
        st.page_link("pages/class.py", label=t("Open the board"), icon=":material/leaderboard:")


def _lesson_banner(found):
    lesson = found.lesson
    if lesson is None or lesson.number <= st.session_state.get(state.CLASS_LESSON, 0):
        return
    title = page_titles().get(lesson.page, lesson.page)
    with st.container(key="class_lesson", border=True):
        st.markdown(t(":material/campaign: **Your teacher asks everyone to open {page}.**",
                      page=title) + (" " + lesson_words(lesson) if lesson.query else ""))
        if st.button(t("Open {page}", page=title), key=f"class_open_{lesson.number}",
                     type="primary", icon=":material/arrow_forward:",
                     help=t("Your trained models and settings on other pages stay as they "
                            "are.")):
            open_lesson(lesson)


def lesson_words(lesson):
    """The lesson's settings and hidden controls in words."""
    parts = []
    names = {"iterations": t("Iterations"), "lr": t("Learning rate"), "scaling": t("Scaling")}
    for name, value in lesson.query.items():
        parts.append(f"{names.get(name, name)} {escape.markdown(value)}")
    return " · ".join(parts)


def open_lesson(lesson):
    """Open the pushed page with its settings and hidden controls, in this session: the
    student's models, runs and other pages' settings stay (a new tab would start empty)."""
    st.session_state[state.CLASS_LESSON] = lesson.number
    if lesson.page in LESSON_SETTINGS:
        settings.open_link(LESSON_SETTINGS[lesson.page], lesson.query)
    st.session_state[state.HIDDEN] = list(lesson.hide)
    query = dict(lesson.query)
    if lesson.hide:
        query["hide"] = ",".join(lesson.hide)
    st.switch_page(PAGE_FILES[lesson.page], query_params=query)
