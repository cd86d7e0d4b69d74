"""The settings' one validation (logreg.settings), as URLs, widgets and files spell them."""
from dataclasses import fields

import pytest

from logreg import settings
from logreg.settings import Comparison, Logistic, Network, Playground


@pytest.mark.parametrize("iterations", [1000, 1000.0, "1000", "1e3", "1000.0"])
def test_whole_iterations_in_any_spelling_are_accepted(iterations):
    chosen, problems = Logistic.parse({"iterations": iterations})
    assert (chosen.iterations, problems) == (1000, [])
    assert type(chosen.iterations) is int


@pytest.mark.parametrize("iterations", [0, 1.5, "1.5", "abc", float("inf"), float("nan"),
                                        10 ** 400, None, 100_001, True])
def test_iterations_that_are_not_whole_or_out_of_range_are_refused(iterations):
    chosen, problems = Logistic.parse({"iterations": iterations})
    assert chosen == Logistic()   # the refused value keeps the default
    [problem] = problems
    assert problem.setting == "iterations" and problem.value is iterations
    assert problem.message.startswith("number of iterations must be a whole number")
    assert problem.message.template   # a Message: a page says it in its language


@pytest.mark.parametrize("rate", [0, -1, "nan", float("inf"), 101, None, "fast"])
def test_learning_rates_outside_the_range_are_refused(rate):
    with pytest.raises(ValueError, match="learning rate must be a number above 0"):
        Logistic.checked(learning_rate=rate)


def test_every_refused_value_is_named_and_the_defaults_fill_in():
    chosen, problems = Comparison.parse({"iterations": "0", "learning_rate": "fast"})
    assert chosen == Comparison()
    assert [problem.setting for problem in problems] == ["iterations", "learning_rate"]
    chosen, problems = Comparison.parse({"iterations": "1500", "learning_rate": "fast"})
    assert chosen == Comparison(iterations=1500)   # the accepted value is kept


def test_the_course_run_is_every_default():
    assert Logistic() == Logistic(2000, 0.005, "divide255")
    assert Logistic.parse({"scaling": "zscore"})[0].scaling == "zscore"
    assert "scaling must be one of" in Logistic.parse({"scaling": "x"})[1][0].message


def test_a_network_parses_its_text_and_its_budget_needs_the_data():
    chosen, problems = Network.parse({"hidden": "20, 7,5", "seed": 3})
    assert (chosen.hidden, chosen.seed, problems) == ((20, 7, 5), 3, [])
    assert Network.parse({"hidden": "7,x"})[1][0].message.startswith("hidden layer sizes")
    assert Network.parse({"init": "ones"})[1][0].setting == "init"
    assert Network.parse({"seed": -1})[1][0].setting == "seed"
    assert Network.parse({"hidden": "1024,1024"})[1] == []          # alone, it is fine
    [problem] = Network.parse({"hidden": "1024,1024"}, n_x=12288, m=209)[1]
    assert "weights and biases" in problem.message


def test_the_playground_is_sized_for_the_most_points():
    assert Playground.parse({})[0] == Playground(hidden=(4,), activation="tanh",
                                                 learning_rate=1.2, iterations=5000,
                                                 crosses=False)
    [problem] = Playground.parse({"hidden": "1024,1024,1024", "crosses": True})[1]
    assert problem.setting == "hidden" and "costs too much" in problem.message
    assert Playground.parse({"crosses": "yes"})[1][0].setting == "crosses"


def test_a_page_names_the_run_s_length_before_its_layers():
    # The order the pages checked in before the settings types: iterations, rate, layers.
    for kind in (Network, Playground):
        [first, *_] = kind.parse({"hidden": "x", "learning_rate": 0, "iterations": 0})[1]
        assert first.setting == "iterations"


def test_every_field_of_every_kind_has_its_parser():
    for kind in (Logistic, Comparison, Network, Playground):
        assert {field.name for field in fields(kind)} <= set(settings._Settings.PARSERS)


# --------------------------------------------------------- the app's table (studio.session)


def test_the_table_has_one_row_for_every_field_of_every_kind():
    from studio.session.settings import TABLE
    for kind in (Logistic, Comparison, Network, Playground):
        assert sorted(row.setting for row in TABLE if row.kind is kind) == \
            sorted(field.name for field in fields(kind))
    for column in ("widget", "saved"):
        names = [getattr(row, column) for row in TABLE if getattr(row, column)]
        assert len(names) == len(set(names)), column


def test_a_link_names_the_learning_rate_lr_in_one_row_a_kind():
    from studio.session import settings as app_settings
    assert app_settings.url_names(Logistic) == ("iterations", "lr", "scaling")
    assert app_settings.url_names(Comparison) == ("iterations", "lr")
    assert app_settings.to_query(Logistic(learning_rate=0.01)) == {
        "iterations": "2000", "lr": "0.01", "scaling": "divide255"}
    chosen, problems = app_settings.parse_query(Logistic, {"lr": "0.02", "iterations": "x"})
    assert (chosen.learning_rate, chosen.iterations) == (0.02, 2000)
    [problem] = problems
    # Escaped for Markdown: a link is anyone's text.
    assert problem.startswith("URL parameter iterations\\='x' ignored: number of iterations")


def test_the_network_page_starts_on_its_first_preset():
    from studio.sections import network
    from studio.session.settings import rows
    first = {**next(iter(network.PRESETS.values())), "seed": 1}
    assert {row.setting: row.widget_value(getattr(Network(), row.setting))
            for row in rows(Network)} == first


def test_a_lesson_and_hide_name_the_train_page_s_settings_as_the_table_does():
    # The class's files are read without Streamlit, so they keep their own copy of the names.
    from studio.display import presenter
    from studio.session import classroom
    from studio.session.settings import url_names
    assert classroom.LESSON_QUERY == url_names(Logistic)
    assert set(url_names(Logistic)) <= set(classroom.HIDE_FLAGS) == set(presenter.hideable())
