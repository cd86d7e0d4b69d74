"""A browser's work across sessions (studio.frame.saved) and runs that go on off their page,
through AppTest: each AppTest is a new session; its browser token stands for the cookie."""
import os
import time

import pytest

from app_support import (ROOT, all_text, button, faces_only, fresh_caches,  # noqa: F401
                         new_app,
                         open_page, texts, train_with_ui)
from studio.session import store

TOKEN, OTHER = "A" * 32, "B" * 32


@pytest.fixture
def faces_state(faces_only, tmp_path, monkeypatch):
    """Only the built-in faces, and a store folder of this test alone (returned)."""
    monkeypatch.setenv(store.DIR_ENV, str(tmp_path / "state"))
    return tmp_path / "state"


def browser(token, page="pages/train.py"):
    """A new session of the browser whose cookie holds ``token``."""
    at = new_app()
    at.session_state["browser_token"] = token
    return open_page(at, page)


def trained(token):
    at = browser(token)
    at.number_input(key="iterations").set_value(300)
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    return at


def train_network(at):
    """Train a small network (2 hidden units, 30 iterations) on the open Network page, then
    run once more: the run after a change saves it."""
    at.text_input(key="net_hidden").set_value("2")
    at.number_input(key="net_iterations").set_value(30)
    at.selectbox(key="net_speed").set_value("full speed").run()
    at.button(key="net_speed_train").click().run()
    for _ in range(50):
        if at.session_state["network_live"].status == "done":
            break
        at.run()
    at.run()
    return at


def sidebar_text(at):
    return "\n".join(texts(at, "success", "info", "warning", "caption", "toast"))


def test_a_new_session_of_the_same_browser_gets_its_work_back(faces_state):
    first = trained(TOKEN)
    model = first.session_state["trained"]["model"]
    assert len(list(faces_state.glob("*.zip"))) == 1
    assert "restored" not in sidebar_text(first)

    again = browser(TOKEN, "pages/classify.py")           # a reload, or a new tab
    back = again.session_state["trained"]["model"]
    assert (back.w == model.w).all() and back.num_iterations == 300
    assert "Your saved work was restored" in sidebar_text(again)
    assert "no trained parameters" not in all_text(again)
    open_page(again, "pages/train.py")
    assert again.number_input(key="iterations").value == 300
    assert "restored" not in sidebar_text(again)           # said once

    other = browser(OTHER, "pages/classify.py")           # another browser: nothing
    assert "trained" not in other.session_state
    assert "restored" not in sidebar_text(other)
    assert "no trained parameters yet" in all_text(other)


def test_saved_work_expires_after_the_time_to_live(faces_state, monkeypatch):
    trained(TOKEN)
    monkeypatch.setenv(store.TTL_ENV, "120")
    for path in (store.path_for(TOKEN), store.settings_path(TOKEN)):   # they go together
        os.utime(path, (time.time() - 200,) * 2)
    at = browser(TOKEN, "pages/classify.py")
    assert "trained" not in at.session_state
    assert "deleted after 2 minutes without a visit" in sidebar_text(at)


def test_a_tampered_file_is_refused(faces_state):
    trained(TOKEN)
    path = store.path_for(TOKEN)
    content = bytearray(path.read_bytes())
    start = content.index(b"model.npz")            # damage the model's part, keep the zip
    content[start + 200:start + 260] = b"\xff" * 60
    path.write_bytes(bytes(content))
    at = browser(TOKEN, "pages/classify.py")
    assert not at.exception
    assert "trained" not in at.session_state
    assert ("Part of your saved work could not be read and was left out, the rest is back: "
            "the trained parameters (the saved part is damaged (BadZipFile))") in sidebar_text(at)
    assert not path.exists()                       # nothing else was in it
    path.write_bytes(b"PK not a zip at all")       # a file unreadable as a whole
    at = browser(TOKEN, "pages/classify.py")
    assert "could not be read and was discarded" in sidebar_text(at)
    assert not path.exists()


