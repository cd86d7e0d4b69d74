"""The Class page's sections: start a class, join one, and the teacher's board (students,
leaderboard, cost curves, the code to join), the lesson to push and ending the class.

The board reads the class's files (:mod:`studio.session.classroom`) in a fragment that reruns
every :data:`BOARD_SECONDS`, so it updates by itself; only the teacher's session, which
showed the key, ever draws it.
"""
import io
import time
import urllib.parse

import segno
import streamlit as st

from logreg import planar
from logreg.settings import Logistic

from . import class_session
from ..display import figures, presenter
from ..session import classroom, datasets, escape, i18n, settings, turns
from ..session.i18n import fixed, say, t

BOARD_SECONDS = 2          # how often the board reads the class's files again
VIEWS = ("students", "leaderboard", "curves", "join")
SORTS = ("joined", "test", "name")
CURVES_SHOWN = 120         # the latest sent runs on the chart; the CSV has every one


def points_name(name):
    """The playground's point sets, as the Network page names them."""
    return {"flower": t("flower"), "moons": t("moons"), "circles": t("circles"),
            "XOR": "XOR", "blobs": t("blobs")}.get(name, name)


# ------------------------------------------------------------------------- start, join


def start_form():
    """The teacher's form: the challenge, how runs are sent, names or not, how long."""
    st.subheader(t("Start a class"))
    st.caption(t("You get a short code for students to type or scan and a private link to "
                 "your board. No accounts: students pick a name."))
    st.text_input(t("Challenge"), key="class_title", max_chars=classroom.MAX_TITLE,
                  placeholder=t("e.g. best test accuracy on the cats"),
                  help=t("Shown above the leaderboard."))
    rule = st.radio(t("The leaderboard ranks"), classroom.RULES, key="class_rule",
                    format_func=fixed(lambda rule: {
                        "test": t("the best test accuracy"),
                        "units": t("playground: the fewest hidden units reaching a target")}
                        [rule]))
    dataset, points, target = None, "flower", 90.0
    if rule == "test":
        choices = {None: t("any dataset"), **datasets.options()}
        dataset = st.selectbox(t("On the dataset"), list(choices), key="class_dataset",
                               format_func=fixed(lambda key: choices.get(key, key)))
    else:
        left, right = st.columns(2)
        points = left.selectbox(t("Points"), list(planar.DATASETS), key="class_points",
                                format_func=fixed(points_name))
        target = right.number_input(t("Target training accuracy (%)"), 50.0, 100.0, 90.0,
                                    step=1.0, key="class_target")
    auto = st.radio(t("Runs reach the board"), (True, False), key="class_auto",
                    format_func=fixed(lambda auto: t("automatically, when they end") if auto
                                      else t("when the student presses Send")))
    anonymous = st.toggle(t("Leaderboard without names"), key="class_anonymous",
                          help=t("The projected leaderboard and curves say \"Student 1\", "
                                 "\"Student 2\"…; your table keeps the names."))
    hours = st.number_input(t("Hours the class lasts"), 1, classroom.MAX_HOURS,
                            classroom.ttl_hours(), key="class_hours",
                            help=t("Then the class and everything in it is deleted. End "
                                   "class deletes it sooner."))
    if st.button(t("Start the class"), type="primary", icon=":material/co_present:",
                 key="class_start"):
        challenge = classroom.Challenge(st.session_state.get("class_title") or "", rule,
                                        dataset, points, float(target))
        if class_session.start(challenge, auto, anonymous, hours) is not None:
            st.rerun()


def join_form():
    """The student's form: the code (filled from a join link) and a name."""
    st.subheader(t("Join a class"))
    if not st.session_state.get("class_name"):
        st.session_state["class_name"] = class_session.suggest_name(
            classroom.normal_code(st.session_state.get(class_session.JOIN_CODE_KEY)))
    st.text_input(t("Class code"), key=class_session.JOIN_CODE_KEY, max_chars=12,
                  placeholder="KFX7MR", help=t("The 6 letters and digits your teacher shows."))
    with st.container(key="row_join_name", horizontal=True, vertical_alignment="bottom"):
        st.text_input(t("Your name in the class"), key="class_name",
                      max_chars=classroom.MAX_NAME,
                      help=t("Any name, or the one made up for you. No e-mail, no password: "
                             "only this name is kept, until the class ends."))
        st.button(t("Another name"), key="class_new_name", icon=":material/casino:",
                  on_click=_another_name)
    if st.button(t("Join"), type="primary", icon=":material/login:", key="class_join"):
        if class_session.join(st.session_state.get(class_session.JOIN_CODE_KEY) or "",
                              st.session_state.get("class_name") or ""):
            st.rerun()


