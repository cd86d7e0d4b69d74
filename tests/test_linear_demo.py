"""The seed's Figure 1 as a cost landscape: the bowl, its curvatures, the path on it."""
import time

import numpy as np
import pytest

from logreg import linear_demo


def test_the_grid_is_the_squared_error_at_every_point():
    X, Y = linear_demo.make_data()
    ws, bs = np.array([0.0, 1.5, 3.0]), np.array([-2.0, 7.0])
    grid = linear_demo.cost_grid(X, Y, ws, bs)
    assert grid.shape == (2, 3)
    for row, b in enumerate(bs):
        for col, w in enumerate(ws):
            direct = np.sum((w * X + b - Y) ** 2) / (2 * X.shape[1])
            assert grid[row, col] == pytest.approx(direct, rel=1e-12)


def test_the_path_is_the_runs_parameters_and_ends_on_its_line():
    demo = linear_demo.run(alpha=1e-4, iterations=50)
    run = demo.raw
    assert run.ws.shape == run.bs.shape == (51,) and run.costs.shape == (50,)
    assert (run.ws[0], run.bs[0]) == (0.0, 0.0)
    for i in (0, 10, 49):
        J = linear_demo.cost_grid(demo.X, demo.Y, [run.ws[i]], [run.bs[i]])[0, 0]
        assert J == pytest.approx(run.costs[i], rel=1e-12)
    assert (run.w, run.b) == (run.ws[-1], run.bs[-1])


def test_curvatures_decide_the_learning_rates():
    X, Y = linear_demo.make_data()
    flat, steep = linear_demo.curvatures(X)
    assert steep / flat == pytest.approx(10881, rel=1e-3)          # the raw ravine
    assert linear_demo.curvatures(linear_demo.standardize(X)) == pytest.approx((1.0, 1.0))
    limit = linear_demo.largest_stable_alpha(X)
    assert limit == pytest.approx(0.00064776, rel=1e-4)
    below = linear_demo.run(alpha=0.99 * limit, iterations=3000)
    above = linear_demo.run(alpha=1.01 * limit, iterations=3000)
    assert np.all(np.diff(below.raw.costs) <= 0)
    assert not np.isfinite(above.raw.costs[-1]) or above.raw.costs[-1] > above.raw.costs[0]
    # The round bowl at its own step lands on the bottom in one step.
    X_std = linear_demo.standardize(X)
    own = linear_demo.run(alpha=linear_demo.own_alpha(X), iterations=1000,
                          standardized_alpha=linear_demo.own_alpha(X_std))
    w_star, b_star = linear_demo.minimum(X_std, own.Y)
    assert own.standardized.ws[1] == pytest.approx(w_star, rel=1e-9)
    assert own.standardized.bs[1] == pytest.approx(b_star, rel=1e-9)
    assert own.standardized.costs[-1] == pytest.approx(40.3292282, abs=1e-6)
    assert own.raw.costs[-1] == pytest.approx(50.118, abs=1e-3)    # still on the ravine floor


def test_the_seeds_own_settings_favour_raw():
    demo = linear_demo.run()
    assert demo.raw.costs[-1] == pytest.approx(51.44, abs=0.01)
    assert demo.standardized.costs[-1] == pytest.approx(12144.4, abs=0.1)


def test_window_shows_start_bottom_and_path_in_one_scale():
    X, Y = linear_demo.make_data()
    demo = linear_demo.run(alpha=5e-4, iterations=200)
    (w_low, w_high), (b_low, b_high) = linear_demo.window(X, Y, demo.raw)
    assert w_high - w_low == pytest.approx(b_high - b_low)
    assert w_low < 0 < w_high and b_low < 0 < b_high
    w_star, b_star = linear_demo.minimum(X, Y)
    assert w_low < w_star < w_high and b_low < b_star < b_high
    shown = (demo.raw.ws >= w_low) & (demo.raw.ws <= w_high)
    assert shown.all()
    diverged = linear_demo.run(alpha=1e-3, iterations=200)
    (w_low, w_high), _ = linear_demo.window(X, Y, diverged.raw)
    assert w_high - w_low < 10 * np.hypot(w_star, b_star)            # not zoomed to 1e100


