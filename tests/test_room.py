"""Fitting the room (issue 14): presenter mode and hide flags, the class link, the welcome,
and the contrast of the theme's colours."""
import json
import re
import urllib.parse

try:
    from tomllib import loads as read_toml   # Python 3.11+
except ImportError:   # Python 3.10, whose Streamlit (1.65) brings the toml package
    from toml import loads as read_toml

import pytest

from app_support import (ROOT, all_text, button, cat_data, fresh_caches, new_app,  # noqa: F401
                         open_page)
from studio.display import figures, presenter
from studio.frame import shell
from studio.session import i18n


@pytest.fixture(autouse=True)
def server_past_its_first_run(monkeypatch):
    """As on a server that already left Streamlit's pages/ directory mode: the one restart
    studio.frame.shell.page_setup makes per process would otherwise fall in whichever test runs
    first, and AppTest's next run of that test loses the URL flags the restart carried."""
    monkeypatch.setattr(shell, "_switched", True)


def luminance(colour):
    """WCAG relative luminance of "#rrggbb"."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#e4572e", "#ffffff") == pytest.approx(3.68, abs=0.01)   # the figure


def test_theme_text_reaches_4_5_to_1():
    theme = read_toml((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    # Primary buttons draw white text on the primary colour; links draw it on the page.
    for background in ("#ffffff", theme["backgroundColor"]):
        assert contrast(theme["primaryColor"], background) >= 4.5
    for background in (theme["backgroundColor"], theme["secondaryBackgroundColor"]):
        assert contrast(theme["textColor"], background) >= 4.5
    assert contrast(figures.base.TEXT, theme["backgroundColor"]) >= 4.5   # chart axes and ticks
    focus = re.search(r"--studio-focus: (#[0-9a-f]{6})", presenter.CSS).group(1)
    assert contrast(focus, theme["backgroundColor"]) >= 3   # a focus ring (non-text)


def test_every_figure_gets_dark_axis_text_and_shape_coded_series():
    fig = figures.normalization.scaling_comparison(
        {"raw": [1, .5], "divide255": [1, .4], "zscore": [1, .3]}, overlay=True)
    assert fig.layout.xaxis.tickfont.color == figures.base.TEXT
    assert fig.layout.yaxis.title.font.color == figures.base.TEXT
    assert len({trace.line.dash for trace in fig.data}) == 3
    panels = figures.normalization.scaling_comparison({"raw": [1, .5], "divide255": [1, .4],
                                         "zscore": [1, .3]})
    assert panels.layout.xaxis3.tickfont.color == figures.base.TEXT
    assert all(len(a.text.replace("<br>", "")) <= 16 or "<br>" in a.text
               for a in panels.layout.annotations)


def test_no_sentence_points_left_or_right():
    """A phone stacks what a wide screen puts side by side ("the course's table on the
    right" is below the curve there), so no message says where something is sideways."""
    sideways = re.compile(r"\b(on|to|at) the (left|right)\b|\b(left|right) (chart|panel|"
                          r"column|side|picture|table)\b|\((left|right|middle)\)", re.I)
    catalog = i18n.catalog("ko")

    def texts(entry):   # a plural message is a (singular, plural) pair, its Korean a tuple
        return entry if isinstance(entry, (tuple, list)) else (entry,)
    assert not [english for key in catalog for english in texts(key) if sideways.search(english)]
    assert not [text for value in catalog.values() for text in texts(value)
                if re.search("왼쪽|오른쪽|가운데", text)]


def test_large_type_copies_a_figure_with_no_text_below_the_body_size():
    cached = figures.base.FrozenFigure(figures.base.cost_curve([0.7, 0.5, 0.3], log_y=True))
    before = json.dumps(cached.to_dict(), default=str)
    spec = figures.base.large(cached, 19).to_dict()
    assert json.dumps(cached.to_dict(), default=str) == before   # the cached one unchanged
    layout = spec["layout"]
    assert layout["font"]["size"] == 19 and layout["title"]["font"]["size"] == 23
    assert layout["xaxis"]["tickfont"]["size"] == layout["yaxis"]["title"]["font"]["size"] == 19
    assert layout["yaxis"]["minorloglabels"] == "none"   # plotly draws 2 and 5 at 3/4 size
    assert layout["margin"]["l"] > figures.base.AXES_MARGIN["l"]
    bar = figures.base.large(figures.train.probability_bar(0.8, ("non-cat", "cat")), 19).to_dict()
    assert bar["layout"]["uniformtext"] == {"minsize": 19, "mode": "hide"}


def test_presenter_table_escapes_and_labels_every_cell():
    html = presenter.table_html([{"name": "<b>cat</b>", "P(cat)": 0.84512, "runs": 3},
                                 {"name": "dog", "note": None}])
    assert "<b>cat</b>" not in html and "&lt;b&gt;cat&lt;/b&gt;" in html
    assert '<td data-label="P(cat)" class=num>0.84512</td>' in html
    assert html.count("<tr>") == 3 and '<td data-label="note"></td>' in html


def test_hide_flags_are_parsed_from_one_list():
    assert presenter.parse_hidden("speed, Scaling,nonsense") == ("scaling", "speed")
    assert presenter.parse_hidden(None) == ()
    assert set(presenter.parse_hidden(",".join(presenter.hideable()))) == {
        "iterations", "lr", "scaling", "speed", "step", "params"}


def test_class_link_holds_page_settings_language_and_flags():
    url = presenter.class_link("https://school.example/train?x=1", "train",
                               {"iterations": "1500", "lr": "0.01", "lang": "en",
                                "present": "true", "hide": "old"},
                               "ko", True, ("scaling", "speed"))
    parts = urllib.parse.urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "school.example", "/train")
    assert urllib.parse.parse_qs(parts.query) == {
        "iterations": ["1500"], "lr": ["0.01"], "lang": ["ko"], "present": ["1"],
        "hide": ["scaling,speed"]}
    plain = presenter.class_link("", "", {}, "en", False, ())
    assert plain.endswith("/?lang=en")


