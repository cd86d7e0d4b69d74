"""session.classroom without Streamlit: a class started, joined, reported to, bounded, ended."""
import json
import os
import stat
import time

import pytest

from studio.session import classroom, store


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DIR_ENV, str(tmp_path))
    return tmp_path / classroom.FOLDER


def sid(n):
    return classroom.student_id(f"token-{n}")


def record(test=70.0, train=99.0, kind="logistic", hidden="", points=None, costs=None,
           ended=None):
    settings = {"iterations": 2000, "learning_rate": 0.005, "scaling": "divide255",
                "hidden": hidden, "points": points}
    return classroom.run_record(kind, "file:catvnoncat", "cat vs non-cat", "12288-1",
                                settings, 0.14, train, test, 0.5,
                                costs or [0.69 - i * 1e-4 for i in range(2000)], ended)


def test_codes_are_short_unambiguous_and_checked():
    codes = {classroom.new_code() for _ in range(200)}
    assert len(codes) > 190
    for code in codes:
        assert len(code) == 6 and not set(code) & set("0O1IL2Z5S6GB8UVQ")
    assert classroom.normal_code(" kfx-7mr ") == "KFX7MR"
    for bad in ("KFX7M", "KFX7MRR", "KFX0MR", "../etc", "", None, 42, "x" * 500, "KFX7M!"):
        assert classroom.normal_code(bad) is None, bad


def test_names_are_plain_short_text():
    assert classroom.clean_name("  Ada\u202e  Lovelace\n ") == "Ada Lovelace"
    assert classroom.clean_name("x" * 100) == "x" * classroom.MAX_NAME
    assert classroom.clean_name("\u200b\x00  ") is None
    assert classroom.clean_name(None) is None
    # Markdown and HTML stay text here; the pages escape them where they show them.
    assert classroom.clean_name("<b>![](http://x)</b>") == "<b>![](http://x)</b>"


def test_a_class_and_its_teacher_key(folder):
    found, key = classroom.create(classroom.Challenge("Best cat", "test"), auto=False)
    assert classroom.CODE.fullmatch(found.code) and classroom.KEY.fullmatch(key)
    assert classroom.is_teacher(found.code, key)
    for wrong in (key[:-1] + ("A" if key[-1] != "A" else "B"), "", None, key + "x", "a" * 22):
        assert not classroom.is_teacher(found.code, wrong)
    text = (folder / found.code / classroom.CLASS_FILE).read_text()
    assert key not in text                       # only its hash is kept
    loaded = classroom.load(found.code)
    assert loaded.challenge.title == "Best cat" and loaded.auto is False
    assert stat.S_IMODE((folder / found.code).stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / found.code / classroom.CLASS_FILE).stat().st_mode) == 0o600
    assert classroom.split_teacher_link(f"{found.code}.{key}") == (found.code, key)
    assert classroom.split_teacher_link(f"{found.code}.{key}/..") is None
    assert classroom.split_teacher_link(f"{found.code}{key}") is None


def test_join_report_submit_and_the_board(folder):
    found, key = classroom.create()
    code = found.code
    ada = classroom.join(code.lower(), sid(1), "Ada")
    two = classroom.join(code, sid(2), "ada")            # names are unique, ignoring case
    assert (ada.name, two.name) == ("Ada", "ada 2")
    assert classroom.join(code, sid(1), "Ada L").name == "Ada L"   # a new name, same student
    classroom.report(code, sid(1), page="train",
                     run={"kind": "logistic", "iteration": 500, "total": 2000,
                          "status": "running"})
    classroom.submit(code, sid(2), record(test=72.0))
    everyone = classroom.students(code)
    assert [s.name for s in everyone] == ["Ada L", "ada 2"]
    assert everyone[0].page == "train" and everyone[0].run["iteration"] == 500
    latest = everyone[1].latest()
    assert latest["test"] == 72.0 and len(latest["curve"]) == classroom.CURVE_POINTS
    assert latest["curve"][0][0] == 0 and latest["curve"][-1][0] == 1999
    assert everyone[0].status() == "active"
    assert classroom.find(sid(1)) == code and classroom.find(sid(3)) is None
    classroom.leave(code, sid(1))
    assert classroom.students(code)[0].status() == "left"   # marked, not removed
    assert classroom.find(sid(1)) is None