def test_a_part_that_cannot_be_restored_costs_that_part_only(faces_state):
    import numpy as np
    from logreg.data import Dataset
    first = trained(TOKEN)
    model = first.session_state["trained"]["model"]
    x, y = np.zeros((4, 8, 8, 3), np.uint8), np.array([[0, 1, 0, 1]])
    # A class name the loaders refuse (what a long zip folder name once built).
    bad = Dataset("bad", x, y, x, y, ("a" * 101, "b"))
    good = Dataset("good", x, y, x, y, ("a", "b"))
    content, _ = store.encode(store.Saved(datasets={"built:bad": bad, "built:good": good}),
                              10**8, previous=store.current(TOKEN), changed=["datasets"])
    store.write(TOKEN, content)
    at = browser(TOKEN, "pages/classify.py")
    assert (at.session_state["trained"]["model"].w == model.w).all()   # the model is back
    assert list(at.session_state["custom_datasets"]) == ["built:good"]
    text = sidebar_text(at)
    assert "was left out, the rest is back: the dataset bad (" in text
    assert "could not be read and was discarded" not in text
    again = browser(TOKEN, "pages/classify.py")     # the file was rewritten without it
    assert "left out" not in sidebar_text(again) and "trained" in again.session_state


def test_a_visit_that_saves_no_work_writes_nothing(faces_state):
    at = browser(TOKEN)
    at.number_input(key="iterations").set_value(300).run()   # settings alone: no file
    at.number_input(key="iterations").set_value(400).run()
    assert not faces_state.exists() or not any(
        p.name != store.LOCK for p in faces_state.iterdir())
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)                                # work: the settings ride along
    assert store.path_for(TOKEN).exists() and store.settings_path(TOKEN).exists()
    assert store.read(TOKEN).settings["iterations"] == 400


def test_forget_my_saved_work(faces_state):
    at = trained(TOKEN)
    button(at, "Forget my saved work").click().run()
    assert not store.path_for(TOKEN).exists()
    assert "trained" not in at.session_state
    assert "was forgotten" in sidebar_text(at)
    assert "trained" not in browser(TOKEN).session_state


def test_a_run_goes_on_while_another_page_is_open_and_reset_is_a_clean_slate(faces_state):
    at = trained(TOKEN)                                   # a model from an earlier run
    at.number_input(key="iterations").set_value(2000)
    at.selectbox(key="train_speed").set_value("slow motion")
    button(at, "Train").click().run()
    open_page(at, "pages/classify.py")
    run = at.session_state["live_training"]
    assert run.status == "running"
    assert "trained" in at.session_state                  # the old model answers meanwhile
    before = run.trainer.iteration
    at.run()
    at.run()
    assert at.session_state["live_training"].trainer.iteration > before   # the strip trains it
    progress = [p for p in at.get("progress") if "Training: iteration" in str(p.proto.text)]
    assert progress, "the strip above the page shows the run's progress"
    open_page(at, "pages/train.py")
    button(at, "Reset").click().run()
    assert "live_training" not in at.session_state and "trained" not in at.session_state
    assert "No trained parameters yet" in all_text(at)
    assert not at.exception


def test_classify_says_how_far_the_run_is(faces_state):
    at = browser(TOKEN)
    at.selectbox(key="train_speed").set_value("slow motion")
    button(at, "Train").click().run()
    open_page(at, "pages/classify.py")
    info = "\n".join(texts(at, "info"))
    assert "Training…" in info
    assert any("Training: iteration" in str(p.proto.text) for p in at.get("progress"))
    assert not [b for b in at.button if b.label == "Train with the defaults"]
    for _ in range(200):
        if at.session_state["live_training"].status == "done":
            break
        at.run()
    at.run()
    assert "trained" in at.session_state and "Training…" not in all_text(at)


def test_two_tabs_of_one_browser_keep_each_others_work(faces_state):
    first = trained(TOKEN)                                # tab 1: logistic regression
    second = train_network(browser(TOKEN, "pages/network.py"))   # tab 2: restores, trains
    first.number_input(key="iterations").set_value(400).run()   # tab 1 changes a setting
    third = browser(TOKEN, "pages/classify.py")
    assert "trained" in third.session_state and "trained_network" in third.session_state
    assert "Your saved work was restored" in sidebar_text(third)


def test_a_network_run_goes_on_off_its_page(faces_state):
    at = browser(TOKEN, "pages/network.py")
    at.text_input(key="net_hidden").set_value("2")
    at.number_input(key="net_iterations").set_value(2000)
    at.selectbox(key="net_speed").set_value("slow motion").run()
    at.button(key="net_speed_train").click().run()
    open_page(at, "pages/classify.py")
    before = at.session_state["network_live"].trainer.iteration
    at.run()
    assert at.session_state["network_live"].trainer.iteration > before
    assert any("Network: iteration" in str(p.proto.text) for p in at.get("progress"))
    assert not at.exception


def test_a_change_after_the_file_vanished_saves_everything_again(faces_state):
    at = trained(TOKEN)
    store.path_for(TOKEN).unlink()                        # the TTL sweep, or room for others
    at.number_input(key="iterations").set_value(400).run()   # only a setting changes
    back = store.read(TOKEN)
    assert back is not None and back.model is not None and back.settings["iterations"] == 400


