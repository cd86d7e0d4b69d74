"""One step by hand: the Step button applies a single gradient-descent update of logistic
regression from zero weights and shows the course's ``propagate`` for three pictures."""
import streamlit as st

from logreg.by_hand import example_columns, step_by_hand
from logreg.core import initialize_with_zeros

from ..display import figures, presenter
from ..session import datasets, escape, state, turns, words
from ..session.i18n import t

THUMB_PX = 96


@turns.taking_turns   # a button's callback
def _step(key, learning_rate, scaling):
    prepared = datasets.prepared(key, scaling)
    settings = (key, learning_rate, scaling)
    hand = st.session_state.get(state.HAND_STEP)
    if hand is None or hand["settings"] != settings:
        w, b = initialize_with_zeros(prepared.X_train.shape[0])
        hand = {"settings": settings, "w": w, "b": b, "report": None}
    report = step_by_hand(hand["w"], hand["b"], prepared.X_train, prepared.Y_train,
                          learning_rate, example_columns(prepared.Y_train),
                          iteration=0 if hand["report"] is None else hand["report"].iteration + 1)
    hand.update(w=report.w_new, b=report.b_new, report=report)
    st.session_state[state.HAND_STEP] = hand


def _start_over():
    st.session_state.pop(state.HAND_STEP, None)


def render(key, dataset, learning_rate, scaling, error):
    """The Step button and the last step's numbers, with the Train page's settings."""
    st.header(t("One step by hand"))
    st.caption(t("Gradient descent one update at a time, from w = 0 and b = 0 with the "
                 "learning rate above ({learning_rate:g}) — the course's `propagate`, then "
                 "w := w − α·dw and b := b − α·db.", learning_rate=learning_rate)
               if presenter.shows("lr") else   # a link hid the learning rate box
               t("Gradient descent one update at a time, from w = 0 and b = 0 with the "
                 "Train page's learning rate ({learning_rate:g}) — the course's `propagate`, "
                 "then w := w − α·dw and b := b − α·db.", learning_rate=learning_rate))
    hand = st.session_state.get(state.HAND_STEP)
    current = hand is not None and hand["settings"] == (key, learning_rate, scaling)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.button(t("Step"), type="primary", icon=":material/skip_next:", on_click=_step,
              args=(key, learning_rate, scaling), disabled=error is not None,
              width="stretch", help=t("Apply one update and show what it computed."))
    c2.button(t("Start over"), on_click=_start_over, disabled=not current, width="stretch")
    if not current or hand["report"] is None:
        return
    report = hand["report"]
    classes = words.classes(dataset.classes)
    with st.container(key="row_step_examples"):   # side by side on a phone too
        columns = st.columns(len(report.examples))
    for column, i, z, A, y, dz in zip(columns, report.examples, report.z, report.A, report.Y,
                                      report.dZ):
        column.image(figures.base.upscaled(dataset.train_set_x_orig[i], THUMB_PX), width=THUMB_PX,
                     output_format="PNG",
                     caption=escape.markdown(t("training #{index}: {name}", index=i,
                                               name=classes[int(y)])))
        column.markdown(f"z = wᵀx + b = **{z:.4f}**  \nA = σ(z) = **{A:.4f}**  \n"
                        f"A − Y = {A:.4f} − {int(y)} = **{dz:+.4f}**")
    change = report.new_cost - report.cost
    st.markdown(
        t("**Update {number}:** cost before J = {cost:.6f} · ‖dw‖ = {dw_norm:.6f} · "
          "db = {db:+.6f} · new cost J = **{new_cost:.6f}** ({change:+.6f}). ",
          number=report.iteration + 1, cost=report.cost, dw_norm=report.dw_norm, db=report.db,
          new_cost=report.new_cost, change=change)
        + (t("The cost fell: the step went downhill.") if change < 0 else
           t("The cost rose: the step was too long for this part of the slope and "
             "overshot.")))