def test_quiet_students_are_marked(folder):
    found, _ = classroom.create()
    classroom.join(found.code, sid(1), "Bo")
    path = folder / found.code / f"s-{sid(1)}.json"
    old = time.time() - classroom.QUIET_SECONDS - 5
    os.utime(path, (old, old))
    assert classroom.students(found.code)[0].status() == "quiet"
    assert classroom.heartbeat(found.code, sid(1))
    assert classroom.students(found.code)[0].status() == "active"


def test_limits_say_what_is_full(folder, monkeypatch):
    monkeypatch.setenv(classroom.STUDENTS_ENV, "2")
    monkeypatch.setenv(classroom.SUBMISSIONS_ENV, "3")
    found, _ = classroom.create()
    classroom.join(found.code, sid(1), "A")
    classroom.join(found.code, sid(2), "B")
    with pytest.raises(classroom.ClassError) as full:
        classroom.join(found.code, sid(3), "C")
    assert "full" in full.value.args[0].template
    classroom.join(found.code, sid(2), "B again")         # already in: not a new student
    for _ in range(3):
        classroom.submit(found.code, sid(1), record())
    with pytest.raises(classroom.ClassError) as many:
        classroom.submit(found.code, sid(2), record())
    assert "most it keeps" in many.value.args[0].template
    monkeypatch.setenv(classroom.CLASSES_ENV, "2")
    classroom.create()
    with pytest.raises(classroom.ClassError):
        classroom.create()


def test_the_class_bytes_are_capped(folder, monkeypatch):
    found, _ = classroom.create()
    classroom.join(found.code, sid(1), "A")
    used, files = classroom.usage(found.code)
    assert files == 2 and used <= 2 * 4096
    monkeypatch.setenv(classroom.BYTES_ENV, str(used + 4096))
    classroom.submit(found.code, sid(1), record())     # about 2 KB: still one block
    with pytest.raises(classroom.ClassError) as full:
        for _ in range(10):
            classroom.submit(found.code, sid(1), record())
    assert "room" in full.value.args[0].template
    assert classroom.usage(found.code)[0] <= used + 4096


def test_a_bad_name_or_code_is_one_sentence(folder):
    found, _ = classroom.create()
    with pytest.raises(classroom.ClassError) as bad:
        classroom.join("KFX0", sid(1), "A")
    assert "6 letters" in bad.value.args[0].template.format(**bad.value.args[0].fields)
    with pytest.raises(classroom.ClassError):
        classroom.join(found.code, sid(1), "\u200b")
    with pytest.raises(classroom.ClassError) as gone:
        classroom.join("KFX7MR" if found.code != "KFX7MR" else "KFX7MA", sid(1), "A")
    assert "no class" in gone.value.args[0].template


def test_only_the_teacher_pushes_a_lesson_or_ends_the_class(folder):
    found, key = classroom.create()
    classroom.join(found.code, sid(1), "A")
    with pytest.raises(classroom.ClassError):
        classroom.push_lesson(found.code, "x" * 22, "train", {}, ())
    lesson = classroom.push_lesson(found.code, key, "train",
                                   {"lr": "0.01", "evil": "1", "iterations": "1500"},
                                   ("scaling", "nonsense"))
    assert (lesson.number, lesson.query, lesson.hide) == (1, {"lr": "0.01",
                                                              "iterations": "1500"},
                                                          ("scaling",))
    assert classroom.push_lesson(found.code, key, "network", {}, ()).number == 2
    with pytest.raises(classroom.ClassError):
        classroom.push_lesson(found.code, key, "../../etc", {}, ())
    with pytest.raises(classroom.ClassError):
        classroom.end(found.code, "y" * 22)
    classroom.end(found.code, key)
    assert not (folder / found.code).exists() and list(folder.iterdir()) == [folder / ".lock"]
    assert classroom.load(found.code) is None and classroom.students(found.code) == []
    with pytest.raises(classroom.ClassError):
        classroom.submit(found.code, sid(1), record())