def link_in(at):
    """The class link's URL. AppTest runs a page without app.py, so studio.frame.shell draws the
    link before the page has put its settings in the URL: one more run stands in for
    app.py, which draws it after the page."""
    at.run()
    links = [c.value for c in at.code if "lang=" in c.value]
    assert len(links) == 1, [c.value for c in at.code]
    return urllib.parse.urlsplit(links[0])


def test_train_page_honours_presenter_and_hide_flags(cat_data):
    at = new_app()
    at.query_params["present"] = "1"
    at.query_params["hide"] = "scaling,speed,step,params"
    at = open_page(at, "pages/train.py")
    assert at.toggle(key="present").value is True
    keys = {w.key for w in [*at.number_input, *at.selectbox]}
    assert {"iterations", "learning_rate"} <= keys
    assert not {"scaling", "train_speed"} & keys
    headers = [h.value for h in at.header]
    assert "One step by hand" not in headers and "Save or load parameters" not in headers
    assert button(at, "Train")
    # The page speaks of the controls it shows: no ".npz below" when that section is hidden.
    assert "No trained parameters yet: press **Train** (the defaults reproduce the " \
           "course)." in all_text(at)
    assert ".npz" not in all_text(at)
    assert button(at, "Train").help == "Start from zero weights with these settings."
    link = link_in(at)
    assert link.path == "/train"
    query = urllib.parse.parse_qs(link.query)
    assert query["present"] == ["1"] and query["hide"] == ["scaling,speed,step,params"]
    assert query["iterations"] == ["2000"] and query["lr"] == ["0.005"]
    assert query["scaling"] == ["divide255"] and query["lang"] == ["en"]


def test_sentences_that_point_at_a_hidden_control_say_what_it_holds(cat_data):
    at = new_app()
    at.query_params["hide"] = "iterations,lr,scaling"
    at = open_page(at, "pages/train.py")
    assert not {"iterations", "learning_rate", "scaling"} & {
        w.key for w in [*at.number_input, *at.selectbox]}
    assert button(at, "Train").help == ("Start from zero weights: 2,000 iterations · "
                                        "learning rate 0.005 · pixels ÷ 255.")
    assert "with the Train page's learning rate (0.005)" in all_text(at)
    assert "learning rate above" not in all_text(at)
    assert "or load a `.npz` below" in all_text(at)   # that section is still there
    open_page(at, "pages/classify.py")
    assert "load a `.npz` there" in all_text(at)
    open_page(at, "pages/network.py")
    assert "One step by hand is on the Train page" in all_text(at)
    at.session_state["hidden_controls"] = ["step"]
    at.run()
    assert "One step by hand" not in all_text(at)
    open_page(at, "pages/classify.py")
    at.query_params["hide"] = "params"
    at.session_state["hidden_controls"] = ["params"]
    at.run()
    assert ".npz" not in all_text(at)


def test_without_flags_everything_shows_and_the_link_is_plain(cat_data):
    at = open_page(new_app(), "pages/train.py")
    assert at.toggle(key="present").value is False
    keys = {w.key for w in [*at.number_input, *at.selectbox]}
    assert {"iterations", "learning_rate", "scaling", "train_speed"} <= keys
    assert {"One step by hand", "Save or load parameters"} <= {h.value for h in at.header}
    query = urllib.parse.parse_qs(link_in(at).query)
    assert "present" not in query and "hide" not in query and query["lang"] == ["en"]


def test_switching_presenter_mode_on_offers_the_hide_list(cat_data):
    at = open_page(new_app(), "pages/train.py")
    at.toggle(key="present").set_value(True).run()
    at.multiselect(key="hidden_controls").set_value(["speed"]).run()
    assert "train_speed" not in {w.key for w in at.selectbox}
    query = urllib.parse.parse_qs(link_in(at).query)
    assert query["present"] == ["1"] and query["hide"] == ["speed"]


def test_the_welcome_says_press_train_and_can_be_dismissed(cat_data):
    at = open_page(new_app(), "pages/data.py")
    text = " ".join(m.value for m in at.markdown)
    assert "**Welcome!**" in text and "press the **Train** button" in text
    button(at, "Got it, hide this").click().run()
    assert "**Welcome!**" not in " ".join(m.value for m in at.markdown)
