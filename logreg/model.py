"""The contract every trained model keeps, logistic regression and networks alike.

A model owns what it learned and everything needed to use it: its class names, the image
size it takes (num_px, channels), its scaling with the statistics fitted on its training
set, and the dataset it came from. Pages and the command line only call these methods, so
the threshold, the cost and the scores are computed in one place.
"""
from dataclasses import dataclass

import numpy as np

from .core import THRESHOLD, cost_from_logits, sigmoid
from .course import describe_settings
from .metrics import confusion_matrix
from .preprocessing import flatten
from .trainer import accuracy
from .words import Message, N_


@dataclass(frozen=True, eq=False)
class Evaluation:
    """A model's answers on both splits of a dataset.

    ``p_*`` are P(class 1), shape (m,); ``Y_prediction_*`` the course's 0/1 rows, shape
    (1, m); accuracies in % by the course's formula; ``confusion_*`` from
    :func:`confusion_matrix`; ``misclassified_test`` the indices of the wrong test images;
    ``cost_train`` the cross-entropy J on the training set (what :meth:`Classifier.cost`
    gives, from the same logits).
    """

    p_train: np.ndarray
    p_test: np.ndarray
    Y_prediction_train: np.ndarray
    Y_prediction_test: np.ndarray
    train_accuracy: float
    test_accuracy: float
    confusion_train: np.ndarray
    confusion_test: np.ndarray
    misclassified_test: np.ndarray
    cost_train: float


def _cost(z, Y):
    """J from the logits z (1, m) and 0/1 labels Y of any shape with m elements."""
    return cost_from_logits(z, np.asarray(Y).reshape(1, -1))


def _scaled_alike(model, dataset, prepared):
    """Whether ``prepared`` holds ``dataset``'s pictures scaled as ``model`` scales them (the
    shapes and labels are checked too: matrices of another dataset must not pass)."""
    return (prepared is not None and prepared.scaler.same_as(model.scaler)
            and prepared.X_train.shape == (model.n_features, dataset.m_train)
            and prepared.X_test.shape == (model.n_features, dataset.m_test)
            and np.array_equal(prepared.Y_train, dataset.train_set_y)
            and np.array_equal(prepared.Y_test, dataset.test_set_y))


class Classifier:
    """What every trained model offers. A subclass provides :meth:`logits` and the
    attributes ``scaler``, ``num_px``, ``channels``, ``classes``, ``dataset``,
    ``learning_rate``, ``num_iterations`` and ``costs``."""

    def logits(self, X):
        """z of the output unit for scaled columns X (n_x, m), shape (1, m)."""
        raise NotImplementedError

    @property
    def n_features(self):
        return self.num_px * self.num_px * self.channels

    def fits(self, num_px, channels):
        """Whether the model takes images of that size."""
        return self.num_px == num_px and self.channels == channels

    def mismatch(self, dataset):
        """Why the model cannot score ``dataset`` (its images are another size), or None."""
        if dataset is None or self.fits(dataset.num_px, dataset.channels):
            return None
        return Message(N_("parameters are for {num_px} × {num_px} × {channels} images, but this "
                          "dataset has {data_px} × {data_px} × {data_channels} images"),
                       num_px=self.num_px, channels=self.channels, data_px=dataset.num_px,
                       data_channels=dataset.channels)

    def _logits_of_images(self, images):
        return self.logits(self.scaler.transform(flatten(images)))

    def predict_proba(self, images):
        """P(class 1) for raw (m, num_px, num_px, channels) images, shape (m,)."""
        return sigmoid(self._logits_of_images(images))[0]

    def predict(self, images, threshold=THRESHOLD):
        """0/1 labels for raw images, shape (m,)."""
        return (self.predict_proba(images) > threshold).astype(int)

    def label(self, probability, threshold=THRESHOLD):
        """The class name the model answers for P(class 1) = ``probability``."""
        return self.classes[int(probability > threshold)]

    def cost(self, images, Y):
        """Cross-entropy J on raw images with 0/1 labels Y (any shape with m elements)."""
        return _cost(self._logits_of_images(images), Y)

    def evaluate(self, dataset, threshold=THRESHOLD, prepared=None):
        """Score on both splits of a :class:`~logreg.data.Dataset`.

        ``prepared``: the dataset's scaled matrices (:func:`logreg.pipeline.prepare`), used
        when they scale as this model does, so that no image is scaled again (most of a
        score's time on the cat data); else, or when they are not this dataset's, the
        images are. The scores are the same to the last bit either way."""
        if _scaled_alike(self, dataset, prepared):
            z_train, z_test = self.logits(prepared.X_train), self.logits(prepared.X_test)
        else:
            z_train = self._logits_of_images(dataset.train_set_x_orig)
            z_test = self._logits_of_images(dataset.test_set_x_orig)
        p_train = sigmoid(z_train)[0]
        p_test = sigmoid(z_test)[0]
        pred_train = (p_train > threshold).astype(float).reshape(1, -1)
        pred_test = (p_test > threshold).astype(float).reshape(1, -1)
        return Evaluation(
            p_train, p_test, pred_train, pred_test,
            float(accuracy(pred_train, dataset.train_set_y)),
            float(accuracy(pred_test, dataset.test_set_y)),
            confusion_matrix(pred_train, dataset.train_set_y),
            confusion_matrix(pred_test, dataset.test_set_y),
            np.flatnonzero(pred_test.ravel() != dataset.test_set_y.ravel()),
            float(_cost(z_train, dataset.train_set_y)))

    def describe(self):
        """One line: iterations, learning rate, scaling, image size (a translatable
        :class:`~logreg.words.Message`)."""
        return Message(N_("{settings} · {num_px}×{num_px}×{channels}"),
                       settings=describe_settings(self.num_iterations, self.learning_rate,
                                                  self.scaler.mode),
                       num_px=self.num_px, channels=self.channels)
