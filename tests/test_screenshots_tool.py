"""tools/screenshots.py's options, without a browser: where each kind of shot goes, which URL
flags it opens the pages with, and the words it clicks in the chosen language."""
import importlib.util
from pathlib import Path

import pytest

from studio.session import i18n

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("screenshots_tool",
                                                  ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_option_has_its_own_folder(tool):
    out = Path("shots")
    assert tool.Visit().folder(out) == out
    assert tool.Visit("ko").folder(out) == out / "ko"
    assert tool.Visit(phone=True).folder(out) == out / "phone"
    assert tool.Visit(present=True).folder(out) == out / "present"
    assert tool.Visit("ko", phone=True).folder(out) == out / "ko" / "phone"


def test_url_flags(tool):
    assert tool.Visit().query == ""
    assert tool.Visit("ko").query == "lang=ko"
    assert tool.Visit(present=True).query == "present=1"
    assert tool.Visit("ko", present=True).query == "lang=ko&present=1"
    assert not tool.Visit("ko").sidebar_closed
    assert tool.Visit(phone=True).sidebar_closed and tool.Visit(present=True).sidebar_closed


def test_words_come_from_the_catalog_or_stay_english(tool):
    korean = tool.Visit("ko")
    assert korean.word("Train") == i18n.catalog("ko")["Train"] != "Train"
    assert korean.word("A message nobody wrote") == "A message nobody wrote"
    assert korean.missing == ["A message nobody wrote"]
    english = tool.Visit()
    assert english.word("Train") == "Train" and english.missing == []
    assert english.before("Test accuracy, run after run: **{steps}**") == \
        ["Test accuracy, run after run: "]
    both = korean.either("Train")
    assert both.match("Train") and both.match(i18n.catalog("ko")["Train"])
    assert not both.match("Train again")


def test_phone_and_present_exclude_each_other(tool):
    with pytest.raises(SystemExit):
        tool.main(["--phone", "--present"])


def test_korean_shots_need_a_font_with_korean_letters(tool, monkeypatch, capsys):
    class Listed:
        stdout = ""

    monkeypatch.setattr(tool.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(tool.subprocess, "run", lambda *args, **kwargs: Listed)
    assert "fonts-noto-cjk" in tool.font_problem("ko")
    assert tool.font_problem("en") is None
    with pytest.raises(SystemExit):
        tool.main(["--lang", "ko"])
    assert "empty boxes" in capsys.readouterr().err
