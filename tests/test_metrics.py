"""Confusion, precision, recall, ROC and PR curves and their areas, against plain loops."""
import math

import numpy as np
import pytest

from logreg.metrics import (auc, average_precision, confusion_at, pr_curve, precision_recall,
                            roc_curve)


def scores(seed, m=60, ties=False):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, m)
    p = np.clip(0.5 + 0.25 * (2 * y - 1) + rng.normal(scale=0.3, size=m), 0, 1)
    return (np.round(p, 1) if ties else p), y


def counts_by_loop(p, y, threshold):
    tp = fp = fn = tn = 0
    for prob, label in zip(p, y):
        answer = prob > threshold
        tp += answer and label == 1
        fp += answer and label == 0
        fn += (not answer) and label == 1
        tn += (not answer) and label == 0
    return tp, fp, fn, tn


@pytest.mark.parametrize("seed, ties", [(0, False), (1, True), (2, True)])
def test_curves_and_areas_match_a_brute_force_reference(seed, ties):
    p, y = scores(seed, ties=ties)
    fpr, tpr, thresholds = roc_curve(p, y)
    recall, precision, pr_thresholds = pr_curve(p, y)
    np.testing.assert_array_equal(thresholds, pr_thresholds)
    # Every distinct classifier "p > t" once, from nothing answered 1 to everything.
    assert list(thresholds) == sorted(set(p), reverse=True) + [-math.inf]
    for k, t in enumerate(thresholds):
        tp, fp, fn, tn = counts_by_loop(p, y, t)
        assert fpr[k] == fp / (fp + tn) and tpr[k] == tp / (tp + fn) and recall[k] == tpr[k]
        assert precision[k] == (tp / (tp + fp) if tp + fp else 1.0)
        matrix = confusion_at(p, y, t)
        assert matrix.tolist() == [[tn, fp], [fn, tp]]
    # ROC area = P(a random positive scores above a random negative), ties counting half.
    pairs = [(a > b) + 0.5 * (a == b) for a in p[y == 1] for b in p[y == 0]]
    assert auc(fpr, tpr) == pytest.approx(np.mean(pairs), abs=1e-12)
    # Average precision: the precision at each positive's own threshold, averaged.
    ap = 0.0
    for t in thresholds[:-1]:
        tp, fp, fn, _ = counts_by_loop(p, y, t - 1e-12)   # "p >= t"
        tp_above, _, _, _ = counts_by_loop(p, y, t)
        ap += (tp - tp_above) / (tp + fn) * tp / (tp + fp)
    assert average_precision(recall, precision) == pytest.approx(ap, abs=1e-12)


def test_perfect_and_useless_scores():
    y = np.array([0, 0, 1, 1])
    assert auc(*roc_curve([0.1, 0.2, 0.8, 0.9], y)[:2]) == 1.0
    assert average_precision(*pr_curve([0.1, 0.2, 0.8, 0.9], y)[:2]) == 1.0
    assert auc(*roc_curve([0.5] * 4, y)[:2]) == 0.5


def test_precision_and_recall_of_a_confusion_matrix():
    assert precision_recall(np.array([[5, 1], [2, 6]])) == (6 / 7, 6 / 8)
    precision, recall = precision_recall(np.array([[5, 0], [3, 0]]))
    assert math.isnan(precision) and recall == 0.0