def _another_name():
    st.session_state["class_name"] = class_session.suggest_name(
        classroom.normal_code(st.session_state.get(class_session.JOIN_CODE_KEY)))


def student_panel(me):
    """A student's view of the Class page: which class, what was sent, how to leave."""
    found = classroom.load(me["code"])
    if found is None:
        return
    st.success(t("You are in. Train on any page: your teacher's board shows your runs."),
               icon=":material/groups:")
    if found.challenge.title:
        st.markdown(t("**Challenge:** {title}", title=escape.markdown(found.challenge.title)))
    st.caption(t("Your finished runs reach the board automatically.") if found.auto else
               t("Your finished runs reach the board when you press **Send to the class** "
                 "(above the page's title)."))
    mine = classroom.student(me["code"], me["sid"])
    if mine is not None and mine.runs:
        st.markdown(t("**Sent so far**"))
        st.dataframe([_run_row(run) for run in reversed(mine.runs)], hide_index=True,
                     column_config=_run_columns())
    st.page_link("pages/train.py", label=t("Start on Train"), icon=":material/arrow_forward:")


# ------------------------------------------------------------------------------ the board


def join_link(code):
    """The link students open: the Class page with the code, and the teacher's language
    unless it is English (the shortest link to read aloud and to put in a QR code)."""
    link = presenter.class_link(st.context.url, "class", {class_session.JOIN_PARAM: code},
                                i18n.language(), False, ())
    return link.replace(f"&{i18n.KEY}={i18n.DEFAULT}", "")


