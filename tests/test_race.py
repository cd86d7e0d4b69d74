"""The fair race between scalings (logreg.race) and two features on different scales
(logreg.two_scales): the sentences follow the runs."""
import numpy as np

from logreg import race, two_scales


def runner(name, costs, test):
    return race.Runner(name, 0.1, np.asarray(costs, dtype=float), 100.0, test)


def test_the_common_target_and_when_each_reaches_it():
    slow = runner("slow", np.linspace(0.69, 0.15, 100), 70.0)
    fast = runner("fast", np.r_[np.linspace(0.69, 0.05, 10), np.full(90, 0.05)], 66.0)
    assert race.common_target([slow, fast]) == 0.2
    assert race.iterations_to(slow.costs, 0.2) == 90 and race.iterations_to(fast.costs, 0.2) == 7
    said = race.verdict([slow, fast], m_test=50)
    assert said[0].endswith("fast in 7 iterations, slow in 90 iterations.")
    assert said[1].startswith("Test accuracy 70 %, 66 %: at most 2 of 50 pictures apart")


def test_one_curve_is_said_once_and_a_real_gap_is_not_called_chance():
    a = runner("a", np.linspace(0.69, 0.1, 50), 80.0)
    b = runner("b", a.costs + 1e-4, 60.0)
    said = race.verdict([a, b], m_test=50)
    assert any(s.startswith("a and b follow the same curve") for s in said)
    assert said[-1].startswith("Test accuracy 80 %, 60 %: 10 of 50 pictures apart.")


def test_a_thousandfold_feature_stalls_raw_descent_and_standardizing_fixes_it():
    experiment = two_scales.run()
    assert experiment.standardized.learning_rate > 1e6 * experiment.raw.learning_rate
    assert race.iterations_to(experiment.standardized.costs, 0.1) == 18
    assert race.iterations_to(experiment.raw.costs, 0.5) is None
    assert experiment.accuracy == {"raw": 50.0, "standardized": 96.5}
    # The standardized run's boundary, written back in raw units, scores the same points.
    X, Y = two_scales.make_data()
    w1, w2, b = experiment.standardized.lines[-1]
    assert np.mean(((w1 * X[0] + w2 * X[1] + b) > 0) == (Y[0] > 0.5)) == 0.965
    assert two_scales.boundary((0.0, 0.0, 0.0), (0, 1)) is None
