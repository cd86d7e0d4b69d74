"""The Class page and a class through AppTest: a teacher's session and students' sessions
(each AppTest a browser, its token standing for the cookie) sharing one store folder."""
import json

import pytest

from app_support import (ROOT, all_text, faces_only, fresh_caches, new_app,  # noqa: F401
                         open_page, shown, train_with_ui)
from logreg import load_pair
from logreg.pipeline import fit
from studio.session import classroom, store


@pytest.fixture
def room(faces_only, tmp_path, monkeypatch):
    """Only the built-in faces, and a store folder of this test alone."""
    monkeypatch.setenv(store.DIR_ENV, str(tmp_path / "state"))
    return tmp_path / "state"


@pytest.fixture(scope="module")
def faces():
    return load_pair(ROOT / "data" / "train_faces.h5", ROOT / "data" / "test_faces.h5")


def session(token, page="pages/class.py", query=None):
    at = new_app()
    at.session_state["browser_token"] = token
    for name, value in (query or {}).items():
        at.query_params[name] = value
    return open_page(at, page)


def teacher(token="T" * 32, title="Best faces", auto=True, anonymous=False):
    at = session(token)
    at.text_input(key="class_title").set_value(title)
    if not auto:
        at.radio(key="class_auto").set_value(False)
    if anonymous:
        at.toggle(key="class_anonymous").set_value(True)
    at.button(key="class_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    me = at.session_state["class_teacher"]
    return at, me["code"], me["key"]


def student(token, code, name):
    at = session(token, query={"join": code})
    assert at.text_input(key="class_code").value == code   # filled from the join link
    at.text_input(key="class_name").set_value(name)
    at.button(key="class_join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def train(at, iterations=300, rate=0.005):
    at = open_page(at, "pages/train.py")
    at.number_input(key="iterations").set_value(iterations)
    at.number_input(key="learning_rate").set_value(rate)
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    return at


def board_rows(at):
    if at.segmented_control(key="class_view").value != "students":
        at.segmented_control(key="class_view").set_value("students").run()
    return table(at, "where")


def table(at, column):
    """The dataframe that has ``column`` (the board's keyed tables carry no id)."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_the_page_offers_join_and_start_and_no_board(room):
    at = session("S" * 32)
    headers = [h.value for h in at.subheader]
    assert "Join a class" in headers and "Start a class" in headers
    assert not [f for f in at.dataframe if "where" in f.value.columns]
    # A generated name is offered, and another one on request.
    name = at.text_input(key="class_name").value
    assert name and len(name) <= classroom.MAX_NAME
    at.button(key="class_new_name").click().run()
    assert at.text_input(key="class_name").value


def test_a_teacher_starts_a_class_and_the_key_stays_out_of_the_page(room):
    at, code, key = teacher()
    assert classroom.is_teacher(code, key)
    text = all_text(at, code=False)
    assert f"Class code **{code}**" in text and "Best faces" in text
    assert key not in text and key not in str(at.query_params)
    # Only in the private link, shown when the teacher asks for it.
    assert not [c.value for c in at.code if key in c.value]
    at.toggle(key="class_show_link").set_value(True).run()
    assert [c.value for c in at.code if key in c.value] == [
        f"http://localhost:8501/class?teach={code}.{key}&lang=en"]
    assert any("join=" + code in shown(m.value) for m in at.markdown)
    assert at.get("imgs") or at.get("image")         # the QR codes


def test_three_students_on_the_board_with_their_accuracies(room, faces):
    board, code, _ = teacher()
    expected = {}
    for n, (name, rate) in enumerate((("Ada", 0.005), ("Bo", 0.002), ("Cy", 0.001))):
        at = student(chr(ord("a") + n) * 32, code, name)
        assert f"Class **{code}** · you are **{name}**" in all_text(at)
        train(at, rate=rate)
        model = fit(faces, 300, rate, "divide255")
        expected[name] = round(model.evaluate(faces).test_accuracy, 6)
    board.run()
    rows = board_rows(board)
    assert sorted(rows["name"]) == ["Ada", "Bo", "Cy"]
    got = dict(zip(rows["name"], rows["test"]))
    assert got == pytest.approx(expected)
    assert set(rows["where"]) == {"Train"}               # active, on the Train page
    # Sorted by test accuracy by default, best first.
    assert list(rows["test"]) == sorted(rows["test"], reverse=True)
    board.segmented_control(key="class_view").set_value("leaderboard").run()
    leaders = table(board, "place")
    assert leaders["name"].iloc[0] == max(expected, key=expected.get)
    board.segmented_control(key="class_view").set_value("curves").run()
    curves = [c for c in board.get("plotly_chart") if "class_curves" in c.proto.id]
    assert curves and len(json.loads(curves[0].proto.spec)["data"]) == 3
    csv = classroom.to_csv(classroom.students(code))
    assert len(csv.strip().splitlines()) == 4


def test_a_student_without_the_key_gets_no_board(room):
    _, code, key = teacher()
    at = session("x" * 32, query={"teach": f"{code}.{'A' * 22}"})
    assert "This teacher link is not valid" in all_text(at)
    assert "teach" not in at.query_params and "class_teacher" not in at.session_state
    assert not [f for f in at.dataframe if "where" in f.value.columns]
    for bad in (f"{code}.{key}x", f"../{code}", "x" * 5000, f"{code}.{key[:-1]}!"):
        at = session("y" * 32, query={"teach": bad})
        assert "class_teacher" not in at.session_state, bad
    # The real link opens the board in another browser, and takes the key out of the URL.
    at = session("z" * 32, query={"teach": f"{code}.{key}"})
    assert at.session_state["class_teacher"]["code"] == code
    assert "teach" not in at.query_params and key not in all_text(at, code=False)


def test_names_are_text_and_a_bad_code_is_one_sentence(room):
    board, code, _ = teacher()
    hostile = "![x](http://e.vil/a.png)"   # 24 characters: the most a name keeps
    at = student("h" * 32, code, hostile)
    badge = next(c.value for c in at.caption if "you are" in c.value)
    assert "![x](http" not in badge and shown(badge).endswith(f"you are **{hostile}**")
    board.run()
    assert list(board_rows(board)["name"]) == [hostile]    # a table cell is plain text
    at = session("i" * 32, query={"join": "<script>"})
    assert "is not a class code" in all_text(at)
    at.text_input(key="class_code").set_value("KFX0")
    at.button(key="class_join").click().run()
    assert "A class code is 6 letters and digits" in all_text(at)


def test_a_full_class_says_so(room, monkeypatch):
    monkeypatch.setenv(classroom.STUDENTS_ENV, "1")
    _, code, _ = teacher()
    student("j" * 32, code, "One")
    at = student("k" * 32, code, "Two")
    assert "This class is full: it has 1 students" in all_text(at)
    assert "class_member" not in at.session_state


def test_the_student_sends_runs_when_the_teacher_chose_so(room):
    board, code, _ = teacher(auto=False)
    at = student("m" * 32, code, "Dee")
    at = train(at)
    assert classroom.students(code)[0].runs == []
    send = at.button(key="class_send")
    assert send.label == "Send to the class (1)"
    send.click().run()
    assert len(classroom.students(code)[0].runs) == 1
    assert "Runs sent to the class: 1." in all_text(at)


def test_a_reload_stays_in_the_class_and_leaving_is_marked(room):
    board, code, _ = teacher()
    student("n" * 32, code, "Eve")
    again = session("n" * 32, page="pages/data.py")    # a reload: a new session
    assert f"Class **{code}** · you are **Eve**" in all_text(again)
    again.button(key="class_leave").click().run()
    assert "You left the class" in all_text(again)
    board.run()
    assert list(board_rows(board)["where"]) == ["left"]


def test_a_pushed_lesson_opens_in_the_students_session(room):
    board, code, key = teacher()
    at = train(student("p" * 32, code, "Fay"))
    trained = at.session_state["trained"]["model"]
    board.text_input(key="class_lesson_link").set_value(
        "http://anything/train?lr=0.01&iterations=1500&hide=scaling&evil=1&lr2=3").run()
    assert "Students will open **Train** · Iterations 1500 · Learning rate 0.01" in \
        all_text(board)
    board.button(key="class_push").click().run()
    at = open_page(at, "pages/data.py")
    assert "Your teacher asks everyone to open Train." in all_text(at)
    at.button(key="class_open_1").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Train"
    assert at.session_state["learning_rate"] == 0.01
    assert at.session_state["iterations"] == 1500
    assert at.session_state["hidden_controls"] == ["scaling"]
    assert at.session_state["trained"]["model"] is trained     # their work is kept
    assert "asks everyone" not in all_text(at)                 # answered: the banner goes


def test_a_bad_lesson_link_is_refused(room):
    board, _, _ = teacher()
    board.text_input(key="class_lesson_link").set_value(
        "http://x/train?lr=abc&iterations=1500&scaling=evil").run()
    text = all_text(board)
    assert "URL parameter lr='abc' ignored" in text and "scaling='evil'" in text
    assert "Students will open **Train** · Iterations 1500" in text
    assert "Learning rate" not in text.split("Students will open")[1].split("\n")[0]
    for bad in ("http://x/../etc/passwd", "http://[::1", "javascript:alert(1)", "/class"):
        board.text_input(key="class_lesson_link").set_value(bad).run()
        assert "The link does not open one of the app's pages." in all_text(board), bad
        assert not [b for b in board.button if b.key == "class_push"]


def test_ending_the_class_deletes_it_and_tells_the_students(room):
    board, code, _ = teacher()
    at = student("q" * 32, code, "Gus")
    assert (room / classroom.FOLDER / code).is_dir()
    board.button(key="class_end").click().run()
    assert not (room / classroom.FOLDER / code).exists()
    assert "The class " + code + " has ended" in all_text(board)
    assert "class_teacher" not in board.session_state
    at.run()
    assert "has ended. Your own work stays here." in all_text(at)
    assert "class_member" not in at.session_state


def test_the_board_reads_in_korean(room):
    """The teacher's board with a student's run, every view, in Korean (the class code and
    the student's own name aside)."""
    from test_i18n import labels, leftover_english

    at = new_app()
    at.session_state["browser_token"] = "K" * 32
    at.session_state["lang"] = "ko"
    at = open_page(at, "pages/class.py")
    at.button(key="class_start").click().run()
    code = at.session_state["class_teacher"]["code"]
    train(student("r" * 32, code, "민지"))
    for view in ("students", "leaderboard", "curves", "join"):
        at.segmented_control(key="class_view").set_value(view).run()
        assert not at.exception, [e.value for e in at.exception]
        text = (all_text(at.main, code=False) + "\n" + labels(at.main)).replace(code, "")
        assert not leftover_english(text), (view, leftover_english(text))
    assert "수업 코드" in all_text(at)


def test_the_board_shows_a_run_in_progress(room, monkeypatch):
    """A run watched live reports how far it is, at most every few seconds (the clock of
    studio.sections.class_session advanced by hand: AppTest runs take no time)."""
    import time
    import types

    from studio.sections import class_session

    clock = [1000.0]
    monkeypatch.setattr(class_session, "time",
                        types.SimpleNamespace(monotonic=lambda: clock[0], time=time.time))
    board, code, _ = teacher()
    at = open_page(student("w" * 32, code, "Ivy"), "pages/train.py")
    at.selectbox(key="train_speed").set_value("slow motion").run()   # 40 iterations a tick
    at.button(key="train_speed_train").click().run()
    for _ in range(5):
        clock[0] += class_session.PROGRESS_SECONDS
        at.run()
    board.run()
    progress = board_rows(board)["progress"].iloc[0]
    assert 0 < progress < 100
    assert board_rows(board)["test"].isna().all()      # no finished run yet