def teacher_link(code, key):
    link = presenter.class_link(st.context.url, "class", {}, i18n.language(), False, ())
    parts = urllib.parse.urlsplit(link)
    query = f"{class_session.TEACH_PARAM}={code}.{key}&{parts.query}"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def qr_png(text, scale=10):
    """A QR code of ``text`` as PNG bytes (segno: pure Python, medium error correction,
    which survives a projector's glare)."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def board_header(found):
    """The class's code and how to join, in two lines above the board (a projector's 720
    pixels go to the table); the small QR code is left out while the large one shows."""
    link = join_link(found.code)
    large = st.session_state.get("class_view") == "join"   # the code and link are below
    left, right = st.columns([6, 1], vertical_alignment="center")
    with left:
        st.markdown(t("#### :material/groups: Class code **{code}**", code=found.code))
        line = "" if large else t("Students open **{link}** or go to **Class** and type the "
                                  "code.", link=escape.markdown(link))
        if found.challenge.title:
            line += (" · " if line else "") + t("**Challenge:** {title}",
                                                title=escape.markdown(found.challenge.title))
        if line:
            st.markdown(line)
    if not large:
        right.image(qr_png(link, scale=3), width=96)


def board(found, me):
    """The live board: what the teacher chose to see, re-read every few seconds."""
    joined = classroom.students(found.code)
    sent = _runs_sent(joined)
    with st.container(key="row_class_controls", horizontal=True, vertical_alignment="center",
                      gap="medium"):
        view = st.segmented_control(
            t("Show"), VIEWS, key="class_view", required=True, label_visibility="collapsed",
            default="join" if not joined else "students",
            format_func=fixed(lambda view: {"students": t("Students"),
                                            "leaderboard": t("Leaderboard"),
                                            "curves": t("Cost curves"),
                                            "join": t("Code to join")}[view]))
        order = None
        if view == "students":
            order = st.segmented_control(
                t("Sort by"), SORTS, key="class_sort", required=True, default="test",
                label_visibility="collapsed",
                format_func=fixed(lambda sort: {"joined": t("by joining"),
                                                "test": t("by test accuracy"),
                                                "name": t("by name")}[sort]))
        _csv_button(found, sent)

    @st.fragment(run_every=BOARD_SECONDS)
    @turns.taking_turns   # reruns alone every 2 s and reads every student's file
    def live():
        current = classroom.load(found.code)
        if current is None:
            st.warning(t("This class has ended."), icon=":material/event_busy:")
            return
        everyone = classroom.students(current.code)
        if bool(_runs_sent(everyone)) != bool(sent):
            st.rerun()   # the whole page once, so the CSV button turns on with the first run
        _summary(current, everyone)
        if view == "students":
            _students(everyone, order)
        elif view == "leaderboard":
            _leaderboard(current, everyone)
        elif view == "curves":
            _curves(current, everyone)
        else:
            _join_big(current, everyone)

    live()


def _summary(found, everyone):
    now = time.time()
    active = sum(s.status(now) == "active" for s in everyone)
    runs = _runs_sent(everyone)
    st.caption(t("Students: {students} · active: {active} · runs sent: {runs} · ends at "
                 "{end} · updated {clock}", students=len(everyone), active=active,
                 runs=runs, end=time.strftime("%H:%M", time.localtime(found.expires)),
                 clock=time.strftime("%H:%M:%S", time.localtime(now))))


def _runs_sent(everyone):
    return sum(len(s.runs) for s in everyone)


def _csv_button(found, sent):
    """Every run as a CSV, made when pressed (a function), not at every refresh. Outside
    the live fragment: a button drawn again every 2 s gets a new file id each time, and a
    press that still holds the old one downloads nothing."""
    st.download_button(t("Every run (CSV)"),
                       lambda: classroom.to_csv(classroom.students(found.code)),
                       file_name=f"class-{found.code}.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore", key="class_csv",
                       disabled=not sent)


def _ago(then, now=None):
    seconds = max(0, int((now or time.time()) - then))
    if seconds < 60:
        return t("{seconds} s ago", seconds=seconds)
    if seconds < 3600:
        return t("{minutes} min ago", minutes=seconds // 60)
    return time.strftime("%H:%M", time.localtime(then))


def _model(run):
    kind = {"logistic": t("logistic regression"), "network": t("network"),
            "playground": t("playground")}[run["kind"]]
    return kind if run["kind"] == "logistic" else f"{kind} {run.get('model') or ''}"


def _settings_words(run):
    chosen = run.get("settings") or {}
    parts = []
    if chosen.get("hidden") not in (None, ""):
        parts.append(t("hidden {layers}", layers=chosen["hidden"]))
    if chosen.get("points"):
        parts.append(points_name(chosen["points"]))
    if "iterations" in chosen:
        parts.append(t("{iterations:,} it.", iterations=int(chosen["iterations"])))
    if "learning_rate" in chosen:
        parts.append(f"α {chosen['learning_rate']:g}")
    if chosen.get("activation") and run["kind"] != "logistic":
        parts.append(str(chosen["activation"]))
    if chosen.get("scaling"):
        parts.append(figures.base.mode_title(chosen["scaling"]))
    return " · ".join(parts)


def _short_model(run):
    """The board's short name of a run's model: "logistic", or the network's layers."""
    return (t("logistic") if run["kind"] == "logistic"
            else ("" if run["kind"] == "network" else t("playground") + " ") + run["model"])


def _run_row(run, now=None):
    return {"model": _model(run), "settings": _settings_words(run),
            "cost": run.get("cost"), "train": run.get("train"), "test": run.get("test"),
            "ended": _ago(run["ended"], now)}


def _run_columns():
    percent = "%.1f %%"
    return {"model": st.column_config.TextColumn(t("model")),
            "settings": st.column_config.TextColumn(t("settings"), width="medium"),
            "cost": st.column_config.NumberColumn(t("final cost"), format="%.4f"),
            "train": st.column_config.NumberColumn(t("train accuracy"), format=percent),
            "test": st.column_config.NumberColumn(t("test accuracy"), format=percent),
            "ended": st.column_config.TextColumn(t("ended"))}


def _where(person, now, titles):
    """Where the student is: their page while active, else how long quiet, or left."""
    status = person.status(now)
    if status == "left":
        return t("left")
    if status == "quiet":
        return t("quiet {ago}", ago=_ago(person.seen, now))
    return titles.get(person.page, "")


