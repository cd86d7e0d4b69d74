"""What the replay draws, computed once per recorded run and once per threshold.

The replay runs in the browser: its figure carries one plotly animation frame per shown
iteration, so scrubbing and Play redraw without a round trip to the server (a rerun that
rebuilt nine charts took a median 768 ms per slider step; see docs/benchmarks.md). The server
computes the frames here: what depends only on the iteration once per run
(:func:`frames_of`, kept on the run), the figure once per run, and what depends on the
threshold at each move of the slider, as plain dicts (:func:`figure`).
"""
import base64
import io
from dataclasses import dataclass

import numpy as np
from PIL import Image

from logreg import metrics
from logreg.core import sigmoid
from logreg.trainer import accuracy

from ..display import figures
from ..session import words
from ..session.i18n import language, speaking

# At most this many frames reach the browser. A threshold step sends the whole figure again
# and the browser copies and rewrites all of its JSON before drawing, so every frame costs
# there (about 8 KB each, half of it the weights picture): 276 ms median per step with
# 100 frames, 223 ms with 50; 30 frames and a lighter figure took a step from 225 to
# 189 ms against 40 in one interleaved run (bench/inspector_speed.py for the figures).
# The lowest test cost and the last iteration are always among them.
MAX_FRAMES = 30
MOSAIC_COLUMNS = 10


@dataclass(frozen=True, eq=False)
class Frames:
    """A run at each shown iteration, threshold aside.

    ``rows`` index the run's :class:`logreg.history.Curves`; ``p_train`` (s, m) and
    ``p_test`` (s, m_test) are P(class 1); ``weights`` is the weights picture of each
    frame as a PNG data URI (channels summed, each on its own scale), None for a network;
    ``mosaic`` is the test pictures as one PNG data URI, ``columns`` a row; ``roc`` and
    ``pr`` are each frame's test-set ROC and precision-recall curves with their areas
    ((x, y, area), rounded to 4 decimals): they do not depend on the threshold, so moving
    it only moves the point on them.
    """

    rows: np.ndarray
    iterations: np.ndarray
    p_train: np.ndarray
    p_test: np.ndarray
    weights: object
    mosaic: str
    columns: int
    num_px: int
    roc: list
    pr: list


def shown_rows(count, best, limit=MAX_FRAMES):
    """Which of ``count`` recorded frames the replay shows: evenly spaced, always with the
    first, the last and ``best``."""
    picks = np.linspace(0, count - 1, min(count, limit)).round().astype(int)
    return np.unique(np.append(picks, best))


# Frames whose weights are computed together: 1 MB of float64 on the cat data rather than
# 3 MB for all 30, which thirty sessions training at once each allocated for a moment
# (the server keeps such peaks); each group reads the training matrix once more (~5 ms).
WEIGHTS_AT_ONCE = 10


def _weights(run, rows):
    """The weights picture of each frame (red pushes towards class 1), as PNG data URIs."""
    if run.kind != "logistic":
        return None
    model, snapshots, uris = run.model, run.history.snapshots, []
    for start in range(0, len(rows), WEIGHTS_AT_ONCE):
        group = rows[start:start + WEIGHTS_AT_ONCE]
        W = run.trainer.weights_at([snapshots[row] for row in group])
        # 32 colours: a quarter of the bytes of the full picture, and no visible difference
        # (16 show bands).
        uris += [png_uri(tile, colours=32) for tile in
                 figures.network.unit_tiles(W, model.num_px, model.channels, tile=model.num_px)]
    return uris


def png_uri(image, colours):
    """A uint8 image reduced to ``colours`` as a PNG data URI (plotly draws it without a
    file)."""
    buffer = io.BytesIO()
    Image.fromarray(image).quantize(colours).save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def jpeg_uri(image):
    """Photos as a JPEG data URI: a tenth of the PNG's bytes (60 KB for the cat test set)."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="JPEG", quality=90)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def mosaic(pictures, columns=MOSAIC_COLUMNS):
    """The pictures (k, h, w[, c]) uint8 tiled ``columns`` a row, white where none is left."""
    pictures = np.asarray(pictures, dtype=np.uint8)
    k, h, w = pictures.shape[:3]
    rows = -(-k // columns)
    tiles = np.full((rows * h, columns * w, *pictures.shape[3:]), 255, dtype=np.uint8)
    for i, picture in enumerate(pictures):
        r, c = divmod(i, columns)
        tiles[r * h:(r + 1) * h, c * w:(c + 1) * w] = picture
    return tiles.squeeze()


def frames_of(run, dataset):
    """The run's :class:`Frames`, computed on first use and kept on the run."""
    if run.replay_frames is None:
        curves = run.curves
        rows = shown_rows(len(curves.iterations), curves.best)
        p_test = sigmoid(curves.z_test[rows])
        roc, pr = _curves(p_test, np.ravel(dataset.test_set_y).astype(int))
        run.replay_frames = Frames(rows, curves.iterations[rows], sigmoid(curves.z_train[rows]),
                                   p_test, _weights(run, rows),
                                   jpeg_uri(mosaic(dataset.test_set_x_orig)), MOSAIC_COLUMNS,
                                   dataset.num_px, roc, pr)
    return run.replay_frames


