"""One table of what a student can start may cost (logreg/workload.py): every kind has a
unit, a limit checked before it starts and a bound while it runs, and the largest legal
settings stay within them."""
import numpy as np
import pytest

from logreg import course, linear_demo, network, workload
from logreg.data import MAX_VALUES
from logreg.words import Message


def test_every_kind_has_a_unit_a_limit_and_a_bound_while_it_runs():
    assert set(workload.KINDS) >= {"training step", "training run", "comparison",
                                   "network step", "network memory", "landscape", "image",
                                   "JPEG scans", "JPEG segments", "builder"}
    for name, kind in workload.KINDS.items():
        assert isinstance(kind.unit, Message) and kind.unit, name
        assert kind.limit > 0 and kind.running, name


def test_the_largest_legal_settings_fit_their_limits():
    # A training step on the largest dataset a file may hold, on either path.
    for n_x, m in ((12288, MAX_VALUES // 12288), (MAX_VALUES // 4096, 4096), (3, MAX_VALUES // 3)):
        workload.check("training step", workload.training_step(n_x, m))
    workload.check("training run", course.MAX_ITERATIONS)
    # The landscape at the most iterations is its limit exactly.
    assert workload.landscape(course.MAX_ITERATIONS) == workload.MAX_LANDSCAPE_WORK
    workload.check("landscape", workload.landscape(course.MAX_ITERATIONS))
    # The network's estimate is the one network.py checks.
    dims = (12288, 20, 7, 5, 1)
    assert workload.network_step(dims, 209) == (network.parameter_count(dims) * 209,
                                                 (20 + 7 + 5 + 1) * 209)


def test_more_than_a_limit_is_refused_in_one_sentence():
    with pytest.raises(ValueError) as refused:
        workload.check("landscape", workload.MAX_LANDSCAPE_WORK + 1)
    sentence = refused.value.args[0]
    assert isinstance(sentence, Message)
    assert str(sentence) == (
        f"this would cost {workload.MAX_LANDSCAPE_WORK + 1:,} residuals and grid points, more "
        f"than the limit of {workload.MAX_LANDSCAPE_WORK:,} that keeps the shared server "
        "responsive for everyone")
    # The landscape on more points than the page draws is refused before any work.
    with pytest.raises(ValueError, match="residuals and grid points"):
        linear_demo.run(iterations=course.MAX_ITERATIONS, m=1000)


def test_the_landscape_does_the_work_its_estimate_counts(monkeypatch):
    """Counted, not timed: the residuals the landscape computes at the most iterations are
    the estimate's, and no Python loop runs (before issue 24's fix, 200,000 loop steps)."""
    counted = []
    reference = linear_demo.squared_error

    def counting(x, y, ws, bs, rows=512):
        counted.append(len(ws) * x.size)
        return reference(x, y, ws, bs, rows)

    def no_loop(*args, **kwargs):
        raise AssertionError("the loop ran")

    monkeypatch.setattr(linear_demo, "squared_error", counting)
    monkeypatch.setattr(linear_demo, "gradient_descent", no_loop)
    demo = linear_demo.run(iterations=course.MAX_ITERATIONS, seed=3)
    assert np.isfinite(demo.raw.costs).all()
    grid = 2 * workload.LANDSCAPE_GRID ** 2
    assert sum(counted) <= workload.landscape(course.MAX_ITERATIONS) - grid
