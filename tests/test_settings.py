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