def _students(everyone, order):
    """A row a student: the latest run's scores first (what the class compares), then the
    run going on, the run itself, when it ended and where the student is."""
    if not everyone:
        st.info(t("Nobody has joined yet: show the code to join."), icon=":material/groups:")
        return
    now = time.time()
    titles = class_session.page_titles()
    rows = []
    for person in everyone:
        latest, run = person.latest(), person.run
        row = {"name": person.name, "test": None, "train": None, "cost": None,
               "progress": (100 * run["iteration"] / run["total"]) if run else None,
               "run": None, "ended": None, "where": _where(person, now, titles),
               "sent": str(len(person.runs)) if not person.unsent else
               t("{sent} (+{waiting} not sent)", sent=len(person.runs),
                 waiting=person.unsent)}
        if latest is not None:
            words = _run_row(latest, now)
            row.update(test=words["test"], train=words["train"], cost=words["cost"],
                       run=f"{_short_model(latest)} · {words['settings']}",
                       ended=words["ended"])
        rows.append(row)
    if order == "test":
        rows.sort(key=lambda row: (row["test"] is None, -(row["test"] or 0),
                                   -(row["train"] or 0)))
    elif order == "name":
        rows.sort(key=lambda row: row["name"].casefold())
    percent = "%.1f %%"
    # Widths that fit 1280 pixels with the sidebar open; the run's words are cut first.
    columns = {"name": st.column_config.TextColumn(t("student"), width=110),
               "test": st.column_config.NumberColumn(t("test accuracy"), format=percent,
                                                     width=95),
               "train": st.column_config.NumberColumn(t("train accuracy"), format=percent,
                                                      width=95),
               "cost": st.column_config.NumberColumn(t("final cost"), format="%.4f",
                                                     width=75),
               "progress": st.column_config.ProgressColumn(t("training now"), format="%d %%",
                                                           min_value=0, max_value=100,
                                                           width=95),
               "run": st.column_config.TextColumn(t("latest run"), width=210),
               "ended": st.column_config.TextColumn(t("ended"), width=70),
               "where": st.column_config.TextColumn(t("page"), width=75),
               "sent": st.column_config.TextColumn(t("runs sent"), width=65)}
    st.dataframe(rows, hide_index=True, column_config=columns, key="class_table",
                 height=min(38 + 35 * len(rows), 600))


def _labels(found, everyone):
    """{student id: the name the projected views show}: "Student 3" when anonymous."""
    if not found.anonymous:
        return {person.id: person.name for person in everyone}
    return {person.id: t("Student {number}", number=number)
            for number, person in enumerate(everyone, start=1)}


def _leaderboard(found, everyone):
    challenge = found.challenge
    if challenge.rule == "units":
        what = t("Playground, {points}: the fewest hidden units reaching {target:g} % "
                 "training accuracy", points=points_name(challenge.points),
                 target=challenge.target)
    else:
        title = datasets.options().get(challenge.dataset, challenge.dataset)
        what = (t("The best test accuracy on {dataset}", dataset=escape.markdown(title))
                if challenge.dataset else t("The best test accuracy"))
    st.markdown(f"#### {escape.markdown(challenge.title) or what}")
    if challenge.title:
        st.caption(what)
    board = classroom.leaderboard(everyone, challenge)
    if not board:
        st.info(t("No run meets the challenge yet."), icon=":material/emoji_events:")
        return
    labels = _labels(found, everyone)
    rows = [{"place": place,
             "name": labels[person.id],
             "units": classroom.hidden_units(run) if challenge.rule == "units" else None,
             **_run_row(run)} for place, person, run in board]
    columns = {"place": st.column_config.NumberColumn(t("place"), format="%d", width=60),
               "name": st.column_config.TextColumn(t("student")),
               "units": st.column_config.NumberColumn(t("hidden units")), **_run_columns()}
    order = ["place", "name", *(["units"] if challenge.rule == "units" else []),
             "test" if challenge.rule == "test" else "train",
             "train" if challenge.rule == "test" else "test", "model", "settings", "cost",
             "ended"]
    if challenge.rule == "units":
        order.remove("test")
    st.dataframe(rows, hide_index=True, column_config=columns, column_order=order,
                 key="class_leaders", height=min(38 + 35 * len(rows), 600))


def _curves(found, everyone):
    labels = _labels(found, everyone)
    lines = [(labels[person.id], index, run["curve"])
             for index, person in enumerate(everyone) for run in person.runs]
    lines = sorted(lines, key=lambda line: line[2][-1][0] if line[2] else 0)
    if not lines:
        st.info(t("No run has been sent yet: the curves appear here as runs end."),
                icon=":material/show_chart:")
        return
    log_y = st.toggle(t("Log scale"), value=True, key="class_log")
    st.plotly_chart(figures.board.class_curves(lines[-CURVES_SHOWN:], log_y=log_y),
                    key="class_curves")


def _join_big(found, everyone):
    """The code and a large QR code, to project while students join."""
    link = join_link(found.code)
    left, right = st.columns([3, 2], vertical_alignment="center")
    with left:
        st.markdown(t("Go to **Class** in the app and type the code"))
        st.html(f'<div class="studio-class-code">{escape.plotly(found.code)}</div>')
        st.markdown(t("or scan the code, or open **{link}**", link=escape.markdown(link)))
        st.caption(t("{count} joined so far.", count=len(everyone)))
    right.image(qr_png(link), width=300)


