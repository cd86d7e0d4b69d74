"""Showing a run's diagnoses (:mod:`logreg.diagnosis`) on a page, and computing them for the
Train page's finished run."""
import streamlit as st

from logreg import diagnosis

from ..session import datasets
from ..session.i18n import say

ICONS = {"error": ":material/error:", "warning": ":material/warning:",
         "info": ":material/lightbulb:"}


def show(findings, about=None):
    """The findings of one run in one alert, coloured by the most serious (they come sorted);
    ``about`` names the run. Nothing when there is nothing to say."""
    if not findings:
        return
    severity = findings[0].severity
    heading = f"**{about}**\n\n" if about else ""
    body = "\n".join(f"- {say(finding.message)}" for finding in findings)
    getattr(st, severity)(heading + body, icon=ICONS[severity])


def for_model(model, dataset_key, dataset, evaluation):
    """The findings of a trained model on the active dataset (its costs, its scaling)."""
    prepared = datasets.prepared(dataset_key, model.scaler.mode)
    return diagnosis.diagnose(model.costs, model.learning_rate,
                              prepared.safe_rate,
                              evaluation.train_accuracy, evaluation.test_accuracy,
                              evaluation.p_train, evaluation.p_test, dataset.test_set_y)
