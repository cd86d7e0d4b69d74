"""The chart builders: real data in, finite plotly figures out."""
import json
import math

import numpy as np
import pytest

from logreg import linear_demo
from logreg.metrics import confusion_matrix
from studio.display import figures


def spec(fig):
    """The figure as the browser gets it (plotly may pack arrays as base64 "bdata")."""
    return json.loads(fig.to_json())


def values(fig, trace, field):
    """A trace's array as plain numbers, however plotly encodes it (a FrozenFigure holds
    its dict, and plotly's own its objects)."""
    if isinstance(fig, figures.base.FrozenFigure):
        return np.asarray(fig.to_dict()["data"][trace][field]).tolist()
    return np.asarray(getattr(fig.data[trace], field)).tolist()


def test_cost_curve_has_every_point_and_respects_max_points():
    costs = np.linspace(0.7, 0.1, 2000)
    fig = figures.base.cost_curve(costs, total=3000)
    assert len(values(fig, 0, "y")) == 2000
    assert spec(fig)["layout"]["xaxis"]["range"] == [0, 3000]
    thin = values(figures.base.cost_curve(costs, max_points=100), 0, "x")
    assert len(thin) == 100 and thin[0] == 0 and thin[-1] == 1999


def test_non_finite_costs_become_gaps_not_nan():
    data = spec(figures.base.cost_curve([0.7, float("inf"), float("nan"), 0.5]))
    assert data["data"][0]["y"] == [0.7, None, None, 0.5]


def test_scaling_comparison_side_by_side_and_overlay():
    runs = {"raw": [0.69, 3e4, 10.0], "divide255": [0.69, 0.6, 0.5], "zscore": [0.69, 0.4, 0.2]}
    side = spec(figures.normalization.scaling_comparison(runs, log_y=True))
    assert len(side["data"]) == 3 and {t["xaxis"] for t in side["data"]} == {"x", "x2", "x3"}
    assert side["layout"]["xaxis3"]["matches"] == "x"
    assert side["layout"]["yaxis"]["type"] == "log"
    overlay = spec(figures.normalization.scaling_comparison(runs, overlay=True))
    assert {t.get("xaxis", "x") for t in overlay["data"]} == {"x"}


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    labels = np.array([[0, 0, 1, 1, 1]])
    predictions = np.array([[0, 1, 1, 1, 0]])
    matrix = confusion_matrix(predictions, labels)
    assert matrix.tolist() == [[1, 1], [1, 2]]


def test_weights_maps_sum_or_split_channels():
    w = np.arange(4 * 4 * 3, dtype=float).reshape(-1, 1)
    (title, summed), = figures.train.weights_image(w, 4, 3, "sum")
    grid = w.reshape(4, 4, 3)
    assert np.array_equal(summed, grid.sum(axis=2))
    channels = figures.train.weights_image(w, 4, 3, "per channel")
    assert [t for t, _ in channels] == ["red", "green", "blue"]
    assert np.array_equal(channels[1][1], grid[:, :, 1])
    fig = spec(figures.train.weights_figure(w - w.mean(), 4, 3, "per channel"))
    assert len(fig["data"]) == 3
    assert fig["data"][0]["zmin"] == -fig["data"][0]["zmax"]  # diverging around zero


@pytest.mark.parametrize("mode", ["raw", "divide255", "zscore"])
def test_the_level_counts_summary_is_the_scaled_matrix_summary(cat_dataset, mode):
    """scaled_pixel_summary's shortcut (raw and ÷ 255 from the 256 levels' counts) gives the
    same bars as summarizing the scaled matrix, also for one level and for a few."""
    from logreg.pipeline import prepare
    from logreg.preprocessing import fit_scaler, flatten, pixel_summary, scaled_pixel_summary
    cases = [(cat_dataset.train_set_x_orig, prepare(cat_dataset, mode).X_train)]
    for images in (np.full((3, 2, 2, 3), 7, np.uint8),
                   np.random.default_rng(0).integers(0, 4, (5, 3, 3, 3)).astype(np.uint8)):
        X = flatten(images)
        cases.append((images, fit_scaler(mode, X).transform(X)))
    for images, scaled in cases:
        fast, direct = scaled_pixel_summary(images, mode), pixel_summary(scaled)
        assert np.array_equal(fast.counts, direct.counts)
        assert np.array_equal(fast.edges, direct.edges)
        assert fast.mean == pytest.approx(direct.mean, rel=1e-12, abs=1e-12)
        assert fast.std == pytest.approx(direct.std, rel=1e-12, abs=1e-12)


def test_pixel_histograms_send_bins_not_pixels(cat_dataset):
    from logreg.pipeline import prepare
    from logreg.preprocessing import pixel_summary
    panels = {mode: pixel_summary(prepare(cat_dataset, mode).X_train)
              for mode in ("raw", "zscore")}
    fig = figures.data.pixel_histograms(panels)
    assert len(fig.data) == 2
    counts, centres = values(fig, 0, "y"), values(fig, 0, "x")
    assert len(counts) == 64 and sum(counts) == 12288 * 209
    assert min(centres) > 0 and max(centres) < 255
    z = values(fig, 1, "x")
    assert min(z) < 0 < max(z)


def test_upscaled_uses_nearest_neighbour():
    image = np.array([[[0, 0, 0], [255, 255, 255]]], dtype=np.uint8)  # 1 x 2 pixels
    big = figures.base.upscaled(image, size=8)
    assert big.shape == (4, 8, 3)
    assert set(np.unique(big)) == {0, 255}  # no blended greys
    assert figures.base.upscaled(np.zeros((2, 2, 1), np.uint8), 4).shape == (4, 4)


def test_linear_demo_figure_matches_the_seed():
    demo = linear_demo.run()
    # The seed's first cost, the same for both runs (w = b = 0).
    assert demo.raw.costs[0] == demo.standardized.costs[0] == pytest.approx(14821.506, abs=1e-3)
    assert demo.raw.costs[-1] < demo.standardized.costs[-1]  # at alpha 1e-4, raw is ahead
    fast = linear_demo.run(alpha=0.1)
    assert fast.standardized.costs[-1] == pytest.approx(40.33, abs=0.01)
    assert not math.isfinite(fast.raw.costs[-1])
    fig = spec(figures.normalization.linear_demo_figure(fast, log_y=True))
    assert None in fig["data"][0]["y"]  # the diverged run shows a gap, no NaN in the JSON
    with pytest.raises(ValueError, match="alpha"):
        linear_demo.run(alpha=float("nan"))


def test_side_by_side_titles_wrap_by_their_shown_width():
    """Coloured titles break after their colon (their spans keep their spaces); a Korean
    character is about twice as wide as a Latin one (the replay's titles on a phone)."""
    from studio.display.figures.base import wrapped
    coloured = "cost: <span style='color:#1f77b4'>train</span> · <span>test</span>"
    assert wrapped(coloured) == coloured.replace(": ", ":<br>", 1)
    assert wrapped("가중치 (빨강: cat)") == "가중치<br>(빨강: cat)"   # 13 characters, 18 wide
    assert wrapped("weights (red: cat)") == "weights<br>(red: cat)"
    assert wrapped("ROC curve") == "ROC curve" and wrapped("학습 세트") == "학습 세트"
    assert wrapped(wrapped("weights (red: cat)")) == "weights<br>(red: cat)"   # once
    assert wrapped("standardized · step 5.3") == "standardized ·<br>step 5.3"
    assert wrapped("raw features · step 7.7e-07") == "raw features ·<br>step 7.7e-07"
