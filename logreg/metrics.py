"""Scores of P(class 1) against 0/1 labels at a decision threshold, and across all of them.

Every model answers class 1 when its probability is *above* the threshold
(:data:`logreg.core.THRESHOLD` by default), so the curves here list exactly the classifiers
that rule can make: one per distinct probability, from "nothing is class 1" (the threshold
at the largest probability) to "everything is" (below the smallest, ``-inf``).
"""
import numpy as np

from .core import THRESHOLD


def confusion_matrix(predictions, labels):
    """2 x 2 counts: rows are the true label (0, 1), columns the predicted label."""
    predictions = np.asarray(predictions).ravel().astype(int)
    labels = np.asarray(labels).ravel().astype(int)
    matrix = np.zeros((2, 2), dtype=int)
    np.add.at(matrix, (labels, predictions), 1)
    return matrix


def confusion_at(probabilities, labels, threshold=THRESHOLD):
    """:func:`confusion_matrix` of the answers ``probabilities > threshold``."""
    return confusion_matrix(np.asarray(probabilities).ravel() > threshold, labels)


def precision_recall(matrix):
    """(precision, recall) of class 1 from a 2 x 2 confusion matrix; NaN where undefined
    (precision when nothing is answered class 1, recall when no example is class 1)."""
    tp, fp, fn = matrix[1, 1], matrix[0, 1], matrix[1, 0]
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    return float(precision), float(recall)


def _counts(probabilities, labels):
    """Thresholds from the largest probability down to ``-inf`` and, for each, how many
    class-1 and class-0 examples lie above it (true and false positives)."""
    p = np.asarray(probabilities, dtype=float).ravel()
    y = np.asarray(labels).ravel().astype(int)
    order = np.argsort(-p, kind="stable")
    p, y = p[order], y[order]
    tp, fp = np.cumsum(y), np.cumsum(1 - y)
    # The last example of each run of equal probabilities: a threshold passes all or none.
    ends = np.flatnonzero(np.append(p[1:] != p[:-1], True))
    thresholds = np.append(p[ends], -np.inf)
    return thresholds, np.append(0, tp[ends]), np.append(0, fp[ends])


def roc_curve(probabilities, labels):
    """The ROC curve: (false-positive rate, true-positive rate, thresholds), each of shape
    (k + 1,) for k distinct probabilities, running from (0, 0) to (1, 1)."""
    thresholds, tp, fp = _counts(probabilities, labels)
    return fp / max(fp[-1], 1), tp / max(tp[-1], 1), thresholds


def pr_curve(probabilities, labels):
    """The precision-recall curve: (recall, precision, thresholds) as in :func:`roc_curve`.

    At the first point nothing is answered class 1; its precision is taken as 1, the
    usual convention, so the curve starts at (0, 1).
    """
    thresholds, tp, fp = _counts(probabilities, labels)
    answered = tp + fp
    precision = np.divide(tp, answered, out=np.ones(tp.shape), where=answered > 0)
    return tp / max(tp[-1], 1), precision, thresholds


def auc(x, y):
    """Area under a curve through the points (x, y) by the trapezoidal rule."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))


def average_precision(recall, precision):
    """Area under the precision-recall curve as steps: sum of (R_k - R_{k-1}) P_k.

    Straight lines between PR points would overstate it (precision does not vary linearly
    with recall), so this is the area commonly reported for PR curves.
    """
    recall, precision = np.asarray(recall, dtype=float), np.asarray(precision, dtype=float)
    return float(np.sum(np.diff(recall) * precision[1:]))