def _curves(p_test, y_test):
    """Each frame's ROC and precision-recall curves, rounded, with their areas."""
    roc, pr = [], []
    for p in p_test:
        fpr, tpr, _ = metrics.roc_curve(p, y_test)
        recall, precision, _ = metrics.pr_curve(p, y_test)
        roc.append((_rounded(fpr), _rounded(tpr), metrics.auc(fpr, tpr)))
        pr.append((_rounded(recall), _rounded(precision),
                   metrics.average_precision(recall, precision)))
    return roc, pr


def _rounded(values):
    """Curve coordinates to 4 decimals: far below a pixel, and a small frame."""
    return np.round(np.asarray(values, dtype=float), 4).tolist()


@dataclass(frozen=True, eq=False)
class Scores:
    """Each frame at one threshold: confusion matrices (s, 2, 2), accuracies in %,
    precision and recall of the test set (NaN where undefined), its ROC and PR curves and
    the threshold's point on each, the misclassified test pictures."""

    threshold: float
    confusion_train: list
    confusion_test: list
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    roc: list
    pr: list
    wrong: list


def scores(frames, Y_train, Y_test, threshold):
    """:class:`Scores` of every frame at ``threshold``."""
    y_train, y_test = np.ravel(Y_train).astype(int), np.ravel(Y_test).astype(int)
    train = [metrics.confusion_at(p, y_train, threshold) for p in frames.p_train]
    test = [metrics.confusion_at(p, y_test, threshold) for p in frames.p_test]
    pr_points = np.array([metrics.precision_recall(matrix) for matrix in test])
    roc, pr = [], []
    for (fpr, tpr, roc_area), (recall, precision, pr_area), matrix in zip(frames.roc,
                                                                          frames.pr, test):
        rate = matrix[0, 1] / max(matrix[0].sum(), 1)
        at_precision, at_recall = metrics.precision_recall(matrix)
        # Undefined values drawn where the curves start: recall 0, precision 1.
        at_recall, at_precision = np.nan_to_num(at_recall), np.nan_to_num(at_precision, nan=1.0)
        roc.append((fpr, tpr, roc_area, (rate, at_recall)))
        pr.append((recall, precision, pr_area, (at_recall, at_precision)))
    wrong = [np.flatnonzero((p > threshold) != (y_test == 1)) for p in frames.p_test]
    return Scores(threshold, train, test, _accuracy(frames.p_train, Y_train, threshold),
                  _accuracy(frames.p_test, Y_test, threshold), pr_points[:, 0],
                  pr_points[:, 1], roc, pr, wrong)


def _accuracy(probabilities, Y, threshold):
    """The course's accuracy in % of each frame's answers at ``threshold``."""
    Y = np.asarray(Y, dtype=float).reshape(1, -1)
    return np.array([accuracy((p > threshold)[None].astype(float), Y) for p in probabilities])


def figure(run, dataset, threshold, earlier, iteration=None, lang=None, size=None):
    """(the replay figure of ``run`` at ``threshold``, its :class:`Scores`).

    ``earlier`` is [(label, curves)] of the other runs drawn faint; the figure opens at
    ``iteration`` when it is one of its frames, else at the last. The figure is built
    once per run (and set of earlier runs) and kept as a dict; another threshold only
    recomputes what depends on it (:func:`~studio.display.figures.inspector.replay_at`); in another
    ``lang``uage
    it is built again (its titles and legends are words; the session's when None), and for
    another text ``size`` (presenter mode's, see
    :func:`studio.display.figures.inspector.replay_figure`).
    """
    lang = lang or language()
    with speaking(lang):
        return _figure(run, dataset, threshold, earlier, iteration, lang, size)


def _figure(run, dataset, threshold, earlier, iteration, lang, size):
    frames = frames_of(run, dataset)
    shown = scores(frames, dataset.train_set_y, dataset.test_set_y, threshold)
    labels = dataset.labels("train"), dataset.labels("test")
    key = tuple(label for label, _ in earlier), lang, size
    kept = run.replay_figures
    if key not in kept:
        built = figures.inspector.replay_figure(run.curves, run.trainer.costs, frames, shown,
                                      words.classes(dataset.classes), labels, earlier, size)
        kept.clear()   # one figure per run: it is the largest thing a run holds
        kept[key] = built.to_dict() | {"frames": ()}, built._moving
    at = np.flatnonzero(frames.iterations == iteration)
    spec, moving = kept[key]
    return figures.inspector.replay_at(spec, moving, run.curves, frames, shown,
                             words.classes(dataset.classes), labels,
                             shown=int(at[0]) if at.size else None), shown