# ----------------------------------------------------------------- lesson, settings, end


def parse_lesson_link(text):
    """A link made with "Copy link for your class" → (page, query, hide, problems): only
    this app's pages, settings and hide flags are kept (checked like a visit by it)."""
    refused = None, {}, (), [t("The link does not open one of the app's pages.")]
    try:
        parts = urllib.parse.urlsplit(text.strip())
    except ValueError:      # "http://[::1": not a link at all
        return refused
    page = parts.path.strip("/") or "data"
    page = "data" if page == "start" else page
    if page not in classroom.LESSON_PAGES:
        return refused
    asked = {name: values[-1] for name, values in urllib.parse.parse_qs(parts.query).items()}
    query, problems = {}, []
    for name in classroom.LESSON_QUERY:   # each checked alone: a bad one is left out
        if name in asked:
            _, wrong = settings.parse_query(Logistic, {name: asked[name]})
            problems += wrong
            if not wrong:
                query[name] = asked[name]
    return page, query, presenter.parse_hidden(asked.get("hide")), problems


def lesson_form(found, me):
    """Send everyone a page with its settings and hidden controls."""
    titles = class_session.page_titles()
    st.caption(t("Students see a banner with one button that opens the page in their own "
                 "session, with these settings: their models and work stay."))
    link = st.text_input(t("A link made with Copy link for your class (optional)"),
                         key="class_lesson_link", max_chars=600,
                         placeholder="http://…/train?iterations=1500&lr=0.01&hide=scaling")
    if link.strip():
        page, query, hide, problems = parse_lesson_link(link)
        for problem in problems:
            st.warning(problem, icon=":material/link_off:")
    else:
        page = st.selectbox(t("Page"), classroom.LESSON_PAGES, key="class_lesson_page",
                            format_func=fixed(lambda path: titles.get(path, path)))
        query = {}
        flags = presenter.hideable()
        hide = tuple(st.multiselect(t("Hide these controls"), list(flags),
                                    key="class_lesson_hide", format_func=flags.get))
    if page is None:
        return
    lesson = classroom.Lesson(0, page, query, hide, 0)
    words = class_session.lesson_words(lesson)
    hidden = ", ".join(presenter.hideable()[flag] for flag in hide)
    st.markdown(t("Students will open **{page}**", page=titles.get(page, page))
                + (f" · {words}" if words else "")
                + (" · " + t("hidden: {controls}", controls=hidden) if hidden else ""))
    if st.button(t("Send to everyone"), type="primary", icon=":material/campaign:",
                 key="class_push"):
        try:
            sent = classroom.push_lesson(me["code"], me["key"], page, query, hide)
        except classroom.ClassError as exc:
            st.error(say(exc.args[0]))
        else:
            st.success(t("Sent: every student's page shows it within {seconds} seconds.",
                         seconds=class_session.POLL_SECONDS), icon=":material/campaign:")
            st.caption(t("Lesson {number}", number=sent.number))


def manage(found, me):
    """How runs are sent and named, the private teacher link, and ending the class."""
    auto = st.toggle(t("Runs reach the board automatically"), value=found.auto,
                     key="class_manage_auto",
                     help=t("Off: students press Send to the class for each run."))
    anonymous = st.toggle(t("Leaderboard without names"), value=found.anonymous,
                          key="class_manage_anonymous")
    if (auto, anonymous) != (found.auto, found.anonymous):
        classroom.set_rules(me["code"], me["key"], auto=auto, anonymous=anonymous)
        st.rerun()
    # A switch, not an expander: an expander's content is in the page even while closed,
    # and the key should be on the teacher's screen only when asked for.
    if st.toggle(t("Show my teacher link (private)"), key="class_show_link",
                 help=t("It opens this board on another computer. Anyone with it can see "
                        "the board and end the class: do not project or share it.")):
        st.code(teacher_link(me["code"], me["key"]), language=None, wrap_lines=True)
    with st.popover(t("End class"), icon=":material/delete_forever:"):
        st.markdown(t("Ending the class deletes its students, their runs and the board now. "
                      "Students keep their own work in their browsers."))
        st.button(t("End the class and delete its data"), type="primary",
                  key="class_end", on_click=class_session.end)