def test_classes_expire_and_are_swept(folder, monkeypatch):
    monkeypatch.setenv(classroom.TTL_ENV, "1")
    found, _ = classroom.create()
    assert found.expires - found.created == 3600
    later = time.time() + 3601
    assert classroom.load(found.code, now=later) is None
    assert classroom.sweep(now=later) == 1 and not (folder / found.code).exists()
    assert classroom.create(hours=99)[0].expires - time.time() <= 24 * 3600 + 5


def test_tampered_files_are_read_as_nothing(folder):
    found, key = classroom.create()
    classroom.join(found.code, sid(1), "A")
    path = folder / found.code / f"s-{sid(1)}.json"
    content = json.loads(path.read_text())
    content["name"] = "\u202e" * 3
    content["runs"] = [{"kind": "pickle"}, "x", record()]
    content["page"] = "../../secret"
    path.write_text(json.dumps(content))
    (folder / found.code / f"s-{'f' * 24}.json").write_text("{not json")
    (folder / found.code / "s-../../x.json").parent.exists()
    kept = classroom.students(found.code)
    assert len(kept) == 1 and kept[0].name == "?" and len(kept[0].runs) == 1
    assert kept[0].page == ""
    (folder / found.code / classroom.CLASS_FILE).write_text("[]")
    assert classroom.load(found.code) is None and not classroom.is_teacher(found.code, key)


def test_the_leaderboard_ranks_by_the_challenge(folder):
    found, _ = classroom.create()
    for n, name in enumerate(("A", "B", "C"), start=1):
        classroom.join(found.code, sid(n), name)
    classroom.submit(found.code, sid(1), record(test=70.0))
    classroom.submit(found.code, sid(1), record(test=74.0))
    classroom.submit(found.code, sid(2), record(test=74.0, train=95.0))
    classroom.submit(found.code, sid(3), record(kind="playground", hidden="4", points="flower",
                                                train=91.0, test=None))
    classroom.submit(found.code, sid(2), record(kind="playground", hidden="3,1",
                                                points="flower", train=90.5, test=None))
    classroom.submit(found.code, sid(1), record(kind="playground", hidden="2",
                                                points="flower", train=60.0, test=None))
    everyone = classroom.students(found.code)
    board = classroom.leaderboard(everyone, classroom.Challenge("best", "test"))
    assert [(place, s.name, run["test"]) for place, s, run in board] == [
        (1, "A", 74.0), (2, "B", 74.0)]   # equal test: the better train accuracy first
    units = classroom.leaderboard(everyone, classroom.Challenge("few", "units",
                                                                points="flower", target=90))
    assert [(s.name, classroom.hidden_units(run)) for _, s, run in units] == [("C", 4),
                                                                            ("B", 4)]
    assert [place for place, _, _ in units] == [1, 2]
    other = classroom.leaderboard(everyone, classroom.Challenge("x", "test", dataset="file:x"))
    assert other == []


def test_the_csv_holds_every_run_and_no_formula(folder):
    found, _ = classroom.create()
    classroom.join(found.code, sid(1), "=HYPERLINK(\"http://x\")")
    classroom.submit(found.code, sid(1), record(test=70.0))
    classroom.submit(found.code, sid(1), record(test=72.0))
    text = classroom.to_csv(classroom.students(found.code))
    lines = text.strip().splitlines()
    assert lines[0].startswith("student,kind,dataset,model,iterations")
    assert len(lines) == 3 and lines[1].startswith("\"'=HYPERLINK")
    assert ",70.0," in lines[1] and ",72.0," in lines[2]
    anonymous = classroom.to_csv(classroom.students(found.code), {sid(1): "Student 1"})
    assert "HYPERLINK" not in anonymous and "Student 1" in anonymous


def test_the_store_sweep_leaves_the_classes_alone(folder):
    found, _ = classroom.create()
    store.sweep(force=True)
    assert classroom.load(found.code) is not None


def test_the_launcher_command_prints_code_and_key(folder, capsys):
    assert classroom.main(["start", "--hours", "2"]) == 0
    code, key, _ = capsys.readouterr().out.split()
    assert classroom.is_teacher(code, key)
    with pytest.raises(SystemExit):
        classroom.main(["start", "--hours", "99"])


def test_looking_for_a_class_makes_no_folder(folder):
    assert not classroom.started() and not folder.exists()
    classroom.create()
    assert classroom.started()
