"""One model's answer for one picture, with "not sure" when it is too close to call.

The band is :data:`logreg.core.NOT_SURE` either side of the session's threshold (the run
inspector's slider moves both): inside it the answer is "not sure", in grey, with the class
it leans to; outside it the class, as before.
"""
import math

import streamlit as st

from logreg.core import NOT_SURE, THRESHOLD, is_not_sure

from ..display import figures, presenter
from ..session import escape, words
from ..session.i18n import t


def label_of(model, probability, threshold):
    """The class the model answers, in the session's language."""
    return words.classes(model.classes)[int(probability > threshold)]


def prediction(model, probability, threshold):
    """The answer as a table cell: the class, or "not sure (leans …)"."""
    label = label_of(model, probability, threshold)
    if is_not_sure(probability, threshold):
        return t("not sure (leans {label})", label=label)
    return label


def show(model, probability, threshold, key):
    """Draw the answer, its probability and the bar with the threshold and the band."""
    label = escape.markdown(label_of(model, probability, threshold))
    positive = escape.markdown(words.classes(model.classes)[1])
    if is_not_sure(probability, threshold):
        unsure = t("not sure")
        st.markdown(f"### :gray[{unsure}]")
        st.markdown(t("P({positive}) = **{probability:.4f}**, within {band:g} of the threshold "
                      "{threshold:.2f}: too close to call. It leans to *{label}*.",
                      positive=positive, probability=probability, band=NOT_SURE,
                      threshold=threshold, label=label),
                    help=t("Not a measured confidence: probabilities this close to the "
                           "threshold flip with a small change in the picture or in training. "
                           "Move the threshold in the run inspector (Train page) and the band "
                           "moves with it."))
    else:
        st.markdown(f"### {label}")
        if math.isclose(threshold, THRESHOLD):
            st.markdown(t("P({positive}) = **{probability:.4f}** — {sure:.1%} sure it is "
                          "*{label}*", positive=positive, probability=probability,
                          sure=max(probability, 1 - probability), label=label))
        elif probability > threshold:   # "% sure" would contradict an answer moved by it
            st.markdown(t("P({positive}) = **{probability:.4f}**, above the threshold "
                          "{threshold:.2f}: *{label}*", positive=positive,
                          probability=probability, threshold=threshold, label=label))
        else:
            st.markdown(t("P({positive}) = **{probability:.4f}**, not above the threshold "
                          "{threshold:.2f}: *{label}*", positive=positive,
                          probability=probability, threshold=threshold, label=label))
    presenter.chart(figures.train.probability_bar(probability, words.classes(model.classes),
                                            threshold), key=key)
