"""logreg: the course's logistic regression "with a neural-network mindset", in numpy.

The course's names are re-exported here, so ``from logreg import model`` works as in the
notebook. Nothing in this package imports streamlit.
"""
from .core import (cost_from_logits, initialize_with_zeros, predict, predict_proba, propagate,
                   sigmoid)
from .data import Dataset, DatasetError, load_dataset, load_pair
from .images import ImageError, image_to_array, image_to_vector
from .params import ParamsError, TrainedModel, load_params, save_params
from .course import DEFAULTS
from .model import THRESHOLD, Classifier, Evaluation
from .pipeline import fit, prepare
from .preprocessing import SCALING_MODES, Scaler, fit_scaler, flatten
from .trainer import Trainer, accuracy, model, optimize

__all__ = [
    "sigmoid", "cost_from_logits", "initialize_with_zeros", "propagate", "predict",
    "predict_proba", "optimize", "model", "accuracy", "Trainer",
    "load_dataset", "load_pair", "Dataset", "DatasetError",
    "image_to_vector", "image_to_array", "ImageError",
    "TrainedModel", "save_params", "load_params", "ParamsError",
    "SCALING_MODES", "Scaler", "fit_scaler", "flatten",
    "DEFAULTS", "prepare", "fit",
    "THRESHOLD", "Classifier", "Evaluation",
]