def _same_run(fast, loop, rtol=1e-9):
    """Every number of ``fast`` equals the loop's to ``rtol``, and is inf or NaN exactly
    where the loop's is."""
    for name in ("costs", "ws", "bs"):
        a, b = getattr(fast, name), getattr(loop, name)
        assert a.shape == b.shape
        assert np.array_equal(np.isnan(a), np.isnan(b)), name
        assert np.array_equal(np.isinf(a), np.isinf(b)), name
        assert np.array_equal(np.sign(a[np.isinf(a)]), np.sign(b[np.isinf(b)])), name
        finite = np.isfinite(b)
        np.testing.assert_allclose(a[finite], b[finite], rtol=rtol, atol=1e-12, err_msg=name)


X42, Y42 = linear_demo.make_data()
RAW_LIMIT = linear_demo.largest_stable_alpha(X42)


@pytest.mark.parametrize("seed", [42, 7])
@pytest.mark.parametrize("scaled, alpha", [
    (False, 1e-4),                                  # the post's setting: the ravine's crawl
    (False, "own"), (False, 0.99 * RAW_LIMIT),      # zig-zag across the ravine
    (False, 1.01 * RAW_LIMIT), (False, 1e-3),       # diverging: inf, then NaN
    (False, 1.0),                                   # overflows within a hundred steps
    (True, 1e-4), (True, "own"), (True, 1.9), (True, 2.1), (True, 3.0)])
def test_every_iterate_at_once_is_the_loops_run(seed, scaled, alpha):
    X, Y = linear_demo.make_data(seed)
    X = linear_demo.standardize(X) if scaled else X
    alpha = linear_demo.own_alpha(X) if alpha == "own" else alpha
    with np.errstate(over="ignore", invalid="ignore"):
        loop = linear_demo.gradient_descent(X, Y, alpha, 6000)
        fast = linear_demo.descend(X, Y, alpha, 6000)
    _same_run(fast, loop)


def test_a_diverging_run_overflows_where_the_loops_does():
    with np.errstate(over="ignore", invalid="ignore"):
        loop = linear_demo.gradient_descent(X42, Y42, 1e-3, 1200)
        fast = linear_demo.descend(X42, Y42, 1e-3, 1200)
    # The cost overflows first (a residual's square), then w, then everything is NaN.
    first = {name: [int(np.flatnonzero(test(getattr(run, name)))[0]) for run in (fast, loop)]
             for name, test in (("costs", np.isinf), ("ws", np.isnan))}
    assert first["costs"][0] == first["costs"][1] < first["ws"][0] == first["ws"][1]
    assert np.isnan(fast.costs[-1]) and np.isnan(fast.ws[-1]) and np.isnan(fast.bs[-1])


def test_the_landscape_at_the_most_iterations_is_cheap(monkeypatch):
    """Issue 24: two tabs changing the seed at 100,000 iterations ran seconds of Python
    each and starved every page. Every iterate at once costs less CPU than the loop's
    20,000 (a ratio on this thread's CPU time, not a wall-clock limit), and a run that
    diverges leaves the loop only its short overflowing tail."""
    most = linear_demo.MAX_ITERATIONS
    began = time.thread_time()
    linear_demo.run(iterations=most, seed=43)            # both runs, a new seed
    fast = time.thread_time() - began
    began = time.thread_time()
    linear_demo.gradient_descent(X42, Y42, 1e-4, most // 5)
    loop = time.thread_time() - began
    assert fast < loop

    looped = []
    reference = linear_demo.gradient_descent

    def counted(X, Y, alpha, iterations, start=(0.0, 0.0)):
        run = reference(X, Y, alpha, iterations, start)
        looped.append(int(np.sum(~np.isnan(run.ws))))    # the iterations the loop ran
        return run
    monkeypatch.setattr(linear_demo, "gradient_descent", counted)
    with np.errstate(over="ignore", invalid="ignore"):
        run = linear_demo.descend(X42, Y42, 1.01 * RAW_LIMIT, most)
    assert np.isnan(run.costs[-1]) and len(looped) == 1
    assert looped[0] < most // 50