def test_long_hidden_layers_are_capped_and_never_cost_the_file(faces_state):
    at = browser(TOKEN, "pages/network.py")
    assert at.text_input(key="net_hidden").max_chars == 60
    from studio.frame import saved
    # Kept as the layers they parse to (ten of at most 1024 units: 49 characters at most).
    assert saved.SETTINGS["net_hidden"](" 20, 7,5") == "20,7,5"
    assert saved.SETTINGS["net_hidden"]("7" * store.MAX_NAME) is None
    assert saved.SETTINGS["net_hidden"](",".join(["1024"] * 11)) is None


def test_a_failed_save_does_not_show_the_servers_path(faces_state, monkeypatch):
    def refuse(token, content):
        raise PermissionError(13, "Permission denied", str(faces_state / "secret-place"))
    monkeypatch.setattr(store, "write", refuse)
    at = trained(TOKEN)   # its runs saved the new settings and model, and were refused
    text = sidebar_text(at)
    assert "could not be saved on the server (Permission denied)" in text
    assert "secret-place" not in text


def test_a_full_server_says_once_that_the_work_is_not_saved(faces_state, monkeypatch):
    """While the store keeps work for as many browsers as it may, every run of a new
    browser fails to save for the same reason: said once, not above every run."""
    monkeypatch.setenv(store.BROWSERS_ENV, "1")
    trained(TOKEN)                        # the one browser the server keeps work for
    at = trained("B" * 32)
    said = [w for w in texts(at, "warning") if "could not be saved" in w]
    assert len(said) == 1 and "as many browsers as it may" in said[0], said
    at.number_input(key="iterations").set_value(200)
    train_with_ui(at)                     # a new model: saving fails again, silently
    assert store.read("B" * 32) is None
    assert not [w for w in texts(at, "warning") if "could not be saved" in w]


def test_the_cookie_script_holds_the_token_as_a_json_string(monkeypatch):
    from studio.frame import saved
    scripts = []
    monkeypatch.setattr(saved.st, "html", lambda body, **kw: scripts.append(body))
    saved._set_cookie("A" * 32)
    assert "document.cookie = \"logreg_browser=" + "A" * 32 + "\" + '; Path=/;" in scripts[0]


def test_saving_is_off_when_the_folder_is_not_this_users(faces_state, monkeypatch):
    def refuse():
        raise store.StoreUnavailable("the folder for saved work, /x, is not this user's own")
    monkeypatch.setattr(store, "directory", refuse)
    at = browser(TOKEN)
    assert "cannot be saved on this server" in sidebar_text(at)
    at.number_input(key="iterations").set_value(300)
    at.selectbox(key="train_speed").set_value("full speed")
    train_with_ui(at)
    at.run()
    assert not at.exception and "trained" in at.session_state
    assert "/x" not in sidebar_text(at) and "could not be saved" not in sidebar_text(at)


def test_a_changed_setting_does_not_rewrite_the_models(faces_state):
    at = trained(TOKEN)
    inode = store.path_for(TOKEN).stat().st_ino
    at.number_input(key="iterations").set_value(400).run()
    assert store.path_for(TOKEN).stat().st_ino == inode      # the zip was not replaced
    back = browser(TOKEN, "pages/classify.py")
    assert "trained" in back.session_state
    open_page(back, "pages/train.py")
    assert back.number_input(key="iterations").value == 400


def test_a_reload_shows_the_restored_network_and_results_and_reset_forgets_them(faces_state):
    first = trained(TOKEN)                                # Train's model
    train_network(open_page(first, "pages/network.py"))
    row = first.session_state["network_results"][-1]

    again = browser(TOKEN, "pages/network.py")            # a reload
    assert "network_live" not in again.session_state
    assert again.session_state["network_results"] == [row]    # the table came back
    assert [t for t in texts(again, "info") if "Train the three models" in t] == []
    assert [c for c in again.get("plotly_chart") if c.proto.id and "net_cost" in c.proto.id]
    assert "restored from your saved work" in all_text(again)
    notice = [c for c in texts(again, "caption") if "Your saved work was restored" in c]
    assert notice and not again.get("toast")              # in the page's flow, not over it
    reset = again.button(key="net_speed_reset")
    assert not reset.disabled                             # a restored model can be reset
    reset.click().run()
    assert "trained_network" not in again.session_state

    open_page(again, "pages/train.py")                    # Train's results are back too
    assert "Results" in texts(again, "header")
    assert not again.button(key="train_speed_reset").disabled
    assert not again.exception
